//! What the check needs to know about a stream, read from its description
//! alone (DescribeDeliveryStream): where a canary enters, where delivered
//! records can be seen, where errors are logged, and how long buffering
//! holds records. It does not rely on the stream being this provider's.

use aws_sdk_firehose::types as fh;

/// Where records enter the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    DirectPut,
    Kinesis {
        stream_arn: String,
    },
    /// A source that takes no record from us (MSK, a database): no canary.
    Closed(&'static str),
}

/// A place in S3 where records land.
#[derive(Debug, Clone, PartialEq)]
pub struct Objects {
    pub bucket: String,
    /// The part of the prefix before any `!{...}` expression.
    pub prefix: String,
    /// Firehose appends `YYYY/MM/DD/HH/` (UTC) to a prefix without
    /// expressions, so the hour narrows the listing.
    pub dated: bool,
    /// `UNCOMPRESSED`, `GZIP`, ...; with format conversion, the output format.
    pub encoding: String,
}

impl Objects {
    fn from_s3(bucket_arn: &str, prefix: Option<&str>, encoding: String) -> Objects {
        let prefix = prefix.unwrap_or_default();
        let (fixed, dated) = match prefix.find("!{") {
            Some(i) => (&prefix[..i], false),
            None => (prefix, true),
        };
        Objects {
            bucket: bucket_arn.rsplit(':').next().unwrap_or(bucket_arn).to_string(),
            prefix: fixed.to_string(),
            dated,
            encoding,
        }
    }

    /// Where a kind's S3 backup configuration writes.
    fn from_backup(b: &fh::S3DestinationDescription) -> Objects {
        Objects::from_s3(b.bucket_arn(), b.prefix(), b.compression_format().as_str().to_string())
    }

    /// Whether an object's content can be searched for the canary.
    pub fn searchable(&self) -> bool {
        matches!(self.encoding.as_str(), "UNCOMPRESSED" | "GZIP")
    }

