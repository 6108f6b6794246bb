//! ApplyResourceChange: create, update and delete as one reconciliation.
//! Independent parts are ensured concurrently, then policies, then the
//! stream; parts no longer needed are removed last. Every step is
//! idempotent, so a failed or interrupted apply is resumed by the next one,
//! and the state returned after a failure records every part that exists.

use aws_sdk_firehose::types as fh;

use crate::framework::{ApplyRequest, Outcome};
use crate::protocol::{Diagnostics, Value};
use crate::provider::Env;

use super::building::Building;
use super::derive;
use super::enums::Sse;
use super::kind::Ctx;
use super::model::{self, role_name, Encryption, Spec};
use super::private::Private;
use super::timeouts::bounded;
use super::{api, claim, names, parts, plan, policies, preflight, read, stream, teardown, validate};

pub async fn apply(env: &Env, req: ApplyRequest<'_>) -> Outcome {
    let mut private = Private::decode(req.private);
    private.replaces = None;
    let aws = match env.clients() {
        Ok(a) => a.clone(),
        Err(e) => return failed(req.prior, req.private, "Cannot apply the delivery stream", e),
    };
    let ctx = match plan::context(env).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return failed(
                req.prior,
                req.private,
                "Cannot apply the delivery stream",
                "the provider is not configured".into(),
            )
        }
        Err(e) => return failed(req.prior, req.private, "Cannot apply the delivery stream", e),
    };
    if req.planned.is_null() {
        return teardown::delete(env, aws.as_ref(), &ctx, req.prior, private).await;
    }
    // Unknown values at plan time are known now: check them.
    let diags = validate::validate(req.config);
    if diags.has_errors() {
        return Outcome { state: req.prior.clone(), private: req.private.to_vec(), diags };
    }
    let spec = match model::spec(req.planned, req.config, &ctx) {
        Ok(s) => s,
        Err(e) => return failed(req.prior, req.private, "Invalid planned state", e),
    };
    let creating = req.prior.is_null();
    let (limit, verb) = if creating { (spec.create_timeout, "create") } else { (spec.update_timeout, "update") };
    // References another resource of this apply made: unknown at plan,
    // checked now, before anything is written.
    let late = preflight::refs_known_only_at_apply(req.planned, req.config);
    let mut checked = Diagnostics::new();
    preflight::check(&aws, &ctx, &late, &mut checked).await;
    if checked.has_errors() {
        return Outcome { state: req.prior.clone(), private: req.private.to_vec(), diags: checked };
    }
    if creating {
        // Before anything is written: the names must be free, or hold only
        // what an interrupted apply of this resource left.
        match bounded(env, limit, verb, &spec.name, async {
            claim::survey(&aws, &ctx, &spec).await.map_err(|e| needed_for(e, why::SURVEY))
        })
        .await
        {
            Ok(survey) => {
                if let Some(part) = survey.refused() {
                    let (summary, detail) = claim::refusal(part, &ctx, &spec.name);
                    let mut diags = Diagnostics::new();
                    diags.error(summary, detail);
                    return Outcome { state: Value::Null, private: Vec::new(), diags };
                }
            }
            Err(e) => {
                return failed(req.prior, req.private, &format!("Failed to create delivery stream {}", spec.name), e)
            }
        }
    }
    let progress = std::sync::Mutex::new(private);
    let prior = (!creating).then_some(req.prior);
    let work = reconcile(aws.as_ref(), &ctx, &spec, req.planned, prior, &progress);
    let result = bounded(env, limit, verb, &spec.name, work).await;
    let private = progress.into_inner().unwrap_or_default();
    let created_key = private.created_key_arn.clone();

    let mut out = Outcome { private: private.encode(), diags: checked, ..Outcome::default() };
    if let Err(e) = &result {
        out.diags.error(format!("Failed to {verb} delivery stream {}", spec.name), e.clone());
    }
    // The state is what exists now, whatever happened above.
    match read::read_state(aws.as_ref(), &ctx, &spec.name, Some(req.planned)).await {
        Ok(Some(mut v)) => {
            if result.is_ok() {
                carry_config_values(&mut v, req.planned);
            }
            out.state = v;
        }
        Ok(None) if creating => out.state = partial_state(req.planned),
        Ok(None) => out.state = req.prior.clone(),
        Err(e) => {
            out.diags.error("Cannot read the delivery stream after apply", e);
            out.state = if creating { partial_state(req.planned) } else { req.prior.clone() };
        }
    }
    // Last, so that a run stopped at any earlier call leaves the stream
    // marked and the next apply adopts it.
    if creating && result.is_ok() && !out.diags.has_errors() {
        if let Err(e) = claim::release(&aws, &ctx, &spec, created_key.as_deref()).await {
            out.diags.warning(
                format!("Delivery stream {} was created but not yet marked complete", spec.name),
                format!("{e}\n\nThe next apply of this configuration finishes it."),
            );
        }
    }
    out
}

