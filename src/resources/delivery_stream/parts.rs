//! The parts a stream expands into, each created idempotently: a part that
//! already exists is adopted when it carries this stream's ownership tag, so
//! an interrupted apply can simply run again. Which existing parts a create
//! may adopt at all is decided before it writes anything (`claim`). Deletion
//! likewise touches only parts carrying the tag; what the user supplied is
//! never deleted.

use std::collections::BTreeMap;

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::names::{ADOPTABLE_TAG, ADOPTABLE_VALUE, OWNER_TAG};

pub type Tags = BTreeMap<String, String>;

fn owned<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>, stream: &str) -> bool {
    tags.any(|(k, v)| k == OWNER_TAG && v == stream)
}

fn not_ours(kind: &str, name: &str, stream: &str) -> String {
    format!(
        "{kind} {name:?} already exists and was not created for delivery stream {stream:?} (it lacks the tag {OWNER_TAG}={stream}); \
         choose another stream name or remove the {kind}"
    )
}

// ---------------------------------------------------------------- IAM roles

fn iam_tags(tags: &Tags) -> Result<Vec<aws_sdk_iam::types::Tag>, String> {
    tags.iter()
        .map(|(k, v)| aws_sdk_iam::types::Tag::builder().key(k).value(v).build().map_err(|e| e.to_string()))
        .collect()
}

/// Creates the role, or adopts ours if it exists; returns its ARN.
pub async fn ensure_role(
    aws: &AwsClients,
    role: &str,
    trust: &str,
    tags: &Tags,
    stream: &str,
) -> Result<String, String> {
    let created = aws
        .iam
        .create_role()
        .role_name(role)
        .assume_role_policy_document(trust)
        .set_tags(Some(iam_tags(tags)?))
        .send()
        .await;
    match created {
        Ok(out) => {
            out.role().map(|r| r.arn().to_string()).ok_or_else(|| format!("iam:CreateRole {role} returned no role"))
        }
        Err(e) if error_code(&e) == Some("EntityAlreadyExists") => {
            let existing = aws
                .iam
                .get_role()
                .role_name(role)
                .send()
                .await
                .map_err(|e| call_error("iam:GetRole", &aws.role_arn(role), &e))?;
            let r = existing.role().ok_or_else(|| format!("iam:GetRole {role} returned no role"))?;
            if !owned(r.tags().iter().map(|t| (t.key(), t.value())), stream) {
                return Err(not_ours("IAM role", role, stream));
            }
            aws.iam
                .update_assume_role_policy()
                .role_name(role)
                .policy_document(trust)
                .send()
                .await
                .map_err(|e| call_error("iam:UpdateAssumeRolePolicy", &aws.role_arn(role), &e))?;
            sync_role_tags(
                aws,
                role,
                r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect(),
                tags,
            )
            .await?;
            Ok(r.arn().to_string())
        }
        Err(e) => Err(call_error("iam:CreateRole", &aws.role_arn(role), &e)),
    }
}

async fn sync_role_tags(aws: &AwsClients, role: &str, current: Tags, desired: &Tags) -> Result<(), String> {
    let stale: Vec<String> = current.keys().filter(|k| !desired.contains_key(*k)).cloned().collect();
    if !stale.is_empty() {
        aws.iam
            .untag_role()
            .role_name(role)
            .set_tag_keys(Some(stale))
            .send()
            .await
            .map_err(|e| call_error("iam:UntagRole", &aws.role_arn(role), &e))?;
    }
    if &current != desired {
        aws.iam
            .tag_role()
            .role_name(role)
            .set_tags(Some(iam_tags(desired)?))
            .send()
            .await
            .map_err(|e| call_error("iam:TagRole", &aws.role_arn(role), &e))?;
    }
    Ok(())
}

/// Brings the tags of a role we own in line (for tag updates).
pub async fn retag_role(aws: &AwsClients, role: &str, tags: &Tags) -> Result<(), String> {
    let out = aws
        .iam
        .list_role_tags()
        .role_name(role)
        .send()
        .await
        .map_err(|e| call_error("iam:ListRoleTags", &aws.role_arn(role), &e))?;
    let current = out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
    sync_role_tags(aws, role, current, tags).await
}

