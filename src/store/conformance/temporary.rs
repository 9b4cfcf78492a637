//! Per-subject temporary-token secrets and their generations.

use super::{ok, some};
use crate::key::RootKey;
use crate::store::TokenStore;
use crate::token::{Generation, Subject};

/// Temporary secrets appear lazily with generation 1, stay put until revoked, move to a new
/// secret and the next generation on revocation, and are kept per subject.
///
/// # Panics
/// If the backend fails a check.
pub async fn temporary_secrets<S: TokenStore>(store: &S) {
    let alice = Subject::user("alice");
    let before = ok(
        store.temporary_secret_if_exists(&alice).await,
        "temporary_secrets: peek",
    );
    assert!(
        before.is_none(),
        "temporary_secrets: a fresh store has no secret"
    );
    let peeked_again = ok(
        store.temporary_secret_if_exists(&alice).await,
        "temporary_secrets: peek",
    );
    assert!(
        peeked_again.is_none(),
        "temporary_secrets: peeking must not create a secret"
    );

    let (g1, s1) = ok(
        store.temporary_secret(&alice).await,
        "temporary_secrets: get",
    );
    assert_eq!(
        g1,
        Generation::FIRST,
        "temporary_secrets: the first generation is 1"
    );
    let (again_g, again_s) = ok(
        store.temporary_secret(&alice).await,
        "temporary_secrets: get",
    );
    assert!(
        again_g == g1 && again_s == s1,
        "temporary_secrets: the secret must stay until revoked"
    );
    expect_current(store, &alice, g1, &s1, "after creation").await;

    let g2 = ok(
        store.revoke_temporary(&alice).await,
        "temporary_secrets: revoke",
    );
    assert_eq!(
        g2,
        Generation::new(2),
        "temporary_secrets: revocation moves to the next generation"
    );
    let (current_g, s2) = ok(
        store.temporary_secret(&alice).await,
        "temporary_secrets: get",
    );
    assert_eq!(
        current_g, g2,
        "temporary_secrets: get after revocation gives the new generation"
    );
    assert!(
        s2 != s1,
        "temporary_secrets: revocation must replace the secret"
    );
    expect_current(store, &alice, g2, &s2, "after revocation").await;

    let g3 = ok(
        store.revoke_temporary(&alice).await,
        "temporary_secrets: revoke",
    );
    assert_eq!(
        g3,
        Generation::new(3),
        "temporary_secrets: second revocation"
    );
    let (_, s3) = ok(
        store.temporary_secret(&alice).await,
        "temporary_secrets: get",
    );
    assert!(
        s3 != s2 && s3 != s1,
        "temporary_secrets: every revocation draws a new secret"
    );

    // Other subjects, a provider with the same id included, are independent.
    for other in [Subject::user("bob"), Subject::oneprovider("alice")] {
        let none = ok(
            store.temporary_secret_if_exists(&other).await,
            "temporary_secrets: peek",
        );
        assert!(
            none.is_none(),
            "temporary_secrets: {other} must have no secret yet"
        );
        let (g, s) = ok(
            store.temporary_secret(&other).await,
            "temporary_secrets: get",
        );
        assert_eq!(
            g,
            Generation::FIRST,
            "temporary_secrets: {other} starts at 1"
        );
        assert!(
            s != s3 && s != s1,
            "temporary_secrets: {other} must have its own secret"
        );
    }
    let carol = Subject::user("carol");
    let first = ok(
        store.revoke_temporary(&carol).await,
        "temporary_secrets: revoke",
    );
    assert_eq!(
        first,
        Generation::FIRST,
        "temporary_secrets: revoking with no secret yet creates generation 1"
    );
    let (_, c1) = ok(
        store.temporary_secret(&carol).await,
        "temporary_secrets: get",
    );
    expect_current(store, &carol, Generation::FIRST, &c1, "after revoke-create").await;
    expect_current(store, &alice, g3, &s3, "after other subjects changed").await;

    assert!(
        ok(
            store.delete_temporary_secret(&alice).await,
            "temporary_secrets: delete"
        ),
        "temporary_secrets: deleting an existing secret must give true"
    );
    let gone = ok(
        store.temporary_secret_if_exists(&alice).await,
        "temporary_secrets: peek",
    );
    assert!(
        gone.is_none(),
        "temporary_secrets: a deleted secret must be gone"
    );
    assert!(
        !ok(
            store.delete_temporary_secret(&alice).await,
            "temporary_secrets: delete"
        ),
        "temporary_secrets: deleting it again must give false"
    );
    let (g, s) = ok(
        store.temporary_secret(&alice).await,
        "temporary_secrets: get",
    );
    assert!(
        g == Generation::FIRST && s != s3,
        "temporary_secrets: after deletion a fresh secret starts at generation 1"
    );
    expect_current(
        store,
        &carol,
        Generation::FIRST,
        &c1,
        "after alice's deletion",
    )
    .await;
}

/// Checks that `subject`'s current temporary generation and secret are `generation` and
/// `secret`, both with and without creating.
async fn expect_current<S: TokenStore>(
    store: &S,
    subject: &Subject,
    generation: Generation,
    secret: &RootKey,
    step: &str,
) {
    let peeked = ok(
        store.temporary_secret_if_exists(subject).await,
        "temporary_secrets: peek",
    );
    let (g, s) = some(peeked, &format!("temporary_secrets: {subject} {step}"));
    assert!(
        g == generation && s == *secret,
        "temporary_secrets: {subject} {step}: peek must give generation {generation} and its \
         secret, got generation {g}"
    );
    let (g, s) = ok(
        store.temporary_secret(subject).await,
        "temporary_secrets: get",
    );
    assert!(
        g == generation && s == *secret,
        "temporary_secrets: {subject} {step}: get must give generation {generation} and its \
         secret, got generation {g}"
    );
}
