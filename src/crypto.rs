//! The macaroon cryptography: HMAC-SHA256 chain, `HMAC2`, discharge binding and the
//! XSalsa20-Poly1305 box that carries a third-party caveat key (spec §2).
//!
//! This is the only file that touches the hash and cipher crates, and it knows nothing of the
//! wire layout.

use crypto_secretbox::aead::AeadInPlace;
use crypto_secretbox::aead::generic_array::GenericArray;
use crypto_secretbox::{KeyInit as _, XSalsa20Poly1305};
use sha2::block_api::compress256;
use std::sync::LazyLock;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::key::Signature;

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

/// Pads of the key-generator key, shared by every root-key derivation (the key is public).
static KEYGEN_PADS: LazyLock<Pads> = LazyLock::new(|| Pads::new(KEYGEN));

/// Pads of the all-zero key used by discharge binding (public too).
static ZERO_PADS: LazyLock<Pads> = LazyLock::new(|| Pads::new(&[0u8; KEY_LEN]));

/// A 32-byte HMAC key with its pads already absorbed.
///
/// Holding one lets its holder extend a chain from that point, so it is as secret as a root
/// key: not `Copy`, zeroized on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct ChainKey {
    bytes: [u8; KEY_LEN],
    pads: Pads,
}

impl ChainKey {
    /// Absorbs `bytes` as an HMAC key.
    pub(crate) fn new(bytes: [u8; KEY_LEN]) -> Self {
        Self {
            pads: Pads::new(&bytes),
            bytes,
        }
    }

    /// Derives the key libmacaroons uses for a caller's root secret: `HMAC(KEYGEN, secret)`.
    pub(crate) fn derive(secret: &[u8]) -> Self {
        let mut derived = KEYGEN_PADS.mac(secret, Temporaries::Wipe);
        let key = Self::new(derived);
        derived.zeroize();
        key
    }

    /// The raw 32 key bytes.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// `HMAC(self, data)`: the first link of a chain.
    pub(crate) fn sign(&self, data: &[u8]) -> Signature {
        Signature::from_bytes(self.pads.mac(data, Temporaries::Keep))
    }
}

impl ConstantTimeEq for ChainKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        ct_eq_32(&self.bytes, &other.bytes)
    }
}

/// Compares two 32-byte secrets in constant time, a 64-bit word at a time.
pub(crate) fn ct_eq_32(a: &[u8; KEY_LEN], b: &[u8; KEY_LEN]) -> subtle::Choice {
    let (a, _) = a.as_chunks::<8>();
    let (b, _) = b.as_chunks::<8>();
    let diff = a.iter().zip(b).fold(0u64, |acc, (x, y)| {
        acc | (u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y))
    });
    diff.ct_eq(&0)
}

/// Extends a chain with a first-party caveat: `HMAC(sig, cid)`.
pub(crate) fn chain_first_party(sig: &Signature, cid: &[u8]) -> Signature {
    Signature::from_bytes(Pads::new(sig.as_bytes()).mac(cid, Temporaries::Keep))
}

/// Extends a chain with a third-party caveat: `HMAC2(sig, vid, cid)`.
pub(crate) fn chain_third_party(sig: &Signature, vid: &[u8], cid: &[u8]) -> Signature {
    Signature::from_bytes(Pads::new(sig.as_bytes()).mac2(vid, cid))
}

