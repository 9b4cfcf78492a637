//! Errors of the token model: malformed identifier text, malformed JSON, and the two ways a
//! serialized token can fail to read.

use core::fmt;

use crate::error::DecodeError;

/// Why a token identifier, or one of its parts (persistence, subject, token type), does not
/// parse or cannot be built.
///
/// The parser accepts exactly what Onezone writes. The few non-canonical spellings Onezone's own
/// parser would also take (`02/…`, `tmp-007`, an empty id, other invite parameters) are
/// rejected here, so an identifier always prints back to the bytes it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentifierError {
    /// A legacy id whose first `/`-separated fragment is an integer; it would read back as a
    /// versioned identifier. Only [`TokenIdentifier::legacy`](super::TokenIdentifier::legacy)
    /// returns it.
    AmbiguousLegacyId,
    /// `tmp-` is not followed by a decimal generation without sign or leading zeros that fits
    /// in 64 bits.
    BadGeneration,
    /// The invite parameters are not the ones Onezone writes: empty, or `ge` for
    /// `supportSpace`.
    BadInviteParameters,
    /// The token id (for a legacy token, the whole identifier) is empty.
    EmptyId,
    /// `act:` is not followed by a session id.
    EmptySessionId,
    /// `usr-` or `prv-` is not followed by an id.
    EmptySubjectId,
    /// An invite token names no target entity.
    EmptyTargetId,
    /// An id contains `/`, or a session, subject or target id contains a character its place in
    /// the identifier forbids (`/`; also `:` in a target id).
    ForbiddenCharacter,
    /// The token type is none of `act`, `act:<session>`, `idn` or `<code>:<target>:<params>`.
    MalformedTokenType,
    /// The identifier is not UTF-8.
    NotUtf8,
    /// The invite code is none of the fourteen Onezone knows.
    UnknownInviteType,
    /// The persistence is neither `nmd` nor `tmp-<generation>`.
    UnknownPersistence,
    /// The subject is none of `usr-<id>`, `prv-<id>` or `nobody`.
    UnknownSubject,
    /// The identifier starts with an integer version other than `2`.
    UnsupportedVersion,
    /// A version 2 identifier does not have exactly five `/`-separated fragments.
    WrongFragmentCount,
}

impl fmt::Display for IdentifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AmbiguousLegacyId => "legacy token id reads as a versioned identifier",
            Self::BadGeneration => "malformed temporary token generation",
            Self::BadInviteParameters => "unexpected invite parameters",
            Self::EmptyId => "token id is empty",
            Self::EmptySessionId => "session id is empty",
            Self::EmptySubjectId => "subject id is empty",
            Self::EmptyTargetId => "invite target id is empty",
            Self::ForbiddenCharacter => "id contains a forbidden character",
            Self::MalformedTokenType => "malformed token type",
            Self::NotUtf8 => "token identifier is not utf-8",
            Self::UnknownInviteType => "unknown invite type",
            Self::UnknownPersistence => "unknown token persistence",
            Self::UnknownSubject => "unknown token subject",
            Self::UnsupportedVersion => "unsupported token version",
            Self::WrongFragmentCount => "token identifier does not have five fragments",
        })
    }
}

impl core::error::Error for IdentifierError {}

/// Why the JSON form of a [`Subject`](super::Subject) or [`TokenType`](super::TokenType) does
/// not parse. Member names are given as `&'static str`, never input text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonError {
    /// The named member holds an empty id, or one with a character an identifier forbids.
    InvalidId(&'static str),
    /// The named member is missing.
    Missing(&'static str),
    /// The value, or the object under the token type key, is not a JSON object.
    NotAnObject,
    /// `inviteType` names no invite type Onezone knows.
    UnknownInviteType,
    /// The subject `type` is not `user`, `oneprovider` or `nobody`, or the token type object
    /// does not hold exactly one of `accessToken`, `identityToken`, `inviteToken`.
    UnknownType,
    /// The named member has the wrong JSON type, or members that do not belong together.
    WrongType(&'static str),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidId(member) => write!(f, "invalid id in `{member}`"),
            Self::Missing(member) => write!(f, "missing `{member}`"),
            Self::NotAnObject => f.write_str("not a json object"),
            Self::UnknownInviteType => f.write_str("unknown invite type"),
            Self::UnknownType => f.write_str("unknown type"),
            Self::WrongType(member) => write!(f, "unexpected value in `{member}`"),
        }
    }
}

impl core::error::Error for JsonError {}

/// Why a serialized Onezone token could not be read: the macaroon does not decode, or its
/// identifier is not a token identifier. Onezone reports either as `badToken`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenError {
    /// The text is not a macaroon (bad armour, base64, packet, or a limit passed).
    Decode(DecodeError),
    /// The macaroon decodes but its identifier is malformed.
    Identifier(IdentifierError),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode(e) => write!(f, "cannot decode token: {e}"),
            Self::Identifier(e) => write!(f, "invalid token identifier: {e}"),
        }
    }
}

impl core::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Decode(e) => Some(e),
            Self::Identifier(e) => Some(e),
        }
    }
}

impl From<DecodeError> for TokenError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<IdentifierError> for TokenError {
    fn from(e: IdentifierError) -> Self {
        Self::Identifier(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_lowercase_without_period() {
        let texts = [
            IdentifierError::UnknownSubject.to_string(),
            JsonError::Missing("groupId").to_string(),
            TokenError::Identifier(IdentifierError::EmptyId).to_string(),
            TokenError::Decode(DecodeError::Truncated).to_string(),
        ];
        for text in texts {
            assert!(!text.ends_with('.'), "{text}");
            assert_eq!(text, text.to_lowercase().replace("groupid", "groupId"));
        }
        assert_eq!(
            JsonError::Missing("groupId").to_string(),
            "missing `groupId`"
        );
    }

    #[test]
    fn token_error_sources_the_phase_error() {
        use core::error::Error as _;
        let e = TokenError::from(IdentifierError::UnknownSubject);
        assert_eq!(
            e.source().map(ToString::to_string),
            Some("unknown token subject".to_owned())
        );
        assert_eq!(
            TokenError::from(DecodeError::Empty),
            TokenError::Decode(DecodeError::Empty)
        );
    }
}
