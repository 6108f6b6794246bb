use aws_sdk_cloudwatch::types::MetricAlarm;
use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::*;
use crate::provider::pacer::Pacer;
use crate::resources::delivery_stream::destinations::testing;
use crate::resources::delivery_stream::parts::LogGroupInfo;
use crate::resources::delivery_stream::stream::port::{Deletion, Streams};

/// AWS holding stream "s" exactly as its apply left it, but for what a test
/// changes: its description (as the S3 kind sends it), tags, the inline
/// policies on its roles, which roles exist, and its log group's retention.
struct World {
    pacer: Pacer,
    description: fh::DeliveryStreamDescription,
    tags: BTreeMap<String, String>,
    policies: BTreeMap<(String, String), String>,
    roles: Vec<String>,
}

/// The planned create of an S3 stream, its configuration, and AWS after it.
fn applied() -> (Value, World) {
    let config = testing::config("s3_bucket", json!({"bucket_arn": "arn:aws:s3:::data"}), json!({}));
    let planned = testing::planned(&config);
    let spec = testing::spec(&planned, &config);
    let described = testing::described_s3(&testing::sent_s3(&spec));
    let description = fh::DeliveryStreamDescription::builder()
        .delivery_stream_name("s")
        .delivery_stream_arn(planned.attr("arn").as_str().unwrap())
        .delivery_stream_status(fh::DeliveryStreamStatus::Active)
        .delivery_stream_type(fh::DeliveryStreamType::DirectPut)
        .version_id("1")
        .destinations(
            fh::DestinationDescription::builder()
                .destination_id("destinationId-000000000001")
                .extended_s3_destination_description(described)
                .build()
                .unwrap(),
        )
        .has_more_destinations(false)
        .build()
        .unwrap();
    let mut tags: BTreeMap<String, String> = planned
        .attr("tags_all")
        .entries()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
        .unwrap_or_default();
    tags.insert(names::OWNER_TAG.into(), "s".into());
    let role = names::destination_role("s");
    let doc = planned.attr("destination_role_policy_json").as_str().unwrap().to_string();
    let world = World {
        pacer: Pacer::default(),
        description,
        tags,
        policies: [((role.clone(), names::destination_policy("s")), doc)].into_iter().collect(),
        roles: vec![role],
    };
    (planned, world)
}

#[tonic::async_trait]
impl Streams for World {
    fn pacer(&self) -> &Pacer {
        &self.pacer
    }
    async fn describe(&self, _name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        Ok(Some(self.description.clone()))
    }
    async fn names(&self) -> Result<Vec<String>, String> {
        Ok(vec!["s".into()])
    }
    async fn delete(&self, _name: &str) -> Result<Deletion, String> {
        Err("a read deletes nothing".into())
    }
}

#[tonic::async_trait]
impl Reading for World {
    async fn stream_tags(&self, _name: &str) -> Result<BTreeMap<String, String>, String> {
        Ok(self.tags.clone())
    }
    async fn log_group_retention(&self, _group: &str) -> Result<Retention, String> {
        Ok(Retention::Days(defaults::LOG_RETENTION_DAYS as i32))
    }
    async fn log_group_info(&self, _group: &str, _stream: &str) -> Result<Option<LogGroupInfo>, String> {
        Ok(None)
    }
    async fn get_policy(&self, role: &str, policy: &str) -> Result<Option<String>, String> {
        Ok(self.policies.get(&(role.to_string(), policy.to_string())).cloned())
    }
    async fn role_exists(&self, role: &str) -> Result<bool, String> {
        Ok(self.roles.iter().any(|r| r == role))
    }
    async fn bucket_exists(&self, _bucket: &str) -> Result<bool, String> {
        Ok(true)
    }
    async fn describe_alarms(&self, _names: &[String]) -> Result<BTreeMap<String, MetricAlarm>, String> {
        Ok(BTreeMap::new())
    }
}

/// What a refresh makes of `world`, with `planned` as the prior state.
async fn refreshed(world: &World, planned: &Value) -> Value {
    read_state(world, &testing::ctx(), "s", Some(planned)).await.unwrap().expect("the stream exists")
}

const SHOWN: [&str; 7] = [
    "arn",
    "destination",
    "destination_role_arn",
    "destination_role_policy_json",
    "tags_all",
    "metrics",
    "log_retention_days",
];

#[tokio::test]
async fn an_unchanged_stream_reads_back_as_planned() {
    let (planned, world) = applied();
    let read = refreshed(&world, &planned).await;
    for attr in SHOWN {
        assert_eq!(read.attr(attr), planned.attr(attr), "{attr}");
    }
}

#[tokio::test]
async fn a_policy_changed_outside_terraform_shows_as_drift() {
    let (planned, mut world) = applied();
    let key = (names::destination_role("s"), names::destination_policy("s"));
    let widened = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    world.policies.insert(key.clone(), widened.into());
    let read = refreshed(&world, &planned).await;
    assert_eq!(
        read.attr("destination_role_policy_json").as_str(),
        Some(widened),
        "the plan shows it, apply puts ours back"
    );
    // The same document rewritten by IAM (another order, one-element lists) is no drift.
    let doc: serde_json::Value =
        serde_json::from_str(planned.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let mut reordered = doc.clone();
    reordered["Statement"].as_array_mut().unwrap().reverse();
    world.policies.insert(key, reordered.to_string());
    let read = refreshed(&world, &planned).await;
    assert_eq!(read.attr("destination_role_policy_json"), planned.attr("destination_role_policy_json"));
}

#[tokio::test]
async fn a_deleted_role_or_policy_shows_as_missing() {
    let (planned, mut world) = applied();
    world.policies.clear();
    let read = refreshed(&world, &planned).await;
    assert!(read.attr("destination_role_policy_json").is_null(), "the policy is gone");
    assert_eq!(read.attr("destination_role_arn"), planned.attr("destination_role_arn"), "its role is not");

    world.roles.clear();
    let read = refreshed(&world, &planned).await;
    assert!(read.attr("destination_role_arn").is_null() && read.attr("destination_role_policy_json").is_null());
}
