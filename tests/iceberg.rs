//! The Iceberg destination end to end against moto (behind the API-model
//! proxy): `examples/iceberg` applies, plans clean, updates in place (a
//! third table), imports and destroys leaving nothing.

mod support;

use support::{moto, unique, Tf};

#[tokio::test(flavor = "multi_thread")]
async fn iceberg_lifecycle() {
    let main = std::fs::read_to_string(support::repo().join("examples/iceberg/main.tf")).unwrap();
    let aws = support::aws::clients(moto()).await;
    let name = unique("iceberg");
    let bucket = aws.create_bucket(&format!("{name}-lake")).await;
    let warehouse = format!("s3://{}/warehouse/", bucket.trim_start_matches("arn:aws:s3:::"));
    support::given::supply_iceberg_tables(&aws, &main);
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nwarehouse_location = \"{warehouse}\"\n"));
    tf.apply().ok();

    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap().clone();
    let i = d.destinations()[0].iceberg_destination_description().expect("an Iceberg destination");
    let cat = i.catalog_configuration().unwrap();
    assert_eq!(cat.catalog_arn(), Some("arn:aws:glue:us-east-1:123456789012:catalog"));
    assert_eq!(cat.warehouse_location(), Some(warehouse.as_str()));
    let tables: Vec<(&str, &str, Vec<String>)> = i
        .destination_table_configuration_list()
        .iter()
        .map(|t| (t.destination_database_name(), t.destination_table_name(), t.unique_keys().to_vec()))
        .collect();
    assert_eq!(tables, [("sales", "orders", vec!["order_id".to_string()]), ("sales", "refunds", vec![])]);
    assert_eq!(i.s3_backup_mode(), Some(&aws_sdk_firehose::types::IcebergS3BackupMode::FailedDataOnly));
    let state = tf.resource("firehose_delivery_stream.this");
    let policy: serde_json::Value =
        serde_json::from_str(state["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let glue = policy["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "IcebergCatalog").unwrap();
    assert!(glue["Resource"]
        .as_array()
        .unwrap()
        .contains(&"arn:aws:glue:us-east-1:123456789012:table/sales/refunds".into()));
    assert_eq!(state["metrics"]["delivery_to_iceberg_success"], "DeliveryToIceberg.Success");
    tf.assert_no_changes();

    // A third table is added in place, and granted.
    let changed = main.replace(
        "      s3_backup {}",
        "      table {\n        database = \"sales\"\n        name     = \"returns\"\n      }\n\n      s3_backup {}",
    );
    support::given::supply_iceberg_tables(&aws, &changed);
    tf.write("main.tf", &changed);
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    assert!(plan.contains("table/sales/returns"), "the plan shows the new grant:\n{plan}");
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    assert_eq!(
        d.destinations()[0].iceberg_destination_description().unwrap().destination_table_configuration_list().len(),
        3
    );
    tf.assert_no_changes();

    tf.reimport(&name);

    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
