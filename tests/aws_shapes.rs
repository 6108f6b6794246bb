//! Every example under AWS-shaped answers: moto echoes back what it was
//! sent, real AWS does not. With the proxy's `aws_shapes` mode
//! (`tools/aws_shapes.py`, listed in `docs/reliability.md`) Firehose's
//! describe carries its server-side defaults and drops what it never
//! returns, and IAM, Logs and KMS reads come back as AWS gives them. Each
//! example must still apply, plan with no changes, import with no diff and
//! destroy leaving nothing.

mod support;

use serde_json::{json, Value as Json};
use support::given::{supply_via, tfvars};
use support::proxy::Proxy;
use support::{moto, unique, Tf};

macro_rules! shaped {
    ($($example:ident),* $(,)?) => {
        const EXAMPLES: &[&str] = &[$(stringify!($example)),*];
        $(
            #[tokio::test(flavor = "multi_thread")]
            async fn $example() {
                shaped_lifecycle(stringify!($example)).await;
            }
        )*
    };
}

shaped! {
    alarms, all_properties, backup_created_bucket, backup_given_bucket, backup_given_prefix, basic_s3,
    buffering, compression, custom_prefixes, destination_encryption, direct_put, dynamic_partitioning,
    format_conversion, given_roles, http_endpoint, http_endpoint_datadog, iceberg, kinesis_source,
    lambda_processor, logging_disabled, logging_given_group, msk_source, opensearch, opensearch_serverless,
    processors, quickstart, redshift, snowflake, splunk, sse_aws_owned, sse_customer_managed_created,
    sse_customer_managed_given,
}

/// Every example but `migration` (two configurations of another provider,
/// tested in `tests/migration.rs`) is in the list above.
#[test]
fn every_example_is_shaped() {
    let mut dirs: Vec<String> = std::fs::read_dir(support::repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|d| d != "migration")
        .collect();
    dirs.sort();
    assert_eq!(dirs, EXAMPLES);
}

/// Paths (`a.0.b`) whose values differ between two JSON documents.
fn differing(before: &Json, after: &Json, path: &str, out: &mut Vec<String>) {
    match (before, after) {
        (Json::Object(a), Json::Object(b)) => {
            for k in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                differing(a.get(k).unwrap_or(&Json::Null), b.get(k).unwrap_or(&Json::Null), &p, out);
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differing(x, y, &format!("{path}.{i}"), out);
            }
        }
        (a, b) if a != b => out.push(path.to_string()),
        _ => {}
    }
}

/// The attributes an import leaves to the next apply: the versions of
/// write-only secrets, which AWS never reports.
fn after_import_changes(tf: &Tf) -> Vec<String> {
    tf.run(&["plan", "-no-color", "-input=false", "-out=import.tfplan"]).ok();
    let shown: Json = serde_json::from_str(&tf.run(&["show", "-json", "import.tfplan"]).ok().stdout).unwrap();
    let mut paths = Vec::new();
    for change in shown["resource_changes"].as_array().into_iter().flatten() {
        let c = &change["change"];
        // The read-back data source reads again after any change it depends on.
        if c["actions"] == json!(["no-op"]) || change["mode"] == "data" {
            continue;
        }
        assert_eq!(c["actions"], json!(["update"]), "an import must not replace: {change}");
        differing(&c["before"], &c["after"], "", &mut paths);
        unknown(&c["after_unknown"], "", &mut paths);
    }
    paths
}

