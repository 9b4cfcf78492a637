//! Verification, two ways on every input:
//!
//! (a) The input as untrusted tokens, `|`-separated: the first is the macaroon, any others
//!     that decode are its discharges. Under a fixed key that signed nothing, even a verifier
//!     that satisfies every predicate must refuse them.
//! (b) The input as a recipe (`arbitrary`): root secret, location, identifier, first-party
//!     predicates and third-party caveats whose discharges may carry caveats of their own.
//!     The minted token with its bound discharges must verify; one flipped signature byte, a
//!     wrong key, an unbound, missing or extra discharge, or an unsatisfied predicate must not.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use mintage::{Format, Limits, Macaroon, RootKey, Verifier, VerifyError, VerifyErrorKind, hazmat};

mod common;

/// The key of part (a). No token of the corpus is minted with it.
const FIXED_SECRET: &[u8] = b"mintage fuzz: a root secret no token was ever minted with";
/// Separates the macaroon from its discharges in part (a).
const SEPARATOR: u8 = b'|';
/// Bounds on the recipe of part (b), well inside the verifier's limits.
const MAX_DEPTH: usize = 3;
const MAX_CAVEATS: usize = 16;
const MAX_DISCHARGES: usize = 64;

#[derive(Arbitrary, Debug)]
struct Recipe {
    secret: Vec<u8>,
    location: String,
    identifier: Vec<u8>,
    caveats: Vec<CaveatRecipe>,
    flip_at: u8,
    flip_mask: u8,
}

#[derive(Arbitrary, Debug)]
enum CaveatRecipe {
    FirstParty(Vec<u8>),
    ThirdParty(Box<ThirdParty>),
}

#[derive(Arbitrary, Debug)]
struct ThirdParty {
    location: String,
    secret: Vec<u8>,
    caveat_id: Vec<u8>,
    nonce: [u8; 24],
    discharge_location: String,
    discharge_caveats: Vec<CaveatRecipe>,
}

/// What minting a recipe produced besides the macaroon.
#[derive(Default)]
struct Minted {
    /// Unbound discharges in the order verification consumes them (depth-first, each
    /// discharge before the discharges of its own caveats).
    discharges: Vec<Option<Macaroon>>,
    /// Every first-party predicate, of the macaroon and of its discharges.
    predicates: Vec<Vec<u8>>,
}

fn mint(
    key: &RootKey,
    location: &str,
    identifier: &[u8],
    caveats: &[CaveatRecipe],
    depth: usize,
    out: &mut Minted,
) -> Macaroon {
    let mut m = Macaroon::mint(key, location, identifier).expect("mint within limits");
    for caveat in caveats.iter().take(MAX_CAVEATS) {
        match caveat {
            CaveatRecipe::FirstParty(predicate) => {
                m.add_first_party(predicate)
                    .expect("first-party caveat within limits");
                out.predicates.push(predicate.clone());
            }
            CaveatRecipe::ThirdParty(t) => {
                if depth >= MAX_DEPTH || out.discharges.len() >= MAX_DISCHARGES {
                    continue;
                }
                let caveat_key = RootKey::new(&t.secret);
                hazmat::add_third_party_with_nonce(
                    &mut m,
                    &t.location,
                    &caveat_key,
                    &t.caveat_id,
                    &t.nonce,
                )
                .expect("third-party caveat within limits");
                let slot = out.discharges.len();
                out.discharges.push(None);
                let discharge = mint(
                    &caveat_key,
                    &t.discharge_location,
                    &t.caveat_id,
                    &t.discharge_caveats,
                    depth + 1,
                    out,
                );
                out.discharges[slot] = Some(discharge);
            }
        }
    }
    m
}

/// `m` with signature byte `at % 32` xored with a non-zero `mask`, built through the wire
/// format (the signature of a `Macaroon` is not settable).
fn flip_signature(m: &Macaroon, at: u8, mask: u8) -> Macaroon {
    let mut bytes = m.encode_binary(Format::V2).expect("v2 encodes everything");
    let end = bytes.len();
    bytes[end - 32 + usize::from(at) % 32] ^= mask.max(1);
    let flipped = Macaroon::decode_binary(&bytes, &Limits::default())
        .expect("flipped v2 decodes")
        .macaroon;
    assert!(
        flipped.location() == m.location()
            && flipped.identifier() == m.identifier()
            && flipped.caveats() == m.caveats()
            && flipped.signature() != m.signature(),
        "flipping a signature byte changed more than the signature"
    );
    flipped
}

fn expect_denied(
    result: Result<mintage::Verified<'_>, VerifyError>,
    kind: VerifyErrorKind,
    what: &str,
) {
    match result {
        Ok(_) => panic!("{what}: verified"),
        Err(e) => assert_eq!(e.kind(), kind, "{what}: {}", e.reason()),
    }
}

