//! The token identifier (spec `onezone-tokens.md` §3.3, §3.4): version 2
//! `2/<persistence>/<subject>/<type>/<id>`, and legacy identifiers that are the token id alone.

use core::fmt;
use core::str::FromStr;

use super::error::IdentifierError;
use super::persistence::Persistence;
use super::subject::Subject;
use super::token_type::{self, TokenType};

/// What a Onezone token says about itself in its macaroon identifier: persistence, subject,
/// type and id (CT `tokens:to_identifier`).
///
/// - Version 2: `2/<nmd|tmp-N>/<usr-…|prv-…|nobody>/<act|act:…|idn|code:target:params>/<id>`.
/// - Legacy (version 1): an identifier without `/`, or whose first `/`-separated fragment is not
///   an integer, is a named access token whose id is the whole identifier and which carries no
///   subject (the issuer's record has it).
///
/// Every identifier prints back to exactly the text it was read from, and every identifier
/// built by [`TokenIdentifier::new`] or [`TokenIdentifier::legacy`] reads back to itself.
///
/// ```
/// use mintage::token::{Generation, Persistence, Subject, TokenIdentifier, TokenType};
///
/// let id = TokenIdentifier::new(
///     Persistence::Temporary(Generation::new(7)),
///     Subject::user("uid"),
///     TokenType::session_access("sessId"),
///     "1234567890example-id1234567890a",
/// )?;
/// assert_eq!(id.to_string(), "2/tmp-7/usr-uid/act:sessId/1234567890example-id1234567890a");
/// assert_eq!(id.to_string().parse::<TokenIdentifier>()?, id);
///
/// let legacy: TokenIdentifier = "8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk".parse()?;
/// assert!(legacy.is_legacy());
/// assert_eq!(legacy.persistence(), Persistence::Named);
/// assert_eq!(legacy.token_type(), &TokenType::access());
/// assert_eq!(legacy.subject(), None);
/// # Ok::<(), mintage::token::IdentifierError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenIdentifier {
    persistence: Persistence,
    /// `None` for a legacy identifier.
    subject: Option<Subject>,
    token_type: TokenType,
    id: String,
}

impl TokenIdentifier {
    /// A version 2 identifier.
    ///
    /// # Errors
    /// [`IdentifierError::EmptyId`], [`IdentifierError::EmptySubjectId`],
    /// [`IdentifierError::EmptySessionId`] or [`IdentifierError::EmptyTargetId`] for an empty
    /// id; [`IdentifierError::ForbiddenCharacter`] for an id holding `/` (or a target id
    /// holding `:`), which would not read back.
    pub fn new(
        persistence: Persistence,
        subject: Subject,
        token_type: TokenType,
        id: impl Into<String>,
    ) -> Result<Self, IdentifierError> {
        let id = id.into();
        IdentifierParts::new(persistence, &subject, &token_type, &id)?;
        Ok(Self {
            persistence,
            subject: Some(subject),
            token_type,
            id,
        })
    }

    /// A legacy identifier: a named access token whose identifier is its id `id`.
    ///
    /// # Errors
    /// [`IdentifierError::EmptyId`] for an empty id; [`IdentifierError::AmbiguousLegacyId`]
    /// for one holding `/` after an integer (`12/abc`), which would read as versioned.
    pub fn legacy(id: impl Into<String>) -> Result<Self, IdentifierError> {
        let id = id.into();
        if id.is_empty() {
            return Err(IdentifierError::EmptyId);
        }
        if matches!(id.split_once('/'), Some((version, _)) if is_integer(version)) {
            return Err(IdentifierError::AmbiguousLegacyId);
        }
        Ok(Self::legacy_unchecked(id))
    }

    /// Reads a macaroon's identifier bytes. The result is untrusted until the token verifies.
    ///
    /// # Errors
    /// [`IdentifierError::NotUtf8`], or as [`FromStr`].
    pub fn parse(untrusted: &[u8]) -> Result<Self, IdentifierError> {
        core::str::from_utf8(untrusted)
            .map_err(|_| IdentifierError::NotUtf8)?
            .parse()
    }

    /// 1 for a legacy identifier, 2 for a version 2 one.
    pub fn version(&self) -> u8 {
        if self.is_legacy() { 1 } else { 2 }
    }

    /// Whether this is a legacy (version 1) identifier.
    pub fn is_legacy(&self) -> bool {
        self.subject.is_none()
    }

