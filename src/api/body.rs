//! Reading JSON request bodies the way Onezone's sanitizer does: members it does not know are
//! ignored, `null` counts as absent, a missing required member is `missingRequiredValue`, a
//! mistyped one the `badValue*` error of its key. Shared by the request types.

use core::net::{IpAddr, Ipv4Addr};

use serde_json::{Map, Value};

use super::error::{ApiError, ids};
use super::request::ConsumerToken;
use crate::caveat::{InterfaceKind, TypedCaveat};
use crate::token::{Token, TokenType};

pub(super) const TOKEN: &str = "token";
pub(super) const NAME: &str = "name";
pub(super) const TYPE: &str = "type";
pub(super) const CAVEATS: &str = "caveats";
pub(super) const CUSTOM_METADATA: &str = "customMetadata";
pub(super) const REVOKED: &str = "revoked";
pub(super) const PRIVILEGES: &str = "privileges";
pub(super) const USAGE_LIMIT: &str = "usageLimit";
pub(super) const PEER_IP: &str = "peerIp";
pub(super) const SERVICE_TOKEN: &str = "serviceToken";
pub(super) const CONSUMER_TOKEN: &str = "consumerToken";
pub(super) const INTERFACE: &str = "interface";
pub(super) const ALLOW_DATA_ACCESS_CAVEATS: &str = "allowDataAccessCaveats";
pub(super) const EXPECTED_INVITE_TYPE: &str = "expectedInviteType";
pub(super) const INFINITY: &str = "infinity";
pub(super) const ANY: &str = "any";
pub(super) const INTERFACES: [&str; 3] = ["rest", "oneclient", "graphsync"];

/// The members of a request body.
pub(super) struct Body<'a>(&'a Map<String, Value>);

impl<'a> Body<'a> {
    pub(super) fn new(value: &'a Value) -> Result<Self, ApiError> {
        value
            .as_object()
            .map(Self)
            .ok_or_else(ApiError::malformed_data)
    }

    /// A member; `null` counts as absent.
    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub(super) fn token(&self, key: &str) -> Result<String, ApiError> {
        self.optional_token(key)?
            .ok_or_else(|| ApiError::missing_required_value(key))
    }

