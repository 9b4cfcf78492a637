//! Onezone's token model (spec `onezone-tokens.md` §3): subjects, token types, persistence and
//! the token identifier, and tokens serialized as Onezone serializes them.
//!
//! A Onezone token is a macaroon whose identifier says what the token is:
//! `2/<persistence>/<subject>/<type>/<id>`, e.g.
//! `2/nmd/usr-uid/ujg:4c71496ba3dff0052c04c697b12fe157ch9a1f:/1234567890example-id1234567890e`
//! for a named token inviting a user into a group. Tokens from before Onezone 20.02 carry only a
//! random id and read as legacy named access tokens.
//!
//! - [`Subject`]: `usr-<id>`, `prv-<id>` or `nobody`; JSON `{"type":"user","id":"…"}`.
//! - [`TokenType`]: access (optionally session-bound), identity, or invite with its
//!   [`InviteType`] and target; JSON `{"inviteToken":{"inviteType":"userJoinGroup",…}}`.
//! - [`Persistence`]: named, or temporary with a [`Generation`].
//! - [`TokenIdentifier`]: the identifier, both ways, byte for byte as Onezone writes it.
//! - [`Token`]: a macaroon with its parsed identifier; serialized as V1 under base62 armour,
//!   read from that or from plain base64url.
//!
//! Everything read here is untrusted until the token verifies; parsing only says what a token
//! claims. Malformed input gives a typed error ([`IdentifierError`], [`JsonError`],
//! [`TokenError`]), never a panic.
//!
//! ```
//! use mintage::token::{InviteType, Token, TokenType};
//!
//! let untrusted = Token::deserialize(
//!     "MDAyMGxvY2F00aW9uIGRvbWFpbi5leGFtcGxlLmNvbQowMDU4aWRlbnRpZmllciAyL25tZC91c3ItaW52aXRhdGlvbi1zZW5kZXIvdWpnOkdyb3VwSWQ6LzEyMzQ1Njc4OTBleGFtcGxlLWlkMTIzNDU2Nzg5MGUKMDAyZnNpZ25hdHVyZSCH7MlKe97K7K5UHEpTU01nUb8AN77DBp7Ys20100nJBOAdwo",
//! )?;
//! let claimed = untrusted.identifier();
//! assert_eq!(
//!     claimed.to_string(),
//!     "2/nmd/usr-invitation-sender/ujg:GroupId:/1234567890example-id1234567890e"
//! );
//! assert_eq!(claimed.token_type(), &TokenType::invite(InviteType::UserJoinGroup, "GroupId"));
//! assert_eq!(
//!     claimed.token_type().to_json(),
//!     serde_json::json!({"inviteToken": {
//!         "inviteType": "userJoinGroup", "groupId": "GroupId", "parameters": {}
//!     }})
//! );
//! # Ok::<(), mintage::token::TokenError>(())
//! ```

mod error;
mod identifier;
mod invite_type;
mod persistence;
mod serialized;
mod subject;
mod token_type;

pub use error::{IdentifierError, JsonError, TokenError};
pub(crate) use identifier::IdentifierParts;
pub use identifier::TokenIdentifier;
pub use invite_type::InviteType;
pub use persistence::{Generation, Persistence};
pub use serialized::Token;
pub use subject::Subject;
pub use token_type::TokenType;
