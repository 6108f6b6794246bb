//! The least-privilege policy documents of SPEC §2.2. Every statement names
//! exact ARNs; documents are built in a fixed order so that the JSON the plan
//! shows is byte-for-byte what the apply grants.

use serde_json::{json, Value as Json};

use crate::aws::arn::Arn;

use super::kind::{Grants, SECRET_ACTIONS};

pub const S3_ACTIONS: [&str; 6] = [
    "s3:AbortMultipartUpload",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:PutObject",
];
pub const LOG_ACTIONS: [&str; 2] = ["logs:CreateLogStream", "logs:PutLogEvents"];
pub const S3_KMS_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];
pub const LAMBDA_ACTIONS: [&str; 2] = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"];
/// What the stream's data keys need: Firehose encrypts what it holds with a
/// data key of the SSE key and decrypts it to deliver. No wildcards (no
/// `GenerateDataKeyWithoutPlaintext`, no re-encryption), and no
/// `kms:CreateGrant`: Firehose makes its grant on the key with the
/// credentials of whoever calls CreateDeliveryStream or
/// StartDeliveryStreamEncryption (Firehose API reference,
/// DeliveryStreamEncryptionConfigurationInput), so that permission belongs to
/// the Terraform runner (docs/guides/permissions.md), not to this role.
pub const SSE_KMS_ACTIONS: [&str; 3] = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];
pub const PUT_RECORD_ACTIONS: [&str; 2] = ["firehose:PutRecord", "firehose:PutRecordBatch"];

/// Who may assume the roles: Firehose, and only on behalf of this account
/// (the confused-deputy guard AWS documents for Firehose).
pub fn trust_policy(account: &str) -> Json {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "firehose.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": account}}
        }]
    })
}

