//! Defaults of optional attributes: declared on the schema (these constants)
//! or, where they depend on other settings, by the destination kind. They are
//! written into the plan, so the plan shows them and what is sent to AWS is
//! exactly what is stored.

use super::enums::{BackupMode, Compression};
use crate::protocol::Value;

pub const COMPRESSION: Compression = Compression::Uncompressed;
pub const BUFFERING_INTERVAL: i64 = 300;
pub const BUFFERING_SIZE: i64 = 5;
pub const LOGGING: bool = true;
pub const BACKUP_MODE: BackupMode = BackupMode::All;
pub const LOG_RETENTION_DAYS: i64 = 731;

/// Applies every default in place: first those of the destination kind that
/// depend on other settings, then those the schema declares. Values that
/// depend on AWS (names, ARNs) are derived elsewhere.
pub fn apply(v: &mut Value) {
    super::destinations::apply_defaults(v);
    crate::framework::walk::apply_defaults(super::schema::block(), v);
}
