//! The OpenSearch Service destination end to end. moto does not know the
//! shape, so the API-model proxy emulates it (docs/reliability.md): the
//! request is checked against AWS's model, the stream is made in moto, and
//! its destination is described as AWS would. `examples/opensearch` applies,
//! plans clean, updates in place, moves into a VPC by replacement, imports
//! and destroys leaving nothing.

mod support;

use aws_sdk_firehose::types as fh;
use support::{checked_endpoint, moto, unique, Tf};

async fn described(aws: &support::aws::Aws, name: &str) -> fh::AmazonopensearchserviceDestinationDescription {
    let desc = aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await.unwrap();
    let d = desc.delivery_stream_description().unwrap();
    d.destinations()[0].amazonopensearchservice_destination_description().expect("an OpenSearch destination").clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn opensearch_lifecycle() {
    let main = std::fs::read_to_string(support::repo().join("examples/opensearch/main.tf")).unwrap();
    let aws = support::aws::clients(checked_endpoint()).await;
    let name = unique("opensearch");
    let domain = support::aws::create_domain(moto(), "logs-prod");
    let (subnet, group, _) = support::aws::create_vpc_parts(moto());
    let tf = Tf::new(&main);
    tf.write("terraform.tfvars", &format!("name = \"{name}\"\ndomain_arn = \"{domain}\"\n"));
    tf.apply().ok();

    let o = described(&aws, &name).await;
    assert_eq!((o.domain_arn(), o.index_name()), (Some(domain.as_str()), Some("events")));
    assert_eq!(o.index_rotation_period(), Some(&fh::AmazonopensearchserviceIndexRotationPeriod::OneDay));
    assert_eq!(o.s3_backup_mode(), Some(&fh::AmazonopensearchserviceS3BackupMode::FailedDocumentsOnly));
    let state = tf.resource("firehose_delivery_stream.this");
    let policy: serde_json::Value =
        serde_json::from_str(state["destination_role_policy_json"].as_str().unwrap()).unwrap();
    let grant = policy["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "OpenSearchDomain").unwrap();
    assert_eq!(grant["Resource"], serde_json::json!([domain.as_str(), format!("{domain}/*")]));
    tf.assert_no_changes();

    // Rotation changes in place.
    let weekly = main.replace("\"OneDay\"", "\"OneWeek\"");
    tf.write("main.tf", &weekly);
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("updated in-place") && !plan.contains("must be replaced"), "{plan}");
    tf.apply().ok();
    assert_eq!(
        described(&aws, &name).await.index_rotation_period(),
        Some(&fh::AmazonopensearchserviceIndexRotationPeriod::OneWeek)
    );
    tf.assert_no_changes();

    // Into a VPC: AWS cannot move a stream there, so the plan replaces it.
    let in_vpc = weekly.replace(
        "      s3_backup {}",
        &format!(
            "      vpc {{\n        subnet_ids         = [\"{subnet}\"]\n        security_group_ids = [\"{group}\"]\n      }}\n\n      s3_backup {{}}"
        ),
    );
    tf.write("main.tf", &in_vpc);
    let plan = tf.run(&["plan", "-no-color", "-input=false"]).ok().stdout;
    assert!(plan.contains("must be replaced") && plan.contains("forces replacement"), "{plan}");
    tf.apply().ok();
    let o = described(&aws, &name).await;
    assert_eq!(o.vpc_configuration_description().map(|v| v.subnet_ids().to_vec()), Some(vec![subnet.clone()]));
    tf.assert_no_changes();

    tf.reimport(&name);

    tf.destroy().ok();
    support::leftovers::assert_none(&aws, &name).await;
}
