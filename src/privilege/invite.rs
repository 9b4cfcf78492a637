//! What invite tokens demand and grant (spec §1.3, §1.4, §3.1), by
//! [`InviteType`](crate::token::InviteType).

use super::EntityKind;
use super::Privilege::{self, *};
use super::preset::{
    ATM_INVENTORY_MEMBER, CLUSTER_ADMIN, CLUSTER_MEMBER, GROUP_MEMBER, HARVESTER_MEMBER,
    SPACE_MEMBER,
};
use crate::token::InviteType;

/// A privilege held in an entity, or the Onezone admin privilege that stands in for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Requirement {
    /// The privilege in the entity; its [`kind`](Privilege::kind) says which entity.
    pub privilege: Privilege,
    /// The `oz_*` privilege that suffices on its own.
    pub admin: Privilege,
}

/// Who may issue an invite without the usual privileges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssuerException {
    /// `userJoinCluster`, `groupJoinCluster`: the Oneprovider whose cluster it is, which may
    /// also attach custom privileges.
    ClusterProvider,
    /// `registerOneprovider`: the user the token is for (its target), issuing for itself, while
    /// Onezone's `provider_registration_policy` is `open`.
    OpenProviderRegistration,
}

/// What the issuer of an invite token must hold, checked at creation and again when the token
/// is consumed (spec §1.3). The issuer needs `privilege` in the target entity, or `admin`, or
/// to fall under `exception`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InviteCreation {
    /// The privilege in the target entity. `None` only for `registerOneprovider`, which no
    /// entity privilege allows: `None` never means "no privilege needed".
    pub privilege: Option<Privilege>,
    /// The `oz_*` privilege that suffices on its own.
    pub admin: Privilege,
    /// Who may issue without either privilege.
    pub exception: Option<IssuerException>,
    /// What the issuer additionally needs to attach custom privileges (named tokens only);
    /// `None` where an invite carries no privileges.
    pub custom_privileges: Option<Requirement>,
}

/// The privileges a member joining through an invite receives (spec §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct JoinPrivileges {
    /// The kind every custom privilege carried by the token must be of.
    pub kind: EntityKind,
    /// What the member gets when the token carries none: the kind's `member` preset, except
    /// `cluster_admin` for users joining a cluster (Onezone marks this temporary, VFS-5815).
    pub default: &'static [Privilege],
}

/// What the issuer of an invite token of type `invite_type` must hold (spec §1.3).
///
/// Creating a token for another subject also needs `oz_tokens_manage`, and then the subject
/// itself must pass this check; that is the issuer's business, not this table's.
///
/// ```
/// use mintage::privilege::{create_invite_requirement, Privilege};
/// use mintage::token::InviteType;
///
/// let rule = create_invite_requirement(InviteType::UserJoinGroup);
/// assert_eq!(rule.privilege, Some(Privilege::GroupAddUser));
/// assert_eq!(rule.admin, Privilege::OzGroupsAddRelationships);
/// ```
pub fn create_invite_requirement(invite_type: InviteType) -> InviteCreation {
    rule(invite_type).create
}

/// The privilege the consumer of an invite token of type `invite_type` must hold, in the
/// entity that joins (the child group, the joining group, harvester or space named by the join
/// request, not the invite's target); `None` when joining needs none (spec §1.4).
///
/// `None` does not mean anyone may join: user invites are for users, `supportSpace` for
/// Oneproviders, and only `registerOneprovider` accepts anyone.
///
/// ```
/// use mintage::privilege::{consume_invite_requirement, Privilege};
/// use mintage::token::InviteType;
///
/// let child = consume_invite_requirement(InviteType::GroupJoinGroup);
/// assert_eq!(child.map(|r| r.privilege), Some(Privilege::GroupAddParent));
/// assert_eq!(consume_invite_requirement(InviteType::UserJoinGroup), None);
/// ```
pub fn consume_invite_requirement(invite_type: InviteType) -> Option<Requirement> {
    rule(invite_type).consume
}

/// The privileges a member joining through an invite of type `invite_type` receives; `None`
/// for invites that create no membership with privileges (`supportSpace`,
/// `harvesterJoinSpace`, `registerOneprovider`, `spaceJoinHarvester`).
///
/// ```
/// use mintage::privilege::{EntityKind, join_privileges, named_preset};
/// use mintage::token::InviteType;
///
/// let join = join_privileges(InviteType::UserJoinSpace);
/// assert_eq!(join.map(|j| j.kind), Some(EntityKind::Space));
/// assert_eq!(join.map(|j| j.default), named_preset("space_member"));
/// assert_eq!(join_privileges(InviteType::SupportSpace), None);
/// ```
pub fn join_privileges(invite_type: InviteType) -> Option<JoinPrivileges> {
    rule(invite_type).join
}

/// One row of the invite tables.
#[derive(Clone, Copy)]
struct Rule {
    create: InviteCreation,
    consume: Option<Requirement>,
    join: Option<JoinPrivileges>,
}

