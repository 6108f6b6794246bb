//! `snowflake`: delivery to a Snowflake table with Snowpipe Streaming, with
//! a required S3 backup of failed (or all) records. The key-pair credentials
//! never reach the plan or the state: write-only (`private_key_wo`,
//! `key_passphrase_wo`) or in Secrets Manager (`secret_arn`, which then
//! holds the user too).

mod api;
mod destination;
mod rules;

use super::shared;
use crate::framework::schema::{Attribute as A, Block};
use crate::framework::validators::{between, length};
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::kind::Grants;

/// The JSON keys Firehose reads from the secret (Firehose Developer Guide,
/// "Understand secrets").
pub const SECRET_KEYS: &[&str] = &["user", "private_key"];
pub const LOG_STREAM: &str = "SnowflakeDelivery";
pub use rules::DATA_LOADING;
pub const RETRY_DURATION: i64 = 60;
pub const BUFFERING_INTERVAL: i64 = 0;
pub const BUFFERING_SIZE: i64 = 128;

/// `AWS/Firehose` metrics of Snowflake delivery.
const METRICS: [&str; 5] = [
    "DeliveryToSnowflake.Bytes",
    "DeliveryToSnowflake.DataCommitLatency",
    "DeliveryToSnowflake.DataFreshness",
    "DeliveryToSnowflake.Records",
    "DeliveryToSnowflake.Success",
];

pub struct Snowflake;

fn name(attr: &'static str, what: &str) -> A {
    A::required(attr, Type::String, what).check_str("Invalid Snowflake name", length("name", 1, 255))
}

pub fn block() -> Block {
    let b = Block::new("Delivery to a Snowflake table (Snowpipe Streaming).")
        .attr(
            A::required(
                "account_url",
                Type::String,
                "URL of the Snowflake account, `https://<account identifier>.snowflakecomputing.com`.",
            )
            .check_str("Invalid Snowflake account URL", rules::account_url),
        )
        .attr(
            A::optional("user", Type::String, "Snowflake user Firehose signs in as; not with `secret_arn`, whose secret holds it.")
                .check_str("Invalid Snowflake user", length("user", 1, 255)),
        )
        .attr(name("database", "Database of the table."))
        .attr(name("schema", "Schema of the table."))
        .attr(name("table", "Table records are loaded into."))
        .attr(
            A::optional("snowflake_role", Type::String, "Snowflake role Firehose uses; the user's default when omitted.")
                .check_str("Invalid Snowflake role", length("snowflake_role", 1, 255)),
        )
        .attr(
            A::optional_computed(
                "data_loading_option",
                Type::String,
                "`JSON_MAPPING` (default: JSON keys to columns), `VARIANT_CONTENT_MAPPING` (the record in `content_column_name`) or `VARIANT_CONTENT_AND_METADATA_MAPPING` (plus Firehose's metadata in `metadata_column_name`).",
            )
            .default(Value::string(DATA_LOADING))
            .check_str("Invalid data loading option", rules::data_loading_option),
        )
        .attr(
            A::optional("content_column_name", Type::String, "VARIANT column holding each record (the VARIANT options only).")
                .check_str("Invalid column name", length("content_column_name", 1, 255)),
        )
        .attr(
            A::optional(
                "metadata_column_name",
                Type::String,
                "VARIANT column holding Firehose's metadata (`VARIANT_CONTENT_AND_METADATA_MAPPING` only).",
            )
            .check_str("Invalid column name", length("metadata_column_name", 1, 255)),
        )
        .attr(
            A::optional(
                "private_link_vpce_id",
                Type::String,
                "The VPC endpoint of your Snowflake account's AWS PrivateLink, for private delivery. Changing it replaces the stream (AWS cannot change it in place).",
            )
            .check_str("Invalid PrivateLink VPC endpoint ID", rules::vpce_id),
        )
        .attr(
            A::optional_computed("retry_duration", Type::Number, "Seconds Firehose retries before backing records up, 0 to 7200; default 60.")
                .default(Value::int(RETRY_DURATION))
                .check_whole("Invalid retry duration", between("retry_duration", 0, 7200, "seconds")),
        )
        .attr(
            A::optional_computed("buffering_interval", Type::Number, "Seconds to buffer, 0 to 900; default 0.")
                .default(Value::int(BUFFERING_INTERVAL))
                .check_whole("Invalid buffering interval", between("buffering_interval", 0, 900, "seconds")),
        )
        .attr(
            A::optional_computed("buffering_size", Type::Number, "MiB to buffer, 1 to 128; default 128.")
                .default(Value::int(BUFFERING_SIZE))
                .check_whole("Invalid buffering size", between("buffering_size", 1, 128, "MiBs")),
        );
    let b = shared::secret_attrs(
        b,
        "private_key_wo",
        "private_key_wo_version",
        "The user's private key (the base64 body of its PEM, without the BEGIN and END lines)",
    )
    .attr(
        A::optional(
            "key_passphrase_wo",
            Type::String,
            "Passphrase of an encrypted private key. Write-only, sent with `private_key_wo`.",
        )
        .sensitive()
        .write_only(),
    );
    shared::common_attrs(b, LOG_STREAM)
}

#[cfg(test)]
mod tests;
