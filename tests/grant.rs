//! `firehose_grant` end to end: real Terraform against moto. The inline
//! policy is checked on the AWS side through create, in-place update, drift
//! (changed and deleted outside Terraform), import and destroy.

mod support;

use serde_json::Value as Json;
use support::aws::Aws;
use support::{moto, unique, Tf};

const PUT: [&str; 2] = ["firehose:PutRecord", "firehose:PutRecordBatch"];

fn config(name: &str, bucket_arn: &str, role: &str, actions: Option<&[&str]>) -> String {
    let actions = actions.map_or(String::new(), |a| format!("  actions = {}\n", Json::from(a.to_vec())));
    format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

provider "firehose" {{}}

resource "firehose_delivery_stream" "s" {{
  name = "{name}"
  destination {{
    s3_bucket {{
      bucket_arn = "{bucket_arn}"
    }}
  }}
}}

resource "firehose_grant" "g" {{
  delivery_stream_arn = firehose_delivery_stream.s.arn
  role_name           = "{role}"
{actions}}}
"#
    )
}

async fn create_role(aws: &Aws, role: &str) {
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    aws.iam.create_role().role_name(role).assume_role_policy_document(trust.to_string()).send().await.expect("role");
}

/// The inline policy as IAM has it; None when absent.
async fn policy(aws: &Aws, role: &str, name: &str) -> Option<Json> {
    let out = aws.iam.get_role_policy().role_name(role).policy_name(name).send().await.ok()?;
    Some(serde_json::from_str(&urlencoding::decode(out.policy_document()).unwrap()).unwrap())
}

fn strings(v: &Json) -> Vec<String> {
    match v {
        Json::String(s) => vec![s.clone()],
        Json::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        _ => vec![],
    }
}

#[track_caller]
fn assert_grants(doc: &Json, actions: &[&str], stream_arn: &str) {
    let st = doc["Statement"].as_array().expect("statements");
    assert_eq!(st.len(), 1, "{doc}");
    assert_eq!(st[0]["Effect"], "Allow", "{doc}");
    assert_eq!(strings(&st[0]["Action"]), actions, "{doc}");
    assert_eq!(strings(&st[0]["Resource"]), [stream_arn], "{doc}");
}

#[tokio::test(flavor = "multi_thread")]
async fn grant_lifecycle() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("grant");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let role = format!("{name}-producer");
    create_role(&aws, &role).await;

    let tf = Tf::new(&config(&name, &bucket, &role, None));
    tf.apply().ok();
    let stream_arn = tf.resource("firehose_delivery_stream.s")["arn"].as_str().unwrap().to_string();
    let g = tf.resource("firehose_grant.g");
    let policy_name = g["policy_name"].as_str().unwrap().to_string();
    assert!(policy_name.starts_with(&format!("firehose-grant-{name}-")), "{policy_name}");
    assert_eq!(g["id"], format!("{role}/{policy_name}").as_str());
    assert_eq!(g["actions"], Json::from(PUT.to_vec()));
    let doc = policy(&aws, &role, &policy_name).await.expect("inline policy created");
    assert_grants(&doc, &PUT, &stream_arn);
    assert_eq!(doc, serde_json::from_str::<Json>(g["policy_json"].as_str().unwrap()).unwrap(), "state = AWS");
    tf.assert_no_changes();
    // Its identity (Terraform 1.12+) is the role and the policy.
    let raw = tf.state();
    let inst = raw["resources"].as_array().unwrap().iter().find(|r| r["type"] == "firehose_grant").unwrap();
    assert_eq!(inst["instances"][0]["identity"]["role_name"], role.as_str());
    assert_eq!(inst["instances"][0]["identity"]["policy_name"], policy_name.as_str());

    // A change of actions is an in-place update.
    tf.write("main.tf", &config(&name, &bucket, &role, Some(&["firehose:PutRecord"])));
    let plan = tf.plan().ok();
    assert!(plan.stdout.contains("firehose_grant.g will be updated in-place"), "{}", plan.all());
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.all());
    tf.apply().ok();
    assert_grants(&policy(&aws, &role, &policy_name).await.unwrap(), &["firehose:PutRecord"], &stream_arn);
    tf.assert_no_changes();

    // Changed outside Terraform: the plan shows it, apply repairs it.
    let foreign = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["firehose:DescribeDeliveryStream"], "Resource": [stream_arn]}]});
    aws.iam
        .put_role_policy()
        .role_name(&role)
        .policy_name(&policy_name)
        .policy_document(foreign.to_string())
        .send()
        .await
        .unwrap();
    let plan = tf.plan_code();
    assert_eq!(plan.code, 2, "drift must show as a change:\n{}", plan.all());
    assert!(plan.stdout.contains("firehose_grant.g will be updated in-place"), "{}", plan.all());
    assert!(plan.stdout.contains("firehose:DescribeDeliveryStream"), "{}", plan.all());
    tf.apply().ok();
    assert_grants(&policy(&aws, &role, &policy_name).await.unwrap(), &["firehose:PutRecord"], &stream_arn);
    tf.assert_no_changes();

    // Deleted outside Terraform: the plan re-creates it.
    aws.iam.delete_role_policy().role_name(&role).policy_name(&policy_name).send().await.unwrap();
    let plan = tf.plan_code();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("firehose_grant.g will be created"), "{}", plan.all());
    tf.apply().ok();
    assert_grants(&policy(&aws, &role, &policy_name).await.unwrap(), &["firehose:PutRecord"], &stream_arn);
    tf.assert_no_changes();

    // Import into a fresh state: the attributes come back from the document.
    let imported = Tf::new(&format!(
        r#"
terraform {{
  required_providers {{
    firehose = {{ source = "seedworks/firehose" }}
  }}
}}

provider "firehose" {{}}

resource "firehose_grant" "g" {{
  delivery_stream_arn = "{stream_arn}"
  role_name           = "{role}"
  actions             = ["firehose:PutRecord"]
}}
"#
    ));
    imported.run(&["import", "-no-color", "-input=false", "firehose_grant.g", &format!("{role}/{policy_name}")]).ok();
    let ig = imported.resource("firehose_grant.g");
    assert_eq!(ig["delivery_stream_arn"], stream_arn.as_str());
    assert_eq!(ig["role_name"], role.as_str());
    assert_eq!(ig["policy_name"], policy_name.as_str());
    assert_eq!(ig["actions"], Json::from(vec!["firehose:PutRecord"]));
    imported.assert_no_changes();

    let bad = imported.run(&["import", "-no-color", "-input=false", "firehose_grant.g", "no-slash"]);
    assert!(bad.failed().all().contains("<role_name>/<policy_name>"));

    // Destroy removes the policy and leaves the role.
    tf.destroy().ok();
    assert!(policy(&aws, &role, &policy_name).await.is_none(), "policy left behind");
    aws.iam.get_role().role_name(&role).send().await.expect("the user's role survives destroy");
}

