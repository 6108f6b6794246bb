//! `firehose_grant`: one inline policy on an IAM role granting Firehose
//! actions on one delivery stream (SPEC §3; the CDK's `grantPutRecords` /
//! `grant`). The policy name is derived from the stream name and kept for
//! the life of the resource, so the plan shows the exact document applied.

use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::framework::schema::{Attribute as A, Block, Schema};
use crate::framework::{ApplyRequest, IdentityAttr, IdentitySchema, Outcome, PlanRequest, Planned, Resource};
use crate::protocol::{AttrPath, Diagnostics, Type, Value};
use crate::provider::{AwsClients, Env};
use crate::resources::delivery_stream::{parts, policies, rules};

pub const TYPE_NAME: &str = "firehose_grant";

pub const DEFAULT_ACTIONS: [&str; 2] = policies::PUT_RECORD_ACTIONS;

const POLICY_NAME_PREFIX: &str = "firehose-grant-";
const POLICY_NAME_MAX: usize = 128;
const ROLE_NAME_MAX: usize = 64;
const STREAM_ARN_FORM: &str =
    "a Firehose delivery stream ARN (arn:<partition>:firehose:<region>:<account>:deliverystream/<name>)";

pub struct Grant;

#[tonic::async_trait]
impl Resource<AwsClients> for Grant {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        validate(config)
    }

    async fn plan(&self, _env: &Env, req: PlanRequest<'_>) -> Planned {
        plan(req)
    }

    async fn apply(&self, env: &Env, req: ApplyRequest<'_>) -> Outcome {
        apply(env, req).await
    }

    async fn read(&self, env: &Env, state: &Value, private: &[u8]) -> Outcome {
        read(env, state, private).await
    }

    async fn import(&self, env: &Env, id: &str) -> Outcome {
        import(env, id).await
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema {
            version: 0,
            attrs: vec![
                IdentityAttr { name: "role_name", required: true, description: "Name of the role holding the policy." },
                IdentityAttr { name: "policy_name", required: true, description: "Name of the inline policy." },
            ],
        })
    }

    async fn identity(&self, _env: &Env, state: &Value) -> Option<Value> {
        let schema = self.identity_schema()?;
        Some(schema.value(|a| state.attr(a).as_str().map(str::to_string)))
    }

    async fn import_id(&self, _env: &Env, identity: &Value) -> Result<String, String> {
        match (identity.attr("role_name").as_str(), identity.attr("policy_name").as_str()) {
            (Some(role), Some(policy)) => Ok(format!("{role}/{policy}")),
            _ => Err("the identity needs role_name and policy_name".into()),
        }
    }
}

// ---------------------------------------------------------------- schema

pub fn schema() -> Schema {
    let block = Block::new(
        "Grants an IAM role Firehose actions on one delivery stream through an inline policy on the role — \
         by default `firehose:PutRecord` and `firehose:PutRecordBatch`, what a producer needs (the CDK's \
         `grantPutRecords`). The policy names the stream's exact ARN. Destroying the grant deletes the \
         policy and leaves the role.",
    )
    .attr(A::computed("id", Type::String, "`<role_name>/<policy_name>`; also the import ID."))
    .attr(A::required(
        "delivery_stream_arn",
        Type::String,
        "ARN of the delivery stream to grant access to, `arn:<partition>:firehose:<region>:<account>:deliverystream/<name>`. Changing it replaces the grant.",
    )
    .check_str("Invalid delivery stream ARN", |s| delivery_stream_arn(s).map(drop))
    .requires_replace())
    .attr(A::required(
        "role_name",
        Type::String,
        "Name (not ARN) of the existing IAM role that receives the inline policy: 1 to 64 of letters, digits and `+=,.@_-`. Changing it replaces the grant.",
    )
    .check_str("Invalid IAM role name", |s| role_name(s).map(drop))
    .requires_replace())
    .attr(A::optional_computed(
        "actions",
        Type::list(Type::String),
        "Firehose actions to allow, each starting with `firehose:`; default `[\"firehose:PutRecord\", \"firehose:PutRecordBatch\"]`.",
    ))
    .attr(A::computed(
        "policy_name",
        Type::String,
        "Name of the inline policy on the role: `firehose-grant-<stream name>` (shortened with a hash when longer than 128 characters).",
    ))
    .attr(A::computed(
        "policy_json",
        Type::String,
        "The exact policy document granted: one statement allowing `actions` on `delivery_stream_arn`. Changed outside Terraform, it shows up here and the next apply restores it.",
    ));
    Schema { version: 0, block }
}

