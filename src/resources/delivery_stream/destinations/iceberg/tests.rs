use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::testing::{self};
use super::{api, rules, Iceberg};
use crate::protocol::Value;
use crate::resources::delivery_stream::derive;
use crate::resources::delivery_stream::kind::Destination;

const WAREHOUSE: &str = "s3://lake-warehouse/iceberg/";

fn config(block: serde_json::Value) -> Value {
    testing::config(
        "iceberg",
        json!({"warehouse_location": WAREHOUSE, "table": [{"database": "sales", "name": "orders"}], "s3_backup": [{}]}),
        block,
    )
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "iceberg")
}

#[test]
fn names_catalogs_and_warehouses() {
    assert!(rules::glue_name("sales_2024.v1").is_ok());
    assert!(rules::glue_name("sales-2024").unwrap_err().contains("letters, digits"));
    assert!(rules::catalog_arn("arn:aws:glue:us-east-1:123456789012:catalog").is_ok());
    assert!(rules::catalog_arn("arn:aws:glue:us-east-1:123456789012:catalog/s3tablescatalog/b")
        .unwrap_err()
        .contains("not supported yet"));
    assert!(rules::warehouse_location("s3://lake-warehouse/path").is_ok());
    assert!(rules::warehouse_location("https://lake/x").unwrap_err().contains("s3://<bucket>"));
    assert!(rules::warehouse_location("s3://Lake_Warehouse/x").unwrap_err().contains("warehouse bucket"));
    assert_eq!(rules::warehouse_bucket(WAREHOUSE), Some("lake-warehouse"));
}

#[test]
fn rules_with_their_paths() {
    assert!(errors(&config(json!({}))).is_empty(), "{:?}", errors(&config(json!({}))));
    let two = json!([{"database": "sales", "name": "orders"}, {"database": "sales", "name": "orders"}]);
    let cases = [
        (json!({"table": two}), "table[1].name", "listed twice"),
        (
            json!({"append_only": true, "table": [{"database": "sales", "name": "orders", "unique_keys": ["id"]}]}),
            "table[0].unique_keys",
            "append_only",
        ),
        (
            json!({"table": [{"database": "sales", "name": "orders", "partition_fields": ["day"]}]}),
            "table[0].partition_fields",
            "table_creation",
        ),
        (json!({"s3_backup": [{"mode": "ALL"}]}), "s3_backup[0].mode", "failed records only"),
        (json!({"catalog_arn": "arn:aws:s3:::b"}), "catalog_arn", "arn:aws:glue"),
        (json!({"table": [{"database": "sales-db", "name": "orders"}]}), "table[0].database", "letters, digits"),
        (json!({"buffering_size": 129}), "buffering_size", "between 1 and 128"),
    ];
    for (cfg, path, fragment) in cases {
        let e = errors(&config(cfg.clone()));
        assert!(e.iter().any(|(p, d)| p == path && d.contains(fragment)), "{cfg}: {e:?}");
    }
    let ok = config(json!({"table_creation": true,
        "table": [{"database": "sales", "name": "orders", "unique_keys": ["id"], "partition_fields": ["day"]}]}));
    assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
}

#[test]
fn plan_grants_exactly_the_tables_and_the_warehouse() {
    let p = testing::planned(&config(json!({"table_creation": true, "table": [
        {"database": "sales", "name": "orders"}, {"database": "sales", "name": "refunds"}]})));
    let dest = derive::dest(&p);
    assert_eq!(dest.attr("catalog_arn"), &Value::string("arn:aws:glue:us-east-1:123456789012:catalog"));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = |sid: &str| doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == sid).cloned().unwrap();
    let glue = st("IcebergCatalog");
    assert_eq!(
        glue["Resource"],
        json!([
            "arn:aws:glue:us-east-1:123456789012:catalog",
            "arn:aws:glue:us-east-1:123456789012:database/sales",
            "arn:aws:glue:us-east-1:123456789012:table/sales/orders",
            "arn:aws:glue:us-east-1:123456789012:table/sales/refunds"
        ])
    );
    assert!(glue["Action"].as_array().unwrap().contains(&json!("glue:CreateTable")), "{glue}");
    let wh = st("IcebergWarehouse");
    assert_eq!(wh["Resource"], json!(["arn:aws:s3:::lake-warehouse", "arn:aws:s3:::lake-warehouse/*"]));
    assert!(wh["Action"].as_array().unwrap().contains(&json!("s3:DeleteObject")));
    assert!(!doc.to_string().contains("\"*\""), "{doc}");
    // Without table creation, no CreateTable; without Lake Formation, no `*`.
    let p = testing::planned(&config(json!({})));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    assert!(!doc.to_string().contains("glue:CreateTable") && !doc.to_string().contains("lakeformation"), "{doc}");
    let p = testing::planned(&config(json!({"lake_formation": true})));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let lf = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "LakeFormation").unwrap();
    assert_eq!((lf["Action"].as_str(), lf["Resource"].as_str()), (Some("lakeformation:GetDataAccess"), Some("*")));
}

/// Config → SDK input → description → state.
#[test]
fn iceberg_round_trips_through_the_api() {
    let c = config(json!({
        "table_creation": true,
        "schema_evolution": true,
        "buffering_interval": 60,
        "table": [
            {"database": "sales", "name": "orders", "unique_keys": ["order_id"], "partition_fields": ["day"],
             "error_output_prefix": "orders-errors/"},
            {"database": "sales", "name": "refunds"}
        ],
        "s3_backup": [{"data_output_prefix": "failed/"}],
    }));
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let p = testing::planned(&c);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    assert_eq!(sent.s3_backup_mode(), Some(&fh::IcebergS3BackupMode::FailedDataOnly));
    assert_eq!(sent.destination_table_configuration_list().len(), 2);
    let update = api::update(&bound).unwrap();
    assert_eq!(update.catalog_configuration().and_then(|c| c.warehouse_location()), Some(WAREHOUSE));

    let desc = fh::IcebergDestinationDescription::builder()
        .set_destination_table_configuration_list(Some(sent.destination_table_configuration_list().to_vec()))
        .set_schema_evolution_configuration(sent.schema_evolution_configuration().cloned())
        .set_table_creation_configuration(sent.table_creation_configuration().cloned())
        .set_buffering_hints(sent.buffering_hints().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .set_processing_configuration(sent.processing_configuration().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .set_retry_options(sent.retry_options().cloned())
        .role_arn(sent.role_arn())
        .set_append_only(sent.append_only())
        .set_catalog_configuration(sent.catalog_configuration().cloned())
        .s3_destination_description(testing::described_backup(sent.s3_configuration().unwrap()))
        .build();
    let d = fh::DestinationDescription::builder()
        .destination_id("d")
        .iceberg_destination_description(desc)
        .build()
        .unwrap();
    let (read, _) = Iceberg.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
}
