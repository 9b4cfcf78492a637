//! The fourteen kinds of invite token (spec `onezone-tokens.md` §3.1): their JSON names,
//! identifier codes, target entities and privileges on join.

use core::fmt;

/// What an invite token lets its consumer join or do, in the order of spec §3.1.
///
/// ```
/// use mintage::token::InviteType;
///
/// let t = InviteType::from_name("userJoinGroup");
/// assert_eq!(t, Some(InviteType::UserJoinGroup));
/// assert_eq!(InviteType::UserJoinGroup.code(), "ujg");
/// assert_eq!(InviteType::UserJoinGroup.target_key(), "groupId");
/// assert_eq!(InviteType::UserJoinGroup.default_privileges(), Some("group_member"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum InviteType {
    /// `userJoinGroup` (`ujg`): a user joins the group.
    UserJoinGroup,
    /// `groupJoinGroup` (`gjg`): a group becomes a child of the group.
    GroupJoinGroup,
    /// `userJoinSpace` (`ujs`): a user joins the space.
    UserJoinSpace,
    /// `groupJoinSpace` (`gjs`): a group joins the space.
    GroupJoinSpace,
    /// `supportSpace` (`ssp`): a Oneprovider supports the space.
    SupportSpace,
    /// `harvesterJoinSpace` (`hjs`): a harvester becomes a metadata sink for the space.
    HarvesterJoinSpace,
    /// `registerOneprovider` (`rop`): a Oneprovider registers, with the target user as admin.
    RegisterOneprovider,
    /// `userJoinCluster` (`ujc`): a user joins the cluster.
    UserJoinCluster,
    /// `groupJoinCluster` (`gjc`): a group joins the cluster.
    GroupJoinCluster,
    /// `userJoinHarvester` (`ujh`): a user joins the harvester.
    UserJoinHarvester,
    /// `groupJoinHarvester` (`gjh`): a group joins the harvester.
    GroupJoinHarvester,
    /// `spaceJoinHarvester` (`sjh`): a space becomes a metadata source for the harvester.
    SpaceJoinHarvester,
    /// `userJoinAtmInventory` (`uji`): a user joins the automation inventory.
    UserJoinAtmInventory,
    /// `groupJoinAtmInventory` (`gji`): a group joins the automation inventory.
    GroupJoinAtmInventory,
}

impl InviteType {
    /// Every invite type, in the order above.
    pub const ALL: [Self; 14] = [
        Self::UserJoinGroup,
        Self::GroupJoinGroup,
        Self::UserJoinSpace,
        Self::GroupJoinSpace,
        Self::SupportSpace,
        Self::HarvesterJoinSpace,
        Self::RegisterOneprovider,
        Self::UserJoinCluster,
        Self::GroupJoinCluster,
        Self::UserJoinHarvester,
        Self::GroupJoinHarvester,
        Self::SpaceJoinHarvester,
        Self::UserJoinAtmInventory,
        Self::GroupJoinAtmInventory,
    ];

    /// The JSON `inviteType` name, e.g. `userJoinGroup`.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The three-letter code in the token identifier, e.g. `ujg`.
    pub fn code(self) -> &'static str {
        self.row().code
    }

    /// The JSON key naming the target entity in the token type, e.g. `groupId`, `spaceId` or,
    /// for [`InviteType::RegisterOneprovider`], `adminUserId`.
    pub fn target_key(self) -> &'static str {
        self.row().target_key
    }

    /// Whether privileges carried by a named invite token apply on join. Where they do not,
    /// Onezone stores `null` privileges.
    pub fn privileges_applicable(self) -> bool {
        self.row().default_privileges.is_some()
    }

    /// The name of the privilege preset granted on join when the token carries none, e.g.
    /// `group_member`; `None` where privileges do not apply.
    ///
    /// `userJoinCluster` grants `cluster_admin`, which Onezone marks as a temporary solution
    /// (VFS-5815).
    // A preset name for now: the privilege catalogue (`crate::privilege`) maps it to the
    // privileges themselves once it lands.
    pub fn default_privileges(self) -> Option<&'static str> {
        self.row().default_privileges
    }

    /// The invite type whose JSON name is `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The invite type whose identifier code is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The invite parameters Onezone writes after the target id: `ge` for `supportSpace` (kept
    /// so that 20.02 reads the token with default support parameters), empty for the rest.
    pub(super) fn parameters(self) -> &'static str {
        match self {
            Self::SupportSpace => "ge",
            _ => "",
        }
    }

    fn row(self) -> Row {
        match self {
            Self::UserJoinGroup => Row::new("userJoinGroup", "ujg", GROUP, Some("group_member")),
            Self::GroupJoinGroup => Row::new("groupJoinGroup", "gjg", GROUP, Some("group_member")),
            Self::UserJoinSpace => Row::new("userJoinSpace", "ujs", SPACE, Some("space_member")),
            Self::GroupJoinSpace => Row::new("groupJoinSpace", "gjs", SPACE, Some("space_member")),
            Self::SupportSpace => Row::new("supportSpace", "ssp", SPACE, None),
            Self::HarvesterJoinSpace => Row::new("harvesterJoinSpace", "hjs", SPACE, None),
            Self::RegisterOneprovider => Row::new("registerOneprovider", "rop", ADMIN, None),
            Self::UserJoinCluster => {
                Row::new("userJoinCluster", "ujc", CLUSTER, Some("cluster_admin"))
            }
            Self::GroupJoinCluster => {
                Row::new("groupJoinCluster", "gjc", CLUSTER, Some("cluster_member"))
            }
            Self::UserJoinHarvester => Row::new(
                "userJoinHarvester",
                "ujh",
                HARVESTER,
                Some("harvester_member"),
            ),
            Self::GroupJoinHarvester => Row::new(
                "groupJoinHarvester",
                "gjh",
                HARVESTER,
                Some("harvester_member"),
            ),
            Self::SpaceJoinHarvester => Row::new("spaceJoinHarvester", "sjh", HARVESTER, None),
            Self::UserJoinAtmInventory => Row::new(
                "userJoinAtmInventory",
                "uji",
                INVENTORY,
                Some("atm_inventory_member"),
            ),
            Self::GroupJoinAtmInventory => Row::new(
                "groupJoinAtmInventory",
                "gji",
                INVENTORY,
                Some("atm_inventory_member"),
            ),
        }
    }
}

