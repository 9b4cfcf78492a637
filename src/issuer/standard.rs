//! The standard [`Issuer`]: Onezone's token logic over a [`TokenStore`] and a
//! [`PrivilegeChecker`], with injected time and randomness.

use core::error::Error;
use core::fmt;
use std::sync::Arc;

use futures_util::lock::Mutex as AsyncMutex;
use serde_json::json;
use zeroize::Zeroizing;

use super::{
    ConsumedInvite, CreatedToken, ExaminedToken, IssuerError, NamedTokenInfo, NamedTokenRequest,
    TokenIssuer, VerifiedToken,
};
use crate::caveat::{
    CaveatError, Clock, Context, ServiceKind, SystemClock, TokenKind, TypedCaveat,
};
use crate::caveat::{TypedVerifier, ttl};
use crate::error::DecodeError;
use crate::format::{Format, Limits};
use crate::key::RootKey;
use crate::macaroon::Macaroon;
use crate::privilege::{
    AddMemberError, DirectoryError, EntityRef, IssuerException, JoinOutcome, Member, Privilege,
    PrivilegeChecker, SubjectStatus, consume_invite_requirement, create_invite_requirement,
    join_privileges,
};
use crate::store::{
    CreateError, NamedTokenRecord, NamedTokenUpdate, StoreError, TokenStore, UpdateError,
    UseOutcome,
};
use crate::token::{
    Generation, IdentifierError, IdentifierParts, InviteType, Persistence, Subject, Token,
    TokenError, TokenIdentifier, TokenType,
};

/// A source of random bytes: fills the buffer or fails.
pub type RandomSource =
    dyn Fn(&mut [u8]) -> Result<(), Box<dyn Error + Send + Sync + 'static>> + Send + Sync;

/// How an [`Issuer`] mints and checks tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssuerConfig {
    /// The macaroon location of every token minted: the Onezone domain (`"onezone"`).
    pub onezone_domain: String,
    /// The largest TTL a temporary token may have, in seconds (30 days).
    pub max_temporary_ttl: u64,
    /// Whether any user may issue `registerOneprovider` invites for itself (Onezone's
    /// `provider_registration_policy = open`); off by default.
    pub open_provider_registration: bool,
    /// Decoding limits for tokens received (1 MiB encoded by default).
    pub limits: Limits,
}

impl IssuerConfig {
    /// Onezone's defaults.
    pub fn new() -> Self {
        Self {
            onezone_domain: "onezone".into(),
            max_temporary_ttl: DEFAULT_MAX_TEMPORARY_TTL,
            open_provider_registration: false,
            limits: Limits::DEFAULT,
        }
    }

    /// With this Onezone domain.
    #[must_use]
    pub fn with_onezone_domain(mut self, domain: impl Into<String>) -> Self {
        self.onezone_domain = domain.into();
        self
    }

    /// With this maximum temporary-token TTL, in seconds.
    #[must_use]
    pub fn with_max_temporary_ttl(mut self, seconds: u64) -> Self {
        self.max_temporary_ttl = seconds;
        self
    }

    /// With open (`true`) or restricted Oneprovider registration.
    #[must_use]
    pub fn with_open_provider_registration(mut self, open: bool) -> Self {
        self.open_provider_registration = open;
        self
    }

