//! Every vector of `tests/vectors/published.json` (a copy of `shared/vectors/published.json`):
//! the signature after each step, each encoding byte for byte, bound discharges, and the
//! negative cases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mintage::{DecodeError, Format, Macaroon, RootKey, Verifier, VerifyErrorKind, hazmat};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/published.json")).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

/// Mints the vector step by step, checking the chain after each caveat.
fn build(v: &Value) -> Macaroon {
    let key = RootKey::new(s(&v["root_secret"]));
    let mut m = Macaroon::mint(&key, s(&v["location"]), s(&v["identifier"])).unwrap();
    let chain = v["sig_chain_hex"].as_array().unwrap();
    assert_eq!(
        hex(m.signature().as_bytes()),
        s(&chain[0]),
        "{} step 0",
        v["name"]
    );
    for (n, c) in v["caveats"].as_array().unwrap().iter().enumerate() {
        match c {
            Value::String(p) => m.add_first_party(p).unwrap(),
            tp => {
                let nonce = [0u8; 24];
                assert_eq!(hex(&nonce), s(&v["vid_nonce_hex"]));
                let third = RootKey::new(s(&tp["caveat_secret"]));
                hazmat::add_third_party_with_nonce(
                    &mut m,
                    s(&tp["cl"]),
                    &third,
                    s(&tp["cid"]).as_bytes(),
                    &nonce,
                )
                .unwrap();
            }
        }
        if let Some(step) = chain.get(n + 1) {
            assert_eq!(
                hex(m.signature().as_bytes()),
                s(step),
                "{} step {}",
                v["name"],
                n + 1
            );
        }
    }
    m
}

#[test]
fn vectors_mint_chain_and_encodings_byte_for_byte() {
    let all = vectors();
    let list = all["vectors"].as_array().unwrap();
    assert_eq!(list.len(), 13);
    for v in list {
        let name = &v["name"];
        let m = build(v);
        assert_eq!(
            hex(m.signature().as_bytes()),
            s(&v["signature_hex"]),
            "{name}"
        );
        assert_eq!(
            m.encode(Format::V1).unwrap(),
            s(&v["v1_b64url"]),
            "{name} v1"
        );
        assert_eq!(
            m.encode(Format::V2).unwrap(),
            s(&v["v2_b64url"]),
            "{name} v2"
        );
        assert_eq!(
            m.encode(Format::V2Json).unwrap(),
            s(&v["v2_json"]),
            "{name} v2j"
        );
        let vids: Vec<String> = m
            .caveats()
            .iter()
            .filter_map(|c| c.verification_id())
            .map(|vid| {
                use base64::Engine;
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(vid)
            })
            .collect();
        let expected: Vec<&str> = v["vids_b64url"].as_array().unwrap().iter().map(s).collect();
        assert_eq!(vids, expected, "{name} vids");
    }
}

#[test]
fn vectors_decode_from_every_encoding_and_verify() {
    let all = vectors();
    for v in all["vectors"].as_array().unwrap() {
        let name = &v["name"];
        let built = build(v);
        let key = RootKey::new(s(&v["root_secret"]));
        let predicates: Vec<&str> = v["caveats"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for (field, format) in [
            ("v1_b64url", Format::V1),
            ("v2_b64url", Format::V2),
            ("v2_json", Format::V2Json),
        ] {
            let decoded = Macaroon::decode_with(s(&v[field]), &Default::default()).unwrap();
            assert_eq!(decoded.format, format, "{name} {field}");
            assert_eq!(decoded.macaroon, built, "{name} {field}");
            if built.caveats().iter().any(|c| c.is_third_party()) {
                continue;
            }
            let verifier = predicates
                .iter()
                .fold(Verifier::new(), |ver, p| ver.satisfy_exact(p));
            verifier.verify(&decoded.macaroon, &key, &[]).unwrap();
            let wrong = RootKey::new("this is not the secret we were looking for");
            let err = verifier.verify(&decoded.macaroon, &wrong, &[]).unwrap_err();
            assert_eq!(err.kind(), VerifyErrorKind::InvalidSignature);
        }
        // V1 JSON round trip keeps the signature.
        let v1j = built.encode(Format::V1Json).unwrap();
        assert_eq!(Macaroon::decode(&v1j).unwrap(), built, "{name} v1j");
    }
}

fn by_name<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap()
}

