//! `lambda`: a Lambda function transforms records.

use aws_sdk_firehose::types as fh;

use super::kind::{self, number, Kind, Params};
use crate::aws::arn;
use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{Type, Value};
use crate::resources::delivery_stream::rules;

pub const BUFFER_INTERVAL: i64 = 60;
pub const BUFFER_SIZE: i64 = 1;
pub const RETRIES: i64 = 3;

pub struct Lambda;

/// Firehose reports an unqualified function as `…:$LATEST`, which names the
/// same code; it reads back unqualified, as it is most often written
/// (`keep_written_latest` restores a configuration's explicit `:$LATEST`).
fn unqualified_latest(arn: &str) -> &str {
    arn.strip_suffix(LATEST).unwrap_or(arn)
}

const LATEST: &str = ":$LATEST";

/// Where the prior state wrote `:$LATEST` and AWS's answer read back
/// unqualified, the prior spelling stands: both name the same function.
pub fn keep_written_latest(read: &mut Value, prior: &Value) {
    let (Value::List(now), before) = (read, prior.elements()) else { return };
    for (item, was) in now.iter_mut().zip(before) {
        let (Some(l), Some(w)) = (item.block_mut(kind::LAMBDA), was.block(kind::LAMBDA)) else { continue };
        let written = w.attr("function_arn").as_str().unwrap_or_default();
        if l.attr("function_arn").as_str().is_some_and(|r| written.strip_suffix(LATEST) == Some(r)) {
            l.set_attr("function_arn", Value::string(written));
        }
    }
}

impl Kind for Lambda {
    fn name(&self) -> &'static str {
        kind::LAMBDA
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
            ("function_arn", Value::opt_string(p.get(fh::ProcessorParameterName::LambdaArn).map(unqualified_latest))),
            ("buffer_interval", number(p.get(fh::ProcessorParameterName::BufferIntervalInSeconds), BUFFER_INTERVAL)),
            ("buffer_size", number(p.get(fh::ProcessorParameterName::BufferSizeInMb), BUFFER_SIZE)),
            ("retries", number(p.get(fh::ProcessorParameterName::LambdaNumberOfRetries), RETRIES)),
        ])
    }
}

#[cfg(test)]
mod latest_tests {
    use super::*;

    fn processors(arn: &str) -> Value {
        Value::List(vec![Value::object([(
            super::kind::LAMBDA,
            Value::List(vec![Value::object([("function_arn", Value::string(arn))])]),
        )])])
    }

    #[test]
    fn latest_reads_back_as_written() {
        let f = "arn:aws:lambda:us-east-1:123456789012:function:f";
        assert_eq!(unqualified_latest(&format!("{f}:$LATEST")), f);
        assert_eq!(unqualified_latest(&format!("{f}:live")), format!("{f}:live"));
        let mut read = processors(f);
        keep_written_latest(&mut read, &processors(&format!("{f}:$LATEST")));
        assert_eq!(read, processors(&format!("{f}:$LATEST")), "an explicit :$LATEST is kept");
        let mut read = processors(f);
        keep_written_latest(&mut read, &processors(&format!("{f}:live")));
        assert_eq!(read, processors(f), "another qualifier is drift, not spelling");
    }
}
