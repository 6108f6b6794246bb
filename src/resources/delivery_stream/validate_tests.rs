//! Plan-time validation (SPEC §2.3), in process: one test per rule (and per
//! variant of a rule), each building the configuration Terraform would send
//! and checking that it fails with exactly one error, carrying the SPEC's
//! message, at the attribute path of the offending value. Terraform turns
//! that path into the user's line; tests/validation.rs proves so end to end
//! for a few paths.

use serde_json::{json, Value as Json};

use super::validate;
use crate::protocol::json::from_json;
use crate::protocol::{Diagnostics, Severity, Value};
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, schema};

const BUCKET: &str = "arn:aws:s3:::val-data-bucket";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KINESIS: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/source";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:transform";

/// Paths of the destination, its backup and its (first) Lambda processor.
const S3: &str = "destination[0].s3_bucket[0]";
const BACKUP: &str = "destination[0].s3_bucket[0].s3_backup[0]";
const PROC: &str = "destination[0].s3_bucket[0].processor[0].lambda[0]";

fn at(base: &str, attr: &str) -> String {
    format!("{base}.{attr}")
}

fn merge(into: &mut Json, from: Json) {
    into.as_object_mut().unwrap().extend(from.as_object().unwrap().clone());
}

/// A resource configuration from its JSON form, shaped by the schema as
/// Terraform sends it (absent blocks are empty lists).
fn resource(j: Json) -> Value {
    let b = schema::schema().block;
    let mut v = from_json(&j, &b.value_type()).unwrap();
    b.normalize(&mut v);
    v
}

/// `top` merged over `{name}`, with one destination whose `s3_bucket` is `s3`
/// merged over `{bucket_arn}`.
fn stream(top: Json, s3: Json) -> Value {
    let mut block = json!({"bucket_arn": BUCKET});
    merge(&mut block, s3);
    let mut r = json!({"name": "s", "destination": [{"s3_bucket": [block]}]});
    merge(&mut r, top);
    resource(r)
}

fn top(j: Json) -> Value {
    stream(j, json!({}))
}

fn s3(j: Json) -> Value {
    stream(json!({}), j)
}

fn backup(j: Json) -> Value {
    s3(json!({"s3_backup": [j]}))
}

/// A Lambda processor with a valid function, plus `j`.
fn lambda(j: Json) -> Value {
    let mut l = json!({"function_arn": LAMBDA});
    merge(&mut l, j);
    s3(json!({"processor": [{"lambda": [l]}]}))
}

/// Requires exactly one error in `d`, at `path`, whose summary and detail
/// together contain every one of `expect`.
#[track_caller]
fn one_error(d: &Diagnostics, path: &str, expect: &[&str]) {
    let errs: Vec<_> = d.0.iter().filter(|x| x.severity == Severity::Error).collect();
    assert_eq!(errs.len(), 1, "expected exactly one error diagnostic: {d:#?}");
    let e = errs[0];
    assert_eq!(e.path.as_ref().map(|p| p.to_string()).as_deref(), Some(path), "wrong path: {e:#?}");
    let text = format!("{}: {}", e.summary, e.detail);
    for f in expect {
        assert!(text.contains(f), "message must contain {f:?}: {text}");
    }
}

#[track_caller]
fn fails(config: &Value, path: &str, expect: &[&str]) {
    one_error(&validate(config), path, expect);
}

/// One `#[test]` per case: `name: config => path, [message fragments];`.
macro_rules! rejects {
    ($($name:ident: $config:expr => $path:expr, [$($expect:expr),+ $(,)?];)+) => {
        $(
            #[test]
            fn $name() {
                fails(&$config, &$path, &[$($expect),+]);
            }
        )+
    };
}

// ---------------------------------------------------------------------------------------
// Destinations

rejects! {
    no_destination: resource(json!({"name": "s"})) => "destination",
        ["Only one destination is allowed per delivery stream, given 0"];
    two_destinations: resource(json!({"name": "s", "destination": [
        {"s3_bucket": [{"bucket_arn": BUCKET}]},
        {"s3_bucket": [{"bucket_arn": "arn:aws:s3:::val-other-bucket"}]},
    ]})) => "destination[1]", ["Only one destination is allowed per delivery stream, given 2", "given 2"];
}

// ---------------------------------------------------------------------------------------
// Stream server-side encryption

const SSE_WITH_KINESIS: &str = "Requested server-side encryption but delivery stream source is a Kinesis data stream";

