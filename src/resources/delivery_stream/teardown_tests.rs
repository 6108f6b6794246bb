use std::sync::Mutex;

use aws_sdk_firehose::types as fh;
use fh::DeliveryStreamFailureType as Failure;
use fh::DeliveryStreamStatus::{Deleting, DeletingFailed};
use serde_json::json;

use super::*;
use crate::provider::pacer::Pacer;
use crate::resources::delivery_stream::destinations::testing;
use crate::resources::delivery_stream::parts::Gate;
use crate::resources::delivery_stream::stream::fake::{described, Script};
use crate::resources::delivery_stream::stream::port::{Deletion, Streams};

/// Firehose from a script; every part read at once and deleted once the
/// gate opens, each call recorded in order.
struct Recorder {
    script: Script,
    log: Mutex<Vec<String>>,
}

impl Recorder {
    fn new(firehose: Script) -> Recorder {
        Recorder { script: firehose, log: Mutex::new(Vec::new()) }
    }

    fn log(&self, entry: String) {
        self.log.lock().unwrap().push(entry);
    }

    fn entries(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    async fn part(&self, what: String, gate: &Gate) -> Result<(), String> {
        self.log(format!("read {what}"));
        gate.passed().await?;
        self.log(format!("delete {what}"));
        Ok(())
    }
}

#[tonic::async_trait]
impl Streams for Recorder {
    fn pacer(&self) -> &Pacer {
        &self.script.pacer
    }

    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        let d = self.script.describe(name).await?;
        self.log(format!("stream {}", d.as_ref().map_or("gone", |d| d.delivery_stream_status().as_str())));
        Ok(d)
    }

    async fn names(&self) -> Result<Vec<String>, String> {
        self.script.names().await
    }

    async fn delete(&self, name: &str) -> Result<Deletion, String> {
        self.log("stream delete".into());
        self.script.delete(name).await
    }
}

#[tonic::async_trait]
impl Removal for Recorder {
    async fn delete_owned_role(&self, role: &str, _stream: &str, gate: &Gate) -> Result<(), String> {
        self.part(format!("role {role}"), gate).await
    }

    async fn delete_policy(&self, role: &str, policy: &str) -> Result<(), String> {
        self.log(format!("delete policy {policy} of {role}"));
        Ok(())
    }

    async fn delete_owned_log_group(&self, group: &str, _stream: &str, gate: &Gate) -> Result<(), String> {
        self.part(format!("log group {group}"), gate).await
    }

    async fn delete_log_streams(&self, group: &str, streams: &[String]) -> Result<(), String> {
        self.log(format!("delete log streams {streams:?} of {group}"));
        Ok(())
    }

    async fn retire_owned_key(&self, _s: &str, _known: Option<&str>, _sweep: bool, gate: &Gate) -> Result<(), String> {
        self.part("key".into(), gate).await
    }

    async fn delete_owned_bucket(&self, bucket: &str, _stream: &str, gate: &Gate) -> Result<Option<String>, String> {
        self.part(format!("bucket {bucket}"), gate).await.map(|_| None)
    }

    async fn delete_owned_alarms(&self, names: &[String], _stream: &str, gate: &Gate) -> Result<(), String> {
        self.part(format!("{} alarms", names.len()), gate).await
    }
}

/// The provider's environment, kept from stopping while the test holds the sender.
fn env() -> (tokio::sync::watch::Sender<bool>, Env) {
    let (tx, stop) = tokio::sync::watch::channel(false);
    (tx, Env { clients: None, stop })
}

fn prior(block: serde_json::Value) -> Value {
    testing::planned(&testing::config("s3_bucket", json!({"bucket_arn": "arn:aws:s3:::data"}), block))
}

/// Where, in the log, the stream was last seen (gone or failed).
fn stream_end(log: &[String]) -> usize {
    log.iter().rposition(|e| e.starts_with("stream ")).unwrap()
}

