use serde_json::json;

use super::*;

fn stream(j: serde_json::Value) -> Value {
    let b = crate::resources::delivery_stream::schema::block();
    let mut base = json!({"name": "s", "destination": [{"s3_bucket": [{"bucket_arn": "arn:aws:s3:::b"}]}]});
    base.as_object_mut().unwrap().extend(j.as_object().unwrap().clone());
    let mut v = crate::protocol::json::from_json(&base, &b.value_type()).unwrap();
    b.normalize(&mut v);
    v
}

#[test]
fn the_source_is_the_kind_set_or_direct_puts_once_none_can_be() {
    let kinesis = json!({"source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"});
    let msk =
        json!({"source_msk": [{"cluster_arn": "arn:aws:kafka:us-east-1:123456789012:cluster/c/u", "topic_name": "t"}]});
    assert_eq!(of(&stream(json!({}))).map(|s| s.what()), Some("direct puts"));
    assert_eq!(of(&stream(kinesis)).map(|s| s.what()), Some("a Kinesis stream"));
    assert_eq!(of(&stream(msk)).map(|s| s.what()), Some("an MSK topic"));

    let mut unknown = stream(json!({}));
    unknown.set_attr("source_stream_arn", Value::UNKNOWN);
    assert!(of(&unknown).is_none(), "not direct puts while a source may still be set");
    unknown.set_attr("source_msk", Value::UNKNOWN);
    assert!(decided(&unknown).is_none());

    // A Kinesis stream set decides `of`, but `decided` waits for the rest.
    let mut partly = stream(json!({"source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}));
    partly.set_attr("source_msk", Value::UNKNOWN);
    assert_eq!(of(&partly).map(|s| s.what()), Some("a Kinesis stream"));
    assert!(decided(&partly).is_none());
}

#[test]
fn only_direct_puts_take_puts_and_need_no_statements() {
    for k in KINDS {
        assert_eq!(k.takes_puts(), k.attr().is_none(), "{}", k.what());
    }
    let direct = stream(json!({}));
    assert_eq!(of(&direct).unwrap().statements(&direct), Some(vec![]));
    let k = stream(json!({"source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}));
    let st = of(&k).unwrap().statements(&k).unwrap();
    assert_eq!(st[0]["Sid"], "KinesisSource");
    assert_eq!(st[0]["Resource"], json!(["arn:aws:kinesis:us-east-1:123456789012:stream/s"]));
    assert_eq!(refs(&k).len(), 1);
}

/// The errors validation reports for a stream (with a valid bucket), as
/// (path, detail).
fn errors(v: &Value) -> Vec<(String, String)> {
    let mut v = v.clone();
    crate::resources::delivery_stream::derive::dest_mut(&mut v)
        .unwrap()
        .set_attr("bucket_arn", Value::string("arn:aws:s3:::bkt"));
    let v = &v;
    crate::resources::delivery_stream::validate::validate(v)
        .0
        .into_iter()
        .map(|d| (d.path.map(|p| p.to_string()).unwrap_or_default(), d.detail))
        .collect()
}

#[test]
fn a_throughput_hint_is_for_direct_puts_and_within_the_model_range() {
    let ok = errors(&stream(json!({"throughput_hint_mbs": 1})));
    assert!(ok.is_empty(), "{ok:?}");
    assert!(errors(&stream(json!({"throughput_hint_mbs": 100}))).is_empty());
    for bad in [0, 101] {
        let e = errors(&stream(json!({"throughput_hint_mbs": bad})));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, "throughput_hint_mbs");
        assert!(e[0].1.contains("between 1 and 100"), "{e:?}");
    }
    let e = errors(&stream(json!({
        "throughput_hint_mbs": 5, "source_stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    })));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "throughput_hint_mbs");
    assert!(e[0].1.contains("reads a Kinesis stream (source_stream_arn)"), "{e:?}");
}

#[test]
fn a_throughput_hint_is_sent_and_read_back_only_where_it_was_set() {
    use aws_sdk_firehose::types as fh;
    let with = stream(json!({"throughput_hint_mbs": 7}));
    match direct_put::DirectPut.to_api(&with, "").unwrap() {
        Some(crate::resources::delivery_stream::kind::SourceConfig::DirectPut(c)) => {
            assert_eq!(c.throughput_hint_in_mbs(), 7)
        }
        _ => panic!("no direct-put configuration"),
    }
    assert!(direct_put::DirectPut.to_api(&stream(json!({})), "").unwrap().is_none());

    let described = |h: i32| {
        fh::SourceDescription::builder()
            .direct_put_source_description(fh::DirectPutSourceDescription::builder().throughput_hint_in_mbs(h).build())
            .build()
    };
    let read = |d: &fh::SourceDescription, prior: Option<&Value>| {
        let mut v = stream(json!({}));
        assert!(super::read(Some(d), &mut v, prior).is_none(), "direct puts read with no role");
        v.attr("throughput_hint_mbs").clone()
    };
    // Set: what AWS reports, so a change made elsewhere is drift.
    assert_eq!(read(&described(9), Some(&with)), Value::int(9));
    // Not set: a hint AWS reports on its own is not drift.
    assert_eq!(read(&described(9), Some(&stream(json!({})))), Value::Null);
    // Import: what AWS reports.
    assert_eq!(read(&described(9), None), Value::int(9));
}
