//! Interoperability with libmacaroons 0.3.0 (Debian package `libmacaroons-dev`), the reference
//! C library, in both directions. libmacaroons 0.3.0 speaks format V1 only (base64url text).
//!
//! The peer is `tests/interop/peer.c`, compiled with `cc` against `-lmacaroons` into Cargo's
//! per-target temporary directory when the tests start. Nothing is mocked: tokens minted here
//! are verified by libmacaroons and tokens libmacaroons mints are verified here. A missing C
//! compiler or library fails the tests with the package to install; `scripts/test` installs
//! them.

// clippy.toml's test allowances do not reach helpers outside #[test] functions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use mintage::{Format, Limits, Macaroon, VerifyErrorKind};

const INSTALL_HINT: &str = "install the Debian packages libmacaroons-dev and gcc \
     (`apt-get install libmacaroons-dev gcc`, or run scripts/test which installs them)";

/// Exit codes of the peer (see `peer.c`).
const EXIT_VERIFIED: i32 = 0;
const EXIT_NOT_VERIFIED: i32 = 3;

#[path = "interop/common.rs"]
mod common;
use common::*;

// ---- the peer ---------------------------------------------------------------------------

/// Compiles `peer.c` once per test binary and returns the executable's path. Fails the test
/// with an install hint when there is no C compiler, header or library.
fn peer() -> &'static Path {
    static PEER: OnceLock<PathBuf> = OnceLock::new();
    PEER.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/peer.c");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        std::fs::create_dir_all(dir).unwrap();
        // Build under a name of our own, then rename into place: concurrent test runs sharing
        // the target directory never see a half-written executable.
        let building = dir.join(format!("libmacaroons-peer.{}.tmp", std::process::id()));
        let output = Command::new("cc")
            .args(["-std=c99", "-Wall", "-Wextra", "-O1", "-o"])
            .arg(&building)
            .arg(&source)
            .arg("-lmacaroons")
            .output()
            .unwrap_or_else(|e| panic!("cannot run the C compiler `cc`: {e}; {INSTALL_HINT}"));
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let missing = if stderr.contains("macaroons.h") {
                "the header macaroons.h is missing"
            } else if stderr.contains("-lmacaroons") {
                "the library libmacaroons is missing"
            } else {
                "compiling the libmacaroons peer failed"
            };
            panic!(
                "{missing} ({}):\n{stderr}\n{INSTALL_HINT}",
                source.display()
            );
        }
        let peer = dir.join("libmacaroons-peer");
        std::fs::rename(&building, &peer).unwrap();
        peer
    })
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Output {
    let peer = peer();
    let output = Command::new(peer)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL_HINT}", peer.display()));
    Output {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs a peer command that must succeed; returns its output without the last newline.
fn run_ok(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.code,
        Some(0),
        "peer {args:?} failed: {}{}",
        out.stdout,
        out.stderr
    );
    out.stdout.trim_end_matches('\n').to_owned()
}

fn peer_mint(spec: &Spec) -> String {
    let mut args = vec![
        "mint",
        "--format",
        "v1",
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

/// `macaroon_prepare_for_request(root, discharge)`.
fn peer_bind(root: &str, discharge: &str) -> String {
    run_ok(&["bind", "--format", "v1", root, discharge])
}

fn peer_inspect(token: &str) -> String {
    run_ok(&["inspect", token])
}

/// Asks libmacaroons to verify `tokens` (root first, then discharges): `Ok` when verified,
/// `Err(reason)` when rejected (`MACAROON_NOT_AUTHORIZED`). Anything else (a token that does not
/// decode, a crash) fails the test, so a rejection is never mistaken for a decoding error.
fn peer_verify(secret: &str, satisfy: &[&str], tokens: &[&str]) -> Result<(), String> {
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
            "libmacaroons peer verify neither verified nor rejected (exit {code:?}): {}{}",
            out.stdout, out.stderr
        ),
    }
}

// ---- the mintage side -------------------------------------------------------------------

/// Decodes a libmacaroons token, which must be V1.
fn decode(token: &str) -> Macaroon {
    let decoded = Macaroon::decode_with(token, &Limits::default())
        .unwrap_or_else(|e| panic!("mintage cannot decode libmacaroons' token {token}: {e:?}"));
    assert_eq!(decoded.format, Format::V1, "{token}");
    decoded.macaroon
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the peer's `inspect` prints for `m`.
fn describe(m: &Macaroon) -> String {
    [
        format!("location {}", m.location()),
        format!(
            "identifier {}",
            std::str::from_utf8(m.identifier()).unwrap()
        ),
        format!(
            "third-party-caveats {}",
            m.caveats().iter().filter(|c| c.is_third_party()).count()
        ),
        format!("signature {}", hex(m.signature().as_bytes())),
    ]
    .join("\n")
}

/// `predicates` without its last element.
fn all_but_last<'a>(predicates: &[&'a str]) -> Vec<&'a str> {
    predicates[..predicates.len() - 1].to_vec()
}

// ---- first-party caveats ----------------------------------------------------------------

