//! Onezone's privilege catalogue (spec `onezone-tokens.md` §1).
