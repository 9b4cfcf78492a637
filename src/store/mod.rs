//! What the token issuer must remember (spec `onezone-tokens.md` §3.2): named-token records
//! with their own secrets, invite usage counts, and each subject's shared temporary-token
//! secret with its generation.
//!
//! [`TokenStore`] is the one trait a backend implements; [`MemoryStore`] keeps everything in
//! memory. The trait is async and runtime-agnostic: each method returns a `Send` future, so a
//! host on any executor can implement it, and the crate depends on no runtime.
//!
//! Two database backends come behind Cargo features: `SqliteStore` (feature `sqlite`, linking
//! the system's SQLite library) and `PostgresStore` (feature `postgres`, with the synchronous
//! `postgres` client). `SqliteStore` runs its statements synchronously on the calling thread,
//! inside the method's future (a host on an async runtime may wrap calls in its blocking
//! facility); `PostgresStore` runs them on a thread of its own, and its futures wait without
//! blocking, on any executor.
//!
//! Every backend should pass the shared conformance suite, `mintage::store::conformance`
//! (hidden from these docs; see its module docs in the source): it checks named-record CRUD
//! and name uniqueness, revocation, deletion, invite usage counting under concurrency, and
//! temporary-secret generations.
//!
//! # Security
//!
//! The store holds signing secrets: a record's [`secret`](NamedTokenRecord::secret) and each
//! subject's temporary secret. Backends should encrypt them at rest where the host can, and
//! must never log them; [`NamedTokenRecord`]'s `Debug` redacts the secret. A [`StoreError`]
//! only ever means the backend failed, never that a token is bad.

#[doc(hidden)]
pub mod conformance;
mod error;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
mod record;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use self::postgres::PostgresStore;
pub use error::{CreateError, StoreError, UpdateError};
pub use memory::MemoryStore;
pub use record::{NamedTokenRecord, NamedTokenUpdate};
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::SqliteStore;

use std::sync::Arc;

use crate::key::RootKey;
use crate::token::{Generation, Subject};

/// What consuming a named invite token once did to its usage count
/// ([`TokenStore::try_use_invite`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UseOutcome {
    /// The usage count had reached the usage limit, so nothing changed (Onezone's
    /// `inviteTokenUsageLimitReached`).
    LimitReached,
    /// No record has this token id.
    NotFound,
    /// The use was counted.
    Used {
        /// The usage count after this use.
        count: u64,
    },
}

/// Storage for the token issuer: named-token records, invite usage counts, and per-subject
/// temporary-token secrets.
///
/// Every method is atomic on its own; none needs a transaction around it. A record's token id
/// is unique across the store, and its name is unique among its subject's records.
///
/// Named records (spec §3.2) hold the token's own secret, so a named token verifies only while
/// its record exists; the issuer also refuses it while it is revoked. Temporary tokens are not
/// stored: they are signed with their subject's shared secret of a [`Generation`], and
/// [`revoke_temporary`](Self::revoke_temporary) revokes them all at once by moving the subject
/// to a new secret and the next generation.
///
/// Implementations hold no lock across an `.await`, and return [`StoreError`] only for backend
/// faults.
///
/// ```
/// use futures::executor::block_on;
/// use mintage::RootKey;
/// use mintage::store::{MemoryStore, NamedTokenRecord, TokenStore, UseOutcome};
/// use mintage::token::{Generation, InviteType, Subject, TokenType};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = MemoryStore::new();
/// let alice = Subject::user("alice");
///
/// // A named invite token that admits one user.
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
/// // The join failed after all: give the use back.
/// assert!(block_on(store.release_invite_use(id))?);
///
/// // Temporary tokens: the secret appears on first use; revocation moves to generation 2.
/// assert!(block_on(store.temporary_secret_if_exists(&alice))?.is_none());
/// let (generation, _secret) = block_on(store.temporary_secret(&alice))?;
/// assert_eq!(generation, Generation::FIRST);
/// assert_eq!(block_on(store.revoke_temporary(&alice))?, Generation::new(2));
/// # Ok(())
/// # }
/// ```
pub trait TokenStore: Send + Sync {
    /// Stores a new named-token record.
    ///
    /// # Errors
    /// [`CreateError::IdTaken`] if a record has the same token id; [`CreateError::NameTaken`]
    /// if the record's subject already has a named token of the same name; nothing is stored
    /// then. [`CreateError::Store`] if the backend fails.
    fn create_named_token(
        &self,
        record: NamedTokenRecord,
    ) -> impl Future<Output = Result<(), CreateError>> + Send;

