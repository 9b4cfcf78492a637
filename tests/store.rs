//! The plug-in traits' in-memory implementations: `MemoryStore` against the conformance suite
//! (each area, the blanket impls, threads racing over invite uses), and `MemoryDirectory`'s
//! effective privileges, subject states, joins and cycles.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use futures::executor::block_on;
use mintage::RootKey;
use mintage::privilege::{
    AddMemberError, EntityRef, JoinOutcome, Member, MemoryDirectory, Privilege, PrivilegeChecker,
    SubjectStatus, create_invite_requirement, join_privileges,
};
use mintage::store::conformance::{self, InviteRace};
use mintage::store::{
    CreateError, MemoryStore, NamedTokenRecord, NamedTokenUpdate, StoreError, TokenStore,
    UpdateError, UseOutcome,
};
use mintage::token::{Generation, InviteType, Subject};

// ---------------------------------------------------------------------------------------------
// MemoryStore and the conformance suite

/// One test per conformance area, so a failure names its area.
mod area {
    use super::*;

    mintage::store_conformance_tests!(block_on, MemoryStore::new());
}

#[test]
fn memory_store_passes_the_whole_suite() {
    block_on(conformance::run_all(MemoryStore::new));
}

#[test]
fn memory_store_blanket_impls_pass_the_suite() {
    block_on(conformance::run_all(|| Arc::new(MemoryStore::new())));
    block_on(conformance::run_all(|| Box::new(MemoryStore::new())));
    let store = MemoryStore::new();
    block_on(conformance::named_records(&&store));
    let store = MemoryStore::new();
    block_on(conformance::invite_usage(&&store));
}

#[test]
fn memory_store_with_counting_random_passes_the_suite() {
    // Distinct but predictable secrets: the suite only needs them to differ.
    block_on(conformance::run_all(|| {
        let counter = AtomicU64::new(0);
        MemoryStore::with_random(move |bytes: &mut [u8]| {
            let n = counter.fetch_add(1, Ordering::Relaxed).to_le_bytes();
            for (i, byte) in bytes.iter_mut().enumerate() {
                *byte = n[i % n.len()];
            }
            Ok(())
        })
    }));
}

#[test]
fn memory_store_secrets_come_from_the_injected_source() {
    let store = MemoryStore::with_random(|bytes: &mut [u8]| {
        bytes.fill(0x42);
        Ok(())
    });
    let alice = Subject::user("alice");
    let (generation, secret) = block_on(store.temporary_secret(&alice)).unwrap();
    assert_eq!(generation, Generation::FIRST);
    assert_eq!(secret, RootKey::from_derived([0x42; 32]));
}

#[test]
fn memory_store_random_failure_passes_through() {
    let store = MemoryStore::with_random(|_: &mut [u8]| {
        Err(StoreError::from_source(std::io::Error::other("no entropy")))
    });
    let err = block_on(store.revoke_temporary(&Subject::user("alice"))).unwrap_err();
    assert_eq!(err.to_string(), "token store backend failed");
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "no entropy");
}

/// Runs `attempt` `per_thread` times on each of `threads` threads and gathers the outcomes.
fn race(
    threads: usize,
    per_thread: usize,
    attempt: impl Fn() -> UseOutcome + Send + Sync + 'static,
) -> Vec<UseOutcome> {
    let attempt = Arc::new(attempt);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let attempt = Arc::clone(&attempt);
            thread::spawn(move || (0..per_thread).map(|_| attempt()).collect::<Vec<_>>())
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect()
}

#[test]
fn memory_store_concurrent_uses_admit_exactly_the_limit() {
    for (threads, per_thread, limit) in [(8, 25, 37), (8, 25, 1), (4, 10, 1000), (8, 5, 0)] {
        let store = Arc::new(MemoryStore::new());
        let race_ = Arc::new(block_on(InviteRace::prepare(&*store, limit)));
        let outcomes = {
            let (store, race_) = (Arc::clone(&store), Arc::clone(&race_));
            race(threads, per_thread, move || {
                block_on(race_.attempt(&*store))
            })
        };
        assert_eq!(outcomes.len(), threads * per_thread);
        block_on(race_.check(&*store, &outcomes));
    }
}

