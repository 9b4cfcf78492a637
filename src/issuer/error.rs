//! [`IssuerError`]: every Onezone error the issuer can produce (spec `onezone-tokens.md` §5.1),
//! with Onezone's id, description and details.

use core::error::Error;
use core::fmt;

use serde_json::{Value, json};

use crate::caveat::iso8601;
use crate::token::InviteType;

/// Why an issuer operation failed, one variant per Onezone error id (spec §5.1).
///
/// [`id`](Self::id), [`description`](Self::description) and [`details`](Self::details) give
/// the three parts of Onezone's error body `{"error": {"id", "description", "details"}}`.
/// Secrets never appear in any of them, nor in `Debug`.
#[derive(Debug)]
#[non_exhaustive]
pub enum IssuerError {
    /// `badToken`: the token string cannot be deserialized.
    BadToken,
    /// `tokenTooLarge`: the token is longer than `limit` bytes.
    TokenTooLarge {
        /// The size limit, in bytes.
        limit: usize,
    },
    /// `tokenInvalid`: bad signature, named token missing or deleted, temporary generation
    /// newer than the store's.
    TokenInvalid,
    /// `tokenRevoked`: the named token is revoked, or the temporary generation is stale.
    TokenRevoked,
    /// `tokenCaveatUnknown`: a caveat's text cannot be parsed.
    TokenCaveatUnknown {
        /// The caveat's raw text.
        caveat: String,
    },
    /// `tokenCaveatUnverified`: a caveat does not hold, or is not allowed for the token type.
    TokenCaveatUnverified {
        /// The caveat in JSON form.
        caveat: Value,
    },
    /// `tokenTimeCaveatRequired`: a temporary token needs a time caveat with a TTL of at most
    /// `max_ttl` seconds.
    TokenTimeCaveatRequired {
        /// The maximum TTL, in seconds.
        max_ttl: u64,
    },
    /// `tokenSubjectInvalid`: the subject does not exist or does not match the stored record.
    TokenSubjectInvalid,
    /// `tokenSessionInvalid`: a session-bound token used with another session or none.
    TokenSessionInvalid,
    /// `notAnAccessToken`: another token type was used where an access token is expected.
    NotAnAccessToken {
        /// The received token type in JSON form.
        received: Value,
    },
    /// `notAnIdentityToken`: another token type was used where an identity token is expected.
    NotAnIdentityToken {
        /// The received token type in JSON form.
        received: Value,
    },
    /// `notAnInviteToken`: not an invite token, or not of the expected invite type.
    NotAnInviteToken {
        /// The invite type expected; `None` for any.
        expected: Option<InviteType>,
        /// The received token type in JSON form.
        received: Value,
    },
    /// `inviteTokenSubjectNotAuthorized`: the issuer lacks, or no longer has, the right to
    /// issue the invite or to attach its privileges, or is blocked.
    InviteTokenSubjectNotAuthorized,
    /// `inviteTokenUsageLimitReached`: the invite has been used as often as it may.
    InviteTokenUsageLimitReached,
    /// `inviteTokenConsumerInvalid`: this kind of consumer cannot consume this invite.
    InviteTokenConsumerInvalid {
        /// The consumer in JSON form (`{"type": …, "id": …}`).
        consumer: Value,
    },
    /// `inviteTokenTargetIdInvalid`: the entity the invite is for does not exist.
    InviteTokenTargetIdInvalid {
        /// The target's id.
        id: String,
    },
    /// `badValueIdentifierOccupied`: the value of `key` is taken (a token name, per subject).
    BadValueIdentifierOccupied {
        /// The request field, e.g. `"name"`.
        key: &'static str,
    },
    /// `badValueTooLow`: the value of `key` is below `limit`.
    BadValueTooLow {
        /// The request field, e.g. `"usageLimit"`.
        key: &'static str,
        /// The smallest value allowed.
        limit: u64,
    },
    /// `badValueListNotAllowed`: the list in `key` holds values outside `allowed` (privileges
    /// of another entity kind, or privileges on an invite that carries none).
    BadValueListNotAllowed {
        /// The request field, e.g. `"privileges"`.
        key: &'static str,
        /// The values allowed.
        allowed: Vec<String>,
    },
    /// `userBlocked`: the token's subject is a blocked user.
    UserBlocked,
    /// `forbidden`: authenticated, but lacking privileges (e.g. consumer-side privileges).
    Forbidden,
    /// `notFound`: no such named token.
    NotFound,
    /// `relationAlreadyExists`: the consumer of an invite is already a member of its target.
    RelationAlreadyExists {
        /// The member's type (`user`, `group`, …).
        subject_type: &'static str,
        /// The member's id.
        subject_id: String,
        /// The target's kind (`group`, `space`, …).
        relation_type: &'static str,
        /// The target's id.
        relation_id: String,
    },
    /// `internalServerError`: the store, the directory or the random source failed. The cause
    /// is kept as the [`source`](Error::source).
    Internal(Box<dyn Error + Send + Sync + 'static>),
}

impl IssuerError {
    /// Onezone's camelCase error id, e.g. `"tokenRevoked"`.
    pub fn id(&self) -> &'static str {
        match self {
            Self::BadToken => "badToken",
            Self::TokenTooLarge { .. } => "tokenTooLarge",
            Self::TokenInvalid => "tokenInvalid",
            Self::TokenRevoked => "tokenRevoked",
            Self::TokenCaveatUnknown { .. } => "tokenCaveatUnknown",
            Self::TokenCaveatUnverified { .. } => "tokenCaveatUnverified",
            Self::TokenTimeCaveatRequired { .. } => "tokenTimeCaveatRequired",
            Self::TokenSubjectInvalid => "tokenSubjectInvalid",
            Self::TokenSessionInvalid => "tokenSessionInvalid",
            Self::NotAnAccessToken { .. } => "notAnAccessToken",
            Self::NotAnIdentityToken { .. } => "notAnIdentityToken",
            Self::NotAnInviteToken { .. } => "notAnInviteToken",
            Self::InviteTokenSubjectNotAuthorized => "inviteTokenSubjectNotAuthorized",
            Self::InviteTokenUsageLimitReached => "inviteTokenUsageLimitReached",
            Self::InviteTokenConsumerInvalid { .. } => "inviteTokenConsumerInvalid",
            Self::InviteTokenTargetIdInvalid { .. } => "inviteTokenTargetIdInvalid",
            Self::BadValueIdentifierOccupied { .. } => "badValueIdentifierOccupied",
            Self::BadValueTooLow { .. } => "badValueTooLow",
            Self::BadValueListNotAllowed { .. } => "badValueListNotAllowed",
            Self::UserBlocked => "userBlocked",
            Self::Forbidden => "forbidden",
            Self::NotFound => "notFound",
            Self::RelationAlreadyExists { .. } => "relationAlreadyExists",
            Self::Internal(_) => "internalServerError",
        }
    }

