//! [`SqliteStore`]: a [`TokenStore`] in an SQLite database, through `rusqlite` and the system's
//! SQLite library.

use core::fmt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, Params, Row, TransactionBehavior, ffi};

use super::sql::{
    Columns, StoredRecord, columns, corrupt_value, fresh_secret, secret_from_bytes, signed,
    subject_parts, to_json, unsigned,
};
use super::{
    CreateError, NamedTokenRecord, NamedTokenUpdate, StoreError, TokenStore, UpdateError,
    UseOutcome,
};
use crate::key::RootKey;
use crate::token::{Generation, Subject};

/// A [`TokenStore`] in an SQLite database: a file ([`open`](Self::open)) or memory
/// ([`open_in_memory`](Self::open_in_memory)).
///
/// The store holds one connection behind a [`Mutex`], so it is `Send + Sync` and its calls
/// from one process run one at a time. Every statement runs synchronously on the calling
/// thread, inside the method's future, which is ready on first poll; a host on an async
/// runtime may wrap calls in its runtime's blocking facility (e.g. tokio's `spawn_blocking`).
/// Each method is atomic on its own: writes that read first run in an `IMMEDIATE`
/// transaction, so several processes may share one database file (a busy database is waited
/// for up to 5 seconds, then the call fails with [`StoreError`]).
///
/// # Schema
///
/// [`open`](Self::open) creates what is missing (`CREATE TABLE IF NOT EXISTS`):
///
/// - `mintage_named_tokens`: one row per named token, `id` the primary key, and a unique index
///   `mintage_named_tokens_subject_name` on `(subject_type, subject_id, name)`. The secret is
///   a 32-byte `BLOB`; caveats (an array of strings), custom metadata and privileges (an array
///   of names, `NULL` for the invite type's defaults) are JSON `TEXT`; the token type is its
///   identifier text (e.g. `ujg:<groupId>:`). Usage limit (`NULL` is infinity) and usage
///   count are plain integers and must not pass `i64::MAX`: creating a record with a larger
///   one fails with [`CreateError::Store`]. The creation time is kept as the two's-complement
///   bit pattern of the `u64`, so every time round-trips and times up to `i64::MAX` read as
///   themselves in SQL.
/// - `mintage_temporary_secrets`: one row per subject, with the generation and the 32-byte
///   secret of its temporary tokens.
///
/// A row that does not decode (a wrong type, a secret of the wrong length, malformed JSON)
/// gives [`StoreError`], never a panic.
///
/// # Security
///
/// Secrets are stored as they are: protect the file (permissions, disk encryption). They are
/// never logged, and no [`StoreError`] holds one.
///
/// ```
/// use futures::executor::block_on;
/// use mintage::RootKey;
/// use mintage::store::{NamedTokenRecord, SqliteStore, TokenStore, UseOutcome};
/// use mintage::token::{Generation, InviteType, Subject, TokenType};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = SqliteStore::open_in_memory()?;
/// let alice = Subject::user("alice");
/// let record = NamedTokenRecord::new(
///     "4c71496ba3dff0052c04c697b12fe157ch9a1f",
///     "invite to g1",
///     alice.clone(),
///     TokenType::invite(InviteType::UserJoinGroup, "g1"),
///     RootKey::generate()?,
///     1_700_000_000,
/// )
/// .with_usage_limit(Some(1));
/// block_on(store.create_named_token(record))?;
///
/// let id = "4c71496ba3dff0052c04c697b12fe157ch9a1f";
/// assert_eq!(block_on(store.try_use_invite(id))?, UseOutcome::Used { count: 1 });
/// assert_eq!(block_on(store.try_use_invite(id))?, UseOutcome::LimitReached);
///
/// let (generation, _secret) = block_on(store.temporary_secret(&alice))?;
/// assert_eq!(generation, Generation::FIRST);
/// assert_eq!(block_on(store.revoke_temporary(&alice))?, Generation::new(2));
/// # Ok(())
/// # }
/// ```
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the database file at `path` and creates the schema if it is missing.
    ///
    /// # Errors
    /// [`StoreError`] if the file cannot be opened or the schema cannot be created.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::with_connection(Connection::open(path).map_err(backend)?)
    }

    /// A fresh database in memory, private to this store and gone when it is dropped.
    ///
    /// # Errors
    /// [`StoreError`] if SQLite fails to set it up.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::with_connection(Connection::open_in_memory().map_err(backend)?)
    }

    fn with_connection(conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.execute_batch(SCHEMA).map_err(backend)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::poisoned())
    }
}

