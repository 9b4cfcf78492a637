//! Onezone's API errors (spec `onezone-tokens.md` §5): an id, a description, optional details,
//! an HTTP status, and the two JSON bodies a host may answer with.

use core::fmt;

use serde_json::{Map, Value};

use crate::error::DecodeError;
use crate::key::Redacted;
use crate::token::TokenError;

/// The largest serialized token Onezone accepts (`max_token_size`, 1 MiB), reported in
/// `tokenTooLarge`.
pub const MAX_TOKEN_SIZE: u64 = 1_048_576;

/// Onezone's error ids, as constants (spec §5.1 plus the request-validation ids of Onezone's
/// `errors.erl` that the request parsers of this module return).
pub mod ids {
    /// The token string cannot be deserialized.
    pub const BAD_TOKEN: &str = "badToken";
    /// The token is longer than the size limit; details `limit`.
    pub const TOKEN_TOO_LARGE: &str = "tokenTooLarge";
    /// Bad signature, deleted named token, impossible temporary generation.
    pub const TOKEN_INVALID: &str = "tokenInvalid";
    /// Revoked named token or stale temporary generation.
    pub const TOKEN_REVOKED: &str = "tokenRevoked";
    /// Caveat text that does not parse; details `caveat` (the raw text).
    pub const TOKEN_CAVEAT_UNKNOWN: &str = "tokenCaveatUnknown";
    /// A caveat failed or is not allowed for the token type; details `caveat` (JSON form).
    pub const TOKEN_CAVEAT_UNVERIFIED: &str = "tokenCaveatUnverified";
    /// A temporary token without a time caveat or with too long a TTL; details `maxTtl`.
    pub const TOKEN_TIME_CAVEAT_REQUIRED: &str = "tokenTimeCaveatRequired";
    /// The subject does not exist or does not match the stored record.
    pub const TOKEN_SUBJECT_INVALID: &str = "tokenSubjectInvalid";
    /// The service may not use this subject's token; details `service`.
    pub const TOKEN_SERVICE_FORBIDDEN: &str = "tokenServiceForbidden";
    /// A session-bound token used outside its session.
    pub const TOKEN_SESSION_INVALID: &str = "tokenSessionInvalid";
    /// Not an access token; details `received`.
    pub const NOT_AN_ACCESS_TOKEN: &str = "notAnAccessToken";
    /// Not an identity token; details `received`.
    pub const NOT_AN_IDENTITY_TOKEN: &str = "notAnIdentityToken";
    /// Not an invite token of the expected type; details `expectedInviteType`, `received`.
    pub const NOT_AN_INVITE_TOKEN: &str = "notAnInviteToken";
    /// The issuer may not (or no longer) issue such invites.
    pub const INVITE_TOKEN_SUBJECT_NOT_AUTHORIZED: &str = "inviteTokenSubjectNotAuthorized";
    /// The invite's usage limit is reached.
    pub const INVITE_TOKEN_USAGE_LIMIT_REACHED: &str = "inviteTokenUsageLimitReached";
    /// Wrong kind of consumer for the invite; details `consumer`.
    pub const INVITE_TOKEN_CONSUMER_INVALID: &str = "inviteTokenConsumerInvalid";
    /// The invite's target does not exist; details `id`.
    pub const INVITE_TOKEN_TARGET_ID_INVALID: &str = "inviteTokenTargetIdInvalid";
    /// The service token header is invalid; details `tokenError`.
    pub const BAD_SERVICE_TOKEN: &str = "badServiceToken";
    /// The consumer token is invalid; details `tokenError`.
    pub const BAD_CONSUMER_TOKEN: &str = "badConsumerToken";
    /// A token in the request body is invalid; details `key`, `tokenError`.
    pub const BAD_VALUE_TOKEN: &str = "badValueToken";
    /// Bad token `type`; details `key`.
    pub const BAD_VALUE_TOKEN_TYPE: &str = "badValueTokenType";
    /// Bad `expectedInviteType`; details `key`.
    pub const BAD_VALUE_INVITE_TYPE: &str = "badValueInviteType";
    /// The named-token name is taken; details `key`.
    pub const BAD_VALUE_IDENTIFIER_OCCUPIED: &str = "badValueIdentifierOccupied";
    /// A number below its minimum; details `key`, `limit`.
    pub const BAD_VALUE_TOO_LOW: &str = "badValueTooLow";
    /// The credential in a header failed; details `authError`.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// The subject user is blocked.
    pub const USER_BLOCKED: &str = "userBlocked";
    /// Authenticated but not allowed; optional details `hint`.
    pub const FORBIDDEN: &str = "forbidden";
    /// Unknown entity, token id or token name.
    pub const NOT_FOUND: &str = "notFound";
    /// The joining member already is a member of the target (409); details `subjectType`,
    /// `subjectId`, `relationType`, `relationId`.
    pub const RELATION_ALREADY_EXISTS: &str = "relationAlreadyExists";
    /// Any other failure.
    pub const INTERNAL_SERVER_ERROR: &str = "internalServerError";

