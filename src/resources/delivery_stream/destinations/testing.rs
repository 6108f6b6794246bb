//! What the destination kinds' unit tests share: a context, a stream
//! configuration with one destination block, and its diagnostics.

use aws_sdk_firehose::types as fh;
use serde_json::{json, Value as Json};

use crate::protocol::json::from_json;
use crate::protocol::Diagnostics;
use crate::protocol::Value;
use crate::resources::delivery_stream::kind::Bound;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::model::{self, Spec};
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, schema, validate};

pub fn ctx() -> Ctx {
    Ctx {
        partition: "aws".into(),
        region: "us-east-1".into(),
        account: "123456789012".into(),
        default_tags: Default::default(),
    }
}

/// A stream named "s" whose destination is a `kind` block: `block` merged
/// over `base`.
pub fn config(kind: &str, base: Json, block: Json) -> Value {
    let mut merged = base;
    merged.as_object_mut().unwrap().extend(block.as_object().unwrap().clone());
    let b = schema::schema().block;
    let mut v = from_json(&json!({"name": "s", "destination": [{kind: [merged]}]}), &b.value_type()).unwrap();
    b.normalize(&mut v);
    v
}

/// Each error's path (relative to the `kind` block) and detail.
pub fn errors(c: &Value, kind: &str) -> Vec<(String, String)> {
    let prefix = format!("destination[0].{kind}[0].");
    validate::validate(c)
        .0
        .into_iter()
        .map(|d| (d.path.map(|p| p.to_string()).unwrap_or_default().replace(&prefix, ""), d.detail))
        .collect()
}

/// What DescribeDeliveryStream reports for a backup sent as `s3`.
pub fn described_backup(s3: &fh::S3DestinationConfiguration) -> fh::S3DestinationDescription {
    fh::S3DestinationDescription::builder()
        .role_arn(s3.role_arn())
        .bucket_arn(s3.bucket_arn())
        .set_prefix(s3.prefix().map(str::to_string))
        .set_error_output_prefix(s3.error_output_prefix().map(str::to_string))
        .buffering_hints(s3.buffering_hints().cloned().unwrap())
        .compression_format(s3.compression_format().cloned().unwrap())
        .encryption_configuration(s3.encryption_configuration().cloned().unwrap())
        .set_cloud_watch_logging_options(s3.cloud_watch_logging_options().cloned())
        .build()
        .unwrap()
}

/// The S3 destination configuration apply sends for `spec`.
pub fn sent_s3(spec: &Spec) -> fh::ExtendedS3DestinationConfiguration {
    let s3 = crate::resources::delivery_stream::kind::s3_spec(&spec.dest_block, &spec.name).unwrap();
    super::s3::api::destination_create(&super::s3::api::Destination {
        role_arn: &spec.destination_role_arn,
        s3: &s3,
        block: &spec.dest_block,
        backup: spec.backup.as_ref(),
    })
    .unwrap()
}

/// What DescribeDeliveryStream reports for an S3 destination sent as `sent`.
pub fn described_s3(sent: &fh::ExtendedS3DestinationConfiguration) -> fh::ExtendedS3DestinationDescription {
    fh::ExtendedS3DestinationDescription::builder()
        .role_arn(sent.role_arn())
        .bucket_arn(sent.bucket_arn())
        .set_prefix(sent.prefix().map(str::to_string))
        .set_error_output_prefix(sent.error_output_prefix().map(str::to_string))
        .set_buffering_hints(sent.buffering_hints().cloned())
        .set_compression_format(sent.compression_format().cloned())
        .set_encryption_configuration(sent.encryption_configuration().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .set_processing_configuration(sent.processing_configuration().cloned())
        .set_dynamic_partitioning_configuration(sent.dynamic_partitioning_configuration().cloned())
        .set_data_format_conversion_configuration(sent.data_format_conversion_configuration().cloned())
        .set_custom_time_zone(sent.custom_time_zone().map(str::to_string))
        .set_file_extension(sent.file_extension().map(str::to_string))
        .s3_backup_mode(fh::S3BackupMode::Disabled)
        .build()
        .unwrap()
}

/// The plan of a create of `c`, with write-only values null as Terraform
/// keeps them (and no errors).
pub fn planned(c: &Value) -> Value {
    let mut d = Diagnostics::new();
    let (mut v, _) = plan::planned_state(c, None, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "{d:?}");
    crate::framework::walk::null_write_only(schema::block(), &mut v);
    v
}

/// What apply reads from plan `p` of configuration `c`.
pub fn spec(p: &Value, c: &Value) -> Spec {
    model::spec(p, c, &ctx()).unwrap()
}

/// What apply hands a kind for `spec`.
pub fn bound(spec: &Spec) -> Bound<'_> {
    Bound {
        stream: &spec.name,
        role_arn: &spec.destination_role_arn,
        block: &spec.dest_block,
        config: &spec.dest_config,
        backup: spec.backup.as_ref(),
    }
}
