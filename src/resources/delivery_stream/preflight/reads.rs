//! Preflight's reads: one read-only call (two for a VPC) per reference,
//! whose answer goes to the reference's rule in `rules.rs`. "Not found" is
//! an answer; any other failure (a denied call, a throttled one) is Err,
//! which `check` turns into a "not checked" warning that names the action.

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::super::destinations::{opensearch, opensearch_serverless};
use super::super::kind::{Ctx, RefKind};
use super::refs::Ref;
use super::rules::*;

pub async fn read(aws: &AwsClients, ctx: &Ctx, r: &Ref) -> Result<Vec<Finding>, String> {
    let v = r.value.as_str();
    // An ARN of another region is not read: this provider's clients read
    // their own region, where it would look missing.
    let arn = v.split('\n').next().unwrap_or(v);
    let regional = matches!(r.kind, RefKind::Secret(_) | RefKind::Topic | RefKind::Domain | RefKind::MskCluster);
    if regional && crate::aws::arn::Arn::parse(arn).is_ok_and(|a| a.region != ctx.region) {
        return Ok(vec![]);
    }
    match r.kind {
        RefKind::Bucket => {
            let name = super::super::parts::bucket_name(v);
            match aws.s3.head_bucket().bucket(name).send().await {
                Ok(out) => Ok(bucket_rule(name, Some(out.bucket_region()), ctx)),
                Err(e) if matches!(error_code(&e), Some("NotFound" | "NoSuchBucket")) || status(&e) == Some(404) => {
                    Ok(bucket_rule(name, None, ctx))
                }
                Err(e) => Err(call_error("s3:ListBucket", v, &e)),
            }
        }
        RefKind::Function => match aws.lambda.get_function_configuration().function_name(v).send().await {
            Ok(out) => Ok(function_rule(v, Some((out.state().map(|s| s.as_str()), out.timeout())))),
            Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(function_rule(v, None)),
            Err(e) => Err(call_error("lambda:GetFunctionConfiguration", v, &e)),
        },
        RefKind::Key => match aws.kms.describe_key().key_id(v).send().await {
            Ok(out) => {
                let Some(m) = out.key_metadata() else { return Ok(key_rule(v, None)) };
                let state = m.key_state().map_or("Unknown", |s| s.as_str());
                let spec = m.key_spec().map_or("SYMMETRIC_DEFAULT", |s| s.as_str());
                let usage = m.key_usage().map_or("ENCRYPT_DECRYPT", |u| u.as_str());
                Ok(key_rule(v, Some((state, spec, usage))))
            }
            Err(e) if error_code(&e) == Some("NotFoundException") => Ok(key_rule(v, None)),
            Err(e) => Err(call_error("kms:DescribeKey", v, &e)),
        },
        RefKind::SourceStream => {
            if let Some(f) = source_stream_place_rule(v, ctx) {
                return Ok(vec![f]);
            }
            match aws.kinesis.describe_stream_summary().stream_arn(v).send().await {
                Ok(out) => {
                    Ok(source_stream_rule(v, out.stream_description_summary().map(|d| d.stream_status().as_str())))
                }
                Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(source_stream_rule(v, None)),
                Err(e) => Err(call_error("kinesis:DescribeStreamSummary", v, &e)),
            }
        }
        RefKind::LogGroup => match super::super::parts::log_group_retention(aws, v).await? {
            super::super::parts::Retention::Gone => {
                Ok(vec![Finding::Error(format!("log group {v} does not exist in {}", ctx.region))])
            }
            _ => Ok(vec![]),
        },
        RefKind::Role => {
            let name = super::super::model::role_name(v);
            match super::super::parts::role_exists(aws, name).await? {
                true => Ok(vec![]),
                false => Ok(vec![Finding::Error(format!("IAM role {v} does not exist"))]),
            }
        }
        RefKind::Secret(keys) => secret(aws, v, keys).await,
        RefKind::Topic => match aws.sns.get_topic_attributes().topic_arn(v).send().await {
            Ok(_) => Ok(topic_rule(v, true)),
            Err(e) if error_code(&e) == Some("NotFound") => Ok(topic_rule(v, false)),
            Err(e) => Err(call_error("sns:GetTopicAttributes", v, &e)),
        },
        RefKind::GlueTable | RefKind::GlueDatabase => glue(aws, ctx, r.kind, v).await,
        RefKind::Domain => match opensearch::rules::domain_arn(v) {
            Ok(arn) => domain(aws, arn.resource.trim_start_matches("domain/"), None).await,
            // Refused at plan already.
            Err(_) => Ok(vec![]),
        },
        RefKind::DomainEndpoint => match opensearch::rules::endpoint_domain(v) {
            // Another region's domain: the grants name it, but this
            // provider's clients read only their own region.
            Ok((name, region)) if region == ctx.region => domain(aws, &name, Some(v)).await,
            _ => Ok(vec![]),
        },
        RefKind::Collection => match opensearch_serverless::collection(v) {
            Ok((id, region)) if region == ctx.region => collection(aws, &id, v).await,
            _ => Ok(vec![]),
        },
        RefKind::MskCluster => {
            let (arn, connectivity) = v.split_once('\n').unwrap_or((v, "PUBLIC"));
            msk(aws, arn, connectivity).await
        }
        RefKind::Vpc => {
            let (subnets, groups) = v.split_once('\n').unwrap_or((v, ""));
            vpc(aws, subnets, groups).await
        }
        RefKind::Redshift => match redshift_target(v) {
            Some(t) => redshift(aws, &t).await,
            None => Ok(vec![]),
        },
    }
}

