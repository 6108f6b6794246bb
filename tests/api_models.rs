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
    // A valid request goes through.
    aws.firehose.list_delivery_streams().send().await.expect("valid request");
}
