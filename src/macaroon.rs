//! The macaroon value and the operations that extend its signature chain.

use core::fmt;

use crate::crypto::{self, NONCE_LEN};
use crate::error::BuildError;
use crate::format::Limits;
use crate::key::{RootKey, Signature};

/// A macaroon: location hint, identifier, caveats and the signature that chains them.
///
/// A decoded `Macaroon` is untrusted until [`Verifier::verify`](crate::Verifier::verify)
/// accepts it. `Debug` shows the location, identifier and caveat count, never the signature.
///
/// Minting and adding caveats check [`Limits::default`]: fields of at most 65535 bytes and at
/// most 1024 caveats.
#[derive(Clone, PartialEq, Eq)]
pub struct Macaroon {
    location: String,
    identifier: Vec<u8>,
    caveats: Vec<Caveat>,
    signature: Signature,
}

/// One caveat of a macaroon, as the wire formats carry it: a caveat id, and for a third-party
/// caveat a verification id and a location hint.
///
/// For a first-party caveat the id is the predicate (`time < 1496140144`).
#[derive(Clone, PartialEq, Eq)]
pub struct Caveat {
    id: Vec<u8>,
    verification_id: Vec<u8>,
    location: String,
}

impl Macaroon {
    /// Mints a macaroon: `signature = HMAC(key, identifier)`. `location` is an unsigned hint
    /// and may be empty.
    ///
    /// # Errors
    /// [`BuildError::FieldTooLong`] when the location or identifier is longer than
    /// [`Limits::max_field_len`].
    pub fn mint(
        key: &RootKey,
        location: &str,
        identifier: impl AsRef<[u8]>,
    ) -> Result<Self, BuildError> {
        let identifier = identifier.as_ref();
        check_field(location.as_bytes())?;
        check_field(identifier)?;
        Ok(Self {
            signature: key.chain_key().sign(identifier),
            location: location.to_owned(),
            identifier: identifier.to_vec(),
            caveats: Vec::new(),
        })
    }

    /// [`Macaroon::mint`] taking the identifier's buffer rather than copying it.
    pub(crate) fn mint_owned(
        key: &RootKey,
        location: &str,
        identifier: Vec<u8>,
    ) -> Result<Self, BuildError> {
        check_field(location.as_bytes())?;
        check_field(&identifier)?;
        Ok(Self {
            signature: key.chain_key().sign(&identifier),
            location: location.to_owned(),
            identifier,
            caveats: Vec::new(),
        })
    }

    /// [`Macaroon::add_first_party`] taking the predicate's buffer rather than copying it.
    pub(crate) fn add_first_party_owned(&mut self, predicate: Vec<u8>) -> Result<(), BuildError> {
        self.check_room(&predicate, "")?;
        self.signature = crypto::chain_first_party(&self.signature, &predicate);
        self.caveats.push(Caveat {
            id: predicate,
            verification_id: Vec::new(),
            location: String::new(),
        });
        Ok(())
    }

    /// Appends a first-party caveat (a predicate the verifier must satisfy).
    ///
    /// # Errors
    /// [`BuildError::FieldTooLong`] or [`BuildError::TooManyCaveats`] past [`Limits`].
    pub fn add_first_party(&mut self, predicate: impl AsRef<[u8]>) -> Result<(), BuildError> {
        let predicate = predicate.as_ref();
        self.check_room(predicate, "")?;
        self.signature = crypto::chain_first_party(&self.signature, predicate);
        self.caveats.push(Caveat {
            id: predicate.to_vec(),
            verification_id: Vec::new(),
            location: String::new(),
        });
        Ok(())
    }

