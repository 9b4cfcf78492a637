//! Issuer-level minting on the in-memory backend (issue 4): temporary access tokens (no store
//! write) and named invite tokens (one record each), on one thread and on two, beside the
//! core's seed-shaped mint (`core_seed_mint`: mint + one `time < N` caveat + V1 text) so one
//! run gives the ratio the target is stated in. Then verification: the core's typed check of a
//! seed-shaped token beside the issuer's (temporary and named access tokens) and a whole
//! `POST /tokens/verify_access_token` through the API layer.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::executor::block_on;
use mintage::api::{Api, Request};
use mintage::caveat::{Clock, Context, TypedCaveat, TypedVerifier};
use mintage::issuer::{Issuer, IssuerConfig, NamedTokenRequest, TokenIssuer};
use mintage::privilege::{EntityRef, MemoryDirectory, Privilege};
use mintage::store::MemoryStore;
use mintage::token::{InviteType, Subject, TokenType};
use mintage::{Format, Macaroon, RootKey};

const NOW: u64 = 1_700_000_000;

struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> u64 {
        NOW
    }
}

type Bench = Issuer<Arc<MemoryStore>, Arc<MemoryDirectory>>;

fn issuer() -> Bench {
    let dir = Arc::new(MemoryDirectory::new());
    dir.add_user("admin")
        .add_user("alice")
        .add_group("g1")
        .grant(
            &Subject::user("admin"),
            EntityRef::group("g1"),
            &[Privilege::GroupView, Privilege::GroupAddUser],
        );
    // Token ids from the thread's CSPRNG, as the core bench draws identifiers, rather than one
    // `getrandom` system call per token (the default; ~450 ns on this VM).
    Issuer::new(Arc::new(MemoryStore::new()), dir, IssuerConfig::default())
        .with_clock(Fixed)
        .with_random(|bytes| {
            rand::fill(bytes);
            Ok(())
        })
}

fn time_caveat() -> Vec<TypedCaveat> {
    vec![format!("time < {}", NOW + 3600).parse().unwrap()]
}

/// Runs `op` `iters` times split over `threads` threads and returns the wall time.
fn on_threads(threads: u64, iters: u64, op: impl Fn(u64) + Sync) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let op = &op;
            scope.spawn(move || {
                for i in 0..iters / threads {
                    op(t * iters + i);
                }
            });
        }
    });
    start.elapsed()
}

fn bench_issuer(c: &mut Criterion) {
    let issuer = issuer();
    let alice = Subject::user("alice");
    let caveats = time_caveat();
    // Checked once before timing: the minted tokens verify.
    let token =
        block_on(issuer.create_temporary_token(&alice, TokenType::access(), &caveats)).unwrap();
    let ctx = Context::at(NOW);
    assert!(block_on(issuer.verify_access_token(&token, None, &ctx)).is_ok());

    // ... and are the base62 armour of their own V1 text (the fused armouring path).
    let decoded = Macaroon::decode(&token).unwrap();
    assert_eq!(
        mintage::format::base62_armour(&decoded.encode(Format::V1).unwrap()),
        token
    );
    let mut group = c.benchmark_group("issuer_mint");
    group.throughput(Throughput::Elements(1));

    let key = RootKey::new(b"core seed secret");
    let seed_caveat = format!("time < {}", NOW + 3600);
    group.bench_function("core_seed_mint", |b| {
        b.iter(|| {
            let mut raw = [0u8; 32];
            rand::fill(&mut raw);
            let id = base64_id(&raw);
            let mut m = Macaroon::mint(&key, "onezone", id.as_bytes()).unwrap();
            m.add_first_party(&seed_caveat).unwrap();
            black_box(m.encode(Format::V1).unwrap())
        })
    });
    group.bench_function("temporary_access/1_thread", |b| {
        b.iter(|| {
            black_box(
                block_on(issuer.create_temporary_token(&alice, TokenType::access(), &caveats))
                    .unwrap(),
            )
        })
    });
    group.bench_function("temporary_access/2_threads", |b| {
        b.iter_custom(|iters| {
            on_threads(2, iters, |_| {
                black_box(
                    block_on(issuer.create_temporary_token(&alice, TokenType::access(), &caveats))
                        .unwrap(),
                );
            })
        })
    });
    let counter = AtomicU64::new(0);
    let invite = |n: u64| {
        let request = NamedTokenRequest::new(
            Subject::user("admin"),
            format!("invite {n}"),
            TokenType::invite(InviteType::UserJoinGroup, "g1"),
        );
        black_box(block_on(issuer.create_named_token(request)).unwrap());
    };
    group.bench_function("named_invite/1_thread", |b| {
        b.iter(|| invite(counter.fetch_add(1, Ordering::Relaxed)))
    });
    group.bench_function("named_invite/2_threads", |b| {
        b.iter_custom(|iters| {
            let base = counter.fetch_add(iters * 2, Ordering::Relaxed);
            on_threads(2, iters, |n| invite(base + n))
        })
    });
    group.finish();
}