rejects! {
    kinesis_source_with_aws_owned_encryption:
        top(json!({"source_stream_arn": KINESIS, "encryption": "AWS_OWNED"})) => "encryption", [SSE_WITH_KINESIS];
    kinesis_source_with_customer_managed_encryption:
        top(json!({"source_stream_arn": KINESIS, "encryption": "CUSTOMER_MANAGED"})) => "encryption", [SSE_WITH_KINESIS];
    kinesis_source_with_encryption_key:
        top(json!({"source_stream_arn": KINESIS, "encryption_key_arn": KEY})) => "encryption_key_arn", [SSE_WITH_KINESIS];
    aws_owned_encryption_with_key: top(json!({"encryption": "AWS_OWNED", "encryption_key_arn": KEY}))
        => "encryption_key_arn", ["Specified stream encryption as AWS_OWNED but provided a customer-managed key"];
    unencrypted_with_key: top(json!({"encryption": "UNENCRYPTED", "encryption_key_arn": KEY}))
        => "encryption_key_arn", ["Specified stream encryption as UNENCRYPTED but provided a customer-managed key"];
}

// ---------------------------------------------------------------------------------------
// Backup mode and logging

const LOGGING: &str = "logging cannot be set to false when logGroup is provided";

rejects! {
    backup_mode_failed: backup(json!({"mode": "FAILED"})) => at(BACKUP, "mode"),
        ["S3 destinations do not support BackupMode.FAILED"];
    logging_off_with_log_group: s3(json!({"logging": false, "log_group_name": "/val/firehose"}))
        => at(S3, "logging"), [LOGGING];
    backup_logging_off_with_log_group: backup(json!({"logging": false, "log_group_name": "/val/backup"}))
        => at(BACKUP, "logging"), [LOGGING];
}

// ---------------------------------------------------------------------------------------
// Buffering

const INTERVAL: &str = "Buffering interval must be between 0 and 900 seconds";
const SIZE: &str = "Buffering size must be between 1 and 128 MiBs";

rejects! {
    buffering_interval_too_high: s3(json!({"buffering_interval": 901}))
        => at(S3, "buffering_interval"), [INTERVAL, "given 901"];
    buffering_interval_too_low: s3(json!({"buffering_interval": -1}))
        => at(S3, "buffering_interval"), [INTERVAL, "given -1"];
    buffering_size_too_low: s3(json!({"buffering_size": 0})) => at(S3, "buffering_size"), [SIZE, "given 0"];
    buffering_size_too_high: s3(json!({"buffering_size": 129})) => at(S3, "buffering_size"), [SIZE, "given 129"];
    backup_buffering_interval_too_high: backup(json!({"buffering_interval": 1000}))
        => at(BACKUP, "buffering_interval"), [INTERVAL, "given 1000"];
    backup_buffering_interval_too_low: backup(json!({"buffering_interval": -5}))
        => at(BACKUP, "buffering_interval"), [INTERVAL, "given -5"];
    backup_buffering_size_too_high: backup(json!({"buffering_size": 200}))
        => at(BACKUP, "buffering_size"), [SIZE, "given 200"];
    backup_buffering_size_too_low: backup(json!({"buffering_size": 0})) => at(BACKUP, "buffering_size"), [SIZE, "given 0"];
}

// ---------------------------------------------------------------------------------------
// Lambda processor

rejects! {
    processor_buffer_interval_too_high: lambda(json!({"buffer_interval": 901}))
        => at(PROC, "buffer_interval"), ["buffer_interval", "between 0 and 900", "given 901"];
    processor_buffer_interval_too_low: lambda(json!({"buffer_interval": -1}))
        => at(PROC, "buffer_interval"), ["buffer_interval", "between 0 and 900", "given -1"];
    processor_buffer_size_too_high: lambda(json!({"buffer_size": 3.5}))
        => at(PROC, "buffer_size"), ["buffer_size", "between 0.2 and 3", "given 3.5"];
    processor_buffer_size_too_low: lambda(json!({"buffer_size": 0.1}))
        => at(PROC, "buffer_size"), ["buffer_size", "between 0.2 and 3", "given 0.1"];
    processor_retries_too_high: lambda(json!({"retries": 301}))
        => at(PROC, "retries"), ["retries", "between 0 and 300", "given 301"];
    processor_retries_too_low: lambda(json!({"retries": -1}))
        => at(PROC, "retries"), ["retries", "between 0 and 300", "given -1"];
}

// ---------------------------------------------------------------------------------------
// S3 prefixes

