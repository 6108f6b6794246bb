//! The msgpack form of cty values that Terraform uses for `DynamicValue`.
//!
//! Decoding is driven by the schema type, like cty's own decoder, and must
//! never panic: the bytes come from another process.

mod decode;
mod encode;
mod format;

pub use decode::decode;
pub use encode::encode;
pub use format::infer_type;
