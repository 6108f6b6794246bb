//! Value rules for `firehose_delivery_stream` (SPEC §2.3), as pure functions.
//!
//! Each returns a user-facing message that states the rule and the offending value; the
//! plan-time validator attaches the attribute path. Texts the SPEC quotes (and that the
//! AWS CDK uses for the same rules) appear verbatim so users can search for them.
//!
//! Sources for the limits: the Firehose API reference (BufferingHints, ProcessorParameter,
//! Tag, DeliveryStreamName, Prefix/ErrorOutputPrefix lengths) and the developer guide page
//! "Custom Prefixes for Amazon S3 Objects" (s3-prefixes.html, section "Semantic rules").

use std::collections::BTreeMap;
use std::fmt;

/// Maximum number of tags on one delivery stream.
pub const MAX_TAGS: usize = 50;
/// Maximum length of `Prefix` / `ErrorOutputPrefix` as sent to the API.
pub const MAX_PREFIX_LEN: usize = 1024;
/// Maximum length of a prefix after Firehose has evaluated its expressions.
pub const MAX_EVALUATED_PREFIX_LEN: usize = 512;
/// Length of what `!{firehose:random-string}` evaluates to.
const RANDOM_STRING_LEN: usize = 11;

const ERROR_OUTPUT_TYPE: &str = "!{firehose:error-output-type}";

// ---------------------------------------------------------------------------------------
// Scalars

/// Delivery stream names: 1 to 64 of `[a-zA-Z0-9_.-]`.
pub fn stream_name(name: &str) -> Result<(), String> {
    const RULE: &str = "Delivery stream name must be 1 to 64 characters of letters, digits, '_', '.' and '-'";
    let len = name.chars().count();
    if !(1..=64).contains(&len) {
        return Err(format!("{RULE}, given {name:?} ({len} characters)"));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "_.-".contains(*c))) {
        return Err(format!("{RULE}, given {name:?} which contains {c:?}"));
    }
    Ok(())
}

/// Destination (and backup) buffering interval in seconds, 0..=900.
pub fn buffering_interval(seconds: i64) -> Result<(), String> {
    if (0..=900).contains(&seconds) {
        Ok(())
    } else {
        Err(format!("Buffering interval must be between 0 and 900 seconds, given {seconds}"))
    }
}

/// Destination (and backup) buffering size in MiB, 1..=128.
pub fn buffering_size(mib: i64) -> Result<(), String> {
    if (1..=128).contains(&mib) {
        Ok(())
    } else {
        Err(format!("Buffering size must be between 1 and 128 MiBs, given {mib}"))
    }
}

/// Lambda processor `buffer_interval` in seconds, 0..=900.
pub fn processor_buffer_interval(seconds: i64) -> Result<(), String> {
    if (0..=900).contains(&seconds) {
        Ok(())
    } else {
        Err(format!("Processor buffer_interval must be between 0 and 900 seconds, given {seconds}"))
    }
}

/// Lambda processor `buffer_size` in MiB, 0.2..=3 (fractions allowed).
pub fn processor_buffer_size(mib: f64) -> Result<(), String> {
    // NaN fails the range test, so it is reported like any other out-of-range value.
    if (0.2..=3.0).contains(&mib) {
        Ok(())
    } else {
        Err(format!("Processor buffer_size must be between 0.2 and 3 MiBs, given {mib}"))
    }
}

/// Lambda processor `retries`, 0..=300.
pub fn processor_retries(retries: i64) -> Result<(), String> {
    if (0..=300).contains(&retries) {
        Ok(())
    } else {
        Err(format!("Processor retries must be between 0 and 300, given {retries}"))
    }
}

// ---------------------------------------------------------------------------------------
// Enumerations

/// HCL spellings of `compression`, paired with the Firehose API's `CompressionFormat`.
const COMPRESSIONS: &[(&str, &str)] = &[
    ("UNCOMPRESSED", "UNCOMPRESSED"),
    ("GZIP", "GZIP"),
    ("ZIP", "ZIP"),
    // The API spells this one in mixed case; HCL keeps the uniform upper-case style.
    ("SNAPPY", "Snappy"),
    ("HADOOP_SNAPPY", "HADOOP_SNAPPY"),
];
const ENCRYPTIONS: &[&str] = &["UNENCRYPTED", "AWS_OWNED", "CUSTOMER_MANAGED"];

