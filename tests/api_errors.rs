//! The framework-free API layer: every Onezone error id with its HTTP status, both error body
//! shapes (modern and the seed's), the `unauthorized` and `badValueToken` wrappers, and the
//! request bodies of the token endpoints, good and bad.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mintage::api::{
    ApiError, ApiResponse, AsApiError, ConfineRequest, ConsumerToken, ErrorStyle, JoinRequest,
    JoinResponse, NamedTokenCreateRequest, NamedTokenCreated, NamedTokenPatch,
    TemporaryTokenCreateRequest, TokenIdList, TokenRequest, TokenResponse, UsageLimit,
    VerifyAccessTokenRequest, VerifyIdentityTokenRequest, VerifyInviteTokenRequest, VerifyResponse,
    http_status, ids, parse_body_token,
};
use mintage::caveat::{InterfaceKind, TypedCaveat};
use mintage::privilege::Privilege;
use mintage::token::{InviteType, Subject, TokenType};
use serde_json::{Value, json};

/// A named user-join-group invite token from `token`'s docs.
const INVITE: &str = "MDAyMGxvY2F00aW9uIGRvbWFpbi5leGFtcGxlLmNvbQowMDU4aWRlbnRpZmllciAyL25tZC91c3ItaW52aXRhdGlvbi1zZW5kZXIvdWpnOkdyb3VwSWQ6LzEyMzQ1Njc4OTBleGFtcGxlLWlkMTIzNDU2Nzg5MGUKMDAyZnNpZ25hdHVyZSCH7MlKe97K7K5UHEpTU01nUb8AN77DBp7Ys20100nJBOAdwo";

/// The seed's curl sample: base62 armour, cut short.
const SEED_CUT_SHORT: &str = "MDAxNmxvY2F00aW9uIHJlZlFTUbnZpdGVthHo8xmai4RqqBO2MZM00mrYGgo";

/// An error standing in for the issuer's, through the trait the lead implements for it.
struct Revoked;

impl AsApiError for Revoked {
    fn id(&self) -> &'static str {
        "tokenRevoked"
    }
    fn description(&self) -> String {
        "Provided token has been revoked.".into()
    }
    fn details(&self) -> Option<Value> {
        None
    }
}

fn err_id<T: std::fmt::Debug>(result: Result<T, ApiError>) -> &'static str {
    result.unwrap_err().id()
}

fn modern(e: &ApiError) -> Value {
    e.to_json(ErrorStyle::Modern)
}

// ---------------------------------------------------------------------------------------------
// Ids and statuses

#[test]
fn every_spec_id_has_its_http_status() {
    let table: &[(&str, u16)] = &[
        ("badToken", 400),
        ("tokenTooLarge", 400),
        ("tokenInvalid", 400),
        ("tokenRevoked", 400),
        ("tokenCaveatUnknown", 400),
        ("tokenCaveatUnverified", 400),
        ("tokenTimeCaveatRequired", 400),
        ("tokenSubjectInvalid", 400),
        ("tokenServiceForbidden", 400),
        ("tokenSessionInvalid", 400),
        ("notAnAccessToken", 400),
        ("notAnIdentityToken", 400),
        ("notAnInviteToken", 400),
        ("inviteTokenSubjectNotAuthorized", 400),
        ("inviteTokenUsageLimitReached", 400),
        ("inviteTokenConsumerInvalid", 400),
        ("inviteTokenTargetIdInvalid", 400),
        ("badServiceToken", 400),
        ("badConsumerToken", 400),
        ("badValueToken", 400),
        ("badValueTokenType", 400),
        ("badValueInviteType", 400),
        ("badValueIdentifierOccupied", 400),
        ("badValueTooLow", 400),
        ("unauthorized", 401),
        ("userBlocked", 400),
        ("forbidden", 403),
        ("notFound", 404),
        ("internalServerError", 500),
    ];
    for &(id, status) in table {
        assert_eq!(http_status(id), Some(status), "{id}");
        assert_eq!(ApiError::new(id, "d", None).status(), status, "{id}");
        let response = ApiError::new(id, "d", None).to_response(ErrorStyle::Modern);
        assert_eq!(response.status, status, "{id}");
    }
    assert_eq!(http_status("noSuchError"), None);
    assert_eq!(ApiError::new("noSuchError", "d", None).status(), 500);
}

