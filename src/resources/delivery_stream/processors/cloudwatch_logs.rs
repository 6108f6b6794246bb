//! `cloudwatch_log_processing`: unwraps CloudWatch Logs envelopes after
//! decompression, optionally down to the log messages alone.

use aws_sdk_firehose::types as fh;

use super::kind::{self, Kind, Params};
use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{Type, Value};

pub struct CloudWatchLogProcessing;

impl Kind for CloudWatchLogProcessing {
    fn name(&self) -> &'static str {
        kind::CLOUDWATCH_LOG_PROCESSING
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::CloudWatchLogProcessing
    }
    fn block(&self) -> Block {
        Block::new("Processes decompressed CloudWatch Logs records; needs a decompression processor before it.").attr(
            A::required(
                "data_message_extraction",
                Type::Bool,
                "Whether to deliver only the log messages, without the CloudWatch Logs envelope.",
            ),
        )
    }
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        let on = v.attr("data_message_extraction").as_bool().unwrap_or(false);
        vec![(fh::ProcessorParameterName::DataMessageExtraction, on.to_string())]
    }
    fn read(&self, p: &Params<'_>) -> Value {
        let on = p.get(fh::ProcessorParameterName::DataMessageExtraction).map(|s| s.eq_ignore_ascii_case("true"));
        Value::object([("data_message_extraction", on.map_or(Value::Null, Value::Bool))])
    }
}
