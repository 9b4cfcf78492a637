//! The issuing layer (spec `onezone-tokens.md` §3, §4.2–4.3, §5.1): the [`TokenIssuer`] trait
//! and the standard [`Issuer`] over a [`TokenStore`](crate::store::TokenStore) and a
//! [`PrivilegeChecker`](crate::privilege::PrivilegeChecker).
//!
//! The issuer mints named tokens (each with its own random secret, stored) and temporary
//! tokens (signed with the subject's shared temporary secret, never stored), confines and
//! examines tokens, verifies access, identity and invite tokens against a caveat
//! [`Context`], consumes invites with usage limits, and revokes. Every failure is an
//! [`IssuerError`] carrying Onezone's error id.

mod error;
mod standard;

pub use error::IssuerError;
pub use standard::{Issuer, IssuerConfig, RandomSource};

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::caveat::{Context, TypedCaveat};
use crate::privilege::{EntityRef, JoinOutcome, Member, Privilege};
use crate::store::NamedTokenUpdate;
use crate::token::{Generation, InviteType, Persistence, Subject, Token, TokenType};

/// What a host asks of a token issuer. Runtime-agnostic: every I/O-bound method returns a
/// `Send` future, so it runs on any executor.
///
/// ```
/// use futures::executor::block_on;
/// use mintage::caveat::{Clock, Context, TypedCaveat};
/// use mintage::issuer::{Issuer, IssuerConfig, TokenIssuer};
/// use mintage::privilege::MemoryDirectory;
/// use mintage::store::MemoryStore;
/// use mintage::token::{Subject, TokenType};
///
/// struct Fixed(u64);
/// impl Clock for Fixed {
///     fn now(&self) -> u64 {
///         self.0
///     }
/// }
///
/// let now = 1_700_000_000;
/// let directory = MemoryDirectory::new();
/// directory.add_user("alice");
/// let issuer = Issuer::new(MemoryStore::new(), directory, IssuerConfig::default())
///     .with_clock(Fixed(now));
/// let alice = Subject::user("alice");
///
/// // A temporary access token needs a time caveat, here one hour.
/// let time: TypedCaveat = format!("time < {}", now + 3600).parse()?;
/// let token = block_on(issuer.create_temporary_token(&alice, TokenType::access(), &[time]))?;
///
/// let verified = block_on(issuer.verify_access_token(&token, None, &Context::at(now)))?;
/// assert_eq!(verified.subject, alice);
/// assert_eq!(verified.ttl, Some(3600));
///
/// // Revoking the subject's temporary tokens makes it fail at once.
/// block_on(issuer.revoke_temporary_tokens(&alice))?;
/// let err = block_on(issuer.verify_access_token(&token, None, &Context::at(now))).unwrap_err();
/// assert_eq!(err.id(), "tokenRevoked");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait TokenIssuer: Send + Sync {
    /// Creates a named token: stores its record with a fresh secret and returns it with the
    /// serialized token.
    ///
    /// # Errors
    /// `badValueIdentifierOccupied` for a name the subject already uses, `badValueTooLow` for a
    /// usage limit of 0, `tokenSubjectInvalid` / `userBlocked` for the subject,
    /// `inviteTokenSubjectNotAuthorized` and `inviteTokenTargetIdInvalid` for invites,
    /// `badValueListNotAllowed` for privileges the invite cannot carry, `internalServerError`.
    fn create_named_token(
        &self,
        request: NamedTokenRequest,
    ) -> impl Future<Output = Result<CreatedToken, IssuerError>> + Send;

    /// Creates a temporary token for `subject`: no store write; it must carry a time caveat
    /// whose TTL is at most the configured maximum.
    ///
    /// # Errors
    /// `tokenTimeCaveatRequired`, plus the subject and invite checks of
    /// [`create_named_token`](Self::create_named_token).
    fn create_temporary_token(
        &self,
        subject: &Subject,
        token_type: TokenType,
        caveats: &[TypedCaveat],
    ) -> impl Future<Output = Result<String, IssuerError>> + Send;

    /// Appends `caveats` to a serialized token; no key is needed.
    ///
    /// # Errors
    /// `badToken` / `tokenTooLarge` if the token cannot be read or the result written.
    fn confine(&self, token: &str, caveats: &[TypedCaveat]) -> Result<String, IssuerError>;

    /// Decodes a token without verifying it and says what it claims.
    ///
    /// # Errors
    /// `badToken` / `tokenTooLarge`; `tokenCaveatUnknown` for a caveat outside the catalogue.
    fn examine(&self, token: &str) -> Result<ExaminedToken, IssuerError>;

    /// Verifies an access token. A session-bound token needs `session` to be its session.
    ///
    /// # Errors
    /// Decoding, key lookup, caveat, subject and type errors (`notAnAccessToken`,
    /// `tokenSessionInvalid`).
    fn verify_access_token(
        &self,
        token: &str,
        session: Option<&str>,
        context: &Context<'_>,
    ) -> impl Future<Output = Result<VerifiedToken, IssuerError>> + Send;

    /// Verifies an identity token.
    ///
    /// # Errors
    /// As [`verify_access_token`](Self::verify_access_token), with `notAnIdentityToken`.
    fn verify_identity_token(
        &self,
        token: &str,
        context: &Context<'_>,
    ) -> impl Future<Output = Result<VerifiedToken, IssuerError>> + Send;

    /// Verifies an invite token, of type `expected` if given.
    ///
    /// # Errors
    /// As [`verify_access_token`](Self::verify_access_token), with `notAnInviteToken`.
    fn verify_invite_token(
        &self,
        token: &str,
        expected: Option<InviteType>,
        context: &Context<'_>,
    ) -> impl Future<Output = Result<VerifiedToken, IssuerError>> + Send;

    /// Consumes an invite, of type `expected` if given (`POST /user/groups/join` accepts only
    /// `userJoinGroup`): `subject` (the authenticated caller) makes `joining` join the
    /// invite's target. Named invites count a use, released again if the join fails.
    ///
    /// # Errors
    /// Verification errors; `notAnInviteToken` for another token type or another invite type
    /// than `expected`; `inviteTokenSubjectNotAuthorized` if the issuer lost its right,
    /// `inviteTokenConsumerInvalid`, `forbidden` for consumer-side privileges,
    /// `inviteTokenTargetIdInvalid`, `inviteTokenUsageLimitReached`, `relationAlreadyExists`.
    fn consume_invite(
        &self,
        token: &str,
        expected: Option<InviteType>,
        subject: &Subject,
        joining: Member,
        context: &Context<'_>,
    ) -> impl Future<Output = Result<ConsumedInvite, IssuerError>> + Send;

    /// Marks a named token revoked (`true`) or valid again (`false`).
    ///
    /// # Errors
    /// `notFound`, `internalServerError`.
    fn set_revoked(
        &self,
        id: &str,
        revoked: bool,
    ) -> impl Future<Output = Result<(), IssuerError>> + Send;

    /// Deletes a named token; tokens derived from it stop verifying (`tokenInvalid`).
    ///
    /// # Errors
    /// `notFound`, `internalServerError`.
    fn delete_named_token(&self, id: &str) -> impl Future<Output = Result<(), IssuerError>> + Send;

    /// Updates a named token (`PATCH /tokens/named/{id}`): renames it, replaces its custom
    /// metadata, revokes or un-revokes it, all of it or none; returns its info afterwards.
    /// The new name is not validated here: that is the caller's business.
    ///
    /// # Errors
    /// `notFound` for an unknown id, `badValueIdentifierOccupied` (key `name`) for a name
    /// another named token of the same subject has, `internalServerError`.
    fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> impl Future<Output = Result<NamedTokenInfo, IssuerError>> + Send;

    /// Deletes every named token of `subject` (`DELETE /user/tokens/named`); tokens derived
    /// from them stop verifying (`tokenInvalid`). A subject with none is no error.
    ///
    /// # Errors
    /// `internalServerError`; some tokens may be deleted by then.
    fn delete_named_tokens_of(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<(), IssuerError>> + Send;

    /// The generation new temporary tokens of `subject` are minted with
    /// (`GET /user/tokens/temporary`), creating the subject's temporary secret if it has none.
    ///
    /// # Errors
    /// `internalServerError`.
    fn temporary_generation(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<Generation, IssuerError>> + Send;

    /// Revokes every temporary token of `subject`, returning the new generation.
    ///
    /// # Errors
    /// `internalServerError`.
    fn revoke_temporary_tokens(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<Generation, IssuerError>> + Send;

    /// The named tokens of `subject`, by id.
    ///
    /// # Errors
    /// `internalServerError`.
    fn list_named_tokens(
        &self,
        subject: &Subject,
    ) -> impl Future<Output = Result<Vec<NamedTokenInfo>, IssuerError>> + Send;

    /// The id of every named token of every subject (`GET /tokens/named`), in order.
    ///
    /// # Errors
    /// `internalServerError`.
    fn all_named_token_ids(&self) -> impl Future<Output = Result<Vec<String>, IssuerError>> + Send;

    /// The named token with this id.
    ///
    /// # Errors
    /// `notFound`, `internalServerError`.
    fn named_token(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<NamedTokenInfo, IssuerError>> + Send;

    /// The named token `name` of `subject`.
    ///
    /// # Errors
    /// `notFound`, `internalServerError`.
    fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> impl Future<Output = Result<NamedTokenInfo, IssuerError>> + Send;
}

/// The [`TokenIssuer`] methods of a pointer, forwarded to what it points to.
macro_rules! forward_token_issuer {
    () => {
        fn create_named_token(
            &self,
            request: NamedTokenRequest,
        ) -> impl Future<Output = Result<CreatedToken, IssuerError>> + Send {
            (**self).create_named_token(request)
        }

        fn create_temporary_token(
            &self,
            subject: &Subject,
            token_type: TokenType,
            caveats: &[TypedCaveat],
        ) -> impl Future<Output = Result<String, IssuerError>> + Send {
            (**self).create_temporary_token(subject, token_type, caveats)
        }

        fn confine(&self, token: &str, caveats: &[TypedCaveat]) -> Result<String, IssuerError> {
            (**self).confine(token, caveats)
        }

        fn examine(&self, token: &str) -> Result<ExaminedToken, IssuerError> {
            (**self).examine(token)
        }

        fn verify_access_token(
            &self,
            token: &str,
            session: Option<&str>,
            context: &Context<'_>,
        ) -> impl Future<Output = Result<VerifiedToken, IssuerError>> + Send {
            (**self).verify_access_token(token, session, context)
        }

        fn verify_identity_token(
            &self,
            token: &str,
            context: &Context<'_>,
        ) -> impl Future<Output = Result<VerifiedToken, IssuerError>> + Send {
            (**self).verify_identity_token(token, context)
        }

        fn verify_invite_token(
            &self,
            token: &str,
            expected: Option<InviteType>,
            context: &Context<'_>,
        ) -> impl Future<Output = Result<VerifiedToken, IssuerError>> + Send {
            (**self).verify_invite_token(token, expected, context)
        }

        fn consume_invite(
            &self,
            token: &str,
            expected: Option<InviteType>,
            subject: &Subject,
            joining: Member,
            context: &Context<'_>,
        ) -> impl Future<Output = Result<ConsumedInvite, IssuerError>> + Send {
            (**self).consume_invite(token, expected, subject, joining, context)
        }

        fn set_revoked(
            &self,
            id: &str,
            revoked: bool,
        ) -> impl Future<Output = Result<(), IssuerError>> + Send {
            (**self).set_revoked(id, revoked)
        }

        fn delete_named_token(
            &self,
            id: &str,
        ) -> impl Future<Output = Result<(), IssuerError>> + Send {
            (**self).delete_named_token(id)
        }

        fn update_named_token(
            &self,
            id: &str,
            update: NamedTokenUpdate,
        ) -> impl Future<Output = Result<NamedTokenInfo, IssuerError>> + Send {
            (**self).update_named_token(id, update)
        }

        fn delete_named_tokens_of(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<(), IssuerError>> + Send {
            (**self).delete_named_tokens_of(subject)
        }

        fn temporary_generation(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<Generation, IssuerError>> + Send {
            (**self).temporary_generation(subject)
        }

        fn revoke_temporary_tokens(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<Generation, IssuerError>> + Send {
            (**self).revoke_temporary_tokens(subject)
        }

        fn list_named_tokens(
            &self,
            subject: &Subject,
        ) -> impl Future<Output = Result<Vec<NamedTokenInfo>, IssuerError>> + Send {
            (**self).list_named_tokens(subject)
        }

        fn all_named_token_ids(
            &self,
        ) -> impl Future<Output = Result<Vec<String>, IssuerError>> + Send {
            (**self).all_named_token_ids()
        }

        fn named_token(
            &self,
            id: &str,
        ) -> impl Future<Output = Result<NamedTokenInfo, IssuerError>> + Send {
            (**self).named_token(id)
        }

        fn named_token_by_name(
            &self,
            subject: &Subject,
            name: &str,
        ) -> impl Future<Output = Result<NamedTokenInfo, IssuerError>> + Send {
            (**self).named_token_by_name(subject, name)
        }
    };
}

impl<T: TokenIssuer> TokenIssuer for &T {
    forward_token_issuer!();
}

impl<T: TokenIssuer> TokenIssuer for Arc<T> {
    forward_token_issuer!();
}

impl<T: TokenIssuer> TokenIssuer for Box<T> {
    forward_token_issuer!();
}

/// A request for a named token.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenRequest {
    /// Whose token it is.
    pub subject: Subject,
    /// Its name, unique per subject.
    pub name: String,
    /// Access, identity or invite.
    pub token_type: TokenType,
    /// Caveats minted into the token.
    pub caveats: Vec<TypedCaveat>,
    /// Free-form metadata kept with the record (an empty object by default).
    pub custom_metadata: Value,
    /// For invites: how often it may be consumed; `None` for no limit. Ignored otherwise.
    pub usage_limit: Option<u64>,
    /// For invites: the privileges the joining member gets; `None` for the invite type's
    /// default. Ignored otherwise.
    pub privileges: Option<Vec<Privilege>>,
    /// Whether the token is stored revoked from the start (Onezone's `revoked` at creation).
    pub revoked: bool,
}

impl NamedTokenRequest {
    /// A request without caveats, metadata, usage limit or privileges, not revoked.
    pub fn new(subject: Subject, name: impl Into<String>, token_type: TokenType) -> Self {
        Self {
            subject,
            name: name.into(),
            token_type,
            caveats: Vec::new(),
            custom_metadata: Value::Object(Map::new()),
            usage_limit: None,
            privileges: None,
            revoked: false,
        }
    }

    /// With these caveats.
    #[must_use]
    pub fn with_caveats(mut self, caveats: Vec<TypedCaveat>) -> Self {
        self.caveats = caveats;
        self
    }

    /// With this custom metadata.
    #[must_use]
    pub fn with_custom_metadata(mut self, custom_metadata: Value) -> Self {
        self.custom_metadata = custom_metadata;
        self
    }

    /// With this usage limit (invites only).
    #[must_use]
    pub fn with_usage_limit(mut self, usage_limit: u64) -> Self {
        self.usage_limit = Some(usage_limit);
        self
    }

    /// With these privileges for the joining member (invites only).
    #[must_use]
    pub fn with_privileges(mut self, privileges: Vec<Privilege>) -> Self {
        self.privileges = Some(privileges);
        self
    }

    /// Stored revoked (`true`) from the start, in the same write as the record.
    #[must_use]
    pub fn with_revoked(mut self, revoked: bool) -> Self {
        self.revoked = revoked;
        self
    }
}

/// What the issuer tells about a named token: its record without the secret, and the token.
/// [`api::NamedToken::from_info`](crate::api::NamedToken::from_info) writes Onezone's JSON
/// form of it.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenInfo {
    /// The token id.
    pub id: String,
    /// The name, unique per subject.
    pub name: String,
    /// Whose token it is.
    pub subject: Subject,
    /// Access, identity or invite.
    pub token_type: TokenType,
    /// The caveats minted into it, as text.
    pub caveats: Vec<String>,
    /// Free-form metadata.
    pub custom_metadata: Value,
    /// Whether it is revoked.
    pub revoked: bool,
    /// Seconds since the Unix epoch at creation.
    pub creation_time: u64,
    /// For invites: the usage limit (`None` for none).
    pub usage_limit: Option<u64>,
    /// For invites: how often it has been consumed.
    pub usage_count: u64,
    /// For invites: the privileges carried, if any.
    pub privileges: Option<Vec<Privilege>>,
    /// The serialized token (base62-armoured V1), as minted.
    pub token: String,
}

impl core::fmt::Debug for NamedTokenInfo {
    /// Every field but the token, of which only the length shows: its signature is a secret.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NamedTokenInfo")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("subject", &self.subject)
            .field("token_type", &self.token_type)
            .field("caveats", &self.caveats)
            .field("custom_metadata", &self.custom_metadata)
            .field("revoked", &self.revoked)
            .field("creation_time", &self.creation_time)
            .field("usage_limit", &self.usage_limit)
            .field("usage_count", &self.usage_count)
            .field("privileges", &self.privileges)
            .field("token", &crate::key::Redacted(self.token.len()))
            .finish()
    }
}

/// A named token just created.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CreatedToken {
    /// Its record, without the secret, and the serialized token.
    pub info: NamedTokenInfo,
}

impl CreatedToken {
    /// The serialized token.
    pub fn token(&self) -> &str {
        &self.info.token
    }
}

/// What a token claims, read without verifying it (`POST /tokens/examine`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ExaminedToken {
    /// The macaroon's location: the Onezone domain.
    pub onezone_domain: String,
    /// The token id.
    pub id: String,
    /// Named or temporary.
    pub persistence: Persistence,
    /// The subject; `None` for a legacy token, whose subject is in its record.
    pub subject: Option<Subject>,
    /// Access, identity or invite.
    pub token_type: TokenType,
    /// The caveats in JSON form.
    pub caveats: Vec<Value>,
}

impl ExaminedToken {
    /// What a decoded (unverified) token claims.
    ///
    /// # Errors
    /// `tokenCaveatUnknown` for a caveat outside the catalogue (a third-party caveat included:
    /// Onezone issues none).
    pub fn from_token(token: &Token) -> Result<Self, IssuerError> {
        let caveats = token
            .macaroon()
            .caveats()
            .iter()
            .map(|caveat| {
                let unknown = || IssuerError::TokenCaveatUnknown {
                    caveat: String::from_utf8_lossy(caveat.id()).into_owned(),
                };
                if caveat.is_third_party() {
                    return Err(unknown());
                }
                core::str::from_utf8(caveat.id())
                    .ok()
                    .and_then(|text| text.parse::<TypedCaveat>().ok())
                    .map(|typed| typed.to_json())
                    .ok_or_else(unknown)
            })
            .collect::<Result<Vec<Value>, IssuerError>>()?;
        let identifier = token.identifier();
        Ok(Self {
            onezone_domain: token.onezone_domain().to_owned(),
            id: identifier.id().to_owned(),
            persistence: identifier.persistence(),
            subject: identifier.subject().cloned(),
            token_type: identifier.token_type().clone(),
            caveats,
        })
    }

    /// Onezone's JSON form of the examine answer.
    pub fn to_json(&self) -> Value {
        json!({
            "onezoneDomain": self.onezone_domain,
            "id": self.id,
            "persistence": self.persistence.name(),
            "subject": self.subject.as_ref().map_or(Value::Null, Subject::to_json),
            "type": self.token_type.to_json(),
            "caveats": self.caveats,
        })
    }
}

/// A token that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedToken {
    /// Whom the token speaks for.
    pub subject: Subject,
    /// The token id.
    pub id: String,
    /// Named or temporary.
    pub persistence: Persistence,
    /// Access, identity or invite.
    pub token_type: TokenType,
    /// Seconds left by its earliest time caveat; `None` without one.
    pub ttl: Option<u64>,
}

/// The result of consuming an invite.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConsumedInvite {
    /// The invite's type.
    pub invite_type: InviteType,
    /// The entity joined; `None` for `registerOneprovider`, where the host registers the
    /// Oneprovider itself.
    pub target: Option<EntityRef>,
    /// Who joined.
    pub member: Member,
    /// The privileges given.
    pub privileges: Vec<Privilege>,
    /// The invite's issuer.
    pub issuer: Subject,
    /// For named invites: the use count after this use.
    pub usage_count: Option<u64>,
    /// Whether the directory added the member.
    pub outcome: Option<JoinOutcome>,
}
