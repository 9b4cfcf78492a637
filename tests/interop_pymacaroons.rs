//! Interoperability with pymacaroons 0.13.0 (Debian package `python3-pymacaroons`), in both
//! directions and in every format it writes: V1, V2, V2 JSON and legacy V1 JSON.
//!
//! The peer is `tests/interop/peer.py`, run with Debian's `/usr/bin/python3` (the interpreter
//! the Debian package installs pymacaroons for). Nothing is mocked: tokens minted here are
//! verified by pymacaroons and tokens pymacaroons mints are verified here. A missing peer fails
//! the tests with the package to install; `scripts/test` installs it.

// clippy.toml's test allowances do not reach helpers outside #[test] functions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use mintage::{Format, Limits, Macaroon, VerifyErrorKind};

const PYTHON: &str = "/usr/bin/python3";
const INSTALL_HINT: &str = "install the Debian package python3-pymacaroons \
     (`apt-get install python3-pymacaroons`, or run scripts/test which installs it)";

/// Exit codes of the peer (see `peer.py`).
const EXIT_VERIFIED: i32 = 0;
const EXIT_NOT_VERIFIED: i32 = 3;

/// Every format, with the peer's name for it.
const FORMATS: [(Format, &str); 4] = [
    (Format::V1, "v1"),
    (Format::V2, "v2"),
    (Format::V2Json, "v2json"),
    (Format::V1Json, "v1json"),
];
#[path = "interop/common.rs"]
mod common;
use common::*;

// ---- the peer ---------------------------------------------------------------------------

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/peer.py")
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `peer.py` with `args`; fails the test with an install hint when the interpreter or
/// pymacaroons is missing.
fn run(args: &[&str]) -> Output {
    let output = Command::new(PYTHON)
        .arg(script())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {PYTHON} (Debian's python3): {e}; {INSTALL_HINT}"));
    let out = Output {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    if out.stderr.contains("cannot import pymacaroons") {
        panic!(
            "pymacaroons is not importable by {PYTHON}:\n{}{INSTALL_HINT}",
            out.stderr
        );
    }
    out
}

/// Checks once per test binary that the peer runs, and reports its version.
fn peer() {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let out = run(&["version"]);
        assert_eq!(
            out.code,
            Some(0),
            "{PYTHON} {} version failed: {}{INSTALL_HINT}",
            script().display(),
            out.stderr
        );
        let version = out.stdout.trim().to_owned();
        eprintln!("peer: pymacaroons {version} under {PYTHON}");
        version
    });
}

/// Runs a peer command that must succeed and print one line; returns that line.
fn run_ok(args: &[&str]) -> String {
    peer();
    let out = run(args);
    assert_eq!(
        out.code,
        Some(0),
        "peer.py {args:?} failed: {}{}",
        out.stdout,
        out.stderr
    );
    out.stdout.trim_end_matches('\n').to_owned()
}

fn peer_mint(spec: &Spec, format: &str) -> String {
    let mut args = vec![
        "mint",
        "--format",
        format,
        "--secret",
        spec.secret,
        "--location",
        spec.location,
        "--id",
        spec.id,
    ];
    for c in spec.caveats {
        match *c {
            Cav::First(p) => args.extend(["--caveat", p]),
            Cav::Third {
                location,
                secret,
                id,
            } => args.extend(["--third-party", location, secret, id]),
        }
    }
    run_ok(&args)
}

fn peer_bind(format: &str, root: &str, discharge: &str) -> String {
    run_ok(&["bind", "--format", format, root, discharge])
}

fn peer_inspect(token: &str) -> String {
    run_ok(&["inspect", token])
}

/// Asks pymacaroons to verify `tokens` (root first, then discharges): `Ok` when verified,
/// `Err(reason)` when rejected. Anything else (a token that does not decode, a crash) fails
/// the test, so a rejection is never mistaken for a decoding error.
fn peer_verify(secret: &str, satisfy: &[&str], tokens: &[&str]) -> Result<(), String> {
    peer();
    let mut args = vec!["verify", "--secret", secret];
    for p in satisfy {
        args.extend(["--satisfy", p]);
    }
    args.extend(tokens);
    let out = run(&args);
    match out.code {
        Some(EXIT_VERIFIED) => {
            assert_eq!(out.stdout.trim(), "verified");
            Ok(())
        }
        Some(EXIT_NOT_VERIFIED) => {
            assert!(out.stdout.starts_with("not verified"), "{}", out.stdout);
            Err(out.stdout.trim().to_owned())
        }
        code => panic!(
            "peer.py verify neither verified nor rejected (exit {code:?}): {}{}",
            out.stdout, out.stderr
        ),
    }
}

// ---- the mintage side -------------------------------------------------------------------