/// None when the role does not exist, else whether it is ours.
pub async fn role_state(aws: &AwsClients, role: &str, stream: &str) -> Result<Option<bool>, String> {
    match aws.iam.get_role().role_name(role).send().await {
        Ok(out) => Ok(Some(out.role().is_some_and(|r| owned(r.tags().iter().map(|t| (t.key(), t.value())), stream)))),
        Err(e) if error_code(&e) == Some("NoSuchEntity") => Ok(None),
        Err(e) => Err(call_error("iam:GetRole", &aws.role_arn(role), &e)),
    }
}

/// The role's tags; None when it does not exist.
pub async fn role_tags(aws: &AwsClients, role: &str) -> Result<Option<Tags>, String> {
    match aws.iam.get_role().role_name(role).send().await {
        Ok(out) => Ok(Some(
            out.role()
                .map(|r| r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect())
                .unwrap_or_default(),
        )),
        Err(e) if error_code(&e) == Some("NoSuchEntity") => Ok(None),
        Err(e) => Err(call_error("iam:GetRole", &aws.role_arn(role), &e)),
    }
}

/// Removes the adoptable marker once the apply that made the role is done.
pub async fn unmark_role(aws: &AwsClients, role: &str) -> Result<(), String> {
    aws.iam
        .untag_role()
        .role_name(role)
        .tag_keys(ADOPTABLE_TAG)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("iam:UntagRole", &aws.role_arn(role), &e))
}

pub async fn role_exists(aws: &AwsClients, role: &str) -> Result<bool, String> {
    match aws.iam.get_role().role_name(role).send().await {
        Ok(_) => Ok(true),
        Err(e) if error_code(&e) == Some("NoSuchEntity") => Ok(false),
        Err(e) => Err(call_error("iam:GetRole", &aws.role_arn(role), &e)),
    }
}

pub async fn put_policy(aws: &AwsClients, role: &str, policy: &str, doc: &str) -> Result<(), String> {
    aws.iam
        .put_role_policy()
        .role_name(role)
        .policy_name(policy)
        .policy_document(doc)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("iam:PutRolePolicy", &format!("{} (inline policy {})", aws.role_arn(role), policy), &e))
}

/// The inline policy's document (URL-decoded), None when absent.
pub async fn get_policy(aws: &AwsClients, role: &str, policy: &str) -> Result<Option<String>, String> {
    match aws.iam.get_role_policy().role_name(role).policy_name(policy).send().await {
        Ok(out) => {
            let doc = out.policy_document();
            Ok(Some(urlencoding::decode(doc).map(|c| c.into_owned()).unwrap_or_else(|_| doc.to_string())))
        }
        Err(e) if error_code(&e) == Some("NoSuchEntity") => Ok(None),
        Err(e) => {
            Err(call_error("iam:GetRolePolicy", &format!("{} (inline policy {})", aws.role_arn(role), policy), &e))
        }
    }
}

pub async fn delete_policy(aws: &AwsClients, role: &str, policy: &str) -> Result<(), String> {
    match aws.iam.delete_role_policy().role_name(role).policy_name(policy).send().await {
        Ok(_) => Ok(()),
        Err(e) if error_code(&e) == Some("NoSuchEntity") => Ok(()),
        Err(e) => {
            Err(call_error("iam:DeleteRolePolicy", &format!("{} (inline policy {})", aws.role_arn(role), policy), &e))
        }
    }
}

/// Deletes a role we own: inline policies and attachments first, as IAM
/// requires. A role that is missing or not ours is left alone.
pub async fn delete_owned_role(aws: &AwsClients, role: &str, stream: &str) -> Result<(), String> {
    if role_state(aws, role, stream).await? != Some(true) {
        return Ok(());
    }
    let policies = aws
        .iam
        .list_role_policies()
        .role_name(role)
        .send()
        .await
        .map_err(|e| call_error("iam:ListRolePolicies", &aws.role_arn(role), &e))?;
    for p in policies.policy_names() {
        delete_policy(aws, role, p).await?;
    }
    let attached = aws
        .iam
        .list_attached_role_policies()
        .role_name(role)
        .send()
        .await
        .map_err(|e| call_error("iam:ListAttachedRolePolicies", &aws.role_arn(role), &e))?;
    for p in attached.attached_policies() {
        if let Some(arn) = p.policy_arn() {
            aws.iam
                .detach_role_policy()
                .role_name(role)
                .policy_arn(arn)
                .send()
                .await
                .map_err(|e| call_error("iam:DetachRolePolicy", &aws.role_arn(role), &e))?;
        }
    }
    match aws.iam.delete_role().role_name(role).send().await {
        Ok(_) => Ok(()),
        Err(e) if error_code(&e) == Some("NoSuchEntity") => Ok(()),
        Err(e) => Err(call_error("iam:DeleteRole", &aws.role_arn(role), &e)),
    }
}

