//! V1: a sequence of `HHHH key SP value LF` packets (spec §3), in libmacaroons' order:
//! `location`, `identifier`, then per caveat `cid` [`vid`] [`cl`], then `signature`.

use std::borrow::Cow;

use super::reader::Reader;
use super::{CaveatParts, Limits, Parts, check_field, push_caveat, signature_bytes};
use crate::error::{BuildError, DecodeError};
use crate::macaroon::Macaroon;

/// Parses V1 packets. Location may be missing (the `macaroon` crate omits it); everything else
/// follows libmacaroons' strict order, and nothing may follow the signature.
pub(super) fn parse<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Parts<'a>, DecodeError> {
    let mut r = Reader::new(bytes);
    let mut location: Option<&'a [u8]> = None;
    let mut identifier: Option<&'a [u8]> = None;
    let mut caveats: Vec<CaveatParts<'a>> = Vec::new();
    loop {
        if r.is_empty() {
            return Err(DecodeError::MissingField);
        }
        let (key, value) = packet(&mut r)?;
        check_field(value, limits)?;
        match (key, identifier, caveats.last_mut()) {
            (b"location", None, _) if location.is_none() => location = Some(value),
            (b"identifier", None, _) => identifier = Some(value),
            (b"cid", Some(_), _) => push_caveat(
                &mut caveats,
                CaveatParts {
                    id: Cow::Borrowed(value),
                    vid: Cow::Borrowed(&[]),
                    location: Cow::Borrowed(&[]),
                },
                limits,
            )?,
            (b"vid", Some(_), Some(c)) if c.vid.is_empty() && c.location.is_empty() => {
                c.vid = Cow::Borrowed(value);
            }
            (b"cl", Some(_), Some(c)) if c.location.is_empty() => {
                c.location = Cow::Borrowed(value);
            }
            (b"signature", Some(id), _) => {
                let signature = signature_bytes(value)?;
                if !r.is_empty() {
                    return Err(DecodeError::TrailingData);
                }
                return Ok(Parts {
                    location: Cow::Borrowed(location.unwrap_or_default()),
                    identifier: Cow::Borrowed(id),
                    caveats,
                    signature,
                });
            }
            (b"location", _, _) if location.is_none() => return Err(DecodeError::UnexpectedField),
            (b"vid", Some(_), Some(c)) if c.vid.is_empty() => {
                return Err(DecodeError::UnexpectedField);
            }
            (b"location" | b"identifier" | b"vid" | b"cl", Some(_), Some(_)) => {
                return Err(DecodeError::DuplicateField);
            }
            (b"location" | b"identifier", _, _) => return Err(DecodeError::DuplicateField),
            (b"cid" | b"signature", None, _) => return Err(DecodeError::MissingField),
            _ => return Err(DecodeError::UnexpectedField),
        }
    }
}

/// Reads one packet and splits it into key and value.
fn packet<'a>(r: &mut Reader<'a>) -> Result<(&'a [u8], &'a [u8]), DecodeError> {
    let header = r.take(HEADER_LEN).ok_or(DecodeError::Truncated)?;
    let mut len: usize = 0;
    for &digit in header {
        let nibble = match digit {
            b'0'..=b'9' => digit.wrapping_sub(b'0'),
            b'a'..=b'f' => digit.wrapping_sub(b'a').wrapping_add(10),
            _ => return Err(DecodeError::MalformedPacket),
        };
        len = (len << 4) | usize::from(nibble);
    }
    let body_len = len
        .checked_sub(HEADER_LEN)
        .ok_or(DecodeError::MalformedPacket)?;
    let body = r.take(body_len).ok_or(DecodeError::Truncated)?;
    let (&last, line) = body.split_last().ok_or(DecodeError::MalformedPacket)?;
    if last != b'\n' {
        return Err(DecodeError::MalformedPacket);
    }
    let space = line
        .iter()
        .position(|&b| b == b' ')
        .ok_or(DecodeError::MalformedPacket)?;
    let (key, rest) = line.split_at(space);
    let value = rest.get(1..).ok_or(DecodeError::MalformedPacket)?;
    Ok((key, value))
}

/// Exact length of the V1 encoding.
///
/// # Errors
/// [`BuildError::FieldTooLong`] when a packet would pass 65535 bytes.
pub(super) fn encoded_len(m: &Macaroon) -> Result<usize, BuildError> {
    let mut total = packet_len(b"location", m.location().len())?;
    let mut add = |key: &[u8], len: usize| -> Result<(), BuildError> {
        total = total
            .checked_add(packet_len(key, len)?)
            .ok_or(BuildError::FieldTooLong)?;
        Ok(())
    };
    add(b"identifier", m.identifier().len())?;
    for c in m.caveats() {
        add(b"cid", c.id().len())?;
        if let Some(vid) = c.verification_id() {
            add(b"vid", vid.len())?;
        }
        if !c.location().is_empty() {
            add(b"cl", c.location().len())?;
        }
    }
    add(b"signature", 32)?;
    Ok(total)
}

/// Writes the V1 packets; [`encoded_len`] must have succeeded first.
pub(super) fn write(m: &Macaroon, out: &mut Vec<u8>) {
    put(out, b"location", m.location().as_bytes());
    put(out, b"identifier", m.identifier());
    for c in m.caveats() {
        put(out, b"cid", c.id());
        if let Some(vid) = c.verification_id() {
            put(out, b"vid", vid);
        }
        if !c.location().is_empty() {
            put(out, b"cl", c.location().as_bytes());
        }
    }
    put(out, b"signature", m.signature().as_bytes());
}

fn packet_len(key: &[u8], value_len: usize) -> Result<usize, BuildError> {
    HEADER_LEN
        .checked_add(key.len())
        .and_then(|n| n.checked_add(value_len))
        .and_then(|n| n.checked_add(2))
        .filter(|&n| n <= MAX_PACKET_LEN)
        .ok_or(BuildError::FieldTooLong)
}

fn put(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    // `encoded_len` has checked that the packet fits four hex digits.
    let len = packet_len(key, value.len()).unwrap_or(MAX_PACKET_LEN);
    let hex = |shift: usize| HEX.get((len >> shift) & 0xf).copied().unwrap_or(b'0');
    out.extend_from_slice(&[hex(12), hex(8), hex(4), hex(0)]);
    out.extend_from_slice(key);
    out.push(b' ');
    out.extend_from_slice(value);
    out.push(b'\n');
}

const HEADER_LEN: usize = 4;
const MAX_PACKET_LEN: usize = 0xffff;
const HEX: &[u8; 16] = b"0123456789abcdef";
