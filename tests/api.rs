//! The API layer end to end: requests in, statuses, headers and exact JSON bodies out, on the
//! standard issuer over `MemoryStore` and `MemoryDirectory`. First the seed flow of
//! `GET /groups/{id}/users/token` and `POST /user/groups/join` with its failures in both error
//! styles, then the token API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use futures::executor::block_on;
use mintage::api::{
    Api, ApiResponse, ConfineRequest, Credential, ErrorStyle, NamedTokenCreated, Request,
    TokenRequest, TokenResponse, VerifyAccessTokenRequest, VerifyIdentityTokenRequest,
    VerifyInviteTokenRequest,
};
use mintage::caveat::Clock;
use mintage::issuer::{Issuer, IssuerConfig, NamedTokenRequest, TokenIssuer};
use mintage::privilege::{EntityRef, Member, MemoryDirectory, Privilege};
use mintage::store::MemoryStore;
use mintage::token::{Subject, Token, TokenType};
use serde_json::{Value, json};

const NOW: u64 = 1_700_000_000;

#[derive(Clone, Copy)]
struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> u64 {
        NOW
    }
}

type TestApi = Api<Issuer<MemoryStore, Arc<MemoryDirectory>>, Arc<MemoryDirectory>>;

struct World {
    api: TestApi,
    directory: Arc<MemoryDirectory>,
}

/// `admin` holds the seed-era `group_invite_user` in `g1`; `bob` and `carol` hold nothing;
/// `root` holds `oz_tokens_manage`; `p1` is a Oneprovider.
fn world(style: ErrorStyle) -> World {
    let directory = Arc::new(MemoryDirectory::new());
    directory
        .add_user("admin")
        .add_user("bob")
        .add_user("carol")
        .add_user("root")
        .add_provider("p1")
        .add_group("g1")
        .grant(
            &Subject::user("admin"),
            EntityRef::group("g1"),
            Privilege::resolve("group_invite_user").unwrap(),
        )
        .grant(
            &Subject::user("root"),
            EntityRef::onezone(),
            &[Privilege::OzTokensManage],
        );
    let issuer = Issuer::new(
        MemoryStore::new(),
        directory.clone(),
        IssuerConfig::default(),
    )
    .with_clock(Fixed);
    let api = Api::new(issuer, directory.clone())
        .with_clock(Fixed)
        .with_error_style(style);
    World { api, directory }
}

impl World {
    /// A named access token of `user`, as a login would hand out.
    fn access_token(&self, user: &str) -> String {
        let request = NamedTokenRequest::new(Subject::user(user), "login", TokenType::access());
        block_on(self.api.issuer().create_named_token(request))
            .unwrap()
            .info
            .token
    }

    fn call(&self, request: Request<'_>) -> ApiResponse {
        block_on(self.api.handle(&request))
    }

    /// A request authenticated by a subject the host checked itself.
    fn as_user(&self, method: &str, path: &str, user: &str, body: &str) -> ApiResponse {
        self.call(
            Request::new(method, path)
                .with_credential(Credential::Subject(Subject::user(user)))
                .with_body(body.as_bytes()),
        )
    }

    fn public(&self, method: &str, path: &str, body: &str) -> ApiResponse {
        self.call(Request::new(method, path).with_body(body.as_bytes()))
    }
}

fn with_token<'a>(method: &'a str, path: &'a str, token: &'a str) -> Request<'a> {
    Request::new(method, path).with_credential(Credential::AccessToken(token))
}

fn token_of(response: &ApiResponse) -> String {
    response.body["token"].as_str().unwrap().to_owned()
}

// ---- The seed flow -------------------------------------------------------------------------