const FORM: &str = "The expression must be of the form !{namespace:value}";
const ERR_PREFIX: &str = "errors/!{firehose:error-output-type}/";
const NEEDS_ERROR_PREFIX: &str = "Specify the errorOutputPrefix in order to use expressions in the dataOutputPrefix";
const NEEDS_ERROR_TYPE: &str = "must include at least one instance of !{firehose:error-output-type}";
const NO_ERROR_TYPE_IN_DATA: &str = "dataOutputPrefix cannot contain !{firehose:error-output-type}";

/// The destination with `data_output_prefix = data` and a valid error prefix.
fn data_prefix(data: &str) -> Value {
    s3(json!({"data_output_prefix": data, "error_output_prefix": ERR_PREFIX}))
}

rejects! {
    prefix_expression_not_closed: data_prefix("data/!{timestamp:yyyy/")
        => at(S3, "data_output_prefix"), [FORM, "!{timestamp:yyyy/"];
    prefix_expression_without_colon: data_prefix("data/!{timestamp}/")
        => at(S3, "data_output_prefix"), [FORM, "!{timestamp}"];
    prefix_expression_unknown_namespace: data_prefix("data/!{time:yyyy}/")
        => at(S3, "data_output_prefix"), [FORM, "!{time:yyyy}", "\"time\""];
    prefix_expression_unknown_firehose_value: data_prefix("data/!{firehose:random}/")
        => at(S3, "data_output_prefix"), ["!{firehose:random}", "random-string", "error-output-type"];
    prefix_expression_invalid_timestamp_pattern: data_prefix("data/!{timestamp:yyyy-MM-ddTHH}/")
        => at(S3, "data_output_prefix"),
        ["!{timestamp:yyyy-MM-ddTHH}", "not a valid Java DateTimeFormatter pattern", "'T'"];
    prefix_expression_invalid_in_error_prefix:
        s3(json!({"error_output_prefix": "errors/!{firehose:error-output-type}/!{foo:bar}/"}))
        => at(S3, "error_output_prefix"), [FORM, "!{foo:bar}"];
    data_prefix_expressions_without_error_prefix: s3(json!({"data_output_prefix": "data/!{timestamp:yyyy}/"}))
        => at(S3, "data_output_prefix"), [NEEDS_ERROR_PREFIX];
    error_prefix_without_error_output_type: s3(json!({"error_output_prefix": "errors/!{timestamp:yyyy}/"}))
        => at(S3, "error_output_prefix"), [NEEDS_ERROR_TYPE];
    data_prefix_with_error_output_type: data_prefix("data/!{firehose:error-output-type}/")
        => at(S3, "data_output_prefix"), [NO_ERROR_TYPE_IN_DATA];
    data_prefix_too_long: s3(json!({"data_output_prefix": "a".repeat(1025)}))
        => at(S3, "data_output_prefix"), ["1024", "1025"];
    error_prefix_too_long: s3(json!({"error_output_prefix": "e".repeat(1100)}))
        => at(S3, "error_output_prefix"), ["1024", "1100"];
    backup_prefix_invalid_expression: backup(json!({
        "data_output_prefix": "backup/!{nope:x}/",
        "error_output_prefix": "backup-errors/!{firehose:error-output-type}/",
    })) => at(BACKUP, "data_output_prefix"), [FORM, "!{nope:x}"];
    backup_data_prefix_expressions_without_error_prefix:
        backup(json!({"data_output_prefix": "backup/!{timestamp:yyyy}/"}))
        => at(BACKUP, "data_output_prefix"), [NEEDS_ERROR_PREFIX];
    backup_error_prefix_without_error_output_type:
        backup(json!({"error_output_prefix": "backup-errors/!{firehose:random-string}/"}))
        => at(BACKUP, "error_output_prefix"), [NEEDS_ERROR_TYPE];
    backup_data_prefix_with_error_output_type: backup(json!({
        "data_output_prefix": "backup/!{firehose:error-output-type}/",
        "error_output_prefix": "backup-errors/!{firehose:error-output-type}/",
    })) => at(BACKUP, "data_output_prefix"), [NO_ERROR_TYPE_IN_DATA];
    backup_prefix_too_long: backup(json!({"data_output_prefix": "b".repeat(1025)}))
        => at(BACKUP, "data_output_prefix"), ["1024", "1025"];
}

// ---------------------------------------------------------------------------------------
// Names

const NAME_RULE: &str = "1 to 64 characters of letters, digits, '_', '.' and '-'";

rejects! {
    name_with_invalid_character: top(json!({"name": "bad name!"})) => "name", [NAME_RULE, "bad name!"];
    name_too_long: top(json!({"name": "n".repeat(65)})) => "name", [NAME_RULE, "65 characters"];
}