fn one_of(what: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let mut msg = format!("unknown {what} {value:?}; allowed values are {}", allowed.join(", "));
    // Values are case-sensitive; a near miss gets a pointer to the exact spelling.
    if let Some(hit) = allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        msg.push_str(&format!(" (did you mean {hit:?}?)"));
    }
    Err(msg)
}

/// `compression`: UNCOMPRESSED | GZIP | ZIP | SNAPPY | HADOOP_SNAPPY.
pub fn compression(value: &str) -> Result<(), String> {
    let allowed: Vec<&str> = COMPRESSIONS.iter().map(|(hcl, _)| *hcl).collect();
    one_of("compression", value, &allowed)
}

/// The Firehose `CompressionFormat` for an HCL `compression` value; `None` if the value is
/// not one [`compression`] accepts.
pub fn compression_api_value(hcl: &str) -> Option<&'static str> {
    COMPRESSIONS.iter().find(|(h, _)| *h == hcl).map(|(_, api)| *api)
}

/// The HCL `compression` value for a Firehose `CompressionFormat`; `None` for a format this
/// provider does not model, so the caller can report it instead of guessing.
pub fn compression_from_api(api: &str) -> Option<&'static str> {
    COMPRESSIONS.iter().find(|(_, a)| *a == api).map(|(hcl, _)| *hcl)
}

/// Stream `encryption`: UNENCRYPTED | AWS_OWNED | CUSTOMER_MANAGED.
pub fn encryption(value: &str) -> Result<(), String> {
    one_of("encryption", value, ENCRYPTIONS)
}

/// `s3_backup.mode`: only ALL is possible for an S3 destination.
pub fn backup_mode(value: &str) -> Result<(), String> {
    match value {
        "ALL" => Ok(()),
        "FAILED" => {
            Err("S3 destinations do not support BackupMode.FAILED; the only mode for an S3 destination is \"ALL\""
                .to_string())
        }
        other => {
            one_of("mode", other, &["ALL"]).map_err(|e| format!("{e} (FAILED is not supported for S3 destinations)"))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tags

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

// ---------------------------------------------------------------------------------------
// Cross-field rules

/// Stream SSE settings versus the source: a Kinesis data stream source cannot be combined
/// with delivery stream SSE, and a key only makes sense with CUSTOMER_MANAGED.
pub fn stream_encryption(
    source_is_kinesis: bool,
    encryption_value: Option<&str>,
    key_given: bool,
) -> Result<(), String> {
    if let Some(e) = encryption_value {
        encryption(e)?;
        if key_given && (e == "AWS_OWNED" || e == "UNENCRYPTED") {
            return Err(format!(
                "Specified stream encryption as {e} but provided a customer-managed key; set encryption = \"CUSTOMER_MANAGED\" or remove encryption_key_arn"
            ));
        }
    }
    let requests_sse = matches!(encryption_value, Some("AWS_OWNED" | "CUSTOMER_MANAGED")) || key_given;
    if source_is_kinesis && requests_sse {
        return Err(
            "Requested server-side encryption but delivery stream source is a Kinesis data stream. Specify server-side encryption on the data stream instead."
                .to_string(),
        );
    }
    Ok(())
}

/// A log group can only be given when logging is on.
pub fn logging(logging: bool, log_group_given: bool) -> Result<(), String> {
    if !logging && log_group_given {
        Err("logging cannot be set to false when logGroup is provided; remove log_group_name or set logging = true"
            .to_string())
    } else {
        Ok(())
    }
}

/// Exactly one `destination` block.
pub fn destination_count(n: usize) -> Result<(), String> {
    match n {
        1 => Ok(()),
        0 => Err(
            "Only one destination is allowed per delivery stream, given 0; exactly one destination block is required"
                .to_string(),
        ),
        n => Err(format!("Only one destination is allowed per delivery stream, given {n}")),
    }
}

// ---------------------------------------------------------------------------------------
// S3 prefixes

/// One `!{namespace:value}` expression of an S3 prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `!{timestamp:PATTERN}` with a valid DateTimeFormatter pattern.
    Timestamp(String),
    /// `!{firehose:random-string}`.
    RandomString,
    /// `!{firehose:error-output-type}`.
    ErrorOutputType,
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Timestamp(p) => write!(f, "!{{timestamp:{p}}}"),
            Expr::RandomString => f.write_str("!{firehose:random-string}"),
            Expr::ErrorOutputType => f.write_str(ERROR_OUTPUT_TYPE),
        }
    }
}