    /// With these decoding limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

impl Default for IssuerConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// The standard [`TokenIssuer`], after Onezone's token logic.
///
/// Named tokens get a fresh secret of 32 random bytes, written as 64 hex characters (as
/// Onezone stores it) and used as the root secret; ids are 32 hex characters, `ch` and 4 more.
/// Temporary tokens are signed with the subject's shared temporary secret and are never
/// written. Time comes from an injected [`Clock`] ([`SystemClock`] by default), randomness
/// from an injected [`RandomSource`] (the OS by default).
pub struct Issuer<S, P> {
    store: S,
    checker: P,
    config: IssuerConfig,
    clock: Box<dyn Clock>,
    random: Box<RandomSource>,
    /// The host's own caveat kinds, by prefix, in registration order.
    caveat_kinds: Vec<(String, CaveatCheck)>,
    /// Critical sections for consuming named invites, striped by token id (see
    /// `consume_invite`).
    invite_locks: [AsyncMutex<()>; INVITE_LOCK_STRIPES],
}

/// How many critical sections named-invite consumption is striped over.
const INVITE_LOCK_STRIPES: usize = 64;

/// A host's own caveat kind: gets the caveat text and the context, says whether it holds.
type CaveatCheck = Arc<dyn Fn(&str, &Context<'_>) -> bool + Send + Sync>;

impl<S: TokenStore, P: PrivilegeChecker> Issuer<S, P> {
    /// An issuer over `store` and `checker`, on the system clock and OS randomness.
    pub fn new(store: S, checker: P, config: IssuerConfig) -> Self {
        Self {
            store,
            checker,
            config,
            clock: Box::new(SystemClock),
            random: Box::new(os_random),
            caveat_kinds: Vec::new(),
            invite_locks: core::array::from_fn(|_| AsyncMutex::new(())),
        }
    }

    /// Also accepts, in every verification through this issuer, first-party caveats outside
    /// Onezone's catalogue that start with `prefix`, when `check` says they hold for the
    /// caveat's text and the request [`Context`] (as
    /// [`TypedVerifier::register`] does). Such a caveat fails with `tokenCaveatUnverified`
    /// when `check` says no; a caveat neither in the catalogue nor claimed by a registered
    /// prefix still fails with `tokenCaveatUnknown`. Catalogue caveats are never handed to
    /// `check`; where prefixes overlap, the first registered wins.
    ///
    /// ```
    /// use futures::executor::block_on;
    /// use mintage::caveat::Context;
    /// use mintage::issuer::{Issuer, IssuerConfig, NamedTokenRequest, TokenIssuer};
    /// use mintage::privilege::MemoryDirectory;
    /// use mintage::store::MemoryStore;
    /// use mintage::token::{Subject, Token, TokenType};
    /// use mintage::Format;
    ///
    /// let directory = MemoryDirectory::new();
    /// directory.add_user("alice");
    /// let issuer = Issuer::new(MemoryStore::new(), directory, IssuerConfig::default())
    ///     .with_caveat_kind("x-tenant = ", |text, _ctx| text == "x-tenant = acme");
    /// let alice = Subject::user("alice");
    /// let request = NamedTokenRequest::new(alice.clone(), "tenant", TokenType::access());
    /// let token = block_on(issuer.create_named_token(request))?;
    ///
    /// // The holder confines the token with a caveat of the host's own kind.
    /// let mut macaroon = Token::deserialize(token.token())?.into_macaroon();
    /// macaroon.add_first_party("x-tenant = acme")?;
    /// let confined = macaroon.encode_base62(Format::V1)?;
    ///
    /// let ctx = Context::at(1_700_000_000);
    /// let verified = block_on(issuer.verify_access_token(&confined, None, &ctx))?;
    /// assert_eq!(verified.subject, alice);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_caveat_kind(
        mut self,
        prefix: impl Into<String>,
        check: impl Fn(&str, &Context<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.caveat_kinds.push((prefix.into(), Arc::new(check)));
        self
    }

    /// With this clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// With this random source.
    #[must_use]
    pub fn with_random(
        mut self,
        random: impl Fn(&mut [u8]) -> Result<(), Box<dyn Error + Send + Sync + 'static>>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.random = Box::new(random);
        self
    }

    /// The token store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The privilege checker.
    pub fn checker(&self) -> &P {
        &self.checker
    }

    /// The configuration.
    pub fn config(&self) -> &IssuerConfig {
        &self.config
    }

    /// Fills `bytes` from the random source.
    fn fill(&self, bytes: &mut [u8]) -> Result<(), IssuerError> {
        (self.random)(bytes).map_err(IssuerError::Internal)
    }

    /// A fresh token id: 32 hex characters, `ch`, 4 hex characters, on the stack.
    fn fresh_id(&self) -> Result<IdText, IssuerError> {
        let mut random = [0u8; ID_RANDOM_LEN];
        self.fill(&mut random)?;
        Ok(IdText::new(&random))
    }

    /// The critical section of the named invite `id`.
    fn invite_lock(&self, id: &str) -> &AsyncMutex<()> {
        // FNV-1a: cheap and stable; the stripes only spread unrelated tokens apart.
        let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        let stripe = usize::try_from(hash % INVITE_LOCK_STRIPES as u64).unwrap_or_default();
        &self.invite_locks[stripe]
    }

    /// A fresh named-token secret: 32 random bytes as 64 hex characters, as Onezone keeps it.
    fn fresh_secret(&self) -> Result<RootKey, IssuerError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        self.fill(bytes.as_mut_slice())?;
        let mut hex = Zeroizing::new([0u8; 64]);
        for (n, byte) in bytes.iter().enumerate() {
            hex[2 * n] = HEX[usize::from(byte >> 4)];
            hex[2 * n + 1] = HEX[usize::from(byte & 0x0f)];
        }
        Ok(RootKey::new(hex.as_slice()))
    }

    /// Mints and serializes a token with `caveats`. The identifier and caveat texts are
    /// written once and moved into the macaroon, not copied.
    fn mint(
        &self,
        key: &RootKey,
        identifier: IdentifierParts<'_>,
        caveats: &[TypedCaveat],
    ) -> Result<String, IssuerError> {
        let mut macaroon = Macaroon::mint_owned(
            key,
            &self.config.onezone_domain,
            identifier.to_text().into_bytes(),
        )
        .map_err(IssuerError::internal)?;
        for caveat in caveats {
            macaroon
                .add_first_party_owned(caveat.to_string().into_bytes())
                .map_err(IssuerError::internal)?;
        }
        macaroon
            .encode_base62(Format::V1)
            .map_err(IssuerError::internal)
    }

    /// Re-mints a named token from its record (HMAC is deterministic: the same token).
    fn named_info(&self, record: &NamedTokenRecord) -> Result<NamedTokenInfo, IssuerError> {
        let identifier = IdentifierParts::new(
            Persistence::Named,
            record.subject(),
            record.token_type(),
            record.id(),
        )
        .map_err(IssuerError::internal)?;
        let mut macaroon = Macaroon::mint_owned(
            record.secret(),
            &self.config.onezone_domain,
            identifier.to_text().into_bytes(),
        )
        .map_err(IssuerError::internal)?;
        for caveat in record.caveats() {
            macaroon
                .add_first_party(caveat)
                .map_err(IssuerError::internal)?;
        }
        let token = macaroon
            .encode_base62(Format::V1)
            .map_err(IssuerError::internal)?;
        Ok(NamedTokenInfo {
            id: record.id().to_owned(),
            name: record.name().to_owned(),
            subject: record.subject().clone(),
            token_type: record.token_type().clone(),
            caveats: record.caveats().to_vec(),
            custom_metadata: record.custom_metadata().clone(),
            revoked: record.is_revoked(),
            creation_time: record.creation_time(),
            usage_limit: record.usage_limit(),
            usage_count: record.usage_count(),
            privileges: record.privileges().map(<[Privilege]>::to_vec),
            token,
        })
    }

    /// Reads an untrusted token.
    fn decode(&self, token: &str) -> Result<Token, IssuerError> {
        Token::deserialize_with(token.trim(), &self.config.limits).map_err(|err| match err {
            TokenError::Decode(DecodeError::TooLong) => IssuerError::TokenTooLarge {
                limit: self.config.limits.max_encoded_len,
            },
            _ => IssuerError::BadToken,
        })
    }

    /// The subject must exist and not be blocked.
    async fn ensure_active(&self, subject: &Subject) -> Result<(), IssuerError> {
        match self
            .checker
            .subject_status(subject)
            .await
            .map_err(directory)?
        {
            SubjectStatus::Active => Ok(()),
            SubjectStatus::Blocked => Err(IssuerError::UserBlocked),
            _ => Err(IssuerError::TokenSubjectInvalid),
        }
    }

    /// Checks an invite's target and its issuer's rights (spec §1.3), before minting.
    async fn check_invite_creation(
        &self,
        issuer: &Subject,
        invite_type: InviteType,
        target_id: &str,
        privileges: Option<&[Privilege]>,
    ) -> Result<(), IssuerError> {
        if let Some(privileges) = privileges {
            check_privileges(invite_type, privileges)?;
        }
        self.ensure_target_exists(invite_type, target_id).await?;
        if self
            .may_issue(issuer, invite_type, target_id, privileges.is_some())
            .await?
        {
            Ok(())
        } else {
            Err(IssuerError::InviteTokenSubjectNotAuthorized)
        }
    }

    /// The invite's target must exist.
    async fn ensure_target_exists(
        &self,
        invite_type: InviteType,
        target_id: &str,
    ) -> Result<(), IssuerError> {
        let exists = match EntityRef::invite_target(invite_type, target_id) {
            Some(entity) => self
                .checker
                .entity_exists(&entity)
                .await
                .map_err(directory)?,
            None => {
                self.checker
                    .subject_status(&Subject::user(target_id))
                    .await
                    .map_err(directory)?
                    != SubjectStatus::Missing
            }
        };
        if exists {
            Ok(())
        } else {
            Err(IssuerError::InviteTokenTargetIdInvalid {
                id: target_id.to_owned(),
            })
        }
    }

    /// Whether `issuer` may issue this invite (and attach custom privileges), now.
    async fn may_issue(
        &self,
        issuer: &Subject,
        invite_type: InviteType,
        target_id: &str,
        custom_privileges: bool,
    ) -> Result<bool, IssuerError> {
        let rule = create_invite_requirement(invite_type);
        let target = EntityRef::invite_target(invite_type, target_id);
        let excepted = match rule.exception {
            Some(IssuerException::ClusterProvider) => {
                matches!(issuer, Subject::Oneprovider(id) if id == target_id)
            }
            Some(IssuerException::OpenProviderRegistration) => {
                self.config.open_provider_registration
                    && matches!(issuer, Subject::User(id) if id == target_id)
            }
            _ => false,
        };
        let mut allowed = excepted;
        if !allowed && let (Some(privilege), Some(target)) = (rule.privilege, &target) {
            allowed = self
                .checker
                .has_privilege(issuer, target, privilege)
                .await
                .map_err(directory)?;
        }
        if !allowed {
            allowed = self
                .checker
                .has_admin_privilege(issuer, rule.admin)
                .await
                .map_err(directory)?;
        }
        if !allowed || !custom_privileges || excepted {
            return Ok(allowed);
        }
        match (rule.custom_privileges, &target) {
            (Some(requirement), Some(target)) => self
                .checker
                .meets(issuer, target, requirement)
                .await
                .map_err(directory),
            _ => Ok(false),
        }
    }

    /// Finds the key of a decoded token and what it speaks for (spec §3.2).
    async fn resolve(&self, token: &Token) -> Result<Resolved, IssuerError> {
        let identifier = token.identifier();
        match identifier.persistence() {
            Persistence::Temporary(generation) => {
                let subject = identifier
                    .subject()
                    .ok_or(IssuerError::TokenInvalid)?
                    .clone();
                let Some((current, key)) = self
                    .store
                    .temporary_secret_if_exists(&subject)
                    .await
                    .map_err(IssuerError::internal)?
                else {
                    return Err(IssuerError::TokenSubjectInvalid);
                };
                if generation < current {
                    return Err(IssuerError::TokenRevoked);
                }
                if generation > current {
                    return Err(IssuerError::TokenInvalid);
                }
                Ok(Resolved {
                    subject,
                    token_type: identifier.token_type().clone(),
                    key,
                    record: None,
                })
            }
            Persistence::Named => {
                let record = self
                    .store
                    .named_token(identifier.id())
                    .await
                    .map_err(IssuerError::internal)?
                    .ok_or(IssuerError::TokenInvalid)?;
                if record.is_revoked() {
                    return Err(IssuerError::TokenRevoked);
                }
                if let Some(subject) = identifier.subject() {
                    if subject != record.subject() {
                        return Err(IssuerError::TokenSubjectInvalid);
                    }
                    if identifier.token_type() != record.token_type() {
                        return Err(IssuerError::TokenInvalid);
                    }
                }
                Ok(Resolved {
                    subject: record.subject().clone(),
                    token_type: record.token_type().clone(),
                    key: record.secret().clone(),
                    record: Some(record),
                })
            }
        }
    }

    /// Decodes, finds the key, verifies signature and caveats, checks the subject.
    async fn verify(
        &self,
        token: &str,
        context: &Context<'_>,
    ) -> Result<(Token, Resolved, Option<u64>), IssuerError> {
        let token = self.decode(token)?;
        let resolved = self.resolve(&token).await?;
        let kind = resolved.token_type.kind();
        check_caveats(
            token.macaroon(),
            &resolved.key,
            context,
            kind,
            &self.caveat_kinds,
        )?;
        self.ensure_active(&resolved.subject).await?;
        let left = ttl(token.macaroon(), context.now);
        Ok((token, resolved, left))
    }
}

/// What a token turned out to be, with its key.
struct Resolved {
    subject: Subject,
    token_type: TokenType,
    key: RootKey,
    record: Option<NamedTokenRecord>,
}

impl Resolved {
    fn verified(self, token: &Token, ttl: Option<u64>) -> VerifiedToken {
        VerifiedToken {
            subject: self.subject,
            id: token.identifier().id().to_owned(),
            persistence: token.identifier().persistence(),
            token_type: self.token_type,
            ttl,
        }
    }
}

/// Verifies the signature chain and every caveat, with the context's kind set to the token's;
/// `kinds` are the host's own caveat kinds.
fn check_caveats(
    macaroon: &Macaroon,
    key: &RootKey,
    context: &Context<'_>,
    kind: TokenKind,
    kinds: &[(String, CaveatCheck)],
) -> Result<(), IssuerError> {
    let context = context.for_token(kind);
    let verifier = kinds
        .iter()
        .fold(TypedVerifier::new(), |verifier, (prefix, check)| {
            verifier.register(prefix.as_str(), &**check)
        });
    verifier
        .verify(macaroon, key, &[], &context)
        .map(drop)
        .map_err(|err| match err {
            CaveatError::Unknown { raw } => IssuerError::TokenCaveatUnknown { caveat: raw },
            CaveatError::Unverified { caveat } => IssuerError::TokenCaveatUnverified { caveat },
            _ => IssuerError::TokenInvalid,
        })
}

impl<S: TokenStore, P: PrivilegeChecker> TokenIssuer for Issuer<S, P> {
    async fn create_named_token(
        &self,
        request: NamedTokenRequest,
    ) -> Result<CreatedToken, IssuerError> {
        let NamedTokenRequest {
            subject,
            name,
            token_type,
            caveats,
            custom_metadata,
            usage_limit,
            privileges,
            revoked,
        } = request;
        self.ensure_active(&subject).await?;
        let (usage_limit, privileges) = match &token_type {
            TokenType::Invite {
                invite_type,
                target_id,
                ..
            } => {
                if usage_limit == Some(0) {
                    return Err(IssuerError::BadValueTooLow {
                        key: "usageLimit",
                        limit: 1,
                    });
                }
                self.check_invite_creation(
                    &subject,
                    *invite_type,
                    target_id,
                    privileges.as_deref(),
                )
                .await?;
                (usage_limit, privileges)
            }
            _ => (None, None),
        };
        let now = self.clock.now();
        let texts: Vec<String> = caveats.iter().map(ToString::to_string).collect();
        for _ in 0..ID_ATTEMPTS {
            let id = self.fresh_id()?;
            let record = NamedTokenRecord::new(
                id.as_str(),
                name.as_str(),
                subject.clone(),
                token_type.clone(),
                self.fresh_secret()?,
                now,
            )
            .with_caveats(texts.clone())
            .with_custom_metadata(custom_metadata.clone())
            .with_usage_limit(usage_limit)
            .with_privileges(privileges.clone())
            .with_revoked(revoked);
            TokenIdentifier::new(
                Persistence::Named,
                subject.clone(),
                token_type.clone(),
                record.id(),
            )
            .map_err(|err| identifier_error(err, &token_type))?;
            let info = self.named_info(&record)?;
            match self.store.create_named_token(record).await {
                Ok(()) => return Ok(CreatedToken { info }),
                Err(CreateError::NameTaken) => {
                    return Err(IssuerError::BadValueIdentifierOccupied { key: "name" });
                }
                Err(CreateError::IdTaken) => {}
                Err(err) => return Err(IssuerError::internal(err)),
            }
        }
        Err(IssuerError::internal(StoreError::new(
            "no free token id after repeated attempts",
        )))
    }