impl fmt::Debug for SqliteStore {
    /// Shows no records and no secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl TokenStore for SqliteStore {
    async fn create_named_token(&self, record: NamedTokenRecord) -> Result<(), CreateError> {
        let columns = Columns::of(&record)?;
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let taken = tx
            .query_row(
                "SELECT 1 FROM mintage_named_tokens WHERE id = ?1",
                [record.id()],
                |_| Ok(()),
            )
            .optional()
            .map_err(backend)?;
        if taken.is_some() {
            return Err(CreateError::IdTaken);
        }
        let inserted = exec(
            &tx,
            concat!(
                "INSERT INTO mintage_named_tokens (",
                columns!(),
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            rusqlite::params![
                record.id(),
                record.name(),
                columns.subject_type,
                columns.subject_id,
                columns.token_type,
                record.secret().derived_bytes().as_slice(),
                columns.caveats,
                columns.custom_metadata,
                record.is_revoked(),
                columns.creation_time,
                columns.usage_limit,
                columns.usage_count,
                columns.privileges,
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(err) => {
                return Err(match constraint(&err) {
                    Some(ffi::SQLITE_CONSTRAINT_UNIQUE) => CreateError::NameTaken,
                    Some(ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => CreateError::IdTaken,
                    _ => CreateError::Store(backend(err)),
                });
            }
        }
        tx.commit().map_err(backend)?;
        Ok(())
    }

    async fn named_token(&self, id: &str) -> Result<Option<NamedTokenRecord>, StoreError> {
        let conn = self.conn()?;
        let mut records = query_records(
            &conn,
            concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens WHERE id = ?1"
            ),
            [id],
        )?;
        Ok(records.pop())
    }

    async fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> Result<Option<NamedTokenRecord>, StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let conn = self.conn()?;
        let mut records = query_records(
            &conn,
            concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens",
                " WHERE subject_type = ?1 AND subject_id = ?2 AND name = ?3"
            ),
            [subject_type, subject_id, name],
        )?;
        Ok(records.pop())
    }

