//! Logging under `TF_LOG=debug`: the provider's lines show up in Terraform's
//! log with their level and the RPC and resource type they belong to, and a
//! secret key configured in the provider block never appears anywhere — not
//! in the log, the state, or Terraform's output.

mod support;

use support::{moto, unique, Tf};

/// Distinctive enough that any occurrence is a leak, not a coincidence.
const SECRET: &str = "Sx9-firehose-LOGTEST-secret-7f3a2c";
const ACCESS_KEY: &str = "AKIAFIREHOSELOGTEST1";

fn config(name: &str, bucket_arn: &str, endpoint: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

provider "firehose" {{
  region       = "us-east-1"
  access_key   = "{ACCESS_KEY}"
  secret_key   = "{SECRET}"
  endpoint_url = "{endpoint}"
}}

resource "firehose_delivery_stream" "s" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = "{bucket_arn}"
    }}
  }}
}}

data "firehose_delivery_stream" "s" {{
  name = firehose_delivery_stream.s.name
}}

output "status" {{
  value = data.firehose_delivery_stream.s.status
}}
"#
    )
}

/// Provider lines as Terraform writes them to its log: hclog's text form,
/// `<time> [LEVEL] provider.terraform-provider-firehose: <message>: k=v ...`.
fn provider_lines(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains(" provider.terraform-provider-firehose: ")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_log_has_rpc_fields_and_no_secret() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("logging");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;

    let mut tf = Tf::new(&config(&name, &bucket, moto()));
    // Only the provider block supplies credentials in this test.
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"] {
        tf.env.remove(k);
    }
    let log_path = tf.path().join("terraform.log");
    tf.env.insert("TF_LOG".into(), "debug".into());
    tf.env.insert("TF_LOG_PATH".into(), log_path.display().to_string());

    let mut outputs = Vec::new();
    let apply = tf.apply().ok();
    outputs.push(("apply", apply.all()));
    let plan = tf.plan_code();
    assert_eq!(plan.code, 0, "second plan must show no changes:\n{}", plan.all());
    outputs.push(("plan", plan.all()));
    let state = std::fs::read_to_string(tf.path().join("terraform.tfstate")).expect("state file");
    let destroy = tf.destroy().ok();
    outputs.push(("destroy", destroy.all()));

    let log = std::fs::read_to_string(&log_path).expect("TF_LOG_PATH file");
    let lines = provider_lines(&log);
    assert!(!lines.is_empty(), "no provider lines in the Terraform log:\n{log}");

    // Levels and the RPC/resource fields survive into Terraform's log.
    for rpc in ["PlanResourceChange", "ApplyResourceChange", "ReadResource", "ReadDataSource"] {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!("tf_rpc={rpc}")))
            .unwrap_or_else(|| panic!("no provider line with tf_rpc={rpc}:\n{}", lines.join("\n")));
        assert!(line.contains(" [DEBUG] "), "{line}");
        assert!(line.contains("tf_resource_type=firehose_delivery_stream"), "{line}");
    }
    // Provider-level RPCs are logged too, without a resource type.
    for rpc in ["GetProviderSchema", "ValidateProviderConfig", "ConfigureProvider", "ValidateResourceConfig"] {
        assert!(
            lines.iter().any(|l| l.contains(&format!("tf_rpc={rpc}")) && l.contains("Received request")),
            "no provider line with tf_rpc={rpc}:\n{}",
            lines.join("\n")
        );
    }
    assert!(
        lines.iter().any(|l| l.contains("Served request") && l.contains("tf_req_duration_ms=")),
        "{}",
        lines.join("\n")
    );
    // Nothing the provider writes falls outside hclog's JSON form (which
    // Terraform would show as an unparsed `[DEBUG] plugin.stdio`/stderr line).
    let raw: Vec<&str> =
        log.lines().filter(|l| l.contains("terraform-provider-firehose") && l.contains("{\"@")).collect();
    assert!(raw.is_empty(), "provider lines Terraform could not parse:\n{}", raw.join("\n"));

    // No secret anywhere.
    assert!(!log.contains(SECRET), "the secret key is in the Terraform log:\n{}", context(&log, SECRET));
    assert!(!state.contains(SECRET), "the secret key is in terraform.tfstate");
    for (what, text) in &outputs {
        assert!(!text.contains(SECRET), "the secret key is in the output of {what}:\n{text}");
    }
    for entry in std::fs::read_dir(tf.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() && p.file_name().is_some_and(|n| n != "main.tf") {
            let bytes = std::fs::read(&p).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains(SECRET), "the secret key is in {}", p.display());
        }
    }
}

#[test]
fn provider_level_comes_from_tf_log_provider() {
    // TF_LOG_PROVIDER sets the provider's level on its own: with TF_LOG=warn
    // Terraform's own debug lines are gone, yet the provider's debug lines
    // (the RPC log of a validate) still arrive.
    let mut tf = Tf::new(
        r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

provider "firehose" {
  secret_key = "Sx9-firehose-LOGTEST-secret-7f3a2c"
  access_key = "AKIAFIREHOSELOGTEST1"
}

resource "firehose_delivery_stream" "s" {
  name = "validate-only"
  destination {
    s3_bucket {
      bucket_arn = "arn:aws:s3:::some-bucket"
    }
  }
}
"#,
    );
    let log_path = tf.path().join("terraform.log");
    tf.env.insert("TF_LOG_PROVIDER".into(), "debug".into());
    tf.env.insert("TF_LOG_PATH".into(), log_path.display().to_string());
    tf.run(&["plan", "-refresh=false", "-no-color", "-input=false"]);
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let lines = provider_lines(&log);
    assert!(
        lines.iter().any(|l| l.contains(" [DEBUG] ") && l.contains("tf_rpc=PlanResourceChange")),
        "TF_LOG_PROVIDER=debug must enable the provider's debug lines:\n{log}"
    );
    assert!(!log.contains(SECRET), "the secret key is in the log:\n{}", context(&log, SECRET));
}

/// The lines around the first occurrence of `needle`, for a readable failure.
fn context(text: &str, needle: &str) -> String {
    text.lines().filter(|l| l.contains(needle)).take(5).collect::<Vec<_>>().join("\n")
}
