//! The conformance suite for [`TokenStore`] backends: what every backend must do the same.
//!
//! Each area is one async function taking an empty store; [`run_all`] runs them all, each on a
//! fresh store from `make`. A failure panics with a message naming the area and the step, so
//! a backend runs the suite from its own tests, on whatever executor its futures need:
//!
//! ```
//! use futures::executor::block_on;
//! use mintage::store::{conformance, MemoryStore};
//!
//! block_on(conformance::run_all(MemoryStore::new));
//! ```
//!
//! Stores must draw real random secrets for [`temporary_secrets`], which checks that fresh
//! secrets differ. The concurrency check, [`InviteRace`], is driven from the caller's own
//! threads; see its docs.

#![allow(
    clippy::panic,
    reason = "a conformance suite reports a failing backend by panicking"
)]

mod invites;
mod records;
mod temporary;

pub use invites::{InviteRace, invite_usage};
pub use records::{deletion, listing, name_uniqueness, named_records, revocation, updates};
pub use temporary::temporary_secrets;

use core::fmt;

use super::{NamedTokenRecord, TokenStore};
use crate::key::RootKey;
use crate::token::{InviteType, Subject, TokenType};

/// One `#[test]` per area of the suite, so a failure names its area: expands, inside the
/// caller's test module, to a test function per area that runs it with `$block_on` on a fresh
/// store from the expression `$make` (evaluated once per test).
///
/// ```
/// // In a backend's integration tests (`#[test]` functions compile only under `cargo test`):
/// mod conformance_areas {
///     use futures::executor::block_on;
///     use mintage::store::MemoryStore;
///
///     mintage::store_conformance_tests!(block_on, MemoryStore::new());
/// }
/// ```
#[macro_export]
macro_rules! store_conformance_tests {
    ($block_on:path, $make:expr) => {
        $crate::store_conformance_tests!(@areas $block_on, $make;
            named_records, name_uniqueness, revocation, updates, deletion, invite_usage,
            temporary_secrets, listing);
    };
    (@areas $block_on:path, $make:expr; $($area:ident),* $(,)?) => {
        $(
            #[test]
            fn $area() {
                $block_on($crate::store::conformance::$area(&$make));
            }
        )*
    };
}

/// Runs every area of the suite, each on a fresh, empty store from `make`.
///
/// # Panics
/// If the backend fails any check, with a message naming it.
pub async fn run_all<S: TokenStore>(make: impl Fn() -> S) {
    named_records(&make()).await;
    name_uniqueness(&make()).await;
    revocation(&make()).await;
    updates(&make()).await;
    deletion(&make()).await;
    invite_usage(&make()).await;
    temporary_secrets(&make()).await;
    listing(&make()).await;
}

/// A plain record of `subject` with a secret made from `seed`.
fn record(id: &str, name: &str, subject: &Subject, seed: u8) -> NamedTokenRecord {
    NamedTokenRecord::new(
        id,
        name,
        subject.clone(),
        TokenType::invite(InviteType::UserJoinGroup, "g1"),
        secret(seed),
        1_700_000_000,
    )
}

/// A fixed secret made from `seed`.
fn secret(seed: u8) -> RootKey {
    RootKey::from_derived([seed; 32])
}

/// The ids of `records`, in order.
fn ids(records: &[NamedTokenRecord]) -> Vec<&str> {
    records.iter().map(NamedTokenRecord::id).collect()
}

/// The stored usage count of `id`.
async fn count<S: TokenStore>(store: &S, id: &str) -> u64 {
    let stored = ok(store.named_token(id).await, "usage count: get");
    some(stored, "usage count: record").usage_count()
}

/// Checks that two records agree on every field.
fn assert_same(expected: &NamedTokenRecord, actual: &NamedTokenRecord, step: &str) {
    assert_eq!(actual.id(), expected.id(), "{step}: id");
    assert_eq!(actual.name(), expected.name(), "{step}: name");
    assert_eq!(actual.subject(), expected.subject(), "{step}: subject");
    assert_eq!(
        actual.token_type(),
        expected.token_type(),
        "{step}: token type"
    );
    assert!(
        actual.secret() == expected.secret(),
        "{step}: the secret differs"
    );
    assert_eq!(actual.caveats(), expected.caveats(), "{step}: caveats");
    assert_eq!(
        actual.custom_metadata(),
        expected.custom_metadata(),
        "{step}: custom metadata"
    );
    assert_eq!(
        actual.is_revoked(),
        expected.is_revoked(),
        "{step}: revoked"
    );
    assert_eq!(
        actual.creation_time(),
        expected.creation_time(),
        "{step}: creation time"
    );
    assert_eq!(
        actual.usage_limit(),
        expected.usage_limit(),
        "{step}: usage limit"
    );
    assert_eq!(
        actual.usage_count(),
        expected.usage_count(),
        "{step}: usage count"
    );
    assert_eq!(
        actual.privileges(),
        expected.privileges(),
        "{step}: privileges"
    );
}

/// The value of `result`, or a panic naming `step` and the error.
fn ok<T, E: fmt::Display>(result: Result<T, E>, step: &str) -> T {
    match result {
        Ok(value) => value,
        Err(err) => panic!("{step}: the store failed: {err}"),
    }
}

/// The value of `option`, or a panic naming `step`.
fn some<T>(option: Option<T>, step: &str) -> T {
    match option {
        Some(value) => value,
        None => panic!("{step}: expected a value, got None"),
    }
}
