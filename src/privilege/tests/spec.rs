//! Spec §1 and §3.1 written out by hand, independently of the catalogue: the tests compare
//! the two.

use crate::privilege::{EntityKind, IssuerException, Preset};

// Spec §1.1 and §1.2, in Onezone's order.

pub(super) const GROUP_MEMBER: &[&str] = &["group_view"];
pub(super) const GROUP_MANAGER: &[&str] = &[
    "group_view",
    "group_view_privileges",
    "group_add_user",
    "group_remove_user",
    "group_add_parent",
    "group_leave_parent",
    "group_add_child",
    "group_remove_child",
    "group_add_harvester",
    "group_remove_harvester",
    "group_add_atm_inventory",
    "group_remove_atm_inventory",
];
pub(super) const GROUP_ADMIN_ADDS: &[&str] = &[
    "group_update",
    "group_delete",
    "group_set_privileges",
    "group_add_space",
    "group_leave_space",
    "group_add_cluster",
    "group_leave_cluster",
    "group_create_handle_service",
    "group_leave_handle_service",
    "group_create_handle",
    "group_leave_handle",
];

const SPACE_MEMBER: &[&str] = &[
    "space_view",
    "space_read_data",
    "space_write_data",
    "space_view_transfers",
];
const SPACE_MANAGER_ADDS: &[&str] = &[
    "space_view_privileges",
    "space_add_user",
    "space_remove_user",
    "space_add_group",
    "space_remove_group",
    "space_add_harvester",
    "space_remove_harvester",
    "space_register_files",
    "space_manage_shares",
    "space_view_views",
    "space_query_views",
    "space_view_statistics",
    "space_view_changes_stream",
    "space_schedule_replication",
    "space_view_qos",
    "space_manage_datasets",
    "space_view_archives",
    "space_create_archives",
    "space_manage_archives",
    "space_view_atm_workflow_executions",
    "space_schedule_atm_workflow_executions",
];
const SPACE_ADMIN_ADDS: &[&str] = &[
    "space_update",
    "space_delete",
    "space_set_privileges",
    "space_manage_in_marketplace",
    "space_add_support",
    "space_remove_support",
    "space_manage_views",
    "space_cancel_replication",
    "space_schedule_eviction",
    "space_cancel_eviction",
    "space_manage_qos",
    "space_remove_archives",
    "space_recall_archives",
    "space_manage_atm_workflow_executions",
];

/// `(kind, member, manager additions or None for no manager preset, admin additions)`.
pub(super) type SpecPresets = (
    EntityKind,
    Vec<&'static str>,
    Option<Vec<&'static str>>,
    Vec<&'static str>,
);

/// Spec §1.1 and §1.2's presets for the seven entity kinds.
pub(super) fn spec_presets() -> Vec<SpecPresets> {
    vec![
        (
            EntityKind::Group,
            GROUP_MEMBER.to_vec(),
            Some(GROUP_MANAGER[1..].to_vec()),
            GROUP_ADMIN_ADDS.to_vec(),
        ),
        (
            EntityKind::Space,
            SPACE_MEMBER.to_vec(),
            Some(SPACE_MANAGER_ADDS.to_vec()),
            SPACE_ADMIN_ADDS.to_vec(),
        ),
        (
            EntityKind::HandleService,
            vec![
                "handle_service_view",
                "handle_service_register_handle",
                "handle_service_list_handles",
            ],
            None,
            vec![
                "handle_service_update",
                "handle_service_delete",
                "handle_service_manage_handles",
            ],
        ),
        (
            EntityKind::Handle,
            vec!["handle_view"],
            None,
            vec!["handle_update", "handle_delete"],
        ),
        (
            EntityKind::Harvester,
            vec!["harvester_view"],
            Some(vec![
                "harvester_add_user",
                "harvester_remove_user",
                "harvester_add_group",
                "harvester_remove_group",
                "harvester_add_space",
                "harvester_remove_space",
            ]),
            vec![
                "harvester_update",
                "harvester_delete",
                "harvester_view_privileges",
                "harvester_set_privileges",
            ],
        ),
        (
            EntityKind::Cluster,
            vec!["cluster_view"],
            Some(vec![
                "cluster_add_user",
                "cluster_remove_user",
                "cluster_add_group",
                "cluster_remove_group",
            ]),
            vec![
                "cluster_update",
                "cluster_delete",
                "cluster_view_privileges",
                "cluster_set_privileges",
            ],
        ),
        (
            EntityKind::AtmInventory,
            vec!["atm_inventory_view"],
            Some(vec![
                "atm_inventory_manage_lambdas",
                "atm_inventory_manage_workflow_schemas",
                "atm_inventory_add_user",
                "atm_inventory_remove_user",
                "atm_inventory_add_group",
                "atm_inventory_remove_group",
            ]),
            vec![
                "atm_inventory_update",
                "atm_inventory_delete",
                "atm_inventory_view_privileges",
                "atm_inventory_set_privileges",
            ],
        ),
    ]
}