async fn secret(aws: &AwsClients, arn: &str, keys: &[&str]) -> Result<Vec<Finding>, String> {
    match aws.secretsmanager.get_secret_value().secret_id(arn).send().await {
        Ok(out) => {
            // Only the key names leave this function; the value is dropped here.
            let shape = match out.secret_string() {
                None => SecretShape::NotJson("it holds binary data"),
                Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(serde_json::Value::Object(m)) => SecretShape::Keys(m.keys().cloned().collect()),
                    Ok(_) => SecretShape::NotJson("its JSON is not an object"),
                    Err(_) => SecretShape::NotJson("it is not JSON"),
                },
            };
            Ok(secret_rule(arn, keys, Some(shape)))
        }
        Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(secret_rule(arn, keys, None)),
        Err(e) => Err(call_error("secretsmanager:GetSecretValue", arn, &e)),
    }
}

async fn glue(aws: &AwsClients, ctx: &Ctx, kind: RefKind, v: &str) -> Result<Vec<Finding>, String> {
    let parts: Vec<&str> = v.split('\n').collect();
    let (catalog, region) = (parts.first().copied().unwrap_or(""), parts.get(1).copied().unwrap_or(""));
    if !region.is_empty() && region != ctx.region {
        // Another region's catalog: this provider's clients read their own.
        return Ok(vec![]);
    }
    let catalog = (!catalog.is_empty()).then(|| catalog.to_string());
    let database = parts.get(2).copied().unwrap_or_default();
    match (kind, parts.get(3)) {
        (RefKind::GlueTable, Some(table)) => {
            let call = aws.glue.get_table().set_catalog_id(catalog).database_name(database).name(*table);
            match call.send().await {
                Ok(_) => Ok(glue_rule("", Ok(()))),
                Err(e) if error_code(&e) == Some("EntityNotFoundException") => {
                    Ok(glue_rule(&format!("table {database}.{table}"), Err(crate::aws::error_text(&e))))
                }
                Err(e) => Err(call_error("glue:GetTable", &format!("{database}.{table}"), &e)),
            }
        }
        _ => match aws.glue.get_database().set_catalog_id(catalog).name(database).send().await {
            Ok(_) => Ok(vec![]),
            Err(e) if error_code(&e) == Some("EntityNotFoundException") => {
                Ok(glue_rule(&format!("database {database}"), Err(crate::aws::error_text(&e))))
            }
            Err(e) => Err(call_error("glue:GetDatabase", database, &e)),
        },
    }
}

async fn domain(aws: &AwsClients, name: &str, endpoint: Option<&str>) -> Result<Vec<Finding>, String> {
    match aws.opensearch.describe_domain().domain_name(name).send().await {
        Ok(out) => {
            let info = out.domain_status().map(|s| {
                let mut endpoints: Vec<String> = s.endpoint().map(str::to_string).into_iter().collect();
                endpoints.extend(s.endpoints().map(|m| m.values().cloned().collect::<Vec<_>>()).unwrap_or_default());
                endpoints.extend(s.endpoint_v2().map(str::to_string));
                DomainInfo { deleted: s.deleted().unwrap_or(false), endpoints }
            });
            Ok(domain_rule(name, endpoint, info))
        }
        Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(domain_rule(name, endpoint, None)),
        Err(e) => Err(call_error("es:DescribeDomain", name, &e)),
    }
}

async fn collection(aws: &AwsClients, id: &str, endpoint: &str) -> Result<Vec<Finding>, String> {
    match aws.opensearchserverless.batch_get_collection().ids(id).send().await {
        Ok(out) => {
            let found = out.collection_details().iter().find(|c| c.id() == Some(id));
            Ok(collection_rule(id, endpoint, found.map(|c| (c.status().map(|s| s.as_str()), c.collection_endpoint()))))
        }
        Err(e) => Err(call_error("aoss:BatchGetCollection", id, &e)),
    }
}