    async fn create_temporary_token(
        &self,
        subject: &Subject,
        token_type: TokenType,
        caveats: &[TypedCaveat],
    ) -> Result<String, IssuerError> {
        let max_ttl = self.config.max_temporary_ttl;
        let now = self.clock.now();
        let until = caveats
            .iter()
            .filter_map(|caveat| match caveat {
                TypedCaveat::Time(time) => Some(time.valid_until()),
                _ => None,
            })
            .min();
        match until {
            Some(until) if until.saturating_sub(now) <= max_ttl => {}
            _ => return Err(IssuerError::TokenTimeCaveatRequired { max_ttl }),
        }
        self.ensure_active(subject).await?;
        if let TokenType::Invite {
            invite_type,
            target_id,
            ..
        } = &token_type
        {
            self.check_invite_creation(subject, *invite_type, target_id, None)
                .await?;
        }
        let (generation, key) = self
            .store
            .temporary_secret(subject)
            .await
            .map_err(IssuerError::internal)?;
        // Subject and type are borrowed, the id is on the stack: nothing is cloned.
        let id = self.fresh_id()?;
        let identifier = IdentifierParts::new(
            Persistence::Temporary(generation),
            subject,
            &token_type,
            id.as_str(),
        )
        .map_err(|err| identifier_error(err, &TokenType::access()))?;
        self.mint(&key, identifier, caveats)
    }

