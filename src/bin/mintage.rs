//! `mintage`: mint, attenuate, bind, inspect and verify macaroons from the shell.
//!
//! Exit status: 0 on success; 1 when a token does not verify or an operation fails; 2 on a
//! usage error or a token that cannot be read. Errors go to standard error, prefixed
//! `mintage: `. Root secrets are never printed.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::{self, Read as _, Write as _};
use std::marker::PhantomData;
use std::net::IpAddr;
use std::process::ExitCode;
use std::str::FromStr;

use clap::builder::{
    NonEmptyStringValueParser, PossibleValue, PossibleValuesParser, TypedValueParser,
};
use clap::error::ErrorKind;
use clap::{
    ArgMatches, Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum,
};
use mintage::caveat::{
    CaveatError, Clock as _, ConsumerIdentity, ConsumerKind, ConsumerSpec, Context, InterfaceKind,
    ParseCaveatError, ServiceKind, ServiceSpec, SystemClock, TokenKind, TypedCaveat, TypedVerifier,
};
use mintage::format::{Armour, Decoded};
use mintage::token::{Subject, TokenIdentifier};
use mintage::{Format, Limits, Macaroon, RootKey};
use serde_json::{Value, json};
use zeroize::Zeroizing;

const LONG_ABOUT: &str = "\
Mint, attenuate, bind, inspect and verify macaroons, byte-compatible with libmacaroons.

Every TOKEN argument may be `-` to read that token from standard input (at most one per
command). Tokens are read in any format: V1 or V2 base64 (either alphabet, padded or not,
whitespace allowed), V2 JSON, V1 JSON, Onedata's base62 armour, or raw V2 bytes on stdin.
Commands that print a changed token print it in the format and armour it came in.

Example:
  $ mintage mint --secret 'our root secret' --location onezone --id user-42 \\
        --caveat 'time < 2000000000' > token
  $ mintage inspect - < token
  $ mintage attenuate - --caveat 'op = read' < token > narrower
  $ mintage verify --secret 'our root secret' --allow 'op = read' - < narrower
  valid

`verify` checks Onezone's typed caveats (`time < N`, `ip = ...`, `service = ...`,
`consumer = ...`, `interface = ...`, `data.*`, ...) against the request described by its
flags (--now, --peer-ip, --service, --consumer, ...); any other caveat must be allowed
exactly with --allow.

Exit status: 0 on success; 1 when a token does not verify or an operation fails; 2 on a
usage error or a token that cannot be read.

Secrets given on the command line are visible to other local users (ps, shell history);
prefer running this on a machine you trust. mintage never prints a root secret. A token's
signature, which `inspect` prints, is a bearer credential: whoever holds it can present and
extend the token.";

#[derive(Parser)]
#[command(
    name = "mintage",
    version,
    about = "Mint, attenuate, bind, inspect and verify macaroons (libmacaroons-compatible)",
    long_about = LONG_ABOUT
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(verbatim_doc_comment)]
    /// Mint a new macaroon and print it
    ///
    /// Caveats (`--caveat` and `--third-party`) are added in the order given on the command
    /// line. Example:
    ///
    ///   mintage mint --secret s3cret --location onezone --id user-42 --caveat 'time < 2000000000'
    Mint(MintArgs),
    #[command(verbatim_doc_comment)]
    /// Bind a discharge macaroon to a root macaroon and print the bound discharge
    ///
    /// The bound discharge is printed in the format (and armour) the discharge came in. Send it
    /// along with ROOT; bind every discharge, including those for caveats inside other
    /// discharges, to the top-level macaroon. Example:
    ///
    ///   mintage bind "$ROOT" "$DISCHARGE" > bound
    Bind(BindArgs),
    #[command(verbatim_doc_comment)]
    /// Add first-party caveats to a macaroon and print it
    ///
    /// Anyone holding a token can attenuate it; no secret is needed. The result is printed in
    /// the format (and armour) the token came in. Example:
    ///
    ///   mintage attenuate "$TOKEN" --caveat 'op = read' --caveat 'time < 2000000000'
    Attenuate(AttenuateArgs),
    #[command(verbatim_doc_comment)]
    /// Show what a macaroon contains (without verifying it)
    ///
    /// Prints the format detected and its armour, the location, the identifier (as text when
    /// it is printable UTF-8, else as hex, and says which), each caveat (cid, vid as hex, cl,
    /// and for a first-party caveat from Onezone's catalogue its typed JSON form) and the
    /// signature as hex. Nothing shown is authenticated until `verify` accepts the token.
    /// Example:
    ///
    ///   mintage inspect --json - < token
    Inspect(InspectArgs),
    #[command(verbatim_doc_comment)]
    /// Verify a macaroon against its root secret and the predicates this request satisfies
    ///
    /// Prints `valid` and exits 0 when the token verifies; exits 1 with the reason on
    /// standard error when it does not, e.g.
    ///
    ///   token caveat unverified: {"type":"time","validUntil":1496140144}
    ///   token caveat unknown: <the caveat>
    ///
    /// and exits 2 when the token, a discharge or a flag value cannot be read.
    ///
    /// A first-party caveat that equals an `--allow` exactly is satisfied. Any other must be
    /// one of Onezone's typed caveats and hold for the request the context flags describe
    /// (time, peer, service, consumer, interface, data access, token kind). `asn` and `geo.*`
    /// caveats never hold here (mintage has no network database); `api` caveats are not
    /// checked, as no operation is known (Onezone checks them per operation). Example:
    ///
    ///   mintage verify --secret s3cret --peer-ip 10.1.2.3 --allow 'op = read' \
    ///       --discharge "$BOUND" "$TOKEN"
    Verify(VerifyArgs),
}

