//! End-to-end tests of the `mintage` binary.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const SECRET: &str = "this is our super secret key; only we should know it";

/// The seed token from Onezone's API page, as printed (first four characters corrupted).
const SEED: &str = "JKAxNWxvY2F0aW9uIG9uZXpvbmUKMDAzYmlkZW50aWZpZXIgOEhmSEFSSGdrbHFCa1pWSTRsNk1CVHZTU3Z0OThwcHA2OTQ4czhRN1NPawowMDFhY2lkIHRpbWUgPCAxNDk2MTQwMTQ0CjAwMmZzaWduYXR1cmUg88OIBmav38YI0Z2-dw-fvrZ3XP-J0HjCN0taT3_WungK";

/// The seed page's curl example: base62 armour, cut short.
const SEED_CURL: &str = "MDAxNmxvY2F00aW9uIHJlZlFTUbnZpdGVthHo8xmai4RqqBO2MZM00mrYGgo";

const FORMATS: [&str; 4] = ["v1", "v2", "v2j", "v1j"];

fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mintage"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mintage");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("wait for mintage")
}

fn run(args: &[&str]) -> Output {
    run_with(args, None)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

/// Runs and insists on exit 0, returning stdout without its trailing newline.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "mintage {args:?} failed: {}",
        stderr(&out)
    );
    stdout(&out).trim_end_matches('\n').to_owned()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn inspect_json(token: &str) -> Value {
    serde_json::from_str(&ok(&["inspect", "--json", token])).expect("inspect --json is JSON")
}

fn mint(extra: &[&str]) -> String {
    let mut args = vec![
        "mint",
        "--secret",
        SECRET,
        "--location",
        "http://mybank/",
        "--id",
        "we used our secret key",
    ];
    args.extend_from_slice(extra);
    ok(&args)
}

#[test]
fn mint_inspect_round_trip_every_format_and_armour() {
    for format in FORMATS {
        let armours: &[&str] = if format.ends_with('j') {
            &["none"]
        } else {
            &["none", "base62"]
        };
        for &armour in armours {
            let token = mint(&[
                "--caveat",
                "account = 3735928559",
                "--format",
                format,
                "--armor",
                armour,
            ]);
            let v = inspect_json(&token);
            assert_eq!(v["format"], format, "{format}/{armour}");
            assert_eq!(v["armour"], armour, "{format}/{armour}");
            assert_eq!(v["location"], "http://mybank/");
            assert_eq!(v["identifier"], "we used our secret key");
            assert_eq!(v["caveats"][0]["cid"], "account = 3735928559");
            assert_eq!(
                v["signature"],
                "1efe4763f290dbce0c1d08477367e11f4eee456a64933cf662d79772dbb82128"
            );

            let text = ok(&["inspect", &token]);
            assert!(text.contains(&format!("format: {format}\n")), "{text}");
            assert!(text.contains(&format!("armour: {armour}\n")), "{text}");
            assert!(text.contains("location: http://mybank/"), "{text}");
            assert!(
                text.contains("identifier (text): we used our secret key"),
                "{text}"
            );
            assert!(text.contains("cid (text): account = 3735928559"), "{text}");
        }
    }
}

#[test]
fn mint_matches_the_libmacaroons_readme_bytes() {
    let caveats = [
        "--caveat",
        "account = 3735928559",
        "--caveat",
        "time < 2020-01-01T00:00",
        "--caveat",
        "email = alice@example.org",
    ];
    let with = |format: &str| {
        let mut args = caveats.to_vec();
        args.extend(["--format", format]);
        mint(&args)
    };
    assert_eq!(
        with("v1"),
        "MDAxY2xvY2F0aW9uIGh0dHA6Ly9teWJhbmsvCjAwMjZpZGVudGlmaWVyIHdlIHVzZWQgb3VyIHNlY3JldCBrZXkKMDAxZGNpZCBhY2NvdW50ID0gMzczNTkyODU1OQowMDIwY2lkIHRpbWUgPCAyMDIwLTAxLTAxVDAwOjAwCjAwMjJjaWQgZW1haWwgPSBhbGljZUBleGFtcGxlLm9yZwowMDJmc2lnbmF0dXJlIN31U-Rgg-VbjXGrgivj2PzyHWvxnEDWF7uftDiTRHS2Cg"
    );
    assert_eq!(
        with("v2"),
        "AgEOaHR0cDovL215YmFuay8CFndlIHVzZWQgb3VyIHNlY3JldCBrZXkAAhRhY2NvdW50ID0gMzczNTkyODU1OQACF3RpbWUgPCAyMDIwLTAxLTAxVDAwOjAwAAIZZW1haWwgPSBhbGljZUBleGFtcGxlLm9yZwAABiDd9VPkYIPlW41xq4Ir49j88h1r8ZxA1he7n7Q4k0R0tg"
    );
    assert_eq!(
        with("v2j"),
        r#"{"v":2,"l":"http://mybank/","i":"we used our secret key","c":[{"i":"account = 3735928559"},{"i":"time < 2020-01-01T00:00"},{"i":"email = alice@example.org"}],"s64":"3fVT5GCD5VuNcauCK-PY_PIda_GcQNYXu5-0OJNEdLY"}"#
    );
}

