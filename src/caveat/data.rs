//! Data-access caveats with lists: `data.path` (standard base64 of canonical paths) and
//! `data.objectid` (CDMI object ids). `data.readonly` has no body and lives in the enum.

use core::fmt;
use core::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::{ParseCaveatError, json_list, non_empty, parse_list, write_list};

/// Data access limited to these subtrees. Paths are canonical: `/<spaceId>[/…]`, no trailing
/// slash, no empty, `.` or `..` segment. On the wire each is standard base64 with padding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataPath {
    whitelist: Vec<String>,
}

impl DataPath {
    /// A path caveat over a non-empty list of canonical paths.
    ///
    /// # Errors
    /// [`ParseCaveatError::Malformed`] for a non-canonical path,
    /// [`ParseCaveatError::EmptyList`] for an empty list.
    pub fn new(whitelist: Vec<String>) -> Result<Self, ParseCaveatError> {
        if !whitelist.iter().all(|p| is_canonical(p)) {
            return Err(ParseCaveatError::Malformed);
        }
        non_empty(whitelist).map(|whitelist| Self { whitelist })
    }

    /// The paths, decoded.
    pub fn whitelist(&self) -> &[String] {
        &self.whitelist
    }

    /// True when `path` is one of the paths or lies below one.
    pub fn allows(&self, path: &str) -> bool {
        self.whitelist.iter().any(|p| {
            path.strip_prefix(p.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        let list = self
            .whitelist
            .iter()
            .map(|p| Value::from(STANDARD.encode(p)));
        object.insert("whitelist".into(), list.collect());
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let whitelist = json_list(object, "whitelist", |v| decode_path(v.as_str()?))?;
        Ok(Self { whitelist })
    }
}

impl FromStr for DataPath {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_list(text, decode_path).map(|whitelist| Self { whitelist })
    }
}

impl fmt::Display for DataPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.whitelist, |f, p| f.write_str(&STANDARD.encode(p)))
    }
}

/// Standard padded base64 (canonical, so text round-trips byte for byte) of a canonical path.
fn decode_path(text: &str) -> Option<String> {
    let path = String::from_utf8(STANDARD.decode(text).ok()?).ok()?;
    is_canonical(&path).then_some(path)
}

fn is_canonical(path: &str) -> bool {
    match path.strip_prefix('/') {
        None | Some("") => false,
        Some(rest) => rest
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | "..")),
    }
}

/// Data access limited to these CDMI objects (a directory covers its subtree).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataObjectId {
    whitelist: Vec<String>,
}

impl DataObjectId {
    /// An object-id caveat over a non-empty list of hexadecimal CDMI object ids.
    ///
    /// # Errors
    /// [`ParseCaveatError::Malformed`] for an id that is not hexadecimal,
    /// [`ParseCaveatError::EmptyList`] for an empty list.
    pub fn new(whitelist: Vec<String>) -> Result<Self, ParseCaveatError> {
        if !whitelist.iter().all(|id| is_object_id(id)) {
            return Err(ParseCaveatError::Malformed);
        }
        non_empty(whitelist).map(|whitelist| Self { whitelist })
    }

    /// The object ids.
    pub fn whitelist(&self) -> &[String] {
        &self.whitelist
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        let list = self.whitelist.iter().map(|id| Value::from(id.as_str()));
        object.insert("whitelist".into(), list.collect());
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let whitelist = json_list(object, "whitelist", |v| object_id(v.as_str()?))?;
        Ok(Self { whitelist })
    }
}

impl FromStr for DataObjectId {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_list(text, object_id).map(|whitelist| Self { whitelist })
    }
}

impl fmt::Display for DataObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.whitelist, |f, id| f.write_str(id))
    }
}

fn object_id(text: &str) -> Option<String> {
    is_object_id(text).then(|| text.to_owned())
}

fn is_object_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}
