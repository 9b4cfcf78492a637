//! Invite usage counting, alone and raced from many threads.

#![allow(
    clippy::panic,
    reason = "a conformance suite reports a failing backend by panicking"
)]

use super::{assert_same, count, ok, record, some};
use crate::store::{TokenStore, UseOutcome};
use crate::token::Subject;

/// Invite uses count up to the limit and no further; released uses can be taken again.
///
/// # Panics
/// If the backend fails a check.
pub async fn invite_usage<S: TokenStore>(store: &S) {
    let alice = Subject::user("alice");
    let limited = record("limited", "limited", &alice, 1).with_usage_limit(Some(2));
    for r in [
        limited.clone(),
        record("unlimited", "unlimited", &alice, 2),
        record("zero", "zero", &alice, 3).with_usage_limit(Some(0)),
        record("preused", "preused", &alice, 4)
            .with_usage_limit(Some(1))
            .with_usage_count(1),
        record("revoked", "revoked", &alice, 5)
            .with_usage_limit(Some(1))
            .with_revoked(true),
    ] {
        ok(store.create_named_token(r).await, "invite_usage: create");
    }

    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(ok(
            store.try_use_invite("limited").await,
            "invite_usage: use",
        ));
    }
    assert_eq!(
        outcomes,
        [
            UseOutcome::Used { count: 1 },
            UseOutcome::Used { count: 2 },
            UseOutcome::LimitReached,
            UseOutcome::LimitReached,
        ],
        "invite_usage: a limit of 2 admits two uses"
    );
    assert_eq!(count(store, "limited").await, 2, "invite_usage: count");
    assert!(
        ok(
            store.release_invite_use("limited").await,
            "invite_usage: release"
        ),
        "invite_usage: releasing a counted use must give true"
    );
    assert_eq!(
        count(store, "limited").await,
        1,
        "invite_usage: count after release"
    );
    assert_eq!(
        ok(store.try_use_invite("limited").await, "invite_usage: use"),
        UseOutcome::Used { count: 2 },
        "invite_usage: a released use can be taken again"
    );
    assert_eq!(
        ok(store.try_use_invite("limited").await, "invite_usage: use"),
        UseOutcome::LimitReached,
        "invite_usage: and then the limit holds again"
    );
    for _ in 0..2 {
        assert!(
            ok(
                store.release_invite_use("limited").await,
                "invite_usage: release"
            ),
            "invite_usage: release"
        );
    }
    assert!(
        !ok(
            store.release_invite_use("limited").await,
            "invite_usage: release"
        ),
        "invite_usage: releasing at count 0 must give false"
    );
    assert_eq!(
        count(store, "limited").await,
        0,
        "invite_usage: the count never goes below 0"
    );
    let stored = some(
        ok(store.named_token("limited").await, "invite_usage: get"),
        "invite_usage: record",
    );
    assert_same(
        &limited,
        &stored,
        "invite_usage: counting changes nothing else",
    );

    for n in 1..=5 {
        assert_eq!(
            ok(store.try_use_invite("unlimited").await, "invite_usage: use"),
            UseOutcome::Used { count: n },
            "invite_usage: no limit means infinity"
        );
    }
    for id in ["zero", "preused"] {
        assert_eq!(
            ok(store.try_use_invite(id).await, "invite_usage: use"),
            UseOutcome::LimitReached,
            "invite_usage: {id} is used up already"
        );
    }
    assert_eq!(
        count(store, "preused").await,
        1,
        "invite_usage: a refused use changes no count"
    );
    assert_eq!(
        ok(store.try_use_invite("revoked").await, "invite_usage: use"),
        UseOutcome::Used { count: 1 },
        "invite_usage: the store counts without looking at the revoked flag"
    );
    assert_eq!(
        ok(store.try_use_invite("none").await, "invite_usage: use"),
        UseOutcome::NotFound,
        "invite_usage: an unknown id must be NotFound"
    );
    assert!(
        !ok(
            store.release_invite_use("none").await,
            "invite_usage: release"
        ),
        "invite_usage: releasing an unknown id must give false"
    );
}

