//! Errors, split by phase: decoding untrusted bytes, building or encoding a token, verifying.

use core::fmt;

/// Why a token could not be decoded. Every malformed input maps to one of these; none carries
/// input bytes, so they are cheap to return and safe to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeError {
    /// The signature is not 32 bytes.
    BadSignatureLength,
    /// A V2 varint is longer than 10 bytes or overflows.
    BadVarint,
    /// A field that may appear once appeared twice.
    DuplicateField,
    /// The input is empty (or only whitespace).
    Empty,
    /// The text is not valid Onedata base62 armour (given as armoured).
    InvalidBase62,
    /// The text is not valid base64 in either alphabet.
    InvalidBase64,
    /// The text is not valid JSON or has the wrong JSON types.
    InvalidJson,
    /// A field that must be text is not UTF-8.
    InvalidUtf8,
    /// A V1 packet is malformed: its header is not four lowercase hex digits, it declares an
    /// impossible length, its key is not followed by a space, or it does not end in a newline.
    MalformedPacket,
    /// A required field is missing.
    MissingField,
    /// The input ends in the middle of a field.
    Truncated,
    /// Bytes follow the signature.
    TrailingData,
    /// The encoded token is longer than [`Limits::max_encoded_len`](crate::format::Limits).
    TooLong,
    /// A field is longer than [`Limits::max_field_len`](crate::format::Limits).
    FieldTooLong,
    /// More caveats than [`Limits::max_caveats`](crate::format::Limits).
    TooManyCaveats,
    /// A field appeared where the format does not allow it, or is unknown.
    UnexpectedField,
    /// The first byte names no known format version.
    UnknownVersion,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BadSignatureLength => "signature is not 32 bytes",
            Self::MalformedPacket => "malformed v1 packet",
            Self::BadVarint => "malformed v2 varint",
            Self::DuplicateField => "field appears twice",
            Self::Empty => "token is empty",
            Self::InvalidBase62 => "invalid base62 armour",
            Self::InvalidBase64 => "invalid base64",
            Self::InvalidJson => "invalid json token",
            Self::InvalidUtf8 => "text field is not utf-8",
            Self::MissingField => "required field missing",
            Self::Truncated => "token is truncated",
            Self::TrailingData => "bytes follow the signature",
            Self::TooLong => "token exceeds the size limit",
            Self::FieldTooLong => "field exceeds the size limit",
            Self::TooManyCaveats => "too many caveats",
            Self::UnexpectedField => "unexpected field",
            Self::UnknownVersion => "unknown token format",
        })
    }
}

impl core::error::Error for DecodeError {}

/// Why a macaroon could not be built or written in the requested format. Caused by the
/// caller's inputs, never by untrusted token bytes alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildError {
    /// A field is longer than the format or [`Limits`](crate::format::Limits) allow.
    FieldTooLong,
    /// The macaroon would have more caveats than [`Limits::max_caveats`](crate::format::Limits).
    TooManyCaveats,
    /// The format cannot represent this macaroon: binary (non-UTF-8) identifiers in V1 JSON,
    /// or base62 armour over a JSON format.
    NotRepresentable,
    /// The operating system's random source failed.
    Random,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FieldTooLong => "field exceeds the size limit",
            Self::TooManyCaveats => "too many caveats",
            Self::NotRepresentable => "the format cannot represent this macaroon",
            Self::Random => "random source failed",
        })
    }
}

impl core::error::Error for BuildError {}

/// What went wrong in verification, coarsely: it never says which predicate failed or where a
/// signature chain diverged. [`VerifyError::reason`] gives an operator more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerifyErrorKind {
    /// A first-party caveat was not satisfied.
    CaveatNotSatisfied,
    /// A third-party caveat has no unused discharge with its id.
    DischargeMissing,
    /// A discharge was supplied but not needed by any caveat.
    DischargeUnused,
    /// A signature (of the token or of a discharge) does not match, or a third-party caveat's
    /// verification id does not open.
    InvalidSignature,
    /// Discharges nest deeper than [`Limits::max_depth`](crate::format::Limits).
    TooDeep,
    /// More discharges than [`Limits::max_discharges`](crate::format::Limits).
    TooManyDischarges,
}

