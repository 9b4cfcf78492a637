//! [`MemoryStore`]: a [`TokenStore`] in process memory, for tests, examples and hosts that
//! keep nothing across restarts.

use core::fmt;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use zeroize::Zeroizing;

use super::{
    CreateError, NamedTokenRecord, NamedTokenUpdate, StoreError, TokenStore, UpdateError,
    UseOutcome,
};
use crate::key::RootKey;
use crate::token::{Generation, Subject};

/// A [`TokenStore`] that keeps everything in memory, behind [`RwLock`]s: named-token records
/// in shards by token id, the name index in shards by subject and name, and temporary-token
/// secrets behind a lock of their own, so writers on different tokens, and temporary minting,
/// do not wait for one another.
///
/// No lock is held across an `.await`, so the futures are ready on first poll. Each operation
/// is atomic: one that needs a name shard and a record shard takes the name shard(s) first,
/// in index order, then the record shard, and re-checks what it read before it took them. A
/// poisoned lock gives [`StoreError`], not a panic.
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
    /// Named-token records by token id, in shards by [`MemoryStore::token_shard`].
    tokens: [RwLock<Tokens>; SHARDS],
    /// Token ids by subject and name, in shards by [`MemoryStore::name_shard`].
    names: [RwLock<Names>; SHARDS],
    /// Temporary-token secrets by subject.
    temporary: RwLock<HashMap<Subject, (Generation, RootKey)>>,
    random: Box<RandomSource>,
}

