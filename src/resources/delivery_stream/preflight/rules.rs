//! Preflight's rules: what was found about one reference, judged. Each rule
//! is a pure function of what a read returned (None: not found), from an
//! AWS documentation page named at the rule, so it is unit-tested without
//! AWS. The reads are in `reads.rs`.

use super::super::kind::Ctx;

/// A finding about one reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    Error(String),
    Warning(String),
}

fn err(m: String) -> Vec<Finding> {
    vec![Finding::Error(m)]
}

/// "Amazon S3 destination" (Firehose Developer Guide): the bucket must exist;
/// one in another region works but pays cross-region transfer.
pub fn bucket_rule(name: &str, found: Option<Option<&str>>, ctx: &Ctx) -> Vec<Finding> {
    match found {
        None => err(format!("bucket {name} does not exist (s3:HeadBucket answered 404)")),
        Some(Some(region)) if region != ctx.region => vec![Finding::Warning(format!(
            "bucket {name} is in {region}, the stream in {}: Firehose delivers across regions, \
             and AWS charges for the transfer",
            ctx.region
        ))],
        Some(_) => vec![],
    }
}

/// "Transform source data in Amazon Data Firehose": Firehose invokes the
/// function synchronously and supports invocations of up to 5 minutes.
pub const FIREHOSE_MAX_LAMBDA_SECONDS: i32 = 300;

pub fn function_rule(arn: &str, found: Option<(Option<&str>, Option<i32>)>) -> Vec<Finding> {
    let Some((state, timeout)) = found else {
        return err(format!("Lambda function {arn} does not exist"));
    };
    let mut out = Vec::new();
    if let Some(state) = state.filter(|s| *s != "Active") {
        out.push(Finding::Error(format!("Lambda function {arn} is {state}, not Active: Firehose cannot invoke it")));
    }
    if let Some(t) = timeout.filter(|t| *t > FIREHOSE_MAX_LAMBDA_SECONDS) {
        out.push(Finding::Warning(format!(
            "Lambda function {arn} has a timeout of {t} s, but Firehose supports invocations of at most \
             {FIREHOSE_MAX_LAMBDA_SECONDS} s: longer runs fail as processing errors"
        )));
    }
    out
}

/// "Data protection in Amazon Data Firehose" and "Using server-side
/// encryption with AWS KMS keys" (S3): symmetric encryption keys only, and
/// the key must be enabled.
pub fn key_rule(arn: &str, found: Option<(&str, &str, &str)>) -> Vec<Finding> {
    let Some((state, spec, usage)) = found else {
        return err(format!("KMS key {arn} does not exist"));
    };
    let mut out = Vec::new();
    if state != "Enabled" {
        out.push(Finding::Error(format!("KMS key {arn} is {state}, not Enabled")));
    }
    if spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT" {
        out.push(Finding::Error(format!(
            "KMS key {arn} is a {spec} key for {usage}; Firehose and S3 encrypt only with symmetric \
             (SYMMETRIC_DEFAULT) ENCRYPT_DECRYPT keys"
        )));
    }
    out
}

/// "Source, destination, and name" (Firehose Developer Guide): a Kinesis
/// source must be in the stream's account and region, and readable.
pub fn source_stream_place_rule(arn: &str, ctx: &Ctx) -> Option<Finding> {
    let parsed = crate::aws::arn::Arn::parse(arn).ok()?;
    if parsed.region != ctx.region || parsed.account != ctx.account {
        return Some(Finding::Error(format!(
            "Kinesis stream {arn} is in account {} region {}, the delivery stream in account {} region {}: \
             Firehose reads only a stream in its own account and region",
            parsed.account, parsed.region, ctx.account, ctx.region
        )));
    }
    None
}

pub fn source_stream_rule(arn: &str, status: Option<&str>) -> Vec<Finding> {
    match status {
        None => err(format!("Kinesis stream {arn} does not exist")),
        Some("ACTIVE" | "UPDATING") => vec![],
        Some(s) => err(format!("Kinesis stream {arn} is {s}, not ACTIVE or UPDATING")),
    }
}

