//! [`PostgresStore`]: a [`TokenStore`] in a PostgreSQL database, through the synchronous
//! `postgres` client on a thread of the store's own.

use core::error::Error;
use core::fmt;
use std::sync::mpsc;
use std::thread;

use futures_channel::oneshot;
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use super::sql::{
    Columns, StoredRecord, columns, corrupt_value, fresh_secret, secret_from_bytes, subject_parts,
    to_json, unsigned,
};
use super::{
    CreateError, NamedTokenRecord, NamedTokenUpdate, StoreError, TokenStore, UpdateError,
    UseOutcome,
};
use crate::key::RootKey;
use crate::token::{Generation, Subject};

/// A [`TokenStore`] in a PostgreSQL database.
///
/// The store owns one connection, kept on a thread of the store's own. Each method sends its
/// work there as one job and its future waits for the result without blocking the thread that
/// polls it, so any executor may await the store, a Tokio runtime's worker threads included
/// (the `postgres` client blocks on a runtime of its own, which only the store's thread ever
/// enters). Jobs run one at a time, in the order they were sent, so the store's calls from one
/// process run one at a time (several stores, or several processes, may share the database).
/// A job is sent when its future is first polled and runs to its end even if the future is
/// dropped before it finishes. The store is `Send + Sync`.
///
/// The constructors are synchronous: they start the store's thread, which connects, creates
/// the schema and prepares the statements, and wait for it, so they block for the connection
/// time but may be called anywhere, in `#[tokio::main]` included. The connection is not
/// re-established: once it breaks, every call fails with [`StoreError`], and the host builds a
/// new store. Dropping the store does not wait: its thread runs the jobs already sent, closes
/// the connection and exits.
///
/// Each method is atomic on its own without a transaction, as every write is one statement:
/// [`try_use_invite`](TokenStore::try_use_invite) is a single `UPDATE … WHERE usage_limit IS
/// NULL OR usage_count < usage_limit RETURNING usage_count` (concurrent ones on a row wait for
/// each other and re-check the limit against the committed count); the first
/// [`temporary_secret`](TokenStore::temporary_secret) of a subject and
/// [`revoke_temporary`](TokenStore::revoke_temporary) are single `INSERT … ON CONFLICT DO
/// UPDATE … RETURNING` statements; a taken id or name is told apart by `ON CONFLICT (id)` and
/// by the unique constraint the server names (SQLSTATE `23505`).
///
/// # Schema
///
/// The constructors create what is missing (`CREATE TABLE IF NOT EXISTS`, under an advisory
/// lock so that stores starting together do not race) in the connection's current schema, or
/// in the schema given to [`connect_in_schema`](Self::connect_in_schema):
///
/// - `mintage_named_tokens`: one row per named token, primary key `id`, and the unique
///   constraint `mintage_named_tokens_subject_name_key` on `(subject_type, subject_id, name)`.
///   Text keys use the `"C"` collation, so listings are in byte order whatever the database's
///   locale. The secret is a 32-byte `bytea`; caveats (an array of strings), custom metadata
///   and privileges (an array of names, `NULL` for the invite type's defaults) are JSON
///   `text`; the token type is its identifier text (e.g. `ujg:<groupId>:`). Usage limit
///   (`NULL` is infinity) and usage count are `bigint` and must not pass `i64::MAX`: creating
///   a record with a larger one fails with [`CreateError::Store`]. The creation time is kept
///   as the two's-complement bit pattern of the `u64`, so every time round-trips and times up
///   to `i64::MAX` read as themselves in SQL.
/// - `mintage_temporary_secrets`: one row per subject, with the generation and the 32-byte
///   secret of its temporary tokens.
///
/// A row that does not decode (a wrong type, a secret of the wrong length, malformed JSON)
/// gives [`StoreError`], never a panic.
///
/// # Security
///
/// Secrets are stored as they are: restrict access to the tables, and encrypt the connection
/// (build a TLS [`Client`] and pass it to [`from_client`](Self::from_client)) unless the
/// server is local. No [`StoreError`] holds a secret: errors from the server keep only their
/// SQLSTATE, message and constraint name, never the `DETAIL` that may quote a row.
///
/// ```no_run
/// use futures::executor::block_on;
/// use mintage::store::{PostgresStore, TokenStore};
/// use mintage::token::Subject;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let params = "host=127.0.0.1 user=mintage password=mintage dbname=mintage";
/// let store = PostgresStore::connect(params)?;
/// let (generation, _secret) = block_on(store.temporary_secret(&Subject::user("alice")))?;
/// println!("alice's temporary tokens are at generation {generation}");
///
/// // Tables of their own, e.g. one schema per tenant or per test.
/// let tenant = PostgresStore::connect_in_schema(params, "tenant_a")?;
/// println!("tenant_a has {} named tokens", block_on(tenant.named_token_ids())?.len());
/// # Ok(())
/// # }
/// ```
pub struct PostgresStore {
    /// The queue of the store's thread, which owns the connection and runs each job on it in
    /// turn. Dropping the store drops this sender, the queue's only one, which closes it: the
    /// thread runs the jobs already queued, drops the connection (closing it) and exits. The
    /// thread is detached, not joined on drop: joining would block the dropping thread (maybe
    /// an executor's) until the queue drains, and each queued job reports to its own future.
    jobs: mpsc::Sender<Job>,
}

