//! `firehose_delivery_stream`: one block that expands into a delivery stream
//! and everything it needs (SPEC §2).

pub mod alarms;
pub mod api;
pub mod apply;
pub mod change_rate;
pub mod claim;
pub mod defaults;
pub mod derive;
pub mod destinations;
pub mod enums;
pub mod list;
pub mod model;
pub mod moved;
pub mod msk;
pub mod names;
pub mod parts;
pub mod plan;
pub mod policies;
pub mod preflight;
pub mod private;
pub mod processors;
pub mod read;
pub mod rules;
pub mod schema;
pub mod stream;
pub mod teardown;
pub mod timeouts;
pub mod upgrade;
pub mod validate;

use crate::framework::{
    ApplyRequest, IdentityAttr, IdentitySchema, Listed, MoveSource, Outcome, PlanRequest, Planned, Resource,
};
use crate::protocol::{Diagnostics, Schema, Value};
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
        Some(IdentitySchema {
            version: 0,
            attrs: vec![
                IdentityAttr { name: "name", required: true, description: "Name of the delivery stream." },
                IdentityAttr {
                    name: "region",
                    required: false,
                    description: "Region of the stream; defaults to the provider's.",
                },
                IdentityAttr {
                    name: "account_id",
                    required: false,
                    description: "Account of the stream; defaults to the provider's.",
                },
            ],
        })
    }

    async fn identity(&self, env: &Env, state: &Value) -> Option<Value> {
        let ctx = plan::context(env).await.ok().flatten();
        let schema = self.identity_schema()?;
        Some(schema.value(|a| match a {
            "name" => state.attr("name").as_str().map(str::to_string),
            "region" => ctx.as_ref().map(|c| c.region.clone()),
            _ => ctx.as_ref().map(|c| c.account.clone()),
        }))
    }

    /// The stream's name, once the identity's region and account are the
    /// provider's: a stream elsewhere needs a provider configured for it.
    async fn import_id(&self, env: &Env, identity: &Value) -> Result<String, String> {
        let name = identity.attr("name").as_str().ok_or("the identity needs the stream's name")?;
        let ctx = plan::context(env).await?.ok_or("the provider is not configured")?;
        for (attr, ours) in [("region", &ctx.region), ("account_id", &ctx.account)] {
            if let Some(theirs) = identity.attr(attr).as_str().filter(|t| t != ours) {
                return Err(format!(
                    "the identity's {attr} is {theirs:?} but this provider is configured for {ours:?}; import with a provider configured for {theirs:?} (the provider meta-argument)"
                ));
            }
        }
        Ok(name.to_string())
    }

    fn upgrade(&self, version: i64, state: serde_json::Value) -> Result<serde_json::Value, String> {
        upgrade::upgrade(version, state)
    }

    async fn move_from(&self, env: &Env, source: MoveSource<'_>) -> Outcome {
        moved::move_from(env, source).await
    }
}