/// A race of many callers over one invite token with a usage limit, for checking that
/// [`TokenStore::try_use_invite`] and [`TokenStore::release_invite_use`] are atomic.
///
/// [`prepare`](Self::prepare) stores the token; the caller then runs
/// [`attempt`](Self::attempt) (or [`attempt_then_release`](Self::attempt_then_release)) from
/// as many threads as it likes, on its own executor, collects the outcomes, and hands them to
/// [`check`](Self::check) (or [`check_released`](Self::check_released)).
///
/// ```
/// use std::sync::Arc;
/// use futures::executor::block_on;
/// use mintage::store::{conformance::InviteRace, MemoryStore};
///
/// let store = Arc::new(MemoryStore::new());
/// let race = Arc::new(block_on(InviteRace::prepare(&*store, 5)));
/// let threads: Vec<_> = (0..4)
///     .map(|_| {
///         let (store, race) = (Arc::clone(&store), Arc::clone(&race));
///         std::thread::spawn(move || {
///             (0..3).map(|_| block_on(race.attempt(&*store))).collect::<Vec<_>>()
///         })
///     })
///     .collect();
/// let outcomes: Vec<_> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
/// block_on(race.check(&*store, &outcomes));
/// ```
#[derive(Debug)]
pub struct InviteRace {
    id: String,
    limit: u64,
}

impl InviteRace {
    /// Stores an invite token admitting `limit` uses, under an id of its own.
    ///
    /// # Panics
    /// If the backend fails to store it.
    pub async fn prepare<S: TokenStore>(store: &S, limit: u64) -> Self {
        let id = format!("race-{limit}");
        let subject = Subject::user("racer");
        let r = record(&id, &id, &subject, 9).with_usage_limit(Some(limit));
        ok(store.create_named_token(r).await, "invite race: create");
        Self { id, limit }
    }

    /// The raced token's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// One attempt to use the token.
    ///
    /// # Panics
    /// If the backend fails.
    pub async fn attempt<S: TokenStore>(&self, store: &S) -> UseOutcome {
        ok(store.try_use_invite(&self.id).await, "invite race: use")
    }

    /// One attempt to use the token, giving the use back at once if it was counted, as an
    /// issuer does when the join fails.
    ///
    /// # Panics
    /// If the backend fails, or a counted use cannot be released.
    pub async fn attempt_then_release<S: TokenStore>(&self, store: &S) -> UseOutcome {
        let outcome = self.attempt(store).await;
        if matches!(outcome, UseOutcome::Used { .. }) {
            let released = ok(
                store.release_invite_use(&self.id).await,
                "invite race: release",
            );
            assert!(released, "invite race: a counted use must be releasable");
        }
        outcome
    }

    /// Checks the outcomes of [`attempt`](Self::attempt) from every thread: exactly
    /// `min(limit, attempts)` uses were counted, numbered 1, 2, ... once each, every other
    /// attempt hit the limit, and the stored count agrees.
    ///
    /// # Panics
    /// If the backend admitted more or fewer uses than its limit.
    pub async fn check<S: TokenStore>(&self, store: &S, outcomes: &[UseOutcome]) {
        let mut counts = Vec::new();
        for outcome in outcomes {
            match *outcome {
                UseOutcome::Used { count } => counts.push(count),
                UseOutcome::LimitReached => {}
                other => panic!("invite race: unexpected outcome {other:?}"),
            }
        }
        counts.sort_unstable();
        let attempts = u64::try_from(outcomes.len()).unwrap_or(u64::MAX);
        let admitted = self.limit.min(attempts);
        let expected: Vec<u64> = (1..=admitted).collect();
        assert_eq!(
            counts, expected,
            "invite race: a limit of {} over {attempts} attempts must admit uses 1..={admitted}, \
             each once",
            self.limit
        );
        assert_eq!(
            count(store, &self.id).await,
            admitted,
            "invite race: the stored count must match the admitted uses"
        );
    }

    /// Checks the outcomes of [`attempt_then_release`](Self::attempt_then_release): no
    /// counted use ever went past the limit, at least one was counted, and every use was given
    /// back (the stored count is back to where [`prepare`](Self::prepare) left it, 0).
    ///
    /// # Panics
    /// If a count passed the limit or a release was lost.
    pub async fn check_released<S: TokenStore>(&self, store: &S, outcomes: &[UseOutcome]) {
        let mut used = 0usize;
        for outcome in outcomes {
            match *outcome {
                UseOutcome::Used { count } => {
                    assert!(
                        (1..=self.limit).contains(&count),
                        "invite race: count {count} is outside 1..={}",
                        self.limit
                    );
                    used += 1;
                }
                UseOutcome::LimitReached => {}
                other => panic!("invite race: unexpected outcome {other:?}"),
            }
        }
        assert!(
            used > 0 || self.limit == 0,
            "invite race: no attempt was ever counted"
        );
        assert_eq!(
            count(store, &self.id).await,
            0,
            "invite race: every counted use was released, so the count must be 0"
        );
    }
}