#[test]
fn secret_hex_and_secret_text_derive_the_same_key() {
    let hex: String = SECRET.bytes().map(|b| format!("{b:02x}")).collect();
    let by_hex = ok(&[
        "mint",
        "--secret-hex",
        &hex,
        "--location",
        "http://mybank/",
        "--id",
        "we used our secret key",
    ]);
    assert_eq!(by_hex, mint(&[]));
}

#[test]
fn binary_identifier_is_shown_as_hex() {
    let token = ok(&[
        "mint",
        "--secret",
        "s",
        "--location",
        "",
        "--id-hex",
        "00ff10",
        "--format",
        "v2",
    ]);
    let v = inspect_json(&token);
    assert_eq!(v["identifier"]["hex"], "00ff10");
    assert_eq!(v["location"], "");
    assert!(ok(&["inspect", &token]).contains("identifier (hex): 00ff10"));
    assert!(ok(&["verify", "--secret", "s", &token]) == "valid");
}

#[test]
fn verify_valid_with_the_right_allow() {
    let token = mint(&["--caveat", "account = 3735928559", "--caveat", "op = read"]);
    let out = run(&[
        "verify",
        "--secret",
        SECRET,
        "--allow",
        "op = read",
        "--allow",
        "account = 3735928559",
        "--allow",
        "unused = fine",
        &token,
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "valid\n");
}

#[test]
fn wrong_secret_exits_1_with_a_reason() {
    let token = mint(&["--caveat", "account = 3735928559"]);
    let out = run(&[
        "verify",
        "--secret",
        "not the secret",
        "--allow",
        "account = 3735928559",
        &token,
    ]);
    assert_eq!(code(&out), Some(1));
    assert_eq!(stderr(&out), "mintage: invalid signature: the token\n");
    assert!(stdout(&out).is_empty());
}

#[test]
fn missing_allow_exits_1() {
    let token = mint(&["--caveat", "account = 3735928559", "--caveat", "op = read"]);
    let out = run(&[
        "verify",
        "--secret",
        SECRET,
        "--allow",
        "account = 3735928559",
        &token,
    ]);
    assert_eq!(code(&out), Some(1));
    // A caveat neither allowed nor in Onezone's catalogue is unknown, named by its text.
    assert_eq!(stderr(&out), "mintage: token caveat unknown: op = read\n");
    assert!(stdout(&out).is_empty());
}

#[test]
fn garbage_token_exits_2() {
    for garbage in ["!!!not a token!!!", "", "{", "AgEB", "MDAx"] {
        for args in [
            vec!["inspect", garbage],
            vec!["inspect", "--json", garbage],
            vec!["verify", "--secret", "s", garbage],
            vec!["attenuate", garbage, "--caveat", "x"],
            vec!["bind", garbage, garbage],
        ] {
            let out = run(&args);
            assert_eq!(code(&out), Some(2), "{args:?}");
            assert!(
                stderr(&out).starts_with("mintage: cannot decode"),
                "{args:?}: {}",
                stderr(&out)
            );
            assert!(stdout(&out).is_empty());
        }
    }
    let token = mint(&[]);
    let out = run(&["verify", "--secret", SECRET, "--discharge", "junk", &token]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).starts_with("mintage: cannot decode discharge 0:"));
}

