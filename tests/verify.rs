//! Verifier semantics: signature first, every caveat satisfied, discharges used once and bound
//! to the top-level macaroon, cycles, caps, and what errors reveal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mintage::{Format, Limits, Macaroon, RootKey, Verifier, VerifyErrorKind};

fn key() -> RootKey {
    RootKey::new(b"root secret")
}

fn tp(n: u8) -> RootKey {
    RootKey::new([b't', n])
}

/// Root with one third-party caveat for `tp(1)`, id `d1`.
fn root_with_tp() -> Macaroon {
    let mut m = Macaroon::mint(&key(), "loc", b"root").unwrap();
    m.add_first_party("a = 1").unwrap();
    m.add_third_party("https://tp1", &tp(1), b"d1").unwrap();
    m
}

fn discharge(n: u8, id: &[u8]) -> Macaroon {
    Macaroon::mint(&tp(n), "https://tp", id).unwrap()
}

fn kind(r: Result<mintage::Verified<'_>, mintage::VerifyError>) -> VerifyErrorKind {
    r.unwrap_err().kind()
}

#[test]
fn bound_discharge_verifies() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let v = Verifier::new().satisfy_exact("a = 1");
    let ok = v.verify(&m, &key(), &[d]).unwrap();
    assert_eq!(ok.identifier(), b"root");
    assert_eq!(ok.macaroon().location(), "loc");
}

#[test]
fn first_party_caveat_unsatisfied_fails_closed() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let err = Verifier::new().verify(&m, &key(), &[d]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::CaveatNotSatisfied);
    assert_eq!(err.to_string(), "caveat not satisfied");
    assert_eq!(err.reason(), "caveat not satisfied: caveat 0 of the token");
    assert!(
        !err.reason().contains("a = 1"),
        "reason must not echo predicates"
    );
}

#[test]
fn general_check_sees_the_predicate() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let v = Verifier::new().satisfy_general(|c| c == b"a = 1");
    assert!(v.verify(&m, &key(), &[d]).is_ok());
}

#[test]
fn missing_discharge() {
    let m = root_with_tp();
    let v = Verifier::new().satisfy_exact("a = 1");
    let err = v.verify(&m, &key(), &[]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::DischargeMissing);
    assert_eq!(err.reason(), "discharge missing: caveat 1 of the token");
}

#[test]
fn discharge_with_wrong_key_is_invalid() {
    let m = root_with_tp();
    let d = m.bind(&discharge(2, b"d1"));
    let v = Verifier::new().satisfy_exact("a = 1");
    assert_eq!(
        kind(v.verify(&m, &key(), &[d])),
        VerifyErrorKind::InvalidSignature
    );
}

#[test]
fn unbound_and_wrongly_bound_discharges_fail() {
    let m = root_with_tp();
    let v = Verifier::new().satisfy_exact("a = 1");
    assert_eq!(
        kind(v.verify(&m, &key(), &[discharge(1, b"d1")])),
        VerifyErrorKind::InvalidSignature
    );
    let other = Macaroon::mint(&key(), "", b"other").unwrap();
    let d = other.bind(&discharge(1, b"d1"));
    assert_eq!(
        kind(v.verify(&m, &key(), &[d])),
        VerifyErrorKind::InvalidSignature
    );
}

#[test]
fn unused_discharge_is_rejected() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let extra = m.bind(&discharge(3, b"d3"));
    let v = Verifier::new().satisfy_exact("a = 1");
    let err = v.verify(&m, &key(), &[d, extra]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::DischargeUnused);
}

#[test]
fn duplicate_discharge_is_used_once_and_the_other_is_unused() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let v = Verifier::new().satisfy_exact("a = 1");
    let err = v.verify(&m, &key(), &[d.clone(), d]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::DischargeUnused);
}

#[test]
fn nested_discharges_bind_to_the_top_level_macaroon() {
    let m = root_with_tp();
    let mut d1 = discharge(1, b"d1");
    d1.add_third_party("https://tp2", &tp(2), b"d2").unwrap();
    let mut d2 = discharge(2, b"d2");
    d2.add_first_party("b = 2").unwrap();
    let v = Verifier::new()
        .satisfy_exact("a = 1")
        .satisfy_exact("b = 2");
    let good = [m.bind(&d1), m.bind(&d2)];
    v.verify(&m, &key(), &good).unwrap();
    // Bound to the immediate parent instead (pymacaroons < 0.12): rejected.
    let wrong = [m.bind(&d1), d1.bind(&d2)];
    assert_eq!(
        kind(v.verify(&m, &key(), &wrong)),
        VerifyErrorKind::InvalidSignature
    );
    // The nested discharge's own caveat is enforced.
    let strict = Verifier::new().satisfy_exact("a = 1");
    let err = strict.verify(&m, &key(), &good).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::CaveatNotSatisfied);
    assert_eq!(
        err.reason(),
        "caveat not satisfied: caveat 0 of discharge 1"
    );
}

