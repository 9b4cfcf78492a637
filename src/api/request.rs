//! The request bodies of the token endpoints (spec `onezone-tokens.md` §2.1, §2.2), each read
//! from JSON by `from_json` with Onezone's error for each bad member.

use core::fmt;
use core::net::IpAddr;

use serde_json::{Map, Value};

use super::body::{
    ALLOW_DATA_ACCESS_CAVEATS, ANY, Body, CAVEATS, CUSTOM_METADATA, EXPECTED_INVITE_TYPE, INFINITY,
    NAME, PRIVILEGES, REVOKED, SERVICE_TOKEN, TOKEN, USAGE_LIMIT, name_value, parse_body_token,
};
use super::error::{ApiError, ids};
use crate::caveat::{InterfaceKind, TypedCaveat};
use crate::key::Redacted;
use crate::privilege::{Privilege, list as privilege_list};
use crate::store::NamedTokenUpdate;
use crate::token::{InviteType, Token, TokenType};

/// A body holding one token: `{"token":"…"}`. `POST /user/groups/join` (and the other join
/// endpoints) and `POST /tokens/examine` take it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenRequest {
    /// The serialized token, not yet deserialized (see [`parse_body_token`]).
    pub token: String,
}

/// The body of `POST /user/groups/join` and the other join endpoints: `{"token":"…"}`.
pub type JoinRequest = TokenRequest;

impl TokenRequest {
    /// Reads `{"token":"…"}`.
    ///
    /// # Errors
    /// `malformedData` for a body that is no object, `missingRequiredValue` without a token,
    /// `badValueToken` (nesting `badToken`) for a token that is no non-empty string.
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        Ok(Self {
            token: body.token(TOKEN)?,
        })
    }

    /// Deserializes the token, as [`parse_body_token`] with key `token`.
    ///
    /// # Errors
    /// `badValueToken` when the token does not deserialize.
    pub fn parse_token(&self) -> Result<Token, ApiError> {
        parse_body_token(TOKEN, &self.token)
    }
}

/// The usage limit of a named invite token: a positive count or `"infinity"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum UsageLimit {
    /// No limit (the default).
    #[default]
    Infinity,
    /// At most this many successful joins (at least 1).
    Limited(u64),
}

impl UsageLimit {
    /// The limit as the store keeps it: `None` for infinity.
    pub fn as_option(self) -> Option<u64> {
        match self {
            Self::Infinity => None,
            Self::Limited(n) => Some(n),
        }
    }

    /// From the store's form: `None` is infinity.
    pub fn from_option(limit: Option<u64>) -> Self {
        limit.map_or(Self::Infinity, Self::Limited)
    }

    /// `"infinity"` or the count.
    pub fn to_json(self) -> Value {
        match self {
            Self::Infinity => Value::from(INFINITY),
            Self::Limited(n) => Value::from(n),
        }
    }

    /// Reads `"infinity"` or an integer of at least 1, reporting errors against `key`.
    ///
    /// # Errors
    /// `badValueTooLow` (limit 1) for an integer below 1, `badValueInteger` for anything else
    /// that is not `"infinity"`.
    pub fn from_json(key: &str, value: &Value) -> Result<Self, ApiError> {
        if value.as_str() == Some(INFINITY) {
            return Ok(Self::Infinity);
        }
        if let Some(n) = value.as_u64() {
            return if n >= 1 {
                Ok(Self::Limited(n))
            } else {
                Err(ApiError::bad_value_too_low(key, 1))
            };
        }
        if value.as_i64().is_some() {
            return Err(ApiError::bad_value_too_low(key, 1));
        }
        Err(ApiError::bad_value(
            ids::BAD_VALUE_INTEGER,
            key,
            "must be an integer",
        ))
    }
}

/// The body of `POST /user/tokens/named` (and the `/users/{id}`, `/provider`,
/// `/providers/{id}` variants): `NamedTokenCreateRequest`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenCreateRequest {
    /// The name, unique among the subject's named tokens.
    pub name: String,
    /// The token type; an access token when the body names none.
    pub token_type: TokenType,
    /// The caveats to mint into the token.
    pub caveats: Vec<TypedCaveat>,
    /// `customMetadata`, a JSON object (`{}` when absent).
    pub custom_metadata: Value,
    /// Whether the token starts revoked.
    pub revoked: bool,
    /// Privileges an invite token carries; `None` for the invite type's defaults.
    pub privileges: Option<Vec<Privilege>>,
    /// The usage limit of an invite token.
    pub usage_limit: UsageLimit,
}

