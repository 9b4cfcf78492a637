//! Evaluating typed caveats against a [`Context`], and verifying a macaroon whose first-party
//! caveats are typed: signature first, then every caveat (spec §4.3).

use core::fmt;
use std::borrow::Cow;
use std::cell::Cell;

use serde_json::{Value, json};

use super::TypedCaveat;
use super::context::Context;
use super::interface::InterfaceKind;
use super::party::ConsumerKind;
use crate::error::{BuildError, VerifyError, VerifyErrorKind};
use crate::format::Limits;
use crate::key::RootKey;
use crate::macaroon::Macaroon;
use crate::verify::{Predicate, Verified, Verifier};

/// Why a token with typed caveats was refused, in Onezone's terms.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CaveatError {
    /// A caveat's text is not in the catalogue nor claimed by a registered kind
    /// (`tokenCaveatUnknown`, HTTP 400). Carries the raw text.
    Unknown {
        /// The caveat as it appears in the token (lossy UTF-8).
        raw: String,
    },
    /// A caveat does not hold in this context or is not allowed for this token kind
    /// (`tokenCaveatUnverified`, HTTP 400; 401 when it authenticated the request). Carries the caveat in JSON form, e.g. an expired
    /// time caveat with its `validUntil`.
    Unverified {
        /// The caveat's JSON form (for a registered kind: `{"type":…,"raw":…}`).
        caveat: Value,
    },
    /// The signature chain or discharges are wrong (`tokenInvalid`).
    Invalid(VerifyError),
}

impl fmt::Display for CaveatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Caveat text comes from the token: control characters are escaped so a message
        // cannot carry terminal escape sequences into a log or a console.
        match self {
            Self::Unknown { raw } => {
                f.write_str("token caveat unknown: ")?;
                write_escaped(f, raw)
            }
            Self::Unverified { caveat } => {
                f.write_str("token caveat unverified: ")?;
                write_escaped(f, &caveat.to_string())
            }
            Self::Invalid(e) => write!(f, "token invalid: {e}"),
        }
    }
}

impl core::error::Error for CaveatError {}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() {
            write!(f, "{}", c.escape_unicode())?;
        } else {
            fmt::Write::write_char(f, c)?;
        }
    }
    Ok(())
}

impl TypedCaveat {
    /// Whether this caveat holds in `context`, per spec §4.3. Token-kind support (§4.2) is
    /// checked separately by [`TypedVerifier`].
    pub fn holds(&self, context: &Context<'_>) -> bool {
        let peer = context.peer_ip;
        let lookup = |f: &dyn Fn(&dyn super::Resolver, std::net::IpAddr) -> bool| matches!((context.resolver, peer), (Some(r), Some(ip)) if f(r, ip));
        match self {
            Self::Time(c) => c.holds_at(context.now),
            Self::Ip(c) => peer.is_some_and(|ip| c.allows(ip)),
            Self::Asn(c) => lookup(&|r, ip| r.asn(ip).is_some_and(|n| c.whitelist().contains(&n))),
            Self::GeoCountry(c) => lookup(&|r, ip| {
                r.country(ip)
                    .is_some_and(|country| c.filter().admits(c.list().contains(&country)))
            }),
            Self::GeoRegion(c) => lookup(&|r, ip| {
                let regions = r.regions(ip);
                !regions.is_empty()
                    && c.filter()
                        .admits(regions.iter().any(|g| c.list().contains(g)))
            }),
            Self::Consumer(c) => context.consumer.is_some_and(|who| {
                c.whitelist().iter().any(|spec| {
                    let id_matches = |id: &str| spec.id.as_deref().is_none_or(|own| own == id);
                    match spec.kind {
                        ConsumerKind::User | ConsumerKind::Provider => {
                            who.kind == spec.kind && id_matches(&who.id)
                        }
                        ConsumerKind::Group => {
                            who.kind == ConsumerKind::User
                                && match spec.id.as_deref() {
                                    None => !who.groups.is_empty(),
                                    Some(group) => who.groups.iter().any(|g| g == group),
                                }
                        }
                    }
                })
            }),
            Self::Service(c) => {
                let (kind, id) = context.service;
                c.whitelist().iter().any(|spec| spec.matches(kind, id))
            }
            Self::Interface(c) => {
                context.interface == Some(c.kind())
                    && (c.kind() != InterfaceKind::Oneclient || context.allow_data_access)
            }
            Self::Api(c) => context.operation.is_none_or(|op| c.allows(op)),
            Self::DataReadonly | Self::DataPath(_) | Self::DataObjectId(_) => {
                context.allow_data_access
            }
            Self::AuthorizationNone => context.identity_scope,
        }
    }
}

/// A host's own caveat kind: gets the caveat text and the context, says whether it holds.
type CustomCheck<'a> = Box<dyn Fn(&str, &Context<'_>) -> bool + Send + Sync + 'a>;

/// Verifies macaroons whose first-party caveats come from Onezone's catalogue, plus any kinds
/// the host registers by prefix and any plain predicates it satisfies exactly. Anything else
/// fails closed.
///
/// ```
/// use mintage::caveat::{CaveatError, Context, TypedVerifier};
/// use mintage::{Macaroon, RootKey};
///
/// let key = RootKey::new(b"secret");
/// let mut m = Macaroon::mint(&key, "onezone", b"id")?;
/// m.add_first_party("x-tenant = acme")?;
/// let ctx = Context::at(0);
/// let err = TypedVerifier::new().verify(&m, &key, &[], &ctx).unwrap_err();
/// assert_eq!(err, CaveatError::Unknown { raw: "x-tenant = acme".into() });
/// let tenant = TypedVerifier::new().register("x-tenant = ", |text, _ctx| text.ends_with("acme"));
/// assert!(tenant.verify(&m, &key, &[], &ctx).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TypedVerifier<'a> {
    /// Borrowed prefixes stay borrowed: an issuer registers its kinds on every verification.
    custom: Vec<(Cow<'a, str>, CustomCheck<'a>)>,
    /// Plain predicates and limits.
    base: Verifier<'a>,
}

