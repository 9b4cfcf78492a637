//! Onezone's typed caveat catalogue (spec `onezone-tokens.md` §4): each caveat parses from and
//! prints to the exact text Onezone puts in a macaroon (`time < 1571147494`,
//! `ip = 189.34.15.0/24|167.73.12.17/32`, …), round-trips the JSON form of the Onezone API
//! (`{"type":"ip","whitelist":[…]}`), and evaluates against a request [`Context`].
//!
//! ```
//! use mintage::caveat::{Context, TypedCaveat, TypedVerifier};
//! use mintage::{Macaroon, RootKey};
//!
//! let key = RootKey::new(b"secret");
//! let mut m = Macaroon::mint(&key, "onezone", b"id")?;
//! let time: TypedCaveat = "time < 1700000000".parse()?;
//! mintage::caveat::confine(&mut m, &[time])?;
//!
//! let context = Context::at(1_600_000_000);
//! assert!(TypedVerifier::new().verify(&m, &key, &[], &context).is_ok());
//! let later = Context::at(1_800_000_000);
//! let err = TypedVerifier::new().verify(&m, &key, &[], &later).unwrap_err();
//! assert_eq!(err.to_string(), r#"token caveat unverified: {"type":"time","validUntil":1700000000}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod api;
mod check;
mod context;
mod data;
mod geo;
mod interface;
mod network;
mod party;
mod time;

pub use api::{Api, ApiOperation, ApiSpec, Gri, GriPattern, Operation};
pub use check::{CaveatError, TypedVerifier, confine, ttl};
pub use context::{Clock, Consumer as ConsumerIdentity, Context, Resolver, SystemClock, TokenKind};
pub use data::{DataObjectId, DataPath};
pub use geo::{Country, GeoCountry, GeoRegion, ListFilter, Region};
pub use interface::{Interface, InterfaceKind};
pub use network::{Asn, Ip};
pub use party::{Consumer, ConsumerKind, ConsumerSpec, Service, ServiceKind, ServiceSpec};
pub use time::Time;
pub(crate) use time::iso8601;

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

/// One caveat of Onezone's catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TypedCaveat {
    /// `time < N`: valid until N seconds since the epoch (exclusive).
    Time(Time),
    /// `ip = net|net`: the peer address must be in one of the networks.
    Ip(Ip),
    /// `asn = n|n`: the peer's autonomous system must be listed.
    Asn(Asn),
    /// `geo.country = PL|DE` or `!=`: the peer's country must (not) be listed.
    GeoCountry(GeoCountry),
    /// `geo.region = Europe|EU` or `!=`: the peer's regions must (not) meet the list.
    GeoRegion(GeoRegion),
    /// `consumer = usr-a|grp-b|prv-*`: who may consume the token.
    Consumer(Consumer),
    /// `service = ozw-onezone|opw-*`: which service may accept the token.
    Service(Service),
    /// `interface = rest`: which interface the request must come through.
    Interface(Interface),
    /// `api = ozw/all/user.*.*:*|…`: which operations the token allows.
    Api(Api),
    /// `data.readonly`: data access is read-only.
    DataReadonly,
    /// `data.path = <base64 path>|…`: data access limited to these subtrees.
    DataPath(DataPath),
    /// `data.objectid = <id>|…`: data access limited to these CDMI objects.
    DataObjectId(DataObjectId),
    /// `authorization = none`: legacy identity-token scope.
    AuthorizationNone,
}

/// Why caveat text or JSON does not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseCaveatError {
    /// The text starts with no known caveat prefix (or the JSON has an unknown `type`).
    Unknown,
    /// A known caveat with a malformed body: a bad number, address, code or pattern.
    Malformed,
    /// A list caveat with no entries (Onezone cannot serialize one either).
    EmptyList,
}

impl fmt::Display for ParseCaveatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unknown => "unknown caveat",
            Self::Malformed => "malformed caveat",
            Self::EmptyList => "caveat list is empty",
        })
    }
}

impl core::error::Error for ParseCaveatError {}