impl NamedTokenCreateRequest {
    /// Reads the body. `privileges` and `usageLimit` are read (and checked) for every type; the
    /// issuer applies them to invite tokens only.
    ///
    /// # Errors
    /// `malformedData`, `missingRequiredValue` (`name`), `badValueString`/`badValueName`
    /// (`name`), `badValueTokenType` (`type`), `badValueJSON` (`caveats` not a list,
    /// `customMetadata` not an object), `badValueCaveat`, `badValueBoolean` (`revoked`),
    /// `badValueListOfStrings`/`badValueListNotAllowed` (`privileges`),
    /// `badValueTooLow`/`badValueInteger` (`usageLimit`).
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        let name = name_value(&body)?.ok_or_else(|| ApiError::missing_required_value(NAME))?;
        let privileges = match body.get(PRIVILEGES) {
            None => None,
            Some(list) => Some(read_privileges(list)?),
        };
        let usage_limit = match body.get(USAGE_LIMIT) {
            None => UsageLimit::Infinity,
            Some(limit) => UsageLimit::from_json(USAGE_LIMIT, limit)?,
        };
        Ok(Self {
            name,
            token_type: body.token_type()?,
            caveats: body.caveats()?.unwrap_or_default(),
            custom_metadata: body
                .optional_object(CUSTOM_METADATA)?
                .unwrap_or_else(|| Value::Object(Map::new())),
            revoked: body.optional_bool(REVOKED)?.unwrap_or(false),
            privileges,
            usage_limit,
        })
    }
}

fn read_privileges(list: &Value) -> Result<Vec<Privilege>, ApiError> {
    let is_strings = list
        .as_array()
        .is_some_and(|items| items.iter().all(Value::is_string));
    if !is_strings {
        return Err(ApiError::bad_value(
            ids::BAD_VALUE_LIST_OF_STRINGS,
            PRIVILEGES,
            "must be a list of strings",
        ));
    }
    privilege_list::from_json(list).map_err(|_| {
        ApiError::bad_value(
            ids::BAD_VALUE_LIST_NOT_ALLOWED,
            PRIVILEGES,
            "must be a list of known privileges",
        )
    })
}

/// The body of `PATCH /tokens/named/{id}`: at least one of `name`, `customMetadata`, `revoked`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenPatch {
    /// The new name.
    pub name: Option<String>,
    /// The new custom metadata (a JSON object).
    pub custom_metadata: Option<Value>,
    /// The new revocation flag.
    pub revoked: Option<bool>,
}

impl NamedTokenPatch {
    /// Reads the body.
    ///
    /// # Errors
    /// `malformedData`, `missingAtLeastOneValue` (keys `name`, `customMetadata`, `revoked`),
    /// or the `badValue*` error of a member, as for [`NamedTokenCreateRequest::from_json`].
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        let patch = Self {
            name: name_value(&body)?,
            custom_metadata: body.optional_object(CUSTOM_METADATA)?,
            revoked: body.optional_bool(REVOKED)?,
        };
        if patch.name.is_none() && patch.custom_metadata.is_none() && patch.revoked.is_none() {
            return Err(ApiError::missing_at_least_one_value(&[
                NAME,
                CUSTOM_METADATA,
                REVOKED,
            ]));
        }
        Ok(patch)
    }

    /// The store update this patch makes.
    pub fn to_update(&self) -> NamedTokenUpdate {
        let mut update = NamedTokenUpdate::new();
        if let Some(name) = &self.name {
            update = update.with_name(name.as_str());
        }
        if let Some(custom) = &self.custom_metadata {
            update = update.with_custom_metadata(custom.clone());
        }
        if let Some(revoked) = self.revoked {
            update = update.with_revoked(revoked);
        }
        update
    }
}

