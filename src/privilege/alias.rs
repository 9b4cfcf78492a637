//! Older privilege names (spec §1.1, §1.2, §2.1) and the privileges they stand for today. The
//! module docs of [`privilege`](super) show this table with eras and sources; keep them in step.

use super::Privilege::{self, *};

/// `(old name, today's privileges)`; an empty list marks a name with no counterpart today.
/// The first privilege of each list is the direct rename, the one a single-name parse yields.
pub(super) static ALIASES: &[(&str, &[Privilege])] = &[
    // Groups: 3.0 (the seed) and 17.06/18.02.
    ("group_view_data", &[GroupView, GroupViewPrivileges]),
    ("group_change_data", &[GroupUpdate]),
    ("group_remove", &[GroupDelete]),
    ("group_invite_user", &[GroupAddUser]),
    ("group_invite_group", &[GroupAddChild]),
    ("group_remove_group", &[GroupRemoveChild]),
    ("group_join_group", &[GroupAddParent]),
    ("group_leave_group", &[GroupLeaveParent]),
    ("group_create_space", &[GroupAddSpace]),
    ("group_join_space", &[GroupAddSpace]),
    ("group_create_space_token", &[]),
    // Spaces: 3.0, 17.06/18.02, 19.02.
    ("space_view_data", &[SpaceView, SpaceViewPrivileges]),
    ("space_change_data", &[SpaceUpdate]),
    ("space_remove", &[SpaceDelete]),
    ("space_write_files", &[SpaceWriteData]),
    ("space_invite_user", &[SpaceAddUser]),
    ("space_invite_group", &[SpaceAddGroup]),
    ("space_add_provider", &[SpaceAddSupport]),
    ("space_invite_provider", &[SpaceAddSupport]),
    ("space_remove_provider", &[SpaceRemoveSupport]),
    // Handle services and handles: 3.0.
    ("register_handle", &[HandleServiceRegisterHandle]),
    ("handle_service_view_data", &[HandleServiceView]),
    ("handle_service_change_data", &[HandleServiceUpdate]),
    ("handle_service_remove", &[HandleServiceDelete]),
    ("handle_service_add_user", &[]),
    ("handle_service_remove_user", &[]),
    ("handle_service_add_group", &[]),
    ("handle_service_remove_group", &[]),
    ("handle_view_data", &[HandleView]),
    ("handle_change_data", &[HandleUpdate]),
    ("unregister_handle", &[HandleDelete]),
    // Onezone: 3.0.
    ("view_privileges", &[OzViewPrivileges]),
    ("set_privileges", &[OzSetPrivileges]),
    ("list_users", &[OzUsersList, OzUsersView]),
    ("list_groups", &[OzGroupsList, OzGroupsView]),
    ("list_spaces", &[OzSpacesList, OzSpacesView]),
    ("list_providers", &[OzProvidersList, OzProvidersView]),
    ("list_providers_of_space", &[OzSpacesListRelationships]),
    ("list_users_of_provider", &[OzProvidersListRelationships]),
    ("list_groups_of_provider", &[OzProvidersListRelationships]),
    ("list_spaces_of_provider", &[OzProvidersListRelationships]),
    ("add_member_to_space", &[OzSpacesAddRelationships]),
    ("remove_member_from_space", &[OzSpacesRemoveRelationships]),
    // Onezone: 17.06/18.02.
    ("oz_groups_list_users", &[OzGroupsListRelationships]),
    ("oz_groups_list_groups", &[OzGroupsListRelationships]),
    ("oz_groups_add_members", &[OzGroupsAddRelationships]),
    ("oz_groups_remove_members", &[OzGroupsRemoveRelationships]),
    ("oz_spaces_list_users", &[OzSpacesListRelationships]),
    ("oz_spaces_list_groups", &[OzSpacesListRelationships]),
    ("oz_spaces_list_providers", &[OzSpacesListRelationships]),
    ("oz_spaces_add_members", &[OzSpacesAddRelationships]),
    ("oz_spaces_remove_members", &[OzSpacesRemoveRelationships]),
    ("oz_providers_list_users", &[OzProvidersListRelationships]),
    ("oz_providers_list_groups", &[OzProvidersListRelationships]),
    ("oz_providers_list_spaces", &[OzProvidersListRelationships]),
];

/// Today's privileges for an old name; `None` if `name` is not an old name.
pub(super) fn lookup(name: &str) -> Option<&'static [Privilege]> {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|&(_, privileges)| privileges)
}