/// One shard of the records.
type Tokens = BTreeMap<String, NamedTokenRecord>;
/// One shard of the name index: token ids by subject and name.
type Names = HashMap<Subject, BTreeMap<String, String>>;

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
            tokens: core::array::from_fn(|_| RwLock::default()),
            names: core::array::from_fn(|_| RwLock::default()),
            temporary: RwLock::default(),
            random: Box::new(fill),
        }
    }

    /// A fresh secret from the random source.
    fn fresh_secret(&self) -> Result<RootKey, StoreError> {
        let mut bytes = Zeroizing::new([0u8; SECRET_LEN]);
        (self.random)(bytes.as_mut_slice())?;
        Ok(RootKey::from_derived(*bytes))
    }

    /// The record shard of token `id`.
    fn token_shard(&self, id: &str) -> &RwLock<Tokens> {
        &self.tokens[shard_of(&id)]
    }

    /// The index of the name shard of `subject`'s token `name`.
    fn name_shard(subject: &Subject, name: &str) -> usize {
        shard_of(&(subject, name))
    }

    fn names_read(&self, index: usize) -> Result<RwLockReadGuard<'_, Names>, StoreError> {
        read(&self.names[index])
    }

    fn names_write(&self, index: usize) -> Result<RwLockWriteGuard<'_, Names>, StoreError> {
        write(&self.names[index])
    }

    /// The subject and name of record `id`, if there is one.
    fn owner_of(&self, id: &str) -> Result<Option<(Subject, String)>, StoreError> {
        Ok(read(self.token_shard(id))?
            .get(id)
            .map(|record| (record.subject().clone(), record.name().to_owned())))
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
        // The owned keys are made before any lock is taken.
        let id = record.id().to_owned();
        let subject = record.subject().clone();
        let name = record.name().to_owned();
        let mut names = self.names_write(Self::name_shard(&subject, &name))?;
        let mut tokens = write(self.token_shard(&id))?;
        if tokens.contains_key(&id) {
            return Err(CreateError::IdTaken);
        }
        if names
            .get(&subject)
            .is_some_and(|names| names.contains_key(&name))
        {
            return Err(CreateError::NameTaken);
        }
        names.entry(subject).or_default().insert(name, id.clone());
        tokens.insert(id, record);
        Ok(())
    }

    async fn named_token(&self, id: &str) -> Result<Option<NamedTokenRecord>, StoreError> {
        Ok(read(self.token_shard(id))?.get(id).cloned())
    }

    async fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> Result<Option<NamedTokenRecord>, StoreError> {
        // The name shard stays locked while the record is read, so no rename slips between.
        let names = self.names_read(Self::name_shard(subject, name))?;
        let Some(id) = names.get(subject).and_then(|names| names.get(name)) else {
            return Ok(None);
        };
        Ok(read(self.token_shard(id))?.get(id).cloned())
    }

    async fn named_tokens_of(
        &self,
        subject: &Subject,
    ) -> Result<Vec<NamedTokenRecord>, StoreError> {
        let mut ids = Vec::new();
        for index in 0..SHARDS {
            if let Some(names) = self.names_read(index)?.get(subject) {
                ids.extend(names.values().cloned());
            }
        }
        let mut records = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(record) = read(self.token_shard(id))?.get(id) {
                records.push(record.clone());
            }
        }
        records.retain(|record| record.subject() == subject);
        records.sort_by(|a, b| a.id().cmp(b.id()));
        records.dedup_by(|a, b| a.id() == b.id());
        Ok(records)
    }

    async fn named_token_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut ids = Vec::new();
        for shard in &self.tokens {
            ids.extend(read(shard)?.keys().cloned());
        }
        ids.sort_unstable();
        Ok(ids)
    }

    async fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenRecord, UpdateError> {
        loop {
            let (subject, old_name) = self.owner_of(id)?.ok_or(UpdateError::NotFound)?;
            let new_name = update
                .name
                .as_deref()
                .filter(|name| *name != old_name)
                .map(ToOwned::to_owned);
            let Some(new_name) = new_name else {
                let mut tokens = write(self.token_shard(id))?;
                let record = tokens.get_mut(id).ok_or(UpdateError::NotFound)?;
                if record.name() != old_name {
                    continue; // renamed meanwhile: the name in `update` may now be a change
                }
                record.apply(update);
                return Ok(record.clone());
            };
            let old_shard = Self::name_shard(&subject, &old_name);
            let new_shard = Self::name_shard(&subject, &new_name);
            // Name shards in index order, then the record shard.
            let mut first = self.names_write(old_shard.min(new_shard))?;
            let mut second = if old_shard == new_shard {
                None
            } else {
                Some(self.names_write(old_shard.max(new_shard))?)
            };
            let mut tokens = write(self.token_shard(id))?;
            let record = tokens.get_mut(id).ok_or(UpdateError::NotFound)?;
            if record.name() != old_name {
                continue; // renamed meanwhile: start over from the current name
            }
            let (old_names, new_names) = match second.as_deref_mut() {
                None => (None, &mut *first),
                Some(higher) if old_shard < new_shard => (Some(&mut *first), higher),
                Some(higher) => (Some(higher), &mut *first),
            };
            if new_names
                .get(&subject)
                .is_some_and(|names| names.contains_key(&new_name))
            {
                return Err(UpdateError::NameTaken);
            }
            let old_names = match old_names {
                Some(old_names) => old_names,
                None => &mut *new_names,
            };
            remove_name(old_names, &subject, &old_name);
            new_names
                .entry(subject)
                .or_default()
                .insert(new_name, id.to_owned());
            record.apply(update);
            return Ok(record.clone());
        }
    }

    async fn delete_named_token(&self, id: &str) -> Result<bool, StoreError> {
        loop {
            let Some((subject, name)) = self.owner_of(id)? else {
                return Ok(false);
            };
            let mut names = self.names_write(Self::name_shard(&subject, &name))?;
            let mut tokens = write(self.token_shard(id))?;
            match tokens.get(id) {
                None => return Ok(false),
                Some(record) if record.name() != name => continue, // renamed meanwhile
                Some(_) => {}
            }
            tokens.remove(id);
            remove_name(&mut names, &subject, &name);
            return Ok(true);
        }
    }

    async fn try_use_invite(&self, id: &str) -> Result<UseOutcome, StoreError> {
        let mut tokens = write(self.token_shard(id))?;
        let Some(record) = tokens.get_mut(id) else {
            return Ok(UseOutcome::NotFound);
        };
        Ok(match record.count_use() {
            Some(count) => UseOutcome::Used { count },
            None => UseOutcome::LimitReached,
        })
    }

    async fn release_invite_use(&self, id: &str) -> Result<bool, StoreError> {
        let mut tokens = write(self.token_shard(id))?;
        Ok(tokens
            .get_mut(id)
            .is_some_and(NamedTokenRecord::uncount_use))
    }

    async fn temporary_secret(
        &self,
        subject: &Subject,
    ) -> Result<(Generation, RootKey), StoreError> {
        if let Some(current) = read(&self.temporary)?.get(subject) {
            return Ok(current.clone());
        }
        // Draw the secret outside the lock; if another caller created one meanwhile, theirs
        // stays and this one is dropped (and zeroized).
        let fresh = self.fresh_secret()?;
        let mut temporary = write(&self.temporary)?;
        let current = temporary
            .entry(subject.clone())
            .or_insert((Generation::FIRST, fresh));
        Ok(current.clone())
    }

    async fn temporary_secret_if_exists(
        &self,
        subject: &Subject,
    ) -> Result<Option<(Generation, RootKey)>, StoreError> {
        Ok(read(&self.temporary)?.get(subject).cloned())
    }

    async fn revoke_temporary(&self, subject: &Subject) -> Result<Generation, StoreError> {
        let fresh = self.fresh_secret()?;
        let mut temporary = write(&self.temporary)?;
        match temporary.get_mut(subject) {
            Some((generation, secret)) => {
                let next = generation
                    .next()
                    .ok_or(StoreError::new("temporary-token generations exhausted"))?;
                *generation = next;
                *secret = fresh;
                Ok(next)
            }
            None => {
                temporary.insert(subject.clone(), (Generation::FIRST, fresh));
                Ok(Generation::FIRST)
            }
        }
    }

    async fn delete_temporary_secret(&self, subject: &Subject) -> Result<bool, StoreError> {
        Ok(write(&self.temporary)?.remove(subject).is_some())
    }
}