// ---------------------------------------------------------------- rules

/// Checks the shape of a delivery stream ARN; returns the stream name.
pub fn delivery_stream_arn(s: &str) -> Result<String, String> {
    let (_, name) = crate::aws::arn::firehose_stream_arn(s)?;
    rules::stream_name(&name).map_err(|e| format!("expected {STREAM_ARN_FORM}, got {s:?}: {e}"))?;
    Ok(name)
}

/// IAM role names: 1 to 64 of `[\w+=,.@-]`.
pub fn role_name(name: &str) -> Result<(), String> {
    const RULE: &str = "IAM role name must be 1 to 64 characters of letters, digits and '+=,.@_-'";
    let len = name.chars().count();
    if !(1..=ROLE_NAME_MAX).contains(&len) {
        return Err(format!("{RULE}, given {name:?} ({len} characters)"));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c))) {
        let hint = if name.starts_with("arn:") { "; give the role's name, not its ARN" } else { "" };
        return Err(format!("{RULE}, given {name:?} which contains {c:?}{hint}"));
    }
    Ok(())
}

/// One action: `firehose:` followed by an action name, wildcards allowed.
pub fn action(a: &str) -> Result<(), String> {
    let Some(rest) = a.strip_prefix("firehose:") else {
        return Err(format!("action {a:?} is not a Firehose action; each action must start with \"firehose:\""));
    };
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?') {
        return Err(format!(
            "action {a:?} must name an action after \"firehose:\", such as \"firehose:PutRecord\" (letters, digits, '*' and '?')"
        ));
    }
    Ok(())
}

fn short_hash(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// `firehose-grant-<stream>-<hash of the stream ARN>`: the hash keeps grants
/// for same-named streams in other regions or accounts apart on one role,
/// and the name stays within IAM's 128 characters however long the stream's.
pub fn policy_name(stream: &str, stream_arn: &str) -> String {
    let hash = short_hash(stream_arn);
    let room = POLICY_NAME_MAX - POLICY_NAME_PREFIX.len() - hash.len() - 1;
    let head: String = stream.chars().take(room).collect();
    format!("{POLICY_NAME_PREFIX}{head}-{hash}")
}

/// The policy document, serialized the same way at plan and apply.
pub fn policy_document(stream_arn: &str, actions: &[String]) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": actions,
            "Resource": [stream_arn],
        }]
    })
    .to_string()
}

/// What a document grants, when it has the shape this resource writes:
/// (stream ARN, actions).
pub fn parse_document(doc: &str) -> Option<(String, Vec<String>)> {
    let j: Json = serde_json::from_str(doc).ok()?;
    let st = match &j["Statement"] {
        Json::Array(a) if a.len() == 1 => &a[0],
        o @ Json::Object(_) => o,
        _ => return None,
    };
    if st["Effect"] != "Allow" {
        return None;
    }
    let strings = |v: &Json| -> Option<Vec<String>> {
        match v {
            Json::String(s) => Some(vec![s.clone()]),
            Json::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
            _ => None,
        }
    };
    let actions = strings(&st["Action"])?;
    let resources = strings(&st["Resource"])?;
    match resources.as_slice() {
        [arn] if !actions.is_empty() && delivery_stream_arn(arn).is_ok() => Some((arn.clone(), actions)),
        _ => None,
    }
}

// ---------------------------------------------------------------- validate

pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    crate::framework::walk::validate(&schema().block, config, &AttrPath::root(), &mut d);
    let actions = config.attr("actions");
    if actions.is_known() && !actions.is_null() {
        let items = actions.elements();
        if items.is_empty() {
            d.error_at(
                AttrPath::attr("actions"),
                "No actions to grant",
                "actions must list at least one Firehose action; omit it to grant firehose:PutRecord and firehose:PutRecordBatch",
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, item) in items.iter().enumerate() {
            let path = AttrPath::attr("actions").index(i);
            if item.is_null() {
                d.error_at(path, "Invalid action", "actions must not contain null");
            } else if let Some(a) = item.as_str() {
                if let Err(e) = action(a) {
                    d.error_at(path, "Invalid action", e);
                } else if !seen.insert(a) {
                    d.error_at(path, "Duplicate action", format!("{a:?} is listed more than once"));
                }
            }
        }
    }
    d
}

