//! Computed attributes derived from the others: ARNs, part names, policy
//! documents, merged tags and metrics. The same derivation serves plan (from
//! the configuration) and read (from what AWS reports), so a refresh of an
//! unchanged stream reproduces the plan exactly.

use std::collections::BTreeMap;

use crate::protocol::Value;

use super::{destinations, names, policies, processors};

/// Where the stream lives; absent while the provider configuration is unknown.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub default_tags: BTreeMap<String, String>,
}

impl Ctx {
    pub fn stream_arn(&self, name: &str) -> String {
        format!("arn:{}:firehose:{}:{}:deliverystream/{name}", self.partition, self.region, self.account)
    }
    pub fn role_arn(&self, role: &str) -> String {
        format!("arn:{}:iam::{}:role/{role}", self.partition, self.account)
    }
    pub fn bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{bucket}", self.partition)
    }
    pub fn log_group_arn(&self, group: &str) -> String {
        policies::log_group_arn(&self.partition, &self.region, &self.account, group)
    }
}

/// Three states of an input: known (maybe null) or not yet known.
type K<T> = Option<T>;

fn known_str(v: &Value) -> K<Option<String>> {
    if v.is_unknown() {
        None
    } else {
        Some(v.as_str().map(str::to_string))
    }
}

/// The destination block, whatever its kind (null when there is none).
pub fn dest(v: &Value) -> &Value {
    destinations::of(v).map_or(&Value::Null, |(_, b)| b)
}

pub fn backup(v: &Value) -> Option<&Value> {
    dest(v).attr("s3_backup").elements().first()
}

fn first_mut<'a>(v: &'a mut Value, attr: &str) -> Option<&'a mut Value> {
    match v {
        Value::Object(m) => match m.get_mut(attr) {
            Some(Value::List(items)) => items.first_mut(),
            _ => None,
        },
        _ => None,
    }
}

pub fn dest_mut(v: &mut Value) -> Option<&mut Value> {
    destinations::of_mut(v).map(|(_, b)| b)
}

pub fn backup_mut(v: &mut Value) -> Option<&mut Value> {
    first_mut(dest_mut(v)?, "s3_backup")
}

/// Whether the stream needs a stream role: a Kinesis source to read, or a
/// customer-managed SSE key to use. None while either input is unknown.
pub fn needs_stream_role(v: &Value) -> K<bool> {
    let source = known_str(v.attr("source_stream_arn"))?;
    let enc = known_str(v.attr("encryption"))?;
    Some(source.is_some() || enc.as_deref() == Some("CUSTOMER_MANAGED"))
}

/// The log group a destination (or backup) logs to, when logging is on.
fn log_group_of(s3: &Value, stream: &str) -> K<Option<String>> {
    match s3.attr("logging").inner() {
        Value::Unknown(_) => None,
        Value::Bool(false) => Some(None),
        _ => Some(Some(known_str(s3.attr("log_group_name"))?.unwrap_or_else(|| names::log_group(stream)))),
    }
}

fn or_unknown(v: K<Option<String>>) -> Value {
    match v {
        None => Value::UNKNOWN,
        Some(s) => Value::opt_string(s),
    }
}

