use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::testing::{self, ctx};
use super::{api, Splunk};
use crate::framework::walk;
use crate::protocol::{Diagnostics, Value};
use crate::resources::delivery_stream::derive;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, schema};

const HEC: &str = "https://hec.example.com:8088";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hec-token-AbCdEf";

fn config(splunk: serde_json::Value) -> Value {
    testing::config("splunk", json!({"hec_endpoint": HEC, "s3_backup": [{}]}), splunk)
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "splunk")
}

#[test]
fn rules_with_their_paths() {
    assert!(errors(&config(json!({"secret_arn": SECRET}))).is_empty());
    let cases = [
        (json!({"hec_endpoint": "http://hec:8088", "secret_arn": SECRET}), "hec_endpoint", "https://"),
        (json!({}), "destination[0].splunk[0]", "HEC token"),
        (json!({"hec_token_wo": "t", "secret_arn": SECRET}), "secret_arn", "not both"),
        (
            json!({"secret_arn": SECRET, "hec_acknowledgment_timeout": 100}),
            "hec_acknowledgment_timeout",
            "between 180 and 600",
        ),
        (json!({"secret_arn": SECRET, "buffering_size": 6}), "buffering_size", "between 1 and 5"),
        (json!({"secret_arn": SECRET, "hec_endpoint_type": "raw"}), "hec_endpoint_type", "\"Raw\" or \"Event\""),
    ];
    for (cfg, path, fragment) in cases {
        let e = errors(&config(cfg.clone()));
        assert_eq!(e.len(), 1, "{cfg}: {e:?}");
        assert_eq!(e[0].0, path, "{cfg}: {e:?}");
        assert!(e[0].1.contains(fragment), "{cfg}: {e:?}");
    }
}

/// Config → SDK input → description → state; the token from the
/// configuration only, never read back; the secret granted exactly.
#[test]
fn splunk_round_trips_through_the_api() {
    let c = config(
        json!({"hec_token_wo": "tok-123", "hec_token_wo_version": 1, "hec_endpoint_type": "Event", "s3_backup": [{"mode": "ALL"}]}),
    );
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let mut d = Diagnostics::new();
    let (mut p, _) = plan::planned_state(&c, None, &Private::default(), Some(&ctx()), &mut d);
    walk::null_write_only(&schema::schema().block, &mut p);
    assert!(derive::dest(&p).attr("hec_token_wo").is_null());
    let metrics = p.attr("metrics").entries().unwrap();
    assert!(metrics.contains_key("delivery_to_splunk_data_ack_latency"));
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    assert_eq!(sent.hec_token(), Some("tok-123"));
    assert_eq!(sent.s3_backup_mode(), Some(&fh::SplunkS3BackupMode::AllEvents));
    let s3 = sent.s3_configuration().unwrap();
    let desc = fh::SplunkDestinationDescription::builder()
        .hec_endpoint(sent.hec_endpoint())
        .hec_endpoint_type(sent.hec_endpoint_type().clone())
        .set_hec_acknowledgment_timeout_in_seconds(sent.hec_acknowledgment_timeout_in_seconds())
        .set_retry_options(sent.retry_options().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .s3_destination_description(testing::described_backup(s3))
        .set_processing_configuration(sent.processing_configuration().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .set_buffering_hints(sent.buffering_hints().cloned())
        .set_secrets_manager_configuration(sent.secrets_manager_configuration().cloned())
        .build();
    let d =
        fh::DestinationDescription::builder().destination_id("d").splunk_destination_description(desc).build().unwrap();
    let (read, read_role) = Splunk.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
    assert_eq!(read_role, role);

    let with_secret = config(json!({"secret_arn": SECRET}));
    let (p, _) = plan::planned_state(&with_secret, None, &Private::default(), Some(&ctx()), &mut Diagnostics::new());
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "EndpointSecret").unwrap();
    assert_eq!(st["Resource"], json!(SECRET));
}
