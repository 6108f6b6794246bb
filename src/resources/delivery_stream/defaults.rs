//! Defaults of optional attributes. They are written into the plan, so the
//! plan shows them and what is sent to AWS is exactly what is stored.

use crate::protocol::Value;

pub const COMPRESSION: &str = "UNCOMPRESSED";
pub const BUFFERING_INTERVAL: i64 = 300;
pub const BUFFERING_SIZE: i64 = 5;
pub const LOGGING: bool = true;
pub const BACKUP_MODE: &str = "ALL";
pub const LOG_RETENTION_DAYS: i64 = 731;

fn default(obj: &mut Value, name: &str, v: Value) {
    if obj.attr(name).is_null() {
        obj.set_attr(name, v);
    }
}

/// Defaults of the S3 settings a destination and its backup share.
pub fn s3_common(s3: &mut Value) {
    default(s3, "compression", Value::string(COMPRESSION));
    default(s3, "buffering_interval", Value::int(BUFFERING_INTERVAL));
    default(s3, "buffering_size", Value::int(BUFFERING_SIZE));
    default(s3, "logging", Value::Bool(LOGGING));
}

/// Defaults of what every destination kind's block has: its processors and
/// its backup.
pub fn shared(dest: &mut Value) {
    let Value::Object(m) = dest else { return };
    if let Some(procs) = m.get_mut("processor") {
        super::processors::apply_defaults(procs);
    }
    if let Some(Value::List(backups)) = m.get_mut("s3_backup") {
        for b in backups.iter_mut() {
            default(b, "mode", Value::string(BACKUP_MODE));
            s3_common(b);
        }
    }
}

/// Applies every static default in place; values that depend on AWS (names,
/// ARNs) are derived elsewhere.
pub fn apply(v: &mut Value) {
    default(v, "log_retention_days", Value::int(LOG_RETENTION_DAYS));
    super::destinations::apply_defaults(v);
}
