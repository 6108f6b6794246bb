//! AWS SDK clients, built once per ConfigureProvider and shared by every
//! call in the process, so connections and credentials are reused.

use std::collections::BTreeMap;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use tokio::sync::OnceCell;

use super::config::ProviderConfig;
use super::diagnose::Problem;
use super::pacer::Pacer;
use crate::aws::arn::Arn;
use crate::aws::errors::Failure;

pub struct AwsClients {
    pub firehose: aws_sdk_firehose::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub kms: aws_sdk_kms::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
    /// For preflight reads of what the stream references.
    pub lambda: aws_sdk_lambda::Client,
    pub kinesis: aws_sdk_kinesis::Client,
    /// The stream's alarms.
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    /// Preflight reads of what a stream references, one client per service.
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    pub sns: aws_sdk_sns::Client,
    pub glue: aws_sdk_glue::Client,
    pub opensearch: aws_sdk_opensearch::Client,
    pub opensearchserverless: aws_sdk_opensearchserverless::Client,
    pub kafka: aws_sdk_kafka::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub redshift: aws_sdk_redshift::Client,
    pub redshiftserverless: aws_sdk_redshiftserverless::Client,
    pub region: String,
    pub partition: &'static str,
    pub default_tags: BTreeMap<String, String>,
    pub preflight: super::config::Preflight,
    /// What every stream of this provider process shares: rates, polls,
    /// the quickest create and delete, the listing deletes wait on.
    pub pacer: Pacer,
    account_id: OnceCell<String>,
}

