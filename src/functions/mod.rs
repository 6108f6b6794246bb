//! Provider functions (Terraform 1.8 and later), called in HCL as
//! `provider::firehose::<name>(...)`: what users need without a resource.
//! Documented in docs/functions/.

use crate::protocol::{Type, Value};
use crate::resources::delivery_stream::{policies, rules};

pub struct Param {
    pub name: &'static str,
    pub ty: Type,
    pub allow_null: bool,
    pub description: &'static str,
}

pub struct Function {
    pub name: &'static str,
    pub params: Vec<Param>,
    pub returns: Type,
    pub summary: &'static str,
    pub description: &'static str,
}

/// Why a call failed, and which argument (0-based) was at fault.
#[derive(Debug, PartialEq)]
pub struct Failure {
    pub text: String,
    pub argument: Option<i64>,
}

fn verdict_type() -> Type {
    Type::object([("valid", Type::Bool), ("message", Type::String)])
}

pub fn all() -> Vec<Function> {
    vec![
        Function {
            name: "put_records_policy",
            params: vec![Param {
                name: "stream_arns",
                ty: Type::list(Type::String),
                allow_null: false,
                description: "ARNs of the delivery streams producers may put records to.",
            }],
            returns: Type::String,
            summary: "IAM policy JSON that lets producers put records to delivery streams",
            description: "Returns a policy document granting firehose:PutRecord and firehose:PutRecordBatch on \
                          exactly the given delivery stream ARNs.",
        },
        Function {
            name: "check_prefix",
            params: vec![
                Param {
                    name: "data_output_prefix",
                    ty: Type::String,
                    allow_null: false,
                    description: "An S3 data output prefix, with `!{namespace:value}` expressions.",
                },
                Param {
                    name: "error_output_prefix",
                    ty: Type::String,
                    allow_null: true,
                    description: "The error output prefix used with it, or null.",
                },
            ],
            returns: verdict_type(),
            summary: "Whether S3 prefixes follow Firehose's rules",
            description: "Returns `{ valid, message }`: the verdict of the plan-time prefix rules of \
                          firehose_delivery_stream, and the rule broken when invalid.",
        },
    ]
}

pub fn call(name: &str, args: &[Value]) -> Result<Value, Failure> {
    match name {
        "put_records_policy" => put_records_policy(args),
        "check_prefix" => Ok(check_prefix(args)),
        _ => Err(Failure { text: format!("this provider defines no function {name:?}"), argument: None }),
    }
}

fn put_records_policy(args: &[Value]) -> Result<Value, Failure> {
    let arns: Vec<&str> =
        args.first().map(|v| v.elements().iter().filter_map(|a| a.as_str()).collect()).unwrap_or_default();
    for arn in &arns {
        crate::aws::arn::firehose_stream_arn(arn)
            .map_err(|e| Failure { text: format!("stream_arns: {e}"), argument: Some(0) })?;
    }
    Ok(Value::string(policies::put_records_policy_for(&arns).to_string()))
}

fn check_prefix(args: &[Value]) -> Value {
    let data = args.first().and_then(|v| v.as_str()).unwrap_or_default();
    let error = args.get(1).and_then(|v| v.as_str());
    let verdict = rules::data_output_prefix(data, error).and_then(|_| match error {
        Some(e) => rules::error_output_prefix(e),
        None => Ok(()),
    });
    let (valid, message) = match verdict {
        Ok(()) => (true, String::new()),
        Err(m) => (false, m),
    };
    Value::object([("valid", Value::Bool(valid)), ("message", Value::string(message))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_records_policy_names_exactly_the_streams() {
        let arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events";
        let out = call("put_records_policy", &[Value::List(vec![Value::string(arn)])]).unwrap();
        let doc: serde_json::Value = serde_json::from_str(out.as_str().unwrap()).unwrap();
        assert_eq!(doc["Statement"][0]["Resource"], serde_json::json!(arn));
        let bad = call("put_records_policy", &[Value::List(vec![Value::string("arn:aws:s3:::b")])]).unwrap_err();
        assert_eq!(bad.argument, Some(0));
        assert!(bad.text.starts_with("stream_arns: "), "{}", bad.text);
    }

    #[test]
    fn check_prefix_gives_the_verdict_and_the_rule() {
        let ok = check_prefix(&[
            Value::string("data/!{timestamp:yyyy}/"),
            Value::string("err/!{firehose:error-output-type}/"),
        ]);
        assert_eq!(ok.attr("valid").as_bool(), Some(true));
        let bad = check_prefix(&[Value::string("data/!{timestamp:yyyy}/"), Value::Null]);
        assert_eq!(bad.attr("valid").as_bool(), Some(false));
        assert!(bad.attr("message").as_str().unwrap().contains("errorOutputPrefix"), "{bad:?}");
    }
}