    /// The request body is not a JSON object.
    pub const MALFORMED_DATA: &str = "malformedData";
    /// A required member is missing; details `key`.
    pub const MISSING_REQUIRED_VALUE: &str = "missingRequiredValue";
    /// None of the members of which one is required is present; details `keys`.
    pub const MISSING_AT_LEAST_ONE_VALUE: &str = "missingAtLeastOneValue";
    /// A member must be a string; details `key`.
    pub const BAD_VALUE_STRING: &str = "badValueString";
    /// A member must be a boolean; details `key`.
    pub const BAD_VALUE_BOOLEAN: &str = "badValueBoolean";
    /// A member must be an integer; details `key`.
    pub const BAD_VALUE_INTEGER: &str = "badValueInteger";
    /// A member must be a JSON object or array; details `key`.
    pub const BAD_VALUE_JSON: &str = "badValueJSON";
    /// A member must be a list of strings; details `key`.
    pub const BAD_VALUE_LIST_OF_STRINGS: &str = "badValueListOfStrings";
    /// A list holds values not allowed; details `key`, `allowed`.
    pub const BAD_VALUE_LIST_NOT_ALLOWED: &str = "badValueListNotAllowed";
    /// A member must be one of some values; details `key`, `allowed`.
    pub const BAD_VALUE_NOT_ALLOWED: &str = "badValueNotAllowed";
    /// A name breaks the naming rules; details `key`.
    pub const BAD_VALUE_NAME: &str = "badValueName";
    /// A member must be an IPv4 address; details `key`.
    pub const BAD_VALUE_IPV4_ADDRESS: &str = "badValueIPv4Address";
    /// A caveat (JSON form) is invalid; details `caveat`.
    pub const BAD_VALUE_CAVEAT: &str = "badValueCaveat";
}

/// Every id this module knows, with its HTTP status (spec §5.1's table, then the validation ids,
/// all 400).
pub const STATUS_TABLE: &[(&str, u16)] = &[
    (ids::BAD_TOKEN, 400),
    (ids::TOKEN_TOO_LARGE, 400),
    (ids::TOKEN_INVALID, 400),
    (ids::TOKEN_REVOKED, 400),
    (ids::TOKEN_CAVEAT_UNKNOWN, 400),
    (ids::TOKEN_CAVEAT_UNVERIFIED, 400),
    (ids::TOKEN_TIME_CAVEAT_REQUIRED, 400),
    (ids::TOKEN_SUBJECT_INVALID, 400),
    (ids::TOKEN_SERVICE_FORBIDDEN, 400),
    (ids::TOKEN_SESSION_INVALID, 400),
    (ids::NOT_AN_ACCESS_TOKEN, 400),
    (ids::NOT_AN_IDENTITY_TOKEN, 400),
    (ids::NOT_AN_INVITE_TOKEN, 400),
    (ids::INVITE_TOKEN_SUBJECT_NOT_AUTHORIZED, 400),
    (ids::INVITE_TOKEN_USAGE_LIMIT_REACHED, 400),
    (ids::INVITE_TOKEN_CONSUMER_INVALID, 400),
    (ids::INVITE_TOKEN_TARGET_ID_INVALID, 400),
    (ids::BAD_SERVICE_TOKEN, 400),
    (ids::BAD_CONSUMER_TOKEN, 400),
    (ids::BAD_VALUE_TOKEN, 400),
    (ids::BAD_VALUE_TOKEN_TYPE, 400),
    (ids::BAD_VALUE_INVITE_TYPE, 400),
    (ids::BAD_VALUE_IDENTIFIER_OCCUPIED, 400),
    (ids::BAD_VALUE_TOO_LOW, 400),
    (ids::UNAUTHORIZED, 401),
    (ids::USER_BLOCKED, 400),
    (ids::FORBIDDEN, 403),
    (ids::NOT_FOUND, 404),
    (ids::RELATION_ALREADY_EXISTS, 409),
    (ids::INTERNAL_SERVER_ERROR, 500),
    (ids::MALFORMED_DATA, 400),
    (ids::MISSING_REQUIRED_VALUE, 400),
    (ids::MISSING_AT_LEAST_ONE_VALUE, 400),
    (ids::BAD_VALUE_STRING, 400),
    (ids::BAD_VALUE_BOOLEAN, 400),
    (ids::BAD_VALUE_INTEGER, 400),
    (ids::BAD_VALUE_JSON, 400),
    (ids::BAD_VALUE_LIST_OF_STRINGS, 400),
    (ids::BAD_VALUE_LIST_NOT_ALLOWED, 400),
    (ids::BAD_VALUE_NOT_ALLOWED, 400),
    (ids::BAD_VALUE_NAME, 400),
    (ids::BAD_VALUE_IPV4_ADDRESS, 400),
    (ids::BAD_VALUE_CAVEAT, 400),
];

