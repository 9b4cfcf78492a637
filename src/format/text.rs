//! Text armour around the binary formats: lenient base64 on input, URL-safe unpadded base64 on
//! output (spec §3.4), and Onedata's base62 escaping (spec §8).

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

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
    let bytes = text.as_bytes();
    let escapes = bytes.iter().filter(|&&b| escape_code(b) != 0).count();
    let len = bytes.len().saturating_add(escapes);
    // Branch-free: every byte writes two slots and advances by one, or by two when escaped;
    // the spare last slot is cut off at the end.
    let mut out = vec![0u8; len.saturating_add(1)];
    let mut at = 0usize;
    for &b in bytes {
        let code = escape_code(b);
        let escaped = code != 0;
        if let Some([first, second]) = out.get_mut(at..at.saturating_add(2)) {
            *first = if escaped { b'0' } else { b };
            *second = code;
        }
        at = at.saturating_add(1).saturating_add(usize::from(escaped));
    }
    out.truncate(len);
    // Only ASCII bytes were replaced, by ASCII pairs, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The digit that follows `0` in the escape of `b`, or 0 when `b` is not escaped.
fn escape_code(b: u8) -> u8 {
    ESCAPE.get(usize::from(b)).copied().unwrap_or(0)
}

/// [`escape_code`] as a table, so armouring has no data-dependent branch.
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
    fn base62_rejects_bad_escapes() {
        assert_eq!(base62_unarmour(b"0H"), None);
        assert_eq!(base62_unarmour(b"ab0"), None);
        assert_eq!(base62_unarmour(b"a-b"), None);
    }
}
