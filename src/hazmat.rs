//! Operations that are safe only when the caller knows why: deterministic nonces for
//! reproducing published vectors.
//!
//! **Warning**: a verification id's nonce must be unpredictable in production; use
//! [`Macaroon::add_third_party`] there.

use crate::error::BuildError;
use crate::key::RootKey;
use crate::macaroon::Macaroon;

/// Adds a third-party caveat whose verification id uses `nonce` instead of a random one.
///
/// libmacaroons before 0.3 used an all-zero nonce; the published vectors reproduce that.
///
/// # Errors
/// As [`Macaroon::add_third_party`].
pub fn add_third_party_with_nonce(
    macaroon: &mut Macaroon,
    location: &str,
    caveat_key: &RootKey,
    caveat_id: &[u8],
    nonce: &[u8; 24],
) -> Result<(), BuildError> {
    macaroon.add_third_party_with_nonce(location, caveat_key, caveat_id, nonce)
}
