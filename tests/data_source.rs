//! Data source `firehose_delivery_stream` end to end: real Terraform against
//! moto looks up a stream created in another configuration, and reports a
//! missing stream by name.

mod support;

use serde_json::Value as Json;
use support::{moto, unique, Tf};

const HEADER: &str = r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

provider "firehose" {}
"#;

fn lookup_config(name: &str) -> String {
    format!(
        r#"{HEADER}
data "firehose_delivery_stream" "x" {{
  name = "{name}"
}}

output "stream" {{
  value = data.firehose_delivery_stream.x
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn looks_up_a_stream() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("lookup");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let stream = Tf::new(&format!(
        r#"{HEADER}
resource "firehose_delivery_stream" "s" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn          = "{bucket}"
      data_output_prefix  = "events/"
      error_output_prefix = "errors/"
      compression         = "GZIP"
      buffering_interval  = 60
      buffering_size      = 8
    }}
  }}
  tags = {{ app = "lookup" }}
}}
"#
    ));
    stream.apply().ok();
    let s = stream.resource("firehose_delivery_stream.s");

    let tf = Tf::new(&lookup_config(&name));
    tf.apply().ok();
    let out = tf.run(&["output", "-json", "-no-color"]).ok();
    let outputs: Json = serde_json::from_str(&out.stdout).unwrap();
    let x = &outputs["stream"]["value"];
    assert_eq!(x["name"], name.as_str());
    assert_eq!(x["arn"], s["arn"]);
    assert_eq!(x["status"], "ACTIVE");
    assert_eq!(x["version_id"], s["version_id"]);
    assert!(x["source_stream_arn"].is_null(), "{x}");
    assert_eq!(x["encryption"], "UNENCRYPTED");
    assert!(x["encryption_key_arn"].is_null(), "{x}");
    assert_eq!(x["destination_role_arn"], s["destination_role_arn"]);
    assert_eq!(x["bucket_arn"], bucket.as_str());
    assert_eq!(x["data_output_prefix"], "events/");
    assert_eq!(x["error_output_prefix"], "errors/");
    assert_eq!(x["compression"], "GZIP");
    assert_eq!(x["buffering_interval"], 60);
    assert_eq!(x["buffering_size"], 8);
    assert_eq!(x["tags"], serde_json::json!({"app": "lookup"}), "the ownership tag is not reported");
    tf.assert_no_changes();

    stream.destroy().ok();
    // Once the stream is gone the lookup fails, naming it.
    let gone = tf.plan().failed().all();
    assert!(gone.contains(&name), "{gone}");
}

#[test]
fn missing_stream_is_an_error_naming_it() {
    let name = unique("no-such-stream");
    let tf = Tf::new(&lookup_config(&name));
    let out = tf.plan().failed().all();
    assert!(out.contains(&format!("Delivery stream \"{name}\" not found")), "{out}");
    assert!(out.contains("data.firehose_delivery_stream.x"), "points at the data block: {out}");
}

#[test]
fn invalid_name_fails_validation() {
    let tf = Tf::new(&lookup_config("not a valid name"));
    let out = tf.plan().failed().all();
    assert!(out.contains("Invalid delivery stream name"), "{out}");
}
