//! Preflight: what AWS only reports at delivery time, checked before apply.
//! CreateDeliveryStream accepts a bucket, a function or a key that does not
//! exist (or cannot work); the stream then goes ACTIVE and silently delivers
//! nothing. So every resource the configuration references is read, all at
//! once, and judged by the rules below, each from an AWS documentation page
//! (docs/resources/delivery_stream.md, "What is checked before apply").
//!
//! A reference is checked when it is new: on create, or when its ARN
//! changed. One known at plan is checked at plan; one known only at apply
//! (made by another resource in the same apply) is checked at apply, before
//! anything is written. Refreshes and unchanged plans read nothing.

use std::collections::BTreeSet;

use crate::aws::{call_error, error_code};
use crate::protocol::{AttrPath, Diagnostics, Value};
use crate::provider::config::Preflight;
use crate::provider::AwsClients;

use super::derive;
use super::kind::{Ctx, RefKind};

/// One referenced resource and where the configuration names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub kind: RefKind,
    pub value: String,
    pub path: AttrPath,
}

/// Every reference in `v` (a planned or prior object), known or not: the
/// value is None while unknown. Destination kinds add theirs here.
fn refs(v: &Value) -> Vec<(RefKind, AttrPath, Option<String>)> {
    let mut out = Vec::new();
    let mut add = |kind: RefKind, path: AttrPath, val: &Value| {
        if val.is_unknown() {
            out.push((kind, path, None));
        } else if let Some(s) = val.as_str() {
            out.push((kind, path, Some(s.to_string())));
        }
    };
    add(RefKind::Key, AttrPath::attr("encryption_key_arn"), v.attr("encryption_key_arn"));
    for (kind, path, val) in super::sources::refs(v) {
        add(kind, path, val);
    }
    add(RefKind::Role, AttrPath::attr("role_arn"), v.attr("role_arn"));
    let Some((dest_kind, s3)) = super::destinations::of(v) else { return out };
    let s3_path = super::destinations::path(dest_kind);
    for (kind, path, val) in dest_kind.refs(s3, &s3_path) {
        add(kind, path, val);
    }
    add(RefKind::LogGroup, s3_path.clone().at("log_group_name"), s3.attr("log_group_name"));
    add(RefKind::Role, s3_path.clone().at("role_arn"), s3.attr("role_arn"));
    for (i, p) in s3.attr("processor").elements().iter().enumerate() {
        if let Some(l) = p.block(super::processors::LAMBDA) {
            let at = s3_path.clone().at("processor").index(i).at(super::processors::LAMBDA).index(0).at("function_arn");
            add(RefKind::Function, at, l.attr("function_arn"));
        }
    }
    if let Some(b) = derive::backup(v) {
        let bp = s3_path.at("s3_backup").index(0);
        add(RefKind::Bucket, bp.clone().at("bucket_arn"), b.attr("bucket_arn"));
        add(RefKind::Key, bp.clone().at("encryption_key_arn"), b.attr("encryption_key_arn"));
        add(RefKind::LogGroup, bp.at("log_group_name"), b.attr("log_group_name"));
    }
    out
}

/// The references of `config` that are known, were not in `prior`, and are
/// not the resource's own parts (a created key or backup bucket appears in
/// the planned object but only the configuration names user references).
pub fn new_refs(config: &Value, prior: Option<&Value>) -> Vec<Ref> {
    let before: BTreeSet<(RefKind, String)> =
        prior.map(|p| refs(p).into_iter().filter_map(|(k, _, v)| v.map(|v| (k, v))).collect()).unwrap_or_default();
    let mut out: Vec<Ref> = refs(config)
        .into_iter()
        .filter_map(|(kind, path, v)| v.map(|value| Ref { kind, value, path }))
        .filter(|r| !before.contains(&(r.kind, r.value.clone())))
        .collect();
    // One read per resource, reported at the first place that names it.
    let mut seen = BTreeSet::new();
    out.retain(|r| seen.insert((r.kind, r.value.clone())));
    out
}

/// References unknown in the plan, known now: checked at apply.
pub fn refs_known_only_at_apply(planned_config_unknowns: &Value, config: &Value) -> Vec<Ref> {
    let unknown: Vec<AttrPath> =
        refs(planned_config_unknowns).into_iter().filter(|(_, _, v)| v.is_none()).map(|(_, p, _)| p).collect();
    new_refs(config, None).into_iter().filter(|r| unknown.contains(&r.path)).collect()
}

