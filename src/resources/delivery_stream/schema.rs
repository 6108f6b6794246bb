//! Schema of `firehose_delivery_stream` (SPEC §2), with a description for
//! every attribute so that `terraform providers schema -json` and editors
//! show them.

use crate::aws::arn;
use crate::framework::schema::{Attribute as A, Block, Nesting, Schema};
use crate::protocol::{Type, Value};

use super::{defaults, rules, timeouts};

/// Version 1: `processor` holds one block per kind; version 2: `metrics`
/// maps names to CloudWatch metric names (see `upgrade`).
pub const SCHEMA_VERSION: i64 = 2;

fn duration(s: &str) -> Result<(), String> {
    timeouts::parse_duration(s).map(drop)
}

/// The schema, built once: validation and planning consult it on every
/// call, by reference.
pub fn block() -> &'static Block {
    static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    &SCHEMA.get_or_init(build).block
}

/// An owned copy, for the provider's schema RPCs.
pub fn schema() -> Schema {
    Schema { version: SCHEMA_VERSION, block: block().clone() }
}

fn build() -> Schema {
    let timeouts = Block::new("How long each operation may take, as durations such as `30m` or `1h10m`.")
        .attr(
            A::optional("create", Type::String, "Create timeout; default 30m.").check_str("Invalid timeout", duration),
        )
        .attr(
            A::optional("update", Type::String, "Update timeout; default 10m.").check_str("Invalid timeout", duration),
        )
        .attr(
            A::optional("delete", Type::String, "Delete timeout; default 30m.").check_str("Invalid timeout", duration),
        );

    let block = Block::new(
        "A Kinesis Data Firehose delivery stream together with what it needs: least-privilege IAM roles, a CloudWatch log group, \
         and optionally a KMS key and a backup bucket, validated at plan time and removed completely on destroy.",
    )
    .attr(A::computed("id", Type::String, "Same as `arn`."))
    .attr(A::computed("arn", Type::String, "ARN of the delivery stream."))
    .attr(A::optional_computed(
        "name",
        Type::String,
        "Name of the delivery stream, 1 to 64 of `[a-zA-Z0-9_.-]`. Generated when omitted. Changing it replaces the stream.",
    )
    .check_str("Invalid delivery stream name", rules::stream_name)
    .requires_replace());
    // The sources' attributes and blocks sit after `name`, as they always did.
    let block = super::sources::extend(block)
    .attr(A::optional_computed(
        "encryption",
        Type::String,
        "Server-side encryption of the stream: `UNENCRYPTED`, `AWS_OWNED` or `CUSTOMER_MANAGED`. Defaults to `CUSTOMER_MANAGED` when `encryption_key_arn` is given, else `UNENCRYPTED`. Not available with a Kinesis source.",
    )
    .check_str("Invalid encryption", rules::encryption))
    .attr(A::optional_computed(
        "encryption_key_arn",
        Type::String,
        "ARN of the customer-managed KMS key for server-side encryption. With `CUSTOMER_MANAGED` and no key, the resource creates one (alias `alias/firehose/<name>`) and exports its ARN here.",
    )
    .check_str("Invalid encryption key ARN", |s| arn::kms_key_arn(s).map(drop)))
    .attr(A::optional(
        "role_arn",
        Type::String,
        "ARN of an existing role Firehose assumes to read the Kinesis or MSK source or use the SSE key. When omitted, a role is created only if needed.",
    )
    .check_str("Invalid role ARN", |s| arn::iam_role_arn(s).map(drop)))
    .attr(A::optional_computed(
        "log_retention_days",
        Type::Number,
        "Retention in days of the log group the resource creates; one of CloudWatch's allowed values; default 731.",
    )
    .default(Value::int(defaults::LOG_RETENTION_DAYS))
    .check_whole("Invalid log retention", rules::log_retention_days))
    .attr(A::optional(
        "delivery_health",
        Type::Bool,
        "When true, every refresh (and so every plan) reads the last hour of the stream's delivery errors from its log group (one `FilterLogEvents` call) and shows them as a warning: how many, their error codes and the latest message. Unset or false: the refresh makes no extra call. Needs logging on.",
    ))
    .attr(A::optional("tags", Type::map(Type::String), "Tags for the stream and every part the resource creates."))
    .attr(A::computed("tags_all", Type::map(Type::String), "Tags after merging `tags` over the provider's `default_tags`."))
    .attr(A::computed("version_id", Type::String, "Version of the stream's configuration; changes with every update."))
    .attr(A::computed("destination_id", Type::String, "ID of the stream's destination."))
    .attr(A::computed("stream_role_arn", Type::String, "ARN of the role used to read the source or use the SSE key; null when none is needed."))
    .attr(A::computed("destination_role_arn", Type::String, "ARN of the role Firehose assumes to deliver to S3."))
    .attr(A::computed("log_group_name", Type::String, "Name of the log group delivery errors go to (the destination's, else the backup's); null when logging is off."))
    .attr(A::computed(
        "destination_role_policy_json",
        Type::String,
        "The exact policy document granted to the destination role.",
    ))
    .attr(A::computed(
        "stream_role_policy_json",
        Type::String,
        "The exact policy document granted to the stream role; null when no stream role is needed.",
    ))
    .attr(A::computed(
        "put_records_policy_json",
        Type::String,
        "A policy document granting `firehose:PutRecord` and `firehose:PutRecordBatch` on this stream, for producers; null for a stream reading a Kinesis source, which accepts no direct puts.",
    ))
    .attr(A::computed(
        "metrics",
        Type::map(Type::String),
        "The CloudWatch metrics this stream reports, and only those: snake_case name (e.g. `incoming_records`, `delivery_to_s3_data_freshness`) to metric name in the `AWS/Firehose` namespace, whose one dimension is `DeliveryStreamName`.",
    ))
    .attr(A::computed(
        "alarm_arns",
        Type::map(Type::String),
        "ARNs of the alarms the `alarms` block made, by alarm (e.g. `data_freshness`); null without an `alarms` block.",
    ))
    .block("destination", Nesting::List, 0, 0, super::destinations::block())
    .block("alarms", Nesting::List, 0, 1, super::alarms::block())
    .block("timeouts", Nesting::Single, 0, 0, timeouts);
    Schema { version: SCHEMA_VERSION, block }
}
