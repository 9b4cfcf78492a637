//! [`AsApiError`] for the crate's own token errors, so handlers can report them directly.

use serde_json::{Map, Value};

use super::error::{ApiError, AsApiError, ids, iso8601};
use crate::caveat::CaveatError;
use crate::issuer::IssuerError;
use crate::token::TokenError;

impl AsApiError for IssuerError {
    fn id(&self) -> &'static str {
        IssuerError::id(self)
    }

    fn description(&self) -> String {
        IssuerError::description(self)
    }

    fn details(&self) -> Option<Value> {
        IssuerError::details(self)
    }
}

impl AsApiError for TokenError {
    /// `tokenTooLarge` past the size limit, else `badToken`.
    fn id(&self) -> &'static str {
        ApiError::from_token_error(self).id()
    }

    fn description(&self) -> String {
        ApiError::from_token_error(self).description().to_owned()
    }

    fn details(&self) -> Option<Value> {
        ApiError::from_token_error(self).details().cloned()
    }
}

impl AsApiError for CaveatError {
    /// `tokenCaveatUnknown`, `tokenCaveatUnverified` or `tokenInvalid`.
    fn id(&self) -> &'static str {
        match self {
            Self::Unknown { .. } => ids::TOKEN_CAVEAT_UNKNOWN,
            Self::Unverified { .. } => ids::TOKEN_CAVEAT_UNVERIFIED,
            _ => ids::TOKEN_INVALID,
        }
    }

    /// Onezone's wording; an expired time caveat says when it expired.
    fn description(&self) -> String {
        match self {
            Self::Unknown { raw } => format!("Unknown caveat - '{raw}'."),
            Self::Unverified { caveat } => {
                let valid_until = (caveat.get("type").and_then(Value::as_str) == Some("time"))
                    .then(|| caveat.get("validUntil").and_then(Value::as_u64))
                    .flatten();
                match valid_until {
                    Some(until) => format!(
                        "Provided token is not valid - this token has expired at '{}'.",
                        iso8601(until)
                    ),
                    None => format!("Provided token is not valid - unverified caveat: {caveat}."),
                }
            }
            _ => "Provided token is not valid.".into(),
        }
    }

    /// `{"caveat": <raw text>}` or `{"caveat": <caveat JSON>}`; none for `tokenInvalid`.
    fn details(&self) -> Option<Value> {
        let caveat = match self {
            Self::Unknown { raw } => Value::from(raw.as_str()),
            Self::Unverified { caveat } => caveat.clone(),
            _ => return None,
        };
        let mut details = Map::new();
        details.insert("caveat".into(), caveat);
        Some(Value::Object(details))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeError;
    use crate::token::IdentifierError;
    use serde_json::json;

    #[test]
    fn token_errors() {
        let e = TokenError::Decode(DecodeError::Truncated);
        assert_eq!(e.id(), "badToken");
        assert_eq!(AsApiError::details(&e), None);
        let e = TokenError::Identifier(IdentifierError::UnknownSubject);
        assert_eq!(ApiError::from_error(&e).status(), 400);
        let e = TokenError::Decode(DecodeError::TooLong);
        assert_eq!(e.id(), "tokenTooLarge");
        assert_eq!(AsApiError::details(&e), Some(json!({"limit": 1_048_576})));
    }

    #[test]
    fn caveat_errors() {
        let e = CaveatError::Unverified {
            caveat: json!({"type": "time", "validUntil": 1_496_140_144}),
        };
        assert_eq!(e.id(), "tokenCaveatUnverified");
        assert_eq!(
            AsApiError::description(&e),
            "Provided token is not valid - this token has expired at '2017-05-30T10:29:04Z'."
        );
        let wrapped = ApiError::unauthorized(&e);
        assert_eq!(wrapped.status(), 401);
        assert_eq!(wrapped.legacy().0, "token_expired");
        let e = CaveatError::Unknown {
            raw: "x = y".into(),
        };
        assert_eq!(AsApiError::details(&e), Some(json!({"caveat": "x = y"})));
        assert_eq!(ApiError::from_error(&e).status(), 400);
    }

    /// Every issuer error has a status of its own: none falls to the 500 of an unknown id. (A
    /// new variant breaks the exhaustive `match`; add it to `all` too.)
    #[test]
    fn every_issuer_error_has_its_status() {
        use crate::issuer::IssuerError as E;
        let all = [
            E::BadToken,
            E::TokenTooLarge { limit: 1 },
            E::TokenInvalid,
            E::TokenRevoked,
            E::TokenCaveatUnknown { caveat: "x".into() },
            E::TokenCaveatUnverified { caveat: json!({}) },
            E::TokenTimeCaveatRequired { max_ttl: 1 },
            E::TokenSubjectInvalid,
            E::TokenSessionInvalid,
            E::NotAnAccessToken {
                received: json!({}),
            },
            E::NotAnIdentityToken {
                received: json!({}),
            },
            E::NotAnInviteToken {
                expected: None,
                received: json!({}),
            },
            E::InviteTokenSubjectNotAuthorized,
            E::InviteTokenUsageLimitReached,
            E::InviteTokenConsumerInvalid {
                consumer: json!({}),
            },
            E::InviteTokenTargetIdInvalid { id: "g".into() },
            E::BadValueIdentifierOccupied { key: "name" },
            E::BadValueTooLow {
                key: "usageLimit",
                limit: 1,
            },
            E::BadValueListNotAllowed {
                key: "privileges",
                allowed: Vec::new(),
            },
            E::UserBlocked,
            E::Forbidden,
            E::NotFound,
            E::RelationAlreadyExists {
                subject_type: "user",
                subject_id: "u".into(),
                relation_type: "group",
                relation_id: "g".into(),
            },
            E::Internal("x".into()),
        ];
        for err in &all {
            let internal = match err {
                E::Internal(_) => true,
                E::BadToken
                | E::TokenTooLarge { .. }
                | E::TokenInvalid
                | E::TokenRevoked
                | E::TokenCaveatUnknown { .. }
                | E::TokenCaveatUnverified { .. }
                | E::TokenTimeCaveatRequired { .. }
                | E::TokenSubjectInvalid
                | E::TokenSessionInvalid
                | E::NotAnAccessToken { .. }
                | E::NotAnIdentityToken { .. }
                | E::NotAnInviteToken { .. }
                | E::InviteTokenSubjectNotAuthorized
                | E::InviteTokenUsageLimitReached
                | E::InviteTokenConsumerInvalid { .. }
                | E::InviteTokenTargetIdInvalid { .. }
                | E::BadValueIdentifierOccupied { .. }
                | E::BadValueTooLow { .. }
                | E::BadValueListNotAllowed { .. }
                | E::UserBlocked
                | E::Forbidden
                | E::NotFound
                | E::RelationAlreadyExists { .. } => false,
            };
            let status = crate::api::http_status(err.id());
            assert!(status.is_some(), "{} has no status", err.id());
            assert_eq!(status == Some(500), internal, "{}", err.id());
        }
    }
}
