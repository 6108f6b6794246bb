//! PlanResourceChange: defaults, derived names and documents, replacement
//! triggers. Values that cannot be known before apply are planned unknown;
//! everything else is known, so the plan shows what apply will do.

use crate::framework::{PlanRequest, Planned};
use crate::protocol::{AttrPath, Diagnostics, Value};
use crate::provider::Env;

use super::derive;
use super::enums::Sse;
use super::kind::Ctx;
use super::private::Private;
use super::validate;

/// The AWS context for derivations; None while the provider is unconfigured.
pub async fn context(env: &Env) -> Result<Option<Ctx>, String> {
    let Some(aws) = env.clients.as_ref() else { return Ok(None) };
    let account = aws.account_id().await?;
    Ok(Some(Ctx {
        partition: aws.partition.to_string(),
        region: aws.region.clone(),
        account,
        default_tags: aws.default_tags.clone(),
    }))
}

pub async fn plan(env: &Env, req: PlanRequest<'_>) -> Planned {
    let mut out = Planned::default();
    if req.proposed.is_null() {
        // Destroy: nothing to plan beyond the null state.
        out.private = req.prior_private.to_vec();
        return out;
    }
    // Values that were unknown during validation may be known now.
    out.diags = validate::validate(req.config);
    if out.diags.has_errors() {
        return out;
    }
    let ctx = match context(env).await {
        Ok(c) => c,
        Err(e) => {
            out.diags.error("Cannot plan the delivery stream", e);
            return out;
        }
    };
    let prior = (!req.prior.is_null()).then_some(req.prior);
    let mut private = Private::decode(req.prior_private);
    let (state, replace) = planned_state(req.config, prior, &private, ctx.as_ref(), &mut out.diags);
    // A new name (a create, or a replacement under another name) must be
    // free, unless it is the name of the stream this plan replaces.
    let replaced = private.replaces.take();
    let new_name = prior.is_none_or(|p| p.attr("name") != state.attr("name"));
    // Both read AWS, side by side: each is a round trip a plan waits for.
    let (mut claim_diags, mut ref_diags) = (Diagnostics::new(), Diagnostics::new());
    let claim = async {
        if new_name && replaced.as_deref() != state.attr("name").as_str() {
            check_create(env, req.config, &state, ctx.as_ref(), &mut claim_diags).await;
        }
    };
    // What the configuration references, read when it is new. The second
    // plan of a replacement (no prior, `replaced` set) checked it already.
    let refs = async {
        if let (Some(ctx), Ok(aws), None) = (ctx.as_ref(), env.clients(), &replaced) {
            let refs = super::preflight::new_refs(req.config, prior);
            super::preflight::check(aws, ctx, &refs, &mut ref_diags).await;
        }
    };
    tokio::join!(claim, refs);
    out.diags.extend(claim_diags);
    out.diags.extend(ref_diags);
    if let Some(prior) = prior.filter(|_| !replace.is_empty()) {
        private.replaces = prior.attr("name").as_str().map(str::to_string);
    }
    out.state = state;
    out.requires_replace = replace;
    out.private = private.encode();
    out
}

/// A create is refused at plan time when its name is taken by a stream that
/// a completed apply made; and a generated name is said to be one.
async fn check_create(env: &Env, config: &Value, planned: &Value, ctx: Option<&Ctx>, diags: &mut Diagnostics) {
    let Some(name) = planned.attr("name").as_str() else { return };
    if config.attr("name").is_null() {
        diags.warning_at(
            AttrPath::attr("name"),
            "An interrupted create of this stream cannot be resumed",
            format!(
                "`name` is not set, so this plan chose {name:?}, and the stream's roles, log group, key and bucket \
                 are named after it. A new plan chooses a new name: should this apply be killed before it \
                 finishes, the next apply starts over under another name and what was already made stays behind \
                 (it carries the tag {}={name}). Set `name` to make an interrupted create resumable.",
                super::names::OWNER_TAG
            ),
        );
    }
    if let (Some(ctx), Ok(aws)) = (ctx, env.clients()) {
        super::claim::check_plan(aws, ctx, name, diags).await;
    }
}

