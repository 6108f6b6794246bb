//! The MSK source end to end, emulated by the API-model proxy as moto does
//! not know it (docs/reliability.md): `examples/msk_source` applies, plans
//! clean, updates the destination in place, replaces the stream when the
//! topic changes, imports and destroys leaving nothing.

mod support;

use aws_sdk_firehose::types as fh;
use support::{checked_endpoint, unique, Tf};

async fn described(aws: &support::aws::Aws, name: &str) -> fh::DeliveryStreamDescription {
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await.unwrap();
    desc.delivery_stream_description().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn msk_source_lifecycle() {
    let main = std::fs::read_to_string(support::repo().join("examples/msk_source/main.tf")).unwrap();
    let aws = support::aws::clients(checked_endpoint()).await;
    let name = unique("msk");
    let cluster = support::aws::create_msk_cluster(checked_endpoint(), "events", true, false);
    let cluster = cluster.as_str();
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let tf = Tf::new(&main);
    tf.write(
        "terraform.tfvars",
        &format!("name = \"{name}\"\ncluster_arn = \"{cluster}\"\nbucket_arn = \"{bucket}\"\n"),
    );
    tf.apply().ok();

    let d = described(&aws, &name).await;
    assert_eq!(d.delivery_stream_type(), &fh::DeliveryStreamType::MskAsSource);
    let src = d.source().and_then(|s| s.msk_source_description()).expect("an MSK source");
    assert_eq!((src.msk_cluster_arn(), src.topic_name()), (Some(cluster), Some("orders")));
    let auth = src.authentication_configuration().unwrap();
    assert_eq!(auth.connectivity(), &fh::Connectivity::Private);
    let state = tf.resource("firehose_delivery_stream.this");
    assert_eq!(auth.role_arn(), state["stream_role_arn"].as_str().unwrap());
    assert!(state["put_records_policy_json"].is_null());
    let policy: serde_json::Value = serde_json::from_str(state["stream_role_policy_json"].as_str().unwrap()).unwrap();
    let topic = policy["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "MskTopic").unwrap();
    let uuid = cluster.rsplit('/').next().unwrap();
    assert_eq!(topic["Resource"], format!("arn:aws:kafka:us-east-1:123456789012:topic/events/{uuid}/orders"));
    // The role exists with that policy.
    let role = state["stream_role_arn"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    aws.iam.get_role_policy().role_name(&role).policy_name(format!("firehose-{name}-source")).send().await.unwrap();
    tf.assert_no_changes();

    // The destination changes in place; the topic only by replacement.
    tf.write("main.tf", &main.replace("\"orders/\"", "\"orders-v2/\""));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    tf.assert_no_changes();
    let topic_changed = main
        .replace("\"orders/\"", "\"orders-v2/\"")
        .replace("topic_name   = \"orders\"", "topic_name   = \"refunds\"");
    tf.write("main.tf", &topic_changed);
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("must be replaced") && plan.contains("forces replacement"), "{plan}");
    tf.apply().ok();
    let d = described(&aws, &name).await;
    assert_eq!(d.source().and_then(|s| s.msk_source_description()).and_then(|m| m.topic_name()), Some("refunds"));
    tf.assert_no_changes();

    tf.reimport(&name);

    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