    async fn named_tokens_of(
        &self,
        subject: &Subject,
    ) -> Result<Vec<NamedTokenRecord>, StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let conn = self.conn()?;
        query_records(
            &conn,
            concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens",
                " WHERE subject_type = ?1 AND subject_id = ?2 ORDER BY id"
            ),
            [subject_type, subject_id],
        )
    }

    async fn named_token_ids(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT id FROM mintage_named_tokens ORDER BY id")
            .map_err(backend)?;
        let ids = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(backend)?;
        ids.collect::<Result<_, _>>().map_err(backend)
    }

    async fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenRecord, UpdateError> {
        let custom_metadata = update.custom_metadata.as_ref().map(to_json).transpose()?;
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let changed = exec(
            &tx,
            "UPDATE mintage_named_tokens SET name = coalesce(?2, name), \
             custom_metadata = coalesce(?3, custom_metadata), revoked = coalesce(?4, revoked) \
             WHERE id = ?1",
            rusqlite::params![id, update.name, custom_metadata, update.revoked],
        );
        match changed {
            Ok(0) => return Err(UpdateError::NotFound),
            Ok(_) => {}
            Err(err) => {
                return Err(match constraint(&err) {
                    Some(ffi::SQLITE_CONSTRAINT_UNIQUE) => UpdateError::NameTaken,
                    _ => UpdateError::Store(backend(err)),
                });
            }
        }
        let record = query_records(
            &tx,
            concat!(
                "SELECT ",
                columns!(),
                " FROM mintage_named_tokens WHERE id = ?1"
            ),
            [id],
        )?
        .pop()
        .ok_or(StoreError::new("updated record vanished"))?;
        tx.commit().map_err(backend)?;
        Ok(record)
    }

    async fn delete_named_token(&self, id: &str) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        let deleted = exec(
            &conn,
            "DELETE FROM mintage_named_tokens WHERE id = ?1",
            [id],
        )
        .map_err(backend)?;
        Ok(deleted > 0)
    }

    async fn try_use_invite(&self, id: &str) -> Result<UseOutcome, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        // One conditional UPDATE counts the use only below the limit (and below i64::MAX);
        // the transaction keeps the count read back, or the look-up that tells a used-up
        // token from a missing one, consistent with it.
        let used = exec(
            &tx,
            "UPDATE mintage_named_tokens SET usage_count = usage_count + 1 \
                 WHERE id = ?1 AND (usage_limit IS NULL OR usage_count < usage_limit) \
                 AND usage_count < 9223372036854775807",
            [id],
        )
        .map_err(backend)?;
        let count = tx
            .query_row(
                "SELECT usage_count FROM mintage_named_tokens WHERE id = ?1",
                [id],
                |row| row.get::<_, i64>(0),
            )
            .optional()
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(match (used, count) {
            (_, None) => UseOutcome::NotFound,
            (0, Some(_)) => UseOutcome::LimitReached,
            (_, Some(count)) => UseOutcome::Used {
                count: unsigned(count, "usage_count")?,
            },
        })
    }

    async fn release_invite_use(&self, id: &str) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        let released = exec(
            &conn,
            "UPDATE mintage_named_tokens SET usage_count = usage_count - 1 \
                 WHERE id = ?1 AND usage_count > 0",
            [id],
        )
        .map_err(backend)?;
        Ok(released > 0)
    }

    async fn temporary_secret(
        &self,
        subject: &Subject,
    ) -> Result<(Generation, RootKey), StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let mut conn = self.conn()?;
        if let Some(current) = query_temporary(&conn, subject_type, subject_id)? {
            return Ok(current);
        }
        let fresh = fresh_secret()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        // Another process may have created one since the look-up: then theirs stays.
        exec(
            &tx,
            "INSERT INTO mintage_temporary_secrets (subject_type, subject_id, generation, secret) \
             VALUES (?1, ?2, 1, ?3) ON CONFLICT (subject_type, subject_id) DO NOTHING",
            rusqlite::params![subject_type, subject_id, fresh.derived_bytes().as_slice()],
        )
        .map_err(backend)?;
        let current = query_temporary(&tx, subject_type, subject_id)?
            .ok_or(StoreError::new("temporary secret vanished"))?;
        tx.commit().map_err(backend)?;
        Ok(current)
    }

    async fn temporary_secret_if_exists(
        &self,
        subject: &Subject,
    ) -> Result<Option<(Generation, RootKey)>, StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let conn = self.conn()?;
        query_temporary(&conn, subject_type, subject_id)
    }

    async fn revoke_temporary(&self, subject: &Subject) -> Result<Generation, StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let fresh = fresh_secret()?;
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let current = tx
            .query_row(
                "SELECT generation FROM mintage_temporary_secrets \
                 WHERE subject_type = ?1 AND subject_id = ?2",
                [subject_type, subject_id],
                |row| row.get::<_, i64>(0),
            )
            .optional()
            .map_err(backend)?;
        let next = match current {
            None => Generation::FIRST,
            Some(current) => Generation::new(unsigned(current, "generation")?)
                .next()
                .filter(|next| i64::try_from(next.get()).is_ok())
                .ok_or(StoreError::new("temporary-token generations exhausted"))?,
        };
        let stored_next = signed(next.get(), "temporary-token generations exhausted")?;
        exec(
            &tx,
            "INSERT INTO mintage_temporary_secrets (subject_type, subject_id, generation, secret) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (subject_type, subject_id) \
             DO UPDATE SET generation = excluded.generation, secret = excluded.secret",
            rusqlite::params![
                subject_type,
                subject_id,
                stored_next,
                fresh.derived_bytes().as_slice()
            ],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(next)
    }

    async fn delete_temporary_secret(&self, subject: &Subject) -> Result<bool, StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let conn = self.conn()?;
        let deleted = exec(
            &conn,
            "DELETE FROM mintage_temporary_secrets WHERE subject_type = ?1 AND subject_id = ?2",
            [subject_type, subject_id],
        )
        .map_err(backend)?;
        Ok(deleted > 0)
    }

    async fn delete_named_tokens_of(&self, subject: &Subject) -> Result<usize, StoreError> {
        let (subject_type, subject_id) = subject_parts(subject);
        let conn = self.conn()?;
        exec(
            &conn,
            "DELETE FROM mintage_named_tokens WHERE subject_type = ?1 AND subject_id = ?2",
            [subject_type, subject_id],
        )
        .map_err(backend)
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS mintage_named_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    token_type TEXT NOT NULL,
    secret BLOB NOT NULL CHECK (length(secret) = 32),
    caveats TEXT NOT NULL,
    custom_metadata TEXT NOT NULL,
    revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),
    creation_time INTEGER NOT NULL,
    usage_limit INTEGER CHECK (usage_limit >= 0),
    usage_count INTEGER NOT NULL CHECK (usage_count >= 0),
    privileges TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS mintage_named_tokens_subject_name
    ON mintage_named_tokens (subject_type, subject_id, name);