/// Fills every derived attribute of `v` (a stream object whose own inputs and
/// defaults are already in place). Anything depending on an unknown input, or
/// on the AWS context while it is absent, becomes unknown.
pub fn derive(v: &mut Value, ctx: Option<&Ctx>) {
    let name = known_str(v.attr("name")).flatten();
    let arn = match (&name, ctx) {
        (Some(n), Some(c)) => Some(c.stream_arn(n)),
        _ => None,
    };
    v.set_attr("arn", or_unknown(arn.clone().map(Some)));
    v.set_attr("id", or_unknown(arn.clone().map(Some)));
    // Producers put records only to direct-put streams; a stream reading a
    // Kinesis source refuses them, so no such policy is offered there.
    let put_policy = match (known_str(v.attr("source_stream_arn")), &arn) {
        (Some(Some(_)), _) => Some(None),
        (Some(None), Some(a)) => Some(Some(policies::put_records_policy(a).to_string())),
        _ => None,
    };
    v.set_attr("put_records_policy_json", or_unknown(put_policy));
    let procs = dest(v).attr("processor");
    let has = Uses {
        kinesis_source: known_str(v.attr("source_stream_arn")).map(|s| s.is_some()),
        destination: destinations::of(v).map(|(k, b)| k.metrics(b)).unwrap_or_default(),
        backup: backup(v).is_some(),
        lambda: processors::find(procs, processors::LAMBDA).is_some(),
        query: processors::find(procs, processors::METADATA_EXTRACTION).is_some(),
    };
    v.set_attr("metrics", name.as_deref().map_or(Value::UNKNOWN, |n| metrics(n, &has)));
    v.set_attr("tags_all", tags_all(v.attr("tags"), ctx));
    if let Some((k, d)) = destinations::of_mut(v) {
        k.derive(d, ctx);
    }

    // Backup bucket: the user's, or the one derived from the name.
    let derived_bucket = match (&name, ctx) {
        (Some(n), Some(c)) => Some(Some(c.bucket_arn(&names::backup_bucket(n, &c.account, &c.region)))),
        _ => None,
    };
    if let Some(b) = backup_mut(v) {
        if b.attr("bucket_arn").is_null() {
            b.set_attr("bucket_arn", or_unknown(derived_bucket));
        }
    }

    let s3v = dest(v).clone();
    let dest_role = match known_str(s3v.attr("role_arn")) {
        Some(Some(r)) => Some(Some(r)),
        Some(None) => match (&name, ctx) {
            (Some(n), Some(c)) => Some(Some(c.role_arn(&names::destination_role(n)))),
            _ => None,
        },
        None => None,
    };
    v.set_attr("destination_role_arn", or_unknown(dest_role));

    let stream_role = match needs_stream_role(v) {
        None => None,
        Some(false) => Some(None),
        Some(true) => match known_str(v.attr("role_arn")) {
            Some(Some(r)) => Some(Some(r)),
            Some(None) => match (&name, ctx) {
                (Some(n), Some(c)) => Some(Some(c.role_arn(&names::stream_role(n)))),
                _ => None,
            },
            None => None,
        },
    };
    v.set_attr("stream_role_arn", or_unknown(stream_role));

    // The destination's log group, else the backup's: the group to watch.
    let backup_v = backup(v).cloned();
    let log_group = name.as_deref().and_then(|n| match log_group_of(&s3v, n)? {
        Some(g) => Some(Some(g)),
        None => match &backup_v {
            Some(b) => log_group_of(b, n),
            None => Some(None),
        },
    });
    v.set_attr("log_group_name", or_unknown(log_group));

    let dest_policy = match (&name, ctx) {
        (Some(n), Some(c)) => destination_policy(v, n, c),
        _ => None,
    };
    v.set_attr("destination_role_policy_json", or_unknown(dest_policy.map(Some)));
    v.set_attr("stream_role_policy_json", or_unknown(stream_policy(v)));
}

fn destination_policy(v: &Value, name: &str, ctx: &Ctx) -> K<String> {
    let (kind, d) = destinations::of(v)?;
    let mut g = policies::Grants { region: ctx.region.clone(), ..Default::default() };
    kind.grants(d, name, ctx, &mut g)?;
    // The destination's log group first: it is what almost every stream has.
    let mut groups = Vec::new();
    groups.extend(log_group_of(d, name)?);
    if let Some(b) = backup(v) {
        g.bucket_arns.extend(known_str(b.attr("bucket_arn"))?);
        g.s3_key_arns.extend(known_str(b.attr("encryption_key_arn"))?);
        groups.extend(log_group_of(b, name)?);
    }
    g.log_group_arns = groups.iter().map(|grp| ctx.log_group_arn(grp)).collect();
    let procs = d.attr("processor");
    if !procs.is_wholly_known() {
        return None;
    }
    g.lambda_arns = procs
        .elements()
        .iter()
        .filter_map(|p| p.attr(processors::LAMBDA).elements().first())
        .filter_map(|l| l.attr("function_arn").as_str().map(str::to_string))
        .collect();
    Some(policies::destination_policy(&g).to_string())
}

