//! The Snowflake destination's side of the Firehose API. Like Splunk, the
//! destination has its role in the API; the backup uses the same role.

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

fn text(v: &Value, n: &str) -> Option<String> {
    v.attr(n).as_str().map(str::to_string)
}

fn backup_mode(v: &Value) -> fh::SnowflakeS3BackupMode {
    if shared::backs_up_all(v) {
        fh::SnowflakeS3BackupMode::AllData
    } else {
        fh::SnowflakeS3BackupMode::FailedDataOnly
    }
}

fn role(v: &Value) -> fh::SnowflakeRoleConfiguration {
    match text(v, "snowflake_role") {
        Some(r) => fh::SnowflakeRoleConfiguration::builder().enabled(true).snowflake_role(r).build(),
        None => fh::SnowflakeRoleConfiguration::builder().enabled(false).build(),
    }
}

/// The settings create and update share, on either builder. The key and its
/// passphrase are write-only: only the configuration holds them.
macro_rules! settings {
    ($builder:expr, $b:expr, $v:expr) => {
        $builder
            .role_arn($b.role_arn)
            .account_url($v.attr("account_url").as_str().unwrap_or_default())
            .set_user(text($v, "user"))
            .set_private_key(text($b.config, "private_key_wo"))
            .set_key_passphrase(text($b.config, "key_passphrase_wo"))
            .database(text($v, "database").unwrap_or_default())
            .schema(text($v, "schema").unwrap_or_default())
            .table(text($v, "table").unwrap_or_default())
            .snowflake_role_configuration(role($v))
            .data_loading_option(fh::SnowflakeDataLoadingOption::from(
                $v.attr("data_loading_option").as_str().unwrap_or(super::DATA_LOADING),
            ))
            .set_content_column_name(text($v, "content_column_name"))
            .set_meta_data_column_name(text($v, "metadata_column_name"))
            .retry_options(
                fh::SnowflakeRetryOptions::builder()
                    .duration_in_seconds(int($v, "retry_duration", super::RETRY_DURATION))
                    .build(),
            )
            .buffering_hints(
                fh::SnowflakeBufferingHints::builder()
                    .interval_in_seconds(int($v, "buffering_interval", super::BUFFERING_INTERVAL))
                    .size_in_mbs(int($v, "buffering_size", super::BUFFERING_SIZE))
                    .build(),
            )
            .processing_configuration(processors::to_api($v.attr("processor"))?)
            .cloud_watch_logging_options(logging_options(kind::log_group($v, $b.stream).as_deref(), LOG_STREAM))
            .secrets_manager_configuration(shared::secrets_manager($v, $b.role_arn)?)
    };
}

pub fn create(b: &Bound<'_>) -> Result<fh::SnowflakeDestinationConfiguration, String> {
    let backup = b.backup.ok_or("a snowflake destination needs its s3_backup")?;
    let vpc = text(b.block, "private_link_vpce_id")
        .map(|id| fh::SnowflakeVpcConfiguration::builder().private_link_vpce_id(id).build().map_err(build_err))
        .transpose()?;
    settings!(fh::SnowflakeDestinationConfiguration::builder(), b, b.block)
        .set_snowflake_vpc_configuration(vpc)
        .s3_backup_mode(backup_mode(b.block))
        .s3_configuration(backup_create(b.role_arn, backup)?)
        .build()
        .map_err(build_err)
}

/// Every setting restated; the backup mode and PrivateLink endpoint cannot
/// change in place.
pub fn update(b: &Bound<'_>) -> Result<fh::SnowflakeDestinationUpdate, String> {
    let backup = b.backup.ok_or("a snowflake destination needs its s3_backup")?;
    Ok(settings!(fh::SnowflakeDestinationUpdate::builder(), b, b.block)
        .s3_backup_mode(backup_mode(b.block))
        .s3_update(backup_update(b.role_arn, backup)?)
        .build())
}

/// The block from a description: AWS never returns the key or passphrase;
/// the key's version comes from the prior state.
pub fn read(
    s: &fh::SnowflakeDestinationDescription,
    stream: &str,
    derived_role: &str,
    prior: Option<&Value>,
) -> (Value, String) {
    let role = s.role_arn().unwrap_or_default().to_string();
    let (logging, group) = logging_value(s.cloud_watch_logging_options(), stream);
    let mode = match s.s3_backup_mode() {
        Some(fh::SnowflakeS3BackupMode::AllData) => "ALL",
        _ => "FAILED",
    };
    let secret = shared::secret_value(s.secrets_manager_configuration());
    let hints = s.buffering_hints();
    let num = |n: Option<i32>, d: i64| Value::int(n.map_or(d, i64::from));
    let nonempty = |x: Option<&str>| Value::opt_string(x.filter(|x| !x.is_empty()));
    let snowflake_role =
        s.snowflake_role_configuration().filter(|r| r.enabled() == Some(true)).and_then(|r| r.snowflake_role());
    let mut v = super::block().null_object();
    for (k, val) in [
        ("account_url", nonempty(s.account_url())),
        // With a secret, the user is the secret's.
        ("user", if secret.is_null() { nonempty(s.user()) } else { Value::Null }),
        ("database", nonempty(s.database())),
        ("schema", nonempty(s.schema())),
        ("table", nonempty(s.table())),
        ("snowflake_role", nonempty(snowflake_role)),
        ("data_loading_option", Value::string(s.data_loading_option().map_or(super::DATA_LOADING, |o| o.as_str()))),
        ("content_column_name", nonempty(s.content_column_name())),
        ("metadata_column_name", nonempty(s.meta_data_column_name())),
        ("private_link_vpce_id", nonempty(s.snowflake_vpc_configuration().map(|c| c.private_link_vpce_id()))),
        ("retry_duration", num(s.retry_options().and_then(|r| r.duration_in_seconds()), super::RETRY_DURATION)),
        ("buffering_interval", num(hints.and_then(|h| h.interval_in_seconds()), super::BUFFERING_INTERVAL)),
        ("buffering_size", num(hints.and_then(|h| h.size_in_mbs()), super::BUFFERING_SIZE)),
        ("private_key_wo", Value::Null),
        ("private_key_wo_version", prior.map_or(Value::Null, |p| p.attr("private_key_wo_version").clone())),
        ("key_passphrase_wo", Value::Null),
        ("secret_arn", secret),
        ("secret_role_arn", shared::secret_role_value(s.secrets_manager_configuration(), &role)),
        ("role_arn", if role == derived_role { Value::Null } else { Value::string(role.clone()) }),
        ("logging", logging),
        ("log_group_name", group),
        ("processor", processors::from_api(s.processing_configuration())),
        ("s3_backup", s.s3_destination_description().map_or(Value::List(vec![]), |b| backup_value(b, stream, mode))),
    ] {
        v.set_attr(k, val);
    }
    (v, role)
}
