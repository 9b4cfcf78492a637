//! Onezone's token model (spec `onezone-tokens.md` §3): subjects, token types, persistence and
//! the token identifier.
