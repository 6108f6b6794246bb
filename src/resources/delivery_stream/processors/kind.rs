//! What a processor kind is: the trait each kind module implements, the
//! parameters Firehose reports, and the kinds' names. The registry in
//! `mod.rs` imports the kinds; the kinds import only this.

use aws_sdk_firehose::types as fh;

use crate::framework::schema::Block;
use crate::protocol::{AttrPath, Diagnostics, Value};

/// What a processor kind supplies.
pub trait Kind: Sync {
    /// The block's name inside `processor`.
    fn name(&self) -> &'static str;
    fn api_type(&self) -> fh::ProcessorType;
    fn block(&self) -> Block;
    /// Checks across the block's attributes (each attribute's own rule is
    /// declared on the block); unknown values pass.
    fn validate(&self, _v: &Value, _at: &AttrPath, _d: &mut Diagnostics) {}
    /// Every parameter, in a fixed order.
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)>;
    /// The block from the parameters AWS reports.
    fn read(&self, params: &Params<'_>) -> Value;
}

pub const LAMBDA: &str = "lambda";
pub const METADATA_EXTRACTION: &str = "metadata_extraction";
pub const RECORD_DEAGGREGATION: &str = "record_deaggregation";
pub const DECOMPRESSION: &str = "decompression";
pub const CLOUDWATCH_LOG_PROCESSING: &str = "cloudwatch_log_processing";

/// The parameters of one processor as AWS reports them.
pub struct Params<'a>(pub &'a [fh::ProcessorParameter]);

impl Params<'_> {
    pub fn get(&self, name: fh::ProcessorParameterName) -> Option<&str> {
        self.0.iter().find(|p| p.parameter_name() == &name).map(|p| p.parameter_value())
    }
}

/// A number parameter read back, or the default when AWS omits it.
pub fn number(s: Option<&str>, default: i64) -> Value {
    s.and_then(crate::protocol::Number::parse).map(Value::Number).unwrap_or(Value::int(default))
}
