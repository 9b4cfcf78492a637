//! `interface = rest|oneclient|graphsync`: the interface the request must come through.

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::ParseCaveatError;

/// A request interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InterfaceKind {
    /// The REST API.
    Rest,
    /// Oneclient (data access).
    Oneclient,
    /// The GUI's graph-sync channel.
    Graphsync,
}

impl InterfaceKind {
    /// The name as written in caveats.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rest => "rest",
            Self::Oneclient => "oneclient",
            Self::Graphsync => "graphsync",
        }
    }
}

impl FromStr for InterfaceKind {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "rest" => Ok(Self::Rest),
            "oneclient" => Ok(Self::Oneclient),
            "graphsync" => Ok(Self::Graphsync),
            _ => Err(ParseCaveatError::Malformed),
        }
    }
}

/// The request must come through this interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interface {
    kind: InterfaceKind,
}

impl Interface {
    /// An interface caveat.
    pub fn new(kind: InterfaceKind) -> Self {
        Self { kind }
    }

    /// The required interface.
    pub fn kind(&self) -> InterfaceKind {
        self.kind
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        object.insert("interface".into(), Value::from(self.kind.as_str()));
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let name = object.get("interface").and_then(Value::as_str);
        name.ok_or(ParseCaveatError::Malformed)?
            .parse()
            .map(Self::new)
    }
}

impl FromStr for Interface {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Self::new)
    }
}

impl fmt::Display for Interface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())
    }
}
