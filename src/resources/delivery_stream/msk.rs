//! The `source_msk` block: a stream that reads a topic of an Amazon MSK
//! cluster instead of taking direct puts or reading a Kinesis stream. The
//! stream role reads exactly that topic of exactly that cluster (Firehose
//! Developer Guide, "Grant Firehose access to Amazon MSK"); changing the
//! source replaces the stream, as AWS requires.

use aws_sdk_firehose::types as fh;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::{json, Value as Json};

use crate::aws::arn::Arn;
use crate::protocol::{AttrPath, Attribute as A, Block, Type, Value};

use super::api::build_err;
use super::validate::{is_given, Checker};

pub const CONNECTIVITY: &str = "PUBLIC";
/// `AWS/Firehose` metrics of an MSK source.
pub const METRICS: [&str; 3] = ["DataReadFromSource.Bytes", "DataReadFromSource.Records", "KafkaOffsetLag"];

const CLUSTER_ACTIONS: [&str; 3] = ["kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka-cluster:Connect"];
/// `kafka:GetBootstrapBrokers` takes no resource type (Service Authorization
/// Reference, "Actions, resources, and condition keys for Amazon Managed
/// Streaming for Apache Kafka"): scoped to the cluster's ARN it would grant
/// nothing and the stream could never find its brokers, so it alone is
/// granted on `*`.
const BROKERS_ACTION: &str = "kafka:GetBootstrapBrokers";
const TOPIC_ACTIONS: [&str; 3] =
    ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"];

/// `arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>`; returns
/// the name and UUID, which the topic and group ARNs repeat.
pub fn cluster_arn(s: &str) -> Result<(Arn, String, String), String> {
    let form = "arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>";
    let a = Arn::parse(s).map_err(|e| format!("expected {form}, given {s:?}: {e}"))?;
    let parts: Vec<&str> = a.resource.split('/').collect();
    match parts.as_slice() {
        ["cluster", name, uuid]
            if a.service == "kafka"
                && !a.region.is_empty()
                && a.account.len() == 12
                && !name.is_empty()
                && !uuid.is_empty() =>
        {
            let (name, uuid) = (name.to_string(), uuid.to_string());
            Ok((a, name, uuid))
        }
        _ => Err(format!("expected {form}, given {s:?}")),
    }
}

fn topic(s: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if s.is_empty() || s.len() > 255 || !s.chars().all(ok) {
        return Err(format!("topic_name must be 1 to 255 letters, digits, '.', '_' or '-', given {s:?}"));
    }
    Ok(())
}

fn connectivity(s: &str) -> Result<(), String> {
    match s {
        "PUBLIC" | "PRIVATE" => Ok(()),
        _ => Err(format!("connectivity must be PUBLIC or PRIVATE, given {s:?}")),
    }
}

fn timestamp(s: &str) -> Result<(), String> {
    DateTime::from_str(s, Format::DateTime)
        .map(drop)
        .map_err(|_| format!("read_from_timestamp must be an RFC 3339 time such as 2025-01-31T00:00:00Z, given {s:?}"))
}

pub fn block() -> Block {
    Block::new("Read records from a topic of an Amazon MSK cluster. Changing it replaces the stream.")
        .attr(
            A::required("cluster_arn", Type::String, "ARN of the MSK cluster.")
                .check_str("Invalid MSK cluster ARN", |s| cluster_arn(s).map(drop))
                .requires_replace(),
        )
        .attr(
            A::required("topic_name", Type::String, "Topic the stream reads.")
                .check_str("Invalid topic name", topic)
                .requires_replace(),
        )
        .attr(
            A::optional_computed(
                "connectivity",
                Type::String,
                "How Firehose reaches the brokers: `PUBLIC` (default) or `PRIVATE` (multi-VPC private connectivity; the cluster policy must admit Firehose).",
            )
            .default(Value::string(CONNECTIVITY))
            .check_str("Invalid connectivity", connectivity)
            .requires_replace(),
        )
        .attr(
            A::optional(
                "read_from_timestamp",
                Type::String,
                "Read records from this time (RFC 3339) on; by default from the stream's creation.",
            )
            .check_str("Invalid timestamp", timestamp)
            .requires_replace(),
        )
}

/// The `source_msk` block of a stream object, when there is one.
pub fn of(v: &Value) -> Option<&Value> {
    v.block("source_msk")
}

/// An MSK source excludes a Kinesis source and server-side encryption.
pub fn validate(config: &Value, c: &mut Checker) {
    if of(config).is_none() {
        return;
    }
    if is_given(config.attr("source_stream_arn")) == Some(true) {
        c.d.error_at(
            AttrPath::attr("source_stream_arn"),
            "Two sources",
            "a stream reads either a Kinesis stream (source_stream_arn) or an MSK topic (source_msk), not both",
        );
    }
    let enc = config.attr("encryption").as_str();
    if is_given(config.attr("encryption_key_arn")) == Some(true) || enc.is_some_and(|e| e != "UNENCRYPTED") {
        let attr = if enc.is_some() { "encryption" } else { "encryption_key_arn" };
        c.d.error_at(
            AttrPath::attr(attr),
            "Invalid encryption settings",
            "server-side encryption is not available for a stream with an MSK source (source_msk); remove it",
        );
    }
}

