//! [`MemoryDirectory`]: a [`PrivilegeChecker`] in process memory, with builder-style setup for
//! tests and examples.

use core::fmt;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::checker::{
    AddMemberError, DirectoryError, EntityRef, JoinOutcome, Member, PrivilegeChecker, SubjectStatus,
};
use super::{EntityKind, Privilege};
use crate::token::Subject;

/// A [`PrivilegeChecker`] over users, Oneproviders, entities and memberships kept in memory.
///
/// Users may be blocked. Every entity kind is held the same way: a set of direct members, each
/// with its privileges there. Groups nest: a group can be a member of a group, space, cluster,
/// harvester, ..., and a user's effective privileges follow the nesting as in Onezone (see
/// [`PrivilegeChecker`]); cycles are allowed and walked once. Onezone itself,
/// [`EntityRef::onezone`], always exists and holds the `oz_*` privileges of its members.
///
/// A `harvesterJoinSpace` join and a `spaceJoinHarvester` join make the same relation, as in
/// Onezone: the space becomes a member of the harvester.
///
/// The setup methods take `&self` and return it, so they chain, and work while the directory
/// is shared with an issuer. They never fail: one that needs a user, Oneprovider or entity
/// that is not there adds it. A Oneprovider comes with its cluster, of the same id. Setup and
/// inspection go on through a poisoned lock (this type runs no foreign code while holding it);
/// the [`PrivilegeChecker`] methods report it as a [`DirectoryError`].
///
/// ```
/// use futures::executor::block_on;
/// use mintage::privilege::{EntityRef, MemoryDirectory, Privilege, PrivilegeChecker};
/// use mintage::token::Subject;
///
/// let alice = Subject::user("alice");
/// let dir = MemoryDirectory::new();
/// dir.add_user("alice")
///     .add_group("admins")
///     .grant(&alice, EntityRef::group("admins"), &[Privilege::GroupView])
///     .grant_group("admins", EntityRef::space("s1"), &[Privilege::SpaceAddUser]);
///
/// // Alice adds users to s1 through her group.
/// let s1 = EntityRef::space("s1");
/// assert!(block_on(dir.has_privilege(&alice, &s1, Privilege::SpaceAddUser))?);
/// dir.block_user("alice");
/// assert!(!block_on(dir.has_privilege(&alice, &s1, Privilege::SpaceAddUser))?);
/// # Ok::<(), mintage::privilege::DirectoryError>(())
/// ```
pub struct MemoryDirectory {
    state: RwLock<State>,
}

impl MemoryDirectory {
    /// A directory with nothing but Onezone itself.
    pub fn new() -> Self {
        let mut state = State::default();
        state.entities.insert(EntityRef::onezone(), BTreeMap::new());
        Self {
            state: RwLock::new(state),
        }
    }

    /// Adds the user `id`, not blocked; a user already there keeps its state.
    pub fn add_user(&self, id: &str) -> &Self {
        self.setup().users.entry(id.to_owned()).or_insert(false);
        self
    }

    /// Blocks the user `id`, adding it if needed: a blocked user holds no privileges.
    pub fn block_user(&self, id: &str) -> &Self {
        self.setup().users.insert(id.to_owned(), true);
        self
    }

    /// Unblocks the user `id`, adding it if needed.
    pub fn unblock_user(&self, id: &str) -> &Self {
        self.setup().users.insert(id.to_owned(), false);
        self
    }

    /// Removes the user `id` and every membership of theirs.
    pub fn remove_user(&self, id: &str) -> &Self {
        let mut state = self.setup();
        state.users.remove(id);
        state.unlink(&Member::user(id));
        drop(state);
        self
    }

    /// Adds the Oneprovider `id` and its cluster, which has the same id.
    pub fn add_provider(&self, id: &str) -> &Self {
        let mut state = self.setup();
        state.providers.insert(id.to_owned());
        state.entities.entry(EntityRef::cluster(id)).or_default();
        drop(state);
        self
    }

    /// Adds `entity`, with no members; an entity already there keeps its members.
    pub fn add_entity(&self, entity: EntityRef) -> &Self {
        self.setup().entities.entry(entity).or_default();
        self
    }

    /// Adds the group `id`.
    pub fn add_group(&self, id: &str) -> &Self {
        self.add_entity(EntityRef::group(id))
    }

    /// Adds the space `id`.
    pub fn add_space(&self, id: &str) -> &Self {
        self.add_entity(EntityRef::space(id))
    }

