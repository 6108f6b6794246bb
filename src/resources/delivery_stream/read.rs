//! ReadResource and ImportResourceState: the stream as AWS describes it,
//! plus drift in the parts it expanded into (a deleted role, a changed
//! policy, a deleted log group), so the next plan shows and repairs it.

use std::collections::BTreeMap;

use crate::framework::Outcome;
use crate::protocol::Value;
use crate::provider::{AwsClients, Env};

use super::alarms::AlarmSpec;
use super::claim::Hold;
use super::derive;
use super::enums::Sse;
use super::kind::Ctx;
use super::model::role_name;
use super::parts::Retention;
use super::private::Private;
use super::reading::Reading;
use super::{api, defaults, health, names, parts, plan, policies};

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
    // The error log is read alongside the stream (the prior state names its
    // log group), so delivery_health adds no round trip to the refresh.
    let (read, health) = tokio::join!(read_state(aws, &ctx, name, Some(state)), delivery_health(aws, name, state));
    match read {
        Ok(Some(v)) => {
            out.state = v;
            out.diags.extend(health);
        }
        // A create that failed before the stream existed leaves a state with
        // no version: keep it, so destroy (or the replacement) still removes
        // the parts that were made.
        Ok(None) if state.attr("version_id").is_null() => {}
        // Deleted outside Terraform, or by a destroy that was stopped before
        // it removed the parts: while parts remain, this state still holds
        // them, and the plan makes the stream again (or destroy finishes).
        // Dropping the resource would leave them to no one, and a create
        // refuses to take over what a completed apply made (see claim).
        Ok(None) => match parts_remain(aws, &ctx, name, state).await {
            Ok(true) => {
                crate::info!(["delivery_stream" = name], "delivery stream no longer exists but its parts do");
                out.state.set_attr("version_id", Value::Null);
                out.state.set_attr("destination_id", Value::Null);
            }
            Ok(false) => {
                crate::info!(["delivery_stream" = name], "delivery stream no longer exists; removing it from state");
                out.state = Value::Null;
            }
            Err(e) => out.diags.error("Cannot read the delivery stream", e),
        },
        Err(e) => out.diags.error("Cannot read the delivery stream", e),
    }
    out
}

