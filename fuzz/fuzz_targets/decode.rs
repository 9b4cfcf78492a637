//! Any bytes through the general decoder and the raw binary decoder; whatever decodes must
//! round-trip through every format (see `common.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mintage::{Limits, Macaroon};

mod common;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let decoded = Macaroon::decode_with(data, &limits);
    assert!(
        Macaroon::decode(data).ok() == decoded.as_ref().ok().map(|d| d.macaroon.clone()),
        "decode and decode_with disagree"
    );
    if let Ok(decoded) = decoded {
        common::round_trip(&decoded.macaroon);
    }
    if let Ok(decoded) = Macaroon::decode_binary(data, &limits) {
        common::round_trip(&decoded.macaroon);
    }
});