CREATE TABLE IF NOT EXISTS mintage_temporary_secrets (
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    generation INTEGER NOT NULL CHECK (generation >= 1),
    secret BLOB NOT NULL CHECK (length(secret) = 32),
    PRIMARY KEY (subject_type, subject_id)
);
";

/// How many prepared statements the connection keeps: more than the store uses.
const STATEMENT_CACHE: usize = 32;

/// How long a call waits for another connection's write lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The records that `sql` selects (with [`columns!`]), in order.
fn query_records(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> Result<Vec<NamedTokenRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(backend)?;
    let mut rows = stmt.query(params).map_err(backend)?;
    let mut records = Vec::new();
    while let Some(row) = rows.next().map_err(backend)? {
        records.push(record_from_row(row)?);
    }
    Ok(records)
}

/// Rebuilds a record from a row of [`columns!`], checking every value.
/// Runs `sql`, prepared once per connection and cached.
fn exec(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

fn record_from_row(row: &Row<'_>) -> Result<NamedTokenRecord, StoreError> {
    let text = |i: usize| row.get::<_, String>(i).map_err(backend);
    let int = |i: usize| row.get::<_, i64>(i).map_err(backend);
    StoredRecord {
        id: text(0)?,
        name: text(1)?,
        subject_type: text(2)?,
        subject_id: text(3)?,
        token_type: text(4)?,
        secret: secret_from_blob(row, 5)?,
        caveats: text(6)?,
        custom_metadata: text(7)?,
        revoked: match int(8)? {
            0 => false,
            1 => true,
            _ => return Err(corrupt_value("revoked")),
        },
        creation_time: int(9)?,
        usage_limit: row.get(10).map_err(backend)?,
        usage_count: int(11)?,
        privileges: row.get(12).map_err(backend)?,
    }
    .into_record()
}

/// `subject`'s current temporary generation and secret, if it has one.
fn query_temporary(
    conn: &Connection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Option<(Generation, RootKey)>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT generation, secret FROM mintage_temporary_secrets \
             WHERE subject_type = ?1 AND subject_id = ?2",
        )
        .map_err(backend)?;
    let mut rows = stmt.query([subject_type, subject_id]).map_err(backend)?;
    let Some(row) = rows.next().map_err(backend)? else {
        return Ok(None);
    };
    let generation = unsigned(row.get::<_, i64>(0).map_err(backend)?, "generation")?;
    if generation == 0 {
        return Err(corrupt_value("generation"));
    }
    Ok(Some((
        Generation::new(generation),
        secret_from_blob(row, 1)?,
    )))
}

/// The 32-byte secret in column `i`.
fn secret_from_blob(row: &Row<'_>, i: usize) -> Result<RootKey, StoreError> {
    let blob = row
        .get_ref(i)
        .map_err(backend)?
        .as_blob()
        .map_err(|_| corrupt_value("secret"))?;
    secret_from_bytes(blob)
}

/// The SQLite extended result code of a constraint violation.
fn constraint(err: &rusqlite::Error) -> Option<i32> {
    err.sqlite_error()
        .filter(|e| e.code == ErrorCode::ConstraintViolation)
        .map(|e| e.extended_code)
}

