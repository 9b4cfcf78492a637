//! [`Api::handle`]: one HTTP request in, one [`ApiResponse`] out. Authenticates the
//! credential, finds the endpoint from the method and path (spec `onezone-tokens.md` §2),
//! reads the JSON body, calls the handler and renders the answer or the error in the API's
//! [`ErrorStyle`](super::ErrorStyle).

use core::fmt;
use core::net::IpAddr;

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::credential::Credential;
use super::error::{ApiError, ApiResponse};
use super::request::{
    ConfineRequest, NamedTokenCreateRequest, NamedTokenPatch, TemporaryTokenCreateRequest,
    TokenRequest, VerifyAccessTokenRequest, VerifyIdentityTokenRequest, VerifyInviteTokenRequest,
};
use super::service::Api;
use crate::issuer::TokenIssuer;
use crate::key::Redacted;
use crate::privilege::{EntityKind, Member, PrivilegeChecker};
use crate::token::{InviteType, Subject};

/// The prefix of Onezone's REST paths, which [`Request::path`] may carry or leave out.
pub const PATH_PREFIX: &str = "/api/v3/onezone";

/// Request bodies above this many bytes are refused (`malformedData`) before parsing: twice
/// the 1 MiB token limit, for a token plus its caveats.
pub const MAX_BODY_LEN: usize = 2 * 1_048_576;

/// One HTTP request, as the host's server received it.
///
/// ```
/// use futures::executor::block_on;
/// use mintage::api::{Api, Credential, Request};
/// use mintage::issuer::{Issuer, IssuerConfig};
/// use mintage::privilege::MemoryDirectory;
/// use mintage::store::MemoryStore;
/// use mintage::token::Subject;
/// use serde_json::json;
/// use std::sync::Arc;
///
/// let directory = Arc::new(MemoryDirectory::new());
/// directory.add_user("alice");
/// let issuer = Issuer::new(MemoryStore::new(), directory.clone(), IssuerConfig::default());
/// let api = Api::new(issuer, directory);
///
/// let alice = Credential::Subject(Subject::user("alice"));
/// let created = block_on(api.handle(
///     &Request::new("POST", "/api/v3/onezone/user/tokens/named")
///         .with_credential(alice.clone())
///         .with_body(br#"{"name": "laptop"}"#),
/// ));
/// assert_eq!(created.status, 201);
/// let id = created.body["tokenId"].as_str().unwrap();
/// assert_eq!(created.header("Location"), Some(format!("/tokens/named/{id}").as_str()));
///
/// let listed = block_on(api.handle(&Request::new("GET", "/user/tokens/named").with_credential(alice)));
/// assert_eq!(listed.body, json!({"tokens": [id]}));
///
/// // Without a credential: 401 in Onezone's modern error shape.
/// let anonymous = block_on(api.handle(&Request::new("GET", "/user/tokens/named")));
/// assert_eq!(anonymous.status, 401);
/// assert_eq!(anonymous.body["error"]["id"], "unauthorized");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// The path as sent (percent-encoded), with or without [`PATH_PREFIX`] and a query string.
    pub path: &'a str,
    /// The credential the request carries.
    pub credential: Credential<'a>,
    /// The body; empty when there is none.
    pub body: &'a [u8],
    /// The client's address.
    pub peer_ip: Option<IpAddr>,
    /// The GUI session the request belongs to, for session-bound access tokens.
    pub session: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// A request without credential, body, peer address or session.
    pub fn new(method: &'a str, path: &'a str) -> Self {
        Self {
            method,
            path,
            credential: Credential::None,
            body: &[],
            peer_ip: None,
            session: None,
        }
    }

    /// With this credential.
    #[must_use]
    pub fn with_credential(mut self, credential: Credential<'a>) -> Self {
        self.credential = credential;
        self
    }

    /// With this body.
    #[must_use]
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// From this address.
    #[must_use]
    pub fn with_peer_ip(mut self, peer_ip: IpAddr) -> Self {
        self.peer_ip = Some(peer_ip);
        self
    }

    /// In this GUI session.
    #[must_use]
    pub fn with_session(mut self, session: &'a str) -> Self {
        self.session = Some(session);
        self
    }
}

