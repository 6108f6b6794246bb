//! The backup bucket a stream creates.

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::super::names::{ADOPTABLE_TAG, ADOPTABLE_VALUE, OWNER_TAG};
use super::ownership::{not_ours, Gate, Tagged, Tags};

/// An S3 bucket, by name. Its tags are one set, written whole.
pub struct Bucket<'a>(pub &'a str);

#[tonic::async_trait]
impl Tagged for Bucket<'_> {
    fn kind(&self) -> &'static str {
        "S3 bucket"
    }
    fn name(&self) -> &str {
        self.0
    }
    async fn tags(&self, aws: &AwsClients) -> Result<Tags, String> {
        Ok(bucket_tags(aws, self.0).await?.unwrap_or_default())
    }
    async fn untag(&self, aws: &AwsClients, keys: Vec<String>) -> Result<(), String> {
        let mut tags = self.tags(aws).await?;
        tags.retain(|k, _| !keys.contains(k));
        tag_bucket(aws, self.0, &tags).await
    }
    async fn tag(&self, aws: &AwsClients, set: &Tags) -> Result<(), String> {
        let mut tags = self.tags(aws).await?;
        tags.extend(set.clone());
        tag_bucket(aws, self.0, &tags).await
    }
    /// One PutBucketTagging with the desired set, when anything differs.
    async fn sync_tags(&self, aws: &AwsClients, current: &Tags, desired: &Tags) -> Result<(), String> {
        if current != desired {
            tag_bucket(aws, self.0, desired).await?;
        }
        Ok(())
    }
}

pub fn bucket_name(arn: &str) -> &str {
    crate::aws::arn::name_of(arn)
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
        return Bucket(bucket).sync_tags(aws, &current, tags).await;
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
pub async fn delete_owned_bucket(
    aws: &AwsClients,
    bucket: &str,
    stream: &str,
    gate: &Gate,
) -> Result<Option<String>, String> {
    let Some(tags) = bucket_tags(aws, bucket).await? else { return Ok(None) };
    if !bucket_owned(aws, bucket, &tags, stream).await? {
        return Ok(None);
    }
    // Whether it is empty is asked only once nothing can write to it.
    gate.passed().await?;
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
