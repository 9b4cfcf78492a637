//! `time < N`: the token is valid until N seconds since the Unix epoch, exclusive.

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::ParseCaveatError;

/// Valid until `valid_until` seconds since the epoch (the caveat passes while now < it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Time {
    valid_until: u64,
}

impl Time {
    /// A time caveat expiring at `valid_until` (seconds since the epoch).
    pub fn new(valid_until: u64) -> Self {
        Self { valid_until }
    }

    /// The expiry, in seconds since the epoch.
    pub fn valid_until(&self) -> u64 {
        self.valid_until
    }

    /// True while `now` (seconds since the epoch) is before the expiry.
    pub fn holds_at(&self, now: u64) -> bool {
        now < self.valid_until
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        object.insert("validUntil".into(), Value::from(self.valid_until));
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let valid_until = object
            .get("validUntil")
            .and_then(Value::as_u64)
            .ok_or(ParseCaveatError::Malformed)?;
        Ok(Self { valid_until })
    }
}

impl FromStr for Time {
    type Err = ParseCaveatError;

    /// Parses the number after `time < `: decimal digits only, no sign or leading zeros.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_decimal(text)
            .map(Self::new)
            .ok_or(ParseCaveatError::Malformed)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.valid_until)
    }
}

/// A canonical unsigned decimal: digits only, no leading zero unless the number is 0. Keeps the
/// text form byte-exact on a round trip.
pub(crate) fn parse_decimal<T: FromStr>(text: &str) -> Option<T> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}