#[test]
fn seed_flow_admin_invites_and_a_second_user_joins() {
    let w = world(ErrorStyle::Modern);
    let admin = w.access_token("admin");
    let invited = w.call(with_token(
        "GET",
        "/api/v3/onezone/groups/g1/users/token",
        &admin,
    ));
    assert_eq!(invited.status, 200);
    let members: Vec<&String> = invited.body.as_object().unwrap().keys().collect();
    assert_eq!(members, ["token"]);
    let invite = token_of(&invited);
    let decoded = Token::deserialize(&invite).unwrap();
    assert_eq!(
        decoded.identifier().token_type().to_json(),
        json!({"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1", "parameters": {}}})
    );
    assert_eq!(
        decoded.identifier().subject(),
        Some(&Subject::user("admin"))
    );

    let bob = w.access_token("bob");
    let joined = w.call(
        with_token("POST", "/api/v3/onezone/user/groups/join", &bob)
            .with_body(json!({ "token": invite }).to_string().as_bytes()),
    );
    assert_eq!(joined.status, 201);
    assert_eq!(joined.body, Value::Null);
    assert_eq!(joined.body_text(), "");
    assert_eq!(joined.header("Location"), Some("/user/groups/g1"));

    // The group now lists bob with a member's default privileges.
    let listed = w.directory.members(&EntityRef::group("g1"));
    assert!(
        listed.contains(&(Member::user("bob"), vec![Privilege::GroupView])),
        "{listed:?}"
    );

    // The deprecated endpoint's invite is usable once.
    let carol = w.access_token("carol");
    let again = w.call(
        with_token("POST", "/user/groups/join", &carol)
            .with_body(json!({ "token": invite }).to_string().as_bytes()),
    );
    assert_eq!(again.status, 400);
    assert_eq!(
        again.body,
        json!({"error": {
            "id": "badValueToken",
            "description": "Bad value: provided \"token\" is not a valid token (see details).",
            "details": {"key": "token", "tokenError": {
                "id": "inviteTokenUsageLimitReached",
                "description": "The usage limit of this invite token has been reached."}}}})
    );
}

#[test]
fn seed_endpoint_answers_post_too() {
    let w = world(ErrorStyle::Modern);
    let admin = w.access_token("admin");
    let response = w.call(with_token("POST", "/groups/g1/users/token", &admin));
    assert_eq!(response.status, 200);
    assert!(Token::deserialize(token_of(&response)).is_ok());
}

/// Without `group_invite_user` (today `group_add_user`) the answer is 403.
#[test]
fn seed_endpoint_without_privilege_is_403_in_both_styles() {
    for (style, body) in [
        (
            ErrorStyle::Modern,
            json!({"error": {"id": "forbidden",
                             "description": "You are not authorized to perform this operation."}}),
        ),
        (
            ErrorStyle::SeedEra,
            json!({"error": "forbidden",
                   "error_description": "You are not authorized to perform this operation."}),
        ),
    ] {
        let w = world(style);
        let carol = w.access_token("carol");
        let response = w.call(with_token("GET", "/groups/g1/users/token", &carol));
        assert_eq!((response.status, &response.body), (403, &body), "{style:?}");
    }
}

#[test]
fn seed_endpoint_for_an_unknown_group_is_404_in_both_styles() {
    for (style, body) in [
        (
            ErrorStyle::Modern,
            json!({"error": {"id": "notFound", "description": "The resource could not be found."}}),
        ),
        (
            ErrorStyle::SeedEra,
            json!({"error": "root_resource_not_found",
                   "error_description": "The resource could not be found."}),
        ),
    ] {
        let w = world(style);
        let admin = w.access_token("admin");
        let response = w.call(with_token("GET", "/groups/nope/users/token", &admin));
        assert_eq!((response.status, &response.body), (404, &body), "{style:?}");
    }
}