#[test]
fn memory_store_concurrent_use_and_release_never_passes_the_limit() {
    let store = Arc::new(MemoryStore::new());
    let race_ = Arc::new(block_on(InviteRace::prepare(&*store, 3)));
    let outcomes = {
        let (store, race_) = (Arc::clone(&store), Arc::clone(&race_));
        race(8, 200, move || {
            block_on(race_.attempt_then_release(&*store))
        })
    };
    block_on(race_.check_released(&*store, &outcomes));
    // And the token is whole again: three more uses, then the limit.
    let outcomes: Vec<_> = (0..4).map(|_| block_on(race_.attempt(&*store))).collect();
    block_on(race_.check(&*store, &outcomes));
}

#[test]
fn memory_store_concurrent_first_temporary_secret_is_one_secret() {
    let store = Arc::new(MemoryStore::new());
    let alice = Subject::user("alice");
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (store, alice) = (Arc::clone(&store), alice.clone());
            thread::spawn(move || block_on(store.temporary_secret(&alice)).unwrap())
        })
        .collect();
    let secrets: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let (generation, first) = &secrets[0];
    assert_eq!(*generation, Generation::FIRST);
    assert!(
        secrets.iter().all(|(g, s)| g == generation && s == first),
        "racing first calls must all get the one stored secret"
    );
}

#[test]
fn plug_in_types_and_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let store = MemoryStore::new();
    let dir = MemoryDirectory::new();
    send_sync(&store);
    send_sync(&dir);
    send_sync(&StoreError::new("x"));
    let alice = Subject::user("alice");
    send(&store.temporary_secret(&alice));
    send(&store.try_use_invite("id"));
    send(&dir.has_privilege(&alice, &EntityRef::onezone(), Privilege::OzTokensManage));
    send(&dir.add_member(&EntityRef::group("g"), Member::user("alice"), &[]));
}

#[test]
fn memory_store_use_outcome_of_unknown_id() {
    let store = MemoryStore::new();
    assert_eq!(
        block_on(store.try_use_invite("nope")).unwrap(),
        UseOutcome::NotFound
    );
}

// ---------------------------------------------------------------------------------------------
// MemoryDirectory

fn has(dir: &MemoryDirectory, user: &str, entity: &EntityRef, privilege: Privilege) -> bool {
    block_on(dir.has_privilege(&Subject::user(user), entity, privilege)).unwrap()
}

/// alice ∈ g3 ⊂ g2 ⊂ g1 ⊂ s1; bob ∈ g2; carol ∈ g1; dave in nothing.
fn nested() -> MemoryDirectory {
    let dir = MemoryDirectory::new();
    dir.add_user("dave")
        .grant(
            &Subject::user("alice"),
            EntityRef::group("g3"),
            &[Privilege::GroupView],
        )
        .grant(&Subject::user("bob"), EntityRef::group("g2"), &[])
        .grant(
            &Subject::user("carol"),
            EntityRef::group("g1"),
            &[Privilege::GroupView],
        )
        .grant_group("g3", EntityRef::group("g2"), &[Privilege::GroupView])
        .grant_group(
            "g2",
            EntityRef::group("g1"),
            &[Privilege::GroupAddUser, Privilege::GroupView],
        )
        .grant_group(
            "g1",
            EntityRef::space("s1"),
            &[Privilege::SpaceView, Privilege::SpaceAddUser],
        )
        .grant_group("g3", EntityRef::space("s2"), &[Privilege::SpaceWriteData]);
    dir
}