#[derive(Args)]
#[group(required = true, multiple = false)]
struct SecretArgs {
    /// The root secret, as text (its UTF-8 bytes); the key is derived from it as libmacaroons
    /// derives it
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    secret: Option<String>,
    /// The root secret, as hex bytes (for binary secrets)
    #[arg(long, value_name = "HEX")]
    secret_hex: Option<String>,
}

#[derive(Args)]
#[group(required = true, multiple = false)]
struct IdArgs {
    /// The identifier, as text
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    id: Option<String>,
    /// The identifier, as hex bytes (for binary identifiers)
    #[arg(long, value_name = "HEX")]
    id_hex: Option<String>,
}

#[derive(Args)]
struct MintArgs {
    #[command(flatten)]
    secret: SecretArgs,
    /// The location hint (unsigned; may be empty)
    #[arg(long, value_name = "L", allow_hyphen_values = true)]
    location: String,
    #[command(flatten)]
    id: IdArgs,
    /// Add a first-party caveat (a predicate the verifier must satisfy); repeatable
    #[arg(long, value_name = "C", allow_hyphen_values = true)]
    caveat: Vec<String>,
    /// Add a third-party caveat; repeatable. LOCATION is the third party's location hint,
    /// SECRET_HEX the third party's root secret in hex (the discharge is minted with it), and
    /// CAVEAT_ID the identifier the discharge must carry. Split on the first two commas, so
    /// CAVEAT_ID may contain commas but LOCATION may not
    #[arg(long, value_name = "LOCATION,SECRET_HEX,CAVEAT_ID")]
    third_party: Vec<String>,
    /// The wire format to print: `v1` (libmacaroons format 1, text packets), `v2` (format 2,
    /// compact binary), both base64url; `v2j` (V2 JSON, also `v2json`) or `v1j` (legacy V1
    /// JSON, also `v1json`)
    #[arg(
        long,
        value_parser = ByName::<Format>::new(Format::ALL.map(Format::name)),
        default_value_t = Format::V1
    )]
    format: Format,
    /// Text armour around the printed token: `none` (base64url, or the JSON text) or `base62`
    /// (Onedata's escaping over base64url, for v1 and v2 only)
    #[arg(
        long,
        alias = "armour",
        value_parser = ByName::<Armour>::new([Armour::None, Armour::Base62].map(Armour::name)),
        default_value_t = Armour::None
    )]
    armor: Armour,
}

#[derive(Args)]
struct BindArgs {
    /// The root (top-level) macaroon the discharge is for, or `-` for stdin
    #[arg(value_name = "ROOT")]
    root: String,
    /// The discharge macaroon to bind, or `-` for stdin
    #[arg(value_name = "DISCHARGE")]
    discharge: String,
}

#[derive(Args)]
struct AttenuateArgs {
    /// The macaroon to attenuate, or `-` for stdin
    #[arg(value_name = "TOKEN")]
    token: String,
    /// A first-party caveat to add; repeatable, added in the order given
    #[arg(long, value_name = "C", required = true, allow_hyphen_values = true)]
    caveat: Vec<String>,
}

