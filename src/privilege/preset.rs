//! Presets per entity kind and the `GET /<entities>/privileges` listing (spec §1.1, §1.2).

use core::fmt;

use serde_json::{Map, Value};

use super::catalogue::ALL;
use super::{EntityKind, Privilege};

/// A named privilege preset. Entities have `member` ⊂ `manager` ⊂ `admin` (handle services
/// and handles only `member` ⊂ `admin`); Onezone itself has `viewer` ⊂ `admin`. `admin`
/// always holds every privilege of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Preset {
    /// `member`: what a plain member of an entity gets (`group_member` is just `group_view`).
    Member,
    /// `manager`: member plus membership management.
    Manager,
    /// `admin`: every privilege of the kind.
    Admin,
    /// `viewer`: the Onezone preset of every `oz_*_list`, `oz_*_view` and
    /// `oz_*_list_relationships`.
    Viewer,
}

impl Preset {
    /// The name Onezone uses as the key of its listing, e.g. `member`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Manager => "manager",
            Self::Admin => "admin",
            Self::Viewer => "viewer",
        }
    }

    /// Position in the `⊂` chain: a privilege is in a preset if its own smallest preset ranks
    /// no higher.
    const fn rank(self) -> u8 {
        match self {
            Self::Member | Self::Viewer => 0,
            Self::Manager => 1,
            Self::Admin => 2,
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl EntityKind {
    /// The presets Onezone defines for this kind, smallest first.
    pub const fn presets(self) -> &'static [Preset] {
        match self {
            Self::Group | Self::Space | Self::Harvester | Self::Cluster | Self::AtmInventory => {
                &[Preset::Member, Preset::Manager, Preset::Admin]
            }
            Self::HandleService | Self::Handle => &[Preset::Member, Preset::Admin],
            Self::Onezone => &[Preset::Viewer, Preset::Admin],
        }
    }

    /// The privileges of `preset` for this kind, in catalogue order; `None` if the kind has no
    /// such preset (e.g. `manager` for handles, `member` for Onezone).
    ///
    /// ```
    /// use mintage::privilege::{EntityKind, Preset, Privilege};
    ///
    /// let member = EntityKind::Group.preset(Preset::Member);
    /// assert_eq!(member, Some(&[Privilege::GroupView][..]));
    /// assert_eq!(EntityKind::Handle.preset(Preset::Manager), None);
    /// ```
    pub fn preset(self, preset: Preset) -> Option<&'static [Privilege]> {
        Some(match (self, preset) {
            (Self::Group, Preset::Member) => &GROUP_MEMBER,
            (Self::Group, Preset::Manager) => &GROUP_MANAGER,
            (Self::Space, Preset::Member) => &SPACE_MEMBER,
            (Self::Space, Preset::Manager) => &SPACE_MANAGER,
            (Self::HandleService, Preset::Member) => &HANDLE_SERVICE_MEMBER,
            (Self::Handle, Preset::Member) => &HANDLE_MEMBER,
            (Self::Harvester, Preset::Member) => &HARVESTER_MEMBER,
            (Self::Harvester, Preset::Manager) => &HARVESTER_MANAGER,
            (Self::Cluster, Preset::Member) => &CLUSTER_MEMBER,
            (Self::Cluster, Preset::Manager) => &CLUSTER_MANAGER,
            (Self::AtmInventory, Preset::Member) => &ATM_INVENTORY_MEMBER,
            (Self::AtmInventory, Preset::Manager) => &ATM_INVENTORY_MANAGER,
            (Self::Onezone, Preset::Viewer) => &ONEZONE_VIEWER,
            (kind, Preset::Admin) => kind.privileges(),
            _ => return None,
        })
    }

    /// Every privilege of this kind, in catalogue order (the `admin` preset).
    pub const fn privileges(self) -> &'static [Privilege] {
        match self {
            Self::Group => &GROUP_ADMIN,
            Self::Space => &SPACE_ADMIN,
            Self::HandleService => &HANDLE_SERVICE_ADMIN,
            Self::Handle => &HANDLE_ADMIN,
            Self::Harvester => &HARVESTER_ADMIN,
            Self::Cluster => &CLUSTER_ADMIN,
            Self::AtmInventory => &ATM_INVENTORY_ADMIN,
            Self::Onezone => &ONEZONE_ADMIN,
        }
    }

    /// The path, under `/api/v3/onezone`, of the public endpoint that lists this kind's
    /// presets: `/groups/privileges`, `/spaces/privileges`, ..., and `/privileges` for the
    /// Onezone admin privileges.
    pub const fn listing_path(self) -> &'static str {
        match self {
            Self::Group => "/groups/privileges",
            Self::Space => "/spaces/privileges",
            Self::HandleService => "/handle_services/privileges",
            Self::Handle => "/handles/privileges",
            Self::Harvester => "/harvesters/privileges",
            Self::Cluster => "/clusters/privileges",
            Self::AtmInventory => "/atm_inventories/privileges",
            Self::Onezone => "/privileges",
        }
    }

    /// The 200 body of [`listing_path`](Self::listing_path): one array of names per preset,
    /// e.g. `{"member":["group_view"],"manager":[...],"admin":[...]}` for groups and
    /// `{"viewer":[...],"admin":[...]}` for Onezone. The endpoint needs no authentication.
    pub fn listing(self) -> Value {
        let mut body = Map::new();
        for &preset in self.presets() {
            if let Some(privileges) = self.preset(preset) {
                body.insert(preset.name().into(), super::list::to_json(privileges));
            }
        }
        Value::Object(body)
    }
}

