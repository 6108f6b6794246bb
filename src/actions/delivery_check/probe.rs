//! The seam between the check and AWS: the few calls it makes, so its
//! waiting and judging are unit-tested against a fake (`run_tests.rs`).
//! `AwsClients` answers with the real calls.

use aws_sdk_firehose::primitives::Blob;
use aws_sdk_firehose::types as fh;

use crate::aws::call_error;
use crate::aws::delivery_log::DeliveryError;
use crate::provider::AwsClients;
use crate::resources::delivery_stream::{health, stream};

/// Objects a listing looks at, at most: a busy prefix is not read whole.
const MAX_KEYS: i32 = 1000;

#[tonic::async_trait]
pub trait Probe: Send + Sync {
    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String>;
    async fn put_direct(&self, stream: &str, data: Vec<u8>) -> Result<(), String>;
    async fn put_kinesis(&self, stream_arn: &str, partition_key: &str, data: Vec<u8>) -> Result<(), String>;
    /// Delivery errors about `stream` logged since `since_ms` (one page).
    async fn logged_errors(
        &self,
        stream: &str,
        group: &str,
        log_streams: &[String],
        since_ms: i64,
    ) -> Result<Vec<DeliveryError>, String>;
    /// Keys under `prefix` written at or after `since_ms`.
    async fn new_objects(&self, bucket: &str, prefix: &str, since_ms: i64) -> Result<Vec<String>, String>;
    async fn object(&self, bucket: &str, key: &str) -> Result<Vec<u8>, String>;
    /// The sum of `metric` for `stream` since `since_ms`.
    async fn metric_sum(&self, stream: &str, metric: &str, since_ms: i64) -> Result<f64, String>;
}

#[tonic::async_trait]
impl Probe for AwsClients {
    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        stream::describe(self, name).await
    }

    async fn put_direct(&self, name: &str, data: Vec<u8>) -> Result<(), String> {
        let record = fh::Record::builder().data(Blob::new(data)).build().map_err(|e| e.to_string())?;
        self.firehose
            .put_record()
            .delivery_stream_name(name)
            .record(record)
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("PutRecord", name, &e))
    }

    async fn put_kinesis(&self, stream_arn: &str, partition_key: &str, data: Vec<u8>) -> Result<(), String> {
        self.kinesis
            .put_record()
            .stream_arn(stream_arn)
            .partition_key(partition_key)
            .data(aws_sdk_kinesis::primitives::Blob::new(data))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("PutRecord", stream_arn, &e))
    }

    async fn logged_errors(
        &self,
        stream: &str,
        group: &str,
        log_streams: &[String],
        since_ms: i64,
    ) -> Result<Vec<DeliveryError>, String> {
        health::logged_errors(self, stream, group, log_streams, since_ms).await.map(|(errors, _)| errors)
    }

    async fn new_objects(&self, bucket: &str, prefix: &str, since_ms: i64) -> Result<Vec<String>, String> {
        let out = self
            .s3
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .max_keys(MAX_KEYS)
            .send()
            .await
            .map_err(|e| call_error("ListObjectsV2", bucket, &e))?;
        let recent = |o: &&aws_sdk_s3::types::Object| {
            o.last_modified().and_then(|t| t.to_millis().ok()).is_some_and(|t| t >= since_ms)
        };
        Ok(out.contents().iter().filter(recent).filter_map(|o| o.key().map(str::to_string)).collect())
    }

    async fn object(&self, bucket: &str, key: &str) -> Result<Vec<u8>, String> {
        let out =
            self.s3.get_object().bucket(bucket).key(key).send().await.map_err(|e| call_error("GetObject", key, &e))?;
        out.body.collect().await.map(|b| b.to_vec()).map_err(|e| format!("GetObject {key}: {e}"))
    }

    async fn metric_sum(&self, stream: &str, metric: &str, since_ms: i64) -> Result<f64, String> {
        use aws_sdk_cloudwatch::types::{Dimension, Statistic};
        use aws_smithy_types::DateTime;
        let out = self
            .cloudwatch
            .get_metric_statistics()
            .namespace("AWS/Firehose")
            .metric_name(metric)
            .dimensions(Dimension::builder().name("DeliveryStreamName").value(stream).build())
            .start_time(DateTime::from_millis(since_ms - since_ms % 60_000))
            .end_time(DateTime::from_millis(health::now_ms() + 60_000))
            .period(60)
            .statistics(Statistic::Sum)
            .send()
            .await
            .map_err(|e| call_error("GetMetricStatistics", metric, &e))?;
        Ok(out.datapoints().iter().filter_map(|d| d.sum()).sum())
    }
}
