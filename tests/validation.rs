//! SPEC §2.3 plan-time validation, end to end: one test per rule (and per
//! variant of a rule), each running real `terraform plan` on a small
//! configuration and checking that it fails with the SPEC's message on a
//! diagnostic that points at the offending line of `main.tf`.

mod support;

use support::{flat, line_of, Tf};

const BUCKET: &str = "arn:aws:s3:::val-data-bucket";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KINESIS: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/source";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:transform";

/// These tests are about the rules on the configuration; the buckets, keys
/// and functions they name do not exist, so the reads before apply are off
/// (tests/preflight.rs checks those).
const HEADER: &str = r#"terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

provider "firehose" {
  preflight = "off"
}
"#;

/// A `firehose_delivery_stream` with `top` lines at the top level of the
/// resource and `s3` lines inside `destination { s3_bucket { ... } }` (after
/// `bucket_arn`, unless `s3` sets `bucket_arn` itself). A generated `name`
/// is added unless `top` sets one. Nested blocks in `s3` must put each brace
/// on its own line or at a line end; lines are re-indented one level.
fn stream(top: &str, s3: &str) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\nresource \"firehose_delivery_stream\" \"s\" {\n");
    if !sets(top, "name") {
        out.push_str(&format!("  name = \"{}\"\n", support::unique("val")));
    }
    out.push_str(&reindent_nested(top, 2));
    out.push_str("  destination {\n    s3_bucket {\n");
    if !sets(s3, "bucket_arn") {
        out.push_str(&format!("      bucket_arn = \"{BUCKET}\"\n"));
    }
    out.push_str(&reindent_nested(s3, 6));
    out.push_str("    }\n  }\n}\n");
    out
}

/// Whether `lines` set attribute `name` outside any nested block.
fn sets(lines: &str, name: &str) -> bool {
    let mut depth = 0usize;
    for l in lines.lines().map(str::trim) {
        if l.starts_with('}') {
            depth = depth.saturating_sub(1);
        }
        if depth == 0 && l.split_whitespace().next() == Some(name) && l.contains('=') {
            return true;
        }
        if l.ends_with('{') {
            depth += 1;
        }
    }
    false
}

/// Re-indents HCL lines, adding two spaces per open brace.
fn reindent_nested(lines: &str, base: usize) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for l in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if l.starts_with('}') {
            depth = depth.saturating_sub(1);
        }
        out.push_str(&" ".repeat(base + 2 * depth));
        out.push_str(l);
        out.push('\n');
        if l.ends_with('{') {
            depth += 1;
        }
    }
    out
}

/// The error diagnostics of a Terraform run (`-no-color`: each starts with
/// `Error: ` at the start of a line and runs to the next diagnostic or the
/// end), each flattened.
fn errors(text: &str) -> Vec<String> {
    let mut diags: Vec<(bool, String)> = Vec::new();
    for l in text.lines() {
        if l.starts_with("Error: ") || l.starts_with("Warning: ") {
            diags.push((l.starts_with("Error: "), String::new()));
        }
        if let Some((_, d)) = diags.last_mut() {
            d.push_str(l);
            d.push('\n');
        }
    }
    diags.into_iter().filter(|(e, _)| *e).map(|(_, d)| flat(&d)).collect()
}

/// Runs `terraform plan` on `main`, requires it to fail with exactly one error
/// that contains every one of `expect` and points at line `line`. Returns the
/// flattened diagnostic.
#[track_caller]
fn plan_fails_at(main: &str, line: usize, expect: &[&str]) -> String {
    let tf = Tf::new(main);
    let out = tf.plan().failed();
    let text = out.all();
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "expected exactly one error diagnostic:\n{text}\n--- main.tf ---\n{main}");
    let diag = &errs[0];
    for e in expect {
        assert!(diag.contains(&flat(e)), "message must contain {e:?}:\n{text}\n--- main.tf ---\n{main}");
    }
    let at = [format!("on main.tf line {line},"), format!("on main.tf line {line}:")];
    assert!(
        at.iter().any(|a| diag.contains(a.as_str())),
        "diagnostic must point at line {line} ({:?}):\n{text}\n--- main.tf ---\n{main}",
        main.lines().nth(line - 1).unwrap_or("")
    );
    diag.clone()
}

