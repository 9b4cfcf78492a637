//! The catalogue on Onezone's own examples: text and JSON round trips, malformed rows, and an
//! evaluation table per kind (passes, fails, fails on missing context).

use std::net::IpAddr;

use serde_json::json;

use super::*;

/// Onezone's examples (spec §4.1) with their JSON forms.
fn examples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "time < 1571147494",
            json!({"type":"time","validUntil":1571147494}),
        ),
        (
            "ip = 189.34.15.0/24|167.73.12.17/32",
            json!({"type":"ip","whitelist":["189.34.15.0/24","167.73.12.17/32"]}),
        ),
        (
            "ip = 2001:db8::/32|::1/128",
            json!({"type":"ip","whitelist":["2001:db8::/32","::1/128"]}),
        ),
        ("asn = 631|632", json!({"type":"asn","whitelist":[631,632]})),
        (
            "geo.country = PL|DE",
            json!({"type":"geo.country","filter":"whitelist","list":["PL","DE"]}),
        ),
        (
            "geo.country != PL|DE",
            json!({"type":"geo.country","filter":"blacklist","list":["PL","DE"]}),
        ),
        (
            "geo.region = Asia|EU",
            json!({"type":"geo.region","filter":"whitelist","list":["Asia","EU"]}),
        ),
        (
            "geo.region != Europe|NorthAmerica",
            json!({"type":"geo.region","filter":"blacklist","list":["Europe","NorthAmerica"]}),
        ),
        (
            "service = ozw-onezone|opw-*|opp-b5c2",
            json!({"type":"service","whitelist":["ozw-onezone","opw-*","opp-b5c2"]}),
        ),
        (
            "consumer = usr-a|grp-b|prv-*",
            json!({"type":"consumer","whitelist":["usr-a","grp-b","prv-*"]}),
        ),
        (
            "interface = rest",
            json!({"type":"interface","interface":"rest"}),
        ),
        (
            "interface = oneclient",
            json!({"type":"interface","interface":"oneclient"}),
        ),
        (
            "interface = graphsync",
            json!({"type":"interface","interface":"graphsync"}),
        ),
        (
            "api = ozw/all/user.*.*:*|all/get/space.*.*:*",
            json!({"type":"api","whitelist":["ozw/all/user.*.*:*","all/get/space.*.*:*"]}),
        ),
        (
            "api = opw/create/file.f1.content:private|all/all/group.g1.users,children:auto",
            json!({"type":"api","whitelist":["opw/create/file.f1.content:private","all/all/group.g1.users,children:auto"]}),
        ),
        ("data.readonly", json!({"type":"data.readonly"})),
        (
            "data.path = L2QxYjM4OGY3Yzc=|L3NwYWNlL2Rpci9maWxl",
            json!({"type":"data.path","whitelist":["L2QxYjM4OGY3Yzc=","L3NwYWNlL2Rpci9maWxl"]}),
        ),
        (
            "data.objectid = 0000000000208CA8677569642336303265|00000000005CF4706775",
            json!({"type":"data.objectid","whitelist":["0000000000208CA8677569642336303265","00000000005CF4706775"]}),
        ),
        (
            "authorization = none",
            json!({"type":"scope","scope":"identityToken"}),
        ),
    ]
}

#[test]
fn text_round_trips_byte_for_byte() {
    for (text, _) in examples() {
        let caveat: TypedCaveat = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(caveat.to_string(), text);
    }
}

