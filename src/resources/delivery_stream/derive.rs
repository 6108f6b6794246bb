//! Computed attributes derived from the others: ARNs, part names, policy
//! documents, merged tags and metrics. The same derivation serves plan (from
//! the configuration) and read (from what AWS reports), so a refresh of an
//! unchanged stream reproduces the plan exactly.

use std::collections::BTreeMap;

use crate::framework::Known;
use crate::protocol::Value;

use super::enums::Sse;
use super::kind::Ctx;
use super::{destinations, names, policies, processors, sources};

fn known_str(v: &Value) -> Known<String> {
    Known::string(v)
}

/// The destination block, whatever its kind (null when there is none).
pub fn dest(v: &Value) -> &Value {
    destinations::of(v).map_or(&Value::Null, |(_, b)| b)
}

pub fn backup(v: &Value) -> Option<&Value> {
    dest(v).block("s3_backup")
}

pub fn dest_mut(v: &mut Value) -> Option<&mut Value> {
    destinations::of_mut(v).map(|(_, b)| b)
}

pub fn backup_mut(v: &mut Value) -> Option<&mut Value> {
    dest_mut(v)?.block_mut("s3_backup")
}

/// Whether the stream needs a stream role: a source to read, or a
/// customer-managed SSE key to use. None while either input is unknown.
pub fn needs_stream_role(v: &Value) -> Option<bool> {
    let source = sources::decided(v)?;
    let enc = known_str(v.attr("encryption")).decided()?;
    Some(!source.takes_puts() || enc.as_deref().and_then(Sse::parse) == Some(Sse::CustomerManaged))
}

/// The log group a destination (or backup) logs to, when logging is on.
fn log_group_of(s3: &Value, stream: &str) -> Known<String> {
    match s3.attr("logging").inner() {
        Value::Unknown(_) => Known::Unknown,
        Value::Bool(false) => Known::Null,
        _ => match known_str(s3.attr("log_group_name")) {
            Known::Null => Known::Value(names::log_group(stream)),
            given => given,
        },
    }
}

/// A name the resource derives when the user gives none: the user's value,
/// else `derived` (unknown while it cannot be worked out yet).
fn given_or(given: Known<String>, derived: Option<String>) -> Known<String> {
    match given {
        Known::Null => derived.map_or(Known::Unknown, Known::Value),
        other => other,
    }
}

/// Fills every derived attribute of `v` (a stream object whose own inputs and
/// defaults are already in place). Anything depending on an unknown input, or
/// on the AWS context while it is absent, becomes unknown.
pub fn derive(v: &mut Value, ctx: Option<&Ctx>) {
    let name = known_str(v.attr("name")).decided().flatten();
    let arn = match (&name, ctx) {
        (Some(n), Some(c)) => Known::Value(c.stream_arn(n)),
        _ => Known::Unknown,
    };
    v.set_attr("arn", arn.to_value());
    v.set_attr("id", arn.to_value());
    // Producers put records only to direct-put streams; a stream reading a
    // source refuses them, so no such policy is offered there.
    let source = sources::of(v);
    let put_policy = match (source.map(|s| s.takes_puts()), &arn) {
        (Some(false), _) => Known::Null,
        (Some(true), Known::Value(a)) => Known::Value(policies::put_records_policy(a).to_string()),
        _ => Known::Unknown,
    };
    v.set_attr("put_records_policy_json", put_policy.to_value());
    let procs = dest(v).attr("processor");
    let has = Uses {
        source: source.map(|s| s.metrics()),
        destination: destinations::of(v).map(|(k, b)| k.metrics(b)).unwrap_or_default(),
        backup: backup(v).is_some(),
        lambda: processors::find(procs, processors::LAMBDA).is_some(),
        query: processors::find(procs, processors::METADATA_EXTRACTION).is_some(),
    };
    v.set_attr("metrics", metrics(&has));
    v.set_attr("tags_all", tags_all(v.attr("tags"), ctx));
    if let Some((k, d)) = destinations::of_mut(v) {
        k.derive(d, ctx);
    }
    super::alarms::derive(v, ctx);

    // Backup bucket: the user's, or the one derived from the name.
    let derived_bucket = match (&name, ctx) {
        (Some(n), Some(c)) => Some(c.bucket_arn(&names::backup_bucket(n, &c.account, &c.region))),
        _ => None,
    };
    if let Some(b) = backup_mut(v) {
        if b.attr("bucket_arn").is_null() {
            b.set_attr("bucket_arn", derived_bucket.map_or(Value::UNKNOWN, Value::string));
        }
    }

    let s3v = dest(v).clone();
    let ours = |role: fn(&str) -> String| match (&name, ctx) {
        (Some(n), Some(c)) => Some(c.role_arn(&role(n))),
        _ => None,
    };
    let dest_role = given_or(known_str(s3v.attr("role_arn")), ours(names::destination_role));
    v.set_attr("destination_role_arn", dest_role.to_value());

    let stream_role = match needs_stream_role(v) {
        None => Known::Unknown,
        Some(false) => Known::Null,
        Some(true) => given_or(known_str(v.attr("role_arn")), ours(names::stream_role)),
    };
    v.set_attr("stream_role_arn", stream_role.to_value());

    // The destination's log group, else the backup's: the group to watch.
    let backup_v = backup(v).cloned();
    let log_group = match name.as_deref() {
        None => Known::Unknown,
        Some(n) => match (log_group_of(&s3v, n), &backup_v) {
            (Known::Null, Some(b)) => log_group_of(b, n),
            (g, _) => g,
        },
    };
    v.set_attr("log_group_name", log_group.to_value());

    let dest_policy = match (&name, ctx) {
        (Some(n), Some(c)) => destination_policy(v, n, c).map_or(Known::Unknown, Known::Value),
        _ => Known::Unknown,
    };
    v.set_attr("destination_role_policy_json", dest_policy.to_value());
    v.set_attr("stream_role_policy_json", stream_policy(v).to_value());
}

