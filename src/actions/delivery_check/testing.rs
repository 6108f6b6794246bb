//! Test support: stream descriptions as AWS gives them, and a fake `Probe`
//! that records the calls and answers from a script of what AWS holds.

use std::collections::BTreeMap;
use std::sync::Mutex;

use aws_sdk_firehose::types as fh;

use super::probe::Probe;
use crate::aws::delivery_log::DeliveryError;

fn logging(group: &str, stream: &str) -> fh::CloudWatchLoggingOptions {
    fh::CloudWatchLoggingOptions::builder().enabled(true).log_group_name(group).log_stream_name(stream).build()
}

fn s3(bucket: &str, prefix: &str) -> fh::S3DestinationDescription {
    fh::S3DestinationDescription::builder()
        .role_arn("arn:aws:iam::123456789012:role/r")
        .bucket_arn(format!("arn:aws:s3:::{bucket}"))
        .prefix(prefix)
        .buffering_hints(fh::BufferingHints::builder().interval_in_seconds(300).size_in_mbs(5).build())
        .compression_format(fh::CompressionFormat::Uncompressed)
        .encryption_configuration(fh::EncryptionConfiguration::builder().build())
        .cloud_watch_logging_options(logging("/aws/kinesisfirehose/orders", "S3Backup"))
        .build()
        .unwrap()
}

fn stream(
    kind: fh::DeliveryStreamType,
    source: Option<fh::SourceDescription>,
    dest: fh::DestinationDescription,
) -> fh::DeliveryStreamDescription {
    fh::DeliveryStreamDescription::builder()
        .delivery_stream_name("orders")
        .delivery_stream_arn("arn:aws:firehose:us-east-1:123456789012:deliverystream/orders")
        .delivery_stream_status(fh::DeliveryStreamStatus::Active)
        .delivery_stream_type(kind)
        .set_source(source)
        .version_id("1")
        .destinations(dest)
        .has_more_destinations(false)
        .build()
        .unwrap()
}

/// A direct-put stream to S3 bucket `data` with `prefix`, GZIP, logging to
/// `/aws/kinesisfirehose/orders`, buffering for `interval` seconds.
pub fn s3_stream(prefix: &str, error_prefix: Option<&str>, interval: i32) -> fh::DeliveryStreamDescription {
    let d = fh::ExtendedS3DestinationDescription::builder()
        .role_arn("arn:aws:iam::123456789012:role/r")
        .bucket_arn("arn:aws:s3:::data")
        .prefix(prefix)
        .set_error_output_prefix(error_prefix.map(str::to_string))
        .buffering_hints(fh::BufferingHints::builder().interval_in_seconds(interval).size_in_mbs(5).build())
        .compression_format(fh::CompressionFormat::Gzip)
        .encryption_configuration(fh::EncryptionConfiguration::builder().build())
        .cloud_watch_logging_options(logging("/aws/kinesisfirehose/orders", "S3Destination"))
        .build()
        .unwrap();
    let dest = fh::DestinationDescription::builder()
        .destination_id("destinationId-000000000001")
        .extended_s3_destination_description(d)
        .build()
        .unwrap();
    stream(fh::DeliveryStreamType::DirectPut, None, dest)
}

/// A direct-put stream to an HTTP endpoint whose backup keeps all records
/// (`all`) or only failed ones, in bucket `backup`.
pub fn http_stream(all: bool) -> fh::DeliveryStreamDescription {
    let mode = if all { fh::HttpEndpointS3BackupMode::AllData } else { fh::HttpEndpointS3BackupMode::FailedDataOnly };
    let d = fh::HttpEndpointDestinationDescription::builder()
        .buffering_hints(fh::HttpEndpointBufferingHints::builder().interval_in_seconds(60).build())
        .cloud_watch_logging_options(logging("/aws/kinesisfirehose/orders", "HttpEndpointDelivery"))
        .s3_backup_mode(mode)
        .s3_destination_description(s3("backup", "bk/"))
        .build();
    let dest = fh::DestinationDescription::builder()
        .destination_id("destinationId-000000000001")
        .http_endpoint_destination_description(d)
        .build()
        .unwrap();
    stream(fh::DeliveryStreamType::DirectPut, None, dest)
}

