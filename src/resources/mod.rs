//! Resource and data source types, each a small interface the server calls.

pub mod delivery_stream;
pub mod grant;

use crate::protocol::{AttrPath, Diagnostics, Schema, Value};
use crate::provider::Env;

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
pub trait Resource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Plan-time checks of the configuration; unknown values pass here and
    /// are checked again at apply.
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn plan(&self, env: &Env, req: PlanRequest<'_>) -> Planned;
    async fn apply(&self, env: &Env, req: ApplyRequest<'_>) -> Outcome;
    async fn read(&self, env: &Env, state: &Value, private: &[u8]) -> Outcome;
    async fn import(&self, env: &Env, id: &str) -> Outcome;
}

#[tonic::async_trait]
pub trait DataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn read(&self, env: &Env, config: &Value) -> Outcome;
}
