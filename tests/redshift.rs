//! The Redshift destination end to end against moto (behind the API-model
//! proxy): `examples/redshift` applies, plans clean, updates in place
//! (COPY options and a password rotation), imports and destroys leaving
//! nothing; the password never reaches the state.

mod support;

use support::{moto, unique, Tf};

const PASSWORD_1: &str = "first-Passw0rd";
const PASSWORD_2: &str = "second-Passw0rd";

#[tokio::test(flavor = "multi_thread")]
async fn redshift_lifecycle_keeps_the_password_out_of_state() {
    let main = std::fs::read_to_string(support::repo().join("examples/redshift/main.tf")).unwrap();
    let aws = support::aws::clients(moto()).await;
    let name = unique("redshift");
    let staging = aws.create_bucket(&format!("{name}-staging")).await;
    let url = support::aws::create_redshift_cluster(moto(), "analytics");
    let mut tf = Tf::new(&main);
    tf.write(
        "terraform.tfvars",
        &format!("name = \"{name}\"\ncluster_jdbc_url = \"{url}\"\nbucket_arn = \"{staging}\"\n"),
    );
    tf.env.insert("TF_VAR_password".into(), PASSWORD_1.into());
    tf.apply().ok();

    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap().clone();
    let r = d.destinations()[0].redshift_destination_description().expect("a Redshift destination");
    assert_eq!(r.cluster_jdbcurl(), url.as_str());
    let copy = r.copy_command().unwrap();
    assert_eq!(
        (copy.data_table_name(), copy.data_table_columns(), copy.copy_options()),
        ("events", Some("event_id,customer_id,amount"), Some("JSON 'auto' GZIP"))
    );
    assert_eq!(r.username(), Some("firehose"));
    let st = r.s3_destination_description().unwrap();
    assert_eq!((st.bucket_arn(), st.prefix()), (staging.as_str(), Some("staging/")));
    assert_eq!(r.s3_backup_mode(), Some(&aws_sdk_firehose::types::RedshiftS3BackupMode::Enabled));
    let backup = r.s3_backup_description().unwrap().bucket_arn().to_string();
    assert!(backup.contains("-backup-"), "the backup bucket is the one the provider created: {backup}");

    let state = tf.resource("firehose_delivery_stream.this");
    let policy: serde_json::Value =
        serde_json::from_str(state["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let s3 = policy["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "S3Delivery").unwrap();
    assert_eq!(
        s3["Resource"],
        serde_json::json!([staging.clone(), format!("{staging}/*"), backup.clone(), format!("{backup}/*")])
    );
    assert_eq!(state["metrics"]["delivery_to_redshift_success"], "DeliveryToRedshift.Success");
    tf.assert_no_changes();

    // COPY options and a new password are updated in place.
    let changed = main.replace("password_wo_version = 1", "password_wo_version = 2").replace(
        "copy_options        = \"JSON 'auto' GZIP\"",
        "copy_options        = \"JSON 'auto' GZIP TIMEFORMAT 'auto'\"",
    );
    tf.write("main.tf", &changed);
    tf.env.insert("TF_VAR_password".into(), PASSWORD_2.into());
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    let r = d.destinations()[0].redshift_destination_description().unwrap();
    assert_eq!(r.copy_command().unwrap().copy_options(), Some("JSON 'auto' GZIP TIMEFORMAT 'auto'"));
    tf.assert_no_changes();

    tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
    tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    tf.apply().ok();
    tf.assert_no_changes();

    let raw = std::fs::read_to_string(tf.path().join("terraform.tfstate")).unwrap();
    for p in [PASSWORD_1, PASSWORD_2] {
        assert!(!raw.contains(p), "password in the state");
    }
    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