#[test]
fn directory_nested_groups_give_effective_privileges() {
    let dir = nested();
    let s1 = EntityRef::space("s1");
    for user in ["alice", "bob", "carol"] {
        assert!(
            has(&dir, user, &s1, Privilege::SpaceAddUser),
            "{user} adds users to s1 through g1"
        );
    }
    assert!(!has(&dir, "dave", &s1, Privilege::SpaceAddUser));
    assert!(!has(&dir, "alice", &s1, Privilege::SpaceDelete));

    // g2's privileges in g1 reach g2's effective members, not g1's direct ones.
    let g1 = EntityRef::group("g1");
    assert!(has(&dir, "alice", &g1, Privilege::GroupAddUser));
    assert!(has(&dir, "bob", &g1, Privilege::GroupAddUser));
    assert!(!has(&dir, "carol", &g1, Privilege::GroupAddUser));
    assert!(has(&dir, "carol", &g1, Privilege::GroupView));

    // Nesting goes up, never down: g1's members are not members of g3.
    let s2 = EntityRef::space("s2");
    assert!(has(&dir, "alice", &s2, Privilege::SpaceWriteData));
    assert!(!has(&dir, "bob", &s2, Privilege::SpaceWriteData));
    assert!(!has(&dir, "carol", &s2, Privilege::SpaceWriteData));

    assert_eq!(
        dir.effective_privileges(&Subject::user("alice"), &s1),
        [Privilege::SpaceView, Privilege::SpaceAddUser]
    );
    assert_eq!(
        dir.direct_privileges(&s1, &Member::user("alice")),
        None,
        "alice is no direct member of s1"
    );
}

#[test]
fn directory_privilege_of_another_kind_is_never_held() {
    let dir = nested();
    assert!(!has(
        &dir,
        "alice",
        &EntityRef::space("s1"),
        Privilege::GroupView
    ));
    assert!(!has(
        &dir,
        "alice",
        &EntityRef::group("g1"),
        Privilege::SpaceView
    ));
    // grant ignores privileges of the wrong kind.
    dir.grant(
        &Subject::user("dave"),
        EntityRef::space("s9"),
        &[Privilege::GroupView, Privilege::SpaceView],
    );
    assert_eq!(
        dir.direct_privileges(&EntityRef::space("s9"), &Member::user("dave")),
        Some(vec![Privilege::SpaceView])
    );
}

#[test]
fn directory_admin_privileges_directly_and_through_groups() {
    let dir = nested();
    dir.grant_group(
        "g1",
        EntityRef::onezone(),
        &[Privilege::OzGroupsAddRelationships],
    )
    .grant(
        &Subject::user("dave"),
        EntityRef::onezone(),
        &[Privilege::OzTokensManage],
    );
    let alice = Subject::user("alice");
    let dave = Subject::user("dave");
    let admin = |s: &Subject, p| block_on(dir.has_admin_privilege(s, p)).unwrap();
    assert!(admin(&alice, Privilege::OzGroupsAddRelationships));
    assert!(!admin(&alice, Privilege::OzTokensManage));
    assert!(admin(&dave, Privilege::OzTokensManage));
    assert!(!admin(&dave, Privilege::OzGroupsAddRelationships));
}

#[test]
fn directory_meets_requirements_by_privilege_or_admin() {
    let dir = nested();
    dir.grant_group(
        "g3",
        EntityRef::onezone(),
        &[Privilege::OzGroupsAddRelationships],
    );
    // gjg: the consumer needs group_add_parent in the child group, or the admin privilege.
    let requirement =
        mintage::privilege::consume_invite_requirement(InviteType::GroupJoinGroup).unwrap();
    let child = EntityRef::group("child");
    dir.grant(
        &Subject::user("dave"),
        child.clone(),
        &[Privilege::GroupAddParent],
    );
    let meets =
        |user: &str| block_on(dir.meets(&Subject::user(user), &child, requirement)).unwrap();
    assert!(meets("dave"), "by the privilege in the child group");
    assert!(meets("alice"), "by oz_groups_add_relationships through g3");
    assert!(!meets("carol"));
    // The issuer-side rule of ujg names group_add_user in the target.
    let rule = create_invite_requirement(InviteType::UserJoinGroup);
    assert_eq!(rule.privilege, Some(Privilege::GroupAddUser));
    assert!(has(
        &dir,
        "bob",
        &EntityRef::group("g1"),
        Privilege::GroupAddUser
    ));
}

