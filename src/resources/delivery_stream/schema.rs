//! Schema of `firehose_delivery_stream` (SPEC §2), with a description for
//! every attribute so that `terraform providers schema -json` and editors
//! show them.

use crate::protocol::{Attribute as A, Block, Nesting, Schema, Type};

/// Version 1: `processor` holds one block per kind (see `upgrade`).
pub const SCHEMA_VERSION: i64 = 1;

fn metric_type() -> Type {
    Type::object([("namespace", Type::String), ("metric_name", Type::String), ("dimensions", Type::map(Type::String))])
}

/// Attributes shared by the destination and its backup: where and how
/// objects are written.
fn s3_common(b: Block, bucket_optional: bool) -> Block {
    let bucket = if bucket_optional {
        A::optional_computed(
            "bucket_arn",
            Type::String,
            "ARN of the backup bucket. When omitted the resource creates one (derived from the stream name) and deletes it on destroy if it is empty.",
        )
    } else {
        A::required("bucket_arn", Type::String, "ARN of the S3 bucket records are delivered to.")
    };
    b.attr(bucket)
        .attr(A::optional(
            "data_output_prefix",
            Type::String,
            "Prefix for delivered objects; may use `!{timestamp:...}` and `!{firehose:random-string}` expressions (then `error_output_prefix` is required). At most 1024 characters.",
        ))
        .attr(A::optional(
            "error_output_prefix",
            Type::String,
            "Prefix for objects of failed records; when it uses expressions it must include `!{firehose:error-output-type}`.",
        ))
        .attr(A::optional_computed(
            "compression",
            Type::String,
            "Compression of delivered objects: `UNCOMPRESSED` (default), `GZIP`, `ZIP`, `SNAPPY` or `HADOOP_SNAPPY`.",
        ))
        .attr(A::optional_computed(
            "buffering_interval",
            Type::Number,
            "Seconds to buffer incoming data before delivering it, 0 to 900; default 300.",
        ))
        .attr(A::optional_computed(
            "buffering_size",
            Type::Number,
            "MiB to buffer incoming data before delivering it, 1 to 128; default 5 (64 with dynamic partitioning, 128 with format conversion).",
        ))
        .attr(A::optional(
            "encryption_key_arn",
            Type::String,
            "ARN of a KMS key to encrypt delivered objects with (SSE-KMS). The destination role is granted `kms:Decrypt` and `kms:GenerateDataKey` on it via S3.",
        ))
        .attr(A::optional_computed(
            "logging",
            Type::Bool,
            "Whether delivery errors are logged to CloudWatch Logs; default true. Cannot be false when `log_group_name` is set.",
        ))
        .attr(A::optional(
            "log_group_name",
            Type::String,
            "Existing log group for delivery errors. When omitted and logging is on, the resource creates `/aws/kinesisfirehose/<name>`.",
        ))
}

pub fn schema() -> Schema {
    let backup = s3_common(
        Block::new("Backup of the source records to a second S3 bucket.").attr(A::optional_computed(
            "mode",
            Type::String,
            "Which records to back up: `ALL` (default). `FAILED` is not supported for S3 destinations.",
        )),
        true,
    );
    let s3 = super::s3::extend(s3_common(Block::new("Delivery to an S3 bucket."), false))
        .attr(A::optional(
            "role_arn",
            Type::String,
            "ARN of an existing role Firehose assumes to write to the destination. When omitted the resource creates one with a least-privilege policy; when given, the policy is attached to it inline.",
        ))
        .block("processor", Nesting::List, 0, 0, super::processors::block())
        .block("s3_backup", Nesting::List, 0, 1, backup);
    let destination = Block::new("Where records are delivered. Exactly one destination is allowed.").block(
        "s3_bucket",
        Nesting::List,
        1,
        1,
        s3,
    );
    let timeouts = Block::new("How long each operation may take, as durations such as `30m` or `1h10m`.")
        .attr(A::optional("create", Type::String, "Create timeout; default 30m."))
        .attr(A::optional("update", Type::String, "Update timeout; default 10m."))
        .attr(A::optional("delete", Type::String, "Delete timeout; default 30m."));

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
    ))
    .attr(A::optional(
        "source_stream_arn",
        Type::String,
        "ARN of a Kinesis data stream to read from. When omitted the stream accepts direct puts. Changing it replaces the stream.",
    ))
    .attr(A::optional_computed(
        "encryption",
        Type::String,
        "Server-side encryption of the stream: `UNENCRYPTED`, `AWS_OWNED` or `CUSTOMER_MANAGED`. Defaults to `CUSTOMER_MANAGED` when `encryption_key_arn` is given, else `UNENCRYPTED`. Not available with a Kinesis source.",
    ))
    .attr(A::optional_computed(
        "encryption_key_arn",
        Type::String,
        "ARN of the customer-managed KMS key for server-side encryption. With `CUSTOMER_MANAGED` and no key, the resource creates one (alias `alias/firehose/<name>`) and exports its ARN here.",
    ))
    .attr(A::optional(
        "role_arn",
        Type::String,
        "ARN of an existing role Firehose assumes to read the Kinesis source or use the SSE key. When omitted, a role is created only if needed.",
    ))
    .attr(A::optional_computed(
        "log_retention_days",
        Type::Number,
        "Retention in days of the log group the resource creates; one of CloudWatch's allowed values; default 731.",
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
        Type::map(metric_type()),
        "CloudWatch metrics of the stream by snake_case name (e.g. `incoming_records`, `delivery_to_s3_data_freshness`), each `{namespace, metric_name, dimensions}` ready for `aws_cloudwatch_metric_alarm`.",
    ))
    .block("destination", Nesting::List, 0, 0, destination)
    .block("timeouts", Nesting::Single, 0, 0, timeouts);
    Schema { version: SCHEMA_VERSION, block }
}
