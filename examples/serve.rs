//! Onezone's token API over real HTTP: `mintage::api::Api::handle` behind `tiny_http`, on
//! the in-memory store and directory. A demo world: users `admin` and `bob`, group `g1`, and
//! `admin` holds the seed-era `group_invite_user` in it.
//!
//! ```sh
//! cargo run --example serve -- 127.0.0.1:8080
//! ```
//!
//! It prints an access token for each user and the `curl` commands of the seed flow: `admin`
//! gets an invite token from `GET /groups/g1/users/token`, `bob` joins with it. Any HTTP
//! server does the same three things: read method, path, headers and body; call `handle`;
//! write the status, headers and JSON body it returns.

use std::error::Error;
use std::io::Read as _;
use std::sync::Arc;

use futures::executor::block_on;
use mintage::api::{Api, Credential, MAX_BODY_LEN, Request};
use mintage::issuer::{Issuer, IssuerConfig, NamedTokenRequest, TokenIssuer};
use mintage::privilege::{EntityRef, MemoryDirectory, Privilege};
use mintage::store::MemoryStore;
use mintage::token::{Subject, TokenType};

/// The API of the demo world.
pub(crate) type DemoApi = Api<Issuer<MemoryStore, Arc<MemoryDirectory>>, Arc<MemoryDirectory>>;

/// The demo world's API and an access token for `admin` and for `bob`.
pub(crate) fn demo() -> Result<(DemoApi, String, String), Box<dyn Error>> {
    let directory = Arc::new(MemoryDirectory::new());
    directory
        .add_user("admin")
        .add_user("bob")
        .add_group("g1")
        .grant(
            &Subject::user("admin"),
            EntityRef::group("g1"),
            Privilege::resolve("group_invite_user")?,
        );
    let issuer = Issuer::new(
        MemoryStore::new(),
        directory.clone(),
        IssuerConfig::default(),
    );
    let login = |user: &str| {
        let request = NamedTokenRequest::new(Subject::user(user), "login", TokenType::access());
        block_on(issuer.create_named_token(request)).map(|created| created.info.token)
    };
    let (admin, bob) = (login("admin")?, login("bob")?);
    Ok((Api::new(issuer, directory), admin, bob))
}

/// Answers the requests `server` receives until it is unblocked.
pub(crate) fn serve(server: &tiny_http::Server, api: &DemoApi) {
    while let Ok(request) = server.recv() {
        respond(request, api);
    }
}

/// Hands one request to `api` and writes its answer back.
fn respond(mut request: tiny_http::Request, api: &DemoApi) {
    // Read the body first (at most one byte past the API's limit, so it can refuse it).
    let mut body = Vec::new();
    let limit = u64::try_from(MAX_BODY_LEN)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    if request
        .as_reader()
        .take(limit)
        .read_to_end(&mut body)
        .is_err()
    {
        let _ = request.respond(tiny_http::Response::empty(400));
        return;
    }
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_owned(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    let method = request.method().to_string();
    let url = request.url().to_owned();
    let mut call = Request::new(&method, &url)
        .with_credential(Credential::from_headers(header))
        .with_body(&body);
    if let Some(peer) = request.remote_addr() {
        call = call.with_peer_ip(peer.ip());
    }
    let answer = block_on(api.handle(&call));

    let mut reply =
        tiny_http::Response::from_string(answer.body_text()).with_status_code(answer.status);
    let content_type = [("Content-Type", "application/json")];
    let json = content_type
        .iter()
        .filter(|_| !answer.body.is_null())
        .copied();
    let extra = answer
        .headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()));
    for (name, value) in json.chain(extra) {
        // The API writes ASCII names and values, which tiny_http always accepts.
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply = reply.with_header(header);
        }
    }
    let _ = request.respond(reply);
}

#[allow(dead_code)] // The HTTP test includes this file for `demo` and `serve`.
fn main() -> Result<(), Box<dyn Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let (api, admin, bob) = demo()?;
    let server = tiny_http::Server::http(&addr).map_err(|err| -> Box<dyn Error> { err })?;
    let base = format!("http://{addr}/api/v3/onezone");
    println!("Onezone's token API on {base}");
    println!("\nadmin's access token: {admin}\nbob's access token:   {bob}\n");
    println!("# admin gets an invite token for group g1 (the seed endpoint):");
    println!("curl -s -H 'x-auth-token: {admin}' {base}/groups/g1/users/token");
    println!("# bob joins g1 with it:");
    println!(
        "curl -si -H 'x-auth-token: {bob}' -d '{{\"token\": \"<invite>\"}}' {base}/user/groups/join"
    );
    serve(&server, &api);
    Ok(())
}