    /// Named or temporary; legacy tokens are named.
    pub fn persistence(&self) -> Persistence {
        self.persistence
    }

    /// The subject; `None` for a legacy token, whose subject only the issuer's record holds.
    pub fn subject(&self) -> Option<&Subject> {
        self.subject.as_ref()
    }

    /// The token type; legacy tokens are access tokens bound to no session.
    pub fn token_type(&self) -> &TokenType {
        &self.token_type
    }

    /// The token id: for a named token the key of its record; for a legacy one the whole
    /// identifier.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn legacy_unchecked(id: String) -> Self {
        Self {
            persistence: Persistence::Named,
            subject: None,
            token_type: TokenType::access(),
            id,
        }
    }
}

impl fmt::Display for TokenIdentifier {
    /// The identifier text, byte for byte as Onezone writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            None => f.write_str(&self.id),
            Some(subject) => IdentifierParts {
                persistence: self.persistence,
                subject,
                token_type: &self.token_type,
                id: &self.id,
            }
            .write_to(f),
        }
    }
}

/// The parts of a version 2 identifier, borrowed: checked as [`TokenIdentifier::new`] checks
/// them and written as it prints, without owning (so without cloning) the subject and type.
/// The issuer writes the identifier of each token it mints through this.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IdentifierParts<'a> {
    persistence: Persistence,
    subject: &'a Subject,
    token_type: &'a TokenType,
    id: &'a str,
}

impl<'a> IdentifierParts<'a> {
    /// Checks the parts as [`TokenIdentifier::new`] does, in its order.
    ///
    /// # Errors
    /// As [`TokenIdentifier::new`].
    pub(crate) fn new(
        persistence: Persistence,
        subject: &'a Subject,
        token_type: &'a TokenType,
        id: &'a str,
    ) -> Result<Self, IdentifierError> {
        check_id(id, false)?;
        if let Some(subject_id) = subject.id() {
            check_id(subject_id, false).map_err(|e| match e {
                IdentifierError::EmptyId => IdentifierError::EmptySubjectId,
                other => other,
            })?;
        }
        token_type::check(token_type)?;
        Ok(Self {
            persistence,
            subject,
            token_type,
            id,
        })
    }

    /// Writes `2/<persistence>/<subject>/<type>/<id>` piece by piece, with no formatting
    /// machinery.
    pub(crate) fn write_to<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(VERSION_2)?;
        w.write_str("/")?;
        self.persistence.write_to(w)?;
        w.write_str("/")?;
        self.subject.write_to(w)?;
        w.write_str("/")?;
        self.token_type.write_to(w)?;
        w.write_str("/")?;
        w.write_str(self.id)
    }

    /// The identifier text, in a buffer sized up front (exactly, but for a few spare bytes
    /// after a short generation), so writing it never reallocates for generations of up to
    /// three digits.
    pub(crate) fn to_text(self) -> String {
        let mut text = String::with_capacity(self.len_estimate());
        // Writing to a `String` cannot fail.
        let _ = self.write_to(&mut text);
        text
    }

    /// The text's length, counting `tmp-NNN/` for the persistence.
    fn len_estimate(&self) -> usize {
        let type_len = match self.token_type {
            TokenType::Access { session_id: None } | TokenType::Identity => 3,
            TokenType::Access {
                session_id: Some(session),
            } => 4 + session.len(),
            TokenType::Invite {
                invite_type,
                target_id,
            } => invite_type.code().len() + target_id.len() + invite_type.parameters().len() + 2,
        };
        // `2/` `tmp-NNN/` or `nmd/`, `usr-`/`prv-` or `nobody`, `/`, the type, `/`, the id.
        2 + 8 + 4 + self.subject.id().map_or(2, str::len) + 1 + type_len + 1 + self.id.len()
    }
}

impl FromStr for TokenIdentifier {
    type Err = IdentifierError;