    /// Removes `entity` with its members, and its own memberships elsewhere (a group leaves
    /// its parents, a space its harvesters). Onezone itself cannot be removed.
    pub fn remove_entity(&self, entity: &EntityRef) -> &Self {
        if entity.kind == EntityKind::Onezone {
            return self;
        }
        let mut state = self.setup();
        if let Some(members) = state.entities.remove(entity) {
            for member in members.keys() {
                if let Some(memberships) = state.memberships.get_mut(member) {
                    memberships.remove(entity);
                }
            }
        }
        if let Some(member) = as_member(entity) {
            state.unlink(&member);
        }
        drop(state);
        self
    }

    /// Gives `subject` direct `privileges` in `entity`, on top of any it has there, adding the
    /// subject and the entity if needed. Privileges of another kind than the entity's are
    /// ignored; so is [`Subject::Nobody`]. Users gain further privileges through groups;
    /// Oneproviders hold only what they are given directly.
    pub fn grant(&self, subject: &Subject, entity: EntityRef, privileges: &[Privilege]) -> &Self {
        let Some(member) = Member::from_subject(subject) else {
            return self;
        };
        let mut state = self.setup();
        match &member {
            Member::User(id) => {
                state.users.entry(id.clone()).or_insert(false);
            }
            Member::Oneprovider(id) => {
                state.providers.insert(id.clone());
                state
                    .entities
                    .entry(EntityRef::cluster(id.as_str()))
                    .or_default();
            }
            Member::Group(_) | Member::Harvester(_) | Member::Space(_) => {}
        }
        state.relate(entity, member, privileges);
        drop(state);
        self
    }

    /// Makes the group `group` a member of `entity` with `privileges` (on top of any it has
    /// there), adding both if needed. With a group as `entity`, this nests `group` in it: the
    /// members of `group` become effective members of `entity` and of whatever it belongs to.
    pub fn grant_group(&self, group: &str, entity: EntityRef, privileges: &[Privilege]) -> &Self {
        let mut state = self.setup();
        state.entities.entry(EntityRef::group(group)).or_default();
        state.relate(entity, Member::group(group), privileges);
        drop(state);
        self
    }

    /// Removes `member`'s direct membership of `entity`, privileges and all.
    pub fn remove_member(&self, entity: &EntityRef, member: &Member) -> &Self {
        let mut state = self.setup();
        if let Some(members) = state.entities.get_mut(entity) {
            members.remove(member);
        }
        if let Some(memberships) = state.memberships.get_mut(member) {
            memberships.remove(entity);
        }
        drop(state);
        self
    }

