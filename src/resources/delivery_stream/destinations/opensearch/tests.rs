use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::super::search;
use super::super::testing::{self, ctx};
use super::{api, rules, OpenSearch};
use crate::protocol::{Diagnostics, Value};
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::private::Private;
use crate::resources::delivery_stream::{derive, plan};

const DOMAIN: &str = "arn:aws:es:us-east-1:123456789012:domain/logs-prod";
const ENDPOINT: &str = "https://search-logs-prod-abcdefghijklmnopqrstuvwxyz.us-east-1.es.amazonaws.com";

fn config(block: serde_json::Value) -> Value {
    testing::config("opensearch", json!({"domain_arn": DOMAIN, "index_name": "events", "s3_backup": [{}]}), block)
}

fn errors(c: &Value) -> Vec<(String, String)> {
    testing::errors(c, "opensearch")
}

fn planned(c: &Value, prior: Option<&Value>) -> (Value, Vec<String>) {
    let mut d = Diagnostics::new();
    let (v, replace) = plan::planned_state(c, prior, &Private::default(), Some(&ctx()), &mut d);
    assert!(!d.has_errors(), "{d:?}");
    (v, replace.iter().map(|p| p.to_string()).collect())
}

fn statement(p: &Value, sid: &str) -> serde_json::Value {
    let doc: serde_json::Value =
        serde_json::from_str(p.attr("destination_role_policy_json").as_str().unwrap()).unwrap();
    doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == sid)
        .cloned()
        .unwrap_or_else(|| panic!("{sid}: {doc}"))
}

#[test]
fn domains_endpoints_and_index_names() {
    assert!(rules::domain_arn(DOMAIN).is_ok());
    assert!(rules::domain_arn("arn:aws:es:us-east-1:123456789012:domain/Logs").is_err());
    assert_eq!(rules::endpoint_domain(ENDPOINT).unwrap(), ("logs-prod".to_string(), "us-east-1".to_string()));
    assert!(rules::endpoint_domain("https://vpc-logs-abc123.eu-west-1.es.amazonaws.com").is_ok());
    assert!(rules::endpoint_domain("https://search.example.com").unwrap_err().contains("give domain_arn"));
    assert!(search::index_name("events-2024").is_ok());
    assert!(search::index_name("Events").unwrap_err().contains("lowercase"));
    assert!(search::index_name("_events").unwrap_err().contains("must not start"));
    assert!(search::index_name("a,b").unwrap_err().contains("','"));
}

#[test]
fn rules_with_their_paths() {
    assert!(errors(&config(json!({}))).is_empty(), "{:?}", errors(&config(json!({}))));
    let cases = [
        (json!({"cluster_endpoint": ENDPOINT}), "cluster_endpoint", "not both"),
        (json!({"domain_arn": null}), "destination[0].opensearch[0]", "set domain_arn"),
        (json!({"index_rotation_period": "Daily"}), "index_rotation_period", "OneDay"),
        (json!({"document_id": "RANDOM"}), "document_id", "NO_DOCUMENT_ID"),
        (json!({"buffering_size": 101}), "buffering_size", "between 1 and 100"),
        (json!({"index_name": "Bad Index"}), "index_name", "lowercase"),
        (json!({"vpc": [{"subnet_ids": [], "security_group_ids": ["sg-0123"]}]}), "vpc[0].subnet_ids", "1 to 16"),
        (
            json!({"vpc": [{"subnet_ids": ["subnet-01"], "security_group_ids": ["group-1"]}]}),
            "vpc[0].security_group_ids[0]",
            "sg-",
        ),
        (json!({"s3_backup": [{"mode": "SOME"}]}), "s3_backup[0].mode", "\"FAILED\""),
    ];
    for (cfg, path, fragment) in cases {
        let e = errors(&config(cfg.clone()));
        assert!(e.iter().any(|(p, d)| p == path && d.contains(fragment)), "{cfg}: {e:?}");
    }
}