/// None while an input is unknown.
fn destination_policy(v: &Value, name: &str, ctx: &Ctx) -> Option<String> {
    let (kind, d) = destinations::of(v)?;
    let mut g = super::kind::Grants { region: ctx.region.clone(), ..Default::default() };
    kind.grants(d, name, ctx, &mut g)?;
    // The destination's log group first: it is what almost every stream has.
    let mut groups = Vec::new();
    groups.extend(log_group_of(d, name).decided()?);
    if let Some(b) = backup(v) {
        g.bucket_arns.extend(known_str(b.attr("bucket_arn")).decided()?);
        g.s3_key_arns.extend(known_str(b.attr("encryption_key_arn")).decided()?);
        groups.extend(log_group_of(b, name).decided()?);
    }
    g.log_group_arns = groups.iter().map(|grp| ctx.log_group_arn(grp)).collect();
    let procs = d.attr("processor");
    if !procs.is_wholly_known() {
        return None;
    }
    g.lambda_arns = procs
        .elements()
        .iter()
        .filter_map(|p| p.block(processors::LAMBDA))
        .filter_map(|l| l.attr("function_arn").as_str().map(str::to_string))
        .collect();
    Some(policies::destination_policy(&g).to_string())
}

fn stream_policy(v: &Value) -> Known<String> {
    let doc = || -> Option<Option<String>> {
        if !needs_stream_role(v)? {
            return Some(None);
        }
        let cmk =
            known_str(v.attr("encryption")).decided()?.as_deref().and_then(Sse::parse) == Some(Sse::CustomerManaged);
        let key = if cmk { Some(known_str(v.attr("encryption_key_arn")).decided()??) } else { None };
        let reads = sources::decided(v)?.statements(v)?;
        Some(policies::stream_policy(reads, key.as_deref()).map(|d| d.to_string()))
    };
    doc().into()
}

fn tags_all(tags: &Value, ctx: Option<&Ctx>) -> Value {
    let Some(ctx) = ctx else { return Value::UNKNOWN };
    if tags.is_unknown() {
        return Value::UNKNOWN;
    }
    let mut all: BTreeMap<String, Value> =
        ctx.default_tags.iter().map(|(k, v)| (k.clone(), Value::string(v.clone()))).collect();
    if let Some(m) = tags.entries() {
        for (k, v) in m {
            all.insert(k.clone(), v.clone());
        }
    }
    Value::Map(all)
}

/// What a stream uses, for the metrics it can report.
struct Uses {
    /// The source's metrics; None while the source is unknown.
    source: Option<&'static [&'static str]>,
    /// What the destination kind reports.
    destination: Vec<&'static str>,
    backup: bool,
    lambda: bool,
    /// A metadata_extraction processor (JQ queries).
    query: bool,
}