/// Values AWS does not report back keep what was planned, so the new state
/// matches the plan exactly.
fn carry_config_values(v: &mut Value, planned: &Value) {
    for a in ["timeouts", "tags"] {
        v.set_attr(a, planned.attr(a).clone());
    }
}

/// The planned state with what only apply could know left null: enough for
/// Terraform to record the resource (tainted) so destroy can find its parts
/// by their derived names.
fn partial_state(planned: &Value) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Unknown(_) => Value::Null,
            Value::List(items) => Value::List(items.iter().map(strip).collect()),
            Value::Set(items) => Value::Set(items.iter().map(strip).collect()),
            Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), strip(v))).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), strip(v))).collect()),
            other => other.clone(),
        }
    }
    strip(planned)
}

fn failed(prior: &Value, private: &[u8], summary: &str, detail: String) -> Outcome {
    let mut diags = Diagnostics::new();
    diags.error(summary, detail);
    Outcome { state: prior.clone(), private: private.to_vec(), diags }
}

fn log_streams_for(spec: &Spec, group: &str) -> Vec<&'static str> {
    let mut v = Vec::new();
    if spec.dest_log_group.as_deref() == Some(group) {
        v.push(spec.dest_log_stream);
    }
    if spec.backup.as_ref().is_some_and(|b| b.log_group.as_deref() == Some(group)) {
        v.push(names::BACKUP_LOG_STREAM);
    }
    v
}

