use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::testing::{self, ctx};
use super::{api, presets, shared, HttpEndpoint};
use crate::protocol::json::from_json;
use crate::protocol::{Diagnostics, Value};
use crate::resources::delivery_stream::derive;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, schema};

fn config(http: serde_json::Value) -> Value {
    testing::config("http_endpoint", json!({"s3_backup": [{}]}), http)
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "http_endpoint")
}

const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog-key-AbCdEf";

#[test]
fn presets_are_https_and_unique() {
    let mut ids: Vec<&str> = presets::PRESETS.iter().map(|p| p.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), presets::PRESETS.len());
    for p in presets::PRESETS {
        assert!(super::super::shared::https(p.url).is_ok(), "{}: {}", p.id, p.url);
    }
    assert_eq!(presets::find("new_relic_logs_eu").unwrap().url, "https://aws-api.eu.newrelic.com/firehose/v1");
    assert_eq!(
        presets::find("datadog_logs_us1").unwrap().url,
        "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input"
    );
    assert!(presets::check("datadog_logs").unwrap_err().contains("datadog_logs_us1"));
}

#[test]
fn rules_with_their_paths() {
    assert!(errors(&config(json!({"preset": "datadog_logs_eu", "secret_arn": SECRET}))).is_empty());
    let cases = [
        (json!({"url": "http://example.com/in"}), "url", "must start with https://"),
        (json!({"url": "https://a.example/in", "preset": "datadog_logs_eu"}), "preset", "either url or preset"),
        (json!({}), "destination[0].http_endpoint[0]", "needs url"),
        (json!({"preset": "datadog_logs_eu", "access_key_wo": "k", "secret_arn": SECRET}), "secret_arn", "not both"),
        (
            json!({"preset": "datadog_logs_eu", "access_key_wo_version": 2}),
            "access_key_wo_version",
            "set access_key_wo",
        ),
        (json!({"preset": "datadog_logs_eu", "buffering_size": 65}), "buffering_size", "between 1 and 64"),
        (json!({"preset": "datadog_logs_eu", "retry_duration": 7201}), "retry_duration", "between 0 and 7200"),
        (json!({"preset": "nope"}), "preset", "unknown preset"),
        (
            json!({"preset": "datadog_logs_eu", "secret_arn": "arn:aws:s3:::b"}),
            "secret_arn",
            "Secrets Manager secret ARN",
        ),
        (json!({"preset": "datadog_logs_eu", "s3_backup": [{"mode": "SOME"}]}), "s3_backup[0].mode", "\"FAILED\""),
        (
            json!({"preset": "datadog_logs_eu", "processor": [{"metadata_extraction": [{"query": "{a: .a}"}]}]}),
            "processor[0].metadata_extraction",
            "dynamic partitioning",
        ),
    ];
    for (cfg, path, fragment) in cases {
        let e = errors(&config(cfg.clone()));
        assert_eq!(e.len(), 1, "{cfg}: {e:?}");
        assert_eq!(e[0].0, path, "{cfg}: {e:?}");
        assert!(e[0].1.contains(fragment), "{cfg}: {e:?}");
    }
}

#[test]
fn plan_grants_exactly_the_backup_bucket_and_the_secret_and_keeps_no_key() {
    let p =
        testing::planned(&config(json!({"preset": "datadog_logs_eu", "secret_arn": SECRET, "access_key_wo": null})));
    let dest = derive::dest(&p);
    assert_eq!(dest.attr("name"), &Value::string("Datadog"));
    assert_eq!(dest.attr("buffering_interval"), &Value::int(60));
    assert_eq!(dest.attr("s3_backup").elements()[0].attr("mode"), &Value::string("FAILED"));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = |sid: &str| doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == sid).cloned();
    assert_eq!(st("EndpointSecret").unwrap()["Resource"], json!(SECRET));
    let key =
        doc["Statement"].as_array().unwrap().iter().find(|s| s["Action"] == json!("kms:Decrypt")).unwrap().clone();
    assert_eq!(key["Resource"], json!("arn:aws:kms:us-east-1:123456789012:key/*"));
    assert_eq!(key["Condition"]["StringEquals"]["kms:EncryptionContext:SecretARN"], SECRET);
    assert_eq!(key["Condition"]["StringEquals"]["kms:ViaService"], "secretsmanager.us-east-1.amazonaws.com");
    let bucket = dest.attr("s3_backup").elements()[0].attr("bucket_arn").as_str().unwrap().to_string();
    assert_eq!(st("S3Delivery").unwrap()["Resource"], json!([bucket.clone(), format!("{bucket}/*")]));
    let metrics = p.attr("metrics").entries().unwrap();
    assert!(
        metrics.contains_key("delivery_to_http_endpoint_data_freshness")
            && metrics.contains_key("backup_to_s3_success")
    );
    assert!(!metrics.contains_key("delivery_to_s3_success"));

    let with_key =
        config(json!({"url": "https://intake.example.com/v1", "access_key_wo": "sekret", "access_key_wo_version": 1}));
    let p = testing::planned(&with_key);
    assert!(derive::dest(&p).attr("access_key_wo").is_null(), "write-only never planned");
    assert!(!format!("{p:?}").contains("sekret"));
}