/// Like [`plan_fails_at`], pointing at the first line containing `needle`.
#[track_caller]
fn plan_fails(main: &str, needle: &str, expect: &[&str]) -> String {
    plan_fails_at(main, line_of(main, needle), expect)
}

/// The line (1-based) of the `n`th (1-based) line containing `needle`.
fn nth_line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n - 1)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not found {n} times"))
}

// ---------------------------------------------------------------------------------------
// Destinations

#[test]
fn no_destination() {
    let name = support::unique("val");
    let main = format!("{HEADER}\nresource \"firehose_delivery_stream\" \"s\" {{\n  name = \"{name}\"\n}}\n");
    plan_fails(
        &main,
        "resource \"firehose_delivery_stream\"",
        &["Only one destination is allowed per delivery stream, given 0"],
    );
}

#[test]
fn two_destinations() {
    let name = support::unique("val");
    let main = format!(
        r#"{HEADER}
resource "firehose_delivery_stream" "s" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = "{BUCKET}"
    }}
  }}
  destination {{
    s3_bucket {{
      bucket_arn = "arn:aws:s3:::val-other-bucket"
    }}
  }}
}}
"#
    );
    let line = nth_line_of(&main, "destination {", 2);
    plan_fails_at(&main, line, &["Only one destination is allowed per delivery stream, given 2", "given 2"]);
}

// ---------------------------------------------------------------------------------------
// Stream server-side encryption

const SSE_WITH_KINESIS: &str = "Requested server-side encryption but delivery stream source is a Kinesis data stream";

#[test]
fn kinesis_source_with_aws_owned_encryption() {
    let main = stream(&format!("source_stream_arn = \"{KINESIS}\"\nencryption = \"AWS_OWNED\""), "");
    plan_fails(&main, "encryption = \"AWS_OWNED\"", &[SSE_WITH_KINESIS]);
}

#[test]
fn kinesis_source_with_customer_managed_encryption() {
    let main = stream(&format!("source_stream_arn = \"{KINESIS}\"\nencryption = \"CUSTOMER_MANAGED\""), "");
    plan_fails(&main, "encryption = \"CUSTOMER_MANAGED\"", &[SSE_WITH_KINESIS]);
}

#[test]
fn kinesis_source_with_encryption_key() {
    let main = stream(&format!("source_stream_arn = \"{KINESIS}\"\nencryption_key_arn = \"{KEY}\""), "");
    plan_fails(&main, "encryption_key_arn =", &[SSE_WITH_KINESIS]);
}

#[test]
fn aws_owned_encryption_with_key() {
    let main = stream(&format!("encryption = \"AWS_OWNED\"\nencryption_key_arn = \"{KEY}\""), "");
    plan_fails(
        &main,
        "encryption_key_arn =",
        &["Specified stream encryption as AWS_OWNED but provided a customer-managed key"],
    );
}

#[test]
fn unencrypted_with_key() {
    let main = stream(&format!("encryption = \"UNENCRYPTED\"\nencryption_key_arn = \"{KEY}\""), "");
    plan_fails(
        &main,
        "encryption_key_arn =",
        &["Specified stream encryption as UNENCRYPTED but provided a customer-managed key"],
    );
}

// ---------------------------------------------------------------------------------------
// Backup mode and logging

#[test]
fn backup_mode_failed() {
    let main = stream("", "s3_backup {\nmode = \"FAILED\"\n}");
    plan_fails(&main, "mode = \"FAILED\"", &["S3 destinations do not support BackupMode.FAILED"]);
}

const LOGGING: &str = "logging cannot be set to false when logGroup is provided";

