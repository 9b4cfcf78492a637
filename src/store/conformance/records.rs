//! Named-token records: CRUD, name uniqueness, revocation, updates, deletion, listing.

use serde_json::json;

use super::{assert_same, ids, ok, record, secret, some};
use crate::privilege::Privilege;
use crate::store::{
    CreateError, NamedTokenRecord, NamedTokenUpdate, TokenStore, UpdateError, UseOutcome,
};
use crate::token::{InviteType, Subject, TokenType};

/// Records come back as stored, every field intact, by id and by (subject, name).
///
/// # Panics
/// If the backend fails a check.
pub async fn named_records<S: TokenStore>(store: &S) {
    let alice = Subject::user("alice");
    let invite = record("id-invite", "invite bob", &alice, 1)
        .with_caveats(vec![
            "time < 1800000000".into(),
            "ip = 189.34.15.0/24".into(),
        ])
        .with_custom_metadata(json!({"note": "for bob", "n": [1, 2]}))
        .with_usage_limit(Some(3))
        .with_privileges(Some(vec![Privilege::GroupView, Privilege::GroupAddUser]));
    let used = NamedTokenRecord::new(
        "id-used",
        "used and revoked",
        Subject::oneprovider("p1"),
        TokenType::invite(InviteType::SupportSpace, "s1"),
        secret(2),
        1_600_000_000,
    )
    .with_revoked(true)
    .with_usage_limit(Some(5))
    .with_usage_count(4);
    let access = NamedTokenRecord::new(
        "id-access",
        "gui",
        alice.clone(),
        TokenType::session_access("session-1"),
        secret(3),
        0,
    );
    let identity = NamedTokenRecord::new(
        "id-identity",
        "identity",
        alice.clone(),
        TokenType::Identity,
        secret(4),
        u64::MAX,
    );
    for r in [&invite, &used, &access, &identity] {
        ok(
            store.create_named_token(r.clone()).await,
            "named_records: create",
        );
    }
    for expected in [&invite, &used, &access, &identity] {
        let by_id = ok(store.named_token(expected.id()).await, "named_records: get");
        let by_id = some(by_id, "named_records: get by id");
        assert_same(expected, &by_id, "named_records: get by id");
        let by_name = ok(
            store
                .named_token_by_name(expected.subject(), expected.name())
                .await,
            "named_records: get by name",
        );
        let by_name = some(by_name, "named_records: get by name");
        assert_same(expected, &by_name, "named_records: get by name");
    }
    let missing = ok(store.named_token("id-none").await, "named_records: get");
    assert!(
        missing.is_none(),
        "named_records: an unknown id must give None"
    );
    for (subject, name) in [
        (Subject::user("bob"), "invite bob"),
        (alice.clone(), "no such name"),
        (Subject::oneprovider("alice"), "invite bob"),
        (alice.clone(), "id-invite"),
    ] {
        let found = ok(
            store.named_token_by_name(&subject, name).await,
            "named_records: get by name",
        );
        assert!(
            found.is_none(),
            "named_records: ({subject}, {name:?}) must give None, got {found:?}"
        );
    }
}

