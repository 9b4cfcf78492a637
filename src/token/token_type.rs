//! The type of a token (spec `onezone-tokens.md` §2.2, §3.1, §3.3): access (optionally bound to
//! a session), identity, or invite with its invite type and target.

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::error::{IdentifierError, JsonError};
use super::identifier::check_id;
use super::invite_type::InviteType;
use crate::caveat::TokenKind;

/// What a token is for.
///
/// The identifier text is `act`, `act:<sessionId>`, `idn` or `<code>:<targetId>:<params>`
/// (params: `ge` for `supportSpace`, else empty). The JSON form of the Onezone API is
/// `{"accessToken":{}}`, `{"accessToken":{"sessionId":"…"}}`, `{"identityToken":{}}` or
/// `{"inviteToken":{"inviteType":"userJoinGroup","groupId":"…","parameters":{}}}`, the target
/// key depending on the invite type ([`InviteType::target_key`]).
///
/// Parsing (text or JSON) rejects empty ids, `/` in any id and `:` in a target id;
/// [`TokenIdentifier::new`](super::TokenIdentifier::new) rejects a value built by hand that
/// breaks those rules.
///
/// ```
/// use mintage::token::{InviteType, TokenType};
///
/// let t: TokenType = "ujg:4c71496ba3dff0052c04c697b12fe157ch9a1f:".parse()?;
/// let group = "4c71496ba3dff0052c04c697b12fe157ch9a1f";
/// assert_eq!(t, TokenType::invite(InviteType::UserJoinGroup, group));
/// assert_eq!(
///     t.to_json(),
///     serde_json::json!({"inviteToken": {
///         "inviteType": "userJoinGroup",
///         "groupId": group,
///         "parameters": {}
///     }})
/// );
/// # Ok::<(), mintage::token::IdentifierError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// An access token: acts for the subject. A GUI token is bound to the subject's session.
    Access {
        /// The session the token is bound to, if any.
        session_id: Option<String>,
    },
    /// An identity token: proves who the subject is, carries no authorization.
    Identity,
    /// An invite token: lets its consumer join the target entity.
    Invite {
        /// What the consumer may join or do.
        invite_type: InviteType,
        /// The entity to join (for `registerOneprovider`, the future admin user).
        target_id: String,
    },
}

impl TokenType {
    /// An access token bound to no session.
    pub fn access() -> Self {
        Self::Access { session_id: None }
    }

    /// An access token bound to `session_id`, as Onezone's GUI tokens are.
    pub fn session_access(session_id: impl Into<String>) -> Self {
        Self::Access {
            session_id: Some(session_id.into()),
        }
    }

    /// An invite token of `invite_type` for the entity `target_id`.
    pub fn invite(invite_type: InviteType, target_id: impl Into<String>) -> Self {
        Self::Invite {
            invite_type,
            target_id: target_id.into(),
        }
    }

    /// The kind (access, identity or invite), which decides the caveats a token may carry.
    pub fn kind(&self) -> TokenKind {
        match self {
            Self::Access { .. } => TokenKind::Access,
            Self::Identity => TokenKind::Identity,
            Self::Invite { .. } => TokenKind::Invite,
        }
    }

    /// The session of a session-bound access token.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::Access { session_id } => session_id.as_deref(),
            Self::Identity | Self::Invite { .. } => None,
        }
    }

    /// The invite type of an invite token.
    pub fn invite_type(&self) -> Option<InviteType> {
        match self {
            Self::Invite { invite_type, .. } => Some(*invite_type),
            Self::Access { .. } | Self::Identity => None,
        }
    }

    /// The target entity of an invite token.
    pub fn target_id(&self) -> Option<&str> {
        match self {
            Self::Invite { target_id, .. } => Some(target_id),
            Self::Access { .. } | Self::Identity => None,
        }
    }

    /// The JSON form of the Onezone API (CT `token_type:to_json`), e.g. `{"accessToken":{}}`.
    pub fn to_json(&self) -> Value {
        let mut body = Map::new();
        let key = match self {
            Self::Access { session_id } => {
                if let Some(session_id) = session_id {
                    body.insert(SESSION_ID.into(), Value::from(session_id.as_str()));
                }
                ACCESS_TOKEN
            }
            Self::Identity => IDENTITY_TOKEN,
            Self::Invite {
                invite_type,
                target_id,
            } => {
                body.insert(INVITE_TYPE.into(), Value::from(invite_type.name()));
                body.insert(
                    invite_type.target_key().into(),
                    Value::from(target_id.as_str()),
                );
                body.insert(PARAMETERS.into(), Value::Object(Map::new()));
                INVITE_TOKEN
            }
        };
        let mut object = Map::new();
        object.insert(key.into(), Value::Object(body));
        Value::Object(object)
    }

    /// Parses the JSON form. The outer object must hold exactly one of `accessToken`,
    /// `identityToken` and `inviteToken`; `parameters` of an invite may be absent and its
    /// contents are ignored, as Onezone ignores them; other members are ignored too, except
    /// that an access token without `sessionId` must be `{}`.
    ///
    /// # Errors
    /// A [`JsonError`] naming what is missing, mistyped or invalid.
    pub fn from_json(value: &Value) -> Result<Self, JsonError> {
        let object = value.as_object().ok_or(JsonError::NotAnObject)?;
        let mut entries = object.iter();
        let (Some((key, body)), None) = (entries.next(), entries.next()) else {
            return Err(JsonError::UnknownType);
        };
        let body = body.as_object().ok_or(JsonError::NotAnObject)?;
        match key.as_str() {
            ACCESS_TOKEN => access_from_json(body),
            IDENTITY_TOKEN => Ok(Self::Identity),
            INVITE_TOKEN => invite_from_json(body),
            _ => Err(JsonError::UnknownType),
        }
    }
}