// ---------------------------------------------------------------- CloudWatch Logs

pub struct LogGroupInfo {
    pub retention_days: Option<i32>,
    pub owned: bool,
    pub arn: Option<String>,
}

/// The log group named exactly `group`; DescribeLogGroups only filters by prefix.
async fn describe_log_group(
    aws: &AwsClients,
    group: &str,
) -> Result<Option<aws_sdk_cloudwatchlogs::types::LogGroup>, String> {
    let out = aws
        .logs
        .describe_log_groups()
        .log_group_name_prefix(group)
        .send()
        .await
        .map_err(|e| call_error("logs:DescribeLogGroups", &aws.log_group_arn(group), &e))?;
    Ok(out.log_groups().iter().find(|g| g.log_group_name() == Some(group)).cloned())
}

/// The retention of a log group (None when it never expires); the outer
/// None when the group does not exist. One call, for refresh.
pub async fn log_group_retention(aws: &AwsClients, group: &str) -> Result<Option<Option<i32>>, String> {
    Ok(describe_log_group(aws, group).await?.map(|g| g.retention_in_days()))
}

pub async fn log_group_info(aws: &AwsClients, group: &str, stream: &str) -> Result<Option<LogGroupInfo>, String> {
    let Some(g) = describe_log_group(aws, group).await? else { return Ok(None) };
    let arn = g.log_group_arn().map(str::to_string).or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()));
    let owned = match &arn {
        Some(arn) => log_group_tags(aws, arn).await?.get(OWNER_TAG).map(String::as_str) == Some(stream),
        None => false,
    };
    Ok(Some(LogGroupInfo { retention_days: g.retention_in_days(), owned, arn }))
}

/// The log group's tags; None when it does not exist.
pub async fn log_group_tags_by_name(aws: &AwsClients, group: &str) -> Result<Option<Tags>, String> {
    let Some(g) = describe_log_group(aws, group).await? else { return Ok(None) };
    match g.log_group_arn().map(str::to_string).or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string())) {
        Some(arn) => log_group_tags(aws, &arn).await.map(Some),
        None => Ok(Some(Tags::new())),
    }
}

/// `arn` without the `:*` that some APIs append.
pub async fn unmark_log_group(aws: &AwsClients, arn: &str) -> Result<(), String> {
    aws.logs
        .untag_resource()
        .resource_arn(arn)
        .tag_keys(ADOPTABLE_TAG)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("logs:UntagResource", arn, &e))
}

async fn log_group_tags(aws: &AwsClients, arn: &str) -> Result<Tags, String> {
    let out = aws
        .logs
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(|e| call_error("logs:ListTagsForResource", arn, &e))?;
    Ok(out.tags().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default())
}

