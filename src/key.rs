//! Every secret type of the crate: root keys and signatures.
//!
//! None is `Copy`; each is zeroized on drop, prints redacted in `Debug` and compares in
//! constant time. A signature travels on the wire, yet whoever holds it can add caveats and
//! present the token, so it is treated as a secret too.

use core::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::crypto::{self, ChainKey, KEY_LEN};
use crate::error::BuildError;

/// The secret a macaroon is minted with and verified against.
///
/// [`RootKey::new`] takes a root secret of any length and derives the 32-byte HMAC key from it
/// exactly as libmacaroons, pymacaroons, Go and JS do (`HMAC("macaroons-key-generator",
/// secret)`), so a secret shared with those libraries yields the same tokens. The derived key's
/// HMAC state is computed once here and reused by every mint and verify.
///
/// ```
/// use mintage::RootKey;
/// let key = RootKey::new(b"this is our super secret key; only we should know it");
/// assert_eq!(format!("{key:?}"), "RootKey(..)");
/// ```
#[derive(Clone)]
pub struct RootKey(ChainKey);

impl RootKey {
    /// Derives the key for a root secret, as libmacaroons' `macaroon_create` does.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self(ChainKey::derive(secret.as_ref()))
    }

    /// Uses an already-derived 32-byte key as is, as libmacaroons' `*_raw` functions and the
    /// `macaroon` crate's `MacaroonKey::from` do. Most callers want [`RootKey::new`].
    pub fn from_derived(key: [u8; 32]) -> Self {
        let mut key = key;
        let chain = ChainKey::new(key);
        key.zeroize();
        Self(chain)
    }

    /// A fresh key of 32 random bytes from the operating system, used as derived key.
    ///
    /// # Errors
    /// [`BuildError::Random`] when the operating system's random source fails.
    pub fn generate() -> Result<Self, BuildError> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes).map_err(|_| BuildError::Random)?;
        Ok(Self::from_derived(bytes))
    }

    /// The derived 32-byte key. Handle with care: it signs tokens.
    pub fn derived_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    pub(crate) fn chain_key(&self) -> &ChainKey {
        &self.0
    }
}

impl fmt::Debug for RootKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RootKey(..)")
    }
}

impl ConstantTimeEq for RootKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for RootKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for RootKey {}

/// The 32-byte signature that ends a macaroon's HMAC chain.
///
/// It is a bearer credential: it is compared in constant time, zeroized on drop and never
/// printed by `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Signature([u8; KEY_LEN]);

impl Signature {
    /// Wraps 32 signature bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw 32 bytes, as written on the wire.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// A secret text in `Debug` output: its length, never its content. For serialized tokens (their
/// signature is a secret) and request bodies that may carry one.
pub(crate) struct Redacted(pub(crate) usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted, {} bytes>", self.0)
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(..)")
    }
}

impl ConstantTimeEq for Signature {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        crypto::ct_eq_32(&self.0, &other.0)
    }
}

impl PartialEq for Signature {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Signature {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_key_debug_is_redacted() {
        let key = RootKey::from_derived([0xAB; 32]);
        let shown = format!("{key:?}");
        assert_eq!(shown, "RootKey(..)");
        assert!(!shown.contains("171") && !shown.to_lowercase().contains("ab,"));
    }

    #[test]
    fn signature_debug_is_redacted() {
        let sig = Signature::from_bytes([0x5A; 32]);
        let shown = format!("{sig:?}");
        assert_eq!(shown, "Signature(..)");
        assert!(!shown.contains("90"));
    }

    #[test]
    fn root_key_equality_compares_derived_keys() {
        assert_eq!(RootKey::new(b"a"), RootKey::new(b"a"));
        assert_ne!(RootKey::new(b"a"), RootKey::new(b"b"));
    }

    #[test]
    fn signature_equality_sees_the_last_byte() {
        let mut bytes = [7u8; 32];
        let a = Signature::from_bytes(bytes);
        bytes[31] ^= 1;
        assert_ne!(a, Signature::from_bytes(bytes));
    }
}
