//! Resource identity (Terraform 1.12+): state carries each stream's and
//! grant's identity, and `import` blocks can name the object by identity
//! instead of by ID.

mod support;

use support::{moto, unique, Tf};

fn stream(name: &str, import: &str) -> String {
    let mut main = support::stream_config(name, "", "");
    main.push_str(import);
    main
}

#[tokio::test(flavor = "multi_thread")]
async fn import_by_identity_and_identity_in_state() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("ident");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let tf = Tf::new(&stream(&name, ""));
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    tf.apply().ok();

    // Identity stored beside the state.
    let state = tf.state();
    let identity = &state["resources"][0]["instances"][0]["identity"];
    assert_eq!(identity["name"], name.as_str(), "{state}");
    assert_eq!(identity["region"], "us-east-1");
    assert_eq!(identity["account_id"], "123456789012");

    // Forget it, then import it back by identity.
    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    let import = format!(
        "\nimport {{\n  to = firehose_delivery_stream.this\n  identity = {{\n    name = \"{name}\"\n  }}\n}}\n"
    );
    tf.write("main.tf", &stream(&name, &import));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    tf.apply().ok();
    tf.write("main.tf", &stream(&name, ""));
    tf.assert_no_changes();

    // An identity in another region needs a provider configured for it.
    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    let elsewhere = format!(
        "\nimport {{\n  to = firehose_delivery_stream.this\n  identity = {{\n    name   = \"{name}\"\n    region = \"eu-west-1\"\n  }}\n}}\n"
    );
    tf.write("main.tf", &stream(&name, &elsewhere));
    let out = tf.run(&["plan", "-no-color", "-input=false"]).failed();
    let text = support::flat(&out.all());
    assert!(text.contains("region is \"eu-west-1\" but this provider is configured for \"us-east-1\""), "{text}");

    tf.write("main.tf", &stream(&name, &import));
    tf.apply().ok();
    tf.write("main.tf", &stream(&name, ""));
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

/// Import by identity from the first release that has it (1.12).
#[tokio::test(flavor = "multi_thread")]
async fn import_by_identity_under_terraform_1_12() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("ident112");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let mut tf = Tf::new(&stream(&name, ""));
    tf.use_line("1.12");
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    tf.apply().ok();
    assert_eq!(tf.state()["resources"][0]["instances"][0]["identity"]["name"], name.as_str());
    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    tf.write("main.tf", &stream(&name, &identity_import(&name)));
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    tf.apply().ok();
    tf.write("main.tf", &stream(&name, ""));
    tf.assert_no_changes();
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}

/// Terraform 1.11 knows no identity in `import` blocks: its own error, at
/// the block, before anything is read or created.
#[test]
fn terraform_1_11_refuses_import_by_identity() {
    let name = unique("ident111");
    let mut tf = Tf::new(&stream(&name, &identity_import(&name)));
    tf.use_line("1.11");
    tf.write("terraform.tfvars", "bucket_arn = \"arn:aws:s3:::ident-bucket\"\n");
    let out = tf.run(&["validate", "-no-color"]).failed();
    let text = support::flat(&out.all());
    assert!(text.contains("Unsupported argument") && text.contains("identity"), "{text}");
}

fn identity_import(name: &str) -> String {
    format!("\nimport {{\n  to = firehose_delivery_stream.this\n  identity = {{\n    name = \"{name}\"\n  }}\n}}\n")
}
