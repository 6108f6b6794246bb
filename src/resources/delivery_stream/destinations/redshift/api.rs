//! The Redshift destination's side of the Firehose API.

use aws_sdk_firehose::types as fh;

use super::super::s3::api::{
    backup_create, backup_update, backup_value, bucket_create, bucket_update, bucket_value, logging_options,
    logging_value,
};
use super::super::shared;
use super::LOG_STREAM;
use crate::protocol::{Number, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::Bound;
use crate::resources::delivery_stream::kind::{self, S3Spec};
use crate::resources::delivery_stream::processors;

fn int(v: &Value, n: &str, default: i64) -> i32 {
    v.attr(n).as_number().and_then(Number::as_i64).unwrap_or(default) as i32
}

fn text(v: &Value, n: &str) -> Option<String> {
    v.attr(n).as_str().map(str::to_string)
}

/// The staging bucket, logging with the destination.
fn staging(b: &Bound<'_>) -> Result<S3Spec, String> {
    let block = b.block.block("s3_staging").ok_or("a redshift destination needs its s3_staging block")?;
    let mut s = kind::s3_spec(block, b.stream)?;
    s.log_group = kind::log_group(b.block, b.stream);
    Ok(s)
}

fn copy_command(v: &Value) -> Result<fh::CopyCommand, String> {
    fh::CopyCommand::builder()
        .data_table_name(text(v, "data_table_name").unwrap_or_default())
        .set_data_table_columns(text(v, "data_table_columns"))
        .set_copy_options(text(v, "copy_options"))
        .build()
        .map_err(build_err)
}

/// With Secrets Manager the secret holds the user and the password.
fn credentials(b: &Bound<'_>) -> (Option<String>, Option<String>) {
    if b.block.attr("secret_arn").is_null() {
        // The password is write-only: only the configuration holds it.
        (text(b.block, "username"), text(b.config, "password_wo"))
    } else {
        (None, None)
    }
}

fn backup_mode(b: &Bound<'_>) -> fh::RedshiftS3BackupMode {
    if b.backup.is_some() {
        fh::RedshiftS3BackupMode::Enabled
    } else {
        fh::RedshiftS3BackupMode::Disabled
    }
}

/// The settings create and update share, on either builder.
macro_rules! settings {
    ($builder:expr, $b:expr) => {{
        let (user, password) = credentials($b);
        $builder
            .role_arn($b.role_arn)
            .cluster_jdbcurl($b.block.attr("cluster_jdbc_url").as_str().unwrap_or_default())
            .copy_command(copy_command($b.block)?)
            .set_username(user)
            .set_password(password)
            .retry_options(
                fh::RedshiftRetryOptions::builder()
                    .duration_in_seconds(int($b.block, "retry_duration", super::RETRY_DURATION))
                    .build(),
            )
            .processing_configuration(processors::to_api($b.block.attr("processor"))?)
            .cloud_watch_logging_options(logging_options(kind::log_group($b.block, $b.stream).as_deref(), LOG_STREAM))
            .secrets_manager_configuration(shared::secrets_manager($b.block, $b.role_arn)?)
            .s3_backup_mode(backup_mode($b))
    }};
}

pub fn create(b: &Bound<'_>) -> Result<fh::RedshiftDestinationConfiguration, String> {
    let backup = b.backup.map(|bk| backup_create(b.role_arn, bk)).transpose()?;
    settings!(fh::RedshiftDestinationConfiguration::builder(), b)
        .s3_configuration(bucket_create(b.role_arn, &staging(b)?, LOG_STREAM)?)
        .set_s3_backup_configuration(backup)
        .build()
        .map_err(build_err)
}

/// Every setting restated, so that a removed one is really removed.
pub fn update(b: &Bound<'_>) -> Result<fh::RedshiftDestinationUpdate, String> {
    let backup = b.backup.map(|bk| backup_update(b.role_arn, bk)).transpose()?;
    Ok(settings!(fh::RedshiftDestinationUpdate::builder(), b)
        .s3_update(bucket_update(b.role_arn, &staging(b)?, LOG_STREAM)?)
        .set_s3_backup_update(backup)
        .build())
}

/// The block from a description. AWS never returns the password; its
/// version comes from the prior state.
pub fn read(
    r: &fh::RedshiftDestinationDescription,
    stream: &str,
    derived_role: &str,
    prior: Option<&Value>,
) -> (Value, String) {
    let role = r.role_arn().to_string();
    let (logging, group) = logging_value(r.cloud_watch_logging_options(), stream);
    let copy = r.copy_command();
    let mut staging = r.s3_destination_description().map(|s| bucket_value(s, stream)).unwrap_or_default();
    staging.remove("logging");
    staging.remove("log_group_name");
    let backup = match (r.s3_backup_mode(), r.s3_backup_description()) {
        (Some(fh::RedshiftS3BackupMode::Enabled), Some(b)) => backup_value(b, stream, "ALL"),
        _ => Value::List(vec![]),
    };
    let secret = shared::secret_value(r.secrets_manager_configuration());
    let nonempty = |s: Option<&str>| Value::opt_string(s.filter(|s| !s.is_empty()));
    let mut v = super::block().null_object();
    for (k, val) in [
        ("cluster_jdbc_url", Value::string(r.cluster_jdbcurl())),
        // With a secret, the user is the secret's.
        ("username", if secret.is_null() { nonempty(r.username()) } else { Value::Null }),
        ("data_table_name", Value::opt_string(copy.map(|c| c.data_table_name()))),
        ("data_table_columns", nonempty(copy.and_then(|c| c.data_table_columns()))),
        ("copy_options", nonempty(copy.and_then(|c| c.copy_options()))),
        (
            "retry_duration",
            Value::int(
                r.retry_options().and_then(|o| o.duration_in_seconds()).map_or(super::RETRY_DURATION, i64::from),
            ),
        ),
        ("password_wo", Value::Null),
        ("password_wo_version", prior.map_or(Value::Null, |p| p.attr("password_wo_version").clone())),
        ("secret_arn", secret),
        ("secret_role_arn", shared::secret_role_value(r.secrets_manager_configuration(), &role)),
        ("role_arn", if role == derived_role { Value::Null } else { Value::string(role.clone()) }),
        ("logging", logging),
        ("log_group_name", group),
        ("processor", processors::from_api(r.processing_configuration())),
        ("s3_staging", Value::List(vec![Value::Object(staging)])),
        ("s3_backup", backup),
    ] {
        v.set_attr(k, val);
    }
    (v, role)
}