/// Ids are unique in the store; names are unique per subject, on create and on rename, and a
/// refused write changes nothing.
///
/// # Panics
/// If the backend fails a check.
pub async fn name_uniqueness<S: TokenStore>(store: &S) {
    let u1 = Subject::user("u1");
    let u2 = Subject::user("u2");
    let first = record("id1", "shared name", &u1, 1);
    ok(
        store.create_named_token(first.clone()).await,
        "name_uniqueness: create",
    );

    let same_name = store
        .create_named_token(record("id2", "shared name", &u1, 2))
        .await;
    assert!(
        matches!(same_name, Err(CreateError::NameTaken)),
        "name_uniqueness: a second name of the same subject must be NameTaken, got {same_name:?}"
    );
    let stored = ok(store.named_token("id2").await, "name_uniqueness: get");
    assert!(
        stored.is_none(),
        "name_uniqueness: a refused record must not be stored"
    );

    let same_id = store
        .create_named_token(record("id1", "another name", &u2, 3))
        .await;
    assert!(
        matches!(same_id, Err(CreateError::IdTaken)),
        "name_uniqueness: a reused id (even of another subject) must be IdTaken, got {same_id:?}"
    );
    let stored = some(
        ok(store.named_token("id1").await, "name_uniqueness: get"),
        "name_uniqueness: the first record must remain",
    );
    assert_same(
        &first,
        &stored,
        "name_uniqueness: first record after IdTaken",
    );
    let stray = ok(
        store.named_token_by_name(&u2, "another name").await,
        "name_uniqueness: get by name",
    );
    assert!(
        stray.is_none(),
        "name_uniqueness: IdTaken must not register the name"
    );

    for (id, subject) in [("id3", &u2), ("id4", &Subject::oneprovider("u1"))] {
        let created = store
            .create_named_token(record(id, "shared name", subject, 4))
            .await;
        assert!(
            created.is_ok(),
            "name_uniqueness: names are per subject ({subject}), got {created:?}"
        );
    }

    let other = record("id5", "other", &u1, 5);
    ok(
        store.create_named_token(other.clone()).await,
        "name_uniqueness: create",
    );
    let update = NamedTokenUpdate::new()
        .with_name("shared name")
        .with_revoked(true)
        .with_custom_metadata(json!({"changed": true}));
    let renamed = store.update_named_token("id5", update).await;
    assert!(
        matches!(renamed, Err(UpdateError::NameTaken)),
        "name_uniqueness: renaming onto a taken name must be NameTaken, got {renamed:?}"
    );
    let stored = some(
        ok(store.named_token("id5").await, "name_uniqueness: get"),
        "name_uniqueness: record after refused rename",
    );
    assert_same(
        &other,
        &stored,
        "name_uniqueness: a refused update must change nothing",
    );

    let same = ok(
        store
            .update_named_token("id5", NamedTokenUpdate::new().with_name("other"))
            .await,
        "name_uniqueness: renaming a token to its own name",
    );
    assert_same(&other, &same, "name_uniqueness: rename to own name");

    let renamed = ok(
        store
            .update_named_token("id5", NamedTokenUpdate::new().with_name("renamed"))
            .await,
        "name_uniqueness: rename",
    );
    assert_eq!(renamed.name(), "renamed", "name_uniqueness: rename result");
    let old = ok(
        store.named_token_by_name(&u1, "other").await,
        "name_uniqueness: get by old name",
    );
    assert!(
        old.is_none(),
        "name_uniqueness: the old name must be gone after a rename"
    );
    let new = some(
        ok(
            store.named_token_by_name(&u1, "renamed").await,
            "name_uniqueness: get by new name",
        ),
        "name_uniqueness: the new name must find the record",
    );
    assert_eq!(new.id(), "id5", "name_uniqueness: new name's record");
    ok(
        store
            .create_named_token(record("id6", "other", &u1, 6))
            .await,
        "name_uniqueness: a name freed by a rename must be reusable",
    );

    assert!(
        ok(
            store.delete_named_token("id1").await,
            "name_uniqueness: delete"
        ),
        "name_uniqueness: delete must find id1"
    );
    ok(
        store
            .create_named_token(record("id7", "shared name", &u1, 7))
            .await,
        "name_uniqueness: a name freed by a delete must be reusable",
    );
}

