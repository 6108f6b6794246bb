//! AWS SDK clients pointed at moto, for checking the AWS side of a test.

use aws_config::{BehaviorVersion, Region};

pub struct Aws {
    pub firehose: aws_sdk_firehose::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub kms: aws_sdk_kms::Client,
    pub s3: aws_sdk_s3::Client,
}

pub async fn clients(endpoint: &str) -> Aws {
    clients_as(endpoint, "testing", "testing").await
}

/// Clients signing with the given access key.
pub async fn clients_as(endpoint: &str, key: &str, secret: &str) -> Aws {
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_credential_types::Credentials::new(key, secret, None, None, "test"))
        .load()
        .await;
    Aws {
        firehose: aws_sdk_firehose::Client::new(&conf),
        iam: aws_sdk_iam::Client::new(&conf),
        logs: aws_sdk_cloudwatchlogs::Client::new(&conf),
        kms: aws_sdk_kms::Client::new(&conf),
        s3: aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build()),
    }
}

impl Aws {
    pub async fn create_bucket(&self, name: &str) -> String {
        self.s3.create_bucket().bucket(name).send().await.expect("create bucket");
        format!("arn:aws:s3:::{name}")
    }
}