async fn reconcile(
    aws: &dyn Building,
    ctx: &Ctx,
    spec: &Spec,
    planned: &Value,
    prior: Option<&Value>,
    progress: &std::sync::Mutex<Private>,
) -> Result<(), String> {
    let name = spec.name.as_str();
    let trust = policies::trust_policy(&ctx.account).to_string();
    // A create marks what it makes until it has finished (see `claim`).
    let tags = if prior.is_none() { claim::creating_tags(&spec.tags) } else { spec.tags.clone() };
    let tags = &tags;

    // 1. Independent parts, concurrently.
    let key = async {
        if !spec.creates_key() {
            return Ok(None);
        }
        let arn = aws.ensure_key(name, tags).await.map_err(|e| needed_for(e, why::KEY))?;
        if let Ok(mut p) = progress.lock() {
            p.created_key_arn = Some(arn.clone());
        }
        if prior.is_some() {
            aws.retag_key(&arn, &spec.tags).await?;
        }
        Ok::<_, String>(Some(arn))
    };
    let logs = async {
        if let Some(g) = spec.owned_log_group() {
            aws.ensure_log_group(&g, spec.log_retention_days, tags, name)
                .await
                .map_err(|e| needed_for(e, why::LOG_GROUP))?;
        }
        let own_group = spec.owned_log_group();
        let mut groups: Vec<&str> =
            [spec.dest_log_group.as_deref(), spec.backup.as_ref().and_then(|b| b.log_group.as_deref())]
                .into_iter()
                .flatten()
                .collect();
        groups.dedup();
        for g in groups {
            let made = aws
                .ensure_log_streams(g, &log_streams_for(spec, g))
                .await
                .map_err(|e| needed_for(e, why::LOG_STREAMS))?;
            if own_group.as_deref() != Some(g) {
                if let Ok(mut p) = progress.lock() {
                    p.created_log_streams.extend(made.into_iter().map(|s| (g.to_string(), s.to_string())));
                }
            }
        }
        Ok::<_, String>(())
    };
    let bucket = async {
        match &spec.backup {
            Some(b) if spec.backup_bucket_created => aws
                .ensure_bucket(parts::bucket_name(&b.bucket_arn), tags, name)
                .await
                .map_err(|e| needed_for(e, why::BUCKET)),
            _ => Ok(()),
        }
    };
    let dest_role = async {
        if spec.owns_destination_role() {
            aws.ensure_role(role_name(&spec.destination_role_arn), &trust, tags, name)
                .await
                .map_err(|e| needed_for(e, why::DESTINATION_ROLE))?;
        }
        Ok::<_, String>(())
    };
    let stream_role = async {
        match &spec.stream_role_arn {
            Some(arn) if spec.owns_stream_role() => aws
                .ensure_role(role_name(arn), &trust, tags, name)
                .await
                .map(drop)
                .map_err(|e| needed_for(e, why::STREAM_ROLE)),
            _ => Ok(()),
        }
    };
    // Alarms watch metrics by stream name: they need nothing else to exist.
    let alarms = async { aws.ensure_alarms(&spec.alarms, tags, name).await.map_err(|e| needed_for(e, why::ALARMS)) };

    // 2. Policies, as soon as the roles and a created key exist: IAM
    // propagation, the longest wait of a create, starts with them, so they
    // do not wait for the log group or the bucket (which they name by ARN).
    let roles_and_policies = async {
        let (key, ..) = tokio::try_join!(Box::pin(key), Box::pin(dest_role), Box::pin(stream_role))?;
        let mut resolved = planned.clone();
        if let Some(k) = &key {
            resolved.set_attr("encryption_key_arn", Value::string(k.clone()));
        }
        derive::derive(&mut resolved, Some(ctx));
        let dest_doc = resolved
            .attr("destination_role_policy_json")
            .as_str()
            .ok_or("destination policy could not be derived")?
            .to_string();
        let stream_doc = resolved.attr("stream_role_policy_json").as_str().map(str::to_string);
        let dest_policy = async {
            aws.put_policy(role_name(&spec.destination_role_arn), &names::destination_policy(name), &dest_doc).await
        };
        let stream_policy = async {
            match (&spec.stream_role_arn, &stream_doc) {
                (Some(role), Some(doc)) => aws.put_policy(role_name(role), &names::stream_policy(name), doc).await,
                _ => Ok(()),
            }
        };
        tokio::try_join!(dest_policy, stream_policy).map_err(|e| needed_for(e, why::POLICIES))?;
        Ok::<_, String>(key)
    };
    // Boxed: side by side, these SDK call chains make a future too large
    // for a worker's stack in a debug build.
    let (key, ..) = tokio::try_join!(Box::pin(roles_and_policies), Box::pin(logs), Box::pin(bucket), Box::pin(alarms))?;

    // 3. The stream.
    let sse_key = match (&spec.encryption, &key) {
        (Encryption::CustomerManaged { given: Some(k) }, _) => Some(k.clone()),
        (Encryption::CustomerManaged { given: None }, Some(k)) => Some(k.clone()),
        _ => None,
    };
    let (kind, _) = super::destinations::of(planned).ok_or("the plan has no destination")?;
    let destination = super::kind::Bound {
        stream: name,
        role_arn: &spec.destination_role_arn,
        block: &spec.dest_block,
        config: &spec.dest_config,
        backup: spec.backup.as_ref(),
    };
    // On create, CreateDeliveryStream itself says whether the name is taken
    // (a stream an interrupted apply made, as the survey found): adopt it if
    // it is still marked, then bring it to the plan. On update, a stream
    // deleted since the refresh is made again.
    let exists = match prior {
        None => false,
        Some(_) => aws.describe(name).await?.is_some(),
    };
    let created = !exists
        && aws
            .create_stream(create_request(spec, planned, tags, kind.create(&destination)?, sse_key.as_deref())?)
            .await
            .map_err(|e| needed_for(e, why::STREAM))?;
    let created_at = created.then(std::time::Instant::now);
    let adopted = prior.is_none() && !created;
    if adopted && claim::hold_of(Some(&aws.stream_tags(name).await?), name) != claim::Hold::Adoptable {
        // Made by someone else between the survey and now.
        return Err(format!(
            "a delivery stream named {name:?} was created by another apply while this one ran; \
             import it, or choose another name"
        ));
    }
    let desc = stream::wait_active(aws, name, created_at).await?;
    if adopted || destination_changed(planned, prior) {
        let dest_id = desc
            .destinations()
            .first()
            .map(|d| d.destination_id().to_string())
            .ok_or("the stream has no destination")?;
        aws.update_destination(name, desc.version_id(), &dest_id, kind.update(&destination)?).await?;
        stream::wait_active(aws, name, None).await?;
    }
    converge_encryption(aws, name, spec, sse_key.as_deref(), &desc).await?;
    // A stream made just now got its tags from CreateDeliveryStream.
    if !created {
        let current_tags = aws.stream_tags(name).await?;
        aws.sync_stream_tags(name, &current_tags, tags).await?;
    }

    // 4. Parts the new configuration no longer uses, now that the stream
    // has let go of them.
    if let Some(prior) = prior {
        teardown::remove_unused(aws, ctx, spec, prior).await?;
    }
    Ok(())
}

