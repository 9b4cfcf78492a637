//! [`Api`]: the handlers of Onezone's token endpoints (spec `onezone-tokens.md` §2), over any
//! [`TokenIssuer`] and [`PrivilegeChecker`]. Each handler takes the authenticated caller and a
//! parsed request and returns the typed answer or an [`ApiError`]; [`Api::handle`] (in
//! `route.rs`) does the routing, parsing and rendering for hosts that want all of it.

use core::net::IpAddr;

use super::credential::Credential;
use super::error::{ApiError, ErrorStyle};
use super::request::{
    ConfineRequest, ConsumerToken, NamedTokenCreateRequest, NamedTokenPatch,
    TemporaryTokenCreateRequest, TokenRequest, VerifyAccessTokenRequest,
    VerifyIdentityTokenRequest, VerifyInviteTokenRequest,
};
use super::response::{
    JoinResponse, NamedToken, NamedTokenCreated, NamedTokenStatus, TemporaryGeneration,
    TokenIdList, TokenResponse, VerifyResponse,
};
use crate::caveat::{
    Clock, ConsumerIdentity as Consumer, ConsumerKind, Context, InterfaceKind, ServiceKind,
    SystemClock,
};
use crate::issuer::{ExaminedToken, IssuerError, NamedTokenInfo, NamedTokenRequest, TokenIssuer};
use crate::privilege::{EntityRef, Member, Privilege, PrivilegeChecker};
use crate::token::{InviteType, Subject, TokenType};

/// How often a deprecated invite endpoint draws a new random name suffix when the one it drew
/// is taken.
const NAME_ATTEMPTS: usize = 8;
/// Onezone caps the generated names of deprecated-endpoint invites at 50 characters.
const MAX_GENERATED_NAME: usize = 50;

/// Onezone's token endpoints over an issuer and a directory.
///
/// The issuer mints and verifies; the directory answers the authorization questions the
/// endpoints ask besides the issuer's own (`oz_tokens_manage` for another subject's tokens,
/// `cluster_update` for a Oneprovider's). Errors render in the [`ErrorStyle`] chosen with
/// [`with_error_style`](Self::with_error_style). See [`Api::handle`] for a whole request.
pub struct Api<I, P> {
    issuer: I,
    directory: P,
    style: ErrorStyle,
    clock: Box<dyn Clock>,
}

impl<I, P> core::fmt::Debug for Api<I, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Api")
            .field("style", &self.style)
            .finish_non_exhaustive()
    }
}

impl<I: TokenIssuer, P: PrivilegeChecker> Api<I, P> {
    /// The API over `issuer` and `directory` (usually the issuer's own checker, shared through
    /// an `Arc` or a reference), answering errors in the modern style, on the system clock.
    pub fn new(issuer: I, directory: P) -> Self {
        Self {
            issuer,
            directory,
            style: ErrorStyle::Modern,
            clock: Box::new(SystemClock),
        }
    }

    /// Answers errors in `style`.
    #[must_use]
    pub fn with_error_style(mut self, style: ErrorStyle) -> Self {
        self.style = style;
        self
    }

    /// Reads the time for caveat checks from `clock` (give it the issuer's clock).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// The error style.
    pub fn error_style(&self) -> ErrorStyle {
        self.style
    }

    /// The issuer.
    pub fn issuer(&self) -> &I {
        &self.issuer
    }

    /// The directory.
    pub fn directory(&self) -> &P {
        &self.directory
    }

    /// Who `credential` speaks for. An access token is verified as Onezone's REST interface
    /// would, from `peer_ip`, with `session` for session-bound tokens.
    ///
    /// # Errors
    /// `unauthorized` (401) with the token's failure nested as `authError`.
    pub async fn authenticate(
        &self,
        credential: &Credential<'_>,
        peer_ip: Option<IpAddr>,
        session: Option<&str>,
    ) -> Result<Subject, ApiError> {
        match credential {
            Credential::None => Ok(Subject::Nobody),
            Credential::Subject(subject) => Ok(subject.clone()),
            Credential::AccessToken(token) => {
                let context = self.context(peer_ip).with_interface(InterfaceKind::Rest);
                self.issuer
                    .verify_access_token(token, session, &context)
                    .await
                    .map(|verified| verified.subject)
                    .map_err(|err| ApiError::unauthorized(&err))
            }
        }
    }