    fn confine(&self, token: &str, caveats: &[TypedCaveat]) -> Result<String, IssuerError> {
        let decoded = self.decode(token)?;
        // Keep a Oneprovider service indication (`opw-`, `opp-`) in front, as it came.
        let prefix = match decoded.oneprovider_service() {
            Some(ServiceKind::OpWorker) => "opw-",
            Some(ServiceKind::OpPanel) => "opp-",
            _ => "",
        };
        let mut macaroon = decoded.into_macaroon();
        let too_large = || IssuerError::TokenTooLarge {
            limit: self.config.limits.max_encoded_len,
        };
        for caveat in caveats {
            macaroon
                .add_first_party(caveat.to_string())
                .map_err(|_| too_large())?;
        }
        let mut confined = macaroon
            .encode_base62(Format::V1)
            .map_err(|_| too_large())?;
        confined.insert_str(0, prefix);
        if confined.len() > self.config.limits.max_encoded_len {
            return Err(too_large());
        }
        Ok(confined)
    }

    fn examine(&self, token: &str) -> Result<ExaminedToken, IssuerError> {
        ExaminedToken::from_token(&self.decode(token)?)
    }

    async fn verify_access_token(
        &self,
        token: &str,
        session: Option<&str>,
        context: &Context<'_>,
    ) -> Result<VerifiedToken, IssuerError> {
        let (token, resolved, left) = self.verify(token, context).await?;
        match &resolved.token_type {
            TokenType::Access { .. } => {}
            other => {
                return Err(IssuerError::NotAnAccessToken {
                    received: other.to_json(),
                });
            }
        }
        if let Some(bound) = resolved.token_type.session_id()
            && session != Some(bound)
        {
            return Err(IssuerError::TokenSessionInvalid);
        }
        Ok(resolved.verified(&token, left))
    }