/// A prefix split into its expressions and the literal text between them.
struct Parsed {
    exprs: Vec<Expr>,
    literal_chars: usize,
}

fn malformed(found: &str, why: &str) -> String {
    format!(
        "The expression must be of the form !{{namespace:value}} with namespace \"timestamp\" or \"firehose\"; {found:?} {why}"
    )
}

fn parse_prefix(prefix: &str) -> Result<Parsed, String> {
    let mut exprs = Vec::new();
    let mut literal_chars = 0;
    let mut rest = prefix;
    // Firehose only gives meaning to "!{"; lone '!', '{' and '}' are literal text.
    while let Some(start) = rest.find("!{") {
        literal_chars += rest[..start].chars().count();
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            let shown: String = rest[start..].chars().take(40).collect();
            return Err(malformed(&shown, "is not closed with '}'"));
        };
        let body = &after[..end];
        let text = &rest[start..start + 2 + end + 1];
        if body.contains('{') {
            return Err(malformed(text, "contains '{' inside the expression"));
        }
        let Some((namespace, value)) = body.split_once(':') else {
            return Err(malformed(text, "has no ':' between namespace and value"));
        };
        if value.is_empty() {
            return Err(malformed(text, "has an empty value"));
        }
        exprs.push(match namespace {
            "timestamp" => {
                timestamp_pattern(value).map_err(|why| {
                    format!("{text} is not a valid Java DateTimeFormatter pattern: {why}")
                })?;
                Expr::Timestamp(value.to_string())
            }
            "firehose" => match value {
                "random-string" => Expr::RandomString,
                "error-output-type" => Expr::ErrorOutputType,
                _ => {
                    return Err(format!(
                        "{text} is not a valid expression: the firehose namespace accepts only random-string and error-output-type"
                    ))
                }
            },
            "partitionKeyFromQuery" | "partitionKeyFromLambda" => {
                return Err(malformed(
                    text,
                    "uses a dynamic partitioning namespace, which firehose_delivery_stream does not configure",
                ))
            }
            other => {
                return Err(malformed(
                    text,
                    &format!("has unknown namespace {other:?}"),
                ))
            }
        });
        rest = &after[end + 1..];
    }
    literal_chars += rest.chars().count();
    Ok(Parsed { exprs, literal_chars })
}

/// Every `!{namespace:value}` expression of a prefix, in order, after checking each one.
pub fn prefix_expressions(prefix: &str) -> Result<Vec<Expr>, String> {
    parse_prefix(prefix).map(|p| p.exprs)
}

/// The checks shared by both prefix kinds; `what` names the prefix in messages.
fn common_prefix(prefix: &str, what: &str) -> Result<Parsed, String> {
    let len = prefix.chars().count();
    if len > MAX_PREFIX_LEN {
        return Err(format!("{what} must be at most {MAX_PREFIX_LEN} characters long, given {len} characters"));
    }
    let parsed = parse_prefix(prefix)?;
    // Timestamps and error types vary in length, so only a lower bound is knowable here:
    // literal text plus the fixed-width random strings.
    let random = parsed.exprs.iter().filter(|e| **e == Expr::RandomString).count();
    let minimum = parsed.literal_chars + random * RANDOM_STRING_LEN;
    if minimum > MAX_EVALUATED_PREFIX_LEN {
        return Err(format!(
            "{what} must evaluate to at most {MAX_EVALUATED_PREFIX_LEN} characters, but evaluates to at least {minimum}"
        ));
    }
    Ok(parsed)
}

/// `data_output_prefix` rules. `error_prefix` is the sibling `error_output_prefix`
/// (an empty string counts as not given, as it does for Firehose).
pub fn data_output_prefix(prefix: &str, error_prefix: Option<&str>) -> Result<(), String> {
    let parsed = common_prefix(prefix, "dataOutputPrefix")?;
    if parsed.exprs.contains(&Expr::ErrorOutputType) {
        return Err(format!(
            "The dataOutputPrefix cannot contain {ERROR_OUTPUT_TYPE}; it is only evaluated for failed records, in error_output_prefix"
        ));
    }
    if !parsed.exprs.is_empty() && error_prefix.unwrap_or("").is_empty() {
        return Err(
            "Specify the errorOutputPrefix in order to use expressions in the dataOutputPrefix (set error_output_prefix)"
                .to_string(),
        );
    }
    Ok(())
}