/// Decodes a peer's token, checking the format mintage detects.
fn decode(token: &str, format: Format) -> Macaroon {
    let decoded = Macaroon::decode_with(token, &Limits::default()).unwrap_or_else(|e| {
        panic!("mintage cannot decode pymacaroons' {format:?} token {token}: {e:?}")
    });
    assert_eq!(decoded.format, format, "{token}");
    decoded.macaroon
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What `peer.py inspect` prints for `m`.
fn describe(m: &Macaroon) -> String {
    let mut lines = vec![
        format!("location {}", m.location()),
        format!(
            "identifier {}",
            std::str::from_utf8(m.identifier()).unwrap()
        ),
    ];
    for c in m.caveats() {
        lines.push(format!("cid {}", std::str::from_utf8(c.id()).unwrap()));
        if let Some(vid) = c.verification_id() {
            lines.push(format!("vid {}", hex(vid)));
            lines.push(format!("cl {}", c.location()));
        }
    }
    lines.push(format!("signature {}", hex(m.signature().as_bytes())));
    lines.join("\n")
}

/// `predicates` without its last element.
fn all_but_last<'a>(predicates: &[&'a str]) -> Vec<&'a str> {
    predicates[..predicates.len() - 1].to_vec()
}

// ---- first-party caveats ----------------------------------------------------------------

#[test]
fn mintage_first_party_tokens_verify_in_pymacaroons() {
    for (format, name) in FORMATS {
        for spec in &FIRST_PARTY {
            let m = mint(spec);
            let token = m.encode(format).unwrap();
            let ctx = format!("{name} with {} caveats: {token}", spec.caveats.len());
            let predicates = spec.predicates();
            assert_eq!(peer_inspect(&token), describe(&m), "{ctx}");
            peer_verify(ROOT_SECRET, &predicates, &[&token])
                .unwrap_or_else(|e| panic!("pymacaroons rejected {ctx}: {e}"));
            assert!(
                peer_verify(WRONG_SECRET, &predicates, &[&token]).is_err(),
                "pymacaroons accepted a wrong key for {ctx}"
            );
            if !predicates.is_empty() {
                assert!(
                    peer_verify(ROOT_SECRET, &all_but_last(&predicates), &[&token]).is_err(),
                    "pymacaroons accepted {ctx} with a predicate unmet"
                );
            }
        }
    }
}

#[test]
fn pymacaroons_first_party_tokens_verify_in_mintage() {
    for (format, name) in FORMATS {
        for spec in &FIRST_PARTY {
            let token = peer_mint(spec, name);
            let ctx = format!("{name} with {} caveats: {token}", spec.caveats.len());
            let m = decode(&token, format);
            // Same inputs, same macaroon: the chain is deterministic without third parties.
            let ours = mint(spec);
            assert_eq!(m, ours, "{ctx}");
            if matches!(format, Format::V1 | Format::V2) {
                assert_eq!(ours.encode(format).unwrap(), token, "byte for byte: {ctx}");
            }
            let predicates = spec.predicates();
            verify(&m, ROOT_SECRET, &predicates, &[]).unwrap_or_else(|e| panic!("{e:?}: {ctx}"));
            assert_eq!(
                verify(&m, WRONG_SECRET, &predicates, &[]),
                Err(VerifyErrorKind::InvalidSignature),
                "wrong key: {ctx}"
            );
            if !predicates.is_empty() {
                assert_eq!(
                    verify(&m, ROOT_SECRET, &all_but_last(&predicates), &[]),
                    Err(VerifyErrorKind::CaveatNotSatisfied),
                    "predicate unmet: {ctx}"
                );
            }
        }
    }
}

#[test]
fn empty_location_crosses_both_ways() {
    const NOWHERE: Spec = Spec {
        location: "",
        ..spec("somewhere else", &[Cav::First("account = 1")])
    };
    for (format, name) in FORMATS {
        let token = peer_mint(&NOWHERE, name);
        let m = decode(&token, format);
        assert_eq!(m, mint(&NOWHERE), "{name}: {token}");
        verify(&m, ROOT_SECRET, &["account = 1"], &[]).unwrap();

        let ours = mint(&NOWHERE).encode(format).unwrap();
        peer_verify(ROOT_SECRET, &["account = 1"], &[&ours])
            .unwrap_or_else(|e| panic!("{name}: {ours}: {e}"));
    }
}

// ---- a third-party caveat and its bound discharge ---------------------------------------

