//! Whole API requests: any method, path, credential and body through `Api::handle` on a fresh
//! in-memory world. The input is `<method byte><credential byte><path>\n<header token>\n<body>`;
//! in the path, the header token and the body, `$ACCESS`, `$INVITE` and `$TEMP` stand for valid tokens minted
//! for the input, so the fuzzer reaches past deserialization. Every answer must be a known
//! status, never 500 (the in-memory backends cannot fail), and an error body must carry an id
//! whose status is the one answered.
#![no_main]

use std::sync::Arc;

use futures::executor::block_on;
use libfuzzer_sys::fuzz_target;
use mintage::api::{Api, Credential, ErrorStyle, Request, http_status};
use mintage::caveat::{Clock, TypedCaveat};
use mintage::issuer::{Issuer, IssuerConfig, NamedTokenRequest, TokenIssuer};
use mintage::privilege::{EntityRef, MemoryDirectory, Privilege};
use mintage::store::MemoryStore;
use mintage::token::{InviteType, Subject, TokenType};

const NOW: u64 = 1_700_000_000;
const METHODS: [&str; 5] = ["GET", "POST", "PATCH", "DELETE", "PUT"];

struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> u64 {
        NOW
    }
}

struct Tokens {
    access: String,
    invite: String,
    temporary: String,
}

fn world(
    style: ErrorStyle,
) -> (
    Api<Issuer<MemoryStore, Arc<MemoryDirectory>>, Arc<MemoryDirectory>>,
    Tokens,
) {
    let directory = Arc::new(MemoryDirectory::new());
    directory
        .add_user("admin")
        .add_user("bob")
        .add_provider("p1")
        .add_group("g1")
        .add_space("s1")
        .grant(
            &Subject::user("admin"),
            EntityRef::group("g1"),
            &[Privilege::GroupAddUser, Privilege::GroupSetPrivileges],
        );
    let issuer = Issuer::new(
        MemoryStore::new(),
        directory.clone(),
        IssuerConfig::default(),
    )
    .with_clock(Fixed);
    let admin = Subject::user("admin");
    let named = |name: &str, token_type| {
        let request = NamedTokenRequest::new(admin.clone(), name, token_type).with_usage_limit(2);
        block_on(issuer.create_named_token(request)).map(|created| created.info.token)
    };
    let time: TypedCaveat = format!("time < {}", NOW + 600)
        .parse()
        .expect("time caveat");
    let tokens = Tokens {
        access: named("access", TokenType::access()).expect("access token"),
        invite: named("invite", TokenType::invite(InviteType::UserJoinGroup, "g1"))
            .expect("invite token"),
        temporary: block_on(issuer.create_temporary_token(&admin, TokenType::access(), &[time]))
            .expect("temporary token"),
    };
    let api = Api::new(issuer, directory)
        .with_clock(Fixed)
        .with_error_style(style);
    (api, tokens)
}

fn expand(text: &str, tokens: &Tokens) -> String {
    text.replace("$ACCESS", &tokens.access)
        .replace("$INVITE", &tokens.invite)
        .replace("$TEMP", &tokens.temporary)
}

fuzz_target!(|data: &[u8]| {
    let [method, credential, rest @ ..] = data else {
        return;
    };
    let style = if credential & 0x80 == 0 {
        ErrorStyle::Modern
    } else {
        ErrorStyle::SeedEra
    };
    let (api, tokens) = world(style);
    let mut lines = rest.splitn(3, |&b| b == b'\n');
    let path = expand(
        &String::from_utf8_lossy(lines.next().unwrap_or_default()),
        &tokens,
    );
    let header_token = expand(
        &String::from_utf8_lossy(lines.next().unwrap_or_default()),
        &tokens,
    );
    let body = lines.next().unwrap_or_default();
    let body = match std::str::from_utf8(body) {
        Ok(text) => expand(text, &tokens).into_bytes(),
        Err(_) => body.to_vec(),
    };
    let credential = match credential & 0x03 {
        0 => Credential::None,
        1 => Credential::Subject(Subject::user("admin")),
        2 => Credential::AccessToken(&tokens.access),
        _ => Credential::AccessToken(&header_token),
    };
    let method = METHODS[usize::from(*method) % METHODS.len()];
    let request = Request::new(method, &path)
        .with_credential(credential)
        .with_body(&body);
    let response = block_on(api.handle(&request));

    assert!(
        matches!(
            response.status,
            200 | 201 | 204 | 400 | 401 | 403 | 404 | 405 | 409
        ),
        "status {} for {method} {path:?}: {}",
        response.status,
        response.body
    );
    if response.status >= 400 && response.status != 405 {
        let id = match style {
            ErrorStyle::Modern => response.body["error"]["id"].as_str(),
            _ => response.body["error"].as_str(),
        };
        let id = id.unwrap_or_else(|| panic!("error without id: {}", response.body));
        if style == ErrorStyle::Modern {
            assert_eq!(http_status(id), Some(response.status), "status of {id}");
        }
    }
});
