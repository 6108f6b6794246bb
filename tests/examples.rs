//! Every CDK README example, applied with real Terraform against moto and
//! checked on the AWS side: the stream's configuration, the roles and their
//! policies, log group, key and backup bucket; then a second plan with no
//! changes; then destroy, after which nothing the resource created remains
//! and everything the user supplied does.

mod support;

use aws_sdk_firehose::types as fh;
use serde_json::Value as Json;
use support::aws::Aws;
use support::given::{supply, tfvars, Given};
use support::{moto, unique, Tf};

const ACCOUNT: &str = "123456789012";

fn policy(doc: &str) -> Json {
    serde_json::from_str(&urlencoding::decode(doc).unwrap()).unwrap()
}

fn statement<'a>(doc: &'a Json, sid: &str) -> &'a Json {
    doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == sid).unwrap_or_else(|| panic!("no {sid} in {doc}"))
}

fn strings(v: &Json) -> Vec<String> {
    match v {
        Json::String(s) => vec![s.clone()],
        Json::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        _ => vec![],
    }
}

async fn check_role(aws: &Aws, role_arn: &str, policy_name: &str, expected_doc: &str) -> Json {
    let role = role_arn.rsplit('/').next().unwrap();
    let r = aws.iam.get_role().role_name(role).send().await.expect("role exists");
    let trust = policy(r.role().unwrap().assume_role_policy_document().unwrap());
    let st = &trust["Statement"][0];
    if !role.contains("-user-") {
        assert_eq!(st["Principal"]["Service"], "firehose.amazonaws.com", "{trust}");
        assert_eq!(st["Condition"]["StringEquals"]["sts:ExternalId"], ACCOUNT, "confused-deputy guard: {trust}");
    }
    let p = aws.iam.get_role_policy().role_name(role).policy_name(policy_name).send().await.expect("inline policy");
    let actual = policy(p.policy_document());
    assert_eq!(actual, serde_json::from_str::<Json>(expected_doc).unwrap(), "policy granted = policy in state");
    for s in actual["Statement"].as_array().unwrap() {
        assert!(!strings(&s["Resource"]).iter().any(|r| r == "*"), "no wildcard resources: {actual}");
    }
    actual
}

type Expect = fn(&Given, &fh::DeliveryStreamDescription, &Json);

/// Examples whose stream is also imported and re-planned.
const IMPORTED: [&str; 4] = ["processors", "dynamic_partitioning", "format_conversion", "direct_put"];

