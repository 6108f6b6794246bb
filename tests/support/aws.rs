//! AWS SDK clients pointed at moto, for checking the AWS side of a test.

use aws_config::{BehaviorVersion, Region};

pub struct Aws {
    pub firehose: aws_sdk_firehose::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub kms: aws_sdk_kms::Client,
    pub s3: aws_sdk_s3::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub kinesis: aws_sdk_kinesis::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    endpoint: String,
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
        lambda: aws_sdk_lambda::Client::new(&conf),
        kinesis: aws_sdk_kinesis::Client::new(&conf),
        cloudwatch: aws_sdk_cloudwatch::Client::new(&conf),
        s3: aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build()),
        endpoint: endpoint.to_string(),
    }
}

impl Aws {
    /// A Glue database and a table of two columns in it, made with boto3
    /// (the provider itself never calls Glue; only its role reads the table).
    pub fn create_glue_table(&self, database: &str, table: &str) {
        let script = r#"
import sys, boto3
glue = boto3.client("glue", endpoint_url=sys.argv[1], region_name="us-east-1",
                    aws_access_key_id="testing", aws_secret_access_key="testing")
try:
    glue.create_database(DatabaseInput={"Name": sys.argv[2]})
except glue.exceptions.AlreadyExistsException:
    pass
glue.create_table(DatabaseName=sys.argv[2], TableInput={"Name": sys.argv[3], "StorageDescriptor": {
    "Columns": [{"Name": "customer_id", "Type": "string"}, {"Name": "amount", "Type": "double"}]}})
"#;
        let out = std::process::Command::new(super::python())
            .args(["-c", script, &self.endpoint, database, table])
            .output()
            .expect("run python");
        assert!(out.status.success(), "creating the Glue table failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// An SNS topic for alarm actions, made with boto3 (the provider only
    /// names topics); returns its ARN.
    pub fn create_topic(&self, name: &str) -> String {
        let script = r#"
import sys, boto3
sns = boto3.client("sns", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
print(sns.create_topic(Name=sys.argv[2])["TopicArn"])
"#;
        let out = std::process::Command::new(super::python())
            .args(["-c", script, &self.endpoint, name])
            .output()
            .expect("run python");
        assert!(out.status.success(), "creating the SNS topic failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A Lambda function (empty code: moto never runs it) and the role it
    /// executes as; returns the function's ARN.
    pub async fn create_function(&self, name: &str) -> String {
        if let Ok(existing) = self.lambda.get_function_configuration().function_name(name).send().await {
            return existing.function_arn().unwrap().to_string();
        }
        // Not named after the function (nor so after a stream): leftover
        // checks look for roles by the stream's name.
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let role = format!("lambda-exec-{}-{n}", std::process::id());
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let r = self.iam.create_role().role_name(&role).assume_role_policy_document(trust).send().await.unwrap();
        // The smallest zip archive: an end-of-central-directory record alone.
        let mut empty_zip = b"PK\x05\x06".to_vec();
        empty_zip.extend([0u8; 18]);
        let code = aws_sdk_lambda::types::FunctionCode::builder()
            .zip_file(aws_sdk_lambda::primitives::Blob::new(empty_zip))
            .build();
        let f = self
            .lambda
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(r.role().unwrap().arn())
            .handler("index.handler")
            .timeout(60)
            .code(code)
            .send()
            .await
            .expect("create function");
        f.function_arn().unwrap().to_string()
    }

    /// A Kinesis data stream in the clients' region; returns its ARN.
    pub async fn create_kinesis_stream(&self, name: &str) -> String {
        self.kinesis.create_stream().stream_name(name).shard_count(1).send().await.expect("create stream");
        let d = self.kinesis.describe_stream_summary().stream_name(name).send().await.unwrap();
        d.stream_description_summary().unwrap().stream_arn().to_string()
    }

    pub async fn create_bucket(&self, name: &str) -> String {
        self.s3.create_bucket().bucket(name).send().await.expect("create bucket");
        format!("arn:aws:s3:::{name}")
    }
}
