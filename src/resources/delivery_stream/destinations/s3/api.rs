//! The S3 destination's side of the Firehose API: what is sent for a
//! planned block on create and update, and the block read back from a
//! description. Each field sent is read back the same way, so a refresh
//! reproduces what was applied.

use std::collections::BTreeMap;

use aws_sdk_firehose::types as fh;

use super::{conversion, partitioning};
use crate::protocol::Value;
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::enums::{BackupMode, Compression};
use crate::resources::delivery_stream::kind::S3Spec;
use crate::resources::delivery_stream::{names, processors};

fn compression(c: Compression) -> fh::CompressionFormat {
    fh::CompressionFormat::from(c.api())
}

fn encryption(key: Option<&str>) -> Result<fh::EncryptionConfiguration, String> {
    Ok(match key {
        Some(k) => fh::EncryptionConfiguration::builder()
            .kms_encryption_config(fh::KmsEncryptionConfig::builder().awskms_key_arn(k).build().map_err(build_err)?)
            .build(),
        None => {
            fh::EncryptionConfiguration::builder().no_encryption_config(fh::NoEncryptionConfig::NoEncryption).build()
        }
    })
}

fn logging(s: &S3Spec, log_stream: &str) -> fh::CloudWatchLoggingOptions {
    logging_options(s.log_group.as_deref(), log_stream)
}

fn buffering(s: &S3Spec) -> fh::BufferingHints {
    fh::BufferingHints::builder().interval_in_seconds(s.interval).size_in_mbs(s.size).build()
}

pub struct Destination<'a> {
    pub role_arn: &'a str,
    pub s3: &'a S3Spec,
    /// The planned destination block: processors and the S3-only settings.
    pub block: &'a Value,
    pub backup: Option<&'a S3Spec>,
}

pub fn destination_create(d: &Destination<'_>) -> Result<fh::ExtendedS3DestinationConfiguration, String> {
    let mut b = fh::ExtendedS3DestinationConfiguration::builder()
        .role_arn(d.role_arn)
        .bucket_arn(&d.s3.bucket_arn)
        .set_prefix(d.s3.prefix.clone())
        .set_error_output_prefix(d.s3.error_prefix.clone())
        .buffering_hints(buffering(d.s3))
        .compression_format(compression(d.s3.compression))
        .encryption_configuration(encryption(d.s3.key_arn.as_deref())?)
        .cloud_watch_logging_options(logging(d.s3, names::DESTINATION_LOG_STREAM))
        .processing_configuration(processors::to_api(d.block.attr("processor"))?)
        .set_custom_time_zone(d.block.attr("custom_time_zone").as_str().map(str::to_string))
        .set_file_extension(d.block.attr("file_extension").as_str().map(str::to_string))
        .set_dynamic_partitioning_configuration(
            super::features::dynamic_partitioning(d.block).map(|v| partitioning::to_api(Some(v))),
        )
        .set_data_format_conversion_configuration(
            super::features::conversion(d.block).map(|c| conversion::to_api(Some(c), d.role_arn)).transpose()?,
        )
        .s3_backup_mode(if d.backup.is_some() { fh::S3BackupMode::Enabled } else { fh::S3BackupMode::Disabled });
    if let Some(bk) = d.backup {
        b = b.s3_backup_configuration(backup_create(d.role_arn, bk)?);
    }
    b.build().map_err(build_err)
}

/// The S3 part of any destination kind (its backup), on create.
pub fn backup_create(role_arn: &str, bk: &S3Spec) -> Result<fh::S3DestinationConfiguration, String> {
    bucket_create(role_arn, bk, names::BACKUP_LOG_STREAM)
}

/// The same, restated in full on update.
pub fn backup_update(role_arn: &str, bk: &S3Spec) -> Result<fh::S3DestinationUpdate, String> {
    bucket_update(role_arn, bk, names::BACKUP_LOG_STREAM)
}

/// An S3 bucket configuration of any role (a backup, a staging bucket),
/// logging its errors to `log_stream`.
pub fn bucket_create(role_arn: &str, bk: &S3Spec, log_stream: &str) -> Result<fh::S3DestinationConfiguration, String> {
    fh::S3DestinationConfiguration::builder()
        .role_arn(role_arn)
        .bucket_arn(&bk.bucket_arn)
        .set_prefix(bk.prefix.clone())
        .set_error_output_prefix(bk.error_prefix.clone())
        .buffering_hints(buffering(bk))
        .compression_format(compression(bk.compression))
        .encryption_configuration(encryption(bk.key_arn.as_deref())?)
        .cloud_watch_logging_options(logging(bk, log_stream))
        .build()
        .map_err(build_err)
}

