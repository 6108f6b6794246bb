//! Plan-time validation (SPEC §2.3): every rule is checked wherever its
//! inputs are known, and each error points at the offending attribute so
//! Terraform shows the user's line. Unknown values pass and are checked
//! again at apply, when they are known.

use std::collections::BTreeMap;

use crate::aws::arn;
use crate::protocol::{AttrPath, Diagnostics, Value};

use super::rules;

/// CloudWatch Logs accepts only these retention periods.
pub const LOG_RETENTION_DAYS: [i64; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

struct Checker {
    d: Diagnostics,
}

impl Checker {
    fn fail(&mut self, path: AttrPath, summary: &str, r: Result<impl Sized, String>) {
        if let Err(e) = r {
            self.d.error_at(path, summary, e);
        }
    }

    /// Runs `rule` on a known, non-null string attribute.
    fn string(
        &mut self,
        obj: &Value,
        base: &AttrPath,
        name: &str,
        summary: &str,
        rule: impl Fn(&str) -> Result<(), String>,
    ) {
        let v = obj.attr(name);
        if let Some(s) = v.as_str() {
            match rule(s) {
                Err(e) => self.d.error_at(base.at(name), summary, e),
                Ok(()) if s.is_empty() => {
                    self.d.error_at(base.at(name), summary, format!("{name} must not be empty; omit it instead"))
                }
                Ok(()) => {}
            }
        }
    }

    /// A known number attribute that must be whole, then `rule`.
    fn whole(
        &mut self,
        obj: &Value,
        base: &AttrPath,
        name: &str,
        summary: &str,
        rule: impl Fn(i64) -> Result<(), String>,
    ) {
        if let Some(n) = obj.attr(name).as_number() {
            match n.as_i64() {
                Some(i) => self.fail(base.at(name), summary, rule(i)),
                None => self.d.error_at(
                    base.at(name),
                    summary,
                    format!("{name} must be a whole number, given {}", n.to_text()),
                ),
            }
        }
    }
}

fn known_bool(v: &Value, default: bool) -> Option<bool> {
    if v.is_unknown() {
        None
    } else {
        Some(v.as_bool().unwrap_or(default))
    }
}

/// Whether an attribute is set, when that is knowable: an unknown value
/// might still turn out null, unless Terraform refined it as not null.
fn is_given(v: &Value) -> Option<bool> {
    match v.inner() {
        Value::Null => Some(false),
        Value::Unknown(Some(r)) if r.not_null => Some(true),
        Value::Unknown(_) => None,
        _ => Some(true),
    }
}

pub fn validate(config: &Value) -> Diagnostics {
    let mut c = Checker { d: Diagnostics::new() };
    let root = AttrPath::root();
    if config.is_null() || config.is_unknown() {
        return c.d;
    }
    c.string(config, &root, "name", "Invalid delivery stream name", rules::stream_name);
    c.string(config, &root, "source_stream_arn", "Invalid source stream ARN", |s| arn::kinesis_stream_arn(s).map(drop));
    c.string(config, &root, "encryption", "Invalid encryption", rules::encryption);
    c.string(config, &root, "encryption_key_arn", "Invalid encryption key ARN", |s| arn::kms_key_arn(s).map(drop));
    c.string(config, &root, "role_arn", "Invalid role ARN", |s| arn::iam_role_arn(s).map(drop));
    c.whole(config, &root, "log_retention_days", "Invalid log retention", |d| {
        if LOG_RETENTION_DAYS.contains(&d) {
            Ok(())
        } else {
            Err(format!(
                "log_retention_days must be one of {LOG_RETENTION_DAYS:?} (CloudWatch Logs' allowed values), given {d}"
            ))
        }
    });

    // Cross-field SSE rules, once the inputs that decide them are known (an
    // invalid encryption value is already reported above).
    let enc = config.attr("encryption");
    let enc_valid = enc.as_str().is_none_or(|s| rules::encryption(s).is_ok());
    if let (Some(source), Some(key), true, true) = (
        is_given(config.attr("source_stream_arn")),
        is_given(config.attr("encryption_key_arn")),
        enc.is_known(),
        enc_valid,
    ) {
        if let Err(e) = rules::stream_encryption(source, enc.as_str(), key) {
            let at = if source && !enc.is_null() { "encryption" } else { "encryption_key_arn" };
            c.d.error_at(root.at(at), "Invalid encryption settings", e);
        }
    }

    tags(&mut c, config.attr("tags"), &root.at("tags"));
    timeouts(&mut c, config.attr("timeouts"), &root.at("timeouts"));

    let dest = config.attr("destination");
    if dest.is_known() {
        let n = dest.elements().len();
        if let Err(e) = rules::destination_count(n) {
            let path = if n > 1 { root.at("destination").index(1) } else { root.at("destination") };
            c.d.error_at(path, "Invalid destination", e);
        }
        for (i, d) in dest.elements().iter().enumerate() {
            let dpath = root.at("destination").index(i);
            for (j, s3) in d.attr("s3_bucket").elements().iter().enumerate() {
                s3_bucket(&mut c, s3, &dpath.at("s3_bucket").index(j));
            }
        }
    }
    c.d
}

fn tags(c: &mut Checker, v: &Value, path: &AttrPath) {
    let Some(entries) = v.entries() else { return };
    let known: BTreeMap<String, String> =
        entries.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect();
    if entries.len() > rules::MAX_TAGS {
        c.fail(
            path.clone(),
            "Too many tags",
            rules::tags(
                &known
                    .keys()
                    .map(|k| (k.clone(), String::new()))
                    .chain((known.len()..entries.len()).map(|i| (format!("unknown-{i}"), String::new())))
                    .collect(),
            ),
        );
        return;
    }
    if let Err(e) = rules::tags(&known) {
        // Point at the offending key when the rule is about one.
        let key = known.keys().find(|k| e.contains(k.as_str()));
        let p = key.map_or(path.clone(), |k| path.key(k));
        c.d.error_at(p, "Invalid tags", e);
    }
}

fn timeouts(c: &mut Checker, t: &Value, path: &AttrPath) {
    for op in ["create", "update", "delete"] {
        c.string(t, path, op, "Invalid timeout", |s| super::timeouts::parse_duration(s).map(drop));
    }
}

/// Rules shared by the destination and its backup.
fn s3_common(c: &mut Checker, s3: &Value, p: &AttrPath, bucket_required: bool) {
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

fn s3_bucket(c: &mut Checker, s3: &Value, p: &AttrPath) {
    s3_common(c, s3, p, true);
    c.string(s3, p, "role_arn", "Invalid role ARN", |s| arn::iam_role_arn(s).map(drop));
    super::s3::validate(s3, p, &mut c.d);
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