#[test]
fn binary_garbage_on_stdin_exits_2() {
    let inputs: [&[u8]; 4] = [
        b"\x02\x01\xff\xff\xff",
        b"\x00\x01\x02",
        &[0xff; 64],
        b"{\"v\":2}",
    ];
    for input in inputs {
        let out = run_with(&["inspect", "-"], Some(input));
        assert_eq!(code(&out), Some(2), "{input:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let cases: [&[&str]; 8] = [
        &[],
        &["frobnicate"],
        &["mint", "--location", "l", "--id", "i"],
        &[
            "mint",
            "--secret",
            "a",
            "--secret-hex",
            "00",
            "--location",
            "l",
            "--id",
            "i",
        ],
        &[
            "mint",
            "--secret",
            "a",
            "--location",
            "l",
            "--id",
            "i",
            "--format",
            "v9",
        ],
        &[
            "mint",
            "--secret",
            "a",
            "--location",
            "l",
            "--id",
            "i",
            "--format",
            "v2j",
            "--armor",
            "base62",
        ],
        &["attenuate", "MDAx"],
        &["verify", "--secret", "s"],
    ];
    for args in cases {
        assert_eq!(code(&run(args)), Some(2), "{args:?}");
    }
}

#[test]
fn secrets_are_never_printed() {
    let secret_hex = "5345435245545f484558"; // SECRET_HEX
    let cases: [&[&str]; 4] = [
        &[
            "mint",
            "--secret-hex",
            "5345435245545f48455",
            "--location",
            "l",
            "--id",
            "i",
        ],
        &[
            "mint",
            "--secret",
            "TOPSECRET",
            "--location",
            "l",
            "--id",
            "i",
            "--third-party",
            "tp,5345435245545f4845zz,cid",
        ],
        &[
            "mint",
            "--secret",
            "TOPSECRET",
            "--location",
            "l",
            "--id",
            "i",
            "--third-party",
            "tp-5345435245545f484558",
        ],
        &[
            "verify",
            "--secret",
            "TOPSECRET",
            "--secret-hex",
            secret_hex,
            "MDAx",
        ],
    ];
    for args in cases {
        let out = run(args);
        assert_eq!(code(&out), Some(2), "{args:?}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!all.contains("TOPSECRET"), "{all}");
        assert!(!all.contains("5345435245545f48"), "{all}");
    }
    let token = ok(&[
        "mint",
        "--secret",
        "TOPSECRET",
        "--location",
        "l",
        "--id",
        "i",
    ]);
    let shown = format!(
        "{}{}",
        ok(&["inspect", &token]),
        ok(&["inspect", "--json", &token])
    );
    assert!(!shown.contains("TOPSECRET"));
}

#[test]
fn stdin_dash_works_for_every_command() {
    let token = mint(&["--caveat", "op = read"]);
    let input = format!("{token}\n");

    let out = run_with(&["inspect", "-"], Some(input.as_bytes()));
    assert_eq!(code(&out), Some(0));
    assert!(stdout(&out).contains("cid (text): op = read"));

    let out = run_with(
        &["verify", "--secret", SECRET, "--allow", "op = read", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "valid\n");

    let out = run_with(
        &["attenuate", "-", "--caveat", "x = 1"],
        Some(input.as_bytes()),
    );
    assert_eq!(code(&out), Some(0));
    assert!(stdout(&out).starts_with("MDAx"));

    // Raw V2 bytes are accepted on stdin.
    let v2 = mint(&["--format", "v2"]);
    let raw = base64_url_decode(&v2);
    let out = run_with(&["inspect", "--json", "-"], Some(&raw));
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "v2");

    // Standard input can be read only once.
    let out = run_with(&["bind", "-", "-"], Some(input.as_bytes()));
    assert_eq!(code(&out), Some(2));
}

#[test]
fn bind_and_verify_with_a_third_party_caveat() {
    // The third party's secret, "tp secret", in hex.
    let tp_hex = "747020736563726574";
    for (format, armour) in [("v1", "none"), ("v2", "base62"), ("v2j", "none")] {
        let root = ok(&[
            "mint",
            "--secret",
            "root secret",
            "--location",
            "https://service",
            "--id",
            "root-id",
            "--caveat",
            "op = read",
            "--third-party",
            &format!("https://auth,{tp_hex},user is bob, or alice"),
            "--format",
            format,
            "--armor",
            armour,
        ]);
        let v = inspect_json(&root);
        assert_eq!(v["caveats"][1]["cid"], "user is bob, or alice");
        assert_eq!(v["caveats"][1]["cl"], "https://auth");
        assert!(
            v["caveats"][1]["vid"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(v["caveats"][0]["vid"].is_null());

        let discharge = ok(&[
            "mint",
            "--secret",
            "tp secret",
            "--location",
            "https://auth",
            "--id",
            "user is bob, or alice",
            "--format",
            "v2",
            "--armor",
            "base62",
        ]);
        let bound = ok(&["bind", &root, &discharge]);
        let b = inspect_json(&bound);
        assert_eq!(b["format"], "v2");
        assert_eq!(b["armour"], "base62");
        assert_ne!(b["signature"], inspect_json(&discharge)["signature"]);

        let verify = |discharges: &[&str]| {
            let mut args = vec!["verify", "--secret", "root secret", "--allow", "op = read"];
            for d in discharges {
                args.extend(["--discharge", d]);
            }
            args.push(&root);
            run(&args)
        };
        let out = verify(&[&bound]);
        assert_eq!(code(&out), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(stdout(&out), "valid\n");

        let out = verify(&[]);
        assert_eq!(code(&out), Some(1));
        assert_eq!(
            stderr(&out),
            "mintage: discharge missing: caveat 1 of the token\n"
        );

        let out = verify(&[&discharge]);
        assert_eq!(code(&out), Some(1), "an unbound discharge must not verify");
        assert_eq!(stderr(&out), "mintage: invalid signature: discharge 0\n");

        let out = verify(&[&bound, &bound]);
        assert_eq!(code(&out), Some(1));
        assert_eq!(stderr(&out), "mintage: discharge not used\n");

        // The bound discharge can come from stdin.
        let out = run_with(
            &[
                "verify",
                "--secret",
                "root secret",
                "--allow",
                "op = read",
                "--discharge",
                "-",
                &root,
            ],
            Some(bound.as_bytes()),
        );
        assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    }
}

#[test]
fn caveats_are_added_in_command_line_order() {
    let token = ok(&[
        "mint",
        "--secret",
        "s",
        "--location",
        "l",
        "--id",
        "i",
        "--caveat",
        "first",
        "--third-party",
        "tp,00,second",
        "--caveat",
        "third",
    ]);
    let v = inspect_json(&token);
    let cids: Vec<&str> = v["caveats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["cid"].as_str().unwrap())
        .collect();
    assert_eq!(cids, ["first", "second", "third"]);
}

#[test]
fn attenuate_keeps_format_and_armour() {
    for format in FORMATS {
        let armours: &[&str] = if format.ends_with('j') {
            &["none"]
        } else {
            &["none", "base62"]
        };
        for &armour in armours {
            let token = mint(&[
                "--caveat",
                "account = 3735928559",
                "--format",
                format,
                "--armor",
                armour,
            ]);
            let narrower = ok(&[
                "attenuate",
                &token,
                "--caveat",
                "op = read",
                "--caveat",
                "time < 2000000000",
            ]);
            let v = inspect_json(&narrower);
            assert_eq!(v["format"], format);
            assert_eq!(v["armour"], armour);
            assert_eq!(v["caveats"].as_array().unwrap().len(), 3);
            assert_eq!(v["caveats"][2]["cid"], "time < 2000000000");

            let allow_all = [
                "verify",
                "--secret",
                SECRET,
                "--allow",
                "account = 3735928559",
                "--allow",
                "op = read",
                "--allow",
                "time < 2000000000",
                &narrower,
            ];
            assert_eq!(ok(&allow_all), "valid");
            let out = run(&[
                "verify",
                "--secret",
                SECRET,
                "--allow",
                "account = 3735928559",
                &narrower,
            ]);
            assert_eq!(code(&out), Some(1));
            assert_eq!(stderr(&out), "mintage: token caveat unknown: op = read\n");
        }
    }
}

#[test]
fn inspect_json_has_exactly_the_documented_fields() {
    let token = ok(&[
        "mint",
        "--secret",
        "s",
        "--location",
        "loc",
        "--id",
        "id",
        "--caveat",
        "a = 1",
        "--third-party",
        "https://tp,0102,tp-cid",
    ]);
    let v = inspect_json(&token);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "armour",
            "caveats",
            "format",
            "identifier",
            "location",
            "signature",
            "token"
        ]
    );
    assert_eq!(v["format"], "v1");
    assert_eq!(v["armour"], "none");
    assert_eq!(v["location"], "loc");
    assert_eq!(v["identifier"], "id");
    let signature = v["signature"].as_str().unwrap();
    assert_eq!(signature.len(), 64);
    assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
    let caveats = v["caveats"].as_array().unwrap();
    assert_eq!(caveats.len(), 2);
    for c in caveats {
        let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["cid", "cl", "typed", "vid"]);
        // Neither caveat is in Onezone's catalogue.
        assert!(c["typed"].is_null());
    }
    assert_eq!(caveats[0]["cid"], "a = 1");
    assert!(caveats[0]["vid"].is_null());
    assert_eq!(caveats[1]["cid"], "tp-cid");
    assert_eq!(caveats[1]["cl"], "https://tp");
    // A V1 verification id is 24 bytes of nonce, 32 of sealed key and 16 of tag.
    assert_eq!(
        caveats[1]["vid"].as_str().unwrap().len(),
        2 * (24 + 32 + 16)
    );
}

#[test]
fn the_seed_token_is_rejected_as_printed_and_read_once_repaired() {
    let out = run(&["inspect", SEED]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).starts_with("mintage: cannot decode token:"));
    let out = run(&["verify", "--secret", "s", SEED]);
    assert_eq!(code(&out), Some(2));

    let repaired = format!("MDAx{}", &SEED[4..]);
    let text = ok(&["inspect", &repaired]);
    assert!(text.contains("format: v1\n"), "{text}");
    assert!(text.contains("location: onezone\n"), "{text}");
    assert!(
        text.contains("identifier (text): 8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk\n"),
        "{text}"
    );
    assert!(text.contains("caveats: 1\n"), "{text}");
    assert!(text.contains("cid (text): time < 1496140144\n"), "{text}");
    assert!(
        text.contains(
            "typed: {\"type\":\"time\",\"validUntil\":1496140144} \
             (valid until 2017-05-30T10:29:04Z)\n"
        ),
        "{text}"
    );

    let v = inspect_json(&repaired);
    assert_eq!(v["location"], "onezone");
    assert_eq!(
        v["identifier"],
        "8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk"
    );
    assert_eq!(v["caveats"][0]["cid"], "time < 1496140144");
    assert!(v["caveats"][0]["vid"].is_null());
    assert_eq!(
        v["caveats"][0]["typed"],
        json!({"type": "time", "validUntil": 1_496_140_144u64})
    );

    // Its root secret is unknown, so it does not verify: exit 1, not 2.
    let out = run(&[
        "verify",
        "--secret",
        "guess",
        "--allow",
        "time < 1496140144",
        &repaired,
    ]);
    assert_eq!(code(&out), Some(1));
    assert_eq!(stderr(&out), "mintage: invalid signature: the token\n");

    // The curl example is base62 and cut short: a typed error, never a panic.
    let out = run(&["inspect", SEED_CURL]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).starts_with("mintage: cannot decode token:"));
}

#[test]
fn control_characters_are_not_echoed_raw() {
    let token = ok(&[
        "mint",
        "--secret",
        "s",
        "--location",
        "evil\u{1b}[2J",
        "--id",
        "id\u{7}",
        "--format",
        "v2",
    ]);
    let text = ok(&["inspect", &token]);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("identifier (hex): 6964"), "{text}");
}