/// What a secret holds, as far as preflight looks: the keys of its JSON
/// object, or why it is not one. Values are never kept.
pub enum SecretShape {
    Keys(Vec<String>),
    NotJson(&'static str),
}

/// "Understand secrets" (Firehose Developer Guide): Firehose reads a JSON
/// object with the destination's keys, and fails to connect otherwise.
pub fn secret_rule(arn: &str, required: &[&str], found: Option<SecretShape>) -> Vec<Finding> {
    let keys = required.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
    match found {
        None => err(format!("Secrets Manager secret {arn} does not exist; create it or fix secret_arn")),
        Some(SecretShape::NotJson(why)) => err(format!(
            "secret {arn} does not hold a JSON object ({why}); Firehose reads the keys {keys} from it. \
             Store the secret as a JSON object with those keys"
        )),
        Some(SecretShape::Keys(have)) => {
            let missing: Vec<String> =
                required.iter().filter(|k| !have.iter().any(|h| h == *k)).map(|k| format!("\"{k}\"")).collect();
            if missing.is_empty() {
                return vec![];
            }
            err(format!(
                "secret {arn} lacks the JSON key {}; Firehose reads {keys} from it. Add the key to the secret",
                missing.join(", ")
            ))
        }
    }
}

/// "Using Amazon SNS for alarm actions" (CloudWatch): an alarm notifies an
/// existing topic; CloudWatch accepts a missing one and notifies no one.
pub fn topic_rule(arn: &str, exists: bool) -> Vec<Finding> {
    if exists {
        return vec![];
    }
    err(format!("SNS topic {arn} does not exist; the alarm would notify no one. Create the topic or fix the ARN"))
}

/// "Convert input data format" and "Deliver data to Apache Iceberg Tables"
/// (Firehose Developer Guide): the Glue table (or, when Firehose creates
/// tables, the database) must exist in the catalog.
pub fn glue_rule(what: &str, found: Result<(), String>) -> Vec<Finding> {
    match found {
        Ok(()) => vec![],
        Err(aws_says) => err(format!(
            "Glue {what} does not exist ({aws_says}); Firehose reads it at delivery. Create it in the Data Catalog \
             or fix the name"
        )),
    }
}

/// What DescribeDomain reports that preflight uses.
pub struct DomainInfo {
    pub deleted: bool,
    /// The endpoint host, public or VPC (`search-...`, `vpc-...`).
    pub endpoints: Vec<String>,
}

/// "Choose OpenSearch Service for your destination": the domain must exist,
/// and a given endpoint must be that domain's.
pub fn domain_rule(domain: &str, endpoint: Option<&str>, found: Option<DomainInfo>) -> Vec<Finding> {
    let Some(info) = found else {
        return err(format!("OpenSearch Service domain {domain} does not exist; create it or fix the domain's name"));
    };
    if info.deleted {
        return err(format!("OpenSearch Service domain {domain} is being deleted"));
    }
    match endpoint.map(host_of) {
        Some(host) if !info.endpoints.is_empty() && !info.endpoints.iter().any(|e| host_of(e) == host) => err(format!(
            "OpenSearch Service domain {domain} answers at {}, not {host}; use the domain's endpoint or domain_arn",
            info.endpoints.join(" or ")
        )),
        _ => vec![],
    }
}

/// The host of a URL or a bare host, lower-cased, without a port or path.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    host.to_ascii_lowercase()
}

/// "Choose OpenSearch Serverless for your destination": the collection
/// must exist, be usable, and answer at the endpoint given.
pub fn collection_rule(id: &str, endpoint: &str, found: Option<(Option<&str>, Option<&str>)>) -> Vec<Finding> {
    let Some((status, actual)) = found else {
        return err(format!(
            "OpenSearch Serverless collection {id} does not exist; create it or fix collection_endpoint"
        ));
    };
    let mut out = Vec::new();
    if let Some(s) = status.filter(|s| matches!(*s, "FAILED" | "DELETING")) {
        out.push(Finding::Error(format!("OpenSearch Serverless collection {id} is {s}")));
    }
    if let Some(actual) = actual.filter(|a| host_of(a) != host_of(endpoint)) {
        out.push(Finding::Error(format!(
            "OpenSearch Serverless collection {id} answers at {actual}, not {}",
            host_of(endpoint)
        )));
    }
    out
}

/// What DescribeClusterV2 reports that preflight uses.
pub struct MskInfo {
    pub state: String,
    pub serverless: bool,
    /// IAM access control on the brokers.
    pub iam: bool,
    /// Multi-VPC private connectivity with IAM access control.
    pub private_iam: bool,
    /// Public access to the brokers.
    pub public: bool,
}

