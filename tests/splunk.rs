//! The Splunk destination end to end against moto: `examples/splunk`
//! applies, plans clean, updates in place (token rotation included),
//! imports and destroys leaving nothing; the token never reaches the state.

mod support;

use support::{moto, unique, Tf};

const TOKEN_1: &str = "hec-token-one-4f1d2b";
const TOKEN_2: &str = "hec-token-two-9a3e7c";

#[tokio::test(flavor = "multi_thread")]
async fn splunk_lifecycle_keeps_the_token_out_of_state() {
    let main = std::fs::read_to_string(support::repo().join("examples/splunk/main.tf")).unwrap();
    let aws = support::aws::clients(moto()).await;
    let name = unique("splunk");
    let mut tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\n"));
    tf.env.insert("TF_VAR_hec_token".into(), TOKEN_1.into());
    tf.apply().ok();

    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap().clone();
    let s = d.destinations()[0].splunk_destination_description().expect("a Splunk destination");
    assert_eq!(s.hec_endpoint(), Some("https://splunk.example.com:8088"));
    assert_eq!(s.hec_acknowledgment_timeout_in_seconds(), Some(300));
    let state = tf.resource("firehose_delivery_stream.this");
    assert!(state["metrics"]["delivery_to_splunk_data_freshness"] == "DeliveryToSplunk.DataFreshness");
    tf.assert_no_changes();

    // Rotation: a new token and version is an in-place update.
    tf.write("main.tf", &main.replace("hec_token_wo_version       = 1", "hec_token_wo_version       = 2"));
    tf.env.insert("TF_VAR_hec_token".into(), TOKEN_2.into());
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    tf.assert_no_changes();

    // Switching the backup mode is a replacement, as AWS requires.
    let all = main
        .replace("hec_token_wo_version       = 1", "hec_token_wo_version       = 2")
        .replace("mode = \"FAILED\"", "mode = \"ALL\"");
    tf.write("main.tf", &all);
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("must be replaced") && plan.contains("forces replacement"), "{plan}");
    tf.write("main.tf", &main.replace("hec_token_wo_version       = 1", "hec_token_wo_version       = 2"));

    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    tf.apply().ok();
    tf.assert_no_changes();

    let raw = std::fs::read_to_string(tf.path().join("terraform.tfstate")).unwrap();
    for t in [TOKEN_1, TOKEN_2] {
        assert!(!raw.contains(t), "token in the state");
    }
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
