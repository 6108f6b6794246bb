use serde_json::json;

use super::*;
use crate::framework::walk;
use crate::protocol::json::from_json;

/// A processor list from its JSON form, shaped by the schema.
fn list(j: serde_json::Value) -> Value {
    let ty = crate::protocol::Type::list(block().value_type());
    let mut v = from_json(&j, &ty).unwrap();
    if let Value::List(items) = &mut v {
        items.iter_mut().for_each(|i| block().normalize(i));
    }
    v
}

/// Planned defaults, as the schema declares them.
fn apply_defaults(l: &mut Value) {
    if let Value::List(items) = l {
        items.iter_mut().for_each(|i| walk::apply_defaults(&block(), i));
    }
}

/// Every finding: each attribute's own rules (declared on the blocks), then
/// the rules across processors.
fn errors(l: &Value, dp: Option<bool>) -> Vec<(String, String)> {
    let mut d = Diagnostics::new();
    let at = AttrPath::attr("processor");
    for (i, p) in l.elements().iter().enumerate() {
        walk::validate(&block(), p, &at.index(i), &mut d);
    }
    validate(l, &at, &Context { dynamic_partitioning: dp }, &mut d);
    d.0.iter().map(|x| (x.path.as_ref().map(|p| p.to_string()).unwrap_or_default(), x.detail.clone())).collect()
}

#[test]
fn every_kind_round_trips_through_the_api_in_order() {
    let mut l = list(json!([
        {"decompression": [{}]},
        {"cloudwatch_log_processing": [{"data_message_extraction": true}]},
        {"record_deaggregation": [{"type": "DELIMITED", "delimiter": "IyMjIw=="}]},
        {"metadata_extraction": [{"query": "{customer: .customer_id}"}]},
        {"lambda": [{"function_arn": "arn:aws:lambda:us-east-1:123456789012:function:f", "buffer_size": "0.5"}]},
        {"append_delimiter_to_record": [{}]},
    ]));
    apply_defaults(&mut l);
    assert!(errors(&l, Some(true)).is_empty(), "{:?}", errors(&l, Some(true)));
    let api = to_api(&l).unwrap();
    assert_eq!(api.enabled(), Some(true));
    let types: Vec<&str> = api.processors().iter().map(|p| p.r#type().as_str()).collect();
    assert_eq!(
        types,
        [
            "Decompression",
            "CloudWatchLogProcessing",
            "RecordDeAggregation",
            "MetadataExtraction",
            "Lambda",
            "AppendDelimiterToRecord"
        ]
    );
    let lambda = &api.processors()[4];
    let p = Params(lambda.parameters());
    assert_eq!(p.get(fh::ProcessorParameterName::BufferSizeInMb), Some("0.5"));
    assert_eq!(p.get(fh::ProcessorParameterName::BufferIntervalInSeconds), Some("60"));
    assert_eq!(p.get(fh::ProcessorParameterName::LambdaNumberOfRetries), Some("3"));
    assert_eq!(
        Params(api.processors()[3].parameters()).get(fh::ProcessorParameterName::JsonParsingEngine),
        Some("JQ-1.6")
    );
    // Read back: the same list, defaults included, so a refresh shows no diff.
    assert_eq!(from_api(Some(&api)), l);
}

#[test]
fn no_processors_turns_processing_off_explicitly() {
    let api = to_api(&Value::List(vec![])).unwrap();
    assert_eq!(api.enabled(), Some(false));
    assert!(api.processors().is_empty());
    assert_eq!(from_api(Some(&api)), Value::List(vec![]));
}

#[test]
fn each_processor_holds_exactly_one_kind_once() {
    let empty = list(json!([{}]));
    assert!(errors(&empty, Some(false))[0].1.contains("holds none"));
    let two = list(json!([{"decompression": [{}], "append_delimiter_to_record": [{}]}]));
    let e = errors(&two, Some(false));
    assert!(e[0].1.contains("append_delimiter_to_record and decompression"), "{e:?}");
    let dup = list(json!([{"decompression": [{}]}, {"decompression": [{}]}]));
    let e = errors(&dup, Some(false));
    assert_eq!(e[0].0, "processor[1].decompression", "{e:?}");
}

#[test]
fn aws_combination_rules() {
    let needs_dp =
        list(json!([{"metadata_extraction": [{"query": "{a: .a}"}]}, {"record_deaggregation": [{"type": "JSON"}]}]));
    let e = errors(&needs_dp, Some(false));
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].1.contains("dynamic partitioning"));
    assert!(errors(&needs_dp, Some(true)).is_empty());
    // Unknown dynamic partitioning decides nothing yet.
    assert!(errors(&needs_dp, None).is_empty());

    let cw_alone = list(json!([{"cloudwatch_log_processing": [{"data_message_extraction": false}]}]));
    assert!(errors(&cw_alone, Some(false))[0].1.contains("add a processor { decompression {} }"));
    let cw_first =
        list(json!([{"cloudwatch_log_processing": [{"data_message_extraction": false}]}, {"decompression": [{}]}]));
    let e = errors(&cw_first, Some(false));
    assert!(e[0].1.contains("must come before"), "{e:?}");
    assert_eq!(e[0].0, "processor[0].cloudwatch_log_processing");
}

#[test]
fn kind_settings_are_checked_with_their_paths() {
    let bad = list(json!([
        {"lambda": [{"function_arn": "arn:aws:lambda:us-east-1:123456789012:function:f", "buffer_size": 4, "retries": 301}]},
        {"record_deaggregation": [{"type": "DELIMITED"}]},
        {"decompression": [{"type": "ZIP"}]},
        {"metadata_extraction": [{"query": ".customer_id"}]},
    ]));
    let e = errors(&bad, Some(true));
    let mut paths: Vec<&str> = e.iter().map(|(p, _)| p.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "processor[0].lambda[0].buffer_size",
            "processor[0].lambda[0].retries",
            "processor[1].record_deaggregation[0].delimiter",
            "processor[2].decompression[0].type",
            "processor[3].metadata_extraction[0].query",
        ],
        "{e:?}"
    );
    let not_b64 = list(json!([{"record_deaggregation": [{"type": "DELIMITED", "delimiter": "####"}]}]));
    assert!(errors(&not_b64, Some(true))[0].1.contains("IyMjIw=="));
}

#[test]
fn query_keys_are_the_top_level_object_keys() {
    assert_eq!(query_keys("{customer: .customer_id, \"day\": .ts | strftime(\"%d\")}").unwrap(), ["customer", "day"]);
    assert_eq!(query_keys("{ id }").unwrap(), ["id"]);
    assert!(query_keys(".customer_id").is_err());
    assert!(query_keys("{}").is_err());
}