/// The body of `POST /user/tokens/temporary`: `{"type","caveats"}`. The issuer requires a time
/// caveat within the maximum TTL (`tokenTimeCaveatRequired`); members such as `usageLimit` are
/// ignored, as Onezone ignores them.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TemporaryTokenCreateRequest {
    /// The token type; an access token when the body names none.
    pub token_type: TokenType,
    /// The caveats (empty when absent).
    pub caveats: Vec<TypedCaveat>,
}

impl TemporaryTokenCreateRequest {
    /// Reads the body.
    ///
    /// # Errors
    /// `malformedData`, `badValueTokenType`, `badValueJSON` or `badValueCaveat`.
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        Ok(Self {
            token_type: body.token_type()?,
            caveats: body.caveats()?.unwrap_or_default(),
        })
    }
}

/// The body of `POST /tokens/confine`: `{"token","caveats":[…]}`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ConfineRequest {
    /// The serialized token.
    pub token: String,
    /// The caveats to append.
    pub caveats: Vec<TypedCaveat>,
}

impl ConfineRequest {
    /// Reads the body.
    ///
    /// # Errors
    /// `malformedData`, `missingRequiredValue` (`token`, `caveats`), `badValueToken`,
    /// `badValueJSON` or `badValueCaveat`.
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        let token = body.token(TOKEN)?;
        let caveats = body
            .caveats()?
            .ok_or_else(|| ApiError::missing_required_value(CAVEATS))?;
        Ok(Self { token, caveats })
    }
}

/// Who consumes the token being verified (`consumerToken`).
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConsumerToken {
    /// Member absent: the authenticated caller is the consumer.
    #[default]
    Caller,
    /// `null`: no consumer.
    None,
    /// An identity token proving the consumer.
    Token(String),
}

/// The body of `POST /tokens/verify_access_token`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifyAccessTokenRequest {
    /// The serialized token.
    pub token: String,
    /// `peerIp`; the caller's address when absent.
    pub peer_ip: Option<IpAddr>,
    /// `serviceToken`: an identity token of the service that would accept the token.
    pub service_token: Option<String>,
    /// `consumerToken`.
    pub consumer_token: ConsumerToken,
    /// `interface`.
    pub interface: Option<InterfaceKind>,
    /// `allowDataAccessCaveats` (false when absent).
    pub allow_data_access_caveats: bool,
}

impl VerifyAccessTokenRequest {
    /// Reads the body.
    ///
    /// # Errors
    /// `malformedData`, `missingRequiredValue` (`token`), `badValueToken` (`token`,
    /// `serviceToken`, `consumerToken` not a non-empty string), `badValueIPv4Address`,
    /// `badValueNotAllowed` (`interface`), `badValueBoolean`.
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        Ok(Self {
            token: body.token(TOKEN)?,
            peer_ip: body.peer_ip()?,
            service_token: body.optional_token(SERVICE_TOKEN)?,
            consumer_token: body.consumer_token()?,
            interface: body.interface()?,
            allow_data_access_caveats: body
                .optional_bool(ALLOW_DATA_ACCESS_CAVEATS)?
                .unwrap_or(false),
        })
    }
}

/// The body of `POST /tokens/verify_identity_token`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifyIdentityTokenRequest {
    /// The serialized token.
    pub token: String,
    /// `peerIp`; the caller's address when absent.
    pub peer_ip: Option<IpAddr>,
    /// `consumerToken`.
    pub consumer_token: ConsumerToken,
    /// `interface`.
    pub interface: Option<InterfaceKind>,
}

impl VerifyIdentityTokenRequest {
    /// Reads the body.
    ///
    /// # Errors
    /// As [`VerifyAccessTokenRequest::from_json`].
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        Ok(Self {
            token: body.token(TOKEN)?,
            peer_ip: body.peer_ip()?,
            consumer_token: body.consumer_token()?,
            interface: body.interface()?,
        })
    }
}

/// The body of `POST /tokens/verify_invite_token`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifyInviteTokenRequest {
    /// The serialized token.
    pub token: String,
    /// `peerIp`; the caller's address when absent.
    pub peer_ip: Option<IpAddr>,
    /// `consumerToken`.
    pub consumer_token: ConsumerToken,
    /// `expectedInviteType`; `None` when absent or `"any"`.
    pub expected_invite_type: Option<InviteType>,
}

