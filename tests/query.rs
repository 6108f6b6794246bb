//! `terraform query` (Terraform 1.14+): the list resource finds delivery
//! streams by name prefix and tag, and `-generate-config-out` writes HCL in
//! this provider's shape, with `import` blocks by identity, that applies
//! with no changes.

mod support;

use support::{moto, unique, Tf};

const PROVIDER: &str = r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

provider "firehose" {}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn query_finds_streams_and_generated_config_imports_without_changes() {
    query_and_import("1.15").await;
}

/// `terraform query` works from the first release that has it.
#[tokio::test(flavor = "multi_thread")]
async fn query_works_under_terraform_1_14() {
    query_and_import("1.14").await;
}

/// Terraform 1.13 has no `query` command, and a working directory holding a
/// `.tfquery.hcl` file still plans: the file is not read.
#[test]
fn terraform_1_13_has_no_query_command_and_ignores_query_files() {
    let mut q = Tf::new(PROVIDER);
    q.use_line("1.13");
    q.write(
        "search.tfquery.hcl",
        "list \"firehose_delivery_stream\" \"found\" {\n  provider = firehose\n  config {\n    name_prefix = \"x\"\n  }\n}\n",
    );
    let out = q.run(&["query", "-no-color"]);
    assert_ne!(out.code, 0, "{}", out.all());
    assert!(out.all().contains("no command named \"query\""), "{}", out.all());
    let plan = q.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("No changes."), "{plan}");
}

async fn query_and_import(line: &str) {
    let aws = support::aws::clients(moto()).await;
    let prefix = unique(&format!("qry{}", line.replace('.', "")));
    let bucket = aws.create_bucket(&format!("{prefix}-data")).await;

    // Two streams made by this provider, one of them tagged.
    let mut made = Tf::new(&format!(
        "{PROVIDER}
resource \"firehose_delivery_stream\" \"a\" {{
  name = \"{prefix}-a\"
  destination {{
    s3_bucket {{
      bucket_arn         = \"{bucket}\"
      data_output_prefix = \"events/\"
      compression        = \"GZIP\"
    }}
  }}
  tags = {{ team = \"data\" }}
}}

resource \"firehose_delivery_stream\" \"b\" {{
  name = \"{prefix}-b\"
  destination {{
    s3_bucket {{
      bucket_arn = \"{bucket}\"
    }}
  }}
}}
"
    ));
    made.use_line(line);
    made.apply().ok();

    // A second working directory finds them with terraform query.
    let mut q = Tf::new(PROVIDER);
    q.use_line(line);
    q.write(
        "search.tfquery.hcl",
        &format!(
            "list \"firehose_delivery_stream\" \"found\" {{\n  provider = firehose\n  config {{\n    name_prefix = \"{prefix}\"\n    tags = {{ team = \"data\" }}\n  }}\n}}\n"
        ),
    );
    let out = q.run(&["query", "-no-color", "-generate-config-out=generated.tf"]).ok();
    let listing = out.stdout.clone();
    assert!(listing.contains(&format!("{prefix}-a")) && !listing.contains(&format!("{prefix}-b")), "{}", out.all());
    let generated = std::fs::read_to_string(q.path().join("generated.tf")).unwrap();
    assert!(generated.contains("resource \"firehose_delivery_stream\""), "{generated}");
    assert!(
        generated.contains(&format!("name = \"{prefix}-a\"")) || generated.contains(&format!("\"{prefix}-a\"")),
        "{generated}"
    );
    assert!(generated.contains("identity"), "import by identity: {generated}");
    // The roles and log group this provider made are not inputs.
    assert!(!generated.contains("role_arn =") || generated.contains("role_arn = null"), "{generated}");
    assert!(!generated.contains("destination_role_arn"), "computed-only attributes are left out: {generated}");

    // Applying the generated configuration imports the stream with no changes.
    q.run(&["fmt", "-no-color", "generated.tf"]).ok();
    let plan = q.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}\n{generated}");
    q.apply().ok();
    q.assert_no_changes();

    // Hand the stream back to the first directory and clean up there.
    q.run(&["state", "rm", "-no-color", "firehose_delivery_stream.found_0"]).ok();
    made.destroy().ok();
    let left = support::leftovers::orphans(&aws, &prefix).await;
    assert!(left.is_empty(), "orphans: {left:?}");
}
