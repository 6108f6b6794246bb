//! The exact IAM policy the Terraform runner needs, and errors a user can
//! act on: the documented policy (docs/guides/permissions.md) lists every
//! action the provider's source can call and no other; a user holding
//! exactly that policy runs the all-properties example against a moto that
//! enforces IAM; with one action taken away the apply names the action, the
//! resource, the principal and the setting; and a wrong configuration (no
//! credentials, a dead endpoint, expired credentials) is one short provider
//! diagnostic.

mod support;

use std::collections::BTreeSet;

use serde_json::{json, Value as Json};
use support::aws::Aws;
use support::leftovers::orphans;
use support::proxy::Proxy;
use support::{flat, moto, stream_config, unique, Output, Tf};

const ACCOUNT: &str = "123456789012";

fn documented_policy() -> Json {
    let page = std::fs::read_to_string(support::repo().join("docs/guides/permissions.md")).unwrap();
    let start = page.find("```json\n").expect("a ```json block") + "```json\n".len();
    let end = start + page[start..].find("```").unwrap();
    serde_json::from_str(&page[start..end]).expect("the documented policy is JSON")
}

fn actions_of(policy: &Json) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for st in policy["Statement"].as_array().unwrap() {
        match &st["Action"] {
            Json::String(a) => {
                out.insert(a.clone());
            }
            Json::Array(v) => out.extend(v.iter().map(|a| a.as_str().unwrap().to_string())),
            other => panic!("unexpected Action {other}"),
        }
    }
    out
}

/// `create_delivery_stream` -> `CreateDeliveryStream`.
fn pascal(op: &str) -> String {
    op.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Every IAM action behind an SDK call in the provider's source: calls are
/// written `aws.<client>.<operation>()` (possibly across lines).
fn actions_in_source() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut files = vec![support::repo().join("src")];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text: String = std::fs::read_to_string(&p).unwrap().split_whitespace().collect();
        // Every service the provider has a client for (and an `endpoints`
        // entry): the client's field is named after it.
        for client in terraform_provider_firehose::provider::schema::SERVICES {
            for receiver in ["aws", "self"] {
                let needle = format!("{receiver}.{client}.");
                let mut rest = text.as_str();
                while let Some(i) = rest.find(&needle) {
                    rest = &rest[i + needle.len()..];
                    let op: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if rest[op.len()..].starts_with("()") {
                        out.insert(iam_action(client, &op));
                    }
                }
            }
        }
    }
    out
}

/// The IAM action an SDK operation needs; S3 names a few differently, and
/// some services' IAM prefix is not their client's name.
fn iam_action(client: &str, op: &str) -> String {
    let prefix = match client {
        "opensearch" => "es",
        "opensearchserverless" => "aoss",
        "redshiftserverless" => "redshift-serverless",
        other => other,
    };
    match (client, op) {
        ("s3", "list_objects_v2" | "head_bucket") => "s3:ListBucket".into(),
        _ => format!("{prefix}:{}", pascal(op)),
    }
}

#[test]
fn the_documented_policy_lists_exactly_the_calls_the_provider_makes() {
    let documented = actions_of(&documented_policy());
    let called = actions_in_source();
    assert!(called.len() > 30, "the source scan found too few calls: {called:?}");
    let missing: Vec<_> = called.difference(&documented).collect();
    assert!(missing.is_empty(), "docs/guides/permissions.md lacks {missing:?}");
    // Checked while Firehose serves CreateDeliveryStream, not called: passing
    // the roles, and the grant Firehose makes on a customer-managed SSE key
    // with the caller's credentials.
    let implied = ["iam:PassRole", "kms:CreateGrant"];
    let extra: Vec<_> = documented.iter().filter(|a| !called.contains(*a) && !implied.contains(&a.as_str())).collect();
    assert!(extra.is_empty(), "docs/guides/permissions.md lists actions the provider never calls: {extra:?}");
}

// ---------------------------------------------------------------- moto enforcing IAM

