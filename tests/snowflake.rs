//! The Snowflake destination end to end against moto behind the API-model
//! proxy (which also applies the updates moto cannot): `examples/snowflake` applies, plans clean, updates in place (a
//! key rotation and a new table), imports and destroys leaving nothing; the
//! private key never reaches the state.

mod support;

use support::{checked_endpoint, unique, Tf};

const ACCOUNT: &str = "https://xy12345.us-east-1.snowflakecomputing.com";

fn key(fill: char) -> String {
    format!("MIIEvQ{}", fill.to_string().repeat(298))
}

#[tokio::test(flavor = "multi_thread")]
async fn snowflake_lifecycle_keeps_the_key_out_of_state() {
    let main = std::fs::read_to_string(support::repo().join("examples/snowflake/main.tf")).unwrap();
    // Through the proxy, which applies the Snowflake updates moto cannot
    // (docs/reliability.md), so the AWS side reads as Terraform's does.
    let aws = support::aws::clients(checked_endpoint()).await;
    let name = unique("snowflake");
    let mut tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\naccount_url = \"{ACCOUNT}\"\n"));
    tf.env.insert("TF_VAR_private_key".into(), key('A'));
    tf.apply().ok();

    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap().clone();
    let s = d.destinations()[0].snowflake_destination_description().expect("a Snowflake destination");
    assert_eq!(s.account_url(), Some(ACCOUNT));
    assert_eq!((s.database(), s.schema(), s.table()), (Some("RAW"), Some("EVENTS"), Some("CLICKS")));
    assert_eq!((s.content_column_name(), s.meta_data_column_name()), (Some("RECORD"), Some("METADATA")));
    assert_eq!(s.snowflake_role_configuration().and_then(|r| r.snowflake_role()), Some("FIREHOSE_LOADER"));
    assert_eq!(s.s3_backup_mode(), Some(&aws_sdk_firehose::types::SnowflakeS3BackupMode::FailedDataOnly));
    let state = tf.resource("firehose_delivery_stream.this");
    assert_eq!(state["metrics"]["delivery_to_snowflake_data_freshness"], "DeliveryToSnowflake.DataFreshness");
    tf.assert_no_changes();

    // A new key (rotation) and another table are updated in place.
    let changed =
        main.replace("private_key_wo_version = 1", "private_key_wo_version = 2").replace("\"CLICKS\"", "\"CLICKS_V2\"");
    tf.write("main.tf", &changed);
    tf.env.insert("TF_VAR_private_key".into(), key('B'));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    assert_eq!(d.destinations()[0].snowflake_destination_description().unwrap().table(), Some("CLICKS_V2"));
    tf.assert_no_changes();

    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    tf.apply().ok();
    tf.assert_no_changes();

    let raw = std::fs::read_to_string(tf.path().join("terraform.tfstate")).unwrap();
    for k in [key('A'), key('B')] {
        assert!(!raw.contains(&k), "private key in the state");
    }
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