/// With `delivery_health`, the last hour's delivery errors as a warning; a
/// failed read of the log is a warning too, never a failed refresh.
async fn delivery_health(aws: &AwsClients, name: &str, state: &Value) -> crate::protocol::Diagnostics {
    let mut diags = crate::protocol::Diagnostics::new();
    let Some(group) = health::wanted(state) else { return diags };
    match health::logged_errors(aws, name, group, &[], health::now_ms() - health::WINDOW_MS).await {
        Ok((errors, more)) => health::warn(name, &errors, more, &mut diags),
        Err(e) => diags.warning("Cannot read the stream's delivery errors", e),
    }
    diags
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
            if Sse::is_customer_managed(&v) {
                if let Some(key) = v.attr("encryption_key_arn").as_str() {
                    if parts::owned_key_arn(aws, name).await.ok().flatten().as_deref() == Some(key) {
                        out.private = Private { created_key_arn: Some(key.to_string()), ..Private::default() }.encode();
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

/// Whether anything the resource made for stream `name` still exists: its
/// roles, log group, key, backup bucket, or its policies on the user's roles.
async fn parts_remain(aws: &AwsClients, ctx: &Ctx, name: &str, state: &Value) -> Result<bool, String> {
    let role = |role: String| async move { Ok::<_, String>(parts::role_state(aws, &role, name).await? == Some(true)) };
    let policy = |role: Option<&str>, policy: String| {
        let role = role.map(|r| role_name(r).to_string());
        async move {
            match role {
                Some(r) => Ok::<_, String>(parts::get_policy(aws, &r, &policy).await?.is_some()),
                None => Ok(false),
            }
        }
    };
    let bucket = names::backup_bucket(name, &ctx.account, &ctx.region);
    let found = tokio::try_join!(
        role(names::destination_role(name)),
        role(names::stream_role(name)),
        async { Ok(parts::log_group_info(aws, &names::log_group(name), name).await?.is_some_and(|g| g.owned)) },
        async { Ok(parts::owned_key_arn(aws, name).await?.is_some()) },
        async {
            let tags = parts::bucket_tags(aws, &bucket).await?;
            Ok(matches!(super::claim::hold_of(tags.as_ref(), name), Hold::Adoptable | Hold::Held))
        },
        policy(derive::dest(state).attr("role_arn").as_str(), names::destination_policy(name)),
        policy(state.attr("role_arn").as_str(), names::stream_policy(name)),
        async {
            match super::alarms::in_use(state) {
                true => Ok(!parts::owned_alarms(aws, &super::alarms::all_names(name), name).await?.is_empty()),
                false => Ok(false),
            }
        },
    )?;
    Ok(found.0 || found.1 || found.2 || found.3 || found.4 || found.5 || found.6 || found.7)
}

async fn clients(env: &Env) -> Result<(&AwsClients, Ctx), String> {
    let aws = env.clients()?;
    let ctx = plan::context(env).await?.ok_or("the provider is not configured")?;
    Ok((aws.as_ref(), ctx))
}

/// The state of stream `name` as AWS has it; None when it does not exist.
/// `prior` supplies what AWS does not record (timeouts, which tags came
/// from the configuration, a stream role used only for SSE).
pub async fn read_state(
    aws: &dyn Reading,
    ctx: &Ctx,
    name: &str,
    prior: Option<&Value>,
) -> Result<Option<Value>, String> {
    // On refresh the prior state names the parts to check, so those reads
    // go out with the describe: one round trip instead of two. Should the
    // description point at other parts, they are read again below.
    let guess = prior.map(|p| Probes::of(p, ctx, name));
    let (desc, early) = tokio::join!(aws.describe(name), async {
        match &guess {
            Some(g) => Some(g.fetch(aws, name).await),
            None => None,
        }
    });
    let Some(desc) = desc? else { return Ok(None) };
    if desc.delivery_stream_status() == &aws_sdk_firehose::types::DeliveryStreamStatus::Deleting {
        return Ok(None);
    }
    let mut v = super::schema::block().null_object();
    v.set_attr("name", Value::string(name));
    v.set_attr("version_id", Value::string(desc.version_id()));
    let dest = desc.destinations().first();
    v.set_attr("destination_id", Value::opt_string(dest.map(|d| d.destination_id().to_string())));

    let source_role = super::sources::read(desc.source(), &mut v, prior);
    let (enc, key) = api::encryption_value(desc.delivery_stream_encryption_configuration());
    v.set_attr("encryption", enc);
    v.set_attr("encryption_key_arn", key);

    let derived_stream_role = ctx.role_arn(&names::stream_role(name));
    let stream_role = match source_role {
        Some(r) if r != derived_stream_role => Value::string(r),
        Some(_) => Value::Null,
        None => prior.map_or(Value::Null, |p| p.attr("role_arn").clone()),
    };
    v.set_attr("role_arn", stream_role);

    let derived_dest_role = ctx.role_arn(&names::destination_role(name));
    let mut block =
        dest.and_then(|d| super::destinations::read(d, name, &derived_dest_role, prior)).unwrap_or(Value::List(vec![]));
    if let Some(p) = prior {
        super::processors::keep_written_spellings(&mut block, p);
    }
    v.set_attr("destination", block);
    restore_given_log_group(aws, &mut v, prior, name).await?;

    // Like timeouts, the alarms block and delivery_health are configuration
    // AWS does not hold; the alarms themselves are checked below.
    for attr in ["timeouts", "alarms", "delivery_health"] {
        v.set_attr(attr, prior.map_or(Value::Null, |p| p.attr(attr).clone()));
    }
    let prior_retention =
        prior.map_or(Value::int(defaults::LOG_RETENTION_DAYS), |p| p.attr("log_retention_days").clone());
    v.set_attr("log_retention_days", prior_retention);
    derive::derive(&mut v, Some(ctx));

    let want = Probes::of(&v, ctx, name);
    let found = match early {
        Some(Ok(found)) if guess.as_ref() == Some(&want) => found,
        _ => want.fetch(aws, name).await?,
    };
    let all_tags = found.tags;
    let group = names::log_group(name);
    let tags_all: BTreeMap<String, String> = all_tags.into_iter().filter(|(k, _)| !names::is_internal_tag(k)).collect();
    let prior_tags = prior.and_then(|p| p.attr("tags").entries());
    let tags: BTreeMap<String, Value> = tags_all
        .iter()
        .filter(|(k, val)| prior_tags.is_some_and(|t| t.contains_key(*k)) || ctx.default_tags.get(*k) != Some(*val))
        .map(|(k, val)| (k.clone(), Value::string(val.clone())))
        .collect();
    let tags_value =
        if tags.is_empty() && prior.is_none_or(|p| p.attr("tags").is_null()) { Value::Null } else { Value::Map(tags) };
    v.set_attr("tags", tags_value);
    v.set_attr("tags_all", Value::Map(tags_all.into_iter().map(|(k, val)| (k, Value::string(val))).collect()));

    // Retention is ours to set only on the log group we create (None: the
    // stream does not log to it, so it was not read).
    match found.retention {
        Some(Retention::Days(d)) => v.set_attr("log_retention_days", Value::int(d as i64)),
        // Never expiring is not a value we set: planning shows the change back.
        Some(Retention::Forever) => v.set_attr("log_retention_days", Value::int(defaults::LOG_RETENTION_DAYS)),
        // Our log group is gone: the plan shows it and apply re-creates it.
        Some(Retention::Gone) if v.attr("log_group_name").as_str() == Some(group.as_str()) => {
            v.set_attr("log_group_name", Value::Null)
        }
        Some(Retention::Gone) | None => {}
    }
    for (policy, role_attr, policy_attr) in [
        (found.destination_policy, "destination_role_arn", "destination_role_policy_json"),
        (found.stream_policy, "stream_role_arn", "stream_role_policy_json"),
    ] {
        match drift(&v, policy_attr, policy) {
            PolicyDrift::None => {}
            PolicyDrift::RoleGone => {
                v.set_attr(role_attr, Value::Null);
                v.set_attr(policy_attr, Value::Null);
            }
            PolicyDrift::PolicyGone => v.set_attr(policy_attr, Value::Null),
            PolicyDrift::Changed(doc) => v.set_attr(policy_attr, Value::string(doc)),
        }
    }
    // An alarm deleted or changed outside Terraform drops out of
    // `alarm_arns`, so the plan shows it and apply puts it back.
    if let Some(arns) = v.attr("alarm_arns").entries().cloned() {
        let in_place: BTreeMap<String, Value> = arns
            .into_iter()
            .filter(|(key, _)| {
                want.alarms
                    .iter()
                    .any(|a| a.key == key && found.alarms.get(&a.name).is_some_and(|f| parts::matches(f, a)))
            })
            .collect();
        v.set_attr("alarm_arns", Value::Map(in_place));
    }
    if !found.bucket_exists {
        if let Some(b) = derive::backup_mut(&mut v) {
            b.set_attr("bucket_arn", Value::Null);
        }
    }
    Ok(Some(v))
}

/// A log group the user named exactly as the resource would name its own
/// reads back as "not given"; the prior state (or, on import, the absence of
/// our ownership tag) tells that it was given after all.
async fn restore_given_log_group(
    aws: &dyn Reading,
    v: &mut Value,
    prior: Option<&Value>,
    name: &str,
) -> Result<(), String> {
    let group = names::log_group(name);
    let defaulted = |b: Option<&Value>| {
        b.is_some_and(|b| b.attr("logging").as_bool() == Some(true) && b.attr("log_group_name").is_null())
    };
    let given_before = |b: Option<&Value>| b.is_some_and(|b| b.attr("log_group_name").as_str() == Some(group.as_str()));
    let (dest, backup) = (defaulted(Some(derive::dest(v))), defaulted(derive::backup(v)));
    if !dest && !backup {
        return Ok(());
    }
    let (dest_given, backup_given) = match prior {
        Some(p) => (given_before(Some(derive::dest(p))), given_before(derive::backup(p))),
        None => {
            let ours = aws.log_group_info(&group, name).await?.is_some_and(|g| g.owned);
            (!ours, !ours)
        }
    };
    if dest && dest_given {
        if let Some(s3) = derive::dest_mut(v) {
            s3.set_attr("log_group_name", Value::string(group.clone()));
        }
    }
    if backup && backup_given {
        if let Some(b) = derive::backup_mut(v) {
            b.set_attr("log_group_name", Value::string(group));
        }
    }
    Ok(())
}

enum PolicyDrift {
    None,
    RoleGone,
    PolicyGone,
    Changed(String),
}

/// The reads that check a stream's parts for drift, as a value: worked out
/// from the prior state before the describe, and from the description after.
#[derive(PartialEq)]
struct Probes {
    /// Our log group, when the stream logs to it.
    log_group: Option<String>,
    destination_policy: Option<PolicyProbe>,
    stream_policy: Option<PolicyProbe>,
    /// The backup bucket the resource created.
    bucket: Option<String>,
    alarms: Vec<AlarmSpec>,
}

#[derive(PartialEq)]
struct PolicyProbe {
    role: String,
    policy: String,
    role_is_ours: bool,
}

struct Found {
    tags: BTreeMap<String, String>,
    /// Our log group's retention, when the stream logs to it.
    retention: Option<Retention>,
    destination_policy: Option<PolicyFound>,
    stream_policy: Option<PolicyFound>,
    bucket_exists: bool,
    alarms: BTreeMap<String, aws_sdk_cloudwatch::types::MetricAlarm>,
}

enum PolicyFound {
    Document(String),
    /// The role itself is looked up only when the policy is missing.
    Missing {
        role_gone: bool,
    },
}

impl Probes {
    fn of(v: &Value, ctx: &Ctx, name: &str) -> Probes {
        let uses_own_group = [Some(derive::dest(v)), derive::backup(v)]
            .into_iter()
            .flatten()
            .any(|s| s.attr("logging").as_bool() == Some(true) && s.attr("log_group_name").is_null());
        let derived_bucket = ctx.bucket_arn(&names::backup_bucket(name, &ctx.account, &ctx.region));
        let backup_bucket = derive::backup(v).and_then(|b| b.attr("bucket_arn").as_str());
        let policy = |role_attr: &str, policy_attr: &str, policy: String, role_is_ours: bool| match (
            v.attr(role_attr).as_str(),
            v.attr(policy_attr).as_str(),
        ) {
            (Some(role_arn), Some(_)) => {
                Some(PolicyProbe { role: role_name(role_arn).to_string(), policy, role_is_ours })
            }
            _ => None,
        };
        Probes {
            log_group: uses_own_group.then(|| names::log_group(name)),
            destination_policy: policy(
                "destination_role_arn",
                "destination_role_policy_json",
                names::destination_policy(name),
                derive::dest(v).attr("role_arn").is_null(),
            ),
            stream_policy: policy(
                "stream_role_arn",
                "stream_role_policy_json",
                names::stream_policy(name),
                v.attr("role_arn").is_null(),
            ),
            bucket: (backup_bucket == Some(derived_bucket.as_str()))
                .then(|| parts::bucket_name(&derived_bucket).to_string()),
            alarms: super::alarms::desired(v, ctx),
        }
    }

    /// Only the calls this stream's parts need: refresh cost matters at scale.
    async fn fetch(&self, aws: &dyn Reading, name: &str) -> Result<Found, String> {
        let alarm_names: Vec<String> = self.alarms.iter().map(|a| a.name.clone()).collect();
        let (tags, retention, destination_policy, stream_policy, bucket_exists, alarms) = tokio::try_join!(
            aws.stream_tags(name),
            async {
                match &self.log_group {
                    Some(g) => aws.log_group_retention(g).await.map(Some),
                    None => Ok(None),
                }
            },
            fetch_policy(aws, self.destination_policy.as_ref()),
            fetch_policy(aws, self.stream_policy.as_ref()),
            async {
                match &self.bucket {
                    Some(b) => aws.bucket_exists(b).await,
                    None => Ok(true),
                }
            },
            aws.describe_alarms(&alarm_names),
        )?;
        Ok(Found { tags, retention, destination_policy, stream_policy, bucket_exists, alarms })
    }
}

async fn fetch_policy(aws: &dyn Reading, probe: Option<&PolicyProbe>) -> Result<Option<PolicyFound>, String> {
    let Some(p) = probe else { return Ok(None) };
    Ok(Some(match aws.get_policy(&p.role, &p.policy).await? {
        Some(doc) => PolicyFound::Document(doc),
        None => PolicyFound::Missing { role_gone: p.role_is_ours && !aws.role_exists(&p.role).await? },
    }))
}

/// How the inline policy on a role differs from what the state says it grants.
fn drift(v: &Value, policy_attr: &str, found: Option<PolicyFound>) -> PolicyDrift {
    let (Some(expected), Some(found)) = (v.attr(policy_attr).as_str(), found) else { return PolicyDrift::None };
    match found {
        PolicyFound::Document(actual) if policies::same_document(expected, &actual) => PolicyDrift::None,
        PolicyFound::Document(actual) => PolicyDrift::Changed(actual),
        PolicyFound::Missing { role_gone: true } => PolicyDrift::RoleGone,
        PolicyFound::Missing { role_gone: false } => PolicyDrift::PolicyGone,
    }
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
