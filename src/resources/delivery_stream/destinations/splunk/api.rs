//! The Splunk destination's side of the Firehose API. Splunk has no role of
//! its own in the API: Firehose uses the backup's (and the secret's) role.

use aws_sdk_firehose::types as fh;

use super::super::s3::api::{backup_create, backup_update, backup_value, logging_options, logging_value};
use super::super::shared;
use super::LOG_STREAM;
use crate::protocol::{Number, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::Bound;
use crate::resources::delivery_stream::{kind, processors};

fn int(v: &Value, n: &str, default: i64) -> i32 {
    v.attr(n).as_number().and_then(Number::as_i64).unwrap_or(default) as i32
}

fn backup_mode(v: &Value) -> fh::SplunkS3BackupMode {
    if shared::backs_up_all(v) {
        fh::SplunkS3BackupMode::AllEvents
    } else {
        fh::SplunkS3BackupMode::FailedEventsOnly
    }
}

/// The settings create and update share, on either builder.
macro_rules! settings {
    ($builder:expr, $b:expr, $v:expr) => {
        $builder
            .hec_endpoint($v.attr("hec_endpoint").as_str().unwrap_or_default())
            .hec_endpoint_type(fh::HecEndpointType::from(
                $v.attr("hec_endpoint_type").as_str().unwrap_or(super::ENDPOINT_TYPE),
            ))
            // The token is write-only: only the configuration holds it.
            .set_hec_token($b.config.attr("hec_token_wo").as_str().map(str::to_string))
            .hec_acknowledgment_timeout_in_seconds(int($v, "hec_acknowledgment_timeout", super::ACK_TIMEOUT))
            .retry_options(
                fh::SplunkRetryOptions::builder()
                    .duration_in_seconds(int($v, "retry_duration", super::RETRY_DURATION))
                    .build(),
            )
            .processing_configuration(processors::to_api($v.attr("processor"))?)
            .cloud_watch_logging_options(logging_options(kind::log_group($v, $b.stream).as_deref(), LOG_STREAM))
            .buffering_hints(
                fh::SplunkBufferingHints::builder()
                    .interval_in_seconds(int($v, "buffering_interval", super::BUFFERING_INTERVAL))
                    .size_in_mbs(int($v, "buffering_size", super::BUFFERING_SIZE))
                    .build(),
            )
            .secrets_manager_configuration(shared::secrets_manager($v, $b.role_arn)?)
    };
}

pub fn create(b: &Bound<'_>) -> Result<fh::SplunkDestinationConfiguration, String> {
    let backup = b.backup.ok_or("a splunk destination needs its s3_backup")?;
    settings!(fh::SplunkDestinationConfiguration::builder(), b, b.block)
        .s3_backup_mode(backup_mode(b.block))
        .s3_configuration(backup_create(b.role_arn, backup)?)
        .build()
        .map_err(build_err)
}

/// Every setting restated; the backup mode cannot change in place.
pub fn update(b: &Bound<'_>) -> Result<fh::SplunkDestinationUpdate, String> {
    let backup = b.backup.ok_or("a splunk destination needs its s3_backup")?;
    Ok(settings!(fh::SplunkDestinationUpdate::builder(), b, b.block)
        .s3_update(backup_update(b.role_arn, backup)?)
        .build())
}

/// The block from a description: AWS never returns the token; its version
/// comes from the prior state. The role is the backup's.
pub fn read(
    s: &fh::SplunkDestinationDescription,
    stream: &str,
    derived_role: &str,
    prior: Option<&Value>,
) -> (Value, String) {
    let backup = s.s3_destination_description();
    let role = backup.map(|b| b.role_arn().to_string()).unwrap_or_default();
    let (logging, group) = logging_value(s.cloud_watch_logging_options(), stream);
    let mode = match s.s3_backup_mode() {
        Some(fh::SplunkS3BackupMode::AllEvents) => "ALL",
        _ => "FAILED",
    };
    let hints = s.buffering_hints();
    let num = |n: Option<i32>, d: i64| Value::int(n.map_or(d, i64::from));
    let mut v = super::block().null_object();
    for (k, val) in [
        ("hec_endpoint", Value::opt_string(s.hec_endpoint())),
        ("hec_endpoint_type", Value::string(s.hec_endpoint_type().map_or(super::ENDPOINT_TYPE, |t| t.as_str()))),
        ("hec_token_wo", Value::Null),
        ("hec_token_wo_version", prior.map_or(Value::Null, |p| p.attr("hec_token_wo_version").clone())),
        ("secret_arn", shared::secret_value(s.secrets_manager_configuration())),
        ("secret_role_arn", shared::secret_role_value(s.secrets_manager_configuration(), &role)),
        ("hec_acknowledgment_timeout", num(s.hec_acknowledgment_timeout_in_seconds(), super::ACK_TIMEOUT)),
        ("retry_duration", num(s.retry_options().and_then(|r| r.duration_in_seconds()), super::RETRY_DURATION)),
        ("buffering_interval", num(hints.and_then(|h| h.interval_in_seconds()), super::BUFFERING_INTERVAL)),
        ("buffering_size", num(hints.and_then(|h| h.size_in_mbs()), super::BUFFERING_SIZE)),
        ("role_arn", if role == derived_role { Value::Null } else { Value::string(role.clone()) }),
        ("logging", logging),
        ("log_group_name", group),
        ("processor", processors::from_api(s.processing_configuration())),
        ("s3_backup", backup.map_or(Value::List(vec![]), |b| backup_value(b, stream, mode))),
    ] {
        v.set_attr(k, val);
    }
    (v, role)
}