// ---------------------------------------------------------------- plan

fn string_list(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s.clone())).collect())
}

fn known_strings(v: &Value) -> Option<Vec<String>> {
    if !v.is_wholly_known() {
        return None;
    }
    v.elements().iter().map(|x| x.as_str().map(str::to_string)).collect()
}

pub fn plan(req: PlanRequest<'_>) -> Planned {
    let mut out = Planned::default();
    if req.proposed.is_null() {
        out.private = req.prior_private.to_vec();
        return out;
    }
    out.diags = validate(req.config);
    if out.diags.has_errors() {
        return out;
    }
    let (state, replace) = planned_state(req.config, (!req.prior.is_null()).then_some(req.prior));
    out.state = state;
    out.requires_replace = replace;
    out
}

/// The planned object for `config`, given the prior state (None on create).
pub fn planned_state(config: &Value, prior: Option<&Value>) -> (Value, Vec<AttrPath>) {
    let mut p = schema().block.null_object();
    for a in ["delivery_stream_arn", "role_name"] {
        p.set_attr(a, config.attr(a).clone());
    }
    let actions = match config.attr("actions") {
        v if v.is_null() => string_list(&DEFAULT_ACTIONS.map(String::from)),
        v => v.clone(),
    };
    p.set_attr("actions", actions);

    let replace = match prior {
        Some(prior) => crate::framework::walk::requires_replace(&schema().block, prior, &p, &AttrPath::root()),
        None => Vec::new(),
    };
    // The policy keeps its name while the grant is not replaced (an unknown
    // stream or role may still turn out to be a replacement).
    let same_policy = prior.filter(|pr| {
        replace.is_empty() && ["delivery_stream_arn", "role_name"].iter().all(|a| p.attr(a) == pr.attr(a))
    });

    // The name chosen at create (or import) stays for the life of the grant.
    let policy = match (same_policy.and_then(|pr| pr.attr("policy_name").as_str()), p.attr("delivery_stream_arn")) {
        (Some(name), _) => Some(name.to_string()),
        (None, arn) => arn.as_str().and_then(|a| delivery_stream_arn(a).ok().map(|stream| policy_name(&stream, a))),
    };
    p.set_attr("policy_name", policy.clone().map_or(Value::UNKNOWN, Value::string));
    let id = match (p.attr("role_name").as_str(), &policy) {
        (Some(role), Some(policy)) => Value::string(format!("{role}/{policy}")),
        _ => Value::UNKNOWN,
    };
    p.set_attr("id", id);
    let doc = match (p.attr("delivery_stream_arn").as_str(), known_strings(p.attr("actions"))) {
        (Some(arn), Some(actions)) => Value::string(policy_document(arn, &actions)),
        _ => Value::UNKNOWN,
    };
    p.set_attr("policy_json", doc);
    (p, replace)
}

// ---------------------------------------------------------------- apply

fn failed(prior: &Value, summary: &str, detail: String) -> Outcome {
    let mut diags = Diagnostics::new();
    diags.error(summary, detail);
    Outcome { state: prior.clone(), private: Vec::new(), diags }
}

pub async fn apply(env: &Env, req: ApplyRequest<'_>) -> Outcome {
    let aws = match env.clients() {
        Ok(a) => a.clone(),
        Err(e) => return failed(req.prior, "Cannot apply the grant", e),
    };
    if req.planned.is_null() {
        let (Some(role), Some(policy)) = (req.prior.attr("role_name").as_str(), req.prior.attr("policy_name").as_str())
        else {
            return Outcome::default();
        };
        return match parts::delete_policy(&aws, role, policy).await {
            Ok(()) => Outcome::default(),
            Err(e) => failed(req.prior, &format!("Failed to delete policy {policy} from role {role}"), e),
        };
    }
    // Values unknown at plan time are known now: check them.
    let diags = validate(req.config);
    if diags.has_errors() {
        return Outcome { state: req.prior.clone(), private: Vec::new(), diags };
    }
    let (state, _) = planned_state(req.config, (!req.prior.is_null()).then_some(req.prior));
    let (Some(role), Some(policy), Some(doc)) =
        (state.attr("role_name").as_str(), state.attr("policy_name").as_str(), state.attr("policy_json").as_str())
    else {
        return failed(
            req.prior,
            "Invalid planned state",
            "the grant's role, policy name or document is not known".into(),
        );
    };
    if let Err(e) = parts::put_policy(&aws, role, policy, doc).await {
        let verb = if req.prior.is_null() { "create" } else { "update" };
        return failed(req.prior, &format!("Failed to {verb} policy {policy} on role {role}"), e);
    }
    Outcome { state, private: Vec::new(), diags }
}

