//! Typed caveats end to end: a token carrying all twelve kinds verifies in a matching context
//! and fails, with the right error, when any one condition changes; plus the helpers, host
//! kinds, token-kind rules and properties.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::IpAddr;

use mintage::caveat::{
    ApiOperation, CaveatError, ConsumerIdentity, ConsumerKind, Context, Country, Gri,
    InterfaceKind, Operation, Region, Resolver, ServiceKind, TokenKind, TypedCaveat, TypedVerifier,
    confine, ttl,
};
use mintage::{Format, Macaroon, RootKey, VerifyErrorKind};
use proptest::prelude::*;
use serde_json::json;

struct Geo;

impl Resolver for Geo {
    fn asn(&self, ip: IpAddr) -> Option<u32> {
        (ip == peer()).then_some(631)
    }
    fn country(&self, ip: IpAddr) -> Option<Country> {
        (ip == peer()).then(|| Country::new("PL").unwrap())
    }
    fn regions(&self, ip: IpAddr) -> Vec<Region> {
        if ip == peer() {
            vec![Region::Europe, Region::Eu]
        } else {
            vec![]
        }
    }
}

fn peer() -> IpAddr {
    "149.156.10.20".parse().unwrap()
}

const NOW: u64 = 1_600_000_000;

const ALL_TWELVE: [&str; 12] = [
    "time < 1700000000",
    "ip = 149.156.0.0/16|2001:db8::/32",
    "asn = 631|632",
    "geo.country = PL|DE",
    "geo.region != Asia",
    "consumer = usr-alice|grp-admins",
    "service = ozw-onezone|opw-*",
    "interface = rest",
    "api = ozw/get/user.*.*:*|all/all/space.s1.*:*",
    "data.readonly",
    "data.path = L3MxL2Rpcg==",
    "data.objectid = 0000000000208CA8",
];

fn key() -> RootKey {
    RootKey::new(b"onezone per-token secret")
}

fn token() -> Macaroon {
    let mut m = Macaroon::mint(
        &key(),
        "onezone",
        b"8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk",
    )
    .unwrap();
    let typed: Vec<TypedCaveat> = ALL_TWELVE.iter().map(|t| t.parse().unwrap()).collect();
    confine(&mut m, &typed).unwrap();
    m
}

fn alice() -> ConsumerIdentity {
    ConsumerIdentity {
        kind: ConsumerKind::User,
        id: "alice".into(),
        groups: vec!["admins".into()],
    }
}

fn get_user() -> ApiOperation {
    ApiOperation {
        service: ServiceKind::OzWorker,
        operation: Operation::Get,
        gri: Gri {
            kind: "user".into(),
            id: "alice".into(),
            aspect: "instance".into(),
            scope: "private".into(),
        },
    }
}

fn unverified(text: &str) -> CaveatError {
    CaveatError::Unverified {
        caveat: text.parse::<TypedCaveat>().unwrap().to_json(),
    }
}

