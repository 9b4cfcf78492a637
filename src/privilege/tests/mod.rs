//! The catalogue against spec §1 written out by hand: names, presets, older names, the
//! listing bodies, and the invite tables for all fourteen invite types.

use serde_json::{Value, json};

use super::*;
use crate::token::InviteType;

mod spec;

use spec::{
    GROUP_ADMIN_ADDS, GROUP_MANAGER, GROUP_MEMBER, SPEC_ALIASES, spec_invites, spec_oz_names,
    spec_presets,
};

/// Names of `privileges`, for comparing against the spec's lists.
fn names(privileges: &[Privilege]) -> Vec<&'static str> {
    privileges.iter().map(|p| p.name()).collect()
}

/// The invite type of a spec row's code, failing the test on a typo.
fn invite(code: &str) -> InviteType {
    InviteType::from_code(code).unwrap_or_else(|| panic!("{code} is not an invite code"))
}

/// Parses spec names, failing the test on a typo.
fn parse_all(names: &[&str]) -> Vec<Privilege> {
    names
        .iter()
        .map(|name| {
            Privilege::from_name(name).unwrap_or_else(|| panic!("{name} is not a current name"))
        })
        .collect()
}

#[test]
fn privilege_every_name_round_trips() {
    for &p in Privilege::all() {
        assert_eq!(p.name().parse::<Privilege>(), Ok(p));
        assert_eq!(p.to_string(), p.name());
        assert_eq!(Privilege::resolve(p.name()), Ok(&[p][..]));
        let json = serde_json::to_value(p).unwrap();
        assert_eq!(json, Value::from(p.name()));
        assert_eq!(serde_json::from_value::<Privilege>(json).unwrap(), p);
    }
}

#[test]
fn privilege_names_are_unique_and_prefixed_by_kind() {
    let mut seen = std::collections::HashSet::new();
    for &p in Privilege::all() {
        assert!(seen.insert(p.name()), "{p} appears twice");
        assert!(
            p.name().starts_with(&format!("{}_", p.kind())),
            "{p} is not a {} privilege",
            p.kind()
        );
        assert!(p.kind().presets().contains(&p.preset()), "{p}");
    }
}

#[test]
fn privilege_catalogue_matches_spec_counts_and_order() {
    let counts = [
        (EntityKind::Group, 23),
        (EntityKind::Space, 39),
        (EntityKind::HandleService, 6),
        (EntityKind::Handle, 3),
        (EntityKind::Harvester, 11),
        (EntityKind::Cluster, 9),
        (EntityKind::AtmInventory, 11),
        (EntityKind::Onezone, 91),
    ];
    assert_eq!(counts.map(|(k, _)| k), EntityKind::all());
    for (kind, count) in counts {
        assert_eq!(kind.privileges().len(), count, "{kind}");
        assert!(kind.privileges().iter().all(|p| p.kind() == kind));
    }
    // Kinds are contiguous and in order, so `all()` is the kinds' lists joined.
    let joined: Vec<Privilege> = EntityKind::all()
        .iter()
        .flat_map(|k| k.privileges().iter().copied())
        .collect();
    assert_eq!(joined, Privilege::all());
    assert!(Privilege::all().windows(2).all(|w| w[0] < w[1]));
    assert_eq!(names(EntityKind::Onezone.privileges()), spec_oz_names());
}

#[test]
fn privilege_unknown_names_rejected() {
    for name in [
        "",
        "group",
        "group_",
        "group_vie",
        "group_view ",
        " group_view",
        "GROUP_VIEW",
        "Group_View",
        "group-view",
        "oz_",
        "oz_groups",
        "space_view_index",
        "harvester_invite_user",
        "group_view\0",
        "grüp_view",
    ] {
        assert_eq!(
            name.parse::<Privilege>(),
            Err(ParsePrivilegeError::Unknown),
            "{name:?}"
        );
        assert_eq!(Privilege::resolve(name), Err(ParsePrivilegeError::Unknown));
        assert!(serde_json::from_value::<Privilege>(Value::from(name)).is_err());
    }
}

