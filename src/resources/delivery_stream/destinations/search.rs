//! What the OpenSearch Service and OpenSearch Serverless kinds share: the
//! index name rule, delivery into a VPC (its block, its grants, its API
//! shape), and the replacement AWS needs when the VPC changes.

use aws_sdk_firehose::types as fh;
use serde_json::json;

use crate::aws::arn::Arn;
use crate::framework::schema::{Attribute as A, Block};
use crate::framework::validators::between;
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::api::build_err;
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Grants;
use crate::resources::delivery_stream::kind::{comma_list, joined, RefKind, Reference};

/// What Firehose does in the VPC (Firehose Developer Guide, "Grant Firehose
/// access to an OpenSearch Service destination in a VPC"). These EC2
/// Describe actions take no resource type (Service Authorization Reference
/// for EC2), so they alone are granted on `*`.
const VPC_DESCRIBE: [&str; 4] =
    ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"];
/// This one acts on a VPC, which the configuration does not name (only its
/// subnets), so the grant covers the VPCs of the stream's account and region.
const VPC_ATTRIBUTE: &str = "ec2:DescribeVpcAttribute";
const VPC_INTERFACES: [&str; 2] = ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"];

pub const RETRY_DURATION: i64 = 300;
pub const BUFFERING_INTERVAL: i64 = 300;
pub const BUFFERING_SIZE: i64 = 5;

/// Retry and buffering, alike for both kinds (Firehose API reference:
/// their BufferingHints allow at most 100 MiB).
pub fn delivery_attrs(b: Block) -> Block {
    b.attr(
        A::optional_computed(
            "retry_duration",
            Type::Number,
            "Seconds Firehose retries before backing documents up, 0 to 7200; default 300.",
        )
        .default(Value::int(RETRY_DURATION))
        .check_whole("Invalid retry duration", between("retry_duration", 0, 7200, "seconds")),
    )
    .attr(
        A::optional_computed("buffering_interval", Type::Number, "Seconds to buffer, 0 to 900; default 300.")
            .default(Value::int(BUFFERING_INTERVAL))
            .check_whole("Invalid buffering interval", |v| {
                super::shared::between("buffering_interval", 0, 900, "seconds", v)
            }),
    )
    .attr(
        A::optional_computed("buffering_size", Type::Number, "MiB to buffer, 1 to 100; default 5.")
            .default(Value::int(BUFFERING_SIZE))
            .check_whole("Invalid buffering size", between("buffering_size", 1, 100, "MiBs")),
    )
}

/// OpenSearch index names: lowercase, none of `\ / * ? " < > | , #` or
/// spaces, not starting with `-`, `_` or `+`, at most 80 characters here.
pub fn index_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 80 {
        return Err(format!("index_name must be 1 to 80 characters, given {}", s.len()));
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!("OpenSearch index names are lowercase, given {s:?}"));
    }
    if let Some(c) = s.chars().find(|c| "\\/*?\"<>|,# ".contains(*c)) {
        return Err(format!("index_name must not contain {c:?}, given {s:?}"));
    }
    if s.starts_with(['-', '_', '+']) || s == "." || s == ".." {
        return Err(format!("index_name must not start with '-', '_' or '+' nor be '.' or '..', given {s:?}"));
    }
    Ok(())
}

fn id_of(prefix: &str, s: &str) -> Result<(), String> {
    let ok = s.strip_prefix(prefix).is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!("expected an ID like {prefix}0123456789abcdef0, given {s:?}"))
    }
}

pub fn vpc_block() -> Block {
    Block::new(
        "Delivery into a VPC: Firehose places network interfaces in these subnets with these security groups. Changing it replaces the stream (AWS cannot change it in place).",
    )
    .attr(A::required("subnet_ids", Type::list(Type::String), "1 to 16 subnet IDs.").requires_replace())
    .attr(A::required("security_group_ids", Type::list(Type::String), "1 to 5 security group IDs.").requires_replace())
}

