//! The issuer's seed flow on any token store, for the SQL backends' tests: a named invite with
//! a usage limit of 1 admits bob, refuses carol with `inviteTokenUsageLimitReached`, and the
//! store keeps the count. Returns the token id for further checks on the store.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use futures::executor::block_on;
use mintage::caveat::Context;
use mintage::issuer::{Issuer, IssuerConfig, NamedTokenRequest, TokenIssuer};
use mintage::privilege::{EntityRef, JoinOutcome, Member, MemoryDirectory, Privilege};
use mintage::store::TokenStore;
use mintage::token::{InviteType, Subject, TokenType};

pub(crate) fn invite_used_once<S: TokenStore>(store: Arc<S>) -> String {
    let dir = Arc::new(MemoryDirectory::new());
    dir.add_user("admin")
        .add_user("bob")
        .add_user("carol")
        .add_group("g1")
        .grant(
            &Subject::user("admin"),
            EntityRef::group("g1"),
            &[Privilege::GroupView, Privilege::GroupAddUser],
        );
    let issuer = Issuer::new(Arc::clone(&store), dir, IssuerConfig::default());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let request = NamedTokenRequest::new(
        Subject::user("admin"),
        "join g1 once",
        TokenType::invite(InviteType::UserJoinGroup, "g1"),
    )
    .with_usage_limit(1);
    let created = block_on(issuer.create_named_token(request)).unwrap();
    let consume = |user: &str| {
        block_on(issuer.consume_invite(
            created.token(),
            Some(InviteType::UserJoinGroup),
            &Subject::user(user),
            Member::user(user),
            &Context::at(now),
        ))
    };
    let first = consume("bob").unwrap();
    assert_eq!(first.outcome, Some(JoinOutcome::Added));
    assert_eq!(first.usage_count, Some(1));
    let second = consume("carol").unwrap_err();
    assert_eq!(second.id(), "inviteTokenUsageLimitReached");

    let stored = block_on(store.named_token(&created.info.id))
        .unwrap()
        .unwrap();
    assert_eq!(stored.usage_count(), 1, "the store kept the count");
    created.info.id
}