// ---------------------------------------------------------------------------------------
// ARNs

const ALIAS: &str = "arn:aws:kms:us-east-1:123456789012:alias/my-key";
const S3_KEY: &str = "arn:aws:s3:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const STATES: &str = "arn:aws:states:us-east-1:123456789012:function:transform";
const FIREHOSE: &str = "arn:aws:firehose:us-east-1:123456789012:deliverystream/source";
const USER: &str = "arn:aws:iam::123456789012:user/firehose";
const STS: &str = "arn:aws:sts::123456789012:assumed-role/firehose/session";

rejects! {
    bucket_arn_of_wrong_service: s3(json!({"bucket_arn": KEY})) => at(S3, "bucket_arn"), ["expected an S3 bucket ARN", KEY];
    bucket_arn_not_an_arn: s3(json!({"bucket_arn": "val-data-bucket"}))
        => at(S3, "bucket_arn"), ["expected an S3 bucket ARN", "val-data-bucket"];
    backup_bucket_arn_of_wrong_service: backup(json!({"bucket_arn": LAMBDA}))
        => at(BACKUP, "bucket_arn"), ["expected an S3 bucket ARN", LAMBDA];
    stream_key_alias: top(json!({"encryption_key_arn": ALIAS})) => "encryption_key_arn", ["expected a KMS key ARN", ALIAS];
    stream_key_of_wrong_service: top(json!({"encryption_key_arn": S3_KEY}))
        => "encryption_key_arn", ["expected a KMS key ARN", S3_KEY, "\"s3\""];
    destination_key_of_wrong_service: s3(json!({"encryption_key_arn": LAMBDA}))
        => at(S3, "encryption_key_arn"), ["expected a KMS key", LAMBDA, "\"lambda\""];
    backup_key_of_wrong_service: backup(json!({"encryption_key_arn": KINESIS}))
        => at(BACKUP, "encryption_key_arn"), ["expected a KMS key", KINESIS];
    lambda_arn_of_wrong_service: lambda(json!({"function_arn": STATES}))
        => at(PROC, "function_arn"), ["expected a Lambda function ARN", STATES];
    kinesis_stream_arn_of_wrong_service: top(json!({"source_stream_arn": FIREHOSE}))
        => "source_stream_arn", ["expected a Kinesis data stream ARN", FIREHOSE];
    stream_role_arn_of_wrong_kind: top(json!({"role_arn": USER})) => "role_arn", ["expected an IAM role ARN", USER];
    destination_role_arn_of_wrong_service: s3(json!({"role_arn": STS}))
        => at(S3, "role_arn"), ["expected an IAM role ARN", STS];
}

// ---------------------------------------------------------------------------------------
// Enumerations

rejects! {
    unknown_compression: s3(json!({"compression": "BZIP2"}))
        => at(S3, "compression"), ["BZIP2", "UNCOMPRESSED", "GZIP", "ZIP", "SNAPPY", "HADOOP_SNAPPY"];
    unknown_backup_compression: backup(json!({"compression": "gzip"}))
        => at(BACKUP, "compression"), ["gzip", "UNCOMPRESSED, GZIP, ZIP, SNAPPY, HADOOP_SNAPPY"];
    unknown_encryption: top(json!({"encryption": "KMS"}))
        => "encryption", ["KMS", "UNENCRYPTED", "AWS_OWNED", "CUSTOMER_MANAGED"];
    unknown_backup_mode: backup(json!({"mode": "SOME"})) => at(BACKUP, "mode"), ["SOME", "ALL"];
}

// ---------------------------------------------------------------------------------------
// Tags

/// `n` tags `k0 = "v"`, `k1 = "v"`, ...
fn tags(n: usize) -> Json {
    Json::Object((0..n).map(|i| (format!("k{i}"), json!("v"))).collect())
}

rejects! {
    too_many_tags: top(json!({"tags": tags(51)})) => "tags", ["at most 50 tags", "given 51"];
    reserved_tag_key: top(json!({"tags": {"team": "data", "aws:owner": "me"}}))
        => "tags[\"aws:owner\"]", ["aws:owner", "must not start with \"aws:\""];
}

