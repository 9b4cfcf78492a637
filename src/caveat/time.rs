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

    /// The expiry in UTC as ISO 8601, `2017-05-30T10:29:04Z`: how Onezone words an expired
    /// token.
    pub fn valid_until_iso8601(&self) -> String {
        iso8601(self.valid_until)
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

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch (proleptic Gregorian, UTC).
pub(crate) fn iso8601(unix: u64) -> String {
    let (days, secs) = (unix / 86_400, unix % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Year, month and day of the `days`-th day after 1970-01-01 (H. Hinnant's
/// `civil_from_days`: count from 0000-03-01 so each leap day ends its year, in 400-year eras).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_matches_known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_496_140_144), "2017-05-30T10:29:04Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(iso8601(253_402_300_799), "9999-12-31T23:59:59Z");
    }
}
