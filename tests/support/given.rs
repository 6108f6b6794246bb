//! Values for an example's variables: what each names is made in moto
//! first (buckets, keys, functions, streams, roles, groups, topics), or is a
//! well-formed value for what the proxy emulates (MSK, OpenSearch, Redshift,
//! Snowflake, Splunk, HTTP endpoints).

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::aws::Aws;

/// The MSK cluster the proxy's emulation answers for.
pub const MSK_CLUSTER: &str =
    "arn:aws:kafka:us-east-1:123456789012:cluster/events/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2";

/// What the test supplied, so it can check it survives destroy.
#[derive(Default)]
pub struct Given {
    pub vars: BTreeMap<String, String>,
    pub buckets: Vec<String>,
    pub keys: Vec<String>,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
}

pub fn declared_variables(main_tf: &str) -> Vec<String> {
    main_tf
        .lines()
        .filter_map(|l| l.trim().strip_prefix("variable \""))
        .filter_map(|l| l.split('"').next())
        .map(str::to_string)
        .collect()
}

pub async fn supply(aws: &Aws, main_tf: &str, name: &str) -> Given {
    let mut g = Given::default();
    for var in declared_variables(main_tf) {
        let value = match var.as_str() {
            "name" => name.to_string(),
            "bucket_arn" | "backup_bucket_arn" => {
                let bucket = format!("{name}-{}", if var == "bucket_arn" { "data" } else { "given-backup" });
                g.buckets.push(bucket.clone());
                aws.create_bucket(&bucket).await
            }
            "kms_key_arn" | "destination_key_arn" | "backup_key_arn" => {
                let out = aws.kms.create_key().description(format!("{var} for {name}")).send().await.unwrap();
                let arn = out.key_metadata().unwrap().arn().unwrap().to_string();
                g.keys.push(arn.clone());
                arn
            }
            "lambda_arn" => aws.create_function(&format!("{name}-transform")).await,
            "source_stream_arn" => aws.create_kinesis_stream(&format!("{name}-source")).await,
            "stream_role_arn" | "destination_role_arn" => {
                let role = format!("{name}-user-{}", if var == "stream_role_arn" { "stream" } else { "dest" });
                let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
                let out = aws
                    .iam
                    .create_role()
                    .role_name(&role)
                    .assume_role_policy_document(trust.to_string())
                    .send()
                    .await
                    .unwrap();
                g.roles.push(role);
                out.role().unwrap().arn().to_string()
            }
            "glue_database" => name.replace('-', "_"),
            "glue_table" => {
                let db = g.vars.get("glue_database").expect("glue_database is declared before glue_table");
                aws.create_glue_table(db, "events");
                "events".to_string()
            }
            "log_group_name" => {
                let group = format!("/user/{name}");
                aws.logs.create_log_group().log_group_name(&group).send().await.unwrap();
                g.groups.push(group.clone());
                group
            }
            "alarm_topic_arn" => aws.create_topic(&format!("{name}-ops")),
            "url" => "https://example.com/in".to_string(),
            "hec_endpoint" => "https://http-inputs.example.splunkcloud.com:443".to_string(),
            "access_key" | "datadog_api_key" | "hec_token" | "password" => format!("{var}-value-0123456789"),
            "api_key_version" => "1".to_string(),
            "private_key" => format!("MIIEvQ{}", "A".repeat(298)),
            "warehouse_location" => {
                let bucket = aws.create_bucket(&format!("{name}-lake")).await;
                format!("s3://{}/warehouse/", bucket.trim_start_matches("arn:aws:s3:::"))
            }
            "cluster_arn" => MSK_CLUSTER.to_string(),
            "domain_arn" => "arn:aws:es:us-east-1:123456789012:domain/logs-prod".to_string(),
            "collection_endpoint" => "https://abc123def456ghi789jk.us-east-1.aoss.amazonaws.com".to_string(),
            "cluster_jdbc_url" => {
                "jdbc:redshift://analytics.abc123xyz.us-east-1.redshift.amazonaws.com:5439/events".to_string()
            }
            "account_url" => "https://xy12345.us-east-1.snowflakecomputing.com".to_string(),
            other => panic!("no test value for variable {other}"),
        };
        g.vars.insert(var, value);
    }
    g
}

pub fn tfvars(vars: &BTreeMap<String, String>) -> String {
    vars.iter().map(|(k, v)| format!("{k} = {}\n", Json::from(v.as_str()))).collect()
}
