//! The API-model gate in front of moto: every request the end-to-end tests
//! make through Terraform is checked against botocore's models of the AWS
//! APIs (tools/api_models.py), so a request AWS would refuse fails the test
//! even though moto would accept it.

mod support;

use std::process::Command;

#[test]
fn the_model_checker_finds_each_kind_of_violation() {
    let out = Command::new(support::python())
        .arg(support::repo().join("tools/api_models.py"))
        .output()
        .expect("run tools/api_models.py");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("self-check passed"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_aws_would_refuse_is_refused_in_front_of_moto() {
    let endpoint = support::checked_endpoint();
    let aws = support::aws::clients(endpoint).await;
    // Firehose stream names are at most 64 characters; moto does not care.
    let long = "x".repeat(65);
    let err = aws.firehose.describe_delivery_stream().delivery_stream_name(&long).send().await.unwrap_err();
    let text = format!("{}", aws_smithy_types::error::display::DisplayErrorContext(&err));
    assert!(text.contains("ValidationException"), "{text}");
    assert!(text.contains("more than the maximum 64"), "{text}");
    // IAM (query protocol): a role name over 64 characters.
    let err = aws.iam.get_role().role_name("r".repeat(65)).send().await.unwrap_err();
    let text = format!("{}", aws_smithy_types::error::display::DisplayErrorContext(&err));
    assert!(text.contains("ValidationError") && text.contains("RoleName"), "{text}");
    // CloudWatch (query protocol, signed as "monitoring"): a prefix over 255.
    let err = aws.cloudwatch.describe_alarms().alarm_name_prefix("a".repeat(256)).send().await.unwrap_err();
    let text = format!("{}", aws_smithy_types::error::display::DisplayErrorContext(&err));
    assert!(text.contains("AlarmNamePrefix") && text.contains("maximum 255"), "{text}");
    // A valid request goes through.
    aws.firehose.list_delivery_streams().send().await.expect("valid request");
    aws.cloudwatch.describe_alarms().alarm_name_prefix("a").send().await.expect("valid request");
}

/// Runs `tools/api_models.py --requests` on `requests` (see `check_requests`
/// there): for each, the operation it was matched to and its violations.
fn check(requests: serde_json::Value) -> Vec<(Option<String>, Vec<String>)> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(support::python())
        .arg(support::repo().join("tools/api_models.py"))
        .arg("--requests")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tools/api_models.py --requests");
    child.stdin.take().unwrap().write_all(requests.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON results");
    results
        .into_iter()
        .map(|r| {
            let op = r["operation"].as_str().map(str::to_string);
            let problems = r["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
            (op, problems)
        })
        .collect()
}

const S3_NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

fn tagging_body(extra: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging xmlns=\"{S3_NS}\"><TagSet>\
         <Tag><Key>firehose:stream</Key><Value>s</Value></Tag><Tag><Key>k</Key><Value></Value></Tag>\
         </TagSet>{extra}</Tagging>"
    )
}

#[test]
fn every_kind_of_s3_and_lambda_request_the_provider_sends_fits_the_model() {
    use serde_json::json;
    let host = json!({"Host": "127.0.0.1:5000", "x-amz-content-sha256": "UNSIGNED-PAYLOAD"});
    let s3 = |method: &str, path: &str, body: &str| json!({"service": "s3", "method": method, "path": path, "headers": host, "body": body});
    let located = format!(
        "<CreateBucketConfiguration xmlns=\"{S3_NS}\"><LocationConstraint>eu-west-1</LocationConstraint>\
         </CreateBucketConfiguration>"
    );
    let public = format!(
        "<PublicAccessBlockConfiguration xmlns=\"{S3_NS}\"><BlockPublicAcls>true</BlockPublicAcls>\
         <IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy>\
         <RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>"
    );
    let encryption = format!(
        "<ServerSideEncryptionConfiguration xmlns=\"{S3_NS}\"><Rule><ApplyServerSideEncryptionByDefault>\
         <SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:123456789012:key/k</KMSMasterKeyID>\
         </ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>\
         </ServerSideEncryptionConfiguration>"
    );
    let arn = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Atransform";
    let requests = json!([
        s3("PUT", "/b-backup-1", ""),
        s3("PUT", "/b-backup-1", &located),
        s3("HEAD", "/b-backup-1", ""),
        s3("GET", "/b-backup-1?tagging", ""),
        s3("PUT", "/b-backup-1?tagging", &tagging_body("")),
        s3("DELETE", "/b-backup-1?tagging", ""),
        s3("GET", "/b-backup-1?list-type=2&max-keys=1", ""),
        s3("GET", "/b-backup-1?location", ""),
        s3("PUT", "/b-backup-1?publicAccessBlock", &public),
        s3("PUT", "/b-backup-1?encryption", &encryption),
        s3("DELETE", "/b-backup-1", ""),
        {"service": "lambda", "method": "GET", "path": "/2015-03-31/functions/transform/configuration"},
        {"service": "lambda", "method": "GET", "path": format!("/2015-03-31/functions/{arn}/configuration")},
    ]);
    let expected = [
        "CreateBucket",
        "CreateBucket",
        "HeadBucket",
        "GetBucketTagging",
        "PutBucketTagging",
        "DeleteBucketTagging",
        "ListObjectsV2",
        "GetBucketLocation",
        "PutPublicAccessBlock",
        "PutBucketEncryption",
        "DeleteBucket",
        "GetFunctionConfiguration",
        "GetFunctionConfiguration",
    ];
    let results = check(requests);
    for (i, (op, problems)) in results.iter().enumerate() {
        assert_eq!(op.as_deref(), Some(expected[i]), "request {i}: {problems:?}");
        assert!(problems.is_empty(), "{}: {problems:?}", expected[i]);
    }
}

#[test]
fn s3_and_lambda_requests_aws_would_refuse_are_found() {
    use serde_json::json;
    let host = json!({"Host": "127.0.0.1:5000"});
    let requests = json!([
        {"service": "s3", "method": "PUT", "path": "/b", "headers": host, "body": format!(
            "<CreateBucketConfiguration xmlns=\"{S3_NS}\"><LocationConstraint>moon-1</LocationConstraint>\
             </CreateBucketConfiguration>")},
        {"service": "s3", "method": "PUT", "path": "/b?tagging", "headers": host,
         "body": tagging_body("<Owner>me</Owner>")},
        {"service": "lambda", "method": "GET",
         "path": format!("/2015-03-31/functions/{}/configuration", "f".repeat(257))},
        {"service": "s3", "method": "PATCH", "path": "/b", "headers": host},
        {"service": "s3", "method": "POST", "path": "/b", "headers": host},
        {"service": "s3", "method": "PUT", "path": "/b?tagging", "headers": host},
        {"service": "s3", "method": "GET", "path": "/b?list-type=2&max-keys=many&encoding-type=zip", "headers": host},
        {"service": "lambda", "method": "GET", "path": "/2015-03-31/functions/a%20b/configuration"},
    ]);
    let results = check(requests);
    let expect = |i: usize, op: Option<&str>, needle: &str| {
        let (got, problems) = &results[i];
        assert_eq!(got.as_deref(), op, "request {i}: {problems:?}");
        assert!(problems.iter().any(|p| p.contains(needle)), "request {i}: no {needle:?} in {problems:?}");
    };
    expect(0, Some("CreateBucket"), "CreateBucketConfiguration.LocationConstraint: 'moon-1' is not one of");
    expect(1, Some("PutBucketTagging"), "PutBucketTagging.Tagging: unknown element 'Owner'");
    expect(2, Some("GetFunctionConfiguration"), "FunctionName: 257 characters, more than the maximum 256");
    expect(3, None, "no operation of s3 matches PATCH /b");
    expect(4, None, "no operation of s3 matches POST /b");
    expect(5, Some("PutBucketTagging"), "missing required member 'Tagging'");
    expect(6, Some("ListObjectsV2"), "MaxKeys: expected a number");
    expect(6, Some("ListObjectsV2"), "EncodingType: 'zip' is not one of");
    expect(7, Some("GetFunctionConfiguration"), "does not match the pattern");
}

/// The S3 and Lambda calls the provider makes, sent by the real SDKs through
/// a proxy of this test's own so that its statistics are this test's alone.
#[tokio::test(flavor = "multi_thread")]
async fn real_s3_and_lambda_requests_pass_the_proxy_and_bad_ones_are_refused() {
    use aws_sdk_s3::types as s3;
    use aws_smithy_types::error::display::DisplayErrorContext;
    let proxy = support::proxy::Proxy::in_front_of(support::moto());
    let aws = support::aws::clients(proxy.url()).await;
    let bucket = support::unique("models");
    aws.s3.create_bucket().bucket(&bucket).send().await.expect("create bucket");
    aws.s3.head_bucket().bucket(&bucket).send().await.expect("head bucket");
    let tag = s3::Tag::builder().key("firehose:stream").value("s").build().unwrap();
    let tagging = s3::Tagging::builder().tag_set(tag).build().unwrap();
    aws.s3.put_bucket_tagging().bucket(&bucket).tagging(tagging).send().await.expect("put tagging");
    aws.s3.get_bucket_tagging().bucket(&bucket).send().await.expect("get tagging");
    aws.s3.list_objects_v2().bucket(&bucket).max_keys(1).send().await.expect("list objects");
    aws.s3.get_bucket_location().bucket(&bucket).send().await.expect("bucket location");
    let block =
        s3::PublicAccessBlockConfiguration::builder().block_public_acls(true).restrict_public_buckets(true).build();
    aws.s3
        .put_public_access_block()
        .bucket(&bucket)
        .public_access_block_configuration(block)
        .send()
        .await
        .expect("pab");
    let by_default =
        s3::ServerSideEncryptionByDefault::builder().sse_algorithm(s3::ServerSideEncryption::Aes256).build();
    let rule =
        s3::ServerSideEncryptionRule::builder().apply_server_side_encryption_by_default(by_default.unwrap()).build();
    let sse = s3::ServerSideEncryptionConfiguration::builder().rules(rule).build().unwrap();
    aws.s3.put_bucket_encryption().bucket(&bucket).server_side_encryption_configuration(sse).send().await.expect("sse");
    aws.s3.delete_bucket_tagging().bucket(&bucket).send().await.expect("delete tagging");
    aws.s3.delete_bucket().bucket(&bucket).send().await.expect("delete bucket");
    // Outside us-east-1 the provider names the region; moto may refuse the
    // constraint from a us-east-1 client, the model does not.
    let located =
        s3::CreateBucketConfiguration::builder().location_constraint(s3::BucketLocationConstraint::EuWest1).build();
    let _ = aws.s3.create_bucket().bucket(format!("{bucket}-eu")).create_bucket_configuration(located).send().await;
    // A function that does not exist is moto's answer, not a violation.
    let missing = aws.lambda.get_function_configuration().function_name("models-missing").send().await;
    assert!(missing.is_err(), "no such function");
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:models-missing";
    let _ = aws.lambda.get_function_configuration().function_name(arn).qualifier("$LATEST").send().await;
    let stats = proxy.stats();
    assert_eq!(stats["violations"], serde_json::json!([]), "{stats}");

    // What AWS would refuse is refused, and counted.
    let moon = s3::CreateBucketConfiguration::builder()
        .location_constraint(s3::BucketLocationConstraint::from("moon-1"))
        .build();
    let err = aws.s3.create_bucket().bucket(format!("{bucket}-moon")).create_bucket_configuration(moon).send().await;
    let text = format!("{}", DisplayErrorContext(&err.unwrap_err()));
    assert!(text.contains("ValidationError") && text.contains("moon-1"), "{text}");
    let err = aws.lambda.get_function_configuration().function_name("f".repeat(257)).send().await.unwrap_err();
    let text = format!("{}", DisplayErrorContext(&err));
    assert!(text.contains("ValidationException") && text.contains("more than the maximum 256"), "{text}");
    // A request no S3 operation matches, as raw HTTP (no SDK sends one).
    let (status, body) = raw(proxy.url(), &format!("PATCH /{bucket} HTTP/1.1"));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains(&format!("no operation of s3 matches PATCH /{bucket}")), "{body}");
    let stats = proxy.stats();
    let violations = stats["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 3, "{stats}");
    assert_eq!(violations[0]["call"], "s3:PUT", "{stats}");
    assert_eq!(violations[1]["call"], "lambda:GET", "{stats}");
    assert_eq!(violations[2]["call"], "s3:PATCH", "{stats}");
}

/// Sends `request_line` to the proxy with an S3 credential scope (the proxy
/// checks the model before forwarding, so the signature is never verified).
fn raw(url: &str, request_line: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{request_line}\r\nHost: {addr}\r\nAuthorization: AWS4-HMAC-SHA256 \
         Credential=testing/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let status = reply.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, reply.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}
