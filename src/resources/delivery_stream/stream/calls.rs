//! Single calls on a stream: read it, list the region's streams, read and
//! change its tags, start and stop its encryption. Nothing here waits.

use std::collections::BTreeMap;

use aws_sdk_firehose::types as fh;

use crate::aws::{call_error, error_code, error_text};
use crate::provider::pacer::Pacer;
use crate::provider::AwsClients;

use super::super::names::ADOPTABLE_TAG;
use super::port::{Deletion, Streams};

pub async fn describe(aws: &AwsClients, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
    match aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await {
        // A success without a description is a malformed answer, not a
        // missing stream: treating it as gone would plan a re-creation.
        Ok(out) => match out.delivery_stream_description() {
            None => Err(format!("firehose:DescribeDeliveryStream {name} returned no description")),
            // The SDK fills absent required fields with empty values; a
            // description without them cannot be trusted to plan from.
            Some(d) if d.delivery_stream_name() != name || d.version_id().is_empty() || d.destinations().is_empty() => {
                Err(format!(
                    "firehose:DescribeDeliveryStream {name} returned an incomplete description \
                     (name {:?}, version {:?}, {} destinations)",
                    d.delivery_stream_name(),
                    d.version_id(),
                    d.destinations().len()
                ))
            }
            Some(d) => Ok(Some(d.clone())),
        },
        Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(None),
        Err(e) => Err(call_error("firehose:DescribeDeliveryStream", &aws.stream_arn(name), &e)),
    }
}

/// Every delivery stream name in the region, in AWS's (alphabetical) order.
pub async fn names(aws: &AwsClients) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    loop {
        let page = aws
            .firehose
            .list_delivery_streams()
            .limit(10_000)
            .set_exclusive_start_delivery_stream_name(out.last().cloned())
            .send()
            .await
            .map_err(|e| call_error("firehose:ListDeliveryStreams", "*", &e))?;
        out.extend(page.delivery_stream_names().iter().cloned());
        if !page.has_more_delivery_streams() || page.delivery_stream_names().is_empty() {
            return Ok(out);
        }
    }
}

pub async fn tags(aws: &AwsClients, name: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut start: Option<String> = None;
    loop {
        let page = aws
            .firehose
            .list_tags_for_delivery_stream()
            .delivery_stream_name(name)
            .set_exclusive_start_tag_key(start.clone())
            .send()
            .await
            .map_err(|e| call_error("firehose:ListTagsForDeliveryStream", &aws.stream_arn(name), &e))?;
        for t in page.tags() {
            out.insert(t.key().to_string(), t.value().unwrap_or_default().to_string());
        }
        match (page.has_more_tags(), page.tags().last()) {
            (true, Some(last)) => start = Some(last.key().to_string()),
            _ => return Ok(out),
        }
    }
}

/// The last call of a successful create: from now on the stream is held.
pub async fn unmark(aws: &AwsClients, name: &str) -> Result<(), String> {
    aws.firehose
        .untag_delivery_stream()
        .delivery_stream_name(name)
        .tag_keys(ADOPTABLE_TAG)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("firehose:UntagDeliveryStream", &aws.stream_arn(name), &e))
}

pub async fn sync_tags(
    aws: &AwsClients,
    name: &str,
    current: &BTreeMap<String, String>,
    desired: &BTreeMap<String, String>,
) -> Result<(), String> {
    let changes = super::super::parts::tag_changes(current, desired);
    if !changes.stale.is_empty() {
        aws.firehose
            .untag_delivery_stream()
            .delivery_stream_name(name)
            .set_tag_keys(Some(changes.stale))
            .send()
            .await
            .map_err(|e| call_error("firehose:UntagDeliveryStream", &aws.stream_arn(name), &e))?;
    }
    if !changes.set.is_empty() {
        aws.firehose
            .tag_delivery_stream()
            .delivery_stream_name(name)
            .set_tags(Some(super::super::api::tags(&changes.set)?))
            .send()
            .await
            .map_err(|e| call_error("firehose:TagDeliveryStream", &aws.stream_arn(name), &e))?;
    }
    Ok(())
}

pub async fn start_encryption(
    aws: &AwsClients,
    name: &str,
    input: fh::DeliveryStreamEncryptionConfigurationInput,
) -> Result<(), String> {
    aws.firehose
        .start_delivery_stream_encryption()
        .delivery_stream_name(name)
        .delivery_stream_encryption_configuration_input(input)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("firehose:StartDeliveryStreamEncryption", &aws.stream_arn(name), &e))
}

pub async fn stop_encryption(aws: &AwsClients, name: &str) -> Result<(), String> {
    aws.firehose
        .stop_delivery_stream_encryption()
        .delivery_stream_name(name)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("firehose:StopDeliveryStreamEncryption", &aws.stream_arn(name), &e))
}

/// The port the waits use, answered with real calls.
#[tonic::async_trait]
impl Streams for AwsClients {
    fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    async fn describe(&self, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
        describe(self, name).await
    }

    async fn names(&self) -> Result<Vec<String>, String> {
        names(self).await
    }

    async fn delete(&self, name: &str) -> Result<Deletion, String> {
        match self.firehose.delete_delivery_stream().delivery_stream_name(name).send().await {
            Ok(_) => Ok(Deletion::Accepted),
            Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(Deletion::NotFound),
            Err(e) if error_code(&e) == Some("ResourceInUseException") => Ok(Deletion::InUse(error_text(&e))),
            Err(e) => Err(call_error("firehose:DeleteDeliveryStream", &self.stream_arn(name), &e)),
        }
    }
}