#[test]
fn help_texts_exist() {
    let top = ok(&["--help"]);
    assert!(top.contains("Example:"));
    for cmd in ["mint", "bind", "attenuate", "inspect", "verify"] {
        let help = ok(&[cmd, "--help"]);
        assert!(help.contains("Usage: mintage"), "{cmd}");
        assert!(help.contains("mintage "), "{cmd}");
    }
}

/// Mints a token under SECRET carrying these first-party caveats.
fn token_with(caveats: &[&str]) -> String {
    let mut args = Vec::new();
    for caveat in caveats {
        args.extend(["--caveat", caveat]);
    }
    mint(&args)
}

/// Runs `verify` of `token` under SECRET with these flags.
fn verify_with(token: &str, flags: &[&str]) -> Output {
    let mut args = vec!["verify", "--secret", SECRET];
    args.extend_from_slice(flags);
    args.push(token);
    run(&args)
}

#[track_caller]
fn assert_valid(token: &str, flags: &[&str]) {
    let out = verify_with(token, flags);
    assert_eq!(code(&out), Some(0), "{flags:?}: {}", stderr(&out));
    assert_eq!(stdout(&out), "valid\n", "{flags:?}");
}

/// Insists that `verify` exits 1 naming `caveat` (its Onezone JSON form) as unverified.
#[track_caller]
fn assert_unverified(token: &str, flags: &[&str], caveat: &Value) {
    let out = verify_with(token, flags);
    assert_eq!(code(&out), Some(1), "{flags:?}: {}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{flags:?}");
    let message = stderr(&out);
    let shown = message
        .strip_prefix("mintage: token caveat unverified: ")
        .and_then(|rest| rest.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("{flags:?}: {message}"));
    let shown: Value = serde_json::from_str(shown).expect("the caveat is shown as JSON");
    assert_eq!(&shown, caveat, "{flags:?}");
}

