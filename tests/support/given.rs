//! Values for an example's variables: what each names is made in moto
//! first (buckets, keys, functions, streams, roles, groups, topics, Glue
//! tables, OpenSearch domains and collections, Redshift clusters), or in the
//! API-model proxy where it emulates the service (MSK clusters), or is a
//! well-formed value for what needs no AWS object (Snowflake, Splunk, HTTP
//! endpoints): preflight reads each before the plan passes.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::aws::Aws;

/// The Glue tables an example's `iceberg` block names, as (database, table).
pub fn iceberg_tables(main_tf: &str) -> Vec<(String, String)> {
    let value = |l: &str, key: &str| {
        let rest = l.trim().strip_prefix(key)?.trim_start().strip_prefix('=')?;
        Some(rest.trim().trim_matches('"').to_string())
    };
    let mut out = Vec::new();
    let mut database = None;
    for line in main_tf.lines() {
        if let Some(db) = value(line, "database") {
            database = Some(db);
        } else if let (Some(t), Some(db)) = (value(line, "name"), database.take()) {
            out.push((db, t));
        }
    }
    out
}

/// Makes the Glue tables `main_tf`'s `iceberg` block names.
pub fn supply_iceberg_tables(aws: &Aws, main_tf: &str) {
    for (db, t) in iceberg_tables(main_tf) {
        aws.create_glue_table(&db, &t);
    }
}

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
    supply_via(aws, main_tf, name, super::checked_endpoint()).await
}

/// `supply`, with what the API-model proxy emulates (MSK clusters) made in
/// the proxy at `proxy`, the one the test's Terraform talks to.
pub async fn supply_via(aws: &Aws, main_tf: &str, name: &str, proxy: &str) -> Given {
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
            "cluster_arn" => super::aws::create_msk_cluster(proxy, "events", true, true),
            "domain_arn" => super::aws::create_domain(aws.endpoint(), "logs-prod"),
            "collection_endpoint" => super::aws::create_collection(aws.endpoint(), "logs"),
            "cluster_jdbc_url" => super::aws::create_redshift_cluster(aws.endpoint(), "analytics"),
            "account_url" => "https://xy12345.us-east-1.snowflakecomputing.com".to_string(),
            other => panic!("no test value for variable {other}"),
        };
        g.vars.insert(var, value);
    }
    supply_iceberg_tables(aws, main_tf);
    g
}

pub fn tfvars(vars: &BTreeMap<String, String>) -> String {
    vars.iter().map(|(k, v)| format!("{k} = {}\n", Json::from(v.as_str()))).collect()
}