impl fmt::Debug for Request<'_> {
    /// The body (which may carry a token) and the session show only their lengths.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("credential", &self.credential)
            .field("body", &Redacted(self.body.len()))
            .field("peer_ip", &self.peer_ip)
            .field("session", &self.session.map(|s| Redacted(s.len())))
            .finish()
    }
}

/// Whose tokens a `/…/tokens/…` path is about.
enum Owner {
    /// `/user/…`: the caller, a user.
    CallerUser,
    /// `/provider/…`: the caller, a Oneprovider.
    CallerProvider,
    /// `/users/{id}/…` or `/providers/{id}/…`.
    Other(Subject),
}

/// An endpoint, found from the path alone.
enum Endpoint {
    InviteToken(InviteType, String),
    ProviderRegistrationToken,
    Join {
        invite_type: InviteType,
        joining: Option<Member>,
        location_prefix: String,
    },
    NamedTokensOf(Owner),
    NamedTokenByName(Owner, String),
    TemporaryTokensOf(Owner),
    AllNamedTokens,
    NamedToken(String),
    NamedTokenStatus(String),
    Examine,
    Confine,
    VerifyAccessToken,
    VerifyIdentityToken,
    VerifyInviteToken,
    PrivilegeListing(EntityKind),
}

impl Endpoint {
    /// The methods the endpoint answers.
    fn methods(&self) -> &'static [&'static str] {
        match self {
            Self::InviteToken(..) => &["GET", "POST"],
            Self::NamedTokensOf(_) | Self::TemporaryTokensOf(_) => &["GET", "POST", "DELETE"],
            Self::NamedTokenByName(..)
            | Self::AllNamedTokens
            | Self::NamedTokenStatus(_)
            | Self::PrivilegeListing(_) => &["GET"],
            Self::NamedToken(_) => &["GET", "PATCH", "DELETE"],
            Self::ProviderRegistrationToken
            | Self::Join { .. }
            | Self::Examine
            | Self::Confine
            | Self::VerifyAccessToken
            | Self::VerifyIdentityToken
            | Self::VerifyInviteToken => &["POST"],
        }
    }

    /// Finds the endpoint of decoded path `segments`.
    fn find(segments: &[String]) -> Option<Self> {
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        if let [kind @ .., "privileges"] = s.as_slice() {
            let path = kind.iter().map(|k| format!("/{k}")).collect::<String>() + "/privileges";
            return EntityKind::all()
                .iter()
                .find(|entity| entity.listing_path() == path)
                .map(|entity| Self::PrivilegeListing(*entity));
        }
        Some(match s.as_slice() {
            [kind, id, members, "token"] => {
                Self::InviteToken(invite_type_of_token_path(kind, members)?, (*id).to_owned())
            }
            ["user", "clusters", "provider_registration_token"] => Self::ProviderRegistrationToken,
            ["user", kind, "join"] => Self::Join {
                invite_type: user_join_type(kind)?,
                joining: None,
                location_prefix: format!("/user/{kind}"),
            },
            [kind, id, target, "join"] => {
                let (invite_type, joining) = entity_join(kind, id, target)?;
                Self::Join {
                    invite_type,
                    joining: Some(joining),
                    location_prefix: format!("/{kind}/{id}/{target}"),
                }
            }
            ["tokens", "named"] => Self::AllNamedTokens,
            ["tokens", "named", id] => Self::NamedToken((*id).to_owned()),
            ["tokens", "named", id, "status"] => Self::NamedTokenStatus((*id).to_owned()),
            ["tokens", "examine"] => Self::Examine,
            ["tokens", "confine"] => Self::Confine,
            ["tokens", "verify_access_token"] => Self::VerifyAccessToken,
            ["tokens", "verify_identity_token"] => Self::VerifyIdentityToken,
            ["tokens", "verify_invite_token"] => Self::VerifyInviteToken,
            _ => {
                let (owner, rest) = owner_of(&s)?;
                match rest {
                    ["tokens", "named"] => Self::NamedTokensOf(owner),
                    ["tokens", "named", "name", name] => {
                        Self::NamedTokenByName(owner, (*name).to_owned())
                    }
                    ["tokens", "temporary"] => Self::TemporaryTokensOf(owner),
                    _ => return None,
                }
            }
        })
    }
}