    async fn verify_identity_token(
        &self,
        token: &str,
        context: &Context<'_>,
    ) -> Result<VerifiedToken, IssuerError> {
        // Identity-token scope: the legacy `authorization = none` caveat passes only here.
        let context = context.in_identity_scope();
        let (token, resolved, left) = self.verify(token, &context).await?;
        if resolved.token_type != TokenType::Identity {
            return Err(IssuerError::NotAnIdentityToken {
                received: resolved.token_type.to_json(),
            });
        }
        Ok(resolved.verified(&token, left))
    }

    async fn verify_invite_token(
        &self,
        token: &str,
        expected: Option<InviteType>,
        context: &Context<'_>,
    ) -> Result<VerifiedToken, IssuerError> {
        let (token, resolved, left) = self.verify(token, context).await?;
        check_invite_type(&resolved.token_type, expected)?;
        Ok(resolved.verified(&token, left))
    }

    async fn consume_invite(
        &self,
        token: &str,
        expected: Option<InviteType>,
        subject: &Subject,
        joining: Member,
        context: &Context<'_>,
    ) -> Result<ConsumedInvite, IssuerError> {
        let (_, resolved, _) = match self.verify(token, context).await {
            Err(IssuerError::UserBlocked) => {
                return Err(IssuerError::InviteTokenSubjectNotAuthorized);
            }
            other => other?,
        };
        let invite_type = check_invite_type(&resolved.token_type, expected)?;
        let target_id = resolved.token_type.target_id().unwrap_or_default();
        let carried = resolved
            .record
            .as_ref()
            .and_then(NamedTokenRecord::privileges);
        if !self
            .may_issue(&resolved.subject, invite_type, target_id, carried.is_some())
            .await?
        {
            return Err(IssuerError::InviteTokenSubjectNotAuthorized);
        }
        check_consumer(invite_type, subject, &joining)?;
        if let Some(requirement) = consume_invite_requirement(invite_type) {
            let Some(entity) = joining.as_entity() else {
                return Err(consumer_invalid(&joining));
            };
            if !self
                .checker
                .meets(subject, &entity, requirement)
                .await
                .map_err(directory)?
            {
                return Err(IssuerError::Forbidden);
            }
        }
        self.ensure_target_exists(invite_type, target_id).await?;
        let privileges: Vec<Privilege> = match carried {
            Some(carried) => carried.to_vec(),
            None => join_privileges(invite_type)
                .map(|join| join.default.to_vec())
                .unwrap_or_default(),
        };
        let named_id = resolved
            .record
            .as_ref()
            .map(|record| record.id().to_owned());
        // As Onezone does, a named invite is consumed inside a critical section of its own: a
        // use is held only while its own join runs, so a join that fails and gives its use
        // back (a member joining again) never makes a concurrent newcomer see the limit
        // reached. The sections are this issuer's; across processes the store's atomic count
        // still keeps the limit.
        let _section = match &named_id {
            Some(id) => Some(self.invite_lock(id).lock().await),
            None => None,
        };
        let usage_count = match &named_id {
            Some(id) => match self
                .store
                .try_use_invite(id)
                .await
                .map_err(IssuerError::internal)?
            {
                UseOutcome::Used { count } => Some(count),
                UseOutcome::LimitReached => return Err(IssuerError::InviteTokenUsageLimitReached),
                _ => return Err(IssuerError::TokenInvalid),
            },
            None => None,
        };
        let target = EntityRef::invite_target(invite_type, target_id);
        let outcome = match &target {
            None => None,
            Some(entity) => {
                let joined = match self
                    .checker
                    .add_member(entity, joining.clone(), &privileges)
                    .await
                {
                    Ok(JoinOutcome::Added) => Ok(JoinOutcome::Added),
                    Ok(_) => Err(IssuerError::RelationAlreadyExists {
                        subject_type: joining.type_name(),
                        subject_id: joining.id().to_owned(),
                        relation_type: entity.kind.name(),
                        relation_id: entity.id.clone(),
                    }),
                    Err(err) => Err(join_error(err, &joining, target_id)),
                };
                match joined {
                    Ok(outcome) => Some(outcome),
                    Err(err) => {
                        if let Some(id) = &named_id {
                            self.store
                                .release_invite_use(id)
                                .await
                                .map_err(IssuerError::internal)?;
                        }
                        return Err(err);
                    }
                }
            }
        };
        Ok(ConsumedInvite {
            invite_type,
            target,
            member: joining,
            privileges,
            issuer: resolved.subject,
            usage_count,
            outcome,
        })
    }