/// Firehose invokes a function by the ARN as configured, so the grant names
/// exactly those ARNs: never a `:*` that would cover other versions or
/// aliases of a qualified function, nor (unlike the CDK) of an unqualified one.
fn lambda_resources(arns: &[String]) -> Vec<String> {
    dedup(arns.to_vec())
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

pub fn destination_policy(g: &Grants) -> Json {
    let mut resources = Vec::new();
    for b in &g.bucket_arns {
        resources.push(b.to_string());
        resources.push(format!("{b}/*"));
    }
    let mut statements = Vec::new();
    if !resources.is_empty() {
        statements.push(json!({
            "Sid": "S3Delivery",
            "Effect": "Allow",
            "Action": S3_ACTIONS,
            "Resource": dedup(resources),
        }));
    }
    let groups = dedup(g.log_group_arns.clone());
    if !groups.is_empty() {
        statements.push(json!({
            "Sid": "Logging",
            "Effect": "Allow",
            "Action": LOG_ACTIONS,
            "Resource": groups,
        }));
    }
    let keys = dedup(g.s3_key_arns.iter().map(|k| k.to_string()).collect());
    if !keys.is_empty() {
        statements.push(json!({
            "Sid": "S3Encryption",
            "Effect": "Allow",
            "Action": S3_KMS_ACTIONS,
            "Resource": keys,
            "Condition": {"StringEquals": {"kms:ViaService": format!("s3.{}.amazonaws.com", g.region)}},
        }));
    }
    if !g.lambda_arns.is_empty() {
        statements.push(json!({
            "Sid": "LambdaProcessor",
            "Effect": "Allow",
            "Action": LAMBDA_ACTIONS,
            "Resource": lambda_resources(&g.lambda_arns),
        }));
    }
    if !g.secret_arns.is_empty() {
        let secrets = dedup(g.secret_arns.clone());
        statements.push(json!({
            "Sid": "EndpointSecret",
            "Effect": "Allow",
            "Action": SECRET_ACTIONS,
            "Resource": secrets,
        }));
        // A secret encrypted with a customer key needs kms:Decrypt on it. The
        // key is not known at plan time, so the grant names the keys of the
        // secret's account and region and is narrowed by conditions to
        // decryption by Secrets Manager of exactly these secrets.
        for secret in &secrets {
            let Ok(a) = Arn::parse(secret) else { continue };
            statements.push(json!({
                "Sid": format!("EndpointSecretKey{}", statements.len()),
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": [Arn::new(&a.partition, "kms", &a.region, &a.account, "key/*").to_string()],
                "Condition": {"StringEquals": {
                    "kms:ViaService": format!("secretsmanager.{}.amazonaws.com", a.region),
                    "kms:EncryptionContext:SecretARN": secret,
                }},
            }));
        }
    }
    statements.extend(g.statements.iter().cloned());
    document(statements)
}

/// A policy document in the shortest form IAM reads the same: an action or
/// resource list of one is written as that one string, so plans stay short.
fn document(statements: Vec<Json>) -> Json {
    let statements = statements
        .into_iter()
        .map(|mut st| {
            for key in ["Action", "Resource"] {
                if let Some(Json::Array(one)) = st.get(key).filter(|v| v.as_array().is_some_and(|a| a.len() == 1)) {
                    let only = one[0].clone();
                    st[key] = only;
                }
            }
            st
        })
        .collect::<Vec<_>>();
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The stream role's policy (`source`: the statements of an MSK source);
/// None when neither a source nor a customer-managed SSE key needs a role.
pub fn stream_policy(source: Vec<Json>, sse_key_arn: Option<&str>) -> Option<Json> {
    let mut statements = source;
    if let Some(key) = sse_key_arn {
        statements.push(json!({
            "Sid": "StreamEncryption",
            "Effect": "Allow",
            "Action": SSE_KMS_ACTIONS,
            "Resource": [key],
        }));
    }
    (!statements.is_empty()).then(|| document(statements))
}

pub fn put_records_policy(stream_arn: &str) -> Json {
    put_records_policy_for(&[stream_arn])
}

/// One statement for producers of several streams.
pub fn put_records_policy_for(stream_arns: &[&str]) -> Json {
    document(vec![json!({
        "Effect": "Allow",
        "Action": PUT_RECORD_ACTIONS,
        "Resource": stream_arns,
    })])
}

/// Two policy documents mean the same when their JSON is equal; IAM may
/// return a document re-serialized (and URL-encoded), so text is not compared.
pub fn same_document(a: &str, b: &str) -> bool {
    match (parse_document(a), parse_document(b)) {
        (Some(x), Some(y)) => normalize(&x) == normalize(&y),
        _ => false,
    }
}

/// A policy document as JSON, URL-decoding it first when IAM returned it so.
fn parse_document(text: &str) -> Option<Json> {
    serde_json::from_str(text).ok().or_else(|| serde_json::from_str(&urlencoding::decode(text).ok()?).ok())
}

/// IAM accepts a single value where a list is allowed (an action, a
/// resource, a statement) and may return either form; the order of those
/// lists means nothing to IAM, and its reads need not keep it.
fn normalize(j: &Json) -> Json {
    match j {
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| {
                    let listed =
                        matches!(k.as_str(), "Action" | "Resource" | "NotAction" | "NotResource" | "Statement");
                    let v = match v {
                        Json::String(_) | Json::Object(_) if listed => Json::Array(vec![normalize(v)]),
                        Json::Array(a) if listed => {
                            let mut items: Vec<Json> = a.iter().map(normalize).collect();
                            items.sort_by_cached_key(|i| i.to_string());
                            Json::Array(items)
                        }
                        _ => normalize(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(normalize).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_policy_names_exact_resources() {
        let p = destination_policy(&Grants {
            region: "us-east-1".into(),
            bucket_arns: vec!["arn:aws:s3:::data".into(), "arn:aws:s3:::backup".into()],
            log_group_arns: vec![super::super::kind::log_group_arn(
                "aws",
                "us-east-1",
                "123456789012",
                "/aws/kinesisfirehose/s",
            )],
            s3_key_arns: vec!["arn:aws:kms:us-east-1:123456789012:key/k".into()],
            lambda_arns: vec!["arn:aws:lambda:us-east-1:123456789012:function:f".to_string()],
            secret_arns: vec![],
            statements: vec![],
        });
        let text = p.to_string();
        assert!(!text.contains("\"*\""), "{text}");
        let st = p["Statement"].as_array().unwrap();
        assert_eq!(st.len(), 4);
        assert_eq!(
            st[0]["Resource"],
            json!(["arn:aws:s3:::data", "arn:aws:s3:::data/*", "arn:aws:s3:::backup", "arn:aws:s3:::backup/*"])
        );
        // A list of one is written as its element.
        assert_eq!(st[1]["Resource"], "arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesisfirehose/s:*");
        assert_eq!(st[2]["Condition"]["StringEquals"]["kms:ViaService"], "s3.us-east-1.amazonaws.com");
        assert_eq!(st[3]["Action"], json!(LAMBDA_ACTIONS));
    }

    #[test]
    fn stream_policy_only_when_needed() {
        assert!(stream_policy(vec![], None).is_none());
        let p = stream_policy(vec![json!({"Sid": "Source"})], Some("arn:aws:kms:us-east-1:1:key/k")).unwrap();
        assert_eq!(p["Statement"][0]["Sid"], "Source", "the source's statements come first");
        assert_eq!(p["Statement"][1]["Action"], json!(SSE_KMS_ACTIONS));
    }

    #[test]
    fn documents_compare_semantically() {
        let a =
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["x"]}]}"#;
        let b = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22x%22%7D%5D%7D";
        assert!(same_document(a, b));
        assert!(same_document(b, a), "either side may be URL-encoded");
        let single =
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"x"}}"#;
        assert!(same_document(a, single), "a single statement object equals a one-element list");
        assert!(!same_document(a, &a.replace("GetObject", "PutObject")));
        let two = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
        let reordered = r#"{"Statement":[{"Sid":"B","Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"},{"Effect":"Allow","Sid":"A","Action":["s3:PutObject","s3:GetObject"],"Resource":["*"]}],"Version":"2012-10-17"}"#;
        assert!(same_document(two, reordered), "statements and actions in another order are the same policy");
    }
}