    /// Reads an identifier as Onezone does (CT `tokens:from_identifier`): split on `/`; no `/`,
    /// or a first fragment that is not an integer, means legacy; version `2` needs five
    /// fragments. Other versions, and non-canonical spellings of `2` (`02`, `+2`), are
    /// rejected.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let Some((version, rest)) = text.split_once('/') else {
            if text.is_empty() {
                return Err(IdentifierError::EmptyId);
            }
            return Ok(Self::legacy_unchecked(text.to_owned()));
        };
        if !is_integer(version) {
            return Ok(Self::legacy_unchecked(text.to_owned()));
        }
        if version != VERSION_2 {
            return Err(IdentifierError::UnsupportedVersion);
        }
        let mut fragments = rest.split('/');
        let (Some(persistence), Some(subject), Some(token_type), Some(id), None) = (
            fragments.next(),
            fragments.next(),
            fragments.next(),
            fragments.next(),
            fragments.next(),
        ) else {
            return Err(IdentifierError::WrongFragmentCount);
        };
        let persistence = persistence.parse()?;
        let subject = subject.parse()?;
        let token_type = token_type.parse()?;
        if id.is_empty() {
            return Err(IdentifierError::EmptyId);
        }
        Ok(Self {
            persistence,
            subject: Some(subject),
            token_type,
            id: id.to_owned(),
        })
    }
}

/// Checks an id that goes into an identifier: non-empty, no `/`, and, where `no_colon`, no `:`.
pub(super) fn check_id(id: &str, no_colon: bool) -> Result<(), IdentifierError> {
    if id.is_empty() {
        return Err(IdentifierError::EmptyId);
    }
    if id.contains('/') || (no_colon && id.contains(':')) {
        return Err(IdentifierError::ForbiddenCharacter);
    }
    Ok(())
}

/// Whether Erlang's `binary_to_integer` reads `text`: an optional sign, then one or more ASCII
/// digits. Onezone takes any such first fragment as a version.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text).as_bytes();
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

