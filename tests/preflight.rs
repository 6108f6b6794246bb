//! What AWS reports only at delivery time is caught at plan time: a missing
//! bucket or function, a disabled or asymmetric key, a source stream in
//! another region each fail the plan at their line; `preflight = "warn"`
//! makes them warnings; a reference made by another resource of the same
//! apply is checked at apply; an unchanged plan reads nothing.

mod support;

use aws_config::{BehaviorVersion, Region};
use support::aws::Aws;
use support::aws_provider::{aws_provider_zip, install_both};
use support::proxy::Proxy;
use support::{flat, line_of, moto, unique, Output, Tf};

const HEADER: &str = r#"terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}
"#;

struct Broken {
    aws: Aws,
    name: String,
    main: String,
}

/// A stream whose bucket and function do not exist, whose destination key
/// is asymmetric and whose backup key is disabled.
async fn broken(provider: &str) -> Broken {
    let aws = support::aws::clients(moto()).await;
    let name = unique("pre");
    let backup = aws.create_bucket(&format!("{name}-backup")).await;
    let asym = aws
        .kms
        .create_key()
        .key_spec(aws_sdk_kms::types::KeySpec::Rsa2048)
        .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap();
    let asym = asym.key_metadata().unwrap().arn().unwrap().to_string();
    let made = aws.kms.create_key().send().await.unwrap();
    let disabled = made.key_metadata().unwrap().arn().unwrap().to_string();
    // moto disables a key by its ID only.
    aws.kms.disable_key().key_id(made.key_metadata().unwrap().key_id()).send().await.unwrap();
    let main = format!(
        r#"{HEADER}
{provider}
resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn         = "arn:aws:s3:::{name}-missing"
      encryption_key_arn = "{asym}"
      processor {{
        lambda {{
          function_arn = "arn:aws:lambda:us-east-1:123456789012:function:{name}-missing"
        }}
      }}
      s3_backup {{
        bucket_arn         = "{backup}"
        encryption_key_arn = "{disabled}"
      }}
    }}
  }}
}}
"#
    );
    Broken { aws, name, main }
}

#[track_caller]
fn diagnostic_at(text: &str, main: &str, kind: &str, needle: &str, says: &str) {
    let line = line_of(main, needle);
    let at = format!("on main.tf line {line},");
    let block = text
        .split(&format!("{kind}: "))
        .find(|d| flat(d).contains(&at))
        .unwrap_or_else(|| panic!("no {kind} at line {line} ({needle}):\n{text}"));
    assert!(flat(block).contains(says), "{kind} at line {line} should say {says:?}:\n{block}");
}

#[tokio::test(flavor = "multi_thread")]
async fn references_that_cannot_work_fail_the_plan_at_their_lines() {
    let b = broken("").await;
    let text = Tf::new(&b.main).plan().failed().all();
    assert_eq!(text.matches("Error: ").count(), 4, "{text}");
    let name = &b.name;
    diagnostic_at(
        &text,
        &b.main,
        "Error",
        &format!("{name}-missing\""),
        &format!("bucket {name}-missing does not exist"),
    );
    diagnostic_at(&text, &b.main, "Error", "function_arn", "does not exist");
    diagnostic_at(&text, &b.main, "Error", "encryption_key_arn = \"arn:aws:kms", "RSA_2048 key for SIGN_VERIFY");
    let backup_key_line = b.main.lines().filter(|l| l.contains("encryption_key_arn")).nth(1).unwrap();
    diagnostic_at(&text, &b.main, "Error", backup_key_line, "is Disabled, not Enabled");
    drop(b.aws);
}

