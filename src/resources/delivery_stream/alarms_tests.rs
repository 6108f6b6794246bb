//! The alarms a stream gets, their thresholds, and the rules of the block.

use serde_json::{json, Value as Json};

use super::*;
use crate::protocol::json::from_json;
use crate::protocol::Diagnostics;
use crate::resources::delivery_stream::destinations::testing::ctx;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{plan, schema, validate};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ops";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

/// A direct-put S3 stream named "s" with `alarms` and `top` merged in.
fn config(alarms: Json, top: Json, s3: Json) -> Value {
    let mut block = json!({"bucket_arn": "arn:aws:s3:::alarm-data", "buffering_interval": 60});
    block.as_object_mut().unwrap().extend(s3.as_object().unwrap().clone());
    let mut r = json!({"name": "s", "destination": [{"s3_bucket": [block]}], "alarms": [alarms]});
    r.as_object_mut().unwrap().extend(top.as_object().unwrap().clone());
    let b = schema::schema().block;
    let mut v = from_json(&r, &b.value_type()).unwrap();
    b.normalize(&mut v);
    v
}

fn planned(c: &Value) -> Value {
    let mut d = Diagnostics::new();
    let (v, _) = plan::planned_state(c, None, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "{d:?}");
    v
}

fn keys(specs: &[AlarmSpec]) -> Vec<&str> {
    specs.iter().map(|a| a.key).collect()
}

fn errors(c: &Value) -> Vec<(String, String)> {
    validate::validate(c).0.into_iter().map(|d| (d.path.map(|p| p.to_string()).unwrap_or_default(), d.detail)).collect()
}

#[test]
fn a_direct_put_s3_stream_gets_the_recommended_alarms() {
    let p = planned(&config(json!({"actions": [TOPIC]}), json!({}), json!({})));
    let all = desired(&p, &ctx());
    assert_eq!(
        keys(&all),
        [
            "data_freshness",
            "delivery_success",
            "throttled_records",
            "incoming_bytes",
            "incoming_records",
            "incoming_put_requests"
        ]
    );
    let fresh = &all[0];
    assert_eq!((fresh.name.as_str(), fresh.metric), ("s-data-freshness", "DeliveryToS3.DataFreshness"));
    assert_eq!(fresh.arn, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:s-data-freshness");
    // Buffering interval 60 s plus the margin.
    assert_eq!(fresh.threshold, (60 + FRESHNESS_MARGIN) as f64);
    assert_eq!((fresh.statistic, fresh.comparison), ("Maximum", Comparison::Above));
    assert_eq!(fresh.actions, [TOPIC]);
    assert_eq!((all[1].metric, all[1].comparison, all[1].threshold), ("DeliveryToS3.Success", Comparison::Below, 1.0));
    // us-east-1: 5 MiB/s, 500,000 records/s, 2,000 requests/s; 80 % over 300 s.
    let t: Vec<f64> = all[3..].iter().map(|a| a.threshold).collect();
    assert_eq!(t, [0.8 * 5.0 * 1048576.0 * 300.0, 0.8 * 500_000.0 * 300.0, 0.8 * 2_000.0 * 300.0]);
    let arns = p.attr("alarm_arns").entries().unwrap();
    assert_eq!(arns.len(), 6);
    assert_eq!(
        arns["throttled_records"],
        Value::string("arn:aws:cloudwatch:us-east-1:123456789012:alarm:s-throttled-records")
    );
}

#[test]
fn which_alarms_apply_follows_source_and_processors() {
    let kinesis = json!({"source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/src"});
    let p = planned(&config(json!({}), kinesis, json!({})));
    assert_eq!(keys(&desired(&p, &ctx())), ["data_freshness", "delivery_success"]);
    let lambda = json!({"processor": [{"lambda": [{"function_arn": LAMBDA}]}]});
    let p = planned(&config(json!({}), json!({}), lambda));
    let all = desired(&p, &ctx());
    assert_eq!(all.last().map(|a| (a.key, a.metric)), Some(("processor_failures", "ExecuteProcessing.Success")));
}

#[test]
fn overrides_disable_alarms_and_set_thresholds_and_periods() {
    let alarms = json!({
        "throttled_records": [{"enabled": false}],
        "data_freshness": [{"threshold": 900, "evaluation_periods": 3}],
        "incoming_records": [{"period": 60}],
    });
    let p = planned(&config(alarms, json!({}), json!({})));
    let all = desired(&p, &ctx());
    assert!(!keys(&all).contains(&"throttled_records"));
    let fresh = all.iter().find(|a| a.key == "data_freshness").unwrap();
    assert_eq!((fresh.threshold, fresh.evaluation_periods, fresh.period), (900.0, 3, 300));
    // A default threshold follows the period it is evaluated over.
    let records = all.iter().find(|a| a.key == "incoming_records").unwrap();
    assert_eq!((records.period, records.threshold), (60, 0.8 * 500_000.0 * 60.0));
    // The plan shows the threshold it will use in the override block.
    let block = p.block("alarms").unwrap().block("incoming_records").unwrap();
    assert_eq!(block.attr("threshold").as_number().map(|n| n.as_f64()), Some(0.8 * 500_000.0 * 60.0));
    assert!(p.attr("alarm_arns").entries().unwrap().get("throttled_records").is_none());
}

#[test]
fn quotas_are_higher_in_the_three_large_regions() {
    assert_eq!(quotas("eu-west-1"), (5.0 * 1048576.0, 500_000.0, 2_000.0));
    assert_eq!(quotas("eu-central-1"), (1048576.0, 100_000.0, 1_000.0));
}

#[test]
fn no_alarms_block_no_alarms() {
    let b = schema::schema().block;
    let mut c = from_json(
        &json!({"name": "s", "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::alarm-data"}]}]}),
        &b.value_type(),
    )
    .unwrap();
    b.normalize(&mut c);
    let p = planned(&c);
    assert!(p.attr("alarm_arns").is_null());
    assert!(desired(&p, &ctx()).is_empty());
}