#[test]
fn all_twelve_kinds_verify_in_a_matching_context_and_fail_one_by_one() {
    let m = Macaroon::decode(token().encode(Format::V1).unwrap()).unwrap();
    assert_eq!(m.caveats().len(), 12);
    let geo = Geo;
    let who = alice();
    let op = get_user();
    let good = Context::at(NOW)
        .with_peer_ip(peer())
        .with_resolver(&geo)
        .with_consumer(&who)
        .with_interface(InterfaceKind::Rest)
        .with_operation(&op)
        .allowing_data_access();
    let verifier = TypedVerifier::new();
    let verified = verifier.verify(&m, &key(), &[], &good).unwrap();
    assert_eq!(verified.identifier(), m.identifier());

    let bob = ConsumerIdentity {
        kind: ConsumerKind::User,
        id: "bob".into(),
        groups: vec![],
    };
    let put_space = ApiOperation {
        service: ServiceKind::OzWorker,
        operation: Operation::Update,
        gri: Gri {
            kind: "space".into(),
            id: "s2".into(),
            aspect: "instance".into(),
            scope: "private".into(),
        },
    };
    let elsewhere: IpAddr = "149.157.0.1".parse().unwrap();
    let mut no_data = good;
    no_data.allow_data_access = false;
    let mut expired = good;
    expired.now = 1_700_000_000;
    let mut blind = good;
    blind.resolver = None;
    let cases: Vec<(Context<'_>, &str)> = vec![
        (expired, ALL_TWELVE[0]),
        (good.with_peer_ip(elsewhere), ALL_TWELVE[1]),
        (blind, ALL_TWELVE[2]),
        (good.with_consumer(&bob), ALL_TWELVE[5]),
        (
            good.with_service(ServiceKind::OzPanel, "onezone"),
            ALL_TWELVE[6],
        ),
        (good.with_interface(InterfaceKind::Graphsync), ALL_TWELVE[7]),
        (good.with_operation(&put_space), ALL_TWELVE[8]),
        (no_data, ALL_TWELVE[9]),
    ];
    for (ctx, failing) in cases {
        assert_eq!(
            verifier.verify(&m, &key(), &[], &ctx).unwrap_err(),
            unverified(failing),
            "{failing}"
        );
    }
    // Country and region: a resolver that places the peer in Asia and China.
    struct Asia;
    impl Resolver for Asia {
        fn asn(&self, _: IpAddr) -> Option<u32> {
            Some(631)
        }
        fn country(&self, _: IpAddr) -> Option<Country> {
            Country::new("CN")
        }
        fn regions(&self, _: IpAddr) -> Vec<Region> {
            vec![Region::Asia]
        }
    }
    let asia = Asia;
    let err = verifier
        .verify(&m, &key(), &[], &good.with_resolver(&asia))
        .unwrap_err();
    assert_eq!(err, unverified(ALL_TWELVE[3]));
    // Each remaining data caveat fails alone without data access.
    for text in &ALL_TWELVE[9..] {
        let mut single = Macaroon::mint(&key(), "onezone", b"id").unwrap();
        single.add_first_party(text).unwrap();
        assert_eq!(
            verifier.verify(&single, &key(), &[], &no_data).unwrap_err(),
            unverified(text)
        );
    }
    // The region caveat alone, with the Asian resolver.
    let mut region = Macaroon::mint(&key(), "onezone", b"id").unwrap();
    region.add_first_party(ALL_TWELVE[4]).unwrap();
    let err = verifier
        .verify(&region, &key(), &[], &good.with_resolver(&asia))
        .unwrap_err();
    assert_eq!(err, unverified(ALL_TWELVE[4]));
    // A wrong key is tokenInvalid, checked before any caveat.
    let err = verifier
        .verify(&m, &RootKey::new(b"other"), &[], &good)
        .unwrap_err();
    assert!(
        matches!(err, CaveatError::Invalid(e) if e.kind() == VerifyErrorKind::InvalidSignature)
    );
}

#[test]
fn expired_time_caveat_says_when_it_expired() {
    let mut m = Macaroon::mint(&key(), "onezone", b"id").unwrap();
    m.add_first_party("time < 1496140144").unwrap();
    let err = TypedVerifier::new()
        .verify(&m, &key(), &[], &Context::at(NOW))
        .unwrap_err();
    assert_eq!(
        err,
        CaveatError::Unverified {
            caveat: json!({"type":"time","validUntil":1496140144u64})
        }
    );
    assert_eq!(
        err.to_string(),
        r#"token caveat unverified: {"type":"time","validUntil":1496140144}"#
    );
}

#[test]
fn unparseable_caveat_is_unknown_with_raw_text() {
    for raw in ["time < tomorrow", "colour = blue", "ip = "] {
        let mut m = Macaroon::mint(&key(), "onezone", b"id").unwrap();
        m.add_first_party(raw).unwrap();
        let err = TypedVerifier::new()
            .verify(&m, &key(), &[], &Context::at(NOW))
            .unwrap_err();
        assert_eq!(err, CaveatError::Unknown { raw: raw.into() });
    }
    let mut m = Macaroon::mint(&key(), "onezone", b"id").unwrap();
    m.add_first_party([0xff, 0xfe]).unwrap();
    let err = TypedVerifier::new()
        .verify(&m, &key(), &[], &Context::at(NOW))
        .unwrap_err();
    assert!(matches!(err, CaveatError::Unknown { .. }));
}

