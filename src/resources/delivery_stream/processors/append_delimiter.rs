//! `append_delimiter_to_record`: a newline after every record, so delivered
//! objects hold one record per line.

use aws_sdk_firehose::types as fh;

use super::kind::{Kind, Params};
use crate::framework::schema::Block;
use crate::protocol::Value;

pub struct AppendDelimiter;

impl Kind for AppendDelimiter {
    fn name(&self) -> &'static str {
        "append_delimiter_to_record"
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::AppendDelimiterToRecord
    }
    fn block(&self) -> Block {
        Block::new("Appends a newline to every record. Takes no settings: write `append_delimiter_to_record {}`.")
    }
    fn params(&self, _v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        Vec::new()
    }
    fn read(&self, _p: &Params<'_>) -> Value {
        Value::object(std::iter::empty::<(&str, Value)>())
    }
}
