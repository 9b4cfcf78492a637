//! What the SQL backends share: the record columns they store and the checked conversions
//! between records and column values. Row access differs per driver and stays in
//! `sqlite.rs` and `postgres.rs`.

use core::error::Error;
use core::fmt;

use zeroize::Zeroizing;

use serde_json::Value;

use super::{NamedTokenRecord, StoreError};
use crate::key::RootKey;
use crate::privilege::Privilege;
use crate::token::{Subject, TokenType};

/// The columns of `mintage_named_tokens`, in the order every query selects them.
macro_rules! columns {
    () => {
        "id, name, subject_type, subject_id, token_type, secret, caveats, custom_metadata, \
         revoked, creation_time, usage_limit, usage_count, privileges"
    };
}
pub(super) use columns;

/// A record's columns that need encoding, ready to bind.
pub(super) struct Columns<'a> {
    pub(super) subject_type: &'static str,
    pub(super) subject_id: &'a str,
    pub(super) token_type: String,
    pub(super) caveats: String,
    pub(super) custom_metadata: String,
    pub(super) creation_time: i64,
    pub(super) usage_limit: Option<i64>,
    pub(super) usage_count: i64,
    pub(super) privileges: Option<String>,
}

impl<'a> Columns<'a> {
    pub(super) fn of(record: &'a NamedTokenRecord) -> Result<Self, StoreError> {
        let (subject_type, subject_id) = subject_parts(record.subject());
        let privileges = record
            .privileges()
            .map(|privileges| privileges.iter().map(|p| p.name()).collect::<Vec<_>>());
        Ok(Self {
            subject_type,
            subject_id,
            token_type: record.token_type().to_string(),
            caveats: to_json(&record.caveats())?,
            custom_metadata: to_json(record.custom_metadata())?,
            creation_time: record.creation_time().cast_signed(),
            usage_limit: record
                .usage_limit()
                .map(|limit| signed(limit, "usage limit above i64::MAX"))
                .transpose()?,
            usage_count: signed(record.usage_count(), "usage count above i64::MAX")?,
            privileges: privileges.as_ref().map(to_json).transpose()?,
        })
    }
}

/// A row of [`columns!`] as the driver hands it over, before any value is checked.
pub(super) struct StoredRecord {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) subject_type: String,
    pub(super) subject_id: String,
    pub(super) token_type: String,
    pub(super) secret: RootKey,
    pub(super) caveats: String,
    pub(super) custom_metadata: String,
    pub(super) revoked: bool,
    pub(super) creation_time: i64,
    pub(super) usage_limit: Option<i64>,
    pub(super) usage_count: i64,
    pub(super) privileges: Option<String>,
}

impl StoredRecord {
    /// The record, every value checked; a value that does not decode names its column.
    pub(super) fn into_record(self) -> Result<NamedTokenRecord, StoreError> {
        let subject = subject_from_parts(&self.subject_type, self.subject_id)?;
        let token_type: TokenType = self
            .token_type
            .parse()
            .map_err(|err| corrupt("token_type", err))?;
        let caveats: Vec<String> =
            serde_json::from_str(&self.caveats).map_err(|err| corrupt("caveats", err))?;
        let custom_metadata: Value = serde_json::from_str(&self.custom_metadata)
            .map_err(|err| corrupt("custom_metadata", err))?;
        let usage_limit = self
            .usage_limit
            .map(|limit| unsigned(limit, "usage_limit"))
            .transpose()?;
        let usage_count = unsigned(self.usage_count, "usage_count")?;
        let privileges = self
            .privileges
            .map(|json| privileges_from_json(&json))
            .transpose()?;
        Ok(NamedTokenRecord::new(
            self.id,
            self.name,
            subject,
            token_type,
            self.secret,
            self.creation_time.cast_unsigned(),
        )
        .with_caveats(caveats)
        .with_custom_metadata(custom_metadata)
        .with_revoked(self.revoked)
        .with_usage_limit(usage_limit)
        .with_usage_count(usage_count)
        .with_privileges(privileges))
    }
}

/// A 32-byte secret read from a row, copied straight into a key; the copy is zeroized.
pub(super) fn secret_from_bytes(bytes: &[u8]) -> Result<RootKey, StoreError> {
    let mut secret = Zeroizing::new([0u8; 32]);
    if bytes.len() != secret.len() {
        return Err(corrupt_value("secret"));
    }
    secret.copy_from_slice(bytes);
    Ok(RootKey::from_derived(*secret))
}

/// A fresh random secret for temporary tokens.
pub(super) fn fresh_secret() -> Result<RootKey, StoreError> {
    RootKey::generate().map_err(|_| StoreError::new("random source failed"))
}

/// The stored form of a subject: its type name and id (empty for nobody).
pub(super) fn subject_parts(subject: &Subject) -> (&'static str, &str) {
    (subject.type_name(), subject.id().unwrap_or_default())
}

/// The subject stored as `subject_type` (its JSON type name) and `subject_id`.
pub(super) fn subject_from_parts(
    subject_type: &str,
    subject_id: String,
) -> Result<Subject, StoreError> {
    match subject_type {
        "user" => Ok(Subject::User(subject_id)),
        "oneprovider" => Ok(Subject::Oneprovider(subject_id)),
        "nobody" if subject_id.is_empty() => Ok(Subject::Nobody),
        _ => Err(corrupt_value("subject_type")),
    }
}

/// Reads a privileges column: a JSON array of today's privilege names, kept as they are
/// (duplicates included).
pub(super) fn privileges_from_json(json: &str) -> Result<Vec<Privilege>, StoreError> {
    let names: Vec<String> =
        serde_json::from_str(json).map_err(|err| corrupt("privileges", err))?;
    names
        .iter()
        .map(|name| name.parse().map_err(|err| corrupt("privileges", err)))
        .collect()
}

pub(super) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::from_source)
}

/// `n` as a non-negative `i64`, or a [`StoreError`] saying `reason`.
pub(super) fn signed(n: u64, reason: &'static str) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::new(reason))
}

/// A stored non-negative integer of `column` as a `u64`.
pub(super) fn unsigned(n: i64, column: &'static str) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| corrupt_value(column))
}

/// A stored value that does not decode: names the column, never shows the value.
#[derive(Debug)]
struct Corrupt {
    column: &'static str,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt value in column `{}`", self.column)
    }
}

impl Error for Corrupt {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

pub(super) fn corrupt(
    column: &'static str,
    source: impl Error + Send + Sync + 'static,
) -> StoreError {
    StoreError::from_source(Corrupt {
        column,
        source: Some(Box::new(source)),
    })
}

pub(super) fn corrupt_value(column: &'static str) -> StoreError {
    StoreError::from_source(Corrupt {
        column,
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip() {
        for subject in [
            Subject::user("u"),
            Subject::oneprovider("p"),
            Subject::Nobody,
            Subject::user(""),
        ] {
            let (kind, id) = subject_parts(&subject);
            assert_eq!(subject_from_parts(kind, id.to_owned()).unwrap(), subject);
        }
        assert!(subject_from_parts("group", "g".into()).is_err());
        assert!(subject_from_parts("nobody", "x".into()).is_err());
    }
}
