use serde_json::json;

use super::super::testing::{self, ctx};
use super::api;
use crate::protocol::{Diagnostics, Value};
use crate::resources::delivery_stream::derive;
use crate::resources::delivery_stream::plan;
use crate::resources::delivery_stream::private::Private;

const BUCKET: &str = "arn:aws:s3:::data";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

fn config(s3: serde_json::Value) -> Value {
    testing::config("s3_bucket", json!({"bucket_arn": BUCKET}), s3)
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "s3_bucket")
}

fn at(e: &[(String, String)]) -> Vec<&str> {
    e.iter().map(|(p, _)| p.as_str()).collect()
}

fn planned(c: &Value, prior: Option<&Value>) -> (Value, Vec<String>) {
    let mut d = Diagnostics::new();
    let (v, replace) = plan::planned_state(c, prior, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "{d:?}");
    (v, replace.iter().map(|p| p.to_string()).collect())
}

fn partitioned() -> serde_json::Value {
    json!({
        "data_output_prefix": "by/!{partitionKeyFromQuery:customer}/!{timestamp:yyyy}/",
        "error_output_prefix": "errors/!{firehose:error-output-type}/",
        "dynamic_partitioning": [{}],
        "processor": [{"metadata_extraction": [{"query": "{customer: .customer_id}"}]}],
    })
}

fn converted() -> serde_json::Value {
    json!({
        "data_format_conversion": [{
            "input": [{"openx_json": [{}]}],
            "output": [{"parquet": [{"compression": "GZIP"}]}],
            "schema": [{"database_name": "analytics", "table_name": "events"}],
        }]
    })
}

#[test]
fn a_partitioned_destination_is_valid_and_plans_its_defaults() {
    let c = config(partitioned());
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let (p, _) = planned(&c, None);
    let s3 = derive::dest(&p);
    assert_eq!(s3.attr("buffering_size"), &Value::int(64));
    assert_eq!(s3.attr("custom_time_zone"), &Value::string("UTC"));
    assert_eq!(s3.attr("dynamic_partitioning").elements()[0].attr("retry_duration"), &Value::int(300));
    let metrics = p.attr("metrics").entries().unwrap();
    assert!(metrics.contains_key("partition_count") && metrics.contains_key("jq_processing_duration"));
}

#[test]
fn partition_keys_need_their_sources() {
    let mut no_query = partitioned();
    no_query["processor"] = json!([]);
    let e = errors(&config(no_query));
    assert_eq!(at(&e), ["data_output_prefix"], "{e:?}");
    assert!(e[0].1.contains("metadata_extraction"));

    let mut wrong_key = partitioned();
    wrong_key["processor"] = json!([{"metadata_extraction": [{"query": "{tenant: .t}"}]}]);
    let e = errors(&config(wrong_key));
    assert!(e[0].1.contains("yields tenant, not \"customer\""), "{e:?}");

    let mut lambda_key = partitioned();
    lambda_key["data_output_prefix"] = json!("!{partitionKeyFromLambda:id}/");
    lambda_key["processor"] = json!([]);
    assert!(errors(&config(lambda_key.clone()))[0].1.contains("processor { lambda"));
    lambda_key["processor"] = json!([{"lambda": [{"function_arn": LAMBDA}]}]);
    assert!(errors(&config(lambda_key)).is_empty());

    let mut no_dp = partitioned();
    no_dp["dynamic_partitioning"] = json!([]);
    let e = errors(&config(no_dp));
    assert!(at(&e).contains(&"data_output_prefix") && at(&e).contains(&"processor[0].metadata_extraction"), "{e:?}");

    let mut no_keys = partitioned();
    no_keys["data_output_prefix"] = json!("plain/");
    assert!(errors(&config(no_keys))[0].1.contains("at least one !{partitionKeyFromQuery:key}"));

    let mut no_error_prefix = partitioned();
    no_error_prefix["error_output_prefix"] = serde_json::Value::Null;
    let e = errors(&config(no_error_prefix));
    assert!(at(&e).contains(&"error_output_prefix"), "{e:?}");

    let mut small = partitioned();
    small["buffering_size"] = json!(5);
    assert_eq!(at(&errors(&config(small))), ["buffering_size"]);
}

#[test]
fn switching_dynamic_partitioning_replaces_the_stream() {
    let (with, _) = planned(&config(partitioned()), None);
    let (_, replace) = planned(&config(json!({})), Some(&with));
    assert_eq!(replace, ["destination[0].s3_bucket[0].dynamic_partitioning"]);
    let mut longer = partitioned();
    longer["dynamic_partitioning"] = json!([{"retry_duration": 600}]);
    let (_, replace) = planned(&config(longer), Some(&with));
    assert!(replace.is_empty());
}