/// A finding about one reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    Error(String),
    Warning(String),
}

// ---------------------------------------------------------------- rules

/// "Amazon S3 destination" (Firehose Developer Guide): the bucket must exist;
/// one in another region works but pays cross-region transfer.
pub fn bucket_rule(name: &str, found: Option<Option<&str>>, ctx: &Ctx) -> Vec<Finding> {
    match found {
        None => vec![Finding::Error(format!("bucket {name} does not exist (s3:HeadBucket answered 404)"))],
        Some(Some(region)) if region != ctx.region => vec![Finding::Warning(format!(
            "bucket {name} is in {region}, the stream in {}: Firehose delivers across regions, \
             and AWS charges for the transfer",
            ctx.region
        ))],
        Some(_) => vec![],
    }
}

/// "Transform source data in Amazon Data Firehose": Firehose invokes the
/// function synchronously and supports invocations of up to 5 minutes.
pub const FIREHOSE_MAX_LAMBDA_SECONDS: i32 = 300;

pub fn function_rule(arn: &str, found: Option<(Option<&str>, Option<i32>)>) -> Vec<Finding> {
    let Some((state, timeout)) = found else {
        return vec![Finding::Error(format!("Lambda function {arn} does not exist"))];
    };
    let mut out = Vec::new();
    if let Some(state) = state.filter(|s| *s != "Active") {
        out.push(Finding::Error(format!("Lambda function {arn} is {state}, not Active: Firehose cannot invoke it")));
    }
    if let Some(t) = timeout.filter(|t| *t > FIREHOSE_MAX_LAMBDA_SECONDS) {
        out.push(Finding::Warning(format!(
            "Lambda function {arn} has a timeout of {t} s, but Firehose supports invocations of at most \
             {FIREHOSE_MAX_LAMBDA_SECONDS} s: longer runs fail as processing errors"
        )));
    }
    out
}

/// "Data protection in Amazon Data Firehose" and "Using server-side
/// encryption with AWS KMS keys" (S3): symmetric encryption keys only, and
/// the key must be enabled.
pub fn key_rule(arn: &str, found: Option<(&str, &str, &str)>) -> Vec<Finding> {
    let Some((state, spec, usage)) = found else {
        return vec![Finding::Error(format!("KMS key {arn} does not exist"))];
    };
    let mut out = Vec::new();
    if state != "Enabled" {
        out.push(Finding::Error(format!("KMS key {arn} is {state}, not Enabled")));
    }
    if spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT" {
        out.push(Finding::Error(format!(
            "KMS key {arn} is a {spec} key for {usage}; Firehose and S3 encrypt only with symmetric \
             (SYMMETRIC_DEFAULT) ENCRYPT_DECRYPT keys"
        )));
    }
    out
}

/// "Source, destination, and name" (Firehose Developer Guide): a Kinesis
/// source must be in the stream's account and region, and readable.
pub fn source_stream_place_rule(arn: &str, ctx: &Ctx) -> Option<Finding> {
    let parsed = crate::aws::arn::Arn::parse(arn).ok()?;
    if parsed.region != ctx.region || parsed.account != ctx.account {
        return Some(Finding::Error(format!(
            "Kinesis stream {arn} is in account {} region {}, the delivery stream in account {} region {}: \
             Firehose reads only a stream in its own account and region",
            parsed.account, parsed.region, ctx.account, ctx.region
        )));
    }
    None
}

pub fn source_stream_rule(arn: &str, status: Option<&str>) -> Vec<Finding> {
    match status {
        None => vec![Finding::Error(format!("Kinesis stream {arn} does not exist"))],
        Some("ACTIVE" | "UPDATING") => vec![],
        Some(s) => vec![Finding::Error(format!("Kinesis stream {arn} is {s}, not ACTIVE or UPDATING"))],
    }
}

// ---------------------------------------------------------------- reads

/// Runs the reads for `refs` concurrently and reports what the rules find,
/// each at its attribute. A read the runner may not make is a warning that
/// names the permission, never a failure.
pub async fn check(aws: &AwsClients, ctx: &Ctx, refs: &[Ref], diags: &mut Diagnostics) {
    if aws.preflight == Preflight::Off || refs.is_empty() {
        return;
    }
    let results = futures_util::future::join_all(refs.iter().map(|r| judge(aws, ctx, r))).await;
    for (r, found) in refs.iter().zip(results) {
        for f in found {
            match f {
                Finding::Error(m) if aws.preflight == Preflight::Error => {
                    diags.error_at(r.path.clone(), summary(&m), preflight_detail(m))
                }
                Finding::Error(m) | Finding::Warning(m) => {
                    diags.warning_at(r.path.clone(), summary(&m), preflight_detail(m))
                }
            }
        }
    }
}