#[test]
fn time_caveat_holds_only_before_now() {
    let token = token_with(&["time < 1700000000"]);
    let expired = json!({"type": "time", "validUntil": 1_700_000_000u64});
    assert_valid(&token, &["--now", "1699999999"]);
    assert_valid(&token, &["--now", "0"]);
    assert_unverified(&token, &["--now", "1700000000"], &expired);
    assert_unverified(&token, &["--now", "1800000000"], &expired);
    // The exact message, as Onezone words it.
    let out = verify_with(&token, &["--now", "1700000000"]);
    assert_eq!(
        stderr(&out),
        "mintage: token caveat unverified: {\"type\":\"time\",\"validUntil\":1700000000}\n"
    );
    // Without --now the system clock decides: 1700000000 (2023-11-14) has passed, 4000000000
    // (2096) has not.
    assert_unverified(&token, &[], &expired);
    assert_valid(&token_with(&["time < 4000000000"]), &[]);
}

#[test]
fn ip_caveat_checks_the_peer_address() {
    let token = token_with(&["ip = 10.0.0.0/8"]);
    let caveat = json!({"type": "ip", "whitelist": ["10.0.0.0/8"]});
    assert_valid(&token, &["--peer-ip", "10.1.2.3"]);
    assert_unverified(&token, &["--peer-ip", "192.168.0.1"], &caveat);
    assert_unverified(&token, &["--peer-ip", "2001:db8::1"], &caveat);
    // An unknown peer never matches.
    assert_unverified(&token, &[], &caveat);

    let both = token_with(&["ip = 192.168.0.1|2001:db8::/32"]);
    assert_valid(&both, &["--peer-ip", "2001:db8::1"]);
    assert_valid(&both, &["--peer-ip", "192.168.0.1"]);
    assert_unverified(
        &both,
        &["--peer-ip", "192.168.0.2"],
        &json!({"type": "ip", "whitelist": ["192.168.0.1/32", "2001:db8::/32"]}),
    );
}

