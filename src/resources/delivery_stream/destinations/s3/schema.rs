//! The `s3_bucket` block, and the S3 settings it shares with `s3_backup`
//! (which every destination kind may have).

use crate::aws::arn;
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{Type, Value};
use crate::resources::delivery_stream::{defaults, rules};

fn bucket(s: &str) -> Result<(), String> {
    arn::s3_bucket_arn(s).map(drop)
}

/// Firehose accepts alias ARNs for S3 encryption, but an IAM policy naming an
/// alias grants nothing on the key behind it; least privilege needs the key.
fn s3_key(s: &str) -> Result<(), String> {
    let a = arn::kms_key_or_alias_arn(s)?;
    if a.resource.starts_with("alias/") {
        return Err(format!(
            "expected a KMS key ARN (arn:aws:kms:region:account:key/id), got the alias {s:?}: the destination role's policy must name the key itself"
        ));
    }
    Ok(())
}

/// Attributes shared by the destination and its backup: where and how
/// objects are written.
pub fn s3_common(b: Block, bucket_optional: bool) -> Block {
    let bucket = if bucket_optional {
        A::optional_computed(
            "bucket_arn",
            Type::String,
            "ARN of the backup bucket. When omitted the resource creates one (derived from the stream name) and deletes it on destroy if it is empty.",
        )
        .check_str("Invalid bucket ARN", bucket)
    } else {
        A::required("bucket_arn", Type::String, "ARN of the S3 bucket records are delivered to.")
            .check_str("Invalid bucket ARN", bucket)
    };
    b.attr(bucket)
        .attr(A::optional(
            "data_output_prefix",
            Type::String,
            "Prefix for delivered objects; may use `!{timestamp:...}` and `!{firehose:random-string}` expressions (then `error_output_prefix` is required). At most 1024 characters.",
        )
        .check_str("Invalid prefix", |_| Ok(())))
        .attr(A::optional(
            "error_output_prefix",
            Type::String,
            "Prefix for objects of failed records; when it uses expressions it must include `!{firehose:error-output-type}`.",
        )
        .check_str("Invalid error output prefix", rules::error_output_prefix))
        .attr(A::optional_computed(
            "compression",
            Type::String,
            "Compression of delivered objects: `UNCOMPRESSED` (default), `GZIP`, `ZIP`, `SNAPPY` or `HADOOP_SNAPPY`.",
        )
        .default(Value::string(defaults::COMPRESSION.hcl()))
        .check_str("Invalid compression", rules::compression))
        .attr(A::optional_computed(
            "buffering_interval",
            Type::Number,
            "Seconds to buffer incoming data before delivering it, 0 to 900; default 300.",
        )
        .default(Value::int(defaults::BUFFERING_INTERVAL))
        .check_whole("Invalid buffering interval", rules::buffering_interval))
        .attr(A::optional_computed(
            "buffering_size",
            Type::Number,
            "MiB to buffer incoming data before delivering it, 1 to 128; default 5 (64 with dynamic partitioning, 128 with format conversion).",
        )
        .default(Value::int(defaults::BUFFERING_SIZE))
        .check_whole("Invalid buffering size", rules::buffering_size))
        .attr(A::optional(
            "encryption_key_arn",
            Type::String,
            "ARN of a KMS key to encrypt delivered objects with (SSE-KMS). The destination role is granted `kms:Decrypt` and `kms:GenerateDataKey` on it via S3.",
        )
        .check_str("Invalid encryption key ARN", s3_key))
        .attr(A::optional_computed(
            "logging",
            Type::Bool,
            "Whether delivery errors are logged to CloudWatch Logs; default true. Cannot be false when `log_group_name` is set.",
        )
        .default(Value::Bool(defaults::LOGGING)))
        .attr(A::optional(
            "log_group_name",
            Type::String,
            "Existing log group for delivery errors. When omitted and logging is on, the resource creates `/aws/kinesisfirehose/<name>`.",
        )
        .check_str("Invalid log group name", arn::log_group_name))
}

/// `s3_backup` of an S3 destination: a copy of the source records in a
/// second bucket.
pub fn backup_block() -> Block {
    backup_block_with(
        "Which records to back up: `ALL` (default). `FAILED` is not supported for S3 destinations.",
        defaults::BACKUP_MODE.hcl(),
        rules::backup_mode,
    )
}

/// `s3_backup` of any kind: which records its `mode` allows is the kind's.
pub fn backup_block_with(mode_doc: &str, default: &str, mode: fn(&str) -> Result<(), String>) -> Block {
    s3_common(
        Block::new("Backup of records to an S3 bucket.").attr(
            A::optional_computed("mode", Type::String, mode_doc)
                .default(Value::string(default))
                .check_str("Invalid backup mode", mode),
        ),
        true,
    )
}

pub fn block() -> Block {
    super::features::extend(s3_common(Block::new("Delivery to an S3 bucket."), false))
        .attr(A::optional(
            "role_arn",
            Type::String,
            "ARN of an existing role Firehose assumes to write to the destination. When omitted the resource creates one with a least-privilege policy; when given, the policy is attached to it inline.",
        )
        .check_str("Invalid role ARN", |s| arn::iam_role_arn(s).map(drop)))
        .block("processor", Nesting::List, 0, 0, crate::resources::delivery_stream::processors::block())
        .block("s3_backup", Nesting::List, 0, 1, backup_block())
}