/// moto checks actions only, not resources or conditions: the policy as
/// moto can evaluate it, with `drop` taken out.
fn enforceable(policy: &Json, drop: Option<&str>) -> String {
    let statements: Vec<Json> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| {
            let actions: Vec<Json> = match &st["Action"] {
                Json::String(a) => vec![Json::from(a.as_str())],
                Json::Array(v) => v.clone(),
                _ => unreachable!(),
            };
            let actions: Vec<Json> = actions.into_iter().filter(|a| Some(a.as_str().unwrap()) != drop).collect();
            json!({"Effect": "Allow", "Action": actions, "Resource": "*"})
        })
        .filter(|st| !st["Action"].as_array().unwrap().is_empty())
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

async fn user(aws: &Aws, name: &str, policy: &str) -> (String, String) {
    aws.iam.create_user().user_name(name).send().await.unwrap();
    aws.iam.put_user_policy().user_name(name).policy_name("terraform").policy_document(policy).send().await.unwrap();
    let key = aws.iam.create_access_key().user_name(name).send().await.unwrap();
    let key = key.access_key().unwrap();
    (key.access_key_id().to_string(), key.secret_access_key().to_string())
}

fn as_user(tf: &mut Tf, (key, secret): &(String, String)) {
    tf.env.insert("AWS_ACCESS_KEY_ID".into(), key.clone());
    tf.env.insert("AWS_SECRET_ACCESS_KEY".into(), secret.clone());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runner_with_exactly_the_documented_policy_can_do_everything() {
    // The first three requests are free: they make the admin the test uses.
    let endpoint = moto_enforcing_iam();
    let root = support::aws::clients(endpoint).await;
    let admin_keys = user(
        &root,
        "admin",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .await;
    let admin = support::aws::clients_as(endpoint, &admin_keys.0, &admin_keys.1).await;

    let policy = documented_policy();
    let deployer = format!("deployer-{}", unique("u"));
    let keys = user(&admin, &deployer, &enforceable(&policy, None)).await;
    let principal = format!("arn:aws:iam::{ACCOUNT}:user/{deployer}");

    let name = unique("perm");
    let bucket = admin.create_bucket(&format!("{name}-data")).await;
    let backup = admin.create_bucket(&format!("{name}-given-backup")).await;
    let dest_key = admin.kms.create_key().send().await.unwrap().key_metadata().unwrap().arn().unwrap().to_string();
    let backup_key = admin.kms.create_key().send().await.unwrap().key_metadata().unwrap().arn().unwrap().to_string();
    let main_tf = std::fs::read_to_string(support::repo().join("examples/all_properties/main.tf")).unwrap();
    let mut tf = Tf::with_endpoint(&main_tf, endpoint);
    as_user(&mut tf, &keys);
    tf.write(
        "terraform.tfvars",
        &format!(
            "name = \"{name}\"\nbucket_arn = \"{bucket}\"\nbackup_bucket_arn = \"{backup}\"\n\
             destination_key_arn = \"{dest_key}\"\nbackup_key_arn = \"{backup_key}\"\n\
             lambda_arn = \"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}-transform\"\n"
        ),
    );

    // Everything works as the deployer: create, no-change plan, update, destroy.
    tf.apply().ok();
    tf.assert_no_changes();
    let updated = main_tf.replacen("buffering_interval  = 60", "buffering_interval  = 120", 1);
    assert_ne!(updated, main_tf);
    tf.write("main.tf", &updated);
    tf.apply().ok();
    tf.assert_no_changes();
    tf.destroy().ok();
    assert!(orphans(&admin, &name).await.is_empty());

    // Without iam:CreateRole the apply names the action, the role, the
    // principal and the setting; destroy (which needs no CreateRole) then
    // leaves nothing behind.
    admin
        .iam
        .put_user_policy()
        .user_name(&deployer)
        .policy_name("terraform")
        .policy_document(enforceable(&policy, Some("iam:CreateRole")))
        .send()
        .await
        .unwrap();
    let out = flat(&tf.apply().failed().all());
    // The stream role or the destination role, whichever is made first.
    let role = format!("iam:CreateRole on arn:aws:iam::{ACCOUNT}:role/{name}-firehose-");
    let denied = format!("is denied for {principal}");
    assert!(out.contains(&role) && out.contains(&denied), "expected {role:?} … {denied:?} in:\n{out}");
    assert!(
        out.contains("; the resource creates the destination role because `destination.s3_bucket.role_arn` is not set")
            || out.contains("; the resource creates the stream role because `role_arn` is not set"),
        "the error names the setting:\n{out}"
    );
    tf.destroy().ok();
    let left = orphans(&admin, &name).await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

fn moto_enforcing_iam() -> &'static str {
    support::moto_enforcing_iam(3)
}

// ---------------------------------------------------------------- configuration problems

fn plan_tf(endpoint: &str) -> Tf {
    // With a provider block, as users write it (without one, Terraform adds
    // its own "Invalid provider configuration" error to ours).
    let main = stream_config(&unique("cfg"), "", "").replace(
        "resource \"firehose_delivery_stream\"",
        "provider \"firehose\" {}\n\nresource \"firehose_delivery_stream\"",
    );
    let tf = Tf::with_endpoint(&main, endpoint);
    tf.write("terraform.tfvars", "bucket_arn = \"arn:aws:s3:::some-bucket\"\n");
    tf
}

/// The error diagnostic of a failed plan: from its `Error:` line to the end.
#[track_caller]
fn one_diagnostic(out: Output, summary: &str) -> String {
    let text = out.failed().all();
    assert_eq!(text.matches("Error: ").count(), 1, "one diagnostic, not one per resource:\n{text}");
    let diag = text[text.find("Error: ").unwrap()..].trim_end().to_string();
    assert!(diag.starts_with(&format!("Error: {summary}")), "{diag}");
    for dump in [" { ", "DispatchFailure", "ConnectorError", "Some("] {
        assert!(!diag.contains(dump), "a Rust debug dump in:\n{diag}");
    }
    assert!(flat(&diag).contains("docs/index.md#authentication"), "{diag}");
    diag
}

#[test]
fn no_credentials_is_one_short_provider_diagnostic() {
    let mut tf = plan_tf(moto());
    let home = tf.path().to_path_buf();
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] {
        tf.env.remove(k);
        tf.unset.push(k.to_string());
    }
    tf.env.insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
    tf.env.insert("AWS_CONFIG_FILE".into(), home.join("no-config").display().to_string());
    tf.env.insert("AWS_SHARED_CREDENTIALS_FILE".into(), home.join("no-credentials").display().to_string());
    tf.env.insert("HOME".into(), home.display().to_string());
    let diag = one_diagnostic(tf.plan(), "No AWS credentials found");
    eprintln!("{diag}");
    assert!(diag.lines().count() <= 8, "{} lines:\n{diag}", diag.lines().count());
    assert!(flat(&diag).contains("AWS_ACCESS_KEY_ID"), "{diag}");
}

#[test]
fn an_unreachable_endpoint_is_one_provider_diagnostic() {
    let dead = format!("http://127.0.0.1:{}", support::free_port());
    let diag = one_diagnostic(plan_tf(&dead).plan(), "Cannot reach the AWS endpoint");
    assert!(flat(&diag).contains(&dead), "{diag}");
}

#[test]
fn expired_credentials_are_one_provider_diagnostic() {
    let proxy = Proxy::in_front_of(moto());
    proxy.configure(json!({"errors": {"sts:GetCallerIdentity": ["ExpiredToken", "The security token included in the request is expired"]}}));
    let diag = one_diagnostic(plan_tf(proxy.url()).plan(), "The AWS credentials have expired");
    assert!(flat(&diag).contains("ExpiredToken: The security token included in the request is expired"), "{diag}");
}

#[test]
fn a_missing_or_unknown_region_is_one_provider_diagnostic() {
    let mut tf = plan_tf(moto());
    let home = tf.path().to_path_buf();
    tf.env.remove("AWS_REGION");
    tf.unset.extend(["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"].map(String::from));
    tf.env.insert("AWS_CONFIG_FILE".into(), home.join("no-config").display().to_string());
    tf.env.insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
    one_diagnostic(tf.plan(), "No AWS region");

    tf.env.insert("AWS_REGION".into(), "moon".into());
    let diag = one_diagnostic(tf.plan(), "Unknown AWS region \"moon\"");
    assert!(flat(&diag).contains("such as us-east-1"), "{diag}");
}
