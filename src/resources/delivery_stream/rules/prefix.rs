//! S3 prefix rules: `!{namespace:value}` expressions, their combinations,
//! lengths, and Java `DateTimeFormatter` patterns ("Custom Prefixes for
//! Amazon S3 Objects", section "Semantic rules").

use std::fmt;

use super::{MAX_EVALUATED_PREFIX_LEN, MAX_PREFIX_LEN};

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