fn stream_policy(v: &Value) -> K<Option<String>> {
    if !needs_stream_role(v)? {
        return Some(None);
    }
    let source = known_str(v.attr("source_stream_arn"))?;
    let key = if known_str(v.attr("encryption"))?.as_deref() == Some("CUSTOMER_MANAGED") {
        Some(known_str(v.attr("encryption_key_arn"))??)
    } else {
        None
    };
    Some(policies::stream_policy(source.as_deref(), key.as_deref()).map(|d| d.to_string()))
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
    /// None while `source_stream_arn` is unknown.
    kinesis_source: Option<bool>,
    /// What the destination kind reports.
    destination: Vec<&'static str>,
    backup: bool,
    lambda: bool,
    /// A metadata_extraction processor (JQ queries).
    query: bool,
}

/// `AWS/Firehose` metrics by what reports them (Firehose Developer Guide,
/// "Monitor Amazon Data Firehose with CloudWatch metrics").
const DIRECT_PUT_METRICS: [&str; 4] = ["IncomingBytes", "IncomingRecords", "IncomingPutRequests", "ThrottledRecords"];
const KINESIS_SOURCE_METRICS: [&str; 3] =
    ["DataReadFromKinesisStream.Bytes", "DataReadFromKinesisStream.Records", "KinesisMillisBehindLatest"];
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
fn metrics(name: &str, has: &Uses) -> Value {
    let Some(kinesis_source) = has.kinesis_source else { return Value::UNKNOWN };
    let source: &[&str] = if kinesis_source { &KINESIS_SOURCE_METRICS } else { &DIRECT_PUT_METRICS };
    let mut names: Vec<&str> = source.iter().chain(has.destination.iter()).copied().collect();
    if has.backup {
        names.extend(BACKUP_METRICS);
    }
    for (on, list) in [(has.lambda, &PROCESSOR_METRICS[..]), (has.query, &QUERY_METRICS[..])] {
        if on {
            names.extend(list);
        }
    }
    let entries = names.into_iter().map(|m| {
        let obj = Value::object([
            ("namespace", Value::string("AWS/Firehose")),
            ("metric_name", Value::string(m)),
            ("dimensions", Value::Map(BTreeMap::from([("DeliveryStreamName".to_string(), Value::string(name))]))),
        ]);
        (snake_case(m), obj)
    });
    Value::Map(entries.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const S3: [&str; 5] = [
        "DeliveryToS3.Bytes",
        "DeliveryToS3.Records",
        "DeliveryToS3.Success",
        "DeliveryToS3.DataFreshness",
        "DeliveryToS3.ObjectCount",
    ];

    fn uses(kinesis_source: Option<bool>, backup: bool, lambda: bool, query: bool) -> Uses {
        Uses { kinesis_source, destination: S3.to_vec(), backup, lambda, query }
    }

    #[test]
    fn only_the_metrics_a_stream_reports() {
        let keys = |has: Uses| metrics("s", &has).entries().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap();
        let plain = keys(uses(Some(false), false, false, false));
        assert_eq!(plain.len(), 9, "{plain:?}");
        assert!(plain.contains(&"incoming_bytes".to_string()) && plain.contains(&"throttled_records".to_string()));
        assert!(!plain.iter().any(|k| k.starts_with("backup") || k.contains("kinesis") || k.contains("processing")));
        let full = keys(uses(Some(true), true, true, false));
        assert_eq!(full.len(), 16, "{full:?}");
        assert!(
            full.contains(&"kinesis_millis_behind_latest".to_string()) && !full.contains(&"incoming_bytes".to_string())
        );
        let query = keys(uses(Some(false), false, false, true));
        assert!(query.contains(&"jq_processing_duration".to_string()), "{query:?}");
        assert!(metrics("s", &uses(None, false, false, false)).is_unknown());
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
