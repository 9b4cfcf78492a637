//! Request and response bodies of the token endpoints (spec `onezone-tokens.md` §2.1, §2.2).
//!
//! Request parsers follow Onezone's sanitizer: members they do not know are ignored, a missing
//! required member is `missingRequiredValue`, a mistyped one the `badValue*` error of its key.

use core::net::{IpAddr, Ipv4Addr};

use serde_json::{Map, Value};

use super::error::{ApiError, ids};
use crate::caveat::{InterfaceKind, TypedCaveat};
use crate::privilege::{Privilege, list as privilege_list};
use crate::store::{NamedTokenRecord, NamedTokenUpdate};
use crate::token::{InviteType, Subject, Token, TokenType};

const TOKEN: &str = "token";
const NAME: &str = "name";
const TYPE: &str = "type";
const CAVEATS: &str = "caveats";
const CUSTOM_METADATA: &str = "customMetadata";
const REVOKED: &str = "revoked";
const PRIVILEGES: &str = "privileges";
const USAGE_LIMIT: &str = "usageLimit";
const PEER_IP: &str = "peerIp";
const SERVICE_TOKEN: &str = "serviceToken";
const CONSUMER_TOKEN: &str = "consumerToken";
const INTERFACE: &str = "interface";
const ALLOW_DATA_ACCESS_CAVEATS: &str = "allowDataAccessCaveats";
const EXPECTED_INVITE_TYPE: &str = "expectedInviteType";
const INFINITY: &str = "infinity";
const ANY: &str = "any";
const INTERFACES: [&str; 3] = ["rest", "oneclient", "graphsync"];

/// The members of a request body.
struct Body<'a>(&'a Map<String, Value>);

impl<'a> Body<'a> {
    fn new(value: &'a Value) -> Result<Self, ApiError> {
        value
            .as_object()
            .map(Self)
            .ok_or_else(ApiError::malformed_data)
    }

    /// A member; `null` counts as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    fn token(&self, key: &str) -> Result<String, ApiError> {
        self.optional_token(key)?
            .ok_or_else(|| ApiError::missing_required_value(key))
    }

    fn optional_token(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(token)) if !token.is_empty() => Ok(Some(token.clone())),
            Some(_) => Err(ApiError::bad_value_token(key, &ApiError::bad_token())),
        }
    }

    fn optional_string(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
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

    fn optional_bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
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

    fn optional_object(&self, key: &str) -> Result<Option<Value>, ApiError> {
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
    fn token_type(&self) -> Result<TokenType, ApiError> {
        match self.get(TYPE) {
            None => Ok(TokenType::access()),
            Some(value) => TokenType::from_json(value).map_err(|_| {
                ApiError::bad_value(ids::BAD_VALUE_TOKEN_TYPE, TYPE, "is not a valid token type")
            }),
        }
    }

    fn caveats(&self) -> Result<Option<Vec<TypedCaveat>>, ApiError> {
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

    fn peer_ip(&self) -> Result<Option<IpAddr>, ApiError> {
        match self.get(PEER_IP) {
            None => Ok(None),
            Some(Value::String(text)) => text
                .parse::<Ipv4Addr>()
                .map(|ip| Some(IpAddr::V4(ip)))
                .map_err(|_| bad_ipv4(PEER_IP)),
            Some(_) => Err(bad_ipv4(PEER_IP)),
        }
    }

    fn interface(&self) -> Result<Option<InterfaceKind>, ApiError> {
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
    fn consumer_token(&self) -> Result<ConsumerToken, ApiError> {
        match self.0.get(CONSUMER_TOKEN) {
            None => Ok(ConsumerToken::Caller),
            Some(Value::Null) => Ok(ConsumerToken::None),
            Some(_) => self
                .optional_token(CONSUMER_TOKEN)
                .map(|token| token.map_or(ConsumerToken::None, ConsumerToken::Token)),
        }
    }
}

fn bad_ipv4(key: &str) -> ApiError {
    ApiError::bad_value(
        ids::BAD_VALUE_IPV4_ADDRESS,
        key,
        "is not a valid IPv4 address",
    )
}

fn bad_value_caveat(caveat: &Value) -> ApiError {
    let mut details = Map::new();
    details.insert("caveat".into(), caveat.clone());
    ApiError::new(
        ids::BAD_VALUE_CAVEAT,
        format!("Provided caveat is invalid: '{caveat}'."),
        Some(Value::Object(details)),
    )
}

fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

fn caveats_json(caveats: &[TypedCaveat]) -> Value {
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

fn name_value(body: &Body<'_>) -> Result<Option<String>, ApiError> {
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

/// A body holding one token: `{"token":"…"}`. `POST /user/groups/join` (and the other join
/// endpoints) and `POST /tokens/examine` take it.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// A body holding a serialized token: `{"token":"…"}`. The answer of the seed endpoint
/// `GET /groups/{id}/users/token` (and its `POST` successors), of `POST /user/tokens/temporary`
/// and of `POST /tokens/confine`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The serialized token.
    pub token: String,
}

impl TokenResponse {
    /// A response carrying `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
        }
    }

    /// `{"token":"…"}`.
    pub fn to_json(&self) -> Value {
        object(vec![(TOKEN, Value::from(self.token.as_str()))])
    }

    /// The response with `status`: 200 for the invite-token endpoints and confine, 201 for a
    /// temporary token.
    pub fn to_response(&self, status: u16) -> super::ApiResponse {
        super::ApiResponse::json(status, self.to_json())
    }
}

/// The answer to a join: 201, no body, `Location` of the joined entity, e.g.
/// `/user/groups/{groupId}` for `POST /user/groups/join`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JoinResponse {
    /// The id of the joined entity.
    pub entity_id: String,
    /// The `Location` header.
    pub location: String,
}

impl JoinResponse {
    /// The user joined group `group_id`: `Location: /user/groups/{group_id}`.
    pub fn user_group(group_id: impl Into<String>) -> Self {
        let entity_id = group_id.into();
        let location = format!("/user/groups/{entity_id}");
        Self {
            entity_id,
            location,
        }
    }

    /// A join of `entity_id` answered with `location`.
    pub fn new(entity_id: impl Into<String>, location: impl Into<String>) -> Self {
        Self {
            entity_id: entity_id.into(),
            location: location.into(),
        }
    }

    /// 201 with no body and the `Location` header.
    pub fn to_response(&self) -> super::ApiResponse {
        super::ApiResponse::created(Value::Null, self.location.as_str())
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

/// The answer to creating a named token: 201, `{"tokenId","token"}`,
/// `Location: /tokens/named/{tokenId}`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NamedTokenCreated {
    /// The new token's id.
    pub token_id: String,
    /// The serialized token.
    pub token: String,
}

impl NamedTokenCreated {
    /// The token `token_id`, serialized as `token`.
    pub fn new(token_id: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            token_id: token_id.into(),
            token: token.into(),
        }
    }

    /// `{"tokenId":"…","token":"…"}`.
    pub fn to_json(&self) -> Value {
        object(vec![
            ("tokenId", Value::from(self.token_id.as_str())),
            (TOKEN, Value::from(self.token.as_str())),
        ])
    }

    /// 201 with the body and `Location: /tokens/named/{tokenId}`.
    pub fn to_response(&self) -> super::ApiResponse {
        super::ApiResponse::created(self.to_json(), format!("/tokens/named/{}", self.token_id))
    }
}

/// `{"tokens":[ids]}`: the answer of `GET /user/tokens/named` and `GET /tokens/named`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenIdList {
    /// Token ids.
    pub tokens: Vec<String>,
}

