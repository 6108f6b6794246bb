//! Amazon Resource Names: parsing, partition helpers and plan-time shape checks for the
//! ARNs a delivery stream refers to.
//!
//! The checks mirror the patterns the Firehose API itself documents for each field, tightened
//! where the owning service has stricter naming rules (S3 bucket names, Lambda function
//! names, IAM role names, Kinesis stream names), so a bad ARN is reported before anything is
//! created instead of after half the infrastructure exists.

use std::fmt;

/// A parsed ARN: `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    /// Everything after the fifth colon; may itself contain `:` and `/`.
    pub resource: String,
}

impl Arn {
    /// The ARN of `resource` in a service; `region` and `account` are empty
    /// for services whose ARNs have none (S3 buckets, IAM).
    pub fn new(partition: &str, service: &str, region: &str, account: &str, resource: impl Into<String>) -> Arn {
        Arn {
            partition: partition.into(),
            service: service.into(),
            region: region.into(),
            account: account.into(),
            resource: resource.into(),
        }
    }

    /// The name at the end of the resource: `role/path/name` → `name`,
    /// `bucket` → `bucket`.
    pub fn name(&self) -> &str {
        self.resource.rsplit(['/', ':']).next().unwrap_or(&self.resource)
    }

    /// Parses the generic ARN syntax without any service-specific rules.
    pub fn parse(s: &str) -> Result<Arn, String> {
        parse_generic(s).map_err(|why| format!("invalid ARN {s:?}: {why}"))
    }
}

/// The generic parse, reporting only why `s` is not an ARN so that callers can put the
/// value into their own message once.
fn parse_generic(s: &str) -> Result<Arn, String> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return Err("an ARN has the form arn:partition:service:region:account:resource".to_string());
    }
    let arn = Arn {
        partition: parts[1].to_string(),
        service: parts[2].to_string(),
        region: parts[3].to_string(),
        account: parts[4].to_string(),
        resource: parts[5].to_string(),
    };
    if !is_partition_shape(&arn.partition) {
        return Err(format!(
            "the partition {:?} is not \"aws\" or \"aws-<name>\" such as aws-cn or aws-us-gov",
            arn.partition
        ));
    }
    if arn.service.is_empty() {
        return Err("the service is empty".to_string());
    }
    if arn.resource.is_empty() {
        return Err("the resource is empty".to_string());
    }
    Ok(arn)
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "arn:{}:{}:{}:{}:{}", self.partition, self.service, self.region, self.account, self.resource)
    }
}

/// The name at the end of an ARN (see [`Arn::name`]), borrowed from it; a
/// string that is not an ARN is taken as the name itself.
pub fn name_of(arn: &str) -> &str {
    Arn::parse(arn).ok().map_or(arn, |a| &arn[arn.len() - a.name().len()..])
}

/// The partition a region belongs to. Unknown regions fall back to the commercial
/// partition, which is what the SDKs do for regions they have not heard of yet.
pub fn partition_for_region(region: &str) -> &'static str {
    // Longest prefixes first: "us-isob-" must not be taken for "us-iso-".
    const TABLE: &[(&str, &str)] = &[
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
        ("us-gov-", "aws-us-gov"),
        ("cn-", "aws-cn"),
        ("eusc-", "aws-eusc"),
    ];
    TABLE.iter().find(|(prefix, _)| region.starts_with(prefix)).map(|(_, partition)| *partition).unwrap_or("aws")
}

/// The DNS suffix of service endpoints (and of service principals) in a partition.
pub fn dns_suffix(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        "aws-iso-e" => "cloud.adc-e.uk",
        "aws-iso-f" => "csp.hci.ic.gov",
        "aws-eusc" => "amazonaws.eu",
        _ => "amazonaws.com",
    }
}

const S3_FORM: &str = "an S3 bucket ARN (arn:aws:s3:::bucket-name)";
const KMS_KEY_FORM: &str = "a KMS key ARN (arn:aws:kms:region:account:key/key-id)";
const KMS_KEY_OR_ALIAS_FORM: &str =
    "a KMS key or alias ARN (arn:aws:kms:region:account:key/key-id or arn:aws:kms:region:account:alias/name)";
const LAMBDA_FORM: &str = "a Lambda function ARN (arn:aws:lambda:region:account:function:name[:qualifier])";
const KINESIS_FORM: &str = "a Kinesis data stream ARN (arn:aws:kinesis:region:account:stream/name)";
const ROLE_FORM: &str = "an IAM role ARN (arn:aws:iam::account:role/[path/]name)";
const FIREHOSE_FORM: &str = "a Firehose delivery stream ARN (arn:aws:firehose:region:account:deliverystream/name)";

fn expected(form: &str, got: &str, why: &str) -> String {
    format!("expected {form}, got {got:?}: {why}")
}

