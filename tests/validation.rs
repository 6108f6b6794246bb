//! SPEC §2.3 plan-time validation, end to end. Every rule is unit-tested in
//! process, with the attribute path each diagnostic carries, in
//! src/resources/delivery_stream/validate_tests.rs. These few tests run real
//! Terraform to prove that such paths land on the right line of the user's
//! `main.tf`: for a top-level attribute, an attribute of the `s3_bucket`
//! block, of its `s3_backup` block, of a `processor { lambda { ... } }` block,
//! and a key of `tags`; and that a value unknown at plan is checked at apply,
//! on its line, before anything is created.

mod support;

use support::{flat, line_of, Tf};

const BUCKET: &str = "arn:aws:s3:::val-data-bucket";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
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
/// that contains every one of `expect` and points at the first line of `main`
/// containing `needle`.
#[track_caller]
fn plan_fails(main: &str, needle: &str, expect: &[&str]) {
    let line = line_of(main, needle);
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
}

// ---------------------------------------------------------------------------------------
// One rule per place a diagnostic can point at

#[test]
fn top_level_attribute() {
    // The error is about the key, not the (valid) encryption line above it.
    let main = stream(&format!("encryption = \"AWS_OWNED\"\nencryption_key_arn = \"{KEY}\""), "");
    plan_fails(
        &main,
        "encryption_key_arn =",
        &["Specified stream encryption as AWS_OWNED but provided a customer-managed key"],
    );
}

#[test]
fn s3_bucket_attribute() {
    // The backup's buffering_size is valid: the error is the destination's.
    let main = stream("", "buffering_size = 129\ns3_backup {\nbuffering_size = 5\n}");
    plan_fails(&main, "buffering_size = 129", &["Buffering size must be between 1 and 128 MiBs", "given 129"]);
}

#[test]
fn s3_backup_attribute() {
    // The destination's buffering_interval is valid: the error is the backup's.
    let main = stream("", "buffering_interval = 300\ns3_backup {\nbuffering_interval = 1000\n}");
    plan_fails(
        &main,
        "buffering_interval = 1000",
        &["Buffering interval must be between 0 and 900 seconds", "given 1000"],
    );
}

#[test]
fn processor_attribute() {
    // A fraction, which Terraform encodes unlike a whole number.
    let main = stream("", &format!("processor {{\nlambda {{\nfunction_arn = \"{LAMBDA}\"\nbuffer_size = 0.1\n}}\n}}"));
    plan_fails(&main, "buffer_size = 0.1", &["buffer_size", "between 0.2 and 3", "given 0.1"]);
}

#[test]
fn tag_key() {
    let main = stream("tags = {\nteam = \"data\"\n\"aws:owner\" = \"me\"\n}", "");
    plan_fails(&main, "\"aws:owner\"", &["aws:owner", "must not start with \"aws:\""]);
}

// ---------------------------------------------------------------------------------------
// Unknown values checked at apply

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
