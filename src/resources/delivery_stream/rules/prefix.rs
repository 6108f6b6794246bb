//! S3 prefix rules: `!{namespace:value}` expressions, their combinations,
//! lengths, and Java `DateTimeFormatter` patterns ("Custom Prefixes for
//! Amazon S3 Objects", section "Semantic rules").

use std::fmt;

use super::timestamp::timestamp_pattern;

/// Maximum length of `Prefix` / `ErrorOutputPrefix` as sent to the API.
pub const MAX_PREFIX_LEN: usize = 1024;
/// Maximum length of a prefix after Firehose has evaluated its expressions.
pub const MAX_EVALUATED_PREFIX_LEN: usize = 512;

/// Length of what `!{firehose:random-string}` evaluates to.
const RANDOM_STRING_LEN: usize = 11;
const ERROR_OUTPUT_TYPE: &str = "!{firehose:error-output-type}";

/// One `!{namespace:value}` expression of an S3 prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `!{timestamp:PATTERN}` with a valid DateTimeFormatter pattern.
    Timestamp(String),
    /// `!{firehose:random-string}`.
    RandomString,
    /// `!{firehose:error-output-type}`.
    ErrorOutputType,
    /// `!{partitionKeyFromQuery:key}` or, with `lambda`, `!{partitionKeyFromLambda:key}`.
    PartitionKey { lambda: bool, key: String },
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Timestamp(p) => write!(f, "!{{timestamp:{p}}}"),
            Expr::RandomString => f.write_str("!{firehose:random-string}"),
            Expr::ErrorOutputType => f.write_str(ERROR_OUTPUT_TYPE),
            Expr::PartitionKey { lambda: false, key } => write!(f, "!{{partitionKeyFromQuery:{key}}}"),
            Expr::PartitionKey { lambda: true, key } => write!(f, "!{{partitionKeyFromLambda:{key}}}"),
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
        "The expression must be of the form !{{namespace:value}} with namespace \"timestamp\", \"firehose\", \"partitionKeyFromQuery\" or \"partitionKeyFromLambda\"; {found:?} {why}"
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
                Expr::PartitionKey { lambda: namespace == "partitionKeyFromLambda", key: value.to_string() }
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
    if let Some(k) = parsed.exprs.iter().find(|e| matches!(e, Expr::PartitionKey { .. })) {
        return Err(format!(
            "The errorOutputPrefix cannot use partition keys ({k}): failed records have none; use them in data_output_prefix"
        ));
    }
    if !parsed.exprs.is_empty() && !parsed.exprs.contains(&Expr::ErrorOutputType) {
        return Err(format!(
            "The errorOutputPrefix expression must include at least one instance of {ERROR_OUTPUT_TYPE}, given {prefix:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: Result<(), String>) -> String {
        r.expect_err("expected an error")
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
        ] {
            let e = prefix_expressions(bad).unwrap_err();
            assert!(e.starts_with(FORM), "{bad}: {e}");
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn partition_keys_parse_and_stay_out_of_error_prefixes() {
        assert_eq!(
            prefix_expressions("!{partitionKeyFromQuery:id}/!{partitionKeyFromLambda:day}/").unwrap(),
            [
                Expr::PartitionKey { lambda: false, key: "id".into() },
                Expr::PartitionKey { lambda: true, key: "day".into() }
            ]
        );
        let e = error_output_prefix("e/!{firehose:error-output-type}/!{partitionKeyFromQuery:id}/").unwrap_err();
        assert!(e.contains("cannot use partition keys"), "{e}");
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
}
