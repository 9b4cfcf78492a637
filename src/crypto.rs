//! The macaroon cryptography: HMAC-SHA256 chain, `HMAC2`, discharge binding and the
//! XSalsa20-Poly1305 box that carries a third-party caveat key (spec §2).
//!
//! This is the only file that touches the hash and cipher crates, and it knows nothing of the
//! wire layout.

use crypto_secretbox::aead::AeadInPlace;
use crypto_secretbox::aead::generic_array::GenericArray;
use crypto_secretbox::{KeyInit as _, XSalsa20Poly1305};
use hmac::{KeyInit, Mac};
use sha2::Sha256;
use std::sync::LazyLock;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::key::Signature;

type HmacSha256 = hmac::Hmac<Sha256>;

/// Length of every key, signature and MAC in the scheme.
pub(crate) const KEY_LEN: usize = 32;
/// Length of the random nonce that starts a verification id.
pub(crate) const NONCE_LEN: usize = 24;
/// Length of a Poly1305 tag.
const TAG_LEN: usize = 16;
/// Length of a standard verification id: nonce, tag, sealed 32-byte key.
pub(crate) const VID_LEN: usize = NONCE_LEN + TAG_LEN + KEY_LEN;

/// libmacaroons' key-generator string, the HMAC key of the root-key derivation.
const KEYGEN: &[u8] = b"macaroons-key-generator";

/// HMAC state keyed with the all-zero key used by discharge binding. The key is public, so
/// sharing one lazily built state costs nothing in secrecy and saves two compressions a bind.
static ZERO_KEY: LazyLock<HmacSha256> = LazyLock::new(|| keyed(&[0u8; KEY_LEN]));

/// A 32-byte HMAC key with its pads already absorbed.
///
/// Holding one lets its holder extend a chain from that point, so it is as secret as a root
/// key: not `Copy`, zeroized on drop (the hash cores zeroize themselves), redacted in `Debug`.
#[derive(Clone)]
pub(crate) struct ChainKey {
    bytes: [u8; KEY_LEN],
    state: HmacSha256,
}

impl ChainKey {
    /// Keys an HMAC state with `bytes`.
    pub(crate) fn new(bytes: [u8; KEY_LEN]) -> Self {
        Self {
            state: keyed(&bytes),
            bytes,
        }
    }

    /// Derives the key libmacaroons uses for a caller's root secret: `HMAC(KEYGEN, secret)`.
    pub(crate) fn derive(secret: &[u8]) -> Self {
        let mut mac = keyed(KEYGEN);
        mac.update(secret);
        Self::new(finish(mac))
    }

    /// The raw 32 key bytes.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// `HMAC(self, data)`: the first link of a chain.
    pub(crate) fn sign(&self, data: &[u8]) -> Signature {
        let mut mac = self.state.clone();
        mac.update(data);
        Signature::from_bytes(finish(mac))
    }
}

impl Drop for ChainKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl ConstantTimeEq for ChainKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.bytes.ct_eq(&other.bytes)
    }
}

/// Extends a chain with a first-party caveat: `HMAC(sig, cid)`.
pub(crate) fn chain_first_party(sig: &Signature, cid: &[u8]) -> Signature {
    let mut mac = keyed(sig.as_bytes());
    mac.update(cid);
    Signature::from_bytes(finish(mac))
}

/// Extends a chain with a third-party caveat: `HMAC2(sig, vid, cid)`.
pub(crate) fn chain_third_party(sig: &Signature, vid: &[u8], cid: &[u8]) -> Signature {
    hmac2(&keyed(sig.as_bytes()), vid, cid)
}

/// Binds a discharge's signature to the top-level macaroon's: `HMAC2(Z, root, discharge)`.
pub(crate) fn bind(root: &Signature, discharge: &Signature) -> Signature {
    hmac2(&ZERO_KEY, root.as_bytes(), discharge.as_bytes())
}

/// Builds the verification id of a third-party caveat: the nonce, then the secretbox (tag,
/// ciphertext) of the caveat key under the current signature.
pub(crate) fn seal_caveat_key(
    sig: &Signature,
    nonce: &[u8; NONCE_LEN],
    caveat_key: &ChainKey,
) -> [u8; VID_LEN] {
    let cipher = XSalsa20Poly1305::new(GenericArray::from_slice(sig.as_bytes()));
    let mut vid = [0u8; VID_LEN];
    let (head, body) = vid.split_at_mut(NONCE_LEN + TAG_LEN);
    body.copy_from_slice(caveat_key.as_bytes());
    let (nonce_out, tag_out) = head.split_at_mut(NONCE_LEN);
    nonce_out.copy_from_slice(nonce);
    // Only fails when associated data is given; there is none.
    if let Ok(tag) = cipher.encrypt_in_place_detached(GenericArray::from_slice(nonce), b"", body) {
        tag_out.copy_from_slice(&tag);
    }
    vid
}

/// Opens the caveat key inside a verification id, or `None` when the box does not
/// authenticate under `sig` or has the wrong length.
pub(crate) fn open_caveat_key(sig: &Signature, vid: &[u8]) -> Option<ChainKey> {
    let (nonce, rest) = vid.split_at_checked(NONCE_LEN)?;
    let (tag, sealed) = rest.split_at_checked(TAG_LEN)?;
    let mut key = <[u8; KEY_LEN]>::try_from(sealed).ok()?;
    let cipher = XSalsa20Poly1305::new(GenericArray::from_slice(sig.as_bytes()));
    let opened = cipher.decrypt_in_place_detached(
        GenericArray::from_slice(nonce),
        b"",
        &mut key,
        GenericArray::from_slice(tag),
    );
    let result = opened.ok().map(|()| ChainKey::new(key));
    key.zeroize();
    result
}

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable_hmac())
}

#[cold]
fn unreachable_hmac() -> HmacSha256 {
    <HmacSha256 as KeyInit>::new(&Default::default())
}

fn finish(mac: HmacSha256) -> [u8; KEY_LEN] {
    mac.finalize().into_bytes().into()
}

/// `HMAC(k, HMAC(k, a) ‖ HMAC(k, b))` with `k`'s pads already in `key`.
fn hmac2(key: &HmacSha256, a: &[u8], b: &[u8]) -> Signature {
    let mut inner_a = key.clone();
    inner_a.update(a);
    let mut inner_b = key.clone();
    inner_b.update(b);
    // The inner MACs are as secret as the key; wipe them once absorbed.
    let mut inner = [finish(inner_a), finish(inner_b)];
    let mut outer = key.clone();
    outer.update(inner.as_flattened());
    inner.zeroize();
    Signature::from_bytes(finish(outer))
}