/// Parses `s` and checks the parts every typed ARN shares; `regional` says whether the
/// service puts a region in its ARNs (IAM and S3 buckets do not).
fn typed(s: &str, form: &str, service: &str, regional: bool) -> Result<Arn, String> {
    let arn = parse_generic(s).map_err(|why| expected(form, s, &why))?;
    if arn.service != service {
        return Err(expected(form, s, &format!("the service is {:?}, not {service:?}", arn.service)));
    }
    if regional {
        if !is_region_shape(&arn.region) {
            return Err(expected(form, s, &format!("{:?} is not a region such as us-east-1", arn.region)));
        }
        let want = partition_for_region(&arn.region);
        if want != arn.partition {
            return Err(expected(
                form,
                s,
                &format!("region {:?} belongs to partition {want:?}, not {:?}", arn.region, arn.partition),
            ));
        }
    } else if !arn.region.is_empty() {
        return Err(expected(form, s, &format!("the region field must be empty, found {:?}", arn.region)));
    }
    Ok(arn)
}

fn require_account(arn: &Arn, form: &str, s: &str) -> Result<(), String> {
    if arn.account.len() == 12 && arn.account.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(expected(form, s, &format!("the account {:?} is not a 12-digit account ID", arn.account)))
    }
}

/// `arn:<partition>:s3:::<bucket>` — the form Firehose's `BucketARN` takes.
pub fn s3_bucket_arn(s: &str) -> Result<Arn, String> {
    let arn = typed(s, S3_FORM, "s3", false)?;
    if !arn.account.is_empty() {
        return Err(expected(S3_FORM, s, "S3 bucket ARNs have an empty account field"));
    }
    if arn.resource.contains('/') {
        return Err(expected(S3_FORM, s, "this is an object or prefix ARN; give the bucket ARN without a path"));
    }
    s3_bucket_name(&arn.resource).map_err(|why| expected(S3_FORM, s, &why))?;
    Ok(arn)
}

/// The naming rules S3 enforces for general purpose buckets created today. Legacy
/// us-east-1 buckets created before March 2018 could break these rules (uppercase,
/// underscores, up to 255 characters); such buckets are rejected here.
pub fn s3_bucket_name(name: &str) -> Result<(), String> {
    let len = name.len();
    if !(3..=63).contains(&len) {
        return Err(format!("bucket name {name:?} must be 3 to 63 characters long, it has {len}"));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-')) {
        return Err(format!(
            "bucket name {name:?} may contain only lowercase letters, digits, '.' and '-', found {c:?}"
        ));
    }
    let first = name.as_bytes()[0];
    let last = name.as_bytes()[len - 1];
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return Err(format!("bucket name {name:?} must begin and end with a letter or digit"));
    }
    if name.contains("..") {
        return Err(format!("bucket name {name:?} must not contain two adjacent periods"));
    }
    if name.split('.').count() == 4
        && name.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("bucket name {name:?} must not be formatted as an IP address"));
    }
    for reserved in ["xn--", "sthree-"] {
        if name.starts_with(reserved) {
            return Err(format!("bucket name {name:?} must not start with the reserved prefix {reserved:?}"));
        }
    }
    for reserved in ["-s3alias", "--ol-s3"] {
        if name.ends_with(reserved) {
            return Err(format!("bucket name {name:?} must not end with the reserved suffix {reserved:?}"));
        }
    }
    Ok(())
}

/// A KMS key ARN (`key/<id>`), the only form usable for delivery stream SSE: Firehose
/// hands the ARN to KMS `CreateGrant`, which takes key IDs and key ARNs but not aliases.
pub fn kms_key_arn(s: &str) -> Result<Arn, String> {
    let arn = kms(s, KMS_KEY_FORM)?;
    if arn.resource.starts_with("alias/") {
        return Err(expected(
            KMS_KEY_FORM,
            s,
            "aliases are not accepted for delivery stream server-side encryption; use the key ARN",
        ));
    }
    kms_resource(&arn, "key/", KMS_KEY_FORM, s)?;
    Ok(arn)
}

/// A KMS key ARN or alias ARN: Firehose's `KMSEncryptionConfig.AWSKMSKeyARN` (S3 object
/// encryption) accepts both.
pub fn kms_key_or_alias_arn(s: &str) -> Result<Arn, String> {
    let arn = kms(s, KMS_KEY_OR_ALIAS_FORM)?;
    let kind = if arn.resource.starts_with("alias/") { "alias/" } else { "key/" };
    kms_resource(&arn, kind, KMS_KEY_OR_ALIAS_FORM, s)?;
    Ok(arn)
}

fn kms(s: &str, form: &str) -> Result<Arn, String> {
    let arn = typed(s, form, "kms", true)?;
    require_account(&arn, form, s)?;
    Ok(arn)
}

fn kms_resource(arn: &Arn, kind: &str, form: &str, s: &str) -> Result<(), String> {
    let Some(id) = arn.resource.strip_prefix(kind) else {
        return Err(expected(form, s, &format!("the resource {:?} does not start with {kind:?}", arn.resource)));
    };
    // Character set from the Firehose API pattern for KMS key ARNs.
    let ok = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-/".contains(c);
    if id.is_empty() || !id.chars().all(ok) {
        return Err(expected(
            form,
            s,
            &format!("{kind:?} must be followed by a non-empty ID of letters, digits and _+=,.@-/"),
        ));
    }
    Ok(())
}

