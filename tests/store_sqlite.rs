//! `SqliteStore` against the conformance suite, in memory and in files: each area, the whole
//! suite, threads racing over invite uses (through one store and through two stores on one
//! file), reopening a file, and the issuer's seed flow on top.

#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/invite_flow.rs"]
mod invite_flow;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use futures::executor::block_on;
use mintage::RootKey;
use mintage::privilege::Privilege;
use mintage::store::conformance::{self, InviteRace};
use mintage::store::{NamedTokenRecord, SqliteStore, TokenStore, UseOutcome};
use mintage::token::{Generation, InviteType, Subject, TokenType};
use serde_json::json;

/// A fresh directory under the system's temporary directory, removed (with every database in
/// it) when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("mintage-sqlite-{}-{nanos}-{n}", std::process::id()));
        std::fs::create_dir(&dir).unwrap();
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// A store on a new database file in this directory.
    fn fresh_store(&self) -> SqliteStore {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        SqliteStore::open(self.0.join(format!("store-{n}.sqlite"))).unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn in_memory() -> SqliteStore {
    SqliteStore::open_in_memory().unwrap()
}

/// One test per conformance area, so a failure names its area.
mod area {
    use super::*;

    mintage::store_conformance_tests!(block_on, in_memory());
}

#[test]
fn sqlite_in_memory_passes_the_whole_suite() {
    block_on(conformance::run_all(in_memory));
    block_on(conformance::run_all(|| Arc::new(in_memory())));
}

#[test]
fn sqlite_file_passes_the_whole_suite() {
    let dir = TempDir::new();
    block_on(conformance::run_all(|| dir.fresh_store()));
    let path = dir.path().to_owned();
    drop(dir);
    assert!(!path.exists(), "the temporary directory is cleaned up");
}

/// Runs `attempt` `per_thread` times on each of `threads` threads (thread `t` using store
/// `t % stores.len()`) and gathers the outcomes.
fn race(
    stores: &[Arc<SqliteStore>],
    threads: usize,
    per_thread: usize,
    attempt: impl Fn(&SqliteStore) -> UseOutcome + Send + Sync + 'static,
) -> Vec<UseOutcome> {
    let attempt = Arc::new(attempt);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let attempt = Arc::clone(&attempt);
            let store = Arc::clone(&stores[t % stores.len()]);
            thread::spawn(move || (0..per_thread).map(|_| attempt(&store)).collect::<Vec<_>>())
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect()
}

/// Races invite uses from 8 threads over `stores` (all on one database).
fn uses_admit_exactly_the_limit(stores: &[Arc<SqliteStore>], cases: &[(usize, usize, u64)]) {
    for &(threads, per_thread, limit) in cases {
        let race_ = Arc::new(block_on(InviteRace::prepare(&*stores[0], limit)));
        let outcomes = {
            let race_ = Arc::clone(&race_);
            race(stores, threads, per_thread, move |store| {
                block_on(race_.attempt(store))
            })
        };
        assert_eq!(outcomes.len(), threads * per_thread);
        block_on(race_.check(&*stores[0], &outcomes));
    }
}

#[test]
fn sqlite_concurrent_uses_admit_exactly_the_limit() {
    let store = Arc::new(in_memory());
    uses_admit_exactly_the_limit(
        &[store],
        &[(8, 25, 37), (8, 25, 1), (4, 10, 1000), (8, 5, 0)],
    );
}

#[test]
fn sqlite_two_connections_on_one_file_admit_exactly_the_limit() {
    let dir = TempDir::new();
    let path = dir.path().join("shared.sqlite");
    let stores = [
        Arc::new(SqliteStore::open(&path).unwrap()),
        Arc::new(SqliteStore::open(&path).unwrap()),
    ];
    uses_admit_exactly_the_limit(&stores, &[(6, 10, 17), (4, 5, 1)]);
}

#[test]
fn sqlite_concurrent_use_and_release_never_passes_the_limit() {
    let store = Arc::new(in_memory());
    let race_ = Arc::new(block_on(InviteRace::prepare(&*store, 3)));
    let outcomes = {
        let race_ = Arc::clone(&race_);
        race(&[Arc::clone(&store)], 8, 100, move |store| {
            block_on(race_.attempt_then_release(store))
        })
    };
    block_on(race_.check_released(&*store, &outcomes));
    let outcomes: Vec<_> = (0..4).map(|_| block_on(race_.attempt(&*store))).collect();
    block_on(race_.check(&*store, &outcomes));
}

#[test]
fn sqlite_concurrent_first_temporary_secret_is_one_secret() {
    let dir = TempDir::new();
    let path = dir.path().join("shared.sqlite");
    let stores = [
        Arc::new(SqliteStore::open(&path).unwrap()),
        Arc::new(SqliteStore::open(&path).unwrap()),
    ];
    let alice = Subject::user("alice");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let (store, alice) = (Arc::clone(&stores[t % 2]), alice.clone());
            thread::spawn(move || block_on(store.temporary_secret(&alice)).unwrap())
        })
        .collect();
    let secrets: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let (generation, first) = &secrets[0];
    assert_eq!(*generation, Generation::FIRST);
    assert!(
        secrets.iter().all(|(g, s)| g == generation && s == first),
        "racing first calls must all get the one stored secret"
    );
}

#[test]
fn sqlite_records_and_generations_survive_reopening() {
    let dir = TempDir::new();
    let path = dir.path().join("reopen.sqlite");
    let alice = Subject::user("alice");
    let record = NamedTokenRecord::new(
        "id-1",
        "invite",
        alice.clone(),
        TokenType::invite(InviteType::UserJoinGroup, "g1"),
        RootKey::from_derived([9; 32]),
        1_700_000_000,
    )
    .with_caveats(vec!["time < 1800000000".into()])
    .with_custom_metadata(json!({"note": "kept"}))
    .with_usage_limit(Some(3))
    .with_privileges(Some(vec![Privilege::GroupView]));
    let (generation, secret) = {
        let store = SqliteStore::open(&path).unwrap();
        block_on(store.create_named_token(record.clone())).unwrap();
        assert_eq!(
            block_on(store.try_use_invite("id-1")).unwrap(),
            UseOutcome::Used { count: 1 }
        );
        block_on(store.temporary_secret(&alice)).unwrap();
        let generation = block_on(store.revoke_temporary(&alice)).unwrap();
        let (_, secret) = block_on(store.temporary_secret(&alice)).unwrap();
        (generation, secret)
    };
    assert_eq!(generation, Generation::new(2));

    let store = SqliteStore::open(&path).unwrap();
    let stored = block_on(store.named_token("id-1")).unwrap().unwrap();
    assert_eq!(stored.name(), "invite");
    assert_eq!(stored.subject(), &alice);
    assert_eq!(stored.token_type(), record.token_type());
    assert_eq!(stored.secret(), record.secret());
    assert_eq!(stored.caveats(), record.caveats());
    assert_eq!(stored.custom_metadata(), record.custom_metadata());
    assert_eq!(stored.usage_limit(), Some(3));
    assert_eq!(stored.usage_count(), 1);
    assert_eq!(stored.privileges(), Some(&[Privilege::GroupView][..]));
    assert_eq!(
        block_on(store.temporary_secret_if_exists(&alice)).unwrap(),
        Some((generation, secret))
    );
    assert_eq!(
        block_on(store.revoke_temporary(&alice)).unwrap(),
        Generation::new(3),
        "generations go on after reopening"
    );
}

#[test]
fn sqlite_issuer_seed_flow_counts_invite_uses() {
    invite_flow::invite_used_once(Arc::new(in_memory()));
}