#[test]
fn preset_contents_match_spec() {
    for (kind, member, manager_adds, admin_adds) in spec_presets() {
        let member_of = kind.preset(Preset::Member).unwrap();
        assert_eq!(names(member_of), member, "{kind} member");
        let mut all = member.clone();
        match manager_adds {
            Some(adds) => {
                all.extend(adds);
                let manager = kind.preset(Preset::Manager).unwrap();
                let mut got = names(manager);
                got.sort_unstable();
                let mut want = all.clone();
                want.sort_unstable();
                assert_eq!(got, want, "{kind} manager");
            }
            None => assert_eq!(kind.preset(Preset::Manager), None, "{kind}"),
        }
        all.extend(admin_adds);
        let mut got = names(kind.preset(Preset::Admin).unwrap());
        got.sort_unstable();
        all.sort_unstable();
        assert_eq!(got, all, "{kind} admin");
        assert_eq!(kind.preset(Preset::Viewer), None);
    }
    // The group table of spec §1.1 is in preset order, so its presets are prefixes.
    assert_eq!(
        names(EntityKind::Group.preset(Preset::Manager).unwrap()),
        GROUP_MANAGER
    );
}

#[test]
fn preset_chain_is_cumulative_and_admin_is_everything() {
    for &kind in EntityKind::all() {
        let presets = kind.presets();
        assert_eq!(presets.last(), Some(&Preset::Admin));
        for pair in presets.windows(2) {
            let smaller = kind.preset(pair[0]).unwrap();
            let larger = kind.preset(pair[1]).unwrap();
            assert!(smaller.len() < larger.len(), "{kind}");
            assert!(smaller.iter().all(|p| larger.contains(p)), "{kind}");
        }
        assert_eq!(kind.preset(Preset::Admin), Some(kind.privileges()));
        let of_kind: Vec<Privilege> = Privilege::all()
            .iter()
            .copied()
            .filter(|p| p.kind() == kind)
            .collect();
        assert_eq!(kind.privileges(), of_kind);
    }
}

#[test]
fn preset_oz_viewer_is_every_list_and_view() {
    let viewer = EntityKind::Onezone.preset(Preset::Viewer).unwrap();
    let want: Vec<&str> = EntityKind::Onezone
        .privileges()
        .iter()
        .map(|p| p.name())
        .filter(|n| {
            n.ends_with("_list") || n.ends_with("_view") || n.ends_with("_list_relationships")
        })
        .collect();
    assert_eq!(names(viewer), want);
    assert_eq!(viewer.len(), 29);
    assert_eq!(EntityKind::Onezone.preset(Preset::Member), None);
    assert_eq!(EntityKind::Onezone.preset(Preset::Manager), None);
}

#[test]
fn listing_group_has_three_presets() {
    let mut admin = GROUP_MANAGER.to_vec();
    admin.extend(GROUP_ADMIN_ADDS);
    assert_eq!(
        EntityKind::Group.listing(),
        json!({"member": GROUP_MEMBER, "manager": GROUP_MANAGER, "admin": admin})
    );
    assert_eq!(EntityKind::Group.listing_path(), "/groups/privileges");
}

#[test]
fn listing_matches_onezone_examples() {
    // Swagger's example for GET /clusters/privileges, order included.
    assert_eq!(
        EntityKind::Cluster.listing(),
        json!({
            "admin": [
                "cluster_view", "cluster_update", "cluster_delete", "cluster_view_privileges",
                "cluster_set_privileges", "cluster_add_user", "cluster_remove_user",
                "cluster_add_group", "cluster_remove_group"
            ],
            "manager": [
                "cluster_view", "cluster_add_user", "cluster_remove_user", "cluster_add_group",
                "cluster_remove_group"
            ],
            "member": ["cluster_view"]
        })
    );
    // GET /handles/privileges has no manager.
    assert_eq!(
        EntityKind::Handle.listing(),
        json!({
            "admin": ["handle_view", "handle_update", "handle_delete"],
            "member": ["handle_view"]
        })
    );
}

