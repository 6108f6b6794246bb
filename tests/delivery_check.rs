//! The delivery check end to end, under Terraform 1.15 against moto: the
//! `firehose_delivery_check` action on examples/quickstart reports the
//! object its canary landed in; through the proxy, a withheld record is a
//! timeout warning and an injected `S3.AccessDenied` (written by the proxy
//! into the stream's log group, as Firehose writes it) fails the action
//! with its message. `delivery_health` shows logged errors at plan. The
//! check's logic is unit-tested in `src/actions/delivery_check/run_tests.rs`.

mod support;

use serde_json::json;
use support::proxy::Proxy;
use support::{moto, unique, Tf};

const ACCESS_DENIED: &str = "Access was denied. Ensure that the trust policy for the provided IAM role allows Firehose to assume the role, and the access policy allows access to the S3 bucket.";

fn example(file: &str) -> String {
    std::fs::read_to_string(support::repo().join("examples/quickstart").join(file)).unwrap()
}

/// examples/quickstart (with its check.tf) for stream `name`, through `proxy`.
async fn quickstart(aws: &support::aws::Aws, name: &str, proxy: &Proxy, main_tf: &str) -> Tf {
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let tf = Tf::with_endpoint(main_tf, proxy.url());
    tf.write("check.tf", &example("check.tf"));
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nbucket_arn = \"{bucket}\"\n"));
    tf
}

fn invoke(tf: &Tf, action: &str) -> support::Output {
    tf.run(&[
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
        &format!("-invoke=action.firehose_delivery_check.{action}"),
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn the_check_reports_the_delivered_object_a_timeout_and_a_logged_error() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("dchk");
    let proxy = Proxy::in_front_of(moto());
    let tf = quickstart(&aws, &name, &proxy, &example("main.tf")).await;
    tf.write(
        "short.tf",
        "action \"firehose_delivery_check\" \"short\" {\n  config {\n    stream_name = firehose_delivery_stream.events.name\n    timeout     = \"6s\"\n  }\n}\n",
    );
    tf.apply().ok();

    // Delivered: the object the action names is in the bucket and holds
    // the canary it names.
    let out = invoke(&tf, "events").ok();
    let line =
        out.stdout.lines().find(|l| l.contains(": delivered: canary ")).unwrap_or_else(|| panic!("{}", out.all()));
    let rest = line.split(": delivered: canary ").nth(1).unwrap();
    let (canary, url) = rest.split_once(": ").unwrap();
    let key = url.strip_prefix(&format!("s3://{name}-data/")).unwrap_or_else(|| panic!("{line}"));
    assert!(key.starts_with("events/"), "{key}");
    let object = aws.s3.get_object().bucket(format!("{name}-data")).key(key).send().await.unwrap();
    let body = String::from_utf8(object.body.collect().await.unwrap().to_vec()).unwrap();
    assert!(body.contains(&format!("\"firehose_delivery_check\":\"{canary}\"")), "{body}");
    assert!(out.stdout.contains("Actions: 1 invoked"), "{}", out.all());

    // Not seen in time: a warning, and the apply still succeeds.
    proxy.configure(json!({"delivery_failures": {&name: {"withhold": true}}}));
    let out = invoke(&tf, "short").ok();
    let text = support::flat(&out.all());
    assert!(
        text.contains(&format!("Warning when invoking action {name}: the canary was not seen within 6s")),
        "{text}"
    );
    assert!(text.contains(&format!("log group /aws/kinesisfirehose/{name}: no delivery errors")), "{text}");

    // A delivery error Firehose logged: the action fails with its code,
    // message and what to fix.
    proxy.configure(json!({"delivery_failures": {&name: {"error": ["S3.AccessDenied", ACCESS_DENIED]}}}));
    let out = invoke(&tf, "events").failed();
    let text = support::flat(&out.all());
    assert!(
        text.contains(&format!("Error: Error when invoking action {name} failed to deliver: S3.AccessDenied")),
        "{text}"
    );
    assert!(text.contains("Access was denied. Ensure that the trust policy"), "{text}");
    assert_eq!(proxy.stats()["faults"]["delivery_failed"], 2);

    proxy.configure(json!({"delivery_failures": {}}));
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_health_shows_logged_errors_as_a_plan_warning_and_nothing_when_healthy() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("dhealth");
    let proxy = Proxy::in_front_of(moto());
    let main_tf = example("main.tf")
        .replace("  tags = { app = \"quickstart\" }", "  tags = { app = \"quickstart\" }\n  delivery_health = true");
    assert!(main_tf.contains("delivery_health = true"));
    let tf = quickstart(&aws, &name, &proxy, &main_tf).await;
    tf.apply().ok();
    let healthy = tf.plan_code();
    assert_eq!(healthy.code, 0, "{}", healthy.all());
    assert!(!healthy.all().contains("failed to deliver"), "{}", healthy.all());
    assert_eq!(proxy.stats()["by_action"]["logs:FilterLogEvents"], 1, "one read per refresh");

    // Three records fail; the next plan says so on the stream.
    proxy.configure(json!({"delivery_failures": {&name: {"error": ["S3.AccessDenied", ACCESS_DENIED]}}}));
    let producer = support::aws::clients(proxy.url()).await;
    for i in 0..3 {
        let record = aws_sdk_firehose::types::Record::builder()
            .data(aws_sdk_firehose::primitives::Blob::new(format!("{{\"n\":{i}}}\n")))
            .build()
            .unwrap();
        producer.firehose.put_record().delivery_stream_name(&name).record(record).send().await.unwrap();
    }
    let out = tf.plan_code();
    assert_eq!(out.code, 0, "a warning changes nothing: {}", out.all());
    let text = support::flat(&out.all());
    assert!(
        text.contains(&format!("Warning: {name} has failed to deliver 3 times in the last hour: S3.AccessDenied")),
        "{text}"
    );
    assert!(text.contains("Error codes: S3.AccessDenied (3)") && text.contains("Access was denied."), "{text}");
    assert!(text.contains("firehose_delivery_stream.events"), "the warning is on the stream: {text}");

    proxy.configure(json!({"delivery_failures": {}}));
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
