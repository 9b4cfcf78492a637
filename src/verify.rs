//! Verification: the signature chain first (constant-time comparison), then every caveat,
//! then each third-party caveat's discharge, recursively, each discharge used at most once.

use std::borrow::Cow;
use std::fmt;

use subtle::ConstantTimeEq;

use crate::crypto::{self, ChainKey};
use crate::error::{Place, VerifyError, VerifyErrorKind};
use crate::format::Limits;
use crate::key::{RootKey, Signature};
use crate::macaroon::Macaroon;

/// Checks a macaroon and its discharges against a root key and the predicates this request
/// satisfies. Anything not satisfied is denied.
///
/// ```
/// use mintage::{Macaroon, RootKey, Verifier};
/// let key = RootKey::new(b"secret");
/// let mut m = Macaroon::mint(&key, "onezone", b"id")?;
/// m.add_first_party("account = 42")?;
/// m.add_first_party("time < 2000000000")?;
/// let now: u64 = 1_700_000_000;
/// let verifier = Verifier::new()
///     .satisfy_exact("account = 42")
///     .satisfy_general(move |c| {
///         std::str::from_utf8(c).ok()
///             .and_then(|c| c.strip_prefix("time < "))
///             .and_then(|t| t.parse::<u64>().ok())
///             .is_some_and(|t| now < t)
///     });
/// assert!(verifier.verify(&m, &key, &[]).is_ok());
/// # Ok::<(), mintage::Error>(())
/// ```
pub struct Verifier<'a> {
    /// Sorted, so a lookup is a binary search with no hashing or allocation.
    exact: Vec<Cow<'a, [u8]>>,
    general: Vec<GeneralCheck<'a>>,
    limits: Limits,
}

/// A predicate for [`Verifier::satisfy_exact`]. Borrowed text and bytes are kept by reference
/// (no copy per request); owned `String`s and `Vec<u8>`s are moved in.
pub trait Predicate<'a> {
    /// The predicate's bytes, borrowed or owned.
    fn into_predicate(self) -> Cow<'a, [u8]>;
}

impl<'a> Predicate<'a> for &'a str {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
}

impl<'a> Predicate<'a> for &'a [u8] {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self)
    }
}

impl<'a, const N: usize> Predicate<'a> for &'a [u8; N] {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self)
    }
}

impl<'a> Predicate<'a> for &'a String {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
}

impl<'a> Predicate<'a> for &'a Vec<u8> {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self)
    }
}

impl<'a, 'b: 'a> Predicate<'a> for &'a &'b str {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
}

impl<'a> Predicate<'a> for String {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Owned(self.into_bytes())
    }
}

impl<'a> Predicate<'a> for Vec<u8> {
    fn into_predicate(self) -> Cow<'a, [u8]> {
        Cow::Owned(self)
    }
}

/// A caller's predicate check for first-party caveats.
type GeneralCheck<'a> = Box<dyn Fn(&[u8]) -> bool + Send + Sync + 'a>;

/// Proof that a macaroon verified. Only [`Verifier::verify`] makes one.
#[derive(Debug)]
pub struct Verified<'m> {
    macaroon: &'m Macaroon,
}

impl<'a> Verifier<'a> {
    /// A verifier that satisfies nothing yet, under [`Limits::default`].
    pub fn new() -> Self {
        Self {
            exact: Vec::new(),
            general: Vec::new(),
            limits: Limits::DEFAULT,
        }
    }

    /// Satisfies first-party caveats whose id equals `predicate` byte for byte.
    #[must_use]
    pub fn satisfy_exact(mut self, predicate: impl Predicate<'a>) -> Self {
        let predicate = predicate.into_predicate();
        if let Err(at) = self.exact.binary_search_by(|p| (**p).cmp(&*predicate)) {
            self.exact.insert(at, predicate);
        }
        self
    }

    /// Satisfies first-party caveats for which `check` returns true. The closure may capture
    /// request context (the time, the caller).
    #[must_use]
    pub fn satisfy_general(mut self, check: impl Fn(&[u8]) -> bool + Send + Sync + 'a) -> Self {
        self.general.push(Box::new(check));
        self
    }

