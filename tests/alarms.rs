//! The `alarms` block end to end against moto's CloudWatch: `examples/alarms`
//! applies, plans clean, repairs an alarm deleted and one changed outside
//! Terraform, removes an alarm that is switched off, and destroys leaving
//! nothing; an alarm of the same name that the provider did not make is
//! never taken over.

mod support;

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::MetricAlarm;
use support::aws::Aws;
use support::{moto, unique, Tf};

const OWNER_TAG: &str = "seedworks:firehose:stream";

async fn alarms(aws: &Aws, name: &str) -> BTreeMap<String, MetricAlarm> {
    let out = aws.cloudwatch.describe_alarms().alarm_name_prefix(format!("{name}-")).send().await.unwrap();
    out.metric_alarms().iter().map(|a| (a.alarm_name().unwrap().to_string(), a.clone())).collect()
}

async fn tags(aws: &Aws, arn: &str) -> BTreeMap<String, String> {
    let out = aws.cloudwatch.list_tags_for_resource().resource_arn(arn).send().await.unwrap();
    out.tags().iter().map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string())).collect()
}

fn setup(aws: &Aws, name: &str, bucket: &str) -> (Tf, String, String) {
    let main = std::fs::read_to_string(support::repo().join("examples/alarms/main.tf")).unwrap();
    let topic = aws.create_topic(&format!("{name}-ops"));
    let tf = Tf::new(&main);
    tf.write(
        "terraform.tfvars",
        &format!("name = \"{name}\"\nbucket_arn = \"{bucket}\"\nalarm_topic_arn = \"{topic}\"\n"),
    );
    (tf, main, topic)
}

#[tokio::test(flavor = "multi_thread")]
async fn alarms_are_made_repaired_and_removed_with_the_stream() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("alarms");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let (tf, main, topic) = setup(&aws, &name, &bucket);
    tf.apply().ok();

    let found = alarms(&aws, &name).await;
    let expected: Vec<String> =
        ["data-freshness", "delivery-success", "incoming-bytes", "incoming-records", "throttled-records"]
            .iter()
            .map(|a| format!("{name}-{a}"))
            .collect();
    assert_eq!(found.keys().cloned().collect::<Vec<_>>(), expected, "incoming_put_requests is disabled");
    let fresh = &found[&format!("{name}-data-freshness")];
    assert_eq!(fresh.metric_name(), Some("DeliveryToS3.DataFreshness"));
    assert_eq!(fresh.namespace(), Some("AWS/Firehose"));
    assert_eq!(fresh.dimensions()[0].value(), Some(name.as_str()));
    assert_eq!((fresh.threshold(), fresh.evaluation_periods(), fresh.period()), (Some(600.0), Some(2), Some(300)));
    assert_eq!(fresh.alarm_actions(), std::slice::from_ref(&topic));
    assert_eq!(fresh.ok_actions(), std::slice::from_ref(&topic));
    let success = &found[&format!("{name}-delivery-success")];
    assert_eq!((success.metric_name(), success.threshold()), (Some("DeliveryToS3.Success"), Some(1.0)));
    let bytes = &found[&format!("{name}-incoming-bytes")];
    assert_eq!(bytes.threshold(), Some(0.8 * 5.0 * 1048576.0 * 300.0), "80 % of us-east-1's 5 MiB/s over 5 minutes");
    let t = tags(&aws, fresh.alarm_arn().unwrap()).await;
    assert_eq!(t.get("team").map(String::as_str), Some("data-platform"));
    assert_eq!(t.get(OWNER_TAG), Some(&name));
    assert_eq!(t.len(), 2, "the adoptable marker is gone after the apply: {t:?}");

    let state = tf.resource("firehose_delivery_stream.this");
    let arns = state["alarm_arns"].as_object().unwrap();
    assert_eq!(arns.len(), 5);
    assert_eq!(arns["data_freshness"], fresh.alarm_arn().unwrap());
    tf.assert_no_changes();

    // Drift: one alarm deleted, another changed, outside Terraform.
    aws.cloudwatch.delete_alarms().alarm_names(format!("{name}-throttled-records")).send().await.unwrap();
    let changed = aws
        .cloudwatch
        .put_metric_alarm()
        .alarm_name(format!("{name}-data-freshness"))
        .namespace("AWS/Firehose")
        .metric_name("DeliveryToS3.DataFreshness")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Maximum)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .threshold(99_999.0)
        .period(300)
        .evaluation_periods(2);
    changed.send().await.unwrap();
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place"), "{plan}");
    assert!(plan.contains("\"throttled_records\"") && plan.contains("\"data_freshness\""), "{plan}");
    tf.apply().ok();
    let found = alarms(&aws, &name).await;
    assert_eq!(found.len(), 5);
    assert_eq!(found[&format!("{name}-data-freshness")].threshold(), Some(600.0));
    assert_eq!(found[&format!("{name}-data-freshness")].alarm_actions(), std::slice::from_ref(&topic));
    tf.assert_no_changes();

    // Switching an alarm off deletes it; the others stay.
    tf.write(
        "main.tf",
        &main.replace(
            "    data_freshness {",
            "    throttled_records {\n      enabled = false\n    }\n    data_freshness {",
        ),
    );
    tf.apply().ok();
    let found = alarms(&aws, &name).await;
    assert_eq!(found.len(), 4, "{:?}", found.keys());
    assert!(!found.contains_key(&format!("{name}-throttled-records")));
    tf.assert_no_changes();

    // Import brings the block back by configuration and adopts the alarms.
    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    tf.apply().ok();
    tf.assert_no_changes();

    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarm_the_provider_did_not_make_is_never_taken_over() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("alarm-taken");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let (tf, _, _) = setup(&aws, &name, &bucket);
    // Someone's alarm under the name the resource would use.
    aws.cloudwatch
        .put_metric_alarm()
        .alarm_name(format!("{name}-delivery-success"))
        .namespace("Custom")
        .metric_name("Theirs")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .threshold(1.0)
        .period(60)
        .evaluation_periods(1)
        .send()
        .await
        .unwrap();
    let out = tf.run(&["apply", "-auto-approve", "-no-color", "-input=false"]).failed();
    let text = support::flat(&out.all());
    assert!(text.contains(&format!("CloudWatch alarm \"{name}-delivery-success\" already exists")), "{text}");
    // Refused before anything was written, and their alarm is untouched.
    let found = alarms(&aws, &name).await;
    assert_eq!(found.len(), 1, "{:?}", found.keys());
    assert_eq!(found[&format!("{name}-delivery-success")].metric_name(), Some("Theirs"));
    assert!(support::leftovers::orphans(&aws, &name).await.iter().all(|o| o.contains("delivery-success")));
    aws.cloudwatch.delete_alarms().alarm_names(format!("{name}-delivery-success")).send().await.unwrap();
}
