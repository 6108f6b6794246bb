use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::testing::{self};
use super::{api, collection, OpenSearchServerless};
use crate::protocol::Value;
use crate::resources::delivery_stream::derive;
use crate::resources::delivery_stream::kind::Destination;

const ENDPOINT: &str = "https://abc123def456ghi789jk.us-east-1.aoss.amazonaws.com";

fn config(block: serde_json::Value) -> Value {
    testing::config(
        "opensearch_serverless",
        json!({"collection_endpoint": ENDPOINT, "index_name": "events", "s3_backup": [{}]}),
        block,
    )
}

#[test]
fn endpoints_and_rules() {
    assert_eq!(collection(ENDPOINT).unwrap(), ("abc123def456ghi789jk".to_string(), "us-east-1".to_string()));
    assert!(collection("https://search-logs-x.us-east-1.es.amazonaws.com").is_err());
    assert!(collection("http://abc123.us-east-1.aoss.amazonaws.com").is_err());
    let e = testing::errors(&config(json!({"collection_endpoint": "https://example.com"})), "opensearch_serverless");
    assert!(e.iter().any(|(p, d)| p == "collection_endpoint" && d.contains("aoss.amazonaws.com")), "{e:?}");
    let e = testing::errors(&config(json!({"index_name": "UPPER"})), "opensearch_serverless");
    assert!(e.iter().any(|(p, d)| p == "index_name" && d.contains("lowercase")), "{e:?}");
    assert!(testing::errors(&config(json!({})), "opensearch_serverless").is_empty());
}

#[test]
fn grants_name_exactly_the_collection() {
    let p = testing::planned(&config(json!({})));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "OpenSearchServerless").unwrap();
    assert_eq!(st["Action"], json!("aoss:APIAccessAll"));
    assert_eq!(st["Resource"], json!("arn:aws:aoss:us-east-1:123456789012:collection/abc123def456ghi789jk"));
    assert!(p.attr("metrics").entries().unwrap().contains_key("delivery_to_amazon_open_search_serverless_success"));
}

/// Config → SDK input → description → state.
#[test]
fn opensearch_serverless_round_trips_through_the_api() {
    let c = config(json!({"buffering_interval": 60, "s3_backup": [{"mode": "ALL"}],
        "vpc": [{"subnet_ids": ["subnet-0a1b"], "security_group_ids": ["sg-0e3f"]}]}));
    let p = testing::planned(&c);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    api::update(&bound).unwrap();
    let vpc = sent.vpc_configuration().unwrap();
    let desc = fh::AmazonOpenSearchServerlessDestinationDescription::builder()
        .role_arn(sent.role_arn())
        .set_collection_endpoint(sent.collection_endpoint().map(str::to_string))
        .index_name(sent.index_name())
        .set_buffering_hints(sent.buffering_hints().cloned())
        .set_retry_options(sent.retry_options().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .s3_destination_description(testing::described_backup(sent.s3_configuration().unwrap()))
        .set_processing_configuration(sent.processing_configuration().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .vpc_configuration_description(
            fh::VpcConfigurationDescription::builder()
                .set_subnet_ids(Some(vpc.subnet_ids().to_vec()))
                .set_security_group_ids(Some(vpc.security_group_ids().to_vec()))
                .role_arn(vpc.role_arn())
                .vpc_id("vpc-0123")
                .build()
                .unwrap(),
        )
        .build();
    let d = fh::DestinationDescription::builder()
        .destination_id("d")
        .amazon_open_search_serverless_destination_description(desc)
        .build()
        .unwrap();
    let (read, _) = OpenSearchServerless.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
}