/// Spec §1.2's `oz_*` list, expanded.
pub(super) fn spec_oz_names() -> Vec<String> {
    let mut out: Vec<String> = [
        "oz_view_privileges",
        "oz_set_privileges",
        "oz_tokens_manage",
    ]
    .map(String::from)
    .to_vec();
    let users = [
        "list",
        "view",
        "create",
        "manage_passwords",
        "update",
        "delete",
        "list_relationships",
        "add_relationships",
        "remove_relationships",
    ];
    out.extend(users.map(|op| format!("oz_users_{op}")));
    let entity_ops = [
        "list",
        "view",
        "create",
        "update",
        "delete",
        "view_privileges",
        "set_privileges",
        "list_relationships",
        "add_relationships",
        "remove_relationships",
    ];
    for entity in [
        "groups",
        "spaces",
        "handle_services",
        "handles",
        "harvesters",
        "atm_inventories",
    ] {
        out.extend(entity_ops.map(|op| format!("oz_{entity}_{op}")));
    }
    out.extend(["list", "view", "create", "update", "delete"].map(|op| format!("oz_shares_{op}")));
    out.extend(
        [
            "list",
            "view",
            "update",
            "delete",
            "list_relationships",
            "invite",
        ]
        .map(|op| format!("oz_providers_{op}")),
    );
    out.extend(
        [
            "list",
            "view",
            "update",
            "view_privileges",
            "set_privileges",
            "list_relationships",
            "add_relationships",
            "remove_relationships",
        ]
        .map(|op| format!("oz_clusters_{op}")),
    );
    out
}

/// Every older name and what spec §1.1/§1.2 (or the inference documented in the module docs)
/// says it is today; `[]` for retired names.
pub(super) const SPEC_ALIASES: &[(&str, &[&str])] = &[
    ("group_view_data", &["group_view", "group_view_privileges"]),
    ("group_change_data", &["group_update"]),
    ("group_remove", &["group_delete"]),
    ("group_invite_user", &["group_add_user"]),
    ("group_invite_group", &["group_add_child"]),
    ("group_remove_group", &["group_remove_child"]),
    ("group_join_group", &["group_add_parent"]),
    ("group_leave_group", &["group_leave_parent"]),
    ("group_create_space", &["group_add_space"]),
    ("group_join_space", &["group_add_space"]),
    ("group_create_space_token", &[]),
    ("space_view_data", &["space_view", "space_view_privileges"]),
    ("space_change_data", &["space_update"]),
    ("space_remove", &["space_delete"]),
    ("space_write_files", &["space_write_data"]),
    ("space_invite_user", &["space_add_user"]),
    ("space_invite_group", &["space_add_group"]),
    ("space_add_provider", &["space_add_support"]),
    ("space_invite_provider", &["space_add_support"]),
    ("space_remove_provider", &["space_remove_support"]),
    ("register_handle", &["handle_service_register_handle"]),
    ("handle_service_view_data", &["handle_service_view"]),
    ("handle_service_change_data", &["handle_service_update"]),
    ("handle_service_remove", &["handle_service_delete"]),
    ("handle_service_add_user", &[]),
    ("handle_service_remove_user", &[]),
    ("handle_service_add_group", &[]),
    ("handle_service_remove_group", &[]),
    ("handle_view_data", &["handle_view"]),
    ("handle_change_data", &["handle_update"]),
    ("unregister_handle", &["handle_delete"]),
    ("view_privileges", &["oz_view_privileges"]),
    ("set_privileges", &["oz_set_privileges"]),
    ("list_users", &["oz_users_list", "oz_users_view"]),
    ("list_groups", &["oz_groups_list", "oz_groups_view"]),
    ("list_spaces", &["oz_spaces_list", "oz_spaces_view"]),
    (
        "list_providers",
        &["oz_providers_list", "oz_providers_view"],
    ),
    ("list_providers_of_space", &["oz_spaces_list_relationships"]),
    (
        "list_users_of_provider",
        &["oz_providers_list_relationships"],
    ),
    (
        "list_groups_of_provider",
        &["oz_providers_list_relationships"],
    ),
    (
        "list_spaces_of_provider",
        &["oz_providers_list_relationships"],
    ),
    ("add_member_to_space", &["oz_spaces_add_relationships"]),
    (
        "remove_member_from_space",
        &["oz_spaces_remove_relationships"],
    ),
    ("oz_groups_list_users", &["oz_groups_list_relationships"]),
    ("oz_groups_list_groups", &["oz_groups_list_relationships"]),
    ("oz_groups_add_members", &["oz_groups_add_relationships"]),
    (
        "oz_groups_remove_members",
        &["oz_groups_remove_relationships"],
    ),
    ("oz_spaces_list_users", &["oz_spaces_list_relationships"]),
    ("oz_spaces_list_groups", &["oz_spaces_list_relationships"]),
    (
        "oz_spaces_list_providers",
        &["oz_spaces_list_relationships"],
    ),
    ("oz_spaces_add_members", &["oz_spaces_add_relationships"]),
    (
        "oz_spaces_remove_members",
        &["oz_spaces_remove_relationships"],
    ),
    (
        "oz_providers_list_users",
        &["oz_providers_list_relationships"],
    ),
    (
        "oz_providers_list_groups",
        &["oz_providers_list_relationships"],
    ),
    (
        "oz_providers_list_spaces",
        &["oz_providers_list_relationships"],
    ),
];

