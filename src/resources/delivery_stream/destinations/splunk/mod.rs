//! `splunk`: delivery to a Splunk HTTP Event Collector, with a required S3
//! backup for failed (or all) events and a HEC token that never reaches the
//! plan or the state: write-only (`hec_token_wo`) or kept in Secrets
//! Manager (`secret_arn`).

mod api;
mod destination;

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
pub const SECRET_KEYS: &[&str] = &["hec_token"];
pub const LOG_STREAM: &str = "SplunkDelivery";
pub const ENDPOINT_TYPE: &str = "Raw";
pub const ACK_TIMEOUT: i64 = 180;
pub const RETRY_DURATION: i64 = 3600;
pub const BUFFERING_INTERVAL: i64 = 60;
pub const BUFFERING_SIZE: i64 = 5;

/// `AWS/Firehose` metrics of Splunk delivery.
const METRICS: [&str; 5] = [
    "DeliveryToSplunk.Bytes",
    "DeliveryToSplunk.DataAckLatency",
    "DeliveryToSplunk.DataFreshness",
    "DeliveryToSplunk.Records",
    "DeliveryToSplunk.Success",
];

pub struct Splunk;

fn endpoint_type(t: &str) -> Result<(), String> {
    match t {
        "Raw" | "Event" => Ok(()),
        _ => Err(format!("hec_endpoint_type must be \"Raw\" or \"Event\", given {t:?}")),
    }
}

pub fn block() -> Block {
    let b = Block::new("Delivery to a Splunk HTTP Event Collector (HEC).")
        .attr(
            A::required("hec_endpoint", Type::String, "HTTPS URL of the HEC endpoint.")
                .check_str("Invalid HEC endpoint", shared::https),
        )
        .attr(
            A::optional_computed("hec_endpoint_type", Type::String, "`Raw` (default) or `Event`.")
                .default(Value::string(ENDPOINT_TYPE))
                .check_str("Invalid HEC endpoint type", endpoint_type),
        )
        .attr(
            A::optional_computed(
                "hec_acknowledgment_timeout",
                Type::Number,
                "Seconds to wait for Splunk's acknowledgment, 180 to 600; default 180.",
            )
            .default(Value::int(ACK_TIMEOUT))
            .check_whole("Invalid acknowledgment timeout", |v| {
                shared::between("hec_acknowledgment_timeout", 180, 600, "seconds", v)
            }),
        )
        .attr(
            A::optional_computed(
                "retry_duration",
                Type::Number,
                "Seconds Firehose retries before backing events up, 0 to 7200; default 3600.",
            )
            .default(Value::int(RETRY_DURATION))
            .check_whole("Invalid retry duration", between("retry_duration", 0, 7200, "seconds")),
        )
        .attr(
            A::optional_computed("buffering_interval", Type::Number, "Seconds to buffer, 0 to 60; default 60.")
                .default(Value::int(BUFFERING_INTERVAL))
                .check_whole("Invalid buffering interval", |v| {
                    shared::between("buffering_interval", 0, 60, "seconds", v)
                }),
        )
        .attr(
            A::optional_computed("buffering_size", Type::Number, "MiB to buffer, 1 to 5; default 5.")
                .default(Value::int(BUFFERING_SIZE))
                .check_whole("Invalid buffering size", between("buffering_size", 1, 5, "MiBs")),
        );
    let b = shared::secret_attrs(b, "hec_token_wo", "hec_token_wo_version", "The HEC token");
    shared::common_attrs(b, LOG_STREAM)
}

#[cfg(test)]
mod tests;