#[test]
fn readme_third_party_flow_with_bound_discharge() {
    let all = vectors();
    let root = build(by_name(&all["vectors"], "libm-readme-2-3p"));
    let discharge = build(by_name(&all["vectors"], "libm-readme-2-discharge"));
    let bound = root.bind(&discharge);
    assert_eq!(
        hex(bound.signature().as_bytes()),
        "d115ef1c133b1126978d5ab27f69d99ba9d0468cd6c1b7e47b8c1c59019cb019"
    );
    let key = RootKey::new("this is a different super-secret key; never use the same secret twice");
    let verifier = Verifier::new()
        .satisfy_exact("account = 3735928559")
        .satisfy_exact("time < 2020-01-01T00:00");
    verifier
        .verify(&root, &key, std::slice::from_ref(&bound))
        .unwrap();
    // The unbound discharge must not verify.
    let err = verifier.verify(&root, &key, &[discharge]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::InvalidSignature);
    // Nor may the discharge's own caveat go unchecked.
    let err = Verifier::new()
        .satisfy_exact("account = 3735928559")
        .verify(&root, &key, &[bound])
        .unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::CaveatNotSatisfied);
}

#[test]
fn pymacaroons_prepare_for_request_bind_vector() {
    // Only the signatures matter to binding; rebuild them through decoding a V2 JSON with them.
    let root_sig = "d27db2fd1f22760e4c3dae8137e2d8fc1df6c0741c18aed4b97256bf78d1f55c";
    let discharge_sig = "82a80681f9f32d419af12f6a71787a1bac3ab199df934ed950ddf20c25ac8c65";
    let with_sig = |sig: &str| {
        Macaroon::decode(format!(
            r#"{{"caveats":[],"location":"","identifier":"x","signature":"{sig}"}}"#
        ))
        .unwrap()
    };
    let bound = with_sig(root_sig).bind(&with_sig(discharge_sig));
    assert_eq!(
        hex(bound.signature().as_bytes()),
        "2eb01d0dd2b4475330739140188648cf25dda0425ea9f661f1574ca0a9eac54e"
    );
}

#[test]
fn tampered_readme_token_decodes_but_does_not_verify() {
    let all = vectors();
    let t = by_name(&all["extra"], "libm-readme-tampered");
    let m = Macaroon::decode(s(&t["token_std_b64_padded"])).unwrap();
    assert_eq!(
        hex(m.signature().as_bytes()),
        s(&t["decoded_signature_hex"])
    );
    let honest = build(by_name(&all["vectors"], "libm-readme-1-3cav"));
    assert_eq!(m.identifier(), honest.identifier());
    assert_eq!(m.caveats(), honest.caveats());
    let key = RootKey::new("this is our super secret key; only we should know it");
    let verifier = Verifier::new()
        .satisfy_exact("account = 3735928559")
        .satisfy_exact("time < 2020-01-01T00:00")
        .satisfy_exact("email = alice@example.org");
    assert!(verifier.verify(&honest, &key, &[]).is_ok());
    let err = verifier.verify(&m, &key, &[]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::InvalidSignature);
    // With the README's embedded line breaks every 76 characters it decodes the same.
    let text = s(&t["token_std_b64_padded"]);
    let wrapped: String = text
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert_eq!(Macaroon::decode(&wrapped).unwrap(), m);
}

#[test]
fn wrong_key_vector_is_unauthorized() {
    let all = vectors();
    let v = by_name(&all["vectors"], "libm-readme-1-3cav");
    let m = Macaroon::decode(s(&v["v1_b64url"])).unwrap();
    let t = by_name(&all["extra"], "libm-readme-wrong-key");
    let verifier = Verifier::new()
        .satisfy_exact("account = 3735928559")
        .satisfy_exact("time < 2020-01-01T00:00")
        .satisfy_exact("email = alice@example.org");
    let err = verifier
        .verify(&m, &RootKey::new(s(&t["verify_secret"])), &[])
        .unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::InvalidSignature);
}