fn ctx(default_tags: &[(&str, &str)]) -> Ctx {
    Ctx {
        partition: "aws".into(),
        region: "us-east-1".into(),
        account: "123456789012".into(),
        default_tags: default_tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

/// What a create plan reports for `config`: validation, then (when that
/// passes, as `plan` does) the planned state's own checks.
fn plan_diags(config: &Value, default_tags: &[(&str, &str)]) -> Diagnostics {
    let mut d = validate(config);
    if !d.has_errors() {
        plan::planned_state(config, None, &Private::default(), Some(&ctx(default_tags)), &mut d);
    }
    d
}

#[track_caller]
fn plans(config: &Value) {
    let d = plan_diags(config, &[]);
    assert!(!d.has_errors(), "{d:#?}");
}

/// AWS allows 50 tags and the provider keeps two of its own, so the plan
/// (which knows the provider's default_tags) counts all of them.
#[test]
fn tags_over_the_limit_with_the_providers_own() {
    let over = "at most 50 tags";
    plans(&top(json!({"tags": tags(48)})));
    one_error(&plan_diags(&top(json!({"tags": tags(49)})), &[]), "tags", &[over, "would carry 51"]);
    let defaults = [("env", "prod"), ("owner", "data")];
    assert!(!plan_diags(&top(json!({"tags": tags(46)})), &defaults).has_errors());
    one_error(
        &plan_diags(&top(json!({"tags": tags(47)})), &defaults),
        "tags",
        &[over, "default_tags (2)", "would carry 51"],
    );
    // A default tag the configuration overrides is counted once: 46 + env,
    // merged with env and owner, is 48 tags, 50 with the provider's own.
    let mut t = tags(46);
    t["env"] = json!("dev");
    assert!(!plan_diags(&top(json!({"tags": t.clone()})), &defaults).has_errors());
    t["k46"] = json!("v");
    one_error(&plan_diags(&top(json!({"tags": t})), &defaults), "tags", &[over, "would carry 51"]);
}

// ---------------------------------------------------------------------------------------
// No false positives, and unknown values checked at apply

#[test]
fn every_prefix_feature_plans() {
    plans(&s3(json!({
        "data_output_prefix": "data/!{timestamp:yyyy-MM-dd'T'HH}/!{firehose:random-string}/",
        "error_output_prefix": "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
        "s3_backup": [{
            "data_output_prefix": "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{timestamp:yyyy-MM-dd HH:mm:ss.SSS}/!{timestamp:uuuu-'W'ww-e}/!{timestamp:EEE, d MMM}/{literal}!/",
            "error_output_prefix": "backup-errors/!{firehose:error-output-type}/!{firehose:random-string}/!{timestamp:yyyy[-MM]}/",
        }],
    })));
}

#[test]
fn boundary_values_plan() {
    // 48 tags: AWS allows 50, and the provider keeps two of its own.
    let mut t = tags(47);
    t["aws-team"] = json!("data");
    plans(&stream(
        json!({"name": "n".repeat(64), "encryption": "AWS_OWNED", "tags": t}),
        json!({
            "buffering_interval": 0,
            "buffering_size": 128,
            "compression": "SNAPPY",
            "logging": false,
            "processor": [{"lambda": [{
                "function_arn": format!("{LAMBDA}:live"),
                "buffer_interval": 900,
                "buffer_size": 0.2,
                "retries": 300,
            }]}],
            "s3_backup": [{
                "mode": "ALL",
                "buffering_interval": 900,
                "buffering_size": 1,
                "compression": "HADOOP_SNAPPY",
                "error_output_prefix": "backup-errors/",
            }],
        }),
    ));
}

#[test]
fn kinesis_source_without_sse_plans() {
    plans(&stream(
        json!({
            "source_stream_arn": KINESIS,
            "encryption": "UNENCRYPTED",
            "role_arn": "arn:aws:iam::123456789012:role/service-role/firehose-source",
        }),
        json!({"role_arn": "arn:aws:iam::123456789012:role/firehose-dest", "encryption_key_arn": KEY}),
    ));
}

/// The first element of block list `name` of `v`.
fn first_mut<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    match v {
        Value::Object(m) => match m.get_mut(name) {
            Some(Value::List(items)) => &mut items[0],
            other => panic!("{name} is not a list: {other:?}"),
        },
        other => panic!("not an object: {other:?}"),
    }
}

/// An unknown value passes at plan; the same value, known at apply (where
/// `apply` runs `validate` again before writing anything), fails.
#[test]
fn unknown_value_is_checked_when_known() {
    let mut c = s3(json!({}));
    let set =
        |c: &mut Value, v: Value| first_mut(first_mut(c, "destination"), "s3_bucket").set_attr("buffering_interval", v);
    set(&mut c, Value::UNKNOWN);
    plans(&c);
    set(&mut c, Value::int(901));
    fails(&c, &at(S3, "buffering_interval"), &["Buffering interval must be between 0 and 900 seconds, given 901"]);
}