#[test]
fn service_caveat_checks_the_verifying_service() {
    let token = token_with(&["service = opw-p1|ozp-*"]);
    let caveat = json!({"type": "service", "whitelist": ["opw-p1", "ozp-*"]});
    assert_valid(&token, &["--service", "opw-p1"]);
    assert_valid(&token, &["--service", "ozp-anything"]);
    assert_unverified(&token, &["--service", "opw-p2"], &caveat);
    assert_unverified(&token, &["--service", "opp-p1"], &caveat);
    // The default service is Onezone's worker, ozw-onezone.
    assert_unverified(&token, &[], &caveat);
    let onezone = token_with(&["service = ozw-onezone"]);
    assert_valid(&onezone, &[]);
    assert_valid(&onezone, &["--service", "ozw-onezone"]);
    assert_unverified(
        &onezone,
        &["--service", "ozw-other"],
        &json!({"type": "service", "whitelist": ["ozw-onezone"]}),
    );
}

#[test]
fn consumer_caveat_checks_the_consumer_and_its_groups() {
    let token = token_with(&["consumer = usr-alice|grp-admins|prv-*"]);
    let caveat = json!({"type": "consumer", "whitelist": ["usr-alice", "grp-admins", "prv-*"]});
    assert_valid(&token, &["--consumer", "usr-alice"]);
    assert_valid(&token, &["--consumer", "prv-p1"]);
    assert_unverified(&token, &["--consumer", "usr-bob"], &caveat);
    assert_unverified(
        &token,
        &["--consumer", "usr-bob", "--group", "staff"],
        &caveat,
    );
    assert_valid(
        &token,
        &[
            "--consumer",
            "usr-bob",
            "--group",
            "staff",
            "--group",
            "admins",
        ],
    );
    // An unknown consumer never matches.
    assert_unverified(&token, &[], &caveat);

    let users = token_with(&["consumer = usr-*"]);
    assert_valid(&users, &["--consumer", "usr-anyone"]);
    assert_unverified(
        &users,
        &["--consumer", "prv-anyone"],
        &json!({"type": "consumer", "whitelist": ["usr-*"]}),
    );
}

#[test]
fn interface_caveat_checks_the_interface_and_token_kind() {
    let token = token_with(&["interface = rest"]);
    let caveat = json!({"type": "interface", "interface": "rest"});
    assert_valid(&token, &["--interface", "rest"]);
    assert_unverified(&token, &["--interface", "graphsync"], &caveat);
    assert_unverified(&token, &[], &caveat);
    assert_valid(&token, &["--interface", "rest", "--token-kind", "access"]);
    assert_valid(&token, &["--interface", "rest", "--token-kind", "identity"]);
    // Invite tokens may not carry interface caveats at all.
    assert_unverified(
        &token,
        &["--interface", "rest", "--token-kind", "invite"],
        &caveat,
    );

    // Oneclient is data access.
    let oneclient = token_with(&["interface = oneclient"]);
    let caveat = json!({"type": "interface", "interface": "oneclient"});
    assert_unverified(&oneclient, &["--interface", "oneclient"], &caveat);
    assert_valid(
        &oneclient,
        &["--interface", "oneclient", "--allow-data-access"],
    );
    assert_unverified(
        &oneclient,
        &["--interface", "rest", "--allow-data-access"],
        &caveat,
    );
}

#[test]
fn data_and_scope_caveats_need_their_flags() {
    let token = token_with(&["data.readonly"]);
    let caveat = json!({"type": "data.readonly"});
    assert_valid(&token, &["--allow-data-access"]);
    assert_unverified(&token, &[], &caveat);
    assert_unverified(
        &token,
        &["--allow-data-access", "--token-kind", "identity"],
        &caveat,
    );

    let legacy = token_with(&["authorization = none"]);
    let caveat = json!({"type": "scope", "scope": "identityToken"});
    assert_valid(&legacy, &["--identity-scope"]);
    assert_unverified(&legacy, &[], &caveat);
    assert_unverified(
        &legacy,
        &["--identity-scope", "--token-kind", "invite"],
        &caveat,
    );
}