#[test]
fn raw_key_vector_matches_macaroon_crate() {
    let all = vectors();
    let t = by_name(&all["extra"], "rust-raw-key");
    let raw: [u8; 32] = s(&t["raw_key_ascii"]).as_bytes().try_into().unwrap();
    let key = RootKey::from_derived(raw);
    let mut m = Macaroon::mint(&key, s(&t["location"]), s(&t["identifier"])).unwrap();
    assert_eq!(hex(m.signature().as_bytes()), s(&t["sig_chain_hex"][0]));
    m.add_first_party("predicate").unwrap();
    assert_eq!(hex(m.signature().as_bytes()), s(&t["sig_chain_hex"][1]));
}

#[test]
fn go_generated_third_party_tokens_verify_in_every_encoding() {
    let all = vectors();
    let t = by_name(&all["extra"], "go-generated-3p");
    let key = RootKey::new(s(&t["root_secret"]));
    let discharges = [
        s(&t["discharge_v1_as_given"]),
        s(&t["discharge_v2_as_given"]),
        s(&t["discharge_json_v2_as_given"]),
    ];
    for field in [
        "v1_std_b64_unpadded_as_given",
        "v2_std_b64_unpadded_as_given",
        "json_v1_as_given",
        "json_v2_as_given",
    ] {
        let m = Macaroon::decode(s(&t[field])).unwrap();
        assert_eq!(
            hex(m.signature().as_bytes()),
            s(&t["signature_hex"]),
            "{field}"
        );
        for d in discharges {
            let d = Macaroon::decode(d).unwrap();
            assert_eq!(
                hex(d.signature().as_bytes()),
                s(&t["discharge_bound_sig_hex"])
            );
            Verifier::new()
                .satisfy_exact("fp caveat")
                .verify(&m, &key, &[d])
                .unwrap();
        }
    }
}

#[test]
fn libmacaroons_unit_tokens_double_wrapped_decode_and_verify() {
    let all = vectors();
    let t = by_name(&all["extra"], "libm-unit-double-wrapped");
    let key = RootKey::new("this is the key");
    let wrong = RootKey::new("this is not the key");
    for (file, wrapped) in t["double_wrapped"].as_object().unwrap() {
        use base64::Engine;
        let inner = base64::engine::general_purpose::STANDARD
            .decode(s(wrapped))
            .unwrap();
        let m = Macaroon::decode(&inner).unwrap();
        assert_eq!(m.location(), "http://example.org/", "{file}");
        let verifier = Verifier::new()
            .satisfy_exact("account = 3735928559")
            .satisfy_exact("user = alice");
        verifier.verify(&m, &key, &[]).unwrap();
        assert!(verifier.verify(&m, &wrong, &[]).is_err());
    }
}

#[test]
fn seed_token_rejected_as_printed_and_decodes_once_repaired() {
    let printed = "JKAxNWxvY2F0aW9uIG9uZXpvbmUKMDAzYmlkZW50aWZpZXIgOEhmSEFSSGdrbHFCa1pWSTRsNk1CVHZTU3Z0OThwcHA2OTQ4czhRN1NPawowMDFhY2lkIHRpbWUgPCAxNDk2MTQwMTQ0CjAwMmZzaWduYXR1cmUg88OIBmav38YI0Z2-dw-fvrZ3XP-J0HjCN0taT3_WungK";
    assert_eq!(Macaroon::decode(printed), Err(DecodeError::UnknownVersion));
    let repaired = format!("MDAx{}", &printed[4..]);
    let decoded = Macaroon::decode_with(&repaired, &Default::default()).unwrap();
    assert_eq!(decoded.format, Format::V1);
    let m = decoded.macaroon;
    assert_eq!(m.location(), "onezone");
    assert_eq!(
        m.identifier(),
        b"8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk"
    );
    assert_eq!(m.caveats().len(), 1);
    assert_eq!(m.caveats()[0].id(), b"time < 1496140144");
    assert!(!m.caveats()[0].is_third_party());
    // Re-encoding gives back the repaired text exactly.
    assert_eq!(m.encode(Format::V1).unwrap(), repaired);
}

#[test]
fn seed_curl_example_cut_short_is_rejected() {
    let curl = "MDAxNmxvY2F00aW9uIHJlZlFTUbnZpdGVthHo8xmai4RqqBO2MZM00mrYGgo";
    let err = Macaroon::decode(curl).unwrap_err();
    assert!(
        matches!(
            err,
            DecodeError::Truncated | DecodeError::MalformedPacket | DecodeError::InvalidBase64
        ),
        "{err:?}"
    );
}
