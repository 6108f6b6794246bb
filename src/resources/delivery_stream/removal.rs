//! The seam between teardown and AWS: what removing a stream's parts asks
//! of AWS, each part only if it carries the ownership tag, reading first and
//! writing only once the `Gate` opens. `AwsClients` answers with the real
//! calls in `parts/`; teardown's unit tests answer with a recording fake.

use crate::provider::AwsClients;

use super::parts::{self, Gate};
use super::stream::port::Streams;

#[tonic::async_trait]
pub trait Removal: Streams {
    async fn delete_owned_role(&self, role: &str, stream: &str, gate: &Gate) -> Result<(), String>;
    /// Our inline policy on a role the user gave.
    async fn delete_policy(&self, role: &str, policy: &str) -> Result<(), String>;
    async fn delete_owned_log_group(&self, group: &str, stream: &str, gate: &Gate) -> Result<(), String>;
    /// Log streams the resource made in a group the user gave.
    async fn delete_log_streams(&self, group: &str, streams: &[String]) -> Result<(), String>;
    /// The key the resource made (`known`), and with `sweep` any stray twin.
    async fn retire_owned_key(&self, stream: &str, known: Option<&str>, sweep: bool, gate: &Gate)
        -> Result<(), String>;
    /// A warning when the bucket is kept (it still holds objects).
    async fn delete_owned_bucket(&self, bucket: &str, stream: &str, gate: &Gate) -> Result<Option<String>, String>;
    async fn delete_owned_alarms(&self, names: &[String], stream: &str, gate: &Gate) -> Result<(), String>;
}

#[tonic::async_trait]
impl Removal for AwsClients {
    async fn delete_owned_role(&self, role: &str, stream: &str, gate: &Gate) -> Result<(), String> {
        parts::delete_owned_role(self, role, stream, gate).await
    }

    async fn delete_policy(&self, role: &str, policy: &str) -> Result<(), String> {
        parts::delete_policy(self, role, policy).await
    }

    async fn delete_owned_log_group(&self, group: &str, stream: &str, gate: &Gate) -> Result<(), String> {
        parts::delete_owned_log_group(self, group, stream, gate).await
    }

    async fn delete_log_streams(&self, group: &str, streams: &[String]) -> Result<(), String> {
        parts::delete_log_streams(self, group, streams).await
    }

    async fn retire_owned_key(
        &self,
        stream: &str,
        known: Option<&str>,
        sweep: bool,
        gate: &Gate,
    ) -> Result<(), String> {
        parts::retire_owned_key(self, stream, known, sweep, gate).await
    }

    async fn delete_owned_bucket(&self, bucket: &str, stream: &str, gate: &Gate) -> Result<Option<String>, String> {
        parts::delete_owned_bucket(self, bucket, stream, gate).await
    }

    async fn delete_owned_alarms(&self, names: &[String], stream: &str, gate: &Gate) -> Result<(), String> {
        parts::delete_owned_alarms(self, names, stream, gate).await
    }
}
