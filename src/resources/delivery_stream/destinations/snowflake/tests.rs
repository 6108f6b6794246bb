use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::testing::{self, ctx};
use super::{api, rules, Snowflake};
use crate::framework::walk;
use crate::protocol::{Diagnostics, Value};
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{derive, plan, schema};

const ACCOUNT: &str = "https://xy12345.us-east-1.snowflakecomputing.com";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:snowflake-key-AbCdEf";
const VPCE: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-01234567890abcdef";

fn key() -> String {
    format!("MIIEvQ{}", "A".repeat(298))
}

fn config(block: serde_json::Value) -> Value {
    testing::config(
        "snowflake",
        json!({"account_url": ACCOUNT, "user": "FIREHOSE", "private_key_wo": key(), "database": "RAW",
               "schema": "EVENTS", "table": "CLICKS", "s3_backup": [{}]}),
        block,
    )
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "snowflake")
}

fn planned(c: &Value, prior: Option<&Value>) -> (Value, Vec<String>) {
    let mut d = Diagnostics::new();
    let (mut v, replace) = plan::planned_state(c, prior, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "{d:?}");
    walk::null_write_only(&schema::schema().block, &mut v);
    (v, replace.iter().map(|p| p.to_string()).collect())
}

#[test]
fn account_urls_and_endpoints() {
    for ok in
        [ACCOUNT, "xy12345.us-east-1.snowflakecomputing.com", "https://myorg-account1.snowflakecomputing.com:443/"]
    {
        assert!(rules::account_url(ok).is_ok(), "{ok}: {:?}", rules::account_url(ok));
    }
    for (bad, why) in [
        ("http://xy12345.snowflakecomputing.com", "HTTPS only"),
        ("https://xy12345.snowflake.com", "must end with .snowflakecomputing.com"),
        ("https://xy12345.snowflakecomputing.com/console", "no path"),
        ("https://.snowflakecomputing.com", "account identifier"),
    ] {
        let e = rules::account_url(bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
    assert!(rules::vpce_id(VPCE).is_ok());
    assert!(rules::vpce_id("vpce-0123456789abcdef0").is_err());
    assert!(rules::private_key(&key()).is_ok());
    assert!(rules::private_key("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----")
        .unwrap_err()
        .contains("base64 body"));
    assert!(rules::private_key("short").unwrap_err().contains("256 to 4096"));
}

#[test]
fn rules_with_their_paths() {
    assert!(errors(&config(json!({}))).is_empty(), "{:?}", errors(&config(json!({}))));
    let cases = [
        (json!({"account_url": "https://acct.snowflake.example"}), "account_url", "snowflakecomputing.com"),
        (json!({"secret_arn": SECRET, "private_key_wo": null}), "user", "secret holds the user"),
        (json!({"private_key_wo": null}), "destination[0].snowflake[0]", "key pair"),
        (json!({"user": null}), "destination[0].snowflake[0]", "key pair"),
        (json!({"private_key_wo": "-----BEGIN PRIVATE KEY-----"}), "private_key_wo", "base64 body"),
        (json!({"key_passphrase_wo": "short"}), "key_passphrase_wo", "7 to 255"),
        (json!({"content_column_name": "RECORD"}), "content_column_name", "VARIANT data loading options only"),
        (json!({"data_loading_option": "VARIANT_CONTENT_MAPPING"}), "content_column_name", "set it"),
        (
            json!({"data_loading_option": "VARIANT_CONTENT_AND_METADATA_MAPPING", "content_column_name": "RECORD"}),
            "metadata_column_name",
            "needs metadata_column_name",
        ),
        (json!({"data_loading_option": "CSV"}), "data_loading_option", "JSON_MAPPING"),
        (json!({"private_link_vpce_id": "vpce-123"}), "private_link_vpce_id", "SYSTEM$GET_PRIVATELINK_CONFIG"),
        (json!({"buffering_size": 129}), "buffering_size", "between 1 and 128"),
        (json!({"s3_backup": [{"mode": "SOME"}]}), "s3_backup[0].mode", "\"FAILED\""),
    ];
    for (cfg, path, fragment) in cases {
        let e = errors(&config(cfg.clone()));
        assert!(e.iter().any(|(p, d)| p == path && d.contains(fragment)), "{cfg}: {e:?}");
    }
    let with_secret = config(json!({"secret_arn": SECRET, "user": null, "private_key_wo": null}));
    assert!(errors(&with_secret).is_empty(), "{:?}", errors(&with_secret));
}

#[test]
fn changing_the_private_link_endpoint_replaces_the_stream() {
    let (prior, _) = planned(&config(json!({"private_link_vpce_id": VPCE})), None);
    let other = VPCE.replace("01234567890abcdef", "fedcba09876543210");
    let (_, replace) = planned(&config(json!({"private_link_vpce_id": other})), Some(&prior));
    assert_eq!(replace, ["destination[0].snowflake[0].private_link_vpce_id"]);
    let (_, replace) = planned(&config(json!({"private_link_vpce_id": VPCE, "table": "OTHER"})), Some(&prior));
    assert!(replace.is_empty(), "{replace:?}");
}

#[test]
fn plan_grants_the_backup_bucket_and_the_secret_only() {
    let (p, _) = planned(&config(json!({"secret_arn": SECRET, "user": null, "private_key_wo": null})), None);
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let sids: Vec<&str> = doc["Statement"].as_array().unwrap().iter().filter_map(|s| s["Sid"].as_str()).collect();
    assert_eq!(sids[..3], ["S3Delivery", "Logging", "EndpointSecret"], "{doc}");
    let st = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "EndpointSecret").unwrap();
    assert_eq!(st["Resource"], json!(SECRET));
    let m = p.attr("metrics").entries().unwrap();
    assert!(m.contains_key("delivery_to_snowflake_data_commit_latency") && m.contains_key("backup_to_s3_success"));
}

/// Config → SDK input → description → state; the key and passphrase are
/// taken from the configuration only and never read back.
#[test]
fn snowflake_round_trips_through_the_api() {
    let c = config(json!({
        "private_key_wo_version": 4,
        "key_passphrase_wo": "pass-phrase",
        "snowflake_role": "LOADER",
        "data_loading_option": "VARIANT_CONTENT_AND_METADATA_MAPPING",
        "content_column_name": "RECORD",
        "metadata_column_name": "META",
        "private_link_vpce_id": VPCE,
        "buffering_interval": 30,
        "s3_backup": [{"mode": "ALL", "data_output_prefix": "snowflake-backup/"}],
    }));
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let (p, _) = planned(&c, None);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    assert_eq!(sent.private_key(), Some(key().as_str()));
    assert_eq!(sent.key_passphrase(), Some("pass-phrase"));
    assert_eq!(sent.s3_backup_mode(), Some(&fh::SnowflakeS3BackupMode::AllData));
    assert_eq!(sent.snowflake_role_configuration().and_then(|r| r.snowflake_role()), Some("LOADER"));
    let update = api::update(&bound).unwrap();
    assert_eq!(update.table(), Some("CLICKS"));

    let desc = fh::SnowflakeDestinationDescription::builder()
        .account_url(sent.account_url())
        .set_user(sent.user().map(str::to_string))
        .database(sent.database())
        .schema(sent.schema())
        .table(sent.table())
        .set_snowflake_role_configuration(sent.snowflake_role_configuration().cloned())
        .set_data_loading_option(sent.data_loading_option().cloned())
        .set_content_column_name(sent.content_column_name().map(str::to_string))
        .set_meta_data_column_name(sent.meta_data_column_name().map(str::to_string))
        .set_snowflake_vpc_configuration(sent.snowflake_vpc_configuration().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .set_processing_configuration(sent.processing_configuration().cloned())
        .role_arn(sent.role_arn())
        .set_retry_options(sent.retry_options().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .s3_destination_description(testing::described_backup(sent.s3_configuration().unwrap()))
        .set_secrets_manager_configuration(sent.secrets_manager_configuration().cloned())
        .set_buffering_hints(sent.buffering_hints().cloned())
        .build();
    let d = fh::DestinationDescription::builder()
        .destination_id("d")
        .snowflake_destination_description(desc)
        .build()
        .unwrap();
    let (read, _) = Snowflake.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
    assert!(!format!("{read:?}").contains("pass-phrase"));
}
