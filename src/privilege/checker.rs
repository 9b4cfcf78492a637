//! [`PrivilegeChecker`]: the plug-in trait through which the issuer asks the host's directory
//! of users, Oneproviders and entities who exists, who holds which privilege, and adds the
//! members that invite tokens bring in.

use core::error::Error;
use core::fmt;
use std::sync::Arc;

use super::{EntityKind, Privilege, Requirement};
use crate::error::BackendFault;
use crate::token::{InviteType, Subject};

/// An entity that holds privileges: a group, space, cluster, ..., or Onezone itself for the
/// `oz_*` admin privileges.
///
/// ```
/// use mintage::privilege::{EntityKind, EntityRef};
/// use mintage::token::InviteType;
///
/// let group = EntityRef::group("g1");
/// assert_eq!(group.kind, EntityKind::Group);
/// assert_eq!(group.to_string(), "group/g1");
/// assert_eq!(EntityRef::invite_target(InviteType::UserJoinGroup, "g1"), Some(group));
/// assert_eq!(EntityRef::invite_target(InviteType::RegisterOneprovider, "u1"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityRef {
    /// What kind of entity.
    pub kind: EntityKind,
    /// Its id; for [`EntityKind::Onezone`], [`EntityRef::ONEZONE_ID`].
    pub id: String,
}

impl EntityRef {
    /// The id of the one [`EntityKind::Onezone`] entity, the holder of the `oz_*` privileges.
    pub const ONEZONE_ID: &'static str = "onezone";

    /// The entity `id` of `kind`.
    pub fn new(kind: EntityKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }

    /// The group `id`.
    pub fn group(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Group, id)
    }

    /// The space `id`.
    pub fn space(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Space, id)
    }

    /// The handle service `id`.
    pub fn handle_service(id: impl Into<String>) -> Self {
        Self::new(EntityKind::HandleService, id)
    }

    /// The handle `id`.
    pub fn handle(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Handle, id)
    }

    /// The harvester `id`.
    pub fn harvester(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Harvester, id)
    }

    /// The cluster `id`. A Oneprovider's cluster has the Oneprovider's id.
    pub fn cluster(id: impl Into<String>) -> Self {
        Self::new(EntityKind::Cluster, id)
    }

    /// The automation inventory `id`.
    pub fn atm_inventory(id: impl Into<String>) -> Self {
        Self::new(EntityKind::AtmInventory, id)
    }

    /// Onezone itself, where the `oz_*` admin privileges are held.
    pub fn onezone() -> Self {
        Self::new(EntityKind::Onezone, Self::ONEZONE_ID)
    }

    /// The entity an invite token of `invite_type` for `target_id` lets its consumer join;
    /// `None` for `registerOneprovider`, whose target is the future admin user.
    pub fn invite_target(invite_type: InviteType, target_id: impl Into<String>) -> Option<Self> {
        let kind = match invite_type {
            InviteType::UserJoinGroup | InviteType::GroupJoinGroup => EntityKind::Group,
            InviteType::UserJoinSpace
            | InviteType::GroupJoinSpace
            | InviteType::SupportSpace
            | InviteType::HarvesterJoinSpace => EntityKind::Space,
            InviteType::RegisterOneprovider => return None,
            InviteType::UserJoinCluster | InviteType::GroupJoinCluster => EntityKind::Cluster,
            InviteType::UserJoinHarvester
            | InviteType::GroupJoinHarvester
            | InviteType::SpaceJoinHarvester => EntityKind::Harvester,
            InviteType::UserJoinAtmInventory | InviteType::GroupJoinAtmInventory => {
                EntityKind::AtmInventory
            }
        };
        Some(Self::new(kind, target_id))
    }
}

impl fmt::Display for EntityRef {
    /// `<kind>/<id>`, e.g. `group/g1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.id)
    }
}

