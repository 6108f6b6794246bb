//! Tag rules as Firehose (and IAM, CloudWatch Logs, KMS and S3) apply them,
//! for the tags of every part and the provider's `default_tags`.

use std::collections::BTreeMap;

/// Maximum number of tags on one delivery stream.
pub const MAX_TAGS: usize = 50;

/// Firehose tag rules: at most 50 tags; keys 1..=128 characters not starting with `aws:`;
/// values 0..=256 characters; both limited to Unicode letters, digits, white space and
/// `_ . : / = + - @ %` (the API's `[\p{L}\p{Z}\p{N}_.:\/=+\-@%]`).
///
/// Pass the map that is actually sent to AWS (user tags merged with provider default tags
/// and any tags the provider adds itself), since all of them count towards the limit.
pub fn tags(tags: &BTreeMap<String, String>) -> Result<(), String> {
    if tags.len() > MAX_TAGS {
        return Err(format!("A delivery stream can have at most {MAX_TAGS} tags, given {}", tags.len()));
    }
    for (key, value) in tags {
        tag_key(key)?;
        tag_value(key, value)?;
    }
    Ok(())
}

fn tag_key(key: &str) -> Result<(), String> {
    // AWS documents the reserved prefix in lower case but reserves every casing of it.
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return Err(format!("Tag key {key:?} must not start with \"aws:\", which is reserved for AWS"));
    }
    let len = key.chars().count();
    if !(1..=128).contains(&len) {
        return Err(format!("Tag key must be 1 to 128 characters long, given {key:?} ({len} characters)"));
    }
    if let Some(c) = key.chars().find(|c| !tag_char(*c)) {
        return Err(format!(
            "Tag key {key:?} contains {c:?}; tag keys may contain only letters, digits, white space and _ . : / = + - @ %"
        ));
    }
    Ok(())
}

fn tag_value(key: &str, value: &str) -> Result<(), String> {
    let len = value.chars().count();
    if len > 256 {
        return Err(format!("Tag value for key {key:?} must be at most 256 characters long, given {len} characters"));
    }
    if let Some(c) = value.chars().find(|c| !tag_char(*c)) {
        return Err(format!(
            "Tag value for key {key:?} contains {c:?}; tag values may contain only letters, digits, white space and _ . : / = + - @ %"
        ));
    }
    Ok(())
}

/// Approximates `[\p{L}\p{Z}\p{N}_.:/=+\-@%]` with std: `is_alphabetic` is a superset of
/// `\p{L}` (it also admits letter-like marks), `is_numeric` is `\p{N}`, and separators are
/// the white space characters that are not control characters (`\p{Z}` excludes tab and
/// newline).
fn tag_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@%".contains(c)
}