/// The same, restated in full on update.
pub fn bucket_update(role_arn: &str, bk: &S3Spec, log_stream: &str) -> Result<fh::S3DestinationUpdate, String> {
    Ok(fh::S3DestinationUpdate::builder()
        .role_arn(role_arn)
        .bucket_arn(&bk.bucket_arn)
        .prefix(bk.prefix.clone().unwrap_or_default())
        .error_output_prefix(bk.error_prefix.clone().unwrap_or_default())
        .buffering_hints(buffering(bk))
        .compression_format(compression(bk.compression))
        .encryption_configuration(encryption(bk.key_arn.as_deref())?)
        .cloud_watch_logging_options(logging(bk, log_stream))
        .build())
}

/// A full update: every field is restated, so a removed setting (a prefix,
/// a processor) is really removed rather than left as it was.
pub fn destination_update(d: &Destination<'_>) -> Result<fh::ExtendedS3DestinationUpdate, String> {
    let mut b = fh::ExtendedS3DestinationUpdate::builder()
        .role_arn(d.role_arn)
        .bucket_arn(&d.s3.bucket_arn)
        .prefix(d.s3.prefix.clone().unwrap_or_default())
        .error_output_prefix(d.s3.error_prefix.clone().unwrap_or_default())
        .buffering_hints(buffering(d.s3))
        .compression_format(compression(d.s3.compression))
        .encryption_configuration(encryption(d.s3.key_arn.as_deref())?)
        .cloud_watch_logging_options(logging(d.s3, names::DESTINATION_LOG_STREAM))
        .processing_configuration(processors::to_api(d.block.attr("processor"))?)
        .custom_time_zone(d.block.attr("custom_time_zone").as_str().unwrap_or(super::features::TIME_ZONE))
        // An empty extension restores Firehose's choice from the compression.
        .file_extension(d.block.attr("file_extension").as_str().unwrap_or_default())
        .data_format_conversion_configuration(conversion::to_api(super::features::conversion(d.block), d.role_arn)?);
    // Dynamic partitioning cannot change on an existing stream (the plan
    // replaces it instead); its retry duration can.
    if let Some(dp) = super::features::dynamic_partitioning(d.block) {
        b = b.dynamic_partitioning_configuration(partitioning::to_api(Some(dp)));
    }
    if let Some(bk) = d.backup {
        b = b.s3_backup_mode(fh::S3BackupMode::Enabled).s3_backup_update(backup_update(d.role_arn, bk)?);
    }
    Ok(b.build())
}

// ---------------------------------------------------------------- reading back

fn opt(s: Option<&str>) -> Value {
    // AWS reports an unset prefix as an empty string.
    Value::opt_string(s.filter(|s| !s.is_empty()).map(str::to_string))
}

/// The fields an S3 destination and its backup describe alike.
struct S3View<'a> {
    bucket: &'a str,
    prefix: Option<&'a str>,
    error_prefix: Option<&'a str>,
    hints: Option<&'a fh::BufferingHints>,
    compression: &'a fh::CompressionFormat,
    encryption: Option<&'a fh::EncryptionConfiguration>,
    logs: Option<&'a fh::CloudWatchLoggingOptions>,
}