/// `/groups/{id}/users/token` and the other deprecated invite-token paths.
fn invite_type_of_token_path(kind: &str, members: &str) -> Option<InviteType> {
    Some(match (kind, members) {
        ("groups", "users") => InviteType::UserJoinGroup,
        ("groups", "children" | "nested") => InviteType::GroupJoinGroup,
        ("spaces", "users") => InviteType::UserJoinSpace,
        ("spaces", "groups") => InviteType::GroupJoinSpace,
        ("spaces", "providers") => InviteType::SupportSpace,
        ("clusters", "users") => InviteType::UserJoinCluster,
        ("clusters", "groups") => InviteType::GroupJoinCluster,
        ("harvesters", "users") => InviteType::UserJoinHarvester,
        ("harvesters", "groups") => InviteType::GroupJoinHarvester,
        ("harvesters", "spaces") => InviteType::SpaceJoinHarvester,
        ("atm_inventories", "users") => InviteType::UserJoinAtmInventory,
        ("atm_inventories", "groups") => InviteType::GroupJoinAtmInventory,
        _ => return None,
    })
}

/// `/user/{kind}/join`.
fn user_join_type(kind: &str) -> Option<InviteType> {
    Some(match kind {
        "groups" => InviteType::UserJoinGroup,
        "spaces" => InviteType::UserJoinSpace,
        "clusters" => InviteType::UserJoinCluster,
        "harvesters" => InviteType::UserJoinHarvester,
        "atm_inventories" => InviteType::UserJoinAtmInventory,
        _ => return None,
    })
}

/// `/{kind}/{id}/{target}/join`: the invite type and who joins.
fn entity_join(kind: &str, id: &str, target: &str) -> Option<(InviteType, Member)> {
    Some(match (kind, target) {
        ("groups", "parents") => (InviteType::GroupJoinGroup, Member::group(id)),
        ("groups", "spaces") => (InviteType::GroupJoinSpace, Member::group(id)),
        ("groups", "clusters") => (InviteType::GroupJoinCluster, Member::group(id)),
        ("groups", "harvesters") => (InviteType::GroupJoinHarvester, Member::group(id)),
        ("groups", "atm_inventories") => (InviteType::GroupJoinAtmInventory, Member::group(id)),
        ("harvesters", "spaces") => (InviteType::HarvesterJoinSpace, Member::harvester(id)),
        ("spaces", "harvesters") => (InviteType::SpaceJoinHarvester, Member::space(id)),
        _ => return None,
    })
}

/// `/user`, `/provider`, `/users/{id}` or `/providers/{id}`, and the rest of the path.
fn owner_of<'s, 'p>(s: &'s [&'p str]) -> Option<(Owner, &'s [&'p str])> {
    match s {
        ["user", rest @ ..] => Some((Owner::CallerUser, rest)),
        ["provider", rest @ ..] => Some((Owner::CallerProvider, rest)),
        ["users", id, rest @ ..] => Some((Owner::Other(Subject::user(*id)), rest)),
        ["providers", id, rest @ ..] => Some((Owner::Other(Subject::oneprovider(*id)), rest)),
        _ => None,
    }
}

/// The decoded segments of `path`, without the prefix, the query and empty segments.
fn segments(path: &str) -> Result<Vec<String>, ApiError> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix(PATH_PREFIX).unwrap_or(path);
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            percent_decode_str(segment)
                .decode_utf8()
                .map(|text| text.into_owned())
                .map_err(|_| ApiError::not_found())
        })
        .collect()
}

fn body<T>(
    request: &Request<'_>,
    parse: impl FnOnce(&Value) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    if request.body.len() > MAX_BODY_LEN {
        return Err(ApiError::malformed_data());
    }
    let value: Value =
        serde_json::from_slice(request.body).map_err(|_| ApiError::malformed_data())?;
    parse(&value)
}