#[test]
fn logging_off_with_log_group() {
    let main = stream("", "logging = false\nlog_group_name = \"/val/firehose\"");
    plan_fails(&main, "logging = false", &[LOGGING]);
}

#[test]
fn backup_logging_off_with_log_group() {
    let main = stream("", "s3_backup {\nlogging = false\nlog_group_name = \"/val/backup\"\n}");
    plan_fails(&main, "logging = false", &[LOGGING]);
}

// ---------------------------------------------------------------------------------------
// Buffering

const INTERVAL: &str = "Buffering interval must be between 0 and 900 seconds";
const SIZE: &str = "Buffering size must be between 1 and 128 MiBs";

#[test]
fn buffering_interval_too_high() {
    let main = stream("", "buffering_interval = 901");
    plan_fails(&main, "buffering_interval = 901", &[INTERVAL, "given 901"]);
}

#[test]
fn buffering_interval_too_low() {
    let main = stream("", "buffering_interval = -1");
    plan_fails(&main, "buffering_interval = -1", &[INTERVAL, "given -1"]);
}

#[test]
fn buffering_size_too_low() {
    let main = stream("", "buffering_size = 0");
    plan_fails(&main, "buffering_size = 0", &[SIZE, "given 0"]);
}

#[test]
fn buffering_size_too_high() {
    let main = stream("", "buffering_size = 129");
    plan_fails(&main, "buffering_size = 129", &[SIZE, "given 129"]);
}

#[test]
fn backup_buffering_interval_too_high() {
    let main = stream("", "s3_backup {\nbuffering_interval = 1000\n}");
    plan_fails(&main, "buffering_interval = 1000", &[INTERVAL, "given 1000"]);
}

#[test]
fn backup_buffering_interval_too_low() {
    let main = stream("", "s3_backup {\nbuffering_interval = -5\n}");
    plan_fails(&main, "buffering_interval = -5", &[INTERVAL, "given -5"]);
}

#[test]
fn backup_buffering_size_too_high() {
    let main = stream("", "s3_backup {\nbuffering_size = 200\n}");
    plan_fails(&main, "buffering_size = 200", &[SIZE, "given 200"]);
}

#[test]
fn backup_buffering_size_too_low() {
    let main = stream("", "s3_backup {\nbuffering_size = 0\n}");
    plan_fails(&main, "buffering_size = 0", &[SIZE, "given 0"]);
}

// ---------------------------------------------------------------------------------------
// Lambda processor

fn with_processor(line: &str) -> String {
    stream("", &format!("processor {{\nlambda {{\nfunction_arn = \"{LAMBDA}\"\n{line}\n}}\n}}"))
}

#[test]
fn processor_buffer_interval_too_high() {
    let main = with_processor("buffer_interval = 901");
    plan_fails(&main, "buffer_interval = 901", &["buffer_interval", "between 0 and 900", "given 901"]);
}

#[test]
fn processor_buffer_interval_too_low() {
    let main = with_processor("buffer_interval = -1");
    plan_fails(&main, "buffer_interval = -1", &["buffer_interval", "between 0 and 900", "given -1"]);
}

#[test]
fn processor_buffer_size_too_high() {
    let main = with_processor("buffer_size = 3.5");
    plan_fails(&main, "buffer_size = 3.5", &["buffer_size", "between 0.2 and 3", "given 3.5"]);
}

#[test]
fn processor_buffer_size_too_low() {
    let main = with_processor("buffer_size = 0.1");
    plan_fails(&main, "buffer_size = 0.1", &["buffer_size", "between 0.2 and 3", "given 0.1"]);
}

#[test]
fn processor_retries_too_high() {
    let main = with_processor("retries = 301");
    plan_fails(&main, "retries = 301", &["retries", "between 0 and 300", "given 301"]);
}

#[test]
fn processor_retries_too_low() {
    let main = with_processor("retries = -1");
    plan_fails(&main, "retries = -1", &["retries", "between 0 and 300", "given -1"]);
}

