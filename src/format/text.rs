//! Text armour around the binary formats: lenient base64 on input, URL-safe unpadded base64 on
//! output (spec §3.4), and Onedata's base62 escaping (spec §8).

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use zeroize::Zeroize as _;

use crate::error::DecodeError;

/// URL-safe, no padding on output; on input padding and non-canonical trailing bits are
/// tolerated, as libmacaroons and pymacaroons tolerate them.
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Appends the URL-safe unpadded base64 of `bytes` to `out`.
pub(crate) fn encode_base64(bytes: &[u8], out: &mut String) {
    URL_SAFE.encode_string(bytes, out);
}

/// Writes the URL-safe unpadded base64 of `bytes` into `out`, returning the length written
/// (0 if `out` is too short, which callers size to prevent).
pub(crate) fn encode_base64_slice(bytes: &[u8], out: &mut [u8]) -> usize {
    URL_SAFE.encode_slice(bytes, out).unwrap_or(0)
}

/// Length of the URL-safe unpadded base64 of `n` bytes.
pub(crate) fn base64_len(n: usize) -> usize {
    base64::encoded_len(n, false).unwrap_or(usize::MAX)
}

/// Decodes base64 the way libmacaroons reads it: either alphabet (even mixed), whitespace
/// anywhere, padding optional; after the first `=` only `=` and whitespace may follow.
pub(crate) fn decode_base64(text: &[u8]) -> Result<Vec<u8>, DecodeError> {
    if text.iter().all(|&b| is_url_safe(b)) {
        return URL_SAFE
            .decode(text)
            .map_err(|_| DecodeError::InvalidBase64);
    }
    let mut clean = Vec::with_capacity(text.len());
    let mut padding = false;
    for &b in text {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'=' => padding = true,
            _ if padding => return Err(DecodeError::InvalidBase64),
            b'+' => clean.push(b'-'),
            b'/' => clean.push(b'_'),
            _ if is_url_safe(b) => clean.push(b),
            _ => return Err(DecodeError::InvalidBase64),
        }
    }
    URL_SAFE
        .decode(&clean)
        .map_err(|_| DecodeError::InvalidBase64)
}

/// Decodes base64 of a JSON member (`i64`, `v64`, `s64`, `l64`, V1 `vid`): either alphabet,
/// padding optional.
pub(crate) fn decode_base64_member(text: &str) -> Result<Vec<u8>, DecodeError> {
    decode_base64(text.as_bytes())
}

/// Applies Onedata's base62 armour to a token's text: `0`→`00`, `_`→`01`, `-`→`02`,
/// `/`→`03`, `+`→`04`, `=`→`05`, so the result is purely alphanumeric.
///
/// ```
/// assert_eq!(mintage::format::base62_armour("a0b_c-"), "a00b01c02");
/// ```
pub fn base62_armour(text: &str) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; ARMOUR_BUF];
    for block in text.as_bytes().chunks(ARMOUR_BLOCK) {
        let mut at = 0;
        for &b in block {
            put(&mut buf, &mut at, byte_pair(b));
        }
        flush(&mut buf, at, &mut out);
    }
    // Only ASCII bytes were replaced, by ASCII pairs, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the base62 armour of the URL-safe unpadded base64 of `bytes` to `out`, in one pass
/// with no base64 text in between: each 6-bit group maps straight to its armoured character or
/// escape. Up to [`BASE64_BLOCK`] input bytes at a time are armoured into a stack buffer
/// (wiped afterwards: the text holds the token's signature) and copied out once, so a token of
/// one block gets an output buffer of exactly its length.
pub(crate) fn encode_base64_armoured(bytes: &[u8], out: &mut Vec<u8>) {
    let mut buf = [0u8; ARMOUR_BUF];
    for block in bytes.chunks(BASE64_BLOCK) {
        let mut at = 0;
        let mut triples = block.chunks_exact(3);
        for triple in &mut triples {
            if let &[a, b, c] = triple {
                let n = (usize::from(a) << 16) | (usize::from(b) << 8) | usize::from(c);
                put(&mut buf, &mut at, sextet_pair(n >> 18));
                put(&mut buf, &mut at, sextet_pair(n >> 12));
                put(&mut buf, &mut at, sextet_pair(n >> 6));
                put(&mut buf, &mut at, sextet_pair(n));
            }
        }
        // Only the last block has a remainder: `BASE64_BLOCK` is a multiple of 3.
        match *triples.remainder() {
            [a] => {
                let n = usize::from(a) << 16;
                put(&mut buf, &mut at, sextet_pair(n >> 18));
                put(&mut buf, &mut at, sextet_pair(n >> 12));
            }
            [a, b] => {
                let n = (usize::from(a) << 16) | (usize::from(b) << 8);
                put(&mut buf, &mut at, sextet_pair(n >> 18));
                put(&mut buf, &mut at, sextet_pair(n >> 12));
                put(&mut buf, &mut at, sextet_pair(n >> 6));
            }
            _ => {}
        }
        flush(&mut buf, at, out);
    }
}

/// Input bytes armoured per block by [`base62_armour`]: at most two output bytes each.
const ARMOUR_BLOCK: usize = 512;
/// Input bytes base64-encoded and armoured per block: 4 characters per 3 bytes, at most two
/// output bytes each, so the same buffer holds a block. A multiple of 3.
const BASE64_BLOCK: usize = 384;
/// The block buffer: two bytes a symbol, plus the spare byte the last symbol writes.
const ARMOUR_BUF: usize = 2 * ARMOUR_BLOCK + 1;