    async fn set_revoked(&self, id: &str, revoked: bool) -> Result<(), IssuerError> {
        if self
            .store
            .set_revoked(id, revoked)
            .await
            .map_err(IssuerError::internal)?
        {
            Ok(())
        } else {
            Err(IssuerError::NotFound)
        }
    }

    async fn delete_named_token(&self, id: &str) -> Result<(), IssuerError> {
        if self
            .store
            .delete_named_token(id)
            .await
            .map_err(IssuerError::internal)?
        {
            Ok(())
        } else {
            Err(IssuerError::NotFound)
        }
    }

    async fn update_named_token(
        &self,
        id: &str,
        update: NamedTokenUpdate,
    ) -> Result<NamedTokenInfo, IssuerError> {
        match self.store.update_named_token(id, update).await {
            Ok(record) => self.named_info(&record),
            Err(UpdateError::NotFound) => Err(IssuerError::NotFound),
            Err(UpdateError::NameTaken) => {
                Err(IssuerError::BadValueIdentifierOccupied { key: "name" })
            }
            Err(err) => Err(IssuerError::internal(err)),
        }
    }

    async fn delete_named_tokens_of(&self, subject: &Subject) -> Result<(), IssuerError> {
        self.store
            .delete_named_tokens_of(subject)
            .await
            .map(drop)
            .map_err(IssuerError::internal)
    }

