//! What invite tokens demand and grant (spec §1.3, §1.4, §3.1), by invite type.
//!
//! The functions take the invite type's three-letter code from the token identifier (`ujg`,
//! `gjs`, ...).
// TODO: take `crate::token::InviteType` once it lands (codes via its `from_code`), and drop
// `UnknownInviteType`; its `default_privileges` preset names can then come from here.

use core::fmt;

use super::EntityKind;
use super::Privilege::{self, *};
use super::preset::{
    ATM_INVENTORY_MEMBER, CLUSTER_ADMIN, CLUSTER_MEMBER, GROUP_MEMBER, HARVESTER_MEMBER,
    SPACE_MEMBER,
};

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

/// The code names no invite type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UnknownInviteType;

impl fmt::Display for UnknownInviteType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown invite type")
    }
}

impl core::error::Error for UnknownInviteType {}

/// What the issuer of an invite token of type `code` must hold (spec §1.3).
///
/// Creating a token for another subject also needs `oz_tokens_manage`, and then the subject
/// itself must pass this check; that is the issuer's business, not this table's.
///
/// ```
/// use mintage::privilege::{create_invite_requirement, Privilege};
///
/// let rule = create_invite_requirement("ujg")?;
/// assert_eq!(rule.privilege, Some(Privilege::GroupAddUser));
/// assert_eq!(rule.admin, Privilege::OzGroupsAddRelationships);
/// # Ok::<(), mintage::privilege::UnknownInviteType>(())
/// ```
///
/// # Errors
/// [`UnknownInviteType`] if `code` is not one of the fourteen codes.
pub fn create_invite_requirement(code: &str) -> Result<InviteCreation, UnknownInviteType> {
    rule(code).map(|rule| rule.create)
}

/// The privilege the consumer of an invite token of type `code` must hold, in the entity that
/// joins (the child group, the joining group, harvester or space named by the join request,
/// not the invite's target); `None` when joining needs none (spec §1.4).
///
/// `None` does not mean anyone may join: user invites are for users, `supportSpace` for
/// Oneproviders, and only `registerOneprovider` accepts anyone.
///
/// # Errors
/// [`UnknownInviteType`] if `code` is not one of the fourteen codes.
pub fn consume_invite_requirement(code: &str) -> Result<Option<Requirement>, UnknownInviteType> {
    rule(code).map(|rule| rule.consume)
}

/// The privileges a member joining through an invite of type `code` receives; `None` for
/// invites that create no membership with privileges (`ssp`, `hjs`, `rop`, `sjh`).
///
/// # Errors
/// [`UnknownInviteType`] if `code` is not one of the fourteen codes.
pub fn join_privileges(code: &str) -> Result<Option<JoinPrivileges>, UnknownInviteType> {
    rule(code).map(|rule| rule.join)
}

/// One row of the invite tables.
struct Rule {
    code: &'static str,
    create: InviteCreation,
    consume: Option<Requirement>,
    join: Option<JoinPrivileges>,
}

/// Looks up the row of `code`.
fn rule(code: &str) -> Result<&'static Rule, UnknownInviteType> {
    RULES
        .iter()
        .find(|rule| rule.code == code)
        .ok_or(UnknownInviteType)
}

/// The fourteen invite types in the order of spec §3.1.
static RULES: [Rule; 14] = [
    Rule {
        code: "ujg",
        create: by(GroupAddUser, OzGroupsAddRelationships, GROUP_SET),
        consume: None,
        join: joins(EntityKind::Group, &GROUP_MEMBER),
    },
    Rule {
        code: "gjg",
        create: by(GroupAddChild, OzGroupsAddRelationships, GROUP_SET),
        consume: needs(GroupAddParent, OzGroupsAddRelationships),
        join: joins(EntityKind::Group, &GROUP_MEMBER),
    },
    Rule {
        code: "ujs",
        create: by(SpaceAddUser, OzSpacesAddRelationships, SPACE_SET),
        consume: None,
        join: joins(EntityKind::Space, &SPACE_MEMBER),
    },
    Rule {
        code: "gjs",
        create: by(SpaceAddGroup, OzSpacesAddRelationships, SPACE_SET),
        // Swagger also names oz_spaces_add_relationships; Onezone's code checks the group.
        consume: needs(GroupAddSpace, OzGroupsAddRelationships),
        join: joins(EntityKind::Space, &SPACE_MEMBER),
    },
    Rule {
        code: "ssp",
        create: by(SpaceAddSupport, OzSpacesAddRelationships, None),
        consume: None,
        join: None,
    },
    Rule {
        code: "hjs",
        create: by(SpaceAddHarvester, OzSpacesAddRelationships, None),
        consume: needs(HarvesterAddSpace, OzHarvestersAddRelationships),
        join: None,
    },
    Rule {
        code: "rop",
        create: InviteCreation {
            privilege: None,
            admin: OzProvidersInvite,
            exception: Some(IssuerException::OpenProviderRegistration),
            custom_privileges: None,
        },
        consume: None,
        join: None,
    },
    Rule {
        code: "ujc",
        create: by_cluster(ClusterAddUser),
        consume: None,
        join: joins(EntityKind::Cluster, &CLUSTER_ADMIN),
    },
    Rule {
        code: "gjc",
        create: by_cluster(ClusterAddGroup),
        consume: needs(GroupAddCluster, OzGroupsAddRelationships),
        join: joins(EntityKind::Cluster, &CLUSTER_MEMBER),
    },
    Rule {
        code: "ujh",
        create: by(
            HarvesterAddUser,
            OzHarvestersAddRelationships,
            HARVESTER_SET,
        ),
        consume: None,
        join: joins(EntityKind::Harvester, &HARVESTER_MEMBER),
    },
    Rule {
        code: "gjh",
        create: by(
            HarvesterAddGroup,
            OzHarvestersAddRelationships,
            HARVESTER_SET,
        ),
        consume: needs(GroupAddHarvester, OzGroupsAddRelationships),
        join: joins(EntityKind::Harvester, &HARVESTER_MEMBER),
    },
    Rule {
        code: "sjh",
        create: by(HarvesterAddSpace, OzHarvestersAddRelationships, None),
        consume: needs(SpaceAddHarvester, OzSpacesAddRelationships),
        join: None,
    },
    Rule {
        code: "uji",
        create: by(
            AtmInventoryAddUser,
            OzAtmInventoriesAddRelationships,
            ATM_INVENTORY_SET,
        ),
        consume: None,
        join: joins(EntityKind::AtmInventory, &ATM_INVENTORY_MEMBER),
    },
    Rule {
        code: "gji",
        create: by(
            AtmInventoryAddGroup,
            OzAtmInventoriesAddRelationships,
            ATM_INVENTORY_SET,
        ),
        consume: needs(GroupAddAtmInventory, OzGroupsAddRelationships),
        join: joins(EntityKind::AtmInventory, &ATM_INVENTORY_MEMBER),
    },
];

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