/// The data source reports the stream's destination and MSK source as the
/// resource holds them, but for what only the configuration knows: the
/// versions of write-only secrets, and a role the provider made (null in the
/// resource, named in the data source).
fn data_source_reports_the_destination(tf: &Tf, example: &str, address: &str) {
    let state = tf.state();
    let find = |mode: &str, name: &str| {
        state["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["mode"] == mode && r["type"] == "firehose_delivery_stream" && r["name"] == name)
            .map(|r| r["instances"][0]["attributes"].clone())
            .unwrap_or_else(|| panic!("no {mode} {name} in {state}"))
    };
    let (managed, data) = (find("managed", address), find("data", "read_back"));
    for attr in ["destination", "source_msk"] {
        let mut paths = Vec::new();
        differing(&managed[attr], &data[attr], attr, &mut paths);
        let unexplained: Vec<&String> = paths
            .iter()
            .filter(|p| !p.ends_with("_wo_version"))
            .filter(|p| !(p.ends_with("role_arn") && pointer(&managed, p).is_null()))
            .collect();
        assert!(unexplained.is_empty(), "{example}: the data source differs at {unexplained:?}: {data}");
    }
    assert!(!data["destination"].as_array().unwrap().is_empty(), "{example}: no destination read: {data}");
}

fn pointer<'a>(v: &'a Json, dotted: &str) -> &'a Json {
    v.pointer(&format!("/{}", dotted.replace('.', "/"))).unwrap_or(&Json::Null)
}

/// Paths that `after_unknown` marks as known after apply.
fn unknown(v: &Json, path: &str, out: &mut Vec<String>) {
    let at = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match v {
        Json::Bool(true) => out.push(path.to_string()),
        Json::Object(m) => m.iter().for_each(|(k, x)| unknown(x, &at(k), out)),
        Json::Array(a) => a.iter().enumerate().for_each(|(i, x)| unknown(x, &at(&i.to_string()), out)),
        _ => {}
    }
}

/// What an import cannot recover, because AWS does not hold it, and so the
/// first apply after it sets: the versions of write-only secrets, the
/// `alarms` block (configuration; the alarms themselves are adopted) and
/// `delivery_health` (how refresh behaves, not a setting of AWS). Such
/// an update also gives the stream a new `version_id`.
fn import_cannot_recover(path: &str) -> bool {
    path.ends_with("_wo_version")
        || path == "version_id"
        || path
            .split('.')
            .next()
            .is_some_and(|top| ["alarms", "alarm_arns", "timeouts", "delivery_health"].contains(&top))
}

/// The rules of tools/aws_shapes.py that change each example's answers.
/// The provider sends every setting it has explicitly, so most default
/// rules only meet streams made elsewhere (the fewest-fields test below).
fn rules_met(example: &str) -> Vec<&'static str> {
    let mut rules = vec!["sse_status", "iam_document_reordered"];
    if ["lambda_processor", "processors", "all_properties"].contains(&example) {
        rules.extend(["lambda_parameter_defaults", "lambda_latest_qualifier"]);
    }
    if example != "logging_disabled" {
        rules.push("log_group_fields");
    }
    rules
}

