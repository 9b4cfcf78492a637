//! Privilege lists as JSON arrays of names, both ways.
//!
//! Reading accepts the older names of the [module docs](super) and expands each to every
//! privilege it stands for today (`group_view_data` gives `group_view` and
//! `group_view_privileges`), keeping the first occurrence of each privilege. Writing uses
//! today's names, in the order given. [`serialize`] and [`deserialize`] plug into serde (with
//! serde's `derive` feature, which this crate does not enable itself):
//!
//! ```text
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Member {
//!     #[serde(with = "mintage::privilege::list")]
//!     privileges: Vec<mintage::privilege::Privilege>,
//! }
//! ```

use core::fmt;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;

use super::catalogue::ALL;
use super::{NameVisitor, ParsePrivilegeError, Privilege};

/// The JSON array of the names of `privileges`, e.g. `["group_view","group_add_user"]`.
pub fn to_json(privileges: &[Privilege]) -> Value {
    Value::Array(
        privileges
            .iter()
            .map(|privilege| Value::from(privilege.name()))
            .collect(),
    )
}

/// Reads a JSON array of privilege names (older names expanded, duplicates dropped).
///
/// ```
/// use mintage::privilege::{list, Privilege};
///
/// let names = serde_json::json!(["group_invite_user", "group_add_user", "group_view"]);
/// let privileges = list::from_json(&names)?;
/// assert_eq!(privileges, [Privilege::GroupAddUser, Privilege::GroupView]);
/// assert_eq!(list::to_json(&privileges), serde_json::json!(["group_add_user", "group_view"]));
/// # Ok::<(), mintage::privilege::ParsePrivilegeError>(())
/// ```
///
/// # Errors
/// [`ParsePrivilegeError::Malformed`] if `value` is not an array of strings, else as
/// [`from_names`].
pub fn from_json(value: &Value) -> Result<Vec<Privilege>, ParsePrivilegeError> {
    let items = value.as_array().ok_or(ParsePrivilegeError::Malformed)?;
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        names.push(item.as_str().ok_or(ParsePrivilegeError::Malformed)?);
    }
    from_names(names)
}

/// Reads privilege names (older names expanded, duplicates dropped).
///
/// # Errors
/// [`ParsePrivilegeError::Unknown`] for a name that is neither a privilege nor an older name
/// of one; [`ParsePrivilegeError::Retired`] for an older name with no counterpart today. One
/// bad name fails the whole list.
pub fn from_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Privilege>, ParsePrivilegeError> {
    let mut out = Vec::new();
    for name in names {
        extend(&mut out, Privilege::resolve(name)?);
    }
    Ok(out)
}

/// Writes `privileges` as a sequence of names; for `#[serde(with = "...")]`.
///
/// # Errors
/// Whatever `serializer` reports.
pub fn serialize<S: Serializer>(
    privileges: &[Privilege],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(privileges.len()))?;
    for privilege in privileges {
        seq.serialize_element(privilege.name())?;
    }
    seq.end()
}

/// Reads a sequence of names as [`from_names`] does; for `#[serde(with = "...")]`.
///
/// # Errors
/// A deserializer error naming the first bad name, or for input that is not a sequence of
/// strings.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Privilege>, D::Error> {
    deserializer.deserialize_seq(ListVisitor)
}

/// Appends the privileges of `resolved` not yet in `out`.
fn extend(out: &mut Vec<Privilege>, resolved: &[Privilege]) {
    for &privilege in resolved {
        if !out.contains(&privilege) {
            out.push(privilege);
        }
    }
}

/// Visits a sequence of names.
struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<Privilege>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of Onezone privilege names")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The hint is attacker data: cap it at the catalogue size.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(ALL.len()));
        while let Some(Resolved(privileges)) = seq.next_element()? {
            extend(&mut out, privileges);
        }
        Ok(out)
    }
}

/// One name of a sequence, resolved to today's privileges.
struct Resolved(&'static [Privilege]);

impl<'de> Deserialize<'de> for Resolved {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor).map(Resolved)
    }
}
