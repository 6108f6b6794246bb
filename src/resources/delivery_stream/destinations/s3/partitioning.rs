//! `dynamic_partitioning`: objects are written under prefixes built from
//! keys in the records. AWS cannot switch it on or off on an existing
//! stream, so a change in its presence replaces the stream.

use aws_sdk_firehose::types as fh;

use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{Type, Value};

pub const RETRY_DURATION: i64 = 300;
pub const MIN_BUFFERING_SIZE: i64 = 64;

pub fn block() -> Block {
    Block::new(
        "Dynamic partitioning: objects go under prefixes built from keys in the records (`!{partitionKeyFromQuery:key}`, `!{partitionKeyFromLambda:key}`). Its presence enables it; adding or removing it replaces the stream, as AWS requires. Needs an `error_output_prefix` and a buffering size of at least 64 MiB (the default when this block is present).",
    )
    .attr(
        A::optional_computed(
            "retry_duration",
            Type::Number,
            "Seconds Firehose retries delivering to a prefix, 0 to 7200; default 300.",
        )
        .default(Value::int(RETRY_DURATION))
        .check_whole("Invalid retry duration", retry_duration),
    )
}

fn retry_duration(s: i64) -> Result<(), String> {
    if (0..=7200).contains(&s) {
        Ok(())
    } else {
        Err(format!("retry_duration must be a whole number of seconds from 0 to 7200, given {s}"))
    }
}

pub fn to_api(dp: Option<&Value>) -> fh::DynamicPartitioningConfiguration {
    match dp {
        Some(v) => {
            let secs = v.attr("retry_duration").as_number().and_then(|n| n.as_i64()).unwrap_or(RETRY_DURATION);
            fh::DynamicPartitioningConfiguration::builder()
                .enabled(true)
                .retry_options(fh::RetryOptions::builder().duration_in_seconds(secs as i32).build())
                .build()
        }
        None => fh::DynamicPartitioningConfiguration::builder().enabled(false).build(),
    }
}

pub fn from_api(c: Option<&fh::DynamicPartitioningConfiguration>) -> Value {
    match c.filter(|c| c.enabled() == Some(true)) {
        Some(c) => {
            let secs = c.retry_options().and_then(|r| r.duration_in_seconds()).map_or(RETRY_DURATION, i64::from);
            Value::List(vec![Value::object([("retry_duration", Value::int(secs))])])
        }
        None => Value::List(vec![]),
    }
}