fn backend(err: rusqlite::Error) -> StoreError {
    StoreError::from_source(err)
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::token::{InviteType, TokenType};

    fn store_with(record: &NamedTokenRecord) -> SqliteStore {
        let store = SqliteStore::open_in_memory().unwrap();
        block_on(store.create_named_token(record.clone())).unwrap();
        store
    }

    fn record() -> NamedTokenRecord {
        NamedTokenRecord::new(
            "id1",
            "name",
            Subject::user("u"),
            TokenType::invite(InviteType::UserJoinGroup, "g"),
            RootKey::from_derived([0xAB; 32]),
            10,
        )
    }

    /// Writes `value` into `column` of every record, bypassing the checks.
    fn tamper(store: &SqliteStore, column: &str, value: &dyn rusqlite::ToSql) {
        let conn = store.conn().unwrap();
        conn.execute_batch("PRAGMA ignore_check_constraints = ON")
            .unwrap();
        conn.execute(
            &format!("UPDATE mintage_named_tokens SET {column} = ?1"),
            [value],
        )
        .unwrap();
    }

    #[test]
    fn sqlite_store_debug_shows_nothing_stored() {
        let store = store_with(&record());
        assert_eq!(format!("{store:?}"), "SqliteStore { .. }");
    }

    #[test]
    fn sqlite_corrupt_rows_are_store_errors() {
        let cases: [(&str, &dyn rusqlite::ToSql); 11] = [
            ("secret", &[1u8; 31].as_slice()),
            ("secret", &"not a blob"),
            ("caveats", &"{"),
            ("custom_metadata", &"nope"),
            ("token_type", &"zzz:g:"),
            ("subject_type", &"group"),
            ("revoked", &7),
            ("usage_count", &-1),
            ("usage_limit", &"many"),
            ("privileges", &"[\"no_such_privilege\"]"),
            ("id", &[0xFFu8, 0xFE].as_slice()),
        ];
        for (column, value) in cases {
            let store = store_with(&record());
            tamper(&store, column, value);
            let err = if column == "id" {
                block_on(store.named_token_ids()).map(drop)
            } else {
                block_on(store.named_token("id1")).map(drop)
            }
            .expect_err(column);
            let shown = format!("{err} {:?}", core::error::Error::source(&err));
            assert!(!shown.contains("171"), "{column}: {shown}");
        }
    }

    #[test]
    fn sqlite_every_subject_round_trips() {
        let store = SqliteStore::open_in_memory().unwrap();
        for (i, subject) in [
            Subject::user("u"),
            Subject::oneprovider("u"),
            Subject::Nobody,
            Subject::user(""),
        ]
        .into_iter()
        .enumerate()
        {
            let id = format!("id{i}");
            let record = NamedTokenRecord::new(
                id.as_str(),
                "same name",
                subject.clone(),
                TokenType::Identity,
                RootKey::from_derived([1; 32]),
                u64::MAX,
            );
            block_on(store.create_named_token(record)).unwrap();
            let stored = block_on(store.named_token_by_name(&subject, "same name"))
                .unwrap()
                .unwrap();
            assert_eq!(stored.id(), id);
            assert_eq!(stored.subject(), &subject);
            assert_eq!(stored.creation_time(), u64::MAX);
        }
    }

    #[test]
    fn sqlite_out_of_range_counts_are_refused() {
        let store = SqliteStore::open_in_memory().unwrap();
        let huge = record().with_usage_limit(Some(u64::MAX));
        let err = block_on(store.create_named_token(huge)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "token store failed: usage limit above i64::MAX"
        );
        let max = record().with_usage_count(i64::MAX.cast_unsigned());
        block_on(store.create_named_token(max)).unwrap();
        assert_eq!(
            block_on(store.try_use_invite("id1")).unwrap(),
            UseOutcome::LimitReached,
            "the count stops at i64::MAX"
        );
    }

    #[test]
    fn sqlite_generation_overflow_is_a_store_error() {
        let store = SqliteStore::open_in_memory().unwrap();
        let subject = Subject::user("u");
        block_on(store.temporary_secret(&subject)).unwrap();
        store
            .conn()
            .unwrap()
            .execute(
                "UPDATE mintage_temporary_secrets SET generation = ?1",
                [i64::MAX],
            )
            .unwrap();
        let err = block_on(store.revoke_temporary(&subject)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "token store failed: temporary-token generations exhausted"
        );
    }
}