// ---------------------------------------------------------------------------------------
// S3 prefixes

const FORM: &str = "The expression must be of the form !{namespace:value}";
const ERR_PREFIX: &str = "error_output_prefix = \"errors/!{firehose:error-output-type}/\"";

#[test]
fn prefix_expression_not_closed() {
    let main = stream("", &format!("data_output_prefix = \"data/!{{timestamp:yyyy/\"\n{ERR_PREFIX}"));
    plan_fails(&main, "data_output_prefix", &[FORM, "!{timestamp:yyyy/"]);
}

#[test]
fn prefix_expression_without_colon() {
    let main = stream("", &format!("data_output_prefix = \"data/!{{timestamp}}/\"\n{ERR_PREFIX}"));
    plan_fails(&main, "data_output_prefix", &[FORM, "!{timestamp}"]);
}

#[test]
fn prefix_expression_unknown_namespace() {
    let main = stream("", &format!("data_output_prefix = \"data/!{{time:yyyy}}/\"\n{ERR_PREFIX}"));
    plan_fails(&main, "data_output_prefix", &[FORM, "!{time:yyyy}", "\"time\""]);
}

#[test]
fn prefix_expression_unknown_firehose_value() {
    let main = stream("", &format!("data_output_prefix = \"data/!{{firehose:random}}/\"\n{ERR_PREFIX}"));
    plan_fails(&main, "data_output_prefix", &["!{firehose:random}", "random-string", "error-output-type"]);
}

#[test]
fn prefix_expression_invalid_timestamp_pattern() {
    let main = stream("", &format!("data_output_prefix = \"data/!{{timestamp:yyyy-MM-ddTHH}}/\"\n{ERR_PREFIX}"));
    plan_fails(
        &main,
        "data_output_prefix",
        &["!{timestamp:yyyy-MM-ddTHH}", "not a valid Java DateTimeFormatter pattern", "'T'"],
    );
}

#[test]
fn prefix_expression_invalid_in_error_prefix() {
    let main = stream("", "error_output_prefix = \"errors/!{firehose:error-output-type}/!{foo:bar}/\"");
    plan_fails(&main, "error_output_prefix", &[FORM, "!{foo:bar}"]);
}

#[test]
fn data_prefix_expressions_without_error_prefix() {
    let main = stream("", "data_output_prefix = \"data/!{timestamp:yyyy}/\"");
    plan_fails(
        &main,
        "data_output_prefix",
        &["Specify the errorOutputPrefix in order to use expressions in the dataOutputPrefix"],
    );
}

#[test]
fn error_prefix_without_error_output_type() {
    let main = stream("", "error_output_prefix = \"errors/!{timestamp:yyyy}/\"");
    plan_fails(&main, "error_output_prefix", &["must include at least one instance of !{firehose:error-output-type}"]);
}

#[test]
fn data_prefix_with_error_output_type() {
    let main = stream("", &format!("data_output_prefix = \"data/!{{firehose:error-output-type}}/\"\n{ERR_PREFIX}"));
    plan_fails(&main, "data_output_prefix", &["dataOutputPrefix cannot contain !{firehose:error-output-type}"]);
}

#[test]
fn data_prefix_too_long() {
    let main = stream("", &format!("data_output_prefix = \"{}\"", "a".repeat(1025)));
    plan_fails(&main, "data_output_prefix", &["1024", "1025"]);
}

#[test]
fn error_prefix_too_long() {
    let main = stream("", &format!("error_output_prefix = \"{}\"", "e".repeat(1100)));
    plan_fails(&main, "error_output_prefix", &["1024", "1100"]);
}

#[test]
fn backup_prefix_invalid_expression() {
    let main = stream(
        "",
        "s3_backup {\ndata_output_prefix = \"backup/!{nope:x}/\"\nerror_output_prefix = \"backup-errors/!{firehose:error-output-type}/\"\n}",
    );
    plan_fails(&main, "data_output_prefix", &[FORM, "!{nope:x}"]);
}

