//! What the issuer remembers of a named token (spec `onezone-tokens.md` §3.2, Onezone's
//! `od_token`), and the changes a `PATCH` may make to it.

use core::fmt;

use serde_json::{Map, Value};

use crate::key::RootKey;
use crate::privilege::Privilege;
use crate::token::{Subject, TokenType};

/// A stored named token: who it is for, what it is, the caveats it was minted with, and the
/// token's own secret.
///
/// Each named token has its own random secret, so revoking or deleting one token touches no
/// other. The secret never shows in `Debug`.
///
/// The invite fields (usage limit, usage count, carried privileges) mean something only for
/// invite tokens; other records keep them at `None`, `0` and `None`. The store does not check
/// names, ids or caveats against Onezone's rules: the issuer does before it creates a record.
///
/// ```
/// use mintage::RootKey;
/// use mintage::store::NamedTokenRecord;
/// use mintage::token::{InviteType, Subject, TokenType};
///
/// let record = NamedTokenRecord::new(
///     "4c71496ba3dff0052c04c697b12fe157ch9a1f",
///     "invite alice",
///     Subject::user("bob"),
///     TokenType::invite(InviteType::UserJoinGroup, "g1"),
///     RootKey::from_derived([7; 32]),
///     1_700_000_000,
/// )
/// .with_caveats(vec!["time < 1800000000".into()])
/// .with_usage_limit(Some(1));
/// assert_eq!(record.usage_limit(), Some(1));
/// assert_eq!(record.usage_count(), 0);
/// assert!(!format!("{record:?}").contains("[7, 7"));
/// ```
#[derive(Clone)]
pub struct NamedTokenRecord {
    id: String,
    name: String,
    subject: Subject,
    token_type: TokenType,
    secret: RootKey,
    caveats: Vec<String>,
    custom_metadata: Value,
    revoked: bool,
    creation_time: u64,
    usage_limit: Option<u64>,
    usage_count: u64,
    privileges: Option<Vec<Privilege>>,
}

impl NamedTokenRecord {
    /// A record of the token `id`, called `name`, of `subject` and `token_type`, signed with
    /// `secret`, created at `creation_time` (seconds since the Unix epoch).
    ///
    /// It starts with no caveats, empty custom metadata (`{}`), not revoked, no usage limit
    /// (infinity), a usage count of 0 and no carried privileges; the `with_*` methods change
    /// that, as does a backend rebuilding a record it loaded.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        subject: Subject,
        token_type: TokenType,
        secret: RootKey,
        creation_time: u64,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            subject,
            token_type,
            secret,
            caveats: Vec::new(),
            custom_metadata: Value::Object(Map::new()),
            revoked: false,
            creation_time,
            usage_limit: None,
            usage_count: 0,
            privileges: None,
        }
    }

    /// With these caveats, as their text was minted into the token, in order.
    #[must_use]
    pub fn with_caveats(mut self, caveats: Vec<String>) -> Self {
        self.caveats = caveats;
        self
    }

    /// With this custom metadata (Onezone's `customMetadata`).
    #[must_use]
    pub fn with_custom_metadata(mut self, custom_metadata: Value) -> Self {
        self.custom_metadata = custom_metadata;
        self
    }

    /// Revoked or not.
    #[must_use]
    pub fn with_revoked(mut self, revoked: bool) -> Self {
        self.revoked = revoked;
        self
    }

    /// With this usage limit; `None` is infinity.
    #[must_use]
    pub fn with_usage_limit(mut self, usage_limit: Option<u64>) -> Self {
        self.usage_limit = usage_limit;
        self
    }

    /// With this usage count (a backend rebuilding a stored record; new records start at 0).
    #[must_use]
    pub fn with_usage_count(mut self, usage_count: u64) -> Self {
        self.usage_count = usage_count;
        self
    }

    /// With these carried privileges, granted on join instead of the invite type's defaults;
    /// `None` for the defaults, or where privileges do not apply.
    #[must_use]
    pub fn with_privileges(mut self, privileges: Option<Vec<Privilege>>) -> Self {
        self.privileges = privileges;
        self
    }

    /// The token id, the last field of the token identifier.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The name, unique among the subject's named tokens.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whom the token is for.
    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    /// What the token is for.
    pub fn token_type(&self) -> &TokenType {
        &self.token_type
    }

    /// The token's own secret. Handle with care: it signs the token.
    pub fn secret(&self) -> &RootKey {
        &self.secret
    }

    /// The caveats the token was minted with, as text, in order.
    pub fn caveats(&self) -> &[String] {
        &self.caveats
    }

    /// The custom metadata (Onezone's `customMetadata`); `{}` unless set.
    pub fn custom_metadata(&self) -> &Value {
        &self.custom_metadata
    }

    /// Whether the token is revoked. Revocation is reversible.
    pub fn is_revoked(&self) -> bool {
        self.revoked
    }

    /// When the record was created, in seconds since the Unix epoch.
    pub fn creation_time(&self) -> u64 {
        self.creation_time
    }

    /// How many times an invite token may be consumed; `None` is infinity.
    pub fn usage_limit(&self) -> Option<u64> {
        self.usage_limit
    }

    /// How many times an invite token has been consumed.
    pub fn usage_count(&self) -> u64 {
        self.usage_count
    }

    /// The privileges an invite token grants on join; `None` for the invite type's defaults,
    /// or where privileges do not apply.
    pub fn privileges(&self) -> Option<&[Privilege]> {
        self.privileges.as_deref()
    }

    /// Whether the usage count has reached the usage limit, so that consuming the token
    /// again must fail (Onezone's `inviteTokenUsageLimitReached`).
    pub fn is_used_up(&self) -> bool {
        self.usage_limit
            .is_some_and(|limit| self.usage_count >= limit)
    }

    /// Applies `update` in place (backends use it once they have checked the new name).
    pub fn apply(&mut self, update: NamedTokenUpdate) {
        if let Some(name) = update.name {
            self.name = name;
        }
        if let Some(custom_metadata) = update.custom_metadata {
            self.custom_metadata = custom_metadata;
        }
        if let Some(revoked) = update.revoked {
            self.revoked = revoked;
        }
    }

    /// Counts one use if the limit allows, returning the new count.
    pub(crate) fn count_use(&mut self) -> Option<u64> {
        if self.is_used_up() {
            return None;
        }
        self.usage_count = self.usage_count.checked_add(1)?;
        Some(self.usage_count)
    }

    /// Takes back one use; `false` if the count is 0.
    pub(crate) fn uncount_use(&mut self) -> bool {
        match self.usage_count.checked_sub(1) {
            Some(count) => {
                self.usage_count = count;
                true
            }
            None => false,
        }
    }
}

