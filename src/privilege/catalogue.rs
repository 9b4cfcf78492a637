//! The catalogue itself: one row per privilege, in Onezone's order (spec §1.1, §1.2), each
//! with its name, its entity kind and the smallest preset that holds it. Everything else
//! (names, kinds, presets, the listing) is derived from this table, so it cannot drift.

use super::{EntityKind, Preset};

/// Declares [`Privilege`] and its derived tables from the rows below.
macro_rules! catalogue {
    ($($kind:ident {
        $($variant:ident = $name:literal, $tier:ident;)*
    })*) => {
        /// One Onezone privilege, named as Onezone writes it today (`group_view`,
        /// `space_add_user`, `oz_groups_list`, ...).
        ///
        /// Names print with [`Display`](core::fmt::Display) and parse with
        /// [`FromStr`](core::str::FromStr), which also accepts the older names listed in the
        /// [module docs](crate::privilege). Variants follow Onezone's own order, which is also
        /// the order of [`Ord`] and of every list this module returns.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Privilege {
            $($(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*)*
        }

        impl Privilege {
            /// The name Onezone writes, e.g. `group_add_user`.
            pub const fn name(self) -> &'static str {
                match self {
                    $($(Self::$variant => $name,)*)*
                }
            }

            /// The kind of entity this privilege is held in.
            pub const fn kind(self) -> EntityKind {
                match self {
                    $($(Self::$variant => EntityKind::$kind,)*)*
                }
            }

            /// The smallest preset of [`kind`](Self::kind) that holds this privilege.
            pub const fn preset(self) -> Preset {
                match self {
                    $($(Self::$variant => Preset::$tier,)*)*
                }
            }

            /// The privilege with this exact current name (no aliases).
            pub(super) fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($($name => Some(Self::$variant),)*)*
                    _ => None,
                }
            }

            /// A one-element static slice holding `self`.
            pub(super) const fn as_slice(self) -> &'static [Self] {
                match self {
                    $($(Self::$variant => &[Self::$variant],)*)*
                }
            }
        }

        /// Every privilege, in catalogue order.
        pub(super) const ALL: &[Privilege] = &[$($(Privilege::$variant,)*)*];
    };
}