#[test]
fn host_kinds_and_plain_predicates() {
    let mut m = Macaroon::mint(&key(), "onezone", b"id").unwrap();
    m.add_first_party("time < 1700000000").unwrap();
    m.add_first_party("cluster_type = oneprovider").unwrap();
    m.add_first_party("session_id = 42").unwrap();
    let ctx = Context::at(NOW);
    let host = TypedVerifier::new()
        .register("session_id = ", |text, _| text == "session_id = 42")
        .satisfy_exact("cluster_type = oneprovider");
    host.verify(&m, &key(), &[], &ctx).unwrap();
    let other_session = TypedVerifier::new()
        .register("session_id = ", |text, _| text == "session_id = 7")
        .satisfy_exact("cluster_type = oneprovider");
    let err = other_session.verify(&m, &key(), &[], &ctx).unwrap_err();
    assert_eq!(
        err,
        CaveatError::Unverified {
            caveat: json!({"type":"session_id","raw":"session_id = 42"})
        }
    );
    // Unclaimed kinds fail closed.
    let err = TypedVerifier::new()
        .satisfy_exact("cluster_type = oneprovider")
        .verify(&m, &key(), &[], &ctx)
        .unwrap_err();
    assert_eq!(
        err,
        CaveatError::Unknown {
            raw: "session_id = 42".into()
        }
    );
}

#[test]
fn token_kind_rules_apply_in_verification() {
    let mut m = Macaroon::mint(&key(), "onezone", b"id").unwrap();
    m.add_first_party("interface = rest").unwrap();
    let ctx = Context::at(NOW).with_interface(InterfaceKind::Rest);
    TypedVerifier::new()
        .verify(&m, &key(), &[], &ctx.for_token(TokenKind::Identity))
        .unwrap();
    let err = TypedVerifier::new()
        .verify(&m, &key(), &[], &ctx.for_token(TokenKind::Invite))
        .unwrap_err();
    assert_eq!(err, unverified("interface = rest"));
}

#[test]
fn ttl_reports_the_earliest_time_caveat() {
    let mut m = Macaroon::mint(&key(), "onezone", b"id").unwrap();
    assert_eq!(ttl(&m, NOW), None);
    m.add_first_party("time < 1600000500").unwrap();
    m.add_first_party("time < 1600000100").unwrap();
    m.add_first_party("ip = 1.2.3.4/32").unwrap();
    assert_eq!(ttl(&m, NOW), Some(100));
    assert_eq!(ttl(&m, NOW + 1000), Some(0));
}

#[test]
fn confining_needs_no_key_and_keeps_the_token_verifiable() {
    let original = token();
    let mut held = Macaroon::decode(original.encode(Format::V2).unwrap()).unwrap();
    confine(&mut held, &["time < 1650000000".parse().unwrap()]).unwrap();
    assert_eq!(held.caveats().last().unwrap().id(), b"time < 1650000000");
    assert_eq!(ttl(&held, NOW), Some(50_000_000));
}