#[test]
fn grants_name_the_domain_its_reads_and_the_vpc() {
    let (p, _) = planned(&config(json!({})), None);
    let domain = statement(&p, "OpenSearchDomain");
    assert_eq!(domain["Resource"], json!([DOMAIN, format!("{DOMAIN}/*")]));
    let reads = statement(&p, "OpenSearchReads");
    let r: Vec<&str> = reads["Resource"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    for path in ["/_all/_settings", "/_cluster/stats", "/events*/_mapping", "/events*/_stats", "/_nodes/*/stats"] {
        assert!(r.contains(&format!("{DOMAIN}{path}").as_str()), "{path}: {r:?}");
    }
    assert!(p.attr("destination_role_policy_json").as_str().unwrap().matches("\"*\"").count() == 0);

    // By endpoint, the grants name the same domain.
    let (p2, _) = planned(&config(json!({"domain_arn": null, "cluster_endpoint": ENDPOINT})), None);
    assert_eq!(statement(&p2, "OpenSearchDomain")["Resource"], domain["Resource"]);

    // In a VPC: interfaces only in these subnets and groups; describes on *.
    let vpc = json!({"vpc": [{"subnet_ids": ["subnet-0a1b", "subnet-0c2d"], "security_group_ids": ["sg-0e3f"]}]});
    let (p3, _) = planned(&config(vpc), None);
    assert_eq!(
        statement(&p3, "VpcInterfaces")["Resource"],
        json!([
            "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a1b",
            "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0c2d",
            "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0e3f",
            "arn:aws:ec2:us-east-1:123456789012:network-interface/*"
        ])
    );
    assert_eq!(statement(&p3, "VpcDescribe")["Resource"], json!("*"));
    // DescribeVpcAttribute acts on a VPC: only those of the account and region.
    assert_eq!(statement(&p3, "VpcAttribute")["Resource"], json!("arn:aws:ec2:us-east-1:123456789012:vpc/*"));
}

#[test]
fn the_vpc_and_the_backup_mode_replace_the_stream() {
    let vpc = |s: &str| json!({"vpc": [{"subnet_ids": [s], "security_group_ids": ["sg-0e3f"]}]});
    let (prior, _) = planned(&config(vpc("subnet-0a1b")), None);
    let (_, r) = planned(&config(vpc("subnet-0c2d")), Some(&prior));
    assert_eq!(r, ["destination[0].opensearch[0].vpc[0].subnet_ids"]);
    let (_, r) = planned(&config(json!({})), Some(&prior));
    assert_eq!(r, ["destination[0].opensearch[0].vpc"]);
    let (_, r) = planned(&config(json!({"index_name": "other", "vpc": vpc("subnet-0a1b")["vpc"]})), Some(&prior));
    assert!(r.is_empty(), "{r:?}");
    let (_, r) =
        planned(&config(json!({"s3_backup": [{"mode": "ALL"}], "vpc": vpc("subnet-0a1b")["vpc"]})), Some(&prior));
    assert_eq!(r, ["destination[0].opensearch[0].s3_backup[0].mode"]);
}

/// Config → SDK input → description → state.
#[test]
fn opensearch_round_trips_through_the_api() {
    let c = config(json!({
        "index_rotation_period": "OneWeek",
        "document_id": "NO_DOCUMENT_ID",
        "buffering_interval": 60,
        "vpc": [{"subnet_ids": ["subnet-0a1b"], "security_group_ids": ["sg-0e3f"]}],
        "s3_backup": [{"mode": "ALL"}],
    }));
    assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    let (p, _) = planned(&c, None);
    let spec = testing::spec(&p, &c);
    let role = spec.destination_role_arn.clone();
    let bound = testing::bound(&spec);
    let sent = api::create(&bound).unwrap();
    assert_eq!(sent.vpc_configuration().map(|v| v.role_arn()), Some(role.as_str()));
    assert_eq!(sent.s3_backup_mode(), Some(&fh::AmazonopensearchserviceS3BackupMode::AllDocuments));
    api::update(&bound).unwrap();
    let vpc = sent.vpc_configuration().unwrap();
    let desc = fh::AmazonopensearchserviceDestinationDescription::builder()
        .role_arn(sent.role_arn())
        .set_domain_arn(sent.domain_arn().map(str::to_string))
        .index_name(sent.index_name())
        .set_index_rotation_period(sent.index_rotation_period().cloned())
        .set_buffering_hints(sent.buffering_hints().cloned())
        .set_retry_options(sent.retry_options().cloned())
        .set_s3_backup_mode(sent.s3_backup_mode().cloned())
        .s3_destination_description(testing::described_backup(sent.s3_configuration().unwrap()))
        .set_processing_configuration(sent.processing_configuration().cloned())
        .set_cloud_watch_logging_options(sent.cloud_watch_logging_options().cloned())
        .vpc_configuration_description(
            fh::VpcConfigurationDescription::builder()
                .set_subnet_ids(Some(vpc.subnet_ids().to_vec()))
                .set_security_group_ids(Some(vpc.security_group_ids().to_vec()))
                .role_arn(vpc.role_arn())
                .vpc_id("vpc-0123")
                .build()
                .unwrap(),
        )
        .set_document_id_options(sent.document_id_options().cloned())
        .build();
    let d = fh::DestinationDescription::builder()
        .destination_id("d")
        .amazonopensearchservice_destination_description(desc)
        .build()
        .unwrap();
    let (read, _) = OpenSearch.read(&d, "s", &role, Some(derive::dest(&p))).unwrap();
    assert_eq!(&read, derive::dest(&p));
}
