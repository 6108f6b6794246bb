//! The IAM roles a stream assumes, and inline policies on any role.

use crate::aws::{call_error, error_code};
use crate::provider::AwsClients;

use super::ownership::{check_owned, owned, Gate, Tagged, Tags};

/// An IAM role, by name.
pub struct Role<'a>(pub &'a str);

#[tonic::async_trait]
impl Tagged for Role<'_> {
    fn kind(&self) -> &'static str {
        "IAM role"
    }
    fn name(&self) -> &str {
        self.0
    }
    async fn tags(&self, aws: &AwsClients) -> Result<Tags, String> {
        let out = aws
            .iam
            .list_role_tags()
            .role_name(self.0)
            .send()
            .await
            .map_err(|e| call_error("iam:ListRoleTags", &aws.role_arn(self.0), &e))?;
        Ok(out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect())
    }
    async fn untag(&self, aws: &AwsClients, keys: Vec<String>) -> Result<(), String> {
        aws.iam
            .untag_role()
            .role_name(self.0)
            .set_tag_keys(Some(keys))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("iam:UntagRole", &aws.role_arn(self.0), &e))
    }
    async fn tag(&self, aws: &AwsClients, set: &Tags) -> Result<(), String> {
        aws.iam
            .tag_role()
            .role_name(self.0)
            .set_tags(Some(iam_tags(set)?))
            .send()
            .await
            .map(drop)
            .map_err(|e| call_error("iam:TagRole", &aws.role_arn(self.0), &e))
    }
}

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
            let current: Tags = r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
            check_owned(&Role(role), &current, stream)?;
            aws.iam
                .update_assume_role_policy()
                .role_name(role)
                .policy_document(trust)
                .send()
                .await
                .map_err(|e| call_error("iam:UpdateAssumeRolePolicy", &aws.role_arn(role), &e))?;
            Role(role).sync_tags(aws, &current, tags).await?;
            Ok(r.arn().to_string())
        }
        Err(e) => Err(call_error("iam:CreateRole", &aws.role_arn(role), &e)),
    }
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
/// requires. A role that is missing or not ours is left alone. What hangs
/// off the role is listed before `gate`; should a policy be added between
/// that listing and the delete (DeleteConflict), it is listed again once.
pub async fn delete_owned_role(aws: &AwsClients, role: &str, stream: &str, gate: &Gate) -> Result<(), String> {
    if role_state(aws, role, stream).await? != Some(true) {
        return Ok(());
    }
    for retry in [false, true] {
        let (inline, attached) = tokio::try_join!(
            async {
                aws.iam
                    .list_role_policies()
                    .role_name(role)
                    .send()
                    .await
                    .map_err(|e| call_error("iam:ListRolePolicies", &aws.role_arn(role), &e))
            },
            async {
                aws.iam
                    .list_attached_role_policies()
                    .role_name(role)
                    .send()
                    .await
                    .map_err(|e| call_error("iam:ListAttachedRolePolicies", &aws.role_arn(role), &e))
            }
        )?;
        gate.passed().await?;
        let detach = |arn: String| async move {
            aws.iam
                .detach_role_policy()
                .role_name(role)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| call_error("iam:DetachRolePolicy", &aws.role_arn(role), &e))
        };
        futures_util::future::try_join(
            futures_util::future::try_join_all(inline.policy_names().iter().map(|p| delete_policy(aws, role, p))),
            futures_util::future::try_join_all(
                attached.attached_policies().iter().filter_map(|p| p.policy_arn()).map(|a| detach(a.to_string())),
            ),
        )
        .await?;
        match aws.iam.delete_role().role_name(role).send().await {
            Ok(_) => return Ok(()),
            Err(e) if error_code(&e) == Some("NoSuchEntity") => return Ok(()),
            Err(e) if error_code(&e) == Some("DeleteConflict") && !retry => continue,
            Err(e) => return Err(call_error("iam:DeleteRole", &aws.role_arn(role), &e)),
        }
    }
    Ok(())
}