/// The revoked flag toggles both ways and touches nothing else.
///
/// # Panics
/// If the backend fails a check.
pub async fn revocation<S: TokenStore>(store: &S) {
    let alice = Subject::user("alice");
    let target = record("id1", "target", &alice, 1).with_usage_limit(Some(2));
    let bystander = record("id2", "bystander", &alice, 2);
    for r in [&target, &bystander] {
        ok(
            store.create_named_token(r.clone()).await,
            "revocation: create",
        );
    }
    for (revoked, step) in [
        (true, "revoke"),
        (true, "revoke again"),
        (false, "un-revoke"),
        (true, "revoke after un-revoke"),
    ] {
        let found = ok(store.set_revoked("id1", revoked).await, "revocation: set");
        assert!(found, "revocation: {step}: set_revoked must find id1");
        let stored = some(
            ok(store.named_token("id1").await, "revocation: get"),
            "revocation: record",
        );
        assert_eq!(
            stored.is_revoked(),
            revoked,
            "revocation: {step}: flag by id"
        );
        assert_same(
            &target.clone().with_revoked(revoked),
            &stored,
            &format!("revocation: {step}"),
        );
        let by_name = some(
            ok(
                store.named_token_by_name(&alice, "target").await,
                "revocation: get by name",
            ),
            "revocation: record by name",
        );
        assert_eq!(
            by_name.is_revoked(),
            revoked,
            "revocation: {step}: flag by name"
        );
    }
    let updated = ok(
        store
            .update_named_token("id1", NamedTokenUpdate::new().with_revoked(false))
            .await,
        "revocation: update",
    );
    assert!(
        !updated.is_revoked(),
        "revocation: update must return the un-revoked record"
    );
    let untouched = some(
        ok(store.named_token("id2").await, "revocation: get"),
        "revocation: bystander",
    );
    assert_same(
        &bystander,
        &untouched,
        "revocation: other records must not change",
    );
    let missing = ok(store.set_revoked("id-none", true).await, "revocation: set");
    assert!(
        !missing,
        "revocation: set_revoked on an unknown id must give false"
    );
}

/// Updates change what they name, all at once, and nothing else.
///
/// # Panics
/// If the backend fails a check.
pub async fn updates<S: TokenStore>(store: &S) {
    let alice = Subject::user("alice");
    let original = record("id1", "original", &alice, 1)
        .with_caveats(vec!["time < 1800000000".into()])
        .with_custom_metadata(json!({"v": 1}))
        .with_usage_limit(Some(4))
        .with_privileges(Some(vec![Privilege::SpaceView]));
    ok(
        store.create_named_token(original.clone()).await,
        "updates: create",
    );

    let unchanged = ok(
        store
            .update_named_token("id1", NamedTokenUpdate::new())
            .await,
        "updates: empty update",
    );
    assert_same(
        &original,
        &unchanged,
        "updates: an empty update changes nothing",
    );

    let metadata = ok(
        store
            .update_named_token(
                "id1",
                NamedTokenUpdate::new().with_custom_metadata(json!({"v": 2, "tags": ["a"]})),
            )
            .await,
        "updates: metadata",
    );
    let expected = original
        .clone()
        .with_custom_metadata(json!({"v": 2, "tags": ["a"]}));
    assert_same(&expected, &metadata, "updates: metadata update result");
    let stored = some(
        ok(store.named_token("id1").await, "updates: get"),
        "updates: record",
    );
    assert_same(&expected, &stored, "updates: metadata update stored");

    let all = ok(
        store
            .update_named_token(
                "id1",
                NamedTokenUpdate::new()
                    .with_name("final")
                    .with_custom_metadata(json!(null))
                    .with_revoked(true),
            )
            .await,
        "updates: all fields",
    );
    let expected = NamedTokenRecord::new(
        "id1",
        "final",
        alice.clone(),
        original.token_type().clone(),
        original.secret().clone(),
        original.creation_time(),
    )
    .with_caveats(original.caveats().to_vec())
    .with_custom_metadata(json!(null))
    .with_revoked(true)
    .with_usage_limit(Some(4))
    .with_privileges(Some(vec![Privilege::SpaceView]));
    assert_same(&expected, &all, "updates: update of every field");
    let stored = some(
        ok(
            store.named_token_by_name(&alice, "final").await,
            "updates: get by name",
        ),
        "updates: record by new name",
    );
    assert_same(&expected, &stored, "updates: update of every field stored");

    let missing = store
        .update_named_token("id-none", NamedTokenUpdate::new().with_revoked(true))
        .await;
    assert!(
        matches!(missing, Err(UpdateError::NotFound)),
        "updates: an unknown id must be NotFound, got {missing:?}"
    );
}

