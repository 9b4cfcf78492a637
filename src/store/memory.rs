//! [`MemoryStore`]: a [`TokenStore`] in process memory, for tests, examples and hosts that
//! keep nothing across restarts.

use core::fmt;
use std::collections::{BTreeMap, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use zeroize::Zeroizing;

use super::{
    CreateError, NamedTokenRecord, NamedTokenUpdate, StoreError, TokenStore, UpdateError,
    UseOutcome,
};
use crate::key::RootKey;
use crate::token::{Generation, Subject};

/// A [`TokenStore`] that keeps everything in memory behind one [`RwLock`].
///
/// Every operation takes the lock once and never across an `.await`, so each is atomic and
/// the futures are ready on first poll. A poisoned lock gives [`StoreError`], not a panic.
///
/// Fresh temporary-token secrets are 32 bytes from the random source, used as derived keys
/// ([`RootKey::from_derived`]). The source is the operating system's by default;
/// [`with_random`](Self::with_random) injects another, so tests can be reproducible.
///
/// ```
/// use futures::executor::block_on;
/// use mintage::store::{MemoryStore, TokenStore};
/// use mintage::token::Subject;
/// use mintage::RootKey;
///
/// // Every "random" byte is 7: reproducible, and only fit for tests.
/// let store = MemoryStore::with_random(|bytes: &mut [u8]| {
///     bytes.fill(7);
///     Ok(())
/// });
/// let (_, secret) = block_on(store.temporary_secret(&Subject::user("alice")))?;
/// assert_eq!(secret, RootKey::from_derived([7; 32]));
/// # Ok::<(), mintage::store::StoreError>(())
/// ```
pub struct MemoryStore {
    state: RwLock<State>,
    random: Box<RandomSource>,
}

impl MemoryStore {
    /// An empty store drawing secrets from the operating system's random source.
    pub fn new() -> Self {
        Self::with_random(os_random)
    }

    /// An empty store drawing secrets from `fill`, which fills its buffer with random bytes or
    /// fails with a [`StoreError`] (which the store passes on).
    pub fn with_random(
        fill: impl Fn(&mut [u8]) -> Result<(), StoreError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            state: RwLock::new(State::default()),
            random: Box::new(fill),
        }
    }

    /// A fresh secret from the random source.
    fn fresh_secret(&self) -> Result<RootKey, StoreError> {
        let mut bytes = Zeroizing::new([0u8; SECRET_LEN]);
        (self.random)(bytes.as_mut_slice())?;
        Ok(RootKey::from_derived(*bytes))
    }

    fn read(&self) -> Result<RwLockReadGuard<'_, State>, StoreError> {
        self.state.read().map_err(|_| StoreError::poisoned())
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, State>, StoreError> {
        self.state.write().map_err(|_| StoreError::poisoned())
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryStore {
    /// Shows no records and no secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

impl TokenStore for MemoryStore {
    async fn create_named_token(&self, record: NamedTokenRecord) -> Result<(), CreateError> {
        self.write()?.create(record)
    }

    async fn named_token(&self, id: &str) -> Result<Option<NamedTokenRecord>, StoreError> {
        Ok(self.read()?.tokens.get(id).cloned())
    }

    async fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> Result<Option<NamedTokenRecord>, StoreError> {
        let state = self.read()?;
        let id = state.names.get(subject).and_then(|names| names.get(name));
        Ok(id.and_then(|id| state.tokens.get(id)).cloned())
    }

    async fn named_tokens_of(
        &self,
        subject: &Subject,
    ) -> Result<Vec<NamedTokenRecord>, StoreError> {
        let state = self.read()?;
        let mut records: Vec<NamedTokenRecord> = state
            .names
            .get(subject)
            .into_iter()
            .flat_map(BTreeMap::values)
            .filter_map(|id| state.tokens.get(id).cloned())
            .collect();
        records.sort_by(|a, b| a.id().cmp(b.id()));
        Ok(records)
    }

    async fn named_token_ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.read()?.tokens.keys().cloned().collect())
    }

    async fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenRecord, UpdateError> {
        self.write()?.update(id, update)
    }

    async fn delete_named_token(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.write()?.delete(id))
    }

    async fn try_use_invite(&self, id: &str) -> Result<UseOutcome, StoreError> {
        let mut state = self.write()?;
        let Some(record) = state.tokens.get_mut(id) else {
            return Ok(UseOutcome::NotFound);
        };
        Ok(match record.count_use() {
            Some(count) => UseOutcome::Used { count },
            None => UseOutcome::LimitReached,
        })
    }

    async fn release_invite_use(&self, id: &str) -> Result<bool, StoreError> {
        let mut state = self.write()?;
        Ok(state
            .tokens
            .get_mut(id)
            .is_some_and(NamedTokenRecord::uncount_use))
    }

    async fn temporary_secret(
        &self,
        subject: &Subject,
    ) -> Result<(Generation, RootKey), StoreError> {
        if let Some(current) = self.read()?.temporary.get(subject) {
            return Ok(current.clone());
        }
        // Draw the secret outside the lock; if another caller created one meanwhile, theirs
        // stays and this one is dropped (and zeroized).
        let fresh = self.fresh_secret()?;
        let mut state = self.write()?;
        let current = state
            .temporary
            .entry(subject.clone())
            .or_insert((Generation::FIRST, fresh));
        Ok(current.clone())
    }

    async fn temporary_secret_if_exists(
        &self,
        subject: &Subject,
    ) -> Result<Option<(Generation, RootKey)>, StoreError> {
        Ok(self.read()?.temporary.get(subject).cloned())
    }

    async fn revoke_temporary(&self, subject: &Subject) -> Result<Generation, StoreError> {
        let fresh = self.fresh_secret()?;
        let mut state = self.write()?;
        match state.temporary.get_mut(subject) {
            Some((generation, secret)) => {
                let next = generation
                    .next()
                    .ok_or(StoreError::new("temporary-token generations exhausted"))?;
                *generation = next;
                *secret = fresh;
                Ok(next)
            }
            None => {
                state
                    .temporary
                    .insert(subject.clone(), (Generation::FIRST, fresh));
                Ok(Generation::FIRST)
            }
        }
    }

    async fn delete_temporary_secret(&self, subject: &Subject) -> Result<bool, StoreError> {
        Ok(self.write()?.temporary.remove(subject).is_some())
    }
}