#[test]
fn listing_keys_and_paths_per_kind() {
    let paths = [
        (EntityKind::Group, "/groups/privileges"),
        (EntityKind::Space, "/spaces/privileges"),
        (EntityKind::HandleService, "/handle_services/privileges"),
        (EntityKind::Handle, "/handles/privileges"),
        (EntityKind::Harvester, "/harvesters/privileges"),
        (EntityKind::Cluster, "/clusters/privileges"),
        (EntityKind::AtmInventory, "/atm_inventories/privileges"),
        (EntityKind::Onezone, "/privileges"),
    ];
    for (kind, path) in paths {
        assert_eq!(kind.listing_path(), path);
        let body = kind.listing();
        let object = body.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want: Vec<&str> = kind.presets().iter().map(|p| p.name()).collect();
        want.sort_unstable();
        assert_eq!(keys, want, "{kind}");
        for &preset in kind.presets() {
            let listed = list::from_json(&object[preset.name()]).unwrap();
            assert_eq!(Some(&listed[..]), kind.preset(preset), "{kind} {preset}");
        }
    }
    let oz = EntityKind::Onezone.listing();
    assert_eq!(oz["admin"].as_array().unwrap().len(), 91);
    assert_eq!(oz["viewer"].as_array().unwrap().len(), 29);
}

#[test]
fn alias_every_old_name_parses_to_today() {
    assert_eq!(alias::ALIASES.len(), SPEC_ALIASES.len());
    for &(old, today) in SPEC_ALIASES {
        assert!(
            Privilege::from_name(old).is_none(),
            "{old} is a current name"
        );
        let want = parse_all(today);
        assert_eq!(alias::lookup(old), Some(&want[..]), "{old}");
        match want.first() {
            Some(&first) => {
                assert_eq!(old.parse::<Privilege>(), Ok(first), "{old}");
                assert_eq!(Privilege::resolve(old), Ok(&want[..]), "{old}");
                assert_eq!(list::from_names([old]), Ok(want.clone()), "{old}");
                let parsed: Privilege = serde_json::from_value(Value::from(old)).unwrap();
                assert_eq!(parsed, first);
                // Printing always uses today's name.
                assert_eq!(first.to_string(), today[0]);
            }
            None => {
                assert_eq!(old.parse::<Privilege>(), Err(ParsePrivilegeError::Retired));
                assert_eq!(Privilege::resolve(old), Err(ParsePrivilegeError::Retired));
                assert_eq!(list::from_names([old]), Err(ParsePrivilegeError::Retired));
                assert!(serde_json::from_value::<Privilege>(Value::from(old)).is_err());
            }
        }
    }
}

#[test]
fn alias_seed_endpoint_privilege_is_group_add_user() {
    // DESIGN.md "The seed": GET /groups/{id}/users/token needs `group_invite_user`.
    assert_eq!("group_invite_user".parse(), Ok(Privilege::GroupAddUser));
    assert_eq!(
        create_invite_requirement(InviteType::UserJoinGroup).privilege,
        Some(Privilege::GroupAddUser)
    );
}

#[test]
fn alias_seed_group_presets_map_into_todays_presets() {
    // CT-old presets: the seed's group user/manager presets land inside today's.
    let user = list::from_names(["group_view_data"]).unwrap();
    let manager = list::from_names([
        "group_view_data",
        "group_invite_user",
        "group_remove_user",
        "group_invite_group",
        "group_remove_group",
    ])
    .unwrap();
    let today_manager = EntityKind::Group.preset(Preset::Manager).unwrap();
    assert!(user.iter().all(|p| today_manager.contains(p)));
    assert!(manager.iter().all(|p| today_manager.contains(p)));
}