    /// Appends a third-party caveat: the third party at `location`, sharing `caveat_key` with
    /// us, must issue a discharge macaroon with identifier `caveat_id`. The verification id
    /// seals the caveat key under the current signature with a fresh random nonce.
    ///
    /// # Errors
    /// [`BuildError::FieldTooLong`], [`BuildError::TooManyCaveats`], or
    /// [`BuildError::Random`] when the operating system's random source fails.
    pub fn add_third_party(
        &mut self,
        location: &str,
        caveat_key: &RootKey,
        caveat_id: impl AsRef<[u8]>,
    ) -> Result<(), BuildError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| BuildError::Random)?;
        self.add_third_party_with_nonce(location, caveat_key, caveat_id.as_ref(), &nonce)
    }

    pub(crate) fn add_third_party_with_nonce(
        &mut self,
        location: &str,
        caveat_key: &RootKey,
        caveat_id: &[u8],
        nonce: &[u8; NONCE_LEN],
    ) -> Result<(), BuildError> {
        self.check_room(caveat_id, location)?;
        let vid = crypto::seal_caveat_key(&self.signature, nonce, caveat_key.chain_key());
        self.signature = crypto::chain_third_party(&self.signature, &vid, caveat_id);
        self.caveats.push(Caveat {
            id: caveat_id.to_vec(),
            verification_id: vid.to_vec(),
            location: location.to_owned(),
        });
        Ok(())
    }

    /// Returns `discharge` bound to this macaroon, ready to send with it: its signature becomes
    /// `HMAC2(0³², self.signature, discharge.signature)`. Bind every discharge, including those
    /// for caveats inside other discharges, to the top-level macaroon.
    pub fn bind(&self, discharge: &Macaroon) -> Macaroon {
        let mut bound = discharge.clone();
        bound.signature = crypto::bind(&self.signature, &discharge.signature);
        bound
    }

    /// The location hint (not covered by the signature); empty when there is none.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The identifier.
    pub fn identifier(&self) -> &[u8] {
        &self.identifier
    }

    /// The caveats, in chain order.
    pub fn caveats(&self) -> &[Caveat] {
        &self.caveats
    }

    /// The signature. It is a bearer secret: whoever holds it can present and extend the token.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Assembles a macaroon from decoded fields; the decoder has checked limits.
    pub(crate) fn from_parts(
        location: String,
        identifier: Vec<u8>,
        caveats: Vec<Caveat>,
        signature: Signature,
    ) -> Self {
        Self {
            location,
            identifier,
            caveats,
            signature,
        }
    }

    fn check_room(&self, id: &[u8], location: &str) -> Result<(), BuildError> {
        check_field(id)?;
        check_field(location.as_bytes())?;
        if self.caveats.len() >= Limits::default().max_caveats {
            return Err(BuildError::TooManyCaveats);
        }
        Ok(())
    }
}

impl fmt::Debug for Macaroon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Macaroon")
            .field("location", &self.location)
            .field("identifier", &String::from_utf8_lossy(&self.identifier))
            .field("caveats", &self.caveats.len())
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl Caveat {
    /// The caveat id: the predicate of a first-party caveat, or the id a third party issues its
    /// discharge under.
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The verification id of a third-party caveat; `None` for a first-party caveat.
    pub fn verification_id(&self) -> Option<&[u8]> {
        if self.verification_id.is_empty() {
            None
        } else {
            Some(&self.verification_id)
        }
    }

    /// The location hint of a third-party caveat (unsigned); usually empty for first-party.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// True for a third-party caveat (one with a verification id).
    pub fn is_third_party(&self) -> bool {
        !self.verification_id.is_empty()
    }

    /// Assembles a caveat from decoded fields; an empty verification id means first-party.
    pub(crate) fn from_parts(id: Vec<u8>, verification_id: Vec<u8>, location: String) -> Self {
        Self {
            id,
            verification_id,
            location,
        }
    }
}

impl fmt::Debug for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Caveat");
        s.field("id", &String::from_utf8_lossy(&self.id));
        if self.is_third_party() {
            s.field("location", &self.location)
                .field("verification_id", &"..");
        }
        s.finish()
    }
}

fn check_field(bytes: &[u8]) -> Result<(), BuildError> {
    if bytes.len() > Limits::default().max_field_len {
        return Err(BuildError::FieldTooLong);
    }
    Ok(())
}
