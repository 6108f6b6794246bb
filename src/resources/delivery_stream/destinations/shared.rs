//! What the kinds that are not S3 have in common: an HTTPS endpoint, a
//! secret given write-only or through Secrets Manager, the role, logging and
//! processor attributes, and a required S3 backup of failed or all records.

use aws_sdk_firehose::types as fh;

use super::s3::schema::backup_block_with;
use crate::aws::arn::{self, Arn};
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::{is_given, known_bool, Checker, RefKind, Reference};
use crate::resources::delivery_stream::{processors, rules};

pub fn https(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| format!("Firehose delivers only over HTTPS: the URL must start with https://, given {url:?}"))?;
    if rest.is_empty() || rest.starts_with('/') || url.len() > 1000 || url.chars().any(char::is_whitespace) {
        return Err(format!(
            "the URL must be https://host[/path], at most 1000 characters without spaces, given {url:?}"
        ));
    }
    Ok(())
}

/// The framework's length and range rules, in the form these kinds call them.
pub use crate::framework::validators::{between_values as between, length_of as length};

pub fn secret_arn(s: &str) -> Result<(), String> {
    let a = Arn::parse(s)?;
    if a.service != "secretsmanager" || !a.resource.starts_with("secret:") {
        return Err(format!(
            "expected a Secrets Manager secret ARN (arn:aws:secretsmanager:region:account:secret:name), given {s:?}"
        ));
    }
    Ok(())
}

fn backup_mode(m: &str) -> Result<(), String> {
    match m {
        "FAILED" | "ALL" => Ok(()),
        _ => Err(format!("mode must be \"FAILED\" (failed records only) or \"ALL\", given {m:?}")),
    }
}

/// Whether the backup takes all records (else only failed ones).
pub fn backs_up_all(v: &Value) -> bool {
    v.block("s3_backup").and_then(|b| b.attr("mode").as_str()) == Some("ALL")
}

/// The secret attributes: `<key>_wo` (write-only), `<key>_wo_version` and
/// `secret_arn`, described for `what` (e.g. "the endpoint's access key").
pub fn secret_attrs(b: Block, key: &'static str, version: &'static str, what: &str) -> Block {
    b.attr(
        A::optional(
            key,
            Type::String,
            &format!(
                "{what}. Write-only: sent to AWS, never stored in the plan or the state (Terraform 1.11 or later). Change `{version}` to send a new one."
            ),
        )
        .sensitive()
        .write_only(),
    )
    .attr(A::optional(version, Type::Number, &format!("Any number; changing it sends `{key}` again (rotation).")))
    .attr(
        A::optional(
            "secret_arn",
            Type::String,
            &format!("A Secrets Manager secret holding {what}, instead of `{key}`; the destination role may read exactly this secret."),
        )
        .check_str("Invalid secret ARN", secret_arn),
    )
    .attr(
        A::optional(
            "secret_role_arn",
            Type::String,
            "ARN of the role Firehose assumes to read the secret, instead of the destination role; it needs \
             `secretsmanager:GetSecretValue` on the secret (and `kms:Decrypt` of the secret's key), which this \
             resource then does not grant. Only with `secret_arn`.",
        )
        .check_str("Invalid role ARN", |s| arn::iam_role_arn(s).map(drop)),
    )
}

/// `role_arn`, `logging`, `log_group_name`, `processor` and the required
/// `s3_backup`, with the kind's log stream named in the description.
pub fn common_attrs(b: Block, log_stream: &str) -> Block {
    base_attrs(b, log_stream).block(
        "s3_backup",
        Nesting::List,
        1,
        1,
        backup_block_with(
            "Which records go to the bucket: `FAILED` (default: those the destination did not accept) or `ALL`. Changing it replaces the stream.",
            "FAILED",
            backup_mode,
        ),
    )
}

/// `role_arn`, `logging`, `log_group_name` and `processor`.
pub fn base_attrs(b: Block, log_stream: &str) -> Block {
    b.attr(
        A::optional(
            "role_arn",
            Type::String,
            "ARN of an existing role Firehose assumes; when omitted the resource creates one with a least-privilege policy.",
        )
        .check_str("Invalid role ARN", |s| arn::iam_role_arn(s).map(drop)),
    )
    .attr(
        A::optional_computed(
            "logging",
            Type::Bool,
            &format!("Whether delivery errors are logged to CloudWatch Logs (log stream `{log_stream}`); default true."),
        )
        .default(Value::Bool(true)),
    )
    .attr(
        A::optional(
            "log_group_name",
            Type::String,
            "Existing log group for delivery errors; when omitted and logging is on, the resource creates `/aws/kinesisfirehose/<name>`.",
        )
        .check_str("Invalid log group name", arn::log_group_name),
    )
    .block("processor", Nesting::List, 0, 0, processors::block())
}