impl fmt::Display for InviteType {
    /// The JSON name, e.g. `userJoinGroup`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of the table in spec §3.1.
#[derive(Clone, Copy)]
struct Row {
    name: &'static str,
    code: &'static str,
    target_key: &'static str,
    default_privileges: Option<&'static str>,
}

impl Row {
    const fn new(
        name: &'static str,
        code: &'static str,
        target_key: &'static str,
        default_privileges: Option<&'static str>,
    ) -> Self {
        Self {
            name,
            code,
            target_key,
            default_privileges,
        }
    }
}

const GROUP: &str = "groupId";
const SPACE: &str = "spaceId";
const ADMIN: &str = "adminUserId";
const CLUSTER: &str = "clusterId";
const HARVESTER: &str = "harvesterId";
const INVENTORY: &str = "atmInventoryId";

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Spec §3.1, row by row: name, code, target key, default privileges.
    const TABLE: [(InviteType, &str, &str, &str, Option<&str>); 14] = [
        (
            InviteType::UserJoinGroup,
            "userJoinGroup",
            "ujg",
            "groupId",
            Some("group_member"),
        ),
        (
            InviteType::GroupJoinGroup,
            "groupJoinGroup",
            "gjg",
            "groupId",
            Some("group_member"),
        ),
        (
            InviteType::UserJoinSpace,
            "userJoinSpace",
            "ujs",
            "spaceId",
            Some("space_member"),
        ),
        (
            InviteType::GroupJoinSpace,
            "groupJoinSpace",
            "gjs",
            "spaceId",
            Some("space_member"),
        ),
        (
            InviteType::SupportSpace,
            "supportSpace",
            "ssp",
            "spaceId",
            None,
        ),
        (
            InviteType::HarvesterJoinSpace,
            "harvesterJoinSpace",
            "hjs",
            "spaceId",
            None,
        ),
        (
            InviteType::RegisterOneprovider,
            "registerOneprovider",
            "rop",
            "adminUserId",
            None,
        ),
        (
            InviteType::UserJoinCluster,
            "userJoinCluster",
            "ujc",
            "clusterId",
            Some("cluster_admin"),
        ),
        (
            InviteType::GroupJoinCluster,
            "groupJoinCluster",
            "gjc",
            "clusterId",
            Some("cluster_member"),
        ),
        (
            InviteType::UserJoinHarvester,
            "userJoinHarvester",
            "ujh",
            "harvesterId",
            Some("harvester_member"),
        ),
        (
            InviteType::GroupJoinHarvester,
            "groupJoinHarvester",
            "gjh",
            "harvesterId",
            Some("harvester_member"),
        ),
        (
            InviteType::SpaceJoinHarvester,
            "spaceJoinHarvester",
            "sjh",
            "harvesterId",
            None,
        ),
        (
            InviteType::UserJoinAtmInventory,
            "userJoinAtmInventory",
            "uji",
            "atmInventoryId",
            Some("atm_inventory_member"),
        ),
        (
            InviteType::GroupJoinAtmInventory,
            "groupJoinAtmInventory",
            "gji",
            "atmInventoryId",
            Some("atm_inventory_member"),
        ),
    ];

    #[test]
    fn invite_type_matches_the_spec_table() {
        for (n, (t, name, code, key, privileges)) in TABLE.into_iter().enumerate() {
            assert_eq!(InviteType::ALL[n], t);
            assert_eq!(t.name(), name);
            assert_eq!(t.to_string(), name);
            assert_eq!(t.code(), code);
            assert_eq!(t.target_key(), key);
            assert_eq!(t.default_privileges(), privileges);
            assert_eq!(t.privileges_applicable(), privileges.is_some());
        }
    }

    #[test]
    fn invite_type_names_and_codes_are_unique_and_read_back() {
        let names: HashSet<_> = InviteType::ALL.iter().map(|t| t.name()).collect();
        let codes: HashSet<_> = InviteType::ALL.iter().map(|t| t.code()).collect();
        assert_eq!((names.len(), codes.len()), (14, 14));
        for t in InviteType::ALL {
            assert_eq!(InviteType::from_name(t.name()), Some(t));
            assert_eq!(InviteType::from_code(t.code()), Some(t));
            assert_eq!(InviteType::from_name(t.code()), None);
            assert_eq!(InviteType::from_code(t.name()), None);
        }
        assert_eq!(InviteType::from_name("UserJoinGroup"), None);
        assert_eq!(InviteType::from_code("UJG"), None);
    }

    #[test]
    fn invite_parameters_are_ge_only_for_support_space() {
        for t in InviteType::ALL {
            let expected = if t == InviteType::SupportSpace {
                "ge"
            } else {
                ""
            };
            assert_eq!(t.parameters(), expected);
        }
    }
}
