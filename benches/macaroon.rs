//! mintage beside the `macaroon` 0.3 and `libmacaroon` 0.3 crates, in the same Criterion groups
//! so one run shows the ratios. See `BENCHMARKS.md` for the method and the figures.
//!
//! Groups (function = library, parameter = case):
//! * `mint`: the seed-shaped token (location `onezone`, fresh 43-char base64url identifier from
//!   32 random bytes, `time < N` caveats, V1 text) with 0, 1 and 10 caveats. The root key is
//!   built once outside the loop; the identifier is generated inside it, identically for all
//!   three. `mint/identifier_only` times that identifier generation alone.
//! * `encode` / `decode`: the seed-shaped token with one caveat, per format, as text.
//! * `verify`: 0, 1, 10 and 100 first-party caveats, and `3p` (one first-party caveat, one
//!   third-party caveat and its bound discharge). The verifier is built inside the timed part,
//!   as per request, the same way for all three (one `satisfy_exact` per predicate).
//!
//! Before anything is timed, every case is checked once: each library's output verifies (under
//! its own verifier and under mintage's), wrong keys are rejected, and the published
//! libmacaroons vectors come out of all three crates' key handling.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::hint::black_box;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use libmacaroon as lm;
use macaroon as mc;
use mintage::{Format, Macaroon, RootKey, Verifier};

/// The root secret every library derives its key from (libmacaroons' README secret).
const SECRET: &[u8] = b"this is our super secret key; only we should know it";
/// The third party's shared secret for the `3p` case.
const THIRD_SECRET: &[u8] = b"4; guaranteed random by a fair toss of the dice";
const THIRD_LOCATION: &str = "https://auth.onedata.example";
const THIRD_CID: &[u8] = b"this was how we remind auth of key/pred";
/// The seed token's identifier and caveat (spec §9), for the fixed tokens.
const SEED_ID: &[u8] = b"8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk";
const SEED_TIME: u64 = 1_496_140_144;

// ---------------------------------------------------------------------------------------------
// Shared inputs

/// A fresh identifier as Onezone makes them: 32 random bytes as 43 chars of unpadded base64url.
/// Stack only, so it costs the same whichever library consumes it. The bytes come from the
/// thread's ChaCha12 CSPRNG (seeded from the OS), as a server minting at volume would draw
/// them, rather than from one `getrandom` system call per token (~450 ns on this VM).
fn fresh_identifier() -> [u8; 43] {
    let mut raw = [0u8; 32];
    rand::fill(&mut raw);
    let mut id = [0u8; 43];
    let n = URL_SAFE_NO_PAD
        .encode_slice(raw, &mut id)
        .expect("43 bytes fit");
    assert_eq!(n, 43);
    id
}

