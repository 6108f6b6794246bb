//! Value rules for `firehose_delivery_stream` (docs/resources/delivery_stream.md,
//! "Plan-time validation"), as pure functions.
//!
//! Each returns a user-facing message that states the rule and the offending value; the
//! plan-time validator attaches the attribute path. Texts the AWS CDK uses for the same
//! rules appear verbatim so users can search for them. S3 prefix rules are in `prefix`.
//!
//! Sources for the limits: the Firehose API reference (BufferingHints, ProcessorParameter,
//! Tag, DeliveryStreamName, Prefix/ErrorOutputPrefix lengths) and the developer guide page
//! "Custom Prefixes for Amazon S3 Objects" (s3-prefixes.html, section "Semantic rules").

use super::enums::{Compression, Sse};

pub use crate::aws::tags::MAX_TAGS;

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

/// CloudWatch Logs accepts only these retention periods.
pub const LOG_RETENTION_DAYS: [i64; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// `log_retention_days`: one of CloudWatch Logs' allowed values.
pub fn log_retention_days(d: i64) -> Result<(), String> {
    if LOG_RETENTION_DAYS.contains(&d) {
        Ok(())
    } else {
        Err(format!(
            "log_retention_days must be one of {LOG_RETENTION_DAYS:?} (CloudWatch Logs' allowed values), given {d}"
        ))
    }
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

pub use crate::framework::validators::one_of_values as one_of;

/// `compression`: UNCOMPRESSED | GZIP | ZIP | SNAPPY | HADOOP_SNAPPY.
pub fn compression(value: &str) -> Result<(), String> {
    one_of("compression", value, &Compression::ALL.map(Compression::hcl))
}

/// Stream `encryption`: UNENCRYPTED | AWS_OWNED | CUSTOMER_MANAGED.
pub fn encryption(value: &str) -> Result<(), String> {
    one_of("encryption", value, &Sse::ALL.map(Sse::hcl))
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
// Tags: the rules every AWS tag follows, shared with the provider's default_tags.

pub use crate::aws::tags::tags;

// ---------------------------------------------------------------------------------------
// Cross-field rules

/// Stream SSE settings versus the source: a source that refuses delivery stream SSE says
/// why (`refusal`), and a key only makes sense with CUSTOMER_MANAGED.
pub fn stream_encryption(refusal: Option<&str>, encryption: Option<Sse>, key_given: bool) -> Result<(), String> {
    if let Some(e @ (Sse::AwsOwned | Sse::Unencrypted)) = encryption.filter(|_| key_given) {
        return Err(format!(
            "Specified stream encryption as {} but provided a customer-managed key; set encryption = \"CUSTOMER_MANAGED\" or remove encryption_key_arn",
            e.hcl()
        ));
    }
    let requests_sse = matches!(encryption, Some(Sse::AwsOwned | Sse::CustomerManaged)) || key_given;
    match refusal {
        Some(why) if requests_sse => Err(why.to_string()),
        _ => Ok(()),
    }
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

mod prefix;
mod timestamp;

pub use prefix::*;
pub use timestamp::timestamp_pattern;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

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
        }
        assert_eq!(Compression::parse("SNAPPY").map(Compression::api), Some("Snappy"));
        assert_eq!(Compression::from_api("SNAPPY"), None);
        assert_eq!(Compression::from_api("BROTLI"), None);

        let e = err(compression("BZIP2"));
        assert!(e.contains("\"BZIP2\"") && e.contains("UNCOMPRESSED, GZIP, ZIP, SNAPPY, HADOOP_SNAPPY"), "{e}");
        assert!(err(compression("Snappy")).contains("did you mean \"SNAPPY\"?"));
        assert!(err(compression("gzip")).contains("did you mean \"GZIP\"?"));
    }

    #[test]
    fn encryption_values() {
        for ok in Sse::ALL {
            encryption(ok.hcl()).unwrap();
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
        // What the Kinesis source gives as its refusal.
        const KINESIS: Option<&str> = Some("Requested server-side encryption but delivery stream source is a Kinesis data stream. Specify server-side encryption on the data stream instead.");
        stream_encryption(None, None, false).unwrap();
        stream_encryption(None, None, true).unwrap();
        stream_encryption(None, Some(Sse::CustomerManaged), true).unwrap();
        stream_encryption(None, Some(Sse::CustomerManaged), false).unwrap();
        stream_encryption(None, Some(Sse::AwsOwned), false).unwrap();
        stream_encryption(KINESIS, None, false).unwrap();
        stream_encryption(KINESIS, Some(Sse::Unencrypted), false).unwrap();

        for (enc, key) in [
            (Some(Sse::AwsOwned), false),
            (Some(Sse::CustomerManaged), false),
            (Some(Sse::CustomerManaged), true),
            (None, true),
        ] {
            let e = err(stream_encryption(KINESIS, enc, key));
            assert!(
                e.contains("Requested server-side encryption but delivery stream source is a Kinesis data stream"),
                "{enc:?} {key}: {e}"
            );
        }

        let e = err(stream_encryption(None, Some(Sse::AwsOwned), true));
        assert!(e.contains("Specified stream encryption as AWS_OWNED but provided a customer-managed key"), "{e}");
        let e = err(stream_encryption(KINESIS, Some(Sse::Unencrypted), true));
        assert!(e.contains("Specified stream encryption as UNENCRYPTED but provided a customer-managed key"), "{e}");
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
}
