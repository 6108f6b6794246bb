//! ReadResource and ImportResourceState: the stream as AWS describes it,
//! plus drift in the parts it expanded into (a deleted role, a changed
//! policy, a deleted log group), so the next plan shows and repairs it.

use std::collections::BTreeMap;

use crate::protocol::Value;
use crate::provider::{AwsClients, Env};
use crate::resources::Outcome;

use super::derive::{self, Ctx};
use super::model::role_name;
use super::private::Private;
use super::{api, defaults, names, parts, plan, policies, stream};

pub async fn read(env: &Env, state: &Value, private: &[u8]) -> Outcome {
    let mut out = Outcome { state: state.clone(), private: private.to_vec(), ..Outcome::default() };
    let Some(name) = state.attr("name").as_str() else { return out };
    let (aws, ctx) = match clients(env).await {
        Ok(x) => x,
        Err(e) => {
            out.diags.error("Cannot read the delivery stream", e);
            return out;
        }
    };
    match read_state(aws, &ctx, name, Some(state)).await {
        Ok(Some(v)) => out.state = v,
        Ok(None) => {
            crate::info!(["delivery_stream" = name], "delivery stream no longer exists; removing it from state");
            out.state = Value::Null;
        }
        Err(e) => out.diags.error("Cannot read the delivery stream", e),
    }
    out
}

pub async fn import(env: &Env, id: &str) -> Outcome {
    let mut out = Outcome::default();
    // A name, or an ARN whose last segment is the name.
    let name = id.rsplit_once("deliverystream/").map_or(id, |(_, n)| n).trim();
    if let Err(e) = super::rules::stream_name(name) {
        out.diags.error("Invalid import ID", format!("expected a delivery stream name or ARN: {e}"));
        return out;
    }
    let (aws, ctx) = match clients(env).await {
        Ok(x) => x,
        Err(e) => {
            out.diags.error("Cannot import the delivery stream", e);
            return out;
        }
    };
    match read_state(aws, &ctx, name, None).await {
        Ok(Some(v)) => {
            // A customer-managed key behind our alias was created by us.
            if v.attr("encryption").as_str() == Some("CUSTOMER_MANAGED") {
                if let Some(key) = v.attr("encryption_key_arn").as_str() {
                    if parts::owned_key_arn(aws, name).await.ok().flatten().as_deref() == Some(key) {
                        out.private = Private { created_key_arn: Some(key.to_string()) }.encode();
                    }
                }
            }
            out.state = v;
        }
        Ok(None) => out.diags.error(
            "Cannot import a delivery stream that does not exist",
            format!("no delivery stream named {name:?} in {}", ctx.region),
        ),
        Err(e) => out.diags.error("Cannot import the delivery stream", e),
    }
    out
}

async fn clients(env: &Env) -> Result<(&AwsClients, Ctx), String> {
    let aws = env.aws()?;
    let ctx = plan::context(env).await?.ok_or("the provider is not configured")?;
    Ok((aws.as_ref(), ctx))
}

fn null_object() -> Value {
    let attrs = super::schema::schema().block.value_type();
    let crate::protocol::Type::Object(attrs) = attrs else { return Value::Null };
    Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect())
}