    /// A deprecated invite endpoint, e.g. the seed's `GET /groups/{id}/users/token`: mints a
    /// named invite of `invite_type` to `target_id` for the caller, usable once, with a
    /// generated name (`<invite type> - <target> <6 hex>`, at most 50 characters).
    ///
    /// # Errors
    /// `unauthorized` for nobody, `notFound` for an unknown target, `forbidden` when the caller
    /// may not invite (the seed's `group_invite_user`, today `group_add_user`, or the admin
    /// privilege), `userBlocked`, `internalServerError`.
    pub async fn create_invite_token(
        &self,
        caller: &Subject,
        invite_type: InviteType,
        target_id: &str,
    ) -> Result<TokenResponse, ApiError> {
        require_authenticated(caller)?;
        let token_type = TokenType::invite(invite_type, target_id);
        for _ in 0..NAME_ATTEMPTS {
            let name = invite_token_name(invite_type, target_id)?;
            let request = NamedTokenRequest::new(caller.clone(), name, token_type.clone())
                .with_usage_limit(1);
            match self.issuer.create_named_token(request).await {
                Ok(created) => return Ok(TokenResponse::new(created.info.token)),
                Err(IssuerError::BadValueIdentifierOccupied { .. }) => {}
                Err(IssuerError::InviteTokenTargetIdInvalid { .. }) => {
                    return Err(ApiError::not_found());
                }
                Err(IssuerError::InviteTokenSubjectNotAuthorized) => {
                    return Err(ApiError::forbidden(None));
                }
                Err(err) => return Err(ApiError::from_error(&err)),
            }
        }
        Err(ApiError::internal())
    }

    /// A join endpoint, e.g. `POST /user/groups/join`: the caller makes `joining` join the
    /// target of the invite in `request`, which must be of `invite_type`. The answer's
    /// `Location` is `location_prefix` followed by `/<target id>`.
    ///
    /// # Errors
    /// `unauthorized` for nobody; `badValueToken` (key `token`) nesting the token's failure,
    /// `notAnInviteToken` included, and the `inviteToken*` errors; `forbidden` without the
    /// consumer-side privilege; `relationAlreadyExists`; `internalServerError`.
    pub async fn join(
        &self,
        caller: &Subject,
        invite_type: InviteType,
        joining: Member,
        request: &TokenRequest,
        location_prefix: &str,
    ) -> Result<JoinResponse, ApiError> {
        require_authenticated(caller)?;
        // The caller consumes the invite (its `consumer` caveats name who may).
        let consumer = self.consumer_of(caller.clone()).await?;
        let mut context = self.context(None);
        context.consumer = consumer.as_ref();
        let consumed = self
            .issuer
            .consume_invite(&request.token, Some(invite_type), caller, joining, &context)
            .await
            .map_err(|err| {
                if is_token_failure(&err) {
                    ApiError::bad_value_token("token", &err)
                } else {
                    ApiError::from_error(&err)
                }
            })?;
        let target = consumed.target.map(|entity| entity.id).unwrap_or_default();
        let location = format!("{location_prefix}/{target}");
        Ok(JoinResponse::new(target, location))
    }