async fn shaped_lifecycle(example: &str) {
    let main_tf = std::fs::read_to_string(support::repo().join("examples").join(example).join("main.tf")).unwrap();
    let aws = support::aws::clients(moto()).await;
    let name = unique(&format!("shp-{}", example.replace('_', "-")));
    let proxy = Proxy::in_front_of(moto());
    proxy.configure(json!({"aws_shapes": true}));
    let given = supply_via(&aws, &main_tf, &name, proxy.url()).await;
    let tf = Tf::with_endpoint(&main_tf, proxy.url());
    tf.write("terraform.tfvars", &tfvars(&given.vars));

    let address = main_tf
        .split("resource \"firehose_delivery_stream\" \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a firehose_delivery_stream resource");
    tf.write(
        "zz_read_back.tf",
        &format!(
            "data \"firehose_delivery_stream\" \"read_back\" {{\n  name       = firehose_delivery_stream.{address}.name\n  depends_on = [firehose_delivery_stream.{address}]\n}}\n"
        ),
    );
    tf.apply().ok();
    tf.assert_no_changes();
    data_source_reports_the_destination(&tf, example, address);

    // Forget each stream and import it back by name.
    let state = tf.state();
    let streams: Vec<(String, String)> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "firehose_delivery_stream" && r["mode"] == "managed")
        .map(|r| {
            let address = format!("firehose_delivery_stream.{}", r["name"].as_str().unwrap());
            (address, r["instances"][0]["attributes"]["name"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(!streams.is_empty(), "{example} has a stream");
    for (address, stream) in &streams {
        tf.run(&["state", "rm", "-no-color", address]).ok();
        tf.run(&["import", "-no-color", "-input=false", address, stream]).ok();
    }
    let changes = after_import_changes(&tf);
    let unexpected: Vec<&String> = changes.iter().filter(|p| !import_cannot_recover(p)).collect();
    assert!(unexpected.is_empty(), "{example}: the import differs from the configuration at {unexpected:?}");
    if !changes.is_empty() {
        tf.apply().ok();
    }
    tf.assert_no_changes();

    tf.destroy().ok();
    // What the test made for the example stays; nothing else may.
    let supplied: Vec<&String> = given.buckets.iter().chain(&given.roles).chain(&given.groups).collect();
    let left: Vec<String> = support::leftovers::orphans(&aws, &name)
        .await
        .into_iter()
        .filter(|o| o.starts_with("inline policy") || !supplied.iter().any(|g| o.ends_with(&format!(" {g}"))))
        .collect();
    assert!(left.is_empty(), "{example}: orphans: {left:?}");

    let stats = proxy.stats();
    assert!(stats["violations"].as_array().unwrap().is_empty(), "requests outside the API models: {stats}");
    let shaped = &stats["shaped"];
    for rule in rules_met(example) {
        assert!(shaped[rule].as_u64().unwrap_or(0) > 0, "{example}: rule {rule} never applied: {shaped}");
    }
}

/// A stream made outside Terraform with the fewest fields AWS takes (no
/// logging, encryption, buffering, compression or backup mode; a Lambda
/// processor given only its function) reads back with every server-side
/// default filled in, and imports into the matching configuration with no
/// diff but the one the docs promise: the provider's inline policy on the
/// role given.
#[tokio::test(flavor = "multi_thread")]
async fn a_stream_made_with_the_fewest_fields_imports_clean() {
    use aws_sdk_firehose::types as fh;
    let direct = support::aws::clients(moto()).await;
    let name = unique("shp-minimal");
    let bucket = direct.create_bucket(&format!("{name}-data")).await;
    let function = direct.create_function(&format!("{name}-transform")).await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"firehose.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = format!("{name}-user-dest");
    let made = direct.iam.create_role().role_name(&role).assume_role_policy_document(trust).send().await.unwrap();
    let role_arn = made.role().unwrap().arn().to_string();

    let proxy = Proxy::in_front_of(moto());
    proxy.configure(json!({"aws_shapes": true}));
    let aws = support::aws::clients(proxy.url()).await;
    let lambda = fh::Processor::builder()
        .r#type(fh::ProcessorType::Lambda)
        .parameters(
            fh::ProcessorParameter::builder()
                .parameter_name(fh::ProcessorParameterName::LambdaArn)
                .parameter_value(&function)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let s3 = fh::ExtendedS3DestinationConfiguration::builder()
        .role_arn(&role_arn)
        .bucket_arn(&bucket)
        .processing_configuration(fh::ProcessingConfiguration::builder().enabled(true).processors(lambda).build())
        .build()
        .unwrap();
    aws.firehose
        .create_delivery_stream()
        .delivery_stream_name(&name)
        .extended_s3_destination_configuration(s3)
        .send()
        .await
        .expect("create the stream");
    let described = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = described.delivery_stream_description().unwrap();
    let ext = d.destinations()[0].extended_s3_destination_description().unwrap();
    assert_eq!(ext.s3_backup_mode(), Some(&fh::S3BackupMode::Disabled), "AWS-shaped: {ext:?}");
    assert!(ext.encryption_configuration().and_then(|e| e.no_encryption_config()).is_some(), "{ext:?}");
    assert_eq!(ext.cloud_watch_logging_options().and_then(|l| l.enabled()), Some(false), "{ext:?}");

    let main = format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = "{bucket}"
      role_arn   = "{role_arn}"
      logging    = false
      processor {{
        lambda {{
          function_arn = "{function}"
        }}
      }}
    }}
  }}
}}
"#
    );
    let tf = Tf::with_endpoint(&main, proxy.url());
    tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    let changes = after_import_changes(&tf);
    let unexpected: Vec<&String> =
        changes.iter().filter(|p| *p != "destination_role_policy_json" && *p != "version_id").collect();
    assert!(unexpected.is_empty(), "the import differs from the configuration at {unexpected:?}");
    tf.apply().ok();
    tf.assert_no_changes();
    tf.destroy().ok();
    let left: Vec<String> = support::leftovers::orphans(&direct, &name)
        .await
        .into_iter()
        .filter(|o| *o != format!("IAM role {role}") && *o != format!("bucket {name}-data"))
        .collect();
    assert!(left.is_empty(), "orphans: {left:?}");
    let shaped = &proxy.stats()["shaped"];
    for rule in
        ["lambda_parameter_defaults", "lambda_latest_qualifier", "s3_backup_mode_disabled", "no_encryption_config"]
    {
        assert!(shaped[rule].as_u64().unwrap_or(0) > 0, "rule {rule} never applied: {shaped}");
    }
}

