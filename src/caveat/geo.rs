//! `geo.country` and `geo.region`: the peer's country or regions, as a whitelist (`=`) or a
//! blacklist (`!=`).

use core::fmt;

use serde_json::{Map, Value};

use super::{ParseCaveatError, json_list, non_empty, parse_list, write_list};

/// Whether a geo list names what is allowed or what is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListFilter {
    /// `=`: some entry must match.
    Whitelist,
    /// `!=`: no entry may match.
    Blacklist,
}

impl ListFilter {
    /// The text operator: `=` or `!=`.
    pub fn operator(self) -> &'static str {
        match self {
            Self::Whitelist => "=",
            Self::Blacklist => "!=",
        }
    }

    /// Applies the filter to "does any entry match".
    pub fn admits(self, any_match: bool) -> bool {
        match self {
            Self::Whitelist => any_match,
            Self::Blacklist => !any_match,
        }
    }

    fn from_operator(op: &str) -> Result<Self, ParseCaveatError> {
        match op {
            "=" => Ok(Self::Whitelist),
            "!=" => Ok(Self::Blacklist),
            _ => Err(ParseCaveatError::Malformed),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Whitelist => "whitelist",
            Self::Blacklist => "blacklist",
        }
    }

    fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        match object.get("filter").and_then(Value::as_str) {
            Some("whitelist") => Ok(Self::Whitelist),
            Some("blacklist") => Ok(Self::Blacklist),
            _ => Err(ParseCaveatError::Malformed),
        }
    }
}

/// An ISO 3166 two-letter country code, upper case (`PL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Parses a two-letter upper-case code.
    pub fn new(code: &str) -> Option<Self> {
        match code.as_bytes() {
            &[a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Some(Self([a, b])),
            _ => None,
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Two ASCII upper-case letters, checked in `new`.
        core::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A region as Onezone's GeoLite lookup names it. A peer may be in two (Europe and EU).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// `Africa`
    Africa,
    /// `Antarctica`
    Antarctica,
    /// `Asia`
    Asia,
    /// `Europe`
    Europe,
    /// `EU` (the European Union)
    Eu,
    /// `NorthAmerica`
    NorthAmerica,
    /// `Oceania`
    Oceania,
    /// `SouthAmerica`
    SouthAmerica,
}

impl Region {
    const ALL: [Self; 8] = [
        Self::Africa,
        Self::Antarctica,
        Self::Asia,
        Self::Europe,
        Self::Eu,
        Self::NorthAmerica,
        Self::Oceania,
        Self::SouthAmerica,
    ];

    /// The name as written in caveats.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Africa => "Africa",
            Self::Antarctica => "Antarctica",
            Self::Asia => "Asia",
            Self::Europe => "Europe",
            Self::Eu => "EU",
            Self::NorthAmerica => "NorthAmerica",
            Self::Oceania => "Oceania",
            Self::SouthAmerica => "SouthAmerica",
        }
    }

    /// Parses a region name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `geo.country = PL|DE` (whitelist) or `geo.country != PL|DE` (blacklist).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GeoCountry {
    filter: ListFilter,
    list: Vec<Country>,
}

/// `geo.region = Europe|EU` (whitelist) or `geo.region != Asia` (blacklist).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GeoRegion {
    filter: ListFilter,
    list: Vec<Region>,
}

/// The shared shape of the two geo caveats.
macro_rules! geo_caveat {
    ($ty:ident, $entry:ty, $parse:expr) => {
        impl $ty {
            /// A geo caveat over a non-empty list.
            ///
            /// # Errors
            /// [`ParseCaveatError::EmptyList`] when `list` is empty.
            pub fn new(filter: ListFilter, list: Vec<$entry>) -> Result<Self, ParseCaveatError> {
                non_empty(list).map(|list| Self { filter, list })
            }

            /// Whitelist or blacklist.
            pub fn filter(&self) -> ListFilter {
                self.filter
            }

            /// The listed entries.
            pub fn list(&self) -> &[$entry] {
                &self.list
            }

            pub(super) fn parse(op: &str, text: &str) -> Result<Self, ParseCaveatError> {
                let filter = ListFilter::from_operator(op)?;
                parse_list(text, $parse).map(|list| Self { filter, list })
            }

            pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
                object.insert("filter".into(), Value::from(self.filter.name()));
                let list = self.list.iter().map(|e| Value::from(e.to_string()));
                object.insert("list".into(), list.collect());
            }

            pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
                let filter = ListFilter::read_json(object)?;
                let list = json_list(object, "list", |v| v.as_str().and_then($parse))?;
                Ok(Self { filter, list })
            }
        }

        impl fmt::Display for $ty {
            /// The list part only; the operator belongs to [`super::TypedCaveat`]'s text.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_list(f, &self.list, |f, e| write!(f, "{e}"))
            }
        }
    };
}

geo_caveat!(GeoCountry, Country, Country::new);
geo_caveat!(GeoRegion, Region, Region::from_name);