impl<I: TokenIssuer, P: PrivilegeChecker> Api<I, P> {
    /// Answers one request: authenticates its credential (a bad one is 401 even on public
    /// endpoints, as in Onezone), finds the endpoint (404 `notFound` for an unknown path, 405
    /// with `Allow` for a method the path does not answer), reads the body and calls the
    /// handler. Errors render in [`error_style`](Self::error_style).
    pub async fn handle(&self, request: &Request<'_>) -> ApiResponse {
        match self.dispatch(request).await {
            Ok(response) => response,
            Err(err) => err.to_response(self.error_style()),
        }
    }

    async fn dispatch(&self, request: &Request<'_>) -> Result<ApiResponse, ApiError> {
        let endpoint = Endpoint::find(&segments(request.path)?).ok_or_else(ApiError::not_found)?;
        let method = request.method.to_ascii_uppercase();
        let allowed = endpoint.methods();
        if !allowed.contains(&method.as_str()) {
            return Ok(ApiResponse::json(405, Value::Null).with_header("Allow", allowed.join(", ")));
        }
        let caller = self
            .authenticate(&request.credential, request.peer_ip, request.session)
            .await?;
        let ip = request.peer_ip;
        match (endpoint, method.as_str()) {
            (Endpoint::InviteToken(invite_type, target), _) => Ok(self
                .create_invite_token(&caller, invite_type, &target)
                .await?
                .to_response(200)),
            (Endpoint::ProviderRegistrationToken, _) => {
                let target = caller.id().unwrap_or_default().to_owned();
                Ok(self
                    .create_invite_token(&caller, InviteType::RegisterOneprovider, &target)
                    .await?
                    .to_response(200))
            }
            (
                Endpoint::Join {
                    invite_type,
                    joining,
                    location_prefix,
                },
                _,
            ) => {
                let joining = match joining {
                    Some(member) => member,
                    None => Member::user(caller.id().unwrap_or_default()),
                };
                let token = body(request, TokenRequest::from_json)?;
                Ok(self
                    .join(&caller, invite_type, joining, &token, &location_prefix)
                    .await?
                    .to_response())
            }
            (Endpoint::NamedTokensOf(owner), "POST") => {
                let owner = owner_subject(&caller, owner)?;
                let create = body(request, NamedTokenCreateRequest::from_json)?;
                Ok(self
                    .create_named_token(&caller, &owner, create)
                    .await?
                    .to_response())
            }
            (Endpoint::NamedTokensOf(owner), "GET") => {
                let owner = owner_subject(&caller, owner)?;
                Ok(ApiResponse::ok(
                    self.list_named_tokens(&caller, &owner).await?.to_json(),
                ))
            }
            (Endpoint::NamedTokensOf(owner), _) => {
                let owner = owner_subject(&caller, owner)?;
                self.delete_named_tokens(&caller, &owner).await?;
                Ok(ApiResponse::no_content())
            }
            (Endpoint::NamedTokenByName(owner, name), _) => {
                let owner = owner_subject(&caller, owner)?;
                Ok(ApiResponse::ok(
                    self.named_token_by_name(&caller, &owner, &name)
                        .await?
                        .to_json(),
                ))
            }
            (Endpoint::TemporaryTokensOf(owner), "POST") => {
                let owner = owner_subject(&caller, owner)?;
                let create = body(request, TemporaryTokenCreateRequest::from_json)?;
                Ok(self
                    .create_temporary_token(&caller, &owner, create)
                    .await?
                    .to_response(201))
            }
            (Endpoint::TemporaryTokensOf(owner), "GET") => {
                let owner = owner_subject(&caller, owner)?;
                Ok(ApiResponse::ok(
                    self.temporary_generation(&caller, &owner).await?.to_json(),
                ))
            }
            (Endpoint::TemporaryTokensOf(owner), _) => {
                let owner = owner_subject(&caller, owner)?;
                self.revoke_temporary_tokens(&caller, &owner).await?;
                Ok(ApiResponse::no_content())
            }
            (Endpoint::AllNamedTokens, _) => Ok(ApiResponse::ok(
                self.all_named_tokens(&caller).await?.to_json(),
            )),
            (Endpoint::NamedToken(id), "GET") => Ok(ApiResponse::ok(
                self.named_token(&caller, &id).await?.to_json(),
            )),
            (Endpoint::NamedToken(id), "PATCH") => {
                let patch = body(request, NamedTokenPatch::from_json)?;
                self.update_named_token(&caller, &id, &patch).await?;
                Ok(ApiResponse::no_content())
            }
            (Endpoint::NamedToken(id), _) => {
                self.delete_named_token(&caller, &id).await?;
                Ok(ApiResponse::no_content())
            }
            (Endpoint::NamedTokenStatus(id), _) => Ok(ApiResponse::ok(
                self.named_token_status(&caller, &id).await?.to_json(),
            )),
            (Endpoint::Examine, _) => {
                let token = body(request, TokenRequest::from_json)?;
                Ok(ApiResponse::ok(self.examine(&token)?.to_json()))
            }
            (Endpoint::Confine, _) => {
                let confine = body(request, ConfineRequest::from_json)?;
                Ok(self.confine(&confine)?.to_response(200))
            }
            (Endpoint::PrivilegeListing(kind), _) => Ok(ApiResponse::ok(kind.listing())),
            (Endpoint::VerifyAccessToken, _) => {
                let verify = body(request, VerifyAccessTokenRequest::from_json)?;
                Ok(ApiResponse::ok(
                    self.verify_access_token(&caller, &verify, ip)
                        .await?
                        .to_json(),
                ))
            }
            (Endpoint::VerifyIdentityToken, _) => {
                let verify = body(request, VerifyIdentityTokenRequest::from_json)?;
                Ok(ApiResponse::ok(
                    self.verify_identity_token(&caller, &verify, ip)
                        .await?
                        .to_json(),
                ))
            }
            (Endpoint::VerifyInviteToken, _) => {
                let verify = body(request, VerifyInviteTokenRequest::from_json)?;
                Ok(ApiResponse::ok(
                    self.verify_invite_token(&caller, &verify, ip)
                        .await?
                        .to_json(),
                ))
            }
        }
    }
}

