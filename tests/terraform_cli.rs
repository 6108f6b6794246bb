//! Real Terraform drives the provider: validate, plan, schema, diagnostics
//! that point at the user's line.

mod support;

use support::{line_of, Tf};

fn example(name: &str) -> String {
    std::fs::read_to_string(support::repo().join("examples").join(name).join("main.tf")).unwrap()
}

/// The bucket a plan names must exist (it is read before apply).
async fn bucket(name: &str) -> String {
    support::aws::clients(support::moto()).await.create_bucket(name).await
}

#[tokio::test(flavor = "multi_thread")]
async fn quickstart_validates_and_plans() {
    bucket("quickstart-data").await;
    let tf = Tf::new(&example("quickstart"));
    tf.run(&["validate", "-no-color"]).ok();
    let out = tf
        .run(&[
            "plan",
            "-no-color",
            "-input=false",
            "-var",
            "bucket_arn=arn:aws:s3:::quickstart-data",
            "-var",
            "name=qs",
        ])
        .ok();
    let text = out.all();
    assert!(text.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{text}");
    // Derived values are known at plan time.
    assert!(text.contains("arn:aws:firehose:us-east-1:123456789012:deliverystream/qs"), "{text}");
    assert!(text.contains("\"arn:aws:iam::123456789012:role/qs-firehose-dest\""), "{text}");
    assert!(text.contains("buffering_size      = 5"), "defaults are shown in the plan:\n{text}");
    // The create plan stays readable: from the resource's header to the
    // summary, policy documents included (226 lines in 0.1, when `metrics`
    // listed objects for every metric).
    let plan: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("# firehose_delivery_stream.events will be created"))
        .take_while(|l| !l.starts_with("Plan:"))
        .collect();
    assert!(plan.len() < 90, "the quickstart create plan is {} lines:\n{}", plan.len() + 1, plan.join("\n"));
    assert!(text.contains("= \"IncomingRecords\""), "metrics are shown by their CloudWatch names:\n{text}");
    assert!(text.contains("destination_role_policy_json = jsonencode("), "{text}");
}

#[test]
fn invalid_attribute_points_at_its_line() {
    let main = r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

resource "firehose_delivery_stream" "bad" {
  name = "bad"
  destination {
    s3_bucket {
      bucket_arn         = "arn:aws:s3:::data-bucket"
      buffering_interval = 901
    }
  }
}
"#;
    let tf = Tf::new(main);
    let out = tf.plan().failed();
    let text = out.all();
    assert!(text.contains("Buffering interval must be between 0 and 900 seconds, given 901"), "{text}");
    let line = line_of(main, "buffering_interval = 901");
    assert!(text.contains(&format!("on main.tf line {line}")), "diagnostic must point at line {line}:\n{text}");
}

#[test]
fn provider_configuration_is_validated_with_paths() {
    let main = r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

provider "firehose" {
  endpoint_url = "localhost:5000"
}

resource "firehose_delivery_stream" "s" {
  destination {
    s3_bucket {
      bucket_arn = "arn:aws:s3:::data-bucket"
    }
  }
}
"#;
    let tf = Tf::new(main);
    let out = tf.plan().failed();
    let text = out.all();
    assert!(text.contains("endpoint_url must be an http:// or https:// URL"), "{text}");
    assert!(text.contains(&format!("on main.tf line {}", line_of(main, "endpoint_url ="))), "{text}");
}

#[test]
fn schema_has_descriptions_for_every_attribute() {
    let tf = Tf::new(&example("quickstart"));
    let out = tf.run(&["providers", "schema", "-json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let p = &v["provider_schemas"]["registry.terraform.io/seedworks/firehose"];
    let mut missing = Vec::new();
    fn walk(block: &serde_json::Value, path: &str, missing: &mut Vec<String>) {
        for (name, a) in block["attributes"].as_object().into_iter().flatten() {
            if a["description"].as_str().unwrap_or("").is_empty() {
                missing.push(format!("{path}{name}"));
            }
        }
        for (name, b) in block["block_types"].as_object().into_iter().flatten() {
            if b["block"]["description"].as_str().unwrap_or("").is_empty() {
                missing.push(format!("{path}{name}"));
            }
            walk(&b["block"], &format!("{path}{name}."), missing);
        }
    }
    walk(&p["provider"]["block"], "provider.", &mut missing);
    let resources = p["resource_schemas"].as_object().unwrap();
    assert!(resources.contains_key("firehose_delivery_stream"));
    for (name, s) in resources {
        walk(&s["block"], &format!("{name}."), &mut missing);
    }
    assert!(missing.is_empty(), "undocumented: {missing:?}");
    let desc = p["resource_schemas"]["firehose_delivery_stream"]["block"]["attributes"]["name"]["description_kind"]
        .as_str()
        .unwrap();
    assert_eq!(desc, "markdown");
}

#[tokio::test(flavor = "multi_thread")]
async fn derived_values_are_known_in_the_plan() {
    bucket("known-data").await;
    let tf = Tf::new(&example("quickstart"));
    tf.run(&[
        "plan",
        "-no-color",
        "-input=false",
        "-out=plan.bin",
        "-var",
        "bucket_arn=arn:aws:s3:::known-data",
        "-var",
        "name=known",
    ])
    .ok();
    let out = tf.run(&["show", "-json", "plan.bin"]).ok();
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let change = &plan["resource_changes"][0]["change"];
    let after = &change["after"];
    let unknown = &change["after_unknown"];
    for attr in [
        "arn",
        "id",
        "destination_role_arn",
        "destination_role_policy_json",
        "put_records_policy_json",
        "metrics",
        "log_group_name",
        "tags_all",
    ] {
        assert_ne!(unknown[attr], true, "{attr} must be known at plan time");
        assert!(!after[attr].is_null(), "{attr} planned: {after}");
    }
    assert!(after["stream_role_arn"].is_null(), "no stream role is needed for a direct-put stream");
    assert_eq!(after["log_group_name"], "/aws/kinesisfirehose/known");
    let policy: serde_json::Value =
        serde_json::from_str(after["destination_role_policy_json"].as_str().unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"][0], "arn:aws:s3:::known-data");
    assert_eq!(after["metrics"]["incoming_records"], "IncomingRecords");
    assert_eq!(after["metrics"]["delivery_to_s3_data_freshness"], "DeliveryToS3.DataFreshness");
    // Only what AWS assigns on creation is left unknown.
    assert_eq!(unknown["version_id"], true);
    assert_eq!(unknown["destination_id"], true);
}