fn typed() -> impl Strategy<Value = TypedCaveat> {
    let id = "[a-z0-9]{1,12}";
    prop_oneof![
        any::<u64>().prop_map(|t| format!("time < {t}")),
        proptest::collection::vec((any::<[u8; 4]>(), 0u8..=32), 1..4).prop_map(|nets| {
            let list: Vec<String> = nets
                .iter()
                .map(|(a, m)| format!("{}.{}.{}.{}/{m}", a[0], a[1], a[2], a[3]))
                .collect();
            format!("ip = {}", list.join("|"))
        }),
        proptest::collection::vec(any::<u32>(), 1..4).prop_map(|l| format!(
            "asn = {}",
            l.iter().map(u32::to_string).collect::<Vec<_>>().join("|")
        )),
        (
            prop_oneof![Just("="), Just("!=")],
            proptest::collection::vec("[A-Z]{2}", 1..4)
        )
            .prop_map(|(op, l)| format!("geo.country {op} {}", l.join("|"))),
        (
            prop_oneof![Just("="), Just("!=")],
            proptest::collection::vec(
                prop_oneof![Just("Asia"), Just("EU"), Just("Europe"), Just("Oceania")],
                1..3
            )
        )
            .prop_map(|(op, l)| format!("geo.region {op} {}", l.join("|"))),
        proptest::collection::vec(
            (
                prop_oneof![Just("usr"), Just("grp"), Just("prv")],
                prop_oneof![Just("*".to_owned()), id.prop_map(|s| s)]
            ),
            1..4
        )
        .prop_map(|l| format!(
            "consumer = {}",
            l.iter()
                .map(|(k, i)| format!("{k}-{i}"))
                .collect::<Vec<_>>()
                .join("|")
        )),
        proptest::collection::vec(
            (
                prop_oneof![Just("ozw"), Just("ozp"), Just("opw"), Just("opp")],
                prop_oneof![Just("*".to_owned()), id.prop_map(|s| s)]
            ),
            1..4
        )
        .prop_map(|l| format!(
            "service = {}",
            l.iter()
                .map(|(k, i)| format!("{k}-{i}"))
                .collect::<Vec<_>>()
                .join("|")
        )),
        prop_oneof![Just("rest"), Just("oneclient"), Just("graphsync")]
            .prop_map(|i| format!("interface = {i}")),
        proptest::collection::vec(
            (
                prop_oneof![Just("all"), Just("ozw"), Just("opp")],
                prop_oneof![Just("all"), Just("get"), Just("delete")],
                prop_oneof![Just("*".to_owned()), id.prop_map(|s| s)],
                prop_oneof![Just("*".to_owned()), id.prop_map(|s| s)],
                prop_oneof![Just("*".to_owned()), Just("users,children".to_owned())],
                prop_oneof![Just("*"), Just("private")],
            ),
            1..3,
        )
        .prop_map(|l| format!(
            "api = {}",
            l.iter()
                .map(|(s, o, t, i, a, c)| format!("{s}/{o}/{t}.{i}.{a}:{c}"))
                .collect::<Vec<_>>()
                .join("|")
        )),
        Just("data.readonly".to_owned()),
        proptest::collection::vec("(/[a-z0-9]{1,6}){1,3}", 1..3).prop_map(|l| {
            use base64::Engine;
            let enc: Vec<String> = l
                .iter()
                .map(|p| base64::engine::general_purpose::STANDARD.encode(p))
                .collect();
            format!("data.path = {}", enc.join("|"))
        }),
        proptest::collection::vec("[0-9A-F]{2,20}", 1..3)
            .prop_map(|l| format!("data.objectid = {}", l.join("|"))),
        Just("authorization = none".to_owned()),
    ]
    .prop_map(|text| {
        text.parse::<TypedCaveat>()
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    })
}

proptest! {
    #[test]
    fn typed_text_typed_is_identity(c in typed()) {
        let text = c.to_string();
        prop_assert_eq!(&text.parse::<TypedCaveat>().unwrap(), &c);
        prop_assert_eq!(text.parse::<TypedCaveat>().unwrap().to_string(), text);
    }

    #[test]
    fn typed_json_typed_is_identity(c in typed()) {
        let json = c.to_json();
        prop_assert_eq!(&TypedCaveat::from_json(&json).unwrap(), &c);
        let text = serde_json::to_string(&c).unwrap();
        prop_assert_eq!(serde_json::from_str::<TypedCaveat>(&text).unwrap(), c);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,80}") {
        let _ = text.parse::<TypedCaveat>();
    }

    #[test]
    fn parsing_prefixed_noise_never_panics(
        prefix in prop_oneof![Just("time < "), Just("ip = "), Just("api = "), Just("geo.region != "), Just("data.path = "), Just("consumer = ")],
        noise in "[ -~]{0,40}",
    ) {
        let _ = format!("{prefix}{noise}").parse::<TypedCaveat>();
    }
}

#[test]
fn error_messages_escape_control_characters() {
    let err = CaveatError::Unknown {
        raw: "x\u{1b}[2J\u{7f}\u{9b}y".into(),
    };
    let shown = err.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(shown.contains(r"\u{1b}"));
}
