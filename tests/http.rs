//! The seed flow over real HTTP: `examples/serve.rs` (the API behind `tiny_http`) on a local
//! port, and requests written on a TCP socket as `curl` would send them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../examples/serve.rs"]
mod serve;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread;

use serde_json::{Value, json};

/// Status, headers (lowercased names) and body of one HTTP/1.1 exchange.
fn exchange(addr: SocketAddr, head: &str, body: &str) -> (u16, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{head}\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (header_block, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = header_block.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(known, _)| known == name)
        .map(|(_, value)| value.as_str())
}

#[test]
fn seed_flow_over_http() {
    let (api, admin, bob) = serve::demo().unwrap();
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap();
    let serving = {
        let server = Arc::clone(&server);
        thread::spawn(move || serve::serve(&server, &api))
    };

    let (status, headers, body) = exchange(
        addr,
        &format!("GET /api/v3/onezone/groups/g1/users/token HTTP/1.1\r\nx-auth-token: {admin}"),
        "",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&headers, "content-type"), Some("application/json"));
    let invite: Value = serde_json::from_str(&body).unwrap();
    let invite = invite["token"].as_str().unwrap();

    let join = json!({ "token": invite }).to_string();
    let (status, headers, body) = exchange(
        addr,
        &format!("POST /api/v3/onezone/user/groups/join HTTP/1.1\r\nAuthorization: Bearer {bob}"),
        &join,
    );
    assert_eq!((status, body.as_str()), (201, ""));
    assert_eq!(header(&headers, "location"), Some("/user/groups/g1"));

    // bob may not invite: 403 with Onezone's error body.
    let (status, _, body) = exchange(
        addr,
        &format!("GET /api/v3/onezone/groups/g1/users/token HTTP/1.1\r\nmacaroon: {bob}"),
        "",
    );
    assert_eq!(status, 403);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["id"],
        "forbidden"
    );

    server.unblock();
    serving.join().unwrap();
}
