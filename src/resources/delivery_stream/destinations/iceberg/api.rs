//! The Iceberg destination's side of the Firehose API.

use aws_sdk_firehose::types as fh;

use super::super::s3::api::{backup_create, backup_value, logging_options, logging_value};
use super::LOG_STREAM;
use crate::protocol::{Number, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::Bound;
use crate::resources::delivery_stream::{kind, processors};

fn int(v: &Value, n: &str, default: i64) -> i32 {
    v.attr(n).as_number().and_then(Number::as_i64).unwrap_or(default) as i32
}

fn flag(v: &Value, n: &str) -> bool {
    v.attr(n).as_bool().unwrap_or(false)
}

fn strings(v: &Value) -> Option<Vec<String>> {
    let s: Vec<String> = v.elements().iter().filter_map(|e| e.as_str().map(str::to_string)).collect();
    (!s.is_empty()).then_some(s)
}

fn tables(v: &Value) -> Result<Vec<fh::DestinationTableConfiguration>, String> {
    v.attr("table")
        .elements()
        .iter()
        .map(|t| {
            let spec = match strings(t.attr("partition_fields")) {
                Some(fields) => {
                    let fields = fields.into_iter().map(|f| fh::PartitionField::builder().source_name(f).build());
                    let fields = fields.collect::<Result<Vec<_>, _>>().map_err(build_err)?;
                    Some(fh::PartitionSpec::builder().set_identity(Some(fields)).build())
                }
                None => None,
            };
            fh::DestinationTableConfiguration::builder()
                .destination_database_name(t.attr("database").as_str().unwrap_or_default())
                .destination_table_name(t.attr("name").as_str().unwrap_or_default())
                .set_unique_keys(strings(t.attr("unique_keys")))
                .set_partition_spec(spec)
                .set_s3_error_output_prefix(t.attr("error_output_prefix").as_str().map(str::to_string))
                .build()
                .map_err(build_err)
        })
        .collect()
}

/// The settings create and update share, on either builder.
macro_rules! settings {
    ($builder:expr, $b:expr, $v:expr) => {
        $builder
            .role_arn($b.role_arn)
            .catalog_configuration(
                fh::CatalogConfiguration::builder()
                    .set_catalog_arn($v.attr("catalog_arn").as_str().map(str::to_string))
                    .set_warehouse_location($v.attr("warehouse_location").as_str().map(str::to_string))
                    .build(),
            )
            .set_destination_table_configuration_list(Some(tables($v)?))
            .append_only(flag($v, "append_only"))
            .schema_evolution_configuration(
                fh::SchemaEvolutionConfiguration::builder()
                    .enabled(flag($v, "schema_evolution"))
                    .build()
                    .map_err(build_err)?,
            )
            .table_creation_configuration(
                fh::TableCreationConfiguration::builder()
                    .enabled(flag($v, "table_creation"))
                    .build()
                    .map_err(build_err)?,
            )
            .retry_options(
                fh::RetryOptions::builder()
                    .duration_in_seconds(int($v, "retry_duration", super::RETRY_DURATION))
                    .build(),
            )
            .buffering_hints(
                fh::BufferingHints::builder()
                    .interval_in_seconds(int($v, "buffering_interval", super::BUFFERING_INTERVAL))
                    .size_in_mbs(int($v, "buffering_size", super::BUFFERING_SIZE))
                    .build(),
            )
            .processing_configuration(processors::to_api($v.attr("processor"))?)
            .cloud_watch_logging_options(logging_options(kind::log_group($v, $b.stream).as_deref(), LOG_STREAM))
            // Firehose backs up failed Iceberg records only.
            .s3_backup_mode(fh::IcebergS3BackupMode::FailedDataOnly)
    };
}

pub fn create(b: &Bound<'_>) -> Result<fh::IcebergDestinationConfiguration, String> {
    let backup = b.backup.ok_or("an iceberg destination needs its s3_backup")?;
    settings!(fh::IcebergDestinationConfiguration::builder(), b, b.block)
        .s3_configuration(backup_create(b.role_arn, backup)?)
        .build()
        .map_err(build_err)
}

/// Every setting restated, so that a removed one is really removed (the
/// update takes the backup's full configuration, not an S3 update).
pub fn update(b: &Bound<'_>) -> Result<fh::IcebergDestinationUpdate, String> {
    let backup = b.backup.ok_or("an iceberg destination needs its s3_backup")?;
    Ok(settings!(fh::IcebergDestinationUpdate::builder(), b, b.block)
        .s3_configuration(backup_create(b.role_arn, backup)?)
        .build())
}

fn table_value(t: &fh::DestinationTableConfiguration) -> Value {
    let list = |s: Option<Vec<String>>| match s {
        Some(s) if !s.is_empty() => Value::List(s.into_iter().map(Value::string).collect()),
        _ => Value::Null,
    };
    let parts = t.partition_spec().map(|p| p.identity().iter().map(|f| f.source_name().to_string()).collect());
    Value::object([
        ("database", Value::string(t.destination_database_name())),
        ("name", Value::string(t.destination_table_name())),
        ("unique_keys", list(Some(t.unique_keys().to_vec()))),
        ("partition_fields", list(parts)),
        ("error_output_prefix", Value::opt_string(t.s3_error_output_prefix().filter(|p| !p.is_empty()))),
    ])
}

/// The block from a description.
pub fn read(
    i: &fh::IcebergDestinationDescription,
    stream: &str,
    derived_role: &str,
    prior: Option<&Value>,
) -> (Value, String) {
    let role = i.role_arn().unwrap_or_default().to_string();
    let (logging, group) = logging_value(i.cloud_watch_logging_options(), stream);
    let catalog = i.catalog_configuration();
    let hints = i.buffering_hints();
    let num = |n: Option<i32>, d: i64| Value::int(n.map_or(d, i64::from));
    let on = |e: Option<bool>| Value::Bool(e.unwrap_or(false));
    let mut v = super::block().null_object();
    for (k, val) in [
        ("catalog_arn", Value::opt_string(catalog.and_then(|c| c.catalog_arn()))),
        ("warehouse_location", Value::opt_string(catalog.and_then(|c| c.warehouse_location()))),
        ("append_only", on(i.append_only())),
        ("schema_evolution", on(i.schema_evolution_configuration().map(|c| c.enabled()))),
        ("table_creation", on(i.table_creation_configuration().map(|c| c.enabled()))),
        // Not part of the API: an IAM grant only, kept from the prior state.
        ("lake_formation", prior.map_or(Value::Bool(false), |p| p.attr("lake_formation").clone())),
        ("retry_duration", num(i.retry_options().and_then(|r| r.duration_in_seconds()), super::RETRY_DURATION)),
        ("buffering_interval", num(hints.and_then(|h| h.interval_in_seconds()), super::BUFFERING_INTERVAL)),
        ("buffering_size", num(hints.and_then(|h| h.size_in_mbs()), super::BUFFERING_SIZE)),
        ("table", Value::List(i.destination_table_configuration_list().iter().map(table_value).collect())),
        ("role_arn", if role == derived_role { Value::Null } else { Value::string(role.clone()) }),
        ("logging", logging),
        ("log_group_name", group),
        ("processor", processors::from_api(i.processing_configuration())),
        (
            "s3_backup",
            i.s3_destination_description().map_or(Value::List(vec![]), |b| backup_value(b, stream, "FAILED")),
        ),
    ] {
        v.set_attr(k, val);
    }
    (v, role)
}
