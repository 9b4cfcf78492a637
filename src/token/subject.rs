//! The subject a token acts for (spec `onezone-tokens.md` §3.1, §3.3): a user, a Oneprovider,
//! or nobody.

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::error::{IdentifierError, JsonError};
use super::identifier::check_id;

/// Whom a token is issued for.
///
/// The identifier text is `usr-<id>`, `prv-<id>` or `nobody`; the JSON form of the Onezone API
/// is `{"type":"user","id":"…"}`, `{"type":"oneprovider","id":"…"}` or
/// `{"type":"nobody","id":null}`. Onezone issues tokens only for users and Oneproviders; a
/// group appears only inside consumer caveats ([`caveat::Consumer`](crate::caveat::Consumer)),
/// so it is no subject here.
///
/// Parsing rejects an empty id and one containing `/`, so a parsed subject always fits in a
/// [`TokenIdentifier`](super::TokenIdentifier).
///
/// ```
/// use mintage::token::Subject;
///
/// let subject: Subject = "usr-4c71496ba3dff0052c04c697b12fe157ch9a1f".parse()?;
/// assert_eq!(subject, Subject::user("4c71496ba3dff0052c04c697b12fe157ch9a1f"));
/// assert_eq!(
///     subject.to_json(),
///     serde_json::json!({"type": "user", "id": "4c71496ba3dff0052c04c697b12fe157ch9a1f"})
/// );
/// # Ok::<(), mintage::token::IdentifierError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Subject {
    /// A user, by id.
    User(String),
    /// A Oneprovider, by id.
    Oneprovider(String),
    /// Nobody: an unauthenticated client.
    Nobody,
}

impl Subject {
    /// The user `id`.
    pub fn user(id: impl Into<String>) -> Self {
        Self::User(id.into())
    }

    /// The Oneprovider `id`.
    pub fn oneprovider(id: impl Into<String>) -> Self {
        Self::Oneprovider(id.into())
    }

    /// The id of a user or Oneprovider; `None` for nobody.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::User(id) | Self::Oneprovider(id) => Some(id),
            Self::Nobody => None,
        }
    }

    /// The JSON `type`: `user`, `oneprovider` or `nobody`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::User(_) => USER,
            Self::Oneprovider(_) => ONEPROVIDER,
            Self::Nobody => NOBODY,
        }
    }

    /// The JSON form of the Onezone API, e.g. `{"type":"user","id":"…"}`; nobody has a `null`
    /// id.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("type".into(), Value::from(self.type_name()));
        object.insert("id".into(), self.id().map_or(Value::Null, Value::from));
        Value::Object(object)
    }

    /// Parses the JSON form. Members other than `type` and `id` are ignored.
    ///
    /// # Errors
    /// [`JsonError::UnknownType`] for a `type` other than `user`, `oneprovider` and `nobody`
    /// (a `group` included); [`JsonError::Missing`], [`JsonError::WrongType`] or
    /// [`JsonError::InvalidId`] for a missing, non-string (for nobody: non-null), empty or
    /// `/`-holding id.
    pub fn from_json(value: &Value) -> Result<Self, JsonError> {
        let object = value.as_object().ok_or(JsonError::NotAnObject)?;
        let kind = match object.get("type") {
            None => return Err(JsonError::Missing("type")),
            Some(Value::String(kind)) => kind.as_str(),
            Some(_) => return Err(JsonError::WrongType("type")),
        };
        let id = object.get("id").ok_or(JsonError::Missing("id"))?;
        if kind == NOBODY {
            return match id {
                Value::Null => Ok(Self::Nobody),
                _ => Err(JsonError::WrongType("id")),
            };
        }
        let constructor = match kind {
            USER => Self::User,
            ONEPROVIDER => Self::Oneprovider,
            _ => return Err(JsonError::UnknownType),
        };
        let id = id.as_str().ok_or(JsonError::WrongType("id"))?;
        check_id(id, false).map_err(|_| JsonError::InvalidId("id"))?;
        Ok(constructor(id.to_owned()))
    }
}

impl fmt::Display for Subject {
    /// The identifier text: `usr-<id>`, `prv-<id>` or `nobody`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl Subject {
    /// Writes the identifier text piece by piece, with no formatting machinery (the
    /// identifier writer's hot path).
    pub(crate) fn write_to<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::User(id) => {
                w.write_str(USER_PREFIX)?;
                w.write_str(id)
            }
            Self::Oneprovider(id) => {
                w.write_str(PROVIDER_PREFIX)?;
                w.write_str(id)
            }
            Self::Nobody => w.write_str(NOBODY),
        }
    }
}