/// "Configure source settings for Amazon MSK" (Firehose Developer Guide):
/// the cluster must be active and allow IAM access control; PRIVATE needs
/// multi-VPC private connectivity for IAM, PUBLIC a provisioned cluster
/// with public access.
pub fn msk_rule(arn: &str, connectivity: &str, found: Option<MskInfo>) -> Vec<Finding> {
    let Some(m) = found else {
        return err(format!("MSK cluster {arn} does not exist; create it or fix cluster_arn"));
    };
    let mut out = Vec::new();
    let mut no = |m: String| out.push(Finding::Error(m));
    if !matches!(m.state.as_str(), "ACTIVE" | "UPDATING") {
        no(format!("MSK cluster {arn} is {}, not ACTIVE", m.state));
    }
    if !m.iam {
        no(format!("MSK cluster {arn} does not have IAM access control on; Firehose reads a topic with IAM only"));
    }
    match connectivity {
        "PRIVATE" if m.iam && !m.private_iam => no(format!(
            "MSK cluster {arn} has no multi-VPC private connectivity for IAM; with connectivity = \"PRIVATE\" \
             Firehose connects through it. Turn it on, or use \"PUBLIC\" on a public cluster"
        )),
        "PUBLIC" if m.serverless => no(format!(
            "MSK cluster {arn} is serverless and has no public bootstrap brokers; use connectivity = \"PRIVATE\""
        )),
        "PUBLIC" if !m.public => no(format!(
            "MSK cluster {arn} has public access off; with connectivity = \"PUBLIC\" Firehose connects to its public \
             bootstrap brokers. Turn public access on, or use \"PRIVATE\""
        )),
        _ => {}
    }
    out
}

/// "Configure VPC delivery" (Firehose Developer Guide): Firehose creates
/// its network interfaces in these subnets with these security groups, so
/// each must exist, and all in one VPC. `found` pairs each ID found with
/// its VPC.
pub fn vpc_rule(
    subnets: &[&str],
    groups: &[&str],
    found_subnets: &[(String, String)],
    found_groups: &[(String, String)],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (what, wanted, found) in [("subnet", subnets, found_subnets), ("security group", groups, found_groups)] {
        let missing: Vec<&str> = wanted.iter().copied().filter(|w| !found.iter().any(|(id, _)| id == w)).collect();
        if !missing.is_empty() {
            out.push(Finding::Error(format!(
                "{what} {} does not exist in this region; use IDs from the VPC the stream delivers into",
                missing.join(", ")
            )));
        }
    }
    let mut vpcs: Vec<&str> = found_subnets.iter().chain(found_groups).map(|(_, vpc)| vpc.as_str()).collect();
    vpcs.sort();
    vpcs.dedup();
    if vpcs.len() > 1 {
        let of = |f: &[(String, String)]| f.iter().map(|(id, vpc)| format!("{id} in {vpc}")).collect::<Vec<_>>();
        let mut all = of(found_subnets);
        all.extend(of(found_groups));
        out.push(Finding::Error(format!(
            "the subnets and security groups are in {} VPCs ({}); Firehose needs them all in one VPC",
            vpcs.len(),
            all.join(", ")
        )));
    }
    out
}

/// Where a Redshift JDBC URL points: a provisioned cluster or a Serverless
/// workgroup, named by the first label of the host.
#[derive(Debug, PartialEq, Eq)]
pub struct RedshiftTarget {
    pub serverless: bool,
    pub name: String,
    pub host: String,
    pub port: Option<i32>,
}

pub fn redshift_target(url: &str) -> Option<RedshiftTarget> {
    let rest = url.strip_prefix("jdbc:redshift://")?;
    let hostport = rest.split('/').next()?;
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()),
        None => (hostport, None),
    };
    let host = host.to_ascii_lowercase();
    let name = host.split('.').next()?.to_string();
    Some(RedshiftTarget { serverless: host.contains(".redshift-serverless."), name, host, port })
}

/// "Choose Amazon Redshift for your destination": the cluster or workgroup
/// the JDBC URL names must exist and answer at that host and port.
pub fn redshift_rule(t: &RedshiftTarget, found: Option<(Option<&str>, Option<i32>)>) -> Vec<Finding> {
    let what = if t.serverless { "Redshift Serverless workgroup" } else { "Redshift cluster" };
    let Some((address, port)) = found else {
        return err(format!(
            "{what} {} (from the JDBC URL's host {}) does not exist; fix the host in cluster_jdbc_url",
            t.name, t.host
        ));
    };
    let mut out = Vec::new();
    if let Some(a) = address.filter(|a| a.to_ascii_lowercase() != t.host) {
        out.push(Finding::Error(format!("{what} {} answers at {a}, not {}", t.name, t.host)));
    }
    if let (Some(p), Some(want)) = (port, t.port) {
        if p != want {
            out.push(Finding::Error(format!("{what} {} listens on port {p}, not {want}", t.name)));
        }
    }
    out
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
