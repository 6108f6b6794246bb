//! `lambda`: a Lambda function transforms records.

use aws_sdk_firehose::types as fh;

use super::{number, Kind, Params};
use crate::aws::arn;
use crate::protocol::{AttrPath, Attribute as A, Block, Diagnostics, Type, Value};
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
            .attr(A::required(
                "function_arn",
                Type::String,
                "ARN of the function, optionally with a version or alias qualifier. The destination role may invoke exactly this function.",
            ))
            .attr(A::optional_computed(
                "buffer_interval",
                Type::Number,
                "Seconds to buffer records before invoking the function, 0 to 900; default 60.",
            ))
            .attr(A::optional_computed(
                "buffer_size",
                Type::Number,
                "MiB to buffer before invoking the function, 0.2 to 3 (fractions allowed); default 1.",
            ))
            .attr(A::optional_computed("retries", Type::Number, "Times to retry a failed invocation, 0 to 300; default 3."))
    }
    fn defaults(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("buffer_interval", Value::int(BUFFER_INTERVAL)),
            ("buffer_size", Value::int(BUFFER_SIZE)),
            ("retries", Value::int(RETRIES)),
        ]
    }
    fn validate(&self, v: &Value, at: &AttrPath, d: &mut Diagnostics) {
        if let Some(s) = v.attr("function_arn").as_str() {
            if let Err(e) = arn::lambda_function_arn(s) {
                d.error_at(at.at("function_arn"), "Invalid Lambda ARN", e);
            }
        }
        let whole = |name: &str, d: &mut Diagnostics, rule: fn(i64) -> Result<(), String>, summary: &str| {
            if let Some(n) = v.attr(name).as_number() {
                let r = n.as_i64().ok_or_else(|| format!("{name} must be a whole number, given {}", n.to_text()));
                if let Err(e) = r.and_then(rule) {
                    d.error_at(at.at(name), summary, e);
                }
            }
        };
        whole("buffer_interval", d, rules::processor_buffer_interval, "Invalid processor buffer interval");
        whole("retries", d, rules::processor_retries, "Invalid processor retries");
        if let Some(n) = v.attr("buffer_size").as_number() {
            if let Err(e) = rules::processor_buffer_size(n.as_f64()) {
                d.error_at(at.at("buffer_size"), "Invalid processor buffer size", e);
            }
        }
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
