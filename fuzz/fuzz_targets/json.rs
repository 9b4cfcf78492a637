//! Bytes as JSON text through the decoder. Whatever decodes must round-trip through every
//! format, and must decode the same when its JSON is re-serialized compactly or pretty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mintage::format::Armour;
use mintage::{Format, Limits, Macaroon};

mod common;

fuzz_target!(|data: &[u8]| {
    let text = data.trim_ascii();
    if text.first() != Some(&b'{') {
        return; // Not JSON text; the `decode` target covers the other formats.
    }
    let limits = Limits::default();
    let Ok(decoded) = Macaroon::decode_with(data, &limits) else {
        return;
    };
    assert!(
        matches!(decoded.format, Format::V1Json | Format::V2Json),
        "JSON text detected as {:?}",
        decoded.format
    );
    assert_eq!(decoded.armour, Armour::None);
    common::round_trip(&decoded.macaroon);

    // Layout, member order and escapes must not matter: the same JSON value re-serialized
    // decodes to the same macaroon in the same format.
    let value: serde_json::Value =
        serde_json::from_slice(text).expect("mintage accepted JSON that serde_json rejects");
    for again in [
        serde_json::to_vec(&value).expect("serialize"),
        serde_json::to_vec_pretty(&value).expect("serialize"),
    ] {
        if again.len() > limits.max_encoded_len {
            continue;
        }
        let redecoded = Macaroon::decode_with(&again, &limits).unwrap_or_else(|e| {
            panic!(
                "re-serialized JSON does not decode: {e:?}\n{}",
                String::from_utf8_lossy(&again)
            )
        });
        assert!(
            redecoded.macaroon == decoded.macaroon,
            "re-serialized JSON decodes differently\nfirst:\n{}\nagain:\n{}",
            common::describe(&decoded.macaroon),
            common::describe(&redecoded.macaroon)
        );
        assert_eq!(redecoded.format, decoded.format);
    }
});
