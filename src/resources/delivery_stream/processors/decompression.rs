//! `decompression`: un-gzips records, as CloudWatch Logs subscriptions send them.

use aws_sdk_firehose::types as fh;

use super::kind::{self, Kind, Params};
use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{Type, Value};

/// The only format Firehose decompresses.
pub const GZIP: &str = "GZIP";

pub struct Decompression;

fn gzip(t: &str) -> Result<(), String> {
    if t == GZIP {
        Ok(())
    } else {
        Err(format!("type must be \"GZIP\", the only format Firehose decompresses, given {t:?}"))
    }
}

impl Kind for Decompression {
    fn name(&self) -> &'static str {
        kind::DECOMPRESSION
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::Decompression
    }
    fn block(&self) -> Block {
        Block::new("Decompresses records (CloudWatch Logs sends them gzipped).").attr(
            A::optional_computed(
                "type",
                Type::String,
                "The compression of incoming records: `GZIP` (the only one; default).",
            )
            .default(Value::string(GZIP))
            .check_str("Invalid decompression type", gzip),
        )
    }
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        vec![(fh::ProcessorParameterName::CompressionFormat, v.attr("type").as_str().unwrap_or(GZIP).to_string())]
    }
    fn read(&self, p: &Params<'_>) -> Value {
        Value::object([("type", Value::string(p.get(fh::ProcessorParameterName::CompressionFormat).unwrap_or(GZIP)))])
    }
}