/// The finding's first clause: Terraform folds warnings that share a
/// summary into one, so each says its own problem.
fn summary(m: &str) -> String {
    let end = [": ", " (", "; ", ", but "].iter().filter_map(|sep| m.find(sep)).min().unwrap_or(m.len());
    let mut c = m[..end].chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn preflight_detail(m: String) -> String {
    format!("{m}. (Checked before apply; the provider setting `preflight` can make this a warning or turn it off.)")
}

async fn judge(aws: &AwsClients, ctx: &Ctx, r: &Ref) -> Vec<Finding> {
    match read(aws, ctx, r).await {
        Ok(f) => f,
        // A denied or failed read says nothing about the reference.
        Err(e) => vec![Finding::Warning(format!("not checked: {e}"))],
    }
}

async fn read(aws: &AwsClients, ctx: &Ctx, r: &Ref) -> Result<Vec<Finding>, String> {
    let v = r.value.as_str();
    match r.kind {
        RefKind::Bucket => {
            let name = super::parts::bucket_name(v);
            match aws.s3.head_bucket().bucket(name).send().await {
                Ok(out) => Ok(bucket_rule(name, Some(out.bucket_region()), ctx)),
                Err(e) if matches!(error_code(&e), Some("NotFound" | "NoSuchBucket")) || status(&e) == Some(404) => {
                    Ok(bucket_rule(name, None, ctx))
                }
                Err(e) => Err(call_error("s3:ListBucket", v, &e)),
            }
        }
        RefKind::Function => match aws.lambda.get_function_configuration().function_name(v).send().await {
            Ok(out) => Ok(function_rule(v, Some((out.state().map(|s| s.as_str()), out.timeout())))),
            Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(function_rule(v, None)),
            Err(e) => Err(call_error("lambda:GetFunctionConfiguration", v, &e)),
        },
        RefKind::Key => match aws.kms.describe_key().key_id(v).send().await {
            Ok(out) => {
                let Some(m) = out.key_metadata() else { return Ok(key_rule(v, None)) };
                let state = m.key_state().map_or("Unknown", |s| s.as_str());
                let spec = m.key_spec().map_or("SYMMETRIC_DEFAULT", |s| s.as_str());
                let usage = m.key_usage().map_or("ENCRYPT_DECRYPT", |u| u.as_str());
                Ok(key_rule(v, Some((state, spec, usage))))
            }
            Err(e) if error_code(&e) == Some("NotFoundException") => Ok(key_rule(v, None)),
            Err(e) => Err(call_error("kms:DescribeKey", v, &e)),
        },
        RefKind::SourceStream => {
            if let Some(f) = source_stream_place_rule(v, ctx) {
                return Ok(vec![f]);
            }
            match aws.kinesis.describe_stream_summary().stream_arn(v).send().await {
                Ok(out) => {
                    Ok(source_stream_rule(v, out.stream_description_summary().map(|d| d.stream_status().as_str())))
                }
                Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(source_stream_rule(v, None)),
                Err(e) => Err(call_error("kinesis:DescribeStreamSummary", v, &e)),
            }
        }
        RefKind::LogGroup => match super::parts::log_group_retention(aws, v).await? {
            super::parts::Retention::Gone => {
                Ok(vec![Finding::Error(format!("log group {v} does not exist in {}", ctx.region))])
            }
            _ => Ok(vec![]),
        },
        RefKind::Role => {
            let name = super::model::role_name(v);
            match super::parts::role_exists(aws, name).await? {
                true => Ok(vec![]),
                false => Ok(vec![Finding::Error(format!("IAM role {v} does not exist"))]),
            }
        }
    }
}

fn status<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Option<u16> {
    match e {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(se) => Some(se.raw().status().as_u16()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx {
        Ctx {
            partition: "aws".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            default_tags: Default::default(),
        }
    }

    #[test]
    fn summaries_are_the_first_clause() {
        assert_eq!(summary("bucket b does not exist (s3:HeadBucket answered 404)"), "Bucket b does not exist");
        assert_eq!(summary("KMS key k is Disabled, not Enabled"), "KMS key k is Disabled, not Enabled");
        assert_eq!(summary("not checked: x"), "Not checked");
    }

    #[test]
    fn a_missing_bucket_is_an_error_and_another_region_a_warning() {
        assert!(
            matches!(&bucket_rule("b", None, &ctx())[..], [Finding::Error(m)] if m.contains("bucket b does not exist"))
        );
        assert!(
            matches!(&bucket_rule("b", Some(Some("eu-west-1")), &ctx())[..], [Finding::Warning(m)] if m.contains("eu-west-1"))
        );
        assert!(bucket_rule("b", Some(Some("us-east-1")), &ctx()).is_empty());
        assert!(bucket_rule("b", Some(None), &ctx()).is_empty());
    }

    #[test]
    fn functions_must_exist_be_active_and_fit_firehose_invocation_limit() {
        assert!(matches!(&function_rule("f", None)[..], [Finding::Error(_)]));
        assert!(
            matches!(&function_rule("f", Some((Some("Pending"), Some(60))))[..], [Finding::Error(m)] if m.contains("Pending"))
        );
        assert!(
            matches!(&function_rule("f", Some((Some("Active"), Some(900))))[..], [Finding::Warning(m)] if m.contains("300"))
        );
        assert!(function_rule("f", Some((Some("Active"), Some(300)))).is_empty());
    }

    #[test]
    fn keys_must_be_enabled_symmetric_encryption_keys() {
        assert!(matches!(&key_rule("k", None)[..], [Finding::Error(_)]));
        assert!(
            matches!(&key_rule("k", Some(("Disabled", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")))[..], [Finding::Error(m)] if m.contains("Disabled"))
        );
        assert!(
            matches!(&key_rule("k", Some(("Enabled", "RSA_2048", "SIGN_VERIFY")))[..], [Finding::Error(m)] if m.contains("symmetric"))
        );
        assert!(key_rule("k", Some(("Enabled", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"))).is_empty());
    }

    #[test]
    fn a_source_stream_must_be_here_and_readable() {
        let elsewhere = "arn:aws:kinesis:us-west-2:123456789012:stream/s";
        assert!(
            matches!(source_stream_place_rule(elsewhere, &ctx()), Some(Finding::Error(m)) if m.contains("us-west-2"))
        );
        let other_account = "arn:aws:kinesis:us-east-1:210987654321:stream/s";
        assert!(source_stream_place_rule(other_account, &ctx()).is_some());
        assert!(source_stream_place_rule("arn:aws:kinesis:us-east-1:123456789012:stream/s", &ctx()).is_none());
        assert!(source_stream_rule("s", Some("UPDATING")).is_empty());
        assert!(matches!(&source_stream_rule("s", Some("DELETING"))[..], [Finding::Error(_)]));
        assert!(matches!(&source_stream_rule("s", None)[..], [Finding::Error(_)]));
    }

    fn config(bucket: Value, key: Value) -> Value {
        let mut s3 = std::collections::BTreeMap::new();
        s3.insert("bucket_arn".to_string(), bucket);
        s3.insert("encryption_key_arn".to_string(), key);
        let mut dest = std::collections::BTreeMap::new();
        dest.insert("s3_bucket".to_string(), Value::List(vec![Value::Object(s3)]));
        let mut top = std::collections::BTreeMap::new();
        top.insert("destination".to_string(), Value::List(vec![Value::Object(dest)]));
        Value::Object(top)
    }

    #[test]
    fn only_new_known_references_are_checked() {
        let a = config(Value::string("arn:aws:s3:::a"), Value::Null);
        let refs = new_refs(&a, None);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].kind, RefKind::Bucket);
        // Unchanged: nothing to read.
        assert!(new_refs(&a, Some(&a)).is_empty());
        // A new key is checked, the unchanged bucket is not.
        let b = config(Value::string("arn:aws:s3:::a"), Value::string("arn:aws:kms:us-east-1:1:key/k"));
        assert_eq!(new_refs(&b, Some(&a)).iter().map(|r| r.kind).collect::<Vec<_>>(), [RefKind::Key]);
        // Unknown at plan, known at apply.
        let planned = config(Value::UNKNOWN, Value::Null);
        let at_apply = refs_known_only_at_apply(&planned, &a);
        assert_eq!(at_apply.iter().map(|r| r.value.as_str()).collect::<Vec<_>>(), ["arn:aws:s3:::a"]);
        assert!(new_refs(&planned, None).is_empty());
    }
}
