//! Rules of the `s3_bucket` block, and of the S3 settings it shares with
//! `s3_backup`; each error carries the attribute's path.

use crate::aws::arn;
use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::rules;
use crate::resources::delivery_stream::validate::{is_given, known_bool, Checker};

/// Rules shared by the destination and its backup.
pub fn s3_common(c: &mut Checker, s3: &Value, p: &AttrPath, bucket_required: bool) {
    if bucket_required || !s3.attr("bucket_arn").is_null() {
        c.string(s3, p, "bucket_arn", "Invalid bucket ARN", |s| arn::s3_bucket_arn(s).map(drop));
    }
    c.string(s3, p, "compression", "Invalid compression", rules::compression);
    c.whole(s3, p, "buffering_interval", "Invalid buffering interval", rules::buffering_interval);
    c.whole(s3, p, "buffering_size", "Invalid buffering size", rules::buffering_size);
    c.string(s3, p, "encryption_key_arn", "Invalid encryption key ARN", s3_key);
    c.string(s3, p, "log_group_name", "Invalid log group name", arn::log_group_name);
    if let (Some(logging), Some(group)) = (known_bool(s3.attr("logging"), true), is_given(s3.attr("log_group_name"))) {
        c.fail(p.at("logging"), "Invalid logging settings", rules::logging(logging, group));
    }
    let data = s3.attr("data_output_prefix");
    let error = s3.attr("error_output_prefix");
    if let Some(e) = error.as_str().filter(|s| !s.is_empty()) {
        c.fail(p.at("error_output_prefix"), "Invalid error output prefix", rules::error_output_prefix(e));
    }
    if let (Some(d), true) = (data.as_str().filter(|s| !s.is_empty()), error.is_known()) {
        c.fail(p.at("data_output_prefix"), "Invalid data output prefix", rules::data_output_prefix(d, error.as_str()));
    }
    for name in ["data_output_prefix", "error_output_prefix"] {
        if s3.attr(name).as_str() == Some("") {
            c.d.error_at(p.at(name), "Invalid prefix", format!("{name} must not be empty; omit it instead"));
        }
    }
}

pub fn s3_bucket(c: &mut Checker, s3: &Value, p: &AttrPath) {
    s3_common(c, s3, p, true);
    c.string(s3, p, "role_arn", "Invalid role ARN", |s| arn::iam_role_arn(s).map(drop));
    super::validate(s3, p, &mut c.d);
    for (i, b) in s3.attr("s3_backup").elements().iter().enumerate() {
        let bp = p.at("s3_backup").index(i);
        c.string(b, &bp, "mode", "Invalid backup mode", rules::backup_mode);
        s3_common(c, b, &bp, false);
    }
}

/// Firehose accepts alias ARNs for S3 encryption, but an IAM policy naming an
/// alias grants nothing on the key behind it; least privilege needs the key.
fn s3_key(s: &str) -> Result<(), String> {
    let a = arn::kms_key_or_alias_arn(s)?;
    if a.resource.starts_with("alias/") {
        return Err(format!(
            "expected a KMS key ARN (arn:aws:kms:region:account:key/id), got the alias {s:?}: the destination role's policy must name the key itself"
        ));
    }
    Ok(())
}