pub async fn ensure_log_group(
    aws: &AwsClients,
    group: &str,
    retention: i32,
    tags: &Tags,
    stream: &str,
) -> Result<(), String> {
    let created = aws
        .logs
        .create_log_group()
        .log_group_name(group)
        .set_tags(Some(tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
        .send()
        .await;
    match created {
        Ok(_) => {}
        Err(e) if error_code(&e) == Some("ResourceAlreadyExistsException") => {
            let info = log_group_info(aws, group, stream).await?;
            let info = info.ok_or_else(|| format!("log group {group} exists but cannot be described"))?;
            if !info.owned {
                return Err(not_ours("log group", group, stream));
            }
            if let Some(arn) = &info.arn {
                let current = log_group_tags(aws, arn).await?;
                sync_log_group_tags(aws, arn, &current, tags).await?;
            }
            if info.retention_days == Some(retention) {
                return Ok(());
            }
        }
        Err(e) => return Err(call_error("logs:CreateLogGroup", &aws.log_group_arn(group), &e)),
    }
    aws.logs
        .put_retention_policy()
        .log_group_name(group)
        .retention_in_days(retention)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("logs:PutRetentionPolicy", &aws.log_group_arn(group), &e))
}

async fn sync_log_group_tags(aws: &AwsClients, arn: &str, current: &Tags, desired: &Tags) -> Result<(), String> {
    let stale: Vec<String> = current.keys().filter(|k| !desired.contains_key(*k)).cloned().collect();
    if !stale.is_empty() {
        aws.logs
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(stale))
            .send()
            .await
            .map_err(|e| call_error("logs:UntagResource", arn, &e))?;
    }
    if current != desired {
        aws.logs
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(desired.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
            .send()
            .await
            .map_err(|e| call_error("logs:TagResource", arn, &e))?;
    }
    Ok(())
}

/// Makes the log streams that are missing; returns the ones this call made,
/// so that only those are ever deleted from a log group the user owns.
pub async fn ensure_log_streams(
    aws: &AwsClients,
    group: &str,
    streams: &[&'static str],
) -> Result<Vec<&'static str>, String> {
    let mut made = Vec::new();
    for s in streams {
        match aws.logs.create_log_stream().log_group_name(group).log_stream_name(*s).send().await {
            Ok(_) => made.push(*s),
            Err(e) if error_code(&e) == Some("ResourceAlreadyExistsException") => {}
            Err(e) => {
                return Err(call_error(
                    "logs:CreateLogStream",
                    &format!("{}:log-stream:{}", aws.log_group_arn(group), s),
                    &e,
                ))
            }
        }
    }
    Ok(made)
}

pub async fn delete_log_streams(aws: &AwsClients, group: &str, streams: &[String]) -> Result<(), String> {
    for s in streams {
        match aws.logs.delete_log_stream().log_group_name(group).log_stream_name(s).send().await {
            Ok(_) => {}
            Err(e) if error_code(&e) == Some("ResourceNotFoundException") => {}
            Err(e) => {
                return Err(call_error(
                    "logs:DeleteLogStream",
                    &format!("{}:log-stream:{}", aws.log_group_arn(group), s),
                    &e,
                ))
            }
        }
    }
    Ok(())
}

pub async fn delete_owned_log_group(aws: &AwsClients, group: &str, stream: &str) -> Result<(), String> {
    match log_group_info(aws, group, stream).await? {
        Some(info) if info.owned => {}
        _ => return Ok(()),
    }
    match aws.logs.delete_log_group().log_group_name(group).send().await {
        Ok(_) => Ok(()),
        Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(()),
        Err(e) => Err(call_error("logs:DeleteLogGroup", &aws.log_group_arn(group), &e)),
    }
}

// ---------------------------------------------------------------- KMS

/// The key ID within a key ARN. AWS accepts either everywhere, but some
/// emulators accept only the ID in a few calls, so calls that change a key
/// use the ID.
fn key_id(key: &str) -> &str {
    key.rsplit_once("key/").map_or(key, |(_, id)| id)
}

fn kms_tags(tags: &Tags) -> Result<Vec<aws_sdk_kms::types::Tag>, String> {
    tags.iter()
        .map(|(k, v)| aws_sdk_kms::types::Tag::builder().tag_key(k).tag_value(v).build().map_err(|e| e.to_string()))
        .collect()
}

async fn key_owned(aws: &AwsClients, key: &str, stream: &str) -> Result<bool, String> {
    let out = aws
        .kms
        .list_resource_tags()
        .key_id(key)
        .send()
        .await
        .map_err(|e| call_error("kms:ListResourceTags", &aws.key_arn(key), &e))?;
    Ok(owned(out.tags().iter().map(|t| (t.tag_key(), t.tag_value())), stream))
}

/// The usable key behind our alias: (ARN, pending deletion).
async fn key_by_alias(aws: &AwsClients, alias: &str) -> Result<Option<(String, bool)>, String> {
    match aws.kms.describe_key().key_id(alias).send().await {
        Ok(out) => Ok(out.key_metadata().map(|m| {
            let pending = matches!(m.key_state(), Some(aws_sdk_kms::types::KeyState::PendingDeletion));
            (m.arn().unwrap_or(m.key_id()).to_string(), pending)
        })),
        Err(e) if error_code(&e) == Some("NotFoundException") => Ok(None),
        Err(e) => Err(call_error("kms:DescribeKey", &aws.key_arn(alias), &e)),
    }
}

/// The key our alias names with its tags, unless it is retired (pending
/// deletion, which a create replaces); None when there is none.
pub async fn alias_key_tags(aws: &AwsClients, alias: &str) -> Result<Option<(String, Tags)>, String> {
    let Some((arn, false)) = key_by_alias(aws, alias).await? else { return Ok(None) };
    let out = aws
        .kms
        .list_resource_tags()
        .key_id(&arn)
        .send()
        .await
        .map_err(|e| call_error("kms:ListResourceTags", &aws.key_arn(&arn), &e))?;
    let tags = out.tags().iter().map(|t| (t.tag_key().to_string(), t.tag_value().to_string())).collect();
    Ok(Some((arn, tags)))
}

pub async fn unmark_key(aws: &AwsClients, key: &str) -> Result<(), String> {
    aws.kms
        .untag_resource()
        .key_id(key_id(key))
        .tag_keys(ADOPTABLE_TAG)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("kms:UntagResource", &aws.key_arn(key), &e))
}

