use std::collections::BTreeMap;
use std::sync::Mutex;

use aws_sdk_cloudwatch::types::MetricAlarm;

use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::*;
use crate::provider::pacer::Pacer;
use crate::resources::delivery_stream::alarms::AlarmSpec;
use crate::resources::delivery_stream::building::Tags;
use crate::resources::delivery_stream::destinations::testing;
use crate::resources::delivery_stream::kind::UpdateFn;
use crate::resources::delivery_stream::names::{ADOPTABLE_TAG, ADOPTABLE_VALUE, OWNER_TAG};
use crate::resources::delivery_stream::parts::{Gate, LogGroupInfo, Retention};
use crate::resources::delivery_stream::reading::Reading;
use crate::resources::delivery_stream::removal::Removal;
use crate::resources::delivery_stream::stream::fake::{described, Script};
use crate::resources::delivery_stream::stream::port::{Deletion, Streams};
use crate::resources::delivery_stream::stream::CreateRequest;

/// AWS as reconcile sees it: every call recorded in order; `refuse` names
/// the one call that fails (with AWS's AccessDenied); a stream of the name
/// already exists when `existing` holds its tags.
struct Recorder {
    script: Script,
    refuse: Option<&'static str>,
    existing: Option<Tags>,
    log: Mutex<Vec<String>>,
}

impl Recorder {
    fn new(refuse: Option<&'static str>, existing: Option<Tags>) -> Recorder {
        let active = Some(described("s", fh::DeliveryStreamStatus::Active, None));
        Recorder { script: Script::new("s", vec![active], vec![]), refuse, existing, log: Mutex::new(Vec::new()) }
    }

    fn call(&self, what: &'static str, on: String) -> Result<(), String> {
        if self.refuse == Some(what) {
            return Err(format!("iam:{what} on {on} was refused: AccessDenied: not authorized"));
        }
        self.log.lock().unwrap().push(format!("{what} {on}"));
        Ok(())
    }

    fn entries(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn made(&self, what: &str) -> bool {
        self.entries().iter().any(|e| e.starts_with(what))
    }
}

#[tonic::async_trait]
impl Streams for Recorder {
    fn pacer(&self) -> &Pacer {
        &self.script.pacer
    }
    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        self.script.describe(name).await
    }
    async fn names(&self) -> Result<Vec<String>, String> {
        self.script.names().await
    }
    async fn delete(&self, name: &str) -> Result<Deletion, String> {
        self.script.delete(name).await
    }
}

#[tonic::async_trait]
impl Removal for Recorder {
    async fn delete_owned_role(&self, role: &str, _stream: &str, _gate: &Gate) -> Result<(), String> {
        self.call("DeleteRole", role.into())
    }
    async fn delete_policy(&self, role: &str, _policy: &str) -> Result<(), String> {
        self.call("DeleteRolePolicy", role.into())
    }
    async fn delete_owned_log_group(&self, group: &str, _stream: &str, _gate: &Gate) -> Result<(), String> {
        self.call("DeleteLogGroup", group.into())
    }
    async fn delete_log_streams(&self, group: &str, _streams: &[String]) -> Result<(), String> {
        self.call("DeleteLogStream", group.into())
    }
    async fn retire_owned_key(&self, s: &str, _known: Option<&str>, _sweep: bool, _gate: &Gate) -> Result<(), String> {
        self.call("ScheduleKeyDeletion", s.into())
    }
    async fn delete_owned_bucket(&self, bucket: &str, _stream: &str, _gate: &Gate) -> Result<Option<String>, String> {
        self.call("DeleteBucket", bucket.into()).map(|_| None)
    }
    async fn delete_owned_alarms(&self, names: &[String], _stream: &str, _gate: &Gate) -> Result<(), String> {
        self.call("DeleteAlarms", names.join(","))
    }
}

/// Reconcile reads only the stream's tags (to tell an adoptable stream).
#[tonic::async_trait]
impl Reading for Recorder {
    async fn stream_tags(&self, name: &str) -> Result<Tags, String> {
        self.call("ListTagsForDeliveryStream", name.into())?;
        Ok(self.existing.clone().unwrap_or_default())
    }
    async fn log_group_retention(&self, _group: &str) -> Result<Retention, String> {
        Err("not read by reconcile".into())
    }
    async fn log_group_info(&self, _group: &str, _stream: &str) -> Result<Option<LogGroupInfo>, String> {
        Err("not read by reconcile".into())
    }
    async fn get_policy(&self, _role: &str, _policy: &str) -> Result<Option<String>, String> {
        Err("not read by reconcile".into())
    }
    async fn role_exists(&self, _role: &str) -> Result<bool, String> {
        Err("not read by reconcile".into())
    }
    async fn bucket_exists(&self, _bucket: &str) -> Result<bool, String> {
        Err("not read by reconcile".into())
    }
    async fn describe_alarms(&self, _names: &[String]) -> Result<BTreeMap<String, MetricAlarm>, String> {
        Err("not read by reconcile".into())
    }
}

