//! The `s3_bucket` block, and the S3 settings it shares with `s3_backup`
//! (which every destination kind may have).

use crate::protocol::{Attribute as A, Block, Nesting, Type};

/// Attributes shared by the destination and its backup: where and how
/// objects are written.
pub fn s3_common(b: Block, bucket_optional: bool) -> Block {
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

/// `s3_backup`: a copy of the source records in a second bucket.
pub fn backup_block() -> Block {
    s3_common(
        Block::new("Backup of the source records to a second S3 bucket.").attr(A::optional_computed(
            "mode",
            Type::String,
            "Which records to back up: `ALL` (default). `FAILED` is not supported for S3 destinations.",
        )),
        true,
    )
}

pub fn block() -> Block {
    super::extend(s3_common(Block::new("Delivery to an S3 bucket."), false))
        .attr(A::optional(
            "role_arn",
            Type::String,
            "ARN of an existing role Firehose assumes to write to the destination. When omitted the resource creates one with a least-privilege policy; when given, the policy is attached to it inline.",
        ))
        .block("processor", Nesting::List, 0, 0, crate::resources::delivery_stream::processors::block())
        .block("s3_backup", Nesting::List, 0, 1, backup_block())
}
