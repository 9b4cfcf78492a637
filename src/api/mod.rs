//! The framework-free layer of Onezone's REST API (spec `onezone-tokens.md` §2, §5): request
//! and response bodies of the token endpoints, Onezone's error ids with their HTTP statuses, and
//! the two error body shapes a host may answer with. Hosts bring their own HTTP server: they
//! parse a body with the `from_json` of a request type, call the issuer, and send the
//! [`ApiResponse`] a response type or an [`ApiError`] renders.
//!
//! ```
//! use mintage::api::{ApiError, ErrorStyle, JoinRequest};
//! use serde_json::json;
//!
//! let join = JoinRequest::from_json(&json!({"token": "MDAx..."}))?;
//! assert_eq!(join.token, "MDAx...");
//! let missing = JoinRequest::from_json(&json!({})).unwrap_err();
//! assert_eq!(missing.status(), 400);
//! assert_eq!(
//!     missing.to_json(ErrorStyle::Modern),
//!     json!({"error": {"id": "missingRequiredValue",
//!                      "description": "Missing required value: token.",
//!                      "details": {"key": "token"}}})
//! );
//! # Ok::<(), ApiError>(())
//! ```
//!
//! Errors of other layers become API errors through [`AsApiError`]: the crate implements it
//! for [`TokenError`](crate::token::TokenError) (`badToken`, `tokenTooLarge`) and
//! [`CaveatError`](crate::caveat::CaveatError) (`tokenCaveatUnknown`, `tokenCaveatUnverified`,
//! `tokenInvalid`); wrap them with [`ApiError::unauthorized`] when the token came in a header
//! (401) or [`ApiError::bad_value_token`] when it came in the body (400).
//!
//! # Error bodies
//!
//! [`ErrorStyle::Modern`] writes `{"error":{"id","description","details"}}` (`details` only
//! when the error has some). [`ErrorStyle::SeedEra`] writes the OAuth2-style body of Onezone
//! 3.0.0-rc10, `{"error":<code>,"error_description":<text>}`, with the same HTTP status, and
//! adds `WWW-Authenticate: error=<code>` to a 401. The seed era had no ids, so each id maps to
//! the code of that era that fits it best:
//!
//! | Modern id | Seed-era code | Seed-era description |
//! |---|---|---|
//! | `tokenCaveatUnverified` on a time caveat, also nested in `unauthorized`, `badServiceToken`, `badConsumerToken` | `token_expired` | `expired YYYY-MM-DD HH:MM:SS UTC` |
//! | every other token failure (`badToken`, `tokenTooLarge`, `tokenInvalid`, `tokenRevoked`, `tokenCaveat*`, `tokenSubjectInvalid`, `tokenServiceForbidden`, `tokenSessionInvalid`, `notAn*Token`, `inviteToken*`, `badServiceToken`, `badConsumerToken`, `userBlocked`) and `unauthorized` | `invalid_token` | `Provided token could not be validated.` (the seed's own example) |
//! | request errors with a `key` (`badValueToken`, `badValue*`, `missingRequiredValue`, …) | `invalid_request` | `invalid '<key>' value` (the seed's join answered `invalid 'token' value: '<token>'`; the token is not echoed here) |
//! | other 400s (`malformedData`, `missingAtLeastOneValue`, …) | `invalid_request` | the modern description |
//! | `forbidden` | `forbidden` | the modern description |
//! | `notFound` | `root_resource_not_found` | the modern description |
//! | `internalServerError` and unknown 5xx | `server_error` (OAuth2's code; the seed's list names none for 500) | the modern description |

mod convert;
mod error;
mod types;

pub use error::{
    ApiError, ApiResponse, AsApiError, ErrorStyle, MAX_TOKEN_SIZE, STATUS_TABLE, http_status, ids,
};
pub use types::{
    ConfineRequest, ConsumerToken, JoinRequest, JoinResponse, NamedTokenCreateRequest,
    NamedTokenCreated, NamedTokenInfo, NamedTokenMetadata, NamedTokenPatch, NamedTokenStatus,
    TemporaryGeneration, TemporaryTokenCreateRequest, TokenIdList, TokenRequest, TokenResponse,
    UsageLimit, VerifyAccessTokenRequest, VerifyIdentityTokenRequest, VerifyInviteTokenRequest,
    VerifyResponse, check_token_name, parse_body_token,
};