    /// Human-readable text, after Onezone's, e.g. for an expired time caveat
    /// `"Verification of the caveat failed: this token has expired at '2023-11-14T22:13:20Z'."`.
    pub fn description(&self) -> String {
        match self {
            Self::BadToken => "Provided token could not be understood by the server.".into(),
            Self::TokenTooLarge { limit } => {
                format!("Provided token exceeds the allowed size ({limit} bytes).")
            }
            Self::TokenInvalid => "Provided token is not valid.".into(),
            Self::TokenRevoked => "Provided token has been revoked.".into(),
            Self::TokenCaveatUnknown { caveat } => {
                format!("Unknown caveat: {}", caveat.escape_debug())
            }
            Self::TokenCaveatUnverified { caveat } => unverified_description(caveat),
            Self::TokenTimeCaveatRequired { max_ttl } => {
                format!("You must specify a time caveat with a maximum TTL of {max_ttl} seconds.")
            }
            Self::TokenSubjectInvalid => "Token subject is invalid.".into(),
            Self::TokenSessionInvalid => {
                "This token was issued for a session that no longer exists.".into()
            }
            Self::NotAnAccessToken { received } => {
                format!("Received token is not an access token (received: {received}).")
            }
            Self::NotAnIdentityToken { received } => {
                format!("Received token is not an identity token (received: {received}).")
            }
            Self::NotAnInviteToken { expected, received } => format!(
                "Received token is not {} invite token (received: {received}).",
                match expected {
                    Some(t) => format!("a {t}"),
                    None => "an".into(),
                }
            ),
            Self::InviteTokenSubjectNotAuthorized => {
                "The inviting subject is not (or no longer) authorized to issue this invite token."
                    .into()
            }
            Self::InviteTokenUsageLimitReached => {
                "The usage limit of this invite token has been reached.".into()
            }
            Self::InviteTokenConsumerInvalid { consumer } => {
                format!("The consumer {consumer} is invalid for this invite token.")
            }
            Self::InviteTokenTargetIdInvalid { id } => format!(
                "The target id {:?} of this invite token is invalid.",
                id.escape_debug().to_string()
            ),
            Self::BadValueIdentifierOccupied { key } => {
                format!("Bad value: provided identifier (\"{key}\") is already occupied.")
            }
            Self::BadValueTooLow { key, limit } => {
                format!("Bad value: provided \"{key}\" must be at least {limit}.")
            }
            Self::BadValueListNotAllowed { key, allowed } => format!(
                "Bad value: provided \"{key}\" must be a list containing zero or more of: {}.",
                allowed.join(", ")
            ),
            Self::UserBlocked => "This user account has been blocked.".into(),
            Self::Forbidden => {
                "You are not authorized to perform this operation (insufficient privileges?)."
                    .into()
            }
            Self::NotFound => "The resource could not be found.".into(),
            Self::RelationAlreadyExists {
                subject_type,
                subject_id,
                relation_type,
                relation_id,
            } => format!(
                "The {subject_type} {:?} is already a member of the {relation_type} {:?}.",
                subject_id.escape_debug().to_string(),
                relation_id.escape_debug().to_string()
            ),
            Self::Internal(_) => "The server has encountered an error while processing this \
                                  request."
                .into(),
        }
    }

