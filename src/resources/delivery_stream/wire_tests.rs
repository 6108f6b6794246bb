//! What apply sends, as the SDK puts it on the wire: each configuration of
//! the corpus below is planned and turned into its CreateDeliveryStream
//! (and UpdateDestination) request as apply does, the request is serialized
//! by the real `aws-sdk-firehose` client into an HTTP connector that keeps
//! the body, and the members the body holds are compared with the API
//! coverage table (docs/guides/api-coverage.md): every member the table
//! calls supported is sent by some configuration here, and nothing the
//! table calls unsupported is ever sent.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use serde_json::{json, Value as Json};

use super::create_request;
use crate::protocol::json::from_json;
use crate::protocol::{Diagnostics, Value};
use crate::resources::delivery_stream::destinations::testing::{self, ctx};
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, schema, validate};

/// An HTTP connector that keeps each request body and answers `{}`.
#[derive(Clone, Debug, Default)]
struct Keep(Arc<Mutex<Vec<Vec<u8>>>>);

impl HttpConnector for Keep {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        self.0.lock().unwrap().push(request.body().bytes().unwrap_or_default().to_vec());
        let answer = HttpResponse::new(200.try_into().unwrap(), SdkBody::from("{}"));
        HttpConnectorFuture::ready(Ok(answer))
    }
}

impl HttpClient for Keep {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn client(keep: &Keep) -> aws_sdk_firehose::Client {
    use aws_sdk_firehose::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_firehose::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None, "wire test"))
        .http_client(keep.clone())
        .build();
    aws_sdk_firehose::Client::from_conf(conf)
}

/// The CreateDeliveryStream and UpdateDestination bodies apply sends for
/// the stream configuration `c` (JSON in the resource's schema).
async fn sent(c: Json) -> Vec<Json> {
    let b = schema::schema().block;
    let mut config: Value = from_json(&c, &b.value_type()).unwrap();
    b.normalize(&mut config);
    let errors = validate::validate(&config);
    assert!(!errors.has_errors(), "{c}: {errors:?}");
    let mut d = Diagnostics::new();
    let (mut planned, _) = plan::planned_state(&config, None, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "{c}: {d:?}");
    crate::framework::walk::null_write_only(schema::block(), &mut planned);
    let spec = testing::spec(&planned, &config);
    let (kind, _) = super::super::destinations::of(&planned).unwrap();
    let bound = testing::bound(&spec);
    let key = config.attr("encryption_key_arn").as_str().map(str::to_string);
    let req = create_request(&spec, &planned, &spec.tags, kind.create(&bound).unwrap(), key.as_deref()).unwrap();
    let keep = Keep::default();
    let fh = client(&keep);
    req.call(fh.create_delivery_stream()).send().await.unwrap();
    let update = kind.update(&bound).unwrap();
    update(
        fh.update_destination().delivery_stream_name("s").current_delivery_stream_version_id("1").destination_id("d"),
    )
    .send()
    .await
    .unwrap();
    let bodies = keep.0.lock().unwrap().clone();
    bodies.iter().map(|b| serde_json::from_slice(b).unwrap()).collect()
}

