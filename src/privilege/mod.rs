//! Onezone's privilege catalogue (spec `onezone-tokens.md` §1): every group, space, handle
//! service, handle, harvester, cluster and automation-inventory privilege and every `oz_*`
//! admin privilege, the presets of each kind, the public listing, what invite tokens demand
//! of their issuer and consumer, and the older names Onezone once used.
//!
//! ```
//! use mintage::privilege::{EntityKind, Preset, Privilege};
//!
//! let p: Privilege = "group_add_user".parse()?;
//! assert_eq!(p.kind(), EntityKind::Group);
//! assert_eq!(p.preset(), Preset::Manager);
//! // The seed's `GET /groups/{id}/users/token` asks for `group_invite_user`:
//! assert_eq!("group_invite_user".parse::<Privilege>()?, Privilege::GroupAddUser);
//! assert_eq!(Privilege::GroupAddUser.to_string(), "group_add_user");
//! # Ok::<(), mintage::privilege::ParsePrivilegeError>(())
//! ```
//!
//! # Older names
//!
//! Parsing accepts the names of earlier releases and maps them to today's privileges; printing
//! always writes today's names. A name that became two privileges parses, alone, to the first
//! (the direct rename) and, in a [`list`], to both, as Onezone's own upgrade of stored
//! privileges does. A name with no counterpart today is [`ParsePrivilegeError::Retired`].
//!
//! | Old name | Used in | Today |
//! |---|---|---|
//! | `group_view_data` | 3.0 | `group_view`, `group_view_privileges` |
//! | `group_change_data` | 3.0 | `group_update` |
//! | `group_remove` | 3.0 | `group_delete` |
//! | `group_invite_user` | 3.0 to 18.02 | `group_add_user` |
//! | `group_invite_group` | 3.0 to 18.02 | `group_add_child` |
//! | `group_remove_group` | 3.0 to 18.02 | `group_remove_child` |
//! | `group_join_group` | 3.0 to 18.02 | `group_add_parent` |
//! | `group_leave_group` | 17.06 to 18.02 | `group_leave_parent` |
//! | `group_create_space`, `group_join_space` | 3.0 to 18.02 | `group_add_space` |
//! | `group_create_space_token` | 3.0 | retired |
//! | `space_view_data` | 3.0 | `space_view`, `space_view_privileges` |
//! | `space_change_data` | 3.0 | `space_update` |
//! | `space_remove` | 3.0 | `space_delete` |
//! | `space_write_files` | 3.0 | `space_write_data` |
//! | `space_invite_user` | 3.0 to 18.02 | `space_add_user` |
//! | `space_invite_group` | 3.0 to 18.02 | `space_add_group` |
//! | `space_add_provider` | 3.0, 19.02 | `space_add_support` |
//! | `space_invite_provider` | 17.06 to 18.02 | `space_add_support` |
//! | `space_remove_provider` | 3.0 to 19.02 | `space_remove_support` |
//! | `register_handle` \* | 3.0 | `handle_service_register_handle` |
//! | `handle_service_view_data` \* | 3.0 | `handle_service_view` |
//! | `handle_service_change_data` \* | 3.0 | `handle_service_update` |
//! | `handle_service_remove` \* | 3.0 | `handle_service_delete` |
//! | `handle_service_add_user`, `handle_service_remove_user`, `handle_service_add_group`, `handle_service_remove_group` \* | 3.0 | retired |
//! | `handle_view_data` \* | 3.0 | `handle_view` |
//! | `handle_change_data` \* | 3.0 | `handle_update` |
//! | `unregister_handle` \* | 3.0 | `handle_delete` |
//! | `view_privileges` \* | 3.0 | `oz_view_privileges` |
//! | `set_privileges` \* | 3.0 | `oz_set_privileges` |
//! | `list_users` \* | 3.0 | `oz_users_list`, `oz_users_view` |
//! | `list_groups` \* | 3.0 | `oz_groups_list`, `oz_groups_view` |
//! | `list_spaces` \* | 3.0 | `oz_spaces_list`, `oz_spaces_view` |
//! | `list_providers` \* | 3.0 | `oz_providers_list`, `oz_providers_view` |
//! | `list_providers_of_space` \* | 3.0 | `oz_spaces_list_relationships` |
//! | `list_users_of_provider`, `list_groups_of_provider`, `list_spaces_of_provider` \* | 3.0 | `oz_providers_list_relationships` |
//! | `add_member_to_space` \* | 3.0 | `oz_spaces_add_relationships` |
//! | `remove_member_from_space` \* | 3.0 | `oz_spaces_remove_relationships` |
//! | `oz_groups_list_users`, `oz_groups_list_groups` | 18.02 | `oz_groups_list_relationships` |
//! | `oz_groups_add_members` | 18.02 | `oz_groups_add_relationships` |
//! | `oz_groups_remove_members` | 18.02 | `oz_groups_remove_relationships` |
//! | `oz_spaces_list_users`, `oz_spaces_list_groups`, `oz_spaces_list_providers` | 18.02 | `oz_spaces_list_relationships` |
//! | `oz_spaces_add_members` | 18.02 | `oz_spaces_add_relationships` |
//! | `oz_spaces_remove_members` | 18.02 | `oz_spaces_remove_relationships` |
//! | `oz_providers_list_users`, `oz_providers_list_groups`, `oz_providers_list_spaces` | 18.02 | `oz_providers_list_relationships` |
//!
//! Group and space rows follow the rename table of spec §1.1; the 18.02 `oz_*` rows follow
//! Onezone's upgrade of stored privileges. Rows marked \* have no published mapping and are
//! inferred from the others (`*_view_data` → `*_view`, `*_change_data` → `*_update`,
//! `*_remove` → `*_delete`; a 3.0 `list_*` also allowed viewing one entity). Handle services
//! have no membership privileges today, so their old ones are retired rather than mapped to a
//! wider privilege.
//!
//! Names whose spelling survived parse as today's privilege even where its meaning narrowed:
//! 17.06's `group_view` also let members see privileges, and 18.02's `oz_users_list` also let
//! admins view users. A parser cannot tell which era a bare name comes from.