#[test]
fn format_conversion_rules() {
    let c = config(converted());
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let mut gz = converted();
    gz["compression"] = json!("GZIP");
    gz["buffering_size"] = json!(32);
    assert_eq!(at(&errors(&config(gz))), ["compression", "buffering_size"]);
    let mut both = converted();
    both["data_format_conversion"][0]["output"] = json!([{"parquet": [{}], "orc": [{}]}]);
    both["data_format_conversion"][0]["schema"][0]["catalog_id"] = json!("12");
    assert_eq!(
        at(&errors(&config(both))),
        ["data_format_conversion[0].output[0]", "data_format_conversion[0].schema[0].catalog_id"]
    );
}

#[test]
fn format_conversion_plans_defaults_and_grants_exactly_the_table() {
    let (p, _) = planned(&config(converted()), None);
    let s3 = derive::dest(&p);
    assert_eq!(s3.attr("buffering_size"), &Value::int(128));
    let conv = &s3.attr("data_format_conversion").elements()[0];
    let schema = &conv.attr("schema").elements()[0];
    assert_eq!(schema.attr("region"), &Value::string("us-east-1"));
    assert_eq!(schema.attr("catalog_id"), &Value::string("123456789012"));
    assert_eq!(schema.attr("version_id"), &Value::string("LATEST"));
    let parquet = &conv.attr("output").elements()[0].attr("parquet").elements()[0];
    assert_eq!(parquet.attr("compression"), &Value::string("GZIP"));
    assert_eq!(parquet.attr("writer_version"), &Value::string("V1"));
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let glue = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "FormatConversion").unwrap();
    assert_eq!(
        glue["Resource"],
        json!([
            "arn:aws:glue:us-east-1:123456789012:catalog",
            "arn:aws:glue:us-east-1:123456789012:database/analytics",
            "arn:aws:glue:us-east-1:123456789012:table/analytics/events"
        ])
    );
    // The kind adds its statement last, where the policy has always had it.
    let sids: Vec<&str> = doc["Statement"].as_array().unwrap().iter().map(|s| s["Sid"].as_str().unwrap()).collect();
    assert_eq!(sids, ["S3Delivery", "Logging", "FormatConversion"]);
}

#[test]
fn lambda_grants_name_exactly_the_configured_functions() {
    let (p, _) = planned(&config(json!({"processor": [{"lambda": [{"function_arn": LAMBDA}]}]})), None);
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "LambdaProcessor").unwrap();
    assert_eq!(st["Resource"], json!(LAMBDA));
    let (p, _) =
        planned(&config(json!({"processor": [{"lambda": [{"function_arn": format!("{LAMBDA}:live")}]}]})), None);
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    let st = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "LambdaProcessor").unwrap();
    assert_eq!(st["Resource"], json!(format!("{LAMBDA}:live")));
}

#[test]
fn time_zone_and_file_extension() {
    assert!(errors(&config(json!({"custom_time_zone": "Europe/Paris", "file_extension": ".json.gz"}))).is_empty());
    let e = errors(&config(json!({"custom_time_zone": "Paris", "file_extension": "json"})));
    assert_eq!(at(&e), ["custom_time_zone", "file_extension"], "{e:?}");
    assert!(errors(&config(json!({"buffering_interval": 0}))).is_empty(), "zero buffering is allowed");
}

/// Config → SDK input → description → state: what apply sends reads back
/// as the plan, for every S3 addition at once.
#[test]
fn the_s3_destination_round_trips_through_the_api() {
    let mut all = partitioned();
    all.as_object_mut().unwrap().extend(converted().as_object().unwrap().clone());
    all["custom_time_zone"] = json!("Asia/Tokyo");
    all["file_extension"] = json!(".parquet");
    all["processor"] = json!([
        {"metadata_extraction": [{"query": "{customer: .customer_id}"}]},
        {"lambda": [{"function_arn": LAMBDA, "buffer_size": "0.2"}]},
    ]);
    let (read, planned) = round_trip(config(all));
    assert_eq!(read, planned);
}

/// The destination block planned for `c`, and what it reads back as from
/// what DescribeDeliveryStream reports for the configuration apply sends.
fn round_trip(c: Value) -> (Value, Value) {
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let (p, _) = planned(&c, None);
    let role = p.attr("destination_role_arn").as_str().unwrap().to_string();
    let spec = testing::spec(&p, &c);
    let desc = testing::described_s3(&testing::sent_s3(&spec));
    let (read, _) = api::destination_value(&desc, "s", &role);
    (read, derive::dest(&p).clone())
}

/// ORC with fractions the user writes (0.4 is no exact double) reads back
/// as planned: AWS's doubles are taken as their shortest decimals.
#[test]
fn orc_settings_round_trip_through_the_api() {
    let mut c = converted();
    c["data_format_conversion"][0]["output"] = json!([{"orc": [{
        "compression": "ZLIB", "stripe_size_bytes": 8388608, "bloom_filter_columns": ["customer_id"],
        "padding_tolerance": 0.1, "dictionary_key_threshold": 0.4
    }]}]);
    let (read, planned) = round_trip(config(c));
    let orc = |v: &Value| {
        let conv = v.attr("data_format_conversion").elements()[0].clone();
        conv.attr("output").elements()[0].attr("orc").elements()[0].clone()
    };
    assert_eq!(orc(&read), orc(&planned));
    assert_eq!(read, planned);
}