/// Who joins an entity through an invite token: what the fourteen invite types bring in
/// (spec §1.4, §3.1).
///
/// | Invite types | Member | Joins |
/// |---|---|---|
/// | `userJoin*` | [`User`](Self::User) | the group, space, cluster, harvester or inventory |
/// | `groupJoin*` | [`Group`](Self::Group) | the same |
/// | `supportSpace` | [`Oneprovider`](Self::Oneprovider) | the space |
/// | `harvesterJoinSpace` | [`Harvester`](Self::Harvester) | the space |
/// | `spaceJoinHarvester` | [`Space`](Self::Space) | the harvester |
///
/// `registerOneprovider` creates a Oneprovider rather than joining one to an entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Member {
    /// The group `id`.
    Group(String),
    /// The harvester `id`.
    Harvester(String),
    /// The Oneprovider `id`.
    Oneprovider(String),
    /// The space `id`.
    Space(String),
    /// The user `id`.
    User(String),
}

impl Member {
    /// The user `id`.
    pub fn user(id: impl Into<String>) -> Self {
        Self::User(id.into())
    }

    /// The group `id`.
    pub fn group(id: impl Into<String>) -> Self {
        Self::Group(id.into())
    }

    /// The space `id`.
    pub fn space(id: impl Into<String>) -> Self {
        Self::Space(id.into())
    }

    /// The Oneprovider `id`.
    pub fn oneprovider(id: impl Into<String>) -> Self {
        Self::Oneprovider(id.into())
    }

    /// The harvester `id`.
    pub fn harvester(id: impl Into<String>) -> Self {
        Self::Harvester(id.into())
    }

    /// The member a subject is: a user or a Oneprovider; `None` for nobody.
    pub fn from_subject(subject: &Subject) -> Option<Self> {
        match subject {
            Subject::User(id) => Some(Self::user(id.as_str())),
            Subject::Oneprovider(id) => Some(Self::oneprovider(id.as_str())),
            Subject::Nobody => None,
        }
    }

    /// Its id.
    pub fn id(&self) -> &str {
        match self {
            Self::Group(id)
            | Self::Harvester(id)
            | Self::Oneprovider(id)
            | Self::Space(id)
            | Self::User(id) => id,
        }
    }

    /// The entity it is, for members that are entities (groups, harvesters, spaces).
    pub fn as_entity(&self) -> Option<EntityRef> {
        match self {
            Self::Group(id) => Some(EntityRef::group(id.as_str())),
            Self::Harvester(id) => Some(EntityRef::harvester(id.as_str())),
            Self::Space(id) => Some(EntityRef::space(id.as_str())),
            Self::Oneprovider(_) | Self::User(_) => None,
        }
    }

    /// `user`, `group`, `space`, `oneprovider` or `harvester`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Group(_) => "group",
            Self::Harvester(_) => "harvester",
            Self::Oneprovider(_) => "oneprovider",
            Self::Space(_) => "space",
            Self::User(_) => "user",
        }
    }
}

impl fmt::Display for Member {
    /// `<type>/<id>`, e.g. `user/alice`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.type_name(), self.id())
    }
}

/// Whether a subject may act (spec §3.2: after the signature, Onezone checks the subject).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubjectStatus {
    /// The user or Oneprovider exists and may act.
    Active,
    /// The user exists but is blocked (Onezone's `userBlocked`).
    Blocked,
    /// No such user or Oneprovider, or nobody (Onezone's `tokenSubjectInvalid`).
    Missing,
}

/// What [`PrivilegeChecker::add_member`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JoinOutcome {
    /// The member was added with the given privileges.
    Added,
    /// The member was a direct member already; its privileges were left as they were.
    AlreadyMember,
}

/// The directory behind a [`PrivilegeChecker`] failed (I/O, a lost connection, a poisoned
/// lock). Opaque, like [`StoreError`](crate::store::StoreError): the cause is in
/// [`source`](Error::source). It never means "no privilege".
#[derive(Debug)]
pub struct DirectoryError(BackendFault);

impl DirectoryError {
    /// A fault described by a short, static, lowercase reason.
    pub fn new(reason: &'static str) -> Self {
        Self(BackendFault::new(reason))
    }

