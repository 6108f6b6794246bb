//! What a resource left behind in moto, found by the names and tags the
//! provider gives the parts of stream `name`.

use super::aws::Aws;

pub const OWNER_TAG: &str = "seedworks:firehose:stream";

/// Everything in moto that the resource for stream `name` created and that
/// still exists: streams, roles, inline policies, log groups, KMS keys not
/// pending deletion, backup buckets, alarms.
pub async fn orphans(aws: &Aws, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    let streams = aws.firehose.list_delivery_streams().limit(10_000).send().await.unwrap();
    for s in streams.delivery_stream_names() {
        if s == name {
            found.push(format!("delivery stream {s}"));
        }
    }
    let mut marker = None;
    loop {
        let roles = aws.iam.list_roles().set_marker(marker.clone()).max_items(1000).send().await.unwrap();
        for r in roles.roles() {
            if r.role_name().contains(name) {
                found.push(format!("IAM role {}", r.role_name()));
            }
            // Inline policies named after the stream, on any role.
            if r.role_name().contains(name) {
                let p = aws.iam.list_role_policies().role_name(r.role_name()).send().await.unwrap();
                for pol in p.policy_names() {
                    found.push(format!("inline policy {pol} on {}", r.role_name()));
                }
            }
        }
        if !roles.is_truncated() {
            break;
        }
        marker = roles.marker().map(str::to_string);
    }
    let groups = aws.logs.describe_log_groups().log_group_name_prefix("/aws/kinesisfirehose/").send().await.unwrap();
    for g in groups.log_groups() {
        if g.log_group_name().is_some_and(|n| n == format!("/aws/kinesisfirehose/{name}")) {
            found.push(format!("log group {}", g.log_group_name().unwrap()));
        }
    }
    let mut marker = None;
    loop {
        let keys = aws.kms.list_keys().set_marker(marker.clone()).limit(1000).send().await.unwrap();
        for k in keys.keys() {
            let id = k.key_id().unwrap();
            let tags = aws.kms.list_resource_tags().key_id(id).send().await.unwrap();
            if !tags.tags().iter().any(|t| t.tag_key() == OWNER_TAG && t.tag_value() == name) {
                continue;
            }
            let meta = aws.kms.describe_key().key_id(id).send().await.unwrap();
            let state = meta.key_metadata().and_then(|m| m.key_state().cloned());
            if state != Some(aws_sdk_kms::types::KeyState::PendingDeletion) {
                found.push(format!("KMS key {id} ({state:?})"));
            }
        }
        if !keys.truncated() {
            break;
        }
        marker = keys.next_marker().map(str::to_string);
    }
    let aliases = aws.kms.list_aliases().limit(1000).send().await.unwrap();
    for a in aliases.aliases() {
        if a.alias_name() == Some(format!("alias/firehose/{name}").as_str()) {
            found.push(format!("KMS alias {}", a.alias_name().unwrap()));
        }
    }
    let lower = name.to_ascii_lowercase();
    let buckets = aws.s3.list_buckets().send().await.unwrap();
    for b in buckets.buckets() {
        let n = b.name().unwrap_or_default();
        if n.starts_with(&lower) && n.contains("-backup-") {
            found.push(format!("bucket {n}"));
        }
    }
    let alarms = aws.cloudwatch.describe_alarms().alarm_name_prefix(format!("{name}-")).send().await.unwrap();
    for a in alarms.metric_alarms() {
        found.push(format!("CloudWatch alarm {}", a.alarm_name().unwrap_or_default()));
    }
    found
}

/// Fails when anything of the stream `name` is left in AWS.
pub async fn assert_none(aws: &Aws, name: &str) {
    let left = orphans(aws, name).await;
    assert!(left.is_empty(), "orphans: {left:?}");
}