/// Config → SDK input → description → state, the key taken from the
/// configuration only and never read back.
#[test]
fn the_http_endpoint_round_trips_through_the_api() {
    let c = config(json!({
        "preset": "new_relic_logs_us",
        "access_key_wo": "sekret",
        "access_key_wo_version": 3,
        "content_encoding": "GZIP",
        "common_attributes": {"env": "prod"},
        "buffering_size": 2,
        "processor": [{"append_delimiter_to_record": [{}]}],
        "s3_backup": [{"mode": "ALL", "data_output_prefix": "failed/"}],
    }));
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let p = testing::planned(&c);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    let ep = sent.endpoint_configuration().unwrap();
    assert_eq!(ep.url(), "https://aws-api.newrelic.com/firehose/v1");
    assert_eq!(ep.access_key(), Some("sekret"));
    assert_eq!(sent.s3_backup_mode(), Some(&fh::HttpEndpointS3BackupMode::AllData));
    let s3 = sent.s3_configuration().unwrap();
    let desc = fh::HttpEndpointDestinationDescription::builder()
        .endpoint_configuration(
            fh::HttpEndpointDescription::builder().url(ep.url()).set_name(ep.name().map(str::to_string)).build(),
        )
        .set_buffering_hints(sent.buffering_hints().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .set_request_configuration(sent.request_configuration().cloned())
        .set_processing_configuration(sent.processing_configuration().cloned())
        .role_arn(sent.role_arn().unwrap())
        .set_retry_options(sent.retry_options().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .s3_destination_description(testing::described_backup(s3))
        .set_secrets_manager_configuration(sent.secrets_manager_configuration().cloned())
        .build();
    let d = fh::DestinationDescription::builder()
        .destination_id("d")
        .http_endpoint_destination_description(desc)
        .build()
        .unwrap();
    let (read, _) = HttpEndpoint.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
    // On import (no prior state) the preset is recognised by its URL.
    let (imported, _) = HttpEndpoint.read(&d, "s", &role, None).unwrap();
    assert_eq!(imported.attr("preset"), &Value::string("new_relic_logs_us"));
}

#[test]
fn switching_the_destination_kind_replaces_the_stream() {
    let s3 = {
        let b = schema::schema().block;
        let mut v = from_json(
            &json!({"name": "s", "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::b"}]}]}),
            &b.value_type(),
        )
        .unwrap();
        b.normalize(&mut v);
        v
    };
    let prior = testing::planned(&s3);
    let mut d = Diagnostics::new();
    let (_, replace) = plan::planned_state(
        &config(json!({"preset": "datadog_logs_eu", "secret_arn": SECRET})),
        Some(&prior),
        &Private::default(),
        Some(&ctx()),
        &mut d,
    );
    assert_eq!(replace.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["destination"]);
}

/// A role of the user's own reads the secret: it is sent in place of the
/// destination role, the destination role is granted nothing on the
/// secret, and it reads back (a description naming the destination role
/// reads back as not set).
#[test]
fn a_secret_role_reads_the_secret_instead_of_the_destination_role() {
    const READER: &str = "arn:aws:iam::123456789012:role/secret-reader";
    let c = config(json!({"preset": "datadog_logs_eu", "secret_arn": SECRET, "secret_role_arn": READER}));
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let p = testing::planned(&c);
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    assert!(!doc.to_string().contains("secretsmanager") && !doc.to_string().contains(SECRET), "{doc}");
    let spec = testing::spec(&p, &c);
    let sent = api::create(&testing::bound(&spec)).unwrap();
    let sm = sent.secrets_manager_configuration().unwrap();
    assert_eq!((sm.secret_arn(), sm.role_arn(), sm.enabled()), (Some(SECRET), Some(READER), true));
    let role = spec.destination_role_arn.clone();
    let read = |sm: fh::SecretsManagerConfiguration| shared::secret_role_value(Some(&sm), &role);
    assert_eq!(read(sm.clone()), Value::string(READER));
    let ours = fh::SecretsManagerConfiguration::builder().enabled(true).secret_arn(SECRET).role_arn(&role).build();
    assert_eq!(read(ours.unwrap()), Value::Null);

    // Without it, the destination role reads the secret.
    let p = testing::planned(&config(json!({"preset": "datadog_logs_eu", "secret_arn": SECRET})));
    assert!(p.attr("destination_role_policy_json").as_str().unwrap().contains("secretsmanager:GetSecretValue"));

    let e = errors(&config(json!({"preset": "datadog_logs_eu", "access_key_wo": "k", "secret_role_arn": READER})));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "secret_role_arn");
    assert!(e[0].1.contains("set secret_arn"), "{e:?}");
}