#[test]
fn cyclic_discharges_terminate() {
    // d1 needs d2, d2 needs d1 again: the second use of d1 finds no unused discharge.
    let m = root_with_tp();
    let mut d1 = discharge(1, b"d1");
    d1.add_third_party("https://tp2", &tp(2), b"d2").unwrap();
    let mut d2 = discharge(2, b"d2");
    d2.add_third_party("https://tp1", &tp(1), b"d1").unwrap();
    let v = Verifier::new().satisfy_exact("a = 1");
    let err = v
        .verify(&m, &key(), &[m.bind(&d1), m.bind(&d2)])
        .unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::DischargeMissing);
}

#[test]
fn depth_is_capped() {
    let m = root_with_tp();
    let mut chain = Vec::new();
    for n in 1..=4u8 {
        let mut d = discharge(n, &[b'd', b'0' + n]);
        if n < 4 {
            d.add_third_party("https://tp", &tp(n + 1), [b'd', b'0' + n + 1])
                .unwrap();
        }
        chain.push(m.bind(&d));
    }
    let v = Verifier::new().satisfy_exact("a = 1");
    v.verify(&m, &key(), &chain).unwrap();
    let mut limits = Limits::default();
    limits.max_depth = 3;
    let err = v
        .with_limits(limits)
        .verify(&m, &key(), &chain)
        .unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::TooDeep);
}

#[test]
fn discharge_count_is_capped() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let mut limits = Limits::default();
    limits.max_discharges = 1;
    let v = Verifier::new().satisfy_exact("a = 1").with_limits(limits);
    let err = v.verify(&m, &key(), &[d.clone(), d]).unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::TooManyDischarges);
}

#[test]
fn tampered_vid_does_not_open() {
    let m = root_with_tp();
    let d = m.bind(&discharge(1, b"d1"));
    let text = m.encode(Format::V2Json).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let vid = value["c"][1]["v64"].as_str().unwrap().to_owned();
    let flipped = if vid.starts_with('A') {
        vid.replacen('A', "B", 1)
    } else {
        format!("A{}", &vid[1..])
    };
    value["c"][1]["v64"] = serde_json::Value::String(flipped);
    let tampered = Macaroon::decode(value.to_string()).unwrap();
    let v = Verifier::new().satisfy_exact("a = 1");
    assert_eq!(
        kind(v.verify(&tampered, &key(), &[d])),
        VerifyErrorKind::InvalidSignature
    );
}

#[test]
fn signature_is_checked_before_caveats() {
    // A forged token with an unsatisfied caveat reports the signature, not the caveat.
    let m = root_with_tp();
    let err = Verifier::new()
        .verify(&m, &RootKey::new(b"wrong"), &[])
        .unwrap_err();
    assert_eq!(err.kind(), VerifyErrorKind::InvalidSignature);
    assert_eq!(err.reason(), "invalid signature: the token");
}

#[test]
fn attenuation_by_holder_still_verifies_and_removal_fails() {
    let m = Macaroon::mint(&key(), "", b"id").unwrap();
    let encoded = m.encode(Format::V2).unwrap();
    let mut held = Macaroon::decode(&encoded).unwrap();
    held.add_first_party("b = 2").unwrap();
    let v = Verifier::new().satisfy_exact("b = 2");
    v.verify(&held, &key(), &[]).unwrap();
    assert_eq!(
        kind(Verifier::new().verify(&held, &key(), &[])),
        VerifyErrorKind::CaveatNotSatisfied
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Macaroon>();
    assert_send_sync::<RootKey>();
    assert_send_sync::<Verifier<'static>>();
    assert_send_sync::<mintage::Verified<'static>>();
    assert_send_sync::<mintage::Error>();
    assert_send_sync::<mintage::format::Decoded>();
}

#[test]
fn macaroon_debug_hides_the_signature() {
    let m = root_with_tp();
    let shown = format!("{m:?}");
    assert!(shown.contains("Signature(..)"));
    assert!(shown.contains("root"));
    let hex: String = m
        .signature()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!shown.contains(&hex[..8]));
    assert!(!format!("{:?}", m.caveats()[1]).contains("verification_id: ["));
}
