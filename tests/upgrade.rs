//! State written by provider 0.1 (schema version 0) upgrades to the current
//! schema with no diff: a stream with a Lambda processor and a backup is
//! applied with the 0.1 binary (built from commit d2b69a0 by
//! `scripts/provider-0.1`), then planned, refreshed and destroyed with the
//! current one.

mod support;

use std::process::Command;

use support::{moto, unique, Tf};

fn provider_0_1() -> String {
    let out = Command::new(support::repo().join("scripts/provider-0.1")).output().expect("run scripts/provider-0.1");
    assert!(out.status.success(), "building provider 0.1 failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn config(name: &str, processor: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

variable "bucket_arn" {{
  type = string
}}

variable "lambda_arn" {{
  type = string
}}

resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = var.bucket_arn
      processor {{
{processor}
      }}
      s3_backup {{
        data_output_prefix = "backup/"
      }}
    }}
  }}
  tags = {{ app = "upgrade" }}
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn state_from_0_1_upgrades_without_a_diff() {
    let old_dir = provider_0_1();
    let aws = support::aws::clients(moto()).await;
    let name = unique("upgrade");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let lambda = aws.create_function(&format!("{name}-transform")).await;

    let old = config(&name, "        lambda_arn  = var.lambda_arn\n        buffer_size = 0.5\n        retries     = 2");
    let tf = Tf::new(&old);
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\nlambda_arn = \"{lambda}\"\n"));
    tf.use_provider_dir(&old_dir);
    tf.apply().ok();
    let state = tf.state();
    let v0 = state["resources"][0]["instances"][0].clone();
    assert_eq!(v0["schema_version"], 0, "0.1 writes schema version 0: {v0}");
    assert_eq!(v0["attributes"]["destination"][0]["s3_bucket"][0]["processor"][0]["lambda_arn"], lambda.as_str());

    // The same configuration in 0.2's syntax, planned by the current provider.
    let new = config(
        &name,
        "        lambda {\n          function_arn = var.lambda_arn\n          buffer_size  = 0.5\n          retries      = 2\n        }",
    );
    tf.write("main.tf", &new);
    tf.use_provider_dir(&support::provider_dir().display().to_string());
    tf.assert_no_changes();
    tf.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"]).ok();
    let v1 = tf.state()["resources"][0]["instances"][0].clone();
    assert_eq!(v1["schema_version"], 2, "the current schema version: {v1}");
    assert_eq!(v1["attributes"]["metrics"]["incoming_bytes"], "IncomingBytes", "{v1}");
    let p = &v1["attributes"]["destination"][0]["s3_bucket"][0]["processor"][0]["lambda"][0];
    assert_eq!(p["function_arn"], lambda.as_str());
    assert_eq!((p["buffer_size"].to_string().as_str(), p["retries"].as_i64()), ("0.5", Some(2)));
    tf.assert_no_changes();

    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
