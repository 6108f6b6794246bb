//! The typed model apply works from: the planned object, wholly known apart
//! from values only AWS can tell (version, created key ARN), read into plain
//! Rust types with ownership of each part made explicit.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::protocol::Value;

use super::alarms::AlarmSpec;
use super::derive;
use super::enums::Sse;
use super::kind::{log_group, required_text, s3_spec, text, whole_or, Ctx, S3Spec};
use super::{defaults, names, timeouts};

#[derive(Clone, Debug, PartialEq)]
pub enum Encryption {
    Unencrypted,
    AwsOwned,
    /// `given` is the user's key; None means the resource creates one.
    CustomerManaged {
        given: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub name: String,
    pub arn: String,
    pub encryption: Encryption,
    /// The user's stream role, if given.
    pub stream_role_given: Option<String>,
    /// The stream role in use (given or ours); None when none is needed.
    pub stream_role_arn: Option<String>,
    pub destination_role_given: Option<String>,
    pub destination_role_arn: String,
    pub log_retention_days: i32,
    /// Tags for every part: the merged tags plus the ownership tag.
    pub tags: BTreeMap<String, String>,
    /// The log group the destination logs to (the user's or ours), and the
    /// log stream its kind writes.
    pub dest_log_group: Option<String>,
    pub dest_log_stream: &'static str,
    /// The user's destination log group, if given.
    pub dest_log_group_given: bool,
    /// The planned destination block, for what only the S3 kind reads
    /// (processors, partitioning, format conversion, time zone).
    pub dest_block: Value,
    /// The configuration's destination block: write-only values (secrets)
    /// are only there, never in the plan.
    pub dest_config: Value,
    pub backup: Option<S3Spec>,
    pub backup_bucket_created: bool,
    pub backup_log_group_given: bool,
    /// The alarms of the `alarms` block, enabled and applicable.
    pub alarms: Vec<AlarmSpec>,
    pub create_timeout: Duration,
    pub update_timeout: Duration,
    pub delete_timeout: Duration,
}

impl Spec {
    /// The derived log group, when any part logs to it.
    pub fn owned_log_group(&self) -> Option<String> {
        let ours = names::log_group(&self.name);
        let uses = |group: Option<&str>, given: bool| !given && group == Some(ours.as_str());
        (uses(self.dest_log_group.as_deref(), self.dest_log_group_given)
            || self.backup.as_ref().is_some_and(|b| uses(b.log_group.as_deref(), self.backup_log_group_given)))
        .then_some(ours)
    }

    pub fn owns_destination_role(&self) -> bool {
        self.destination_role_given.is_none()
    }

    pub fn owns_stream_role(&self) -> bool {
        self.stream_role_arn.is_some() && self.stream_role_given.is_none()
    }

    pub fn creates_key(&self) -> bool {
        matches!(self.encryption, Encryption::CustomerManaged { given: None })
    }
}

/// Reads the planned object. `config` tells given from created parts where
/// the planned values alone cannot (a created key has no config value).
pub fn spec(planned: &Value, config: &Value, ctx: &Ctx) -> Result<Spec, String> {
    let name = required_text(planned, "name")?;
    let encryption = match planned.attr("encryption").as_str().and_then(Sse::parse) {
        Some(Sse::AwsOwned) => Encryption::AwsOwned,
        Some(Sse::CustomerManaged) => Encryption::CustomerManaged { given: text(config, "encryption_key_arn") },
        _ => Encryption::Unencrypted,
    };
    let (kind, s3v) = super::destinations::of(planned).ok_or("the plan has no destination")?;
    let s3c = derive::dest(config);
    let backup = derive::backup(planned).map(|b| s3_spec(b, &name)).transpose()?;
    let backup_cfg = derive::backup(config);
    let mut tags: BTreeMap<String, String> = planned
        .attr("tags_all")
        .entries()
        .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
        .unwrap_or_default();
    tags.insert(names::OWNER_TAG.to_string(), name.clone());
    let t = planned.attr("timeouts");
    Ok(Spec {
        arn: ctx.stream_arn(&name),
        encryption,
        stream_role_given: text(planned, "role_arn"),
        stream_role_arn: text(planned, "stream_role_arn"),
        destination_role_given: text(s3v, "role_arn"),
        destination_role_arn: required_text(planned, "destination_role_arn")?,
        log_retention_days: whole_or(planned, "log_retention_days", defaults::LOG_RETENTION_DAYS) as i32,
        tags,
        dest_log_group: log_group(s3v, &name),
        dest_log_stream: kind.log_stream(),
        dest_log_group_given: !s3c.attr("log_group_name").is_null(),
        dest_block: s3v.clone(),
        dest_config: s3c.clone(),
        backup_bucket_created: backup.is_some() && backup_cfg.is_none_or(|b| b.attr("bucket_arn").is_null()),
        backup_log_group_given: backup_cfg.is_some_and(|b| !b.attr("log_group_name").is_null()),
        backup,
        alarms: super::alarms::desired(planned, ctx),
        create_timeout: timeouts::get(t, "create", timeouts::DEFAULT_CREATE),
        update_timeout: timeouts::get(t, "update", timeouts::DEFAULT_UPDATE),
        delete_timeout: timeouts::get(t, "delete", timeouts::DEFAULT_DELETE),
        name,
    })
}

/// The last path segment of a role ARN is the role's name.
pub fn role_name(arn: &str) -> &str {
    crate::aws::arn::name_of(arn)
}