#[test]
fn list_json_round_trips_and_expands_old_names() {
    let input = json!([
        "group_view_data",
        "group_view",
        "group_invite_user",
        "group_create_space",
        "group_join_space"
    ]);
    let parsed = list::from_json(&input).unwrap();
    assert_eq!(
        parsed,
        [
            Privilege::GroupView,
            Privilege::GroupViewPrivileges,
            Privilege::GroupAddUser,
            Privilege::GroupAddSpace,
        ]
    );
    let out = list::to_json(&parsed);
    assert_eq!(
        out,
        json!([
            "group_view",
            "group_view_privileges",
            "group_add_user",
            "group_add_space"
        ])
    );
    assert_eq!(list::from_json(&out).unwrap(), parsed);
    assert_eq!(list::from_json(&json!([])), Ok(vec![]));
    assert_eq!(list::to_json(&[]), json!([]));
    let all = list::to_json(Privilege::all());
    assert_eq!(list::from_json(&all).unwrap(), Privilege::all());
}

#[test]
fn list_json_bad_input_rejected() {
    for (input, err) in [
        (json!("group_view"), ParsePrivilegeError::Malformed),
        (json!({"privileges": []}), ParsePrivilegeError::Malformed),
        (json!(null), ParsePrivilegeError::Malformed),
        (json!(["group_view", 1]), ParsePrivilegeError::Malformed),
        (json!([["group_view"]]), ParsePrivilegeError::Malformed),
        (json!(["group_view", "nope"]), ParsePrivilegeError::Unknown),
        (json!(["GROUP_VIEW"]), ParsePrivilegeError::Unknown),
        (
            json!(["group_create_space_token"]),
            ParsePrivilegeError::Retired,
        ),
    ] {
        assert_eq!(list::from_json(&input), Err(err), "{input}");
    }
}

