//! The CloudWatch log group a stream logs to, and its log streams.

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::super::names::OWNER_TAG;
use super::ownership::{check_owned, Gate, Tagged, Tags};

/// A log group, by its ARN (without the `:*` some APIs append) and name.
pub struct LogGroup<'a> {
    pub arn: &'a str,
    pub name: &'a str,
}

#[tonic::async_trait]
impl Tagged for LogGroup<'_> {
    fn kind(&self) -> &'static str {
        "log group"
    }
    fn name(&self) -> &str {
        self.name
    }
    async fn tags(&self, aws: &AwsClients) -> Result<Tags, String> {
        log_group_tags(aws, self.arn).await
    }
    async fn untag(&self, aws: &AwsClients, keys: Vec<String>) -> Result<(), String> {
        aws.logs
            .untag_resource()
            .resource_arn(self.arn)
            .set_tag_keys(Some(keys))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("logs:UntagResource", self.arn, &e))
    }
    async fn tag(&self, aws: &AwsClients, set: &Tags) -> Result<(), String> {
        aws.logs
            .tag_resource()
            .resource_arn(self.arn)
            .set_tags(Some(set.clone().into_iter().collect()))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("logs:TagResource", self.arn, &e))
    }
}

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

/// What refresh learns of a log group's retention, in one call.
#[derive(Debug, PartialEq)]
pub enum Retention {
    /// The group does not exist.
    Gone,
    /// Its events never expire.
    Forever,
    Days(i32),
}

pub async fn log_group_retention(aws: &AwsClients, group: &str) -> Result<Retention, String> {
    Ok(match describe_log_group(aws, group).await? {
        None => Retention::Gone,
        Some(g) => g.retention_in_days().map_or(Retention::Forever, Retention::Days),
    })
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
            match &info.arn {
                Some(arn) => {
                    let part = LogGroup { arn, name: group };
                    let current = part.tags(aws).await?;
                    check_owned(&part, &current, stream)?;
                    part.sync_tags(aws, &current, tags).await?;
                }
                None => check_owned(&LogGroup { arn: group, name: group }, &Tags::new(), stream)?,
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

pub async fn delete_owned_log_group(aws: &AwsClients, group: &str, stream: &str, gate: &Gate) -> Result<(), String> {
    match log_group_info(aws, group, stream).await? {
        Some(info) if info.owned => {}
        _ => return Ok(()),
    }
    gate.passed().await?;
    match aws.logs.delete_log_group().log_group_name(group).send().await {
        Ok(_) => Ok(()),
        Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(()),
        Err(e) => Err(call_error("logs:DeleteLogGroup", &aws.log_group_arn(group), &e)),
    }
}