impl fmt::Display for TokenType {
    /// The identifier text: `act`, `act:<sessionId>`, `idn` or `<code>:<targetId>:<params>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl TokenType {
    /// Writes the identifier text piece by piece, with no formatting machinery (the
    /// identifier writer's hot path).
    pub(crate) fn write_to<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::Access { session_id: None } => w.write_str(ACCESS),
            Self::Access {
                session_id: Some(session_id),
            } => {
                w.write_str(ACCESS)?;
                w.write_str(":")?;
                w.write_str(session_id)
            }
            Self::Identity => w.write_str(IDENTITY),
            Self::Invite {
                invite_type,
                target_id,
            } => {
                w.write_str(invite_type.code())?;
                w.write_str(":")?;
                w.write_str(target_id)?;
                w.write_str(":")?;
                w.write_str(invite_type.parameters())
            }
        }
    }
}

impl FromStr for TokenType {
    type Err = IdentifierError;

    /// Reads `act`, `act:<sessionId>`, `idn` or `<code>:<targetId>:<params>`. As in Onezone, a
    /// session id is everything after `act:`, so it may hold `:`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            ACCESS => return Ok(Self::access()),
            IDENTITY => return Ok(Self::Identity),
            _ => {}
        }
        if let Some(session_id) = text.strip_prefix(ACCESS_SESSION_PREFIX) {
            check_session_id(session_id)?;
            return Ok(Self::session_access(session_id));
        }
        let mut parts = text.split(':');
        let (Some(code), Some(target_id), Some(parameters), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(IdentifierError::MalformedTokenType);
        };
        let invite_type = InviteType::from_code(code).ok_or(IdentifierError::UnknownInviteType)?;
        check_target_id(target_id)?;
        if parameters != invite_type.parameters() {
            return Err(IdentifierError::BadInviteParameters);
        }
        Ok(Self::invite(invite_type, target_id))
    }
}

impl serde::Serialize for TokenType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for TokenType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// Checks the ids of a token type for the identifier: non-empty, no `/`, and no `:` in a
/// target id.
pub(super) fn check(token_type: &TokenType) -> Result<(), IdentifierError> {
    match token_type {
        TokenType::Access { session_id: None } | TokenType::Identity => Ok(()),
        TokenType::Access {
            session_id: Some(session_id),
        } => check_session_id(session_id),
        TokenType::Invite { target_id, .. } => check_target_id(target_id),
    }
}

fn check_session_id(session_id: &str) -> Result<(), IdentifierError> {
    check_id(session_id, false).map_err(|e| match e {
        IdentifierError::EmptyId => IdentifierError::EmptySessionId,
        other => other,
    })
}

fn check_target_id(target_id: &str) -> Result<(), IdentifierError> {
    check_id(target_id, true).map_err(|e| match e {
        IdentifierError::EmptyId => IdentifierError::EmptyTargetId,
        other => other,
    })
}

fn access_from_json(body: &Map<String, Value>) -> Result<TokenType, JsonError> {
    match body.get(SESSION_ID) {
        None if body.is_empty() => Ok(TokenType::access()),
        None => Err(JsonError::WrongType(ACCESS_TOKEN)),
        Some(Value::String(session_id)) => {
            check_session_id(session_id).map_err(|_| JsonError::InvalidId(SESSION_ID))?;
            Ok(TokenType::session_access(session_id.as_str()))
        }
        Some(_) => Err(JsonError::WrongType(SESSION_ID)),
    }
}

