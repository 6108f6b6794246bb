//! The small framework resources and data sources are written against. It
//! knows the protocol layer (values, diagnostics), owns the schema and what
//! each attribute does (`schema.rs`, `validators.rs`), and knows nothing of
//! AWS: the provider supplies its clients as `C`, so this layer, the
//! provider and the resources import in one direction only
//! (docs/architecture.md).

pub mod action;
pub mod env;
pub mod identity;
pub mod known;
pub mod schema;
pub mod validators;
pub mod walk;

pub use action::{Action, Progress};
pub use env::Env;
pub use identity::{IdentityAttr, IdentitySchema};
pub use known::Known;
pub use schema::{Attribute, Block, Nesting, Schema};

use crate::protocol::{AttrPath, Diagnostics, Value};

pub struct PlanRequest<'a> {
    pub prior: &'a Value,
    pub proposed: &'a Value,
    pub config: &'a Value,
    pub prior_private: &'a [u8],
}

#[derive(Default)]
pub struct Planned {
    pub state: Value,
    pub requires_replace: Vec<AttrPath>,
    pub private: Vec<u8>,
    pub diags: Diagnostics,
}

pub struct ApplyRequest<'a> {
    pub prior: &'a Value,
    pub planned: &'a Value,
    pub config: &'a Value,
    pub private: &'a [u8],
}

/// One object a list found: its identity, a name for people, and its state
/// when asked for.
pub struct Listed {
    pub identity: Value,
    pub display_name: String,
    pub state: Option<Value>,
}

/// The resource a `moved` block moves from: its provider's address, type,
/// schema version and state as that provider stored it (JSON).
pub struct MoveSource<'a> {
    pub provider: &'a str,
    pub type_name: &'a str,
    pub schema_version: i64,
    pub state: &'a serde_json::Value,
}

/// The outcome of apply or read: the state to record (null when the object
/// is gone), private data, and diagnostics. On failure part-way, `state`
/// still records every part that exists, so nothing is orphaned.
#[derive(Default)]
pub struct Outcome {
    pub state: Value,
    pub private: Vec<u8>,
    pub diags: Diagnostics,
}

#[tonic::async_trait]
pub trait Resource<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Plan-time checks of the configuration; unknown values pass here and
    /// are checked again at apply.
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn plan(&self, env: &Env<C>, req: PlanRequest<'_>) -> Planned;
    async fn apply(&self, env: &Env<C>, req: ApplyRequest<'_>) -> Outcome;
    async fn read(&self, env: &Env<C>, state: &Value, private: &[u8]) -> Outcome;
    async fn import(&self, env: &Env<C>, id: &str) -> Outcome;
    /// The identity schema, for types that have one.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }
    /// The identity of the object `state` describes (a value of the identity
    /// schema's type), with `env` for what the state does not hold.
    async fn identity(&self, _env: &Env<C>, _state: &Value) -> Option<Value> {
        None
    }
    /// The import ID an `import { identity = ... }` block stands for.
    async fn import_id(&self, _env: &Env<C>, _identity: &Value) -> Result<String, String> {
        Err(format!("{} has no identity to import by; import it by ID", self.type_name()))
    }
    /// The schema of a `list` block's `config` (terraform query), for types
    /// whose objects can be listed.
    fn list_schema(&self) -> Option<Schema> {
        None
    }
    /// The objects matching `config`, at most `limit`, with their state when
    /// `include` is set.
    async fn list(&self, _env: &Env<C>, _config: &Value, _include: bool, _limit: usize) -> Result<Vec<Listed>, String> {
        Err(format!("{} cannot be listed", self.type_name()))
    }
    /// A configuration for `state` (`terraform query -generate-config-out`):
    /// what the schema computes, and defaults, are left out.
    fn generate_config(&self, state: &Value) -> Value {
        let mut v = state.clone();
        walk::config_from_state(&self.schema().block, &mut v);
        v
    }
    /// UpgradeResourceState: stored state (JSON) of schema `version`, in the
    /// shape of the current schema. Types that never changed shape keep it.
    fn upgrade(&self, version: i64, state: serde_json::Value) -> Result<serde_json::Value, String> {
        let current = self.schema().version;
        if version > current {
            return Err(format!("state of schema version {version} is newer than this provider's ({current})"));
        }
        Ok(state)
    }
    /// MoveResourceState: this resource's state from another provider's
    /// resource (a `moved` block across providers). Refused unless a type
    /// says how.
    async fn move_from(&self, _env: &Env<C>, source: MoveSource<'_>) -> Outcome {
        let mut out = Outcome::default();
        out.diags.error(
            "Cannot move into this resource type",
            format!(
                "{} from {} cannot be moved to {}; import it instead",
                source.type_name,
                source.provider,
                self.type_name()
            ),
        );
        out
    }
}

#[tonic::async_trait]
pub trait DataSource<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn read(&self, env: &Env<C>, config: &Value) -> Outcome;
}