/// `s3_stream("", None, 60)` read from Kinesis stream `src` or from MSK.
pub fn sourced_stream(msk: bool) -> fh::DeliveryStreamDescription {
    let base = s3_stream("", None, 60);
    let (kind, source) = if msk {
        (fh::DeliveryStreamType::MskAsSource, fh::SourceDescription::builder().build())
    } else {
        let k = fh::KinesisStreamSourceDescription::builder()
            .kinesis_stream_arn("arn:aws:kinesis:us-east-1:123456789012:stream/src")
            .build();
        (
            fh::DeliveryStreamType::KinesisStreamAsSource,
            fh::SourceDescription::builder().kinesis_stream_source_description(k).build(),
        )
    };
    stream(kind, Some(source), base.destinations()[0].clone())
}

/// Objects by bucket and key: when each was written (ms) and its bytes.
pub type Stored = BTreeMap<(String, String), (i64, Vec<u8>)>;

/// What the fake AWS holds, and the calls made of it.
#[derive(Default)]
pub struct FakeAws {
    pub stream: Option<fh::DeliveryStreamDescription>,
    /// What AWS does with a put: deliver the record to this bucket and key
    /// (the key's `{hour}` becomes the hour prefix of the put), or log this
    /// error, or nothing (withheld).
    pub on_put: Option<OnPut>,
    /// The metric's sum once a record has been put.
    pub metric_after_put: f64,
    pub calls: Mutex<Vec<String>>,
    pub objects: Mutex<Stored>,
    pub errors: Mutex<Vec<DeliveryError>>,
    pub put: Mutex<Option<Vec<u8>>>,
}

pub enum OnPut {
    Deliver { bucket: String, key: String, gzip: bool },
    Log(&'static str, &'static str),
}

impl FakeAws {
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn call(&self, c: String) {
        self.calls.lock().unwrap().push(c);
    }

    fn receive(&self, data: Vec<u8>) {
        let now = super::run::now_ms();
        match &self.on_put {
            Some(OnPut::Deliver { bucket, key, gzip }) => {
                let body = if *gzip {
                    use std::io::Write;
                    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                    gz.write_all(&data).unwrap();
                    gz.finish().unwrap()
                } else {
                    data.clone()
                };
                let key = key.replace("{hour}", &super::canary::hour_prefix(now));
                self.objects.lock().unwrap().insert((bucket.clone(), key), (now, body));
            }
            Some(OnPut::Log(code, message)) => self.errors.lock().unwrap().push(DeliveryError {
                code: code.to_string(),
                message: message.to_string(),
                at_ms: now,
            }),
            None => {}
        }
        *self.put.lock().unwrap() = Some(data);
    }
}

#[tonic::async_trait]
impl Probe for FakeAws {
    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        self.call(format!("describe {name}"));
        Ok(self.stream.clone())
    }

    async fn put_direct(&self, stream: &str, data: Vec<u8>) -> Result<(), String> {
        self.call(format!("firehose put {stream}"));
        self.receive(data);
        Ok(())
    }

    async fn put_kinesis(&self, stream_arn: &str, _key: &str, data: Vec<u8>) -> Result<(), String> {
        self.call(format!("kinesis put {stream_arn}"));
        self.receive(data);
        Ok(())
    }

    async fn logged_errors(
        &self,
        _stream: &str,
        group: &str,
        _streams: &[String],
        since_ms: i64,
    ) -> Result<Vec<DeliveryError>, String> {
        self.call(format!("logs {group}"));
        Ok(self.errors.lock().unwrap().iter().filter(|e| e.at_ms >= since_ms).cloned().collect())
    }

    async fn new_objects(&self, bucket: &str, prefix: &str, since_ms: i64) -> Result<Vec<String>, String> {
        self.call(format!("list s3://{bucket}/{prefix}"));
        let objects = self.objects.lock().unwrap();
        Ok(objects
            .iter()
            .filter(|((b, k), (at, _))| b == bucket && k.starts_with(prefix) && *at >= since_ms)
            .map(|((_, k), _)| k.clone())
            .collect())
    }

    async fn object(&self, bucket: &str, key: &str) -> Result<Vec<u8>, String> {
        self.call(format!("get s3://{bucket}/{key}"));
        let objects = self.objects.lock().unwrap();
        objects.get(&(bucket.to_string(), key.to_string())).map(|(_, b)| b.clone()).ok_or_else(|| "NoSuchKey".into())
    }

    async fn metric_sum(&self, _stream: &str, metric: &str, _since_ms: i64) -> Result<f64, String> {
        self.call(format!("metric {metric}"));
        Ok(if self.put.lock().unwrap().is_some() { self.metric_after_put } else { 0.0 })
    }
}
