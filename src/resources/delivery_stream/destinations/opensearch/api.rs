//! The OpenSearch Service destination's side of the Firehose API.

use aws_sdk_firehose::types as fh;

use super::super::s3::api::{backup_create, backup_update, backup_value, logging_options, logging_value};
use super::super::{search, shared};
use super::LOG_STREAM;
use crate::protocol::{Number, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::Bound;
use crate::resources::delivery_stream::{kind, processors};

fn int(v: &Value, n: &str, default: i64) -> i32 {
    v.attr(n).as_number().and_then(Number::as_i64).unwrap_or(default) as i32
}

fn text(v: &Value, n: &str) -> Option<String> {
    v.attr(n).as_str().map(str::to_string)
}

fn backup_mode(v: &Value) -> fh::AmazonopensearchserviceS3BackupMode {
    if shared::backs_up_all(v) {
        fh::AmazonopensearchserviceS3BackupMode::AllDocuments
    } else {
        fh::AmazonopensearchserviceS3BackupMode::FailedDocumentsOnly
    }
}

fn document_id(v: &Value) -> Result<Option<fh::DocumentIdOptions>, String> {
    text(v, "document_id")
        .map(|d| {
            fh::DocumentIdOptions::builder()
                .default_document_id_format(fh::DefaultDocumentIdFormat::from(d.as_str()))
                .build()
                .map_err(build_err)
        })
        .transpose()
}

/// The settings create and update share, on either builder.
macro_rules! settings {
    ($builder:expr, $b:expr, $v:expr) => {
        $builder
            .role_arn($b.role_arn)
            .set_domain_arn(text($v, "domain_arn"))
            .set_cluster_endpoint(text($v, "cluster_endpoint"))
            .index_name(text($v, "index_name").unwrap_or_default())
            .set_type_name(text($v, "type_name"))
            .index_rotation_period(fh::AmazonopensearchserviceIndexRotationPeriod::from(
                $v.attr("index_rotation_period").as_str().unwrap_or(super::ROTATION),
            ))
            .set_document_id_options(document_id($v)?)
            .retry_options(
                fh::AmazonopensearchserviceRetryOptions::builder()
                    .duration_in_seconds(int($v, "retry_duration", super::RETRY_DURATION))
                    .build(),
            )
            .buffering_hints(
                fh::AmazonopensearchserviceBufferingHints::builder()
                    .interval_in_seconds(int($v, "buffering_interval", super::BUFFERING_INTERVAL))
                    .size_in_mbs(int($v, "buffering_size", super::BUFFERING_SIZE))
                    .build(),
            )
            .processing_configuration(processors::to_api($v.attr("processor"))?)
            .cloud_watch_logging_options(logging_options(kind::log_group($v, $b.stream).as_deref(), LOG_STREAM))
    };
}

pub fn create(b: &Bound<'_>) -> Result<fh::AmazonopensearchserviceDestinationConfiguration, String> {
    let backup = b.backup.ok_or("an opensearch destination needs its s3_backup")?;
    settings!(fh::AmazonopensearchserviceDestinationConfiguration::builder(), b, b.block)
        .set_vpc_configuration(search::vpc_to_api(b.block, b.role_arn)?)
        .s3_backup_mode(backup_mode(b.block))
        .s3_configuration(backup_create(b.role_arn, backup)?)
        .build()
        .map_err(build_err)
}

/// Every setting restated; the backup mode and the VPC cannot change in place.
pub fn update(b: &Bound<'_>) -> Result<fh::AmazonopensearchserviceDestinationUpdate, String> {
    let backup = b.backup.ok_or("an opensearch destination needs its s3_backup")?;
    Ok(settings!(fh::AmazonopensearchserviceDestinationUpdate::builder(), b, b.block)
        .s3_update(backup_update(b.role_arn, backup)?)
        .build())
}

/// The block from a description; a domain named by ARN reads back by ARN.
pub fn read(
    o: &fh::AmazonopensearchserviceDestinationDescription,
    stream: &str,
    derived_role: &str,
    _prior: Option<&Value>,
) -> (Value, String) {
    let role = o.role_arn().unwrap_or_default().to_string();
    let (logging, group) = logging_value(o.cloud_watch_logging_options(), stream);
    let mode = match o.s3_backup_mode() {
        Some(fh::AmazonopensearchserviceS3BackupMode::AllDocuments) => "ALL",
        _ => "FAILED",
    };
    let hints = o.buffering_hints();
    let num = |n: Option<i32>, d: i64| Value::int(n.map_or(d, i64::from));
    let nonempty = |x: Option<&str>| Value::opt_string(x.filter(|x| !x.is_empty()));
    let by_arn = o.domain_arn().is_some_and(|a| !a.is_empty());
    let mut v = super::block().null_object();
    for (k, val) in [
        ("domain_arn", nonempty(o.domain_arn())),
        ("cluster_endpoint", if by_arn { Value::Null } else { nonempty(o.cluster_endpoint()) }),
        ("index_name", nonempty(o.index_name())),
        ("type_name", nonempty(o.type_name())),
        ("index_rotation_period", Value::string(o.index_rotation_period().map_or(super::ROTATION, |r| r.as_str()))),
        (
            "document_id",
            Value::opt_string(o.document_id_options().map(|d| d.default_document_id_format().as_str().to_string())),
        ),
        ("retry_duration", num(o.retry_options().and_then(|r| r.duration_in_seconds()), super::RETRY_DURATION)),
        ("buffering_interval", num(hints.and_then(|h| h.interval_in_seconds()), super::BUFFERING_INTERVAL)),
        ("buffering_size", num(hints.and_then(|h| h.size_in_mbs()), super::BUFFERING_SIZE)),
        ("vpc", search::vpc_value(o.vpc_configuration_description())),
        ("role_arn", if role == derived_role { Value::Null } else { Value::string(role.clone()) }),
        ("logging", logging),
        ("log_group_name", group),
        ("processor", processors::from_api(o.processing_configuration())),
        ("s3_backup", o.s3_destination_description().map_or(Value::List(vec![]), |b| backup_value(b, stream, mode))),
    ] {
        v.set_attr(k, val);
    }
    (v, role)
}
