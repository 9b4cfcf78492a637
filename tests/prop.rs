//! Property tests: encode/decode identity in every format, format conversion keeps the
//! signature, only the right key verifies, any single-byte change breaks verification, and
//! decoding arbitrary input never panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mintage::{Format, Limits, Macaroon, RootKey, Verifier, hazmat};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Spec {
    First(Vec<u8>),
    Third {
        location: String,
        id: Vec<u8>,
        secret: Vec<u8>,
    },
}

#[derive(Clone, Debug)]
struct Token {
    secret: Vec<u8>,
    location: String,
    identifier: Vec<u8>,
    caveats: Vec<Spec>,
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..max),
        "[ -~]{0,40}".prop_map(String::into_bytes),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        3 => bytes(48).prop_map(Spec::First),
        1 => ("[a-z:/.]{1,20}", bytes(32), bytes(32))
            .prop_map(|(location, id, secret)| Spec::Third { location, id, secret }),
    ]
}

fn token() -> impl Strategy<Value = Token> {
    (
        bytes(40),
        "\\PC{0,24}",
        bytes(64),
        proptest::collection::vec(spec(), 0..6),
    )
        .prop_map(|(secret, location, identifier, caveats)| Token {
            secret,
            location,
            identifier,
            caveats,
        })
}

fn mint(t: &Token) -> Macaroon {
    let mut m = Macaroon::mint(&RootKey::new(&t.secret), &t.location, &t.identifier).unwrap();
    for (n, c) in t.caveats.iter().enumerate() {
        match c {
            Spec::First(p) => m.add_first_party(p).unwrap(),
            Spec::Third {
                location,
                id,
                secret,
            } => {
                let nonce = [u8::try_from(n).unwrap(); 24];
                hazmat::add_third_party_with_nonce(
                    &mut m,
                    location,
                    &RootKey::new(secret),
                    id,
                    &nonce,
                )
                .unwrap();
            }
        }
    }
    m
}

/// The discharges for every third-party caveat, bound to `m`.
fn discharges(t: &Token, m: &Macaroon) -> Vec<Macaroon> {
    t.caveats
        .iter()
        .filter_map(|c| match c {
            Spec::Third {
                location,
                id,
                secret,
            } => Some(m.bind(&Macaroon::mint(&RootKey::new(secret), location, id).unwrap())),
            Spec::First(_) => None,
        })
        .collect()
}

fn verifier(t: &Token) -> Verifier<'_> {
    t.caveats.iter().fold(Verifier::new(), |v, c| match c {
        Spec::First(p) => v.satisfy_exact(p),
        Spec::Third { .. } => v,
    })
}

fn formats(m: &Macaroon) -> Vec<Format> {
    let utf8 = std::str::from_utf8(m.identifier()).is_ok()
        && m.caveats()
            .iter()
            .all(|c| std::str::from_utf8(c.id()).is_ok());
    let mut all = vec![Format::V1, Format::V2, Format::V2Json];
    if utf8 {
        all.push(Format::V1Json);
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_decode_identity_in_every_format(t in token()) {
        let m = mint(&t);
        for format in formats(&m) {
            let text = m.encode(format).unwrap();
            let d = Macaroon::decode_with(&text, &Limits::default()).unwrap();
            prop_assert_eq!(d.format, format);
            prop_assert_eq!(&d.macaroon, &m);
        }
        for format in [Format::V1, Format::V2] {
            let text = m.encode_base62(format).unwrap();
            prop_assert_eq!(&Macaroon::decode(&text).unwrap(), &m);
            let bin = m.encode_binary(format).unwrap();
            prop_assert_eq!(&Macaroon::decode_binary(&bin, &Limits::default()).unwrap().macaroon, &m);
        }
    }

    #[test]
    fn conversion_between_formats_keeps_the_signature(t in token()) {
        let m = mint(&t);
        let all = formats(&m);
        for from in &all {
            let first = Macaroon::decode(m.encode(*from).unwrap()).unwrap();
            for to in &all {
                let converted = Macaroon::decode(first.encode(*to).unwrap()).unwrap();
                prop_assert_eq!(converted.signature(), m.signature());
            }
        }
    }

    #[test]
    fn verifies_with_its_key_only(t in token(), other in bytes(40)) {
        let m = mint(&t);
        let d = discharges(&t, &m);
        let v = verifier(&t);
        prop_assert!(v.verify(&m, &RootKey::new(&t.secret), &d).is_ok());
        prop_assume!(other != t.secret);
        prop_assert!(v.verify(&m, &RootKey::new(&other), &d).is_err());
    }

    #[test]
    fn any_single_byte_change_never_verifies(t in token(), pick in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let m = mint(&t);
        let d = discharges(&t, &m);
        let v = verifier(&t).satisfy_general(|_| true);
        // Mutate the V2 binary at a byte of the identifier, a caveat id or vid, or the signature:
        // every byte except the location fields, which are not signed.
        let bin = m.encode_binary(Format::V2).unwrap();
        let signed = signed_offsets(&m, &bin);
        let at = signed[pick.index(signed.len())];
        let mut bad = bin.clone();
        bad[at] ^= flip;
        if let Ok(decoded) = Macaroon::decode_binary(&bad, &Limits::default()) {
            prop_assert!(v.verify(&decoded.macaroon, &RootKey::new(&t.secret), &d).is_err());
        }
    }

    #[test]
    fn decode_never_panics_on_bytes(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Macaroon::decode(&input);
        let _ = Macaroon::decode_binary(&input, &Limits::default());
    }

    #[test]
    fn decode_never_panics_on_mutated_tokens(t in token(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let m = mint(&t);
        for format in formats(&m) {
            let mut text = m.encode(format).unwrap().into_bytes();
            let i = at.index(text.len());
            text[i] = byte;
            let _ = Macaroon::decode(&text);
            text.truncate(cut.index(text.len() + 1));
            let _ = Macaroon::decode(&text);
        }
    }
}

/// Offsets of the signed bytes of a V2 encoding (identifier, caveat ids, vids, signature).
/// Every field here is under 128 bytes, so each field header is exactly two bytes.
fn signed_offsets(m: &Macaroon, bin: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 1;
    let skip = |at: &mut usize, len: usize| {
        if len > 0 {
            *at += 2 + len;
        }
    };
    let take = |out: &mut Vec<usize>, at: &mut usize, len: usize| {
        out.extend(*at + 2..*at + 2 + len);
        *at += 2 + len;
    };
    skip(&mut at, m.location().len());
    take(&mut out, &mut at, m.identifier().len());
    at += 1;
    for c in m.caveats() {
        skip(&mut at, c.location().len());
        take(&mut out, &mut at, c.id().len());
        if let Some(vid) = c.verification_id() {
            take(&mut out, &mut at, vid.len());
        }
        at += 1;
    }
    at += 1;
    take(&mut out, &mut at, 32);
    assert_eq!(at, bin.len());
    out
}
