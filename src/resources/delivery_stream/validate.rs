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

/// Diagnostics under construction, with helpers for the common checks.
pub struct Checker {
    pub d: Diagnostics,
}

impl Checker {
    pub fn fail(&mut self, path: AttrPath, summary: &str, r: Result<impl Sized, String>) {
        if let Err(e) = r {
            self.d.error_at(path, summary, e);
        }
    }

    /// Runs `rule` on a known, non-null string attribute.
    pub fn string(
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
    pub fn whole(
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

pub fn known_bool(v: &Value, default: bool) -> Option<bool> {
    if v.is_unknown() {
        None
    } else {
        Some(v.as_bool().unwrap_or(default))
    }
}

/// Whether an attribute is set, when that is knowable: an unknown value
/// might still turn out null, unless Terraform refined it as not null.
pub fn is_given(v: &Value) -> Option<bool> {
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

    super::destinations::validate(config, &mut c);
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

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
