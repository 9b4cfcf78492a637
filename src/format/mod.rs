//! Wire formats: V1 packets, V2 binary, V2 JSON and V1 JSON, the text armour around them, and
//! format detection (spec §3–§6, §8).
//!
//! Everything here reads untrusted bytes through one bounds-checked reader and knows no
//! keys. Writers emit what libmacaroons emits; readers accept what any peer writes.
#![deny(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::panic
)]

mod json;
mod reader;
mod text;
mod v1;
mod v2;

pub use text::base62_armour;

use std::borrow::Cow;

use zeroize::Zeroizing;

use crate::error::{BuildError, DecodeError};
use crate::key::Signature;
use crate::macaroon::{Caveat, Macaroon};

/// A wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// libmacaroons format 1: length-prefixed text packets, base64url on the wire.
    V1,
    /// libmacaroons format 2: compact binary with varint lengths, base64url on the wire.
    V2,
    /// The JSON rendering of V2 (`{"v":2,"l":…,"i":…,"c":[…],"s64":…}`).
    V2Json,
    /// The legacy JSON rendering of V1 (`{"caveats":[…],"location":…,"identifier":…,
    /// "signature":hex}`).
    V1Json,
}

/// The text armour a token came in, beside its [`Format`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Armour {
    /// Base64 (V1, V2), JSON text, or raw V2 bytes.
    None,
    /// Onedata's base62 escaping over base64url (spec §8).
    Base62,
}

impl Format {
    /// Every format, in the order above.
    pub const ALL: [Self; 4] = [Self::V1, Self::V2, Self::V2Json, Self::V1Json];

    /// The short name used by the CLI: `v1`, `v2`, `v2j`, `v1j`.
    pub fn name(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2 => "v2",
            Self::V2Json => "v2j",
            Self::V1Json => "v1j",
        }
    }
}

impl core::fmt::Display for Format {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Format {
    type Err = UnknownName;

    /// Reads a short name (`v1`, `v2`, `v2j`, `v1j`; also `v2json`, `v1json`).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "v2json" => Ok(Self::V2Json),
            "v1json" => Ok(Self::V1Json),
            _ => Self::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .ok_or(UnknownName),
        }
    }
}

impl Armour {
    /// The short name: `none` or `base62`.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Base62 => "base62",
        }
    }
}

impl core::fmt::Display for Armour {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Armour {
    type Err = UnknownName;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "none" => Ok(Self::None),
            "base62" => Ok(Self::Base62),
            _ => Err(UnknownName),
        }
    }
}

/// A format or armour name that [`Format`] or [`Armour`] does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownName;

impl core::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("unknown format name")
    }
}

impl core::error::Error for UnknownName {}

/// Bounds applied while decoding untrusted tokens and while verifying, checked before
/// anything is allocated for the bounded item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest accepted encoded token, in bytes of text (default 1 MiB).
    pub max_encoded_len: usize,
    /// Longest accepted field (identifier, location, caveat id, verification id), in bytes
    /// (default 65535, the V1 packet bound every implementation shares).
    pub max_field_len: usize,
    /// Most caveats in one macaroon (default 1024).
    pub max_caveats: usize,
    /// Most discharges accepted for one verification (default 256).
    pub max_discharges: usize,
    /// Deepest nesting of discharges for caveats inside discharges (default 32).
    pub max_depth: usize,
}

