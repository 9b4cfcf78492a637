//! The JSON formats (spec §5): V2 JSON (`v`, `l`, `i`, `c`, `s64`, with `x64` twins for
//! binary fields) and legacy V1 JSON (`caveats`, `location`, `identifier`, hex `signature`).
//!
//! Reading goes through `serde_json`; writing is by hand so the bytes match libmacaroons'
//! member order exactly.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::text::{decode_base64_member, encode_base64};
use super::{CaveatParts, Format, Limits, Parts, check_field, push_caveat, signature_bytes};
use crate::error::{BuildError, DecodeError};
use crate::macaroon::Macaroon;

const V1_KEYS: [&str; 4] = ["caveats", "location", "identifier", "signature"];
const V2_KEYS: [&str; 8] = ["v", "l", "l64", "i", "i64", "c", "s", "s64"];
const V2_CAVEAT_KEYS: [&str; 6] = ["i", "i64", "l", "l64", "v", "v64"];
const V1_CAVEAT_KEYS: [&str; 3] = ["cid", "vid", "cl"];

/// Parses either JSON format, telling them apart by their member names as Go does.
pub(super) fn parse(text: &[u8], limits: &Limits) -> Result<(Macaroon, Format), DecodeError> {
    let value: Value = serde_json::from_slice(text).map_err(|_| DecodeError::InvalidJson)?;
    let Value::Object(object) = value else {
        return Err(DecodeError::InvalidJson);
    };
    let is_v1 = object.keys().any(|k| V1_KEYS.contains(&k.as_str()));
    let is_v2 = object.keys().any(|k| V2_KEYS.contains(&k.as_str()));
    let (parts, format) = match (is_v1, is_v2) {
        (true, false) => (parse_v1(&object, limits)?, Format::V1Json),
        (false, true) => (parse_v2(&object, limits)?, Format::V2Json),
        (true, true) => return Err(DecodeError::UnexpectedField),
        (false, false) => return Err(DecodeError::MissingField),
    };
    Ok((parts.into_macaroon()?, format))
}

fn parse_v2<'a>(object: &'a Map<String, Value>, limits: &Limits) -> Result<Parts<'a>, DecodeError> {
    only_keys(object, &V2_KEYS)?;
    match object.get("v") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64() == Some(2) => {}
        Some(_) => return Err(DecodeError::UnknownVersion),
    }
    let location = binary(object, "l", limits)?.unwrap_or_default();
    let identifier = binary(object, "i", limits)?.ok_or(DecodeError::MissingField)?;
    let signature = match (object.get("s"), object.get("s64")) {
        (Some(Value::Array(numbers)), None | Some(Value::Null)) => signature_from_numbers(numbers)?,
        _ => signature_bytes(&binary(object, "s", limits)?.ok_or(DecodeError::MissingField)?)?,
    };
    let caveats = caveats(object, "c", &V2_CAVEAT_KEYS, limits, |caveat| {
        Ok(CaveatParts {
            id: binary(caveat, "i", limits)?.ok_or(DecodeError::MissingField)?,
            vid: binary(caveat, "v", limits)?.unwrap_or_default(),
            location: binary(caveat, "l", limits)?.unwrap_or_default(),
        })
    })?;
    Ok(Parts {
        location,
        identifier,
        caveats,
        signature,
    })
}

fn parse_v1<'a>(object: &'a Map<String, Value>, limits: &Limits) -> Result<Parts<'a>, DecodeError> {
    only_keys(object, &V1_KEYS)?;
    let location = string(object, "location", limits)?.unwrap_or_default();
    let identifier = string(object, "identifier", limits)?.ok_or(DecodeError::MissingField)?;
    let signature = string(object, "signature", limits)?.ok_or(DecodeError::MissingField)?;
    let signature = signature_from_hex(&signature)?;
    let caveats = caveats(object, "caveats", &V1_CAVEAT_KEYS, limits, |caveat| {
        let vid = match caveat.get("vid") {
            None | Some(Value::Null) => Cow::Borrowed(&[][..]),
            Some(Value::String(text)) => Cow::Owned(decode_base64_member(text)?),
            Some(_) => return Err(DecodeError::InvalidJson),
        };
        check_field(&vid, limits)?;
        Ok(CaveatParts {
            id: string(caveat, "cid", limits)?.unwrap_or_default(),
            vid,
            location: string(caveat, "cl", limits)?.unwrap_or_default(),
        })
    })?;
    Ok(Parts {
        location,
        identifier,
        caveats,
        signature,
    })
}

/// The caveat objects of array member `name`, each with only `keys`, built by `build`.
fn caveats<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    keys: &[&str],
    limits: &Limits,
    build: impl Fn(&'a Map<String, Value>) -> Result<CaveatParts<'a>, DecodeError>,
) -> Result<Vec<CaveatParts<'a>>, DecodeError> {
    let mut caveats = Vec::new();
    for caveat in array(object, name, limits)? {
        let Value::Object(caveat) = caveat else {
            return Err(DecodeError::InvalidJson);
        };
        only_keys(caveat, keys)?;
        push_caveat(&mut caveats, build(caveat)?, limits)?;
    }
    Ok(caveats)
}

/// Rejects members outside `allowed`.
fn only_keys(object: &Map<String, Value>, allowed: &[&str]) -> Result<(), DecodeError> {
    if object.keys().all(|k| allowed.contains(&k.as_str())) {
        Ok(())
    } else {
        Err(DecodeError::UnexpectedField)
    }
}