/// Work for the store's thread: a method's statements on the connection, with the result sent
/// back to the method's future.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

impl PostgresStore {
    /// Connects without TLS with `params` (a libpq-style connection string such as
    /// `host=127.0.0.1 user=mintage password=… dbname=mintage`, or a `postgresql://` URL) and
    /// creates the schema in the connection's current schema if it is missing.
    ///
    /// # Errors
    /// [`StoreError`] if the connection fails, the schema cannot be created or the store's
    /// thread cannot be started.
    pub fn connect(params: &str) -> Result<Self, StoreError> {
        let params = params.to_owned();
        Self::start(move || Connection::open(Client::connect(&params, NoTls).map_err(backend)?))
    }

    /// Connects as [`connect`](Self::connect) does, creates the PostgreSQL schema `schema` if
    /// it is missing, and keeps the store's tables there (the connection's `search_path` is
    /// `schema` alone). The name is quoted, so any name works, case included.
    ///
    /// # Errors
    /// [`StoreError`] if the connection fails, the schema or tables cannot be created or the
    /// store's thread cannot be started.
    pub fn connect_in_schema(params: &str, schema: &str) -> Result<Self, StoreError> {
        let params = params.to_owned();
        let schema = quote_identifier(schema)?;
        Self::start(move || {
            let mut client = Client::connect(&params, NoTls).map_err(backend)?;
            client
                .batch_execute(&format!(
                    "BEGIN; SELECT pg_advisory_xact_lock({SETUP_LOCK}); \
                     CREATE SCHEMA IF NOT EXISTS {schema}; COMMIT; SET search_path TO {schema};"
                ))
                .map_err(backend)?;
            Connection::open(client)
        })
    }

    /// Uses an open connection, e.g. one with TLS, and creates the schema in its current
    /// schema (see `search_path`) if it is missing.
    ///
    /// # Errors
    /// [`StoreError`] if the schema cannot be created or the store's thread cannot be started.
    pub fn from_client(client: Client) -> Result<Self, StoreError> {
        Self::start(move || Connection::open(client))
    }

    /// Starts the store's thread, which makes the connection with `open` and then runs the
    /// jobs sent to the store until the store is dropped. The `postgres` client blocks on a
    /// runtime of its own, so even connecting happens there: a constructor called on an async
    /// runtime's thread (e.g. in `#[tokio::main]`) waits for it, briefly, but cannot panic.
    fn start(
        open: impl FnOnce() -> Result<Connection, StoreError> + Send + 'static,
    ) -> Result<Self, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (opened, outcome) = mpsc::sync_channel::<Result<(), StoreError>>(1);
        thread::Builder::new()
            .name("mintage-postgres".to_owned())
            .spawn(move || {
                let mut conn = match open() {
                    Ok(conn) => conn,
                    Err(err) => {
                        let _ = opened.send(Err(err));
                        return;
                    }
                };
                if opened.send(Ok(())).is_err() {
                    return;
                }
                // Ends once the store, which holds the only sender, is dropped and the queue
                // is drained; the connection closes as `conn` drops.
                for job in queue {
                    job(&mut conn);
                }
            })
            .map_err(StoreError::from_source)?;
        outcome.recv().map_err(|_| thread_gone())??;
        Ok(Self { jobs })
    }

    /// Runs `job` on the store's thread after the jobs sent before it, waiting for its result
    /// without blocking. A [`StoreError`] if the thread is gone (a job panicked on it).
    async fn run<T, E>(
        &self,
        job: impl FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move |conn: &mut Connection| {
                // The future may be gone; the job has done its work either way.
                let _ = reply.send(job(conn));
            }))
            .map_err(|_| thread_gone())?;
        result.await.map_err(|_| thread_gone())?
    }
}

