//! Provider functions, called from HCL by real Terraform:
//! `provider::firehose::put_records_policy` and `provider::firehose::check_prefix`.

mod support;

use support::Tf;

const HEADER: &str = r#"terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}
"#;

fn outputs(tf: &Tf) -> serde_json::Value {
    let out = tf.run(&["output", "-json", "-no-color"]).ok();
    serde_json::from_str(&out.stdout).expect("output -json")
}

#[test]
fn functions_answer_from_hcl() {
    let arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events";
    let main = format!(
        r#"{HEADER}
output "policy" {{
  value = provider::firehose::put_records_policy(["{arn}"])
}}

output "good" {{
  value = provider::firehose::check_prefix("data/!{{timestamp:yyyy}}/", "err/!{{firehose:error-output-type}}/")
}}

output "bad" {{
  value = provider::firehose::check_prefix("data/!{{timestamp:yyyy}}/", null)
}}
"#
    );
    let tf = Tf::new(&main);
    tf.apply().ok();
    let out = outputs(&tf);
    let policy: serde_json::Value = serde_json::from_str(out["policy"]["value"].as_str().unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"], serde_json::json!(arn));
    assert_eq!(policy["Statement"][0]["Action"], serde_json::json!(["firehose:PutRecord", "firehose:PutRecordBatch"]));
    assert_eq!(out["good"]["value"]["valid"], true);
    assert_eq!(out["bad"]["value"]["valid"], false);
    assert!(out["bad"]["value"]["message"].as_str().unwrap().contains("errorOutputPrefix"), "{out}");
}

#[test]
fn a_bad_argument_is_an_error_that_names_it() {
    let main = format!(
        "{HEADER}\noutput \"policy\" {{\n  value = provider::firehose::put_records_policy([\"arn:aws:s3:::bucket\"])\n}}\n"
    );
    let text = Tf::new(&main).plan().failed().all();
    let flat = support::flat(&text);
    assert!(flat.contains("stream_arns:"), "{text}");
    assert!(flat.contains("arn:aws:s3:::bucket"), "{text}");
}
