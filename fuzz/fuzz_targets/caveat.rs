//! Typed caveat text: any bytes through `TypedCaveat::from_str`. On success the caveat must
//! print to text that parses back to it and prints the same again (the canonical form), and
//! its JSON form must parse back to it too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mintage::caveat::TypedCaveat;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(caveat) = text.parse::<TypedCaveat>() else {
        return;
    };
    let printed = caveat.to_string();
    let again: TypedCaveat = printed
        .parse()
        .unwrap_or_else(|e| panic!("printed form {printed:?} does not parse: {e}"));
    assert_eq!(again, caveat, "text round trip of {printed:?}");
    assert_eq!(again.to_string(), printed, "printing is not canonical");
    let json = caveat.to_json();
    let from_json = TypedCaveat::from_json(&json)
        .unwrap_or_else(|e| panic!("JSON form {json} does not parse: {e}"));
    assert_eq!(from_json, caveat, "JSON round trip of {json}");
});
