//! Terraform's data model, independent of the gRPC wire types: cty types and
//! values with their msgpack and JSON codecs, diagnostics, schemas.

pub mod cty_type;
pub mod diagnostics;
pub mod json;
pub mod msgpack;
pub mod value;
pub mod wire;

pub use cty_type::Type;
pub use diagnostics::{AttrPath, Diagnostic, Diagnostics, PathStep, Severity};
pub use value::{Number, Value};
