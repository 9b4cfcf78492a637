//! `PostgresStore` against the conformance suite on a real server: each area, the whole suite,
//! races between several connections (invite uses, first temporary secrets, revocations, name
//! uniqueness), corrupt rows, and the issuer's seed flow on top.
//!
//! The server comes from the connection string in `MINTAGE_TEST_POSTGRES`; `scripts/postgres-up`
//! starts a local one and prints it, and `scripts/test` does both. Without it every test here
//! fails: a missing peer is never skipped. Each fresh store gets a schema of its own, dropped
//! when the test ends.

#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/invite_flow.rs"]
mod invite_flow;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use futures::executor::block_on;
use mintage::RootKey;
use mintage::store::conformance::{self, InviteRace};
use mintage::store::{CreateError, NamedTokenRecord, PostgresStore, TokenStore, UseOutcome};
use mintage::token::{Generation, Subject, TokenType};

/// The connection string of the test server, or a failure that says how to get one.
fn params() -> String {
    match std::env::var("MINTAGE_TEST_POSTGRES") {
        Ok(params) if !params.trim().is_empty() => params,
        _ => panic!(
            "MINTAGE_TEST_POSTGRES is not set: run scripts/postgres-up (as root) and export \
             its output, e.g. `export MINTAGE_TEST_POSTGRES=\"$(scripts/postgres-up)\"`, or \
             run scripts/test, which does both"
        ),
    }
}

/// The schemas a test made, dropped (with their tables) when it ends.
struct Schemas {
    params: String,
    made: Mutex<Vec<String>>,
}

impl Schemas {
    fn new() -> Self {
        Self {
            params: params(),
            made: Mutex::new(Vec::new()),
        }
    }

    /// A new, unique schema name, to be dropped at the end.
    fn name(&self) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("mintage_test_{}_{nanos}_{n}", std::process::id());
        self.made.lock().unwrap().push(name.clone());
        name
    }

    /// A store in a schema of its own.
    fn fresh_store(&self) -> PostgresStore {
        self.store_in(&self.name())
    }

    /// A store (a connection of its own) in `schema`.
    fn store_in(&self, schema: &str) -> PostgresStore {
        PostgresStore::connect_in_schema(&self.params, schema).unwrap_or_else(|err| {
            panic!(
                "cannot connect to MINTAGE_TEST_POSTGRES ({err}: {:?}); is the server up? \
                 run scripts/postgres-up",
                std::error::Error::source(&err)
            )
        })
    }

    /// A plain client on the test database, for looking behind the store's back.
    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.params, postgres::NoTls).unwrap()
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        let made = self.made.get_mut().map(std::mem::take).unwrap_or_default();
        if made.is_empty() {
            return;
        }
        if let Ok(mut client) = postgres::Client::connect(&self.params, postgres::NoTls) {
            for schema in made {
                let _ =
                    client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
            }
        }
    }
}

/// One test per conformance area, so a failure names its area.
mod area {
    use super::*;

    mintage::store_conformance_tests!(block_on, Schemas::new().fresh_store());
}

#[test]
fn postgres_passes_the_whole_suite() {
    let schemas = Schemas::new();
    block_on(conformance::run_all(|| schemas.fresh_store()));
}

#[test]
fn postgres_without_a_schema_uses_the_search_path() {
    let schemas = Schemas::new();
    let schema = schemas.name();
    let mut client = schemas.client();
    client
        .batch_execute(&format!(
            "CREATE SCHEMA \"{schema}\"; SET search_path TO \"{schema}\""
        ))
        .unwrap();
    let store = PostgresStore::from_client(client).unwrap();
    block_on(conformance::named_records(&store));
    let mut check = schemas.client();
    let rows = check
        .query(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1",
            &[&schema],
        )
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 2, "both tables are in {schema}");
}

/// `n` stores, each with a connection of its own, sharing one new schema.
fn connections(schemas: &Schemas, n: usize) -> Vec<Arc<PostgresStore>> {
    let schema = schemas.name();
    (0..n)
        .map(|_| Arc::new(schemas.store_in(&schema)))
        .collect()
}

