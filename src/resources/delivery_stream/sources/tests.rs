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
