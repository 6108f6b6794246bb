//! The HTTP endpoint's side of the Firehose API: configuration sent on
//! create and update, and the block read back from a description.

use std::collections::BTreeMap;

use aws_sdk_firehose::types as fh;

use super::super::s3::api::{backup_create, backup_update, backup_value, logging_options, logging_value};
use super::super::shared;
use super::{endpoint, presets, LOG_STREAM};
use crate::protocol::{Number, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::Bound;
use crate::resources::delivery_stream::{kind, processors};

fn int(v: &Value, n: &str, default: i64) -> i32 {
    v.attr(n).as_number().and_then(Number::as_i64).unwrap_or(default) as i32
}

fn backup_mode(b: &Value) -> fh::HttpEndpointS3BackupMode {
    if shared::backs_up_all(b) {
        fh::HttpEndpointS3BackupMode::AllData
    } else {
        fh::HttpEndpointS3BackupMode::FailedDataOnly
    }
}

/// The pieces create and update share.
struct Parts {
    endpoint: fh::HttpEndpointConfiguration,
    hints: fh::HttpEndpointBufferingHints,
    logging: fh::CloudWatchLoggingOptions,
    request: fh::HttpEndpointRequestConfiguration,
    processing: fh::ProcessingConfiguration,
    retry: fh::HttpEndpointRetryOptions,
    secret: fh::SecretsManagerConfiguration,
    mode: fh::HttpEndpointS3BackupMode,
}

fn parts(b: &Bound<'_>) -> Result<Parts, String> {
    let v = b.block;
    let (url, name) = endpoint(v);
    let url = url.ok_or("the http_endpoint has no url")?;
    // The key is write-only: only the configuration holds it.
    let key = b.config.attr("access_key_wo").as_str().map(str::to_string);
    let group = kind::log_group(v, b.stream);
    let attributes = v
        .attr("common_attributes")
        .entries()
        .map(|m| {
            m.iter()
                .filter_map(|(k, val)| val.as_str().map(|val| (k, val)))
                .map(|(k, val)| {
                    fh::HttpEndpointCommonAttribute::builder()
                        .attribute_name(k)
                        .attribute_value(val)
                        .build()
                        .map_err(build_err)
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(Parts {
        endpoint: fh::HttpEndpointConfiguration::builder()
            .url(url)
            .set_name(name)
            .set_access_key(key)
            .build()
            .map_err(build_err)?,
        hints: fh::HttpEndpointBufferingHints::builder()
            .interval_in_seconds(int(v, "buffering_interval", super::BUFFERING_INTERVAL))
            .size_in_mbs(int(v, "buffering_size", super::BUFFERING_SIZE))
            .build(),
        logging: logging_options(group.as_deref(), LOG_STREAM),
        request: fh::HttpEndpointRequestConfiguration::builder()
            .content_encoding(fh::ContentEncoding::from(v.attr("content_encoding").as_str().unwrap_or("NONE")))
            // Stated even when empty, so an update removes attributes that were there.
            .set_common_attributes(Some(attributes.unwrap_or_default()))
            .build(),
        processing: processors::to_api(v.attr("processor"))?,
        retry: fh::HttpEndpointRetryOptions::builder()
            .duration_in_seconds(int(v, "retry_duration", super::RETRY_DURATION))
            .build(),
        secret: shared::secrets_manager(v, b.role_arn)?,
        mode: backup_mode(v),
    })
}

/// The settings create and update share, on either builder.
macro_rules! settings {
    ($builder:expr, $p:expr, $role:expr) => {
        $builder
            .endpoint_configuration($p.endpoint)
            .buffering_hints($p.hints)
            .cloud_watch_logging_options($p.logging)
            .request_configuration($p.request)
            .processing_configuration($p.processing)
            .role_arn($role)
            .retry_options($p.retry)
            .secrets_manager_configuration($p.secret)
    };
}

pub fn create(b: &Bound<'_>) -> Result<fh::HttpEndpointDestinationConfiguration, String> {
    let p = parts(b)?;
    let backup = b.backup.ok_or("an http_endpoint needs its s3_backup")?;
    let mode = p.mode.clone();
    Ok(settings!(fh::HttpEndpointDestinationConfiguration::builder(), p, b.role_arn)
        .s3_backup_mode(mode)
        .s3_configuration(backup_create(b.role_arn, backup)?)
        .build())
}

/// A full update: every setting restated. The backup mode is not sent:
/// AWS cannot change it in place (the plan replaces the stream instead).
pub fn update(b: &Bound<'_>) -> Result<fh::HttpEndpointDestinationUpdate, String> {
    let p = parts(b)?;
    let backup = b.backup.ok_or("an http_endpoint needs its s3_backup")?;
    Ok(settings!(fh::HttpEndpointDestinationUpdate::builder(), p, b.role_arn)
        .s3_update(backup_update(b.role_arn, backup)?)
        .build())
}

/// The block from a description. AWS never returns the access key; the
/// preset and key version come from the prior state (a preset is also
/// recognised by its URL on import).
pub fn read(
    h: &fh::HttpEndpointDestinationDescription,
    stream: &str,
    derived_role: &str,
    prior: Option<&Value>,
) -> (Value, String) {
    let ep = h.endpoint_configuration();
    let url = ep.and_then(|e| e.url()).map(str::to_string);
    let preset = match prior.map(|p| p.attr("preset")) {
        Some(p) => p.as_str().and_then(presets::find).filter(|p| url.as_deref() == Some(p.url)).map(|p| p.id),
        None => {
            let hits: Vec<_> = presets::PRESETS.iter().filter(|p| url.as_deref() == Some(p.url)).collect();
            (hits.len() == 1).then(|| hits[0].id)
        }
    };
    let given_url = if preset.is_some() { Value::Null } else { Value::opt_string(url) };
    let (logging, group) = logging_value(h.cloud_watch_logging_options(), stream);
    let req = h.request_configuration();
    let attrs: BTreeMap<String, Value> = req
        .map(|r| {
            r.common_attributes()
                .iter()
                .map(|a| (a.attribute_name().to_string(), Value::string(a.attribute_value())))
                .collect()
        })
        .unwrap_or_default();
    let role = h.role_arn().unwrap_or_default().to_string();
    let mode = match h.s3_backup_mode() {
        Some(fh::HttpEndpointS3BackupMode::AllData) => "ALL",
        _ => "FAILED",
    };
    let hints = h.buffering_hints();
    let mut v = super::block().null_object();
    for (k, val) in [
        ("url", given_url),
        ("preset", Value::opt_string(preset)),
        ("name", Value::opt_string(ep.and_then(|e| e.name()))),
        ("access_key_wo", Value::Null),
        ("access_key_wo_version", prior.map_or(Value::Null, |p| p.attr("access_key_wo_version").clone())),
        ("secret_arn", shared::secret_value(h.secrets_manager_configuration())),
        ("secret_role_arn", shared::secret_role_value(h.secrets_manager_configuration(), &role)),
        ("content_encoding", Value::string(req.and_then(|r| r.content_encoding()).map_or("NONE", |c| c.as_str()))),
        ("common_attributes", if attrs.is_empty() { Value::Null } else { Value::Map(attrs) }),
        (
            "buffering_interval",
            Value::int(hints.and_then(|h| h.interval_in_seconds()).map_or(super::BUFFERING_INTERVAL, i64::from)),
        ),
        ("buffering_size", Value::int(hints.and_then(|h| h.size_in_mbs()).map_or(super::BUFFERING_SIZE, i64::from))),
        (
            "retry_duration",
            Value::int(
                h.retry_options().and_then(|r| r.duration_in_seconds()).map_or(super::RETRY_DURATION, i64::from),
            ),
        ),
        ("role_arn", if role == derived_role { Value::Null } else { Value::string(role.clone()) }),
        ("logging", logging),
        ("log_group_name", group),
        ("processor", processors::from_api(h.processing_configuration())),
        ("s3_backup", h.s3_destination_description().map_or(Value::List(vec![]), |b| backup_value(b, stream, mode))),
    ] {
        v.set_attr(k, val);
    }
    (v, role)
}
