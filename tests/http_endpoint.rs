//! The HTTP endpoint destination end to end: records put to the stream
//! reach a local HTTPS receiver in Firehose's JSON envelope; the access key
//! goes to AWS but never into the plan, the state or the logs; rotation and
//! other changes are in-place updates; import, and destroy leaving nothing.

mod support;

use base64::Engine;
use support::proxy::Proxy;
use support::receiver::{moto_trusting, Receiver};
use support::{unique, Tf};

const KEY_1: &str = "key-one-5b1c0e2f9a";
const KEY_2: &str = "key-two-77d04e1b3c";

/// `examples/http_endpoint`, its key version and buffering set as given.
fn example(version: u32, size: u32) -> String {
    let main = std::fs::read_to_string(support::repo().join("examples/http_endpoint/main.tf")).unwrap();
    assert!(main.contains("access_key_wo_version = 1") && main.contains("buffering_size        = 1"));
    main.replace("access_key_wo_version = 1", &format!("access_key_wo_version = {version}"))
        .replace("buffering_size        = 1", &format!("buffering_size        = {size}"))
}

/// A stream like the example, with the key written inline: Terraform before
/// 1.10 knows no ephemeral variables.
fn inline_key(name: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

resource "firehose_delivery_stream" "this" {{
  name = "{name}"
  destination {{
    http_endpoint {{
      url                   = "https://example.com/in"
      access_key_wo         = "inline-key"
      access_key_wo_version = 1
      s3_backup {{}}
    }}
  }}
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn records_reach_the_endpoint_and_the_key_never_reaches_state_plan_or_logs() {
    let receiver = Receiver::start();
    let moto = moto_trusting(receiver.cert_path());
    let proxy = Proxy::in_front_of(&moto);
    let aws = support::aws::clients(&moto).await;
    let name = unique("http");

    let mut tf = Tf::with_endpoint(&example(1, 1), proxy.url());
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nurl = \"{}\"\n", receiver.url));
    tf.env.insert("TF_VAR_access_key".into(), KEY_1.into());
    let log = tf.path().join("trace.log");
    tf.env.insert("TF_LOG".into(), "trace".into());
    tf.env.insert("TF_LOG_PATH".into(), log.display().to_string());

    tf.run(&["plan", "-no-color", "-input=false", "-out=tfplan"]).ok();
    let plan_json = tf.run(&["show", "-json", "tfplan"]).ok().stdout;
    tf.run(&["apply", "-no-color", "-input=false", "tfplan"]).ok();

    // AWS got the endpoint, the key and a bucket for failed records.
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    let h = d.destinations()[0].http_endpoint_destination_description().expect("an HTTP endpoint destination");
    assert_eq!(h.endpoint_configuration().and_then(|e| e.url()), Some(receiver.url.as_str()));
    assert_eq!(h.endpoint_configuration().and_then(|e| e.name()), Some("my-endpoint"));
    let backup = h.s3_destination_description().expect("backup bucket").bucket_arn().to_string();
    aws.s3.head_bucket().bucket(backup.trim_start_matches("arn:aws:s3:::")).send().await.expect("backup bucket made");

    // Records flow: moto posts them to the receiver in Firehose's envelope.
    aws.firehose
        .put_record()
        .delivery_stream_name(&name)
        .record(
            aws_sdk_firehose::types::Record::builder()
                .data(aws_sdk_firehose::primitives::Blob::new("hello"))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("put record");
    let got = receiver.requests();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["method"], "POST");
    let body = &got[0]["body"];
    assert!(body["requestId"].as_str().is_some_and(|r| !r.is_empty()), "{body}");
    assert!(body["timestamp"].is_number(), "{body}");
    assert_eq!(body["records"][0]["data"], base64::engine::general_purpose::STANDARD.encode("hello"));

    tf.assert_no_changes();

    // Rotation and other settings: in place, the new key sent.
    let version = |s: &serde_json::Value| s["version_id"].as_str().unwrap().to_string();
    let before = tf.resource("firehose_delivery_stream.this");
    tf.write("main.tf", &example(2, 2));
    tf.env.insert("TF_VAR_access_key".into(), KEY_2.into());
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    let after = tf.resource("firehose_delivery_stream.this");
    assert_eq!(after["arn"], before["arn"]);
    assert_ne!(version(&after), version(&before));
    let raw = proxy.stats();
    assert!(raw["violations"].as_array().unwrap().is_empty(), "requests outside the API models: {raw}");
    tf.assert_no_changes();

    // Import: everything but the key's version, which AWS cannot report;
    // the next apply re-sends the key once.
    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("access_key_wo_version") && plan.contains("1 to change"), "{plan}");
    tf.apply().ok();
    tf.assert_no_changes();

    // The key is nowhere but at AWS.
    let state = std::fs::read_to_string(tf.path().join("terraform.tfstate")).unwrap();
    let trace = std::fs::read_to_string(&log).unwrap();
    assert!(trace.contains("ApplyResourceChange"), "the trace log was written");
    for key in [KEY_1, KEY_2] {
        assert!(!state.contains(key), "key in the state");
        assert!(!plan_json.contains(key), "key in the plan");
        assert!(!trace.contains(key), "key in the TF_LOG=trace output");
    }

    tf.env.remove("TF_LOG");
    tf.env.remove("TF_LOG_PATH");
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

/// Terraform before 1.11 would keep a write-only value in state: the
/// provider refuses it there and names the alternative.
#[test]
fn terraform_before_1_11_is_told_to_use_secret_arn() {
    for line in ["1.6", "1.10"] {
        let mut tf = Tf::new(&inline_key("http-old-tf"));
        tf.use_line(line);
        let out = tf.run(&["validate", "-no-color"]).failed();
        let text = support::flat(&out.all());
        assert!(text.contains("Write-only attribute needs Terraform 1.11 or later"), "{line}: {text}");
        assert!(text.contains("secret_arn"), "{line}: {text}");
    }
}

/// From 1.11 on the write-only key applies and stays out of state.
#[tokio::test(flavor = "multi_thread")]
async fn write_only_key_applies_under_terraform_1_11() {
    let aws = support::aws::clients(support::moto()).await;
    let name = unique("http-tf111");
    let mut tf = Tf::new(&inline_key(&name));
    tf.use_line("1.11");
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    assert!(d.destinations()[0].http_endpoint_destination_description().is_some());
    let state = std::fs::read_to_string(tf.path().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("inline-key"), "the key is in the state");
    tf.assert_no_changes();
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

/// `examples/http_endpoint_datadog` applies with its preset, plans clean and
/// destroys clean.
#[tokio::test(flavor = "multi_thread")]
async fn the_datadog_example_applies_plans_clean_and_destroys() {
    let main = std::fs::read_to_string(support::repo().join("examples/http_endpoint_datadog/main.tf")).unwrap();
    let aws = support::aws::clients(support::moto()).await;
    let name = unique("http-dd");
    let mut tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\n"));
    tf.env.insert("TF_VAR_datadog_api_key".into(), KEY_1.into());
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    let h = d.destinations()[0].http_endpoint_destination_description().unwrap();
    assert_eq!(
        h.endpoint_configuration().and_then(|e| e.url()),
        Some("https://aws-kinesis-http-intake.logs.datadoghq.eu/v1/input")
    );
    assert_eq!(h.endpoint_configuration().and_then(|e| e.name()), Some("Datadog"));
    let state = tf.resource("firehose_delivery_stream.this");
    let http = &state["destination"][0]["http_endpoint"][0];
    assert_eq!(http["preset"], "datadog_logs_eu");
    assert!(http["url"].is_null() && http["access_key_wo"].is_null(), "{http}");
    tf.assert_no_changes();
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

/// A secret read by a role of the user's own (`secret_role_arn`): Firehose
/// is handed that role for the secret, the destination role is granted
/// nothing on it, and the stream plans clean, imports clean and destroys
/// leaving the user's role and secret in place.
#[tokio::test(flavor = "multi_thread")]
async fn a_secret_read_by_the_users_own_role() {
    let aws = support::aws::clients(support::moto()).await;
    let name = unique("http-sr");
    let secret = support::aws::create_secret(support::moto(), &format!("{name}-key"), r#"{"api_key": "k"}"#);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"firehose.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    // Not named after the stream: leftover checks look for roles by its name.
    let reader_name = unique("reader");
    let reader = aws.iam.create_role().role_name(&reader_name).assume_role_policy_document(trust).send();
    let reader = reader.await.unwrap().role().unwrap().arn().to_string();
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
    http_endpoint {{
      url             = "https://example.com/in"
      secret_arn      = "{secret}"
      secret_role_arn = "{reader}"
      s3_backup {{}}
    }}
  }}
}}
"#
    );
    let tf = Tf::new(&main);
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    let sm = d.destinations()[0].http_endpoint_destination_description().unwrap().secrets_manager_configuration();
    assert_eq!(sm.and_then(|s| s.role_arn()), Some(reader.as_str()));
    assert_eq!(sm.and_then(|s| s.secret_arn()), Some(secret.as_str()));
    let state = tf.resource("firehose_delivery_stream.this");
    assert!(!state["destination_role_policy_json"].as_str().unwrap().contains("secretsmanager"), "{state}");
    tf.assert_no_changes();
    tf.reimport(&name);

    // Without it, in place: the destination role reads the secret, and is granted it.
    tf.write("main.tf", &main.replace(&format!("      secret_role_arn = \"{reader}\"\n"), ""));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    let sm = d.destinations()[0].http_endpoint_destination_description().unwrap().secrets_manager_configuration();
    let state = tf.resource("firehose_delivery_stream.this");
    assert_eq!(sm.and_then(|s| s.role_arn()), state["destination_role_arn"].as_str());
    assert!(state["destination_role_policy_json"].as_str().unwrap().contains("secretsmanager:GetSecretValue"));
    tf.assert_no_changes();
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
    aws.iam.get_role().role_name(&reader_name).send().await.expect("the user's role stays");
}
