//! Rules of the `s3_bucket` block, and of the S3 settings it shares with
//! `s3_backup`; each error carries the attribute's path.

use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::kind::{is_given, known_bool, Checker};
use crate::resources::delivery_stream::rules;

/// Rules across the settings a destination and its backup share (each
/// attribute's own format is declared on the schema).
pub fn s3_common(c: &mut Checker, s3: &Value, p: &AttrPath) {
    if let (Some(logging), Some(group)) = (known_bool(s3.attr("logging"), true), is_given(s3.attr("log_group_name"))) {
        c.fail(p.at("logging"), "Invalid logging settings", rules::logging(logging, group));
    }
    let data = s3.attr("data_output_prefix");
    let error = s3.attr("error_output_prefix");
    if let (Some(d), true) = (data.as_str().filter(|s| !s.is_empty()), error.is_known()) {
        c.fail(p.at("data_output_prefix"), "Invalid data output prefix", rules::data_output_prefix(d, error.as_str()));
    }
}

pub fn s3_bucket(c: &mut Checker, s3: &Value, p: &AttrPath) {
    s3_common(c, s3, p);
    super::features::validate(s3, p, &mut c.d);
    for (i, b) in s3.attr("s3_backup").elements().iter().enumerate() {
        s3_common(c, b, &p.at("s3_backup").index(i));
    }
}
