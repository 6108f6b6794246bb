use serde_json::json;

use super::*;
use crate::protocol::Diagnostics;
use crate::resources::delivery_stream::destinations::testing;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, validate};

const CLUSTER: &str = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-7";

fn config(top: serde_json::Value) -> Value {
    let b = crate::resources::delivery_stream::schema::schema().block;
    let mut j = json!({"name": "s", "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::msk-data"}]}]});
    j.as_object_mut().unwrap().extend(top.as_object().unwrap().clone());
    let mut c = crate::protocol::json::from_json(&j, &b.value_type()).unwrap();
    b.normalize(&mut c);
    c
}

fn msk(extra: serde_json::Value) -> serde_json::Value {
    let mut m = json!({"cluster_arn": CLUSTER, "topic_name": "orders.v1"});
    m.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    json!({"source_msk": [m]})
}

fn planned(c: &Value, prior: Option<&Value>) -> (Value, Vec<String>) {
    let mut d = Diagnostics::new();
    let (v, r) = plan::planned_state(c, prior, &Private::default(), Some(&testing::ctx()), &mut d);
    assert!(!d.has_errors(), "{d:?}");
    (v, r.iter().map(|p| p.to_string()).collect())
}

fn errors(c: &Value) -> Vec<(String, String)> {
    validate::validate(c).0.into_iter().map(|d| (d.path.map(|p| p.to_string()).unwrap_or_default(), d.detail)).collect()
}

#[test]
fn cluster_arns_and_rules() {
    let (_, name, uuid) = cluster_arn(CLUSTER).unwrap();
    assert_eq!((name.as_str(), uuid.as_str()), ("orders", "abcd1234-ab12-cd34-ef56-abcdef123456-7"));
    assert!(cluster_arn("arn:aws:kafka:us-east-1:123456789012:topic/orders/x/t").is_err());
    assert!(errors(&config(msk(json!({})))).is_empty(), "{:?}", errors(&config(msk(json!({})))));
    let mut both = msk(json!({}));
    both["source_stream_arn"] = json!("arn:aws:kinesis:us-east-1:123456789012:stream/s");
    let two = "a stream reads either a Kinesis stream (source_stream_arn) or an MSK topic (source_msk), not both";
    assert!(errors(&config(both)).iter().any(|(p, d)| p == "source_stream_arn" && d == two));
    let refused = "server-side encryption is not available for a stream with an MSK source (source_msk); remove it";
    let mut sse = msk(json!({}));
    sse["encryption"] = json!("AWS_OWNED");
    assert!(errors(&config(sse)).iter().any(|(p, d)| p == "encryption" && d == refused));
    let mut key = msk(json!({}));
    key["encryption_key_arn"] = json!("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    assert!(errors(&config(key)).iter().any(|(p, d)| p == "encryption_key_arn" && d == refused));
    for (extra, path, why) in [
        (json!({"topic_name": "bad topic"}), "source_msk[0].topic_name", "letters, digits"),
        (json!({"connectivity": "VPC"}), "source_msk[0].connectivity", "PUBLIC or PRIVATE"),
        (json!({"read_from_timestamp": "yesterday"}), "source_msk[0].read_from_timestamp", "RFC 3339"),
    ] {
        let e = errors(&config(msk(extra.clone())));
        assert!(e.iter().any(|(p, d)| p == path && d.contains(why)), "{extra}: {e:?}");
    }
}

#[test]
fn the_stream_role_reads_exactly_the_topic() {
    let (p, _) = planned(&config(msk(json!({}))), None);
    assert!(p.attr("put_records_policy_json").is_null(), "an MSK stream takes no direct puts");
    assert!(p.attr("stream_role_arn").as_str().unwrap().ends_with("-firehose-source"));
    let doc: serde_json::Value = serde_json::from_str(p.attr("stream_role_policy_json").as_str().unwrap()).unwrap();
    let st = |sid: &str| doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == sid).cloned().unwrap();
    assert_eq!(st("MskCluster")["Resource"], json!(CLUSTER));
    // GetBootstrapBrokers takes no resource type: on the cluster's ARN it would grant nothing.
    assert_eq!(
        (st("MskBrokers")["Action"].clone(), st("MskBrokers")["Resource"].clone()),
        (json!(BROKERS_ACTION), json!("*"))
    );
    assert!(!st("MskCluster")["Action"].to_string().contains(BROKERS_ACTION));
    assert_eq!(
        st("MskTopic")["Resource"],
        json!("arn:aws:kafka:us-east-1:123456789012:topic/orders/abcd1234-ab12-cd34-ef56-abcdef123456-7/orders.v1")
    );
    assert!(st("MskGroups")["Resource"]
        .as_str()
        .unwrap()
        .ends_with("group/orders/abcd1234-ab12-cd34-ef56-abcdef123456-7/*"));
    let m = p.attr("metrics").entries().unwrap();
    assert!(m.contains_key("kafka_offset_lag") && !m.contains_key("incoming_bytes"), "{m:?}");
    assert_eq!(source_msk(&p), Some(true));
}

