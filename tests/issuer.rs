//! The standard issuer over `MemoryStore` and `MemoryDirectory`, on a fixed clock and
//! deterministic randomness: the seed flow, usage limits under concurrency, revocation,
//! temporary-token generations, issuer rights at consumption, and one test per error id.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use futures::executor::block_on;
use mintage::caveat::{Clock, Context, TypedCaveat};
use mintage::issuer::{Issuer, IssuerConfig, IssuerError, NamedTokenRequest, TokenIssuer};
use mintage::privilege::{
    EntityRef, JoinOutcome, Member, MemoryDirectory, Privilege, join_privileges, named_preset,
};
use mintage::store::{MemoryStore, NamedTokenUpdate, TokenStore};
use mintage::token::{
    Generation, InviteType, Persistence, Subject, Token, TokenIdentifier, TokenType,
};
use mintage::{Format, RootKey};
use serde_json::json;

const NOW: u64 = 1_700_000_000;
const MAX_TTL: u64 = 2_592_000;

/// A clock the test sets.
#[derive(Clone)]
struct TestClock(Arc<AtomicU64>);

impl Clock for TestClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Deterministic bytes: a splitmix64 stream over a shared counter.
fn deterministic()
-> impl Fn(&mut [u8]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + Send + Sync + 'static
{
    let counter = Arc::new(AtomicU64::new(0x5eed));
    move |bytes: &mut [u8]| {
        for chunk in bytes.chunks_mut(8) {
            let mut z = counter
                .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::SeqCst)
                .wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
        Ok(())
    }
}

type TestIssuer = Issuer<Arc<MemoryStore>, Arc<MemoryDirectory>>;

struct World {
    issuer: TestIssuer,
    store: Arc<MemoryStore>,
    dir: Arc<MemoryDirectory>,
}

/// Users `admin` (with `group_add_user` in group `g1`), `bob`, `carol`; groups `g1`, `g2`.
fn world() -> World {
    world_with(IssuerConfig::default())
}

fn world_with(config: IssuerConfig) -> World {
    world_where(config, |issuer| issuer)
}

/// A world whose issuer `build` adjusts (e.g. with host caveat kinds).
fn world_where(config: IssuerConfig, build: impl FnOnce(TestIssuer) -> TestIssuer) -> World {
    let store = Arc::new(MemoryStore::with_random({
        let random = deterministic();
        move |bytes| {
            random(bytes).map_err(|_| mintage::store::StoreError::new("random"))?;
            Ok(())
        }
    }));
    let dir = Arc::new(MemoryDirectory::new());
    dir.add_user("admin")
        .add_user("bob")
        .add_user("carol")
        .add_group("g1")
        .add_group("g2")
        .grant(
            &admin(),
            EntityRef::group("g1"),
            &[Privilege::GroupView, Privilege::GroupAddUser],
        );
    let issuer = Issuer::new(Arc::clone(&store), Arc::clone(&dir), config)
        .with_clock(TestClock(Arc::new(AtomicU64::new(NOW))))
        .with_random(deterministic());
    let issuer = build(issuer);
    World { issuer, store, dir }
}

fn admin() -> Subject {
    Subject::user("admin")
}

fn bob() -> Subject {
    Subject::user("bob")
}

fn ctx() -> Context<'static> {
    Context::at(NOW)
}

fn time(until: u64) -> TypedCaveat {
    format!("time < {until}").parse().unwrap()
}

fn ujg(target: &str) -> TokenType {
    TokenType::invite(InviteType::UserJoinGroup, target)
}

impl World {
    fn named(&self, request: NamedTokenRequest) -> Result<String, IssuerError> {
        block_on(self.issuer.create_named_token(request)).map(|c| c.token().to_owned())
    }

    fn invite(&self, name: &str) -> String {
        self.named(NamedTokenRequest::new(admin(), name, ujg("g1")))
            .unwrap()
    }

    fn access(&self, subject: &Subject, name: &str) -> String {
        self.named(NamedTokenRequest::new(
            subject.clone(),
            name,
            TokenType::access(),
        ))
        .unwrap()
    }

    fn temporary(&self, subject: &Subject, token_type: TokenType) -> String {
        block_on(
            self.issuer
                .create_temporary_token(subject, token_type, &[time(NOW + 3600)]),
        )
        .unwrap()
    }

    fn verify(&self, token: &str) -> Result<Subject, IssuerError> {
        block_on(self.issuer.verify_access_token(token, None, &ctx())).map(|v| v.subject)
    }

    fn consume(&self, token: &str, user: &str) -> Result<JoinOutcome, IssuerError> {
        block_on(self.issuer.consume_invite(
            token,
            None,
            &Subject::user(user),
            Member::user(user),
            &ctx(),
        ))
        .map(|c| c.outcome.unwrap())
    }

    fn usage_count(&self, token: &str) -> u64 {
        let id = Token::deserialize(token)
            .unwrap()
            .identifier()
            .id()
            .to_owned();
        block_on(self.store.named_token(&id))
            .unwrap()
            .unwrap()
            .usage_count()
    }
}

fn id_of<T>(result: Result<T, IssuerError>) -> &'static str {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(err) => err.id(),
    }
}

/// Re-signs a token's identifier under another key: a forgery.
fn forged(identifier: TokenIdentifier) -> String {
    Token::mint(&RootKey::new(b"not the secret"), "onezone", identifier)
        .unwrap()
        .serialize()
        .unwrap()
}