#[test]
fn directory_blocked_users_hold_nothing_until_unblocked() {
    let dir = nested();
    let alice = Subject::user("alice");
    let s1 = EntityRef::space("s1");
    dir.block_user("alice");
    assert_eq!(
        block_on(dir.subject_status(&alice)).unwrap(),
        SubjectStatus::Blocked
    );
    assert!(!has(&dir, "alice", &s1, Privilege::SpaceAddUser));
    assert!(dir.effective_privileges(&alice, &s1).is_empty());
    dir.unblock_user("alice");
    assert_eq!(
        block_on(dir.subject_status(&alice)).unwrap(),
        SubjectStatus::Active
    );
    assert!(has(&dir, "alice", &s1, Privilege::SpaceAddUser));
}

#[test]
fn directory_missing_subjects_and_entities() {
    let dir = nested();
    dir.add_provider("p1");
    let status = |s: Subject| block_on(dir.subject_status(&s)).unwrap();
    assert_eq!(status(Subject::user("alice")), SubjectStatus::Active);
    assert_eq!(status(Subject::user("zed")), SubjectStatus::Missing);
    assert_eq!(status(Subject::oneprovider("p1")), SubjectStatus::Active);
    assert_eq!(
        status(Subject::oneprovider("alice")),
        SubjectStatus::Missing
    );
    assert_eq!(status(Subject::Nobody), SubjectStatus::Missing);

    let exists = |e: EntityRef| block_on(dir.entity_exists(&e)).unwrap();
    assert!(exists(EntityRef::group("g1")));
    assert!(exists(EntityRef::space("s1")));
    assert!(exists(EntityRef::onezone()));
    assert!(
        exists(EntityRef::cluster("p1")),
        "a provider has its cluster"
    );
    assert!(!exists(EntityRef::group("s1")), "kinds are not mixed up");
    assert!(!exists(EntityRef::harvester("h")));

    assert!(!has(
        &dir,
        "alice",
        &EntityRef::space("nope"),
        Privilege::SpaceView
    ));
    assert!(!has(
        &dir,
        "zed",
        &EntityRef::space("s1"),
        Privilege::SpaceView
    ));
    let nobody = block_on(dir.has_privilege(
        &Subject::Nobody,
        &EntityRef::space("s1"),
        Privilege::SpaceView,
    ))
    .unwrap();
    assert!(!nobody);

    // Removing a user ends their memberships; removing a group cuts the path through it.
    dir.remove_user("carol");
    assert_eq!(status(Subject::user("carol")), SubjectStatus::Missing);
    assert!(
        dir.members(&EntityRef::group("g1"))
            .iter()
            .all(|(m, _)| *m != Member::user("carol"))
    );
    dir.remove_entity(&EntityRef::group("g2"));
    assert!(!exists(EntityRef::group("g2")));
    assert!(!has(
        &dir,
        "alice",
        &EntityRef::space("s1"),
        Privilege::SpaceView
    ));
    assert!(has(
        &dir,
        "alice",
        &EntityRef::space("s2"),
        Privilege::SpaceWriteData
    ));
    dir.remove_entity(&EntityRef::onezone());
    assert!(exists(EntityRef::onezone()), "Onezone cannot be removed");
}

#[test]
fn directory_add_member_is_idempotent_and_keeps_privileges() {
    let dir = MemoryDirectory::new();
    dir.add_user("bob").add_group("g1");
    let g1 = EntityRef::group("g1");
    let defaults = join_privileges(InviteType::UserJoinGroup).unwrap().default;
    let add = |privileges: &[Privilege]| {
        block_on(dir.add_member(&g1, Member::user("bob"), privileges)).unwrap()
    };
    assert_eq!(add(defaults), JoinOutcome::Added);
    // The group now lists bob with the default privileges.
    assert_eq!(dir.members(&g1), [(Member::user("bob"), defaults.to_vec())]);
    assert_eq!(
        add(&[Privilege::GroupView, Privilege::GroupDelete]),
        JoinOutcome::AlreadyMember
    );
    assert_eq!(
        dir.members(&g1),
        [(Member::user("bob"), defaults.to_vec())],
        "a second join changes nothing"
    );
    assert!(has(&dir, "bob", &g1, Privilege::GroupView));
    assert!(!has(&dir, "bob", &g1, Privilege::GroupDelete));
}

