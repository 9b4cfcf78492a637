//! Malformed-input tables: one test per failure kind and format, each asserting the exact
//! [`DecodeError`] variant; plus exactness checks of the writers.

#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{Format, Limits};
use crate::error::DecodeError;
use crate::{Macaroon, RootKey};

const SIG: [u8; 32] = [7; 32];

/// V1 packet with a correct header.
fn pkt(key: &str, value: &[u8]) -> Vec<u8> {
    let mut out = format!("{:04x}{key} ", 4 + key.len() + 1 + value.len() + 1).into_bytes();
    out.extend_from_slice(value);
    out.push(b'\n');
    out
}

fn v1(packets: &[Vec<u8>]) -> String {
    URL_SAFE_NO_PAD.encode(packets.concat())
}

fn v1_ok_prefix() -> Vec<Vec<u8>> {
    vec![pkt("location", b"loc"), pkt("identifier", b"id")]
}

fn v1_with(extra: &[Vec<u8>]) -> String {
    let mut all = v1_ok_prefix();
    all.extend_from_slice(extra);
    v1(&all)
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// V2 field.
fn f(kind: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![kind, u8::try_from(value.len()).unwrap()];
    out.extend_from_slice(value);
    out
}

fn v2(parts: &[&[u8]]) -> String {
    b64(&parts.concat())
}

const V2_HEAD: &[u8] = b"\x02\x02\x02id\x00";

fn sig_field() -> Vec<u8> {
    f(6, &SIG)
}

fn small(max_field_len: usize, max_caveats: usize, max_encoded_len: usize) -> Limits {
    Limits {
        max_field_len,
        max_caveats,
        max_encoded_len,
        ..Limits::default()
    }
}

macro_rules! rejects {
    ($name:ident, $input:expr, $err:expr) => {
        #[test]
        fn $name() {
            assert_eq!(Macaroon::decode($input).map(|_| ()), Err($err));
        }
    };
    ($name:ident, $input:expr, $limits:expr, $err:expr) => {
        #[test]
        fn $name() {
            let got = Macaroon::decode_with($input, &$limits).map(|_| ());
            assert_eq!(got, Err($err));
        }
    };
}

// Any format.
rejects!(empty_input, "", DecodeError::Empty);
rejects!(whitespace_only, " \n\t ", DecodeError::Empty);
rejects!(
    over_encoded_limit,
    "MDAx".repeat(10),
    small(65535, 10, 16),
    DecodeError::TooLong
);
rejects!(base64_stray_character, "MDAx*", DecodeError::InvalidBase64);
rejects!(
    base64_impossible_length,
    "MDAxM",
    DecodeError::InvalidBase64
);
rejects!(
    base64_data_after_padding,
    "MDAx=MDAx",
    DecodeError::InvalidBase64
);
rejects!(
    unknown_first_byte,
    b64(b"\x03abc"),
    DecodeError::UnknownVersion
);
rejects!(
    uppercase_first_byte_is_not_v1,
    b64(b"A015location"),
    DecodeError::UnknownVersion
);

// V1.
rejects!(
    v1_uppercase_hex_header,
    v1(&[b"001Alocation onezone123\n".to_vec()]),
    DecodeError::MalformedPacket
);
rejects!(
    v1_non_hex_header,
    v1(&[b"00zzlocation x\n".to_vec()]),
    DecodeError::MalformedPacket
);
rejects!(
    v1_header_shorter_than_itself,
    v1(&[b"0003".to_vec()]),
    DecodeError::MalformedPacket
);
rejects!(
    v1_packet_without_space,
    v1(&[b"000alocat\n".to_vec()]),
    DecodeError::MalformedPacket
);
rejects!(
    v1_packet_without_newline,
    v1(&[b"000clocation!".to_vec()]),
    DecodeError::MalformedPacket
);
rejects!(
    v1_empty_packet_body,
    v1(&[b"0004".to_vec()]),
    DecodeError::MalformedPacket
);
rejects!(v1_header_cut, b64(b"00"), DecodeError::Truncated);
rejects!(
    v1_body_cut,
    v1(&[b"0020location onezone\n".to_vec()]),
    DecodeError::Truncated
);
rejects!(v1_no_signature, v1_with(&[]), DecodeError::MissingField);
rejects!(
    v1_cid_before_identifier,
    v1(&[pkt("location", b""), pkt("cid", b"a")]),
    DecodeError::MissingField
);
rejects!(
    v1_signature_before_identifier,
    v1(&[pkt("signature", &SIG)]),
    DecodeError::MissingField
);
rejects!(
    v1_identifier_twice,
    v1_with(&[pkt("identifier", b"x"), pkt("signature", &SIG)]),
    DecodeError::DuplicateField
);
rejects!(
    v1_location_twice,
    v1(&[pkt("location", b""), pkt("location", b"")]),
    DecodeError::DuplicateField
);
rejects!(
    v1_location_after_identifier,
    v1(&[pkt("identifier", b"x"), pkt("location", b"")]),
    DecodeError::UnexpectedField
);
rejects!(
    v1_vid_twice,
    v1_with(&[pkt("cid", b"c"), pkt("vid", b"v"), pkt("vid", b"v")]),
    DecodeError::DuplicateField
);
rejects!(
    v1_cl_twice,
    v1_with(&[pkt("cid", b"c"), pkt("cl", b"l"), pkt("cl", b"l")]),
    DecodeError::DuplicateField
);
rejects!(
    v1_vid_after_cl,
    v1_with(&[pkt("cid", b"c"), pkt("cl", b"l"), pkt("vid", b"v")]),
    DecodeError::UnexpectedField
);
rejects!(
    v1_vid_without_cid,
    v1_with(&[pkt("vid", b"v")]),
    DecodeError::UnexpectedField
);
rejects!(
    v1_unknown_key,
    v1_with(&[pkt("nonce", b"x")]),
    DecodeError::UnexpectedField
);
rejects!(
    v1_short_signature,
    v1_with(&[pkt("signature", &[1; 31])]),
    DecodeError::BadSignatureLength
);
rejects!(
    v1_long_signature,
    v1_with(&[pkt("signature", &[1; 33])]),
    DecodeError::BadSignatureLength
);
rejects!(
    v1_trailing_data,
    v1_with(&[pkt("signature", &SIG), b"x".to_vec()]),
    DecodeError::TrailingData
);
rejects!(
    v1_field_over_limit,
    v1_with(&[pkt("cid", &[b'a'; 9]), pkt("signature", &SIG)]),
    small(8, 10, 1 << 20),
    DecodeError::FieldTooLong
);
rejects!(
    v1_too_many_caveats,
    v1_with(&[pkt("cid", b"a"), pkt("cid", b"b"), pkt("signature", &SIG)]),
    small(99, 1, 1 << 20),
    DecodeError::TooManyCaveats
);
rejects!(
    v1_location_not_utf8,
    v1(&[
        pkt("location", b"\xff"),
        pkt("identifier", b"x"),
        pkt("signature", &SIG)
    ]),
    DecodeError::InvalidUtf8
);

// V2.
rejects!(v2_version_only, b64(b"\x02"), DecodeError::Truncated);
rejects!(v2_field_cut, b64(b"\x02\x02\x09id"), DecodeError::Truncated);
rejects!(
    v2_no_signature,
    v2(&[V2_HEAD, b"\x00"]),
    DecodeError::Truncated
);
rejects!(
    v2_eos_instead_of_signature,
    v2(&[V2_HEAD, b"\x00\x00"]),
    DecodeError::MissingField
);
rejects!(
    v2_overlong_varint,
    v2(&[b"\x02", &[0x80; 11]]),
    DecodeError::BadVarint
);
rejects!(
    v2_varint_overflow,
    v2(&[b"\x02\x02", &[0xff; 9], b"\x7f"]),
    DecodeError::BadVarint
);
rejects!(
    v2_huge_type,
    v2(&[b"\x02\x80\x02\x01x"]),
    DecodeError::UnexpectedField
);
rejects!(
    v2_unknown_type,
    v2(&[b"\x02", &f(3, b"x")]),
    DecodeError::UnexpectedField
);
rejects!(
    v2_vid_in_header,
    v2(&[b"\x02", &f(2, b"id"), &f(4, b"v"), b"\x00"]),
    DecodeError::UnexpectedField
);
rejects!(
    v2_fields_out_of_order,
    v2(&[b"\x02", &f(2, b"id"), &f(1, b"l"), b"\x00"]),
    DecodeError::UnexpectedField
);
rejects!(
    v2_identifier_twice,
    v2(&[b"\x02", &f(2, b"id"), &f(2, b"id"), b"\x00"]),
    DecodeError::DuplicateField
);
rejects!(
    v2_header_without_identifier,
    v2(&[b"\x02", &f(1, b"l"), b"\x00\x00", &sig_field()]),
    DecodeError::MissingField
);
rejects!(
    v2_caveat_without_identifier,
    v2(&[V2_HEAD, &f(1, b"l"), b"\x00\x00", &sig_field()]),
    DecodeError::MissingField
);
rejects!(
    v2_wrong_final_field,
    v2(&[V2_HEAD, b"\x00", &f(2, &SIG)]),
    DecodeError::UnexpectedField
);
rejects!(
    v2_short_signature,
    v2(&[V2_HEAD, b"\x00", &f(6, &[1; 31])]),
    DecodeError::BadSignatureLength
);
rejects!(
    v2_trailing_data,
    v2(&[V2_HEAD, b"\x00", &sig_field(), b"\x00"]),
    DecodeError::TrailingData
);
rejects!(
    v2_declared_length_over_limit,
    v2(&[b"\x02\x02\x80\x80\x04"]),
    DecodeError::FieldTooLong
);
rejects!(
    v2_field_over_limit,
    v2(&[V2_HEAD, &f(2, &[b'a'; 9]), b"\x00\x00", &sig_field()]),
    small(8, 10, 1 << 20),
    DecodeError::FieldTooLong
);
rejects!(
    v2_too_many_caveats,
    v2(&[
        V2_HEAD,
        &f(2, b"a"),
        b"\x00",
        &f(2, b"b"),
        b"\x00\x00",
        &sig_field()
    ]),
    small(99, 1, 1 << 20),
    DecodeError::TooManyCaveats
);
rejects!(
    v2_location_not_utf8,
    v2(&[
        b"\x02",
        &f(1, b"\xfe"),
        &f(2, b"id"),
        b"\x00\x00",
        &sig_field()
    ]),
    DecodeError::InvalidUtf8
);
rejects!(
    v2_raw_bytes_truncated,
    b"\x02\x02\x02id",
    DecodeError::Truncated
);

// JSON.
const S64: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";
rejects!(json_not_json, "{", DecodeError::InvalidJson);
rejects!(
    json_wrong_member_type,
    format!(r#"{{"i":5,"s64":"{S64}"}}"#),
    DecodeError::InvalidJson
);
rejects!(
    json_caveats_not_array,
    format!(r#"{{"i":"x","c":5,"s64":"{S64}"}}"#),
    DecodeError::InvalidJson
);
rejects!(
    json_caveat_not_object,
    format!(r#"{{"i":"x","c":[5],"s64":"{S64}"}}"#),
    DecodeError::InvalidJson
);
rejects!(
    json_unknown_member,
    format!(r#"{{"i":"x","s64":"{S64}","x":1}}"#),
    DecodeError::UnexpectedField
);
rejects!(
    json_unknown_caveat_member,
    format!(r#"{{"i":"x","c":[{{"i":"a","q":1}}],"s64":"{S64}"}}"#),
    DecodeError::UnexpectedField
);
rejects!(
    json_mixes_v1_and_v2,
    format!(r#"{{"i":"x","identifier":"x","s64":"{S64}"}}"#),
    DecodeError::UnexpectedField
);
rejects!(json_no_known_member, "{}", DecodeError::MissingField);
rejects!(
    json_both_text_and_base64,
    format!(r#"{{"i":"x","i64":"eA","s64":"{S64}"}}"#),
    DecodeError::DuplicateField
);
rejects!(
    json_missing_identifier,
    format!(r#"{{"l":"x","s64":"{S64}"}}"#),
    DecodeError::MissingField
);
rejects!(
    json_missing_signature,
    r#"{"i":"x"}"#,
    DecodeError::MissingField
);
rejects!(
    json_caveat_missing_identifier,
    format!(r#"{{"i":"x","c":[{{"l":"a"}}],"s64":"{S64}"}}"#),
    DecodeError::MissingField
);
rejects!(
    json_short_signature,
    r#"{"i":"x","s64":"BwcH"}"#,
    DecodeError::BadSignatureLength
);
rejects!(
    json_signature_array_short,
    r#"{"i":"x","s":[1,2,3]}"#,
    DecodeError::BadSignatureLength
);
rejects!(
    json_signature_array_not_bytes,
    format!(r#"{{"i":"x","s":[{}]}}"#, ["300"; 32].join(",")),
    DecodeError::InvalidJson
);
rejects!(
    json_bad_base64,
    r#"{"i64":"*","s64":"x"}"#,
    DecodeError::InvalidBase64
);
rejects!(
    json_version_three,
    format!(r#"{{"v":3,"i":"x","s64":"{S64}"}}"#),
    DecodeError::UnknownVersion
);
rejects!(
    json_too_many_caveats,
    format!(r#"{{"i":"x","c":[{{"i":"a"}},{{"i":"b"}}],"s64":"{S64}"}}"#),
    small(99, 1, 1 << 20),
    DecodeError::TooManyCaveats
);
rejects!(
    json_field_over_limit,
    format!(r#"{{"i":"xxxxxxxxx","s64":"{S64}"}}"#),
    small(8, 10, 1 << 20),
    DecodeError::FieldTooLong
);
rejects!(
    json_v1_short_hex_signature,
    r#"{"identifier":"x","signature":"0707"}"#,
    DecodeError::BadSignatureLength
);
rejects!(
    json_v1_non_hex_signature,
    format!(r#"{{"identifier":"x","signature":"{}"}}"#, "zz".repeat(32)),
    DecodeError::InvalidJson
);
rejects!(
    json_v1_missing_identifier,
    format!(r#"{{"signature":"{}"}}"#, "07".repeat(32)),
    DecodeError::MissingField
);
rejects!(
    json_deep_nesting,
    format!("{{\"i\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000)),
    DecodeError::InvalidJson
);

fn sample() -> Macaroon {
    let key = RootKey::new(b"k");
    let mut m = Macaroon::mint(&key, "loc", b"id").unwrap();
    m.add_first_party("a = 1").unwrap();
    m.add_third_party("https://tp", &RootKey::new(b"t"), b"tp id")
        .unwrap();
    m.add_first_party([0xff, 0x00, b'"', b'/']).unwrap();
    m
}

#[test]
fn format_and_armour_names_round_trip() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>(), Ok(format));
        assert_eq!(format.to_string(), format.name());
    }
    assert_eq!("v2json".parse::<Format>(), Ok(Format::V2Json));
    assert_eq!("v3".parse::<Format>(), Err(super::UnknownName));
    for armour in [super::Armour::None, super::Armour::Base62] {
        assert_eq!(armour.name().parse::<super::Armour>(), Ok(armour));
    }
}

#[test]
fn writers_predict_their_exact_length() {
    for m in [
        sample(),
        Macaroon::mint(&RootKey::new(b"k"), "", b"").unwrap(),
    ] {
        for format in [Format::V1, Format::V2] {
            let bytes = m.encode_binary(format).unwrap();
            let predicted = match format {
                Format::V1 => super::v1::encoded_len(&m).unwrap(),
                _ => super::v2::encoded_len(&m),
            };
            assert_eq!(bytes.len(), predicted, "{format:?}");
        }
    }
}

#[test]
fn every_format_round_trips_binary_fields() {
    let m = sample();
    for format in [Format::V1, Format::V2, Format::V2Json] {
        let text = m.encode(format).unwrap();
        let decoded = Macaroon::decode_with(&text, &Limits::default()).unwrap();
        assert_eq!(decoded.format, format);
        assert_eq!(decoded.macaroon, m, "{format:?}");
        if format == Format::V2Json {
            assert_eq!(
                m.encode_base62(format),
                Err(crate::BuildError::NotRepresentable)
            );
            continue;
        }
        let armoured = m.encode_base62(format).unwrap();
        let decoded = Macaroon::decode_with(&armoured, &Limits::default()).unwrap();
        assert_eq!(decoded.macaroon, m, "{format:?} base62");
    }
    for format in [Format::V1, Format::V2] {
        let bytes = m.encode_binary(format).unwrap();
        assert_eq!(
            Macaroon::decode_binary(&bytes, &Limits::default())
                .unwrap()
                .macaroon,
            m
        );
    }
}

#[test]
fn v1_json_refuses_binary_identifiers() {
    assert_eq!(
        sample().encode(Format::V1Json),
        Err(crate::BuildError::NotRepresentable)
    );
}

#[test]
fn v1_packet_over_65535_bytes_is_refused() {
    let mut m = Macaroon::mint(&RootKey::new(b"k"), "", b"id").unwrap();
    m.add_first_party(vec![b'a'; 65530]).unwrap();
    assert_eq!(m.encode(Format::V1), Err(crate::BuildError::FieldTooLong));
    assert!(m.encode(Format::V2).is_ok());
}

#[test]
fn base62_detected_and_plain_fallback() {
    let m = sample();
    let plain = m.encode(Format::V1).unwrap();
    let armoured = m.encode_base62(Format::V1).unwrap();
    assert_ne!(plain, armoured);
    let d = Macaroon::decode_with(&armoured, &Limits::default()).unwrap();
    assert_eq!(d.armour, super::Armour::Base62);
    let d = Macaroon::decode_with(&plain, &Limits::default()).unwrap();
    assert_eq!(d.armour, super::Armour::None);
}

#[test]
fn json_readers_accept_peer_variants() {
    let m = Macaroon::mint(&RootKey::new(b"k"), "loc", b"id").unwrap();
    let s64 = URL_SAFE_NO_PAD.encode(m.signature().as_bytes());
    let std_padded = base64::engine::general_purpose::STANDARD.encode(m.signature().as_bytes());
    let numbers: Vec<String> = m.signature().as_bytes().iter().map(u8::to_string).collect();
    let variants = [
        // Go and pymacaroons: no "v", no "c".
        format!(r#"{{"l":"loc","i":"id","s64":"{s64}"}}"#),
        // pymacaroons' separators.
        format!(r#"{{"i": "id", "s64": "{s64}", "l": "loc"}}"#),
        // Rust 0.3: nulls, x64 members, standard padded base64, "c" always present.
        format!(
            r#"{{"v":2,"i":null,"i64":"aWQ=","l":"loc","l64":null,"c":[],"s":null,"s64":"{std_padded}"}}"#
        ),
        // Signature as an array of numbers.
        format!(
            r#"{{"v":2,"i":"id","l":"loc","c":[],"s":[{}]}}"#,
            numbers.join(",")
        ),
        // Location given base64.
        format!(r#"{{"v":2,"i":"id","l64":"bG9j","s64":"{s64}"}}"#),
    ];
    for text in variants {
        assert_eq!(Macaroon::decode(&text).unwrap(), m, "{text}");
    }
}

/// Found by construction while fuzzing: this text is both a plain V2 token and valid base62
/// armour of another V2 token. Detection reads it plain, as written; the armoured reading is
/// there for callers who know the token is armoured.
const AMBIGUOUS: &str = "AgIG00000000AAIAAAAGIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

#[test]
fn ambiguous_text_reads_plain_by_detection_and_armoured_on_request() {
    let detected = Macaroon::decode_with(AMBIGUOUS, &Limits::default()).unwrap();
    assert_eq!(detected.armour, super::Armour::None);
    assert_eq!(
        detected.macaroon.identifier(),
        [0xd3, 0x4d, 0x34, 0xd3, 0x4d, 0x34]
    );
    assert_eq!(detected.macaroon.caveats().len(), 1);
    assert_eq!(detected.macaroon.encode(Format::V2).unwrap(), AMBIGUOUS);
    let armoured =
        Macaroon::decode_armoured(AMBIGUOUS, super::Armour::Base62, &Limits::default()).unwrap();
    assert_eq!(
        armoured.macaroon.identifier(),
        [0xd3, 0x4d, 0x34, 0, 0x02, 0]
    );
    assert!(armoured.macaroon.caveats().is_empty());
}

#[test]
fn explicit_armour_on_plain_text() {
    let got = Macaroon::decode_armoured("MDAx-_", super::Armour::Base62, &Limits::default());
    assert_eq!(got.map(|_| ()), Err(DecodeError::InvalidBase62));
}
