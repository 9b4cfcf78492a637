//! `api = <svc>/<op>/<type>.<id>.<aspect>:<scope>|…`: which operations the token allows, with
//! `all` and `*` wildcards. Lazy: it is checked against each operation as it runs.

use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::party::ServiceKind;
use super::{ParseCaveatError, json_list, non_empty, parse_list, write_list};

/// A CRUD operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `create`
    Create,
    /// `get`
    Get,
    /// `update`
    Update,
    /// `delete`
    Delete,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Get => "get",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [Self::Create, Self::Get, Self::Update, Self::Delete]
            .into_iter()
            .find(|op| op.as_str() == name)
    }
}

/// A graph resource identifier of a concrete operation: `<type>.<id>.<aspect>:<scope>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Gri {
    /// Entity type (`user`, `space`, `group`, …).
    pub kind: String,
    /// Entity id.
    pub id: String,
    /// Aspect (`instance`, `users`, …).
    pub aspect: String,
    /// Scope (`private`, `protected`, `shared`, `public`, `auto`).
    pub scope: String,
}

/// A GRI pattern: each component a literal or `*` (`None`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GriPattern {
    /// Entity type, or any.
    pub kind: Option<String>,
    /// Entity id, or any.
    pub id: Option<String>,
    /// Aspect, or any.
    pub aspect: Option<String>,
    /// Scope, or any.
    pub scope: Option<String>,
}

/// One entry of an api caveat: service (`all` = `None`), operation (`all` = `None`), GRI.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApiSpec {
    /// Service kind, or all.
    pub service: Option<ServiceKind>,
    /// Operation, or all.
    pub operation: Option<Operation>,
    /// Resource pattern.
    pub gri: GriPattern,
}

/// The operation a request performs, for checking api caveats.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApiOperation {
    /// The service performing it.
    pub service: ServiceKind,
    /// The operation.
    pub operation: Operation,
    /// The resource.
    pub gri: Gri,
}

/// Which operations the token allows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Api {
    whitelist: Vec<ApiSpec>,
}

impl Api {
    /// An api caveat over a non-empty whitelist.
    ///
    /// # Errors
    /// [`ParseCaveatError::EmptyList`] when `whitelist` is empty.
    pub fn new(whitelist: Vec<ApiSpec>) -> Result<Self, ParseCaveatError> {
        non_empty(whitelist).map(|whitelist| Self { whitelist })
    }

    /// The entries.
    pub fn whitelist(&self) -> &[ApiSpec] {
        &self.whitelist
    }

    /// True when some entry allows `op`.
    pub fn allows(&self, op: &ApiOperation) -> bool {
        self.whitelist.iter().any(|spec| spec.matches(op))
    }

    pub(super) fn write_json(&self, object: &mut Map<String, Value>) {
        let list = self.whitelist.iter().map(|s| Value::from(s.to_string()));
        object.insert("whitelist".into(), list.collect());
    }

    pub(super) fn read_json(object: &Map<String, Value>) -> Result<Self, ParseCaveatError> {
        let whitelist = json_list(object, "whitelist", |v| v.as_str()?.parse().ok())?;
        Ok(Self { whitelist })
    }
}

impl ApiSpec {
    /// True when this entry allows `op`.
    pub fn matches(&self, op: &ApiOperation) -> bool {
        let component =
            |pattern: &Option<String>, value: &str| pattern.as_deref().is_none_or(|p| p == value);
        self.service.is_none_or(|s| s == op.service)
            && self.operation.is_none_or(|o| o == op.operation)
            && component(&self.gri.kind, &op.gri.kind)
            && component(&self.gri.id, &op.gri.id)
            && component(&self.gri.aspect, &op.gri.aspect)
            && component(&self.gri.scope, &op.gri.scope)
    }
}

impl FromStr for ApiSpec {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_spec(text).ok_or(ParseCaveatError::Malformed)
    }
}

fn parse_spec(text: &str) -> Option<ApiSpec> {
    let mut parts = text.splitn(3, '/');
    let service = match parts.next()? {
        "all" => None,
        "ozw" => Some(ServiceKind::OzWorker),
        "ozp" => Some(ServiceKind::OzPanel),
        "opw" => Some(ServiceKind::OpWorker),
        "opp" => Some(ServiceKind::OpPanel),
        _ => return None,
    };
    let operation = match parts.next()? {
        "all" => None,
        name => Some(Operation::from_name(name)?),
    };
    let (path, scope) = parts.next()?.rsplit_once(':')?;
    let mut path = path.splitn(3, '.');
    let component = |text: Option<&str>| -> Option<Option<String>> {
        match text? {
            "" => None,
            "*" => Some(None),
            t if t.contains(['|', ':', '/']) => None,
            t => Some(Some(t.to_owned())),
        }
    };
    let gri = GriPattern {
        kind: component(path.next())?,
        id: component(path.next())?,
        aspect: component(path.next())?,
        scope: component(Some(scope))?,
    };
    Some(ApiSpec {
        service,
        operation,
        gri,
    })
}

impl fmt::Display for ApiSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let service = match self.service {
            None => "all",
            Some(ServiceKind::OzWorker) => "ozw",
            Some(ServiceKind::OzPanel) => "ozp",
            Some(ServiceKind::OpWorker) => "opw",
            Some(ServiceKind::OpPanel) => "opp",
        };
        let operation = self.operation.map_or("all", Operation::as_str);
        let star = |c: &Option<String>| c.clone().unwrap_or_else(|| "*".to_owned());
        write!(
            f,
            "{service}/{operation}/{}.{}.{}:{}",
            star(&self.gri.kind),
            star(&self.gri.id),
            star(&self.gri.aspect),
            star(&self.gri.scope)
        )
    }
}

impl FromStr for Api {
    type Err = ParseCaveatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_list(text, |e| e.parse().ok()).map(|whitelist| Self { whitelist })
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.whitelist, |f, s| write!(f, "{s}"))
    }
}