    /// `POST /user/tokens/named` and its `/users/{id}`, `/provider`, `/providers/{id}`
    /// variants: a named token of `owner`.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden` (another owner without the right), and the issuer's errors
    /// (`badValueIdentifierOccupied`, `inviteTokenSubjectNotAuthorized`, …).
    pub async fn create_named_token(
        &self,
        caller: &Subject,
        owner: &Subject,
        request: NamedTokenCreateRequest,
    ) -> Result<NamedTokenCreated, ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        let mut named = NamedTokenRequest::new(owner.clone(), request.name, request.token_type)
            .with_caveats(request.caveats)
            .with_custom_metadata(request.custom_metadata)
            .with_revoked(request.revoked);
        if let Some(limit) = request.usage_limit.as_option() {
            named = named.with_usage_limit(limit);
        }
        if let Some(privileges) = request.privileges {
            named = named.with_privileges(privileges);
        }
        let created = self.issuer.create_named_token(named).await.map_err(api)?;
        Ok(NamedTokenCreated::new(created.info.id, created.info.token))
    }

    /// `GET /user/tokens/named` (and variants): the ids of `owner`'s named tokens.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `internalServerError`.
    pub async fn list_named_tokens(
        &self,
        caller: &Subject,
        owner: &Subject,
    ) -> Result<TokenIdList, ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        let infos = self.issuer.list_named_tokens(owner).await.map_err(api)?;
        Ok(TokenIdList::new(infos.into_iter().map(|i| i.id).collect()))
    }

    /// `DELETE /user/tokens/named` (and variants): deletes all of `owner`'s named tokens.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `internalServerError`.
    pub async fn delete_named_tokens(
        &self,
        caller: &Subject,
        owner: &Subject,
    ) -> Result<(), ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        self.issuer.delete_named_tokens_of(owner).await.map_err(api)
    }

    /// `GET /user/tokens/named/name/{name}` (and variants).
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `notFound`, `internalServerError`.
    pub async fn named_token_by_name(
        &self,
        caller: &Subject,
        owner: &Subject,
        name: &str,
    ) -> Result<NamedToken, ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        let info = self
            .issuer
            .named_token_by_name(owner, name)
            .await
            .map_err(api)?;
        NamedToken::from_info(&info)
    }

    /// `POST /user/tokens/temporary` (and variants): a temporary token of `owner`.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `tokenTimeCaveatRequired`, the issuer's subject and invite
    /// errors.
    pub async fn create_temporary_token(
        &self,
        caller: &Subject,
        owner: &Subject,
        request: TemporaryTokenCreateRequest,
    ) -> Result<TokenResponse, ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        self.issuer
            .create_temporary_token(owner, request.token_type, &request.caveats)
            .await
            .map(TokenResponse::new)
            .map_err(api)
    }

    /// `GET /user/tokens/temporary` (and variants): `owner`'s temporary-token generation.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `internalServerError`.
    pub async fn temporary_generation(
        &self,
        caller: &Subject,
        owner: &Subject,
    ) -> Result<TemporaryGeneration, ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        let generation = self.issuer.temporary_generation(owner).await.map_err(api)?;
        Ok(TemporaryGeneration::new(generation.get()))
    }

    /// `DELETE /user/tokens/temporary` (and variants): revokes all of `owner`'s temporary
    /// tokens.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `internalServerError`.
    pub async fn revoke_temporary_tokens(
        &self,
        caller: &Subject,
        owner: &Subject,
    ) -> Result<(), ApiError> {
        self.may_manage_tokens_of(caller, owner).await?;
        self.issuer
            .revoke_temporary_tokens(owner)
            .await
            .map(drop)
            .map_err(api)
    }

    /// `GET /tokens/named`: every named token id; needs `oz_tokens_manage`.
    ///
    /// # Errors
    /// `unauthorized`, `forbidden`, `internalServerError`.
    pub async fn all_named_tokens(&self, caller: &Subject) -> Result<TokenIdList, ApiError> {
        require_authenticated(caller)?;
        if !self.is_token_admin(caller).await? {
            return Err(ApiError::forbidden(None));
        }
        let ids = self.issuer.all_named_token_ids().await.map_err(api)?;
        Ok(TokenIdList::new(ids))
    }

    /// `GET /tokens/named/{id}`.
    ///
    /// # Errors
    /// `unauthorized`, `notFound`, `forbidden` (neither the subject nor a token admin),
    /// `internalServerError`.
    pub async fn named_token(&self, caller: &Subject, id: &str) -> Result<NamedToken, ApiError> {
        let info = self.named_token_of_caller(caller, id).await?;
        NamedToken::from_info(&info)
    }

    /// `PATCH /tokens/named/{id}`: rename, replace custom metadata, revoke or un-revoke.
    ///
    /// # Errors
    /// As [`named_token`](Self::named_token), and `badValueIdentifierOccupied` for a name the
    /// subject already uses.
    pub async fn update_named_token(
        &self,
        caller: &Subject,
        id: &str,
        patch: &NamedTokenPatch,
    ) -> Result<(), ApiError> {
        self.named_token_of_caller(caller, id).await?;
        self.issuer
            .update_named_token(id, patch.to_update())
            .await
            .map(drop)
            .map_err(api)
    }

    /// `DELETE /tokens/named/{id}`.
    ///
    /// # Errors
    /// As [`named_token`](Self::named_token).
    pub async fn delete_named_token(&self, caller: &Subject, id: &str) -> Result<(), ApiError> {
        self.named_token_of_caller(caller, id).await?;
        self.issuer.delete_named_token(id).await.map_err(api)
    }

    /// `GET /tokens/named/{id}/status`: whether the token is revoked.
    ///
    /// # Errors
    /// As [`named_token`](Self::named_token).
    pub async fn named_token_status(
        &self,
        caller: &Subject,
        id: &str,
    ) -> Result<NamedTokenStatus, ApiError> {
        let info = self.named_token_of_caller(caller, id).await?;
        Ok(NamedTokenStatus::new(info.revoked))
    }

    /// `POST /tokens/examine`: what a token claims, without verifying it. Public.
    ///
    /// # Errors
    /// `badValueToken` (key `token`) nesting `badToken` or `tokenTooLarge`;
    /// `tokenCaveatUnknown`.
    pub fn examine(&self, request: &TokenRequest) -> Result<ExaminedToken, ApiError> {
        self.issuer.examine(&request.token).map_err(body_token)
    }

    /// `POST /tokens/confine`: the token with `caveats` appended. Public.
    ///
    /// # Errors
    /// `badValueToken` (key `token`) nesting `badToken` or `tokenTooLarge`.
    pub fn confine(&self, request: &ConfineRequest) -> Result<TokenResponse, ApiError> {
        self.issuer
            .confine(&request.token, &request.caveats)
            .map(TokenResponse::new)
            .map_err(body_token)
    }

    /// `POST /tokens/verify_access_token`. Public; `peer_ip` is the caller's address, used
    /// when the body names none; the consumer is the caller unless the body says otherwise.
    ///
    /// # Errors
    /// The token's failure as is (`tokenInvalid`, `tokenCaveatUnverified`, …);
    /// `badServiceToken` / `badConsumerToken` for a bad service or consumer token.
    pub async fn verify_access_token(
        &self,
        caller: &Subject,
        request: &VerifyAccessTokenRequest,
        peer_ip: Option<IpAddr>,
    ) -> Result<VerifyResponse, ApiError> {
        let consumer = self.consumer(caller, &request.consumer_token).await?;
        let service = match &request.service_token {
            Some(token) => Some(self.service(token).await?),
            None => None,
        };
        let mut context = self.verify_context(
            request.peer_ip.or(peer_ip),
            request.interface,
            consumer.as_ref(),
        );
        if let Some(id) = &service {
            context = context.with_service(ServiceKind::OpWorker, id);
        }
        if request.allow_data_access_caveats {
            context = context.allowing_data_access();
        }
        self.issuer
            .verify_access_token(&request.token, None, &context)
            .await
            .map(VerifyResponse::from_verified)
            .map_err(api)
    }

    /// `POST /tokens/verify_identity_token`. Public; as
    /// [`verify_access_token`](Self::verify_access_token).
    ///
    /// # Errors
    /// As [`verify_access_token`](Self::verify_access_token), with `notAnIdentityToken`.
    pub async fn verify_identity_token(
        &self,
        caller: &Subject,
        request: &VerifyIdentityTokenRequest,
        peer_ip: Option<IpAddr>,
    ) -> Result<VerifyResponse, ApiError> {
        let consumer = self.consumer(caller, &request.consumer_token).await?;
        let context = self.verify_context(
            request.peer_ip.or(peer_ip),
            request.interface,
            consumer.as_ref(),
        );
        self.issuer
            .verify_identity_token(&request.token, &context)
            .await
            .map(VerifyResponse::from_verified)
            .map_err(api)
    }

    /// `POST /tokens/verify_invite_token`: whether the token is a valid invite (of the
    /// expected type), not whether it can be consumed. Public.
    ///
    /// # Errors
    /// As [`verify_access_token`](Self::verify_access_token), with `notAnInviteToken`.
    pub async fn verify_invite_token(
        &self,
        caller: &Subject,
        request: &VerifyInviteTokenRequest,
        peer_ip: Option<IpAddr>,
    ) -> Result<VerifyResponse, ApiError> {
        let consumer = self.consumer(caller, &request.consumer_token).await?;
        let context = self.verify_context(request.peer_ip.or(peer_ip), None, consumer.as_ref());
        self.issuer
            .verify_invite_token(&request.token, request.expected_invite_type, &context)
            .await
            .map(VerifyResponse::from_verified)
            .map_err(api)
    }

    /// A context at the clock's time, from `peer_ip`.
    fn context(&self, peer_ip: Option<IpAddr>) -> Context<'static> {
        let mut context = Context::at(self.clock.now());
        context.peer_ip = peer_ip;
        context
    }

    fn verify_context<'c>(
        &self,
        peer_ip: Option<IpAddr>,
        interface: Option<InterfaceKind>,
        consumer: Option<&'c Consumer>,
    ) -> Context<'c> {
        let mut context: Context<'c> = self.context(peer_ip);
        context.interface = interface;
        context.consumer = consumer;
        context
    }

    /// The consumer of a token being verified: the caller, nobody, or the subject of a
    /// consumer identity token.
    async fn consumer(
        &self,
        caller: &Subject,
        consumer: &ConsumerToken,
    ) -> Result<Option<Consumer>, ApiError> {
        let subject = match consumer {
            ConsumerToken::None => return Ok(None),
            ConsumerToken::Caller => caller.clone(),
            ConsumerToken::Token(token) => {
                self.issuer
                    .verify_identity_token(token, &self.context(None))
                    .await
                    .map_err(|err| ApiError::bad_consumer_token(&err))?
                    .subject
            }
        };
        self.consumer_of(subject).await
    }

    /// `subject` as the consumer of a token, a user with the groups the directory knows it in
    /// (for `consumer = grp-…` caveats); nobody is none.
    async fn consumer_of(&self, subject: Subject) -> Result<Option<Consumer>, ApiError> {
        Ok(match subject {
            Subject::User(id) => {
                let groups = self
                    .directory
                    .effective_groups(&id)
                    .await
                    .map_err(|_| ApiError::internal())?;
                Some(Consumer {
                    kind: ConsumerKind::User,
                    id,
                    groups,
                })
            }
            Subject::Oneprovider(id) => Some(Consumer {
                kind: ConsumerKind::Provider,
                id,
                groups: Vec::new(),
            }),
            _ => None,
        })
    }

    /// The Oneprovider a service identity token proves.
    async fn service(&self, token: &str) -> Result<String, ApiError> {
        let verified = self
            .issuer
            .verify_identity_token(token, &self.context(None))
            .await
            .map_err(|err| ApiError::bad_service_token(&err))?;
        match verified.subject {
            Subject::Oneprovider(id) => Ok(id),
            _ => Err(ApiError::bad_service_token(
                &IssuerError::TokenSubjectInvalid,
            )),
        }
    }

    /// The named token `id`, if the caller may manage it.
    async fn named_token_of_caller(
        &self,
        caller: &Subject,
        id: &str,
    ) -> Result<NamedTokenInfo, ApiError> {
        require_authenticated(caller)?;
        let info = self.issuer.named_token(id).await.map_err(api)?;
        self.may_manage_tokens_of(caller, &info.subject).await?;
        Ok(info)
    }

    /// The caller may manage `owner`'s tokens: it is the owner, holds `oz_tokens_manage`, or,
    /// for a Oneprovider's tokens, `cluster_update` in its cluster (which has the provider's
    /// id).
    async fn may_manage_tokens_of(
        &self,
        caller: &Subject,
        owner: &Subject,
    ) -> Result<(), ApiError> {
        require_authenticated(caller)?;
        if caller == owner || self.is_token_admin(caller).await? {
            return Ok(());
        }
        if let Subject::Oneprovider(provider) = owner
            && self
                .directory
                .has_privilege(
                    caller,
                    &EntityRef::cluster(provider.as_str()),
                    Privilege::ClusterUpdate,
                )
                .await
                .map_err(|_| ApiError::internal())?
        {
            return Ok(());
        }
        Err(ApiError::forbidden(None))
    }

    async fn is_token_admin(&self, caller: &Subject) -> Result<bool, ApiError> {
        self.directory
            .has_admin_privilege(caller, Privilege::OzTokensManage)
            .await
            .map_err(|_| ApiError::internal())
    }
}