impl AwsClients {
    pub async fn build(cfg: &ProviderConfig) -> Result<AwsClients, Problem> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(cfg.max_retries + 1));
        if let Some(r) = &cfg.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(p) = &cfg.profile {
            loader = loader.profile_name(p);
        }
        if let Some(k) = &cfg.keys {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                k.access_key.clone(),
                k.secret_key.clone(),
                k.token.clone(),
                None,
                "provider-configuration",
            ));
        }
        if let Some(u) = &cfg.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        let mut base = loader.load().await;
        let region = base.region().map(|r| r.to_string()).ok_or_else(|| {
            Problem::new(
                "No AWS region",
                "The provider found no region in the provider block (`region`), the environment (AWS_REGION, \
                 AWS_DEFAULT_REGION) or the shared config file's profile. Set one of them.",
            )
        })?;
        if !crate::aws::arn::is_region_shape(&region) {
            return Err(Problem::new(
                format!("Unknown AWS region {region:?}"),
                format!(
                    "{region:?} is not an AWS region name such as us-east-1 or eu-west-2. \
                     Check `region` in the provider block, AWS_REGION and the profile's region."
                ),
            ));
        }
        if let Some(ar) = &cfg.assume_role {
            let mut b = aws_config::sts::AssumeRoleProvider::builder(&ar.role_arn)
                .session_name(ar.session_name.clone().unwrap_or_else(|| "terraform-provider-firehose".into()))
                .configure(&base);
            if let Some(ext) = &ar.external_id {
                b = b.external_id(ext);
            }
            if let Some(sts) = cfg.endpoints.get("sts") {
                let sts_conf = base.to_builder().endpoint_url(sts).build();
                b = b.configure(&sts_conf);
            }
            let provider = b.build().await;
            base = base
                .to_builder()
                .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
                .build();
        }
        let ep = |svc: &str| cfg.endpoints.get(svc).cloned();
        let custom_s3_endpoint = ep("s3").is_some() || base.endpoint_url().is_some();
        Ok(AwsClients {
            firehose: aws_sdk_firehose::Client::from_conf(
                with_endpoint(aws_sdk_firehose::config::Builder::from(&base), ep("firehose"), |b, u| b.endpoint_url(u))
                    .build(),
            ),
            iam: aws_sdk_iam::Client::from_conf(
                with_endpoint(aws_sdk_iam::config::Builder::from(&base), ep("iam"), |b, u| b.endpoint_url(u)).build(),
            ),
            logs: aws_sdk_cloudwatchlogs::Client::from_conf(
                with_endpoint(aws_sdk_cloudwatchlogs::config::Builder::from(&base), ep("logs"), |b, u| {
                    b.endpoint_url(u)
                })
                .build(),
            ),
            kms: aws_sdk_kms::Client::from_conf(
                with_endpoint(aws_sdk_kms::config::Builder::from(&base), ep("kms"), |b, u| b.endpoint_url(u)).build(),
            ),
            // Emulators serve buckets by path, not by virtual host name.
            s3: aws_sdk_s3::Client::from_conf(
                with_endpoint(aws_sdk_s3::config::Builder::from(&base), ep("s3"), |b, u| b.endpoint_url(u))
                    .force_path_style(custom_s3_endpoint)
                    .build(),
            ),
            lambda: aws_sdk_lambda::Client::from_conf(
                with_endpoint(aws_sdk_lambda::config::Builder::from(&base), ep("lambda"), |b, u| b.endpoint_url(u))
                    .build(),
            ),
            kinesis: aws_sdk_kinesis::Client::from_conf(
                with_endpoint(aws_sdk_kinesis::config::Builder::from(&base), ep("kinesis"), |b, u| b.endpoint_url(u))
                    .build(),
            ),
            cloudwatch: aws_sdk_cloudwatch::Client::from_conf(
                with_endpoint(aws_sdk_cloudwatch::config::Builder::from(&base), ep("cloudwatch"), |b, u| {
                    b.endpoint_url(u)
                })
                .build(),
            ),
            secretsmanager: aws_sdk_secretsmanager::Client::from_conf(
                with_endpoint(aws_sdk_secretsmanager::config::Builder::from(&base), ep("secretsmanager"), |b, u| {
                    b.endpoint_url(u)
                })
                .build(),
            ),
            sns: aws_sdk_sns::Client::from_conf(
                with_endpoint(aws_sdk_sns::config::Builder::from(&base), ep("sns"), |b, u| b.endpoint_url(u)).build(),
            ),
            glue: aws_sdk_glue::Client::from_conf(
                with_endpoint(aws_sdk_glue::config::Builder::from(&base), ep("glue"), |b, u| b.endpoint_url(u)).build(),
            ),
            opensearch: aws_sdk_opensearch::Client::from_conf(
                with_endpoint(aws_sdk_opensearch::config::Builder::from(&base), ep("opensearch"), |b, u| {
                    b.endpoint_url(u)
                })
                .build(),
            ),
            opensearchserverless: aws_sdk_opensearchserverless::Client::from_conf(
                with_endpoint(
                    aws_sdk_opensearchserverless::config::Builder::from(&base),
                    ep("opensearchserverless"),
                    |b, u| b.endpoint_url(u),
                )
                .build(),
            ),
            kafka: aws_sdk_kafka::Client::from_conf(
                with_endpoint(aws_sdk_kafka::config::Builder::from(&base), ep("kafka"), |b, u| b.endpoint_url(u))
                    .build(),
            ),
            ec2: aws_sdk_ec2::Client::from_conf(
                with_endpoint(aws_sdk_ec2::config::Builder::from(&base), ep("ec2"), |b, u| b.endpoint_url(u)).build(),
            ),
            redshift: aws_sdk_redshift::Client::from_conf(
                with_endpoint(aws_sdk_redshift::config::Builder::from(&base), ep("redshift"), |b, u| b.endpoint_url(u))
                    .build(),
            ),
            redshiftserverless: aws_sdk_redshiftserverless::Client::from_conf(
                with_endpoint(
                    aws_sdk_redshiftserverless::config::Builder::from(&base),
                    ep("redshiftserverless"),
                    |b, u| b.endpoint_url(u),
                )
                .build(),
            ),
            sts: aws_sdk_sts::Client::from_conf(
                with_endpoint(aws_sdk_sts::config::Builder::from(&base), ep("sts"), |b, u| b.endpoint_url(u)).build(),
            ),
            partition: crate::aws::arn::partition_for_region(&region),
            region,
            default_tags: cfg.default_tags.clone(),
            preflight: cfg.preflight,
            pacer: Pacer::default(),
            account_id: OnceCell::new(),
        })
    }

    /// The caller's account, asked of STS once per process when first needed.
    pub async fn account_id(&self) -> Result<String, String> {
        self.account_id
            .get_or_try_init(|| async {
                let out = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| crate::aws::call_error("sts:GetCallerIdentity", "", &e))?;
                out.account().map(str::to_string).ok_or_else(|| "sts:GetCallerIdentity returned no account".to_string())
            })
            .await
            .cloned()
    }

    /// At ConfigureProvider: one sts:GetCallerIdentity proves the region,
    /// the endpoint and the credentials (including an assumed role), so a
    /// problem with any of them is reported once, for the provider, instead
    /// of once per resource.
    pub async fn verify(&self, cfg: &ProviderConfig) -> Result<(), Problem> {
        // A few tries, not the configured many: a wrong endpoint should be
        // reported in seconds, not after minutes of backoff.
        let quick = aws_sdk_sts::config::Builder::default().retry_config(RetryConfig::standard().with_max_attempts(5));
        match self.sts.get_caller_identity().customize().config_override(quick).send().await {
            Ok(out) => {
                if let Some(account) = out.account() {
                    let _ = self.account_id.set(account.to_string());
                }
                Ok(())
            }
            Err(e) => match crate::aws::errors::classify(&e) {
                // Throttling or a server error says nothing about the
                // configuration: the account is asked for again when needed.
                Failure::Service { .. } | Failure::Other { .. } => {
                    crate::debug!("sts:GetCallerIdentity failed at configuration: {}", crate::aws::error_text(&e));
                    Ok(())
                }
                f => Err(super::diagnose::problem(cfg, &self.region, &f)),
            },
        }
    }

    /// The account, once known (after `verify`); for naming ARNs in errors.
    fn account(&self) -> &str {
        self.account_id.get().map_or("<account>", String::as_str)
    }

    pub fn role_arn(&self, role: impl AsRef<str>) -> String {
        let role = role.as_ref();
        Arn::new(self.partition, "iam", "", self.account(), format!("role/{role}")).to_string()
    }

    pub fn log_group_arn(&self, group: impl AsRef<str>) -> String {
        let group = group.as_ref();
        Arn::new(self.partition, "logs", &self.region, self.account(), format!("log-group:{group}")).to_string()
    }

    pub fn bucket_arn(&self, bucket: impl AsRef<str>) -> String {
        let bucket = bucket.as_ref();
        Arn::new(self.partition, "s3", "", "", bucket).to_string()
    }

    pub fn stream_arn(&self, name: impl AsRef<str>) -> String {
        let name = name.as_ref();
        Arn::new(self.partition, "firehose", &self.region, self.account(), format!("deliverystream/{name}")).to_string()
    }

    /// A key ARN as given; a key ID or alias name as an ARN.
    pub fn key_arn(&self, key: impl AsRef<str>) -> String {
        let key = key.as_ref();
        if key.starts_with("arn:") {
            key.to_string()
        } else if key.starts_with("alias/") {
            Arn::new(self.partition, "kms", &self.region, self.account(), key).to_string()
        } else {
            Arn::new(self.partition, "kms", &self.region, self.account(), format!("key/{key}")).to_string()
        }
    }
}

fn with_endpoint<B>(b: B, url: Option<String>, set: impl FnOnce(B, String) -> B) -> B {
    match url {
        Some(u) => set(b, u),
        None => b,
    }
}