/// A V2 field given as `name` (UTF-8 text) or `name64` (base64); both at once is an error, as
/// libmacaroons and Go rule. `null` counts as absent (the `macaroon` crate writes it).
fn binary<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Cow<'a, [u8]>>, DecodeError> {
    let text = string(object, name, limits)?;
    let name64 = format!("{name}64");
    let encoded = match object.get(&name64) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let bytes = decode_base64_member(s)?;
            check_field(&bytes, limits)?;
            Some(Cow::Owned(bytes))
        }
        Some(_) => return Err(DecodeError::InvalidJson),
    };
    match (text, encoded) {
        (Some(_), Some(_)) => Err(DecodeError::DuplicateField),
        (text, encoded) => Ok(text.or(encoded)),
    }
}

/// A string member as bytes; `null` counts as absent.
fn string<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Cow<'a, [u8]>>, DecodeError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            check_field(s.as_bytes(), limits)?;
            Ok(Some(Cow::Borrowed(s.as_bytes())))
        }
        Some(_) => Err(DecodeError::InvalidJson),
    }
}

/// An array member (`c`, `caveats`); absent or `null` is empty, as Go and pymacaroons omit it.
fn array<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    limits: &Limits,
) -> Result<&'a [Value], DecodeError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) if items.len() > limits.max_caveats => {
            Err(DecodeError::TooManyCaveats)
        }
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(DecodeError::InvalidJson),
    }
}

/// The `macaroon` crate's signature form: an array of 32 byte values.
fn signature_from_numbers(numbers: &[Value]) -> Result<[u8; 32], DecodeError> {
    if numbers.len() != 32 {
        return Err(DecodeError::BadSignatureLength);
    }
    let mut signature = [0u8; 32];
    for (out, n) in signature.iter_mut().zip(numbers) {
        *out = n
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .ok_or(DecodeError::InvalidJson)?;
    }
    Ok(signature)
}

fn signature_from_hex(hex: &[u8]) -> Result<[u8; 32], DecodeError> {
    if hex.len() != 64 {
        return Err(DecodeError::BadSignatureLength);
    }
    let mut signature = [0u8; 32];
    for (out, pair) in signature.iter_mut().zip(hex.chunks_exact(2)) {
        let text = std::str::from_utf8(pair).map_err(|_| DecodeError::InvalidJson)?;
        *out = u8::from_str_radix(text, 16).map_err(|_| DecodeError::InvalidJson)?;
    }
    Ok(signature)
}

/// V2 JSON as libmacaroons writes it: `{"v":2,"l":…,"i":…,"c":[{"i":…,"l":…,"v64":…}],"s64":…}`,
/// `l` omitted when empty; binary (non-UTF-8) ids as `i64`.
pub(super) fn write_v2(m: &Macaroon) -> String {
    let mut out = String::with_capacity(capacity_hint(m));
    out.push_str("{\"v\":2");
    if !m.location().is_empty() {
        out.push_str(",\"l\":");
        push_string(&mut out, m.location(), false);
    }
    out.push(',');
    push_binary(&mut out, "i", m.identifier());
    out.push_str(",\"c\":[");
    for (n, c) in m.caveats().iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push('{');
        push_binary(&mut out, "i", c.id());
        if !c.location().is_empty() {
            out.push_str(",\"l\":");
            push_string(&mut out, c.location(), false);
        }
        if let Some(vid) = c.verification_id() {
            out.push_str(",\"v64\":\"");
            encode_base64(vid, &mut out);
            out.push('"');
        }
        out.push('}');
    }
    out.push_str("],\"s64\":\"");
    encode_base64(m.signature().as_bytes(), &mut out);
    out.push_str("\"}");
    out
}

/// V1 JSON as libmacaroons 0.3 (json-c) writes it: members `caveats`, `location`,
/// `identifier`, `signature` (lowercase hex), `/` escaped as `\/`.
///
/// # Errors
/// [`BuildError::NotRepresentable`] when the identifier or a caveat id is not UTF-8.
pub(super) fn write_v1(m: &Macaroon) -> Result<String, BuildError> {
    let text = |bytes| std::str::from_utf8(bytes).map_err(|_| BuildError::NotRepresentable);
    let mut out = String::with_capacity(capacity_hint(m));
    out.push_str("{\"caveats\":[");
    for (n, c) in m.caveats().iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str("{\"cid\":");
        push_string(&mut out, text(c.id())?, true);
        if let Some(vid) = c.verification_id() {
            out.push_str(",\"vid\":\"");
            encode_base64(vid, &mut out);
            out.push('"');
        }
        if !c.location().is_empty() {
            out.push_str(",\"cl\":");
            push_string(&mut out, c.location(), true);
        }
        out.push('}');
    }
    out.push_str("],\"location\":");
    push_string(&mut out, m.location(), true);
    out.push_str(",\"identifier\":");
    push_string(&mut out, text(m.identifier())?, true);
    out.push_str(",\"signature\":\"");
    for byte in m.signature().as_bytes() {
        let _ = write!(out, "{byte:02x}");
    }
    out.push_str("\"}");
    Ok(out)
}

/// A guess at the JSON length, so most tokens are written without reallocating.
fn capacity_hint(m: &Macaroon) -> usize {
    m.caveats()
        .iter()
        .fold(128usize, |n, c| {
            n.saturating_add(c.id().len()).saturating_add(128)
        })
        .saturating_add(m.identifier().len().saturating_mul(2))
}

/// `"name":"text"` when `bytes` are UTF-8, else `"name64":"base64"`.
fn push_binary(out: &mut String, name: &str, bytes: &[u8]) {
    out.push('"');
    out.push_str(name);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            out.push_str("\":");
            push_string(out, text, false);
        }
        Err(_) => {
            out.push_str("64\":\"");
            encode_base64(bytes, out);
            out.push('"');
        }
    }
}

/// A JSON string literal; `escape_slash` writes `/` as `\/` like json-c.
fn push_string(out: &mut String, text: &str, escape_slash: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if escape_slash => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