/// The row of `invite_type`, the fourteen in the order of spec §3.1.
const fn rule(invite_type: InviteType) -> Rule {
    match invite_type {
        InviteType::UserJoinGroup => Rule {
            create: by(GroupAddUser, OzGroupsAddRelationships, GROUP_SET),
            consume: None,
            join: joins(EntityKind::Group, &GROUP_MEMBER),
        },
        InviteType::GroupJoinGroup => Rule {
            create: by(GroupAddChild, OzGroupsAddRelationships, GROUP_SET),
            consume: needs(GroupAddParent, OzGroupsAddRelationships),
            join: joins(EntityKind::Group, &GROUP_MEMBER),
        },
        InviteType::UserJoinSpace => Rule {
            create: by(SpaceAddUser, OzSpacesAddRelationships, SPACE_SET),
            consume: None,
            join: joins(EntityKind::Space, &SPACE_MEMBER),
        },
        InviteType::GroupJoinSpace => Rule {
            create: by(SpaceAddGroup, OzSpacesAddRelationships, SPACE_SET),
            // Swagger also names oz_spaces_add_relationships; Onezone's code checks the group.
            consume: needs(GroupAddSpace, OzGroupsAddRelationships),
            join: joins(EntityKind::Space, &SPACE_MEMBER),
        },
        InviteType::SupportSpace => Rule {
            create: by(SpaceAddSupport, OzSpacesAddRelationships, None),
            consume: None,
            join: None,
        },
        InviteType::HarvesterJoinSpace => Rule {
            create: by(SpaceAddHarvester, OzSpacesAddRelationships, None),
            consume: needs(HarvesterAddSpace, OzHarvestersAddRelationships),
            join: None,
        },
        InviteType::RegisterOneprovider => Rule {
            create: InviteCreation {
                privilege: None,
                admin: OzProvidersInvite,
                exception: Some(IssuerException::OpenProviderRegistration),
                custom_privileges: None,
            },
            consume: None,
            join: None,
        },
        InviteType::UserJoinCluster => Rule {
            create: by_cluster(ClusterAddUser),
            consume: None,
            join: joins(EntityKind::Cluster, &CLUSTER_ADMIN),
        },
        InviteType::GroupJoinCluster => Rule {
            create: by_cluster(ClusterAddGroup),
            consume: needs(GroupAddCluster, OzGroupsAddRelationships),
            join: joins(EntityKind::Cluster, &CLUSTER_MEMBER),
        },
        InviteType::UserJoinHarvester => Rule {
            create: by(
                HarvesterAddUser,
                OzHarvestersAddRelationships,
                HARVESTER_SET,
            ),
            consume: None,
            join: joins(EntityKind::Harvester, &HARVESTER_MEMBER),
        },
        InviteType::GroupJoinHarvester => Rule {
            create: by(
                HarvesterAddGroup,
                OzHarvestersAddRelationships,
                HARVESTER_SET,
            ),
            consume: needs(GroupAddHarvester, OzGroupsAddRelationships),
            join: joins(EntityKind::Harvester, &HARVESTER_MEMBER),
        },
        InviteType::SpaceJoinHarvester => Rule {
            create: by(HarvesterAddSpace, OzHarvestersAddRelationships, None),
            consume: needs(SpaceAddHarvester, OzSpacesAddRelationships),
            join: None,
        },
        InviteType::UserJoinAtmInventory => Rule {
            create: by(
                AtmInventoryAddUser,
                OzAtmInventoriesAddRelationships,
                ATM_INVENTORY_SET,
            ),
            consume: None,
            join: joins(EntityKind::AtmInventory, &ATM_INVENTORY_MEMBER),
        },
        InviteType::GroupJoinAtmInventory => Rule {
            create: by(
                AtmInventoryAddGroup,
                OzAtmInventoriesAddRelationships,
                ATM_INVENTORY_SET,
            ),
            consume: needs(GroupAddAtmInventory, OzGroupsAddRelationships),
            join: joins(EntityKind::AtmInventory, &ATM_INVENTORY_MEMBER),
        },
    }
}

const GROUP_SET: Option<Requirement> = needs(GroupSetPrivileges, OzGroupsSetPrivileges);
const SPACE_SET: Option<Requirement> = needs(SpaceSetPrivileges, OzSpacesSetPrivileges);
const HARVESTER_SET: Option<Requirement> = needs(HarvesterSetPrivileges, OzHarvestersSetPrivileges);
const ATM_INVENTORY_SET: Option<Requirement> =
    needs(AtmInventorySetPrivileges, OzAtmInventoriesSetPrivileges);

/// An issuer rule with an entity privilege and its admin alternative.
const fn by(
    privilege: Privilege,
    admin: Privilege,
    custom_privileges: Option<Requirement>,
) -> InviteCreation {
    InviteCreation {
        privilege: Some(privilege),
        admin,
        exception: None,
        custom_privileges,
    }
}

/// An issuer rule for a cluster invite: the cluster's provider may always issue.
const fn by_cluster(privilege: Privilege) -> InviteCreation {
    InviteCreation {
        privilege: Some(privilege),
        admin: OzClustersAddRelationships,
        exception: Some(IssuerException::ClusterProvider),
        custom_privileges: needs(ClusterSetPrivileges, OzClustersSetPrivileges),
    }
}

/// A requirement of `privilege` or `admin`.
const fn needs(privilege: Privilege, admin: Privilege) -> Option<Requirement> {
    Some(Requirement { privilege, admin })
}

/// Join privileges of `kind` with `default`.
const fn joins(kind: EntityKind, default: &'static [Privilege]) -> Option<JoinPrivileges> {
    Some(JoinPrivileges { kind, default })
}