/// `n` distinct `time < N` predicates; the first is the seed token's.
fn predicates(n: usize) -> Vec<String> {
    (0..n as u64)
        .map(|i| format!("time < {}", SEED_TIME + i))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// The mint routine, once per library: identical steps.

fn mint_mintage(key: &RootKey, preds: &[String]) -> String {
    let id = fresh_identifier();
    let mut m = Macaroon::mint(key, "onezone", id).unwrap();
    for p in preds {
        m.add_first_party(p).unwrap();
    }
    m.encode(Format::V1).unwrap()
}

fn mint_macaroon(key: &mc::MacaroonKey, preds: &[String]) -> String {
    let id = fresh_identifier();
    let mut m = mc::Macaroon::create(
        Some("onezone".to_owned()),
        key,
        mc::ByteString::from(&id[..]),
    )
    .unwrap();
    for p in preds {
        m.add_first_party_caveat(p.as_str().into());
    }
    m.serialize(mc::Format::V1).unwrap()
}

fn mint_libmacaroon(key: &lm::MacaroonKey, preds: &[String]) -> String {
    let id = fresh_identifier();
    let mut m = lm::Macaroon::create(Some("onezone"), key, id).unwrap();
    for p in preds {
        m.add_first_party_caveat(p).unwrap();
    }
    m.serialize(lm::Format::V1).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Fixed tokens built once per library (for encode, decode, verify).

fn seed_mintage(key: &RootKey, preds: &[String]) -> Macaroon {
    let mut m = Macaroon::mint(key, "onezone", SEED_ID).unwrap();
    for p in preds {
        m.add_first_party(p).unwrap();
    }
    m
}

fn seed_macaroon(key: &mc::MacaroonKey, preds: &[String]) -> mc::Macaroon {
    let mut m = mc::Macaroon::create(Some("onezone".to_owned()), key, SEED_ID.into()).unwrap();
    for p in preds {
        m.add_first_party_caveat(p.as_str().into());
    }
    m
}

fn seed_libmacaroon(key: &lm::MacaroonKey, preds: &[String]) -> lm::Macaroon {
    let mut m = lm::Macaroon::create(Some("onezone"), key, SEED_ID).unwrap();
    for p in preds {
        m.add_first_party_caveat(p).unwrap();
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The per-request verify routine, once per library: build the verifier, then verify.

fn verify_mintage(m: &Macaroon, key: &RootKey, preds: &[String], discharges: &[Macaroon]) -> bool {
    let mut v = Verifier::new();
    for p in preds {
        v = v.satisfy_exact(p);
    }
    v.verify(m, key, discharges).is_ok()
}

fn verify_macaroon(
    m: &mc::Macaroon,
    key: &mc::MacaroonKey,
    preds: &[String],
    discharges: Vec<mc::Macaroon>,
) -> bool {
    let mut v = mc::Verifier::default();
    for p in preds {
        v.satisfy_exact(p.as_str().into());
    }
    v.verify(m, key, discharges).is_ok()
}

fn verify_libmacaroon(
    m: &lm::Macaroon,
    key: &lm::MacaroonKey,
    preds: &[String],
    discharges: &[lm::Macaroon],
) -> bool {
    let mut v = lm::Verifier::default();
    for p in preds {
        v.satisfy_exact(p);
    }
    v.verify(m, key, discharges).is_ok()
}

// ---------------------------------------------------------------------------------------------
// Checks run once before timing.

/// The published libmacaroons vectors (spec §10.2) from each crate's key handling: the peers
/// need `MacaroonKey::generate(secret)` to apply libmacaroons' `HMAC(KEYGEN, secret)`.
fn check_published_vectors() {
    const ROOT_SIG: &str = "e3d9e02908526c4c0039ae15114115d97fdd68bf2ba379b342aaf0f617d0552f";
    const DISCHARGE_SIG: &str = "2ed1049876e9d5840950274b579b0770317df54d338d9d3039c7c67d0d91d63c";
    const ROOT2_SIG: &str = "d27db2fd1f22760e4c3dae8137e2d8fc1df6c0741c18aed4b97256bf78d1f55c";
    const BOUND_SIG: &str = "d115ef1c133b1126978d5ab27f69d99ba9d0468cd6c1b7e47b8c1c59019cb019";

    let ours = Macaroon::mint(
        &RootKey::new(SECRET),
        "http://mybank/",
        "we used our secret key",
    )
    .unwrap();
    assert_eq!(hex(ours.signature().as_bytes()), ROOT_SIG);

    let k = mc::MacaroonKey::generate(SECRET);
    let theirs = mc::Macaroon::create(
        Some("http://mybank/".to_owned()),
        &k,
        "we used our secret key".into(),
    )
    .unwrap();
    assert_eq!(
        hex(&theirs.signature()),
        ROOT_SIG,
        "macaroon: generate() derivation"
    );

    let k = lm::MacaroonKey::generate(SECRET);
    let theirs =
        lm::Macaroon::create(Some("http://mybank/"), &k, "we used our secret key").unwrap();
    let sig: &[u8; 32] = theirs.signature().as_ref();
    assert_eq!(hex(sig), ROOT_SIG, "libmacaroon: generate() derivation");
    // Without `generate`, the secret is not derived: a 32-byte secret passed through `From` is
    // used as the HMAC key itself and yields a different, non-libmacaroons signature.
    let raw32: [u8; 32] = SECRET[..32].try_into().unwrap();
    let raw = lm::Macaroon::create(None, &lm::MacaroonKey::from(raw32), "x").unwrap();
    let derived = lm::Macaroon::create(None, &lm::MacaroonKey::generate(&raw32), "x").unwrap();
    assert_ne!(raw.signature(), derived.signature());

    // libmacaroons README second example: a zero-nonce third-party caveat (mintage's hazmat
    // reproduces it), its discharge and the bound discharge, bound by each peer.
    let key2 =
        RootKey::new(b"this is a different super-secret key; never use the same secret twice");
    let mut root2 =
        Macaroon::mint(&key2, "http://mybank/", "we used our other secret key").unwrap();
    root2.add_first_party("account = 3735928559").unwrap();
    mintage::hazmat::add_third_party_with_nonce(
        &mut root2,
        "http://auth.mybank/",
        &RootKey::new(THIRD_SECRET),
        THIRD_CID,
        &[0; 24],
    )
    .unwrap();
    assert_eq!(hex(root2.signature().as_bytes()), ROOT2_SIG);
    let root2_v1 = root2.encode(Format::V1).unwrap();

    let dk = lm::MacaroonKey::generate(THIRD_SECRET);
    let mut d = lm::Macaroon::create(Some("http://auth.mybank/"), &dk, THIRD_CID).unwrap();
    d.add_first_party_caveat("time < 2020-01-01T00:00").unwrap();
    let sig: &[u8; 32] = d.signature().as_ref();
    assert_eq!(hex(sig), DISCHARGE_SIG, "libmacaroon: discharge");
    let lm_root2 = lm::Macaroon::deserialize(&root2_v1).unwrap();
    lm_root2.bind(&mut d);
    let sig: &[u8; 32] = d.signature().as_ref();
    assert_eq!(hex(sig), BOUND_SIG, "libmacaroon: bind");
    let mut v = lm::Verifier::default();
    v.satisfy_exact("account = 3735928559");
    v.satisfy_exact("time < 2020-01-01T00:00");
    v.verify(
        &lm_root2,
        &lm::MacaroonKey::generate(
            b"this is a different super-secret key; never use the same secret twice",
        ),
        &[d],
    )
    .expect("libmacaroon verifies the libmacaroons README example");

    let dk = mc::MacaroonKey::generate(THIRD_SECRET);
    let mut d = mc::Macaroon::create(
        Some("http://auth.mybank/".to_owned()),
        &dk,
        THIRD_CID.into(),
    )
    .unwrap();
    d.add_first_party_caveat("time < 2020-01-01T00:00".into());
    assert_eq!(hex(&d.signature()), DISCHARGE_SIG, "macaroon: discharge");
    let mc_root2 = mc::Macaroon::deserialize(&root2_v1).unwrap();
    mc_root2.bind(&mut d);
    assert_eq!(hex(&d.signature()), BOUND_SIG, "macaroon: bind");
}

/// Mintage's verdict on a V1 text token (and V1 text discharges) minted by any library.
fn mintage_accepts(token: &str, discharges: &[String], preds: &[String]) -> Macaroon {
    let m = Macaroon::decode(token).unwrap();
    let ds: Vec<Macaroon> = discharges
        .iter()
        .map(|d| Macaroon::decode(d).unwrap())
        .collect();
    assert!(verify_mintage(&m, &RootKey::new(SECRET), preds, &ds));
    assert!(!verify_mintage(&m, &RootKey::new(b"wrong"), preds, &ds));
    if !preds.is_empty() {
        assert!(!verify_mintage(&m, &RootKey::new(SECRET), &preds[1..], &ds));
    }
    m
}

fn check_mint(preds: &[String], key: &RootKey, mc_key: &mc::MacaroonKey, lm_key: &lm::MacaroonKey) {
    for token in [
        mint_mintage(key, preds),
        mint_macaroon(mc_key, preds),
        mint_libmacaroon(lm_key, preds),
    ] {
        let m = mintage_accepts(&token, &[], preds);
        assert_eq!(m.location(), "onezone");
        assert_eq!(m.identifier().len(), 43);
        assert_eq!(m.caveats().len(), preds.len());
    }
    // Same identifier ⇒ byte-identical V1 (peers add base64 padding).
    let (a, b, c) = (
        seed_mintage(key, preds).encode(Format::V1).unwrap(),
        seed_macaroon(mc_key, preds)
            .serialize(mc::Format::V1)
            .unwrap(),
        seed_libmacaroon(lm_key, preds)
            .serialize(lm::Format::V1)
            .unwrap(),
    );
    assert_eq!(a, b.trim_end_matches('='));
    assert_eq!(a, c.trim_end_matches('='));
    if preds.len() == 1 {
        let raw = URL_SAFE_NO_PAD.decode(&a).unwrap();
        // The four packets of spec §9's table: 0x15 + 0x3b + 0x1a + 0x2f bytes.
        assert_eq!(
            raw.len(),
            0x15 + 0x3b + 0x1a + 0x2f,
            "seed token shape (spec §9)"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Groups

fn bench_mint(c: &mut Criterion) {
    setup();
    let key = RootKey::new(SECRET);
    let mc_key = mc::MacaroonKey::generate(SECRET);
    let lm_key = lm::MacaroonKey::generate(SECRET);

    let mut g = c.benchmark_group("mint");
    g.bench_function("identifier_only", |b| b.iter(fresh_identifier));
    for n in [0usize, 1, 10] {
        let preds = predicates(n);
        check_mint(&preds, &key, &mc_key, &lm_key);
        g.bench_with_input(BenchmarkId::new("mintage", n), &preds, |b, p| {
            b.iter(|| mint_mintage(&key, p));
        });
        g.bench_with_input(BenchmarkId::new("macaroon", n), &preds, |b, p| {
            b.iter(|| mint_macaroon(&mc_key, p));
        });
        g.bench_with_input(BenchmarkId::new("libmacaroon", n), &preds, |b, p| {
            b.iter(|| mint_libmacaroon(&lm_key, p));
        });
    }
    g.finish();
}

const FORMATS: [(&str, Format); 4] = [
    ("V1", Format::V1),
    ("V2", Format::V2),
    ("V2Json", Format::V2Json),
    ("V1Json", Format::V1Json),
];

/// The peers' format enums are not `Copy`; these make a fresh value per call (free).
fn mc_format(f: Format) -> Option<mc::Format> {
    match f {
        Format::V1 => Some(mc::Format::V1),
        Format::V2 => Some(mc::Format::V2),
        Format::V2Json => Some(mc::Format::V2JSON),
        _ => None,
    }
}

fn lm_format(f: Format) -> Option<lm::Format> {
    match f {
        Format::V1 => Some(lm::Format::V1),
        Format::V2 => Some(lm::Format::V2),
        Format::V2Json => Some(lm::Format::V2JSON),
        _ => None,
    }
}

fn bench_encode(c: &mut Criterion) {
    setup();
    let preds = predicates(1);
    let m = seed_mintage(&RootKey::new(SECRET), &preds);
    let mc_m = seed_macaroon(&mc::MacaroonKey::generate(SECRET), &preds);
    let lm_m = seed_libmacaroon(&lm::MacaroonKey::generate(SECRET), &preds);

    let mut g = c.benchmark_group("encode");
    for (name, f) in FORMATS {
        let text = m.encode(f).unwrap();
        assert_eq!(Macaroon::decode(&text).unwrap(), m);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(BenchmarkId::new("mintage", name), |b| {
            b.iter(|| black_box(&m).encode(f).unwrap());
        });
        if let Some(mc_f) = mc_format(f) {
            let text = mc_m.serialize(mc_f).unwrap();
            assert_eq!(mc::Macaroon::deserialize(&text).unwrap(), mc_m);
            assert_eq!(
                Macaroon::decode(&text).unwrap(),
                m,
                "mintage reads macaroon's {name}"
            );
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(BenchmarkId::new("macaroon", name), |b| {
                b.iter(|| black_box(&mc_m).serialize(mc_format(f).unwrap()).unwrap());
            });
        }
        if let Some(lm_f) = lm_format(f) {
            let text = lm_m.serialize(lm_f).unwrap();
            assert_eq!(lm::Macaroon::deserialize(&text).unwrap(), lm_m);
            assert_eq!(
                Macaroon::decode(&text).unwrap(),
                m,
                "mintage reads libmacaroon's {name}"
            );
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(BenchmarkId::new("libmacaroon", name), |b| {
                b.iter(|| black_box(&lm_m).serialize(lm_format(f).unwrap()).unwrap());
            });
        }
    }
    g.finish();
}

fn bench_decode(c: &mut Criterion) {
    setup();
    let preds = predicates(1);
    let m = seed_mintage(&RootKey::new(SECRET), &preds);
    let mc_m = seed_macaroon(&mc::MacaroonKey::generate(SECRET), &preds);
    let lm_m = seed_libmacaroon(&lm::MacaroonKey::generate(SECRET), &preds);

    // Each library decodes the text it wrote itself (the texts differ at most in padding and
    // JSON layout); throughput is that text's length.
    let mut g = c.benchmark_group("decode");
    for (name, f) in FORMATS {
        let text = m.encode(f).unwrap();
        assert_eq!(Macaroon::decode(&text).unwrap(), m);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(BenchmarkId::new("mintage", name), |b| {
            b.iter(|| Macaroon::decode(black_box(text.as_str())).unwrap());
        });
        if let Some(mc_f) = mc_format(f) {
            let text = mc_m.serialize(mc_f).unwrap();
            assert_eq!(mc::Macaroon::deserialize(&text).unwrap(), mc_m);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(BenchmarkId::new("macaroon", name), |b| {
                b.iter(|| mc::Macaroon::deserialize(black_box(text.as_str())).unwrap());
            });
        }
        if let Some(lm_f) = lm_format(f) {
            let text = lm_m.serialize(lm_f).unwrap();
            assert_eq!(lm::Macaroon::deserialize(&text).unwrap(), lm_m);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(BenchmarkId::new("libmacaroon", name), |b| {
                b.iter(|| lm::Macaroon::deserialize(black_box(text.as_str())).unwrap());
            });
        }
    }
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    setup();
    let key = RootKey::new(SECRET);
    let mc_key = mc::MacaroonKey::generate(SECRET);
    let lm_key = lm::MacaroonKey::generate(SECRET);

    let mut g = c.benchmark_group("verify");
    for n in [0usize, 1, 10, 100] {
        let preds = predicates(n);
        let m = seed_mintage(&key, &preds);
        let mc_m = seed_macaroon(&mc_key, &preds);
        let lm_m = seed_libmacaroon(&lm_key, &preds);

        // Each verifies once, and fails without the key or a predicate.
        mintage_accepts(&m.encode(Format::V1).unwrap(), &[], &preds);
        assert!(verify_macaroon(&mc_m, &mc_key, &preds, Vec::new()));
        assert!(!verify_macaroon(
            &mc_m,
            &mc::MacaroonKey::generate(b"wrong"),
            &preds,
            Vec::new()
        ));
        assert!(verify_libmacaroon(&lm_m, &lm_key, &preds, &[]));
        assert!(!verify_libmacaroon(
            &lm_m,
            &lm::MacaroonKey::generate(b"wrong"),
            &preds,
            &[]
        ));
        if n > 0 {
            assert!(!verify_macaroon(&mc_m, &mc_key, &preds[1..], Vec::new()));
            assert!(!verify_libmacaroon(&lm_m, &lm_key, &preds[1..], &[]));
        }

        g.bench_with_input(BenchmarkId::new("mintage", n), &preds, |b, p| {
            b.iter(|| assert!(verify_mintage(black_box(&m), &key, p, &[])));
        });
        g.bench_with_input(BenchmarkId::new("macaroon", n), &preds, |b, p| {
            b.iter(|| assert!(verify_macaroon(black_box(&mc_m), &mc_key, p, Vec::new())));
        });
        g.bench_with_input(BenchmarkId::new("libmacaroon", n), &preds, |b, p| {
            b.iter(|| assert!(verify_libmacaroon(black_box(&lm_m), &lm_key, p, &[])));
        });
    }

    // `3p`: the seed-shaped token plus one third-party caveat, and the discharge (itself with
    // the same `time < N` caveat) bound to it.
    let preds = predicates(1);

    let third = RootKey::new(THIRD_SECRET);
    let mut m = seed_mintage(&key, &preds);
    m.add_third_party(THIRD_LOCATION, &third, THIRD_CID)
        .unwrap();
    let d = seed_discharge_mintage(&third, &preds);
    let bound = [m.bind(&d)];

    let mc_third = mc::MacaroonKey::generate(THIRD_SECRET);
    let mut mc_m = seed_macaroon(&mc_key, &preds);
    mc_m.add_third_party_caveat(THIRD_LOCATION, &mc_third, THIRD_CID.into());
    let mut mc_d =
        mc::Macaroon::create(Some(THIRD_LOCATION.to_owned()), &mc_third, THIRD_CID.into()).unwrap();
    mc_d.add_first_party_caveat(preds[0].as_str().into());
    mc_m.bind(&mut mc_d);

    let lm_third = lm::MacaroonKey::generate(THIRD_SECRET);
    let mut lm_m = seed_libmacaroon(&lm_key, &preds);
    lm_m.add_third_party_caveat(THIRD_LOCATION, &lm_third, THIRD_CID)
        .unwrap();
    let mut lm_d = lm::Macaroon::create(Some(THIRD_LOCATION), &lm_third, THIRD_CID).unwrap();
    lm_d.add_first_party_caveat(&preds[0]).unwrap();
    lm_m.bind(&mut lm_d);
    let lm_bound = [lm_d];

    // Every library's 3p token verifies under its own verifier and under mintage's (so the
    // peers' caveat-key handling matches libmacaroons' derivation), and fails when unbound.
    let v1 = |s: Result<String, mintage::BuildError>| s.unwrap();
    mintage_accepts(
        &v1(m.encode(Format::V1)),
        &[v1(bound[0].encode(Format::V1))],
        &preds,
    );
    mintage_accepts(
        &mc_m.serialize(mc::Format::V1).unwrap(),
        &[mc_d.serialize(mc::Format::V1).unwrap()],
        &preds,
    );
    mintage_accepts(
        &lm_m.serialize(lm::Format::V1).unwrap(),
        &[lm_bound[0].serialize(lm::Format::V1).unwrap()],
        &preds,
    );
    assert!(!verify_mintage(&m, &key, &preds, std::slice::from_ref(&d)));
    assert!(verify_macaroon(&mc_m, &mc_key, &preds, vec![mc_d.clone()]));
    assert!(!verify_macaroon(&mc_m, &mc_key, &preds, Vec::new()));
    assert!(verify_libmacaroon(&lm_m, &lm_key, &preds, &lm_bound));
    assert!(!verify_libmacaroon(&lm_m, &lm_key, &preds, &[]));

    g.bench_function(BenchmarkId::new("mintage", "3p"), |b| {
        b.iter(|| assert!(verify_mintage(black_box(&m), &key, &preds, &bound)));
    });
    // `macaroon` takes the discharges by value: the clone that hands them over is setup.
    g.bench_function(BenchmarkId::new("macaroon", "3p"), |b| {
        b.iter_batched(
            || vec![mc_d.clone()],
            |ds| assert!(verify_macaroon(black_box(&mc_m), &mc_key, &preds, ds)),
            BatchSize::SmallInput,
        );
    });
    g.bench_function(BenchmarkId::new("libmacaroon", "3p"), |b| {
        b.iter(|| {
            assert!(verify_libmacaroon(
                black_box(&lm_m),
                &lm_key,
                &preds,
                &lm_bound
            ))
        });
    });
    g.finish();
}

fn seed_discharge_mintage(third: &RootKey, preds: &[String]) -> Macaroon {
    let mut d = Macaroon::mint(third, THIRD_LOCATION, THIRD_CID).unwrap();
    for p in preds {
        d.add_first_party(p).unwrap();
    }
    d
}

/// Once per process, before any group: libsodium (behind `macaroon`) wants initialising, and
/// the published vectors must come out of all three crates.
/// Issue 3's figure: the seed-shaped token's `time < N` caveat checked as a typed caveat
/// against a request context, beside the same token checked as a plain exact predicate and
/// through a general closure that parses the time itself. The verifier is built per request.
fn bench_verify_typed(c: &mut Criterion) {
    use mintage::caveat::{Context, TypedVerifier};
    let key = RootKey::new(SECRET);
    let preds = predicates(1);
    let m = seed_mintage(&key, &preds);
    let now = SEED_TIME - 60;
    let context = Context::at(now);
    assert!(TypedVerifier::new().verify(&m, &key, &[], &context).is_ok());
    assert!(
        TypedVerifier::new()
            .verify(&m, &key, &[], &Context::at(SEED_TIME))
            .is_err()
    );
    let mut group = c.benchmark_group("verify_typed");
    group.bench_function("plain_exact", |b| {
        b.iter(|| {
            let v = Verifier::new().satisfy_exact(&preds[0]);
            black_box(v.verify(black_box(&m), &key, &[]).is_ok())
        })
    });
    group.bench_function("plain_closure", |b| {
        b.iter(|| {
            let v = Verifier::new().satisfy_general(|c| {
                std::str::from_utf8(c)
                    .ok()
                    .and_then(|c| c.strip_prefix("time < "))
                    .and_then(|t| t.parse::<u64>().ok())
                    .is_some_and(|t| now < t)
            });
            black_box(v.verify(black_box(&m), &key, &[]).is_ok())
        })
    });
    group.bench_function("typed_context", |b| {
        b.iter(|| {
            let context = Context::at(black_box(now));
            black_box(
                TypedVerifier::new()
                    .verify(black_box(&m), &key, &[], &context)
                    .is_ok(),
            )
        })
    });
    group.finish();
}

fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        mc::initialize().expect("libsodium init");
        check_published_vectors();
    });
}

criterion_group!(
    benches,
    bench_mint,
    bench_encode,
    bench_decode,
    bench_verify,
    bench_verify_typed
);
criterion_main!(benches);