#[tonic::async_trait]
impl Building for Recorder {
    async fn ensure_key(&self, stream: &str, _tags: &Tags) -> Result<String, String> {
        self.call("CreateKey", stream.into())?;
        Ok("arn:aws:kms:us-east-1:123456789012:key/made".into())
    }
    async fn retag_key(&self, key_arn: &str, _tags: &Tags) -> Result<(), String> {
        self.call("TagResource", key_arn.into())
    }
    async fn ensure_log_group(&self, group: &str, _retention: i32, _tags: &Tags, _s: &str) -> Result<(), String> {
        self.call("CreateLogGroup", group.into())
    }
    async fn ensure_log_streams(&self, group: &str, streams: &[&'static str]) -> Result<Vec<&'static str>, String> {
        self.call("CreateLogStream", group.into())?;
        Ok(streams.to_vec())
    }
    async fn ensure_bucket(&self, bucket: &str, _tags: &Tags, _stream: &str) -> Result<(), String> {
        self.call("CreateBucket", bucket.into())
    }
    async fn ensure_role(&self, role: &str, _trust: &str, _tags: &Tags, _stream: &str) -> Result<String, String> {
        self.call("CreateRole", role.into())?;
        Ok(format!("arn:aws:iam::123456789012:role/{role}"))
    }
    async fn ensure_alarms(&self, want: &[AlarmSpec], _tags: &Tags, _stream: &str) -> Result<(), String> {
        self.call("PutMetricAlarm", want.len().to_string())
    }
    async fn put_policy(&self, role: &str, _policy: &str, _doc: &str) -> Result<(), String> {
        self.call("PutRolePolicy", role.into())
    }
    async fn create_stream(&self, req: CreateRequest) -> Result<bool, String> {
        self.call("CreateDeliveryStream", req.name.clone())?;
        Ok(self.existing.is_none())
    }
    async fn update_destination(&self, name: &str, _v: &str, _id: &str, _update: UpdateFn) -> Result<(), String> {
        self.call("UpdateDestination", name.into())
    }
    async fn sync_stream_tags(&self, name: &str, _current: &Tags, _desired: &Tags) -> Result<(), String> {
        self.call("TagDeliveryStream", name.into())
    }
    async fn start_encryption(
        &self,
        name: &str,
        _input: fh::DeliveryStreamEncryptionConfigurationInput,
    ) -> Result<(), String> {
        self.call("StartDeliveryStreamEncryption", name.into())
    }
    async fn stop_encryption(&self, name: &str) -> Result<(), String> {
        self.call("StopDeliveryStreamEncryption", name.into())
    }
}

/// Reconciles a create of stream "s" to S3 (with `top` merged into the
/// stream's own settings) against `aws`; the private state it recorded.
async fn create(aws: &Recorder, top: serde_json::Value) -> (Result<(), String>, Private) {
    let mut config = testing::config("s3_bucket", json!({"bucket_arn": "arn:aws:s3:::data"}), json!({}));
    for (k, v) in top.as_object().unwrap() {
        let t = crate::resources::delivery_stream::schema::block().attribute(k).unwrap().ty.clone();
        config.set_attr(k, crate::protocol::json::from_json(v, &t).unwrap());
    }
    let planned = testing::planned(&config);
    let spec = testing::spec(&planned, &config);
    let progress = Mutex::new(Private::default());
    let r = reconcile(aws, &testing::ctx(), &spec, &planned, None, &progress).await;
    (r, progress.into_inner().unwrap())
}

#[tokio::test]
async fn a_create_makes_the_parts_then_the_stream_and_records_what_it_made() {
    let aws = Recorder::new(None, None);
    let (r, private) = create(&aws, json!({"encryption": "CUSTOMER_MANAGED"})).await;
    r.unwrap();
    let log = aws.entries();
    let at = |e: &str| log.iter().position(|x| x.starts_with(e)).unwrap_or_else(|| panic!("no {e}: {log:?}"));
    for part in ["CreateKey", "CreateRole s-firehose-dest", "CreateRole s-firehose-source", "CreateLogGroup"] {
        assert!(at(part) < at("CreateDeliveryStream"), "{part} after the stream: {log:?}");
    }
    assert!(at("PutRolePolicy s-firehose-dest") > at("CreateRole s-firehose-dest"), "{log:?}");
    assert_eq!(private.created_key_arn.as_deref(), Some("arn:aws:kms:us-east-1:123456789012:key/made"));
    assert!(!aws.made("UpdateDestination"), "a new stream already has its destination: {log:?}");
}

#[tokio::test]
async fn a_refused_policy_stops_the_create_before_the_stream_with_what_needed_it() {
    let aws = Recorder::new(Some("PutRolePolicy"), None);
    let (r, private) = create(&aws, json!({"encryption": "CUSTOMER_MANAGED"})).await;
    let e = r.unwrap_err();
    assert!(e.contains("PutRolePolicy") && e.contains("AccessDenied"), "{e}");
    assert!(!aws.made("CreateDeliveryStream"), "{:?}", aws.entries());
    // What was made is known, so the next apply adopts it and destroy removes it.
    assert!(aws.made("CreateRole s-firehose-dest"));
    assert!(private.created_key_arn.is_some());
}

#[tokio::test]
async fn a_stream_an_interrupted_create_left_is_adopted_and_brought_to_the_plan() {
    let marked: Tags =
        [(OWNER_TAG.to_string(), "s".to_string()), (ADOPTABLE_TAG.to_string(), ADOPTABLE_VALUE.to_string())]
            .into_iter()
            .collect();
    let aws = Recorder::new(None, Some(marked));
    let (r, _) = create(&aws, json!({})).await;
    r.unwrap();
    let log = aws.entries();
    assert!(aws.made("UpdateDestination s"), "the adopted stream gets the planned destination: {log:?}");
    assert!(aws.made("TagDeliveryStream s"), "and the planned tags: {log:?}");
}

#[tokio::test]
async fn a_stream_someone_else_made_meanwhile_is_refused() {
    let theirs: Tags = [(OWNER_TAG.to_string(), "s".to_string())].into_iter().collect();
    let aws = Recorder::new(None, Some(theirs));
    let (r, _) = create(&aws, json!({})).await;
    let e = r.unwrap_err();
    assert!(e.contains("was created by another apply while this one ran"), "{e}");
    assert!(!aws.made("UpdateDestination"), "{:?}", aws.entries());
}