fn api(err: IssuerError) -> ApiError {
    ApiError::from_error(&err)
}

/// A token from the request body that could not be read: `badValueToken` (key `token`).
fn body_token(err: IssuerError) -> ApiError {
    match err {
        IssuerError::BadToken | IssuerError::TokenTooLarge { .. } => {
            ApiError::bad_value_token("token", &err)
        }
        other => api(other),
    }
}

fn require_authenticated(caller: &Subject) -> Result<(), ApiError> {
    match caller {
        Subject::Nobody => Err(ApiError::unauthenticated()),
        _ => Ok(()),
    }
}

/// Whether `err` is about the token itself (nested in `badValueToken` by join endpoints)
/// rather than about the request (`forbidden`, `relationAlreadyExists`, …).
fn is_token_failure(err: &IssuerError) -> bool {
    !matches!(
        err,
        IssuerError::Forbidden
            | IssuerError::NotFound
            | IssuerError::RelationAlreadyExists { .. }
            | IssuerError::Internal(_)
            | IssuerError::BadValueIdentifierOccupied { .. }
            | IssuerError::BadValueTooLow { .. }
            | IssuerError::BadValueListNotAllowed { .. }
    )
}

/// `<invite type> - <target> <6 hex>`, at most 50 characters, a valid token name.
fn invite_token_name(invite_type: InviteType, target_id: &str) -> Result<String, ApiError> {
    let mut random = [0u8; 3];
    getrandom::fill(&mut random).map_err(|_| ApiError::internal())?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let head = format!("{} - ", invite_type.name());
    let room = MAX_GENERATED_NAME.saturating_sub(head.len() + 1 + suffix.len());
    // Keep the target readable but within the name alphabet (ctool `validation.hrl`).
    let target: String = target_id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(room)
        .collect();
    Ok(format!("{head}{target} {suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::check_token_name;

    #[test]
    fn generated_invite_names_are_valid_and_short() {
        for target in ["g1", &"x".repeat(200), "a b/c", "żółw"] {
            let name = invite_token_name(InviteType::UserJoinGroup, target).unwrap_or_default();
            assert!(check_token_name(&name), "{name}");
            assert!(name.chars().count() <= MAX_GENERATED_NAME, "{name}");
            assert!(name.starts_with("userJoinGroup - "), "{name}");
        }
    }
}
