//! The resource's lifecycle with real Terraform against moto: records flow,
//! in-place updates, replacement, drift repair, and import.

mod support;

use aws_sdk_firehose::types as fh;
use support::aws::Aws;
use support::{moto, stream_config as config, unique, Tf};

async fn describe(aws: &Aws, name: &str) -> fh::DeliveryStreamDescription {
    aws.firehose
        .describe_delivery_stream()
        .delivery_stream_name(name)
        .send()
        .await
        .unwrap()
        .delivery_stream_description()
        .unwrap()
        .clone()
}

fn s3(d: &fh::DeliveryStreamDescription) -> &fh::ExtendedS3DestinationDescription {
    d.destinations()[0].extended_s3_destination_description().unwrap()
}

async fn setup(prefix: &str) -> (Aws, String, String) {
    let aws = support::aws::clients(moto()).await;
    let name = unique(prefix);
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    (aws, name, bucket)
}

fn new_tf(name: &str, bucket: &str, stream_attrs: &str, s3_attrs: &str) -> Tf {
    let tf = Tf::new(&config(name, stream_attrs, s3_attrs));
    tf.write("terraform.tfvars", &format!("bucket_arn = \"{bucket}\"\n"));
    tf
}

#[tokio::test(flavor = "multi_thread")]
async fn records_put_to_the_stream_land_in_the_bucket_under_the_prefix() {
    let (aws, name, bucket) = setup("records").await;
    let tf = new_tf(&name, &bucket, "", "      data_output_prefix = \"incoming/\"\n      buffering_interval = 0");
    tf.apply().ok();
    let records: Vec<fh::Record> = (0..5)
        .map(|i| fh::Record::builder().data(aws_smithy_types::Blob::new(format!("{{\"n\":{i}}}\n"))).build().unwrap())
        .collect();
    let out =
        aws.firehose.put_record_batch().delivery_stream_name(&name).set_records(Some(records)).send().await.unwrap();
    assert_eq!(out.failed_put_count(), 0);
    let bucket_name = bucket.rsplit(':').next().unwrap();
    let mut body = String::new();
    for _ in 0..50 {
        let objects = aws.s3.list_objects_v2().bucket(bucket_name).prefix("incoming/").send().await.unwrap();
        if let Some(first) = objects.contents().first() {
            let obj = aws.s3.get_object().bucket(bucket_name).key(first.key().unwrap()).send().await.unwrap();
            body = String::from_utf8(obj.body.collect().await.unwrap().to_vec()).unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    for i in 0..5 {
        assert!(body.contains(&format!("{{\"n\":{i}}}")), "record {i} missing from {body:?}");
    }
    tf.destroy().ok();
}

/// One step of an update: the new configuration, and what AWS must show after.
struct Step {
    what: &'static str,
    stream_attrs: &'static str,
    s3_attrs: &'static str,
    check: fn(&fh::DeliveryStreamDescription),
    versioned: bool,
}

#[tokio::test(flavor = "multi_thread")]
async fn every_in_place_setting_updates_in_place() {
    let (aws, name, bucket) = setup("update").await;
    // The processor step names function "t"; it must exist (preflight).
    aws.create_function("t").await;
    let key = aws.kms.create_key().send().await.unwrap().key_metadata().unwrap().arn().unwrap().to_string();
    let steps: Vec<Step> = vec![
        Step {
            what: "prefixes",
            stream_attrs: "",
            s3_attrs: "data_output_prefix = \"data/!{timestamp:yyyy}/\"\nerror_output_prefix = \"err/!{firehose:error-output-type}/\"",
            check: |d| {
                assert_eq!(s3(d).prefix(), Some("data/!{timestamp:yyyy}/"));
                assert_eq!(s3(d).error_output_prefix(), Some("err/!{firehose:error-output-type}/"));
            },
            versioned: true,
        },
        Step {
            what: "compression and buffering",
            stream_attrs: "",
            s3_attrs: "compression = \"GZIP\"\nbuffering_interval = 120\nbuffering_size = 16",
            check: |d| {
                assert_eq!(s3(d).compression_format(), &fh::CompressionFormat::Gzip);
                let h = s3(d).buffering_hints().unwrap();
                assert_eq!((h.interval_in_seconds(), h.size_in_mbs()), (Some(120), Some(16)));
                assert_eq!(s3(d).prefix().unwrap_or(""), "", "removed prefix is removed");
            },
            versioned: true,
        },
        Step {
            what: "logging off",
            stream_attrs: "",
            s3_attrs: "logging = false",
            check: |d| assert_eq!(s3(d).cloud_watch_logging_options().and_then(|l| l.enabled()), Some(false)),
            versioned: true,
        },
        Step {
            what: "processor on",
            stream_attrs: "",
            s3_attrs: "processor {\n lambda {\n function_arn = \"arn:aws:lambda:us-east-1:123456789012:function:t\"\n retries = 7\n buffer_size = 0.5\n }\n}",
            check: |d| {
                let pc = s3(d).processing_configuration().unwrap();
                assert_eq!(pc.enabled(), Some(true));
                let params = pc.processors()[0].parameters();
                let get = |n: fh::ProcessorParameterName| {
                    params.iter().find(|p| p.parameter_name() == &n).map(|p| p.parameter_value().to_string())
                };
                assert_eq!(get(fh::ProcessorParameterName::LambdaNumberOfRetries).as_deref(), Some("7"));
                assert_eq!(get(fh::ProcessorParameterName::BufferSizeInMb).as_deref(), Some("0.5"));
                assert_eq!(s3(d).cloud_watch_logging_options().and_then(|l| l.enabled()), Some(true), "logging back on");
            },
            versioned: true,
        },
        Step {
            what: "processor off, backup on",
            stream_attrs: "",
            s3_attrs: "s3_backup {\n compression = \"ZIP\"\n data_output_prefix = \"bk/\"\n}",
            check: |d| {
                let enabled = s3(d).processing_configuration().and_then(|p| p.enabled()).unwrap_or(false);
                assert!(!enabled, "processor removed");
                assert_eq!(s3(d).s3_backup_mode(), Some(&fh::S3BackupMode::Enabled));
                let b = s3(d).s3_backup_description().unwrap();
                assert_eq!(b.compression_format(), &fh::CompressionFormat::Zip);
                assert_eq!(b.prefix(), Some("bk/"));
            },
            versioned: true,
        },
        Step {
            what: "backup settings",
            stream_attrs: "",
            s3_attrs: "s3_backup {\n compression = \"GZIP\"\n buffering_interval = 60\n}",
            check: |d| {
                let b = s3(d).s3_backup_description().unwrap();
                assert_eq!(b.compression_format(), &fh::CompressionFormat::Gzip);
                assert_eq!(b.buffering_hints().unwrap().interval_in_seconds(), Some(60));
            },
            versioned: true,
        },
        Step {
            what: "SSE on (AWS owned) and tags",
            stream_attrs: "encryption = \"AWS_OWNED\"\ntags = { team = \"data\" }",
            s3_attrs: "s3_backup {\n compression = \"GZIP\"\n buffering_interval = 60\n}",
            check: |d| {
                let e = d.delivery_stream_encryption_configuration().unwrap();
                assert_eq!(e.key_type(), Some(&fh::KeyType::AwsOwnedCmk));
            },
            versioned: false,
        },
        Step {
            what: "SSE kind: customer managed, created key",
            stream_attrs: "encryption = \"CUSTOMER_MANAGED\"\ntags = { team = \"platform\" }",
            s3_attrs: "s3_backup {\n compression = \"GZIP\"\n buffering_interval = 60\n}",
            check: |d| {
                let e = d.delivery_stream_encryption_configuration().unwrap();
                assert_eq!(e.key_type(), Some(&fh::KeyType::CustomerManagedCmk));
                assert!(e.key_arn().is_some());
            },
            versioned: false,
        },
        Step {
            what: "SSE off",
            stream_attrs: "",
            s3_attrs: "s3_backup {\n compression = \"GZIP\"\n buffering_interval = 60\n}",
            check: |d| {
                let on = d
                    .delivery_stream_encryption_configuration()
                    .and_then(|e| e.status())
                    .is_some_and(|s| s == &fh::DeliveryStreamEncryptionStatus::Enabled);
                assert!(!on, "SSE stopped");
            },
            versioned: false,
        },
    ];
    let tf = new_tf(&name, &bucket, "", "");
    tf.apply().ok();
    let mut version: u32 = describe(&aws, &name).await.version_id().parse().unwrap();
    for step in &steps {
        let s3_attrs = step.s3_attrs.replace("\n", "\n      ");
        tf.write("main.tf", &config(&name, step.stream_attrs, &format!("      {s3_attrs}")));
        let plan = tf.plan().ok().all();
        assert!(plan.contains("~ update in-place"), "{}: {plan}", step.what);
        assert!(plan.contains("0 to add, 1 to change, 0 to destroy"), "{}: {plan}", step.what);
        tf.apply().ok();
        let d = describe(&aws, &name).await;
        (step.check)(&d);
        let now: u32 = d.version_id().parse().unwrap();
        if step.versioned {
            assert_eq!(now, version + 1, "{}: UpdateDestination with the current version", step.what);
        }
        version = now;
        tf.assert_no_changes();
    }
    // Tags reached the stream.
    let tags = aws.firehose.list_tags_for_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    assert!(!tags.tags().iter().any(|t| t.key() == "team"), "tag removed in the last step");
    // A destination key given later.
    let with_key = format!("      encryption_key_arn = \"{key}\"\n      s3_backup {{\n      }}");
    tf.write("main.tf", &config(&name, "", &with_key));
    tf.apply().ok();
    let d = describe(&aws, &name).await;
    assert_eq!(s3(&d).encryption_configuration().unwrap().kms_encryption_config().unwrap().awskms_key_arn(), key);
    tf.assert_no_changes();
    tf.destroy().ok();
    assert!(aws.iam.get_role().role_name(format!("{name}-firehose-source")).send().await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn name_and_source_changes_force_replacement() {
    let (aws, name, bucket) = setup("replace").await;
    let tf = new_tf(&name, &bucket, "", "");
    tf.apply().ok();
    tf.write("main.tf", &config(&format!("{name}-2"), "", ""));
    let plan = tf.plan().ok().all();
    assert!(plan.contains("must be replaced"), "{plan}");
    assert!(plan.contains("# forces replacement"), "{plan}");
    assert!(plan.lines().any(|l| l.contains("name") && l.contains("# forces replacement")), "{plan}");
    // AWS cannot turn S3 backup off in place.
    tf.write("main.tf", &config(&name, "", "      s3_backup {\n      }"));
    tf.apply().ok();
    tf.write("main.tf", &config(&name, "", ""));
    let plan = tf.plan().ok().all();
    assert!(plan.contains("must be replaced"), "{plan}");
    assert!(plan.lines().any(|l| l.contains("s3_backup") && l.contains("# forces replacement")), "{plan}");
    let src = aws.create_kinesis_stream(&format!("{name}-src")).await;
    tf.write("main.tf", &config(&name, &format!("source_stream_arn = \"{src}\""), ""));
    let plan = tf.plan().ok().all();
    assert!(plan.lines().any(|l| l.contains("source_stream_arn") && l.contains("# forces replacement")), "{plan}");
    tf.apply().ok();
    tf.assert_no_changes();
    tf.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_in_parts_is_shown_and_repaired() {
    let (aws, name, bucket) = setup("drift").await;
    let tf = new_tf(&name, &bucket, "", "");
    tf.apply().ok();
    let role = format!("{name}-firehose-dest");
    let policy = format!("firehose-{name}-destination");

    // A policy changed outside Terraform.
    let tampered = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    aws.iam.put_role_policy().role_name(&role).policy_name(&policy).policy_document(tampered).send().await.unwrap();
    let plan = tf.plan_code();
    assert_eq!(plan.code, 2, "drift must show as a change:\n{}", plan.all());
    assert!(plan.stdout.contains("destination_role_policy_json"), "{}", plan.stdout);
    tf.apply().ok();
    let doc = aws.iam.get_role_policy().role_name(&role).policy_name(&policy).send().await.unwrap();
    assert!(!urlencoding::decode(doc.policy_document()).unwrap().contains("s3:*"), "policy repaired");
    tf.assert_no_changes();

    // The role deleted outside Terraform.
    aws.iam.delete_role_policy().role_name(&role).policy_name(&policy).send().await.unwrap();
    aws.iam.delete_role().role_name(&role).send().await.unwrap();
    let plan = tf.plan_code();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("~ update in-place"), "{}", plan.stdout);
    tf.apply().ok();
    aws.iam.get_role().role_name(&role).send().await.expect("role re-created");
    aws.iam.get_role_policy().role_name(&role).policy_name(&policy).send().await.expect("policy re-created");
    tf.assert_no_changes();

    // The log group deleted outside Terraform.
    aws.logs.delete_log_group().log_group_name(format!("/aws/kinesisfirehose/{name}")).send().await.unwrap();
    let plan = tf.plan_code();
    assert_eq!(plan.code, 2, "{}", plan.all());
    tf.apply().ok();
    tf.assert_no_changes();

    // The stream deleted outside Terraform: its roles and log group remain
    // in this state, and the plan re-creates the stream among them.
    aws.firehose.delete_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let plan = tf.plan().ok().all();
    assert!(plan.contains("~ update in-place"), "{plan}");
    assert!(plan.contains("version_id") && plan.contains("(known after apply)"), "{plan}");
    assert!(plan.contains("0 to add, 1 to change, 0 to destroy"), "{plan}");
    tf.apply().ok();
    describe(&aws, &name).await;
    tf.assert_no_changes();
    tf.destroy().ok();
    assert!(support::leftovers::orphans(&aws, &name).await.is_empty());

    // Stream and parts all deleted outside Terraform: nothing is left to
    // hold, so the resource leaves the state and the plan creates it anew.
    tf.apply().ok();
    aws.firehose.delete_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    aws.iam.delete_role_policy().role_name(&role).policy_name(&policy).send().await.unwrap();
    aws.iam.delete_role().role_name(&role).send().await.unwrap();
    aws.logs.delete_log_group().log_group_name(format!("/aws/kinesisfirehose/{name}")).send().await.unwrap();
    let plan = tf.plan().ok().all();
    assert!(plan.contains("will be created") && plan.contains("1 to add"), "{plan}");
    tf.apply().ok();
    describe(&aws, &name).await;
    tf.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn import_by_name_and_by_arn_shows_no_changes() {
    let (aws, name, bucket) = setup("import").await;
    let attrs =
        "      data_output_prefix = \"in/\"\n      error_output_prefix = \"err/\"\n      compression = \"SNAPPY\"";
    let stream_attrs = "  tags = { owner = \"me\" }\n  encryption = \"CUSTOMER_MANAGED\"";
    let original = new_tf(&name, &bucket, stream_attrs, attrs);
    original.apply().ok();

    // terraform import, by name, into a fresh state.
    let by_name = new_tf(&name, &bucket, stream_attrs, attrs);
    by_name.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    by_name.assert_no_changes();

    // An import block, by ARN.
    let arn = describe(&aws, &name).await.delivery_stream_arn().to_string();
    let by_arn = new_tf(&name, &bucket, stream_attrs, attrs);
    by_arn.write("import.tf", &format!("import {{\n  to = firehose_delivery_stream.this\n  id = \"{arn}\"\n}}\n"));
    let plan = by_arn.plan().ok().all();
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    by_arn.apply().ok();
    by_arn.assert_no_changes();

    // A name that does not exist.
    let missing = new_tf("does-not-exist-anywhere", &bucket, "", "");
    let out = missing
        .run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", "does-not-exist-anywhere"])
        .failed();
    assert!(out.all().contains("does-not-exist-anywhere"), "{}", out.all());

    original.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_block_configures_credentials_endpoints_and_default_tags() {
    let (aws, name, bucket) = setup("provider").await;
    let provider = |sts: &str| {
        format!(
            r#"
provider "firehose" {{
  region       = "us-east-1"
  access_key   = "AKIAPROVIDERBLOCK"
  secret_key   = "provider-block-secret"
  endpoint_url = "{}"
  max_retries  = 0
  endpoints {{
    sts = "{sts}"
  }}
  default_tags {{
    tags = {{ team = "data", app = "default" }}
  }}
}}
"#,
            moto()
        )
    };
    let mut tf = new_tf(&name, &bucket, "  tags = { app = \"events\" }", "");
    for k in ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"] {
        tf.env.remove(k);
    }
    tf.env.insert("AWS_CONFIG_FILE".into(), "/dev/null".into());
    tf.env.insert("AWS_SHARED_CREDENTIALS_FILE".into(), "/dev/null".into());

    // A per-service endpoint wins over endpoint_url: a dead STS endpoint fails the plan.
    tf.write("provider.tf", &provider("http://127.0.0.1:9"));
    let out = tf.plan().failed();
    assert!(out.all().contains("sts:GetCallerIdentity"), "{}", out.all());

    tf.write("provider.tf", &provider(moto()));
    tf.apply().ok();
    let state = tf.resource("firehose_delivery_stream.this");
    assert_eq!(state["tags_all"]["team"], "data", "default tags merged");
    assert_eq!(state["tags_all"]["app"], "events", "resource tags win over default tags");
    let tags = aws.firehose.list_tags_for_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let get = |k: &str| tags.tags().iter().find(|t| t.key() == k).and_then(|t| t.value().map(str::to_string));
    assert_eq!(get("team").as_deref(), Some("data"));
    assert_eq!(get("app").as_deref(), Some("events"));
    let role = aws.iam.list_role_tags().role_name(format!("{name}-firehose-dest")).send().await.unwrap();
    assert!(role.tags().iter().any(|t| t.key() == "team" && t.value() == "data"), "parts carry the tags too");
    tf.assert_no_changes();
    tf.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_given_log_group_with_the_default_name_stays_the_users() {
    let (aws, name, bucket) = setup("lg-default-name").await;
    let group = format!("/aws/kinesisfirehose/{name}");
    aws.logs.create_log_group().log_group_name(&group).send().await.unwrap();
    let tf = new_tf(&name, &bucket, "", &format!("      log_group_name = \"{group}\""));
    tf.apply().ok();
    tf.assert_no_changes();
    let by_import = new_tf(&name, &bucket, "", &format!("      log_group_name = \"{group}\""));
    by_import.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
    by_import.assert_no_changes();
    tf.destroy().ok();
    let left = aws.logs.describe_log_groups().log_group_name_prefix(&group).send().await.unwrap();
    assert_eq!(left.log_groups().len(), 1, "the user's log group is kept");
}
