//! The stream's resource identity (name, region, account), for import by
//! identity and for `terraform query`.

use crate::framework::{IdentityAttr, IdentitySchema};
use crate::protocol::Value;
use crate::provider::Env;

use super::plan;

pub fn schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attrs: vec![
            IdentityAttr { name: "name", required: true, description: "Name of the delivery stream." },
            IdentityAttr {
                name: "region",
                required: false,
                description: "Region of the stream; defaults to the provider's.",
            },
            IdentityAttr {
                name: "account_id",
                required: false,
                description: "Account of the stream; defaults to the provider's.",
            },
        ],
    }
}

/// The identity of the stream `state` describes.
pub async fn of(env: &Env, state: &Value) -> Option<Value> {
    let ctx = plan::context(env).await.ok().flatten();
    Some(schema().value(|a| match a {
        "name" => state.attr("name").as_str().map(str::to_string),
        "region" => ctx.as_ref().map(|c| c.region.clone()),
        _ => ctx.as_ref().map(|c| c.account.clone()),
    }))
}

/// The stream's name, once the identity's region and account are the
/// provider's.
pub async fn import_id(env: &Env, identity: &Value) -> Result<String, String> {
    let name = identity.attr("name").as_str().ok_or("the identity needs the stream's name")?;
    let ctx = plan::context(env).await?.ok_or("the provider is not configured")?;
    for (attr, ours) in [("region", &ctx.region), ("account_id", &ctx.account)] {
        if let Some(theirs) = identity.attr(attr).as_str().filter(|t| t != ours) {
            return Err(format!(
                "the identity's {attr} is {theirs:?} but this provider is configured for {ours:?}; import with a provider configured for {theirs:?} (the provider meta-argument)"
            ));
        }
    }
    Ok(name.to_string())
}