/// The HTTP status of a known error id; `None` for an id this module does not know.
pub fn http_status(id: &str) -> Option<u16> {
    STATUS_TABLE
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, status)| *status)
}

/// Which JSON body shape a host answers errors with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorStyle {
    /// Onezone 20.02 and later: `{"error":{"id":…,"description":…,"details":{…}}}`.
    #[default]
    Modern,
    /// The seed era (3.0.0-rc10), OAuth2 style: `{"error":"invalid_token",
    /// "error_description":"Provided token could not be validated."}`; a 401 also carries
    /// `WWW-Authenticate: error=<code>`.
    SeedEra,
}

/// Anything that can be reported as an Onezone API error: the issuer's error type implements
/// this so handlers can turn it into an [`ApiError`] with [`ApiError::from_error`].
pub trait AsApiError {
    /// Onezone's camelCase id, e.g. `tokenRevoked`.
    fn id(&self) -> &'static str;
    /// The human-readable description.
    fn description(&self) -> String;
    /// The `details` object, if the error has one.
    fn details(&self) -> Option<Value>;
}

/// An error as the Onezone API reports it: id, description, optional details, HTTP status.
///
/// ```
/// use mintage::api::{ApiError, ErrorStyle};
/// use serde_json::json;
///
/// let revoked = ApiError::new("tokenRevoked", "Provided token has been revoked.", None);
/// assert_eq!(revoked.status(), 400);
/// let header_failure = ApiError::unauthorized(&revoked);
/// assert_eq!(header_failure.status(), 401);
/// assert_eq!(
///     header_failure.to_json(ErrorStyle::SeedEra),
///     json!({"error": "invalid_token",
///            "error_description": "Provided token could not be validated."})
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError(Box<Inner>);

/// Boxed so that `Result<_, ApiError>` stays one pointer wide.
#[derive(Clone, Debug, PartialEq)]
struct Inner {
    id: &'static str,
    description: String,
    details: Option<Value>,
    status: u16,
    legacy: Option<(&'static str, String)>,
}

/// A response for the host to send: the HTTP status, the JSON body (`Value::Null` for none, as
/// for 204) and extra headers (`Location`, `WWW-Authenticate`).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The JSON body; `Value::Null` means no body.
    pub body: Value,
    /// Headers to add, as `(name, value)`.
    pub headers: Vec<(&'static str, String)>,
}

impl fmt::Debug for ApiResponse {
    /// A top-level `token` member of the body (a serialized token: its signature is a secret)
    /// shows only its length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ApiResponse");
        s.field("status", &self.status);
        match self.body.get("token").and_then(Value::as_str) {
            Some(token) => {
                let mut body = self.body.clone();
                body["token"] = Value::from(format!("{:?}", Redacted(token.len())));
                s.field("body", &body)
            }
            None => s.field("body", &self.body),
        };
        s.field("headers", &self.headers).finish()
    }
}