/// Deleting removes a record everywhere and frees its name; deleting a subject's tokens leaves
/// others alone.
///
/// # Panics
/// If the backend fails a check.
pub async fn deletion<S: TokenStore>(store: &S) {
    let u1 = Subject::user("u1");
    let u2 = Subject::user("u2");
    for r in [
        record("id1", "a", &u1, 1).with_usage_limit(Some(1)),
        record("id2", "b", &u1, 2),
        record("id3", "a", &u2, 3),
    ] {
        ok(store.create_named_token(r).await, "deletion: create");
    }
    assert!(
        ok(store.delete_named_token("id1").await, "deletion: delete"),
        "deletion: deleting an existing record must give true"
    );
    assert!(
        !ok(store.delete_named_token("id1").await, "deletion: delete"),
        "deletion: deleting it again must give false"
    );
    let by_id = ok(store.named_token("id1").await, "deletion: get");
    assert!(by_id.is_none(), "deletion: the record must be gone by id");
    let by_name = ok(
        store.named_token_by_name(&u1, "a").await,
        "deletion: get by name",
    );
    assert!(
        by_name.is_none(),
        "deletion: the record must be gone by name"
    );
    assert_eq!(
        ids(&ok(store.named_tokens_of(&u1).await, "deletion: list")),
        ["id2"],
        "deletion: the record must be gone from its subject's list"
    );
    assert_eq!(
        ok(store.named_token_ids().await, "deletion: list ids"),
        ["id2", "id3"],
        "deletion: the record must be gone from all ids"
    );
    let used = ok(store.try_use_invite("id1").await, "deletion: use");
    assert_eq!(
        used,
        UseOutcome::NotFound,
        "deletion: a deleted invite cannot be used"
    );
    let updated = store
        .update_named_token("id1", NamedTokenUpdate::new().with_revoked(true))
        .await;
    assert!(
        matches!(updated, Err(UpdateError::NotFound)),
        "deletion: a deleted record cannot be updated, got {updated:?}"
    );

    let deleted = ok(
        store.delete_named_tokens_of(&u1).await,
        "deletion: delete all of a subject",
    );
    assert_eq!(
        deleted, 1,
        "deletion: delete_named_tokens_of must count what it deleted"
    );
    assert!(
        ok(store.named_tokens_of(&u1).await, "deletion: list").is_empty(),
        "deletion: the subject must have no named tokens left"
    );
    assert_eq!(
        ids(&ok(store.named_tokens_of(&u2).await, "deletion: list")),
        ["id3"],
        "deletion: another subject's tokens must remain"
    );
    assert!(
        !ok(
            store.delete_named_token("id-none").await,
            "deletion: delete"
        ),
        "deletion: deleting an unknown id must give false"
    );
}

/// Listing by subject is complete, exact and ordered by token id, as is listing every id.
///
/// # Panics
/// If the backend fails a check.
pub async fn listing<S: TokenStore>(store: &S) {
    let u1 = Subject::user("u1");
    let u2 = Subject::user("u2");
    let p1 = Subject::oneprovider("u1");
    for (id, name, subject) in [
        ("c", "third", &u1),
        ("a", "first", &u1),
        ("e", "provider's", &p1),
        ("b", "second", &u1),
        ("d", "other's", &u2),
    ] {
        ok(
            store
                .create_named_token(record(id, name, subject, id.as_bytes()[0]))
                .await,
            "listing: create",
        );
    }
    let listed = ok(store.named_tokens_of(&u1).await, "listing: list");
    assert_eq!(
        ids(&listed),
        ["a", "b", "c"],
        "listing: a subject's tokens, ordered by id"
    );
    let names: Vec<&str> = listed.iter().map(NamedTokenRecord::name).collect();
    assert_eq!(
        names,
        ["first", "second", "third"],
        "listing: the records themselves"
    );
    for r in &listed {
        assert_same(
            &record(r.id(), r.name(), &u1, r.id().as_bytes()[0]),
            r,
            "listing: listed record",
        );
    }
    for (subject, expected) in [(&u2, &["d"][..]), (&p1, &["e"][..])] {
        assert_eq!(
            ids(&ok(store.named_tokens_of(subject).await, "listing: list")),
            expected,
            "listing: {subject}'s tokens only"
        );
    }
    assert!(
        ok(
            store.named_tokens_of(&Subject::user("nobody")).await,
            "listing: list"
        )
        .is_empty(),
        "listing: a subject without tokens lists none"
    );
    assert_eq!(
        ok(store.named_token_ids().await, "listing: list ids"),
        ["a", "b", "c", "d", "e"],
        "listing: every id, ordered"
    );
}
