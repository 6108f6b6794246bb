//! Defaults of optional attributes: declared on the schema (these constants)
//! or, where they depend on other settings, by the destination kind
//! (`plan::apply_defaults` applies both). They are
//! written into the plan, so the plan shows them and what is sent to AWS is
//! exactly what is stored.

use super::enums::{BackupMode, Compression};

pub const COMPRESSION: Compression = Compression::Uncompressed;
pub const BUFFERING_INTERVAL: i64 = 300;
pub const BUFFERING_SIZE: i64 = 5;
pub const LOGGING: bool = true;
pub const BACKUP_MODE: BackupMode = BackupMode::All;
pub const LOG_RETENTION_DAYS: i64 = 731;