    /// A fault caused by `source`, which [`Error::source`] returns.
    pub fn from_source(source: impl Into<Box<dyn Error + Send + Sync + 'static>>) -> Self {
        Self(BackendFault::from_source(source))
    }

    /// A lock was poisoned by a panic while it was held.
    pub(crate) fn poisoned() -> Self {
        Self::new("lock poisoned")
    }
}

impl fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f, "privilege directory")
    }
}

impl Error for DirectoryError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

/// Why [`PrivilegeChecker::add_member`] added no one.
#[derive(Debug)]
#[non_exhaustive]
pub enum AddMemberError {
    /// The directory failed.
    Directory(DirectoryError),
    /// This kind of member cannot join this kind of entity (a Oneprovider joining a group, a
    /// group joining itself), or a privilege is not of the target's kind, or privileges were
    /// given for a member that holds none.
    InvalidRelation,
    /// The joining user, group, space, Oneprovider or harvester does not exist.
    MemberMissing,
    /// The entity to join does not exist (Onezone's `inviteTokenTargetIdInvalid`).
    TargetMissing,
}

impl fmt::Display for AddMemberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directory(err) => fmt::Display::fmt(err, f),
            Self::InvalidRelation => f.write_str("member cannot join this entity"),
            Self::MemberMissing => f.write_str("joining member does not exist"),
            Self::TargetMissing => f.write_str("entity to join does not exist"),
        }
    }
}

impl Error for AddMemberError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Directory(err) => err.source(),
            Self::InvalidRelation | Self::MemberMissing | Self::TargetMissing => None,
        }
    }
}

impl From<DirectoryError> for AddMemberError {
    fn from(err: DirectoryError) -> Self {
        Self::Directory(err)
    }
}