async fn run_example(example: &str, expect: Expect) {
    let main_tf = std::fs::read_to_string(support::repo().join("examples").join(example).join("main.tf")).unwrap();
    let aws = support::aws::clients(moto()).await;
    let name = unique(&example.replace('_', "-"));
    let given = supply(&aws, &main_tf, &name).await;
    let tf = Tf::new(&main_tf);
    tf.write("terraform.tfvars", &tfvars(&given.vars));

    tf.apply().ok();
    let state = tf.resource("firehose_delivery_stream.this");
    assert_eq!(state["name"], name.as_str());
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(&name).send().await.unwrap();
    let desc = desc.delivery_stream_description().unwrap().clone();
    assert_eq!(desc.delivery_stream_status(), &fh::DeliveryStreamStatus::Active);
    let s3 = desc.destinations()[0].extended_s3_destination_description().unwrap();
    assert_eq!(s3.bucket_arn(), given.vars["bucket_arn"]);
    assert_eq!(s3.role_arn(), state["destination_role_arn"].as_str().unwrap());

    // Roles and the exact policies granted.
    let dest_policy = check_role(
        &aws,
        state["destination_role_arn"].as_str().unwrap(),
        &format!("firehose-{name}-destination"),
        state["destination_role_policy_json"].as_str().unwrap(),
    )
    .await;
    let s3_grant = statement(&dest_policy, "S3Delivery");
    assert_eq!(
        strings(&s3_grant["Action"]),
        [
            "s3:AbortMultipartUpload",
            "s3:GetBucketLocation",
            "s3:GetObject",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
            "s3:PutObject"
        ]
    );
    let bucket = &given.vars["bucket_arn"];
    assert!(strings(&s3_grant["Resource"]).starts_with(&[bucket.clone(), format!("{bucket}/*")]), "{s3_grant}");
    if let Some(role) = state["stream_role_arn"].as_str() {
        check_role(&aws, role, &format!("firehose-{name}-source"), state["stream_role_policy_json"].as_str().unwrap())
            .await;
    } else {
        assert!(state["stream_role_policy_json"].is_null());
    }

    // Logging: the group and its streams exist.
    let logging = s3.cloud_watch_logging_options().and_then(|l| l.enabled()).unwrap_or(false);
    if let Some(group) = state["log_group_name"].as_str() {
        let streams = aws.logs.describe_log_streams().log_group_name(group).send().await.expect("log group exists");
        let names: Vec<&str> = streams.log_streams().iter().filter_map(|s| s.log_stream_name()).collect();
        if logging {
            assert!(names.contains(&"S3Destination"), "{names:?}");
            assert_eq!(s3.cloud_watch_logging_options().unwrap().log_group_name(), Some(group));
            assert_eq!(s3.cloud_watch_logging_options().unwrap().log_stream_name(), Some("S3Destination"));
            let logs = statement(&dest_policy, "Logging");
            assert_eq!(strings(&logs["Resource"]), [format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:*")]);
        }
    }

    expect(&given, &desc, &state);

    tf.assert_no_changes();

    // The 0.2 features import as they were applied: forgotten, imported by
    // name, and planned again with no changes.
    if IMPORTED.contains(&example) {
        tf.run(&["state", "rm", "-no-color", "firehose_delivery_stream.this"]).ok();
        tf.run(&["import", "-no-color", "-input=false", "firehose_delivery_stream.this", &name]).ok();
        tf.assert_no_changes();
    }

    tf.destroy().ok();
    assert_gone(&aws, &name, &state).await;
    assert_user_parts_remain(&aws, &given, &name).await;
}

async fn assert_gone(aws: &Aws, name: &str, state: &Json) {
    let d = aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await;
    assert!(d.is_err(), "stream {name} still exists");
    for role in [format!("{name}-firehose-dest"), format!("{name}-firehose-source")] {
        assert!(aws.iam.get_role().role_name(&role).send().await.is_err(), "role {role} left behind");
    }
    let groups = aws
        .logs
        .describe_log_groups()
        .log_group_name_prefix(format!("/aws/kinesisfirehose/{name}"))
        .send()
        .await
        .unwrap();
    assert!(groups.log_groups().is_empty(), "log group left behind");
    if let Some(key) = state["encryption_key_arn"].as_str() {
        let meta = aws.kms.describe_key().key_id(key).send().await.unwrap();
        let meta = meta.key_metadata().unwrap();
        let created = !key.is_empty() && meta.description().unwrap_or_default().contains("Server-side encryption");
        if created {
            assert_eq!(
                meta.key_state(),
                Some(&aws_sdk_kms::types::KeyState::PendingDeletion),
                "created key scheduled for deletion"
            );
        }
    }
    let alias = aws.kms.describe_key().key_id(format!("alias/firehose/{name}")).send().await;
    assert!(alias.is_err(), "alias left behind");
    let buckets = aws.s3.list_buckets().send().await.unwrap();
    assert!(
        !buckets.buckets().iter().any(|b| b.name().is_some_and(|n| n.contains("-backup-") && n.starts_with(name))),
        "created backup bucket left behind"
    );
}

async fn assert_user_parts_remain(aws: &Aws, given: &Given, name: &str) {
    for b in &given.buckets {
        aws.s3.head_bucket().bucket(b).send().await.unwrap_or_else(|_| panic!("user bucket {b} was deleted"));
    }
    for k in &given.keys {
        let m = aws.kms.describe_key().key_id(k).send().await.unwrap();
        assert_eq!(m.key_metadata().unwrap().key_state(), Some(&aws_sdk_kms::types::KeyState::Enabled), "user key {k}");
    }
    for r in &given.roles {
        aws.iam.get_role().role_name(r).send().await.unwrap_or_else(|_| panic!("user role {r} was deleted"));
        let policies = aws.iam.list_role_policies().role_name(r).send().await.unwrap();
        assert!(
            !policies.policy_names().iter().any(|p| p.contains(name)),
            "policy the provider attached to {r} was not removed: {:?}",
            policies.policy_names()
        );
    }
    for g in &given.groups {
        let out = aws.logs.describe_log_groups().log_group_name_prefix(g).send().await.unwrap();
        assert!(
            out.log_groups().iter().any(|x| x.log_group_name() == Some(g.as_str())),
            "user log group {g} was deleted"
        );
    }
}

fn s3(d: &fh::DeliveryStreamDescription) -> &fh::ExtendedS3DestinationDescription {
    d.destinations()[0].extended_s3_destination_description().unwrap()
}

fn hints(d: &fh::DeliveryStreamDescription) -> (Option<i32>, Option<i32>) {
    let h = s3(d).buffering_hints().unwrap();
    (h.interval_in_seconds(), h.size_in_mbs())
}

fn defaults_only(d: &fh::DeliveryStreamDescription) {
    assert_eq!(s3(d).compression_format(), &fh::CompressionFormat::Uncompressed);
    assert_eq!(hints(d), (Some(300), Some(5)));
    assert_ne!(s3(d).s3_backup_mode(), Some(&fh::S3BackupMode::Enabled));
}

fn sse(d: &fh::DeliveryStreamDescription) -> Option<&fh::KeyType> {
    d.delivery_stream_encryption_configuration()
        .filter(|e| e.status().is_none_or(|s| s == &fh::DeliveryStreamEncryptionStatus::Enabled))
        .and_then(|e| e.key_type())
}

fn processor_param(d: &fh::DeliveryStreamDescription, p: fh::ProcessorParameterName) -> Option<&str> {
    let pc = s3(d).processing_configuration()?;
    pc.processors().first()?.parameters().iter().find(|x| x.parameter_name() == &p).map(|x| x.parameter_value())
}

fn backup(d: &fh::DeliveryStreamDescription) -> &fh::S3DestinationDescription {
    assert_eq!(s3(d).s3_backup_mode(), Some(&fh::S3BackupMode::Enabled));
    s3(d).s3_backup_description().unwrap()
}

macro_rules! example_test {
    ($name:ident, $expect:expr) => {
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            run_example(stringify!($name), $expect).await;
        }
    };
}

example_test!(basic_s3, |_, d, s| {
    defaults_only(d);
    assert_eq!(d.delivery_stream_type(), &fh::DeliveryStreamType::DirectPut);
    assert!(sse(d).is_none());
    assert!(s["stream_role_arn"].is_null(), "no stream role without a source or key");
    assert!(s["put_records_policy_json"].as_str().unwrap().contains("firehose:PutRecordBatch"));
});

example_test!(direct_put, |_, d, s| {
    assert_eq!(d.delivery_stream_type(), &fh::DeliveryStreamType::DirectPut);
    assert!(d.source().is_none_or(|s| s.kinesis_stream_source_description().is_none()));
    // Read back through the API-checked endpoint, where the hint is described
    // as AWS describes it (moto drops it); the import below reads it too.
    assert_eq!(s["throughput_hint_mbs"], 5);
});

example_test!(kinesis_source, |g, d, s| {
    assert_eq!(d.delivery_stream_type(), &fh::DeliveryStreamType::KinesisStreamAsSource);
    let src = d.source().unwrap().kinesis_stream_source_description().unwrap();
    assert_eq!(src.kinesis_stream_arn(), Some(g.vars["source_stream_arn"].as_str()));
    assert_eq!(src.role_arn(), s["stream_role_arn"].as_str());
    let doc: Json = serde_json::from_str(s["stream_role_policy_json"].as_str().unwrap()).unwrap();
    let st = statement(&doc, "KinesisSource");
    assert_eq!(strings(&st["Resource"]), [g.vars["source_stream_arn"].clone()]);
    assert_eq!(strings(&st["Action"]).len(), 5);
    assert!(s["put_records_policy_json"].is_null());
});

example_test!(custom_prefixes, |_, d, _| {
    assert_eq!(s3(d).prefix(), Some("myFirehose/!{timestamp:yyyy/MM/dd}/rand=!{firehose:random-string}/"));
    assert_eq!(
        s3(d).error_output_prefix(),
        Some("myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}/")
    );
});

example_test!(sse_aws_owned, |_, d, s| {
    assert_eq!(sse(d), Some(&fh::KeyType::AwsOwnedCmk));
    assert!(s["encryption_key_arn"].is_null());
    assert!(s["stream_role_arn"].is_null());
});

example_test!(sse_customer_managed_created, |_, d, s| {
    assert_eq!(sse(d), Some(&fh::KeyType::CustomerManagedCmk));
    let key = s["encryption_key_arn"].as_str().unwrap();
    assert_eq!(d.delivery_stream_encryption_configuration().unwrap().key_arn(), Some(key));
    let doc: Json = serde_json::from_str(s["stream_role_policy_json"].as_str().unwrap()).unwrap();
    assert_eq!(strings(&statement(&doc, "StreamEncryption")["Resource"]), [key.to_string()]);
});

example_test!(sse_customer_managed_given, |g, d, s| {
    assert_eq!(sse(d), Some(&fh::KeyType::CustomerManagedCmk));
    assert_eq!(d.delivery_stream_encryption_configuration().unwrap().key_arn(), Some(g.vars["kms_key_arn"].as_str()));
    assert_eq!(s["encryption"], "CUSTOMER_MANAGED", "encryption defaults to CUSTOMER_MANAGED when a key is given");
});

example_test!(logging_given_group, |g, d, s| {
    let group = g.vars["log_group_name"].as_str();
    assert_eq!(s3(d).cloud_watch_logging_options().unwrap().log_group_name(), Some(group));
    assert_eq!(s["log_group_name"], group);
});

example_test!(logging_disabled, |_, d, s| {
    assert_eq!(s3(d).cloud_watch_logging_options().and_then(|l| l.enabled()), Some(false));
    assert!(s["log_group_name"].is_null());
    let doc: Json = serde_json::from_str(s["destination_role_policy_json"].as_str().unwrap()).unwrap();
    assert!(!doc.to_string().contains("logs:"), "no logging grant when logging is off");
});

example_test!(compression, |_, d, _| {
    assert_eq!(s3(d).compression_format(), &fh::CompressionFormat::Gzip);
});

example_test!(buffering, |_, d, _| {
    assert_eq!(hints(d), (Some(60), Some(8)));
});

example_test!(destination_encryption, |g, d, s| {
    let key = g.vars["destination_key_arn"].as_str();
    let enc = s3(d).encryption_configuration().unwrap().kms_encryption_config().unwrap();
    assert_eq!(enc.awskms_key_arn(), key);
    let doc: Json = serde_json::from_str(s["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let st = statement(&doc, "S3Encryption");
    assert_eq!(strings(&st["Resource"]), [key.to_string()]);
    assert_eq!(strings(&st["Action"]), ["kms:Decrypt", "kms:GenerateDataKey"]);
    assert_eq!(st["Condition"]["StringEquals"]["kms:ViaService"], "s3.us-east-1.amazonaws.com");
});

example_test!(backup_created_bucket, |_, d, s| {
    let b = backup(d);
    let created = s["destination"][0]["s3_bucket"][0]["s3_backup"][0]["bucket_arn"].as_str().unwrap();
    assert_eq!(b.bucket_arn(), created);
    assert!(created.contains("-backup-"), "{created}");
    let doc: Json = serde_json::from_str(s["destination_role_policy_json"].as_str().unwrap()).unwrap();
    assert!(strings(&statement(&doc, "S3Delivery")["Resource"]).contains(&format!("{created}/*")));
});

example_test!(backup_given_bucket, |g, d, _| {
    assert_eq!(backup(d).bucket_arn(), g.vars["backup_bucket_arn"]);
});

example_test!(backup_given_prefix, |g, d, _| {
    let b = backup(d);
    assert_eq!(b.bucket_arn(), g.vars["backup_bucket_arn"]);
    assert_eq!(b.prefix(), Some("backup/"));
});

example_test!(lambda_processor, |g, d, s| {
    use fh::ProcessorParameterName as P;
    assert_eq!(processor_param(d, P::LambdaArn), Some(g.vars["lambda_arn"].as_str()));
    assert_eq!(processor_param(d, P::BufferIntervalInSeconds), Some("300"));
    assert_eq!(processor_param(d, P::BufferSizeInMb), Some("3"));
    assert_eq!(processor_param(d, P::LambdaNumberOfRetries), Some("5"));
    let doc: Json = serde_json::from_str(s["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let st = statement(&doc, "LambdaProcessor");
    assert_eq!(strings(&st["Action"]), ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]);
    // Exactly the function as configured: no `:*` over its versions.
    assert_eq!(strings(&st["Resource"]), [g.vars["lambda_arn"].clone()]);
});

example_test!(processors, |g, d, s| {
    use fh::ProcessorParameterName as P;
    let pc = s3(d).processing_configuration().unwrap();
    let kinds: Vec<&str> = pc.processors().iter().map(|p| p.r#type().as_str()).collect();
    assert_eq!(kinds, ["Decompression", "CloudWatchLogProcessing", "Lambda", "AppendDelimiterToRecord"]);
    let param = |i: usize, n: P| {
        pc.processors()[i]
            .parameters()
            .iter()
            .find(|x| x.parameter_name() == &n)
            .map(|x| x.parameter_value().to_string())
    };
    assert_eq!(param(0, P::CompressionFormat).as_deref(), Some("GZIP"));
    assert_eq!(param(1, P::DataMessageExtraction).as_deref(), Some("true"));
    assert_eq!(param(2, P::LambdaArn).as_deref(), Some(g.vars["lambda_arn"].as_str()));
    // Defaults are sent, so AWS has nothing to fill in and report back.
    assert_eq!(param(2, P::BufferSizeInMb).as_deref(), Some("1"));
    let procs = &s["destination"][0]["s3_bucket"][0]["processor"];
    assert_eq!(procs[2]["lambda"][0]["retries"], 3);
    assert!(s["metrics"]["succeed_processing_records"] == "SucceedProcessing.Records");
});

example_test!(dynamic_partitioning, |_, d, s| {
    use fh::ProcessorParameterName as P;
    let dp = s3(d).dynamic_partitioning_configuration().unwrap();
    assert_eq!(dp.enabled(), Some(true));
    assert_eq!(dp.retry_options().and_then(|r| r.duration_in_seconds()), Some(600));
    assert_eq!(hints(d).1, Some(64));
    assert_eq!(s3(d).custom_time_zone(), Some("Europe/Paris"));
    assert_eq!(s3(d).file_extension(), Some(".json"));
    let pc = s3(d).processing_configuration().unwrap();
    let query = pc.processors()[1].parameters().iter().find(|x| x.parameter_name() == &P::MetadataExtractionQuery);
    assert_eq!(query.map(|q| q.parameter_value()), Some("{customer: .customer_id}"));
    assert!(
        s["metrics"]["partition_count"] == "PartitionCount"
            && s["metrics"]["jq_processing_duration"] == "JQProcessing.Duration"
    );
});

example_test!(format_conversion, |g, d, s| {
    let c = s3(d).data_format_conversion_configuration().unwrap();
    assert_eq!(c.enabled(), Some(true));
    let sc = c.schema_configuration().unwrap();
    assert_eq!(sc.database_name(), Some(g.vars["glue_database"].as_str()));
    assert_eq!((sc.table_name(), sc.region(), sc.catalog_id()), (Some("events"), Some("us-east-1"), Some(ACCOUNT)));
    // Firehose reads the table as the destination role.
    assert_eq!(sc.role_arn(), s["destination_role_arn"].as_str());
    let parquet =
        c.output_format_configuration().and_then(|o| o.serializer()).and_then(|s| s.parquet_ser_de()).unwrap();
    assert_eq!(parquet.compression(), Some(&fh::ParquetCompression::Snappy));
    assert_eq!(s3(d).compression_format(), &fh::CompressionFormat::Uncompressed);
    assert_eq!(hints(d).1, Some(128));
    let doc: Json = serde_json::from_str(s["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let st = statement(&doc, "FormatConversion");
    assert_eq!(strings(&st["Action"]), ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"]);
    let db = &g.vars["glue_database"];
    assert_eq!(
        strings(&st["Resource"]),
        [
            format!("arn:aws:glue:us-east-1:{ACCOUNT}:catalog"),
            format!("arn:aws:glue:us-east-1:{ACCOUNT}:database/{db}"),
            format!("arn:aws:glue:us-east-1:{ACCOUNT}:table/{db}/events"),
        ]
    );
});

example_test!(given_roles, |g, d, s| {
    assert_eq!(s3(d).role_arn(), g.vars["destination_role_arn"]);
    let src = d.source().unwrap().kinesis_stream_source_description().unwrap();
    assert_eq!(src.role_arn(), Some(g.vars["stream_role_arn"].as_str()));
    assert_eq!(s["stream_role_arn"], g.vars["stream_role_arn"].as_str());
});

example_test!(all_properties, |g, d, s| {
    use fh::ProcessorParameterName as P;
    assert_eq!(sse(d), Some(&fh::KeyType::CustomerManagedCmk));
    assert_eq!(s3(d).compression_format(), &fh::CompressionFormat::Gzip);
    assert_eq!(hints(d), (Some(60), Some(1)));
    assert_eq!(s3(d).prefix(), Some("regularPrefix"));
    assert_eq!(s3(d).error_output_prefix(), Some("errorPrefix"));
    assert_eq!(processor_param(d, P::LambdaNumberOfRetries), Some("1"));
    let b = backup(d);
    assert_eq!(b.bucket_arn(), g.vars["backup_bucket_arn"]);
    assert_eq!(b.compression_format(), &fh::CompressionFormat::Zip);
    assert_eq!(b.prefix(), Some("backupPrefix"));
    assert_eq!(
        b.encryption_configuration().unwrap().kms_encryption_config().unwrap().awskms_key_arn(),
        g.vars["backup_key_arn"]
    );
    assert_eq!(s["log_retention_days"], 30);
    assert_eq!(s["tags_all"]["app"], "all-properties");
});