    /// The direct members of `entity` with their privileges there, ordered by member; empty
    /// if there is no such entity.
    pub fn members(&self, entity: &EntityRef) -> Vec<(Member, Vec<Privilege>)> {
        self.inspect()
            .entities
            .get(entity)
            .map(|members| {
                members
                    .iter()
                    .map(|(member, privileges)| (member.clone(), privileges.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `member`'s direct privileges in `entity`, in catalogue order; `None` if it is no
    /// direct member.
    pub fn direct_privileges(&self, entity: &EntityRef, member: &Member) -> Option<Vec<Privilege>> {
        self.inspect()
            .entities
            .get(entity)
            .and_then(|members| members.get(member))
            .cloned()
    }

    /// Every privilege `subject` effectively holds in `entity`, in catalogue order, as
    /// [`PrivilegeChecker::has_privilege`] sees them.
    pub fn effective_privileges(&self, subject: &Subject, entity: &EntityRef) -> Vec<Privilege> {
        self.inspect()
            .effective_privileges(subject, entity)
            .into_iter()
            .collect()
    }

    /// The lock for setup, through poisoning.
    fn setup(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lock for inspection, through poisoning.
    fn inspect(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self) -> Result<RwLockReadGuard<'_, State>, DirectoryError> {
        self.state.read().map_err(|_| DirectoryError::poisoned())
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, State>, DirectoryError> {
        self.state.write().map_err(|_| DirectoryError::poisoned())
    }
}

impl Default for MemoryDirectory {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryDirectory").finish_non_exhaustive()
    }
}

impl PrivilegeChecker for MemoryDirectory {
    async fn subject_status(&self, subject: &Subject) -> Result<SubjectStatus, DirectoryError> {
        Ok(self.read()?.status(subject))
    }

    async fn entity_exists(&self, entity: &EntityRef) -> Result<bool, DirectoryError> {
        Ok(self.read()?.entities.contains_key(entity))
    }

    async fn has_privilege(
        &self,
        subject: &Subject,
        entity: &EntityRef,
        privilege: Privilege,
    ) -> Result<bool, DirectoryError> {
        Ok(self
            .read()?
            .effective_privileges(subject, entity)
            .contains(&privilege))
    }

    async fn effective_groups(&self, user: &str) -> Result<Vec<String>, DirectoryError> {
        let state = self.read()?;
        if !state.users.contains_key(user) {
            return Ok(Vec::new());
        }
        Ok(state
            .effective_groups(user)
            .into_iter()
            .map(str::to_owned)
            .collect())
    }

    async fn add_member(
        &self,
        target: &EntityRef,
        member: Member,
        privileges: &[Privilege],
    ) -> Result<JoinOutcome, AddMemberError> {
        self.write()?.add_member(target, member, privileges)
    }
}

/// Everything the directory holds.
#[derive(Default)]
struct State {
    /// Users by id, with their blocked flag.
    users: BTreeMap<String, bool>,
    /// Oneprovider ids.
    providers: BTreeSet<String>,
    /// Entities with their direct members and those members' privileges (sorted, no
    /// duplicates).
    entities: BTreeMap<EntityRef, BTreeMap<Member, Vec<Privilege>>>,
    /// The entities each member belongs to directly: the reverse of `entities`.
    memberships: BTreeMap<Member, BTreeSet<EntityRef>>,
}

impl State {
    fn status(&self, subject: &Subject) -> SubjectStatus {
        match subject {
            Subject::User(id) => match self.users.get(id) {
                Some(false) => SubjectStatus::Active,
                Some(true) => SubjectStatus::Blocked,
                None => SubjectStatus::Missing,
            },
            Subject::Oneprovider(id) if self.providers.contains(id) => SubjectStatus::Active,
            Subject::Oneprovider(_) | Subject::Nobody => SubjectStatus::Missing,
        }
    }

    fn member_exists(&self, member: &Member) -> bool {
        match member {
            Member::User(id) => self.users.contains_key(id),
            Member::Oneprovider(id) => self.providers.contains(id),
            Member::Group(_) | Member::Harvester(_) | Member::Space(_) => member
                .as_entity()
                .is_some_and(|entity| self.entities.contains_key(&entity)),
        }
    }

    /// The groups `user` belongs to directly or through nested groups; each group is visited
    /// once, so cycles end.
    fn effective_groups(&self, user: &str) -> BTreeSet<&str> {
        let mut groups = BTreeSet::new();
        let mut pending = vec![Member::user(user)];
        while let Some(member) = pending.pop() {
            let parents = self.memberships.get(&member).into_iter().flatten();
            for parent in parents.filter(|entity| entity.kind == EntityKind::Group) {
                if groups.insert(parent.id.as_str()) {
                    pending.push(Member::group(parent.id.as_str()));
                }
            }
        }
        groups
    }

    fn effective_privileges(&self, subject: &Subject, entity: &EntityRef) -> BTreeSet<Privilege> {
        let mut held = BTreeSet::new();
        if self.status(subject) != SubjectStatus::Active {
            return held;
        }
        let (Some(members), Some(me)) = (self.entities.get(entity), Member::from_subject(subject))
        else {
            return held;
        };
        if let Some(direct) = members.get(&me) {
            held.extend(direct.iter().copied());
        }
        if let Subject::User(user) = subject {
            let groups = self.effective_groups(user);
            let through_groups = members.iter().filter(|(member, _)| {
                matches!(member, Member::Group(group) if groups.contains(group.as_str()))
            });
            for (_, privileges) in through_groups {
                held.extend(privileges.iter().copied());
            }
        }
        held.retain(|privilege| privilege.kind() == entity.kind);
        held
    }

    fn add_member(
        &mut self,
        target: &EntityRef,
        member: Member,
        privileges: &[Privilege],
    ) -> Result<JoinOutcome, AddMemberError> {
        if !self.entities.contains_key(target) {
            return Err(AddMemberError::TargetMissing);
        }
        if !self.member_exists(&member) {
            return Err(AddMemberError::MemberMissing);
        }
        // A harvester joining a space is the space becoming a source of the harvester.
        let (target, member) = match member {
            Member::Harvester(harvester) if target.kind == EntityKind::Space => (
                EntityRef::harvester(harvester),
                Member::space(target.id.as_str()),
            ),
            member => (target.clone(), member),
        };
        if !is_valid_relation(&target, &member, privileges) {
            return Err(AddMemberError::InvalidRelation);
        }
        if self
            .entities
            .get(&target)
            .is_some_and(|members| members.contains_key(&member))
        {
            return Ok(JoinOutcome::AlreadyMember);
        }
        self.relate(target, member, privileges);
        Ok(JoinOutcome::Added)
    }

    /// Makes `member` a direct member of `entity` (adding the entity if needed) and adds the
    /// privileges of the entity's kind among `privileges` to its own there.
    fn relate(&mut self, entity: EntityRef, member: Member, privileges: &[Privilege]) {
        let held = self
            .entities
            .entry(entity.clone())
            .or_default()
            .entry(member.clone())
            .or_default();
        held.extend(
            privileges
                .iter()
                .copied()
                .filter(|privilege| privilege.kind() == entity.kind),
        );
        held.sort_unstable();
        held.dedup();
        self.memberships.entry(member).or_default().insert(entity);
    }

    /// Ends every direct membership of `member`.
    fn unlink(&mut self, member: &Member) {
        for entity in self.memberships.remove(member).into_iter().flatten() {
            if let Some(members) = self.entities.get_mut(&entity) {
                members.remove(member);
            }
        }
    }
}

/// Whether `member` may join `target` with `privileges` (after the harvester-space swap).
fn is_valid_relation(target: &EntityRef, member: &Member, privileges: &[Privilege]) -> bool {
    match member {
        Member::User(_) => {
            target.kind != EntityKind::Onezone && privileges.iter().all(|p| p.kind() == target.kind)
        }
        Member::Group(id) => {
            let itself = target.kind == EntityKind::Group && target.id == *id;
            target.kind != EntityKind::Onezone
                && !itself
                && privileges.iter().all(|p| p.kind() == target.kind)
        }
        // Relations that carry no privileges.
        Member::Oneprovider(_) => target.kind == EntityKind::Space && privileges.is_empty(),
        Member::Space(_) => target.kind == EntityKind::Harvester && privileges.is_empty(),
        Member::Harvester(_) => false,
    }
}

/// The member an entity is when it joins another, if entities of its kind join any.
fn as_member(entity: &EntityRef) -> Option<Member> {
    match entity.kind {
        EntityKind::Group => Some(Member::group(entity.id.as_str())),
        EntityKind::Space => Some(Member::space(entity.id.as_str())),
        EntityKind::Harvester => Some(Member::harvester(entity.id.as_str())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;

    #[test]
    fn memory_directory_poisoned_lock_is_a_directory_error() {
        let dir = MemoryDirectory::new();
        dir.add_user("u");
        let poison = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = dir.state.write().unwrap();
            panic!("poison the lock");
        }));
        assert!(poison.is_err());
        let err = block_on(dir.subject_status(&Subject::user("u"))).unwrap_err();
        assert_eq!(err.to_string(), "privilege directory failed: lock poisoned");
        let err = block_on(dir.add_member(&EntityRef::group("g"), Member::user("u"), &[]));
        assert!(matches!(err, Err(AddMemberError::Directory(_))));
        // Setup goes on.
        dir.add_group("g");
        assert!(dir.members(&EntityRef::group("g")).is_empty());
    }

    #[test]
    fn memory_directory_relation_rules() {
        let g = EntityRef::group("g");
        let s = EntityRef::space("s");
        let h = EntityRef::harvester("h");
        let oz = EntityRef::onezone();
        let view = [Privilege::GroupView];
        for (target, member, privileges, valid) in [
            (&g, Member::user("u"), &view[..], true),
            (&g, Member::group("other"), &view[..], true),
            (&g, Member::group("g"), &[][..], false),
            (&g, Member::user("u"), &[Privilege::SpaceView][..], false),
            (&g, Member::oneprovider("p"), &[][..], false),
            (&s, Member::oneprovider("p"), &[][..], true),
            (
                &s,
                Member::oneprovider("p"),
                &[Privilege::SpaceView][..],
                false,
            ),
            (&h, Member::space("s"), &[][..], true),
            (&s, Member::space("s2"), &[][..], false),
            (&h, Member::harvester("h2"), &[][..], false),
            (&oz, Member::user("u"), &[][..], false),
        ] {
            assert_eq!(
                is_valid_relation(target, &member, privileges),
                valid,
                "{member} into {target} with {privileges:?}"
            );
        }
    }
}
