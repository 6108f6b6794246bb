//! `lambda`: a Lambda function transforms records.

use aws_sdk_firehose::types as fh;

use super::{number, Kind, Params};
use crate::aws::arn;
use crate::protocol::{Attribute as A, Block, Type, Value};
use crate::resources::delivery_stream::rules;

pub const BUFFER_INTERVAL: i64 = 60;
pub const BUFFER_SIZE: i64 = 1;
pub const RETRIES: i64 = 3;

pub struct Lambda;

impl Kind for Lambda {
    fn name(&self) -> &'static str {
        super::LAMBDA
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::Lambda
    }
    fn block(&self) -> Block {
        Block::new("A Lambda function that transforms records.")
            .attr(
                A::required(
                    "function_arn",
                    Type::String,
                    "ARN of the function, optionally with a version or alias qualifier. The destination role may invoke exactly this function.",
                )
                .check_str("Invalid Lambda ARN", |s| arn::lambda_function_arn(s).map(drop)),
            )
            .attr(A::optional_computed(
                "buffer_interval",
                Type::Number,
                "Seconds to buffer records before invoking the function, 0 to 900; default 60.",
            ).default(Value::int(BUFFER_INTERVAL)).check_whole("Invalid processor buffer interval", rules::processor_buffer_interval))
            .attr(A::optional_computed(
                "buffer_size",
                Type::Number,
                "MiB to buffer before invoking the function, 0.2 to 3 (fractions allowed); default 1.",
            ).default(Value::int(BUFFER_SIZE)).check_number("Invalid processor buffer size", rules::processor_buffer_size))
            .attr(A::optional_computed("retries", Type::Number, "Times to retry a failed invocation, 0 to 300; default 3.").default(Value::int(RETRIES)).check_whole("Invalid processor retries", rules::processor_retries))
    }
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        let text = |name: &str, default: i64| v.attr(name).as_number().map_or(default.to_string(), |n| n.to_text());
        vec![
            (fh::ProcessorParameterName::LambdaArn, v.attr("function_arn").as_str().unwrap_or_default().to_string()),
            (fh::ProcessorParameterName::LambdaNumberOfRetries, text("retries", RETRIES)),
            (fh::ProcessorParameterName::BufferSizeInMb, text("buffer_size", BUFFER_SIZE)),
            (fh::ProcessorParameterName::BufferIntervalInSeconds, text("buffer_interval", BUFFER_INTERVAL)),
        ]
    }
    fn read(&self, p: &Params<'_>) -> Value {
        Value::object([
            ("function_arn", Value::opt_string(p.get(fh::ProcessorParameterName::LambdaArn))),
            ("buffer_interval", number(p.get(fh::ProcessorParameterName::BufferIntervalInSeconds), BUFFER_INTERVAL)),
            ("buffer_size", number(p.get(fh::ProcessorParameterName::BufferSizeInMb), BUFFER_SIZE)),
            ("retries", number(p.get(fh::ProcessorParameterName::LambdaNumberOfRetries), RETRIES)),
        ])
    }
}