/// Verifying access tokens: the core's typed verification of a seed-shaped token (reference),
/// then through the issuer (temporary: the subject's secret; named: the token's record), then
/// a whole `POST /tokens/verify_access_token` through `Api::handle` (JSON in and out).
fn bench_verify(c: &mut Criterion) {
    let dir = Arc::new(MemoryDirectory::new());
    dir.add_user("alice");
    let issuer = Issuer::new(
        Arc::new(MemoryStore::new()),
        Arc::clone(&dir),
        IssuerConfig::default(),
    )
    .with_clock(Fixed);
    let alice = Subject::user("alice");
    let caveats = time_caveat();
    let temporary =
        block_on(issuer.create_temporary_token(&alice, TokenType::access(), &caveats)).unwrap();
    let named = block_on(
        issuer.create_named_token(
            NamedTokenRequest::new(alice.clone(), "laptop", TokenType::access())
                .with_caveats(caveats.clone()),
        ),
    )
    .unwrap()
    .info
    .token;
    let ctx = Context::at(NOW);

    let key = RootKey::new(b"core seed secret");
    let mut core = Macaroon::mint(
        &key,
        "onezone",
        b"seed-shaped identifier, 43 characters long",
    )
    .unwrap();
    core.add_first_party(format!("time < {}", NOW + 3600))
        .unwrap();
    let core_text = core.encode(Format::V1).unwrap();
    assert!(TypedVerifier::new().verify(&core, &key, &[], &ctx).is_ok());

    let api = Api::new(issuer, dir).with_clock(Fixed);
    let body = serde_json::json!({ "token": temporary }).to_string();
    let request = Request::new("POST", "/tokens/verify_access_token").with_body(body.as_bytes());
    assert_eq!(block_on(api.handle(&request)).status, 200);

    let mut group = c.benchmark_group("issuer_verify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("core_typed_verify", |b| {
        b.iter(|| {
            let m = Macaroon::decode(&core_text).unwrap();
            black_box(TypedVerifier::new().verify(&m, &key, &[], &ctx).is_ok())
        })
    });
    group.bench_function("temporary_access", |b| {
        b.iter(|| {
            black_box(block_on(api.issuer().verify_access_token(&temporary, None, &ctx)).unwrap())
        })
    });
    group.bench_function("named_access", |b| {
        b.iter(|| {
            black_box(block_on(api.issuer().verify_access_token(&named, None, &ctx)).unwrap())
        })
    });
    group.bench_function("api_verify_access_token", |b| {
        b.iter(|| black_box(block_on(api.handle(&request))))
    });
    group.finish();
}

/// The named-token paths on `SqliteStore` (in memory, so the figures show the store's own
/// cost, not a disk's): minting a named invite (one row each) and verifying a named access
/// token (one row read). Needs `--features sqlite`; PostgreSQL needs a server and is left out.
fn bench_sqlite(c: &mut Criterion) {
    #[cfg(feature = "sqlite")]
    {
        use mintage::store::SqliteStore;

        let dir = Arc::new(MemoryDirectory::new());
        dir.add_user("admin").add_group("g1").grant(
            &Subject::user("admin"),
            EntityRef::group("g1"),
            &[Privilege::GroupAddUser],
        );
        let store = SqliteStore::open_in_memory().unwrap();
        let issuer = Issuer::new(store, dir, IssuerConfig::default())
            .with_clock(Fixed)
            .with_random(|bytes| {
                rand::fill(bytes);
                Ok(())
            });
        let admin = Subject::user("admin");
        let named = block_on(
            issuer.create_named_token(
                NamedTokenRequest::new(admin.clone(), "laptop", TokenType::access())
                    .with_caveats(time_caveat()),
            ),
        )
        .unwrap()
        .info
        .token;
        let ctx = Context::at(NOW);
        assert!(block_on(issuer.verify_access_token(&named, None, &ctx)).is_ok());

        let mut group = c.benchmark_group("issuer_sqlite");
        group.throughput(Throughput::Elements(1));
        let counter = AtomicU64::new(0);
        group.bench_function("named_invite", |b| {
            b.iter(|| {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let request = NamedTokenRequest::new(
                    admin.clone(),
                    format!("invite {n}"),
                    TokenType::invite(InviteType::UserJoinGroup, "g1"),
                );
                black_box(block_on(issuer.create_named_token(request)).unwrap())
            })
        });
        group.bench_function("verify_named_access", |b| {
            b.iter(|| black_box(block_on(issuer.verify_access_token(&named, None, &ctx)).unwrap()))
        });
        group.finish();
    }
    #[cfg(not(feature = "sqlite"))]
    let _ = c;
}

fn base64_id(raw: &[u8; 32]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

criterion_group!(benches, bench_issuer, bench_verify, bench_sqlite);
criterion_main!(benches);