impl fmt::Display for VerifyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CaveatNotSatisfied => "caveat not satisfied",
            Self::DischargeMissing => "discharge missing",
            Self::DischargeUnused => "discharge not used",
            Self::InvalidSignature => "invalid signature",
            Self::TooDeep => "discharges nest too deep",
            Self::TooManyDischarges => "too many discharges",
        })
    }
}

/// Where in a verification a failure happened; for operators, via [`VerifyError::reason`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Place {
    /// The request as a whole (discharge count, unused discharges).
    Request,
    /// The top-level macaroon, or discharge number `n` (in the slice given), at caveat `caveat`.
    Macaroon {
        discharge: Option<usize>,
        caveat: Option<usize>,
    },
}

/// A failed verification: a coarse [`kind`](VerifyError::kind) for callers, and an operator
/// [`reason`](VerifyError::reason) that says which macaroon and caveat failed (never the
/// predicate text or key material).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VerifyError {
    kind: VerifyErrorKind,
    place: Place,
}

impl VerifyError {
    pub(crate) fn new(kind: VerifyErrorKind, place: Place) -> Self {
        Self { kind, place }
    }

    /// The coarse kind, safe to show to the token's presenter.
    pub fn kind(&self) -> VerifyErrorKind {
        self.kind
    }

    /// An operator-readable account of the failure, e.g. `caveat not satisfied: caveat 2 of
    /// discharge 0`. Meant for logs and the CLI, not for the party presenting the token.
    pub fn reason(&self) -> String {
        let kind = self.kind;
        match self.place {
            Place::Request => kind.to_string(),
            Place::Macaroon { discharge, caveat } => {
                let owner = match discharge {
                    None => "the token".to_owned(),
                    Some(n) => format!("discharge {n}"),
                };
                match caveat {
                    None => format!("{kind}: {owner}"),
                    Some(c) => format!("{kind}: caveat {c} of {owner}"),
                }
            }
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl core::error::Error for VerifyError {}

/// What a plug-in backend (token store, privilege directory) reports when it fails: a static
/// reason, or the backend's own error as the source. The public wrappers name the subsystem.
#[derive(Debug)]
pub(crate) struct BackendFault {
    reason: &'static str,
    source: Option<Box<dyn core::error::Error + Send + Sync + 'static>>,
}

impl BackendFault {
    pub(crate) fn new(reason: &'static str) -> Self {
        Self {
            reason,
            source: None,
        }
    }

    pub(crate) fn from_source(
        source: impl Into<Box<dyn core::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            reason: "backend failed",
            source: Some(source.into()),
        }
    }

    /// `<subsystem> backend failed` when a source holds the cause, else
    /// `<subsystem> failed: <reason>`.
    pub(crate) fn describe(&self, f: &mut fmt::Formatter<'_>, subsystem: &str) -> fmt::Result {
        if self.source.is_some() {
            write!(f, "{subsystem} backend failed")
        } else {
            write!(f, "{subsystem} failed: {}", self.reason)
        }
    }

    pub(crate) fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn core::error::Error + 'static))
    }
}

/// Any error of the crate, for callers who handle them together (`?` converts each phase's
/// error into this one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// Building or encoding failed.
    Build(BuildError),
    /// Decoding failed.
    Decode(DecodeError),
    /// Verification failed.
    Verify(VerifyError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Build(e) => write!(f, "cannot build token: {e}"),
            Self::Decode(e) => write!(f, "cannot decode token: {e}"),
            Self::Verify(e) => write!(f, "token does not verify: {e}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Build(e) => Some(e),
            Self::Decode(e) => Some(e),
            Self::Verify(e) => Some(e),
        }
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Self::Build(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<VerifyError> for Error {
    fn from(e: VerifyError) -> Self {
        Self::Verify(e)
    }
}