    /// The record of token `id`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn named_token(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<NamedTokenRecord>, StoreError>> + Send;

    /// The record of `subject`'s named token called `name`, if any.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> impl Future<Output = Result<Option<NamedTokenRecord>, StoreError>> + Send;

    /// Every named-token record of `subject`, ordered by token id.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn named_tokens_of(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<Vec<NamedTokenRecord>, StoreError>> + Send;

    /// The token ids of every named-token record of every subject, in order (Onezone's
    /// `GET /tokens/named`, for `oz_tokens_manage` holders).
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn named_token_ids(&self) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// Applies `update` to the record of token `id`, all of it or none, and returns the record
    /// as it is afterwards. Renaming a token to its own name is no change.
    ///
    /// # Errors
    /// [`UpdateError::NotFound`] if no record has this id; [`UpdateError::NameTaken`] if the
    /// new name belongs to another named token of the same subject; [`UpdateError::Store`] if
    /// the backend fails.
    fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> impl Future<Output = Result<NamedTokenRecord, UpdateError>> + Send;

    /// Deletes the record of token `id`, which frees its name; `false` if there was none. A
    /// deleted token no longer verifies (Onezone's `tokenInvalid`).
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn delete_named_token(&self, id: &str)
    -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Counts one use of the invite token `id` if its usage count is below its usage limit,
    /// atomically: however many callers race, a token with limit `L` is used at most `L` times.
    ///
    /// Onezone counts a use only when the join succeeds. The issuer calls this before it
    /// joins, and [`release_invite_use`](Self::release_invite_use) if the join then fails. The
    /// store does not look at the revoked flag: the issuer checks that when it verifies.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails; the count is then unchanged.
    fn try_use_invite(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<UseOutcome, StoreError>> + Send;

    /// Takes back one use of the invite token `id`, after the join it was counted for failed;
    /// `false` if there is no such record or its count is already 0.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn release_invite_use(&self, id: &str)
    -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The generation and secret that new temporary tokens of `subject` are signed with. The
    /// first call for a subject creates a fresh random secret with [`Generation::FIRST`].
    ///
    /// Verification should use
    /// [`temporary_secret_if_exists`](Self::temporary_secret_if_exists) instead, so that
    /// checking a token never creates state.
    ///
    /// # Errors
    /// [`StoreError`] if the backend or its random source fails.
    fn temporary_secret(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<(Generation, RootKey), StoreError>> + Send;

    /// The current generation and secret of `subject`'s temporary tokens; `None` if the subject
    /// has none (no temporary token was ever minted, or the subject was deleted: Onezone's
    /// `tokenSubjectInvalid`). Never creates a secret.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn temporary_secret_if_exists(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<Option<(Generation, RootKey)>, StoreError>> + Send;

    /// Revokes every temporary token of `subject`: replaces the secret with a fresh random one
    /// and moves to the next generation, which it returns. A subject with no secret yet gets
    /// one with [`Generation::FIRST`], as Onezone does.
    ///
    /// # Errors
    /// [`StoreError`] if the backend or its random source fails, or (in theory) the generation
    /// would pass `u64::MAX`; the secret is then unchanged.
    fn revoke_temporary(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<Generation, StoreError>> + Send;

    /// Forgets `subject`'s temporary-token secret, as when the subject is deleted; `false` if
    /// there was none. Its temporary tokens then no longer verify.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn delete_temporary_secret(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Revokes (`true`) or un-revokes (`false`) the named token `id`; `false` if there is no
    /// such record.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails.
    fn set_revoked(
        &self,
        id: &str,
        revoked: bool,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        async move {
            let update = NamedTokenUpdate::new().with_revoked(revoked);
            match self.update_named_token(id, update).await {
                Ok(_) => Ok(true),
                Err(UpdateError::NotFound) => Ok(false),
                Err(UpdateError::Store(err)) => Err(err),
                Err(UpdateError::NameTaken) => Err(StoreError::new("name taken without rename")),
            }
        }
    }

    /// Deletes every named token of `subject` (Onezone's `DELETE /user/tokens/named`) and says
    /// how many there were.
    ///
    /// # Errors
    /// [`StoreError`] if the backend fails; some tokens may be deleted by then.
    fn delete_named_tokens_of(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<usize, StoreError>> + Send {
        async move {
            let mut deleted = 0;
            for record in self.named_tokens_of(subject).await? {
                if self.delete_named_token(record.id()).await? {
                    deleted += 1;
                }
            }
            Ok(deleted)
        }
    }
}

/// Forwards every method to `**self`, for the blanket impls.
macro_rules! forward_token_store {
    () => {
        fn create_named_token(
            &self,
            record: NamedTokenRecord,
        ) -> impl Future<Output = Result<(), CreateError>> + Send {
            (**self).create_named_token(record)
        }

        fn named_token(
            &self,
            id: &str,
        ) -> impl Future<Output = Result<Option<NamedTokenRecord>, StoreError>> + Send {
            (**self).named_token(id)
        }

        fn named_token_by_name(
            &self,
            subject: &Subject,
            name: &str,
        ) -> impl Future<Output = Result<Option<NamedTokenRecord>, StoreError>> + Send {
            (**self).named_token_by_name(subject, name)
        }

        fn named_tokens_of(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<Vec<NamedTokenRecord>, StoreError>> + Send {
            (**self).named_tokens_of(subject)
        }

        fn named_token_ids(&self) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send {
            (**self).named_token_ids()
        }

        fn update_named_token(
            &self,
            id: &str,
            update: NamedTokenUpdate,
        ) -> impl Future<Output = Result<NamedTokenRecord, UpdateError>> + Send {
            (**self).update_named_token(id, update)
        }

        fn delete_named_token(
            &self,
            id: &str,
        ) -> impl Future<Output = Result<bool, StoreError>> + Send {
            (**self).delete_named_token(id)
        }

        fn try_use_invite(
            &self,
            id: &str,
        ) -> impl Future<Output = Result<UseOutcome, StoreError>> + Send {
            (**self).try_use_invite(id)
        }

        fn release_invite_use(
            &self,
            id: &str,
        ) -> impl Future<Output = Result<bool, StoreError>> + Send {
            (**self).release_invite_use(id)
        }

        fn temporary_secret(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<(Generation, RootKey), StoreError>> + Send {
            (**self).temporary_secret(subject)
        }

        fn temporary_secret_if_exists(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<Option<(Generation, RootKey)>, StoreError>> + Send {
            (**self).temporary_secret_if_exists(subject)
        }

        fn revoke_temporary(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<Generation, StoreError>> + Send {
            (**self).revoke_temporary(subject)
        }

        fn delete_temporary_secret(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<bool, StoreError>> + Send {
            (**self).delete_temporary_secret(subject)
        }

        fn set_revoked(
            &self,
            id: &str,
            revoked: bool,
        ) -> impl Future<Output = Result<bool, StoreError>> + Send {
            (**self).set_revoked(id, revoked)
        }

        fn delete_named_tokens_of(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<usize, StoreError>> + Send {
            (**self).delete_named_tokens_of(subject)
        }
    };
}

impl<T: TokenStore> TokenStore for &T {
    forward_token_store!();
}

impl<T: TokenStore> TokenStore for Arc<T> {
    forward_token_store!();
}

impl<T: TokenStore> TokenStore for Box<T> {
    forward_token_store!();
}