impl<'a> TypedVerifier<'a> {
    /// A verifier for the catalogue alone, under [`Limits::default`].
    pub fn new() -> Self {
        Self {
            custom: Vec::new(),
            base: Verifier::new(),
        }
    }

    /// Claims caveats starting with `prefix` that are not in the catalogue for `check`.
    #[must_use]
    pub fn register(
        mut self,
        prefix: impl Into<Cow<'a, str>>,
        check: impl Fn(&str, &Context<'_>) -> bool + Send + Sync + 'a,
    ) -> Self {
        self.custom.push((prefix.into(), Box::new(check)));
        self
    }

    /// Also satisfies this plain predicate exactly (as [`Verifier::satisfy_exact`]).
    #[must_use]
    pub fn satisfy_exact(mut self, predicate: impl Predicate<'a>) -> Self {
        self.base = self.base.satisfy_exact(predicate);
        self
    }

    /// Uses `limits` for discharge count and depth.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.base = self.base.with_limits(limits);
        self
    }

    /// Verifies the signature chain and discharges, then every first-party caveat against
    /// `context`, stopping at the first that fails.
    ///
    /// # Errors
    /// [`CaveatError::Invalid`] for a bad signature or discharge; [`CaveatError::Unknown`] and
    /// [`CaveatError::Unverified`] for caveats.
    pub fn verify<'m>(
        &self,
        macaroon: &'m Macaroon,
        key: &RootKey,
        discharges: &[Macaroon],
        context: &Context<'_>,
    ) -> Result<Verified<'m>, CaveatError> {
        // The verifier stops at the first unsatisfied caveat; remember why it failed.
        let first_failure: Cell<Option<CaveatError>> = Cell::new(None);
        let typed = |cid: &[u8]| match self.evaluate(cid, context) {
            Ok(()) => true,
            Err(e) => {
                first_failure.set(Some(e));
                false
            }
        };
        match self.base.verify_with(macaroon, key, discharges, &typed) {
            Ok(verified) => Ok(verified),
            Err(e) if e.kind() == VerifyErrorKind::CaveatNotSatisfied => {
                Err(first_failure.take().unwrap_or(CaveatError::Invalid(e)))
            }
            Err(e) => Err(CaveatError::Invalid(e)),
        }
    }

    /// Checks one caveat's text: the catalogue first, then registered kinds.
    fn evaluate(&self, cid: &[u8], context: &Context<'_>) -> Result<(), CaveatError> {
        let unknown = || CaveatError::Unknown {
            raw: String::from_utf8_lossy(cid).into_owned(),
        };
        let text = core::str::from_utf8(cid).map_err(|_| unknown())?;
        match text.parse::<TypedCaveat>() {
            Ok(caveat) => {
                if caveat.supported_by(context.token_kind) && caveat.holds(context) {
                    Ok(())
                } else {
                    Err(CaveatError::Unverified {
                        caveat: caveat.to_json(),
                    })
                }
            }
            Err(_) => {
                let (prefix, check) = self
                    .custom
                    .iter()
                    .find(|(prefix, _)| text.starts_with(prefix.as_ref()))
                    .ok_or_else(unknown)?;
                if check(text, context) {
                    Ok(())
                } else {
                    Err(CaveatError::Unverified {
                        caveat: json!({ "type": host_kind_name(prefix), "raw": text }),
                    })
                }
            }
        }
    }
}

impl Default for TypedVerifier<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for TypedVerifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefixes: Vec<&str> = self.custom.iter().map(|(p, _)| p.as_ref()).collect();
        f.debug_struct("TypedVerifier")
            .field("custom", &prefixes)
            .field("base", &self.base)
            .finish()
    }
}

/// Seconds the token has left at `now` by its earliest `time` caveat (0 once expired), or
/// `None` when it has no time caveat. Reads unverified caveats: use it for reporting only.
pub fn ttl(macaroon: &Macaroon, now: u64) -> Option<u64> {
    macaroon
        .caveats()
        .iter()
        .filter(|c| !c.is_third_party())
        .filter_map(|c| match core::str::from_utf8(c.id()).ok()?.parse() {
            Ok(TypedCaveat::Time(t)) => Some(t.valid_until()),
            _ => None,
        })
        .min()
        .map(|until| until.saturating_sub(now))
}

/// Confines a token by appending typed caveats as first-party caveats; no key is needed.
///
/// # Errors
/// As [`Macaroon::add_first_party`].
pub fn confine(macaroon: &mut Macaroon, caveats: &[TypedCaveat]) -> Result<(), BuildError> {
    for caveat in caveats {
        macaroon.add_first_party(caveat.to_string())?;
    }
    Ok(())
}

/// The `type` a failed host caveat reports: its prefix without the trailing ` = ` (or ` < `,
/// …) that a prefix usually ends with, e.g. `x-tenant` for `x-tenant = `.
fn host_kind_name(prefix: &str) -> &str {
    let name = prefix.trim_end_matches(|c: char| c.is_whitespace() || "=<>!:".contains(c));
    if name.is_empty() { prefix } else { name }
}