/// The rules across the shared attributes, the secret's included.
pub fn validate(v: &Value, at: &AttrPath, key: &str, version: &str, c: &mut Checker) {
    let given = |n: &str| is_given(v.attr(n));
    if let (Some(true), Some(true)) = (given(key), given("secret_arn")) {
        c.d.error_at(
            at.at("secret_arn"),
            "Two sources for the secret",
            format!("give the secret either as {key} or through secret_arn, not both"),
        );
    }
    if let (Some(true), Some(false)) = (given("secret_role_arn"), given("secret_arn")) {
        c.d.error_at(
            at.at("secret_role_arn"),
            "Secret role without a secret",
            "secret_role_arn is the role that reads secret_arn; set secret_arn or remove secret_role_arn",
        );
    }
    if let (Some(true), Some(false)) = (given(version), given(key)) {
        c.d.error_at(
            at.at(version),
            "Version without a secret",
            format!("{version} only marks a new {key}; set {key} or remove the version"),
        );
    }
    validate_common(v, at, c);
}

/// The rules across logging, the backup and the processors.
pub fn validate_common(v: &Value, at: &AttrPath, c: &mut Checker) {
    let given = |n: &str| is_given(v.attr(n));
    if let (Some(logging), Some(group)) = (known_bool(v.attr("logging"), true), given("log_group_name")) {
        c.fail(at.at("logging"), "Invalid logging settings", rules::logging(logging, group));
    }
    for (i, b) in v.attr("s3_backup").elements().iter().enumerate() {
        super::s3::validate::s3_common(c, b, &at.at("s3_backup").index(i));
    }
    // Dynamic partitioning is S3's alone.
    let cx = processors::Context { dynamic_partitioning: Some(false) };
    processors::validate(v.attr("processor"), &at.at("processor"), &cx, &mut c.d);
}

/// AWS cannot change which records are backed up on an existing stream.
pub fn backup_mode_replaces(prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
    let mode = |v: &Value| v.block("s3_backup").map(|b| b.attr("mode").clone());
    match (mode(prior), mode(planned)) {
        (Some(a), Some(b)) if b.is_known() && a != b => vec![at.at("s3_backup").index(0).at("mode")],
        _ => Vec::new(),
    }
}

/// The secret the destination role may read; None while unknown.
pub fn secret_grant(v: &Value) -> Option<Option<String>> {
    let (s, role) = (v.attr("secret_arn"), v.attr("secret_role_arn"));
    if s.is_unknown() || role.is_unknown() {
        return None;
    }
    // A role of the user's own reads the secret: the destination role needs nothing.
    Some(s.as_str().filter(|_| role.is_null()).map(str::to_string))
}

/// Secrets Manager, on when `secret_arn` is given, read with
/// `secret_role_arn` or else `role_arn` (the destination role).
pub fn secrets_manager(v: &Value, role_arn: &str) -> Result<fh::SecretsManagerConfiguration, String> {
    let role = v.attr("secret_role_arn").as_str().unwrap_or(role_arn);
    match v.attr("secret_arn").as_str() {
        Some(arn) => fh::SecretsManagerConfiguration::builder().enabled(true).secret_arn(arn).role_arn(role),
        None => fh::SecretsManagerConfiguration::builder().enabled(false),
    }
    .build()
    .map_err(build_err)
}

/// The secret ARN read back from a description, when on.
pub fn secret_value(s: Option<&fh::SecretsManagerConfiguration>) -> Value {
    Value::opt_string(s.filter(|s| s.enabled()).and_then(|s| s.secret_arn()))
}

/// The secret's own role read back: null when it is the destination role
/// `role` (or none is described), as the configuration then leaves it out.
pub fn secret_role_value(s: Option<&fh::SecretsManagerConfiguration>, role: &str) -> Value {
    let described = s.filter(|s| s.enabled()).and_then(|s| s.role_arn()).filter(|r| !r.is_empty() && *r != role);
    Value::opt_string(described)
}

/// The references of the secret attributes, for preflight: the secret with
/// the JSON keys the kind's Firehose reads, and the role that reads it.
pub fn secret_refs(v: &Value, at: &AttrPath, keys: &'static [&'static str]) -> Vec<Reference> {
    vec![
        (RefKind::Secret(keys), at.at("secret_arn"), v.attr("secret_arn").clone()),
        (RefKind::Role, at.at("secret_role_arn"), v.attr("secret_role_arn").clone()),
    ]
}