/// (a) Untrusted input never verifies under a key it was not minted with.
fn untrusted(data: &[u8]) {
    let mut parts = data.split(|&b| b == SEPARATOR);
    let Some(Ok(m)) = parts.next().map(Macaroon::decode) else {
        return;
    };
    let discharges: Vec<Macaroon> = parts.filter_map(|p| Macaroon::decode(p).ok()).collect();
    let key = RootKey::new(FIXED_SECRET);
    let verifier = Verifier::new().satisfy_general(|_| true);
    if verifier.verify(&m, &key, &discharges).is_ok() {
        panic!(
            "decoded input verified under the fixed key:\n{}",
            common::describe(&m)
        );
    }
    if !discharges.is_empty() && verifier.verify(&m, &key, &[]).is_ok() {
        panic!(
            "decoded input verified under the fixed key:\n{}",
            common::describe(&m)
        );
    }
}

/// (b) A minted token verifies, and stops verifying when anything is off.
fn structured(data: &[u8]) {
    let Ok(recipe) = Recipe::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let key = RootKey::new(&recipe.secret);
    let mut minted = Minted::default();
    let m = mint(
        &key,
        &recipe.location,
        &recipe.identifier,
        &recipe.caveats,
        0,
        &mut minted,
    );
    let unbound: Vec<Macaroon> = minted
        .discharges
        .into_iter()
        .map(|d| d.expect("every discharge slot is filled"))
        .collect();
    let bound: Vec<Macaroon> = unbound.iter().map(|d| m.bind(d)).collect();
    let predicates = minted.predicates;

    let permissive = Verifier::new().satisfy_general(|_| true);
    let exact = predicates
        .iter()
        .fold(Verifier::new(), |v, p| v.satisfy_exact(p));
    for (verifier, what) in [(&permissive, "permissive"), (&exact, "exact")] {
        if let Err(e) = verifier.verify(&m, &key, &bound) {
            panic!(
                "{what} verifier refused a minted token: {}\n{}",
                e.reason(),
                common::describe(&m)
            );
        }
    }

    // The same tokens after a trip through the wire.
    let wire = |t: &Macaroon| {
        let text = t.encode(Format::V2).expect("v2 encodes everything");
        Macaroon::decode(&text).expect("own v2 decodes")
    };
    let wire_bound: Vec<Macaroon> = bound.iter().map(wire).collect();
    if let Err(e) = exact.verify(&wire(&m), &key, &wire_bound) {
        panic!("decoded minted token refused: {}", e.reason());
    }

    let flipped = flip_signature(&m, recipe.flip_at, recipe.flip_mask);
    expect_denied(
        permissive.verify(&flipped, &key, &bound),
        VerifyErrorKind::InvalidSignature,
        "flipped signature",
    );

    let mut wrong_secret = recipe.secret.clone();
    wrong_secret.push(0x5a);
    expect_denied(
        permissive.verify(&m, &RootKey::new(&wrong_secret), &bound),
        VerifyErrorKind::InvalidSignature,
        "wrong key",
    );

    if !predicates.is_empty() {
        let dropped = &predicates[usize::from(recipe.flip_at) % predicates.len()];
        let partial = predicates
            .iter()
            .filter(|p| *p != dropped)
            .fold(Verifier::new(), |v, p| v.satisfy_exact(p));
        expect_denied(
            partial.verify(&m, &key, &bound),
            VerifyErrorKind::CaveatNotSatisfied,
            "unsatisfied predicate",
        );
    }

    if !bound.is_empty() {
        let n = bound.len();
        let mut discharges = bound.clone();
        let i = usize::from(recipe.flip_at) % n;
        discharges[i] = flip_signature(&bound[i], recipe.flip_at, recipe.flip_mask);
        expect_denied(
            permissive.verify(&m, &key, &discharges),
            VerifyErrorKind::InvalidSignature,
            "flipped discharge",
        );
        expect_denied(
            permissive.verify(&m, &key, &unbound),
            VerifyErrorKind::InvalidSignature,
            "unbound discharges",
        );
        expect_denied(
            permissive.verify(&m, &key, &bound[..n - 1]),
            VerifyErrorKind::DischargeMissing,
            "missing discharge",
        );
        let mut extra = bound.clone();
        extra.push(bound[0].clone());
        expect_denied(
            permissive.verify(&m, &key, &extra),
            VerifyErrorKind::DischargeUnused,
            "extra discharge",
        );
    }
}

fuzz_target!(|data: &[u8]| {
    untrusted(data);
    structured(data);
});