#[test]
fn changing_the_source_replaces_the_stream() {
    let (prior, _) = planned(&config(msk(json!({}))), None);
    let (_, r) = planned(&config(msk(json!({"topic_name": "orders.v2"}))), Some(&prior));
    assert_eq!(r, ["source_msk[0].topic_name"]);
    let (_, r) = planned(&config(json!({})), Some(&prior));
    assert_eq!(r, ["source_msk"]);
}

#[test]
fn the_source_round_trips_through_the_api() {
    let (p, _) =
        planned(&config(msk(json!({"connectivity": "PRIVATE", "read_from_timestamp": "2025-01-31T00:00:00Z"}))), None);
    let role = p.attr("stream_role_arn").as_str().unwrap().to_string();
    let sent = to_api(&p, &role).unwrap().unwrap();
    assert_eq!(sent.authentication_configuration().map(|a| a.role_arn()), Some(role.as_str()));
    let d = fh::MskSourceDescription::builder()
        .msk_cluster_arn(sent.msk_cluster_arn())
        .topic_name(sent.topic_name())
        .set_authentication_configuration(sent.authentication_configuration().cloned())
        .set_read_from_timestamp(sent.read_from_timestamp().cloned())
        .build();
    let (block, read_role) = read(&d, Some(&p));
    assert_eq!(&block, p.attr("source_msk"));
    assert_eq!(read_role.as_deref(), Some(role.as_str()));
}

/// The rules of each source report as they did before sources were plug-ins:
/// MSK's refusal of SSE stands beside the key rule, and a Kinesis stream
/// known not to be null counts as given before its ARN is known.
#[test]
fn each_source_reports_its_encryption_rule_as_before() {
    let refused = "server-side encryption is not available for a stream with an MSK source (source_msk); remove it";
    let mut both = msk(json!({}));
    both["encryption"] = json!("AWS_OWNED");
    both["encryption_key_arn"] = json!("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let e = errors(&config(both));
    assert!(e.iter().any(|(p, d)| p == "encryption" && d == refused), "{e:?}");
    assert!(
        e.iter().any(|(p, d)| p == "encryption_key_arn" && d.starts_with("Specified stream encryption as AWS_OWNED")),
        "{e:?}"
    );

    let mut c = config(json!({"encryption": "AWS_OWNED"}));
    let not_null = crate::protocol::value::Refinements { not_null: true, ..Default::default() };
    c.set_attr("source_stream_arn", Value::Unknown(Some(Box::new(not_null))));
    let e = errors(&c);
    assert!(
        e.iter().any(|(p, d)| p == "encryption" && d.starts_with("Requested server-side encryption but delivery stream source is a Kinesis data stream")),
        "{e:?}"
    );
}