/// The store's thread stopped, which only a panic on it does.
fn thread_gone() -> StoreError {
    StoreError::new("postgres connection thread is gone")
}

impl fmt::Debug for PostgresStore {
    /// Shows no records, no secrets and no connection parameters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

impl TokenStore for PostgresStore {
    async fn create_named_token(&self, record: NamedTokenRecord) -> Result<(), CreateError> {
        self.run(move |conn| {
            let columns = Columns::of(&record)?;
            let secret = record.secret().derived_bytes().as_slice();
            let revoked = record.is_revoked();
            let params: [&(dyn ToSql + Sync); 13] = [
                &record.id(),
                &record.name(),
                &columns.subject_type,
                &columns.subject_id,
                &columns.token_type,
                &secret,
                &columns.caveats,
                &columns.custom_metadata,
                &revoked,
                &columns.creation_time,
                &columns.usage_limit,
                &columns.usage_count,
                &columns.privileges,
            ];
            let Connection { client, statements } = conn;
            match client.execute(&statements.insert, &params) {
                // `ON CONFLICT (id) DO NOTHING`: a taken id inserts nothing.
                Ok(0) => Err(CreateError::IdTaken),
                Ok(_) => Ok(()),
                Err(err) => Err(match unique_violation(&err) {
                    Some(NAME_KEY) => CreateError::NameTaken,
                    Some(ID_KEY) => CreateError::IdTaken,
                    _ => CreateError::Store(backend(err)),
                }),
            }
        })
        .await
    }

