//! `ip = …` (CIDR whitelist, IPv4 and IPv6) and `asn = …` (autonomous systems).

use core::fmt;
use core::str::FromStr;
use std::net::IpAddr;

use ipnet::IpNet;
use serde_json::{Map, Value};

use super::time::parse_decimal;
use super::{ParseCaveatError, json_list, non_empty, parse_list, write_list};

/// The peer address must lie in one of the networks. A bare address is one host (`/32` or
/// `/128`), and prints with its mask, as Onezone stores it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ip {
    whitelist: Vec<IpNet>,
}

impl Ip {
    /// An ip caveat over a non-empty list of networks.
    ///
    /// # Errors
    /// [`ParseCaveatError::EmptyList`] when `whitelist` is empty.
    pub fn new(whitelist: Vec<IpNet>) -> Result<Self, ParseCaveatError> {
        non_empty(whitelist).map(|whitelist| Self { whitelist })
    }

    /// The networks.
    pub fn whitelist(&self) -> &[IpNet] {
        &self.whitelist
    }

    /// True when `peer` is in one of the networks.
    pub fn allows(&self, peer: IpAddr) -> bool {
        self.whitelist.iter().any(|net| net.contains(&peer))
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        let list = self.whitelist.iter().map(|n| Value::from(n.to_string()));
        object.insert("whitelist".into(), list.collect());
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let whitelist = json_list(object, "whitelist", |v| v.as_str().and_then(parse_net))?;
        Ok(Self { whitelist })
    }
}

impl FromStr for Ip {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_list(text, parse_net).map(|whitelist| Self { whitelist })
    }
}

impl fmt::Display for Ip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.whitelist, |f, net| write!(f, "{net}"))
    }
}

/// A CIDR network, or a bare address as a one-host network.
fn parse_net(text: &str) -> Option<IpNet> {
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// The peer's autonomous system number must be listed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Asn {
    whitelist: Vec<u32>,
}

impl Asn {
    /// An asn caveat over a non-empty list.
    ///
    /// # Errors
    /// [`ParseCaveatError::EmptyList`] when `whitelist` is empty.
    pub fn new(whitelist: Vec<u32>) -> Result<Self, ParseCaveatError> {
        non_empty(whitelist).map(|whitelist| Self { whitelist })
    }

    /// The listed numbers.
    pub fn whitelist(&self) -> &[u32] {
        &self.whitelist
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        object.insert("whitelist".into(), self.whitelist.iter().copied().collect());
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let whitelist = json_list(object, "whitelist", |v| {
            v.as_u64().and_then(|n| u32::try_from(n).ok())
        })?;
        Ok(Self { whitelist })
    }
}

impl FromStr for Asn {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_list(text, parse_decimal).map(|whitelist| Self { whitelist })
    }
}

impl fmt::Display for Asn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.whitelist, |f, n| write!(f, "{n}"))
    }
}
