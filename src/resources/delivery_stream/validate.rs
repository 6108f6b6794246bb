//! Plan-time validation (SPEC §2.3): every rule is checked wherever its
//! inputs are known, and each error points at the offending attribute so
//! Terraform shows the user's line. Unknown values pass and are checked
//! again at apply, when they are known.

use std::collections::BTreeMap;

use crate::protocol::{AttrPath, Diagnostics, Value};

use super::enums::Sse;
use super::kind::{is_given, Checker};
use super::rules;

pub fn validate(config: &Value) -> Diagnostics {
    let mut c = Checker { d: Diagnostics::new() };
    let root = AttrPath::root();
    if config.is_null() || config.is_unknown() {
        return c.d;
    }
    // What the schema declares on single attributes (formats, ranges, enums).
    crate::framework::walk::validate(super::schema::block(), config, &root, &mut c.d);

    // Cross-field SSE rules, once the inputs that decide them are known (an
    // invalid encryption value is already reported above).
    let enc = config.attr("encryption");
    let sse = enc.as_str().map(Sse::parse);
    let enc_valid = sse.is_none_or(|e| e.is_some());
    if let (Some(source), Some(key), true, true) =
        (super::sources::given(config), is_given(config.attr("encryption_key_arn")), enc.is_known(), enc_valid)
    {
        let refusal = source.refuses_encryption();
        if let Err(e) = rules::stream_encryption(refusal, sse.flatten(), key) {
            let at = if refusal.is_some() && !enc.is_null() { "encryption" } else { "encryption_key_arn" };
            c.d.error_at(root.at(at), "Invalid encryption settings", e);
        }
    }

    tags(&mut c, config.attr("tags"), &root.at("tags"));

    super::destinations::validate(config, &mut c);
    super::alarms::validate(config, &mut c);
    super::sources::validate(config, &mut c);
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

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