/// A denial, with the setting that made the call necessary.
fn needed_for(e: String, why: &str) -> String {
    if crate::aws::is_denial(&e) {
        format!("{e}; {why}")
    } else {
        e
    }
}

/// Why the resource makes each kind of call (docs/guides/permissions.md).
mod why {
    pub const SURVEY: &str =
        "before creating anything the resource checks that the names it will use are free (see docs/resources/delivery_stream.md)";
    pub const DESTINATION_ROLE: &str =
        "the resource creates the destination role because `destination.s3_bucket.role_arn` is not set";
    pub const STREAM_ROLE: &str = "the resource creates the stream role because `role_arn` is not set and a Kinesis \
        source or a customer-managed SSE key needs one";
    pub const LOG_GROUP: &str =
        "the resource creates its log group because logging is on and `log_group_name` is not set";
    pub const LOG_STREAMS: &str = "the resource creates the log streams Firehose writes delivery errors to";
    pub const KEY: &str = "the resource creates a KMS key because `encryption = \"CUSTOMER_MANAGED\"` and \
        `encryption_key_arn` is not set";
    pub const BUCKET: &str = "the resource creates the backup bucket because `s3_backup` is set without `bucket_arn`";
    pub const ALARMS: &str = "the resource creates the CloudWatch alarms of the `alarms` block";
    pub const POLICIES: &str = "the resource grants its roles least-privilege inline policies";
    pub const STREAM: &str = "creating the delivery stream passes its roles to Firehose";
}

fn create_request(
    spec: &Spec,
    planned: &Value,
    tags: &parts::Tags,
    destination: super::kind::CreateFn,
    sse_key: Option<&str>,
) -> Result<stream::CreateRequest, String> {
    let source = match (super::sources::of(planned), &spec.stream_role_arn) {
        (Some(s), Some(role)) => s.to_api(planned, role)?,
        // Direct puts read nothing, so they need no role.
        (Some(s), None) if s.takes_puts() => s.to_api(planned, "")?,
        (Some(s), None) => return Err(format!("reading {} needs a stream role", s.what())),
        (None, _) => None,
    };
    Ok(stream::CreateRequest {
        name: spec.name.clone(),
        destination,
        source,
        encryption: encryption_input(&spec.encryption, sse_key)?,
        tags: api::tags(tags)?,
    })
}

fn encryption_input(
    enc: &Encryption,
    key: Option<&str>,
) -> Result<Option<fh::DeliveryStreamEncryptionConfigurationInput>, String> {
    let b = fh::DeliveryStreamEncryptionConfigurationInput::builder();
    Ok(match enc {
        Encryption::Unencrypted => None,
        Encryption::AwsOwned => Some(b.key_type(fh::KeyType::AwsOwnedCmk).build().map_err(|e| e.to_string())?),
        Encryption::CustomerManaged { .. } => Some(
            b.key_type(fh::KeyType::CustomerManagedCmk)
                .set_key_arn(key.map(str::to_string))
                .build()
                .map_err(|e| e.to_string())?,
        ),
    })
}

fn destination_changed(planned: &Value, prior: Option<&Value>) -> bool {
    prior.is_some_and(|prior| plan::destination_changes(planned, prior))
}

async fn converge_encryption(
    aws: &dyn Building,
    name: &str,
    spec: &Spec,
    key: Option<&str>,
    desc: &fh::DeliveryStreamDescription,
) -> Result<(), String> {
    let (cur, cur_key) = api::encryption_value(desc.delivery_stream_encryption_configuration());
    let want = match spec.encryption {
        Encryption::Unencrypted => Sse::Unencrypted.hcl(),
        Encryption::AwsOwned => Sse::AwsOwned.hcl(),
        Encryption::CustomerManaged { .. } => Sse::CustomerManaged.hcl(),
    };
    if cur.as_str() == Some(want) && cur_key.as_str() == key {
        return Ok(());
    }
    match encryption_input(&spec.encryption, key)? {
        None => aws.stop_encryption(name).await?,
        Some(input) => aws.start_encryption(name, input).await?,
    }
    stream::wait_active(aws, name, None).await.map(drop)
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "wire_tests.rs"]
mod wire_tests;