    pub(super) fn optional_token(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(token)) if !token.is_empty() => Ok(Some(token.clone())),
            Some(_) => Err(ApiError::bad_value_token(key, &ApiError::bad_token())),
        }
    }

    pub(super) fn optional_string(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(ApiError::bad_value(
                ids::BAD_VALUE_STRING,
                key,
                "must be a string",
            )),
        }
    }

    pub(super) fn optional_bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(ApiError::bad_value(
                ids::BAD_VALUE_BOOLEAN,
                key,
                "must be a boolean",
            )),
        }
    }

    pub(super) fn optional_object(&self, key: &str) -> Result<Option<Value>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(object @ Value::Object(_)) => Ok(Some(object.clone())),
            Some(_) => Err(ApiError::bad_value(
                ids::BAD_VALUE_JSON,
                key,
                "must be a valid JSON",
            )),
        }
    }

    /// `type`, defaulting to an access token.
    pub(super) fn token_type(&self) -> Result<TokenType, ApiError> {
        match self.get(TYPE) {
            None => Ok(TokenType::access()),
            Some(value) => TokenType::from_json(value).map_err(|_| {
                ApiError::bad_value(ids::BAD_VALUE_TOKEN_TYPE, TYPE, "is not a valid token type")
            }),
        }
    }

    pub(super) fn caveats(&self) -> Result<Option<Vec<TypedCaveat>>, ApiError> {
        let Some(value) = self.get(CAVEATS) else {
            return Ok(None);
        };
        let items = value.as_array().ok_or_else(|| {
            ApiError::bad_value(ids::BAD_VALUE_JSON, CAVEATS, "must be a valid JSON")
        })?;
        items
            .iter()
            .map(|item| TypedCaveat::from_json(item).map_err(|_| bad_value_caveat(item)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub(super) fn peer_ip(&self) -> Result<Option<IpAddr>, ApiError> {
        match self.get(PEER_IP) {
            None => Ok(None),
            Some(Value::String(text)) => text
                .parse::<Ipv4Addr>()
                .map(|ip| Some(IpAddr::V4(ip)))
                .map_err(|_| bad_ipv4(PEER_IP)),
            Some(_) => Err(bad_ipv4(PEER_IP)),
        }
    }

    pub(super) fn interface(&self) -> Result<Option<InterfaceKind>, ApiError> {
        match self.get(INTERFACE) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .and_then(|text| text.parse().ok())
                .map(Some)
                .ok_or_else(|| ApiError::bad_value_not_allowed(INTERFACE, &INTERFACES)),
        }
    }

    /// `consumerToken`: absent is the caller, `null` no consumer.
    pub(super) fn consumer_token(&self) -> Result<ConsumerToken, ApiError> {
        match self.0.get(CONSUMER_TOKEN) {
            None => Ok(ConsumerToken::Caller),
            Some(Value::Null) => Ok(ConsumerToken::None),
            Some(_) => self
                .optional_token(CONSUMER_TOKEN)
                .map(|token| token.map_or(ConsumerToken::None, ConsumerToken::Token)),
        }
    }
}

pub(super) fn bad_ipv4(key: &str) -> ApiError {
    ApiError::bad_value(
        ids::BAD_VALUE_IPV4_ADDRESS,
        key,
        "is not a valid IPv4 address",
    )
}

pub(super) fn bad_value_caveat(caveat: &Value) -> ApiError {
    let mut details = Map::new();
    details.insert("caveat".into(), caveat.clone());
    ApiError::new(
        ids::BAD_VALUE_CAVEAT,
        format!("Provided caveat is invalid: '{caveat}'."),
        Some(Value::Object(details)),
    )
}

pub(super) fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

pub(super) fn caveats_json(caveats: &[TypedCaveat]) -> Value {
    Value::Array(caveats.iter().map(TypedCaveat::to_json).collect())
}

/// Deserializes a token given in body member `key`; a failure is `badValueToken` with the
/// token error (`badToken`, or `tokenTooLarge` with the 1 MiB limit) nested.
///
/// # Errors
/// `badValueToken` when `text` is not a Onezone token.
pub fn parse_body_token(key: &str, text: &str) -> Result<Token, ApiError> {
    Token::deserialize(text)
        .map_err(|e| ApiError::bad_value_token(key, &ApiError::from_token_error(&e)))
}

/// Whether `name` is a valid named-token name (ctool `validation.hrl`): 2 to 128 characters;
/// first and last a Unicode letter or digit, `_`, `(` or `)`; in between also space, `.`, `-`.
pub fn check_token_name(name: &str) -> bool {
    let count = name.chars().count();
    if !(2..=128).contains(&count) {
        return false;
    }
    let edge = |c: char| c.is_alphanumeric() || matches!(c, '_' | '(' | ')');
    name.chars().enumerate().all(|(n, c)| {
        if n == 0 || n + 1 == count {
            edge(c)
        } else {
            edge(c) || matches!(c, ' ' | '.' | '-')
        }
    })
}

pub(super) fn name_value(body: &Body<'_>) -> Result<Option<String>, ApiError> {
    match body.optional_string(NAME)? {
        None => Ok(None),
        Some(name) if check_token_name(name) => Ok(Some(name.to_owned())),
        Some(_) => Err(ApiError::new(
            ids::BAD_VALUE_NAME,
            "Bad value provided for \"name\": Name must be 2-128 characters long and composed \
             only of UTF-8 letters, digits, brackets and underscores. Dashes, spaces and dots \
             are allowed (but not at the beginning or the end).",
            Some(object(vec![("key", Value::from(NAME))])),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in ["ab", "my token", "a.b-c", "(x)", "żółw 1", &"x".repeat(128)] {
            assert!(check_token_name(good), "{good}");
        }
        for bad in ["a", "", " ab", "ab ", "a.", "-a", "a/b", &"x".repeat(129)] {
            assert!(!check_token_name(bad), "{bad}");
        }
    }
}