/// The planned object for `config`, given the prior state (None on create).
pub fn planned_state(
    config: &Value,
    prior: Option<&Value>,
    private: &Private,
    ctx: Option<&Ctx>,
    diags: &mut Diagnostics,
) -> (Value, Vec<AttrPath>) {
    let mut p = config.clone();
    apply_defaults(&mut p);
    // Write-only values (secrets) are in the configuration only: never in
    // the plan, and no part of deciding what changed.
    crate::framework::walk::null_write_only(super::schema::block(), &mut p);

    // Name: the user's, else the one already chosen, else a new one.
    if p.attr("name").is_null() {
        let name = prior.and_then(|s| s.attr("name").as_str().map(str::to_string)).unwrap_or_else(generate_name);
        p.set_attr("name", Value::string(name));
    }

    // What the schema declares requires-replace, then what AWS cannot change
    // in place across attributes.
    let mut replace = match prior {
        Some(prior) => crate::framework::walk::requires_replace(super::schema::block(), prior, &p, &AttrPath::root()),
        None => Vec::new(),
    };
    // Firehose cannot change where a stream reads from.
    if let Some(prior) = prior {
        replace.extend(super::sources::requires_replace(prior, &p));
    }
    if let (Some(prior), true) = (prior, config.attr("destination").is_known()) {
        if let (Some((pk, pb)), Some((k, b))) = (super::destinations::of(prior), super::destinations::of(&p)) {
            let at = super::destinations::path(k);
            if pk.name() != k.name() {
                // Firehose cannot change a stream's destination kind.
                replace.push(AttrPath::attr("destination"));
            } else {
                // AWS can enable S3 backup on an existing stream but never disable it.
                if !pb.attr("s3_backup").elements().is_empty() && b.attr("s3_backup").elements().is_empty() {
                    replace.push(at.at("s3_backup"));
                }
                replace.extend(k.requires_replace(pb, b, &at));
            }
        }
    }
    let replacing = !replace.is_empty();

    plan_encryption(&mut p, config, prior.filter(|_| !replacing), private);
    derive::derive(&mut p, ctx);

    if let Some(ctx) = ctx {
        let tags = p.attr("tags_all").entries().map_or(0, |m| m.len());
        // The ownership tag and, while a create runs, the adoptable marker
        // count toward AWS's limit of 50 as well.
        let internal = 2;
        if tags + internal > super::rules::MAX_TAGS {
            diags.error_at(
                AttrPath::attr("tags"),
                "Too many tags",
                format!(
                    "a delivery stream may carry at most {} tags; with the provider's default_tags ({}) and its two own tags (ownership, and the marker a create carries until it finishes) this stream would carry {}",
                    super::rules::MAX_TAGS,
                    ctx.default_tags.len(),
                    tags + internal
                ),
            );
        }
    }

    match prior.filter(|_| !replacing) {
        None => {
            p.set_attr("version_id", Value::UNKNOWN);
            p.set_attr("destination_id", Value::UNKNOWN);
        }
        // The stream is gone but its parts are not (see read): apply makes
        // it again.
        Some(prior) if prior.attr("version_id").is_null() => {
            p.set_attr("version_id", Value::UNKNOWN);
            p.set_attr("destination_id", Value::UNKNOWN);
        }
        Some(prior) => {
            p.set_attr("destination_id", prior.attr("destination_id").clone());
            p.set_attr("version_id", prior.attr("version_id").clone());
            if changes_configuration(&p, prior) {
                p.set_attr("version_id", Value::UNKNOWN);
            }
        }
    }
    (p, replace)
}

/// SSE: the kind defaults from whether a key is given; a key the resource
/// creates keeps its ARN once known, and is unknown until then.
fn plan_encryption(p: &mut Value, config: &Value, prior: Option<&Value>, private: &Private) {
    let key_cfg = config.attr("encryption_key_arn");
    if p.attr("encryption").is_null() {
        let enc = match key_cfg.inner() {
            Value::Unknown(_) => Value::UNKNOWN,
            Value::Null => Value::string(Sse::Unencrypted.hcl()),
            _ => Value::string(Sse::CustomerManaged.hcl()),
        };
        p.set_attr("encryption", enc);
    }
    if !key_cfg.is_null() {
        return;
    }
    let key = match p.attr("encryption").as_str().map(Sse::parse) {
        Some(Some(Sse::CustomerManaged)) => match (prior, &private.created_key_arn) {
            (Some(prior), Some(created)) if prior.attr("encryption_key_arn").as_str() == Some(created.as_str()) => {
                Value::string(created.clone())
            }
            _ => Value::UNKNOWN,
        },
        Some(_) => Value::Null,
        None => Value::UNKNOWN,
    };
    p.set_attr("encryption_key_arn", key);
}

/// Attributes whose change apply sends with UpdateDestination.
const DESTINATION_INPUTS: [&str; 3] = ["destination", "destination_role_arn", "log_group_name"];

/// Whether apply calls UpdateDestination (which bumps the stream's version).
pub fn destination_changes(planned: &Value, prior: &Value) -> bool {
    DESTINATION_INPUTS.iter().any(|a| planned.attr(a) != prior.attr(a))
}

/// Whether apply may change the stream's version: destination updates, and
/// encryption changes, whose effect on the version AWS does not document.
fn changes_configuration(planned: &Value, prior: &Value) -> bool {
    destination_changes(planned, prior)
        || ["encryption", "encryption_key_arn"].iter().any(|a| planned.attr(a) != prior.attr(a))
}

/// Names are chosen at plan time so that every derived name is known in the
/// plan; they only need to be unique, not memorable.
fn generate_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    format!("terraform-firehose-{:016x}", h.finish())
}

/// Applies every default in place: first those of the destination kind that
/// depend on other settings, then those the schema declares. Values that
/// depend on AWS (names, ARNs) are derived elsewhere.
fn apply_defaults(v: &mut Value) {
    super::destinations::apply_defaults(v);
    crate::framework::walk::apply_defaults(super::schema::block(), v);
}
