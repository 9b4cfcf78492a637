//! What both interop test files share: the secrets and the token specs minted the same way on
//! both sides, and the mintage side of each check.

use mintage::{Macaroon, RootKey, Verifier, VerifyErrorKind};

pub(crate) const ROOT_SECRET: &str = "this is our super secret key; only we should know it";
pub(crate) const WRONG_SECRET: &str = "this is not the secret we were looking for";
pub(crate) const THIRD_SECRET: &str = "4; guaranteed random by a fair toss of the dice";
pub(crate) const LOCATION: &str = "http://mybank/";
pub(crate) const AUTH_LOCATION: &str = "http://auth.mybank/";
pub(crate) const CAVEAT_ID: &str = "this was how we remind auth of key/pred";

/// A caveat to add, the same way on both sides.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cav {
    First(&'static str),
    Third {
        location: &'static str,
        secret: &'static str,
        id: &'static str,
    },
}

/// A macaroon to mint: root secret, location, identifier and caveats in order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    pub(crate) secret: &'static str,
    pub(crate) location: &'static str,
    pub(crate) id: &'static str,
    pub(crate) caveats: &'static [Cav],
}

impl Spec {
    /// The first-party predicates, which a verifier must satisfy.
    pub(crate) fn predicates(&self) -> Vec<&'static str> {
        self.caveats
            .iter()
            .filter_map(|c| match c {
                Cav::First(p) => Some(*p),
                Cav::Third { .. } => None,
            })
            .collect()
    }
}

pub(crate) const fn spec(id: &'static str, caveats: &'static [Cav]) -> Spec {
    Spec {
        secret: ROOT_SECRET,
        location: LOCATION,
        id,
        caveats,
    }
}

/// Tokens with 0, 1 and 3 first-party caveats (one predicate is non-ASCII UTF-8).
pub(crate) const FIRST_PARTY: [Spec; 3] = [
    spec("we used our secret key", &[]),
    spec(
        "we used our secret key",
        &[Cav::First("account = 3735928559")],
    ),
    spec(
        "we used our secret key",
        &[
            Cav::First("account = 3735928559"),
            Cav::First("time < 2030-01-01T00:00"),
            Cav::First("email = zoë@example.org"),
        ],
    ),
];

/// A root with a third-party caveat between two first-party ones.
pub(crate) const ROOT_3P: Spec = spec(
    "we used our other secret key",
    &[
        Cav::First("account = 3735928559"),
        Cav::Third {
            location: AUTH_LOCATION,
            secret: THIRD_SECRET,
            id: CAVEAT_ID,
        },
        Cav::First("action = deposit"),
    ],
);

/// The discharge for [`ROOT_3P`]'s third-party caveat, with its own caveat.
pub(crate) const DISCHARGE: Spec = Spec {
    secret: THIRD_SECRET,
    location: AUTH_LOCATION,
    id: CAVEAT_ID,
    caveats: &[Cav::First("time < 2030-01-01T00:00")],
};

/// Every predicate the third-party flow needs: the root's and the discharge's.
pub(crate) fn predicates_3p() -> Vec<&'static str> {
    let mut all = ROOT_3P.predicates();
    all.extend(DISCHARGE.predicates());
    all
}

// ---- the mintage side -------------------------------------------------------------------

pub(crate) fn mint(spec: &Spec) -> Macaroon {
    let mut m = Macaroon::mint(&RootKey::new(spec.secret), spec.location, spec.id).unwrap();
    for c in spec.caveats {
        match *c {
            Cav::First(p) => m.add_first_party(p).unwrap(),
            Cav::Third {
                location,
                secret,
                id,
            } => m
                .add_third_party(location, &RootKey::new(secret), id)
                .unwrap(),
        }
    }
    m
}

pub(crate) fn verifier<'a>(predicates: &[&'a str]) -> Verifier<'a> {
    predicates
        .iter()
        .fold(Verifier::new(), |v, p| v.satisfy_exact(*p))
}

pub(crate) fn verify(
    m: &Macaroon,
    secret: &str,
    predicates: &[&str],
    discharges: &[Macaroon],
) -> Result<(), VerifyErrorKind> {
    verifier(predicates)
        .verify(m, &RootKey::new(secret), discharges)
        .map(|_| ())
        .map_err(|e| e.kind())
}