#[test]
fn directory_add_member_errors() {
    let dir = MemoryDirectory::new();
    dir.add_user("bob")
        .add_group("g1")
        .add_space("s1")
        .add_provider("p1");
    let add = |target: EntityRef, member: Member, privileges: &[Privilege]| {
        block_on(dir.add_member(&target, member, privileges))
    };
    assert!(matches!(
        add(EntityRef::group("g9"), Member::user("bob"), &[]),
        Err(AddMemberError::TargetMissing)
    ));
    assert!(matches!(
        add(EntityRef::group("g1"), Member::user("zed"), &[]),
        Err(AddMemberError::MemberMissing)
    ));
    assert!(matches!(
        add(EntityRef::group("g1"), Member::group("g9"), &[]),
        Err(AddMemberError::MemberMissing)
    ));
    for (target, member, privileges) in [
        (EntityRef::group("g1"), Member::oneprovider("p1"), &[][..]),
        (EntityRef::group("g1"), Member::group("g1"), &[][..]),
        (
            EntityRef::group("g1"),
            Member::user("bob"),
            &[Privilege::SpaceView][..],
        ),
        (
            EntityRef::space("s1"),
            Member::oneprovider("p1"),
            &[Privilege::SpaceView][..],
        ),
        (EntityRef::onezone(), Member::user("bob"), &[][..]),
    ] {
        let result = add(target.clone(), member.clone(), privileges);
        assert!(
            matches!(result, Err(AddMemberError::InvalidRelation)),
            "{member} into {target}: {result:?}"
        );
    }
    assert!(
        dir.members(&EntityRef::group("g1")).is_empty(),
        "nothing was added"
    );
}

#[test]
fn directory_every_invite_types_join_can_be_written() {
    let dir = MemoryDirectory::new();
    dir.add_user("u")
        .add_group("child")
        .add_space("s")
        .add_provider("p")
        .add_entity(EntityRef::harvester("h"))
        .add_entity(EntityRef::atm_inventory("i"))
        .add_group("g");
    let cases = [
        ("ujg", EntityRef::group("g"), Member::user("u")),
        ("gjg", EntityRef::group("g"), Member::group("child")),
        ("ujs", EntityRef::space("s"), Member::user("u")),
        ("gjs", EntityRef::space("s"), Member::group("child")),
        ("ssp", EntityRef::space("s"), Member::oneprovider("p")),
        ("hjs", EntityRef::space("s"), Member::harvester("h")),
        ("ujc", EntityRef::cluster("p"), Member::user("u")),
        ("gjc", EntityRef::cluster("p"), Member::group("child")),
        ("ujh", EntityRef::harvester("h"), Member::user("u")),
        ("gjh", EntityRef::harvester("h"), Member::group("child")),
        ("sjh", EntityRef::harvester("h"), Member::space("s")),
        ("uji", EntityRef::atm_inventory("i"), Member::user("u")),
        ("gji", EntityRef::atm_inventory("i"), Member::group("child")),
    ];
    for (code, target, member) in cases {
        let invite_type = InviteType::from_code(code).unwrap();
        let privileges = join_privileges(invite_type).map_or(&[][..], |join| join.default);
        let outcome = block_on(dir.add_member(&target, member.clone(), privileges));
        let expected = if code == "sjh" {
            // hjs made the same relation already.
            JoinOutcome::AlreadyMember
        } else {
            JoinOutcome::Added
        };
        assert_eq!(outcome.unwrap(), expected, "{code}: {member} into {target}");
    }
    assert_eq!(
        dir.members(&EntityRef::harvester("h")),
        [
            (Member::group("child"), vec![Privilege::HarvesterView]),
            (Member::space("s"), vec![]),
            (Member::user("u"), vec![Privilege::HarvesterView]),
        ]
    );
    assert_eq!(
        dir.members(&EntityRef::space("s")),
        [
            (
                Member::group("child"),
                vec![
                    Privilege::SpaceView,
                    Privilege::SpaceReadData,
                    Privilege::SpaceWriteData,
                    Privilege::SpaceViewTransfers,
                ]
            ),
            (Member::oneprovider("p"), vec![]),
            (
                Member::user("u"),
                vec![
                    Privilege::SpaceView,
                    Privilege::SpaceReadData,
                    Privilege::SpaceWriteData,
                    Privilege::SpaceViewTransfers,
                ]
            ),
        ]
    );
    // userJoinCluster grants cluster_admin: every cluster privilege.
    assert!(has(
        &dir,
        "u",
        &EntityRef::cluster("p"),
        Privilege::ClusterSetPrivileges
    ));
}