/// The stream role's statements for the source; None while unknown.
pub fn statements(v: &Value) -> Option<Vec<Json>> {
    let Some(m) = of(v) else { return Some(Vec::new()) };
    let (cluster, topic) = (m.attr("cluster_arn").as_str()?, m.attr("topic_name").as_str()?);
    let (a, name, uuid) = cluster_arn(cluster).ok()?;
    let arn = |r: String| Arn::new(&a.partition, "kafka", &a.region, &a.account, r).to_string();
    Some(vec![
        json!({"Sid": "MskCluster", "Effect": "Allow", "Action": CLUSTER_ACTIONS, "Resource": cluster}),
        json!({"Sid": "MskBrokers", "Effect": "Allow", "Action": BROKERS_ACTION, "Resource": "*"}),
        json!({"Sid": "MskTopic", "Effect": "Allow", "Action": TOPIC_ACTIONS, "Resource": arn(format!("topic/{name}/{uuid}/{topic}"))}),
        json!({"Sid": "MskGroups", "Effect": "Allow", "Action": "kafka-cluster:DescribeGroup", "Resource": arn(format!("group/{name}/{uuid}/*"))}),
    ])
}

/// The API's source configuration, read with the stream role.
pub fn to_api(v: &Value, role_arn: &str) -> Result<Option<fh::MskSourceConfiguration>, String> {
    let Some(m) = of(v) else { return Ok(None) };
    let auth = fh::AuthenticationConfiguration::builder()
        .role_arn(role_arn)
        .connectivity(fh::Connectivity::from(m.attr("connectivity").as_str().unwrap_or(CONNECTIVITY)))
        .build()
        .map_err(build_err)?;
    let from = match m.attr("read_from_timestamp").as_str() {
        Some(t) => Some(DateTime::from_str(t, Format::DateTime).map_err(|e| e.to_string())?),
        None => None,
    };
    fh::MskSourceConfiguration::builder()
        .msk_cluster_arn(m.attr("cluster_arn").as_str().unwrap_or_default())
        .topic_name(m.attr("topic_name").as_str().unwrap_or_default())
        .authentication_configuration(auth)
        .set_read_from_timestamp(from)
        .build()
        .map(Some)
        .map_err(build_err)
}

/// The block from a description, and the role it reads with. A timestamp
/// reads back as the prior state spelled it when it is the same instant.
pub fn read(d: &fh::MskSourceDescription, prior: Option<&Value>) -> (Value, Option<String>) {
    let auth = d.authentication_configuration();
    let prior_ts = prior.and_then(of).and_then(|m| m.attr("read_from_timestamp").as_str());
    let ts = d.read_from_timestamp().map(|t| match prior_ts {
        Some(p) if DateTime::from_str(p, Format::DateTime).ok().as_ref() == Some(t) => p.to_string(),
        _ => t.fmt(Format::DateTime).unwrap_or_default(),
    });
    let block = Value::object([
        ("cluster_arn", Value::opt_string(d.msk_cluster_arn())),
        ("topic_name", Value::opt_string(d.topic_name())),
        ("connectivity", Value::string(auth.map_or(CONNECTIVITY, |a| a.connectivity().as_str()))),
        ("read_from_timestamp", Value::opt_string(ts)),
    ]);
    (Value::List(vec![block]), auth.map(|a| a.role_arn().to_string()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::Diagnostics;
    use crate::resources::delivery_stream::destinations::testing;
    use crate::resources::delivery_stream::private::Private;
    use crate::resources::delivery_stream::{derive, plan, validate};

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
        validate::validate(c)
            .0
            .into_iter()
            .map(|d| (d.path.map(|p| p.to_string()).unwrap_or_default(), d.detail))
            .collect()
    }

    #[test]
    fn cluster_arns_and_rules() {
        let (_, name, uuid) = cluster_arn(CLUSTER).unwrap();
        assert_eq!((name.as_str(), uuid.as_str()), ("orders", "abcd1234-ab12-cd34-ef56-abcdef123456-7"));
        assert!(cluster_arn("arn:aws:kafka:us-east-1:123456789012:topic/orders/x/t").is_err());
        assert!(errors(&config(msk(json!({})))).is_empty(), "{:?}", errors(&config(msk(json!({})))));
        let mut both = msk(json!({}));
        both["source_stream_arn"] = json!("arn:aws:kinesis:us-east-1:123456789012:stream/s");
        assert!(errors(&config(both)).iter().any(|(p, d)| p == "source_stream_arn" && d.contains("not both")));
        let mut sse = msk(json!({}));
        sse["encryption"] = json!("AWS_OWNED");
        assert!(errors(&config(sse)).iter().any(|(p, d)| p == "encryption" && d.contains("MSK source")));
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
        assert_eq!(derive::source_msk(&p), Some(true));
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
        let (p, _) = planned(
            &config(msk(json!({"connectivity": "PRIVATE", "read_from_timestamp": "2025-01-31T00:00:00Z"}))),
            None,
        );
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
}
