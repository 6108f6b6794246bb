//! Direct puts: producers call PutRecord and PutRecordBatch on the stream.
//! It is what a stream is when no other source is set: no attribute, no
//! source configuration, no role to read anything.

use crate::protocol::Value;

use super::super::kind::{Source, SourceConfig};

/// `AWS/Firehose` metrics of a stream taking direct puts.
pub const METRICS: [&str; 4] = ["IncomingBytes", "IncomingRecords", "IncomingPutRequests", "ThrottledRecords"];

pub struct DirectPut;

impl Source for DirectPut {
    fn attr(&self) -> Option<&'static str> {
        None
    }

    fn what(&self) -> &'static str {
        "direct puts"
    }

    fn selected(&self, _v: &Value) -> Option<bool> {
        // Only `sources::of` can tell: it is chosen when no other kind is.
        None
    }

    fn takes_puts(&self) -> bool {
        true
    }

    fn statements(&self, _v: &Value) -> Option<Vec<serde_json::Value>> {
        Some(Vec::new())
    }

    fn metrics(&self) -> &'static [&'static str] {
        &METRICS
    }

    fn to_api(&self, _v: &Value, _role_arn: &str) -> Result<Option<SourceConfig>, String> {
        Ok(None)
    }

    fn read(
        &self,
        _d: Option<&aws_sdk_firehose::types::SourceDescription>,
        _v: &mut Value,
        _prior: Option<&Value>,
    ) -> Option<String> {
        None
    }
}
