use super::*;

const ARN: &str = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events";

#[test]
fn stream_arns_are_checked() {
    assert_eq!(delivery_stream_arn(ARN).unwrap(), "events");
    assert!(delivery_stream_arn("arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/x").is_ok());
    for (bad, why) in [
        ("events", "arn:partition"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/events", "not \"firehose\""),
        ("arn:aws:firehose:us-east-1:123456789012:stream/events", "deliverystream/"),
        ("arn:aws:firehose:useast1:123456789012:deliverystream/events", "not a region"),
        ("arn:aws:firehose:us-east-1:1234:deliverystream/events", "12-digit"),
        ("arn:aws-cn:firehose:us-east-1:123456789012:deliverystream/events", "partition"),
        ("arn:aws:firehose:us-east-1:123456789012:deliverystream/", "1 to 64"),
        ("arn:aws:firehose:us-east-1:123456789012:deliverystream/a/b", "'/'"),
    ] {
        let e = delivery_stream_arn(bad).unwrap_err();
        assert!(e.contains("Firehose delivery stream ARN") && e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn role_names_and_actions_are_checked() {
    assert!(role_name("producer+app=1,2.x@y_z-w").is_ok());
    assert!(role_name("").is_err());
    assert!(role_name(&"r".repeat(65)).is_err());
    assert!(role_name("arn:aws:iam::123456789012:role/x").unwrap_err().contains("not its ARN"));
    assert!(action("firehose:PutRecord").is_ok());
    assert!(action("firehose:Put*").is_ok());
    assert!(action("s3:PutObject").unwrap_err().contains("must start with \"firehose:\""));
    assert!(action("firehose:").is_err());
}

#[test]
fn policy_names_are_bounded_and_distinct_per_stream_arn() {
    let name = policy_name("events", ARN);
    assert!(name.starts_with("firehose-grant-events-"), "{name}");
    assert_ne!(name, policy_name("events", &ARN.replace("us-east-1", "eu-west-1")));
    let long = "x".repeat(64);
    let long_arn = ARN.replace("events", &long);
    assert!(policy_name(&long, &long_arn).len() <= POLICY_NAME_MAX);
    assert_eq!(policy_name(&long, &long_arn), policy_name(&long, &long_arn));
}

#[test]
fn plan_defaults_and_derives() {
    let config = Value::object([
        ("delivery_stream_arn", Value::string(ARN)),
        ("role_name", Value::string("producer")),
        ("actions", Value::Null),
    ]);
    let (p, replace) = planned_state(&config, None);
    assert!(replace.is_empty());
    let name = policy_name("events", ARN);
    assert_eq!(p.attr("policy_name"), &Value::string(name.clone()));
    assert_eq!(p.attr("id"), &Value::string(format!("producer/{name}")));
    let doc = p.attr("policy_json").as_str().unwrap();
    assert_eq!(
        doc,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["firehose:PutRecord","firehose:PutRecordBatch"],"Resource":["arn:aws:firehose:us-east-1:123456789012:deliverystream/events"]}]}"#
    );
    assert_eq!(parse_document(doc), Some((ARN.to_string(), DEFAULT_ACTIONS.map(String::from).to_vec())));

    let mut moved = config.clone();
    moved.set_attr("role_name", Value::string("other"));
    let (_, replace) = planned_state(&moved, Some(&p));
    assert_eq!(replace, vec![AttrPath::attr("role_name")]);

    let mut unknown = config.clone();
    unknown.set_attr("delivery_stream_arn", Value::UNKNOWN);
    let (u, _) = planned_state(&unknown, None);
    assert!(u.attr("policy_json").is_unknown() && u.attr("policy_name").is_unknown() && u.attr("id").is_unknown());
}

#[test]
fn imported_policy_name_is_kept() {
    let config = Value::object([
        ("delivery_stream_arn", Value::string(ARN)),
        ("role_name", Value::string("producer")),
        ("actions", Value::Null),
    ]);
    let (mut prior, _) = planned_state(&config, None);
    prior.set_attr("policy_name", Value::string("legacy"));
    let (p, replace) = planned_state(&config, Some(&prior));
    assert!(replace.is_empty());
    assert_eq!(p.attr("policy_name"), &Value::string("legacy"));
    assert_eq!(p.attr("id"), &Value::string("producer/legacy"));
}

#[test]
fn validation_points_at_attributes() {
    let config = Value::object([
        ("delivery_stream_arn", Value::string("arn:aws:s3:::bucket")),
        ("role_name", Value::string("bad/name")),
        ("actions", Value::List(vec![Value::string("firehose:PutRecord"), Value::string("s3:PutObject")])),
    ]);
    let d = validate(&config);
    let paths: Vec<String> = d.0.iter().filter_map(|x| x.path.as_ref().map(|p| p.to_string())).collect();
    assert_eq!(paths, ["delivery_stream_arn", "role_name", "actions[1]"]);
    let empty = Value::object([("actions", Value::List(vec![]))]);
    assert!(validate(&empty).has_errors());
}