/// Writes an armoured symbol at `at` and advances past it: by one for a plain character
/// (whose spare second byte the next symbol overwrites), by two for an escape. Branch-free
/// but for the bounds check, which the block sizes keep from failing.
#[inline(always)]
fn put(buf: &mut [u8; ARMOUR_BUF], at: &mut usize, pair: [u8; 2]) {
    if let Some(slot) = buf.get_mut(*at..at.wrapping_add(2)) {
        slot.copy_from_slice(&pair);
    }
    let [_, second] = pair;
    *at = at.wrapping_add(1).wrapping_add(usize::from(second != 0));
}

/// Appends the first `at` bytes of a block to `out`, then wipes them and the spare byte
/// behind. `reserve` sizes an empty `out` exactly, so a text of one block is not
/// over-allocated, and grows a longer one geometrically. The wipe takes a slice, not an
/// array: `zeroize` clears a slice in bulk but an array byte by byte.
fn flush(buf: &mut [u8; ARMOUR_BUF], at: usize, out: &mut Vec<u8>) {
    let used = buf
        .get_mut(..at.wrapping_add(1).min(ARMOUR_BUF))
        .unwrap_or_default();
    let done = used.get(..at).unwrap_or_default();
    out.reserve(done.len());
    out.extend_from_slice(done);
    used.zeroize();
}

/// The armoured form of byte `b`: `[b, 0]`, or `[b'0', code]` when it is escaped.
fn byte_pair(b: u8) -> [u8; 2] {
    match ESCAPE.get(usize::from(b)).copied().unwrap_or(0) {
        0 => [b, 0],
        code => [b'0', code],
    }
}

/// The armoured form of the URL-safe base64 character for the low 6 bits of `n`.
fn sextet_pair(n: usize) -> [u8; 2] {
    SEXTET.get(n & 0x3f).copied().unwrap_or_default()
}

/// [`byte_pair`] of each URL-safe base64 character, by its 6-bit value.
// Evaluated at compile time: an index out of range would fail the build, not panic.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static SEXTET: [[u8; 2]; 64] = {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [[0u8; 2]; 64];
    let mut i = 0;
    while i < 64 {
        let c = ALPHABET[i];
        let code = ESCAPE[c as usize];
        table[i] = if code == 0 { [c, 0] } else { [b'0', code] };
        i += 1;
    }
    table
};

/// The digit that follows `0` in the escape of a byte, or 0 when the byte is not escaped:
/// `0`→`00`, `_`→`01`, `-`→`02`, `/`→`03`, `+`→`04`, `=`→`05`.
// Evaluated at compile time: an index out of range would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b'0' as usize] = b'0';
    table[b'_' as usize] = b'1';
    table[b'-' as usize] = b'2';
    table[b'/' as usize] = b'3';
    table[b'+' as usize] = b'4';
    table[b'=' as usize] = b'5';
    table
};

/// Undoes [`base62_armour`]; `None` unless the text is alphanumeric and every `0` starts one of
/// the six escapes.
pub(crate) fn base62_unarmour(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'0' => out.push(match bytes.next() {
                Some(b'0') => b'0',
                Some(b'1') => b'_',
                Some(b'2') => b'-',
                Some(b'3') => b'/',
                Some(b'4') => b'+',
                Some(b'5') => b'=',
                _ => return None,
            }),
            _ if b.is_ascii_alphanumeric() => out.push(b),
            _ => return None,
        }
    }
    Some(out)
}

fn is_url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_accepts_both_alphabets_padding_and_whitespace() {
        assert_eq!(decode_base64(b"-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode_base64(b"+/8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode_base64(b"+_\n8 = \n").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn base64_rejects_data_after_padding_and_stray_characters() {
        assert_eq!(decode_base64(b"+/=8"), Err(DecodeError::InvalidBase64));
        assert_eq!(decode_base64(b"ab*c"), Err(DecodeError::InvalidBase64));
        assert_eq!(decode_base64(b"abcde"), Err(DecodeError::InvalidBase64));
    }

    #[test]
    fn base62_round_trips_every_escape() {
        let text = "0_-/+=aZ9";
        let armoured = base62_armour(text);
        assert!(armoured.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(
            base62_unarmour(armoured.as_bytes()).unwrap(),
            text.as_bytes()
        );
    }

    #[test]
    fn base62_fused_base64_matches_base64_then_armour() {
        // Every length across the block boundaries, bytes hitting all 64 sextets.
        let bytes: Vec<u8> = (0..2400u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
            .collect();
        for len in (0..40)
            .chain(380..390)
            .chain(760..780)
            .chain([1152, 1536, 2400])
        {
            let input = &bytes[..len];
            let mut base64 = String::new();
            encode_base64(input, &mut base64);
            let mut fused = Vec::new();
            encode_base64_armoured(input, &mut fused);
            assert_eq!(
                String::from_utf8(fused).unwrap(),
                base62_armour(&base64),
                "{len}"
            );
        }
        // Bytes other than the six escapes pass through, across block boundaries.
        let every: String = (0u8..=255).map(char::from).collect::<String>().repeat(5);
        assert_eq!(base62_armour(&every).len(), every.len() + 6 * 5);
        let long = "0_-/+=ab".repeat(300);
        assert_eq!(base62_armour(&long), "000102030405ab".repeat(300));
    }

    #[test]
    fn base62_rejects_bad_escapes() {
        assert_eq!(base62_unarmour(b"0H"), None);
        assert_eq!(base62_unarmour(b"ab0"), None);
        assert_eq!(base62_unarmour(b"a-b"), None);
    }
}