    async fn named_token(&self, id: &str) -> Result<Option<NamedTokenRecord>, StoreError> {
        let id = id.to_owned();
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let row = client
                .query_opt(&statements.by_id, &[&id])
                .map_err(backend)?;
            row.as_ref().map(record_from_row).transpose()
        })
        .await
    }

    async fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> Result<Option<NamedTokenRecord>, StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        let name = name.to_owned();
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let row = client
                .query_opt(&statements.by_name, &[&subject_type, &subject_id, &name])
                .map_err(backend)?;
            row.as_ref().map(record_from_row).transpose()
        })
        .await
    }

    async fn named_tokens_of(
        &self,
        subject: &Subject,
    ) -> Result<Vec<NamedTokenRecord>, StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let rows = client
                .query(&statements.of_subject, &[&subject_type, &subject_id])
                .map_err(backend)?;
            rows.iter().map(record_from_row).collect()
        })
        .await
    }

    async fn named_token_ids(&self) -> Result<Vec<String>, StoreError> {
        self.run(|conn| {
            let Connection { client, statements } = conn;
            let rows = client.query(&statements.ids, &[]).map_err(backend)?;
            rows.iter()
                .map(|row| row.try_get::<_, String>(0).map_err(backend))
                .collect()
        })
        .await
    }

    async fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenRecord, UpdateError> {
        let custom_metadata = update.custom_metadata.as_ref().map(to_json).transpose()?;
        let id = id.to_owned();
        let NamedTokenUpdate { name, revoked, .. } = update;
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let updated = client.query_opt(
                &statements.update,
                &[&id, &name, &custom_metadata, &revoked],
            );
            match updated {
                Ok(Some(row)) => Ok(record_from_row(&row)?),
                Ok(None) => Err(UpdateError::NotFound),
                Err(err) => Err(match unique_violation(&err) {
                    Some(NAME_KEY) => UpdateError::NameTaken,
                    _ => UpdateError::Store(backend(err)),
                }),
            }
        })
        .await
    }

    async fn delete_named_token(&self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let deleted = client
                .execute(&statements.delete, &[&id])
                .map_err(backend)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn try_use_invite(&self, id: &str) -> Result<UseOutcome, StoreError> {
        let id = id.to_owned();
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            // The conditional UPDATE is the atomic step: concurrent ones on the same row wait
            // for each other and re-check the limit against the committed count.
            if let Some(row) = client
                .query_opt(&statements.use_invite, &[&id])
                .map_err(backend)?
            {
                let count = row.try_get::<_, i64>(0).map_err(backend)?;
                return Ok(UseOutcome::Used {
                    count: unsigned(count, "usage_count")?,
                });
            }
            let exists = client
                .query_opt(&statements.exists, &[&id])
                .map_err(backend)?
                .is_some();
            Ok(if exists {
                UseOutcome::LimitReached
            } else {
                UseOutcome::NotFound
            })
        })
        .await
    }

    async fn release_invite_use(&self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let released = client
                .execute(&statements.release, &[&id])
                .map_err(backend)?;
            Ok(released > 0)
        })
        .await
    }

    async fn temporary_secret(
        &self,
        subject: &Subject,
    ) -> Result<(Generation, RootKey), StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            if let Some(row) = client
                .query_opt(&statements.temporary, &[&subject_type, &subject_id])
                .map_err(backend)?
            {
                return temporary_from_row(&row);
            }
            // Insert, or (if another caller got there first) return theirs: the no-op update
            // on conflict makes `RETURNING` give the stored row.
            let fresh = fresh_secret()?;
            let secret = fresh.derived_bytes().as_slice();
            let row = client
                .query_one(
                    &statements.temporary_create,
                    &[&subject_type, &subject_id, &secret],
                )
                .map_err(backend)?;
            temporary_from_row(&row)
        })
        .await
    }

    async fn temporary_secret_if_exists(
        &self,
        subject: &Subject,
    ) -> Result<Option<(Generation, RootKey)>, StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let row = client
                .query_opt(&statements.temporary, &[&subject_type, &subject_id])
                .map_err(backend)?;
            row.as_ref().map(temporary_from_row).transpose()
        })
        .await
    }

    async fn revoke_temporary(&self, subject: &Subject) -> Result<Generation, StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        let fresh = fresh_secret()?;
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let secret = fresh.derived_bytes().as_slice();
            let row = client
                .query_one(
                    &statements.temporary_revoke,
                    &[&subject_type, &subject_id, &secret],
                )
                .map_err(|err| {
                    if err.code() == Some(&SqlState::NUMERIC_VALUE_OUT_OF_RANGE) {
                        StoreError::new("temporary-token generations exhausted")
                    } else {
                        backend(err)
                    }
                })?;
            generation_from(row.try_get::<_, i64>(0).map_err(backend)?)
        })
        .await
    }

    async fn delete_temporary_secret(&self, subject: &Subject) -> Result<bool, StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let deleted = client
                .execute(&statements.temporary_delete, &[&subject_type, &subject_id])
                .map_err(backend)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn delete_named_tokens_of(&self, subject: &Subject) -> Result<usize, StoreError> {
        let (subject_type, subject_id) = owned_parts(subject);
        self.run(move |conn| {
            let Connection { client, statements } = conn;
            let deleted = client
                .execute(&statements.delete_of_subject, &[&subject_type, &subject_id])
                .map_err(backend)?;
            usize::try_from(deleted).map_err(|_| StoreError::new("deleted count out of range"))
        })
        .await
    }
}

/// [`subject_parts`] owned, for a job on the store's thread.
fn owned_parts(subject: &Subject) -> (&'static str, String) {
    let (subject_type, subject_id) = subject_parts(subject);
    (subject_type, subject_id.to_owned())
}

/// The connection and its prepared statements.
struct Connection {
    client: Client,
    statements: Statements,
}

impl Connection {
    /// Creates the schema if it is missing and prepares the statements on `client`.
    fn open(mut client: Client) -> Result<Self, StoreError> {
        client.batch_execute(SCHEMA).map_err(backend)?;
        let statements = Statements::prepare(&mut client)?;
        Ok(Self { client, statements })
    }
}

