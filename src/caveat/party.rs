//! `consumer = …` (who may consume the token) and `service = …` (which service may accept it).
//! Entries are `<prefix>-<id>` with `*` for any id.

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::{ParseCaveatError, json_list, non_empty, parse_list, write_list};

/// The kind of a consumer: `usr`, `grp` or `prv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsumerKind {
    /// `usr-`: a user.
    User,
    /// `grp-`: any user who is an effective member of the group.
    Group,
    /// `prv-`: a Oneprovider.
    Provider,
}

/// The kind of a service: `ozw`, `ozp`, `opw` or `opp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    /// `ozw`: Onezone worker.
    OzWorker,
    /// `ozp`: Onezone panel.
    OzPanel,
    /// `opw`: Oneprovider worker.
    OpWorker,
    /// `opp`: Oneprovider panel.
    OpPanel,
}

/// One consumer entry: kind and id, or any id of that kind (`usr-*`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsumerSpec {
    /// The kind.
    pub kind: ConsumerKind,
    /// The id; `None` is the wildcard `*`.
    pub id: Option<String>,
}

/// One service entry: kind and id, or any id of that kind (`opw-*`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceSpec {
    /// The kind.
    pub kind: ServiceKind,
    /// The id; `None` is the wildcard `*`.
    pub id: Option<String>,
}

/// Who may consume the token.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Consumer {
    whitelist: Vec<ConsumerSpec>,
}

/// Which service may accept the token.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Service {
    whitelist: Vec<ServiceSpec>,
}

trait Prefixed: Sized + 'static {
    const PREFIXES: &'static [(&'static str, Self)];
}

impl Prefixed for ConsumerKind {
    const PREFIXES: &'static [(&'static str, Self)] = &[
        ("usr", Self::User),
        ("grp", Self::Group),
        ("prv", Self::Provider),
    ];
}

impl Prefixed for ServiceKind {
    const PREFIXES: &'static [(&'static str, Self)] = &[
        ("ozw", Self::OzWorker),
        ("ozp", Self::OzPanel),
        ("opw", Self::OpWorker),
        ("opp", Self::OpPanel),
    ];
}

/// Splits `<prefix>-<id>`; the id is non-empty, `*` meaning any, and holds no `|`.
fn split_entry<K: Prefixed + Copy + PartialEq>(text: &str) -> Option<(K, Option<String>)> {
    let (prefix, id) = text.split_once('-')?;
    let kind = K::PREFIXES.iter().find(|(p, _)| *p == prefix)?.1;
    match id {
        "" => None,
        "*" => Some((kind, None)),
        id if id.contains('|') => None,
        id => Some((kind, Some(id.to_owned()))),
    }
}

fn write_entry<K: Prefixed + Copy + PartialEq>(
    f: &mut fmt::Formatter<'_>,
    kind: K,
    id: Option<&str>,
) -> fmt::Result {
    let prefix = K::PREFIXES
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("?", |(p, _)| *p);
    write!(f, "{prefix}-{}", id.unwrap_or("*"))
}

macro_rules! party_caveat {
    ($ty:ident, $spec:ident, $kind:ident) => {
        impl $ty {
            /// A caveat over a non-empty whitelist.
            ///
            /// # Errors
            /// [`ParseCaveatError::EmptyList`] when `whitelist` is empty.
            pub fn new(whitelist: Vec<$spec>) -> Result<Self, ParseCaveatError> {
                non_empty(whitelist).map(|whitelist| Self { whitelist })
            }

            /// The entries.
            pub fn whitelist(&self) -> &[$spec] {
                &self.whitelist
            }

            pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
                let list = self.whitelist.iter().map(|s| Value::from(s.to_string()));
                object.insert("whitelist".into(), list.collect());
            }

            pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
                let whitelist = json_list(object, "whitelist", |v| v.as_str()?.parse().ok())?;
                Ok(Self { whitelist })
            }
        }

        impl FromStr for $ty {
            type Err = ParseCaveatError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                parse_list(text, |e| e.parse().ok()).map(|whitelist| Self { whitelist })
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_list(f, &self.whitelist, |f, s| write!(f, "{s}"))
            }
        }

        impl FromStr for $spec {
            type Err = ParseCaveatError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let (kind, id) = split_entry::<$kind>(text).ok_or(ParseCaveatError::Malformed)?;
                Ok(Self { kind, id })
            }
        }

        impl fmt::Display for $spec {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_entry(f, self.kind, self.id.as_deref())
            }
        }
    };
}

party_caveat!(Consumer, ConsumerSpec, ConsumerKind);
party_caveat!(Service, ServiceSpec, ServiceKind);

impl ServiceSpec {
    /// True when the entry names `kind` and `id` (or any id of `kind`).
    pub fn matches(&self, kind: ServiceKind, id: &str) -> bool {
        self.kind == kind && self.id.as_deref().is_none_or(|own| own == id)
    }
}