#[test]
fn mintage_first_party_tokens_verify_in_libmacaroons() {
    for spec in &FIRST_PARTY {
        let m = mint(spec);
        let token = m.encode(Format::V1).unwrap();
        let ctx = format!("{} caveats: {token}", spec.caveats.len());
        let predicates = spec.predicates();
        assert_eq!(peer_inspect(&token), describe(&m), "{ctx}");
        peer_verify(ROOT_SECRET, &predicates, &[&token])
            .unwrap_or_else(|e| panic!("libmacaroons rejected {ctx}: {e}"));
        assert!(
            peer_verify(WRONG_SECRET, &predicates, &[&token]).is_err(),
            "libmacaroons accepted a wrong key for {ctx}"
        );
        if !predicates.is_empty() {
            assert!(
                peer_verify(ROOT_SECRET, &all_but_last(&predicates), &[&token]).is_err(),
                "libmacaroons accepted {ctx} with a predicate unmet"
            );
        }
    }
}

#[test]
fn libmacaroons_first_party_tokens_verify_in_mintage() {
    for spec in &FIRST_PARTY {
        let token = peer_mint(spec);
        let ctx = format!("{} caveats: {token}", spec.caveats.len());
        let m = decode(&token);
        // Same inputs, same token, byte for byte: the chain is deterministic without third
        // parties.
        let ours = mint(spec);
        assert_eq!(m, ours, "{ctx}");
        assert_eq!(ours.encode(Format::V1).unwrap(), token, "{ctx}");
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

#[test]
fn empty_location_crosses_both_ways() {
    const NOWHERE: Spec = Spec {
        location: "",
        ..spec("somewhere else", &[Cav::First("account = 1")])
    };
    let token = peer_mint(&NOWHERE);
    assert_eq!(
        mint(&NOWHERE).encode(Format::V1).unwrap(),
        token,
        "libmacaroons writes an empty location packet; so must mintage"
    );
    let m = decode(&token);
    assert_eq!(m, mint(&NOWHERE), "{token}");
    verify(&m, ROOT_SECRET, &["account = 1"], &[]).unwrap();
    peer_verify(ROOT_SECRET, &["account = 1"], &[&token]).unwrap();
}

// ---- a third-party caveat and its bound discharge ---------------------------------------

#[test]
fn mintage_third_party_with_bound_discharge_verifies_in_libmacaroons() {
    let predicates = predicates_3p();
    let root = mint(&ROOT_3P);
    let discharge = mint(&DISCHARGE);
    let bound = root.bind(&discharge);
    let root_t = root.encode(Format::V1).unwrap();
    let bound_t = bound.encode(Format::V1).unwrap();
    let unbound_t = discharge.encode(Format::V1).unwrap();
    let ctx = format!("root {root_t} discharge {bound_t}");

    assert_eq!(peer_inspect(&root_t), describe(&root), "{ctx}");
    peer_verify(ROOT_SECRET, &predicates, &[&root_t, &bound_t])
        .unwrap_or_else(|e| panic!("libmacaroons rejected {ctx}: {e}"));

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

#[test]
fn libmacaroons_third_party_with_bound_discharge_verifies_in_mintage() {
    let predicates = predicates_3p();
    let root_t = peer_mint(&ROOT_3P);
    let unbound_t = peer_mint(&DISCHARGE);
    let bound_t = peer_bind(&root_t, &unbound_t);
    let ctx = format!("root {root_t} discharge {bound_t}");
    let root = decode(&root_t);
    let bound = decode(&bound_t);
    let unbound = decode(&unbound_t);

    assert_eq!(describe(&root), peer_inspect(&root_t), "{ctx}");
    let ids: Vec<&[u8]> = root.caveats().iter().map(|c| c.id()).collect();
    assert_eq!(
        ids,
        [
            &b"account = 3735928559"[..],
            CAVEAT_ID.as_bytes(),
            b"action = deposit"
        ],
        "{ctx}"
    );
    let third = &root.caveats()[1];
    assert_eq!(third.verification_id().unwrap().len(), 72, "{ctx}");
    assert_eq!(third.location(), AUTH_LOCATION, "{ctx}");
    assert_eq!(unbound, mint(&DISCHARGE), "{ctx}");
    assert_eq!(
        unbound.encode(Format::V1).unwrap(),
        unbound_t,
        "byte for byte: {ctx}"
    );
    assert_eq!(
        root.bind(&unbound),
        bound,
        "mintage binds as libmacaroons does: {ctx}"
    );
    assert_eq!(
        bound.encode(Format::V1).unwrap(),
        bound_t,
        "byte for byte: {ctx}"
    );
    assert_eq!(
        root.encode(Format::V1).unwrap(),
        root_t,
        "byte for byte: {ctx}"
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

#[test]
fn discharges_bound_on_one_side_verify_on_the_other() {
    let predicates = predicates_3p();
    // libmacaroons mints root and discharge, mintage binds, libmacaroons verifies.
    let root_t = peer_mint(&ROOT_3P);
    let discharge_t = peer_mint(&DISCHARGE);
    let bound = decode(&root_t).bind(&decode(&discharge_t));
    let bound_t = bound.encode(Format::V1).unwrap();
    peer_verify(ROOT_SECRET, &predicates, &[&root_t, &bound_t])
        .unwrap_or_else(|e| panic!("root {root_t} bound by mintage {bound_t}: {e}"));

    // mintage mints root and discharge, libmacaroons binds, mintage verifies.
    let root = mint(&ROOT_3P);
    let discharge = mint(&DISCHARGE);
    let bound_t = peer_bind(
        &root.encode(Format::V1).unwrap(),
        &discharge.encode(Format::V1).unwrap(),
    );
    let bound = decode(&bound_t);
    assert_eq!(bound, root.bind(&discharge), "{bound_t}");
    verify(&root, ROOT_SECRET, &predicates, &[bound]).unwrap();
}