#[derive(Args)]
struct InspectArgs {
    /// The macaroon to inspect, or `-` for stdin
    #[arg(value_name = "TOKEN")]
    token: String,
    /// Print one line of JSON with the fields format, armour, location, identifier,
    /// caveats (each with cid, vid, cl, typed) and signature (hex). An identifier or cid that
    /// is not printable UTF-8 is {"hex": "..."}; vid is hex, or null for a first-party caveat;
    /// cl is null when empty; typed is the caveat's Onezone JSON form, e.g.
    /// {"type":"time","validUntil":1496140144}, or null when it is not in Onezone's catalogue
    /// or is a third-party caveat
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct VerifyArgs {
    #[command(flatten)]
    secret: SecretArgs,
    /// A first-party caveat this request satisfies (exact match, checked before Onezone's
    /// catalogue); repeatable
    #[arg(long, value_name = "C", allow_hyphen_values = true)]
    allow: Vec<String>,
    /// A discharge macaroon, already bound to TOKEN with `mintage bind`, or `-` for stdin;
    /// repeatable
    #[arg(long, value_name = "TOKEN")]
    discharge: Vec<String>,
    /// The macaroon to verify, or `-` for stdin
    #[arg(value_name = "TOKEN")]
    token: String,
    #[command(flatten)]
    context: ContextArgs,
}

/// The request a token is verified for, as Onezone's typed caveats see it.
#[derive(Args)]
#[command(next_help_heading = "Request context (for Onezone's typed caveats)")]
struct ContextArgs {
    /// The time of the request, in seconds since the Unix epoch (default: the system clock);
    /// `time < N` holds while it is before N
    #[arg(long, value_name = "SECONDS")]
    now: Option<u64>,
    /// The peer's address (IPv4 or IPv6); `ip = ...` caveats fail without it
    #[arg(long, value_name = "IP")]
    peer_ip: Option<IpAddr>,
    /// The service verifying the token, as KIND-ID with KIND one of ozw, ozp, opw, opp (e.g.
    /// `opw-<provider id>`), for `service = ...` caveats
    #[arg(
        long,
        value_name = "KIND-ID",
        value_parser = parse_service,
        default_value = "ozw-onezone"
    )]
    service: ServiceArg,
    /// The party consuming the token: `usr-<user id>` or `prv-<provider id>`, for
    /// `consumer = ...` caveats, which fail without it
    #[arg(long, value_name = "usr-ID|prv-ID", value_parser = parse_consumer)]
    consumer: Option<ConsumerArg>,
    /// A group the consumer user is an effective member of, matching `grp-<id>` entries of
    /// `consumer = ...`; repeatable; needs a `usr-` consumer
    #[arg(
        long = "group",
        value_name = "GROUP_ID",
        requires = "consumer",
        value_parser = NonEmptyStringValueParser::new()
    )]
    groups: Vec<String>,
    /// The interface the request came through, for `interface = ...` caveats, which fail
    /// without it (`oneclient` also needs --allow-data-access)
    #[arg(
        long,
        value_name = "INTERFACE",
        value_parser = ByName::<InterfaceKind>::new(
            [InterfaceKind::Rest, InterfaceKind::Oneclient, InterfaceKind::Graphsync]
                .map(InterfaceKind::as_str)
        )
    )]
    interface: Option<InterfaceKind>,
    /// The request accesses data: lets the data-access caveats (`data.readonly`, `data.path`,
    /// `data.objectid`, `interface = oneclient`) hold; they fail without it
    #[arg(long)]
    allow_data_access: bool,
    /// The kind of token verified, which decides which caveats it may carry (e.g. an invite
    /// token may not carry `interface`, `service`, `api` or `data.*` caveats)
    #[arg(long, value_enum, value_name = "KIND", default_value_t = TokenKindArg::Access)]
    token_kind: TokenKindArg,
    /// Verify in identity-token scope: the legacy `authorization = none` caveat holds only
    /// here
    #[arg(long)]
    identity_scope: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum TokenKindArg {
    /// An access token: every caveat kind is allowed
    Access,
    /// An identity token
    Identity,
    /// An invite token
    Invite,
}

impl TokenKindArg {
    fn kind(self) -> TokenKind {
        match self {
            Self::Access => TokenKind::Access,
            Self::Identity => TokenKind::Identity,
            Self::Invite => TokenKind::Invite,
        }
    }
}