    pub fn url(&self, key: &str) -> String {
        format!("s3://{}/{}", self.bucket, key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub name: String,
    pub status: String,
    pub source: Source,
    /// The destination kind as people name it ("Amazon S3", "HTTP endpoint").
    pub destination: &'static str,
    /// The metric counting records delivered, `DeliveryTo<Kind>.Records`.
    pub records_metric: &'static str,
    /// S3 destination: where delivered objects land; else None.
    pub delivered: Option<Objects>,
    /// Where records that failed (processing, conversion) are written.
    pub failed: Option<Objects>,
    /// A backup of all records (other kinds with backup mode ALL).
    pub backup_all: Option<Objects>,
    /// The log group and log streams delivery errors are written to.
    pub log_group: Option<String>,
    pub log_streams: Vec<String>,
    pub buffering_seconds: i64,
}

fn logging(out: &mut Facts, o: Option<&fh::CloudWatchLoggingOptions>) {
    let Some(o) = o.filter(|o| o.enabled() == Some(true)) else { return };
    if let Some(g) = o.log_group_name() {
        out.log_group.get_or_insert_with(|| g.to_string());
        if let Some(s) = o.log_stream_name() {
            out.log_streams.push(s.to_string());
        }
    }
}

fn s3_encoding(d: &fh::ExtendedS3DestinationDescription) -> String {
    let converted = d.data_format_conversion_configuration().filter(|c| c.enabled() != Some(false));
    match converted.and_then(|c| c.output_format_configuration()).and_then(|o| o.serializer()) {
        Some(s) if s.parquet_ser_de().is_some() => "Parquet".into(),
        Some(s) if s.orc_ser_de().is_some() => "ORC".into(),
        _ => d.compression_format().as_str().to_string(),
    }
}

/// The other kinds share one shape: a backup mode whose "all" value starts
/// with `All`, an S3 configuration for the backup, logging and buffering.
macro_rules! other_kind {
    ($out:ident, $d:expr, $label:literal, $metric:literal) => {{
        let d = $d;
        $out.destination = $label;
        $out.records_metric = $metric;
        logging(&mut $out, d.cloud_watch_logging_options());
        if let Some(s) = d.buffering_hints().and_then(|b| b.interval_in_seconds()) {
            $out.buffering_seconds = i64::from(s);
        }
        let all = d.s3_backup_mode().is_some_and(|m| m.as_str().starts_with("All"));
        if let Some(b) = d.s3_destination_description() {
            logging(&mut $out, b.cloud_watch_logging_options());
            if all {
                $out.backup_all = Some(Objects::from_backup(b));
            }
        }
    }};
}

pub fn facts(desc: &fh::DeliveryStreamDescription) -> Facts {
    let source = match desc.delivery_stream_type() {
        fh::DeliveryStreamType::DirectPut => Source::DirectPut,
        fh::DeliveryStreamType::KinesisStreamAsSource => {
            match desc.source().and_then(|s| s.kinesis_stream_source_description()).and_then(|k| k.kinesis_stream_arn())
            {
                Some(arn) => Source::Kinesis { stream_arn: arn.to_string() },
                None => Source::Closed("a Kinesis stream the description does not name"),
            }
        }
        fh::DeliveryStreamType::MskAsSource => Source::Closed("an MSK topic"),
        _ => Source::Closed("a source that accepts no records from the check"),
    };
    let mut out = Facts {
        name: desc.delivery_stream_name().to_string(),
        status: desc.delivery_stream_status().as_str().to_string(),
        source,
        destination: "unknown",
        records_metric: "",
        delivered: None,
        failed: None,
        backup_all: None,
        log_group: None,
        log_streams: Vec::new(),
        buffering_seconds: 300,
    };
    let Some(dest) = desc.destinations().first() else { return out };
    if let Some(d) = dest.extended_s3_destination_description() {
        out.destination = "Amazon S3";
        out.records_metric = "DeliveryToS3.Records";
        logging(&mut out, d.cloud_watch_logging_options());
        if let Some(s) = d.buffering_hints().and_then(|b| b.interval_in_seconds()) {
            out.buffering_seconds = i64::from(s);
        }
        let delivered = Objects::from_s3(d.bucket_arn(), d.prefix(), s3_encoding(d));
        // The hour folder is in the stream's time zone, which may not be UTC.
        let utc = d.custom_time_zone().is_none_or(|z| z.is_empty() || z == "UTC");
        out.delivered = Some(Objects { dated: delivered.dated && utc, ..delivered });
        if let Some(p) = d.error_output_prefix().filter(|p| !p.is_empty()) {
            // Failed records get the error output type and the date under
            // this prefix, in an order that varies: list all of it.
            let failed = Objects::from_s3(d.bucket_arn(), Some(p), "UNCOMPRESSED".into());
            out.failed = Some(Objects { dated: false, ..failed });
        }
        if let Some(b) = d.s3_backup_description() {
            logging(&mut out, b.cloud_watch_logging_options());
        }
    } else if let Some(d) = dest.http_endpoint_destination_description() {
        other_kind!(out, d, "HTTP endpoint", "DeliveryToHttpEndpoint.Records");
    } else if let Some(d) = dest.splunk_destination_description() {
        other_kind!(out, d, "Splunk", "DeliveryToSplunk.Records");
    } else if let Some(d) = dest.amazonopensearchservice_destination_description() {
        other_kind!(out, d, "OpenSearch Service", "DeliveryToAmazonOpenSearchService.Records");
    } else if let Some(d) = dest.amazon_open_search_serverless_destination_description() {
        other_kind!(out, d, "OpenSearch Serverless", "DeliveryToAmazonOpenSearchServerless.Records");
    } else if let Some(d) = dest.snowflake_destination_description() {
        other_kind!(out, d, "Snowflake", "DeliveryToSnowflake.Records");
    } else if let Some(d) = dest.iceberg_destination_description() {
        other_kind!(out, d, "Apache Iceberg", "DeliveryToIceberg.Records");
    } else if let Some(d) = dest.redshift_destination_description() {
        out.destination = "Amazon Redshift";
        out.records_metric = "DeliveryToRedshift.Records";
        logging(&mut out, d.cloud_watch_logging_options());
        if let Some(s) = d.s3_destination_description() {
            logging(&mut out, s.cloud_watch_logging_options());
            if let Some(i) = s.buffering_hints().and_then(|b| b.interval_in_seconds()) {
                out.buffering_seconds = i64::from(i);
            }
        }
        if d.s3_backup_mode().is_some_and(|m| m.as_str() == "Enabled") {
            if let Some(b) = d.s3_backup_description() {
                out.backup_all = Some(Objects::from_backup(b));
            }
        }
    }
    out.log_streams.dedup();
    out
}