/// Fills a buffer with random bytes or fails.
type RandomSource = dyn Fn(&mut [u8]) -> Result<(), StoreError> + Send + Sync;

/// Everything the store holds.
#[derive(Default)]
struct State {
    /// Named-token records by token id.
    tokens: BTreeMap<String, NamedTokenRecord>,
    /// Token ids by subject and name.
    names: HashMap<Subject, BTreeMap<String, String>>,
    /// Temporary-token secrets by subject.
    temporary: HashMap<Subject, (Generation, RootKey)>,
}

impl State {
    fn create(&mut self, record: NamedTokenRecord) -> Result<(), CreateError> {
        if self.tokens.contains_key(record.id()) {
            return Err(CreateError::IdTaken);
        }
        let names = self.names.entry(record.subject().clone()).or_default();
        if names.contains_key(record.name()) {
            return Err(CreateError::NameTaken);
        }
        names.insert(record.name().to_owned(), record.id().to_owned());
        self.tokens.insert(record.id().to_owned(), record);
        Ok(())
    }

    fn update(
        &mut self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenRecord, UpdateError> {
        let record = self.tokens.get_mut(id).ok_or(UpdateError::NotFound)?;
        if let Some(new_name) = update.name.as_deref().filter(|name| *name != record.name()) {
            let names = self.names.entry(record.subject().clone()).or_default();
            if names.contains_key(new_name) {
                return Err(UpdateError::NameTaken);
            }
            names.remove(record.name());
            names.insert(new_name.to_owned(), id.to_owned());
        }
        record.apply(update);
        Ok(record.clone())
    }

    fn delete(&mut self, id: &str) -> bool {
        let Some(record) = self.tokens.remove(id) else {
            return false;
        };
        if let Some(names) = self.names.get_mut(record.subject()) {
            names.remove(record.name());
            if names.is_empty() {
                self.names.remove(record.subject());
            }
        }
        true
    }
}

/// The operating system's random source.
fn os_random(bytes: &mut [u8]) -> Result<(), StoreError> {
    getrandom::fill(bytes).map_err(|_| StoreError::new("random source failed"))
}

const SECRET_LEN: usize = 32;

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;

    #[test]
    fn memory_store_debug_shows_nothing_stored() {
        let store = MemoryStore::new();
        block_on(store.temporary_secret(&Subject::user("u"))).unwrap();
        assert_eq!(format!("{store:?}"), "MemoryStore { .. }");
    }

    #[test]
    fn memory_store_random_failure_is_a_store_error() {
        let store = MemoryStore::with_random(|_: &mut [u8]| Err(StoreError::new("no entropy")));
        let subject = Subject::user("u");
        let err = block_on(store.temporary_secret(&subject)).unwrap_err();
        assert_eq!(err.to_string(), "token store failed: no entropy");
        assert!(block_on(store.revoke_temporary(&subject)).is_err());
        assert!(
            block_on(store.temporary_secret_if_exists(&subject))
                .unwrap()
                .is_none(),
            "a failed draw leaves no secret behind"
        );
    }

    #[test]
    fn memory_store_poisoned_lock_is_a_store_error() {
        let store = MemoryStore::new();
        let poison = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = store.state.write().unwrap();
            panic!("poison the lock");
        }));
        assert!(poison.is_err());
        let err = block_on(store.named_token("x")).unwrap_err();
        assert_eq!(err.to_string(), "token store failed: lock poisoned");
        assert!(block_on(store.try_use_invite("x")).is_err());
    }

    #[test]
    fn memory_store_generation_overflow_is_a_store_error() {
        let store = MemoryStore::new();
        let subject = Subject::user("u");
        let last = (Generation::new(u64::MAX), RootKey::from_derived([1; 32]));
        store
            .state
            .write()
            .unwrap()
            .temporary
            .insert(subject.clone(), last);
        let err = block_on(store.revoke_temporary(&subject)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "token store failed: temporary-token generations exhausted"
        );
        let (generation, secret) = block_on(store.temporary_secret(&subject)).unwrap();
        assert_eq!(generation, Generation::new(u64::MAX));
        assert_eq!(secret, RootKey::from_derived([1; 32]), "secret unchanged");
    }
}