/// `AWS/Firehose` metrics by what reports them (Firehose Developer Guide,
/// "Monitor Amazon Data Firehose with CloudWatch metrics").
const BACKUP_METRICS: [&str; 4] =
    ["BackupToS3.Bytes", "BackupToS3.Records", "BackupToS3.Success", "BackupToS3.DataFreshness"];
const PROCESSOR_METRICS: [&str; 4] =
    ["ExecuteProcessing.Duration", "ExecuteProcessing.Success", "SucceedProcessing.Records", "SucceedProcessing.Bytes"];
const QUERY_METRICS: [&str; 1] = ["JQProcessing.Duration"];

/// `DeliveryToS3.DataFreshness` → `delivery_to_s3_data_freshness`.
pub fn snake_case(metric: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = metric.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '.' {
            out.push('_');
            continue;
        }
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = match prev {
                None | Some('.') => false,
                Some(p) => p.is_ascii_lowercase() || p.is_ascii_digit() || (p.is_ascii_uppercase() && next_lower),
            };
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Only the metrics this stream reports: a direct-put stream without backup
/// or processor has no Kinesis, backup or processing metrics to watch.
fn metrics(has: &Uses) -> Value {
    let Some(source) = has.source else { return Value::UNKNOWN };
    let mut names: Vec<&str> = source.iter().chain(has.destination.iter()).copied().collect();
    if has.backup {
        names.extend(BACKUP_METRICS);
    }
    for (on, list) in [(has.lambda, &PROCESSOR_METRICS[..]), (has.query, &QUERY_METRICS[..])] {
        if on {
            names.extend(list);
        }
    }
    Value::Map(names.into_iter().map(|m| (snake_case(m), Value::string(m))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const S3: [&str; 4] =
        ["DeliveryToS3.Bytes", "DeliveryToS3.Records", "DeliveryToS3.Success", "DeliveryToS3.DataFreshness"];

    fn uses(kinesis_source: Option<bool>, backup: bool, lambda: bool, query: bool) -> Uses {
        let source = kinesis_source.map(|k| {
            let kind: &dyn crate::resources::delivery_stream::kind::Source =
                if k { &sources::kinesis::Kinesis } else { &sources::direct_put::DirectPut };
            kind.metrics()
        });
        Uses { source, destination: S3.to_vec(), backup, lambda, query }
    }

    #[test]
    fn only_the_metrics_a_stream_reports() {
        let keys = |has: Uses| metrics(&has).entries().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap();
        let plain = keys(uses(Some(false), false, false, false));
        assert_eq!(plain.len(), 8, "{plain:?}");
        assert!(plain.contains(&"incoming_bytes".to_string()) && plain.contains(&"throttled_records".to_string()));
        assert!(!plain.iter().any(|k| k.starts_with("backup") || k.contains("kinesis") || k.contains("processing")));
        let full = keys(uses(Some(true), true, true, false));
        assert_eq!(full.len(), 15, "{full:?}");
        assert!(
            full.contains(&"kinesis_millis_behind_latest".to_string()) && !full.contains(&"incoming_bytes".to_string())
        );
        let query = keys(uses(Some(false), false, false, true));
        assert!(query.contains(&"jq_processing_duration".to_string()), "{query:?}");
        assert!(metrics(&uses(None, false, false, false)).is_unknown());
        let plain = metrics(&uses(Some(false), false, false, false));
        assert_eq!(
            plain.entries().unwrap()["delivery_to_s3_data_freshness"],
            Value::string("DeliveryToS3.DataFreshness")
        );
    }

    #[test]
    fn metric_names_are_snake_case() {
        assert_eq!(snake_case("IncomingBytes"), "incoming_bytes");
        assert_eq!(snake_case("DeliveryToS3.DataFreshness"), "delivery_to_s3_data_freshness");
        assert_eq!(snake_case("DeliveryToS3.Records"), "delivery_to_s3_records");
        assert_eq!(snake_case("BackupToS3.Success"), "backup_to_s3_success");
        assert_eq!(snake_case("KinesisMillisBehindLatest"), "kinesis_millis_behind_latest");
        assert_eq!(snake_case("ThrottledRecords"), "throttled_records");
    }
}