/// What the issuer asks of the host's directory: whether subjects and entities exist, which
/// privileges a subject effectively holds, and adding the member an invite token brings in.
///
/// Privileges are *effective* ones, as Onezone computes them: held directly, or through any
/// group the user effectively belongs to (a member of a child group is an effective member of
/// its parents, however deep the nesting, cycles included). The `oz_*` admin privileges are
/// held in [`EntityRef::onezone`], directly or through groups alike. A subject that is not
/// [`SubjectStatus::Active`] holds no privileges, and a privilege of another kind than the
/// entity's is never held.
///
/// Every method is async and runtime-agnostic, like [`TokenStore`](crate::store::TokenStore).
/// [`MemoryDirectory`](super::MemoryDirectory) implements it in memory.
///
/// ```
/// use futures::executor::block_on;
/// use mintage::privilege::{
///     AddMemberError, DirectoryError, EntityKind, EntityRef, JoinOutcome, Member, Privilege,
///     PrivilegeChecker, SubjectStatus,
/// };
/// use mintage::token::Subject;
///
/// /// One user who administers one group, and nothing else.
/// struct OneGroup;
///
/// impl PrivilegeChecker for OneGroup {
///     async fn subject_status(&self, subject: &Subject) -> Result<SubjectStatus, DirectoryError> {
///         Ok(if *subject == Subject::user("admin") {
///             SubjectStatus::Active
///         } else {
///             SubjectStatus::Missing
///         })
///     }
///
///     async fn entity_exists(&self, entity: &EntityRef) -> Result<bool, DirectoryError> {
///         Ok(*entity == EntityRef::group("g1"))
///     }
///
///     async fn has_privilege(
///         &self,
///         subject: &Subject,
///         entity: &EntityRef,
///         privilege: Privilege,
///     ) -> Result<bool, DirectoryError> {
///         Ok(*subject == Subject::user("admin")
///             && *entity == EntityRef::group("g1")
///             && privilege.kind() == EntityKind::Group)
///     }
///
///     async fn add_member(
///         &self,
///         _target: &EntityRef,
///         _member: Member,
///         _privileges: &[Privilege],
///     ) -> Result<JoinOutcome, AddMemberError> {
///         Err(AddMemberError::InvalidRelation)
///     }
/// }
///
/// let admin = Subject::user("admin");
/// let g1 = EntityRef::group("g1");
/// assert!(block_on(OneGroup.has_privilege(&admin, &g1, Privilege::GroupAddUser))?);
/// assert!(!block_on(OneGroup.has_privilege(&admin, &g1, Privilege::SpaceView))?);
/// assert!(!block_on(OneGroup.has_admin_privilege(&admin, Privilege::OzGroupsAddRelationships))?);
/// # Ok::<(), DirectoryError>(())
/// ```
pub trait PrivilegeChecker: Send + Sync {
    /// Whether `subject` exists and may act. Nobody is [`SubjectStatus::Missing`].
    ///
    /// # Errors
    /// [`DirectoryError`] if the directory fails.
    fn subject_status(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<SubjectStatus, DirectoryError>> + Send;

    /// Whether `entity` exists. [`EntityRef::onezone`] always does.
    ///
    /// # Errors
    /// [`DirectoryError`] if the directory fails.
    fn entity_exists(
        &self,
        entity: &EntityRef,
    ) -> impl Future<Output = Result<bool, DirectoryError>> + Send;

    /// Whether `subject` effectively holds `privilege` in `entity` (see the trait docs):
    /// `false` for a subject that is not active, an entity that does not exist, or a privilege
    /// of another kind than the entity's.
    ///
    /// # Errors
    /// [`DirectoryError`] if the directory fails.
    fn has_privilege(
        &self,
        subject: &Subject,
        entity: &EntityRef,
        privilege: Privilege,
    ) -> impl Future<Output = Result<bool, DirectoryError>> + Send;

    /// Makes `member` a direct member of `target` with `privileges` (empty for members that
    /// hold none: Oneproviders, harvesters and spaces). A direct member already is left as it
    /// was ([`JoinOutcome::AlreadyMember`]). Whether the member may join is the issuer's
    /// business; this only writes.
    ///
    /// # Errors
    /// [`AddMemberError::TargetMissing`], [`AddMemberError::MemberMissing`],
    /// [`AddMemberError::InvalidRelation`], or [`AddMemberError::Directory`] if the directory
    /// fails; nothing changes then.
    fn add_member(
        &self,
        target: &EntityRef,
        member: Member,
        privileges: &[Privilege],
    ) -> impl Future<Output = Result<JoinOutcome, AddMemberError>> + Send;

    /// The groups `user` is an effective member of, directly or through nested groups, for
    /// `consumer = grp-…` caveats. The default knows none, so such caveats fail closed.
    ///
    /// # Errors
    /// [`DirectoryError`] if the directory fails.
    fn effective_groups(
        &self,
        user: &str,
    ) -> impl Future<Output = Result<Vec<String>, DirectoryError>> + Send {
        let _ = user;
        async { Ok(Vec::new()) }
    }

    /// Whether `subject` effectively holds the `oz_*` admin `privilege`.
    ///
    /// # Errors
    /// [`DirectoryError`] if the directory fails.
    fn has_admin_privilege(
        &self,
        subject: &Subject,
        privilege: Privilege,
    ) -> impl Future<Output = Result<bool, DirectoryError>> + Send {
        async move {
            self.has_privilege(subject, &EntityRef::onezone(), privilege)
                .await
        }
    }

    /// Whether `subject` meets `requirement` in `entity`: holds its privilege there, or its
    /// admin privilege (spec §1.3, §1.4).
    ///
    /// # Errors
    /// [`DirectoryError`] if the directory fails.
    fn meets(
        &self,
        subject: &Subject,
        entity: &EntityRef,
        requirement: Requirement,
    ) -> impl Future<Output = Result<bool, DirectoryError>> + Send {
        async move {
            Ok(self
                .has_privilege(subject, entity, requirement.privilege)
                .await?
                || self.has_admin_privilege(subject, requirement.admin).await?)
        }
    }
}

/// Forwards every method to `**self`, for the blanket impls.
macro_rules! forward_privilege_checker {
    () => {
        fn subject_status(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<SubjectStatus, DirectoryError>> + Send {
            (**self).subject_status(subject)
        }

        fn entity_exists(
            &self,
            entity: &EntityRef,
        ) -> impl Future<Output = Result<bool, DirectoryError>> + Send {
            (**self).entity_exists(entity)
        }

        fn has_privilege(
            &self,
            subject: &Subject,
            entity: &EntityRef,
            privilege: Privilege,
        ) -> impl Future<Output = Result<bool, DirectoryError>> + Send {
            (**self).has_privilege(subject, entity, privilege)
        }

        fn add_member(
            &self,
            target: &EntityRef,
            member: Member,
            privileges: &[Privilege],
        ) -> impl Future<Output = Result<JoinOutcome, AddMemberError>> + Send {
            (**self).add_member(target, member, privileges)
        }

        fn effective_groups(
            &self,
            user: &str,
        ) -> impl Future<Output = Result<Vec<String>, DirectoryError>> + Send {
            (**self).effective_groups(user)
        }

        fn has_admin_privilege(
            &self,
            subject: &Subject,
            privilege: Privilege,
        ) -> impl Future<Output = Result<bool, DirectoryError>> + Send {
            (**self).has_admin_privilege(subject, privilege)
        }

        fn meets(
            &self,
            subject: &Subject,
            entity: &EntityRef,
            requirement: Requirement,
        ) -> impl Future<Output = Result<bool, DirectoryError>> + Send {
            (**self).meets(subject, entity, requirement)
        }
    };
}

impl<T: PrivilegeChecker> PrivilegeChecker for &T {
    forward_privilege_checker!();
}

impl<T: PrivilegeChecker> PrivilegeChecker for Arc<T> {
    forward_privilege_checker!();
}

impl<T: PrivilegeChecker> PrivilegeChecker for Box<T> {
    forward_privilege_checker!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ref_invite_targets_cover_every_invite_type() {
        for t in InviteType::ALL {
            let target = EntityRef::invite_target(t, "x");
            if t == InviteType::RegisterOneprovider {
                assert_eq!(target, None);
                continue;
            }
            let target = target.unwrap();
            assert_eq!(target.id, "x");
            let expected = match t.target_key() {
                "groupId" => EntityKind::Group,
                "spaceId" => EntityKind::Space,
                "clusterId" => EntityKind::Cluster,
                "harvesterId" => EntityKind::Harvester,
                "atmInventoryId" => EntityKind::AtmInventory,
                other => panic!("unexpected target key {other}"),
            };
            assert_eq!(target.kind, expected, "{t}");
        }
    }

    #[test]
    fn member_accessors_and_display() {
        assert_eq!(Member::user("a").to_string(), "user/a");
        assert_eq!(Member::oneprovider("p").type_name(), "oneprovider");
        assert_eq!(Member::group("g").as_entity(), Some(EntityRef::group("g")));
        assert_eq!(Member::user("a").as_entity(), None);
        assert_eq!(
            Member::from_subject(&Subject::user("a")),
            Some(Member::user("a"))
        );
        assert_eq!(Member::from_subject(&Subject::Nobody), None);
        assert_eq!(Member::space("s").id(), "s");
        assert_eq!(EntityRef::onezone().to_string(), "oz/onezone");
    }

    #[test]
    fn directory_errors_display() {
        assert_eq!(
            DirectoryError::poisoned().to_string(),
            "privilege directory failed: lock poisoned"
        );
        let caused = DirectoryError::from_source("timeout");
        assert_eq!(caused.to_string(), "privilege directory backend failed");
        assert_eq!(
            caused.source().map(ToString::to_string).as_deref(),
            Some("timeout")
        );
        assert_eq!(
            AddMemberError::TargetMissing.to_string(),
            "entity to join does not exist"
        );
        assert_eq!(
            AddMemberError::from(DirectoryError::new("x")).to_string(),
            "privilege directory failed: x"
        );
    }
}