// ---------------------------------------------------------------- read and import

pub async fn read(env: &Env, state: &Value, private: &[u8]) -> Outcome {
    let mut out = Outcome { state: state.clone(), private: private.to_vec(), ..Outcome::default() };
    let (Some(role), Some(policy)) = (state.attr("role_name").as_str(), state.attr("policy_name").as_str()) else {
        return out;
    };
    let aws = match env.clients() {
        Ok(a) => a,
        Err(e) => {
            out.diags.error("Cannot read the grant", e);
            return out;
        }
    };
    match parts::get_policy(aws, role, policy).await {
        Ok(None) => {
            crate::info!(["role" = role, "policy" = policy], "grant policy no longer exists; removing it from state");
            out.state = Value::Null;
        }
        Ok(Some(actual)) => {
            let expected = state.attr("policy_json").as_str().unwrap_or_default();
            if !policies::same_document(expected, &actual) {
                // Drift: record what is there, so the plan shows the change
                // and the next apply restores the document.
                if let Some((_, actions)) = parse_document(&actual) {
                    out.state.set_attr("actions", string_list(&actions));
                }
                out.state.set_attr("policy_json", Value::string(actual));
            }
        }
        Err(e) => out.diags.error("Cannot read the grant", e),
    }
    out
}

pub async fn import(env: &Env, id: &str) -> Outcome {
    let mut out = Outcome::default();
    let Some((role, policy)) = id.trim().split_once('/') else {
        out.diags.error("Invalid import ID", format!("expected <role_name>/<policy_name>, got {id:?}"));
        return out;
    };
    if let Err(e) = role_name(role) {
        out.diags.error("Invalid import ID", format!("expected <role_name>/<policy_name>: {e}"));
        return out;
    }
    if policy.is_empty() || policy.len() > POLICY_NAME_MAX {
        out.diags.error(
            "Invalid import ID",
            format!("expected <role_name>/<policy_name>: the policy name must be 1 to {POLICY_NAME_MAX} characters"),
        );
        return out;
    }
    let aws = match env.clients() {
        Ok(a) => a,
        Err(e) => {
            out.diags.error("Cannot import the grant", e);
            return out;
        }
    };
    match import_state(aws, role, policy).await {
        Ok(v) => out.state = v,
        Err(e) => out.diags.error("Cannot import the grant", e),
    }
    out
}

async fn import_state(aws: &AwsClients, role: &str, policy: &str) -> Result<Value, String> {
    let Some(actual) = parts::get_policy(aws, role, policy).await? else {
        return Err(format!("role {role:?} has no inline policy named {policy:?} (or the role does not exist)"));
    };
    let Some((arn, actions)) = parse_document(&actual) else {
        return Err(format!(
            "inline policy {policy:?} on role {role:?} is not a grant: expected one statement allowing Firehose actions on one delivery stream ARN, found {actual}"
        ));
    };
    let mut v = schema().block.null_object();
    v.set_attr("id", Value::string(format!("{role}/{policy}")));
    v.set_attr("role_name", Value::string(role));
    v.set_attr("policy_name", Value::string(policy));
    v.set_attr("delivery_stream_arn", Value::string(arn.clone()));
    v.set_attr("actions", string_list(&actions));
    // Our own serialization when it means the same, so that a matching
    // configuration plans no change.
    let ours = policy_document(&arn, &actions);
    v.set_attr("policy_json", Value::string(if policies::same_document(&ours, &actual) { ours } else { actual }));
    Ok(v)
}

#[cfg(test)]
#[path = "grant_tests.rs"]
mod tests;