/// What an S3 description says, in our attribute names. `derived_group` is
/// the log group the resource would create: it reads back as "not given".
fn s3_common(d: &S3View<'_>, stream: &str) -> BTreeMap<String, Value> {
    let (logging, group) = logging_value(d.logs, stream);
    let api = d.compression.as_str();
    let interval = d
        .hints
        .and_then(|h| h.interval_in_seconds())
        .map_or(crate::resources::delivery_stream::defaults::BUFFERING_INTERVAL, i64::from);
    let size = d
        .hints
        .and_then(|h| h.size_in_mbs())
        .map_or(crate::resources::delivery_stream::defaults::BUFFERING_SIZE, i64::from);
    let key = d.encryption.and_then(|e| e.kms_encryption_config()).map(|k| k.awskms_key_arn().to_string());
    BTreeMap::from([
        ("bucket_arn".to_string(), Value::string(d.bucket)),
        ("data_output_prefix".to_string(), opt(d.prefix)),
        ("error_output_prefix".to_string(), opt(d.error_prefix)),
        (
            "compression".to_string(),
            Value::string(Compression::from_api(api).map_or(api.to_string(), |c| c.hcl().to_string())),
        ),
        ("buffering_interval".to_string(), Value::int(interval)),
        ("buffering_size".to_string(), Value::int(size)),
        ("encryption_key_arn".to_string(), Value::opt_string(key)),
        ("logging".to_string(), logging),
        ("log_group_name".to_string(), group),
    ])
}

/// The `s3_bucket` block (and the destination role ARN) from a description.
pub fn destination_value(
    d: &fh::ExtendedS3DestinationDescription,
    stream: &str,
    derived_role: &str,
) -> (Value, String) {
    let view = S3View {
        bucket: d.bucket_arn(),
        prefix: d.prefix(),
        error_prefix: d.error_output_prefix(),
        hints: d.buffering_hints(),
        compression: d.compression_format(),
        encryption: d.encryption_configuration(),
        logs: d.cloud_watch_logging_options(),
    };
    let mut s3 = s3_common(&view, stream);
    let role = d.role_arn().to_string();
    s3.insert("role_arn".into(), if role == derived_role { Value::Null } else { Value::string(role.clone()) });
    s3.insert("processor".into(), processors::from_api(d.processing_configuration()));
    s3.insert(
        "custom_time_zone".into(),
        Value::string(d.custom_time_zone().filter(|z| !z.is_empty()).unwrap_or(super::features::TIME_ZONE)),
    );
    s3.insert("file_extension".into(), opt(d.file_extension()));
    s3.insert("dynamic_partitioning".into(), partitioning::from_api(d.dynamic_partitioning_configuration()));
    s3.insert("data_format_conversion".into(), conversion::from_api(d.data_format_conversion_configuration()));
    let backup = match (d.s3_backup_mode(), d.s3_backup_description()) {
        (Some(fh::S3BackupMode::Enabled), Some(b)) => backup_value(b, stream, BackupMode::All.hcl()),
        _ => Value::List(vec![]),
    };
    s3.insert("s3_backup".into(), backup);
    (Value::Object(s3), role)
}

/// The `s3_backup` block of any kind from its description, with `mode` as
/// the kind spells it.
pub fn backup_value(b: &fh::S3DestinationDescription, stream: &str, mode: &str) -> Value {
    let mut m = bucket_value(b, stream);
    m.insert("mode".into(), Value::string(mode));
    Value::List(vec![Value::Object(m)])
}

/// The S3 settings of any bucket configuration from its description.
pub fn bucket_value(b: &fh::S3DestinationDescription, stream: &str) -> BTreeMap<String, Value> {
    let view = S3View {
        bucket: b.bucket_arn(),
        prefix: b.prefix(),
        error_prefix: b.error_output_prefix(),
        hints: b.buffering_hints(),
        compression: b.compression_format(),
        encryption: b.encryption_configuration(),
        logs: b.cloud_watch_logging_options(),
    };
    s3_common(&view, stream)
}

/// `logging` and `log_group_name` from a description's logging options, the
/// resource's own group reading as "not given"; for any kind's block.
pub fn logging_value(logs: Option<&fh::CloudWatchLoggingOptions>, stream: &str) -> (Value, Value) {
    let on = logs.and_then(|l| l.enabled()).unwrap_or(false);
    let derived = names::log_group(stream);
    let group = logs.and_then(|l| l.log_group_name()).filter(|g| on && *g != derived);
    (Value::Bool(on), Value::opt_string(group.map(str::to_string)))
}

/// CloudWatch logging options for any kind's block, writing to `log_stream`.
pub fn logging_options(group: Option<&str>, log_stream: &str) -> fh::CloudWatchLoggingOptions {
    match group {
        Some(g) => {
            fh::CloudWatchLoggingOptions::builder().enabled(true).log_group_name(g).log_stream_name(log_stream).build()
        }
        None => fh::CloudWatchLoggingOptions::builder().enabled(false).build(),
    }
}