impl Limits {
    /// The defaults listed on each field.
    pub const DEFAULT: Self = Self {
        max_encoded_len: 1 << 20,
        max_field_len: 65535,
        max_caveats: 1024,
        max_discharges: 256,
        max_depth: 32,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A decoded token with the format and armour it was read from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Decoded {
    /// The (still unverified) macaroon.
    pub macaroon: Macaroon,
    /// The format detected.
    pub format: Format,
    /// The text armour detected.
    pub armour: Armour,
}

impl Macaroon {
    /// Decodes a token in any format and text encoding (spec §6): JSON (V1 or V2), base64 of
    /// V1 or V2 in either alphabet with or without padding and whitespace, Onedata's base62
    /// armour, or raw V2 bytes. Uses [`Limits::default`].
    ///
    /// The result is untrusted until verified.
    ///
    /// # Errors
    /// A [`DecodeError`] naming what is malformed.
    pub fn decode(token: impl AsRef<[u8]>) -> Result<Self, DecodeError> {
        decode_with(token.as_ref(), &Limits::DEFAULT).map(|d| d.macaroon)
    }

    /// Like [`Macaroon::decode`], under `limits`, also reporting the format and armour found.
    ///
    /// # Errors
    /// A [`DecodeError`] naming what is malformed or which limit was passed.
    pub fn decode_with(token: impl AsRef<[u8]>, limits: &Limits) -> Result<Decoded, DecodeError> {
        decode_with(token.as_ref(), limits)
    }

    /// Decodes a token whose armour the caller knows, without guessing: [`Armour::Base62`]
    /// undoes Onedata's escaping first; [`Armour::None`] reads the text as it is.
    ///
    /// Detection ([`Macaroon::decode_with`]) cannot always tell the two apart: rare texts are
    /// both a valid plain token and a valid armoured one, of two different macaroons.
    ///
    /// # Errors
    /// [`DecodeError::InvalidBase62`] when `Armour::Base62` is given for text that is not
    /// valid armour; otherwise as [`Macaroon::decode`].
    pub fn decode_armoured(
        token: impl AsRef<[u8]>,
        armour: Armour,
        limits: &Limits,
    ) -> Result<Decoded, DecodeError> {
        let input = token.as_ref();
        if input.len() > limits.max_encoded_len {
            return Err(DecodeError::TooLong);
        }
        match armour {
            Armour::None => decode_plain(input, limits),
            Armour::Base62 => {
                let text = input.trim_ascii();
                if text.is_empty() {
                    return Err(DecodeError::Empty);
                }
                let unarmoured = text::base62_unarmour(text).ok_or(DecodeError::InvalidBase62)?;
                decode_base64_token(&unarmoured, limits, Armour::Base62)
            }
        }
    }

    /// Decodes raw binary V1 packets or V2 bytes (no base64), as libmacaroons'
    /// `macaroon_deserialize` and Go's `UnmarshalBinary` take them.
    ///
    /// # Errors
    /// A [`DecodeError`] naming what is malformed.
    pub fn decode_binary(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
        if bytes.len() > limits.max_encoded_len {
            return Err(DecodeError::TooLong);
        }
        let (parts, format) = parse_binary(bytes, limits)?;
        Ok(Decoded {
            macaroon: parts.into_macaroon()?,
            format,
            armour: Armour::None,
        })
    }

    /// Encodes as text in `format`: V1 and V2 as URL-safe base64 without padding, the JSON
    /// formats as compact JSON, each exactly as libmacaroons writes it.
    ///
    /// # Errors
    /// [`BuildError::FieldTooLong`] when a V1 packet would pass 65535 bytes;
    /// [`BuildError::NotRepresentable`] for binary identifiers in V1 JSON.
    pub fn encode(&self, format: Format) -> Result<String, BuildError> {
        match format {
            Format::V1 => Ok(base64_of(v1::encoded_len(self)?, |out| {
                v1::write(self, out)
            })),
            Format::V2 => Ok(base64_of(v2::encoded_len(self), |out| v2::write(self, out))),
            Format::V2Json => Ok(json::write_v2(self)),
            Format::V1Json => json::write_v1(self),
        }
    }

    /// Encodes in `format` (V1 or V2) and applies Onedata's base62 armour (spec §8), as
    /// Onezone serializes its tokens.
    ///
    /// # Errors
    /// As [`Macaroon::encode`]; [`BuildError::NotRepresentable`] for the JSON formats, which
    /// have no base64 to armour.
    pub fn encode_base62(&self, format: Format) -> Result<String, BuildError> {
        match format {
            Format::V1 => Ok(base62_of(v1::encoded_len(self)?, |out| {
                v1::write(self, out)
            })),
            Format::V2 => Ok(base62_of(v2::encoded_len(self), |out| v2::write(self, out))),
            Format::V2Json | Format::V1Json => Err(BuildError::NotRepresentable),
        }
    }

    /// Encodes V1 or V2 as raw bytes (no base64); the JSON formats as their UTF-8 text.
    ///
    /// # Errors
    /// As [`Macaroon::encode`].
    pub fn encode_binary(&self, format: Format) -> Result<Vec<u8>, BuildError> {
        match format {
            Format::V1 => {
                let mut out = Vec::with_capacity(v1::encoded_len(self)?);
                v1::write(self, &mut out);
                Ok(out)
            }
            Format::V2 => {
                let mut out = Vec::with_capacity(v2::encoded_len(self));
                v2::write(self, &mut out);
                Ok(out)
            }
            Format::V2Json | Format::V1Json => self.encode(format).map(String::into_bytes),
        }
    }
}

/// Decoded fields borrowing the decoded buffer where the format allows.
pub(crate) struct Parts<'a> {
    pub(crate) location: Cow<'a, [u8]>,
    pub(crate) identifier: Cow<'a, [u8]>,
    pub(crate) caveats: Vec<CaveatParts<'a>>,
    pub(crate) signature: [u8; 32],
}

/// One decoded caveat; an empty `vid` means first-party.
pub(crate) struct CaveatParts<'a> {
    pub(crate) id: Cow<'a, [u8]>,
    pub(crate) vid: Cow<'a, [u8]>,
    pub(crate) location: Cow<'a, [u8]>,
}

impl Parts<'_> {
    /// The one place decoded fields become an owned [`Macaroon`].
    fn into_macaroon(self) -> Result<Macaroon, DecodeError> {
        let mut caveats = Vec::with_capacity(self.caveats.len());
        for c in self.caveats {
            caveats.push(Caveat::from_parts(
                c.id.into_owned(),
                c.vid.into_owned(),
                utf8(c.location)?,
            ));
        }
        Ok(Macaroon::from_parts(
            utf8(self.location)?,
            self.identifier.into_owned(),
            caveats,
            Signature::from_bytes(self.signature),
        ))
    }
}