const VERSION_2: &str = "2";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{Generation, InviteType};

    /// A datastore key as Onezone makes them (CW `datastore_key:new`).
    const ID: &str = "4c71496ba3dff0052c04c697b12fe157ch9a1f";

    fn v2(persistence: Persistence, subject: Subject, token_type: TokenType) -> TokenIdentifier {
        TokenIdentifier::new(persistence, subject, token_type, ID).unwrap()
    }

    fn round_trips(identifier: &TokenIdentifier, text: &str) {
        assert_eq!(identifier.to_string(), text);
        assert_eq!(text.parse::<TokenIdentifier>().as_ref(), Ok(identifier));
        assert_eq!(
            TokenIdentifier::parse(text.as_bytes()).as_ref(),
            Ok(identifier)
        );
    }

    #[test]
    fn identifier_v2_round_trips() {
        let rows = [
            (
                v2(
                    Persistence::Named,
                    Subject::user("uid"),
                    TokenType::access(),
                ),
                format!("2/nmd/usr-uid/act/{ID}"),
            ),
            (
                v2(
                    Persistence::Temporary(Generation::new(7)),
                    Subject::user("uid"),
                    TokenType::session_access("sessId"),
                ),
                format!("2/tmp-7/usr-uid/act:sessId/{ID}"),
            ),
            (
                v2(
                    Persistence::Named,
                    Subject::oneprovider("pid"),
                    TokenType::Identity,
                ),
                format!("2/nmd/prv-pid/idn/{ID}"),
            ),
            (
                v2(
                    Persistence::Temporary(Generation::new(49)),
                    Subject::Nobody,
                    TokenType::invite(InviteType::UserJoinSpace, "spaceId"),
                ),
                format!("2/tmp-49/nobody/ujs:spaceId:/{ID}"),
            ),
        ];
        for (identifier, text) in &rows {
            round_trips(identifier, text);
            assert_eq!(identifier.version(), 2);
            assert!(!identifier.is_legacy());
            assert_eq!(identifier.id(), ID);
        }
    }

    #[test]
    fn identifier_every_invite_type_round_trips() {
        for t in InviteType::ALL {
            for persistence in [
                Persistence::Named,
                Persistence::Temporary(Generation::FIRST),
            ] {
                let identifier = v2(
                    persistence,
                    Subject::user("invitation-sender"),
                    TokenType::invite(t, "target"),
                );
                let params = if t == InviteType::SupportSpace {
                    "ge"
                } else {
                    ""
                };
                let text = format!(
                    "2/{persistence}/usr-invitation-sender/{}:target:{params}/{ID}",
                    t.code()
                );
                round_trips(&identifier, &text);
                assert_eq!(identifier.token_type().invite_type(), Some(t));
                assert_eq!(identifier.persistence(), persistence);
            }
        }
    }

    #[test]
    fn identifier_legacy_is_a_named_access_token() {
        for text in [
            "8HfHARHgklqBkZVI4l6MBTvSSvt98ppp6948s8Q7SOk",
            // Not versioned: the first fragment is not an integer, or there is no `/`.
            "abc/def",
            "2a/nmd/usr-u/act/id",
            " 2/nmd/usr-u/act/id",
            "/2/nmd",
            "2",
            "12345",
            "a:b",
        ] {
            let identifier: TokenIdentifier = text.parse().unwrap();
            assert!(identifier.is_legacy(), "{text:?}");
            assert_eq!(identifier.version(), 1);
            assert_eq!(identifier.id(), text);
            assert_eq!(identifier.persistence(), Persistence::Named);
            assert_eq!(identifier.token_type(), &TokenType::access());
            assert_eq!(identifier.subject(), None);
            assert_eq!(identifier.to_string(), text);
            assert_eq!(TokenIdentifier::legacy(text), Ok(identifier));
        }
    }

    #[test]
    fn identifier_constructors_reject_what_would_not_read_back() {
        let user = || Subject::user("u");
        for (result, error) in [
            (
                TokenIdentifier::new(Persistence::Named, user(), TokenType::access(), ""),
                IdentifierError::EmptyId,
            ),
            (
                TokenIdentifier::new(Persistence::Named, user(), TokenType::access(), "a/b"),
                IdentifierError::ForbiddenCharacter,
            ),
            (
                TokenIdentifier::new(
                    Persistence::Named,
                    Subject::user(""),
                    TokenType::access(),
                    ID,
                ),
                IdentifierError::EmptySubjectId,
            ),
            (
                TokenIdentifier::new(
                    Persistence::Named,
                    Subject::oneprovider("p/q"),
                    TokenType::access(),
                    ID,
                ),
                IdentifierError::ForbiddenCharacter,
            ),
            (
                TokenIdentifier::new(
                    Persistence::Named,
                    user(),
                    TokenType::session_access(""),
                    ID,
                ),
                IdentifierError::EmptySessionId,
            ),
            (
                TokenIdentifier::new(
                    Persistence::Named,
                    user(),
                    TokenType::invite(InviteType::GroupJoinGroup, "g:h"),
                    ID,
                ),
                IdentifierError::ForbiddenCharacter,
            ),
            (
                TokenIdentifier::new(
                    Persistence::Named,
                    user(),
                    TokenType::invite(InviteType::GroupJoinGroup, ""),
                    ID,
                ),
                IdentifierError::EmptyTargetId,
            ),
            (TokenIdentifier::legacy(""), IdentifierError::EmptyId),
            (
                TokenIdentifier::legacy("12/abc"),
                IdentifierError::AmbiguousLegacyId,
            ),
            (
                TokenIdentifier::legacy("-1/abc"),
                IdentifierError::AmbiguousLegacyId,
            ),
        ] {
            assert_eq!(result, Err(error));
        }
        // Ids may hold `:` outside invite targets, as Onezone allows.
        let colons = TokenIdentifier::new(
            Persistence::Named,
            Subject::user("a:b"),
            TokenType::session_access("s:t"),
            "i:d",
        )
        .unwrap();
        round_trips(&colons, "2/nmd/usr-a:b/act:s:t/i:d");
    }

    /// One row per way an identifier can be malformed: the test name, the identifier bytes,
    /// and the exact error.
    macro_rules! rejects {
        ($($name:ident: $input:expr => $error:ident;)+) => {
            $(
                #[test]
                fn $name() {
                    assert_eq!(
                        TokenIdentifier::parse($input),
                        Err(IdentifierError::$error)
                    );
                }
            )+
        };
    }

    rejects! {
        identifier_empty_is_rejected: b"" => EmptyId;
        identifier_not_utf8_is_rejected: b"2/nmd/usr-\xff/act/id" => NotUtf8;
        identifier_version_1_is_rejected: b"1/abc" => UnsupportedVersion;
        identifier_version_3_is_rejected: b"3/nmd/usr-u/act/id" => UnsupportedVersion;
        identifier_version_02_is_rejected: b"02/nmd/usr-u/act/id" => UnsupportedVersion;
        identifier_version_signed_is_rejected: b"+2/nmd/usr-u/act/id" => UnsupportedVersion;
        identifier_version_negative_is_rejected: b"-2/nmd/usr-u/act/id" => UnsupportedVersion;
        identifier_too_few_fragments_is_rejected: b"2/nmd/usr-u/act" => WrongFragmentCount;
        identifier_too_many_fragments_is_rejected: b"2/nmd/usr-u/act/id/x" => WrongFragmentCount;
        identifier_version_only_is_rejected: b"2/" => WrongFragmentCount;
        identifier_unknown_persistence_is_rejected: b"2/tmp/usr-u/act/id" => UnknownPersistence;
        identifier_bad_generation_is_rejected: b"2/tmp-x/usr-u/act/id" => BadGeneration;
        identifier_padded_generation_is_rejected: b"2/tmp-07/usr-u/act/id" => BadGeneration;
        identifier_unknown_subject_is_rejected: b"2/nmd/grp-g/act/id" => UnknownSubject;
        identifier_empty_subject_id_is_rejected: b"2/nmd/usr-/act/id" => EmptySubjectId;
        identifier_malformed_type_is_rejected: b"2/nmd/usr-u/access/id" => MalformedTokenType;
        identifier_empty_session_is_rejected: b"2/nmd/usr-u/act:/id" => EmptySessionId;
        identifier_unknown_invite_is_rejected: b"2/nmd/usr-u/xyz:g:/id" => UnknownInviteType;
        identifier_empty_target_is_rejected: b"2/nmd/usr-u/ujg::/id" => EmptyTargetId;
        identifier_bad_parameters_is_rejected: b"2/nmd/usr-u/ssp:s:nl/id" => BadInviteParameters;
        identifier_empty_id_is_rejected: b"2/nmd/usr-u/act/" => EmptyId;
    }

    #[test]
    fn identifier_fragments_are_checked_in_order() {
        // The first malformed fragment decides the error.
        assert_eq!(
            TokenIdentifier::parse(b"2/x/grp-g/y/"),
            Err(IdentifierError::UnknownPersistence)
        );
        assert_eq!(
            TokenIdentifier::parse(b"2/nmd/grp-g/y/"),
            Err(IdentifierError::UnknownSubject)
        );
        assert_eq!(
            TokenIdentifier::parse(b"2/nmd/nobody/y/"),
            Err(IdentifierError::MalformedTokenType)
        );
    }

    proptest::proptest! {
        /// Whatever parses prints back to exactly the bytes it was read from. The alphabet
        /// makes well-formed and nearly well-formed identifiers common.
        #[test]
        fn identifier_accepted_prints_back_exactly(
            text in "(2|02|1|x)?/?((nmd|tmp-[0-9]{1,2})/)?(usr-[a-z:]{0,2}|prv-[a-z]|nobody)?/?\
                     (act|act:[a-z:]{0,2}|idn|(ujg|ssp):[a-z:]{0,2}:(ge)?)?/?[a-z0-9:/]{0,3}"
        ) {
            if let Ok(identifier) = TokenIdentifier::parse(text.as_bytes()) {
                proptest::prop_assert_eq!(identifier.to_string(), text);
            }
        }

        /// Version 2 identifiers, each part valid or off by a little.
        #[test]
        fn identifier_v2_accepted_prints_back_exactly(
            text in "2/(nmd|tmp-[0-9]{1,2})/(usr-[a-z:]{0,2}|prv-[a-z]{1,2}|nobody)/\
                     (act|act:[a-z:]{0,2}|idn|(ujg|ssp|rop):[a-z:]{0,2}:(ge)?)/[a-z0-9:]{0,3}"
        ) {
            match TokenIdentifier::parse(text.as_bytes()) {
                Ok(identifier) => {
                    proptest::prop_assert!(!identifier.is_legacy());
                    proptest::prop_assert_eq!(identifier.to_string(), text);
                }
                Err(error) => proptest::prop_assert!(matches!(
                    error,
                    IdentifierError::BadGeneration
                        | IdentifierError::EmptySubjectId
                        | IdentifierError::EmptySessionId
                        | IdentifierError::EmptyTargetId
                        | IdentifierError::MalformedTokenType
                        | IdentifierError::BadInviteParameters
                        | IdentifierError::EmptyId
                )),
            }
        }

        #[test]
        fn identifier_any_bytes_never_panic(bytes in proptest::collection::vec(0u8.., 0..64)) {
            let _ = TokenIdentifier::parse(&bytes);
        }
    }

    #[test]
    fn identifier_integer_versions_follow_erlang() {
        for text in ["0", "2", "+2", "-2", "007", "99999999999999999999999"] {
            assert!(is_integer(text), "{text}");
        }
        for text in ["", "+", "-", "2a", " 2", "2 ", "+-2", "٣"] {
            assert!(!is_integer(text), "{text}");
        }
    }
}