#[tokio::test(flavor = "multi_thread")]
async fn preflight_warn_turns_each_error_into_a_warning() {
    let b = broken("provider \"firehose\" {\n  preflight = \"warn\"\n}\n").await;
    let text = Tf::new(&b.main).plan().ok().all();
    for says in ["does not exist", "RSA_2048", "Disabled"] {
        assert!(text.contains("Warning: ") && flat(&text).contains(says), "{says:?}:\n{text}");
    }
    assert!(!text.contains("similar warning"), "each warning says its own problem:\n{text}");
    assert!(!text.contains("Error:"), "{text}");
    let off = b.main.replace("\"warn\"", "\"off\"");
    let text = Tf::new(&off).plan().ok().all();
    assert!(!text.contains("does not exist") && !text.contains("Disabled"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_bucket_is_one_diagnostic_at_bucket_arn() {
    let name = unique("nobucket");
    let main = support::stream_config(&name, "", "");
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("bucket_arn = \"arn:aws:s3:::{name}-nowhere\"\n"));
    let text = tf.plan().failed().all();
    assert_eq!(text.matches("Error:").count(), 1, "{text}");
    assert!(text.contains(&format!("on main.tf line {},", line_of(&main, "bucket_arn ="))), "{text}");
    assert!(flat(&text).contains(&format!("bucket {name}-nowhere does not exist")), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_source_stream_in_another_region_fails_at_its_line() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("west");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .endpoint_url(moto())
        .credentials_provider(aws_credential_types::Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    let west = aws_sdk_kinesis::Client::new(&conf);
    west.create_stream().stream_name(&name).shard_count(1).send().await.unwrap();
    let arn = format!("arn:aws:kinesis:us-west-2:123456789012:stream/{name}");
    let main = support::stream_config(&name, &format!("  source_stream_arn = \"{arn}\""), "");
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    let text = tf.plan().failed().all();
    diagnostic_at(
        &text,
        &main,
        "Error",
        "source_stream_arn",
        "Firehose reads only a stream in its own account and region",
    );
}

/// Nothing is read again when the references did not change.
#[tokio::test(flavor = "multi_thread")]
async fn an_unchanged_plan_reads_no_references() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("quiet");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let function = aws.create_function(&format!("{name}-fn")).await;
    let proxy = Proxy::in_front_of(moto());
    let main = support::stream_config(
        &name,
        "",
        &format!(
            "      processor {{\n        lambda {{\n          function_arn = \"{function}\"\n        }}\n      }}"
        ),
    );
    let tf = Tf::with_endpoint(&main, proxy.url());
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    proxy.reset();
    tf.plan().ok();
    let stats = proxy.stats();
    assert_eq!(stats["by_action"]["s3:HEAD"], 1, "a create reads its bucket: {stats}");
    tf.apply().ok();
    proxy.reset();
    tf.assert_no_changes();
    let stats = proxy.stats();
    let actions: Vec<&String> = stats["by_action"].as_object().unwrap().keys().collect();
    assert!(
        actions.iter().all(|a| !a.starts_with("lambda:") && a.as_str() != "s3:HEAD"),
        "an unchanged plan read references: {actions:?}"
    );
    tf.destroy().ok();
}

/// A bucket that hashicorp/aws makes in the same apply is unknown at plan:
/// the plan passes, and the check runs at apply, before the stream is made.
#[tokio::test(flavor = "multi_thread")]
async fn a_bucket_made_in_the_same_apply_is_checked_at_apply() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("sameapply");
    let main = format!(
        r#"terraform {{
  required_providers {{
    aws      = {{ source = "hashicorp/aws", version = "3.39.0" }}
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

provider "aws" {{
  region = "us-east-1"
}}

resource "aws_s3_bucket" "data" {{
  bucket        = "{name}-made-now"
  force_destroy = true
}}

resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = aws_s3_bucket.data.arn
    }}
  }}
}}
"#
    );
    let tf = Tf::new(&main);
    install_both(&tf, &aws_provider_zip(), moto());
    let plan: Output = tf.plan().ok();
    assert!(plan.all().contains("Plan: 2 to add"), "{}", plan.all());
    tf.apply().ok();
    aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.expect("stream made");
    tf.destroy().ok();
}
