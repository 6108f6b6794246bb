//! `firehose_delivery_stream`: one block that expands into a delivery stream
//! and everything it needs (SPEC §2).

pub mod alarms;
pub mod api;
pub mod apply;
pub mod building;
pub mod change_rate;
pub mod claim;
pub mod defaults;
pub mod derive;
pub mod destinations;
pub mod enums;
pub mod health;
pub mod identity;
pub mod kind;
pub mod list;
pub mod model;
pub mod moved;
pub mod names;
pub mod parts;
pub mod plan;
pub mod policies;
pub mod preflight;
pub mod private;
pub mod processors;
pub mod read;
pub mod reading;
pub mod removal;
pub mod rules;
pub mod schema;
pub mod sources;
pub mod stream;
pub mod teardown;
pub mod timeouts;
pub mod upgrade;
pub mod validate;

use crate::framework::schema::Schema;
use crate::framework::{ApplyRequest, IdentitySchema, Listed, MoveSource, Outcome, PlanRequest, Planned, Resource};
use crate::protocol::{Diagnostics, Value};
use crate::provider::{AwsClients, Env};

pub const TYPE_NAME: &str = "firehose_delivery_stream";

pub struct DeliveryStream;

#[tonic::async_trait]
impl Resource<AwsClients> for DeliveryStream {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        validate::validate(config)
    }

    async fn plan(&self, env: &Env, req: PlanRequest<'_>) -> Planned {
        plan::plan(env, req).await
    }

    async fn apply(&self, env: &Env, req: ApplyRequest<'_>) -> Outcome {
        apply::apply(env, req).await
    }

    async fn read(&self, env: &Env, state: &Value, private: &[u8]) -> Outcome {
        read::read(env, state, private).await
    }

    async fn import(&self, env: &Env, id: &str) -> Outcome {
        read::import(env, id).await
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(list::schema())
    }

    async fn list(&self, env: &Env, config: &Value, include: bool, limit: usize) -> Result<Vec<Listed>, String> {
        list::list(env, config, include, limit).await
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity::schema())
    }

    async fn identity(&self, env: &Env, state: &Value) -> Option<Value> {
        identity::of(env, state).await
    }

    /// The stream's name, once the identity's region and account are the
    /// provider's: a stream elsewhere needs a provider configured for it.
    async fn import_id(&self, env: &Env, identity: &Value) -> Result<String, String> {
        identity::import_id(env, identity).await
    }

    fn upgrade(&self, version: i64, state: serde_json::Value) -> Result<serde_json::Value, String> {
        upgrade::upgrade(version, state)
    }

    async fn move_from(&self, env: &Env, source: MoveSource<'_>) -> Outcome {
        moved::move_from(env, source).await
    }
}