impl ApiResponse {
    /// A response with `status` and a JSON `body`.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// 200 with `body`.
    pub fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    /// 201 with `body` (`Value::Null` for none) and a `Location` header.
    pub fn created(body: Value, location: impl Into<String>) -> Self {
        Self::json(201, body).with_header("Location", location)
    }

    /// 204 without a body.
    pub fn no_content() -> Self {
        Self::json(204, Value::Null)
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The value of the first header called `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON text; empty when there is no body.
    pub fn body_text(&self) -> String {
        if self.body.is_null() {
            String::new()
        } else {
            self.body.to_string()
        }
    }
}

const SEED_INVALID_TOKEN: &str = "Provided token could not be validated.";

impl ApiError {
    /// An error with `id`, `description` and `details`; the status comes from
    /// [`STATUS_TABLE`], 500 for an id it does not know (use [`ApiError::with_status`] then).
    pub fn new(id: &'static str, description: impl Into<String>, details: Option<Value>) -> Self {
        Self(Box::new(Inner {
            id,
            description: description.into(),
            details,
            status: http_status(id).unwrap_or(500),
            legacy: None,
        }))
    }

    /// The same error with another HTTP status (for ids outside [`STATUS_TABLE`]).
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = status;
        self
    }

    /// The API error for `error` (its id, description and details).
    pub fn from_error(error: &(impl AsApiError + ?Sized)) -> Self {
        Self::new(error.id(), error.description(), error.details())
    }

    /// `unauthorized` (401): the credential in a request header failed with `inner`, which is
    /// nested as `details.authError`.
    pub fn unauthorized(inner: &(impl AsApiError + ?Sized)) -> Self {
        Self::new(
            ids::UNAUTHORIZED,
            "Provided authentication is not valid (see details).",
            Some(one_member("authError", inner_object(inner))),
        )
    }

    /// `unauthorized` (401) without a nested error: no credential was given.
    pub fn unauthenticated() -> Self {
        Self::new(
            ids::UNAUTHORIZED,
            "You must authenticate yourself to perform this operation.",
            None,
        )
    }

    /// `badValueToken` (400): the token in body member `key` failed with `inner`, nested as
    /// `details.tokenError`.
    pub fn bad_value_token(key: &str, inner: &(impl AsApiError + ?Sized)) -> Self {
        let mut details = Map::new();
        details.insert("key".into(), Value::from(key));
        details.insert("tokenError".into(), inner_object(inner));
        Self::new(
            ids::BAD_VALUE_TOKEN,
            format!("Bad value: provided \"{key}\" is not a valid token (see details)."),
            Some(Value::Object(details)),
        )
    }

    /// `badServiceToken` (400): the service token failed with `inner`.
    pub fn bad_service_token(inner: &(impl AsApiError + ?Sized)) -> Self {
        Self::new(
            ids::BAD_SERVICE_TOKEN,
            "Provided service token is not valid (see details).",
            Some(one_member("tokenError", inner_object(inner))),
        )
    }

    /// `badConsumerToken` (400): the consumer token failed with `inner`.
    pub fn bad_consumer_token(inner: &(impl AsApiError + ?Sized)) -> Self {
        Self::new(
            ids::BAD_CONSUMER_TOKEN,
            "Provided consumer token is not valid (see details).",
            Some(one_member("tokenError", inner_object(inner))),
        )
    }

    /// `badToken` (400): the token text does not deserialize.
    pub fn bad_token() -> Self {
        Self::new(
            ids::BAD_TOKEN,
            "Provided token could not be understood by the server.",
            None,
        )
    }

    /// The error for a token that does not deserialize: `tokenTooLarge` (details `limit`,
    /// Onezone's 1 MiB) when it passes the size limit, else `badToken`. Wrap it with
    /// [`ApiError::unauthorized`] for a header token or [`ApiError::bad_value_token`] for a body
    /// token.
    pub fn from_token_error(error: &TokenError) -> Self {
        match error {
            TokenError::Decode(DecodeError::TooLong) => Self::new(
                ids::TOKEN_TOO_LARGE,
                format!("Provided token exceeds the allowed size ({MAX_TOKEN_SIZE} characters)."),
                Some(one_member("limit", Value::from(MAX_TOKEN_SIZE))),
            ),
            _ => Self::bad_token(),
        }
    }

    /// `forbidden` (403), with an optional hint.
    pub fn forbidden(hint: Option<&str>) -> Self {
        match hint {
            None => Self::new(
                ids::FORBIDDEN,
                "You are not authorized to perform this operation.",
                None,
            ),
            Some(hint) => {
                let dot = if hint.ends_with('.') { "" } else { "." };
                Self::new(
                    ids::FORBIDDEN,
                    format!("You are not authorized to perform this operation: {hint}{dot}"),
                    Some(one_member("hint", Value::from(hint))),
                )
            }
        }
    }

    /// `notFound` (404).
    pub fn not_found() -> Self {
        Self::new(ids::NOT_FOUND, "The resource could not be found.", None)
    }

    /// `internalServerError` (500).
    pub fn internal() -> Self {
        Self::new(
            ids::INTERNAL_SERVER_ERROR,
            "The server has encountered an error while processing this request.",
            None,
        )
    }

    /// `malformedData` (400): the body is not a JSON object.
    pub fn malformed_data() -> Self {
        Self::new(
            ids::MALFORMED_DATA,
            "Provided data could not be understood by the server.",
            None,
        )
    }

    /// `missingRequiredValue` (400) for `key`.
    pub fn missing_required_value(key: &str) -> Self {
        Self::new(
            ids::MISSING_REQUIRED_VALUE,
            format!("Missing required value: {key}."),
            Some(key_details(key)),
        )
    }

    /// `missingAtLeastOneValue` (400) for `keys`.
    pub fn missing_at_least_one_value(keys: &[&str]) -> Self {
        Self::new(
            ids::MISSING_AT_LEAST_ONE_VALUE,
            format!(
                "Missing data, you must provide at least one of: {}.",
                keys.join(", ")
            ),
            Some(one_member(
                "keys",
                Value::Array(keys.iter().map(|k| Value::from(*k)).collect()),
            )),
        )
    }

    /// A `{"key": key}` error whose description is `Bad value: provided "<key>" <what>.`, e.g.
    /// `bad_value(ids::BAD_VALUE_BOOLEAN, "revoked", "must be a boolean")`.
    pub fn bad_value(id: &'static str, key: &str, what: &str) -> Self {
        Self::new(
            id,
            format!("Bad value: provided \"{key}\" {what}."),
            Some(key_details(key)),
        )
    }

    /// `badValueTooLow` (400): `key` must be at least `limit`.
    pub fn bad_value_too_low(key: &str, limit: u64) -> Self {
        let mut details = Map::new();
        details.insert("key".into(), Value::from(key));
        details.insert("limit".into(), Value::from(limit));
        Self::new(
            ids::BAD_VALUE_TOO_LOW,
            format!("Bad value: provided \"{key}\" must be at least {limit}."),
            Some(Value::Object(details)),
        )
    }

    /// `badValueNotAllowed` (400): `key` must be one of `allowed`.
    pub fn bad_value_not_allowed(key: &str, allowed: &[&str]) -> Self {
        let mut details = Map::new();
        details.insert("key".into(), Value::from(key));
        details.insert(
            "allowed".into(),
            Value::Array(allowed.iter().map(|a| Value::from(*a)).collect()),
        );
        Self::new(
            ids::BAD_VALUE_NOT_ALLOWED,
            format!(
                "Bad value: provided \"{key}\" must be one of: {}.",
                allowed.join(", ")
            ),
            Some(Value::Object(details)),
        )
    }

    /// The id, e.g. `tokenRevoked`.
    pub fn id(&self) -> &'static str {
        self.0.id
    }

    /// The description.
    pub fn description(&self) -> &str {
        &self.0.description
    }

    /// The details object, if any.
    pub fn details(&self) -> Option<&Value> {
        self.0.details.as_ref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The error object `{"id","description","details"?}` (without the outer `error` member),
    /// as nested in `authError` and `tokenError`.
    pub fn to_object(&self) -> Value {
        error_object(self.0.id, &self.0.description, self.0.details.as_ref())
    }

    /// The body in `style`: `{"error":{…}}` or `{"error":<code>,"error_description":<text>}`.
    pub fn to_json(&self, style: ErrorStyle) -> Value {
        match style {
            ErrorStyle::Modern => one_member("error", self.to_object()),
            ErrorStyle::SeedEra => {
                let (code, description) = self.legacy();
                let mut body = Map::new();
                body.insert("error".into(), Value::from(code));
                body.insert("error_description".into(), Value::from(description));
                Value::Object(body)
            }
        }
    }

    /// The full response in `style`. A seed-era 401 also carries
    /// `WWW-Authenticate: error=<code>`.
    pub fn to_response(&self, style: ErrorStyle) -> ApiResponse {
        let response = ApiResponse::json(self.0.status, self.to_json(style));
        if style == ErrorStyle::SeedEra && self.0.status == 401 {
            let (code, _) = self.legacy();
            response.with_header("WWW-Authenticate", format!("error={code}"))
        } else {
            response
        }
    }

    /// The seed-era error code and description (see the [module docs](super) for the table).
    pub fn legacy(&self) -> (&'static str, String) {
        match &self.0.legacy {
            Some((code, description)) => (code, description.clone()),
            None => legacy_of(
                self.0.id,
                &self.0.description,
                self.0.details.as_ref(),
                self.0.status,
            ),
        }
    }

    /// The same error with a fixed seed-era code and description, for a handler that knows the
    /// seed's exact text, e.g. the seed's join answering
    /// `invalid_request` / `invalid 'token' value: '<token>'`.
    #[must_use]
    pub fn with_legacy(mut self, code: &'static str, description: impl Into<String>) -> Self {
        self.0.legacy = Some((code, description.into()));
        self
    }
}

impl AsApiError for ApiError {
    fn id(&self) -> &'static str {
        self.0.id
    }

    fn description(&self) -> String {
        self.0.description.clone()
    }

    fn details(&self) -> Option<Value> {
        self.0.details.clone()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.id, self.0.description)
    }
}

impl core::error::Error for ApiError {}

fn one_member(key: &str, value: Value) -> Value {
    let mut object = Map::new();
    object.insert(key.into(), value);
    Value::Object(object)
}

fn key_details(key: &str) -> Value {
    one_member("key", Value::from(key))
}

fn error_object(id: &str, description: &str, details: Option<&Value>) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), Value::from(id));
    object.insert("description".into(), Value::from(description));
    if let Some(details) = details {
        object.insert("details".into(), details.clone());
    }
    Value::Object(object)
}

fn inner_object(inner: &(impl AsApiError + ?Sized)) -> Value {
    error_object(inner.id(), &inner.description(), inner.details().as_ref())
}

/// Token failures: the seed era reported them all as `invalid_token`.
const TOKEN_FAILURES: &[&str] = &[
    ids::BAD_TOKEN,
    ids::TOKEN_TOO_LARGE,
    ids::TOKEN_INVALID,
    ids::TOKEN_REVOKED,
    ids::TOKEN_CAVEAT_UNKNOWN,
    ids::TOKEN_CAVEAT_UNVERIFIED,
    ids::TOKEN_SUBJECT_INVALID,
    ids::TOKEN_SERVICE_FORBIDDEN,
    ids::TOKEN_SESSION_INVALID,
    ids::NOT_AN_ACCESS_TOKEN,
    ids::NOT_AN_IDENTITY_TOKEN,
    ids::NOT_AN_INVITE_TOKEN,
    ids::INVITE_TOKEN_SUBJECT_NOT_AUTHORIZED,
    ids::INVITE_TOKEN_USAGE_LIMIT_REACHED,
    ids::INVITE_TOKEN_CONSUMER_INVALID,
    ids::INVITE_TOKEN_TARGET_ID_INVALID,
    ids::BAD_SERVICE_TOKEN,
    ids::BAD_CONSUMER_TOKEN,
    ids::USER_BLOCKED,
    ids::UNAUTHORIZED,
];

fn legacy_of(
    id: &str,
    description: &str,
    details: Option<&Value>,
    status: u16,
) -> (&'static str, String) {
    if id == ids::UNAUTHORIZED || id == ids::BAD_SERVICE_TOKEN || id == ids::BAD_CONSUMER_TOKEN {
        let member = if id == ids::UNAUTHORIZED {
            "authError"
        } else {
            "tokenError"
        };
        if let Some(expiry) = details
            .and_then(|d| d.get(member))
            .and_then(|inner| expired_at(inner.get("id"), inner.get("details")))
        {
            return ("token_expired", expiry);
        }
        return ("invalid_token", SEED_INVALID_TOKEN.into());
    }
    if let Some(expiry) = expired_at(Some(&Value::from(id)), details) {
        return ("token_expired", expiry);
    }
    if TOKEN_FAILURES.contains(&id) {
        return ("invalid_token", SEED_INVALID_TOKEN.into());
    }
    match id {
        ids::FORBIDDEN => return ("forbidden", description.into()),
        ids::NOT_FOUND => return ("root_resource_not_found", description.into()),
        ids::INTERNAL_SERVER_ERROR => return ("server_error", description.into()),
        _ => {}
    }
    match status {
        400 => {
            let text = match details.and_then(|d| d.get("key")).and_then(Value::as_str) {
                Some(key) => format!("invalid '{key}' value"),
                None => description.into(),
            };
            ("invalid_request", text)
        }
        401 => ("invalid_token", SEED_INVALID_TOKEN.into()),
        403 => ("forbidden", description.into()),
        404 => ("root_resource_not_found", description.into()),
        409 => ("invalid_request", description.into()),
        _ => ("server_error", description.into()),
    }
}

/// `expired YYYY-MM-DD HH:MM:SS UTC` for a `tokenCaveatUnverified` error on a time caveat.
fn expired_at(id: Option<&Value>, details: Option<&Value>) -> Option<String> {
    if id.and_then(Value::as_str) != Some(ids::TOKEN_CAVEAT_UNVERIFIED) {
        return None;
    }
    let caveat = details?.get("caveat")?;
    if caveat.get("type").and_then(Value::as_str) != Some("time") {
        return None;
    }
    let until = caveat.get("validUntil")?.as_u64()?;
    Some(format!("expired {}", utc_text(until)))
}

pub(super) use crate::caveat::iso8601;

/// `YYYY-MM-DD HH:MM:SS UTC` (the seed era's wording) for seconds since the Unix epoch.
fn utc_text(secs: u64) -> String {
    iso8601(secs).replacen('T', " ", 1).replacen('Z', " UTC", 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn utc_text_matches_known_dates() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_text(1_496_140_144), "2017-05-30 10:29:04 UTC");
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_text(4_107_542_399), "2100-02-28 23:59:59 UTC");
    }

    #[test]
    fn expired_time_caveat_is_token_expired_in_seed_era() {
        let e = ApiError::new(
            ids::TOKEN_CAVEAT_UNVERIFIED,
            "Provided token is not valid - this token has expired.",
            Some(json!({"caveat": {"type": "time", "validUntil": 1_496_140_144}})),
        );
        let expected = (
            "token_expired",
            "expired 2017-05-30 10:29:04 UTC".to_owned(),
        );
        assert_eq!(e.legacy(), expected);
        assert_eq!(ApiError::unauthorized(&e).legacy(), expected);
        let ip = ApiError::new(
            ids::TOKEN_CAVEAT_UNVERIFIED,
            "ip",
            Some(json!({"caveat": {"type": "ip", "whitelist": ["1.2.3.4/32"]}})),
        );
        assert_eq!(ip.legacy().0, "invalid_token");
    }

    #[test]
    fn unknown_ids_fall_back_by_status() {
        let e = ApiError::new("somethingElse", "x", None);
        assert_eq!(e.status(), 500);
        assert_eq!(e.legacy().0, "server_error");
        let e = e.with_status(409);
        assert_eq!(e.status(), 409);
        assert_eq!(
            ApiError::new("x", "d", None).with_status(400).legacy().0,
            "invalid_request"
        );
        assert_eq!(
            ApiError::new("x", "d", None).with_status(401).legacy().0,
            "invalid_token"
        );
    }

    #[test]
    fn seed_401_carries_www_authenticate() {
        let inner = ApiError::new(ids::TOKEN_INVALID, "Provided token is not valid.", None);
        let r = ApiError::unauthorized(&inner).to_response(ErrorStyle::SeedEra);
        assert_eq!(r.status, 401);
        assert_eq!(r.header("www-authenticate"), Some("error=invalid_token"));
        let r = ApiError::unauthorized(&inner).to_response(ErrorStyle::Modern);
        assert_eq!(r.header("WWW-Authenticate"), None);
    }
}
