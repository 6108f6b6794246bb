//! The direct-put throughput hint end to end: moto drops it, so the
//! API-model proxy describes it as AWS does. It applies, reads back, plans
//! clean, is replaced when changed (AWS cannot change a stream's source
//! settings), imports clean and destroys leaving nothing.

mod support;

use support::{checked_endpoint, unique, Tf};

#[tokio::test(flavor = "multi_thread")]
async fn the_throughput_hint_applies_changes_by_replacement_and_imports() {
    let example = std::fs::read_to_string(support::repo().join("examples/direct_put/main.tf")).unwrap();
    assert!(example.contains("throughput_hint_mbs = 5"), "the example's hint moved");
    // Described through the proxy, where the hint is.
    let aws = support::aws::clients(checked_endpoint()).await;
    let name = unique("hint");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let tf = Tf::new(&example);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nbucket_arn = \"{bucket}\"\n"));
    tf.apply().ok();
    let hint = |d: &aws_sdk_firehose::types::DeliveryStreamDescription| {
        d.source().and_then(|s| s.direct_put_source_description()).and_then(|p| p.throughput_hint_in_mbs())
    };
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    assert_eq!(hint(desc.delivery_stream_description().unwrap()), Some(5));
    tf.assert_no_changes();

    tf.write("main.tf", &example.replace("throughput_hint_mbs = 5", "throughput_hint_mbs = 20"));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("must be replaced") && plan.contains("throughput_hint_mbs"), "{plan}");
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    assert_eq!(hint(desc.delivery_stream_description().unwrap()), Some(20));
    tf.assert_no_changes();

    tf.reimport(&name);
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
