//! Named and temporary tokens (spec `onezone-tokens.md` §3.2), and the generation of a subject's
//! shared temporary-token secret.

use core::fmt;
use core::str::FromStr;

use super::error::IdentifierError;

/// How a token is kept, and so how it is checked and revoked.
///
/// Its identifier text is `nmd` or `tmp-<generation>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Persistence {
    /// A named token: stored by the issuer with its own secret, listed, revocable one by one.
    Named,
    /// A temporary token: not stored, signed with the subject's shared secret of this
    /// generation; revoked all at once by moving the subject to a new generation.
    Temporary(Generation),
}

/// The generation of a subject's shared temporary-token secret. The secret is created with
/// [`Generation::FIRST`] and each revocation of all temporary tokens moves to the next one.
///
/// A token of an older generation than the current one is revoked; one of a newer generation
/// cannot be genuine (spec §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Generation(u64);

impl Persistence {
    /// The name the Onezone API shows (`POST /tokens/examine`): `named` or `temporary`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Named => "named",
            Self::Temporary(_) => "temporary",
        }
    }

    /// The generation of a temporary token; `None` for a named one.
    pub fn generation(self) -> Option<Generation> {
        match self {
            Self::Named => None,
            Self::Temporary(generation) => Some(generation),
        }
    }
}

impl fmt::Display for Persistence {
    /// The identifier text: `nmd` or `tmp-<generation>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl Persistence {
    /// Writes the identifier text piece by piece, with no formatting machinery (the
    /// identifier writer's hot path).
    pub(crate) fn write_to<W: fmt::Write + ?Sized>(self, w: &mut W) -> fmt::Result {
        match self {
            Self::Named => w.write_str(NAMED),
            Self::Temporary(generation) => {
                w.write_str(TEMPORARY)?;
                let mut digits = [0u8; 20];
                w.write_str(decimal(generation.0, &mut digits))
            }
        }
    }
}

/// `n` in decimal, written to the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        // `n % 10` is a digit, so the cast keeps it.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (n % 10) as u8;
        *slot = b'0' + digit;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // 20 digits hold `u64::MAX`, and digits are ASCII.
    buf.get(start..)
        .and_then(|digits| core::str::from_utf8(digits).ok())
        .unwrap_or_default()
}

impl FromStr for Persistence {
    type Err = IdentifierError;

    /// Reads `nmd` or `tmp-<generation>`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == NAMED {
            return Ok(Self::Named);
        }
        let generation = text
            .strip_prefix(TEMPORARY)
            .ok_or(IdentifierError::UnknownPersistence)?;
        Ok(Self::Temporary(Generation::parse(generation)?))
    }
}

impl Generation {
    /// The generation a subject's shared secret is created with.
    pub const FIRST: Self = Self(1);

    /// The generation numbered `n`.
    pub const fn new(n: u64) -> Self {
        Self(n)
    }

    /// Its number.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The generation after this one; `None` past `u64::MAX`.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }

    /// Reads a decimal number as Onezone writes one: digits only, no leading zeros.
    fn parse(text: &str) -> Result<Self, IdentifierError> {
        let canonical = match text.as_bytes() {
            [] => false,
            [b'0'] => true,
            [first, rest @ ..] => {
                (b'1'..=b'9').contains(first) && rest.iter().all(u8::is_ascii_digit)
            }
        };
        if !canonical {
            return Err(IdentifierError::BadGeneration);
        }
        text.parse()
            .map(Self)
            .map_err(|_| IdentifierError::BadGeneration)
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

const NAMED: &str = "nmd";
const TEMPORARY: &str = "tmp-";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persistence_text_round_trips() {
        for (text, persistence) in [
            ("nmd", Persistence::Named),
            ("tmp-0", Persistence::Temporary(Generation::new(0))),
            ("tmp-1", Persistence::Temporary(Generation::FIRST)),
            ("tmp-49", Persistence::Temporary(Generation::new(49))),
            (
                "tmp-18446744073709551615",
                Persistence::Temporary(Generation::new(u64::MAX)),
            ),
        ] {
            assert_eq!(text.parse::<Persistence>(), Ok(persistence));
            assert_eq!(persistence.to_string(), text);
        }
    }

    #[test]
    fn persistence_malformed_is_rejected() {
        for (text, error) in [
            ("", IdentifierError::UnknownPersistence),
            ("named", IdentifierError::UnknownPersistence),
            ("NMD", IdentifierError::UnknownPersistence),
            ("tmp", IdentifierError::UnknownPersistence),
            ("tmp-", IdentifierError::BadGeneration),
            ("tmp-07", IdentifierError::BadGeneration),
            ("tmp-+7", IdentifierError::BadGeneration),
            ("tmp--7", IdentifierError::BadGeneration),
            ("tmp-7 ", IdentifierError::BadGeneration),
            ("tmp-18446744073709551616", IdentifierError::BadGeneration),
        ] {
            assert_eq!(text.parse::<Persistence>(), Err(error), "{text:?}");
        }
    }

    #[test]
    fn persistence_names_and_generation() {
        assert_eq!(Persistence::Named.name(), "named");
        assert_eq!(Persistence::Named.generation(), None);
        let temporary = Persistence::Temporary(Generation::new(3));
        assert_eq!(temporary.name(), "temporary");
        assert_eq!(temporary.generation().map(Generation::get), Some(3));
    }

    #[test]
    fn generation_orders_and_advances() {
        assert!(Generation::FIRST < Generation::new(2));
        assert_eq!(Generation::FIRST.next(), Some(Generation::new(2)));
        assert_eq!(Generation::new(u64::MAX).next(), None);
    }
}
