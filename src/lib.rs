#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod caveat;
mod crypto;
mod error;
pub mod format;
pub mod hazmat;
pub mod issuer;
mod key;
mod macaroon;
pub mod privilege;
pub mod store;
pub mod token;
mod verify;

pub use error::{BuildError, DecodeError, Error, VerifyError, VerifyErrorKind};
pub use format::{Format, Limits};
pub use key::{RootKey, Signature};
pub use macaroon::{Caveat, Macaroon};
pub use verify::{Predicate, Verified, Verifier};