fn invite_from_json(body: &Map<String, Value>) -> Result<TokenType, JsonError> {
    let invite_type = match body.get(INVITE_TYPE) {
        None => return Err(JsonError::Missing(INVITE_TYPE)),
        Some(Value::String(name)) => {
            InviteType::from_name(name).ok_or(JsonError::UnknownInviteType)?
        }
        Some(_) => return Err(JsonError::WrongType(INVITE_TYPE)),
    };
    let key = invite_type.target_key();
    let target_id = match body.get(key) {
        None => return Err(JsonError::Missing(key)),
        Some(Value::String(target_id)) => target_id,
        Some(_) => return Err(JsonError::WrongType(key)),
    };
    check_target_id(target_id).map_err(|_| JsonError::InvalidId(key))?;
    match body.get(PARAMETERS) {
        None | Some(Value::Object(_)) => Ok(TokenType::invite(invite_type, target_id.as_str())),
        Some(_) => Err(JsonError::WrongType(PARAMETERS)),
    }
}

const ACCESS: &str = "act";
const ACCESS_SESSION_PREFIX: &str = "act:";
const IDENTITY: &str = "idn";
const ACCESS_TOKEN: &str = "accessToken";
const IDENTITY_TOKEN: &str = "identityToken";
const INVITE_TOKEN: &str = "inviteToken";
const SESSION_ID: &str = "sessionId";
const INVITE_TYPE: &str = "inviteType";
const PARAMETERS: &str = "parameters";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn token_type_text_and_json_round_trip() {
        let rows = [
            (TokenType::access(), "act", json!({"accessToken": {}})),
            (
                TokenType::session_access("sessId"),
                "act:sessId",
                json!({"accessToken": {"sessionId": "sessId"}}),
            ),
            (TokenType::Identity, "idn", json!({"identityToken": {}})),
            (
                TokenType::invite(InviteType::UserJoinSpace, "spaceId"),
                "ujs:spaceId:",
                json!({"inviteToken": {
                    "inviteType": "userJoinSpace", "spaceId": "spaceId", "parameters": {}
                }}),
            ),
        ];
        for (token_type, text, json) in rows {
            assert_eq!(token_type.to_string(), text);
            assert_eq!(text.parse::<TokenType>(), Ok(token_type.clone()));
            assert_eq!(token_type.to_json(), json);
            assert_eq!(TokenType::from_json(&json), Ok(token_type.clone()));
            let serialized = serde_json::to_string(&token_type).unwrap();
            assert_eq!(
                serde_json::from_str::<TokenType>(&serialized).unwrap(),
                token_type
            );
        }
    }

    #[test]
    fn token_type_every_invite_round_trips() {
        for t in InviteType::ALL {
            let token_type = TokenType::invite(t, "4c71496ba3dff0052c04c697b12fe157ch9a1f");
            let text = token_type.to_string();
            let params = if t == InviteType::SupportSpace {
                "ge"
            } else {
                ""
            };
            assert_eq!(
                text,
                format!(
                    "{}:4c71496ba3dff0052c04c697b12fe157ch9a1f:{params}",
                    t.code()
                )
            );
            assert_eq!(text.parse::<TokenType>(), Ok(token_type.clone()));

            let json = token_type.to_json();
            let body = &json["inviteToken"];
            assert_eq!(body["inviteType"], t.name());
            assert_eq!(
                body[t.target_key()],
                "4c71496ba3dff0052c04c697b12fe157ch9a1f"
            );
            assert_eq!(body["parameters"], json!({}));
            assert_eq!(body.as_object().map(Map::len), Some(3));
            assert_eq!(TokenType::from_json(&json), Ok(token_type));
        }
    }

    #[test]
    fn token_type_kind_and_accessors() {
        assert_eq!(TokenType::access().kind(), TokenKind::Access);
        assert_eq!(TokenType::session_access("s").kind(), TokenKind::Access);
        assert_eq!(TokenType::Identity.kind(), TokenKind::Identity);
        let invite = TokenType::invite(InviteType::SupportSpace, "sp");
        assert_eq!(invite.kind(), TokenKind::Invite);
        assert_eq!(invite.invite_type(), Some(InviteType::SupportSpace));
        assert_eq!(invite.target_id(), Some("sp"));
        assert_eq!(invite.session_id(), None);
        assert_eq!(TokenType::session_access("s").session_id(), Some("s"));
        assert_eq!(TokenType::access().session_id(), None);
        assert_eq!(TokenType::Identity.invite_type(), None);
        assert_eq!(TokenType::access().target_id(), None);
    }

    #[test]
    fn token_type_session_id_may_hold_colons() {
        assert_eq!(
            "act:a:b".parse::<TokenType>(),
            Ok(TokenType::session_access("a:b"))
        );
    }

    #[test]
    fn token_type_text_malformed_is_rejected() {
        for (text, error) in [
            ("", IdentifierError::MalformedTokenType),
            ("acc", IdentifierError::MalformedTokenType),
            ("ACT", IdentifierError::MalformedTokenType),
            ("idn:", IdentifierError::MalformedTokenType),
            ("ujg:g", IdentifierError::MalformedTokenType),
            ("ujg:g::", IdentifierError::MalformedTokenType),
            ("ujg:a:b:", IdentifierError::MalformedTokenType),
            ("act:", IdentifierError::EmptySessionId),
            ("act:a/b", IdentifierError::ForbiddenCharacter),
            ("xyz:g:", IdentifierError::UnknownInviteType),
            ("UJG:g:", IdentifierError::UnknownInviteType),
            ("ujg::", IdentifierError::EmptyTargetId),
            ("ujg:a/b:", IdentifierError::ForbiddenCharacter),
            ("ujg:g:ge", IdentifierError::BadInviteParameters),
            ("ssp:s:", IdentifierError::BadInviteParameters),
            ("ssp:s:nl", IdentifierError::BadInviteParameters),
        ] {
            assert_eq!(text.parse::<TokenType>(), Err(error), "{text:?}");
        }
        assert_eq!(
            "ssp:s:ge".parse::<TokenType>(),
            Ok(TokenType::invite(InviteType::SupportSpace, "s"))
        );
    }

    #[test]
    fn token_type_json_malformed_is_rejected() {
        for (json, error) in [
            (json!("act"), JsonError::NotAnObject),
            (json!({}), JsonError::UnknownType),
            (json!({"refreshToken": {}}), JsonError::UnknownType),
            (
                json!({"accessToken": {}, "identityToken": {}}),
                JsonError::UnknownType,
            ),
            (json!({"accessToken": null}), JsonError::NotAnObject),
            (json!({"identityToken": true}), JsonError::NotAnObject),
            (
                json!({"accessToken": {"session": "s"}}),
                JsonError::WrongType("accessToken"),
            ),
            (
                json!({"accessToken": {"sessionId": 1}}),
                JsonError::WrongType("sessionId"),
            ),
            (
                json!({"accessToken": {"sessionId": ""}}),
                JsonError::InvalidId("sessionId"),
            ),
            (
                json!({"inviteToken": {"groupId": "g"}}),
                JsonError::Missing("inviteType"),
            ),
            (
                json!({"inviteToken": {"inviteType": 3, "groupId": "g"}}),
                JsonError::WrongType("inviteType"),
            ),
            (
                json!({"inviteToken": {"inviteType": "ujg", "groupId": "g"}}),
                JsonError::UnknownInviteType,
            ),
            (
                json!({"inviteToken": {"inviteType": "userJoinGroup", "spaceId": "g"}}),
                JsonError::Missing("groupId"),
            ),
            (
                json!({"inviteToken": {"inviteType": "userJoinGroup", "groupId": ["g"]}}),
                JsonError::WrongType("groupId"),
            ),
            (
                json!({"inviteToken": {"inviteType": "registerOneprovider", "adminUserId": ""}}),
                JsonError::InvalidId("adminUserId"),
            ),
            (
                json!({"inviteToken": {"inviteType": "userJoinGroup", "groupId": "a:b"}}),
                JsonError::InvalidId("groupId"),
            ),
            (
                json!({"inviteToken": {
                    "inviteType": "userJoinGroup", "groupId": "g", "parameters": []
                }}),
                JsonError::WrongType("parameters"),
            ),
        ] {
            assert_eq!(TokenType::from_json(&json), Err(error), "{json}");
        }
    }

    #[test]
    fn token_type_json_is_lenient_where_onezone_is() {
        // `parameters` may be absent or hold anything; identity bodies are not inspected.
        let invite = json!({"inviteToken": {"inviteType": "supportSpace", "spaceId": "s"}});
        assert_eq!(
            TokenType::from_json(&invite),
            Ok(TokenType::invite(InviteType::SupportSpace, "s"))
        );
        let with_params = json!({"inviteToken": {
            "inviteType": "supportSpace", "spaceId": "s", "parameters": {"dataWrite": "global"}
        }});
        assert_eq!(
            TokenType::from_json(&with_params),
            Ok(TokenType::invite(InviteType::SupportSpace, "s"))
        );
        assert_eq!(
            TokenType::from_json(&json!({"identityToken": {"x": 1}})),
            Ok(TokenType::Identity)
        );
    }

    #[test]
    fn token_type_check_rejects_hand_built_values() {
        assert_eq!(check(&TokenType::access()), Ok(()));
        assert_eq!(
            check(&TokenType::session_access("")),
            Err(IdentifierError::EmptySessionId)
        );
        assert_eq!(
            check(&TokenType::invite(InviteType::UserJoinGroup, "")),
            Err(IdentifierError::EmptyTargetId)
        );
        assert_eq!(
            check(&TokenType::invite(InviteType::UserJoinGroup, "a:b")),
            Err(IdentifierError::ForbiddenCharacter)
        );
        assert_eq!(
            check(&TokenType::session_access("a/b")),
            Err(IdentifierError::ForbiddenCharacter)
        );
    }
}
