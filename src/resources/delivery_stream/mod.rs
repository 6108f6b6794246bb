//! `firehose_delivery_stream`: one block that expands into a delivery stream
//! and everything it needs (SPEC §2).

pub mod defaults;
pub mod derive;
pub mod names;
pub mod plan;
pub mod policies;
pub mod private;
pub mod rules;
pub mod schema;
pub mod timeouts;
pub mod validate;

use crate::protocol::{Diagnostics, Schema, Value};
use crate::provider::Env;
use crate::resources::{ApplyRequest, Outcome, PlanRequest, Planned, Resource};

pub const TYPE_NAME: &str = "firehose_delivery_stream";

pub struct DeliveryStream;

#[tonic::async_trait]
impl Resource for DeliveryStream {
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

    async fn apply(&self, _env: &Env, _req: ApplyRequest<'_>) -> Outcome {
        let mut o = Outcome::default();
        o.diags.error("Not implemented", "apply of firehose_delivery_stream is not implemented yet");
        o
    }

    async fn read(&self, _env: &Env, state: &Value, private: &[u8]) -> Outcome {
        Outcome { state: state.clone(), private: private.to_vec(), diags: Diagnostics::new() }
    }

    async fn import(&self, _env: &Env, _id: &str) -> Outcome {
        let mut o = Outcome::default();
        o.diags.error("Not implemented", "import of firehose_delivery_stream is not implemented yet");
        o
    }
}