#[test]
fn backup_data_prefix_expressions_without_error_prefix() {
    let main = stream("", "s3_backup {\ndata_output_prefix = \"backup/!{timestamp:yyyy}/\"\n}");
    plan_fails(
        &main,
        "data_output_prefix",
        &["Specify the errorOutputPrefix in order to use expressions in the dataOutputPrefix"],
    );
}

#[test]
fn backup_error_prefix_without_error_output_type() {
    let main = stream("", "s3_backup {\nerror_output_prefix = \"backup-errors/!{firehose:random-string}/\"\n}");
    plan_fails(&main, "error_output_prefix", &["must include at least one instance of !{firehose:error-output-type}"]);
}

#[test]
fn backup_data_prefix_with_error_output_type() {
    let main = stream(
        "",
        "s3_backup {\ndata_output_prefix = \"backup/!{firehose:error-output-type}/\"\nerror_output_prefix = \"backup-errors/!{firehose:error-output-type}/\"\n}",
    );
    plan_fails(&main, "data_output_prefix", &["dataOutputPrefix cannot contain !{firehose:error-output-type}"]);
}

#[test]
fn backup_prefix_too_long() {
    let main = stream("", &format!("s3_backup {{\ndata_output_prefix = \"{}\"\n}}", "b".repeat(1025)));
    plan_fails(&main, "data_output_prefix", &["1024", "1025"]);
}

// ---------------------------------------------------------------------------------------
// Names

const NAME_RULE: &str = "1 to 64 characters of letters, digits, '_', '.' and '-'";

#[test]
fn name_with_invalid_character() {
    let main = stream("name = \"bad name!\"", "");
    plan_fails(&main, "name = \"bad name!\"", &[NAME_RULE, "bad name!"]);
}

#[test]
fn name_too_long() {
    let long = "n".repeat(65);
    let main = stream(&format!("name = \"{long}\""), "");
    plan_fails(&main, "name = \"nnnn", &[NAME_RULE, "65 characters"]);
}

// ---------------------------------------------------------------------------------------
// ARNs

#[test]
fn bucket_arn_of_wrong_service() {
    let main = stream("", &format!("bucket_arn = \"{KEY}\""));
    plan_fails(&main, "bucket_arn =", &["expected an S3 bucket ARN", KEY]);
}

#[test]
fn bucket_arn_not_an_arn() {
    let main = stream("", "bucket_arn = \"val-data-bucket\"");
    plan_fails(&main, "bucket_arn =", &["expected an S3 bucket ARN", "val-data-bucket"]);
}

#[test]
fn backup_bucket_arn_of_wrong_service() {
    let main = stream("", &format!("s3_backup {{\nbucket_arn = \"{LAMBDA}\"\n}}"));
    plan_fails(&main, &format!("bucket_arn = \"{LAMBDA}\""), &["expected an S3 bucket ARN", LAMBDA]);
}

#[test]
fn stream_key_alias() {
    let alias = "arn:aws:kms:us-east-1:123456789012:alias/my-key";
    let main = stream(&format!("encryption_key_arn = \"{alias}\""), "");
    plan_fails(&main, "encryption_key_arn =", &["expected a KMS key ARN", alias]);
}

#[test]
fn stream_key_of_wrong_service() {
    let wrong = "arn:aws:s3:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let main = stream(&format!("encryption_key_arn = \"{wrong}\""), "");
    plan_fails(&main, "encryption_key_arn =", &["expected a KMS key ARN", wrong, "\"s3\""]);
}

#[test]
fn destination_key_of_wrong_service() {
    let main = stream("", &format!("encryption_key_arn = \"{LAMBDA}\""));
    plan_fails(&main, "encryption_key_arn =", &["expected a KMS key", LAMBDA, "\"lambda\""]);
}

