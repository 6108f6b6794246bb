//! Action `firehose_delivery_check`: puts a canary record into a stream and
//! reports whether it was delivered, failed (with Firehose's logged error)
//! or was not seen in time. docs/guides/delivery-check.md shows its use.

pub mod canary;
pub mod facts;
pub mod probe;
pub mod run;
#[cfg(test)]
mod testing;

use std::time::Duration;

use crate::framework::schema::{Attribute as A, Block, Schema};
use crate::framework::{walk, Action, Progress};
use crate::protocol::{AttrPath, Diagnostics, Type, Value};
use crate::provider::{AwsClients, Env};
use crate::resources::delivery_stream::timeouts::parse_duration;

pub const TYPE_NAME: &str = "firehose_delivery_check";

/// Between looks; S3 listings and log reads at this pace cost little.
const POLL: Duration = Duration::from_secs(5);

pub struct DeliveryCheck;

pub fn schema() -> Schema {
    let block = Block::new(
        "Puts a canary record into a delivery stream and waits for it: reports the object it landed in (or the delivery metric), the error Firehose logged, or that it was not seen in time.",
    )
    .attr(
        A::required("stream_name", Type::String, "Name of the delivery stream to check.")
            .check_str("Invalid stream name", crate::resources::delivery_stream::rules::stream_name),
    )
    .attr(
        A::optional(
            "timeout",
            Type::String,
            "How long to wait for the canary, e.g. `90s` or `10m`. Default: the stream's buffering interval plus 2 minutes.",
        )
        .check_str("Invalid timeout", |s| parse_duration(s).map(drop)),
    )
    .attr(A::optional(
        "canary",
        Type::Bool,
        "Default true. False sends no record: the check only reads the last hour of the stream's delivery errors. Streams that read from MSK never get a canary.",
    ));
    Schema { version: 0, block }
}

fn options(config: &Value) -> run::Options {
    run::Options {
        timeout: config.attr("timeout").as_str().and_then(|s| parse_duration(s).ok()),
        canary: config.attr("canary").as_bool() != Some(false),
        poll: POLL,
    }
}

#[tonic::async_trait]
impl Action<AwsClients> for DeliveryCheck {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        walk::validate(&schema().block, config, &AttrPath::root(), &mut d);
        d
    }

    async fn invoke(&self, env: &Env, config: &Value, progress: &Progress) -> Diagnostics {
        let mut d = self.validate(config);
        if d.has_errors() {
            return d;
        }
        let Some(name) = config.attr("stream_name").as_str() else {
            d.error_at(
                AttrPath::attr("stream_name"),
                "Missing stream name",
                "stream_name must be known to run the check",
            );
            return d;
        };
        let aws = match env.clients() {
            Ok(a) => a.clone(),
            Err(e) => {
                d.error("Cannot check the delivery stream", e);
                return d;
            }
        };
        let opts = options(config);
        tokio::select! {
            verdict = run::check(aws.as_ref(), name, &opts, progress) => match verdict {
                Ok(v) => run::report(name, &v, progress),
                Err(e) => {
                    d.error(format!("Cannot check {name}"), e);
                    d
                }
            },
            _ = env.stopped() => {
                d.warning(format!("The check of {name} was stopped"), "Terraform asked the provider to stop before the check ended.");
                d
            }
        }
    }
}