#[test]
fn typed_and_plain_caveats_together() {
    let token = token_with(&[
        "account = 42",
        "time < 1700000000",
        "ip = 10.0.0.0/8",
        "op = read",
    ]);
    let context = ["--now", "1600000000", "--peer-ip", "10.9.9.9"];
    let mut flags = context.to_vec();
    flags.extend(["--allow", "account = 42", "--allow", "op = read"]);
    assert_valid(&token, &flags);

    // A caveat neither allowed nor in the catalogue is unknown, and named.
    let mut partial = context.to_vec();
    partial.extend(["--allow", "account = 42"]);
    let out = verify_with(&token, &partial);
    assert_eq!(code(&out), Some(1));
    assert_eq!(stderr(&out), "mintage: token caveat unknown: op = read\n");
    let out = verify_with(&token, &context);
    assert_eq!(code(&out), Some(1));
    assert_eq!(
        stderr(&out),
        "mintage: token caveat unknown: account = 42\n"
    );

    // A failing typed caveat is reported even when plain ones are allowed.
    let mut later = flags.clone();
    later[1] = "1700000001";
    assert_unverified(
        &token,
        &later,
        &json!({"type": "time", "validUntil": 1_700_000_000u64}),
    );

    // Exact matches come first: an --allow equal to a typed caveat satisfies it outright.
    later.extend(["--allow", "time < 1700000000"]);
    assert_valid(&token, &later);

    // A caveat that looks typed but does not parse is unknown unless allowed.
    let odd = token_with(&["time < 2020-01-01T00:00"]);
    let out = verify_with(&odd, &[]);
    assert_eq!(code(&out), Some(1));
    assert_eq!(
        stderr(&out),
        "mintage: token caveat unknown: time < 2020-01-01T00:00\n"
    );
    assert_valid(&odd, &["--allow", "time < 2020-01-01T00:00"]);
}

#[test]
fn typed_caveats_of_discharges_are_checked_too() {
    let tp_hex = "747020736563726574"; // "tp secret"
    let root = ok(&[
        "mint",
        "--secret",
        "root secret",
        "--location",
        "https://service",
        "--id",
        "root-id",
        "--caveat",
        "ip = 10.0.0.0/8",
        "--third-party",
        &format!("https://auth,{tp_hex},user is alice"),
    ]);
    let discharge = ok(&[
        "mint",
        "--secret",
        "tp secret",
        "--location",
        "https://auth",
        "--id",
        "user is alice",
        "--caveat",
        "time < 1700000000",
    ]);
    let bound = ok(&["bind", &root, &discharge]);
    let verify = |now: &str| {
        run(&[
            "verify",
            "--secret",
            "root secret",
            "--peer-ip",
            "10.0.0.1",
            "--now",
            now,
            "--discharge",
            &bound,
            &root,
        ])
    };
    let out = verify("1600000000");
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let out = verify("1700000000");
    assert_eq!(code(&out), Some(1));
    assert_eq!(
        stderr(&out),
        "mintage: token caveat unverified: {\"type\":\"time\",\"validUntil\":1700000000}\n"
    );
}

#[test]
fn inspect_shows_typed_caveats() {
    let token = ok(&[
        "mint",
        "--secret",
        "s",
        "--location",
        "onezone",
        "--id",
        "id",
        "--caveat",
        "time < 1496140144",
        "--caveat",
        "account = 42",
        "--caveat",
        "ip = 10.0.0.0/8",
        "--caveat",
        "time < 2020-01-01T00:00",
        "--third-party",
        "https://tp,0102,time < 1",
    ]);
    let v = inspect_json(&token);
    let caveats = v["caveats"].as_array().unwrap();
    assert_eq!(
        caveats[0]["typed"],
        json!({"type": "time", "validUntil": 1_496_140_144u64})
    );
    assert_eq!(caveats[0]["cid"], "time < 1496140144");
    assert!(caveats[1]["typed"].is_null());
    assert_eq!(caveats[1]["cid"], "account = 42");
    assert_eq!(
        caveats[2]["typed"],
        json!({"type": "ip", "whitelist": ["10.0.0.0/8"]})
    );
    assert!(
        caveats[3]["typed"].is_null(),
        "a malformed caveat is untyped"
    );
    assert!(
        caveats[4]["typed"].is_null(),
        "third-party caveats are untyped"
    );

    let text = ok(&["inspect", &token]);
    assert!(
        text.contains(
            "  cid (text): time < 1496140144\n  typed: {\"type\":\"time\",\"validUntil\":1496140144} \
             (valid until 2017-05-30T10:29:04Z)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  cid (text): ip = 10.0.0.0/8\n  typed: {\"type\":\"ip\",\"whitelist\":[\"10.0.0.0/8\"]}\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  cid (text): account = 42\ncaveat 2"),
        "no typed line for a caveat outside the catalogue: {text}"
    );
    assert!(
        text.contains(
            "  cid (text): time < 2020-01-01T00:00\n  typed: not in the catalogue (malformed caveat)\n"
        ),
        "{text}"
    );
    assert_eq!(text.matches("typed:").count(), 3, "{text}");
}