/// Checks a field against the limit.
pub(crate) fn check_field(bytes: &[u8], limits: &Limits) -> Result<(), DecodeError> {
    if bytes.len() > limits.max_field_len {
        return Err(DecodeError::FieldTooLong);
    }
    Ok(())
}

/// Appends a caveat unless that passes the limit.
pub(crate) fn push_caveat<'a>(
    caveats: &mut Vec<CaveatParts<'a>>,
    caveat: CaveatParts<'a>,
    limits: &Limits,
) -> Result<(), DecodeError> {
    if caveats.len() >= limits.max_caveats {
        return Err(DecodeError::TooManyCaveats);
    }
    caveats.push(caveat);
    Ok(())
}

/// Converts a 32-byte slice to a signature array.
pub(crate) fn signature_bytes(bytes: &[u8]) -> Result<[u8; 32], DecodeError> {
    <[u8; 32]>::try_from(bytes).map_err(|_| DecodeError::BadSignatureLength)
}

fn utf8(bytes: Cow<'_, [u8]>) -> Result<String, DecodeError> {
    String::from_utf8(bytes.into_owned()).map_err(|_| DecodeError::InvalidUtf8)
}

/// Detection: the plain reading first, so every token written without armour (by mintage,
/// libmacaroons or any peer) reads back as written; then, for text that could be armour
/// (alphanumeric, with `0` escapes), the armoured reading.
fn decode_with(input: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    if input.len() > limits.max_encoded_len {
        return Err(DecodeError::TooLong);
    }
    let plain = decode_plain(input, limits);
    let text = input.trim_ascii();
    let could_be_armour = text.contains(&b'0') && text.iter().all(u8::is_ascii_alphanumeric);
    match plain {
        Err(plain_error) if could_be_armour => {
            Macaroon::decode_armoured(text, Armour::Base62, limits).map_err(|_| plain_error)
        }
        plain => plain,
    }
}

/// JSON, raw V2 bytes, or base64 text, with no armour.
fn decode_plain(input: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    let text = input.trim_ascii();
    match text.first() {
        None => Err(DecodeError::Empty),
        Some(0x02) => Macaroon::decode_binary(input, limits),
        Some(b'{') => {
            let (macaroon, format) = json::parse(text, limits)?;
            Ok(Decoded {
                macaroon,
                format,
                armour: Armour::None,
            })
        }
        Some(_) => decode_base64_token(text, limits, Armour::None),
    }
}

fn decode_base64_token(
    text: &[u8],
    limits: &Limits,
    armour: Armour,
) -> Result<Decoded, DecodeError> {
    let bytes = Zeroizing::new(text::decode_base64(text)?);
    let (parts, format) = parse_binary(&bytes, limits)?;
    Ok(Decoded {
        macaroon: parts.into_macaroon()?,
        format,
        armour,
    })
}

/// Dispatches on the decoded first byte: `0x02` is V2, a lowercase hex digit starts V1.
fn parse_binary<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Parts<'a>, Format), DecodeError> {
    match bytes.first() {
        None => Err(DecodeError::Empty),
        Some(0x02) => Ok((v2::parse(bytes, limits)?, Format::V2)),
        Some(b'0'..=b'9' | b'a'..=b'f') => Ok((v1::parse(bytes, limits)?, Format::V1)),
        Some(_) => Err(DecodeError::UnknownVersion),
    }
}

/// Encodes the `len` bytes that `write` produces as URL-safe base64, in one allocation: the
/// binary is written to the front of the buffer, its base64 behind it, then the binary is
/// dropped from the front.
fn base64_of(len: usize, write: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut buf = Vec::with_capacity(len.saturating_add(text::base64_len(len)));
    write(&mut buf);
    let bin_len = buf.len();
    buf.resize(bin_len.saturating_add(text::base64_len(bin_len)), 0);
    let (bin, out) = buf.split_at_mut(bin_len);
    let written = text::encode_base64_slice(bin, out);
    zeroize::Zeroize::zeroize(bin);
    buf.truncate(bin_len.saturating_add(written));
    buf.drain(..bin_len);
    // Base64 output is ASCII; the fallback is unreachable.
    String::from_utf8(buf).unwrap_or_default()
}

/// The base62 armour of the base64 of the `len` bytes that `write` produces: the binary goes
/// to a scratch buffer (wiped afterwards: it holds the signature), and is base64-encoded and
/// armoured in one pass into a buffer of exactly the text's length.
fn base62_of(len: usize, write: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut bin = Zeroizing::new(Vec::with_capacity(len));
    write(&mut bin);
    let mut out = Vec::new();
    text::encode_base64_armoured(&bin, &mut out);
    // Armoured base64 is ASCII; the fallback is unreachable.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests;