impl FromStr for Subject {
    type Err = IdentifierError;

    /// Reads `usr-<id>`, `prv-<id>` or `nobody`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == NOBODY {
            return Ok(Self::Nobody);
        }
        let (constructor, id): (fn(String) -> Self, &str) =
            if let Some(id) = text.strip_prefix(USER_PREFIX) {
                (Self::User, id)
            } else if let Some(id) = text.strip_prefix(PROVIDER_PREFIX) {
                (Self::Oneprovider, id)
            } else {
                return Err(IdentifierError::UnknownSubject);
            };
        check_id(id, false).map_err(|e| match e {
            IdentifierError::EmptyId => IdentifierError::EmptySubjectId,
            other => other,
        })?;
        Ok(constructor(id.to_owned()))
    }
}

impl serde::Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Subject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).map_err(serde::de::Error::custom)
    }
}

const USER: &str = "user";
const ONEPROVIDER: &str = "oneprovider";
const NOBODY: &str = "nobody";
const USER_PREFIX: &str = "usr-";
const PROVIDER_PREFIX: &str = "prv-";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn all() -> [(Subject, &'static str, Value); 3] {
        [
            (
                Subject::user("uid"),
                "usr-uid",
                json!({"type": "user", "id": "uid"}),
            ),
            (
                Subject::oneprovider("4c71496ba3dff0052c04c697b12fe157ch9a1f"),
                "prv-4c71496ba3dff0052c04c697b12fe157ch9a1f",
                json!({"type": "oneprovider", "id": "4c71496ba3dff0052c04c697b12fe157ch9a1f"}),
            ),
            (
                Subject::Nobody,
                "nobody",
                json!({"type": "nobody", "id": null}),
            ),
        ]
    }

    #[test]
    fn subject_text_round_trips() {
        for (subject, text, _) in all() {
            assert_eq!(subject.to_string(), text);
            assert_eq!(text.parse::<Subject>(), Ok(subject));
        }
        // Ids may hold `-` and `:`; only `/` would break the identifier.
        assert_eq!("usr-a-b:c".parse::<Subject>(), Ok(Subject::user("a-b:c")));
    }

    #[test]
    fn subject_json_round_trips() {
        for (subject, _, json) in all() {
            assert_eq!(subject.to_json(), json);
            assert_eq!(Subject::from_json(&json), Ok(subject.clone()));
            let text = serde_json::to_string(&subject).unwrap();
            assert_eq!(serde_json::from_str::<Subject>(&text).unwrap(), subject);
        }
    }

    #[test]
    fn subject_accessors() {
        assert_eq!(Subject::user("u").id(), Some("u"));
        assert_eq!(Subject::oneprovider("p").type_name(), "oneprovider");
        assert_eq!(Subject::Nobody.id(), None);
    }

    #[test]
    fn subject_text_malformed_is_rejected() {
        for (text, error) in [
            ("", IdentifierError::UnknownSubject),
            ("Nobody", IdentifierError::UnknownSubject),
            ("usr", IdentifierError::UnknownSubject),
            ("grp-g", IdentifierError::UnknownSubject),
            ("user-u", IdentifierError::UnknownSubject),
            ("usr-", IdentifierError::EmptySubjectId),
            ("prv-", IdentifierError::EmptySubjectId),
            ("usr-a/b", IdentifierError::ForbiddenCharacter),
        ] {
            assert_eq!(text.parse::<Subject>(), Err(error), "{text:?}");
        }
    }

    #[test]
    fn subject_json_malformed_is_rejected() {
        for (json, error) in [
            (json!("usr-u"), JsonError::NotAnObject),
            (json!({"id": "u"}), JsonError::Missing("type")),
            (json!({"type": 1, "id": "u"}), JsonError::WrongType("type")),
            (json!({"type": "user"}), JsonError::Missing("id")),
            (json!({"type": "group", "id": "g"}), JsonError::UnknownType),
            (json!({"type": "root", "id": null}), JsonError::UnknownType),
            (
                json!({"type": "user", "id": null}),
                JsonError::WrongType("id"),
            ),
            (json!({"type": "user", "id": 7}), JsonError::WrongType("id")),
            (
                json!({"type": "user", "id": ""}),
                JsonError::InvalidId("id"),
            ),
            (
                json!({"type": "user", "id": "a/b"}),
                JsonError::InvalidId("id"),
            ),
            (
                json!({"type": "nobody", "id": "x"}),
                JsonError::WrongType("id"),
            ),
            (json!({"type": "nobody"}), JsonError::Missing("id")),
        ] {
            assert_eq!(Subject::from_json(&json), Err(error), "{json}");
        }
    }
}
