//! The CloudWatch alarms of a stream's `alarms` block. PutMetricAlarm
//! overwrites an alarm of the same name, so an existing alarm is written
//! only when it is ours (the ownership tag) and differs from the plan.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, MetricAlarm, Statistic, Tag};

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::super::alarms::AlarmSpec;
use super::ownership::{check_owned, owned, Gate, Tagged, Tags};

pub const NAMESPACE: &str = "AWS/Firehose";
const DIMENSION: &str = "DeliveryStreamName";
/// Our alarms watch metrics published only while records flow: no data is
/// no problem.
const TREAT_MISSING: &str = "notBreaching";

/// An alarm, by ARN and name.
pub struct Alarm<'a> {
    pub arn: &'a str,
    pub name: &'a str,
}

#[tonic::async_trait]
impl Tagged for Alarm<'_> {
    fn kind(&self) -> &'static str {
        "CloudWatch alarm"
    }
    fn name(&self) -> &str {
        self.name
    }
    async fn tags(&self, aws: &AwsClients) -> Result<Tags, String> {
        let out = aws
            .cloudwatch
            .list_tags_for_resource()
            .resource_arn(self.arn)
            .send()
            .await
            .map_err(|e| call_error("cloudwatch:ListTagsForResource", self.arn, &e))?;
        Ok(out.tags().iter().filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string()))).collect())
    }
    async fn untag(&self, aws: &AwsClients, keys: Vec<String>) -> Result<(), String> {
        aws.cloudwatch
            .untag_resource()
            .resource_arn(self.arn)
            .set_tag_keys(Some(keys))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("cloudwatch:UntagResource", self.arn, &e))
    }
    async fn tag(&self, aws: &AwsClients, set: &Tags) -> Result<(), String> {
        aws.cloudwatch
            .tag_resource()
            .resource_arn(self.arn)
            .set_tags(Some(cw_tags(set)))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("cloudwatch:TagResource", self.arn, &e))
    }
}

fn cw_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()
}

/// The metric alarms among `names` that exist, by name.
pub async fn describe_alarms(aws: &AwsClients, names: &[String]) -> Result<BTreeMap<String, MetricAlarm>, String> {
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let out = aws
        .cloudwatch
        .describe_alarms()
        .set_alarm_names(Some(names.to_vec()))
        .send()
        .await
        .map_err(|e| call_error("cloudwatch:DescribeAlarms", &names.join(", "), &e))?;
    Ok(out.metric_alarms().iter().filter_map(|a| Some((a.alarm_name()?.to_string(), a.clone()))).collect())
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

/// Whether an existing alarm is exactly what `want` describes.
pub fn matches(found: &MetricAlarm, want: &AlarmSpec) -> bool {
    let dims: Vec<(&str, &str)> = found.dimensions().iter().filter_map(|d| Some((d.name()?, d.value()?))).collect();
    found.namespace() == Some(NAMESPACE)
        && found.metric_name() == Some(want.metric)
        && dims == [(DIMENSION, want.stream.as_str())]
        && found.statistic().map(|s| s.as_str()) == Some(want.statistic)
        && found.comparison_operator().map(|c| c.as_str()) == Some(want.comparison.api())
        && found.threshold() == Some(want.threshold)
        && found.period() == Some(want.period)
        && found.evaluation_periods() == Some(want.evaluation_periods)
        && found.treat_missing_data() == Some(TREAT_MISSING)
        && found.actions_enabled() != Some(false)
        && same_set(found.alarm_actions(), &want.actions)
        && same_set(found.ok_actions(), &want.ok_actions)
        && found.alarm_description() == Some(want.description.as_str())
}

async fn put_alarm(aws: &AwsClients, a: &AlarmSpec, tags: Option<&Tags>) -> Result<(), String> {
    let dim = Dimension::builder().name(DIMENSION).value(&a.stream).build();
    aws.cloudwatch
        .put_metric_alarm()
        .alarm_name(&a.name)
        .alarm_description(&a.description)
        .namespace(NAMESPACE)
        .metric_name(a.metric)
        .dimensions(dim)
        .statistic(Statistic::from(a.statistic))
        .comparison_operator(ComparisonOperator::from(a.comparison.api()))
        .threshold(a.threshold)
        .period(a.period)
        .evaluation_periods(a.evaluation_periods)
        .treat_missing_data(TREAT_MISSING)
        .actions_enabled(true)
        .set_alarm_actions(Some(a.actions.clone()))
        .set_ok_actions(Some(a.ok_actions.clone()))
        // Tags given here apply only when the alarm is new.
        .set_tags(tags.map(cw_tags))
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("cloudwatch:PutMetricAlarm", &a.arn, &e))
}

/// Brings every wanted alarm to its plan: made when missing, rewritten when
/// it differs, retagged when its tags do; never one that is not ours.
pub async fn ensure_alarms(aws: &AwsClients, want: &[AlarmSpec], tags: &Tags, stream: &str) -> Result<(), String> {
    let names: Vec<String> = want.iter().map(|a| a.name.clone()).collect();
    let found = describe_alarms(aws, &names).await?;
    let each = want.iter().map(|a| {
        let existing = found.get(&a.name);
        async move {
            let Some(existing) = existing else { return put_alarm(aws, a, Some(tags)).await };
            let part = Alarm { arn: existing.alarm_arn().unwrap_or(&a.arn), name: &a.name };
            let current = part.tags(aws).await?;
            check_owned(&part, &current, stream)?;
            if !matches(existing, a) {
                put_alarm(aws, a, None).await?;
            }
            part.sync_tags(aws, &current, tags).await
        }
    });
    futures_util::future::try_join_all(each).await.map(drop)
}

/// The names of the alarms among `names` that carry this stream's ownership tag.
pub async fn owned_alarms(aws: &AwsClients, names: &[String], stream: &str) -> Result<Vec<String>, String> {
    let found = describe_alarms(aws, names).await?;
    let checks = found.values().map(|a| async move {
        let (Some(arn), Some(name)) = (a.alarm_arn(), a.alarm_name()) else { return Ok(None) };
        let tags = Alarm { arn, name }.tags(aws).await?;
        let ours = owned(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())), stream);
        Ok::<_, String>(ours.then(|| name.to_string()))
    });
    Ok(futures_util::future::try_join_all(checks).await?.into_iter().flatten().collect())
}

/// Deletes the alarms among `names` that are ours; others stay.
pub async fn delete_owned_alarms(aws: &AwsClients, names: &[String], stream: &str, gate: &Gate) -> Result<(), String> {
    let ours = owned_alarms(aws, names, stream).await?;
    if ours.is_empty() {
        return Ok(());
    }
    gate.passed().await?;
    match aws.cloudwatch.delete_alarms().set_alarm_names(Some(ours.clone())).send().await {
        Ok(_) => Ok(()),
        Err(e) if error_code(&e) == Some("ResourceNotFound") => Ok(()),
        Err(e) => Err(call_error("cloudwatch:DeleteAlarms", &ours.join(", "), &e)),
    }
}