#[tokio::test]
async fn the_parts_go_only_once_the_stream_is_gone() {
    let firehose = Script::new("s", vec![Some(described("s", Deleting, None)), None], vec![Deletion::Accepted]);
    let aws = Recorder::new(firehose);
    let (_stop, env) = env();
    let out = delete(&env, &aws, &testing::ctx(), &prior(json!({})), Private::default()).await;
    assert!(!out.diags.has_errors(), "{:?}", out.diags);
    assert!(out.state.is_null(), "the resource is gone");
    let log = aws.entries();
    let end = stream_end(&log);
    assert_eq!(log[end], "stream gone", "{log:?}");
    let deletes: Vec<usize> =
        log.iter().enumerate().filter(|(_, e)| e.starts_with("delete ")).map(|(i, _)| i).collect();
    assert!(deletes.iter().all(|i| *i > end), "a part went before its stream: {log:?}");
    for part in ["role s-firehose-dest", "role s-firehose-source", "log group /aws/kinesisfirehose/s", "key"] {
        assert!(log.contains(&format!("delete {part}")), "{part}: {log:?}");
    }
    // What the parts need to know is read while the stream is still deleting.
    let first_read = log.iter().position(|e| e.starts_with("read ")).unwrap();
    assert!(first_read < end, "{log:?}");
}

#[tokio::test]
async fn deleting_failed_keeps_every_part_and_the_state() {
    let failed = described("s", DeletingFailed, Some((Failure::KmsAccessDenied, "no grant")));
    let aws = Recorder::new(Script::new("s", vec![Some(failed)], vec![Deletion::Accepted]));
    let (_stop, env) = env();
    let before = prior(json!({}));
    let out = delete(&env, &aws, &testing::ctx(), &before, Private::default()).await;
    let errors: Vec<_> = out.diags.0.iter().map(|d| d.detail.clone()).collect();
    assert!(errors.iter().any(|e| e.contains("entered DELETING_FAILED: KMS_ACCESS_DENIED: no grant")), "{errors:?}");
    assert_eq!(out.state, before, "the state keeps the stream, so destroy can run again");
    assert!(!aws.entries().iter().any(|e| e.starts_with("delete ")), "nothing is deleted: {:?}", aws.entries());
}

#[tokio::test]
async fn a_role_the_user_gave_loses_only_our_inline_policy() {
    let user = "arn:aws:iam::123456789012:role/team-delivery";
    let firehose = Script::new("s", vec![None], vec![Deletion::NotFound]);
    let aws = Recorder::new(firehose);
    let (_stop, env) = env();
    let out = delete(&env, &aws, &testing::ctx(), &prior(json!({"role_arn": user})), Private::default()).await;
    assert!(!out.diags.has_errors(), "{:?}", out.diags);
    let log = aws.entries();
    assert!(log.contains(&"delete policy firehose-s-destination of team-delivery".to_string()), "{log:?}");
    // Its own roles are still looked for (an earlier apply may have made them) but only deleted if ours.
    assert!(log.contains(&"read role s-firehose-dest".to_string()), "{log:?}");
}

#[tokio::test]
async fn an_update_to_the_users_role_removes_ours_at_once() {
    let aws = Recorder::new(Script::new("s", vec![None], vec![]));
    let before = prior(json!({}));
    let config = testing::config(
        "s3_bucket",
        json!({"bucket_arn": "arn:aws:s3:::data", "role_arn": "arn:aws:iam::123456789012:role/team-delivery"}),
        json!({}),
    );
    let after = testing::planned(&config);
    let spec = testing::spec(&after, &config);
    remove_unused(&aws, &testing::ctx(), &spec, &before).await.unwrap();
    let log = aws.entries();
    assert!(log.contains(&"delete role s-firehose-dest".to_string()), "{log:?}");
    assert!(!log.iter().any(|e| e.starts_with("stream")), "an update never touches the stream here: {log:?}");
}