/// One row of the invite tables as the spec writes it.
pub(super) struct InviteRow {
    pub(super) code: &'static str,
    pub(super) create: Option<&'static str>,
    pub(super) admin: &'static str,
    pub(super) exception: Option<IssuerException>,
    pub(super) custom: Option<(&'static str, &'static str)>,
    pub(super) consume: Option<(&'static str, &'static str)>,
    pub(super) join: Option<(EntityKind, Preset)>,
}

/// Spec §1.3 (creation), §1.4 (consumption), §3.1 (default privileges on join).
#[rustfmt::skip]
pub(super) fn spec_invites() -> Vec<InviteRow> {
    use EntityKind::*;
    use IssuerException::*;
    const GROUP_SET: Option<(&str, &str)> = Some(("group_set_privileges", "oz_groups_set_privileges"));
    const SPACE_SET: Option<(&str, &str)> = Some(("space_set_privileges", "oz_spaces_set_privileges"));
    const CLUSTER_SET: Option<(&str, &str)> = Some(("cluster_set_privileges", "oz_clusters_set_privileges"));
    const HARVESTER_SET: Option<(&str, &str)> = Some(("harvester_set_privileges", "oz_harvesters_set_privileges"));
    const INVENTORY_SET: Option<(&str, &str)> = Some(("atm_inventory_set_privileges", "oz_atm_inventories_set_privileges"));
    const GROUP_ADMIN: &str = "oz_groups_add_relationships";
    let row = |code, create, admin, exception, custom, consume, join| InviteRow {
        code, create, admin, exception, custom, consume, join,
    };
    vec![
        row("ujg", Some("group_add_user"), GROUP_ADMIN, None, GROUP_SET, None, Some((Group, Preset::Member))),
        row("gjg", Some("group_add_child"), GROUP_ADMIN, None, GROUP_SET, Some(("group_add_parent", GROUP_ADMIN)), Some((Group, Preset::Member))),
        row("ujs", Some("space_add_user"), "oz_spaces_add_relationships", None, SPACE_SET, None, Some((Space, Preset::Member))),
        row("gjs", Some("space_add_group"), "oz_spaces_add_relationships", None, SPACE_SET, Some(("group_add_space", GROUP_ADMIN)), Some((Space, Preset::Member))),
        row("ssp", Some("space_add_support"), "oz_spaces_add_relationships", None, None, None, None),
        row("hjs", Some("space_add_harvester"), "oz_spaces_add_relationships", None, None, Some(("harvester_add_space", "oz_harvesters_add_relationships")), None),
        row("rop", None, "oz_providers_invite", Some(OpenProviderRegistration), None, None, None),
        row("ujc", Some("cluster_add_user"), "oz_clusters_add_relationships", Some(ClusterProvider), CLUSTER_SET, None, Some((Cluster, Preset::Admin))),
        row("gjc", Some("cluster_add_group"), "oz_clusters_add_relationships", Some(ClusterProvider), CLUSTER_SET, Some(("group_add_cluster", GROUP_ADMIN)), Some((Cluster, Preset::Member))),
        row("ujh", Some("harvester_add_user"), "oz_harvesters_add_relationships", None, HARVESTER_SET, None, Some((Harvester, Preset::Member))),
        row("gjh", Some("harvester_add_group"), "oz_harvesters_add_relationships", None, HARVESTER_SET, Some(("group_add_harvester", GROUP_ADMIN)), Some((Harvester, Preset::Member))),
        row("sjh", Some("harvester_add_space"), "oz_harvesters_add_relationships", None, None, Some(("space_add_harvester", "oz_spaces_add_relationships")), None),
        row("uji", Some("atm_inventory_add_user"), "oz_atm_inventories_add_relationships", None, INVENTORY_SET, None, Some((AtmInventory, Preset::Member))),
        row("gji", Some("atm_inventory_add_group"), "oz_atm_inventories_add_relationships", None, INVENTORY_SET, Some(("group_add_atm_inventory", GROUP_ADMIN)), Some((AtmInventory, Preset::Member))),
    ]
}