/// The rules both kinds share: logging, backup and processors, and the
/// `vpc` block at `at`.
pub fn validate(v: &Value, at: &AttrPath, c: &mut Checker) {
    super::shared::validate_common(v, at, c);
    let Some(vpc) = v.block("vpc") else { return };
    let here = at.at("vpc").index(0);
    for (attr, prefix, max) in [("subnet_ids", "subnet-", 16), ("security_group_ids", "sg-", 5)] {
        let list = vpc.attr(attr);
        if !list.is_known() {
            continue;
        }
        let n = list.elements().len();
        if n == 0 || n > max {
            c.d.error_at(here.at(attr), "Invalid VPC settings", format!("{attr} takes 1 to {max} IDs, given {n}"));
        }
        for (i, e) in list.elements().iter().enumerate() {
            if let Some(s) = e.as_str() {
                c.fail(here.at(attr).index(i), "Invalid VPC settings", id_of(prefix, s));
            }
        }
    }
}

/// What AWS cannot change in place for either kind: the backup mode, and
/// the VPC (added, removed or changed).
pub fn requires_replace(prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
    let mut out = super::shared::backup_mode_replaces(prior, planned, at);
    let has = |v: &Value| v.attr("vpc").is_known().then(|| !v.attr("vpc").elements().is_empty());
    if let (Some(a), Some(b)) = (has(prior), has(planned)) {
        if a != b {
            out.push(at.at("vpc"));
        }
    }
    out
}

fn strings(v: &Value, attr: &str) -> Option<Vec<String>> {
    let l = v.attr(attr);
    l.is_wholly_known().then(|| l.elements().iter().filter_map(|e| e.as_str().map(str::to_string)).collect())
}

/// The VPC statements for the role: None while the VPC is unknown.
pub fn vpc_grants(v: &Value, region: &str, partition: &str, account: &str, g: &mut Grants) -> Option<()> {
    let vpc = v.attr("vpc");
    if !vpc.is_wholly_known() {
        return None;
    }
    let Some(vpc) = v.block("vpc") else { return Some(()) };
    let ec2 = |r: String| Arn::new(partition, "ec2", region, account, r).to_string();
    let interfaces = ec2("network-interface/*".into());
    let mut create: Vec<String> = strings(vpc, "subnet_ids")?.into_iter().map(|s| ec2(format!("subnet/{s}"))).collect();
    create.extend(strings(vpc, "security_group_ids")?.into_iter().map(|s| ec2(format!("security-group/{s}"))));
    create.push(interfaces.clone());
    g.statements.push(json!({"Sid": "VpcDescribe", "Effect": "Allow", "Action": VPC_DESCRIBE, "Resource": "*"}));
    g.statements.push(
        json!({"Sid": "VpcAttribute", "Effect": "Allow", "Action": VPC_ATTRIBUTE, "Resource": ec2("vpc/*".into())}),
    );
    g.statements.push(json!({
        "Sid": "VpcInterfaces",
        "Effect": "Allow",
        "Action": "ec2:CreateNetworkInterface",
        "Resource": create,
    }));
    g.statements
        .push(json!({"Sid": "VpcInterfaceUse", "Effect": "Allow", "Action": VPC_INTERFACES, "Resource": interfaces}));
    Some(())
}

/// The subnets and security groups of `vpc`, for preflight.
pub fn vpc_ref(v: &Value, at: &AttrPath) -> Option<Reference> {
    let vpc = v.attr("vpc");
    if vpc.is_unknown() {
        return Some((RefKind::Vpc, at.at("vpc").index(0).at("subnet_ids"), Value::UNKNOWN));
    }
    let b = v.block("vpc")?;
    let value = joined(&[&comma_list(b.attr("subnet_ids")), &comma_list(b.attr("security_group_ids"))]);
    Some((RefKind::Vpc, at.at("vpc").index(0).at("subnet_ids"), value))
}

/// The API's VPC configuration, Firehose using `role_arn` for it.
pub fn vpc_to_api(v: &Value, role_arn: &str) -> Result<Option<fh::VpcConfiguration>, String> {
    let Some(vpc) = v.block("vpc") else { return Ok(None) };
    fh::VpcConfiguration::builder()
        .set_subnet_ids(strings(vpc, "subnet_ids"))
        .set_security_group_ids(strings(vpc, "security_group_ids"))
        .role_arn(role_arn)
        .build()
        .map(Some)
        .map_err(build_err)
}

pub fn vpc_value(d: Option<&fh::VpcConfigurationDescription>) -> Value {
    let list = |l: &[String]| Value::List(l.iter().map(Value::string).collect());
    match d {
        Some(d) => Value::List(vec![Value::object([
            ("subnet_ids", list(d.subnet_ids())),
            ("security_group_ids", list(d.security_group_ids())),
        ])]),
        None => Value::List(vec![]),
    }
}