/// The state of stream `name` as AWS has it; None when it does not exist.
/// `prior` supplies what AWS does not record (timeouts, which tags came
/// from the configuration, a stream role used only for SSE).
pub async fn read_state(
    aws: &AwsClients,
    ctx: &Ctx,
    name: &str,
    prior: Option<&Value>,
) -> Result<Option<Value>, String> {
    let Some(desc) = stream::describe(aws, name).await? else { return Ok(None) };
    if desc.delivery_stream_status() == &aws_sdk_firehose::types::DeliveryStreamStatus::Deleting {
        return Ok(None);
    }
    let mut v = null_object();
    v.set_attr("name", Value::string(name));
    v.set_attr("version_id", Value::string(desc.version_id()));
    let dest = desc.destinations().first();
    v.set_attr("destination_id", Value::opt_string(dest.map(|d| d.destination_id().to_string())));

    let source = desc.source().and_then(|s| s.kinesis_stream_source_description());
    v.set_attr("source_stream_arn", Value::opt_string(source.and_then(|s| s.kinesis_stream_arn()).map(str::to_string)));
    let (enc, key) = api::encryption_value(desc.delivery_stream_encryption_configuration());
    v.set_attr("encryption", enc);
    v.set_attr("encryption_key_arn", key);

    let derived_stream_role = ctx.role_arn(&names::stream_role(name));
    let stream_role = match source.and_then(|s| s.role_arn()) {
        Some(r) if r != derived_stream_role => Value::string(r),
        Some(_) => Value::Null,
        None => prior.map_or(Value::Null, |p| p.attr("role_arn").clone()),
    };
    v.set_attr("role_arn", stream_role);

    let derived_dest_role = ctx.role_arn(&names::destination_role(name));
    match dest.and_then(|d| d.extended_s3_destination_description()) {
        Some(s3) => {
            let (block, _) = api::destination_value(s3, name, &derived_dest_role);
            v.set_attr("destination", block);
        }
        None => v.set_attr("destination", Value::List(vec![])),
    }
    // The backup bucket the resource created reads back as "not given".
    let derived_bucket = ctx.bucket_arn(&names::backup_bucket(name, &ctx.account, &ctx.region));

    let all_tags = stream::tags(aws, name).await?;
    let tags_all: BTreeMap<String, String> = all_tags.into_iter().filter(|(k, _)| k != names::OWNER_TAG).collect();
    let prior_tags = prior.and_then(|p| p.attr("tags").entries());
    let tags: BTreeMap<String, Value> = tags_all
        .iter()
        .filter(|(k, val)| prior_tags.is_some_and(|t| t.contains_key(*k)) || ctx.default_tags.get(*k) != Some(*val))
        .map(|(k, val)| (k.clone(), Value::string(val.clone())))
        .collect();
    let tags_value =
        if tags.is_empty() && prior.is_none_or(|p| p.attr("tags").is_null()) { Value::Null } else { Value::Map(tags) };
    v.set_attr("tags", tags_value);
    v.set_attr("timeouts", prior.map_or(Value::Null, |p| p.attr("timeouts").clone()));

    // Retention is ours to set only on the log group we create.
    let group = names::log_group(name);
    let group_info = parts::log_group_info(aws, &group, name).await?.filter(|g| g.owned);
    let retention = match &group_info {
        Some(g) => g.retention_days.map_or(Value::int(defaults::LOG_RETENTION_DAYS), |d| Value::int(d as i64)),
        None => prior.map_or(Value::int(defaults::LOG_RETENTION_DAYS), |p| p.attr("log_retention_days").clone()),
    };
    v.set_attr("log_retention_days", retention);

    derive::derive(&mut v, Some(ctx));
    detect_part_drift(aws, &mut v, name, group_info.is_some(), &derived_bucket).await?;
    Ok(Some(v))
}

/// Replaces derived values with what is really there when a part has gone
/// or changed, so that the plan differs and apply repairs it.
async fn detect_part_drift(
    aws: &AwsClients,
    v: &mut Value,
    name: &str,
    own_group_exists: bool,
    derived_bucket: &str,
) -> Result<(), String> {
    let s3 = derive::s3(v).clone();
    let roles = [
        (
            "destination_role_arn",
            "destination_role_policy_json",
            names::destination_policy(name),
            s3.attr("role_arn").is_null(),
        ),
        ("stream_role_arn", "stream_role_policy_json", names::stream_policy(name), v.attr("role_arn").is_null()),
    ];
    for (role_attr, policy_attr, policy_name, ours) in roles {
        let Some(role_arn) = v.attr(role_attr).as_str().map(str::to_string) else { continue };
        let role = role_name(&role_arn).to_string();
        if ours && parts::role_state(aws, &role, name).await?.is_none() {
            v.set_attr(role_attr, Value::Null);
            v.set_attr(policy_attr, Value::Null);
            continue;
        }
        let expected = v.attr(policy_attr).as_str().map(str::to_string);
        let actual = parts::get_policy(aws, &role, &policy_name).await?;
        match (expected, actual) {
            (Some(_), None) => v.set_attr(policy_attr, Value::Null),
            (Some(e), Some(a)) if !policies::same_document(&e, &a) => v.set_attr(policy_attr, Value::string(a)),
            _ => {}
        }
    }
    let uses_own_group = v.attr("log_group_name").as_str() == Some(names::log_group(name).as_str());
    if uses_own_group && !own_group_exists {
        v.set_attr("log_group_name", Value::Null);
    }
    let backup_bucket = derive::backup(v).and_then(|b| b.attr("bucket_arn").as_str().map(str::to_string));
    if backup_bucket.as_deref() == Some(derived_bucket)
        && !parts::bucket_exists(aws, parts::bucket_name(derived_bucket)).await?
    {
        if let Some(b) = derive::backup_mut(v) {
            b.set_attr("bucket_arn", Value::Null);
        }
    }
    Ok(())
}