/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]`.
pub fn lambda_function_arn(s: &str) -> Result<Arn, String> {
    let arn = typed(s, LAMBDA_FORM, "lambda", true)?;
    require_account(&arn, LAMBDA_FORM, s)?;
    let Some(rest) = arn.resource.strip_prefix("function:") else {
        return Err(expected(
            LAMBDA_FORM,
            s,
            &format!("the resource {:?} does not start with \"function:\"", arn.resource),
        ));
    };
    let (name, qualifier) = match rest.split_once(':') {
        Some((n, q)) => (n, Some(q)),
        None => (rest, None),
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || name.len() > 64 || !name.chars().all(word) {
        return Err(expected(
            LAMBDA_FORM,
            s,
            &format!("function name {name:?} must be 1 to 64 letters, digits, '-' or '_'"),
        ));
    }
    if let Some(q) = qualifier {
        if q != "$LATEST" && (q.is_empty() || q.len() > 128 || !q.chars().all(word)) {
            return Err(expected(
                LAMBDA_FORM,
                s,
                &format!(
                    "qualifier {q:?} must be $LATEST, a version number or an alias of 1 to 128 letters, digits, '-' or '_'"
                ),
            ));
        }
    }
    Ok(arn)
}

/// `arn:<partition>:kinesis:<region>:<account>:stream/<name>`.
pub fn kinesis_stream_arn(s: &str) -> Result<Arn, String> {
    let arn = typed(s, KINESIS_FORM, "kinesis", true)?;
    require_account(&arn, KINESIS_FORM, s)?;
    let Some(name) = arn.resource.strip_prefix("stream/") else {
        return Err(expected(
            KINESIS_FORM,
            s,
            &format!("the resource {:?} does not start with \"stream/\"", arn.resource),
        ));
    };
    let ok = |c: char| c.is_ascii_alphanumeric() || "_.-".contains(c);
    if name.is_empty() || name.len() > 128 || !name.chars().all(ok) {
        return Err(expected(
            KINESIS_FORM,
            s,
            &format!("stream name {name:?} must be 1 to 128 letters, digits, '_', '.' or '-'"),
        ));
    }
    Ok(arn)
}

/// `arn:<partition>:firehose:<region>:<account>:deliverystream/<name>`;
/// returns the stream name, whose own rules the caller checks.
pub fn firehose_stream_arn(s: &str) -> Result<(Arn, String), String> {
    let arn = typed(s, FIREHOSE_FORM, "firehose", true)?;
    require_account(&arn, FIREHOSE_FORM, s)?;
    match arn.resource.strip_prefix("deliverystream/") {
        Some(name) => {
            let name = name.to_string();
            Ok((arn, name))
        }
        None => Err(expected(
            FIREHOSE_FORM,
            s,
            &format!("the resource {:?} does not start with \"deliverystream/\"", arn.resource),
        )),
    }
}

/// `arn:<partition>:iam::<account>:role/[<path>/]<name>`.
pub fn iam_role_arn(s: &str) -> Result<Arn, String> {
    let arn = typed(s, ROLE_FORM, "iam", false)?;
    require_account(&arn, ROLE_FORM, s)?;
    let Some(rest) = arn.resource.strip_prefix("role/") else {
        return Err(expected(ROLE_FORM, s, &format!("the resource {:?} does not start with \"role/\"", arn.resource)));
    };
    // Character set from the Firehose API pattern for RoleARN.
    if let Some(c) = rest.chars().find(|c| !(c.is_ascii_alphanumeric() || "_+=,.@-/".contains(*c))) {
        return Err(expected(ROLE_FORM, s, &format!("{c:?} is not allowed in a role path or name")));
    }
    let (path, name) = match rest.rsplit_once('/') {
        Some((p, n)) => (p, n),
        None => ("", rest),
    };
    if name.is_empty() || name.len() > 64 || name.contains('/') {
        return Err(expected(ROLE_FORM, s, &format!("role name {name:?} must be 1 to 64 characters")));
    }
    // IAM stores the path with its slashes, "/" + path + "/".
    if path.len() + 2 > 512 {
        return Err(expected(ROLE_FORM, s, "the role path exceeds 512 characters"));
    }
    Ok(arn)
}

/// CloudWatch Logs group names: 1 to 512 characters of `[.\-_/#A-Za-z0-9]`.
pub fn log_group_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if !(1..=512).contains(&len) {
        return Err(format!("log group name must be 1 to 512 characters long, got {len} characters"));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "._-/#".contains(*c))) {
        return Err(format!(
            "log group name may contain only letters, digits, '.', '_', '-', '/' and '#', found {c:?} in {name:?}"
        ));
    }
    Ok(())
}

fn is_partition_shape(p: &str) -> bool {
    p == "aws"
        || p.strip_prefix("aws-").is_some_and(|rest| {
            rest.split('-').all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_lowercase()))
        })
}

/// Regions look like `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`: lowercase words
/// joined by '-' and ending in a number.
pub fn is_region_shape(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

#[cfg(test)]
#[path = "arn_tests.rs"]
mod tests;