async fn msk(aws: &AwsClients, arn: &str, connectivity: &str) -> Result<Vec<Finding>, String> {
    match aws.kafka.describe_cluster_v2().cluster_arn(arn).send().await {
        Ok(out) => {
            let info = out.cluster_info().map(|c| {
                let state = c.state().map_or("UNKNOWN", |s| s.as_str()).to_string();
                match (c.provisioned(), c.serverless()) {
                    (Some(p), _) => {
                        let iam = p
                            .client_authentication()
                            .and_then(|a| a.sasl())
                            .and_then(|s| s.iam())
                            .and_then(|i| i.enabled())
                            .unwrap_or(false);
                        let conn = p.broker_node_group_info().and_then(|b| b.connectivity_info());
                        let private_iam = conn
                            .and_then(|c| c.vpc_connectivity())
                            .and_then(|v| v.client_authentication())
                            .and_then(|a| a.sasl())
                            .and_then(|s| s.iam())
                            .and_then(|i| i.enabled())
                            .unwrap_or(false);
                        let public = conn
                            .and_then(|c| c.public_access())
                            .and_then(|p| p.r#type())
                            .is_some_and(|t| t == "SERVICE_PROVIDED_EIPS");
                        MskInfo { state, serverless: false, iam, private_iam, public }
                    }
                    // Serverless clusters take IAM clients only, privately.
                    (None, Some(_)) => MskInfo { state, serverless: true, iam: true, private_iam: true, public: false },
                    (None, None) => MskInfo { state, serverless: false, iam: false, private_iam: false, public: false },
                }
            });
            Ok(msk_rule(arn, connectivity, info))
        }
        Err(e) if error_code(&e) == Some("NotFoundException") => Ok(msk_rule(arn, connectivity, None)),
        Err(e) => Err(call_error("kafka:DescribeClusterV2", arn, &e)),
    }
}

async fn vpc(aws: &AwsClients, subnets: &str, groups: &str) -> Result<Vec<Finding>, String> {
    use aws_sdk_ec2::types::Filter;
    let ids = |s: &str| s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let (subnet_ids, group_ids) = (ids(subnets), ids(groups));
    // Filters, not IDs: a missing ID is then left out of the answer rather
    // than failing the whole call, so each missing one can be named.
    let by = |name: &str, values: &[String]| Filter::builder().name(name).set_values(Some(values.to_vec())).build();
    let (s, g) = tokio::join!(
        aws.ec2.describe_subnets().filters(by("subnet-id", &subnet_ids)).send(),
        aws.ec2.describe_security_groups().filters(by("group-id", &group_ids)).send(),
    );
    let s = s.map_err(|e| call_error("ec2:DescribeSubnets", subnets, &e))?;
    let g = g.map_err(|e| call_error("ec2:DescribeSecurityGroups", groups, &e))?;
    let pair = |id: Option<&str>, vpc: Option<&str>| Some((id?.to_string(), vpc.unwrap_or_default().to_string()));
    let found_s: Vec<_> = s.subnets().iter().filter_map(|x| pair(x.subnet_id(), x.vpc_id())).collect();
    let found_g: Vec<_> = g.security_groups().iter().filter_map(|x| pair(x.group_id(), x.vpc_id())).collect();
    let subnets: Vec<&str> = subnet_ids.iter().map(String::as_str).collect();
    let groups: Vec<&str> = group_ids.iter().map(String::as_str).collect();
    Ok(vpc_rule(&subnets, &groups, &found_s, &found_g))
}

async fn redshift(aws: &AwsClients, t: &RedshiftTarget) -> Result<Vec<Finding>, String> {
    if t.serverless {
        return match aws.redshiftserverless.get_workgroup().workgroup_name(&t.name).send().await {
            Ok(out) => {
                let ep = out.workgroup().and_then(|w| w.endpoint());
                Ok(redshift_rule(t, Some((ep.and_then(|e| e.address()), ep.and_then(|e| e.port())))))
            }
            Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(redshift_rule(t, None)),
            Err(e) => Err(call_error("redshift-serverless:GetWorkgroup", &t.name, &e)),
        };
    }
    match aws.redshift.describe_clusters().cluster_identifier(&t.name).send().await {
        Ok(out) => {
            let ep = out.clusters().first().and_then(|c| c.endpoint());
            Ok(redshift_rule(t, Some((ep.and_then(|e| e.address()), ep.and_then(|e| e.port())))))
        }
        Err(e) if error_code(&e) == Some("ClusterNotFound") => Ok(redshift_rule(t, None)),
        Err(e) => Err(call_error("redshift:DescribeClusters", &t.name, &e)),
    }
}

fn status<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Option<u16> {
    match e {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(se) => Some(se.raw().status().as_u16()),
        _ => None,
    }
}