/// The subject a `/user`, `/provider`, `/users/{id}` or `/providers/{id}` path names.
fn owner_subject(caller: &Subject, owner: Owner) -> Result<Subject, ApiError> {
    match (owner, caller) {
        (_, Subject::Nobody) => Err(ApiError::unauthenticated()),
        (Owner::CallerUser, Subject::User(_))
        | (Owner::CallerProvider, Subject::Oneprovider(_)) => Ok(caller.clone()),
        (Owner::Other(subject), _) => Ok(subject),
        _ => Err(ApiError::forbidden(None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(path: &str) -> Option<Endpoint> {
        segments(path).ok().and_then(|s| Endpoint::find(&s))
    }

    #[test]
    fn paths() {
        assert!(matches!(
            find("/api/v3/onezone/groups/g1/users/token"),
            Some(Endpoint::InviteToken(InviteType::UserJoinGroup, id)) if id == "g1"
        ));
        assert!(matches!(
            find("/groups/g%201/nested/token/?x=1"),
            Some(Endpoint::InviteToken(InviteType::GroupJoinGroup, id)) if id == "g 1"
        ));
        assert!(matches!(
            find("/user/groups/join"),
            Some(Endpoint::Join { invite_type: InviteType::UserJoinGroup, joining: None, location_prefix })
                if location_prefix == "/user/groups"
        ));
        assert!(matches!(
            find("/spaces/s1/harvesters/join"),
            Some(Endpoint::Join { invite_type: InviteType::SpaceJoinHarvester, joining: Some(Member::Space(id)), .. })
                if id == "s1"
        ));
        assert!(matches!(
            find("/users/u2/tokens/named/name/my%20token"),
            Some(Endpoint::NamedTokenByName(Owner::Other(Subject::User(u)), name))
                if u == "u2" && name == "my token"
        ));
        assert!(
            matches!(find("/tokens/named/t1/status"), Some(Endpoint::NamedTokenStatus(id)) if id == "t1")
        );
        assert!(matches!(
            find("/provider/tokens/temporary"),
            Some(Endpoint::TemporaryTokensOf(Owner::CallerProvider))
        ));
        for unknown in [
            "/",
            "/groups/g1/users",
            "/tokens",
            "/user/teams/join",
            "/spaces/s1/users/join",
            "/groups/%ff/users/token",
        ] {
            assert!(find(unknown).is_none(), "{unknown}");
        }
    }
}