/// Each rule of tools/aws_shapes.py changes the answer moto gives, on a
/// description as moto gives it for the fewest fields of each kind.
#[test]
fn every_rule_changes_what_moto_answers() {
    let script = r#"
import json, sys
sys.path.insert(0, "tools")
import aws_shapes
from api_models import Models
m = Models()
role = "arn:aws:iam::123456789012:role/r"
s3 = {"RoleARN": role, "BucketARN": "arn:aws:s3:::b"}
desc = {"DeliveryStreamDescription": {"DeliveryStreamName": "s", "Destinations": [
    {"DestinationId": "d1", "ExtendedS3DestinationDescription": dict(s3, ProcessingConfiguration={"Enabled": True,
        "Processors": [{"Type": "Lambda", "Parameters": [{"ParameterName": "LambdaArn",
        "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}]},
        DataFormatConversionConfiguration={"Enabled": False, "SchemaConfiguration": {"DatabaseName": "d"}})},
    {"DestinationId": "d2", "HttpEndpointDestinationDescription": {"EndpointConfiguration": {"Url": "https://x", "AccessKey": "k"},
        "S3DestinationDescription": dict(s3)}},
    {"DestinationId": "d3", "SnowflakeDestinationDescription": {"AccountUrl": "https://a", "S3DestinationDescription": dict(s3)}},
]}}
_, rules = aws_shapes.shape(m, "firehose", "DescribeDeliveryStream", json.dumps(desc).encode())
_, logs = aws_shapes.shape(m, "logs", "DescribeLogGroups", json.dumps({"logGroups": [{"logGroupName": "g",
    "arn": "arn:aws:logs:us-east-1:123456789012:log-group:g"}]}).encode())
_, kms = aws_shapes.shape(m, "kms", "DescribeKey", json.dumps({"KeyMetadata": {"KeyId": "k"}}).encode())
doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["a:B"], "Resource": ["*"]}]})
xml = "<GetRolePolicyResponse><GetRolePolicyResult><PolicyDocument>" + doc.replace('"', "&quot;") + "</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>"
body, iam = aws_shapes.shape(m, "iam", "GetRolePolicy", xml.encode())
assert b"%22Statement%22" in body and b"&quot;" not in body, body
print(json.dumps(sorted(set(rules + logs + kms + iam))))
"#;
    let out = std::process::Command::new(support::repo().join(".venv/bin/python"))
        .args(["-c", script])
        .current_dir(support::repo())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let applied: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let source = std::fs::read_to_string(support::repo().join("tools/aws_shapes.py")).unwrap();
    let defined: std::collections::BTreeSet<String> =
        source.split("self.did(\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect();
    let applied: std::collections::BTreeSet<String> = applied.into_iter().collect();
    assert_eq!(applied, defined, "rules that never changed an answer");
    let docs = std::fs::read_to_string(support::repo().join("docs/reliability.md")).unwrap();
    for rule in &defined {
        assert!(docs.contains(&format!("`{rule}`")), "docs/reliability.md does not list rule {rule}");
    }
}