#[test]
fn list_serde_with_both_ways() {
    let mut de = serde_json::Deserializer::from_str(r#"["space_invite_user","space_view_data"]"#);
    let parsed = list::deserialize(&mut de).unwrap();
    assert_eq!(
        parsed,
        [
            Privilege::SpaceAddUser,
            Privilege::SpaceView,
            Privilege::SpaceViewPrivileges
        ]
    );
    let mut out = Vec::new();
    list::serialize(&parsed, &mut serde_json::Serializer::new(&mut out)).unwrap();
    assert_eq!(
        out,
        br#"["space_add_user","space_view","space_view_privileges"]"#
    );
    // Escaped strings take the owned path and still resolve.
    let mut de = serde_json::Deserializer::from_str(r#"["group\u005fview"]"#);
    assert_eq!(list::deserialize(&mut de).unwrap(), [Privilege::GroupView]);

    for bad in [
        r#"["nope"]"#,
        r#""group_view""#,
        r#"[1]"#,
        r#"["group_create_space_token"]"#,
    ] {
        let mut de = serde_json::Deserializer::from_str(bad);
        assert!(list::deserialize(&mut de).is_err(), "{bad}");
    }
    let err = serde_json::from_str::<Vec<Privilege>>(r#"["group_view","nope"]"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a Onezone privilege name"),
        "{err}"
    );
    // Plain `Vec<Privilege>` works too, one privilege per name.
    let plain: Vec<Privilege> = serde_json::from_str(r#"["group_view_data"]"#).unwrap();
    assert_eq!(plain, [Privilege::GroupView]);
    assert_eq!(serde_json::to_string(&plain).unwrap(), r#"["group_view"]"#);
}

/// The requirement a spec pair names.
fn requirement((privilege, admin): (&str, &str)) -> Requirement {
    Requirement {
        privilege: parse_all(&[privilege])[0],
        admin: parse_all(&[admin])[0],
    }
}

#[test]
fn invite_creation_matches_spec_for_all_fourteen() {
    let rows = spec_invites();
    assert_eq!(rows.len(), 14);
    for row in rows {
        let got = create_invite_requirement(invite(row.code));
        let want = InviteCreation {
            privilege: row.create.map(|p| parse_all(&[p])[0]),
            admin: parse_all(&[row.admin])[0],
            exception: row.exception,
            custom_privileges: row.custom.map(requirement),
        };
        assert_eq!(got, want, "{}", row.code);
        assert_eq!(got.admin.kind(), EntityKind::Onezone);
        if let Some(p) = got.privilege {
            // The issuer's privilege lives in the target, whose kind the join grants.
            if let Some(join) = join_privileges(invite(row.code)) {
                assert_eq!(p.kind(), join.kind, "{}", row.code);
            }
        }
    }
}

#[test]
fn invite_consumption_matches_spec_for_all_fourteen() {
    for row in spec_invites() {
        let got = consume_invite_requirement(invite(row.code));
        assert_eq!(got, row.consume.map(requirement), "{}", row.code);
        // User invites never need a consumer-side privilege.
        if row.code.starts_with('u') {
            assert_eq!(got, None, "{}", row.code);
        }
    }
}

#[test]
fn invite_join_privileges_match_spec_for_all_fourteen() {
    for row in spec_invites() {
        let got = join_privileges(invite(row.code));
        let want = row.join.map(|(kind, preset)| JoinPrivileges {
            kind,
            default: kind.preset(preset).unwrap(),
        });
        assert_eq!(got, want, "{}", row.code);
        // Custom privileges apply exactly where a join grants privileges.
        let create = create_invite_requirement(invite(row.code));
        assert_eq!(
            create.custom_privileges.is_some(),
            got.is_some(),
            "{}",
            row.code
        );
    }
}

#[test]
fn invite_spec_rows_cover_every_invite_type_once() {
    let mut seen: Vec<InviteType> = spec_invites().iter().map(|row| invite(row.code)).collect();
    seen.sort();
    let mut all = InviteType::ALL.to_vec();
    all.sort();
    assert_eq!(seen, all);
}

#[test]
fn errors_display_lowercase_without_period() {
    for err in [
        ParsePrivilegeError::Unknown,
        ParsePrivilegeError::Retired,
        ParsePrivilegeError::Malformed,
    ] {
        let text = err.to_string();
        assert!(!text.ends_with('.'));
        assert_eq!(text, text.to_lowercase());
    }
    assert_eq!(EntityKind::AtmInventory.to_string(), "atm_inventory");
    assert_eq!(Preset::Viewer.to_string(), "viewer");
}

#[test]
fn named_preset_matches_onezone_names() {
    for &kind in EntityKind::all() {
        for &preset in kind.presets() {
            let name = format!("{kind}_{preset}");
            assert_eq!(named_preset(&name), kind.preset(preset), "{name}");
        }
    }
    assert_eq!(
        named_preset("cluster_admin"),
        Some(EntityKind::Cluster.privileges())
    );
    assert_eq!(named_preset("oz_viewer").map(<[_]>::len), Some(29));
    // `handle` is a prefix of `handle_service`: both must resolve.
    assert_eq!(
        named_preset("handle_member"),
        Some(&[Privilege::HandleView][..])
    );
    assert_eq!(
        named_preset("handle_service_admin"),
        Some(EntityKind::HandleService.privileges())
    );
    for name in [
        "",
        "group",
        "group_",
        "member",
        "group_viewer",
        "handle_manager",
        "oz_member",
        "group_member ",
        "GROUP_MEMBER",
        "groupmember",
    ] {
        assert_eq!(named_preset(name), None, "{name:?}");
    }
}

#[test]
fn named_preset_covers_invite_defaults() {
    // The names `token::InviteType` uses for default join privileges (spec §3.1).
    for (code, name) in [
        ("ujg", "group_member"),
        ("gjg", "group_member"),
        ("ujs", "space_member"),
        ("gjs", "space_member"),
        ("ujc", "cluster_admin"),
        ("gjc", "cluster_member"),
        ("ujh", "harvester_member"),
        ("gjh", "harvester_member"),
        ("uji", "atm_inventory_member"),
        ("gji", "atm_inventory_member"),
    ] {
        let join = join_privileges(invite(code)).unwrap();
        assert_eq!(named_preset(name), Some(join.default), "{code}");
    }
    // And `token::InviteType`'s own preset names agree with the join table, all fourteen.
    for t in InviteType::ALL {
        assert_eq!(
            t.default_privileges()
                .map(|name| named_preset(name).unwrap()),
            join_privileges(t).map(|join| join.default),
            "{t}"
        );
        assert_eq!(
            t.privileges_applicable(),
            join_privileges(t).is_some(),
            "{t}"
        );
    }
}