/// The privileges of a preset by Onezone's name for it: `<kind>_<preset>`, e.g.
/// `group_member`, `cluster_admin`, `oz_viewer`; `None` for any other name.
///
/// ```
/// use mintage::privilege::{named_preset, Privilege};
///
/// assert_eq!(named_preset("group_member"), Some(&[Privilege::GroupView][..]));
/// assert_eq!(named_preset("handle_manager"), None);
/// ```
pub fn named_preset(name: &str) -> Option<&'static [Privilege]> {
    EntityKind::all().iter().find_map(|&kind| {
        let preset = name.strip_prefix(kind.name())?.strip_prefix('_')?;
        let preset = kind.presets().iter().find(|p| p.name() == preset)?;
        kind.preset(*preset)
    })
}

/// Declares one static per preset, filled at compile time from the catalogue.
macro_rules! presets {
    ($($name:ident = $kind:ident, $preset:ident;)*) => {
        $(
            pub(super) static $name: [Privilege; count(EntityKind::$kind, Preset::$preset)] =
                select(EntityKind::$kind, Preset::$preset);
        )*
    };
}

presets! {
    GROUP_MEMBER = Group, Member;
    GROUP_MANAGER = Group, Manager;
    GROUP_ADMIN = Group, Admin;
    SPACE_MEMBER = Space, Member;
    SPACE_MANAGER = Space, Manager;
    SPACE_ADMIN = Space, Admin;
    HANDLE_SERVICE_MEMBER = HandleService, Member;
    HANDLE_SERVICE_ADMIN = HandleService, Admin;
    HANDLE_MEMBER = Handle, Member;
    HANDLE_ADMIN = Handle, Admin;
    HARVESTER_MEMBER = Harvester, Member;
    HARVESTER_MANAGER = Harvester, Manager;
    HARVESTER_ADMIN = Harvester, Admin;
    CLUSTER_MEMBER = Cluster, Member;
    CLUSTER_MANAGER = Cluster, Manager;
    CLUSTER_ADMIN = Cluster, Admin;
    ATM_INVENTORY_MEMBER = AtmInventory, Member;
    ATM_INVENTORY_MANAGER = AtmInventory, Manager;
    ATM_INVENTORY_ADMIN = AtmInventory, Admin;
    ONEZONE_VIEWER = Onezone, Viewer;
    ONEZONE_ADMIN = Onezone, Admin;
}

/// Whether `privilege` belongs to `preset` of `kind`.
const fn in_preset(privilege: Privilege, kind: EntityKind, preset: Preset) -> bool {
    // Fieldless enums: comparing discriminants is comparing values.
    privilege.kind() as u8 == kind as u8 && privilege.preset().rank() <= preset.rank()
}

/// How many privileges `preset` of `kind` holds.
const fn count(kind: EntityKind, preset: Preset) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < ALL.len() {
        if in_preset(ALL[i], kind, preset) {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The privileges of `preset` of `kind`, in catalogue order; `N` must be
/// [`count`]`(kind, preset)`, or the build fails.
const fn select<const N: usize>(kind: EntityKind, preset: Preset) -> [Privilege; N] {
    let mut out = [Privilege::GroupView; N];
    let mut n = 0;
    let mut i = 0;
    while i < ALL.len() {
        if in_preset(ALL[i], kind, preset) {
            out[n] = ALL[i];
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "preset size mismatch");
    out
}
