//! The framework-free layer of Onezone's REST API (spec `onezone-tokens.md` §2, §5): the
//! handlers of the token endpoints, their request and response bodies, Onezone's error ids with
//! their HTTP statuses, and the two error body shapes a host may answer with. Hosts bring their
//! own HTTP server and hand each request to [`Api::handle`], or call the typed handler of one
//! endpoint ([`Api::create_invite_token`], [`Api::join`], [`Api::create_named_token`], …)
//! with a body parsed by the request type's `from_json`.
//!
//! | Method and path (under [`PATH_PREFIX`]) | Handler | Success |
//! |---|---|---|
//! | GET or POST `/groups/{id}/users/token` (the seed endpoint), `/groups/{id}/children/token` (also `nested`), `/spaces/{id}/{users,groups,providers}/token`, `/clusters/{id}/{users,groups}/token`, `/harvesters/{id}/{users,groups,spaces}/token`, `/atm_inventories/{id}/{users,groups}/token` | [`Api::create_invite_token`] | 200 `{"token"}`: a named invite usable once |
//! | POST `/user/clusters/provider_registration_token` | [`Api::create_invite_token`] | 200 `{"token"}` |
//! | POST `/user/{groups,spaces,clusters,harvesters,atm_inventories}/join`, `/groups/{id}/{parents,spaces,clusters,harvesters,atm_inventories}/join`, `/harvesters/{id}/spaces/join`, `/spaces/{id}/harvesters/join` | [`Api::join`] | 201, `Location` of the joined entity |
//! | POST, GET, DELETE `/user/tokens/named` (also `/users/{id}`, `/provider`, `/providers/{id}`) | [`Api::create_named_token`], [`Api::list_named_tokens`], [`Api::delete_named_tokens`] | 201 `{"tokenId","token"}` + `Location`; 200 `{"tokens"}`; 204 |
//! | GET `/user/tokens/named/name/{name}` (and variants) | [`Api::named_token_by_name`] | 200 `NamedToken` |
//! | POST, GET, DELETE `/user/tokens/temporary` (and variants) | [`Api::create_temporary_token`], [`Api::temporary_generation`], [`Api::revoke_temporary_tokens`] | 201 `{"token"}`; 200 `{"generation"}`; 204 |
//! | GET `/tokens/named` | [`Api::all_named_tokens`] | 200 `{"tokens"}` |
//! | GET, PATCH, DELETE `/tokens/named/{id}`; GET `/tokens/named/{id}/status` | [`Api::named_token`], [`Api::update_named_token`], [`Api::delete_named_token`], [`Api::named_token_status`] | 200 `NamedToken`; 204; 204; 200 `{"revoked"}` |
//! | POST `/tokens/examine`, `/tokens/confine` | [`Api::examine`], [`Api::confine`] | 200 |
//! | GET `/groups/privileges`, `/spaces/privileges`, … (every [`EntityKind`](crate::privilege::EntityKind)'s [`listing_path`](crate::privilege::EntityKind::listing_path)) | [`Api::handle`] | 200 [`EntityKind::listing`](crate::privilege::EntityKind::listing) |
//! | POST `/tokens/verify_access_token`, `/tokens/verify_identity_token`, `/tokens/verify_invite_token` | [`Api::verify_access_token`], [`Api::verify_identity_token`], [`Api::verify_invite_token`] | 200 `{"subject","ttl"}` |
//!
//! Who may call what: the invite endpoints need the issuer's invite right in the target (403
//! `forbidden` otherwise; 404 for an unknown target); another subject's tokens need
//! `oz_tokens_manage`, or `cluster_update` in a Oneprovider's cluster for its tokens; examine,
//! confine and the verify endpoints are public. A credential that fails is 401 everywhere.
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
//! Token failures are reported where Onezone reports them: nested in `unauthorized` (401) for
//! the credential, nested in `badValueToken` (400, key `token`) for the token of a join,
//! examine or confine body, and as they are (400) by the verify endpoints.
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
//! | `relationAlreadyExists` (409) | `invalid_request` | the modern description |
//! | `internalServerError` and unknown 5xx | `server_error` (OAuth2's code; the seed's list names none for 500) | the modern description |

mod body;
mod convert;
mod credential;
mod error;
mod request;
mod response;
mod route;
mod service;

pub use body::{check_token_name, parse_body_token};
pub use credential::Credential;
pub use error::{
    ApiError, ApiResponse, AsApiError, ErrorStyle, MAX_TOKEN_SIZE, STATUS_TABLE, http_status, ids,
};
pub use request::{
    ConfineRequest, ConsumerToken, JoinRequest, NamedTokenCreateRequest, NamedTokenPatch,
    TemporaryTokenCreateRequest, TokenRequest, UsageLimit, VerifyAccessTokenRequest,
    VerifyIdentityTokenRequest, VerifyInviteTokenRequest,
};
pub use response::{
    JoinResponse, NamedToken, NamedTokenCreated, NamedTokenMetadata, NamedTokenStatus,
    TemporaryGeneration, TokenIdList, TokenResponse, VerifyResponse,
};
pub use route::{MAX_BODY_LEN, PATH_PREFIX, Request};
pub use service::Api;
