//! The response bodies of the token endpoints (spec `onezone-tokens.md` §2.1, §2.2), each
//! written as JSON by `to_json` and, where the status is fixed, as a whole response by
//! `to_response`. The answer of `POST /tokens/examine` is
//! [`ExaminedToken::to_json`](crate::issuer::ExaminedToken::to_json).

use core::fmt;

use serde_json::Value;

use super::body::{
    CAVEATS, NAME, PRIVILEGES, REVOKED, TOKEN, TYPE, USAGE_LIMIT, caveats_json, object,
};
use super::error::{ApiError, ApiResponse, ids};
use super::request::UsageLimit;
use crate::caveat::TypedCaveat;
use crate::issuer::{NamedTokenInfo, VerifiedToken};
use crate::key::Redacted;
use crate::privilege::{Privilege, list as privilege_list};
use crate::token::{Subject, TokenType};

/// A body holding a serialized token: `{"token":"…"}`. The answer of the seed endpoint
/// `GET /groups/{id}/users/token` (and its `POST` successors), of `POST /user/tokens/temporary`
/// and of `POST /tokens/confine`.
#[derive(Clone, PartialEq, Eq)]
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
    pub fn to_response(&self, status: u16) -> ApiResponse {
        ApiResponse::json(status, self.to_json())
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
    pub fn to_response(&self) -> ApiResponse {
        ApiResponse::created(Value::Null, self.location.as_str())
    }
}

/// The answer to creating a named token: 201, `{"tokenId","token"}`,
/// `Location: /tokens/named/{tokenId}`.
#[derive(Clone, PartialEq, Eq)]
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
    pub fn to_response(&self) -> ApiResponse {
        ApiResponse::created(self.to_json(), format!("/tokens/named/{}", self.token_id))
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
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct NamedToken {
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

impl NamedToken {
    /// The object for what the issuer tells about a named token. Invite tokens get the invite
    /// metadata fields; privileges are `null` when the invite type carries none.
    ///
    /// # Errors
    /// `tokenCaveatUnknown` (details `caveat`: the text) for a stored caveat that does not
    /// parse.
    pub fn from_info(info: &NamedTokenInfo) -> Result<Self, ApiError> {
        let caveats = info
            .caveats
            .iter()
            .map(|text| {
                text.parse::<TypedCaveat>()
                    .map_err(|_| caveat_unknown(text))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut metadata =
            NamedTokenMetadata::new(info.creation_time, info.custom_metadata.clone());
        if let Some(invite_type) = info.token_type.invite_type() {
            let privileges = if invite_type.privileges_applicable() {
                info.privileges.clone()
            } else {
                None
            };
            metadata = metadata.with_invite(
                UsageLimit::from_option(info.usage_limit),
                info.usage_count,
                privileges,
            );
        }
        Ok(Self {
            id: info.id.clone(),
            name: info.name.clone(),
            subject: info.subject.clone(),
            token_type: info.token_type.clone(),
            caveats,
            metadata,
            revoked: info.revoked,
            token: Some(info.token.clone()),
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

    /// The answer for a token that verified.
    pub fn from_verified(verified: VerifiedToken) -> Self {
        Self::new(verified.subject, verified.ttl)
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        object(vec![
            ("subject", self.subject.to_json()),
            ("ttl", self.ttl.map_or(Value::Null, Value::from)),
        ])
    }
}

// `Debug` shows the length of each serialized token, never the token: its signature is a
// secret.

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token", &Redacted(self.token.len()))
            .finish()
    }
}

impl fmt::Debug for NamedTokenCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedTokenCreated")
            .field("token_id", &self.token_id)
            .field("token", &Redacted(self.token.len()))
            .finish()
    }
}

impl fmt::Debug for NamedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedToken")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("subject", &self.subject)
            .field("token_type", &self.token_type)
            .field("caveats", &self.caveats)
            .field("metadata", &self.metadata)
            .field("revoked", &self.revoked)
            .field("token", &self.token.as_ref().map(|t| Redacted(t.len())))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::InviteType;
    use serde_json::json;

    fn info(token_type: TokenType, caveats: &[&str]) -> NamedTokenInfo {
        NamedTokenInfo {
            id: "tid".into(),
            name: "invite alice".into(),
            subject: Subject::user("bob"),
            token_type,
            caveats: caveats.iter().map(|c| (*c).to_owned()).collect(),
            custom_metadata: json!({}),
            revoked: false,
            creation_time: 1_700_000_000,
            usage_limit: Some(1),
            usage_count: 0,
            privileges: Some(vec![Privilege::GroupView]),
            token: "tok".into(),
        }
    }

    #[test]
    fn named_token_from_info() {
        let invite = info(
            TokenType::invite(InviteType::UserJoinGroup, "g1"),
            &["time < 1800000000"],
        );
        assert_eq!(
            NamedToken::from_info(&invite).map(|named| named.to_json()),
            Ok(json!({
                "id": "tid",
                "name": "invite alice",
                "subject": {"type": "user", "id": "bob"},
                "type": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1", "parameters": {}}},
                "caveats": [{"type": "time", "validUntil": 1_800_000_000}],
                "metadata": {"creationTime": 1_700_000_000, "custom": {}, "usageLimit": 1,
                             "usageCount": 0, "privileges": ["group_view"]},
                "revoked": false,
                "token": "tok"
            }))
        );
        // Invites that carry no privileges say `null`; other types have no invite fields.
        let support = info(TokenType::invite(InviteType::SupportSpace, "s1"), &[]);
        let json = NamedToken::from_info(&support).map(|named| named.to_json());
        assert_eq!(
            json.map(|j| j["metadata"]["privileges"].clone()),
            Ok(Value::Null)
        );
        let access = info(TokenType::access(), &[]);
        let json = NamedToken::from_info(&access).map(|named| named.to_json());
        assert_eq!(
            json.map(|j| j["metadata"].clone()),
            Ok(json!({"creationTime": 1_700_000_000, "custom": {}}))
        );
        let bogus = info(TokenType::access(), &["bogus caveat"]);
        let err = NamedToken::from_info(&bogus).map(|_| ()).unwrap_err();
        assert_eq!(
            (err.id(), err.details()),
            (
                "tokenCaveatUnknown",
                Some(&json!({"caveat": "bogus caveat"}))
            )
        );
    }
}