/// Every statement the store runs, prepared once per connection.
struct Statements {
    insert: Statement,
    by_id: Statement,
    by_name: Statement,
    of_subject: Statement,
    ids: Statement,
    update: Statement,
    delete: Statement,
    delete_of_subject: Statement,
    use_invite: Statement,
    exists: Statement,
    release: Statement,
    temporary: Statement,
    temporary_create: Statement,
    temporary_revoke: Statement,
    temporary_delete: Statement,
}

impl Statements {
    fn prepare(client: &mut Client) -> Result<Self, StoreError> {
        let mut prepare = |sql: &str| client.prepare(sql).map_err(backend);
        Ok(Self {
            insert: prepare(concat!(
                "INSERT INTO mintage_named_tokens (",
                columns!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (id) DO NOTHING"
            ))?,
            by_id: prepare(concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens WHERE id = $1"
            ))?,
            by_name: prepare(concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens \
                 WHERE subject_type = $1 AND subject_id = $2 AND name = $3"
            ))?,
            of_subject: prepare(concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens WHERE subject_type = $1 AND subject_id = $2 \
                 ORDER BY id"
            ))?,
            ids: prepare("SELECT id FROM mintage_named_tokens ORDER BY id")?,
            update: prepare(concat!(
                "UPDATE mintage_named_tokens SET name = coalesce($2, name), \
                 custom_metadata = coalesce($3, custom_metadata), \
                 revoked = coalesce($4, revoked) WHERE id = $1 RETURNING ",
                columns!()
            ))?,
            delete: prepare("DELETE FROM mintage_named_tokens WHERE id = $1")?,
            delete_of_subject: prepare(
                "DELETE FROM mintage_named_tokens WHERE subject_type = $1 AND subject_id = $2",
            )?,
            use_invite: prepare(
                "UPDATE mintage_named_tokens SET usage_count = usage_count + 1 \
                 WHERE id = $1 AND (usage_limit IS NULL OR usage_count < usage_limit) \
                 AND usage_count < 9223372036854775807 RETURNING usage_count",
            )?,
            exists: prepare("SELECT 1 FROM mintage_named_tokens WHERE id = $1")?,
            release: prepare(
                "UPDATE mintage_named_tokens SET usage_count = usage_count - 1 \
                 WHERE id = $1 AND usage_count > 0",
            )?,
            temporary: prepare(
                "SELECT generation, secret FROM mintage_temporary_secrets \
                 WHERE subject_type = $1 AND subject_id = $2",
            )?,
            temporary_create: prepare(
                "INSERT INTO mintage_temporary_secrets AS t \
                 (subject_type, subject_id, generation, secret) VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (subject_type, subject_id) DO UPDATE SET generation = t.generation \
                 RETURNING generation, secret",
            )?,
            temporary_revoke: prepare(
                "INSERT INTO mintage_temporary_secrets AS t \
                 (subject_type, subject_id, generation, secret) VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (subject_type, subject_id) \
                 DO UPDATE SET generation = t.generation + 1, secret = EXCLUDED.secret \
                 RETURNING generation",
            )?,
            temporary_delete: prepare(
                "DELETE FROM mintage_temporary_secrets \
                 WHERE subject_type = $1 AND subject_id = $2",
            )?,
        })
    }
}

/// The name of the unique constraint on a subject's token names.
const NAME_KEY: &str = "mintage_named_tokens_subject_name_key";
/// The name of the primary key on token ids.
const ID_KEY: &str = "mintage_named_tokens_pkey";

/// The advisory lock taken while creating the schema ("mint" in ASCII).
const SETUP_LOCK: i64 = 0x6d69_6e74;

const SCHEMA: &str = r#"
BEGIN;
SELECT pg_advisory_xact_lock(1835626100);
CREATE TABLE IF NOT EXISTS mintage_named_tokens (
    id text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    subject_type text COLLATE "C" NOT NULL,
    subject_id text COLLATE "C" NOT NULL,
    token_type text NOT NULL,
    secret bytea NOT NULL CHECK (octet_length(secret) = 32),
    caveats text NOT NULL,
    custom_metadata text NOT NULL,
    revoked boolean NOT NULL,
    creation_time bigint NOT NULL,
    usage_limit bigint CHECK (usage_limit >= 0),
    usage_count bigint NOT NULL CHECK (usage_count >= 0),
    privileges text,
    CONSTRAINT mintage_named_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT mintage_named_tokens_subject_name_key UNIQUE (subject_type, subject_id, name)
);
CREATE TABLE IF NOT EXISTS mintage_temporary_secrets (
    subject_type text COLLATE "C" NOT NULL,
    subject_id text COLLATE "C" NOT NULL,
    generation bigint NOT NULL CHECK (generation >= 1),
    secret bytea NOT NULL CHECK (octet_length(secret) = 32),
    CONSTRAINT mintage_temporary_secrets_pkey PRIMARY KEY (subject_type, subject_id)
);
COMMIT;
"#;