#[test]
fn constructors_use_onezone_ids() {
    assert_eq!(ApiError::bad_token().id(), ids::BAD_TOKEN);
    assert_eq!(ApiError::not_found().status(), 404);
    assert_eq!(ApiError::internal().status(), 500);
    assert_eq!(ApiError::forbidden(None).status(), 403);
    assert_eq!(ApiError::unauthenticated().status(), 401);
    assert_eq!(
        modern(&ApiError::forbidden(Some("needs group_add_user"))),
        json!({"error": {"id": "forbidden",
            "description": "You are not authorized to perform this operation: needs group_add_user.",
            "details": {"hint": "needs group_add_user"}}})
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies

#[test]
fn seed_body_for_an_invalid_token_is_exact() {
    let invalid = ApiError::new(ids::TOKEN_INVALID, "Provided token is not valid.", None);
    let body = invalid.to_json(ErrorStyle::SeedEra);
    assert_eq!(
        body.to_string(),
        r#"{"error":"invalid_token","error_description":"Provided token could not be validated."}"#
    );
    // The same through `unauthorized`, as a header token failure: 401 and the header.
    let response = ApiError::unauthorized(&invalid).to_response(ErrorStyle::SeedEra);
    assert_eq!(response.status, 401);
    assert_eq!(response.body, body);
    assert_eq!(
        response.header("WWW-Authenticate"),
        Some("error=invalid_token")
    );
    // And for a token that does not even decode.
    assert_eq!(ApiError::bad_token().to_json(ErrorStyle::SeedEra), body);
}

#[test]
fn seed_codes_of_the_other_ids() {
    let seed = |e: ApiError| e.to_json(ErrorStyle::SeedEra);
    assert_eq!(
        seed(ApiError::forbidden(None)),
        json!({"error": "forbidden",
               "error_description": "You are not authorized to perform this operation."})
    );
    assert_eq!(
        seed(ApiError::not_found()),
        json!({"error": "root_resource_not_found",
               "error_description": "The resource could not be found."})
    );
    assert_eq!(seed(ApiError::internal())["error"], "server_error");
    assert_eq!(
        seed(ApiError::bad_value_token("token", &Revoked)),
        json!({"error": "invalid_request", "error_description": "invalid 'token' value"})
    );
    assert_eq!(
        seed(ApiError::bad_value_too_low("usageLimit", 1)),
        json!({"error": "invalid_request", "error_description": "invalid 'usageLimit' value"})
    );
    assert_eq!(seed(ApiError::malformed_data())["error"], "invalid_request");
    for id in [
        "tokenRevoked",
        "notAnInviteToken",
        "inviteTokenUsageLimitReached",
        "userBlocked",
    ] {
        assert_eq!(
            seed(ApiError::new(id, "x", None))["error"],
            "invalid_token",
            "{id}"
        );
    }
    assert_eq!(
        seed(ApiError::unauthorized(&ApiError::new(
            ids::TOKEN_CAVEAT_UNVERIFIED,
            "Provided token is not valid - this token has expired.",
            Some(json!({"caveat": {"type": "time", "validUntil": 1_496_140_144}})),
        ))),
        json!({"error": "token_expired", "error_description": "expired 2017-05-30 10:29:04 UTC"})
    );
}

#[test]
fn modern_bodies_with_and_without_details() {
    let revoked = ApiError::from_error(&Revoked);
    assert_eq!(
        modern(&revoked).to_string(),
        r#"{"error":{"id":"tokenRevoked","description":"Provided token has been revoked."}}"#
    );
    let low = ApiError::bad_value_too_low("usageLimit", 1);
    assert_eq!(
        modern(&low),
        json!({"error": {"id": "badValueTooLow",
            "description": "Bad value: provided \"usageLimit\" must be at least 1.",
            "details": {"key": "usageLimit", "limit": 1}}})
    );
    assert_eq!(low.to_response(ErrorStyle::Modern).headers, []);
    assert_eq!(
        low.to_string(),
        "badValueTooLow: Bad value: provided \"usageLimit\" must be at least 1."
    );
}

#[test]
fn unauthorized_nests_the_auth_error() {
    let e = ApiError::unauthorized(&Revoked);
    assert_eq!(e.status(), 401);
    assert_eq!(
        modern(&e),
        json!({"error": {"id": "unauthorized",
            "description": "Provided authentication is not valid (see details).",
            "details": {"authError": {"id": "tokenRevoked",
                                      "description": "Provided token has been revoked."}}}})
    );
}

#[test]
fn bad_value_token_nests_the_token_error() {
    let inner = ApiError::new(
        ids::NOT_AN_INVITE_TOKEN,
        "Expected an invitation token of type 'userJoinGroup', but received a(n) access token.",
        Some(json!({"expectedInviteType": "userJoinGroup", "received": {"accessToken": {}}})),
    );
    let e = ApiError::bad_value_token("token", &inner);
    assert_eq!(e.status(), 400);
    assert_eq!(
        modern(&e),
        json!({"error": {"id": "badValueToken",
            "description": "Bad value: provided \"token\" is not a valid token (see details).",
            "details": {"key": "token", "tokenError": inner.to_object()}}})
    );
    let service = ApiError::bad_service_token(&Revoked);
    assert_eq!(
        service.details().unwrap()["tokenError"]["id"],
        "tokenRevoked"
    );
    let consumer = ApiError::bad_consumer_token(&Revoked);
    assert_eq!(consumer.id(), "badConsumerToken");
    // Wrappers nest wrappers: an unauthorized service token.
    let twice = ApiError::unauthorized(&service);
    assert_eq!(
        twice.details().unwrap()["authError"]["details"]["tokenError"]["id"],
        "tokenRevoked"
    );
}

#[test]
fn responses() {
    let r = TokenResponse::new("MDAx").to_response(200);
    assert_eq!(
        (r.status, r.body_text()),
        (200, r#"{"token":"MDAx"}"#.to_owned())
    );
    let r = JoinResponse::user_group("g1").to_response();
    assert_eq!(
        (r.status, r.body_text(), r.header("location")),
        (201, String::new(), Some("/user/groups/g1"))
    );
    let r = NamedTokenCreated::new("tid", "tok").to_response();
    assert_eq!(r.body, json!({"tokenId": "tid", "token": "tok"}));
    assert_eq!(r.header("Location"), Some("/tokens/named/tid"));
    assert_eq!(
        TokenIdList::new(vec!["a".into()]).to_json(),
        json!({"tokens": ["a"]})
    );
    assert_eq!(ApiResponse::no_content().status, 204);
    assert_eq!(
        VerifyResponse::new(Subject::user("u1"), None).to_json(),
        json!({"subject": {"type": "user", "id": "u1"}, "ttl": null})
    );
    assert_eq!(
        VerifyResponse::new(Subject::user("u1"), Some(60)).to_json()["ttl"],
        60
    );
}

// ---------------------------------------------------------------------------------------------
// Requests

#[test]
fn token_bodies() {
    let join = JoinRequest::from_json(&json!({"token": INVITE, "extra": 1})).unwrap();
    let token = join.parse_token().unwrap();
    assert_eq!(
        token.identifier().token_type(),
        &TokenType::invite(InviteType::UserJoinGroup, "GroupId")
    );
    assert_eq!(err_id(TokenRequest::from_json(&json!([]))), "malformedData");
    assert_eq!(
        err_id(TokenRequest::from_json(&json!({}))),
        "missingRequiredValue"
    );
    assert_eq!(
        err_id(TokenRequest::from_json(&json!({"token": null}))),
        "missingRequiredValue"
    );
    let e = TokenRequest::from_json(&json!({"token": 5})).unwrap_err();
    assert_eq!(e.details().unwrap()["tokenError"]["id"], "badToken");
    // The seed's cut-short sample is rejected with a typed error, nested under the key.
    let e = parse_body_token("token", SEED_CUT_SHORT).unwrap_err();
    assert_eq!(e.id(), "badValueToken");
    assert_eq!(e.details().unwrap()["key"], "token");
    assert_eq!(e.details().unwrap()["tokenError"]["id"], "badToken");
}

#[test]
fn examine_shows_what_the_token_claims() {
    let token = parse_body_token("token", INVITE).unwrap();
    let examined = mintage::issuer::ExaminedToken::from_token(&token).unwrap();
    assert_eq!(
        examined.to_json(),
        json!({
            "onezoneDomain": "domain.example.com",
            "id": "1234567890example-id1234567890e",
            "persistence": "named",
            "subject": {"type": "user", "id": "invitation-sender"},
            "type": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "GroupId", "parameters": {}}},
            "caveats": []
        })
    );
}

#[test]
fn named_token_create() {
    let req = NamedTokenCreateRequest::from_json(&json!({
        "name": "invite alice",
        "type": {"inviteToken": {"inviteType": "userJoinGroup", "groupId": "g1"}},
        "caveats": [{"type": "time", "validUntil": 1_800_000_000}],
        "customMetadata": {"note": "x"},
        "privileges": ["group_view", "group_invite_user"],
        "usageLimit": 3,
        "unknownMember": true
    }))
    .unwrap();
    assert_eq!(req.name, "invite alice");
    assert_eq!(
        req.token_type,
        TokenType::invite(InviteType::UserJoinGroup, "g1")
    );
    assert_eq!(
        req.caveats,
        ["time < 1800000000".parse::<TypedCaveat>().unwrap()]
    );
    assert_eq!(req.custom_metadata, json!({"note": "x"}));
    assert_eq!(
        req.privileges,
        Some(vec![Privilege::GroupView, Privilege::GroupAddUser])
    );
    assert_eq!(req.usage_limit, UsageLimit::Limited(3));
    assert!(!req.revoked);

    let minimal = NamedTokenCreateRequest::from_json(&json!({"name": "ab"})).unwrap();
    assert_eq!(minimal.token_type, TokenType::access());
    assert_eq!(minimal.usage_limit, UsageLimit::Infinity);
    assert_eq!(minimal.custom_metadata, json!({}));
    let infinite =
        NamedTokenCreateRequest::from_json(&json!({"name": "ab", "usageLimit": "infinity"}));
    assert_eq!(infinite.unwrap().usage_limit.as_option(), None);

    let bad = |body: Value| NamedTokenCreateRequest::from_json(&body).unwrap_err();
    assert_eq!(bad(json!({})).id(), "missingRequiredValue");
    assert_eq!(bad(json!({"name": 1})).id(), "badValueString");
    assert_eq!(
        bad(json!({"name": "x"})).details(),
        Some(&json!({"key": "name"}))
    );
    assert_eq!(bad(json!({"name": "-ab"})).id(), "badValueName");
    let low = bad(json!({"name": "ab", "usageLimit": 0}));
    assert_eq!(
        modern(&low)["error"]["details"],
        json!({"key": "usageLimit", "limit": 1})
    );
    assert_eq!(
        bad(json!({"name": "ab", "usageLimit": "lots"})).id(),
        "badValueInteger"
    );
    let ty = bad(json!({"name": "ab", "type": {"refreshToken": {}}}));
    assert_eq!(
        (ty.id(), ty.details()),
        ("badValueTokenType", Some(&json!({"key": "type"})))
    );
    assert_eq!(
        bad(json!({"name": "ab", "type": "access"})).id(),
        "badValueTokenType"
    );
    assert_eq!(
        bad(json!({"name": "ab", "caveats": {}})).id(),
        "badValueJSON"
    );
    let caveat = bad(json!({"name": "ab", "caveats": [{"type": "nope"}]}));
    assert_eq!(
        (caveat.id(), caveat.details()),
        ("badValueCaveat", Some(&json!({"caveat": {"type": "nope"}})))
    );
    assert_eq!(
        bad(json!({"name": "ab", "customMetadata": []})).id(),
        "badValueJSON"
    );
    assert_eq!(
        bad(json!({"name": "ab", "revoked": "yes"})).id(),
        "badValueBoolean"
    );
    assert_eq!(
        bad(json!({"name": "ab", "privileges": "group_view"})).id(),
        "badValueListOfStrings"
    );
    assert_eq!(
        bad(json!({"name": "ab", "privileges": ["no_such"]})).id(),
        "badValueListNotAllowed"
    );
}

#[test]
fn named_token_patch() {
    let p = NamedTokenPatch::from_json(&json!({"name": "new name", "revoked": false})).unwrap();
    assert_eq!(
        (p.name.as_deref(), p.custom_metadata.as_ref(), p.revoked),
        (Some("new name"), None, Some(false))
    );
    let none = NamedTokenPatch::from_json(&json!({"other": 1})).unwrap_err();
    assert_eq!(
        modern(&none)["error"]["details"],
        json!({"keys": ["name", "customMetadata", "revoked"]})
    );
    assert_eq!(
        err_id(NamedTokenPatch::from_json(&json!({"name": "a"}))),
        "badValueName"
    );
    assert_eq!(
        err_id(NamedTokenPatch::from_json(&json!({"customMetadata": 3}))),
        "badValueJSON"
    );
}

#[test]
fn temporary_and_confine() {
    let t = TemporaryTokenCreateRequest::from_json(&json!({
        "type": {"identityToken": {}}, "caveats": [{"type": "time", "validUntil": 10}], "usageLimit": 0
    }))
    .unwrap();
    assert_eq!((t.token_type, t.caveats.len()), (TokenType::Identity, 1));
    assert_eq!(
        TemporaryTokenCreateRequest::from_json(&json!({}))
            .unwrap()
            .caveats,
        []
    );
    assert_eq!(
        err_id(TemporaryTokenCreateRequest::from_json(&json!({"type": 1}))),
        "badValueTokenType"
    );

    let c = ConfineRequest::from_json(
        &json!({"token": INVITE, "caveats": [{"type": "data.readonly"}]}),
    )
    .unwrap();
    assert_eq!(c.caveats, [TypedCaveat::DataReadonly]);
    assert_eq!(
        err_id(ConfineRequest::from_json(&json!({"token": INVITE}))),
        "missingRequiredValue"
    );
    assert_eq!(
        err_id(ConfineRequest::from_json(&json!({"caveats": []}))),
        "missingRequiredValue"
    );
}

#[test]
fn verify_bodies() {
    let a = VerifyAccessTokenRequest::from_json(&json!({
        "token": "t", "peerIp": "10.0.0.1", "serviceToken": "s", "consumerToken": "c",
        "interface": "oneclient", "allowDataAccessCaveats": true
    }))
    .unwrap();
    assert_eq!(a.peer_ip, Some("10.0.0.1".parse().unwrap()));
    assert_eq!(a.service_token.as_deref(), Some("s"));
    assert_eq!(a.consumer_token, ConsumerToken::Token("c".into()));
    assert_eq!(a.interface, Some(InterfaceKind::Oneclient));
    assert!(a.allow_data_access_caveats);

    let defaults = VerifyAccessTokenRequest::from_json(&json!({"token": "t"})).unwrap();
    assert_eq!(defaults.consumer_token, ConsumerToken::Caller);
    assert_eq!(
        (
            defaults.peer_ip,
            defaults.interface,
            defaults.allow_data_access_caveats
        ),
        (None, None, false)
    );
    let no_consumer =
        VerifyIdentityTokenRequest::from_json(&json!({"token": "t", "consumerToken": null}));
    assert_eq!(no_consumer.unwrap().consumer_token, ConsumerToken::None);

    let ip =
        VerifyAccessTokenRequest::from_json(&json!({"token": "t", "peerIp": "::1"})).unwrap_err();
    assert_eq!(
        (ip.id(), ip.details()),
        ("badValueIPv4Address", Some(&json!({"key": "peerIp"})))
    );
    let iface = VerifyIdentityTokenRequest::from_json(&json!({"token": "t", "interface": "soap"}))
        .unwrap_err();
    assert_eq!(
        modern(&iface)["error"]["details"],
        json!({"key": "interface", "allowed": ["rest", "oneclient", "graphsync"]})
    );
    assert_eq!(
        err_id(VerifyAccessTokenRequest::from_json(
            &json!({"token": "t", "allowDataAccessCaveats": "y"})
        )),
        "badValueBoolean"
    );
    assert_eq!(
        err_id(VerifyAccessTokenRequest::from_json(
            &json!({"token": "t", "serviceToken": 1})
        )),
        "badValueToken"
    );

    let i = VerifyInviteTokenRequest::from_json(
        &json!({"token": "t", "expectedInviteType": "groupJoinSpace"}),
    )
    .unwrap();
    assert_eq!(i.expected_invite_type, Some(InviteType::GroupJoinSpace));
    let any =
        VerifyInviteTokenRequest::from_json(&json!({"token": "t", "expectedInviteType": "any"}))
            .unwrap();
    assert_eq!(any.expected_invite_type, None);
    let bad =
        VerifyInviteTokenRequest::from_json(&json!({"token": "t", "expectedInviteType": "ujg"}))
            .unwrap_err();
    assert_eq!(
        (bad.id(), bad.details()),
        (
            "badValueInviteType",
            Some(&json!({"key": "expectedInviteType"}))
        )
    );
}

#[test]
fn oversized_body_token_is_token_too_large() {
    let huge = "A".repeat(1_048_577);
    let e = parse_body_token("token", &huge).unwrap_err();
    assert_eq!(e.id(), "badValueToken");
    assert_eq!(
        e.details().unwrap()["tokenError"],
        json!({"id": "tokenTooLarge",
               "description": "Provided token exceeds the allowed size (1048576 characters).",
               "details": {"limit": 1_048_576}})
    );
}

#[test]
fn crate_errors_report_themselves() {
    use mintage::token::Token;
    let header = Token::deserialize(SEED_CUT_SHORT).unwrap_err();
    let e = ApiError::unauthorized(&header);
    assert_eq!(e.status(), 401);
    assert_eq!(e.details().unwrap()["authError"]["id"], "badToken");
    assert_eq!(
        e.to_json(ErrorStyle::SeedEra),
        json!({"error": "invalid_token",
               "error_description": "Provided token could not be validated."})
    );
}

#[test]
fn seed_join_text_can_be_fixed_by_the_handler() {
    let e = ApiError::bad_value_token("token", &ApiError::bad_token()).with_legacy(
        "invalid_request",
        format!("invalid 'token' value: '{SEED_CUT_SHORT}'"),
    );
    assert_eq!(e.status(), 400);
    assert_eq!(
        e.to_json(ErrorStyle::SeedEra)["error_description"],
        format!("invalid 'token' value: '{SEED_CUT_SHORT}'")
    );
    assert_eq!(
        e.to_json(ErrorStyle::Modern)["error"]["id"],
        "badValueToken"
    );
}

#[test]
fn issuer_errors_render_with_their_onezone_ids_and_statuses() {
    use mintage::api::{ApiError, ErrorStyle};
    use mintage::issuer::IssuerError;
    let err = ApiError::from_error(&IssuerError::TokenRevoked);
    assert_eq!(err.status(), 400);
    assert_eq!(
        err.to_json(ErrorStyle::Modern)["error"]["id"],
        "tokenRevoked"
    );
    let wrapped = ApiError::unauthorized(&IssuerError::TokenRevoked);
    assert_eq!(wrapped.status(), 401);
    assert_eq!(
        wrapped.to_json(ErrorStyle::SeedEra),
        serde_json::json!({"error":"invalid_token","error_description":"Provided token could not be validated."})
    );
}
