//! `decompression`: un-gzips records, as CloudWatch Logs subscriptions send them.

use aws_sdk_firehose::types as fh;

use super::{Kind, Params};
use crate::protocol::{AttrPath, Attribute as A, Block, Diagnostics, Type, Value};

/// The only format Firehose decompresses.
pub const GZIP: &str = "GZIP";

pub struct Decompression;

impl Kind for Decompression {
    fn name(&self) -> &'static str {
        super::DECOMPRESSION
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::Decompression
    }
    fn block(&self) -> Block {
        Block::new("Decompresses records (CloudWatch Logs sends them gzipped).").attr(A::optional_computed(
            "type",
            Type::String,
            "The compression of incoming records: `GZIP` (the only one; default).",
        ))
    }
    fn defaults(&self) -> Vec<(&'static str, Value)> {
        vec![("type", Value::string(GZIP))]
    }
    fn validate(&self, v: &Value, at: &AttrPath, d: &mut Diagnostics) {
        if let Some(t) = v.attr("type").as_str().filter(|t| *t != GZIP) {
            d.error_at(
                at.at("type"),
                "Invalid decompression type",
                format!("type must be \"GZIP\", the only format Firehose decompresses, given {t:?}"),
            );
        }
    }
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        vec![(fh::ProcessorParameterName::CompressionFormat, v.attr("type").as_str().unwrap_or(GZIP).to_string())]
    }
    fn read(&self, p: &Params<'_>) -> Value {
        Value::object([("type", Value::string(p.get(fh::ProcessorParameterName::CompressionFormat).unwrap_or(GZIP)))])
    }
}