/// Rebuilds a record from a row of [`columns!`], checking every value.
fn record_from_row(row: &Row) -> Result<NamedTokenRecord, StoreError> {
    let text = |i: usize| row.try_get::<_, String>(i).map_err(backend);
    let int = |i: usize| row.try_get::<_, i64>(i).map_err(backend);
    StoredRecord {
        id: text(0)?,
        name: text(1)?,
        subject_type: text(2)?,
        subject_id: text(3)?,
        token_type: text(4)?,
        secret: secret_from(row, 5)?,
        caveats: text(6)?,
        custom_metadata: text(7)?,
        revoked: row.try_get(8).map_err(backend)?,
        creation_time: int(9)?,
        usage_limit: row.try_get(10).map_err(backend)?,
        usage_count: int(11)?,
        privileges: row.try_get(12).map_err(backend)?,
    }
    .into_record()
}

/// A temporary secret's generation and secret from a `(generation, secret)` row.
fn temporary_from_row(row: &Row) -> Result<(Generation, RootKey), StoreError> {
    let generation = generation_from(row.try_get::<_, i64>(0).map_err(backend)?)?;
    Ok((generation, secret_from(row, 1)?))
}

fn generation_from(n: i64) -> Result<Generation, StoreError> {
    match unsigned(n, "generation")? {
        0 => Err(corrupt_value("generation")),
        n => Ok(Generation::new(n)),
    }
}

/// The 32-byte secret in column `i`.
fn secret_from(row: &Row, i: usize) -> Result<RootKey, StoreError> {
    secret_from_bytes(row.try_get(i).map_err(backend)?)
}

/// `schema` as a quoted SQL identifier.
fn quote_identifier(schema: &str) -> Result<String, StoreError> {
    if schema.is_empty() || schema.contains('\0') {
        return Err(StoreError::new("schema name is empty or holds a NUL"));
    }
    Ok(format!("\"{}\"", schema.replace('"', "\"\"")))
}

/// The constraint named by a unique violation (SQLSTATE 23505).
fn unique_violation(err: &postgres::Error) -> Option<&str> {
    let db = err.as_db_error()?;
    if *db.code() == SqlState::UNIQUE_VIOLATION {
        db.constraint()
    } else {
        None
    }
}

/// Wraps a client error. An error from the server keeps only its severity, SQLSTATE, message
/// and constraint: its detail may quote a failing row, secret included.
fn backend(err: postgres::Error) -> StoreError {
    match err.as_db_error() {
        Some(db) => StoreError::from_source(ServerError {
            severity: db.severity().to_owned(),
            code: db.code().code().to_owned(),
            message: db.message().to_owned(),
            constraint: db.constraint().map(str::to_owned),
        }),
        None => StoreError::from_source(err),
    }
}

/// What the store keeps of an error the server reported.
#[derive(Debug)]
struct ServerError {
    severity: String,
    code: String,
    message: String,
    constraint: Option<String>,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "postgres {} {}: {}",
            self.severity, self.code, self.message
        )?;
        if let Some(constraint) = &self.constraint {
            write!(f, " (constraint {constraint})")?;
        }
        Ok(())
    }
}

impl Error for ServerError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_identifiers_are_quoted() {
        assert_eq!(quote_identifier("plain").unwrap(), "\"plain\"");
        assert_eq!(quote_identifier("a\"b").unwrap(), "\"a\"\"b\"");
        assert!(quote_identifier("").is_err());
        assert!(quote_identifier("a\0b").is_err());
    }

    #[test]
    fn postgres_setup_lock_is_the_one_in_the_schema() {
        assert!(SCHEMA.contains(&format!("pg_advisory_xact_lock({SETUP_LOCK})")));
    }
}