#[test]
fn seed_endpoint_with_a_bad_credential_is_401_in_both_styles() {
    let modern = world(ErrorStyle::Modern);
    let response = modern.call(with_token("GET", "/groups/g1/users/token", "not-a-token"));
    assert_eq!(response.status, 401);
    assert_eq!(
        response.body,
        json!({"error": {
            "id": "unauthorized",
            "description": "Provided authentication is not valid (see details).",
            "details": {"authError": {
                "id": "badToken",
                "description": "Provided token could not be understood by the server."}}}})
    );
    assert_eq!(response.header("WWW-Authenticate"), None);

    let seed = world(ErrorStyle::SeedEra);
    let response = seed.call(with_token("GET", "/groups/g1/users/token", "not-a-token"));
    assert_eq!(response.status, 401);
    assert_eq!(
        response.body,
        json!({"error": "invalid_token",
               "error_description": "Provided token could not be validated."})
    );
    assert_eq!(
        response.header("WWW-Authenticate"),
        Some("error=invalid_token")
    );
    // A revoked credential is refused the same way, with the reason nested.
    let admin = modern.access_token("admin");
    let id = Token::deserialize(&admin)
        .unwrap()
        .identifier()
        .id()
        .to_owned();
    block_on(modern.api.issuer().set_revoked(&id, true)).unwrap();
    let response = modern.call(with_token("GET", "/groups/g1/users/token", &admin));
    assert_eq!(response.status, 401);
    assert_eq!(
        response.body["error"]["details"]["authError"]["id"],
        "tokenRevoked"
    );
}

#[test]
fn seed_endpoint_without_a_credential_is_401() {
    let w = world(ErrorStyle::Modern);
    let response = w.public("GET", "/groups/g1/users/token", "");
    assert_eq!(response.status, 401);
    assert_eq!(
        response.body,
        json!({"error": {"id": "unauthorized",
            "description": "You must authenticate yourself to perform this operation."}})
    );
}