/// `--service KIND-ID`.
#[derive(Clone)]
struct ServiceArg {
    kind: ServiceKind,
    id: String,
}

/// `--consumer usr-ID|prv-ID`.
#[derive(Clone)]
struct ConsumerArg {
    kind: ConsumerKind,
    id: String,
}

fn parse_service(text: &str) -> Result<ServiceArg, String> {
    let spec: ServiceSpec = text.parse().map_err(|_| {
        "expected KIND-ID with KIND one of ozw, ozp, opw, opp (e.g. ozw-onezone, opw-<id>)"
            .to_owned()
    })?;
    let id = spec
        .id
        .ok_or_else(|| "give the service's own id, not `*`".to_owned())?;
    Ok(ServiceArg {
        kind: spec.kind,
        id,
    })
}

fn parse_consumer(text: &str) -> Result<ConsumerArg, String> {
    let spec: ConsumerSpec = text
        .parse()
        .map_err(|_| "expected usr-<user id> or prv-<provider id>".to_owned())?;
    if spec.kind == ConsumerKind::Group {
        return Err("a group never consumes a token: give usr-ID with --group GROUP_ID".into());
    }
    let id = spec
        .id
        .ok_or_else(|| "give the consumer's own id, not `*`".to_owned())?;
    Ok(ConsumerArg {
        kind: spec.kind,
        id,
    })
}

/// Reads a value with the library type's own `FromStr`, offering `names` (what the type
/// prints) as the possible values in help, completions and errors.
struct ByName<T> {
    names: Vec<&'static str>,
    parsed: PhantomData<fn() -> T>,
}

impl<T> ByName<T> {
    fn new(names: impl IntoIterator<Item = &'static str>) -> Self {
        Self {
            names: names.into_iter().collect(),
            parsed: PhantomData,
        }
    }
}

impl<T> Clone for ByName<T> {
    fn clone(&self) -> Self {
        Self::new(self.names.iter().copied())
    }
}

impl<T> TypedValueParser for ByName<T>
where
    T: FromStr + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        if let Some(parsed) = value.to_str().and_then(|text| text.parse().ok()) {
            return Ok(parsed);
        }
        // Not a name the type reads: let clap word the error, listing the names.
        PossibleValuesParser::new(self.names.iter().copied()).parse_ref(cmd, arg, value)?;
        Err(clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().copied().map(PossibleValue::new)))
    }
}