impl TypedCaveat {
    /// The JSON form of the Onezone API, e.g. `{"type":"time","validUntil":1571147494}`.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("type".into(), Value::from(self.type_name()));
        match self {
            Self::Time(c) => c.write_json(&mut object),
            Self::Ip(c) => c.write_json(&mut object),
            Self::Asn(c) => c.write_json(&mut object),
            Self::GeoCountry(c) => c.write_json(&mut object),
            Self::GeoRegion(c) => c.write_json(&mut object),
            Self::Consumer(c) => c.write_json(&mut object),
            Self::Service(c) => c.write_json(&mut object),
            Self::Interface(c) => c.write_json(&mut object),
            Self::Api(c) => c.write_json(&mut object),
            Self::DataPath(c) => c.write_json(&mut object),
            Self::DataObjectId(c) => c.write_json(&mut object),
            Self::DataReadonly => {}
            Self::AuthorizationNone => {
                object.insert("scope".into(), Value::from("identityToken"));
            }
        }
        Value::Object(object)
    }

    /// Parses the JSON form.
    ///
    /// # Errors
    /// [`ParseCaveatError::Unknown`] for an unknown `type`, else as the text form.
    pub fn from_json(value: &Value) -> Result<Self, ParseCaveatError> {
        let object = value.as_object().ok_or(ParseCaveatError::Malformed)?;
        // The legacy scope caveat is also written without a type.
        let kind = match object.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            None if object.contains_key("scope") => "scope",
            _ => return Err(ParseCaveatError::Malformed),
        };
        Ok(match kind {
            "time" => Self::Time(Time::read_json(object)?),
            "ip" => Self::Ip(Ip::read_json(object)?),
            "asn" => Self::Asn(Asn::read_json(object)?),
            "geo.country" => Self::GeoCountry(GeoCountry::read_json(object)?),
            "geo.region" => Self::GeoRegion(GeoRegion::read_json(object)?),
            "consumer" => Self::Consumer(Consumer::read_json(object)?),
            "service" => Self::Service(Service::read_json(object)?),
            "interface" => Self::Interface(Interface::read_json(object)?),
            "api" => Self::Api(Api::read_json(object)?),
            "data.readonly" => Self::DataReadonly,
            "data.path" => Self::DataPath(DataPath::read_json(object)?),
            "data.objectid" => Self::DataObjectId(DataObjectId::read_json(object)?),
            "scope" if object.get("scope") == Some(&Value::from("identityToken")) => {
                Self::AuthorizationNone
            }
            _ => return Err(ParseCaveatError::Unknown),
        })
    }

    /// The JSON `type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Time(_) => "time",
            Self::Ip(_) => "ip",
            Self::Asn(_) => "asn",
            Self::GeoCountry(_) => "geo.country",
            Self::GeoRegion(_) => "geo.region",
            Self::Consumer(_) => "consumer",
            Self::Service(_) => "service",
            Self::Interface(_) => "interface",
            Self::Api(_) => "api",
            Self::DataReadonly => "data.readonly",
            Self::DataPath(_) => "data.path",
            Self::DataObjectId(_) => "data.objectid",
            Self::AuthorizationNone => "scope",
        }
    }

    /// True for the data-access caveats (`data.*` and `interface = oneclient`), which pass
    /// only where the context allows data access.
    pub fn is_data_access(&self) -> bool {
        matches!(
            self,
            Self::DataReadonly | Self::DataPath(_) | Self::DataObjectId(_)
        ) || matches!(self, Self::Interface(i) if i.kind() == InterfaceKind::Oneclient)
    }

    /// Whether a token of `kind` may carry this caveat (spec §4.2); any other makes the token
    /// fail verification.
    pub fn supported_by(&self, kind: TokenKind) -> bool {
        match self {
            Self::Time(_)
            | Self::Ip(_)
            | Self::Asn(_)
            | Self::GeoCountry(_)
            | Self::GeoRegion(_)
            | Self::Consumer(_) => true,
            Self::Interface(_) => kind != TokenKind::Invite,
            Self::AuthorizationNone => kind != TokenKind::Invite,
            Self::Service(_)
            | Self::Api(_)
            | Self::DataReadonly
            | Self::DataPath(_)
            | Self::DataObjectId(_) => kind == TokenKind::Access,
        }
    }
}

