//! The OpenSearch Serverless destination end to end, emulated by the
//! API-model proxy as moto does not know the shape (docs/reliability.md):
//! `examples/opensearch_serverless` applies, plans clean, updates in place,
//! imports and destroys leaving nothing.

mod support;

use aws_sdk_firehose::types as fh;
use support::{checked_endpoint, unique, Tf};

async fn described(aws: &support::aws::Aws, name: &str) -> fh::AmazonOpenSearchServerlessDestinationDescription {
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    d.destinations()[0]
        .amazon_open_search_serverless_destination_description()
        .expect("a Serverless destination")
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn opensearch_serverless_lifecycle() {
    let main = std::fs::read_to_string(support::repo().join("examples/opensearch_serverless/main.tf")).unwrap();
    let aws = support::aws::clients(checked_endpoint()).await;
    let name = unique("aoss");
    let endpoint = support::aws::create_collection(support::moto(), "logs");
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\ncollection_endpoint = \"{endpoint}\"\n"));
    tf.apply().ok();

    let o = described(&aws, &name).await;
    assert_eq!((o.collection_endpoint(), o.index_name()), (Some(endpoint.as_str()), Some("events")));
    let state = tf.resource("firehose_delivery_stream.this");
    let policy: serde_json::Value =
        serde_json::from_str(state["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let st = policy["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "OpenSearchServerless").unwrap();
    let id = endpoint.trim_start_matches("https://").split('.').next().unwrap();
    assert_eq!(st["Resource"], format!("arn:aws:aoss:us-east-1:123456789012:collection/{id}"));
    tf.assert_no_changes();

    tf.write("main.tf", &main.replace("\"events\"", "\"events-v2\""));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    assert_eq!(described(&aws, &name).await.index_name(), Some("events-v2"));
    tf.assert_no_changes();

    tf.reimport(&name);

    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