mod alias;
mod catalogue;
mod checker;
mod invite;
pub mod list;
mod memory;
mod preset;

pub use catalogue::Privilege;
pub use checker::{
    AddMemberError, DirectoryError, EntityRef, JoinOutcome, Member, PrivilegeChecker, SubjectStatus,
};
pub use invite::{
    InviteCreation, IssuerException, JoinPrivileges, Requirement, consume_invite_requirement,
    create_invite_requirement, join_privileges,
};
pub use memory::MemoryDirectory;
pub use preset::{Preset, named_preset};

use core::fmt;
use core::str::FromStr;

use serde::de::{Deserialize, Deserializer, Error as _, Unexpected, Visitor};
use serde::ser::{Serialize, Serializer};

/// The kind of entity a privilege is held in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EntityKind {
    /// Groups (`group_*`).
    Group,
    /// Spaces (`space_*`).
    Space,
    /// Handle services (`handle_service_*`).
    HandleService,
    /// Handles (`handle_*`).
    Handle,
    /// Harvesters (`harvester_*`).
    Harvester,
    /// Clusters (`cluster_*`).
    Cluster,
    /// Automation inventories (`atm_inventory_*`).
    AtmInventory,
    /// Onezone itself: the admin privileges (`oz_*`).
    Onezone,
}

impl EntityKind {
    /// Every kind, in catalogue order.
    pub const fn all() -> &'static [Self] {
        &[
            Self::Group,
            Self::Space,
            Self::HandleService,
            Self::Handle,
            Self::Harvester,
            Self::Cluster,
            Self::AtmInventory,
            Self::Onezone,
        ]
    }

    /// The prefix of the kind's privilege names, without the underscore: `group`,
    /// `handle_service`, ..., `oz`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Space => "space",
            Self::HandleService => "handle_service",
            Self::Handle => "handle",
            Self::Harvester => "harvester",
            Self::Cluster => "cluster",
            Self::AtmInventory => "atm_inventory",
            Self::Onezone => "oz",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a privilege name, or a list of them, does not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParsePrivilegeError {
    /// The name is neither a privilege nor an older name of one.
    Unknown,
    /// An older name with no counterpart today, such as `group_create_space_token`.
    Retired,
    /// A JSON privilege list that is not an array of strings.
    Malformed,
}

impl ParsePrivilegeError {
    /// What a serde error says was expected instead.
    const fn expected(self) -> &'static str {
        match self {
            Self::Unknown | Self::Malformed => "a Onezone privilege name",
            Self::Retired => "a privilege that Onezone still has",
        }
    }
}

impl fmt::Display for ParsePrivilegeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unknown => "unknown privilege",
            Self::Retired => "privilege no longer exists",
            Self::Malformed => "privilege list is not an array of names",
        })
    }
}

impl core::error::Error for ParsePrivilegeError {}

impl Privilege {
    /// Every privilege, in catalogue order: each kind's privileges together, kinds in the
    /// order of [`EntityKind::all`].
    pub const fn all() -> &'static [Self] {
        catalogue::ALL
    }

    /// Every privilege `name` stands for today: itself for a current name, one or two
    /// privileges for an older name (see the [module docs](self)).
    ///
    /// ```
    /// use mintage::privilege::Privilege;
    ///
    /// assert_eq!(Privilege::resolve("group_view_data")?, [
    ///     Privilege::GroupView,
    ///     Privilege::GroupViewPrivileges,
    /// ]);
    /// # Ok::<(), mintage::privilege::ParsePrivilegeError>(())
    /// ```
    ///
    /// # Errors
    /// [`ParsePrivilegeError::Unknown`] or [`ParsePrivilegeError::Retired`].
    pub fn resolve(name: &str) -> Result<&'static [Self], ParsePrivilegeError> {
        if let Some(privilege) = Self::from_name(name) {
            return Ok(privilege.as_slice());
        }
        match alias::lookup(name) {
            Some([]) => Err(ParsePrivilegeError::Retired),
            Some(privileges) => Ok(privileges),
            None => Err(ParsePrivilegeError::Unknown),
        }
    }
}

impl FromStr for Privilege {
    type Err = ParsePrivilegeError;

    /// Parses a current name, or an older one to its direct rename (see the
    /// [module docs](self)).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match Self::resolve(name)? {
            [first, ..] => Ok(*first),
            [] => Err(ParsePrivilegeError::Retired),
        }
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Privilege {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Privilege {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_str(NameVisitor)? {
            [first, ..] => Ok(*first),
            [] => Err(D::Error::custom(ParsePrivilegeError::Retired)),
        }
    }
}

/// Visits one privilege name, resolving it as [`Privilege::resolve`] does.
struct NameVisitor;

impl Visitor<'_> for NameVisitor {
    type Value = &'static [Privilege];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ParsePrivilegeError::Unknown.expected())
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Privilege::resolve(name)
            .map_err(|err| E::invalid_value(Unexpected::Str(name), &err.expected()))
    }
}

#[cfg(test)]
mod tests;