impl TokenIdList {
    /// A list of `tokens`.
    pub fn new(tokens: Vec<String>) -> Self {
        Self { tokens }
    }

    /// `{"tokens":[…]}`.
    pub fn to_json(&self) -> Value {
        object(vec![(
            "tokens",
            Value::Array(
                self.tokens
                    .iter()
                    .map(|t| Value::from(t.as_str()))
                    .collect(),
            ),
        )])
    }
}

/// `{"generation":N}`: the answer of `GET /user/tokens/temporary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemporaryGeneration {
    /// The subject's current temporary-token generation.
    pub generation: u64,
}

impl TemporaryGeneration {
    /// Generation `generation`.
    pub fn new(generation: u64) -> Self {
        Self { generation }
    }

    /// `{"generation":N}`.
    pub fn to_json(&self) -> Value {
        object(vec![("generation", Value::from(self.generation))])
    }
}

/// `{"revoked":bool}`: the answer of `GET /tokens/named/{id}/status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NamedTokenStatus {
    /// Whether the token is revoked.
    pub revoked: bool,
}

impl NamedTokenStatus {
    /// A status.
    pub fn new(revoked: bool) -> Self {
        Self { revoked }
    }

    /// `{"revoked":bool}`.
    pub fn to_json(&self) -> Value {
        object(vec![(REVOKED, Value::from(self.revoked))])
    }
}

/// A named token's metadata (OZW `token_metadata.erl`): `{"creationTime","custom"}`, and for
/// invite tokens also `usageLimit`, `usageCount` and `privileges` (`null` when not applicable).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenMetadata {
    /// Creation time, seconds since the Unix epoch.
    pub creation_time: u64,
    /// The custom metadata object.
    pub custom: Value,
    /// For invite tokens: limit, count and carried privileges.
    pub invite: Option<(UsageLimit, u64, Option<Vec<Privilege>>)>,
}

impl NamedTokenMetadata {
    /// Metadata of a token created at `creation_time` with `custom` metadata.
    pub fn new(creation_time: u64, custom: Value) -> Self {
        Self {
            creation_time,
            custom,
            invite: None,
        }
    }

