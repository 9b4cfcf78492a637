//! How a request authenticates (spec `onezone-tokens.md` §2.1, §2.2): a subject the host has
//! already authenticated, an access token from a header for the API to verify, or nothing.

use core::fmt;

use crate::token::Subject;

/// The credential a request carries.
///
/// ```
/// use mintage::api::Credential;
///
/// let headers = [("Authorization", "Bearer MDAx..."), ("Accept", "application/json")];
/// let credential = Credential::from_headers(|name| {
///     headers
///         .iter()
///         .find(|(known, _)| known.eq_ignore_ascii_case(name))
///         .map(|(_, value)| *value)
/// });
/// assert_eq!(credential, Credential::AccessToken("MDAx..."));
/// // The token is a secret: `Debug` does not show it.
/// assert_eq!(format!("{credential:?}"), "AccessToken(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential<'a> {
    /// No credential: the caller is [`Subject::Nobody`].
    None,
    /// A subject the host authenticated itself (basic auth, a session cookie, a client
    /// certificate).
    Subject(Subject),
    /// An access token from `x-auth-token`, `Authorization: Bearer` or the deprecated
    /// `macaroon` header; the API verifies it, and a failure is `unauthorized` (401).
    AccessToken(&'a str),
}

impl<'a> Credential<'a> {
    /// The access token in request headers, looked up by `header` (which should match names
    /// ASCII case-insensitively): `x-auth-token`, then `Authorization: Bearer <token>`, then
    /// `macaroon`, as Onezone reads them. [`Credential::None`] if there is none.
    pub fn from_headers(header: impl Fn(&str) -> Option<&'a str>) -> Self {
        let bearer = || {
            header("authorization").and_then(|value| {
                let (scheme, token) = value.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then_some(token.trim_start())
            })
        };
        header("x-auth-token")
            .or_else(bearer)
            .or_else(|| header("macaroon"))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map_or(Self::None, Self::AccessToken)
    }
}

impl fmt::Debug for Credential<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Subject(subject) => f.debug_tuple("Subject").field(subject).finish(),
            Self::AccessToken(_) => f.write_str("AccessToken(<redacted>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(headers: &[(&'static str, &'static str)]) -> Credential<'static> {
        Credential::from_headers(|name| {
            headers
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(name))
                .map(|(_, value)| *value)
        })
    }

    #[test]
    fn headers_in_onezone_order() {
        assert_eq!(from(&[]), Credential::None);
        assert_eq!(
            from(&[("X-Auth-Token", " t1 ")]),
            Credential::AccessToken("t1")
        );
        assert_eq!(
            from(&[("macaroon", "t3"), ("authorization", "bearer  t2")]),
            Credential::AccessToken("t2")
        );
        assert_eq!(
            from(&[("macaroon", "t3"), ("x-auth-token", "t1")]),
            Credential::AccessToken("t1")
        );
        assert_eq!(from(&[("macaroon", "t3")]), Credential::AccessToken("t3"));
        // Basic credentials are the host's to check; an empty token is none.
        assert_eq!(from(&[("authorization", "Basic dTpw")]), Credential::None);
        assert_eq!(from(&[("x-auth-token", "  ")]), Credential::None);
    }
}