    async fn temporary_generation(&self, subject: &Subject) -> Result<Generation, IssuerError> {
        self.store
            .temporary_secret(subject)
            .await
            .map(|(generation, _)| generation)
            .map_err(IssuerError::internal)
    }

    async fn all_named_token_ids(&self) -> Result<Vec<String>, IssuerError> {
        self.store
            .named_token_ids()
            .await
            .map_err(IssuerError::internal)
    }

    async fn revoke_temporary_tokens(&self, subject: &Subject) -> Result<Generation, IssuerError> {
        self.store
            .revoke_temporary(subject)
            .await
            .map_err(IssuerError::internal)
    }

    async fn list_named_tokens(
        &self,
        subject: &Subject,
    ) -> Result<Vec<NamedTokenInfo>, IssuerError> {
        self.store
            .named_tokens_of(subject)
            .await
            .map_err(IssuerError::internal)?
            .iter()
            .map(|record| self.named_info(record))
            .collect()
    }

    async fn named_token(&self, id: &str) -> Result<NamedTokenInfo, IssuerError> {
        let record = self
            .store
            .named_token(id)
            .await
            .map_err(IssuerError::internal)?
            .ok_or(IssuerError::NotFound)?;
        self.named_info(&record)
    }

    async fn named_token_by_name(
        &self,
        subject: &Subject,
        name: &str,
    ) -> Result<NamedTokenInfo, IssuerError> {
        let record = self
            .store
            .named_token_by_name(subject, name)
            .await
            .map_err(IssuerError::internal)?
            .ok_or(IssuerError::NotFound)?;
        self.named_info(&record)
    }
}

impl<S, P> fmt::Debug for Issuer<S, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = self.caveat_kinds.iter().map(|(p, _)| p.as_str()).collect();
        f.debug_struct("Issuer")
            .field("config", &self.config)
            .field("caveat_kinds", &kinds)
            .finish_non_exhaustive()
    }
}

/// The token type must be an invite, of type `expected` if given.
fn check_invite_type(
    token_type: &TokenType,
    expected: Option<InviteType>,
) -> Result<InviteType, IssuerError> {
    match token_type.invite_type() {
        Some(t) if expected.is_none_or(|e| e == t) => Ok(t),
        _ => Err(IssuerError::NotAnInviteToken {
            expected,
            received: token_type.to_json(),
        }),
    }
}

/// The invite's privileges must be of the kind the join gives.
fn check_privileges(invite_type: InviteType, privileges: &[Privilege]) -> Result<(), IssuerError> {
    let kind = join_privileges(invite_type).map(|join| join.kind);
    if privileges.iter().all(|p| Some(p.kind()) == kind) {
        return Ok(());
    }
    Err(IssuerError::BadValueListNotAllowed {
        key: "privileges",
        allowed: Privilege::all()
            .iter()
            .filter(|p| Some(p.kind()) == kind)
            .map(|p| p.name().to_owned())
            .collect(),
    })
}

