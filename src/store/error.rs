//! What a token store reports: backend faults ([`StoreError`]) and the expected refusals of
//! creating ([`CreateError`]) and updating ([`UpdateError`]) a named-token record.

use core::error::Error;
use core::fmt;

use crate::error::BackendFault;

/// A token store could not do its job: the backend failed (I/O, a lost connection, a poisoned
/// lock, an exhausted random source).
///
/// It is opaque: callers learn only that the store failed, and operators find the cause in
/// [`source`](Error::source). It never stands for a cryptographic result or a refused request;
/// those have their own types ([`CreateError`], [`UpdateError`],
/// [`UseOutcome`](super::UseOutcome)).
///
/// ```
/// use mintage::store::StoreError;
///
/// let io = std::io::Error::other("disk full");
/// let err = StoreError::from_source(io);
/// assert_eq!(err.to_string(), "token store backend failed");
/// assert_eq!(
///     std::error::Error::source(&err).map(|e| e.to_string()).as_deref(),
///     Some("disk full")
/// );
/// ```
#[derive(Debug)]
pub struct StoreError(BackendFault);

impl StoreError {
    /// A backend fault described by a short, static, lowercase reason, e.g. `"lock poisoned"`.
    pub fn new(reason: &'static str) -> Self {
        Self(BackendFault::new(reason))
    }

    /// A backend fault caused by `source`, which [`Error::source`] returns.
    pub fn from_source(source: impl Into<Box<dyn Error + Send + Sync + 'static>>) -> Self {
        Self(BackendFault::from_source(source))
    }

    /// A lock was poisoned by a panic while it was held.
    pub(crate) fn poisoned() -> Self {
        Self::new("lock poisoned")
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f, "token store")
    }
}

impl Error for StoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

/// Why a named-token record was not created.
#[derive(Debug)]
#[non_exhaustive]
pub enum CreateError {
    /// A record with this token id exists already (for any subject).
    IdTaken,
    /// The subject already has a named token of this name (Onezone's
    /// `badValueIdentifierOccupied`, key `name`).
    NameTaken,
    /// The backend failed.
    Store(StoreError),
}

impl fmt::Display for CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IdTaken => f.write_str("token id is already taken"),
            Self::NameTaken => f.write_str("token name is already taken for this subject"),
            Self::Store(err) => fmt::Display::fmt(err, f),
        }
    }
}

impl Error for CreateError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Store(err) => err.source(),
            Self::IdTaken | Self::NameTaken => None,
        }
    }
}

impl From<StoreError> for CreateError {
    fn from(err: StoreError) -> Self {
        Self::Store(err)
    }
}

/// Why a named-token record was not updated.
#[derive(Debug)]
#[non_exhaustive]
pub enum UpdateError {
    /// The new name is taken by another named token of the same subject; nothing changed.
    NameTaken,
    /// No record has this token id.
    NotFound,
    /// The backend failed.
    Store(StoreError),
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NameTaken => f.write_str("token name is already taken for this subject"),
            Self::NotFound => f.write_str("named token not found"),
            Self::Store(err) => fmt::Display::fmt(err, f),
        }
    }
}

impl Error for UpdateError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Store(err) => err.source(),
            Self::NameTaken | Self::NotFound => None,
        }
    }
}

impl From<StoreError> for UpdateError {
    fn from(err: StoreError) -> Self {
        Self::Store(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_error_display_and_source() {
        let plain = StoreError::new("lock poisoned");
        assert_eq!(plain.to_string(), "token store failed: lock poisoned");
        assert!(plain.source().is_none());
        assert_eq!(
            StoreError::poisoned().to_string(),
            "token store failed: lock poisoned"
        );

        let caused = StoreError::from_source("connection reset");
        assert_eq!(caused.to_string(), "token store backend failed");
        assert_eq!(
            caused.source().map(ToString::to_string).as_deref(),
            Some("connection reset")
        );
    }

    #[test]
    fn create_and_update_errors_display() {
        assert_eq!(
            CreateError::IdTaken.to_string(),
            "token id is already taken"
        );
        assert_eq!(
            CreateError::NameTaken.to_string(),
            "token name is already taken for this subject"
        );
        assert_eq!(
            UpdateError::NameTaken.to_string(),
            "token name is already taken for this subject"
        );
        assert_eq!(UpdateError::NotFound.to_string(), "named token not found");
        let wrapped = CreateError::from(StoreError::from_source("boom"));
        assert_eq!(wrapped.to_string(), "token store backend failed");
        assert_eq!(
            wrapped.source().map(ToString::to_string).as_deref(),
            Some("boom")
        );
        let wrapped = UpdateError::from(StoreError::new("x"));
        assert_eq!(wrapped.to_string(), "token store failed: x");
        assert!(wrapped.source().is_none());
    }
}