#[tokio::test(flavor = "multi_thread")]
async fn grant_replaced_when_role_changes() {
    let aws = support::aws::clients(moto()).await;
    let name = unique("grant-move");
    let bucket = aws.create_bucket(&format!("{name}-data")).await;
    let (first, second) = (format!("{name}-a"), format!("{name}-b"));
    create_role(&aws, &first).await;
    create_role(&aws, &second).await;
    let tf = Tf::new(&config(&name, &bucket, &first, None));
    tf.apply().ok();
    let policy_name = tf.resource("firehose_grant.g")["policy_name"].as_str().unwrap().to_string();
    tf.write("main.tf", &config(&name, &bucket, &second, None));
    let plan = tf.plan().ok();
    assert!(plan.stdout.contains("firehose_grant.g must be replaced"), "{}", plan.all());
    assert!(plan.stdout.contains("forces replacement"), "{}", plan.all());
    tf.apply().ok();
    assert!(policy(&aws, &first, &policy_name).await.is_none(), "old grant removed");
    assert!(policy(&aws, &second, &policy_name).await.is_some(), "new grant created");
    tf.destroy().ok();
    assert!(policy(&aws, &second, &policy_name).await.is_none());
}

#[test]
fn invalid_grants_fail_at_plan() {
    let tf = Tf::new(
        r#"
terraform {
  required_providers {
    firehose = { source = "seedworks/firehose" }
  }
}

provider "firehose" {}

resource "firehose_grant" "arn" {
  delivery_stream_arn = "arn:aws:kinesis:us-east-1:123456789012:stream/events"
  role_name           = "producer"
}

resource "firehose_grant" "role" {
  delivery_stream_arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events"
  role_name           = "arn:aws:iam::123456789012:role/producer"
}

resource "firehose_grant" "actions" {
  delivery_stream_arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/events"
  role_name           = "producer"
  actions             = ["firehose:PutRecord", "s3:PutObject"]
}
"#,
    );
    let out = tf.plan().failed().all();
    assert!(out.contains("Invalid delivery stream ARN"), "{out}");
    assert!(out.contains("Firehose delivery stream ARN"), "{out}");
    assert!(out.contains("Invalid IAM role name"), "{out}");
    assert!(out.contains("not its ARN"), "{out}");
    assert!(out.contains("\"s3:PutObject\" is not a Firehose action"), "{out}");
}