/// The kind of member that may consume an invite of `invite_type`, and who may act for it.
fn check_consumer(
    invite_type: InviteType,
    subject: &Subject,
    joining: &Member,
) -> Result<(), IssuerError> {
    use InviteType as T;
    let kind_ok = match invite_type {
        T::UserJoinGroup
        | T::UserJoinSpace
        | T::UserJoinCluster
        | T::UserJoinHarvester
        | T::UserJoinAtmInventory => matches!(joining, Member::User(_)),
        T::GroupJoinGroup
        | T::GroupJoinSpace
        | T::GroupJoinCluster
        | T::GroupJoinHarvester
        | T::GroupJoinAtmInventory => matches!(joining, Member::Group(_)),
        T::SupportSpace => matches!(joining, Member::Oneprovider(_)),
        T::HarvesterJoinSpace => matches!(joining, Member::Harvester(_)),
        T::SpaceJoinHarvester => matches!(joining, Member::Space(_)),
        _ => true,
    };
    if !kind_ok {
        return Err(consumer_invalid(joining));
    }
    // Users and Oneproviders join only as themselves.
    let acting_ok = match joining {
        Member::User(id) => matches!(subject, Subject::User(own) if own == id),
        Member::Oneprovider(id) => matches!(subject, Subject::Oneprovider(own) if own == id),
        _ => matches!(subject, Subject::User(_)),
    };
    if acting_ok {
        Ok(())
    } else if matches!(joining, Member::User(_) | Member::Oneprovider(_))
        && subject.type_name() != joining.type_name()
    {
        Err(IssuerError::InviteTokenConsumerInvalid {
            consumer: subject.to_json(),
        })
    } else {
        Err(IssuerError::Forbidden)
    }
}

/// `inviteTokenConsumerInvalid` for `member`.
fn consumer_invalid(member: &Member) -> IssuerError {
    IssuerError::InviteTokenConsumerInvalid {
        consumer: json!({ "type": member.type_name(), "id": member.id() }),
    }
}

/// A failed join, in Onezone's terms.
fn join_error(err: AddMemberError, joining: &Member, target_id: &str) -> IssuerError {
    match err {
        AddMemberError::TargetMissing => IssuerError::InviteTokenTargetIdInvalid {
            id: target_id.to_owned(),
        },
        AddMemberError::MemberMissing | AddMemberError::InvalidRelation => {
            consumer_invalid(joining)
        }
        other => IssuerError::internal(other),
    }
}

/// A directory failure.
fn directory(err: DirectoryError) -> IssuerError {
    IssuerError::internal(err)
}

/// An identifier that cannot be built from a creation request.
fn identifier_error(err: IdentifierError, token_type: &TokenType) -> IssuerError {
    match (err, token_type) {
        (IdentifierError::EmptySessionId, _) => IssuerError::TokenSessionInvalid,
        (IdentifierError::EmptySubjectId, _) => IssuerError::TokenSubjectInvalid,
        (_, TokenType::Invite { target_id, .. }) => IssuerError::InviteTokenTargetIdInvalid {
            id: target_id.clone(),
        },
        _ => IssuerError::TokenSubjectInvalid,
    }
}

/// OS randomness.
fn os_random(bytes: &mut [u8]) -> Result<(), Box<dyn Error + Send + Sync + 'static>> {
    getrandom::fill(bytes).map_err(|_| Box::from("OS random source failed"))
}

const HEX: &[u8; 16] = b"0123456789abcdef";
const ID_ATTEMPTS: usize = 3;
const DEFAULT_MAX_TEMPORARY_TTL: u64 = 2_592_000;

/// Random bytes in a token id: 16 before the `ch`, 2 after.
const ID_RANDOM_LEN: usize = 18;

/// A token id (32 hex characters, `ch`, 4 hex characters) on the stack.
struct IdText([u8; 38]);

impl IdText {
    fn new(random: &[u8; ID_RANDOM_LEN]) -> Self {
        let mut text = [0u8; 38];
        let (head, tail) = random.split_at(16);
        let (text_head, rest) = text.split_at_mut(32);
        let (ch, text_tail) = rest.split_at_mut(2);
        for (pair, byte) in text_head
            .chunks_exact_mut(2)
            .chain(text_tail.chunks_exact_mut(2))
            .zip(head.iter().chain(tail))
        {
            pair.copy_from_slice(&[HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0x0f)]]);
        }
        ch.copy_from_slice(b"ch");
        Self(text)
    }

    fn as_str(&self) -> &str {
        // Hex digits and `ch` are ASCII.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}