/// `error_output_prefix` rules.
pub fn error_output_prefix(prefix: &str) -> Result<(), String> {
    let parsed = common_prefix(prefix, "errorOutputPrefix")?;
    if !parsed.exprs.is_empty() && !parsed.exprs.contains(&Expr::ErrorOutputType) {
        return Err(format!(
            "The errorOutputPrefix expression must include at least one instance of {ERROR_OUTPUT_TYPE}, given {prefix:?}"
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// java.time.format.DateTimeFormatter patterns

/// Validates a pattern the way `DateTimeFormatterBuilder.appendPattern` does in Java 8
/// (the version the Firehose documentation links to):
///
/// * ASCII letters are pattern letters; a run of the same letter is one field and the
///   run length must be one Java accepts for that letter (table in `letter_counts`).
///   Letters Java 8 does not define (`b`, `f`, `g`, `i`, `j`, `l`, `o`, `r`, `t`, `v`,
///   `B`, `C`, `I`, `J`, `P`, `R`, `T`, `U`) are errors, as are Java 9+ additions.
/// * `p` pads the field that follows it, so it must be followed directly by a letter.
/// * `'` starts quoted text that must be closed; `''` is a literal quote, in and out of
///   quotes.
/// * `[` / `]` delimit optional sections. A `]` without an open `[` is an error; an
///   unclosed `[` is not, because Java closes open sections when building the formatter.
/// * `{`, `}` and `#` are reserved and rejected.
/// * Everything else is literal text.
pub fn timestamp_pattern(pattern: &str) -> Result<(), String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let run = |from: usize| {
                let mut to = from;
                while to < chars.len() && chars[to] == chars[from] {
                    to += 1;
                }
                to
            };
            let mut end = run(i);
            let (mut letter, mut count) = (c, end - i);
            if c == 'p' {
                if end >= chars.len() || !chars[end].is_ascii_alphabetic() {
                    return Err("pad letter 'p' must be followed directly by a pattern letter".to_string());
                }
                let start = end;
                end = run(start);
                letter = chars[start];
                count = end - start;
            }
            letter_count(letter, count)?;
            i = end;
            continue;
        }
        match c {
            '\'' => {
                i += 1;
                loop {
                    if i >= chars.len() {
                        return Err("quoted text is not closed with '".to_string());
                    }
                    if chars[i] == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            '[' => depth += 1,
            ']' => {
                if depth == 0 {
                    return Err("']' without a preceding '['".to_string());
                }
                depth -= 1;
            }
            '{' | '}' | '#' => {
                return Err(format!("{c:?} is a reserved character"));
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Run lengths Java 8 accepts per letter. Where Java only fails when formatting (e.g. a
/// `Y` run wider than a long can print) the cap is the 19 digits every other numeric
/// field is limited to.
fn letter_count(letter: char, count: usize) -> Result<(), String> {
    let ok = match letter {
        'G' => (1..=5).contains(&count),
        'u' | 'y' | 'Y' | 'A' | 'n' | 'N' => (1..=19).contains(&count),
        'M' | 'L' | 'Q' | 'q' | 'E' | 'e' => (1..=5).contains(&count),
        'c' => matches!(count, 1 | 3 | 4 | 5),
        'D' => (1..=3).contains(&count),
        'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' | 'w' => (1..=2).contains(&count),
        'F' | 'a' | 'W' => count == 1,
        'S' => (1..=9).contains(&count),
        'V' => count == 2,
        'z' => (1..=4).contains(&count),
        'O' => matches!(count, 1 | 4),
        'X' | 'x' | 'Z' => (1..=5).contains(&count),
        _ => {
            return Err(format!(
                "unknown pattern letter {letter:?}; letters are reserved for pattern fields, so quote literal text, as in '{letter}'"
            ))
        }
    };
    if ok {
        Ok(())
    } else {
        let allowed = match letter {
            'c' => "1, 3, 4 or 5",
            'O' => "1 or 4",
            'V' => "exactly 2",
            'F' | 'a' | 'W' => "exactly 1",
            'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' | 'w' => "1 or 2",
            'D' => "1 to 3",
            'z' => "1 to 4",
            'S' => "1 to 9",
            'u' | 'y' | 'Y' | 'A' | 'n' | 'N' => "1 to 19",
            _ => "1 to 5",
        };
        Err(format!("{count} consecutive {letter:?} letters; Java allows {allowed}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: Result<(), String>) -> String {
        r.expect_err("expected an error")
    }

    // --- scalars ---------------------------------------------------------------------

    #[test]
    fn stream_names() {
        for ok in ["a", "my-stream_1.v2", &"x".repeat(64)] {
            stream_name(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        let e = err(stream_name(""));
        assert!(e.contains("1 to 64") && e.contains("\"\""), "{e}");
        let e = err(stream_name(&"x".repeat(65)));
        assert!(e.contains("65 characters"), "{e}");
        let e = err(stream_name("my stream"));
        assert!(e.contains("' '") && e.contains("\"my stream\""), "{e}");
        assert!(stream_name("a/b").is_err());
        assert!(stream_name("ünï").is_err());
    }

    #[test]
    fn buffering_ranges() {
        for ok in [0, 1, 300, 900] {
            buffering_interval(ok).unwrap();
        }
        assert_eq!(err(buffering_interval(901)), "Buffering interval must be between 0 and 900 seconds, given 901");
        assert!(err(buffering_interval(-1)).ends_with("given -1"));

        for ok in [1, 5, 128] {
            buffering_size(ok).unwrap();
        }
        assert_eq!(err(buffering_size(0)), "Buffering size must be between 1 and 128 MiBs, given 0");
        assert!(err(buffering_size(129)).contains("given 129"));
    }

    #[test]
    fn processor_ranges() {
        processor_buffer_interval(0).unwrap();
        processor_buffer_interval(900).unwrap();
        let e = err(processor_buffer_interval(901));
        assert!(e.contains("buffer_interval") && e.contains("0 and 900") && e.contains("901"), "{e}");

        for ok in [0.2, 1.0, 2.5, 3.0] {
            processor_buffer_size(ok).unwrap();
        }
        let e = err(processor_buffer_size(0.1));
        assert!(e.contains("buffer_size") && e.contains("0.2 and 3") && e.contains("given 0.1"), "{e}");
        assert!(err(processor_buffer_size(3.5)).contains("given 3.5"));
        assert!(processor_buffer_size(f64::NAN).is_err());
        assert!(processor_buffer_size(f64::INFINITY).is_err());

        processor_retries(0).unwrap();
        processor_retries(300).unwrap();
        let e = err(processor_retries(301));
        assert!(e.contains("retries") && e.contains("0 and 300") && e.contains("301"), "{e}");
        assert!(err(processor_retries(-3)).contains("-3"));
    }

    // --- enumerations ----------------------------------------------------------------

    #[test]
    fn compression_values_and_api_mapping() {
        for ok in ["UNCOMPRESSED", "GZIP", "ZIP", "SNAPPY", "HADOOP_SNAPPY"] {
            compression(ok).unwrap();
            let api = compression_api_value(ok).unwrap();
            assert_eq!(compression_from_api(api), Some(ok));
        }
        assert_eq!(compression_api_value("SNAPPY"), Some("Snappy"));
        assert_eq!(compression_api_value("GZIP"), Some("GZIP"));
        assert_eq!(compression_api_value("Snappy"), None);
        assert_eq!(compression_from_api("Snappy"), Some("SNAPPY"));
        assert_eq!(compression_from_api("SNAPPY"), None);
        assert_eq!(compression_from_api("BROTLI"), None);

        let e = err(compression("BZIP2"));
        assert!(e.contains("\"BZIP2\"") && e.contains("UNCOMPRESSED, GZIP, ZIP, SNAPPY, HADOOP_SNAPPY"), "{e}");
        assert!(err(compression("Snappy")).contains("did you mean \"SNAPPY\"?"));
        assert!(err(compression("gzip")).contains("did you mean \"GZIP\"?"));
    }

    #[test]
    fn encryption_values() {
        for ok in ENCRYPTIONS {
            encryption(ok).unwrap();
        }
        let e = err(encryption("KMS"));
        assert!(e.contains("\"KMS\"") && e.contains("UNENCRYPTED, AWS_OWNED, CUSTOMER_MANAGED"), "{e}");
    }

    #[test]
    fn backup_modes() {
        backup_mode("ALL").unwrap();
        assert!(err(backup_mode("FAILED")).contains("S3 destinations do not support BackupMode.FAILED"));
        let e = err(backup_mode("SOME"));
        assert!(e.contains("\"SOME\"") && e.contains("allowed values are ALL"), "{e}");
        assert!(err(backup_mode("all")).contains("did you mean \"ALL\"?"));
    }

    // --- tags ------------------------------------------------------------------------

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn tag_rules() {
        tags(&BTreeMap::new()).unwrap();
        tags(&map(&[
            ("app", "events"),
            ("team name", "Data Platform"),
            ("cost-center/id", "a.b:c=d+e@f%g_h"),
            ("empty", ""),
            ("Ünïcode", "数据"),
        ]))
        .unwrap();

        let fifty: BTreeMap<_, _> = (0..50).map(|i| (format!("k{i}"), "v".into())).collect();
        tags(&fifty).unwrap();
        let mut fifty_one = fifty.clone();
        fifty_one.insert("one-more".into(), "v".into());
        let e = err(tags(&fifty_one));
        assert!(e.contains("at most 50") && e.contains("given 51"), "{e}");

        for key in ["aws:foo", "AWS:foo", "Aws:bar"] {
            let e = err(tags(&map(&[(key, "v")])));
            assert!(e.contains("must not start with \"aws:\"") && e.contains(key), "{e}");
        }
        // Only the exact prefix is reserved.
        tags(&map(&[("awsome", "v"), ("my-aws:key", "v")])).unwrap();

        assert!(err(tags(&map(&[("", "v")]))).contains("1 to 128"));
        tags(&map(&[(&"k".repeat(128), "v")])).unwrap();
        assert!(err(tags(&map(&[(&"k".repeat(129), "v")]))).contains("1 to 128"));
        tags(&map(&[("k", &"v".repeat(256))])).unwrap();
        let e = err(tags(&map(&[("k", &"v".repeat(257))])));
        assert!(e.contains("256") && e.contains("\"k\""), "{e}");

        assert!(err(tags(&map(&[("a*b", "v")]))).contains("'*'"));
        assert!(err(tags(&map(&[("k", "line\nbreak")]))).contains("'\\n'"));
        assert!(err(tags(&map(&[("k", "a#b")]))).contains("'#'"));
    }

    // --- cross-field rules -----------------------------------------------------------

    #[test]
    fn stream_encryption_rules() {
        stream_encryption(false, None, false).unwrap();
        stream_encryption(false, None, true).unwrap();
        stream_encryption(false, Some("CUSTOMER_MANAGED"), true).unwrap();
        stream_encryption(false, Some("CUSTOMER_MANAGED"), false).unwrap();
        stream_encryption(false, Some("AWS_OWNED"), false).unwrap();
        stream_encryption(true, None, false).unwrap();
        stream_encryption(true, Some("UNENCRYPTED"), false).unwrap();

        for (enc, key) in [
            (Some("AWS_OWNED"), false),
            (Some("CUSTOMER_MANAGED"), false),
            (Some("CUSTOMER_MANAGED"), true),
            (None, true),
        ] {
            let e = err(stream_encryption(true, enc, key));
            assert!(
                e.contains("Requested server-side encryption but delivery stream source is a Kinesis data stream"),
                "{enc:?} {key}: {e}"
            );
        }

        let e = err(stream_encryption(false, Some("AWS_OWNED"), true));
        assert!(e.contains("Specified stream encryption as AWS_OWNED but provided a customer-managed key"), "{e}");
        let e = err(stream_encryption(true, Some("UNENCRYPTED"), true));
        assert!(e.contains("Specified stream encryption as UNENCRYPTED but provided a customer-managed key"), "{e}");
        assert!(err(stream_encryption(false, Some("SSE"), false)).contains("allowed values"));
    }

    #[test]
    fn logging_rule() {
        logging(true, true).unwrap();
        logging(true, false).unwrap();
        logging(false, false).unwrap();
        assert!(err(logging(false, true)).contains("logging cannot be set to false when logGroup is provided"));
    }

    #[test]
    fn destination_counts() {
        destination_count(1).unwrap();
        assert_eq!(err(destination_count(2)), "Only one destination is allowed per delivery stream, given 2");
        assert!(err(destination_count(0)).starts_with("Only one destination is allowed per delivery stream, given 0"));
    }

    // --- prefixes --------------------------------------------------------------------

    const FORM: &str = "The expression must be of the form !{namespace:value}";

    #[test]
    fn expressions_are_extracted_in_order() {
        assert_eq!(prefix_expressions("").unwrap(), vec![]);
        assert_eq!(prefix_expressions("plain/prefix/").unwrap(), vec![]);
        assert_eq!(
            prefix_expressions("a/!{timestamp:yyyy}/!{firehose:random-string}/!{firehose:error-output-type}/").unwrap(),
            vec![Expr::Timestamp("yyyy".into()), Expr::RandomString, Expr::ErrorOutputType]
        );
        // The AWS documentation examples.
        for ok in [
            "myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}",
            "myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}",
            "myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
            "myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}",
            "dt=!{timestamp:yyyy'-'MM'-'dd}/h=!{timestamp:HH}/",
        ] {
            prefix_expressions(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        // '!' and braces outside "!{" are literal.
        assert_eq!(prefix_expressions("wow!/{x}/!").unwrap(), vec![]);
        assert_eq!(Expr::Timestamp("yyyy/MM".into()).to_string(), "!{timestamp:yyyy/MM}");
        assert_eq!(Expr::RandomString.to_string(), "!{firehose:random-string}");
        assert_eq!(Expr::ErrorOutputType.to_string(), "!{firehose:error-output-type}");
    }

    #[test]
    fn malformed_expressions() {
        for (bad, why) in [
            ("!{", "not closed"),
            ("a/!{timestamp:yyyy", "not closed"),
            ("!{firehose}", "no ':'"),
            ("!{timestamp:}", "empty value"),
            ("!{blah:blah}", "unknown namespace \"blah\""),
            ("!{Timestamp:yyyy}", "unknown namespace"),
            ("!{ timestamp:yyyy}", "unknown namespace"),
            ("!{:yyyy}", "unknown namespace \"\""),
            ("!{timestamp:!{timestamp:yyyy}}", "'{'"),
            ("!{partitionKeyFromQuery:id}", "dynamic partitioning"),
            ("!{partitionKeyFromLambda:id}", "dynamic partitioning"),
        ] {
            let e = prefix_expressions(bad).unwrap_err();
            assert!(e.starts_with(FORM), "{bad}: {e}");
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn firehose_namespace_values() {
        let e = prefix_expressions("x/!{firehose:random}/").unwrap_err();
        assert!(
            e.contains("!{firehose:random}") && e.contains("random-string") && e.contains("error-output-type"),
            "{e}"
        );
        assert!(prefix_expressions("!{firehose:Random-String}").is_err());
    }

    #[test]
    fn timestamp_expressions_report_the_expression() {
        let e = prefix_expressions("x/!{timestamp:MMMMMM}/").unwrap_err();
        assert!(e.contains("!{timestamp:MMMMMM}") && e.contains("Java DateTimeFormatter") && e.contains("'M'"), "{e}");
        let e = prefix_expressions("!{timestamp:yyyy-bb}").unwrap_err();
        assert!(e.contains("unknown pattern letter 'b'"), "{e}");
    }

    #[test]
    fn data_prefix_rules() {
        data_output_prefix("", None).unwrap();
        data_output_prefix("events/", None).unwrap();
        data_output_prefix("events/!{timestamp:yyyy/MM/dd}/", Some("errors/")).unwrap();
        data_output_prefix("events/!{firehose:random-string}/", Some("e/!{firehose:error-output-type}/")).unwrap();

        for error_prefix in [None, Some("")] {
            let e = err(data_output_prefix("!{timestamp:yyyy}/", error_prefix));
            assert!(
                e.contains("Specify the errorOutputPrefix in order to use expressions in the dataOutputPrefix"),
                "{e}"
            );
        }
        let e = err(data_output_prefix("!{firehose:error-output-type}/", Some("ERROR/")));
        assert!(e.contains("dataOutputPrefix cannot contain !{firehose:error-output-type}"), "{e}");
        let e = err(data_output_prefix("!{blah:blah}", Some("e/")));
        assert!(e.starts_with(FORM), "{e}");
    }

    #[test]
    fn error_prefix_rules() {
        error_output_prefix("").unwrap();
        error_output_prefix("errors/").unwrap();
        error_output_prefix("errors/!{firehose:error-output-type}/").unwrap();
        error_output_prefix("e/!{firehose:error-output-type}/!{timestamp:yyyy}/").unwrap();
        let e = err(error_output_prefix("!{timestamp:YYYY}/"));
        assert!(e.contains("must include at least one instance of !{firehose:error-output-type}"), "{e}");
        assert!(err(error_output_prefix("e/!{firehose:random-string}/"))
            .contains("must include at least one instance of !{firehose:error-output-type}"));
        assert!(err(error_output_prefix("!{firehose:error}")).contains("!{firehose:error}"));
    }

    #[test]
    fn prefix_length_limits() {
        let long = "a".repeat(1025);
        let e = err(data_output_prefix(&long, None));
        assert!(e.contains("1024") && e.contains("1025"), "{e}");
        assert!(err(error_output_prefix(&long)).contains("1024"));

        // Within the API limit but certain to evaluate past 512 characters.
        let e = err(data_output_prefix(&"a".repeat(513), None));
        assert!(e.contains("512") && e.contains("513"), "{e}");
        data_output_prefix(&"a".repeat(512), None).unwrap();
        // Each random string evaluates to 11 characters: 500 + 2 * 11 = 522.
        let randoms = format!("{}{}", "a".repeat(500), "!{firehose:random-string}".repeat(2));
        let e = err(data_output_prefix(&randoms, Some("e/")));
        assert!(e.contains("at least 522"), "{e}");
        let one = format!("{}!{{firehose:random-string}}", "a".repeat(501));
        data_output_prefix(&one, Some("e/")).unwrap();
        // Expressions of unknown width are not counted against the limit.
        let ts = format!("{}!{{timestamp:yyyy}}", "a".repeat(500));
        data_output_prefix(&ts, Some("e/")).unwrap();
    }

    // --- DateTimeFormatter -----------------------------------------------------------

    #[test]
    fn valid_java_patterns() {
        for ok in [
            "yyyy",
            "yyyy/MM/dd/HH",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
            "uuuu-MM-dd",
            "'year='yyyy'/month='MM",
            "''",
            "'it''s' yyyy",
            "''''",
            "[yyyy][-MM]",
            "[yyyy[-MM]]",
            "[yyyy",
            "G GGGG GGGGG",
            "MMMMM LLLLL QQQQQ qqqqq EEEEE eeeee",
            "c ccc cccc ccccc",
            "D DD DDD",
            "d dd h hh H HH k kk K KK m mm s ss",
            "F a W w ww",
            "S SSSSSSSSS",
            "A AAAAAAAAAAAAAAAAAA n N",
            "YYYY Y",
            "VV z zzzz O OOOO",
            "X XXXXX x xxxxx Z ZZZZZ",
            "ppH",
            "pHH",
            "yyyy_MM-dd=HH",
            "123 / - =",
            "ÄÖÜ",
        ] {
            timestamp_pattern(ok).unwrap_or_else(|e| panic!("{ok:?}: {e}"));
        }
    }

    #[test]
    fn invalid_java_patterns() {
        for (bad, why) in [
            ("MMMMMM", "6 consecutive 'M'"),
            ("LLLLLL", "'L'"),
            ("EEEEEE", "'E'"),
            ("ddd", "1 or 2"),
            ("HHH", "'H'"),
            ("mmm", "'m'"),
            ("sss", "'s'"),
            ("DDDD", "1 to 3"),
            ("SSSSSSSSSS", "1 to 9"),
            ("GGGGGG", "'G'"),
            ("aa", "exactly 1"),
            ("FF", "exactly 1"),
            ("WW", "exactly 1"),
            ("www", "1 or 2"),
            ("cc", "1, 3, 4 or 5"),
            ("V", "exactly 2"),
            ("VVV", "exactly 2"),
            ("zzzzz", "1 to 4"),
            ("OO", "1 or 4"),
            ("XXXXXX", "'X'"),
            ("xxxxxx", "'x'"),
            ("ZZZZZZ", "'Z'"),
            ("yyyyyyyyyyyyyyyyyyyy", "1 to 19"),
            ("b", "unknown pattern letter 'b'"),
            ("T", "unknown pattern letter 'T'"),
            ("yyyy-MM-ddTHH", "unknown pattern letter 'T'"),
            ("v", "unknown pattern letter 'v'"),
            ("B", "unknown pattern letter 'B'"),
            ("p", "pad letter"),
            ("p-", "pad letter"),
            ("pppb", "unknown pattern letter 'b'"),
            ("pMMMMMM", "'M'"),
            ("'abc", "not closed"),
            ("yyyy'", "not closed"),
            ("'''", "not closed"),
            ("]", "without a preceding '['"),
            ("[yyyy]]", "without a preceding '['"),
            ("#", "reserved"),
            ("yyyy{", "reserved"),
            ("}", "reserved"),
        ] {
            let e = timestamp_pattern(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        // Reserved characters and letters are fine inside quotes.
        timestamp_pattern("'#{T}b'").unwrap();
    }
}
