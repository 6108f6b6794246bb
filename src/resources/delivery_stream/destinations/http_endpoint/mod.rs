//! `http_endpoint`: delivery to an HTTPS endpoint, given by URL or by a
//! vendor preset, with a required S3 backup for failed (or all) records and
//! an access key that never reaches the plan or the state: write-only
//! (`access_key_wo`) or kept in Secrets Manager (`secret_arn`).

mod api;
mod destination;
pub mod presets;

use super::shared;
use crate::framework::schema::{Attribute as A, Block};
use crate::framework::validators::between;
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::kind::Grants;

/// The JSON keys Firehose reads from the secret (Firehose Developer Guide,
/// "Understand secrets").
pub const SECRET_KEYS: &[&str] = &["api_key"];
pub const LOG_STREAM: &str = "HttpEndpointDelivery";
pub const BUFFERING_INTERVAL: i64 = 60;
pub const BUFFERING_SIZE: i64 = 5;
pub const RETRY_DURATION: i64 = 300;

/// `AWS/Firehose` metrics of HTTP endpoint delivery.
const METRICS: [&str; 6] = [
    "DeliveryToHttpEndpoint.Bytes",
    "DeliveryToHttpEndpoint.Records",
    "DeliveryToHttpEndpoint.Success",
    "DeliveryToHttpEndpoint.DataFreshness",
    "DeliveryToHttpEndpoint.ProcessedBytes",
    "DeliveryToHttpEndpoint.ProcessedRecords",
];

pub struct HttpEndpoint;

fn endpoint_name(n: &str) -> Result<(), String> {
    if (1..=256).contains(&n.len()) {
        Ok(())
    } else {
        Err(format!("name must be 1 to 256 characters, given {} characters", n.len()))
    }
}

fn content_encoding(e: &str) -> Result<(), String> {
    match e {
        "NONE" | "GZIP" => Ok(()),
        _ => Err(format!("content_encoding must be \"NONE\" or \"GZIP\", given {e:?}")),
    }
}

pub fn block() -> Block {
    let b = Block::new("Delivery to an HTTPS endpoint: a vendor preset or your own URL.")
        .attr(
            A::optional("url", Type::String, "HTTPS URL records are POSTed to. Give either `url` or `preset`.")
                .check_str("Invalid endpoint URL", shared::https),
        )
        .attr(
            A::optional(
                "preset",
                Type::String,
                "A vendor's documented Firehose endpoint instead of `url`, e.g. `datadog_logs_us1`; see the list in the documentation.",
            )
            .check_str("Invalid preset", presets::check),
        )
        .attr(
            A::optional_computed(
                "name",
                Type::String,
                "Name of the endpoint shown by Firehose; defaults to the preset's vendor, else none.",
            )
            .check_str("Invalid endpoint name", endpoint_name),
        )
        .attr(
            A::optional_computed("content_encoding", Type::String, "`NONE` (default) or `GZIP` for request bodies.")
                .default(Value::string("NONE"))
                .check_str("Invalid content encoding", content_encoding),
        )
        .attr(A::optional(
            "common_attributes",
            Type::map(Type::String),
            "Attributes sent with every request (in the X-Amz-Firehose-Common-Attributes header).",
        ))
        .attr(
            A::optional_computed(
                "buffering_interval",
                Type::Number,
                "Seconds to buffer before a request, 0 to 900; default 60.",
            )
            .default(Value::int(BUFFERING_INTERVAL))
            .check_whole("Invalid buffering interval", between("buffering_interval", 0, 900, "seconds")),
        )
        .attr(
            A::optional_computed("buffering_size", Type::Number, "MiB to buffer before a request, 1 to 64; default 5.")
                .default(Value::int(BUFFERING_SIZE))
                .check_whole("Invalid buffering size", between("buffering_size", 1, 64, "MiBs")),
        )
        .attr(
            A::optional_computed(
                "retry_duration",
                Type::Number,
                "Seconds Firehose retries a failed request before backing the records up, 0 to 7200; default 300.",
            )
            .default(Value::int(RETRY_DURATION))
            .check_whole("Invalid retry duration", between("retry_duration", 0, 7200, "seconds")),
        )
        ;
    let b = shared::secret_attrs(b, "access_key_wo", "access_key_wo_version", "The endpoint's access key (API key)");
    shared::common_attrs(b, LOG_STREAM)
}

/// The endpoint URL and name the block resolves to.
fn endpoint(v: &Value) -> (Option<String>, Option<String>) {
    let preset = v.attr("preset").as_str().and_then(presets::find);
    let url = v.attr("url").as_str().map(str::to_string).or_else(|| preset.map(|p| p.url.to_string()));
    (url, v.attr("name").as_str().map(str::to_string))
}

#[cfg(test)]
mod tests;
