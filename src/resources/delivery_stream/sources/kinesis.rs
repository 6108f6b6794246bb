//! A Kinesis data stream as the source (`source_stream_arn`): the stream
//! role reads exactly that stream, the stream refuses direct puts, and
//! server-side encryption belongs on the data stream instead.

use aws_sdk_firehose::types as fh;
use serde_json::{json, Value as Json};

use crate::aws::arn;
use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{AttrPath, Type, Value};

use super::super::api::build_err;
use super::super::kind::{is_given, RefKind, Reference, Source, SourceConfig};

const ATTR: &str = "source_stream_arn";

/// What reading a data stream takes (Firehose Developer Guide, "Grant
/// Firehose access to a Kinesis data stream").
pub const ACTIONS: [&str; 5] = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetShardIterator",
    "kinesis:GetRecords",
    "kinesis:ListShards",
];

/// `AWS/Firehose` metrics of a Kinesis source.
pub const METRICS: [&str; 3] =
    ["DataReadFromKinesisStream.Bytes", "DataReadFromKinesisStream.Records", "KinesisMillisBehindLatest"];

pub struct Kinesis;

impl Source for Kinesis {
    fn attr(&self) -> Option<&'static str> {
        Some(ATTR)
    }

    fn what(&self) -> &'static str {
        "a Kinesis stream"
    }

    fn extend(&self, b: Block) -> Block {
        b.attr(
            A::optional(
                ATTR,
                Type::String,
                "ARN of a Kinesis data stream to read from. When omitted the stream accepts direct puts. Changing it replaces the stream.",
            )
            .check_str("Invalid source stream ARN", |s| arn::kinesis_stream_arn(s).map(drop))
            .requires_replace(),
        )
    }

    fn selected(&self, v: &Value) -> Option<bool> {
        let a = v.attr(ATTR);
        (!a.is_unknown()).then(|| !a.is_null())
    }

    fn given(&self, config: &Value) -> Option<bool> {
        is_given(config.attr(ATTR))
    }

    fn refuses_encryption(&self) -> Option<&'static str> {
        Some(
            "Requested server-side encryption but delivery stream source is a Kinesis data stream. Specify server-side encryption on the data stream instead.",
        )
    }

    fn statements(&self, v: &Value) -> Option<Vec<Json>> {
        let stream = v.attr(ATTR).as_str()?;
        Some(vec![json!({"Sid": "KinesisSource", "Effect": "Allow", "Action": ACTIONS, "Resource": [stream]})])
    }

    fn metrics(&self) -> &'static [&'static str] {
        &METRICS
    }

    fn refs(&self, v: &Value) -> Vec<Reference> {
        vec![(RefKind::SourceStream, AttrPath::attr(ATTR), v.attr(ATTR).clone())]
    }

    fn to_api(&self, v: &Value, role_arn: &str) -> Result<Option<SourceConfig>, String> {
        let stream = v.attr(ATTR).as_str().ok_or("source_stream_arn is not known at apply time")?;
        fh::KinesisStreamSourceConfiguration::builder()
            .kinesis_stream_arn(stream)
            .role_arn(role_arn)
            .build()
            .map(|c| Some(SourceConfig::Kinesis(c)))
            .map_err(build_err)
    }

    fn read(&self, d: Option<&fh::SourceDescription>, v: &mut Value, _prior: Option<&Value>) -> Option<String> {
        let source = d.and_then(|s| s.kinesis_stream_source_description());
        v.set_attr(ATTR, Value::opt_string(source.and_then(|s| s.kinesis_stream_arn()).map(str::to_string)));
        source.and_then(|s| s.role_arn()).map(str::to_string)
    }
}
