//! What the host knows about one request, for evaluating caveats: the time, the peer, the
//! services and parties involved, the operation, and what kind of token is being verified.

use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use super::api::ApiOperation;
use super::geo::{Country, Region};
use super::interface::InterfaceKind;
use super::party::{ConsumerKind, ServiceKind};

/// A source of the current time in seconds since the Unix epoch. Injected, so tests and
/// vectors are reproducible.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> u64;
}

/// The system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// Looks up network facts about a peer address for `asn` and `geo.*` caveats. The crate ships
/// none; a host plugs in e.g. a GeoLite database. Unknown answers make those caveats fail.
pub trait Resolver: Send + Sync {
    /// The autonomous system number of `ip`.
    fn asn(&self, ip: IpAddr) -> Option<u32>;
    /// The country of `ip`.
    fn country(&self, ip: IpAddr) -> Option<Country>;
    /// The regions of `ip` (a peer may be in two, e.g. Europe and EU); empty if unknown.
    fn regions(&self, ip: IpAddr) -> Vec<Region>;
}

/// The token kinds of spec §4.2, which decide which caveats a token may carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An access token (all caveats allowed).
    #[default]
    Access,
    /// An identity token.
    Identity,
    /// An invite token.
    Invite,
}

/// The party consuming the token, as proved by the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumer {
    /// `User` or `Provider` (a group never consumes).
    pub kind: ConsumerKind,
    /// Its id.
    pub id: String,
    /// For a user, the groups it is an effective member of.
    pub groups: Vec<String>,
}

/// One request's context. Fields the host leaves unknown make the caveats that need them fail.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// Seconds since the Unix epoch.
    pub now: u64,
    /// The peer's address.
    pub peer_ip: Option<IpAddr>,
    /// Network lookups for `asn` and `geo.*`.
    pub resolver: Option<&'a dyn Resolver>,
    /// The service handling the request, and its id (Onezone's default is `ozw-onezone`).
    pub service: (ServiceKind, &'a str),
    /// The consumer.
    pub consumer: Option<&'a Consumer>,
    /// The interface the request came through.
    pub interface: Option<InterfaceKind>,
    /// The operation being performed; `api` caveats pass while it is unknown (they are lazy).
    pub operation: Option<&'a ApiOperation>,
    /// Whether data-access caveats (`data.*`, `interface = oneclient`) may pass.
    pub allow_data_access: bool,
    /// The kind of token verified.
    pub token_kind: TokenKind,
    /// Verifying in identity-token scope (the legacy `authorization = none` passes only here).
    pub identity_scope: bool,
}

impl core::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context")
            .field("now", &self.now)
            .field("peer_ip", &self.peer_ip)
            .field("resolver", &self.resolver.is_some())
            .field("service", &self.service)
            .field("consumer", &self.consumer)
            .field("interface", &self.interface)
            .field("operation", &self.operation)
            .field("allow_data_access", &self.allow_data_access)
            .field("token_kind", &self.token_kind)
            .field("identity_scope", &self.identity_scope)
            .finish()
    }
}

impl<'a> Context<'a> {
    /// A context at `now` seconds since the epoch, for an access token handled by
    /// `ozw-onezone`, with nothing else known.
    pub fn at(now: u64) -> Self {
        Self {
            now,
            peer_ip: None,
            resolver: None,
            service: (ServiceKind::OzWorker, "onezone"),
            consumer: None,
            interface: None,
            operation: None,
            allow_data_access: false,
            token_kind: TokenKind::Access,
            identity_scope: false,
        }
    }

    /// A context at the time `clock` tells.
    pub fn now(clock: &impl Clock) -> Self {
        Self::at(clock.now())
    }

    /// Sets the peer address.
    #[must_use]
    pub fn with_peer_ip(mut self, ip: IpAddr) -> Self {
        self.peer_ip = Some(ip);
        self
    }

    /// Sets the network resolver.
    #[must_use]
    pub fn with_resolver(mut self, resolver: &'a dyn Resolver) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// Sets the service handling the request.
    #[must_use]
    pub fn with_service(mut self, kind: ServiceKind, id: &'a str) -> Self {
        self.service = (kind, id);
        self
    }

    /// Sets the consumer.
    #[must_use]
    pub fn with_consumer(mut self, consumer: &'a Consumer) -> Self {
        self.consumer = Some(consumer);
        self
    }

    /// Sets the interface.
    #[must_use]
    pub fn with_interface(mut self, interface: InterfaceKind) -> Self {
        self.interface = Some(interface);
        self
    }

    /// Sets the operation, so `api` caveats are checked against it.
    #[must_use]
    pub fn with_operation(mut self, operation: &'a ApiOperation) -> Self {
        self.operation = Some(operation);
        self
    }

    /// Allows data-access caveats.
    #[must_use]
    pub fn allowing_data_access(mut self) -> Self {
        self.allow_data_access = true;
        self
    }

    /// Sets the kind of token verified.
    #[must_use]
    pub fn for_token(mut self, kind: TokenKind) -> Self {
        self.token_kind = kind;
        self
    }

    /// Verifies in identity-token scope.
    #[must_use]
    pub fn in_identity_scope(mut self) -> Self {
        self.identity_scope = true;
        self
    }
}
