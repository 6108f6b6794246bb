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

fn s3_common(s3: &mut Value) {
    default(s3, "compression", Value::string(COMPRESSION));
    default(s3, "buffering_interval", Value::int(BUFFERING_INTERVAL));
    default(s3, "buffering_size", Value::int(BUFFERING_SIZE));
    default(s3, "logging", Value::Bool(LOGGING));
}

/// Applies every static default in place; values that depend on AWS (names,
/// ARNs) are derived elsewhere.
pub fn apply(v: &mut Value) {
    default(v, "log_retention_days", Value::int(LOG_RETENTION_DAYS));
    let Value::Object(root) = v else { return };
    let Some(Value::List(dests)) = root.get_mut("destination") else { return };
    for d in dests.iter_mut() {
        let Value::Object(dm) = d else { continue };
        let Some(Value::List(s3s)) = dm.get_mut("s3_bucket") else { continue };
        for s3 in s3s.iter_mut() {
            super::s3::apply_defaults(s3, BUFFERING_SIZE);
            s3_common(s3);
            let Value::Object(sm) = s3 else { continue };
            if let Some(procs) = sm.get_mut("processor") {
                super::processors::apply_defaults(procs);
            }
            if let Some(Value::List(backups)) = sm.get_mut("s3_backup") {
                for b in backups.iter_mut() {
                    default(b, "mode", Value::string(BACKUP_MODE));
                    s3_common(b);
                }
            }
        }
    }
}