/// Fills a buffer with random bytes or fails.
type RandomSource = dyn Fn(&mut [u8]) -> Result<(), StoreError> + Send + Sync;

/// Shards of the records and of the name index: enough that two writers rarely meet.
const SHARDS: usize = 16;

/// The shard of `key`: a fixed hash, so the same key always lands in the same shard.
fn shard_of(key: &impl Hash) -> usize {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    // The remainder is below `SHARDS`, so the cast keeps it.
    #[allow(clippy::cast_possible_truncation)]
    let index = (hasher.finish() % SHARDS as u64) as usize;
    index
}

/// Drops `subject`'s `name` from a name shard, and the subject's map once it is empty.
fn remove_name(names: &mut Names, subject: &Subject, name: &str) {
    if let Some(of_subject) = names.get_mut(subject) {
        of_subject.remove(name);
        if of_subject.is_empty() {
            names.remove(subject);
        }
    }
}

fn read<T>(lock: &RwLock<T>) -> Result<RwLockReadGuard<'_, T>, StoreError> {
    lock.read().map_err(|_| StoreError::poisoned())
}

fn write<T>(lock: &RwLock<T>) -> Result<RwLockWriteGuard<'_, T>, StoreError> {
    lock.write().map_err(|_| StoreError::poisoned())
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
            let _guard = store.token_shard("x").write().unwrap();
            panic!("poison the lock");
        }));
        assert!(poison.is_err());
        let err = block_on(store.named_token("x")).unwrap_err();
        assert_eq!(err.to_string(), "token store failed: lock poisoned");
        assert!(block_on(store.try_use_invite("x")).is_err());
    }

    /// Renames, deletions and re-creations raced from four threads over few names (so shards
    /// and names collide often) leave the index and the records agreeing: every indexed name
    /// leads to a record of that name, every record is indexed once, no name is held twice.
    #[test]
    fn memory_store_sharded_index_stays_consistent_under_races() {
        use crate::token::{InviteType, TokenType};

        let store = MemoryStore::new();
        let subject = Subject::user("u");
        let record = |id: &str, name: &str| {
            NamedTokenRecord::new(
                id,
                name,
                subject.clone(),
                TokenType::invite(InviteType::UserJoinGroup, "g"),
                RootKey::from_derived([1; 32]),
                0,
            )
        };
        for i in 0..8 {
            block_on(store.create_named_token(record(&format!("t{i}"), &format!("n{i}")))).unwrap();
        }
        std::thread::scope(|scope| {
            for seed in 1..=4u64 {
                let (store, record) = (&store, &record);
                scope.spawn(move || {
                    let mut state = seed;
                    let mut next = |n: u64| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        (state >> 33) % n
                    };
                    for _ in 0..3000 {
                        let id = format!("t{}", next(8));
                        let name = format!("n{}", next(12));
                        match next(4) {
                            0 => {
                                block_on(store.delete_named_token(&id)).unwrap();
                            }
                            1 => {
                                let _ = block_on(store.create_named_token(record(&id, &name)));
                            }
                            _ => {
                                let update = NamedTokenUpdate::new().with_name(name);
                                let _ = block_on(store.update_named_token(&id, update));
                            }
                        }
                    }
                });
            }
        });
        let records = block_on(store.named_tokens_of(&subject)).unwrap();
        let ids = block_on(store.named_token_ids()).unwrap();
        assert_eq!(records.iter().map(|r| r.id()).collect::<Vec<_>>(), ids);
        let mut names: Vec<&str> = records.iter().map(NamedTokenRecord::name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), records.len(), "a name held twice");
        let mut indexed = 0;
        for shard in &store.names {
            for (owner, of_owner) in shard.read().unwrap().iter() {
                assert_eq!(owner, &subject);
                for (name, id) in of_owner {
                    let by_name = block_on(store.named_token_by_name(owner, name)).unwrap();
                    assert_eq!(
                        by_name.as_ref().map(NamedTokenRecord::id),
                        Some(id.as_str())
                    );
                    assert_eq!(
                        by_name.as_ref().map(NamedTokenRecord::name),
                        Some(name.as_str())
                    );
                    indexed += 1;
                }
            }
        }
        assert_eq!(indexed, records.len());
    }

    #[test]
    fn memory_store_generation_overflow_is_a_store_error() {
        let store = MemoryStore::new();
        let subject = Subject::user("u");
        let last = (Generation::new(u64::MAX), RootKey::from_derived([1; 32]));
        store
            .temporary
            .write()
            .unwrap()
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