/// Every member path in `body`, as the coverage table writes them:
/// `Shape.Member` joined by dots from the operation's input, `[]` for a
/// list's elements; a map's keys are not members.
fn members(body: &Json, at: &str, out: &mut BTreeSet<String>) {
    match body {
        Json::Object(m) => {
            for (k, v) in m {
                let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                out.insert(path.clone());
                if !is_map_member(k) {
                    members(v, &path, out);
                }
            }
        }
        Json::Array(items) => {
            for i in items {
                members(i, &format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

/// The API's map members (their keys are data, not members).
fn is_map_member(name: &str) -> bool {
    name == "ColumnToJsonKeyMappings"
}

const BUCKET: &str = "arn:aws:s3:::wire-bucket";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::123456789012:role/given";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf";

fn backup(mode: &str) -> Json {
    json!([{
        "mode": mode, "bucket_arn": BUCKET, "data_output_prefix": "b/", "error_output_prefix": "be/",
        "compression": "GZIP", "buffering_interval": 60, "buffering_size": 2, "encryption_key_arn": KEY,
        "log_group_name": "g"
    }])
}

/// A backup of failed records only, without a key: NoEncryption is sent.
fn failed_only() -> Json {
    json!([{"mode": "FAILED", "bucket_arn": BUCKET}])
}

fn processors() -> Json {
    json!([
        {"lambda": [{"function_arn": FUNCTION, "buffer_interval": 30, "buffer_size": 2, "retries": 1}]},
        {"decompression": [{}]},
        {"cloudwatch_log_processing": [{"data_message_extraction": true}]},
        {"append_delimiter_to_record": [{}]}
    ])
}

/// One configuration per kind and per alternative a block offers, with
/// every attribute set.
fn corpus() -> Vec<Json> {
    let s3 = |extra: Json| {
        let mut b = json!({
            "bucket_arn": BUCKET, "data_output_prefix": "d/!{partitionKeyFromQuery:c}/",
            "error_output_prefix": "e/!{firehose:error-output-type}/", "compression": "UNCOMPRESSED",
            "buffering_interval": 60, "buffering_size": 64, "encryption_key_arn": KEY, "log_group_name": "g",
            "role_arn": ROLE, "custom_time_zone": "Europe/Paris", "file_extension": ".json",
            "processor": [
                {"metadata_extraction": [{"query": "{c: .c}", "json_parsing_engine": "JQ-1.6"}]},
                {"record_deaggregation": [{"type": "DELIMITED", "delimiter": "IyMjIw=="}]},
                {"lambda": [{"function_arn": FUNCTION}]}
            ],
            "dynamic_partitioning": [{"retry_duration": 60}],
            "s3_backup": backup("ALL")
        });
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!({"s3_bucket": [b]})
    };
    let conversion = |input: Json, output: Json| {
        json!({"data_format_conversion": [{
            "input": [input], "output": [output],
            "schema": [{"database_name": "db", "table_name": "t", "region": "us-east-1",
                        "catalog_id": "123456789012", "version_id": "2"}]
        }], "buffering_size": 128})
    };
    let stream = |extra: Json, destination: Json| {
        let mut s = json!({"name": "s", "tags": {"team": "data"}, "destination": [destination]});
        s.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        s
    };
    let msk = json!({"source_msk": [{
        "cluster_arn": "arn:aws:kafka:us-east-1:123456789012:cluster/c/abcd1234-ab12-cd34-ef56-abcdef123456-1",
        "topic_name": "t", "connectivity": "PRIVATE", "read_from_timestamp": "2026-01-01T00:00:00Z"
    }]});
    let vpc = json!([{"subnet_ids": ["subnet-0123456789abcdef0"], "security_group_ids": ["sg-0123456789abcdef0"]}]);
    vec![
        stream(
            json!({"throughput_hint_mbs": 5}),
            json!({"s3_bucket": [{"bucket_arn": BUCKET, "s3_backup": [{"bucket_arn": BUCKET}]}]}),
        ),
        stream(
            json!({"encryption": "CUSTOMER_MANAGED", "encryption_key_arn": KEY, "role_arn": ROLE}),
            s3(conversion(
                json!({"openx_json": [{"case_insensitive": false, "convert_dots_in_json_keys_to_underscores": true,
                                      "column_to_json_key_mappings": {"a": "b"}}]}),
                json!({"parquet": [{"compression": "GZIP", "block_size_bytes": 67108864, "page_size_bytes": 65536,
                                   "enable_dictionary_compression": true, "max_padding_bytes": 1,
                                   "writer_version": "V2"}]}),
            )),
        ),
        stream(
            json!({"source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/src"}),
            s3(conversion(
                json!({"hive_json": [{"timestamp_formats": ["millis"]}]}),
                json!({"orc": [{"compression": "ZLIB", "block_size_bytes": 67108864, "stripe_size_bytes": 8388608,
                               "row_index_stride": 1000, "enable_padding": true, "padding_tolerance": 0.1,
                               "bloom_filter_columns": ["a"], "bloom_filter_false_positive_probability": 0.1,
                               "dictionary_key_threshold": 0.5,
                               "format_version": "V0_11"}]}),
            )),
        ),
        stream(
            msk.clone(),
            json!({"http_endpoint": [{
                "url": "https://example.com/in", "name": "n", "access_key_wo": "k", "content_encoding": "GZIP",
                "common_attributes": {"a": "b"}, "buffering_interval": 30, "buffering_size": 2, "retry_duration": 10,
                "role_arn": ROLE, "log_group_name": "g", "processor": processors(), "s3_backup": backup("ALL")
            }]}),
        ),
        stream(
            json!({"encryption": "AWS_OWNED"}),
            json!({"http_endpoint": [{"url": "https://example.com/in", "secret_arn": SECRET, "secret_role_arn": ROLE,
                                      "s3_backup": failed_only()}]}),
        ),
        stream(
            json!({}),
            json!({"splunk": [{
                "hec_endpoint": "https://splunk.example.com:8088", "hec_endpoint_type": "Event", "hec_token_wo": "t",
                "hec_acknowledgment_timeout": 200, "retry_duration": 10, "buffering_interval": 30, "buffering_size": 2,
                "log_group_name": "g", "processor": processors(), "s3_backup": backup("ALL")
            }]}),
        ),
        stream(
            json!({}),
            json!({"splunk": [{"hec_endpoint": "https://splunk.example.com:8088", "secret_arn": SECRET,
                               "s3_backup": failed_only()}]}),
        ),
        stream(
            json!({}),
            json!({"redshift": [{
                "cluster_jdbc_url": "jdbc:redshift://c.abc123.us-east-1.redshift.amazonaws.com:5439/dev",
                "username": "u", "password_wo": "password", "data_table_name": "t", "data_table_columns": "a,b",
                "copy_options": "JSON 'auto'", "retry_duration": 10, "log_group_name": "g", "processor": processors(),
                "s3_staging": [{"bucket_arn": BUCKET, "data_output_prefix": "s/", "error_output_prefix": "se/",
                                "compression": "UNCOMPRESSED", "buffering_interval": 60, "buffering_size": 2,
                                "encryption_key_arn": KEY}],
                "s3_backup": backup("ALL")
            }]}),
        ),
        stream(
            json!({}),
            json!({"redshift": [{
                "cluster_jdbc_url": "jdbc:redshift://c.abc123.us-east-1.redshift.amazonaws.com:5439/dev",
                "secret_arn": SECRET, "data_table_name": "t", "s3_staging": [{"bucket_arn": BUCKET}],
                "s3_backup": [{"bucket_arn": BUCKET}]
            }]}),
        ),
        stream(
            json!({}),
            json!({"snowflake": [{
                "account_url": "https://acct.snowflakecomputing.com", "user": "u", "private_key_wo": "k".repeat(256),
                "key_passphrase_wo": "passphrase", "database": "d", "schema": "s", "table": "t",
                "snowflake_role": "r", "data_loading_option": "VARIANT_CONTENT_AND_METADATA_MAPPING",
                "content_column_name": "c", "metadata_column_name": "m", "private_link_vpce_id":
                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "retry_duration": 10,
                "buffering_interval": 30, "buffering_size": 2, "log_group_name": "g", "processor": processors(),
                "s3_backup": backup("ALL")
            }]}),
        ),
        stream(
            json!({}),
            json!({"snowflake": [{
                "account_url": "https://acct.snowflakecomputing.com", "secret_arn": SECRET, "database": "d",
                "schema": "s", "table": "t", "s3_backup": failed_only()
            }]}),
        ),
        stream(
            json!({}),
            json!({"opensearch": [{
                "domain_arn": "arn:aws:es:us-east-1:123456789012:domain/dom", "index_name": "i", "type_name": "t",
                "index_rotation_period": "OneWeek", "document_id": "NO_DOCUMENT_ID", "retry_duration": 10,
                "buffering_interval": 30, "buffering_size": 2, "vpc": vpc.clone(), "log_group_name": "g",
                "processor": processors(), "s3_backup": backup("ALL")
            }]}),
        ),
        stream(
            json!({}),
            json!({"opensearch": [{
                "cluster_endpoint": "https://search-dom-abc.us-east-1.es.amazonaws.com", "index_name": "i",
                "s3_backup": failed_only()
            }]}),
        ),
        stream(
            json!({}),
            json!({"opensearch_serverless": [{
                "collection_endpoint": "https://abc123.us-east-1.aoss.amazonaws.com", "index_name": "i",
                "retry_duration": 10, "buffering_interval": 30, "buffering_size": 2, "vpc": vpc,
                "log_group_name": "g", "processor": processors(), "s3_backup": backup("ALL")
            }]}),
        ),
        stream(
            json!({}),
            json!({"opensearch_serverless": [{
                "collection_endpoint": "https://abc123.us-east-1.aoss.amazonaws.com", "index_name": "i",
                "s3_backup": failed_only()
            }]}),
        ),
        stream(
            json!({}),
            json!({"iceberg": [{
                "catalog_arn": "arn:aws:glue:us-east-1:123456789012:catalog",
                "warehouse_location": "s3://wire-bucket/w", "schema_evolution": true, "table_creation": true,
                "retry_duration": 10, "buffering_interval": 30, "buffering_size": 2, "log_group_name": "g",
                "processor": processors(),
                "table": [{"database": "d", "name": "t", "unique_keys": ["id"], "partition_fields": ["p"],
                           "error_output_prefix": "te/"}],
                "s3_backup": backup("FAILED")
            }]}),
        ),
        stream(
            json!({}),
            json!({"iceberg": [{
                "warehouse_location": "s3://wire-bucket/w", "append_only": true,
                "table": [{"database": "d", "name": "t"}], "s3_backup": failed_only()
            }]}),
        ),
    ]
}

/// The rows of the coverage table: each member path with whether the
/// resource supports it.
fn table() -> Vec<(String, bool)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guides/api-coverage.md")).unwrap();
    doc.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            // | `Member.Path` | `hcl` or — | supported / not supported: why |
            let path = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let status = cells.get(3)?;
            Some((path.to_string(), !status.starts_with("not supported")))
        })
        .collect()
}

#[tokio::test]
async fn every_supported_member_is_sent_and_no_other() {
    let mut seen = BTreeSet::new();
    for c in corpus() {
        for body in sent(c).await {
            members(&body, "", &mut seen);
        }
    }
    // UpdateDestination's members name the same configurations with
    // "Update" in place of "Configuration"; the table is of create's.
    let rows = table();
    assert!(rows.len() > 200, "the coverage table has {} rows", rows.len());
    let create: BTreeSet<String> = seen
        .iter()
        .filter(|p| !["CurrentDeliveryStreamVersionId", "DestinationId"].contains(&p.as_str()))
        .filter(|p| !p.contains("DestinationUpdate"))
        .cloned()
        .collect();
    let missing: Vec<&String> = rows.iter().filter(|(p, s)| *s && !create.contains(p)).map(|(p, _)| p).collect();
    assert!(missing.is_empty(), "supported in the table but sent by no configuration: {missing:#?}");
    let refused: Vec<&String> = rows.iter().filter(|(p, s)| !*s && create.contains(p)).map(|(p, _)| p).collect();
    assert!(refused.is_empty(), "sent, but the table says not supported: {refused:#?}");
    let unknown: Vec<&String> = create.iter().filter(|p| !rows.iter().any(|(r, _)| r == *p)).collect();
    assert!(unknown.is_empty(), "sent, but not in the table: {unknown:#?}");
}

#[tokio::test]
async fn members_are_read_from_what_the_sdk_sends() {
    // The S3 kind's smallest configuration sends its required members.
    let bodies = sent(json!({"name": "s", "destination": [{"s3_bucket": [{"bucket_arn": BUCKET}]}]})).await;
    let mut seen = BTreeSet::new();
    members(&bodies[0], "", &mut seen);
    for m in [
        "DeliveryStreamName",
        "DeliveryStreamType",
        "ExtendedS3DestinationConfiguration.BucketARN",
        "ExtendedS3DestinationConfiguration.RoleARN",
        "ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds",
    ] {
        assert!(seen.contains(m), "{m} not in {seen:#?}");
    }
    assert!(!seen.contains("KinesisStreamSourceConfiguration"), "{seen:#?}");
}