    /// Uses `limits` for discharge count and nesting depth.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Verifies `macaroon` against `key`, with `discharges` bound to it by
    /// [`Macaroon::bind`].
    ///
    /// # Errors
    /// A [`VerifyError`]: coarse for the caller, with an operator
    /// [`reason`](VerifyError::reason).
    pub fn verify<'m>(
        &self,
        macaroon: &'m Macaroon,
        key: &RootKey,
        discharges: &[Macaroon],
    ) -> Result<Verified<'m>, VerifyError> {
        self.verify_with(macaroon, key, discharges, &|_| false)
    }

    /// [`Verifier::verify`] with one more predicate check for this call only (typed caveats
    /// checked against a request context).
    pub(crate) fn verify_with<'m>(
        &self,
        macaroon: &'m Macaroon,
        key: &RootKey,
        discharges: &[Macaroon],
        extra: &dyn Fn(&[u8]) -> bool,
    ) -> Result<Verified<'m>, VerifyError> {
        if discharges.len() > self.limits.max_discharges {
            return Err(VerifyError::new(
                VerifyErrorKind::TooManyDischarges,
                Place::Request,
            ));
        }
        let mut run = Run {
            root: macaroon.signature(),
            discharges,
            used: vec![false; discharges.len()],
            extra,
        };
        self.check(macaroon, key.chain_key(), None, 0, &mut run)?;
        if run.used.iter().any(|used| !used) {
            return Err(VerifyError::new(
                VerifyErrorKind::DischargeUnused,
                Place::Request,
            ));
        }
        Ok(Verified { macaroon })
    }

    fn check(
        &self,
        m: &Macaroon,
        key: &ChainKey,
        discharge: Option<usize>,
        depth: usize,
        run: &mut Run<'_>,
    ) -> Result<(), VerifyError> {
        let fail = |kind, caveat| {
            Err(VerifyError::new(
                kind,
                Place::Macaroon { discharge, caveat },
            ))
        };
        let mut sig = key.sign(m.identifier());
        // The running signature before each third-party caveat seals that caveat's key.
        let mut sealing_keys: Vec<(usize, Signature)> = Vec::new();
        for (i, c) in m.caveats().iter().enumerate() {
            sig = match c.verification_id() {
                None => crypto::chain_first_party(&sig, c.id()),
                Some(vid) => {
                    let next = crypto::chain_third_party(&sig, vid, c.id());
                    sealing_keys.push((i, sig));
                    next
                }
            };
        }
        if discharge.is_some() {
            sig = crypto::bind(run.root, &sig);
        }
        if !bool::from(sig.ct_eq(m.signature())) {
            return fail(VerifyErrorKind::InvalidSignature, None);
        }
        for (i, c) in m.caveats().iter().enumerate() {
            if !c.is_third_party() && !self.satisfied(c.id(), run.extra) {
                return fail(VerifyErrorKind::CaveatNotSatisfied, Some(i));
            }
        }
        for (i, sealing_key) in sealing_keys {
            let Some(c) = m.caveats().get(i) else {
                return fail(VerifyErrorKind::InvalidSignature, Some(i));
            };
            if depth >= self.limits.max_depth {
                return fail(VerifyErrorKind::TooDeep, Some(i));
            }
            let vid = c.verification_id().unwrap_or_default();
            let Some(caveat_key) = crypto::open_caveat_key(&sealing_key, vid) else {
                return fail(VerifyErrorKind::InvalidSignature, Some(i));
            };
            let found = run
                .discharges
                .iter()
                .zip(&run.used)
                .position(|(d, used)| !used && d.identifier() == c.id());
            let Some(n) = found else {
                return fail(VerifyErrorKind::DischargeMissing, Some(i));
            };
            if let Some(used) = run.used.get_mut(n) {
                *used = true;
            }
            let discharges = run.discharges;
            if let Some(d) = discharges.get(n) {
                self.check(d, &caveat_key, Some(n), depth + 1, run)?;
            }
        }
        Ok(())
    }

    fn satisfied(&self, predicate: &[u8], extra: &dyn Fn(&[u8]) -> bool) -> bool {
        self.exact
            .binary_search_by(|p| (**p).cmp(predicate))
            .is_ok()
            || self.general.iter().any(|check| check(predicate))
            || extra(predicate)
    }
}

impl Default for Verifier<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Verifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("exact", &self.exact.len())
            .field("general", &self.general.len())
            .field("limits", &self.limits)
            .finish()
    }
}

impl<'m> Verified<'m> {
    /// The macaroon that verified.
    pub fn macaroon(&self) -> &'m Macaroon {
        self.macaroon
    }

    /// Its identifier, now authenticated.
    pub fn identifier(&self) -> &'m [u8] {
        self.macaroon.identifier()
    }
}

/// State of one verification: the top-level signature every discharge is bound to, which
/// discharges have been used, and this call's extra predicate check.
struct Run<'d> {
    root: &'d Signature,
    discharges: &'d [Macaroon],
    used: Vec<bool>,
    extra: &'d dyn Fn(&[u8]) -> bool,
}