#[test]
fn mintage_third_party_with_bound_discharge_verifies_in_pymacaroons() {
    let predicates = predicates_3p();
    for (format, name) in FORMATS {
        let root = mint(&ROOT_3P);
        let discharge = mint(&DISCHARGE);
        let bound = root.bind(&discharge);
        let root_t = root.encode(format).unwrap();
        let bound_t = bound.encode(format).unwrap();
        let unbound_t = discharge.encode(format).unwrap();
        let ctx = format!("{name}: root {root_t} discharge {bound_t}");

        assert_eq!(peer_inspect(&root_t), describe(&root), "{ctx}");
        peer_verify(ROOT_SECRET, &predicates, &[&root_t, &bound_t])
            .unwrap_or_else(|e| panic!("pymacaroons rejected {ctx}: {e}"));

        assert!(
            peer_verify(WRONG_SECRET, &predicates, &[&root_t, &bound_t]).is_err(),
            "wrong key accepted: {ctx}"
        );
        assert!(
            peer_verify(ROOT_SECRET, &predicates, &[&root_t, &unbound_t]).is_err(),
            "unbound discharge accepted: {ctx}"
        );
        assert!(
            peer_verify(ROOT_SECRET, &ROOT_3P.predicates(), &[&root_t, &bound_t]).is_err(),
            "discharge's caveat unmet but accepted: {ctx}"
        );
        assert!(
            peer_verify(
                ROOT_SECRET,
                &all_but_last(&ROOT_3P.predicates()),
                &[&root_t, &bound_t]
            )
            .is_err(),
            "root's caveat unmet but accepted: {ctx}"
        );
        assert!(
            peer_verify(ROOT_SECRET, &predicates, &[&root_t]).is_err(),
            "missing discharge accepted: {ctx}"
        );
    }
}

#[test]
fn pymacaroons_third_party_with_bound_discharge_verifies_in_mintage() {
    let predicates = predicates_3p();
    for (format, name) in FORMATS {
        let root_t = peer_mint(&ROOT_3P, name);
        let unbound_t = peer_mint(&DISCHARGE, name);
        let bound_t = peer_bind(name, &root_t, &unbound_t);
        let ctx = format!("{name}: root {root_t} discharge {bound_t}");
        let root = decode(&root_t, format);
        let bound = decode(&bound_t, format);
        let unbound = decode(&unbound_t, format);

        assert_eq!(describe(&root), peer_inspect(&root_t), "{ctx}");
        let vid = root.caveats()[1].verification_id().unwrap();
        assert_eq!(vid.len(), 72, "{ctx}");
        assert_eq!(root.caveats()[1].location(), AUTH_LOCATION, "{ctx}");
        assert_eq!(unbound, mint(&DISCHARGE), "{ctx}");
        assert_eq!(
            root.bind(&unbound),
            bound,
            "mintage binds as pymacaroons does: {ctx}"
        );

        verify(
            &root,
            ROOT_SECRET,
            &predicates,
            std::slice::from_ref(&bound),
        )
        .unwrap_or_else(|e| panic!("{e:?}: {ctx}"));

        assert_eq!(
            verify(
                &root,
                WRONG_SECRET,
                &predicates,
                std::slice::from_ref(&bound)
            ),
            Err(VerifyErrorKind::InvalidSignature),
            "wrong key: {ctx}"
        );
        assert_eq!(
            verify(&root, ROOT_SECRET, &predicates, &[unbound]),
            Err(VerifyErrorKind::InvalidSignature),
            "unbound discharge: {ctx}"
        );
        assert_eq!(
            verify(
                &root,
                ROOT_SECRET,
                &ROOT_3P.predicates(),
                std::slice::from_ref(&bound)
            ),
            Err(VerifyErrorKind::CaveatNotSatisfied),
            "discharge's caveat unmet: {ctx}"
        );
        assert_eq!(
            verify(&root, ROOT_SECRET, &predicates, &[]),
            Err(VerifyErrorKind::DischargeMissing),
            "missing discharge: {ctx}"
        );
    }
}

#[test]
fn discharges_bound_on_one_side_verify_on_the_other() {
    let predicates = predicates_3p();
    for (format, name) in FORMATS {
        // pymacaroons mints root and discharge, mintage binds, pymacaroons verifies.
        let root_t = peer_mint(&ROOT_3P, name);
        let discharge_t = peer_mint(&DISCHARGE, name);
        let bound = decode(&root_t, format).bind(&decode(&discharge_t, format));
        let bound_t = bound.encode(format).unwrap();
        peer_verify(ROOT_SECRET, &predicates, &[&root_t, &bound_t])
            .unwrap_or_else(|e| panic!("{name}: root {root_t} bound by mintage {bound_t}: {e}"));

        // mintage mints root and discharge, pymacaroons binds, mintage verifies.
        let root = mint(&ROOT_3P);
        let discharge = mint(&DISCHARGE);
        let bound_t = peer_bind(
            name,
            &root.encode(format).unwrap(),
            &discharge.encode(format).unwrap(),
        );
        let bound = decode(&bound_t, format);
        assert_eq!(bound, root.bind(&discharge), "{name}: {bound_t}");
        verify(&root, ROOT_SECRET, &predicates, &[bound]).unwrap();
    }
}