#[test]
fn backup_key_of_wrong_service() {
    let main = stream("", &format!("s3_backup {{\nencryption_key_arn = \"{KINESIS}\"\n}}"));
    plan_fails(&main, "encryption_key_arn =", &["expected a KMS key", KINESIS]);
}

#[test]
fn lambda_arn_of_wrong_service() {
    let wrong = "arn:aws:states:us-east-1:123456789012:function:transform";
    let main = stream("", &format!("processor {{\nlambda {{\nfunction_arn = \"{wrong}\"\n}}\n}}"));
    plan_fails(&main, "function_arn =", &["expected a Lambda function ARN", wrong]);
}

#[test]
fn kinesis_stream_arn_of_wrong_service() {
    let wrong = "arn:aws:firehose:us-east-1:123456789012:deliverystream/source";
    let main = stream(&format!("source_stream_arn = \"{wrong}\""), "");
    plan_fails(&main, "source_stream_arn =", &["expected a Kinesis data stream ARN", wrong]);
}

#[test]
fn stream_role_arn_of_wrong_kind() {
    let wrong = "arn:aws:iam::123456789012:user/firehose";
    let main = stream(&format!("role_arn = \"{wrong}\""), "");
    plan_fails(&main, "role_arn =", &["expected an IAM role ARN", wrong]);
}

#[test]
fn destination_role_arn_of_wrong_service() {
    let wrong = "arn:aws:sts::123456789012:assumed-role/firehose/session";
    let main = stream("", &format!("role_arn = \"{wrong}\""));
    plan_fails(&main, "role_arn =", &["expected an IAM role ARN", wrong]);
}

// ---------------------------------------------------------------------------------------
// Enumerations

#[test]
fn unknown_compression() {
    let main = stream("", "compression = \"BZIP2\"");
    plan_fails(&main, "compression =", &["BZIP2", "UNCOMPRESSED", "GZIP", "ZIP", "SNAPPY", "HADOOP_SNAPPY"]);
}

#[test]
fn unknown_backup_compression() {
    let main = stream("", "s3_backup {\ncompression = \"gzip\"\n}");
    plan_fails(&main, "compression =", &["gzip", "UNCOMPRESSED, GZIP, ZIP, SNAPPY, HADOOP_SNAPPY"]);
}

#[test]
fn unknown_encryption() {
    let main = stream("encryption = \"KMS\"", "");
    plan_fails(&main, "encryption =", &["KMS", "UNENCRYPTED", "AWS_OWNED", "CUSTOMER_MANAGED"]);
}

#[test]
fn unknown_backup_mode() {
    let main = stream("", "s3_backup {\nmode = \"SOME\"\n}");
    plan_fails(&main, "mode =", &["SOME", "ALL"]);
}

// ---------------------------------------------------------------------------------------
// Tags

#[test]
fn too_many_tags() {
    let tags: String = (0..51).map(|i| format!("k{i} = \"v\"\n")).collect();
    let main = stream(&format!("tags = {{\n{tags}}}"), "");
    plan_fails(&main, "tags = {", &["at most 50 tags", "given 51"]);
}

#[test]
fn reserved_tag_key() {
    let main = stream("tags = {\nteam = \"data\"\n\"aws:owner\" = \"me\"\n}", "");
    plan_fails(&main, "\"aws:owner\"", &["aws:owner", "must not start with \"aws:\""]);
}

// ---------------------------------------------------------------------------------------
// No false positives, and unknown values checked at apply