impl VerifyInviteTokenRequest {
    /// Reads the body.
    ///
    /// # Errors
    /// As [`VerifyAccessTokenRequest::from_json`], and `badValueInviteType` for an
    /// `expectedInviteType` that is neither an invite type nor `"any"`.
    pub fn from_json(value: &Value) -> Result<Self, ApiError> {
        let body = Body::new(value)?;
        let expected_invite_type = match body.get(EXPECTED_INVITE_TYPE) {
            None => None,
            Some(Value::String(name)) if name == ANY => None,
            Some(value) => Some(value.as_str().and_then(InviteType::from_name).ok_or_else(
                || {
                    ApiError::bad_value(
                        ids::BAD_VALUE_INVITE_TYPE,
                        EXPECTED_INVITE_TYPE,
                        "is not a valid invite type",
                    )
                },
            )?),
        };
        Ok(Self {
            token: body.token(TOKEN)?,
            peer_ip: body.peer_ip()?,
            consumer_token: body.consumer_token()?,
            expected_invite_type,
        })
    }
}

// `Debug` shows the length of each serialized token, never the token: its signature is a
// secret.

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("token", &Redacted(self.token.len()))
            .finish()
    }
}

impl fmt::Debug for ConfineRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfineRequest")
            .field("token", &Redacted(self.token.len()))
            .field("caveats", &self.caveats)
            .finish()
    }
}

impl fmt::Debug for ConsumerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Caller => f.write_str("Caller"),
            Self::None => f.write_str("None"),
            Self::Token(token) => f
                .debug_tuple("Token")
                .field(&Redacted(token.len()))
                .finish(),
        }
    }
}

impl fmt::Debug for VerifyAccessTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyAccessTokenRequest")
            .field("token", &Redacted(self.token.len()))
            .field("peer_ip", &self.peer_ip)
            .field(
                "service_token",
                &self.service_token.as_ref().map(|t| Redacted(t.len())),
            )
            .field("consumer_token", &self.consumer_token)
            .field("interface", &self.interface)
            .field("allow_data_access_caveats", &self.allow_data_access_caveats)
            .finish()
    }
}

impl fmt::Debug for VerifyIdentityTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyIdentityTokenRequest")
            .field("token", &Redacted(self.token.len()))
            .field("peer_ip", &self.peer_ip)
            .field("consumer_token", &self.consumer_token)
            .field("interface", &self.interface)
            .finish()
    }
}

impl fmt::Debug for VerifyInviteTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyInviteTokenRequest")
            .field("token", &Redacted(self.token.len()))
            .field("peer_ip", &self.peer_ip)
            .field("consumer_token", &self.consumer_token)
            .field("expected_invite_type", &self.expected_invite_type)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn usage_limit() {
        assert_eq!(
            UsageLimit::from_json("u", &json!("infinity")),
            Ok(UsageLimit::Infinity)
        );
        assert_eq!(
            UsageLimit::from_json("u", &json!(3)),
            Ok(UsageLimit::Limited(3))
        );
        assert_eq!(
            UsageLimit::from_json("u", &json!(0)).map_err(|e| e.id()),
            Err("badValueTooLow")
        );
        assert_eq!(
            UsageLimit::from_json("u", &json!(-5)).map_err(|e| e.id()),
            Err("badValueTooLow")
        );
        assert_eq!(
            UsageLimit::from_json("u", &json!(1.5)).map_err(|e| e.id()),
            Err("badValueInteger")
        );
        assert_eq!(
            UsageLimit::from_json("u", &json!("7")).map_err(|e| e.id()),
            Err("badValueInteger")
        );
        assert_eq!(UsageLimit::Limited(2).to_json(), json!(2));
        assert_eq!(UsageLimit::from_option(None).to_json(), json!("infinity"));
    }

    #[test]
    fn patch_to_update() {
        let p = NamedTokenPatch::from_json(&json!({"revoked": true})).map(|p| p.to_update());
        assert_eq!(p.map(|u| u.revoked), Ok(Some(true)));
    }
}