#[test]
fn directory_cycles_do_not_hang() {
    let dir = MemoryDirectory::new();
    dir.grant(&Subject::user("alice"), EntityRef::group("a"), &[])
        .grant_group("a", EntityRef::group("b"), &[Privilege::GroupView])
        .grant_group("b", EntityRef::group("c"), &[Privilege::GroupAddUser])
        .grant_group("c", EntityRef::group("a"), &[Privilege::GroupDelete])
        .grant_group("b", EntityRef::space("s"), &[Privilege::SpaceView]);
    // a → b → c → a: alice is an effective member of all three.
    assert!(has(
        &dir,
        "alice",
        &EntityRef::group("b"),
        Privilege::GroupView
    ));
    assert!(has(
        &dir,
        "alice",
        &EntityRef::group("c"),
        Privilege::GroupAddUser
    ));
    assert!(has(
        &dir,
        "alice",
        &EntityRef::group("a"),
        Privilege::GroupDelete
    ));
    assert!(has(
        &dir,
        "alice",
        &EntityRef::space("s"),
        Privilege::SpaceView
    ));
    assert!(!has(
        &dir,
        "alice",
        &EntityRef::space("s"),
        Privilege::SpaceDelete
    ));

    // A join that closes another cycle is written, and checks still end.
    let joined = block_on(dir.add_member(&EntityRef::group("b"), Member::group("c"), &[]));
    assert_eq!(joined.unwrap(), JoinOutcome::Added);
    assert!(has(
        &dir,
        "alice",
        &EntityRef::group("b"),
        Privilege::GroupView
    ));
    assert!(!has(
        &dir,
        "bob",
        &EntityRef::group("b"),
        Privilege::GroupView
    ));
}

#[test]
fn directory_blanket_impls_answer_alike() {
    let dir = Arc::new(nested());
    let alice = Subject::user("alice");
    let s1 = EntityRef::space("s1");
    let by_ref = block_on(PrivilegeChecker::has_privilege(
        &&*dir,
        &alice,
        &s1,
        Privilege::SpaceAddUser,
    ));
    let by_arc = block_on(dir.has_privilege(&alice, &s1, Privilege::SpaceAddUser));
    let boxed = Box::new(MemoryDirectory::new());
    boxed.add_user("alice");
    let by_box = block_on(boxed.subject_status(&alice));
    assert!(by_ref.unwrap() && by_arc.unwrap());
    assert_eq!(by_box.unwrap(), SubjectStatus::Active);

    fn generic<C: PrivilegeChecker>(checker: C, subject: &Subject) -> SubjectStatus {
        block_on(checker.subject_status(subject)).unwrap()
    }
    assert_eq!(generic(&*dir, &alice), SubjectStatus::Active);
    assert_eq!(generic(Arc::clone(&dir), &alice), SubjectStatus::Active);
    assert_eq!(generic(boxed, &alice), SubjectStatus::Active);
}

// ---------------------------------------------------------------------------------------------
// The suite itself catches broken backends

/// A `MemoryStore` with one deliberate fault.
struct Faulty {
    inner: MemoryStore,
    fault: Fault,
}

#[derive(Clone, Copy)]
enum Fault {
    /// `try_use_invite` counts past the limit.
    IgnoresLimit,
    /// `revoke_temporary` bumps the generation but keeps the secret.
    KeepsSecret,
}

impl TokenStore for Faulty {
    async fn create_named_token(&self, record: NamedTokenRecord) -> Result<(), CreateError> {
        self.inner.create_named_token(record).await
    }

    async fn named_token(&self, id: &str) -> Result<Option<NamedTokenRecord>, StoreError> {
        self.inner.named_token(id).await
    }

    async fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> Result<Option<NamedTokenRecord>, StoreError> {
        self.inner.named_token_by_name(subject, name).await
    }