#[test]
fn unknown_caveat_text_is_not_echoed_raw() {
    let token = token_with(&["colour = \u{1b}[2J\u{9b}blue"]);
    let out = verify_with(&token, &[]);
    assert_eq!(code(&out), Some(1));
    let message = stderr(&out);
    assert!(
        message.starts_with("mintage: token caveat unknown: colour = "),
        "{message}"
    );
    assert!(
        !message.contains('\u{1b}') && !message.contains('\u{9b}'),
        "{message:?}"
    );
}

#[test]
fn bad_context_flags_exit_2() {
    let token = token_with(&["time < 4000000000"]);
    let cases: [(&[&str], &str); 17] = [
        (&["--peer-ip", "10.0.0.300"], "--peer-ip"),
        (&["--peer-ip", "nope"], "--peer-ip"),
        (&["--peer-ip", "10.0.0.0/8"], "--peer-ip"),
        (&["--now=-5"], "--now"),
        (&["--now", "soon"], "--now"),
        (&["--service", "xyz-1"], "--service"),
        (&["--service", "onezone"], "--service"),
        (&["--service", "opw-"], "--service"),
        (&["--service", "opw-*"], "--service"),
        (&["--consumer", "grp-admins"], "--consumer"),
        (&["--consumer", "usr-*"], "--consumer"),
        (&["--consumer", "alice"], "--consumer"),
        (&["--interface", "ftp"], "--interface"),
        (&["--token-kind", "root"], "--token-kind"),
        (&["--group", "admins"], "--consumer"),
        (&["--consumer", "usr-a", "--group", ""], "--group"),
        (&["--consumer", "prv-p1", "--group", "admins"], "--group"),
    ];
    for (flags, named) in cases {
        let out = verify_with(&token, flags);
        assert_eq!(code(&out), Some(2), "{flags:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{flags:?}");
        assert!(stderr(&out).contains(named), "{flags:?}: {}", stderr(&out));
    }
    // The same flags with good values verify.
    assert_valid(
        &token,
        &[
            "--now",
            "1600000000",
            "--peer-ip",
            "::1",
            "--service",
            "opw-p1",
            "--consumer",
            "usr-a",
            "--group",
            "g",
            "--interface",
            "graphsync",
            "--allow-data-access",
            "--token-kind",
            "invite",
            "--identity-scope",
        ],
    );
}

#[test]
fn verify_help_documents_the_context_flags() {
    let help = ok(&["verify", "--help"]);
    for flag in [
        "--now <SECONDS>",
        "--peer-ip <IP>",
        "--service <KIND-ID>",
        "--consumer <usr-ID|prv-ID>",
        "--group <GROUP_ID>",
        "--interface <INTERFACE>",
        "--allow-data-access",
        "--token-kind <KIND>",
        "--identity-scope",
        "token caveat unknown",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    assert!(help.contains("[default: ozw-onezone]"), "{help}");
    assert!(help.contains("rest, oneclient, graphsync"), "{help}");
}

fn base64_url_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .expect("base64url")
}

#[test]
fn inspect_decodes_onezone_v2_identifiers() {
    let token = {
        let out = run(&[
            "mint",
            "--secret",
            "s",
            "--location",
            "onezone",
            "--id",
            "2/tmp-3/usr-alice/ujg:g1:/abc123",
            "--caveat",
            "time < 2000000000",
        ]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let out = run(&["inspect", "--json", &token]);
    assert!(out.status.success());
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["token"]["persistence"], "temporary");
    assert_eq!(value["token"]["generation"], 3);
    assert_eq!(value["token"]["subject"]["id"], "alice");
    assert_eq!(
        value["token"]["type"]["inviteToken"]["inviteType"],
        "userJoinGroup"
    );
    assert_eq!(value["token"]["id"], "abc123");
    let text = run(&["inspect", &token]);
    assert!(
        String::from_utf8(text.stdout)
            .unwrap()
            .contains("onezone token: ")
    );
    // A legacy (non-v2) identifier has no decoded token.
    let seed = run(&[
        "mint",
        "--secret",
        "s",
        "--location",
        "onezone",
        "--id",
        "8HfH",
    ]);
    let seed = String::from_utf8(seed.stdout).unwrap();
    let out = run(&["inspect", "--json", seed.trim()]);
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(value["token"].is_null());
}
