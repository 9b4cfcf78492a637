//! V2: version byte `0x02`, then `type varint ‖ length varint ‖ data` fields, sections closed by
//! a zero byte (spec §4):
//! `0x02 [LOCATION] IDENTIFIER EOS (caveat)* EOS SIGNATURE`,
//! `caveat = [LOCATION] IDENTIFIER [VID] EOS`.

use std::borrow::Cow;

use super::reader::{Reader, VarintError};
use super::{CaveatParts, Limits, Parts, check_field, push_caveat, signature_bytes};
use crate::error::DecodeError;
use crate::macaroon::Macaroon;

const VERSION: u8 = 2;
const EOS: u8 = 0;
const LOCATION: u8 = 1;
const IDENTIFIER: u8 = 2;
const VID: u8 = 4;
const SIGNATURE: u8 = 6;

/// Parses V2 bytes. Field types must rise strictly within a section, as pymacaroons and Go
/// require; a location on a first-party caveat and a vid without location are accepted, as
/// libmacaroons accepts them.
pub(super) fn parse<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Parts<'a>, DecodeError> {
    let mut r = Reader::new(bytes);
    if r.u8() != Some(VERSION) {
        return Err(DecodeError::UnknownVersion);
    }
    let [location, identifier, _] = section(&mut r, limits, false)?;
    let identifier = identifier.ok_or(DecodeError::MissingField)?;
    let mut caveats = Vec::new();
    loop {
        match r.peek() {
            None => return Err(DecodeError::Truncated),
            Some(EOS) => {
                r.u8();
                break;
            }
            Some(_) => {
                let [cl, cid, vid] = section(&mut r, limits, true)?;
                let caveat = CaveatParts {
                    id: Cow::Borrowed(cid.ok_or(DecodeError::MissingField)?),
                    vid: Cow::Borrowed(vid.unwrap_or_default()),
                    location: Cow::Borrowed(cl.unwrap_or_default()),
                };
                push_caveat(&mut caveats, caveat, limits)?;
            }
        }
    }
    let (kind, value) = field(&mut r, limits)?.ok_or(DecodeError::MissingField)?;
    if kind != SIGNATURE {
        return Err(DecodeError::UnexpectedField);
    }
    let signature = signature_bytes(value)?;
    if !r.is_empty() {
        return Err(DecodeError::TrailingData);
    }
    Ok(Parts {
        location: Cow::Borrowed(location.unwrap_or_default()),
        identifier: Cow::Borrowed(identifier),
        caveats,
        signature,
    })
}

/// Reads fields up to the section's EOS: `[location, identifier, vid]`. `vid` only in caveats.
fn section<'a>(
    r: &mut Reader<'a>,
    limits: &Limits,
    caveat: bool,
) -> Result<[Option<&'a [u8]>; 3], DecodeError> {
    let mut found = [None, None, None];
    let mut last = EOS;
    while let Some((kind, value)) = field(r, limits)? {
        let slot = match kind {
            LOCATION => 0,
            IDENTIFIER => 1,
            VID if caveat => 2,
            _ => return Err(DecodeError::UnexpectedField),
        };
        if kind <= last {
            return Err(if kind == last {
                DecodeError::DuplicateField
            } else {
                DecodeError::UnexpectedField
            });
        }
        last = kind;
        if let Some(place) = found.get_mut(slot) {
            *place = Some(value);
        }
    }
    Ok(found)
}

/// One field, or `None` at an EOS.
fn field<'a>(r: &mut Reader<'a>, limits: &Limits) -> Result<Option<(u8, &'a [u8])>, DecodeError> {
    let kind = r.varint().map_err(varint_error)?;
    if kind == u64::from(EOS) {
        return Ok(None);
    }
    let kind = u8::try_from(kind).map_err(|_| DecodeError::UnexpectedField)?;
    let len = r.varint().map_err(varint_error)?;
    let len = usize::try_from(len).map_err(|_| DecodeError::FieldTooLong)?;
    if len > limits.max_field_len {
        return Err(DecodeError::FieldTooLong);
    }
    let value = r.take(len).ok_or(DecodeError::Truncated)?;
    check_field(value, limits)?;
    Ok(Some((kind, value)))
}

fn varint_error(e: VarintError) -> DecodeError {
    match e {
        VarintError::Truncated => DecodeError::Truncated,
        VarintError::Malformed => DecodeError::BadVarint,
    }
}

/// Exact length of the V2 encoding.
pub(super) fn encoded_len(m: &Macaroon) -> usize {
    // Version byte, header EOS, caveat-list EOS, one EOS per caveat; then the fields. Ids and
    // the signature are always written, locations and vids only when non-empty.
    let fixed = 3usize.saturating_add(m.caveats().len());
    let always = [m.identifier().len(), 32]
        .into_iter()
        .chain(m.caveats().iter().map(|c| c.id().len()));
    let optional = [m.location().len()]
        .into_iter()
        .chain(m.caveats().iter().flat_map(|c| {
            let vid = c.verification_id().map_or(0, <[u8]>::len);
            [c.location().len(), vid]
        }));
    let total = always.fold(fixed, |total, len| total.saturating_add(field_len(len)));
    optional
        .filter(|&len| len > 0)
        .fold(total, |total, len| total.saturating_add(field_len(len)))
}

/// Writes the V2 bytes as libmacaroons does: empty locations and vids are omitted.
pub(super) fn write(m: &Macaroon, out: &mut Vec<u8>) {
    out.push(VERSION);
    put_nonempty(out, LOCATION, m.location().as_bytes());
    put(out, IDENTIFIER, m.identifier());
    out.push(EOS);
    for c in m.caveats() {
        put_nonempty(out, LOCATION, c.location().as_bytes());
        put(out, IDENTIFIER, c.id());
        if let Some(vid) = c.verification_id() {
            put(out, VID, vid);
        }
        out.push(EOS);
    }
    out.push(EOS);
    put(out, SIGNATURE, m.signature().as_bytes());
}

fn put_nonempty(out: &mut Vec<u8>, kind: u8, value: &[u8]) {
    if !value.is_empty() {
        put(out, kind, value);
    }
}

fn put(out: &mut Vec<u8>, kind: u8, value: &[u8]) {
    out.push(kind);
    let mut n = value.len();
    while n >= 0x80 {
        out.push(low_seven_bits(n) | 0x80);
        n >>= 7;
    }
    out.push(low_seven_bits(n));
    out.extend_from_slice(value);
}

fn low_seven_bits(n: usize) -> u8 {
    u8::try_from(n & 0x7f).unwrap_or_default()
}

/// Bytes a field with `len` bytes of data takes: type, varint length, data.
fn field_len(len: usize) -> usize {
    let mut varint = 1usize;
    let mut n = len;
    while n >= 0x80 {
        n >>= 7;
        varint = varint.saturating_add(1);
    }
    len.saturating_add(varint).saturating_add(1)
}