#[test]
fn join_failures() {
    let w = world(ErrorStyle::Modern);
    let bob = w.access_token("bob");
    // A token that is no invite: nested notAnInviteToken.
    let response = w.call(
        with_token("POST", "/user/groups/join", &bob)
            .with_body(json!({ "token": bob }).to_string().as_bytes()),
    );
    assert_eq!(response.status, 400);
    assert_eq!(response.body["error"]["id"], "badValueToken");
    assert_eq!(
        response.body["error"]["details"]["tokenError"]["id"],
        "notAnInviteToken"
    );
    // A group invite at the space join endpoint: also notAnInviteToken.
    let admin = w.access_token("admin");
    let invite = token_of(&w.call(with_token("GET", "/groups/g1/users/token", &admin)));
    let response = w.call(
        with_token("POST", "/user/spaces/join", &bob)
            .with_body(json!({ "token": invite }).to_string().as_bytes()),
    );
    assert_eq!(
        response.body["error"]["details"]["tokenError"]["details"],
        json!({"expectedInviteType": "userJoinSpace",
               "received": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1", "parameters": {}}}})
    );
    // Garbage and missing tokens.
    let response =
        w.call(with_token("POST", "/user/groups/join", &bob).with_body(br#"{"token": "x"}"#));
    assert_eq!(
        response.body["error"]["details"]["tokenError"]["id"],
        "badToken"
    );
    let response = w.call(with_token("POST", "/user/groups/join", &bob).with_body(b"{}"));
    assert_eq!(
        response.body,
        json!({"error": {"id": "missingRequiredValue",
            "description": "Missing required value: token.", "details": {"key": "token"}}})
    );
    let response = w.call(with_token("POST", "/user/groups/join", &bob).with_body(b"[1"));
    assert_eq!(response.body["error"]["id"], "malformedData");
    // Joining twice is a relation that already exists, not a token failure.
    let response = w.call(
        with_token("POST", "/user/groups/join", &bob)
            .with_body(json!({ "token": invite }).to_string().as_bytes()),
    );
    assert_eq!(response.status, 201);
    let invite = token_of(&w.call(with_token("GET", "/groups/g1/users/token", &admin)));
    let response = w.call(
        with_token("POST", "/user/groups/join", &bob)
            .with_body(json!({ "token": invite }).to_string().as_bytes()),
    );
    assert_eq!(
        (response.status, &response.body["error"]["id"]),
        (409, &json!("relationAlreadyExists"))
    );
    // The seed-era shape of a bad body token.
    let seed = world(ErrorStyle::SeedEra);
    let bob = seed.access_token("bob");
    let response =
        seed.call(with_token("POST", "/user/groups/join", &bob).with_body(br#"{"token": "x"}"#));
    assert_eq!(
        (response.status, response.body),
        (
            400,
            json!({"error": "invalid_request", "error_description": "invalid 'token' value"})
        )
    );
}

#[test]
fn a_group_joins_its_parent_through_the_group_endpoint() {
    let w = world(ErrorStyle::Modern);
    w.directory.add_group("child").grant(
        &Subject::user("bob"),
        EntityRef::group("child"),
        &[Privilege::GroupAddParent],
    );
    w.directory.grant(
        &Subject::user("admin"),
        EntityRef::group("g1"),
        &[Privilege::GroupAddChild],
    );
    let invite = token_of(&w.as_user("POST", "/groups/g1/children/token", "admin", ""));
    let body = json!({ "token": invite }).to_string();
    // carol holds no group_add_parent in the child: forbidden.
    let response = w.as_user("POST", "/groups/child/parents/join", "carol", &body);
    assert_eq!(response.status, 403);
    let response = w.as_user("POST", "/groups/child/parents/join", "bob", &body);
    assert_eq!(response.status, 201);
    assert_eq!(
        response.header("Location"),
        Some("/groups/child/parents/g1")
    );
    assert!(
        w.directory
            .members(&EntityRef::group("g1"))
            .iter()
            .any(|(member, _)| *member == Member::group("child"))
    );
}

// ---- The token API -------------------------------------------------------------------------

#[test]
fn named_tokens_create_list_get_patch_status_delete() {
    let w = world(ErrorStyle::Modern);
    let created = w.as_user(
        "POST",
        "/user/tokens/named",
        "bob",
        r#"{"name": "ci runner", "caveats": [{"type": "time", "validUntil": 1800000000}],
            "customMetadata": {"team": "qa"}}"#,
    );
    assert_eq!(created.status, 201);
    let id = created.body["tokenId"].as_str().unwrap().to_owned();
    let token = token_of(&created);
    assert_eq!(
        created.header("Location"),
        Some(format!("/tokens/named/{id}").as_str())
    );
    let expected = json!({
        "id": id,
        "name": "ci runner",
        "subject": {"type": "user", "id": "bob"},
        "type": {"accessToken": {}},
        "caveats": [{"type": "time", "validUntil": 1_800_000_000}],
        "metadata": {"creationTime": NOW, "custom": {"team": "qa"}},
        "revoked": false,
        "token": token,
    });
    let by_name = w.as_user("GET", "/user/tokens/named/name/ci%20runner", "bob", "");
    assert_eq!((by_name.status, &by_name.body), (200, &expected));
    let by_id = w.as_user("GET", &format!("/tokens/named/{id}"), "bob", "");
    assert_eq!(by_id.body, expected);
    assert_eq!(
        w.as_user("GET", "/user/tokens/named", "bob", "").body,
        json!({"tokens": [id]})
    );
    // The name is taken now.
    let taken = w.as_user(
        "POST",
        "/user/tokens/named",
        "bob",
        r#"{"name": "ci runner"}"#,
    );
    assert_eq!(taken.body["error"]["id"], "badValueIdentifierOccupied");

    // Someone else may neither see nor change it; a token admin may.
    let path = format!("/tokens/named/{id}");
    assert_eq!(w.as_user("GET", &path, "carol", "").status, 403);
    assert_eq!(w.as_user("GET", &path, "root", "").status, 200);

    let patched = w.as_user(
        "PATCH",
        &path,
        "bob",
        r#"{"revoked": true, "name": "old runner"}"#,
    );
    assert_eq!(patched.status, 204);
    let status = w.as_user("GET", &format!("{path}/status"), "bob", "");
    assert_eq!(status.body, json!({"revoked": true}));
    assert_eq!(
        w.as_user("GET", &path, "bob", "").body["name"],
        json!("old runner")
    );
    // A revoked token no longer authenticates.
    let response = w.call(with_token("GET", "/user/tokens/named", &token));
    assert_eq!(
        response.body["error"]["details"]["authError"]["id"],
        "tokenRevoked"
    );
    let empty_patch = w.as_user("PATCH", &path, "bob", "{}");
    assert_eq!(empty_patch.body["error"]["id"], "missingAtLeastOneValue");

    assert_eq!(w.as_user("DELETE", &path, "bob", "").status, 204);
    assert_eq!(w.as_user("GET", &path, "bob", "").status, 404);
    assert_eq!(
        w.as_user("GET", "/user/tokens/named", "bob", "").body,
        json!({"tokens": []})
    );
}

#[test]
fn named_invite_tokens_with_usage_limit_and_privileges() {
    let w = world(ErrorStyle::Modern);
    w.directory.grant(
        &Subject::user("admin"),
        EntityRef::group("g1"),
        &[Privilege::GroupSetPrivileges],
    );
    let created = w.as_user(
        "POST",
        "/user/tokens/named",
        "admin",
        r#"{"name": "team invite", "usageLimit": 2, "privileges": ["group_view", "group_update"],
            "type": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1"}}}"#,
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let info = w.as_user("GET", "/user/tokens/named/name/team%20invite", "admin", "");
    assert_eq!(
        info.body["metadata"],
        json!({"creationTime": NOW, "custom": {}, "usageLimit": 2, "usageCount": 0,
               "privileges": ["group_view", "group_update"]})
    );
    let body = json!({ "token": token_of(&created) }).to_string();
    assert_eq!(
        w.as_user("POST", "/user/groups/join", "bob", &body).status,
        201
    );
    assert_eq!(
        w.directory
            .direct_privileges(&EntityRef::group("g1"), &Member::user("bob")),
        Some(vec![Privilege::GroupView, Privilege::GroupUpdate])
    );
    let zero = w.as_user(
        "POST",
        "/user/tokens/named",
        "admin",
        r#"{"name": "none", "usageLimit": 0,
            "type": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1"}}}"#,
    );
    assert_eq!(
        zero.body,
        json!({"error": {"id": "badValueTooLow",
            "description": "Bad value: provided \"usageLimit\" must be at least 1.",
            "details": {"key": "usageLimit", "limit": 1}}})
    );
}

#[test]
fn tokens_of_other_subjects_need_oz_tokens_manage() {
    let w = world(ErrorStyle::Modern);
    let body = r#"{"name": "for bob"}"#;
    assert_eq!(
        w.as_user("POST", "/users/bob/tokens/named", "carol", body)
            .status,
        403
    );
    let created = w.as_user("POST", "/users/bob/tokens/named", "root", body);
    assert_eq!(created.status, 201);
    let id = created.body["tokenId"].as_str().unwrap();
    assert_eq!(
        w.as_user("GET", "/user/tokens/named", "bob", "").body,
        json!({"tokens": [id]})
    );
    assert_eq!(w.as_user("GET", "/tokens/named", "bob", "").status, 403);
    assert_eq!(
        w.as_user("GET", "/tokens/named", "root", "").body,
        json!({"tokens": [id]})
    );
    // `/provider/...` is for Oneproviders only.
    assert_eq!(
        w.as_user("GET", "/provider/tokens/named", "bob", "").status,
        403
    );
    let provider = w.call(
        Request::new("POST", "/provider/tokens/named")
            .with_credential(Credential::Subject(Subject::oneprovider("p1")))
            .with_body(br#"{"name": "provider token"}"#),
    );
    assert_eq!(provider.status, 201);
    assert_eq!(
        w.as_user("DELETE", "/users/bob/tokens/named", "root", "")
            .status,
        204
    );
    assert_eq!(
        w.as_user("GET", "/user/tokens/named", "bob", "").body,
        json!({"tokens": []})
    );
}

#[test]
fn temporary_tokens_create_generation_revoke() {
    let w = world(ErrorStyle::Modern);
    let body = json!({"caveats": [{"type": "time", "validUntil": NOW + 600}]}).to_string();
    let created = w.as_user("POST", "/user/tokens/temporary", "bob", &body);
    assert_eq!(created.status, 201);
    assert_eq!(created.header("Location"), None);
    let token = token_of(&created);
    let me = w.call(with_token("GET", "/user/tokens/temporary", &token));
    assert_eq!((me.status, &me.body), (200, &json!({"generation": 1})));

    let no_time = w.as_user("POST", "/user/tokens/temporary", "bob", "{}");
    assert_eq!(
        no_time.body,
        json!({"error": {"id": "tokenTimeCaveatRequired",
            "description": "You must specify a time caveat with a maximum TTL of 2592000 seconds.",
            "details": {"maxTtl": 2_592_000}}})
    );
    assert_eq!(
        w.as_user("DELETE", "/user/tokens/temporary", "bob", "")
            .status,
        204
    );
    let revoked = w.call(with_token("GET", "/user/tokens/temporary", &token));
    assert_eq!(revoked.status, 401);
    assert_eq!(
        revoked.body["error"]["details"]["authError"]["id"],
        "tokenRevoked"
    );
    assert_eq!(
        w.as_user("GET", "/user/tokens/temporary", "bob", "").body,
        json!({"generation": 2})
    );
}

#[test]
fn examine_confine_and_verify() {
    let w = world(ErrorStyle::Modern);
    let created = w.as_user(
        "POST",
        "/user/tokens/named",
        "bob",
        r#"{"name": "cli", "caveats": [{"type": "time", "validUntil": 1700000600}]}"#,
    );
    let token = token_of(&created);
    let id = created.body["tokenId"].as_str().unwrap();
    let examined = w.public(
        "POST",
        "/tokens/examine",
        &json!({ "token": token }).to_string(),
    );
    assert_eq!(
        examined.body,
        json!({"onezoneDomain": "onezone", "id": id, "persistence": "named",
               "subject": {"type": "user", "id": "bob"}, "type": {"accessToken": {}},
               "caveats": [{"type": "time", "validUntil": 1_700_000_600}]})
    );
    let bad = w.public("POST", "/tokens/examine", r#"{"token": "???"}"#);
    assert_eq!(
        (
            bad.status,
            &bad.body["error"]["details"]["tokenError"]["id"]
        ),
        (400, &json!("badToken"))
    );

    let verified = w.public(
        "POST",
        "/tokens/verify_access_token",
        &json!({ "token": token }).to_string(),
    );
    assert_eq!(
        verified.body,
        json!({"subject": {"type": "user", "id": "bob"}, "ttl": 600})
    );

    let confined = w.public(
        "POST",
        "/tokens/confine",
        &json!({"token": token, "caveats": [{"type": "ip", "whitelist": ["10.0.0.0/8"]}]})
            .to_string(),
    );
    assert_eq!(confined.status, 200);
    let narrow = token_of(&confined);
    let body = |ip: &str| json!({"token": narrow, "peerIp": ip}).to_string();
    let inside = w.public("POST", "/tokens/verify_access_token", &body("10.1.2.3"));
    assert_eq!(inside.status, 200);
    let outside = w.public("POST", "/tokens/verify_access_token", &body("192.168.0.1"));
    assert_eq!(outside.status, 400);
    assert_eq!(
        outside.body["error"]["details"],
        json!({"caveat": {"type": "ip", "whitelist": ["10.0.0.0/8"]}})
    );
    // The caller's address counts when the body names none.
    let from_caller = w.call(
        Request::new("POST", "/tokens/verify_access_token")
            .with_body(json!({ "token": narrow }).to_string().as_bytes())
            .with_peer_ip("10.9.9.9".parse().unwrap()),
    );
    assert_eq!(from_caller.status, 200);

    let not_identity = w.public(
        "POST",
        "/tokens/verify_identity_token",
        &json!({ "token": token }).to_string(),
    );
    assert_eq!(not_identity.body["error"]["id"], "notAnIdentityToken");

    let admin = w.access_token("admin");
    let invite = token_of(&w.call(with_token("GET", "/groups/g1/users/token", &admin)));
    let check = |expected: &str| {
        w.public(
            "POST",
            "/tokens/verify_invite_token",
            &json!({"token": invite, "expectedInviteType": expected}).to_string(),
        )
    };
    assert_eq!(check("userJoinGroup").status, 200);
    assert_eq!(check("any").status, 200);
    assert_eq!(
        check("userJoinSpace").body["error"]["id"],
        "notAnInviteToken"
    );
    assert_eq!(check("nonsense").body["error"]["id"], "badValueInviteType");
}

#[test]
fn routing_errors() {
    let w = world(ErrorStyle::Modern);
    let unknown = w.as_user("GET", "/nope", "bob", "");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["error"]["id"], "notFound");
    let wrong = w.as_user("PUT", "/tokens/examine", "bob", "");
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("Allow"), Some("POST"));
    let too_big = vec![b' '; mintage::api::MAX_BODY_LEN + 1];
    let response = w.call(Request::new("POST", "/tokens/examine").with_body(&too_big));
    assert_eq!(response.body["error"]["id"], "malformedData");
    let not_object = w.public("POST", "/tokens/examine", "[]");
    assert_eq!(not_object.body["error"]["id"], "malformedData");
}

#[test]
fn privilege_listings_are_public() {
    let w = world(ErrorStyle::Modern);
    let groups = w.public("GET", "/api/v3/onezone/groups/privileges", "");
    assert_eq!(groups.status, 200);
    assert_eq!(groups.body["member"], json!(["group_view"]));
    assert!(groups.body["admin"].as_array().unwrap().len() > 20);
    let onezone = w.public("GET", "/privileges", "");
    assert!(onezone.body["viewer"].is_array(), "{}", onezone.body);
    assert_eq!(w.public("GET", "/teams/privileges", "").status, 404);
    assert_eq!(w.public("POST", "/spaces/privileges", "").status, 405);
}

/// Hosts on a multi-threaded runtime need `Send` handler futures.
#[test]
fn handler_futures_are_send() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    let w = world(ErrorStyle::Modern);
    let request = Request::new("GET", "/groups/privileges");
    let response = block_on(assert_send(w.api.handle(&request)));
    assert_eq!(response.status, 200);
    let caller = Subject::user("bob");
    let listed = block_on(assert_send(w.api.list_named_tokens(&caller, &caller)));
    assert_eq!(listed.map(|list| list.tokens.len()), Ok(0));
}

/// The API runs over a shared issuer (`Arc`) or a borrowed one, as over its own.
#[test]
fn api_over_a_shared_or_borrowed_issuer() {
    let directory = Arc::new(MemoryDirectory::new());
    directory.add_user("bob");
    let issuer = Arc::new(
        Issuer::new(
            MemoryStore::new(),
            directory.clone(),
            IssuerConfig::default(),
        )
        .with_clock(Fixed),
    );
    let shared = Api::new(Arc::clone(&issuer), directory.clone()).with_clock(Fixed);
    let bob = Credential::Subject(Subject::user("bob"));
    let created = block_on(
        shared.handle(
            &Request::new("POST", "/user/tokens/named")
                .with_credential(bob.clone())
                .with_body(br#"{"name": "shared"}"#),
        ),
    );
    assert_eq!(created.status, 201);
    let borrowed = Api::new(&*issuer, &*directory).with_clock(Fixed);
    let listed =
        block_on(borrowed.handle(&Request::new("GET", "/user/tokens/named").with_credential(bob)));
    assert_eq!(listed.body["tokens"].as_array().map(Vec::len), Some(1));
}

/// `consumer` caveats: the consumer of a verified token defaults to the caller, with the
/// groups the directory knows it in; the consumer of an invite is the user joining.
#[test]
fn consumer_caveats_see_the_caller_and_its_groups() {
    let w = world(ErrorStyle::Modern);
    // bob is in team, which is nested in g1; carol is in neither.
    w.directory
        .add_group("team")
        .grant(&Subject::user("bob"), EntityRef::group("team"), &[])
        .grant_group("team", EntityRef::group("g1"), &[]);
    let created = w.as_user(
        "POST",
        "/user/tokens/named",
        "admin",
        r#"{"name": "for g1", "caveats": [{"type": "consumer", "whitelist": ["grp-g1"]}]}"#,
    );
    let body = json!({ "token": token_of(&created) }).to_string();
    let verify = |caller: &str| w.as_user("POST", "/tokens/verify_access_token", caller, &body);
    assert_eq!(verify("bob").status, 200);
    let refused = verify("carol");
    assert_eq!(
        (refused.status, &refused.body["error"]["id"]),
        (400, &json!("tokenCaveatUnverified"))
    );
    let no_consumer = json!({ "token": token_of(&created), "consumerToken": null }).to_string();
    assert_eq!(
        w.as_user("POST", "/tokens/verify_access_token", "bob", &no_consumer)
            .status,
        400
    );

    let invite = w.as_user(
        "POST",
        "/user/tokens/named",
        "admin",
        r#"{"name": "bob only", "caveats": [{"type": "consumer", "whitelist": ["usr-bob"]}],
            "type": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1"}}}"#,
    );
    let join = json!({ "token": token_of(&invite) }).to_string();
    let carol = w.as_user("POST", "/user/groups/join", "carol", &join);
    assert_eq!(
        carol.body["error"]["details"]["tokenError"]["id"],
        "tokenCaveatUnverified"
    );
    assert_eq!(
        w.as_user("POST", "/user/groups/join", "bob", &join).status,
        201
    );
}

#[test]
fn named_tokens_created_revoked_do_not_authenticate() {
    let w = world(ErrorStyle::Modern);
    let created = w.as_user(
        "POST",
        "/user/tokens/named",
        "bob",
        r#"{"name": "spare", "revoked": true}"#,
    );
    assert_eq!(created.status, 201);
    let id = created.body["tokenId"].as_str().unwrap();
    let status = w.as_user("GET", &format!("/tokens/named/{id}/status"), "bob", "");
    assert_eq!(status.body, json!({"revoked": true}));
    let response = w.call(with_token("GET", "/user/tokens/named", &token_of(&created)));
    assert_eq!(
        response.body["error"]["details"]["authError"]["id"],
        "tokenRevoked"
    );
}

/// Serialized tokens carry their signature, a secret: no `Debug` output shows one.
#[test]
fn debug_output_never_shows_a_token() {
    let w = world(ErrorStyle::Modern);
    let created = block_on(w.api.issuer().create_named_token(NamedTokenRequest::new(
        Subject::user("bob"),
        "secret",
        TokenType::access(),
    )))
    .unwrap();
    let token = created.token().to_owned();
    let body =
        json!({"token": token, "caveats": [], "serviceToken": token, "consumerToken": token});
    let bob = Subject::user("bob");
    let shown = [
        format!("{created:?}"),
        format!("{:?}", TokenRequest::from_json(&body).unwrap()),
        format!("{:?}", ConfineRequest::from_json(&body).unwrap()),
        format!("{:?}", VerifyAccessTokenRequest::from_json(&body).unwrap()),
        format!(
            "{:?}",
            VerifyIdentityTokenRequest::from_json(&body).unwrap()
        ),
        format!("{:?}", VerifyInviteTokenRequest::from_json(&body).unwrap()),
        format!("{:?}", TokenResponse::new(token.as_str())),
        format!("{:?}", NamedTokenCreated::new("id", token.as_str())),
        format!(
            "{:?}",
            block_on(w.api.named_token(&bob, &created.info.id)).unwrap()
        ),
        format!(
            "{:?}",
            Request::new("POST", "/tokens/examine")
                .with_credential(Credential::AccessToken(&token))
                .with_body(body.to_string().as_bytes())
                .with_session("session-secret")
        ),
        format!("{:?}", TokenResponse::new(token.as_str()).to_response(200)),
    ];
    for text in &shown {
        assert!(!text.contains(&token), "{text}");
        assert!(!text.contains("session-secret"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}