impl FromStr for TypedCaveat {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == DATA_READONLY {
            return Ok(Self::DataReadonly);
        }
        if text == AUTHORIZATION_NONE {
            return Ok(Self::AuthorizationNone);
        }
        let (kind, body) = text.split_once(' ').ok_or(ParseCaveatError::Unknown)?;
        let (op, value) = body.split_once(' ').ok_or(ParseCaveatError::Unknown)?;
        Ok(match (kind, op) {
            ("time", "<") => Self::Time(value.parse()?),
            ("ip", "=") => Self::Ip(value.parse()?),
            ("asn", "=") => Self::Asn(value.parse()?),
            ("geo.country", "=" | "!=") => Self::GeoCountry(GeoCountry::parse(op, value)?),
            ("geo.region", "=" | "!=") => Self::GeoRegion(GeoRegion::parse(op, value)?),
            ("consumer", "=") => Self::Consumer(value.parse()?),
            ("service", "=") => Self::Service(value.parse()?),
            ("interface", "=") => Self::Interface(value.parse()?),
            ("api", "=") => Self::Api(value.parse()?),
            ("data.path", "=") => Self::DataPath(value.parse()?),
            ("data.objectid", "=") => Self::DataObjectId(value.parse()?),
            _ => return Err(ParseCaveatError::Unknown),
        })
    }
}

impl fmt::Display for TypedCaveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Time(c) => write!(f, "time < {c}"),
            Self::Ip(c) => write!(f, "ip = {c}"),
            Self::Asn(c) => write!(f, "asn = {c}"),
            Self::GeoCountry(c) => write!(f, "geo.country {} {c}", c.filter().operator()),
            Self::GeoRegion(c) => write!(f, "geo.region {} {c}", c.filter().operator()),
            Self::Consumer(c) => write!(f, "consumer = {c}"),
            Self::Service(c) => write!(f, "service = {c}"),
            Self::Interface(c) => write!(f, "interface = {c}"),
            Self::Api(c) => write!(f, "api = {c}"),
            Self::DataReadonly => f.write_str(DATA_READONLY),
            Self::DataPath(c) => write!(f, "data.path = {c}"),
            Self::DataObjectId(c) => write!(f, "data.objectid = {c}"),
            Self::AuthorizationNone => f.write_str(AUTHORIZATION_NONE),
        }
    }
}

impl serde::Serialize for TypedCaveat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for TypedCaveat {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).map_err(serde::de::Error::custom)
    }
}

const DATA_READONLY: &str = "data.readonly";
const AUTHORIZATION_NONE: &str = "authorization = none";

/// Splits a `|`-joined list and parses each entry; an empty list is an error.
pub(crate) fn parse_list<T>(
    text: &str,
    entry: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, ParseCaveatError> {
    if text.is_empty() {
        return Err(ParseCaveatError::EmptyList);
    }
    text.split('|')
        .map(|item| entry(item).ok_or(ParseCaveatError::Malformed))
        .collect()
}

/// Writes a `|`-joined list.
pub(crate) fn write_list<T>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    entry: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            f.write_str("|")?;
        }
        entry(f, item)?;
    }
    Ok(())
}

/// Reads a JSON array member, parsing each element; an empty array is an error.
pub(crate) fn json_list<T>(
    object: &Map<String, Value>,
    name: &str,
    entry: impl Fn(&Value) -> Option<T>,
) -> Result<Vec<T>, ParseCaveatError> {
    let items = object
        .get(name)
        .and_then(Value::as_array)
        .ok_or(ParseCaveatError::Malformed)?;
    if items.is_empty() {
        return Err(ParseCaveatError::EmptyList);
    }
    items
        .iter()
        .map(|item| entry(item).ok_or(ParseCaveatError::Malformed))
        .collect()
}

/// Ensures a list is non-empty (for constructors).
pub(crate) fn non_empty<T>(items: Vec<T>) -> Result<Vec<T>, ParseCaveatError> {
    if items.is_empty() {
        Err(ParseCaveatError::EmptyList)
    } else {
        Ok(items)
    }
}

#[cfg(test)]
mod tests;