    /// With the invite fields.
    #[must_use]
    pub fn with_invite(
        mut self,
        usage_limit: UsageLimit,
        usage_count: u64,
        privileges: Option<Vec<Privilege>>,
    ) -> Self {
        self.invite = Some((usage_limit, usage_count, privileges));
        self
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        let mut members = vec![
            ("creationTime", Value::from(self.creation_time)),
            ("custom", self.custom.clone()),
        ];
        if let Some((limit, count, privileges)) = &self.invite {
            members.push((USAGE_LIMIT, limit.to_json()));
            members.push(("usageCount", Value::from(*count)));
            members.push((
                PRIVILEGES,
                privileges
                    .as_deref()
                    .map_or(Value::Null, privilege_list::to_json),
            ));
        }
        object(members)
    }
}

/// The `NamedToken` object of `GET /user/tokens/named/name/{name}` and `GET`/`PATCH`
/// `/tokens/named/{id}`: `{"id","name","subject","type","caveats","metadata","revoked"}` and
/// `token` (the serialized token) when given.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenInfo {
    /// The token id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The subject.
    pub subject: Subject,
    /// The token type.
    pub token_type: TokenType,
    /// The caveats minted into the token.
    pub caveats: Vec<TypedCaveat>,
    /// The metadata.
    pub metadata: NamedTokenMetadata,
    /// Whether the token is revoked.
    pub revoked: bool,
    /// The serialized token, if the host shows it.
    pub token: Option<String>,
}

impl NamedTokenInfo {
    /// The object for a stored `record`, with the serialized `token` if given. Invite records
    /// get the invite metadata fields; privileges are `null` when the invite type carries
    /// none.
    ///
    /// # Errors
    /// `tokenCaveatUnknown` (details `caveat`: the text) for a stored caveat that does not
    /// parse.
    pub fn from_record(record: &NamedTokenRecord, token: Option<String>) -> Result<Self, ApiError> {
        let caveats = record
            .caveats()
            .iter()
            .map(|text| {
                text.parse::<TypedCaveat>()
                    .map_err(|_| caveat_unknown(text))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut metadata =
            NamedTokenMetadata::new(record.creation_time(), record.custom_metadata().clone());
        if let Some(invite_type) = record.token_type().invite_type() {
            let privileges = if invite_type.privileges_applicable() {
                record.privileges().map(<[Privilege]>::to_vec)
            } else {
                None
            };
            metadata = metadata.with_invite(
                UsageLimit::from_option(record.usage_limit()),
                record.usage_count(),
                privileges,
            );
        }
        Ok(Self {
            id: record.id().to_owned(),
            name: record.name().to_owned(),
            subject: record.subject().clone(),
            token_type: record.token_type().clone(),
            caveats,
            metadata,
            revoked: record.is_revoked(),
            token,
        })
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        let mut members = vec![
            ("id", Value::from(self.id.as_str())),
            (NAME, Value::from(self.name.as_str())),
            ("subject", self.subject.to_json()),
            (TYPE, self.token_type.to_json()),
            (CAVEATS, caveats_json(&self.caveats)),
            ("metadata", self.metadata.to_json()),
            (REVOKED, Value::from(self.revoked)),
        ];
        if let Some(token) = &self.token {
            members.push((TOKEN, Value::from(token.as_str())));
        }
        object(members)
    }
}

fn caveat_unknown(text: &str) -> ApiError {
    ApiError::new(
        ids::TOKEN_CAVEAT_UNKNOWN,
        format!("Unknown caveat - '{text}'."),
        Some(object(vec![("caveat", Value::from(text))])),
    )
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

// The answer of `POST /tokens/examine` is `crate::issuer::ExaminedToken::to_json`.

/// The body of `POST /tokens/confine`: `{"token","caveats":[…]}`.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
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

/// The answer of the three verify endpoints: `{"subject":{"type","id"},"ttl":N|null}`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyResponse {
    /// The token's subject.
    pub subject: Subject,
    /// Seconds until the earliest time caveat expires; `None` without a time caveat.
    pub ttl: Option<u64>,
}

impl VerifyResponse {
    /// A response.
    pub fn new(subject: Subject, ttl: Option<u64>) -> Self {
        Self { subject, ttl }
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        object(vec![
            ("subject", self.subject.to_json()),
            ("ttl", self.ttl.map_or(Value::Null, Value::from)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        for good in ["ab", "my token", "a.b-c", "(x)", "żółw 1", &"x".repeat(128)] {
            assert!(check_token_name(good), "{good}");
        }
        for bad in ["a", "", " ab", "ab ", "a.", "-a", "a/b", &"x".repeat(129)] {
            assert!(!check_token_name(bad), "{bad}");
        }
    }

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