#[test]
fn json_round_trips_and_matches_text() {
    for (text, expected) in examples() {
        let caveat: TypedCaveat = text.parse().unwrap();
        assert_eq!(caveat.to_json(), expected, "{text}");
        // Written as Onezone writes it: `type` first, then the members in its order.
        assert_eq!(caveat.to_json().to_string(), expected.to_string(), "{text}");
        assert!(expected.to_string().starts_with(r#"{"type":"#));
        assert_eq!(TypedCaveat::from_json(&expected).unwrap(), caveat, "{text}");
        let via_serde: TypedCaveat = serde_json::from_str(&expected.to_string()).unwrap();
        assert_eq!(via_serde, caveat);
        assert_eq!(serde_json::to_value(&caveat).unwrap(), expected);
    }
}

#[test]
fn json_inputs_onezone_accepts() {
    // A bare address in JSON is one host and prints with its mask.
    let bare = json!({"type":"ip","whitelist":["167.73.12.17"]});
    assert_eq!(
        TypedCaveat::from_json(&bare).unwrap().to_string(),
        "ip = 167.73.12.17/32"
    );
    let legacy = json!({"scope":"identityToken"});
    assert_eq!(
        TypedCaveat::from_json(&legacy).unwrap(),
        TypedCaveat::AuthorizationNone
    );
    // The data path is decoded: the spec's example is the space root `/d1b388f7c7`.
    let path: TypedCaveat = "data.path = L2QxYjM4OGY3Yzc=".parse().unwrap();
    let TypedCaveat::DataPath(p) = path else {
        panic!()
    };
    assert_eq!(p.whitelist(), ["/d1b388f7c7"]);
    assert!(p.allows("/d1b388f7c7/dir/file") && p.allows("/d1b388f7c7"));
    assert!(!p.allows("/d1b388f7c7x"));
}

macro_rules! rejects_text {
    ($($name:ident: $text:expr => $err:expr,)*) => {$(
        #[test]
        fn $name() {
            assert_eq!($text.parse::<TypedCaveat>(), Err($err));
        }
    )*};
}

rejects_text! {
    text_unknown_kind: "colour = blue" => ParseCaveatError::Unknown,
    text_no_operator: "time" => ParseCaveatError::Unknown,
    text_wrong_operator: "time > 5" => ParseCaveatError::Unknown,
    text_double_space: "time  < 5" => ParseCaveatError::Unknown,
    text_time_not_number: "time < soon" => ParseCaveatError::Malformed,
    text_time_leading_zero: "time < 0123" => ParseCaveatError::Malformed,
    text_time_negative: "time < -1" => ParseCaveatError::Malformed,
    text_time_overflow: "time < 99999999999999999999999" => ParseCaveatError::Malformed,
    text_ip_empty: "ip = " => ParseCaveatError::EmptyList,
    text_ip_empty_entry: "ip = 1.2.3.4/32|" => ParseCaveatError::Malformed,
    text_ip_bad_mask: "ip = 1.2.3.4/33" => ParseCaveatError::Malformed,
    text_ip_not_address: "ip = example.org" => ParseCaveatError::Malformed,
    text_asn_not_number: "asn = AS631" => ParseCaveatError::Malformed,
    text_country_lower: "geo.country = pl" => ParseCaveatError::Malformed,
    text_country_three_letters: "geo.country = POL" => ParseCaveatError::Malformed,
    text_region_unknown: "geo.region = Atlantis" => ParseCaveatError::Malformed,
    text_geo_bad_operator: "geo.country < PL" => ParseCaveatError::Unknown,
    text_consumer_bad_prefix: "consumer = usx-a" => ParseCaveatError::Malformed,
    text_consumer_empty_id: "consumer = usr-" => ParseCaveatError::Malformed,
    text_service_bad_prefix: "service = oz-onezone" => ParseCaveatError::Malformed,
    text_interface_unknown: "interface = soap" => ParseCaveatError::Malformed,
    text_api_bad_service: "api = ozz/all/user.*.*:*" => ParseCaveatError::Malformed,
    text_api_bad_operation: "api = ozw/list/user.*.*:*" => ParseCaveatError::Malformed,
    text_api_no_scope: "api = ozw/all/user.*.*" => ParseCaveatError::Malformed,
    text_api_short_gri: "api = ozw/all/user.*:*" => ParseCaveatError::Malformed,
    text_path_not_base64: "data.path = ***" => ParseCaveatError::Malformed,
    text_path_unpadded: "data.path = L2QxYjM4OGY3Yzc" => ParseCaveatError::Malformed,
    text_path_trailing_slash: "data.path = L3NwYWNlLw==" => ParseCaveatError::Malformed,
    text_path_relative: "data.path = c3BhY2U=" => ParseCaveatError::Malformed,
    text_path_dot_dot: "data.path = L3NwYWNlLy4u" => ParseCaveatError::Malformed,
    text_objectid_not_hex: "data.objectid = xyz" => ParseCaveatError::Malformed,
    text_readonly_with_value: "data.readonly = true" => ParseCaveatError::Unknown,
    text_authorization_other: "authorization = all" => ParseCaveatError::Unknown,
}

#[test]
fn json_rejects() {
    let cases = [
        (json!({"type":"time"}), ParseCaveatError::Malformed),
        (
            json!({"type":"time","validUntil":-1}),
            ParseCaveatError::Malformed,
        ),
        (
            json!({"type":"ip","whitelist":[]}),
            ParseCaveatError::EmptyList,
        ),
        (
            json!({"type":"asn","whitelist":[4294967296u64]}),
            ParseCaveatError::Malformed,
        ),
        (
            json!({"type":"geo.country","filter":"greylist","list":["PL"]}),
            ParseCaveatError::Malformed,
        ),
        (json!({"type":"colour"}), ParseCaveatError::Unknown),
        (json!({"type":5}), ParseCaveatError::Malformed),
        (json!([1]), ParseCaveatError::Malformed),
        (json!({"scope":"everything"}), ParseCaveatError::Unknown),
    ];
    for (value, err) in cases {
        assert_eq!(TypedCaveat::from_json(&value), Err(err), "{value}");
    }
}

#[test]
fn constructors_refuse_empty_and_invalid_lists() {
    assert_eq!(Ip::new(vec![]), Err(ParseCaveatError::EmptyList));
    assert_eq!(
        DataPath::new(vec!["relative".into()]),
        Err(ParseCaveatError::Malformed)
    );
    assert_eq!(
        DataObjectId::new(vec!["zz".into()]),
        Err(ParseCaveatError::Malformed)
    );
}

struct FakeGeo;

impl Resolver for FakeGeo {
    fn asn(&self, ip: IpAddr) -> Option<u32> {
        (ip == ip_of("149.156.1.1")).then_some(631)
    }
    fn country(&self, ip: IpAddr) -> Option<Country> {
        (ip == ip_of("149.156.1.1")).then(|| Country::new("PL").unwrap())
    }
    fn regions(&self, ip: IpAddr) -> Vec<Region> {
        if ip == ip_of("149.156.1.1") {
            vec![Region::Europe, Region::Eu]
        } else {
            vec![]
        }
    }
}

fn ip_of(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn holds(text: &str, ctx: &Context<'_>) -> bool {
    text.parse::<TypedCaveat>().unwrap().holds(ctx)
}

#[test]
fn evaluation_table() {
    let geo = FakeGeo;
    let user = ConsumerIdentity {
        kind: ConsumerKind::User,
        id: "u1".into(),
        groups: vec!["g1".into()],
    };
    let loner = ConsumerIdentity {
        kind: ConsumerKind::User,
        id: "u2".into(),
        groups: vec![],
    };
    let provider = ConsumerIdentity {
        kind: ConsumerKind::Provider,
        id: "p1".into(),
        groups: vec![],
    };
    let op = ApiOperation {
        service: ServiceKind::OzWorker,
        operation: Operation::Get,
        gri: Gri {
            kind: "user".into(),
            id: "u1".into(),
            aspect: "instance".into(),
            scope: "private".into(),
        },
    };
    let base = Context::at(1000);
    let polish = base.with_peer_ip(ip_of("149.156.1.1")).with_resolver(&geo);
    let elsewhere = base.with_peer_ip(ip_of("10.0.0.1")).with_resolver(&geo);
    let rows: Vec<(&str, Context<'_>, bool)> = vec![
        ("time < 1001", base, true),
        ("time < 1000", base, false),
        ("ip = 149.156.0.0/16", polish, true),
        ("ip = 149.157.0.0/16", polish, false),
        ("ip = 149.156.0.0/16", base, false), // no peer address
        ("asn = 630|631", polish, true),
        ("asn = 632", polish, false),
        ("asn = 631", base.with_peer_ip(ip_of("149.156.1.1")), false), // no resolver
        ("geo.country = PL|DE", polish, true),
        ("geo.country = DE", polish, false),
        ("geo.country != DE", polish, true),
        ("geo.country != PL", polish, false),
        ("geo.country != DE", elsewhere, false), // unknown country fails either way
        ("geo.region = EU", polish, true),
        ("geo.region = Asia", polish, false),
        ("geo.region != Asia", polish, true),
        ("geo.region != Europe", polish, false),
        ("geo.region != Asia", elsewhere, false),
        ("consumer = usr-u1", base.with_consumer(&user), true),
        ("consumer = usr-*", base.with_consumer(&user), true),
        ("consumer = usr-u9", base.with_consumer(&user), false),
        ("consumer = grp-g1", base.with_consumer(&user), true),
        ("consumer = grp-g2", base.with_consumer(&user), false),
        ("consumer = grp-*", base.with_consumer(&user), true),
        ("consumer = grp-*", base.with_consumer(&loner), false),
        ("consumer = prv-p1", base.with_consumer(&provider), true),
        ("consumer = usr-p1", base.with_consumer(&provider), false),
        ("consumer = usr-*", base, false), // no consumer
        ("service = ozw-onezone", base, true),
        ("service = ozw-*", base, true),
        ("service = opw-*", base, false),
        (
            "service = opw-p1",
            base.with_service(ServiceKind::OpWorker, "p1"),
            true,
        ),
        (
            "interface = rest",
            base.with_interface(InterfaceKind::Rest),
            true,
        ),
        (
            "interface = rest",
            base.with_interface(InterfaceKind::Graphsync),
            false,
        ),
        ("interface = rest", base, false), // unknown interface
        (
            "interface = oneclient",
            base.with_interface(InterfaceKind::Oneclient),
            false,
        ),
        (
            "interface = oneclient",
            base.with_interface(InterfaceKind::Oneclient)
                .allowing_data_access(),
            true,
        ),
        ("api = ozw/get/user.*.*:*", base.with_operation(&op), true),
        (
            "api = all/all/user.u1.instance:private",
            base.with_operation(&op),
            true,
        ),
        (
            "api = ozw/update/user.*.*:*",
            base.with_operation(&op),
            false,
        ),
        ("api = opw/all/*.*.*:*", base.with_operation(&op), false),
        ("api = ozw/get/space.*.*:*", base, true), // lazy: no operation yet
        ("data.readonly", base, false),
        ("data.readonly", base.allowing_data_access(), true),
        (
            "data.path = L2QxYjM4OGY3Yzc=",
            base.allowing_data_access(),
            true,
        ),
        ("data.objectid = 00AB", base, false),
        ("authorization = none", base, false),
        ("authorization = none", base.in_identity_scope(), true),
    ];
    for (text, ctx, expected) in rows {
        assert_eq!(holds(text, &ctx), expected, "{text} in {ctx:?}");
    }
}

#[test]
fn token_kind_support_follows_the_compatibility_table() {
    let access_only = [
        "service = ozw-*",
        "api = all/all/*.*.*:*",
        "data.readonly",
        "data.path = L2E=",
        "data.objectid = 00",
    ];
    let not_invite = ["interface = rest"];
    let everyone = [
        "time < 1",
        "ip = 1.2.3.4/32",
        "asn = 1",
        "geo.country = PL",
        "geo.region = EU",
        "consumer = usr-*",
    ];
    for text in access_only {
        let c: TypedCaveat = text.parse().unwrap();
        assert!(
            c.supported_by(TokenKind::Access)
                && !c.supported_by(TokenKind::Identity)
                && !c.supported_by(TokenKind::Invite),
            "{text}"
        );
    }
    for text in not_invite {
        let c: TypedCaveat = text.parse().unwrap();
        assert!(
            c.supported_by(TokenKind::Access)
                && c.supported_by(TokenKind::Identity)
                && !c.supported_by(TokenKind::Invite),
            "{text}"
        );
    }
    for text in everyone {
        let c: TypedCaveat = text.parse().unwrap();
        assert!(
            [TokenKind::Access, TokenKind::Identity, TokenKind::Invite]
                .into_iter()
                .all(|k| c.supported_by(k)),
            "{text}"
        );
    }
}