    /// The §5.1 `details` object, for the errors that have one.
    pub fn details(&self) -> Option<Value> {
        Some(match self {
            Self::TokenTooLarge { limit } => json!({ "limit": limit }),
            Self::TokenCaveatUnknown { caveat } => json!({ "caveat": caveat }),
            Self::TokenCaveatUnverified { caveat } => json!({ "caveat": caveat }),
            Self::TokenTimeCaveatRequired { max_ttl } => json!({ "maxTtl": max_ttl }),
            Self::NotAnAccessToken { received } | Self::NotAnIdentityToken { received } => {
                json!({ "received": received })
            }
            Self::NotAnInviteToken { expected, received } => json!({
                "expectedInviteType": expected.map_or("any", InviteType::name),
                "received": received,
            }),
            Self::InviteTokenConsumerInvalid { consumer } => json!({ "consumer": consumer }),
            Self::InviteTokenTargetIdInvalid { id } => json!({ "id": id }),
            Self::BadValueIdentifierOccupied { key } => json!({ "key": key }),
            Self::BadValueTooLow { key, limit } => json!({ "key": key, "limit": limit }),
            Self::BadValueListNotAllowed { key, allowed } => {
                json!({ "key": key, "allowed": allowed })
            }
            Self::RelationAlreadyExists {
                subject_type,
                subject_id,
                relation_type,
                relation_id,
            } => json!({
                "subjectType": subject_type,
                "subjectId": subject_id,
                "relationType": relation_type,
                "relationId": relation_id,
            }),
            Self::BadToken
            | Self::TokenInvalid
            | Self::TokenRevoked
            | Self::TokenSubjectInvalid
            | Self::TokenSessionInvalid
            | Self::InviteTokenSubjectNotAuthorized
            | Self::InviteTokenUsageLimitReached
            | Self::UserBlocked
            | Self::Forbidden
            | Self::NotFound
            | Self::Internal(_) => return None,
        })
    }

    /// Wraps a backend failure.
    pub(crate) fn internal(source: impl Into<Box<dyn Error + Send + Sync + 'static>>) -> Self {
        Self::Internal(source.into())
    }
}

impl fmt::Display for IssuerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.id(), self.description())
    }
}

impl Error for IssuerError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Internal(source) => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// Onezone's text for a failed caveat; an expired time caveat names its expiry.
fn unverified_description(caveat: &Value) -> String {
    let expiry = (caveat.get("type").and_then(Value::as_str) == Some("time"))
        .then(|| caveat.get("validUntil").and_then(Value::as_u64))
        .flatten();
    match expiry {
        Some(until) => format!(
            "Verification of the caveat failed: this token has expired at '{}'.",
            iso8601(until)
        ),
        None => format!("Verification of the caveat failed: {caveat}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_time_caveat_is_described_with_its_expiry() {
        let err = IssuerError::TokenCaveatUnverified {
            caveat: json!({"type": "time", "validUntil": 1_700_000_000u64}),
        };
        assert!(
            err.description()
                .ends_with("expired at '2023-11-14T22:13:20Z'.")
        );
        assert_eq!(
            err.details(),
            Some(json!({"caveat": {"type": "time", "validUntil": 1_700_000_000u64}}))
        );
    }
}