    async fn named_tokens_of(
        &self,
        subject: &Subject,
    ) -> Result<Vec<NamedTokenRecord>, StoreError> {
        self.inner.named_tokens_of(subject).await
    }

    async fn named_token_ids(&self) -> Result<Vec<String>, StoreError> {
        self.inner.named_token_ids().await
    }

    async fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenRecord, UpdateError> {
        self.inner.update_named_token(id, update).await
    }

    async fn delete_named_token(&self, id: &str) -> Result<bool, StoreError> {
        self.inner.delete_named_token(id).await
    }

    async fn try_use_invite(&self, id: &str) -> Result<UseOutcome, StoreError> {
        match (self.fault, self.inner.try_use_invite(id).await?) {
            (Fault::IgnoresLimit, UseOutcome::LimitReached) => {
                let count = self.inner.named_token(id).await?.unwrap().usage_count();
                Ok(UseOutcome::Used { count: count + 1 })
            }
            (_, outcome) => Ok(outcome),
        }
    }

    async fn release_invite_use(&self, id: &str) -> Result<bool, StoreError> {
        self.inner.release_invite_use(id).await
    }

    async fn temporary_secret(
        &self,
        subject: &Subject,
    ) -> Result<(Generation, RootKey), StoreError> {
        self.inner.temporary_secret(subject).await
    }

    async fn temporary_secret_if_exists(
        &self,
        subject: &Subject,
    ) -> Result<Option<(Generation, RootKey)>, StoreError> {
        self.inner.temporary_secret_if_exists(subject).await
    }

    async fn revoke_temporary(&self, subject: &Subject) -> Result<Generation, StoreError> {
        match self.fault {
            Fault::KeepsSecret => Ok(self
                .inner
                .temporary_secret(subject)
                .await?
                .0
                .next()
                .unwrap()),
            Fault::IgnoresLimit => self.inner.revoke_temporary(subject).await,
        }
    }

    async fn delete_temporary_secret(&self, subject: &Subject) -> Result<bool, StoreError> {
        self.inner.delete_temporary_secret(subject).await
    }
}

fn faulty(fault: Fault) -> Faulty {
    Faulty {
        inner: MemoryStore::new(),
        fault,
    }
}

#[test]
#[should_panic(expected = "invite_usage: a limit of 2 admits two uses")]
fn conformance_catches_a_store_that_ignores_the_limit() {
    block_on(conformance::invite_usage(&faulty(Fault::IgnoresLimit)));
}

#[test]
#[should_panic(expected = "invite race")]
fn conformance_race_catches_a_store_that_ignores_the_limit() {
    let store = faulty(Fault::IgnoresLimit);
    let race = block_on(InviteRace::prepare(&store, 2));
    let outcomes: Vec<_> = (0..5).map(|_| block_on(race.attempt(&store))).collect();
    block_on(race.check(&store, &outcomes));
}

#[test]
#[should_panic(expected = "temporary_secrets")]
fn conformance_catches_a_store_that_keeps_the_secret_on_revocation() {
    block_on(conformance::temporary_secrets(&faulty(Fault::KeepsSecret)));
}

#[test]
fn directory_effective_groups_follow_nesting_and_cycles() {
    let groups = |dir: &MemoryDirectory, user: &str| {
        let mut groups = block_on(dir.effective_groups(user)).unwrap();
        groups.sort();
        groups
    };
    let dir = nested();
    assert_eq!(groups(&dir, "alice"), ["g1", "g2", "g3"]);
    assert_eq!(groups(&dir, "bob"), ["g1", "g2"]);
    assert_eq!(groups(&dir, "carol"), ["g1"]);
    assert!(groups(&dir, "dave").is_empty());
    assert!(groups(&dir, "nobody-known").is_empty());
    let cyclic = MemoryDirectory::new();
    cyclic
        .grant(&Subject::user("alice"), EntityRef::group("a"), &[])
        .grant_group("a", EntityRef::group("b"), &[])
        .grant_group("b", EntityRef::group("a"), &[]);
    assert_eq!(groups(&cyclic, "alice"), ["a", "b"]);
}
