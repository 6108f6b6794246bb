//! Plan-time rules of the `iceberg` block: Glue names and ARNs, the
//! warehouse location, and the combinations AWS documents (unique keys
//! make no sense when only inserting; partitions and a warehouse serve
//! table creation; a table once).

pub use super::super::shared::length;
use crate::aws::arn::Arn;
use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::kind::Checker;

/// Glue database and table names as Firehose takes them: `[a-zA-Z0-9._]`.
pub fn glue_name(s: &str) -> Result<(), String> {
    length("name", s, 1, 255)?;
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
        return Err(format!("{s:?} may hold only letters, digits, '.' and '_'"));
    }
    Ok(())
}

/// The account's default Glue Data Catalog: `arn:<partition>:glue:<region>:<account>:catalog`.
pub fn catalog_arn(s: &str) -> Result<(), String> {
    let form = "arn:aws:glue:<region>:<account>:catalog";
    let a = Arn::parse(s).map_err(|e| format!("expected {form}, given {s:?}: {e}"))?;
    if a.service != "glue" || a.region.is_empty() || a.account.len() != 12 || a.resource != "catalog" {
        return Err(format!(
            "expected {form}, given {s:?} (catalogs other than the account's Glue Data Catalog, such as S3 Tables catalogs, are not supported yet)"
        ));
    }
    Ok(())
}

/// The bucket of `s3://<bucket>[/<path>]`.
pub fn warehouse_bucket(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("s3://")?;
    let bucket = rest.split('/').next()?;
    (!bucket.is_empty()).then_some(bucket)
}

pub fn warehouse_location(s: &str) -> Result<(), String> {
    length("warehouse_location", s, 6, 2048)?;
    let bucket = warehouse_bucket(s).ok_or_else(|| format!("expected s3://<bucket>/<path>, given {s:?}"))?;
    crate::aws::arn::s3_bucket_name(bucket).map_err(|e| format!("the warehouse bucket in {s:?}: {e}"))
}

fn strings(v: &Value) -> Option<Vec<&str>> {
    v.is_wholly_known().then(|| v.elements().iter().filter_map(Value::as_str).collect())
}

/// The rules across attributes.
pub fn validate(v: &Value, at: &AttrPath, c: &mut Checker) {
    let append_only = v.attr("append_only").as_bool() == Some(true);
    let creation = v.attr("table_creation");
    let mut seen: Vec<(String, String)> = Vec::new();
    for (i, t) in v.attr("table").elements().iter().enumerate() {
        let here = at.at("table").index(i);
        if let (Some(db), Some(name)) = (t.attr("database").as_str(), t.attr("name").as_str()) {
            let key = (db.to_string(), name.to_string());
            if seen.contains(&key) {
                c.d.error_at(here.at("name"), "Duplicate table", format!("table {db}.{name} is listed twice"));
            }
            seen.push(key);
        }
        let keys = t.attr("unique_keys");
        if let Some(keys) = strings(keys).filter(|k| !k.is_empty()) {
            if append_only {
                c.d.error_at(
                    here.at("unique_keys"),
                    "Unique keys with append_only",
                    "with append_only = true Firehose only inserts rows, so unique_keys (for updates and deletes) would never be used; remove them or set append_only = false",
                );
            }
            if let Some(k) = keys.iter().find(|k| k.is_empty() || k.contains(char::is_whitespace)) {
                c.d.error_at(
                    here.at("unique_keys"),
                    "Invalid unique key",
                    format!("column names have no spaces, given {k:?}"),
                );
            }
        }
        let parts = t.attr("partition_fields");
        if strings(parts).is_some_and(|p| !p.is_empty()) && creation.is_known() && creation.as_bool() != Some(true) {
            c.d.error_at(
                here.at("partition_fields"),
                "Partition fields without table creation",
                "partition_fields shape the tables Firehose creates; set table_creation = true or remove them",
            );
        }
    }
    // Iceberg backs up failed records only (Firehose API reference, IcebergS3BackupMode).
    if let Some(mode) = v.block("s3_backup").and_then(|b| b.attr("mode").as_str()) {
        if mode != "FAILED" {
            c.d.error_at(
                at.at("s3_backup").index(0).at("mode"),
                "Invalid backup mode",
                format!("an iceberg destination backs up failed records only: mode must be \"FAILED\", given {mode:?}"),
            );
        }
    }
}