#[test]
fn actions_must_be_sns_topics_and_at_most_five() {
    let bad =
        config(json!({"actions": [TOPIC, "arn:aws:lambda:us-east-1:123456789012:function:f"]}), json!({}), json!({}));
    let e = errors(&bad);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "alarms[0].actions[1]");
    assert!(e[0].1.contains("SNS topic ARN"), "{e:?}");
    let many = config(json!({"ok_actions": vec![TOPIC; 6]}), json!({}), json!({}));
    let e = errors(&many);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "alarms[0].ok_actions");
    assert!(e[0].1.contains("at most 5"), "{e:?}");
}

#[test]
fn periods_are_whole_minutes_within_a_day() {
    let e = errors(&config(json!({"data_freshness": [{"period": 90}]}), json!({}), json!({})));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "alarms[0].data_freshness[0].period");
    assert!(e[0].1.contains("multiple of 60"), "{e:?}");
    let e =
        errors(&config(json!({"data_freshness": [{"period": 3600, "evaluation_periods": 25}]}), json!({}), json!({})));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "alarms[0].data_freshness[0].evaluation_periods");
    assert!(e[0].1.contains("one day"), "{e:?}");
    let e = errors(&config(json!({"delivery_success": [{"threshold": -1}]}), json!({}), json!({})));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].1.contains("0 or more"), "{e:?}");
}

#[test]
fn an_override_of_an_alarm_the_stream_cannot_have_is_an_error() {
    let e = errors(&config(json!({"processor_failures": [{"threshold": 1}]}), json!({}), json!({})));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "alarms[0].processor_failures[0]");
    assert!(e[0].1.contains("lambda"), "{e:?}");
    let kinesis = json!({"source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/src"});
    let e = errors(&config(json!({"incoming_bytes": [{}]}), kinesis.clone(), json!({})));
    assert!(e.iter().any(|(p, d)| p == "alarms[0].incoming_bytes[0]" && d.contains("direct-put")), "{e:?}");
    // Disabling it is fine.
    assert!(errors(&config(json!({"incoming_bytes": [{"enabled": false}]}), kinesis, json!({}))).is_empty());
}

#[test]
fn alarm_names_follow_the_stream() {
    assert_eq!(alarm_name("orders", "incoming_put_requests"), "orders-incoming-put-requests");
    assert_eq!(all_names("o").len(), KINDS.len());
}