/// Runs `attempt` `per_thread` times on each of `threads` threads (thread `t` using store
/// `t % stores.len()`) and gathers the outcomes.
fn race<T: Send + 'static>(
    stores: &[Arc<PostgresStore>],
    threads: usize,
    per_thread: usize,
    attempt: impl Fn(usize, &PostgresStore) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let attempt = Arc::new(attempt);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let attempt = Arc::clone(&attempt);
            let store = Arc::clone(&stores[t % stores.len()]);
            thread::spawn(move || {
                (0..per_thread)
                    .map(|i| attempt(t * per_thread + i, &store))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect()
}

#[test]
fn postgres_concurrent_uses_admit_exactly_the_limit() {
    let schemas = Schemas::new();
    let stores = connections(&schemas, 4);
    for (threads, per_thread, limit) in [(8, 15, 37), (8, 10, 1), (4, 10, 1000), (4, 5, 0)] {
        let race_ = Arc::new(block_on(InviteRace::prepare(&*stores[0], limit)));
        let outcomes = {
            let race_ = Arc::clone(&race_);
            race(&stores, threads, per_thread, move |_, store| {
                block_on(race_.attempt(store))
            })
        };
        assert_eq!(outcomes.len(), threads * per_thread);
        block_on(race_.check(&*stores[0], &outcomes));
    }
}

#[test]
fn postgres_concurrent_use_and_release_never_passes_the_limit() {
    let schemas = Schemas::new();
    let stores = connections(&schemas, 4);
    let race_ = Arc::new(block_on(InviteRace::prepare(&*stores[0], 3)));
    let outcomes = {
        let race_ = Arc::clone(&race_);
        race(&stores, 8, 30, move |_, store| {
            block_on(race_.attempt_then_release(store))
        })
    };
    block_on(race_.check_released(&*stores[0], &outcomes));
    let outcomes: Vec<_> = (0..4)
        .map(|_| block_on(race_.attempt(&*stores[1])))
        .collect();
    block_on(race_.check(&*stores[0], &outcomes));
}

#[test]
fn postgres_concurrent_first_temporary_secret_is_one_secret() {
    let schemas = Schemas::new();
    let stores = connections(&schemas, 4);
    let alice = Subject::user("alice");
    let secrets = race(&stores, 8, 1, move |_, store| {
        block_on(store.temporary_secret(&alice)).unwrap()
    });
    let (generation, first) = &secrets[0];
    assert_eq!(*generation, Generation::FIRST);
    assert!(
        secrets.iter().all(|(g, s)| g == generation && s == first),
        "racing first calls must all get the one stored secret"
    );
}

#[test]
fn postgres_concurrent_revocations_each_get_a_generation() {
    let schemas = Schemas::new();
    let stores = connections(&schemas, 4);
    let alice = Subject::user("alice");
    let mut generations: Vec<u64> = race(&stores, 8, 5, move |_, store| {
        block_on(store.revoke_temporary(&alice)).unwrap().get()
    });
    generations.sort_unstable();
    assert_eq!(generations, (1..=40).collect::<Vec<_>>());
}

#[test]
fn postgres_concurrent_creates_of_one_name_admit_one() {
    let schemas = Schemas::new();
    let stores = connections(&schemas, 4);
    let outcomes = race(&stores, 8, 3, |i, store| {
        let record = NamedTokenRecord::new(
            format!("id-{i}"),
            "contested",
            Subject::user("alice"),
            TokenType::access(),
            RootKey::from_derived([7; 32]),
            1_700_000_000,
        );
        match block_on(store.create_named_token(record)) {
            Ok(()) => true,
            Err(CreateError::NameTaken) => false,
            Err(err) => panic!("unexpected {err:?}"),
        }
    });
    assert_eq!(outcomes.iter().filter(|created| **created).count(), 1);
}

#[test]
fn postgres_corrupt_rows_are_store_errors_without_secrets() {
    let schemas = Schemas::new();
    let schema = schemas.name();
    let store = schemas.store_in(&schema);
    let record = NamedTokenRecord::new(
        "id1",
        "name",
        Subject::user("u"),
        TokenType::access(),
        RootKey::from_derived([0xAB; 32]),
        10,
    );
    block_on(store.create_named_token(record)).unwrap();
    let mut client = schemas.client();
    for (column, value) in [
        ("secret", "'\\xabab'::bytea"),
        ("caveats", "'{'"),
        ("custom_metadata", "'nope'"),
        ("token_type", "'zzz:g:'"),
        ("subject_type", "'group'"),
        ("privileges", "'[\"no_such_privilege\"]'"),
        ("usage_count", "-1"),
    ] {
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(&format!(
            "ALTER TABLE \"{schema}\".mintage_named_tokens \
             DROP CONSTRAINT IF EXISTS mintage_named_tokens_usage_count_check, \
             DROP CONSTRAINT IF EXISTS mintage_named_tokens_secret_check; \
             UPDATE \"{schema}\".mintage_named_tokens SET {column} = {value}"
        ))
        .unwrap();
        tx.commit().unwrap();
        let err = block_on(store.named_token("id1")).expect_err(column);
        let shown = format!("{err} {:?}", std::error::Error::source(&err));
        assert!(!shown.to_lowercase().contains("abab"), "{column}: {shown}");
        let mut restore = client.transaction().unwrap();
        restore
            .batch_execute(&format!("DELETE FROM \"{schema}\".mintage_named_tokens"))
            .unwrap();
        restore.commit().unwrap();
        let again = NamedTokenRecord::new(
            "id1",
            "name",
            Subject::user("u"),
            TokenType::access(),
            RootKey::from_derived([0xAB; 32]),
            10,
        );
        block_on(store.create_named_token(again)).unwrap();
    }

    // The server quotes the failing row, secret included, in an error's detail: the store
    // drops it.
    client
        .batch_execute(&format!(
            "ALTER TABLE \"{schema}\".mintage_named_tokens \
             ADD CONSTRAINT no_forbidden_names CHECK (name <> 'forbidden')"
        ))
        .unwrap();
    let refused = NamedTokenRecord::new(
        "id2",
        "forbidden",
        Subject::user("u"),
        TokenType::access(),
        RootKey::from_derived([0xAB; 32]),
        10,
    );
    let err = block_on(store.create_named_token(refused)).unwrap_err();
    let mut shown = format!("{err} / {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push_str(&format!(" / {cause} / {cause:?}"));
        source = cause.source();
    }
    assert!(shown.contains("no_forbidden_names"), "{shown}");
    assert!(!shown.to_lowercase().contains("abab"), "{shown}");
}

#[test]
fn postgres_issuer_seed_flow_counts_invite_uses() {
    let schemas = Schemas::new();
    let store = Arc::new(schemas.fresh_store());
    let id = invite_flow::invite_used_once(Arc::clone(&store));
    assert_eq!(
        block_on(store.try_use_invite(&id)).unwrap(),
        UseOutcome::LimitReached
    );
}

/// A few awaited calls on `store` for `user`'s records: a named invite with a usage limit of
/// 1, used once and refused once, and a temporary secret revoked once.
async fn awaited_calls(store: Arc<PostgresStore>, user: String) {
    let subject = Subject::user(user.as_str());
    let id = format!("invite-{user}");
    let record = NamedTokenRecord::new(
        id.as_str(),
        "once",
        subject.clone(),
        TokenType::access(),
        RootKey::from_derived([3; 32]),
        1_700_000_000,
    )
    .with_usage_limit(Some(1));
    store.create_named_token(record).await.unwrap();
    let stored = store.named_token(&id).await.unwrap().unwrap();
    assert_eq!(stored.name(), "once");
    assert_eq!(
        store.try_use_invite(&id).await.unwrap(),
        UseOutcome::Used { count: 1 }
    );
    assert_eq!(
        store.try_use_invite(&id).await.unwrap(),
        UseOutcome::LimitReached
    );
    let (generation, _) = store.temporary_secret(&subject).await.unwrap();
    assert_eq!(generation, Generation::FIRST);
    assert_eq!(
        store.revoke_temporary(&subject).await.unwrap(),
        Generation::new(2)
    );
    assert_eq!(store.named_tokens_of(&subject).await.unwrap().len(), 1);
}

/// The store's futures are awaited on Tokio's threads, as a host's handlers do: directly in
/// `block_on` and as spawned tasks (so they are `Send`) on a multi-threaded runtime, on a
/// current-thread runtime, and the store is dropped inside one. The `postgres` client blocks
/// on a runtime of its own, which panics on a Tokio thread unless the store keeps it on a
/// thread of its own.
#[test]
fn postgres_store_awaits_inside_a_tokio_runtime() {
    let schemas = Schemas::new();
    let store = Arc::new(schemas.fresh_store());

    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    multi.block_on(awaited_calls(Arc::clone(&store), "multi".to_owned()));
    multi.block_on(async {
        let tasks: Vec<_> = (0..4)
            .map(|i| tokio::spawn(awaited_calls(Arc::clone(&store), format!("task{i}"))))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });

    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    current.block_on(awaited_calls(Arc::clone(&store), "current".to_owned()));

    // The last handle goes on a runtime thread: dropping the store there must not block on
    // or drop the client's own runtime.
    let ids = current.block_on(async move {
        let ids = store.named_token_ids().await.unwrap();
        drop(store);
        ids
    });
    assert_eq!(ids.len(), 6);

    // Connecting on a runtime thread, as in `#[tokio::main]`, works too: the connection is
    // made on the store's own thread.
    let in_runtime = multi.block_on(async { schemas.fresh_store() });
    multi.block_on(awaited_calls(
        Arc::new(in_runtime),
        "built in a runtime".to_owned(),
    ));
}