/// Why a command failed: the exit status and the message for standard error.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A usage error or unreadable input: exit 2.
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// A verification or operation failure: exit 1.
    fn failed(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli, &matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                let _ = writeln!(io::stderr().lock(), "mintage: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli, matches: &ArgMatches) -> Result<(), Failure> {
    let mut input = Input::default();
    match cli.command {
        Command::Mint(args) => mint(&args, matches.subcommand_matches("mint")),
        Command::Bind(args) => bind(&args, &mut input),
        Command::Attenuate(args) => attenuate(&args, &mut input),
        Command::Inspect(args) => inspect(&args, &mut input),
        Command::Verify(args) => verify(&args, &mut input),
    }
}

/// One step of minting, in command-line order.
enum Step<'a> {
    FirstParty(&'a str),
    ThirdParty(&'a str),
}

fn mint(args: &MintArgs, matches: Option<&ArgMatches>) -> Result<(), Failure> {
    let format = args.format;
    if args.armor == Armour::Base62 && matches!(format, Format::V2Json | Format::V1Json) {
        return Err(Failure::usage(
            "--armor base62 applies only to --format v1 and v2",
        ));
    }
    let key = root_key(&args.secret)?;
    let identifier: Vec<u8> = match (&args.id.id, &args.id.id_hex) {
        (Some(id), _) => id.as_bytes().to_vec(),
        (None, Some(hex)) => {
            from_hex(hex).ok_or_else(|| Failure::usage("--id-hex is not valid hex"))?
        }
        (None, None) => return Err(Failure::usage("give --id or --id-hex")),
    };
    let mut macaroon = Macaroon::mint(&key, &args.location, &identifier)
        .map_err(|e| Failure::failed(format!("cannot mint: {e}")))?;

    let first = args.caveat.iter().map(|c| Step::FirstParty(c.as_str()));
    let third = args
        .third_party
        .iter()
        .map(|t| Step::ThirdParty(t.as_str()));
    let first_at = positions(matches, "caveat", args.caveat.len(), 0);
    let third_at = positions(
        matches,
        "third_party",
        args.third_party.len(),
        usize::MAX / 2,
    );
    let mut steps: Vec<(usize, Step<'_>)> = first_at
        .into_iter()
        .zip(first)
        .chain(third_at.into_iter().zip(third))
        .collect();
    steps.sort_by_key(|(at, _)| *at);

    for (_, step) in steps {
        match step {
            Step::FirstParty(predicate) => macaroon
                .add_first_party(predicate)
                .map_err(|e| Failure::failed(format!("cannot add caveat: {e}")))?,
            Step::ThirdParty(spec) => {
                let (location, caveat_key, caveat_id) = third_party(spec)?;
                macaroon
                    .add_third_party(location, &caveat_key, caveat_id)
                    .map_err(|e| Failure::failed(format!("cannot add third-party caveat: {e}")))?;
            }
        }
    }
    let text = encode(&macaroon, format, args.armor == Armour::Base62)?;
    emit(&text)
}

/// Where each value of a repeatable option stood on the command line, so caveats can be added
/// in the order given. Falls back to list order (first-party caveats first) if clap cannot
/// say.
fn positions(
    matches: Option<&ArgMatches>,
    id: &str,
    count: usize,
    fallback_base: usize,
) -> Vec<usize> {
    let found: Vec<usize> = matches
        .and_then(|m| m.indices_of(id))
        .map(Iterator::collect)
        .unwrap_or_default();
    if found.len() == count {
        found
    } else {
        (0..count)
            .map(|i| fallback_base.saturating_add(i))
            .collect()
    }
}

/// Parses `LOCATION,SECRET_HEX,CAVEAT_ID`, splitting on the first two commas. Error messages
/// never echo the value: it holds a secret.
fn third_party(spec: &str) -> Result<(&str, RootKey, &str), Failure> {
    let mut parts = spec.splitn(3, ',');
    let (Some(location), Some(secret_hex), Some(caveat_id)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(Failure::usage(
            "--third-party expects LOCATION,SECRET_HEX,CAVEAT_ID",
        ));
    };
    let secret = from_hex(secret_hex)
        .map(Zeroizing::new)
        .ok_or_else(|| Failure::usage("--third-party: SECRET_HEX is not valid hex"))?;
    Ok((location, RootKey::new(&*secret), caveat_id))
}

fn bind(args: &BindArgs, input: &mut Input) -> Result<(), Failure> {
    let root = input.token(&args.root, "root token")?;
    let discharge = input.token(&args.discharge, "discharge")?;
    let wanted = discharge.macaroon.identifier();
    let expected = root
        .macaroon
        .caveats()
        .iter()
        .any(|c| c.is_third_party() && c.id() == wanted);
    if !expected {
        let _ = writeln!(
            io::stderr().lock(),
            "mintage: note: ROOT itself has no third-party caveat with this discharge's \
             identifier (expected only when it discharges a caveat of another discharge)"
        );
    }
    let bound = root.macaroon.bind(&discharge.macaroon);
    let text = encode(&bound, discharge.format, discharge.armour == Armour::Base62)?;
    emit(&text)
}

fn attenuate(args: &AttenuateArgs, input: &mut Input) -> Result<(), Failure> {
    let decoded = input.token(&args.token, "token")?;
    let mut macaroon = decoded.macaroon;
    for predicate in &args.caveat {
        macaroon
            .add_first_party(predicate)
            .map_err(|e| Failure::failed(format!("cannot add caveat: {e}")))?;
    }
    let text = encode(&macaroon, decoded.format, decoded.armour == Armour::Base62)?;
    emit(&text)
}

fn inspect(args: &InspectArgs, input: &mut Input) -> Result<(), Failure> {
    let decoded = input.token(&args.token, "token")?;
    let m = &decoded.macaroon;
    let signature = to_hex(m.signature().as_bytes());
    if args.json {
        let caveats: Vec<Value> = m
            .caveats()
            .iter()
            .map(|c| {
                json!({
                    "cid": bytes_json(c.id()),
                    "vid": c.verification_id().map(to_hex),
                    "cl": if c.location().is_empty() { None } else { Some(c.location()) },
                    "typed": typed(c).ok().map(|t| t.to_json()),
                })
            })
            .collect();
        let value = json!({
            "format": decoded.format.name(),
            "armour": decoded.armour.name(),
            "location": m.location(),
            "identifier": bytes_json(m.identifier()),
            "token": onezone_token(m).map(|t| t.to_json()),
            "caveats": caveats,
            "signature": signature,
        });
        return emit(&value.to_string());
    }
    let mut out = String::new();
    let _ = writeln!(out, "format: {}", decoded.format);
    let _ = writeln!(out, "armour: {}", decoded.armour);
    let _ = writeln!(out, "location: {}", printable(m.location()));
    let _ = writeln!(out, "identifier {}", bytes_text(m.identifier()));
    if let Some(token) = onezone_token(m) {
        let _ = writeln!(
            out,
            "onezone token: {}",
            printable(&token.to_json().to_string())
        );
    }
    let _ = writeln!(out, "caveats: {}", m.caveats().len());
    for (i, c) in m.caveats().iter().enumerate() {
        let kind = if c.is_third_party() {
            "third-party"
        } else {
            "first-party"
        };
        let _ = writeln!(out, "caveat {i} ({kind}):");
        let _ = writeln!(out, "  cid {}", bytes_text(c.id()));
        if let Some(vid) = c.verification_id() {
            let _ = writeln!(out, "  vid (hex): {}", to_hex(vid));
        }
        if c.is_third_party() || !c.location().is_empty() {
            let _ = writeln!(out, "  cl: {}", printable(c.location()));
        }
        match typed(c) {
            Ok(caveat) => {
                let _ = writeln!(out, "  typed: {}", describe(&caveat));
            }
            // A known caveat kind with a bad body: `verify` will call it unknown.
            Err(Some(e)) if e != ParseCaveatError::Unknown => {
                let _ = writeln!(out, "  typed: not in the catalogue ({e})");
            }
            Err(_) => {}
        }
    }
    let _ = write!(out, "signature (hex): {signature}");
    emit(&out)
}

/// The Onezone token an identifier describes, when it is a v2 identifier
/// (`2/<nmd|tmp-N>/<subject>/<type>/<id>`). Legacy identifiers are any text, so they are not
/// claimed here.
fn onezone_token(m: &Macaroon) -> Option<OnezoneToken> {
    let id = TokenIdentifier::parse(m.identifier()).ok()?;
    (!id.is_legacy()).then_some(OnezoneToken(id))
}

/// A parsed v2 identifier, for `inspect`.
struct OnezoneToken(TokenIdentifier);

impl OnezoneToken {
    /// `{"version","persistence","generation","subject","type","id"}`.
    fn to_json(&self) -> Value {
        let id = &self.0;
        let persistence = id.persistence();
        json!({
            "version": id.version(),
            "persistence": persistence.name(),
            "generation": persistence.generation().map(|g| g.get()),
            "subject": id.subject().map(Subject::to_json),
            "type": id.token_type().to_json(),
            "id": id.id(),
        })
    }
}

/// A first-party caveat's typed form. `Err(None)` for a third-party caveat or one that is
/// not UTF-8; `Err(Some(e))` when the text does not parse.
fn typed(caveat: &mintage::Caveat) -> Result<TypedCaveat, Option<ParseCaveatError>> {
    if caveat.is_third_party() {
        return Err(None);
    }
    let text = std::str::from_utf8(caveat.id()).map_err(|_| None)?;
    text.parse().map_err(Some)
}

/// A typed caveat for the listing: its JSON form, and when a time caveat expires in UTC.
fn describe(caveat: &TypedCaveat) -> String {
    let mut text = printable(&caveat.to_json().to_string());
    if let TypedCaveat::Time(time) = caveat {
        let _ = write!(text, " (valid until {})", time.valid_until_iso8601());
    }
    text
}

fn verify(args: &VerifyArgs, input: &mut Input) -> Result<(), Failure> {
    let key = root_key(&args.secret)?;
    let flags = &args.context;
    let consumer = match &flags.consumer {
        Some(c) if c.kind != ConsumerKind::User && !flags.groups.is_empty() => {
            return Err(Failure::usage("--group applies only to a usr- consumer"));
        }
        Some(c) => Some(ConsumerIdentity {
            kind: c.kind,
            id: c.id.clone(),
            groups: flags.groups.clone(),
        }),
        None => None,
    };
    let token = input.token(&args.token, "token")?;
    let mut discharges = Vec::with_capacity(args.discharge.len());
    for (i, d) in args.discharge.iter().enumerate() {
        discharges.push(input.token(d, &format!("discharge {i}"))?.macaroon);
    }

    let mut context = Context::at(flags.now.unwrap_or_else(|| SystemClock.now()))
        .with_service(flags.service.kind, &flags.service.id)
        .for_token(flags.token_kind.kind());
    if let Some(ip) = flags.peer_ip {
        context = context.with_peer_ip(ip);
    }
    if let Some(consumer) = &consumer {
        context = context.with_consumer(consumer);
    }
    if let Some(interface) = flags.interface {
        context = context.with_interface(interface);
    }
    if flags.allow_data_access {
        context = context.allowing_data_access();
    }
    if flags.identity_scope {
        context = context.in_identity_scope();
    }

    // Exact matches are checked before the catalogue, so plain predicates keep working.
    let verifier = args
        .allow
        .iter()
        .fold(TypedVerifier::new(), |v, predicate| {
            v.satisfy_exact(predicate)
        });
    match verifier.verify(&token.macaroon, &key, &discharges, &context) {
        Ok(_) => emit("valid"),
        Err(CaveatError::Invalid(e)) => Err(Failure::failed(e.reason())),
        // The caveat text comes from the token: escape it for the terminal.
        Err(e) => Err(Failure::failed(printable(&e.to_string()))),
    }
}

/// Reads token arguments, allowing standard input (`-`) once.
#[derive(Default)]
struct Input {
    stdin_used: bool,
}

impl Input {
    fn token(&mut self, arg: &str, what: &str) -> Result<Decoded, Failure> {
        let limits = Limits::default();
        let decoded = if arg == "-" {
            if self.stdin_used {
                return Err(Failure::usage(
                    "only one token can be read from standard input (`-`)",
                ));
            }
            self.stdin_used = true;
            let mut bytes = Zeroizing::new(Vec::new());
            let cap = u64::try_from(limits.max_encoded_len)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            io::stdin()
                .lock()
                .take(cap)
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::failed(format!("cannot read standard input: {e}")))?;
            Macaroon::decode_with(&*bytes, &limits)
        } else {
            Macaroon::decode_with(arg, &limits)
        };
        decoded.map_err(|e| Failure::usage(format!("cannot decode {what}: {e}")))
    }
}

fn root_key(secret: &SecretArgs) -> Result<RootKey, Failure> {
    match (&secret.secret, &secret.secret_hex) {
        (Some(text), _) => Ok(RootKey::new(text.as_bytes())),
        (None, Some(hex)) => from_hex(hex)
            .map(Zeroizing::new)
            .map(|bytes| RootKey::new(&*bytes))
            .ok_or_else(|| Failure::usage("--secret-hex is not valid hex")),
        (None, None) => Err(Failure::usage("give --secret or --secret-hex")),
    }
}

fn encode(macaroon: &Macaroon, format: Format, base62: bool) -> Result<String, Failure> {
    let text = if base62 {
        macaroon.encode_base62(format)
    } else {
        macaroon.encode(format)
    };
    text.map_err(|e| Failure::failed(format!("cannot encode as {format}: {e}")))
}

/// Writes `text` and a newline to standard output. A closed pipe ends quietly with status 1.
fn emit(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                Failure::failed("")
            } else {
                Failure::failed(format!("cannot write output: {e}"))
            }
        })
}

/// Printable UTF-8 text (no control characters), if `bytes` is that.
fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|s| !s.chars().any(char::is_control))
}

/// `(text): ...` or `(hex): ...`, for the human-readable listing.
fn bytes_text(bytes: &[u8]) -> String {
    match as_text(bytes) {
        Some(text) => format!("(text): {text}"),
        None => format!("(hex): {}", to_hex(bytes)),
    }
}

/// A JSON string for printable text, else `{"hex": "..."}`.
fn bytes_json(bytes: &[u8]) -> Value {
    match as_text(bytes) {
        Some(text) => Value::from(text),
        None => json!({ "hex": to_hex(bytes) }),
    }
}

/// Escapes control characters so an untrusted token cannot drive the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Decodes hex (either case, even length). `None` on anything else.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some((nibble(*hi)? << 4) | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

fn nibble(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}