/// The ARN of the key our alias names, when it is ours and not retired.
pub async fn owned_key_arn(aws: &AwsClients, stream: &str) -> Result<Option<String>, String> {
    match key_by_alias(aws, &super::names::key_alias(stream)).await? {
        Some((arn, false)) if key_owned(aws, &arn, stream).await? => Ok(Some(arn)),
        _ => Ok(None),
    }
}

/// Every key carrying this stream's ownership tag, with its state. Keys
/// have no name of their own, so the tag is the only way to find one that
/// never got its alias: a run stopped between CreateKey and CreateAlias, or
/// a CreateKey whose answer was lost so that the SDK's retry made a second.
async fn owned_keys(aws: &AwsClients, stream: &str) -> Result<Vec<(String, aws_sdk_kms::types::KeyState)>, String> {
    let mut found = Vec::new();
    let mut marker = None;
    for _ in 0..50 {
        let page = aws
            .kms
            .list_keys()
            .set_marker(marker.clone())
            .send()
            .await
            .map_err(|e| call_error("kms:ListKeys", "", &e))?;
        for id in page.keys().iter().filter_map(|k| k.key_id()) {
            // Keys that refuse to list their tags (other owners, odd states) are not ours.
            if !key_owned(aws, id, stream).await.unwrap_or(false) {
                continue;
            }
            let meta = aws
                .kms
                .describe_key()
                .key_id(id)
                .send()
                .await
                .map_err(|e| call_error("kms:DescribeKey", &aws.key_arn(id), &e))?;
            if let Some(m) = meta.key_metadata() {
                if let Some(state) = m.key_state() {
                    found.push((m.arn().unwrap_or(id).to_string(), state.clone()));
                }
            }
        }
        if !page.truncated() {
            break;
        }
        marker = page.next_marker().map(str::to_string);
    }
    Ok(found)
}

async fn find_unaliased_key(aws: &AwsClients, stream: &str) -> Result<Option<String>, String> {
    let keys = owned_keys(aws, stream).await?;
    Ok(keys.into_iter().find(|(_, s)| s == &aws_sdk_kms::types::KeyState::Enabled).map(|(arn, _)| arn))
}

/// Returns the ARN of our SSE key, creating key and alias when needed.
pub async fn ensure_key(aws: &AwsClients, stream: &str, tags: &Tags) -> Result<String, String> {
    let alias = super::names::key_alias(stream);
    if let Some((arn, pending)) = key_by_alias(aws, &alias).await? {
        if !key_owned(aws, &arn, stream).await? {
            return Err(not_ours("KMS alias", &alias, stream));
        }
        if !pending {
            return Ok(arn);
        }
        // The alias points at a key scheduled for deletion: move it to a new key.
        let _ = aws.kms.delete_alias().alias_name(&alias).send().await;
    }
    let arn = match find_unaliased_key(aws, stream).await? {
        Some(arn) => arn,
        None => {
            let out = aws
                .kms
                .create_key()
                .description(format!("Server-side encryption of Kinesis Data Firehose delivery stream {stream}"))
                .set_tags(Some(kms_tags(tags)?))
                .send()
                .await
                .map_err(|e| call_error("kms:CreateKey", "", &e))?;
            let m = out.key_metadata().ok_or("kms:CreateKey returned no key")?;
            m.arn().unwrap_or(m.key_id()).to_string()
        }
    };
    match aws.kms.create_alias().alias_name(&alias).target_key_id(&arn).send().await {
        Ok(_) => Ok(arn),
        // The answer to an earlier try was lost and the SDK retried: the
        // alias exists and names our key, or another run's key of ours.
        Err(e) if error_code(&e) == Some("AlreadyExistsException") => match key_by_alias(aws, &alias).await? {
            Some((existing, false)) if key_owned(aws, &existing, stream).await? => Ok(existing),
            _ => Err(call_error("kms:CreateAlias", &aws.key_arn(alias), &e)),
        },
        Err(e) => Err(call_error("kms:CreateAlias", &aws.key_arn(alias), &e)),
    }
}

