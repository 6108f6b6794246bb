//! The KMS key a stream's server-side encryption uses, found by its alias
//! or, when it never got one, by the ownership tag.

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::ownership::{not_ours, owned, Gate, Tagged, Tags};

/// A KMS key, by ARN or ID.
pub struct Key<'a>(pub &'a str);

#[tonic::async_trait]
impl Tagged for Key<'_> {
    fn kind(&self) -> &'static str {
        "KMS key"
    }
    fn name(&self) -> &str {
        self.0
    }
    async fn tags(&self, aws: &AwsClients) -> Result<Tags, String> {
        key_tags(aws, self.0).await
    }
    async fn untag(&self, aws: &AwsClients, keys: Vec<String>) -> Result<(), String> {
        aws.kms
            .untag_resource()
            .key_id(key_id(self.0))
            .set_tag_keys(Some(keys))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("kms:UntagResource", &aws.key_arn(self.0), &e))
    }
    async fn tag(&self, aws: &AwsClients, set: &Tags) -> Result<(), String> {
        aws.kms
            .tag_resource()
            .key_id(key_id(self.0))
            .set_tags(Some(kms_tags(set)?))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("kms:TagResource", &aws.key_arn(self.0), &e))
    }
}

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

async fn key_tags(aws: &AwsClients, key: &str) -> Result<Tags, String> {
    let out = aws
        .kms
        .list_resource_tags()
        .key_id(key)
        .send()
        .await
        .map_err(|e| call_error("kms:ListResourceTags", &aws.key_arn(key), &e))?;
    Ok(out.tags().iter().map(|t| (t.tag_key().to_string(), t.tag_value().to_string())).collect())
}

async fn key_owned(aws: &AwsClients, key: &str, stream: &str) -> Result<bool, String> {
    Ok(owned(key_tags(aws, key).await?.iter().map(|(k, v)| (k.as_str(), v.as_str())), stream))
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
    let tags = key_tags(aws, &arn).await?;
    Ok(Some((arn, tags)))
}

/// The ARN of the key our alias names, when it is ours and not retired.
pub async fn owned_key_arn(aws: &AwsClients, stream: &str) -> Result<Option<String>, String> {
    match key_by_alias(aws, &super::super::names::key_alias(stream)).await? {
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
    let alias = super::super::names::key_alias(stream);
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

/// Schedules our key for deletion (30-day window, the longest KMS allows,
/// so a mistake can be undone) and removes its alias.
/// With `sweep`, every enabled or disabled key carrying the ownership tag is
/// retired too (see `owned_keys`), at the cost of listing the account's keys.
pub async fn retire_owned_key(
    aws: &AwsClients,
    stream: &str,
    known: Option<&str>,
    sweep: bool,
    gate: &Gate,
) -> Result<(), String> {
    let alias = super::super::names::key_alias(stream);
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
        gate.passed().await?;
        aws.kms
            .schedule_key_deletion()
            .key_id(key_id(&key))
            .pending_window_in_days(30)
            .send()
            .await
            .map_err(|e| call_error("kms:ScheduleKeyDeletion", &aws.key_arn(key), &e))?;
    }
    if by_alias.is_some() {
        gate.passed().await?;
        match aws.kms.delete_alias().alias_name(&alias).send().await {
            Ok(_) => {}
            Err(e) if error_code(&e) == Some("NotFoundException") => {}
            Err(e) => return Err(call_error("kms:DeleteAlias", &aws.key_arn(alias), &e)),
        }
    }
    Ok(())
}
