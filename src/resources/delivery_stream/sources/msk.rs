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
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Type, Value};

use super::super::api::build_err;
use super::super::kind::{is_given, joined, Checker, RefKind, Reference, Source, SourceConfig};

const ATTR: &str = "source_msk";
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

/// Whether the stream reads an MSK topic; None while unknown.
pub fn source_msk(v: &Value) -> Option<bool> {
    let m = v.attr("source_msk");
    m.is_known().then(|| !m.elements().is_empty())
}

pub struct Msk;

impl Source for Msk {
    fn attr(&self) -> Option<&'static str> {
        Some(ATTR)
    }

    fn what(&self) -> &'static str {
        "an MSK topic"
    }

    fn extend(&self, b: Block) -> Block {
        b.block(ATTR, Nesting::List, 0, 1, block())
    }

    fn selected(&self, v: &Value) -> Option<bool> {
        source_msk(v)
    }

    /// Server-side encryption is refused whether or not its settings are
    /// known or valid yet: any sign of it is reported.
    fn validate(&self, config: &Value, c: &mut Checker) {
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

    /// AWS cannot add or remove an MSK source in place.
    fn requires_replace(&self, prior: &Value, planned: &Value) -> Vec<AttrPath> {
        match (source_msk(prior), source_msk(planned)) {
            (Some(was), Some(now)) if was != now => vec![AttrPath::attr(ATTR)],
            _ => Vec::new(),
        }
    }

    fn statements(&self, v: &Value) -> Option<Vec<Json>> {
        statements(v)
    }

    fn metrics(&self) -> &'static [&'static str] {
        &METRICS
    }

    fn refs(&self, v: &Value) -> Vec<Reference> {
        let Some(m) = of(v) else { return Vec::new() };
        let connectivity = match m.attr("connectivity") {
            c if c.is_null() => Value::string(CONNECTIVITY),
            c => c.clone(),
        };
        let at = AttrPath::attr(ATTR).index(0).at("cluster_arn");
        vec![(RefKind::MskCluster, at, joined(&[m.attr("cluster_arn"), &connectivity]))]
    }

    fn to_api(&self, v: &Value, role_arn: &str) -> Result<Option<SourceConfig>, String> {
        Ok(to_api(v, role_arn)?.map(SourceConfig::Msk))
    }

    fn read(&self, d: Option<&fh::SourceDescription>, v: &mut Value, prior: Option<&Value>) -> Option<String> {
        let msk = d.and_then(|s| s.msk_source_description()).map(|m| read(m, prior));
        v.set_attr(ATTR, msk.as_ref().map_or(Value::List(vec![]), |(b, _)| b.clone()));
        msk.and_then(|(_, role)| role)
    }
}

#[cfg(test)]
#[path = "msk_tests.rs"]
mod tests;
