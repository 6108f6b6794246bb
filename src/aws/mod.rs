pub mod arn;
pub mod delivery_log;
pub mod errors;
pub mod tags;

pub use errors::{call_error, error_code, error_text, is_denial};