catalogue! {
    Group {
        GroupView = "group_view", Member;
        GroupViewPrivileges = "group_view_privileges", Manager;
        GroupAddUser = "group_add_user", Manager;
        GroupRemoveUser = "group_remove_user", Manager;
        GroupAddParent = "group_add_parent", Manager;
        GroupLeaveParent = "group_leave_parent", Manager;
        GroupAddChild = "group_add_child", Manager;
        GroupRemoveChild = "group_remove_child", Manager;
        GroupAddHarvester = "group_add_harvester", Manager;
        GroupRemoveHarvester = "group_remove_harvester", Manager;
        GroupAddAtmInventory = "group_add_atm_inventory", Manager;
        GroupRemoveAtmInventory = "group_remove_atm_inventory", Manager;
        GroupUpdate = "group_update", Admin;
        GroupDelete = "group_delete", Admin;
        GroupSetPrivileges = "group_set_privileges", Admin;
        GroupAddSpace = "group_add_space", Admin;
        GroupLeaveSpace = "group_leave_space", Admin;
        GroupAddCluster = "group_add_cluster", Admin;
        GroupLeaveCluster = "group_leave_cluster", Admin;
        GroupCreateHandleService = "group_create_handle_service", Admin;
        GroupLeaveHandleService = "group_leave_handle_service", Admin;
        GroupCreateHandle = "group_create_handle", Admin;
        GroupLeaveHandle = "group_leave_handle", Admin;
    }
    Space {
        SpaceView = "space_view", Member;
        SpaceUpdate = "space_update", Admin;
        SpaceDelete = "space_delete", Admin;
        SpaceViewPrivileges = "space_view_privileges", Manager;
        SpaceSetPrivileges = "space_set_privileges", Admin;
        SpaceManageInMarketplace = "space_manage_in_marketplace", Admin;
        SpaceReadData = "space_read_data", Member;
        SpaceWriteData = "space_write_data", Member;
        SpaceRegisterFiles = "space_register_files", Manager;
        SpaceManageShares = "space_manage_shares", Manager;
        SpaceViewViews = "space_view_views", Manager;
        SpaceManageViews = "space_manage_views", Admin;
        SpaceQueryViews = "space_query_views", Manager;
        SpaceViewStatistics = "space_view_statistics", Manager;
        SpaceViewChangesStream = "space_view_changes_stream", Manager;
        SpaceViewTransfers = "space_view_transfers", Member;
        SpaceScheduleReplication = "space_schedule_replication", Manager;
        SpaceCancelReplication = "space_cancel_replication", Admin;
        SpaceScheduleEviction = "space_schedule_eviction", Admin;
        SpaceCancelEviction = "space_cancel_eviction", Admin;
        SpaceViewQos = "space_view_qos", Manager;
        SpaceManageQos = "space_manage_qos", Admin;
        SpaceAddUser = "space_add_user", Manager;
        SpaceRemoveUser = "space_remove_user", Manager;
        SpaceAddGroup = "space_add_group", Manager;
        SpaceRemoveGroup = "space_remove_group", Manager;
        SpaceAddSupport = "space_add_support", Admin;
        SpaceRemoveSupport = "space_remove_support", Admin;
        SpaceAddHarvester = "space_add_harvester", Manager;
        SpaceRemoveHarvester = "space_remove_harvester", Manager;
        SpaceManageDatasets = "space_manage_datasets", Manager;
        SpaceViewArchives = "space_view_archives", Manager;
        SpaceCreateArchives = "space_create_archives", Manager;
        SpaceManageArchives = "space_manage_archives", Manager;
        SpaceRemoveArchives = "space_remove_archives", Admin;
        SpaceRecallArchives = "space_recall_archives", Admin;
        SpaceViewAtmWorkflowExecutions = "space_view_atm_workflow_executions", Manager;
        SpaceScheduleAtmWorkflowExecutions = "space_schedule_atm_workflow_executions", Manager;
        SpaceManageAtmWorkflowExecutions = "space_manage_atm_workflow_executions", Admin;
    }
    HandleService {
        HandleServiceView = "handle_service_view", Member;
        HandleServiceUpdate = "handle_service_update", Admin;
        HandleServiceDelete = "handle_service_delete", Admin;
        HandleServiceRegisterHandle = "handle_service_register_handle", Member;
        HandleServiceListHandles = "handle_service_list_handles", Member;
        HandleServiceManageHandles = "handle_service_manage_handles", Admin;
    }
    Handle {
        HandleView = "handle_view", Member;
        HandleUpdate = "handle_update", Admin;
        HandleDelete = "handle_delete", Admin;
    }
    Harvester {
        HarvesterView = "harvester_view", Member;
        HarvesterUpdate = "harvester_update", Admin;
        HarvesterDelete = "harvester_delete", Admin;
        HarvesterViewPrivileges = "harvester_view_privileges", Admin;
        HarvesterSetPrivileges = "harvester_set_privileges", Admin;
        HarvesterAddUser = "harvester_add_user", Manager;
        HarvesterRemoveUser = "harvester_remove_user", Manager;
        HarvesterAddGroup = "harvester_add_group", Manager;
        HarvesterRemoveGroup = "harvester_remove_group", Manager;
        HarvesterAddSpace = "harvester_add_space", Manager;
        HarvesterRemoveSpace = "harvester_remove_space", Manager;
    }
    Cluster {
        ClusterView = "cluster_view", Member;
        ClusterUpdate = "cluster_update", Admin;
        ClusterDelete = "cluster_delete", Admin;
        ClusterViewPrivileges = "cluster_view_privileges", Admin;
        ClusterSetPrivileges = "cluster_set_privileges", Admin;
        ClusterAddUser = "cluster_add_user", Manager;
        ClusterRemoveUser = "cluster_remove_user", Manager;
        ClusterAddGroup = "cluster_add_group", Manager;
        ClusterRemoveGroup = "cluster_remove_group", Manager;
    }
    AtmInventory {
        AtmInventoryView = "atm_inventory_view", Member;
        AtmInventoryUpdate = "atm_inventory_update", Admin;
        AtmInventoryDelete = "atm_inventory_delete", Admin;
        AtmInventoryViewPrivileges = "atm_inventory_view_privileges", Admin;
        AtmInventorySetPrivileges = "atm_inventory_set_privileges", Admin;
        AtmInventoryManageLambdas = "atm_inventory_manage_lambdas", Manager;
        AtmInventoryManageWorkflowSchemas = "atm_inventory_manage_workflow_schemas", Manager;
        AtmInventoryAddUser = "atm_inventory_add_user", Manager;
        AtmInventoryRemoveUser = "atm_inventory_remove_user", Manager;
        AtmInventoryAddGroup = "atm_inventory_add_group", Manager;
        AtmInventoryRemoveGroup = "atm_inventory_remove_group", Manager;
    }
    Onezone {
        OzViewPrivileges = "oz_view_privileges", Admin;
        OzSetPrivileges = "oz_set_privileges", Admin;

        OzTokensManage = "oz_tokens_manage", Admin;

        OzUsersList = "oz_users_list", Viewer;
        OzUsersView = "oz_users_view", Viewer;
        OzUsersCreate = "oz_users_create", Admin;
        OzUsersManagePasswords = "oz_users_manage_passwords", Admin;
        OzUsersUpdate = "oz_users_update", Admin;
        OzUsersDelete = "oz_users_delete", Admin;
        OzUsersListRelationships = "oz_users_list_relationships", Viewer;
        OzUsersAddRelationships = "oz_users_add_relationships", Admin;
        OzUsersRemoveRelationships = "oz_users_remove_relationships", Admin;

        OzGroupsList = "oz_groups_list", Viewer;
        OzGroupsView = "oz_groups_view", Viewer;
        OzGroupsCreate = "oz_groups_create", Admin;
        OzGroupsUpdate = "oz_groups_update", Admin;
        OzGroupsDelete = "oz_groups_delete", Admin;
        OzGroupsViewPrivileges = "oz_groups_view_privileges", Admin;
        OzGroupsSetPrivileges = "oz_groups_set_privileges", Admin;
        OzGroupsListRelationships = "oz_groups_list_relationships", Viewer;
        OzGroupsAddRelationships = "oz_groups_add_relationships", Admin;
        OzGroupsRemoveRelationships = "oz_groups_remove_relationships", Admin;

        OzSpacesList = "oz_spaces_list", Viewer;
        OzSpacesView = "oz_spaces_view", Viewer;
        OzSpacesCreate = "oz_spaces_create", Admin;
        OzSpacesUpdate = "oz_spaces_update", Admin;
        OzSpacesDelete = "oz_spaces_delete", Admin;
        OzSpacesViewPrivileges = "oz_spaces_view_privileges", Admin;
        OzSpacesSetPrivileges = "oz_spaces_set_privileges", Admin;
        OzSpacesListRelationships = "oz_spaces_list_relationships", Viewer;
        OzSpacesAddRelationships = "oz_spaces_add_relationships", Admin;
        OzSpacesRemoveRelationships = "oz_spaces_remove_relationships", Admin;

        OzHandleServicesList = "oz_handle_services_list", Viewer;
        OzHandleServicesView = "oz_handle_services_view", Viewer;
        OzHandleServicesCreate = "oz_handle_services_create", Admin;
        OzHandleServicesUpdate = "oz_handle_services_update", Admin;
        OzHandleServicesDelete = "oz_handle_services_delete", Admin;
        OzHandleServicesViewPrivileges = "oz_handle_services_view_privileges", Admin;
        OzHandleServicesSetPrivileges = "oz_handle_services_set_privileges", Admin;
        OzHandleServicesListRelationships = "oz_handle_services_list_relationships", Viewer;
        OzHandleServicesAddRelationships = "oz_handle_services_add_relationships", Admin;
        OzHandleServicesRemoveRelationships = "oz_handle_services_remove_relationships", Admin;

        OzHandlesList = "oz_handles_list", Viewer;
        OzHandlesView = "oz_handles_view", Viewer;
        OzHandlesCreate = "oz_handles_create", Admin;
        OzHandlesUpdate = "oz_handles_update", Admin;
        OzHandlesDelete = "oz_handles_delete", Admin;
        OzHandlesViewPrivileges = "oz_handles_view_privileges", Admin;
        OzHandlesSetPrivileges = "oz_handles_set_privileges", Admin;
        OzHandlesListRelationships = "oz_handles_list_relationships", Viewer;
        OzHandlesAddRelationships = "oz_handles_add_relationships", Admin;
        OzHandlesRemoveRelationships = "oz_handles_remove_relationships", Admin;

        OzHarvestersList = "oz_harvesters_list", Viewer;
        OzHarvestersView = "oz_harvesters_view", Viewer;
        OzHarvestersCreate = "oz_harvesters_create", Admin;
        OzHarvestersUpdate = "oz_harvesters_update", Admin;
        OzHarvestersDelete = "oz_harvesters_delete", Admin;
        OzHarvestersViewPrivileges = "oz_harvesters_view_privileges", Admin;
        OzHarvestersSetPrivileges = "oz_harvesters_set_privileges", Admin;
        OzHarvestersListRelationships = "oz_harvesters_list_relationships", Viewer;
        OzHarvestersAddRelationships = "oz_harvesters_add_relationships", Admin;
        OzHarvestersRemoveRelationships = "oz_harvesters_remove_relationships", Admin;

        OzAtmInventoriesList = "oz_atm_inventories_list", Viewer;
        OzAtmInventoriesView = "oz_atm_inventories_view", Viewer;
        OzAtmInventoriesCreate = "oz_atm_inventories_create", Admin;
        OzAtmInventoriesUpdate = "oz_atm_inventories_update", Admin;
        OzAtmInventoriesDelete = "oz_atm_inventories_delete", Admin;
        OzAtmInventoriesViewPrivileges = "oz_atm_inventories_view_privileges", Admin;
        OzAtmInventoriesSetPrivileges = "oz_atm_inventories_set_privileges", Admin;
        OzAtmInventoriesListRelationships = "oz_atm_inventories_list_relationships", Viewer;
        OzAtmInventoriesAddRelationships = "oz_atm_inventories_add_relationships", Admin;
        OzAtmInventoriesRemoveRelationships = "oz_atm_inventories_remove_relationships", Admin;

        OzSharesList = "oz_shares_list", Viewer;
        OzSharesView = "oz_shares_view", Viewer;
        OzSharesCreate = "oz_shares_create", Admin;
        OzSharesUpdate = "oz_shares_update", Admin;
        OzSharesDelete = "oz_shares_delete", Admin;

        OzProvidersList = "oz_providers_list", Viewer;
        OzProvidersView = "oz_providers_view", Viewer;
        OzProvidersUpdate = "oz_providers_update", Admin;
        OzProvidersDelete = "oz_providers_delete", Admin;
        OzProvidersListRelationships = "oz_providers_list_relationships", Viewer;
        OzProvidersInvite = "oz_providers_invite", Admin;

        OzClustersList = "oz_clusters_list", Viewer;
        OzClustersView = "oz_clusters_view", Viewer;
        OzClustersUpdate = "oz_clusters_update", Admin;
        OzClustersViewPrivileges = "oz_clusters_view_privileges", Admin;
        OzClustersSetPrivileges = "oz_clusters_set_privileges", Admin;
        OzClustersListRelationships = "oz_clusters_list_relationships", Viewer;
        OzClustersAddRelationships = "oz_clusters_add_relationships", Admin;
        OzClustersRemoveRelationships = "oz_clusters_remove_relationships", Admin;
    }
}
