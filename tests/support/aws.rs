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
    /// Where these clients send their calls.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

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
try:
    glue.create_table(DatabaseName=sys.argv[2], TableInput={"Name": sys.argv[3], "StorageDescriptor": {
        "Columns": [{"Name": "customer_id", "Type": "string"}, {"Name": "amount", "Type": "double"}]}})
except glue.exceptions.AlreadyExistsException:
    pass
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

/// Runs `script` with boto3, its clients made by `aws(service)` against
/// `endpoint`, and the rest of `args` as `sys.argv[2:]`; returns what it
/// prints. For what tests set up in services the provider only reads.
pub fn boto(endpoint: &str, script: &str, args: &[&str]) -> String {
    let prelude = "import sys, json, boto3\n\
        def aws(service):\n    return boto3.client(service, endpoint_url=sys.argv[1], region_name='us-east-1', \
        aws_access_key_id='testing', aws_secret_access_key='testing')\n";
    let out = std::process::Command::new(super::python())
        .args(["-c", &format!("{prelude}{script}"), endpoint])
        .args(args)
        .output()
        .expect("run python");
    assert!(out.status.success(), "boto3 setup failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A Secrets Manager secret holding `json`; its ARN.
pub fn create_secret(endpoint: &str, name: &str, json: &str) -> String {
    boto(
        endpoint,
        "print(aws('secretsmanager').create_secret(Name=sys.argv[2], SecretString=sys.argv[3])['ARN'])",
        &[name, json],
    )
}

/// A provisioned MSK cluster with IAM access control, multi-VPC private
/// connectivity for IAM and public access as asked, made through the
/// API-model proxy (which keeps MSK clusters as AWS names them); its ARN.
pub fn create_msk_cluster(endpoint: &str, name: &str, iam: bool, public: bool) -> String {
    let script = "iam = sys.argv[3] == 'true'\n\
        public = {'Type': 'SERVICE_PROVIDED_EIPS' if sys.argv[4] == 'true' else 'DISABLED'}\n\
        sasl = {'Sasl': {'Iam': {'Enabled': iam}}}\n\
        print(aws('kafka').create_cluster_v2(ClusterName=sys.argv[2], Provisioned={\n\
            'BrokerNodeGroupInfo': {'InstanceType': 'kafka.m5.large', 'ClientSubnets': ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'],\n\
                'ConnectivityInfo': {'PublicAccess': public, 'VpcConnectivity': {'ClientAuthentication': sasl}}},\n\
            'KafkaVersion': '3.6.0', 'NumberOfBrokerNodes': 2, 'ClientAuthentication': sasl})['ClusterArn'])";
    boto(endpoint, script, &[name, if iam { "true" } else { "false" }, if public { "true" } else { "false" }])
}

/// An OpenSearch Service domain; its ARN.
pub fn create_domain(endpoint: &str, name: &str) -> String {
    let script = "o = aws('opensearch')\n\
        try:\n    print(o.describe_domain(DomainName=sys.argv[2])['DomainStatus']['ARN'])\n\
        except o.exceptions.ResourceNotFoundException:\n    \
        print(o.create_domain(DomainName=sys.argv[2])['DomainStatus']['ARN'])";
    boto(endpoint, script, &[name])
}

/// An OpenSearch Serverless collection (and the encryption policy it needs);
/// its endpoint.
pub fn create_collection(endpoint: &str, name: &str) -> String {
    let script = "a = aws('opensearchserverless')\n\
        found = a.batch_get_collection(names=[sys.argv[2]])['collectionDetails']\n\
        if found:\n    print(found[0]['collectionEndpoint']); sys.exit(0)\n\
        a.create_security_policy(name=sys.argv[2] + '-enc', type='encryption', policy=json.dumps({\n\
            'Rules': [{'ResourceType': 'collection', 'Resource': ['collection/' + sys.argv[2]]}],\n\
            'AWSOwnedKey': True, 'KmsARN': ''}))\n\
        c = a.create_collection(name=sys.argv[2])['createCollectionDetail']\n\
        print(a.batch_get_collection(ids=[c['id']])['collectionDetails'][0]['collectionEndpoint'])";
    boto(endpoint, script, &[name])
}

/// A provisioned Redshift cluster; the JDBC URL of its endpoint.
pub fn create_redshift_cluster(endpoint: &str, id: &str) -> String {
    let script = "r = aws('redshift')\n\
        try:\n    c = r.describe_clusters(ClusterIdentifier=sys.argv[2])['Clusters'][0]['Endpoint']\n\
        except r.exceptions.ClusterNotFoundFault:\n    \
        c = r.create_cluster(ClusterIdentifier=sys.argv[2], NodeType='ra3.xlplus', MasterUsername='admin', \
        MasterUserPassword='Password1', DBName='events')['Cluster']['Endpoint']\n\
        print(f\"jdbc:redshift://{c['Address']}:{c['Port']}/events\")";
    boto(endpoint, script, &[id])
}

/// A VPC with a subnet and a security group, and a second VPC with a
/// security group: (subnet, group in the same VPC, group in the other).
pub fn create_vpc_parts(endpoint: &str) -> (String, String, String) {
    let script = "e = aws('ec2')\n\
        v1 = e.create_vpc(CidrBlock='10.1.0.0/16')['Vpc']['VpcId']\n\
        v2 = e.create_vpc(CidrBlock='10.2.0.0/16')['Vpc']['VpcId']\n\
        s = e.create_subnet(VpcId=v1, CidrBlock='10.1.1.0/24')['Subnet']['SubnetId']\n\
        g1 = e.create_security_group(GroupName=sys.argv[2] + '-a', Description='d', VpcId=v1)['GroupId']\n\
        g2 = e.create_security_group(GroupName=sys.argv[2] + '-b', Description='d', VpcId=v2)['GroupId']\n\
        print(s, g1, g2)";
    let out = boto(endpoint, script, &[&format!("sg{}", std::process::id())]);
    let parts: Vec<String> = out.split_whitespace().map(str::to_string).collect();
    (parts[0].clone(), parts[1].clone(), parts[2].clone())
}
