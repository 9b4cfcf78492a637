//! Round-trip checks shared by the `decode` and `json` targets.
//!
//! A decoded macaroon must re-encode in every format (or fail with the one error that format
//! documents for it), and each encoding must decode back to an equal macaroon in the same
//! format and armour.

#![allow(dead_code)]

use std::fmt::Write as _;

use mintage::format::{Armour, base62_armour};
use mintage::{BuildError, DecodeError, Format, Limits, Macaroon};

/// Every format `Macaroon::encode` writes.
pub const FORMATS: [Format; 4] = [Format::V1, Format::V2, Format::V2Json, Format::V1Json];

/// Longest V1 packet: four hex digits of length cover the whole packet.
const V1_MAX_PACKET: usize = 0xffff;

/// Full description of a macaroon (the library's `Debug` hides the signature and caveat
/// details on purpose; a fuzz report needs them).
pub fn describe(m: &Macaroon) -> String {
    let mut out = format!(
        "location={:?} identifier={} signature={}",
        m.location(),
        hex(m.identifier()),
        hex(m.signature().as_bytes())
    );
    for (n, c) in m.caveats().iter().enumerate() {
        let _ = write!(
            out,
            "\n  caveat {n}: id={} vid={} location={:?}",
            hex(c.id()),
            c.verification_id().map_or_else(|| "-".to_owned(), hex),
            c.location()
        );
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// True when every V1 packet (`HHHH key SP value LF`) fits the four-digit length.
fn v1_fits(m: &Macaroon) -> bool {
    // Four hex digits, the key, a space, the value and a newline.
    let fits = |key: &str, len: usize| key.len() + len + 6 <= V1_MAX_PACKET;
    fits("location", m.location().len())
        && fits("identifier", m.identifier().len())
        && m.caveats().iter().all(|c| {
            fits("cid", c.id().len())
                && c.verification_id().is_none_or(|v| fits("vid", v.len()))
                && fits("cl", c.location().len())
        })
}

/// True when the identifier and every caveat id are UTF-8 (V1 JSON has no binary form).
fn v1_json_fits(m: &Macaroon) -> bool {
    std::str::from_utf8(m.identifier()).is_ok()
        && m.caveats()
            .iter()
            .all(|c| std::str::from_utf8(c.id()).is_ok())
}

/// Checks an encode result: `Ok` exactly when the format can carry `m`, otherwise only the
/// documented error. Returns the encoding when there is one.
fn expect_encoding<T>(
    m: &Macaroon,
    format: Format,
    what: &str,
    result: Result<T, BuildError>,
) -> Option<T> {
    let representable = match format {
        Format::V1 => v1_fits(m),
        Format::V1Json => v1_json_fits(m),
        _ => true,
    };
    match result {
        Ok(encoded) if representable => Some(encoded),
        Ok(_) => panic!(
            "{what} {format:?} succeeded for an unrepresentable macaroon:\n{}",
            describe(m)
        ),
        Err(BuildError::FieldTooLong) if format == Format::V1 && !representable => None,
        Err(BuildError::NotRepresentable) if format == Format::V1Json && !representable => None,
        Err(e) => panic!("{what} {format:?} failed with {e:?}:\n{}", describe(m)),
    }
}

/// Decodes `bytes` with `decode_with` and requires `m`, `format` and `armour` back.
fn expect_decodes_to(bytes: &[u8], m: &Macaroon, format: Format, armour: Armour, what: &str) {
    let limits = Limits::default();
    let result = Macaroon::decode_with(bytes, &limits);
    if bytes.len() > limits.max_encoded_len {
        // Re-encoding can grow a token (base64, escapes) past the decode limit.
        assert_eq!(
            result.err(),
            Some(DecodeError::TooLong),
            "{what}: oversized token"
        );
        return;
    }
    let decoded = match result {
        Ok(decoded) => decoded,
        Err(e) => panic!(
            "{what}: own encoding does not decode: {e:?}\nmacaroon:\n{}\nencoding: {:?}",
            describe(m),
            String::from_utf8_lossy(bytes)
        ),
    };
    assert!(
        decoded.macaroon == *m,
        "{what}: decodes to a different macaroon\nfirst:\n{}\nagain:\n{}\nencoding: {:?}",
        describe(m),
        describe(&decoded.macaroon),
        String::from_utf8_lossy(bytes)
    );
    assert_eq!(decoded.format, format, "{what}: detected format");
    assert_eq!(decoded.armour, armour, "{what}: detected armour");
}

/// Re-encodes `m` in every format, every armour and raw binary, and decodes each again.
pub fn round_trip(m: &Macaroon) {
    let limits = Limits::default();
    for format in FORMATS {
        let Some(text) = expect_encoding(m, format, "encode", m.encode(format)) else {
            // Then the other encoders must refuse it too.
            assert!(
                m.encode_base62(format).is_err(),
                "encode_base62 {format:?} disagrees"
            );
            assert!(
                m.encode_binary(format).is_err(),
                "encode_binary {format:?} disagrees"
            );
            continue;
        };
        expect_decodes_to(text.as_bytes(), m, format, Armour::None, "encode");

        let binary = expect_encoding(m, format, "encode_binary", m.encode_binary(format));
        let binary = binary.unwrap_or_else(|| panic!("encode_binary {format:?} refused"));

        match format {
            Format::V1 | Format::V2 => {
                let armoured = m.encode_base62(format).unwrap_or_else(|e| {
                    panic!("encode_base62 {format:?} refused: {e:?}\n{}", describe(m))
                });
                assert_eq!(
                    armoured,
                    base62_armour(&text),
                    "encode_base62 {format:?} is not armour(encode)"
                );
                // Read as armour on request, exactly; detection may legitimately prefer a
                // plain reading of the same text (see format's `AMBIGUOUS` test), but must read
                // something.
                if armoured.len() <= limits.max_encoded_len {
                    let decoded = Macaroon::decode_armoured(&armoured, Armour::Base62, &limits)
                        .unwrap_or_else(|e| {
                            panic!("decode_armoured of encode_base62 {format:?}: {e:?}")
                        });
                    assert!(
                        decoded.macaroon == *m && decoded.format == format,
                        "decode_armoured of encode_base62 {format:?} differs\n{}",
                        describe(m)
                    );
                    assert!(
                        Macaroon::decode_with(&armoured, &limits).is_ok(),
                        "armoured text not detected"
                    );
                }
                let decoded = Macaroon::decode_binary(&binary, &limits).unwrap_or_else(|e| {
                    panic!(
                        "decode_binary of encode_binary {format:?}: {e:?}\n{}",
                        describe(m)
                    )
                });
                assert!(
                    decoded.macaroon == *m,
                    "decode_binary {format:?} differs\n{}",
                    describe(m)
                );
                assert_eq!(decoded.format, format, "decode_binary format");
                if format == Format::V2 {
                    // Raw V2 bytes are also accepted by the general decoder.
                    expect_decodes_to(&binary, m, format, Armour::None, "raw v2");
                }
            }
            _ => {
                assert_eq!(
                    binary,
                    text.as_bytes(),
                    "encode_binary {format:?} is not the JSON text"
                );
                // Onedata's armour is defined over the base64 formats only.
                assert_eq!(
                    m.encode_base62(format).err(),
                    Some(BuildError::NotRepresentable)
                );
            }
        }
    }
}
