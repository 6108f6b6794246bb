//! The list resource behind `terraform query`: the delivery streams of the
//! provider's region and account, by name prefix and tags, each with its
//! identity and, when asked, the state an import would read (parts that
//! follow this provider's naming and ownership tags read as created, and
//! anything else as given ARNs).

use crate::framework::schema::{Attribute as A, Block, Schema};
use crate::framework::Listed;
use crate::protocol::{Type, Value};
use crate::provider::Env;

use super::{identity, read, stream};

pub fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block::new("Which delivery streams to list.")
            .attr(A::optional("name_prefix", Type::String, "Only streams whose name starts with this."))
            .attr(A::optional(
                "tags",
                Type::map(Type::String),
                "Only streams carrying all of these tags (with these values).",
            )),
    }
}

pub async fn list(env: &Env, config: &Value, include: bool, limit: usize) -> Result<Vec<Listed>, String> {
    let aws = env.clients()?.clone();
    let prefix = config.attr("name_prefix").as_str().unwrap_or_default().to_string();
    let want: Vec<(String, String)> = config
        .attr("tags")
        .entries()
        .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
        .unwrap_or_default();
    let mut found = Vec::new();
    for name in super::stream::names(&aws).await?.into_iter().filter(|n| n.starts_with(&prefix)) {
        if found.len() >= limit {
            break;
        }
        if !want.is_empty() {
            let tags = stream::tags(&aws, &name).await?;
            if !want.iter().all(|(k, v)| tags.get(k) == Some(v)) {
                continue;
            }
        }
        let state = if include {
            let out = read::import(env, &name).await;
            if out.diags.has_errors() {
                return Err(format!(
                    "cannot read delivery stream {name}: {:?}",
                    out.diags.0.first().map(|d| &d.detail)
                ));
            }
            Some(out.state)
        } else {
            None
        };
        let probe = state.clone().unwrap_or_else(|| {
            let mut v = super::schema::block().null_object();
            v.set_attr("name", Value::string(name.clone()));
            v
        });
        let identity = identity::of(env, &probe).await.ok_or("the stream has no identity")?;
        found.push(Listed { identity, display_name: name, state });
    }
    Ok(found)
}