impl fmt::Debug for NamedTokenRecord {
    /// Every field but the secret, which shows as `RootKey(..)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedTokenRecord")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("subject", &self.subject)
            .field("token_type", &self.token_type)
            .field("secret", &format_args!("RootKey(..)"))
            .field("caveats", &self.caveats)
            .field("custom_metadata", &self.custom_metadata)
            .field("revoked", &self.revoked)
            .field("creation_time", &self.creation_time)
            .field("usage_limit", &self.usage_limit)
            .field("usage_count", &self.usage_count)
            .field("privileges", &self.privileges)
            .finish()
    }
}

/// The changes to a named-token record that Onezone's `PATCH /tokens/named/{id}` may make:
/// any of the name, the custom metadata and the revoked flag. A store applies them all or none.
///
/// ```
/// use mintage::store::NamedTokenUpdate;
///
/// let update = NamedTokenUpdate::new().with_name("renamed").with_revoked(true);
/// assert_eq!(update.name.as_deref(), Some("renamed"));
/// assert_eq!(update.custom_metadata, None);
/// assert!(!update.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct NamedTokenUpdate {
    /// The new name, which must stay unique among the subject's named tokens.
    pub name: Option<String>,
    /// The new custom metadata.
    pub custom_metadata: Option<Value>,
    /// Revoke (`true`) or un-revoke (`false`).
    pub revoked: Option<bool>,
}

impl NamedTokenUpdate {
    /// An update that changes nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also renames the token.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Also replaces the custom metadata.
    #[must_use]
    pub fn with_custom_metadata(mut self, custom_metadata: Value) -> Self {
        self.custom_metadata = Some(custom_metadata);
        self
    }

    /// Also revokes (`true`) or un-revokes (`false`) the token.
    #[must_use]
    pub fn with_revoked(mut self, revoked: bool) -> Self {
        self.revoked = Some(revoked);
        self
    }

    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.custom_metadata.is_none() && self.revoked.is_none()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::token::InviteType;

    fn invite(limit: Option<u64>) -> NamedTokenRecord {
        NamedTokenRecord::new(
            "id1",
            "name",
            Subject::user("u"),
            TokenType::invite(InviteType::UserJoinGroup, "g"),
            RootKey::from_derived([0xAB; 32]),
            10,
        )
        .with_usage_limit(limit)
    }

    #[test]
    fn record_debug_redacts_the_secret() {
        let record = invite(None);
        let shown = format!("{record:?}");
        assert!(shown.contains("secret: RootKey(..)"), "{shown}");
        assert!(shown.contains("\"id1\""), "{shown}");
        assert!(!shown.contains("171") && !shown.to_lowercase().contains("ab,"));
    }

    #[test]
    fn record_defaults() {
        let record = invite(None);
        assert_eq!(record.caveats(), &[] as &[String]);
        assert_eq!(record.custom_metadata(), &json!({}));
        assert!(!record.is_revoked());
        assert_eq!(record.usage_count(), 0);
        assert_eq!(record.privileges(), None);
        assert!(!record.is_used_up());
    }

    #[test]
    fn record_counts_uses_up_to_the_limit() {
        let mut record = invite(Some(2));
        assert_eq!(record.count_use(), Some(1));
        assert_eq!(record.count_use(), Some(2));
        assert!(record.is_used_up());
        assert_eq!(record.count_use(), None);
        assert!(record.uncount_use());
        assert_eq!(record.count_use(), Some(2));
        let mut unlimited = invite(None).with_usage_count(u64::MAX);
        assert_eq!(unlimited.count_use(), None, "the count never wraps");
        let mut fresh = invite(Some(1));
        assert!(!fresh.uncount_use());
        assert_eq!(invite(Some(0)).count_use(), None);
    }

    #[test]
    fn record_apply_changes_only_what_is_set() {
        let mut record = invite(None);
        record.apply(NamedTokenUpdate::new());
        assert_eq!(record.name(), "name");
        record.apply(
            NamedTokenUpdate::new()
                .with_custom_metadata(json!({"a": 1}))
                .with_revoked(true),
        );
        assert_eq!(record.name(), "name");
        assert_eq!(record.custom_metadata(), &json!({"a": 1}));
        assert!(record.is_revoked());
        record.apply(NamedTokenUpdate::new().with_name("other"));
        assert_eq!(record.name(), "other");
        assert!(record.is_revoked());
        assert!(NamedTokenUpdate::new().is_empty());
    }
}