pub async fn retag_key(aws: &AwsClients, key: &str, tags: &Tags) -> Result<(), String> {
    let out = aws
        .kms
        .list_resource_tags()
        .key_id(key)
        .send()
        .await
        .map_err(|e| call_error("kms:ListResourceTags", &aws.key_arn(key), &e))?;
    let stale: Vec<String> =
        out.tags().iter().map(|t| t.tag_key().to_string()).filter(|k| !tags.contains_key(k)).collect();
    if !stale.is_empty() {
        aws.kms
            .untag_resource()
            .key_id(key_id(key))
            .set_tag_keys(Some(stale))
            .send()
            .await
            .map_err(|e| call_error("kms:UntagResource", &aws.key_arn(key), &e))?;
    }
    aws.kms
        .tag_resource()
        .key_id(key_id(key))
        .set_tags(Some(kms_tags(tags)?))
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("kms:TagResource", &aws.key_arn(key), &e))
}

/// Schedules our key for deletion (30-day window, the longest KMS allows,
/// so a mistake can be undone) and removes its alias.
/// With `sweep`, every enabled or disabled key carrying the ownership tag is
/// retired too (see `owned_keys`), at the cost of listing the account's keys.
pub async fn retire_owned_key(aws: &AwsClients, stream: &str, known: Option<&str>, sweep: bool) -> Result<(), String> {
    let alias = super::names::key_alias(stream);
    let by_alias = key_by_alias(aws, &alias).await?;
    let mut candidates: Vec<String> =
        by_alias.iter().map(|(a, _)| a.clone()).chain(known.map(str::to_string)).collect();
    if sweep {
        use aws_sdk_kms::types::KeyState;
        let strays = owned_keys(aws, stream).await?;
        candidates.extend(
            strays.into_iter().filter(|(_, s)| matches!(s, KeyState::Enabled | KeyState::Disabled)).map(|(a, _)| a),
        );
    }
    candidates.dedup();
    for key in candidates {
        let meta = match aws.kms.describe_key().key_id(&key).send().await {
            Ok(o) => o.key_metadata().cloned(),
            Err(e) if error_code(&e) == Some("NotFoundException") => None,
            Err(e) => return Err(call_error("kms:DescribeKey", &aws.key_arn(key), &e)),
        };
        let Some(meta) = meta else { continue };
        if meta.key_state() == Some(&aws_sdk_kms::types::KeyState::PendingDeletion)
            || !key_owned(aws, &key, stream).await?
        {
            continue;
        }
        aws.kms
            .schedule_key_deletion()
            .key_id(key_id(&key))
            .pending_window_in_days(30)
            .send()
            .await
            .map_err(|e| call_error("kms:ScheduleKeyDeletion", &aws.key_arn(key), &e))?;
    }
    if by_alias.is_some() {
        match aws.kms.delete_alias().alias_name(&alias).send().await {
            Ok(_) => {}
            Err(e) if error_code(&e) == Some("NotFoundException") => {}
            Err(e) => return Err(call_error("kms:DeleteAlias", &aws.key_arn(alias), &e)),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- S3

pub fn bucket_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// None when the bucket is missing; else its tags (empty when untagged).
pub async fn bucket_tags(aws: &AwsClients, bucket: &str) -> Result<Option<Tags>, String> {
    match aws.s3.get_bucket_tagging().bucket(bucket).send().await {
        Ok(out) => Ok(Some(out.tag_set().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect())),
        Err(e) if error_code(&e) == Some("NoSuchTagSet") => Ok(Some(Tags::new())),
        Err(e) if error_code(&e) == Some("NoSuchBucket") => Ok(None),
        Err(e) => Err(call_error("s3:GetBucketTagging", &aws.bucket_arn(bucket), &e)),
    }
}

pub async fn bucket_empty(aws: &AwsClients, bucket: &str) -> Result<bool, String> {
    let out = aws
        .s3
        .list_objects_v2()
        .bucket(bucket)
        .max_keys(1)
        .send()
        .await
        .map_err(|e| call_error("s3:ListObjectsV2", &aws.bucket_arn(bucket), &e))?;
    Ok(out.contents().is_empty())
}

/// Ours: tagged for this stream, or (a run stopped between creating and
/// tagging it) untagged, empty and named exactly as we derive it.
async fn bucket_owned(aws: &AwsClients, bucket: &str, tags: &Tags, stream: &str) -> Result<bool, String> {
    if tags.get(OWNER_TAG).map(String::as_str) == Some(stream) {
        return Ok(true);
    }
    Ok(tags.is_empty() && bucket_empty(aws, bucket).await?)
}

pub async fn tag_bucket(aws: &AwsClients, bucket: &str, tags: &Tags) -> Result<(), String> {
    let set = tags
        .iter()
        .map(|(k, v)| aws_sdk_s3::types::Tag::builder().key(k).value(v).build().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let tagging = aws_sdk_s3::types::Tagging::builder().set_tag_set(Some(set)).build().map_err(|e| e.to_string())?;
    aws.s3
        .put_bucket_tagging()
        .bucket(bucket)
        .tagging(tagging)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("s3:PutBucketTagging", &aws.bucket_arn(bucket), &e))
}

pub async fn ensure_bucket(aws: &AwsClients, bucket: &str, tags: &Tags, stream: &str) -> Result<(), String> {
    if let Some(current) = bucket_tags(aws, bucket).await? {
        if !bucket_owned(aws, bucket, &current, stream).await? {
            return Err(not_ours("S3 bucket", bucket, stream));
        }
        if &current != tags {
            tag_bucket(aws, bucket, tags).await?;
        }
        return Ok(());
    }
    let mut req = aws.s3.create_bucket().bucket(bucket);
    // us-east-1 is the one region that must not be named as a constraint.
    if aws.region != "us-east-1" {
        req = req.create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(aws.region.as_str()))
                .build(),
        );
    }
    match req.send().await {
        Ok(_) => {}
        Err(e) if error_code(&e) == Some("BucketAlreadyOwnedByYou") => {}
        Err(e) => return Err(call_error("s3:CreateBucket", &aws.bucket_arn(bucket), &e)),
    }
    tag_bucket(aws, bucket, tags).await
}

pub async fn bucket_exists(aws: &AwsClients, bucket: &str) -> Result<bool, String> {
    Ok(bucket_tags(aws, bucket).await?.is_some())
}

/// Deletes our bucket if it is empty. A non-empty bucket is kept (records
/// are never thrown away) and the returned warning says so.
pub async fn delete_owned_bucket(aws: &AwsClients, bucket: &str, stream: &str) -> Result<Option<String>, String> {
    let Some(tags) = bucket_tags(aws, bucket).await? else { return Ok(None) };
    if !bucket_owned(aws, bucket, &tags, stream).await? {
        return Ok(None);
    }
    if !bucket_empty(aws, bucket).await? {
        // Kept, it is held by no state any more: a later create of the same
        // stream may take it back (see `ADOPTABLE_TAG`).
        let mut marked = tags;
        marked.insert(ADOPTABLE_TAG.to_string(), ADOPTABLE_VALUE.to_string());
        tag_bucket(aws, bucket, &marked).await?;
        return Ok(Some(format!(
            "The backup bucket {bucket} created for delivery stream {stream} still holds objects, so it was kept. \
             Empty and delete it yourself when its records are no longer needed."
        )));
    }
    match aws.s3.delete_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(None),
        Err(e) if error_code(&e) == Some("NoSuchBucket") => Ok(None),
        Err(e) => Err(call_error("s3:DeleteBucket", &aws.bucket_arn(bucket), &e)),
    }
}