/// Adds a raw first-party caveat to a serialized token.
fn with_raw_caveat(token: &str, caveat: &str) -> String {
    let mut m = Token::deserialize(token).unwrap().into_macaroon();
    m.add_first_party(caveat).unwrap();
    m.encode_base62(Format::V1).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Flows

#[test]
fn seed_flow_group_admin_invites_a_user() {
    let w = world();
    let created = block_on(w.issuer.create_named_token(
        NamedTokenRequest::new(admin(), "join g1", ujg("g1")).with_caveats(vec![time(NOW + 600)]),
    ))
    .unwrap();
    assert_eq!(created.info.subject, admin());
    assert_eq!(created.info.usage_limit, None);
    assert_eq!(created.info.caveats, vec![format!("time < {}", NOW + 600)]);
    let id = &created.info.id;
    assert_eq!(id.len(), 38);
    assert_eq!(&id[32..34], "ch");
    let token = created.token();

    let decoded = Token::deserialize(token).unwrap();
    assert_eq!(decoded.onezone_domain(), "onezone");
    assert_eq!(
        decoded.identifier().to_string(),
        format!("2/nmd/usr-admin/ujg:g1:/{id}")
    );

    let verified = block_on(w.issuer.verify_invite_token(
        token,
        Some(InviteType::UserJoinGroup),
        &ctx(),
    ))
    .unwrap();
    assert_eq!(verified.subject, admin());
    assert_eq!(verified.ttl, Some(600));

    let consumed = block_on(w.issuer.consume_invite(
        token,
        Some(InviteType::UserJoinGroup),
        &bob(),
        Member::user("bob"),
        &ctx(),
    ))
    .unwrap();
    assert_eq!(consumed.outcome, Some(JoinOutcome::Added));
    assert_eq!(consumed.usage_count, Some(1));
    assert_eq!(consumed.issuer, admin());

    let preset = named_preset("group_member").unwrap();
    assert_eq!(
        join_privileges(InviteType::UserJoinGroup).unwrap().default,
        preset,
        "the default privileges are the group member preset"
    );
    let members = w.dir.members(&EntityRef::group("g1"));
    let (_, privileges) = members
        .iter()
        .find(|(m, _)| *m == Member::user("bob"))
        .expect("bob joined g1");
    let mut got = privileges.clone();
    let mut want = preset.to_vec();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn custom_privileges_travel_with_a_named_invite() {
    let w = world();
    w.dir.grant(
        &admin(),
        EntityRef::group("g1"),
        &[Privilege::GroupSetPrivileges],
    );
    let token = w
        .named(
            NamedTokenRequest::new(admin(), "managers", ujg("g1"))
                .with_privileges(vec![Privilege::GroupView, Privilege::GroupAddUser]),
        )
        .unwrap();
    w.consume(&token, "bob").unwrap();
    let direct = w
        .dir
        .direct_privileges(&EntityRef::group("g1"), &Member::user("bob"))
        .unwrap();
    assert!(direct.contains(&Privilege::GroupAddUser));
}

#[test]
fn usage_limit_holds_under_concurrency() {
    let w = world();
    for n in 0..64 {
        w.dir.add_user(&format!("u{n}"));
    }
    let token = w
        .named(NamedTokenRequest::new(admin(), "ten", ujg("g1")).with_usage_limit(10))
        .unwrap();
    let w = Arc::new(w);
    let token = Arc::new(token);
    let handles: Vec<_> = (0..64)
        .map(|n| {
            let w = Arc::clone(&w);
            let token = Arc::clone(&token);
            thread::spawn(move || w.consume(&token, &format!("u{n}")))
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let joined = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(joined, 10);
    for result in results.into_iter().filter_map(Result::err) {
        assert_eq!(result.id(), "inviteTokenUsageLimitReached");
    }
    assert_eq!(w.usage_count(&token), 10);
    let members = w.dir.members(&EntityRef::group("g1"));
    let users = members
        .iter()
        .filter(|(m, _)| matches!(m, Member::User(id) if id.starts_with('u')))
        .count();
    assert_eq!(users, 10);
}

#[test]
fn failed_joins_do_not_use_up_an_invite() {
    let w = world();
    let token = w
        .named(NamedTokenRequest::new(admin(), "two", ujg("g1")).with_usage_limit(2))
        .unwrap();
    // Already members: bob joins once, then every further attempt fails without counting.
    w.consume(&token, "bob").unwrap();
    for _ in 0..5 {
        assert_eq!(id_of(w.consume(&token, "bob")), "relationAlreadyExists");
    }
    assert_eq!(w.usage_count(&token), 1);
    w.consume(&token, "carol").unwrap();
    assert_eq!(w.usage_count(&token), 2);
    w.dir.add_user("dave");
    assert_eq!(
        id_of(w.consume(&token, "dave")),
        "inviteTokenUsageLimitReached"
    );
}

#[test]
fn failed_joins_under_concurrency_do_not_use_up_an_invite() {
    let w = world();
    for n in 0..32 {
        let user = format!("m{n}");
        w.dir.add_user(&user).grant(
            &Subject::user(user.as_str()),
            EntityRef::group("g1"),
            &[Privilege::GroupView],
        );
    }
    for n in 0..8 {
        w.dir.add_user(&format!("n{n}"));
    }
    let token = w
        .named(NamedTokenRequest::new(admin(), "eight", ujg("g1")).with_usage_limit(8))
        .unwrap();
    let w = Arc::new(w);
    let token = Arc::new(token);
    let handles: Vec<_> = (0..32)
        .map(|n| format!("m{n}"))
        .chain((0..8).map(|n| format!("n{n}")))
        .map(|user| {
            let w = Arc::clone(&w);
            let token = Arc::clone(&token);
            thread::spawn(move || w.consume(&token, &user))
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(Result::is_ok)
        .count();
    assert_eq!(ok, 8, "every newcomer joins: existing members used no uses");
    assert_eq!(w.usage_count(&token), 8);
}

#[test]
fn revocation_is_immediate_and_reversible_and_deletion_invalidates() {
    let w = world();
    let token = w.access(&bob(), "laptop");
    let id = Token::deserialize(&token)
        .unwrap()
        .identifier()
        .id()
        .to_owned();
    assert_eq!(w.verify(&token).unwrap(), bob());

    block_on(w.issuer.set_revoked(&id, true)).unwrap();
    assert_eq!(id_of(w.verify(&token)), "tokenRevoked");
    // Confined tokens derived from it are revoked too.
    let confined = w.issuer.confine(&token, &[time(NOW + 60)]).unwrap();
    assert_eq!(id_of(w.verify(&confined)), "tokenRevoked");
    assert!(block_on(w.issuer.named_token(&id)).unwrap().revoked);

    block_on(w.issuer.set_revoked(&id, false)).unwrap();
    assert_eq!(w.verify(&token).unwrap(), bob());
    assert_eq!(w.verify(&confined).unwrap(), bob());

    block_on(w.issuer.delete_named_token(&id)).unwrap();
    assert_eq!(id_of(w.verify(&token)), "tokenInvalid");
    assert_eq!(
        id_of(block_on(w.issuer.delete_named_token(&id))),
        "notFound"
    );
}

#[test]
fn generation_bump_revokes_older_temporary_tokens() {
    let w = world();
    let old = w.temporary(&bob(), TokenType::access());
    assert!(
        Token::deserialize(&old)
            .unwrap()
            .identifier()
            .to_string()
            .starts_with("2/tmp-1/usr-bob/act/")
    );
    assert_eq!(w.verify(&old).unwrap(), bob());

    let generation = block_on(w.issuer.revoke_temporary_tokens(&bob())).unwrap();
    assert_eq!(generation, Generation::new(2));
    assert_eq!(id_of(w.verify(&old)), "tokenRevoked");

    let new = w.temporary(&bob(), TokenType::access());
    assert_eq!(
        Token::deserialize(&new).unwrap().identifier().persistence(),
        Persistence::Temporary(Generation::new(2))
    );
    assert_eq!(w.verify(&new).unwrap(), bob());

    // A generation the store has not reached is a forgery.
    let future = TokenIdentifier::new(
        Persistence::Temporary(Generation::new(3)),
        bob(),
        TokenType::access(),
        "forgedid",
    )
    .unwrap();
    assert_eq!(id_of(w.verify(&forged(future))), "tokenInvalid");
}

#[test]
fn issuer_right_is_rechecked_at_consumption() {
    let w = world();
    let token = w.invite("join");
    w.dir
        .remove_member(&EntityRef::group("g1"), &Member::user("admin"));
    assert_eq!(
        id_of(w.consume(&token, "bob")),
        "inviteTokenSubjectNotAuthorized"
    );
    // The admin alternative restores it.
    w.dir.grant(
        &admin(),
        EntityRef::onezone(),
        &[Privilege::OzGroupsAddRelationships],
    );
    assert_eq!(w.consume(&token, "bob").unwrap(), JoinOutcome::Added);
}

#[test]
fn temporary_tokens_need_a_bounded_time_caveat() {
    let w = world();
    for caveats in [
        vec![],
        vec!["ip = 10.0.0.0/8".parse::<TypedCaveat>().unwrap()],
        vec![time(NOW + MAX_TTL + 1)],
    ] {
        let err = block_on(
            w.issuer
                .create_temporary_token(&bob(), TokenType::access(), &caveats),
        )
        .unwrap_err();
        assert_eq!(err.id(), "tokenTimeCaveatRequired");
        assert_eq!(err.details(), Some(json!({"maxTtl": MAX_TTL})));
    }
    // At the maximum, and with the earliest of several time caveats within it.
    for caveats in [
        vec![time(NOW + MAX_TTL)],
        vec![time(NOW + 10 * MAX_TTL), time(NOW + 60)],
    ] {
        let token = block_on(w.issuer.create_temporary_token(
            &bob(),
            TokenType::access(),
            &caveats,
        ))
        .unwrap();
        assert_eq!(w.verify(&token).unwrap(), bob());
    }
    // A smaller configured maximum.
    let w = world_with(IssuerConfig::default().with_max_temporary_ttl(60));
    let err = block_on(w.issuer.create_temporary_token(
        &bob(),
        TokenType::access(),
        &[time(NOW + 61)],
    ))
    .unwrap_err();
    assert_eq!(err.details(), Some(json!({"maxTtl": 60})));
}

#[test]
fn temporary_minting_writes_no_named_record() {
    let w = world();
    w.temporary(&bob(), TokenType::access());
    assert!(block_on(w.store.named_token_ids()).unwrap().is_empty());
}

#[test]
fn confine_and_examine() {
    let w = world();
    let token = w.invite("join");
    let confined = w
        .issuer
        .confine(
            &token,
            &[time(NOW + 30), "ip = 10.0.0.0/8".parse().unwrap()],
        )
        .unwrap();
    let examined = w.issuer.examine(&confined).unwrap();
    assert_eq!(examined.onezone_domain, "onezone");
    assert_eq!(examined.persistence, Persistence::Named);
    assert_eq!(examined.subject, Some(admin()));
    assert_eq!(examined.token_type, ujg("g1"));
    assert_eq!(
        examined.caveats,
        vec![
            json!({"type": "time", "validUntil": NOW + 30}),
            json!({"type": "ip", "whitelist": ["10.0.0.0/8"]}),
        ]
    );
    assert_eq!(examined.to_json()["persistence"], json!("named"));
    // The confined invite verifies at the right time, and not after.
    let at = |now| Context::at(now);
    assert!(block_on(w.issuer.verify_invite_token(&confined, None, &at(NOW))).is_err());
    let ip: std::net::IpAddr = "10.1.2.3".parse().unwrap();
    assert!(
        block_on(
            w.issuer
                .verify_invite_token(&confined, None, &at(NOW).with_peer_ip(ip))
        )
        .is_ok()
    );
    assert_eq!(
        id_of(block_on(w.issuer.verify_invite_token(
            &confined,
            None,
            &at(NOW + 31).with_peer_ip(ip)
        ))),
        "tokenCaveatUnverified"
    );
}

#[test]
fn named_tokens_are_listed_and_found() {
    let w = world();
    let a = w.access(&bob(), "a");
    w.access(&bob(), "b");
    w.access(&admin(), "a");
    let listed = block_on(w.issuer.list_named_tokens(&bob())).unwrap();
    assert_eq!(listed.len(), 2);
    let by_name = block_on(w.issuer.named_token_by_name(&bob(), "a")).unwrap();
    assert_eq!(
        by_name.token, a,
        "the stored token re-mints to the same string"
    );
    let by_id = block_on(w.issuer.named_token(&by_name.id)).unwrap();
    assert_eq!(by_id, by_name);
    assert_eq!(by_id.name, "a");
}

#[test]
fn legacy_named_tokens_use_the_record_subject() {
    let w = world();
    let token = w.access(&bob(), "legacy");
    let record_id = Token::deserialize(&token)
        .unwrap()
        .identifier()
        .id()
        .to_owned();
    let record = block_on(w.store.named_token(&record_id)).unwrap().unwrap();
    let legacy = Token::mint(
        record.secret(),
        "onezone",
        TokenIdentifier::legacy(record_id.as_str()).unwrap(),
    )
    .unwrap()
    .serialize()
    .unwrap();
    assert_eq!(w.verify(&legacy).unwrap(), bob());
}

#[test]
fn debug_output_holds_no_secret() {
    let w = world();
    let debug = format!("{:?}", w.issuer);
    assert!(debug.contains("Issuer"));
    assert!(!debug.contains("secret"));
}

// ---------------------------------------------------------------------------------------------
// One test per error id

#[test]
fn error_bad_token() {
    let w = world();
    for bad in [
        "",
        "not a token",
        // The seed's documented sample, corrupted as printed.
        "JKAxNWxvY2F0aW9uIG9uZXpvbmUKMDAzYmlkZW50aWZpZXIgOEhmSEFSSGdrbHFCa1pWSTRsNk1CVHZTU3Z0OThwcHA2OTQ4czhRN1NPawowMDFhY2lkIHRpbWUgPCAxNDk2MTQwMTQ0CjAwMmZzaWduYXR1cmUg88OIBmav38YI0Z2-dw-fvrZ3XP-J0HjCN0taT3_WungK",
        // The seed's curl example, cut short.
        "MDAxNmxvY2F00aW9uIHJlZlFTUbnZpdGVthHo8xmai4RqqBO2MZM00mrYGgo",
    ] {
        let err = w.verify(bad).unwrap_err();
        assert_eq!(err.id(), "badToken", "{bad:?}");
        assert_eq!(err.details(), None);
    }
    assert_eq!(id_of(w.issuer.examine("%%%")), "badToken");
    assert_eq!(id_of(w.issuer.confine("%%%", &[])), "badToken");
}

#[test]
fn error_token_too_large() {
    let w = world();
    let huge = "M".repeat((1 << 20) + 1);
    let err = w.verify(&huge).unwrap_err();
    assert_eq!(err.id(), "tokenTooLarge");
    assert_eq!(err.details(), Some(json!({"limit": 1 << 20})));
}

#[test]
fn error_token_invalid() {
    let w = world();
    let token = w.access(&bob(), "t");
    let identifier = Token::deserialize(&token).unwrap().identifier().clone();
    assert_eq!(id_of(w.verify(&forged(identifier))), "tokenInvalid");
    // A named token the store never had.
    let unknown =
        TokenIdentifier::new(Persistence::Named, bob(), TokenType::access(), "nope").unwrap();
    assert_eq!(id_of(w.verify(&forged(unknown))), "tokenInvalid");
}

#[test]
fn error_token_revoked() {
    let w = world();
    let token = w.invite("join");
    let id = Token::deserialize(&token)
        .unwrap()
        .identifier()
        .id()
        .to_owned();
    block_on(w.issuer.set_revoked(&id, true)).unwrap();
    assert_eq!(id_of(w.consume(&token, "bob")), "tokenRevoked");
}

#[test]
fn error_token_caveat_unknown() {
    let w = world();
    let token = with_raw_caveat(&w.access(&bob(), "t"), "x-tenant = acme");
    let err = w.verify(&token).unwrap_err();
    assert_eq!(err.id(), "tokenCaveatUnknown");
    assert_eq!(err.details(), Some(json!({"caveat": "x-tenant = acme"})));
    assert_eq!(id_of(w.issuer.examine(&token)), "tokenCaveatUnknown");
}

#[test]
fn error_token_caveat_unverified() {
    let w = world();
    let token = w
        .named(
            NamedTokenRequest::new(bob(), "short", TokenType::access())
                .with_caveats(vec![time(1_700_000_010)]),
        )
        .unwrap();
    let err = block_on(
        w.issuer
            .verify_access_token(&token, None, &Context::at(1_700_000_011)),
    )
    .unwrap_err();
    assert_eq!(err.id(), "tokenCaveatUnverified");
    assert_eq!(
        err.details(),
        Some(json!({"caveat": {"type": "time", "validUntil": 1_700_000_010u64}}))
    );
    assert!(
        err.description()
            .contains("expired at '2023-11-14T22:13:30Z'"),
        "{}",
        err.description()
    );
    // A caveat the token type does not allow (§4.2): service on an invite token.
    let invite = w.issuer.confine(
        &w.invite("join"),
        &["service = ozw-onezone".parse().unwrap()],
    );
    let invite = invite.unwrap();
    assert_eq!(
        id_of(block_on(w.issuer.verify_invite_token(
            &invite,
            None,
            &ctx()
        ))),
        "tokenCaveatUnverified"
    );
}

#[test]
fn error_token_time_caveat_required() {
    let w = world();
    let result = block_on(
        w.issuer
            .create_temporary_token(&bob(), TokenType::access(), &[]),
    );
    assert_eq!(id_of(result), "tokenTimeCaveatRequired");
}

#[test]
fn error_token_subject_invalid() {
    let w = world();
    // No temporary secret was ever made for this subject.
    let ghost = TokenIdentifier::new(
        Persistence::Temporary(Generation::FIRST),
        Subject::user("ghost"),
        TokenType::access(),
        "id",
    )
    .unwrap();
    assert_eq!(id_of(w.verify(&forged(ghost))), "tokenSubjectInvalid");
    // The identifier claims another subject than the record.
    let token = w.access(&bob(), "t");
    let id = Token::deserialize(&token)
        .unwrap()
        .identifier()
        .id()
        .to_owned();
    let other = TokenIdentifier::new(Persistence::Named, admin(), TokenType::access(), id).unwrap();
    assert_eq!(id_of(w.verify(&forged(other))), "tokenSubjectInvalid");
    // Creating for a subject that does not exist.
    let missing = NamedTokenRequest::new(Subject::user("ghost"), "t", TokenType::access());
    assert_eq!(id_of(w.named(missing)), "tokenSubjectInvalid");
    // The subject was removed after the token was minted.
    let temporary = w.temporary(&Subject::user("carol"), TokenType::access());
    w.dir.remove_user("carol");
    assert_eq!(id_of(w.verify(&temporary)), "tokenSubjectInvalid");
}

#[test]
fn error_token_session_invalid() {
    let w = world();
    let token = w.temporary(&bob(), TokenType::session_access("s1"));
    let verify =
        |session| block_on(w.issuer.verify_access_token(&token, session, &ctx())).map(|_| ());
    assert_eq!(id_of(verify(None)), "tokenSessionInvalid");
    assert_eq!(id_of(verify(Some("s2"))), "tokenSessionInvalid");
    assert!(verify(Some("s1")).is_ok());
}

#[test]
fn error_not_an_access_token() {
    let w = world();
    let identity = w.temporary(&bob(), TokenType::Identity);
    let err = w.verify(&identity).unwrap_err();
    assert_eq!(err.id(), "notAnAccessToken");
    assert_eq!(
        err.details(),
        Some(json!({"received": TokenType::Identity.to_json()}))
    );
    assert!(block_on(w.issuer.verify_identity_token(&identity, &ctx())).is_ok());
}

#[test]
fn error_not_an_identity_token() {
    let w = world();
    let access = w.temporary(&bob(), TokenType::access());
    let err = block_on(w.issuer.verify_identity_token(&access, &ctx())).unwrap_err();
    assert_eq!(err.id(), "notAnIdentityToken");
    assert_eq!(
        err.details(),
        Some(json!({"received": TokenType::access().to_json()}))
    );
}

#[test]
fn error_not_an_invite_token() {
    let w = world();
    let access = w.temporary(&bob(), TokenType::access());
    let err = block_on(w.issuer.verify_invite_token(&access, None, &ctx())).unwrap_err();
    assert_eq!(err.id(), "notAnInviteToken");
    assert_eq!(err.details().unwrap()["expectedInviteType"], json!("any"));
    let invite = w.invite("join");
    let err = block_on(w.issuer.verify_invite_token(
        &invite,
        Some(InviteType::UserJoinSpace),
        &ctx(),
    ))
    .unwrap_err();
    assert_eq!(err.id(), "notAnInviteToken");
    assert_eq!(
        err.details(),
        Some(json!({"expectedInviteType": "userJoinSpace", "received": ujg("g1").to_json()}))
    );
    assert_eq!(id_of(w.consume(&access, "bob")), "notAnInviteToken");
}

#[test]
fn error_invite_token_subject_not_authorized() {
    let w = world();
    // Bob holds nothing in g1.
    let request = NamedTokenRequest::new(bob(), "join", ujg("g1"));
    assert_eq!(id_of(w.named(request)), "inviteTokenSubjectNotAuthorized");
    // Custom privileges need group_set_privileges as well.
    let request = NamedTokenRequest::new(admin(), "join", ujg("g1"))
        .with_privileges(vec![Privilege::GroupView]);
    assert_eq!(id_of(w.named(request)), "inviteTokenSubjectNotAuthorized");
    // A blocked issuer cannot be consumed from.
    let token = w.invite("join");
    w.dir.block_user("admin");
    assert_eq!(
        id_of(w.consume(&token, "bob")),
        "inviteTokenSubjectNotAuthorized"
    );
}

#[test]
fn error_invite_token_usage_limit_reached() {
    let w = world();
    let token = w
        .named(NamedTokenRequest::new(admin(), "once", ujg("g1")).with_usage_limit(1))
        .unwrap();
    w.consume(&token, "bob").unwrap();
    assert_eq!(
        id_of(w.consume(&token, "carol")),
        "inviteTokenUsageLimitReached"
    );
}

#[test]
fn error_invite_token_consumer_invalid() {
    let w = world();
    let token = w.invite("join");
    let err = block_on(
        w.issuer
            .consume_invite(&token, None, &bob(), Member::group("g2"), &ctx()),
    )
    .unwrap_err();
    assert_eq!(err.id(), "inviteTokenConsumerInvalid");
    assert_eq!(
        err.details(),
        Some(json!({"consumer": {"type": "group", "id": "g2"}}))
    );
    assert_eq!(w.usage_count(&token), 0);
}

#[test]
fn error_invite_token_target_id_invalid() {
    let w = world();
    let request = NamedTokenRequest::new(admin(), "join", ujg("nowhere"));
    let err = block_on(w.issuer.create_named_token(request)).unwrap_err();
    assert_eq!(err.id(), "inviteTokenTargetIdInvalid");
    assert_eq!(err.details(), Some(json!({"id": "nowhere"})));
    // The target disappears before consumption (with the admin's right kept by oz privilege).
    w.dir.grant(
        &admin(),
        EntityRef::onezone(),
        &[Privilege::OzGroupsAddRelationships],
    );
    let token = w.invite("join");
    w.dir.remove_entity(&EntityRef::group("g1"));
    assert_eq!(
        id_of(w.consume(&token, "bob")),
        "inviteTokenTargetIdInvalid"
    );
    assert_eq!(w.usage_count(&token), 0);
}

#[test]
fn error_bad_value_identifier_occupied() {
    let w = world();
    w.access(&bob(), "same");
    let err = w
        .named(NamedTokenRequest::new(bob(), "same", TokenType::access()))
        .unwrap_err();
    assert_eq!(err.id(), "badValueIdentifierOccupied");
    assert_eq!(err.details(), Some(json!({"key": "name"})));
    // Names are per subject.
    w.access(&admin(), "same");
}

#[test]
fn error_bad_value_too_low() {
    let w = world();
    let err = w
        .named(NamedTokenRequest::new(admin(), "zero", ujg("g1")).with_usage_limit(0))
        .unwrap_err();
    assert_eq!(err.id(), "badValueTooLow");
    assert_eq!(
        err.details(),
        Some(json!({"key": "usageLimit", "limit": 1}))
    );
}

#[test]
fn error_bad_value_list_not_allowed() {
    let w = world();
    let err = w
        .named(
            NamedTokenRequest::new(admin(), "wrong kind", ujg("g1"))
                .with_privileges(vec![Privilege::SpaceView]),
        )
        .unwrap_err();
    assert_eq!(err.id(), "badValueListNotAllowed");
    assert_eq!(err.details().unwrap()["key"], json!("privileges"));
}

#[test]
fn error_user_blocked() {
    let w = world();
    let token = w.temporary(&bob(), TokenType::access());
    w.dir.block_user("bob");
    assert_eq!(id_of(w.verify(&token)), "userBlocked");
    let request = NamedTokenRequest::new(bob(), "t", TokenType::access());
    assert_eq!(id_of(w.named(request)), "userBlocked");
}

#[test]
fn error_forbidden() {
    let w = world();
    // Bob may not make g2 join g1 without group_add_parent in g2.
    w.dir.grant(
        &admin(),
        EntityRef::group("g1"),
        &[Privilege::GroupAddChild],
    );
    let request = NamedTokenRequest::new(
        admin(),
        "child",
        TokenType::invite(InviteType::GroupJoinGroup, "g1"),
    );
    let token = w.named(request).unwrap();
    let consume = |member| {
        block_on(
            w.issuer
                .consume_invite(&token, None, &bob(), member, &ctx()),
        )
    };
    assert_eq!(id_of(consume(Member::group("g2"))), "forbidden");
    w.dir
        .grant(&bob(), EntityRef::group("g2"), &[Privilege::GroupAddParent]);
    assert!(consume(Member::group("g2")).is_ok());
    // Users join only as themselves.
    let invite = w.invite("join");
    let as_carol =
        block_on(
            w.issuer
                .consume_invite(&invite, None, &bob(), Member::user("carol"), &ctx()),
        );
    assert_eq!(id_of(as_carol), "forbidden");
}

#[test]
fn error_not_found() {
    let w = world();
    assert_eq!(
        id_of(block_on(w.issuer.set_revoked("nope", true))),
        "notFound"
    );
    assert_eq!(id_of(block_on(w.issuer.named_token("nope"))), "notFound");
    assert_eq!(
        id_of(block_on(w.issuer.named_token_by_name(&bob(), "nope"))),
        "notFound"
    );
}

#[test]
fn error_relation_already_exists() {
    let w = world();
    let token = w.invite("join");
    assert_eq!(id_of(w.consume(&token, "admin")), "relationAlreadyExists");
}

#[test]
fn error_internal_server_error() {
    let w = world();
    let issuer = w
        .issuer
        .with_random(|_| Err(Box::from("entropy exhausted")));
    let err = block_on(issuer.create_named_token(NamedTokenRequest::new(
        bob(),
        "t",
        TokenType::access(),
    )))
    .unwrap_err();
    assert_eq!(err.id(), "internalServerError");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(err.details(), None);
}

#[test]
fn confine_keeps_the_oneprovider_service_indication() {
    let w = world();
    let token = format!("opw-{}", w.access(&bob(), "t"));
    let confined = w.issuer.confine(&token, &[time(NOW + 60)]).unwrap();
    assert!(confined.starts_with("opw-"));
    assert_eq!(w.verify(&confined).unwrap(), bob());
}

#[test]
fn temporary_invites_join_with_default_privileges_and_no_counting() {
    let w = world();
    let token = w.temporary(&admin(), ujg("g1"));
    let consumed =
        block_on(
            w.issuer
                .consume_invite(&token, None, &bob(), Member::user("bob"), &ctx()),
        )
        .unwrap();
    assert_eq!(consumed.usage_count, None);
    assert_eq!(
        consumed.privileges,
        named_preset("group_member").unwrap().to_vec()
    );
    assert_eq!(w.consume(&token, "carol").unwrap(), JoinOutcome::Added);
    // Revoking the issuer's temporary tokens stops the invite.
    block_on(w.issuer.revoke_temporary_tokens(&admin())).unwrap();
    w.dir.add_user("dave");
    assert_eq!(id_of(w.consume(&token, "dave")), "tokenRevoked");
}

// ---------------------------------------------------------------------------------------------
// Managing named tokens, temporary generations

/// The token id of a serialized token.
fn token_id(token: &str) -> String {
    Token::deserialize(token)
        .unwrap()
        .identifier()
        .id()
        .to_owned()
}

#[test]
fn update_named_token_renames_replaces_metadata_and_revokes() {
    let w = world();
    let token = w.access(&bob(), "a");
    w.access(&bob(), "b");
    let id = token_id(&token);

    let update = NamedTokenUpdate::new()
        .with_name("renamed")
        .with_custom_metadata(json!({"device": "laptop"}));
    let info = block_on(w.issuer.update_named_token(&id, update)).unwrap();
    assert_eq!(info.id, id);
    assert_eq!(info.name, "renamed");
    assert_eq!(info.custom_metadata, json!({"device": "laptop"}));
    assert!(!info.revoked);
    assert_eq!(info.token, token, "renaming does not change the token");
    assert_eq!(
        block_on(w.issuer.named_token_by_name(&bob(), "renamed")).unwrap(),
        info
    );
    assert_eq!(
        id_of(block_on(w.issuer.named_token_by_name(&bob(), "a"))),
        "notFound"
    );
    // The old name is free again.
    w.access(&bob(), "a");

    // Revoke and un-revoke through the update.
    let info = block_on(
        w.issuer
            .update_named_token(&id, NamedTokenUpdate::new().with_revoked(true)),
    )
    .unwrap();
    assert!(info.revoked);
    assert_eq!(info.name, "renamed", "fields not in the update stay");
    assert_eq!(id_of(w.verify(&token)), "tokenRevoked");
    let info = block_on(
        w.issuer
            .update_named_token(&id, NamedTokenUpdate::new().with_revoked(false)),
    )
    .unwrap();
    assert!(!info.revoked);
    assert_eq!(w.verify(&token).unwrap(), bob());

    // Renaming to its own name is no change; to a sibling's name is refused, all of it.
    let same = NamedTokenUpdate::new().with_name("renamed");
    assert_eq!(
        block_on(w.issuer.update_named_token(&id, same))
            .unwrap()
            .name,
        "renamed"
    );
    let taken = NamedTokenUpdate::new().with_name("b").with_revoked(true);
    let err = block_on(w.issuer.update_named_token(&id, taken)).unwrap_err();
    assert_eq!(err.id(), "badValueIdentifierOccupied");
    assert_eq!(err.details(), Some(json!({"key": "name"})));
    let info = block_on(w.issuer.named_token(&id)).unwrap();
    assert_eq!((info.name.as_str(), info.revoked), ("renamed", false));
    // Names are per subject: admin may call its own token "b".
    let admins = token_id(&w.access(&admin(), "x"));
    let to_b = NamedTokenUpdate::new().with_name("b");
    assert_eq!(
        block_on(w.issuer.update_named_token(&admins, to_b))
            .unwrap()
            .name,
        "b"
    );

    let unknown = block_on(
        w.issuer
            .update_named_token("nope", NamedTokenUpdate::new().with_revoked(true)),
    );
    assert_eq!(id_of(unknown), "notFound");
}

#[test]
fn delete_named_tokens_of_deletes_only_that_subjects_tokens() {
    let w = world();
    let a = w.access(&bob(), "a");
    let admins_invite = w.invite("join");
    let bobs_invite = {
        w.dir
            .grant(&bob(), EntityRef::group("g1"), &[Privilege::GroupAddUser]);
        w.named(NamedTokenRequest::new(bob(), "b", ujg("g1")))
            .unwrap()
    };
    let confined = w.issuer.confine(&a, &[time(NOW + 60)]).unwrap();

    block_on(w.issuer.delete_named_tokens_of(&bob())).unwrap();
    assert!(
        block_on(w.issuer.list_named_tokens(&bob()))
            .unwrap()
            .is_empty()
    );
    assert_eq!(id_of(w.verify(&a)), "tokenInvalid");
    assert_eq!(id_of(w.verify(&confined)), "tokenInvalid");
    assert_eq!(id_of(w.consume(&bobs_invite, "carol")), "tokenInvalid");
    // Other subjects keep theirs.
    assert_eq!(
        block_on(w.issuer.list_named_tokens(&admin()))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        w.consume(&admins_invite, "carol").unwrap(),
        JoinOutcome::Added
    );
    // A subject with no named tokens is no error; the names are free again.
    block_on(w.issuer.delete_named_tokens_of(&bob())).unwrap();
    block_on(w.issuer.delete_named_tokens_of(&Subject::user("ghost"))).unwrap();
    w.access(&bob(), "a");
}

#[test]
fn temporary_generation_creates_the_secret_and_follows_revocation() {
    let w = world();
    let carol = Subject::user("carol");
    assert!(
        block_on(w.store.temporary_secret_if_exists(&carol))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        block_on(w.issuer.temporary_generation(&carol)).unwrap(),
        Generation::FIRST
    );
    let (generation, _) = block_on(w.store.temporary_secret_if_exists(&carol))
        .unwrap()
        .expect("the secret exists now");
    assert_eq!(generation, Generation::FIRST);
    // Asking again changes nothing: tokens minted before still verify.
    let token = w.temporary(&carol, TokenType::access());
    assert_eq!(
        block_on(w.issuer.temporary_generation(&carol)).unwrap(),
        Generation::FIRST
    );
    assert_eq!(w.verify(&token).unwrap(), carol);

    let next = block_on(w.issuer.revoke_temporary_tokens(&carol)).unwrap();
    assert_eq!(next, Generation::new(2));
    assert_eq!(
        block_on(w.issuer.temporary_generation(&carol)).unwrap(),
        next
    );
    let token = w.temporary(&carol, TokenType::access());
    assert_eq!(
        Token::deserialize(&token)
            .unwrap()
            .identifier()
            .persistence(),
        Persistence::Temporary(next)
    );
}

#[test]
fn all_named_token_ids_lists_every_subjects_tokens_in_order() {
    let w = world();
    assert!(block_on(w.issuer.all_named_token_ids()).unwrap().is_empty());
    let mut ids = vec![
        token_id(&w.access(&bob(), "a")),
        token_id(&w.access(&admin(), "a")),
        token_id(&w.invite("join")),
    ];
    // Temporary tokens are not named tokens.
    w.temporary(&bob(), TokenType::access());
    ids.sort();
    assert_eq!(block_on(w.issuer.all_named_token_ids()).unwrap(), ids);
    block_on(w.issuer.delete_named_token(&ids[0])).unwrap();
    assert_eq!(block_on(w.issuer.all_named_token_ids()).unwrap(), ids[1..]);
}

// ---------------------------------------------------------------------------------------------
// Invite types expected at consumption

#[test]
fn consume_invite_refuses_another_invite_type_than_expected() {
    let w = world();
    let token = w
        .named(NamedTokenRequest::new(admin(), "once", ujg("g1")).with_usage_limit(1))
        .unwrap();
    let consume = |expected, user: &str| {
        block_on(w.issuer.consume_invite(
            &token,
            expected,
            &Subject::user(user),
            Member::user(user),
            &ctx(),
        ))
    };
    let err = consume(Some(InviteType::UserJoinSpace), "bob").unwrap_err();
    assert_eq!(err.id(), "notAnInviteToken");
    assert_eq!(
        err.details(),
        Some(json!({"expectedInviteType": "userJoinSpace", "received": ujg("g1").to_json()}))
    );
    // The refusal neither counts a use nor joins.
    assert_eq!(w.usage_count(&token), 0);
    assert!(
        !w.dir
            .members(&EntityRef::group("g1"))
            .iter()
            .any(|(m, _)| *m == Member::user("bob"))
    );
    // The matching type joins.
    let consumed = consume(Some(InviteType::UserJoinGroup), "bob").unwrap();
    assert_eq!(consumed.invite_type, InviteType::UserJoinGroup);
    assert_eq!(consumed.outcome, Some(JoinOutcome::Added));
    assert_eq!(consumed.usage_count, Some(1));

    // Not an invite at all, with an expected type.
    let access = w.access(&bob(), "t");
    let err = block_on(w.issuer.consume_invite(
        &access,
        Some(InviteType::UserJoinGroup),
        &bob(),
        Member::user("bob"),
        &ctx(),
    ))
    .unwrap_err();
    assert_eq!(err.id(), "notAnInviteToken");
    assert_eq!(
        err.details(),
        Some(json!({
            "expectedInviteType": "userJoinGroup",
            "received": TokenType::access().to_json(),
        }))
    );
}

// ---------------------------------------------------------------------------------------------
// Host caveat kinds

#[test]
fn host_caveat_kinds_verify_through_the_issuer() {
    let tenant = |w: &World| with_raw_caveat(&w.access(&bob(), "t"), "x-tenant = acme");

    // A plain issuer does not know the kind.
    let plain = world();
    let token = tenant(&plain);
    let err = plain.verify(&token).unwrap_err();
    assert_eq!(err.id(), "tokenCaveatUnknown");
    assert_eq!(err.details(), Some(json!({"caveat": "x-tenant = acme"})));

    // One with the kind registered accepts it where the check says yes.
    let w = world_where(IssuerConfig::default(), |issuer| {
        issuer.with_caveat_kind("x-tenant = ", |text, _ctx| text == "x-tenant = acme")
    });
    let token = tenant(&w);
    assert_eq!(w.verify(&token).unwrap(), bob());
    assert!(format!("{:?}", w.issuer).contains("x-tenant = "));

    // And fails closed where it says no.
    let other = with_raw_caveat(&w.access(&bob(), "u"), "x-tenant = globex");
    let err = w.verify(&other).unwrap_err();
    assert_eq!(err.id(), "tokenCaveatUnverified");
    assert_eq!(
        err.details(),
        Some(json!({"caveat": {"type": "x-tenant", "raw": "x-tenant = globex"}}))
    );
    // Other unknown caveats stay unknown.
    let unknown = with_raw_caveat(&token, "x-region = eu");
    assert_eq!(id_of(w.verify(&unknown)), "tokenCaveatUnknown");
}

#[test]
fn host_caveat_kinds_see_the_context_and_cover_every_verification() {
    // The check sees the request context: here, tokens of this kind pass before NOW + 10.
    let w = world_where(IssuerConfig::default(), |issuer| {
        issuer.with_caveat_kind("x-window", |_text, ctx| ctx.now < NOW + 10)
    });
    let access = with_raw_caveat(&w.access(&bob(), "t"), "x-window");
    assert!(
        block_on(
            w.issuer
                .verify_access_token(&access, None, &Context::at(NOW))
        )
        .is_ok()
    );
    assert_eq!(
        id_of(block_on(w.issuer.verify_access_token(
            &access,
            None,
            &Context::at(NOW + 10)
        ))),
        "tokenCaveatUnverified"
    );
    // Identity tokens, invite verification and consumption go through the same verifier.
    let identity = with_raw_caveat(&w.temporary(&bob(), TokenType::Identity), "x-window");
    assert!(block_on(w.issuer.verify_identity_token(&identity, &ctx())).is_ok());
    let invite = with_raw_caveat(&w.invite("join"), "x-window");
    assert!(block_on(w.issuer.verify_invite_token(&invite, None, &ctx())).is_ok());
    assert_eq!(w.consume(&invite, "bob").unwrap(), JoinOutcome::Added);
    let late = block_on(w.issuer.consume_invite(
        &invite,
        None,
        &Subject::user("carol"),
        Member::user("carol"),
        &Context::at(NOW + 10),
    ));
    assert_eq!(id_of(late), "tokenCaveatUnverified");

    // Catalogue caveats are never handed to a host kind, even under a matching prefix.
    let w = world_where(IssuerConfig::default(), |issuer| {
        issuer.with_caveat_kind("time", |_text, _ctx| true)
    });
    let expired = w
        .named(
            NamedTokenRequest::new(bob(), "short", TokenType::access())
                .with_caveats(vec![time(NOW - 1)]),
        )
        .unwrap();
    assert_eq!(id_of(w.verify(&expired)), "tokenCaveatUnverified");
}

/// The legacy `authorization = none` caveat of old identity tokens passes when an identity
/// token is verified, and nowhere else.
#[test]
fn legacy_authorization_none_passes_only_in_identity_scope() {
    let w = world();
    let legacy: TypedCaveat = "authorization = none".parse().unwrap();
    let identity = w
        .named(
            NamedTokenRequest::new(bob(), "old identity", TokenType::Identity)
                .with_caveats(vec![legacy.clone()]),
        )
        .unwrap();
    let verified = block_on(w.issuer.verify_identity_token(&identity, &ctx())).unwrap();
    assert_eq!(verified.subject, bob());
    let access = w
        .named(
            NamedTokenRequest::new(bob(), "old access", TokenType::access())
                .with_caveats(vec![legacy]),
        )
        .unwrap();
    let err = block_on(w.issuer.verify_access_token(&access, None, &ctx())).unwrap_err();
    assert_eq!(err.id(), "tokenCaveatUnverified");
}

/// A token created revoked is stored so in the same write, and works once un-revoked.
#[test]
fn named_tokens_can_be_created_revoked() {
    let w = world();
    let created = block_on(w.issuer.create_named_token(
        NamedTokenRequest::new(bob(), "spare", TokenType::access()).with_revoked(true),
    ))
    .unwrap();
    assert!(created.info.revoked);
    assert_eq!(id_of(w.verify(created.token())), "tokenRevoked");
    block_on(w.issuer.set_revoked(&created.info.id, false)).unwrap();
    assert_eq!(w.verify(created.token()).unwrap(), bob());
}
