//! The seam between read and AWS: what a refresh or import asks of AWS
//! beyond the stream's description, to tell drift in the parts (a changed or
//! missing inline policy, a deleted role, log group, bucket or alarm).
//! `AwsClients` answers with the real calls in `parts/` and `stream/`; read's
//! unit tests answer from a fake (`read_tests.rs`).

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::MetricAlarm;

use crate::provider::AwsClients;

use super::parts::{self, LogGroupInfo, Retention};
use super::stream::{self, port::Streams};

#[tonic::async_trait]
pub trait Reading: Streams {
    async fn stream_tags(&self, name: &str) -> Result<BTreeMap<String, String>, String>;
    async fn log_group_retention(&self, group: &str) -> Result<Retention, String>;
    /// The log group named exactly `group`, and whether it is stream `stream`'s.
    async fn log_group_info(&self, group: &str, stream: &str) -> Result<Option<LogGroupInfo>, String>;
    /// An inline policy's document; None when the policy (or its role) is missing.
    async fn get_policy(&self, role: &str, policy: &str) -> Result<Option<String>, String>;
    async fn role_exists(&self, role: &str) -> Result<bool, String>;
    async fn bucket_exists(&self, bucket: &str) -> Result<bool, String>;
    async fn describe_alarms(&self, names: &[String]) -> Result<BTreeMap<String, MetricAlarm>, String>;
}

#[tonic::async_trait]
impl Reading for AwsClients {
    async fn stream_tags(&self, name: &str) -> Result<BTreeMap<String, String>, String> {
        stream::tags(self, name).await
    }

    async fn log_group_retention(&self, group: &str) -> Result<Retention, String> {
        parts::log_group_retention(self, group).await
    }

    async fn log_group_info(&self, group: &str, stream: &str) -> Result<Option<LogGroupInfo>, String> {
        parts::log_group_info(self, group, stream).await
    }

    async fn get_policy(&self, role: &str, policy: &str) -> Result<Option<String>, String> {
        parts::get_policy(self, role, policy).await
    }

    async fn role_exists(&self, role: &str) -> Result<bool, String> {
        parts::role_exists(self, role).await
    }

    async fn bucket_exists(&self, bucket: &str) -> Result<bool, String> {
        parts::bucket_exists(self, bucket).await
    }

    async fn describe_alarms(&self, names: &[String]) -> Result<BTreeMap<String, MetricAlarm>, String> {
        parts::describe_alarms(self, names).await
    }
}
