//! Taking parts away: after an update, the parts the new configuration no
//! longer uses; on destroy, the stream and then every part the resource
//! made, each only if it carries the ownership tag (see `claim`).

use crate::framework::Outcome;
use crate::protocol::Value;
use crate::provider::Env;

use super::derive;
use super::kind::Ctx;
use super::model::{role_name, Spec};
use super::private::Private;
use super::removal::Removal;
use super::timeouts::bounded;
use super::{alarms, names, parts, stream, timeouts};

/// After an update: parts the prior configuration used and this one does not.
pub async fn remove_unused(aws: &dyn Removal, ctx: &Ctx, spec: &Spec, prior: &Value) -> Result<(), String> {
    let name = spec.name.as_str();
    let open = parts::Gate::open();
    let prior_s3 = derive::dest(prior);
    // Destination role: ours replaced by the user's, or one user role by another.
    let prior_dest_given = prior_s3.attr("role_arn").as_str();
    if prior_dest_given.is_none() && !spec.owns_destination_role() {
        aws.delete_owned_role(&names::destination_role(name), name, &open).await?;
    }
    if let Some(old) = prior_dest_given.filter(|r| Some(*r) != spec.destination_role_given.as_deref()) {
        aws.delete_policy(role_name(old), &names::destination_policy(name)).await?;
    }
    // Stream role: no longer needed, or now the user's.
    if !spec.owns_stream_role() {
        aws.delete_owned_role(&names::stream_role(name), name, &open).await?;
    }
    if let Some(old) = prior.attr("role_arn").as_str() {
        if spec.stream_role_arn.as_deref() != Some(old) {
            aws.delete_policy(role_name(old), &names::stream_policy(name)).await?;
        }
    }
    if spec.owned_log_group().is_none() {
        aws.delete_owned_log_group(&names::log_group(name), name, &open).await?;
    }
    if !spec.creates_key() && super::enums::Sse::is_customer_managed(prior) {
        aws.retire_owned_key(name, None, true, &open).await?;
    }
    if super::alarms::in_use(prior) {
        let keep: Vec<&str> = spec.alarms.iter().map(|a| a.name.as_str()).collect();
        let unused: Vec<String> = alarms::all_names(name).into_iter().filter(|n| !keep.contains(&n.as_str())).collect();
        aws.delete_owned_alarms(&unused, name, &open).await?;
    }
    if !spec.backup_bucket_created {
        let bucket = names::backup_bucket(name, &ctx.account, &ctx.region);
        if let Some(w) = aws.delete_owned_bucket(&bucket, name, &open).await? {
            crate::warn!("{w}");
        }
    }
    Ok(())
}

pub async fn delete(env: &Env, aws: &dyn Removal, ctx: &Ctx, prior: &Value, private: Private) -> Outcome {
    let mut out = Outcome::default();
    let Some(name) = prior.attr("name").as_str() else { return out };
    let limit = timeouts::get(prior.attr("timeouts"), "delete", timeouts::DEFAULT_DELETE);
    let work = async {
        // The parts go only once the stream is gone: while it is DELETING
        // Firehose may still deliver what it buffered, with its role, to
        // its buckets. What they need to know first (are they ours, what
        // hangs off them) is read meanwhile, behind the gate.
        let (gone, gate) = parts::Gate::closed();
        // Each on the heap: seven SDK call chains side by side make a
        // future too large to build on a worker's stack in a debug build.
        let stream = Box::pin(async {
            stream::delete(aws, name).await?;
            let _ = gone.send(true);
            Ok::<_, String>(())
        });
        let s3 = derive::dest(prior);
        let dest_roles = Box::pin(async {
            aws.delete_owned_role(&names::destination_role(name), name, &gate).await?;
            match s3.attr("role_arn").as_str() {
                Some(user) => {
                    gate.passed().await?;
                    aws.delete_policy(role_name(user), &names::destination_policy(name)).await
                }
                None => Ok(()),
            }
        });
        let stream_roles = Box::pin(async {
            aws.delete_owned_role(&names::stream_role(name), name, &gate).await?;
            match prior.attr("role_arn").as_str() {
                Some(user) => {
                    gate.passed().await?;
                    aws.delete_policy(role_name(user), &names::stream_policy(name)).await
                }
                None => Ok(()),
            }
        });
        let logs = Box::pin(async {
            aws.delete_owned_log_group(&names::log_group(name), name, &gate).await?;
            // Log streams we made in the user's groups go too; the groups,
            // and the streams the user made, stay.
            if !private.created_log_streams.is_empty() {
                gate.passed().await?;
            }
            for (g, s) in &private.created_log_streams {
                aws.delete_log_streams(g, std::slice::from_ref(s)).await?;
            }
            Ok::<_, String>(())
        });
        // A key the resource created may have a stray twin (see parts::owned_keys).
        let sweep = private.created_key_arn.is_some() || super::enums::Sse::is_customer_managed(prior);
        let key = Box::pin(aws.retire_owned_key(name, private.created_key_arn.as_deref(), sweep, &gate));
        let backup_bucket = names::backup_bucket(name, &ctx.account, &ctx.region);
        let bucket = Box::pin(aws.delete_owned_bucket(&backup_bucket, name, &gate));
        let alarms = Box::pin(async {
            match alarms::in_use(prior) {
                true => aws.delete_owned_alarms(&alarms::all_names(name), name, &gate).await,
                false => Ok(()),
            }
        });
        let (_, _, _, _, _, warning, _) =
            tokio::try_join!(stream, dest_roles, stream_roles, logs, key, bucket, alarms)?;
        Ok::<_, String>(warning)
    };
    match bounded(env, limit, "delete", name, work).await {
        Ok(warning) => {
            if let Some(w) = warning {
                out.diags.warning("Backup bucket kept", w);
            }
            out.state = Value::Null;
        }
        Err(e) => {
            out.diags.error(format!("Failed to delete delivery stream {name}"), e);
            out.state = prior.clone();
            out.private = private.encode();
        }
    }
    out
}

#[cfg(test)]
#[path = "teardown_tests.rs"]
mod tests;