#[test]
fn every_prefix_feature_plans() {
    let main = stream(
        "",
        r#"data_output_prefix = "data/!{timestamp:yyyy-MM-dd'T'HH}/!{firehose:random-string}/"
error_output_prefix = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
s3_backup {
data_output_prefix = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{timestamp:yyyy-MM-dd HH:mm:ss.SSS}/!{timestamp:uuuu-'W'ww-e}/!{timestamp:EEE, d MMM}/{literal}!/"
error_output_prefix = "backup-errors/!{firehose:error-output-type}/!{firehose:random-string}/!{timestamp:yyyy[-MM]}/"
}"#,
    );
    let out = Tf::new(&main).plan().ok();
    let text = out.all();
    assert!(text.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{text}");
    assert!(!text.contains("Error"), "{text}");
}

#[test]
fn boundary_values_plan() {
    // 48 tags: AWS allows 50, and the provider keeps two of its own.
    let tags: String = (0..47).map(|i| format!("k{i} = \"v\"\n")).collect();
    let main = stream(
        &format!(
            "name = \"{}\"\nencryption = \"AWS_OWNED\"\ntags = {{\n\"aws-team\" = \"data\"\n{tags}}}",
            "n".repeat(64)
        ),
        &format!(
            r#"buffering_interval = 0
buffering_size = 128
compression = "SNAPPY"
logging = false
processor {{
lambda {{
function_arn = "{LAMBDA}:live"
buffer_interval = 900
buffer_size = 0.2
retries = 300
}}
}}
s3_backup {{
mode = "ALL"
buffering_interval = 900
buffering_size = 1
compression = "HADOOP_SNAPPY"
error_output_prefix = "backup-errors/"
}}"#
        ),
    );
    let out = Tf::new(&main).plan().ok();
    let text = out.all();
    assert!(text.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{text}\n--- main.tf ---\n{main}");
}

#[test]
fn kinesis_source_without_sse_plans() {
    let main = stream(
        &format!(
            "source_stream_arn = \"{KINESIS}\"\nencryption = \"UNENCRYPTED\"\nrole_arn = \"arn:aws:iam::123456789012:role/service-role/firehose-source\""
        ),
        &format!("role_arn = \"arn:aws:iam::123456789012:role/firehose-dest\"\nencryption_key_arn = \"{KEY}\""),
    );
    let out = Tf::new(&main).plan().ok();
    let text = out.all();
    assert!(text.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{text}\n--- main.tf ---\n{main}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_value_is_checked_at_apply() {
    let aws = support::aws::clients(support::moto()).await;
    let name = support::unique("val");
    let bucket = aws.create_bucket(&name).await;
    let main = format!(
        r#"{HEADER}
resource "terraform_data" "x" {{
  input = "901"
}}

resource "firehose_delivery_stream" "s" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn         = "{bucket}"
      buffering_interval = tonumber(terraform_data.x.output)
    }}
  }}
}}
"#
    );
    let tf = Tf::new(&main);
    let plan = tf.plan().ok();
    assert!(plan.all().contains("Plan: 2 to add"), "{}", plan.all());

    let out = tf.apply().failed();
    let text = out.all();
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "expected exactly one error diagnostic:\n{text}");
    assert!(errs[0].contains("Buffering interval must be between 0 and 900 seconds, given 901"), "{text}");
    let line = line_of(&main, "buffering_interval = tonumber");
    assert!(errs[0].contains(&format!("on main.tf line {line},")), "diagnostic must point at line {line}:\n{text}");

    // Nothing was created: no stream, no role, no log group.
    let streams = aws.firehose.list_delivery_streams().limit(10000).send().await.unwrap();
    assert!(!streams.delivery_stream_names().iter().any(|s| s == &name), "stream {name} was created");
    let roles = aws.iam.list_roles().max_items(1000).send().await.unwrap();
    let made: Vec<_> = roles.roles().iter().map(|r| r.role_name()).filter(|r| r.contains(&name)).collect();
    assert!(made.is_empty(), "roles were created: {made:?}");
    let groups = aws
        .logs
        .describe_log_groups()
        .log_group_name_prefix(format!("/aws/kinesisfirehose/{name}"))
        .send()
        .await
        .unwrap();
    assert!(groups.log_groups().is_empty(), "log group was created: {:?}", groups.log_groups());
    let bad = tf.resource("terraform_data.x");
    assert_eq!(bad["output"], "901");
}
