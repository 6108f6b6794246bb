//! The seam between reconcile and AWS: what making or updating a stream and
//! its parts asks of AWS (each part created or adopted by its ownership tag,
//! then the stream created or brought to the plan); what it reads is
//! `Reading`'s. `AwsClients` answers
//! with the real calls in `parts/` and `stream/`; apply's unit tests answer
//! with a recording fake (`apply_tests.rs`).

use std::collections::BTreeMap;

use aws_sdk_firehose::types as fh;

use crate::provider::AwsClients;

use super::alarms::AlarmSpec;
use super::kind::UpdateFn;
use super::parts;
use super::reading::Reading;
use super::removal::Removal;
use super::stream::{self, CreateRequest};

pub type Tags = BTreeMap<String, String>;

#[tonic::async_trait]
pub trait Building: Removal + Reading {
    /// The stream's own key, made or adopted; its ARN.
    async fn ensure_key(&self, stream: &str, tags: &Tags) -> Result<String, String>;
    async fn retag_key(&self, key_arn: &str, tags: &Tags) -> Result<(), String>;
    async fn ensure_log_group(&self, group: &str, retention: i32, tags: &Tags, stream: &str) -> Result<(), String>;
    /// The log streams of `streams` that had to be made.
    async fn ensure_log_streams(&self, group: &str, streams: &[&'static str]) -> Result<Vec<&'static str>, String>;
    async fn ensure_bucket(&self, bucket: &str, tags: &Tags, stream: &str) -> Result<(), String>;
    async fn ensure_role(&self, role: &str, trust: &str, tags: &Tags, stream: &str) -> Result<String, String>;
    async fn ensure_alarms(&self, want: &[AlarmSpec], tags: &Tags, stream: &str) -> Result<(), String>;
    async fn put_policy(&self, role: &str, policy: &str, doc: &str) -> Result<(), String>;
    /// CreateDeliveryStream; false when a stream of that name already existed.
    async fn create_stream(&self, req: CreateRequest) -> Result<bool, String>;
    async fn update_destination(&self, name: &str, version: &str, id: &str, update: UpdateFn) -> Result<(), String>;
    async fn sync_stream_tags(&self, name: &str, current: &Tags, desired: &Tags) -> Result<(), String>;
    async fn start_encryption(
        &self,
        name: &str,
        input: fh::DeliveryStreamEncryptionConfigurationInput,
    ) -> Result<(), String>;
    async fn stop_encryption(&self, name: &str) -> Result<(), String>;
}

#[tonic::async_trait]
impl Building for AwsClients {
    async fn ensure_key(&self, stream: &str, tags: &Tags) -> Result<String, String> {
        parts::ensure_key(self, stream, tags).await
    }

    async fn retag_key(&self, key_arn: &str, tags: &Tags) -> Result<(), String> {
        parts::retag(&parts::Key(key_arn), self, tags).await
    }

    async fn ensure_log_group(&self, group: &str, retention: i32, tags: &Tags, stream: &str) -> Result<(), String> {
        parts::ensure_log_group(self, group, retention, tags, stream).await
    }

    async fn ensure_log_streams(&self, group: &str, streams: &[&'static str]) -> Result<Vec<&'static str>, String> {
        parts::ensure_log_streams(self, group, streams).await
    }

    async fn ensure_bucket(&self, bucket: &str, tags: &Tags, stream: &str) -> Result<(), String> {
        parts::ensure_bucket(self, bucket, tags, stream).await
    }

    async fn ensure_role(&self, role: &str, trust: &str, tags: &Tags, stream: &str) -> Result<String, String> {
        parts::ensure_role(self, role, trust, tags, stream).await
    }

    async fn ensure_alarms(&self, want: &[AlarmSpec], tags: &Tags, stream: &str) -> Result<(), String> {
        parts::ensure_alarms(self, want, tags, stream).await
    }

    async fn put_policy(&self, role: &str, policy: &str, doc: &str) -> Result<(), String> {
        parts::put_policy(self, role, policy, doc).await
    }

    async fn create_stream(&self, req: CreateRequest) -> Result<bool, String> {
        stream::create(self, req).await
    }

    async fn update_destination(&self, name: &str, version: &str, id: &str, update: UpdateFn) -> Result<(), String> {
        stream::update_destination(self, name, version, id, update).await
    }

    async fn sync_stream_tags(&self, name: &str, current: &Tags, desired: &Tags) -> Result<(), String> {
        stream::sync_tags(self, name, current, desired).await
    }

    async fn start_encryption(
        &self,
        name: &str,
        input: fh::DeliveryStreamEncryptionConfigurationInput,
    ) -> Result<(), String> {
        stream::start_encryption(self, name, input).await
    }

    async fn stop_encryption(&self, name: &str) -> Result<(), String> {
        stream::stop_encryption(self, name).await
    }
}