/// Binds a discharge's signature to the top-level macaroon's: `HMAC2(Z, root, discharge)`.
pub(crate) fn bind(root: &Signature, discharge: &Signature) -> Signature {
    Signature::from_bytes(ZERO_PADS.mac2(root.as_bytes(), discharge.as_bytes()))
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

/// HMAC-SHA256 with the key's inner and outer pad blocks already compressed.
///
/// Built on the `sha2` crate's raw compression function rather than the `hmac` crate so that a
/// chain step costs exactly its compressions (two to absorb a 32-byte key, one per 64-byte
/// block of message and padding, one outer) with no buffer copies; the construction is RFC 2104
/// and is checked against the `hmac` crate by a differential test below.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
struct Pads {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl Pads {
    /// Absorbs a key of at most 64 bytes (every key of the scheme is 23 or 32 bytes; longer
    /// ones are never passed).
    fn new(key: &[u8]) -> Self {
        let mut block = [0u8; BLOCK];
        for (b, k) in block.iter_mut().zip(key) {
            *b = *k;
        }
        let mut pads = Self {
            inner: IV,
            outer: IV,
        };
        block.iter_mut().for_each(|b| *b ^= IPAD);
        compress256(&mut pads.inner, &[block]);
        block.iter_mut().for_each(|b| *b ^= IPAD ^ OPAD);
        compress256(&mut pads.outer, &[block]);
        block.zeroize();
        pads
    }

    /// `HMAC(key, message)`.
    fn mac(&self, message: &[u8], temporaries: Temporaries) -> [u8; KEY_LEN] {
        let mut inner = self.inner;
        hash_tail(&mut inner, message, BLOCK, temporaries);
        self.finish(inner, temporaries)
    }

    /// `HMAC(key, HMAC(key, a) ‖ HMAC(key, b))`.
    fn mac2(&self, a: &[u8], b: &[u8]) -> [u8; KEY_LEN] {
        let mut both = [0u8; BLOCK];
        let (first, second) = both.split_at_mut(KEY_LEN);
        first.copy_from_slice(&self.mac(a, Temporaries::Keep));
        second.copy_from_slice(&self.mac(b, Temporaries::Keep));
        let out = self.mac(&both, Temporaries::Wipe);
        both.zeroize();
        out
    }

    /// The outer hash over the inner state's digest.
    fn finish(&self, mut inner: [u32; 8], temporaries: Temporaries) -> [u8; KEY_LEN] {
        let mut digest = digest_bytes(&inner);
        inner.zeroize();
        let mut outer = self.outer;
        hash_tail(&mut outer, &digest, BLOCK, temporaries);
        if let Temporaries::Wipe = temporaries {
            digest.zeroize();
        }
        let out = digest_bytes(&outer);
        outer.zeroize();
        out
    }
}

/// Whether a MAC wipes the byte buffers it leaves on the stack (the padded last message block
/// and the inner hash). Key material is always wiped (pad blocks, hash states, signatures);
/// these buffers only need it when the message is secret, as a root secret being derived is.
/// A chain step's message is an identifier or caveat, which the token carries in the clear,
/// and wiping its buffers byte by byte cost about a quarter of a verify.
#[derive(Clone, Copy)]
enum Temporaries {
    Wipe,
    Keep,
}

/// Hashes `message` into `state`, which has already absorbed `prefix_len` bytes (a whole
/// number of blocks), and applies SHA-256's final padding.
fn hash_tail(state: &mut [u32; 8], message: &[u8], prefix_len: usize, temporaries: Temporaries) {
    let (blocks, rest) = message.as_chunks::<BLOCK>();
    compress256(state, blocks);
    let bits = u64::try_from(prefix_len.saturating_add(message.len()))
        .unwrap_or(u64::MAX)
        .wrapping_mul(8);
    let mut tail = [[0u8; BLOCK]; 2];
    let flat = tail.as_flattened_mut();
    flat[..rest.len()].copy_from_slice(rest);
    flat[rest.len()] = 0x80;
    // One block holds the rest, the 0x80 byte and the 8-byte length when rest ≤ 55 bytes.
    let used = if rest.len() < BLOCK - 8 { 1 } else { 2 };
    flat[used * BLOCK - 8..used * BLOCK].copy_from_slice(&bits.to_be_bytes());
    let used = &mut tail[..used];
    compress256(state, used);
    if let Temporaries::Wipe = temporaries {
        used.as_flattened_mut().zeroize();
    }
}

fn digest_bytes(state: &[u32; 8]) -> [u8; KEY_LEN] {
    let mut out = [0u8; KEY_LEN];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

const BLOCK: usize = 64;
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;
/// SHA-256's initial hash value (FIPS 180-4 §5.3.3).
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use proptest::prelude::*;

    fn reference(key: &[u8], message: &[u8]) -> [u8; 32] {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn mac_matches_the_hmac_crate_at_every_padding_boundary() {
        let key = [0x42u8; 32];
        let pads = Pads::new(&key);
        for len in 0..=200u8 {
            let message: Vec<u8> = (0..len).map(|i: u8| i.wrapping_mul(7)).collect();
            assert_eq!(
                pads.mac(&message, Temporaries::Keep),
                reference(&key, &message),
                "length {len}"
            );
        }
        assert_eq!(
            KEYGEN_PADS.mac(b"x", Temporaries::Wipe),
            reference(KEYGEN, b"x")
        );
    }

    #[test]
    fn mac2_is_hmac_of_two_macs() {
        let key = [9u8; 32];
        let mut both = reference(&key, b"a").to_vec();
        both.extend(reference(&key, b"bb"));
        assert_eq!(Pads::new(&key).mac2(b"a", b"bb"), reference(&key, &both));
    }

    #[test]
    fn ct_eq_32_sees_every_byte() {
        let a = [3u8; 32];
        for i in 0..32 {
            let mut b = a;
            b[i] ^= 0x80;
            assert!(!bool::from(ct_eq_32(&a, &b)));
        }
        assert!(bool::from(ct_eq_32(&a, &a)));
    }

    proptest! {
        #[test]
        fn mac_matches_the_hmac_crate(key in proptest::collection::vec(any::<u8>(), 0..=64), message in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(Pads::new(&key).mac(&message, Temporaries::Keep), reference(&key, &message));
        }
    }
}
