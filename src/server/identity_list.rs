//! Resource identity (Terraform 1.12+) and list resources with config
//! generation (`terraform query`, 1.14+): what those RPCs do, apart from
//! the service's dispatch in `mod.rs`.

use super::codec::TypedBlock;
use super::codec::{decode, encode, encode_identity, error, identity_schema_to_pb};
use super::service::ProviderService;
use crate::framework::{walk, Resource};
use crate::proto::tfplugin6 as pb;
use crate::protocol::wire::diagnostics_to_pb;
use crate::protocol::{json, AttrPath, Diagnostics, Value};
use crate::provider::AwsClients;

impl ProviderService {
    /// ListResource's events: one per object found, its identity always and
    /// its state when asked for.
    pub(super) async fn list(
        &self,
        req: &pb::list_resource::Request,
    ) -> Result<Vec<pb::list_resource::Event>, Diagnostics> {
        let (r, ty) = self.resource(&req.type_name)?;
        let schema = r.list_schema().ok_or_else(|| error(format!("{} cannot be listed", req.type_name)))?;
        let identity_schema = r.identity_schema().ok_or_else(|| error(format!("{} has no identity", req.type_name)))?;
        let config = decode(req.config.as_ref(), &(schema.block.value_type(), schema.block), "the list configuration")?;
        let limit = usize::try_from(req.limit.max(0)).unwrap_or(usize::MAX);
        let found = r.list(&self.provider.env(), &config, req.include_resource_object, limit).await.map_err(|e| {
            let mut d = Diagnostics::new();
            d.error(format!("Cannot list {}", req.type_name), e);
            d
        })?;
        let mut events = Vec::new();
        for item in found {
            let mut d = Diagnostics::new();
            let identity = encode_identity(&item.identity, &identity_schema).map_err(error)?;
            let resource_object = match &item.state {
                Some(s) if req.include_resource_object => {
                    let mut s = s.clone();
                    walk::null_write_only(&ty.1, &mut s);
                    encode(&s, ty, &mut d)
                }
                _ => None,
            };
            events.push(pb::list_resource::Event {
                identity: Some(identity),
                display_name: item.display_name,
                resource_object,
                diagnostic: diagnostics_to_pb(&d),
            });
        }
        Ok(events)
    }

    /// A resource's state for a response: write-only values nulled, then
    /// encoded, with its identity.
    pub(super) async fn respond(
        &self,
        r: &dyn Resource<AwsClients>,
        ty: &TypedBlock,
        state: &mut Value,
        diags: &mut Diagnostics,
    ) -> (Option<pb::DynamicValue>, Option<pb::ResourceIdentityData>) {
        walk::null_write_only(&ty.1, state);
        let encoded = encode(state, ty, diags);
        (encoded, self.identity(r, state, diags).await)
    }

    /// The identity of the object `state` describes, for the response; None
    /// when the type has no identity or the object is gone.
    async fn identity(
        &self,
        r: &dyn Resource<AwsClients>,
        state: &Value,
        diags: &mut Diagnostics,
    ) -> Option<pb::ResourceIdentityData> {
        let schema = r.identity_schema()?;
        if state.is_null() {
            return None;
        }
        let v = r.identity(&self.provider.env(), state).await?;
        match encode_identity(&v, &schema) {
            Ok(identity) => Some(identity),
            Err(e) => {
                diags.error("Provider produced an invalid identity", e);
                None
            }
        }
    }

    pub(super) async fn validate_list_config(
        &self,
        req: pb::validate_list_resource_config::Request,
    ) -> pb::validate_list_resource_config::Response {
        let diags = match self.resource(&req.type_name).map(|(r, _)| r.list_schema()) {
            Ok(Some(s)) => {
                let ty = (s.block.value_type(), s.block);
                match decode(req.config.as_ref(), &ty, "the list configuration") {
                    Ok(cfg) => {
                        let mut d = Diagnostics::new();
                        walk::validate(&ty.1, &cfg, &AttrPath::root(), &mut d);
                        d
                    }
                    Err(d) => d,
                }
            }
            Ok(None) => error(format!("{} cannot be listed", req.type_name)),
            Err(d) => d,
        };
        pb::validate_list_resource_config::Response { diagnostics: diagnostics_to_pb(&diags) }
    }

    pub(super) async fn generate_config(
        &self,
        req: pb::generate_resource_config::Request,
    ) -> pb::generate_resource_config::Response {
        let mut diags = Diagnostics::new();
        let config = match self.resource(&req.type_name) {
            Ok((r, ty)) => match decode(req.state.as_ref(), ty, "the state") {
                Ok(state) => encode(&r.generate_config(&state), ty, &mut diags),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            },
            Err(d) => {
                diags.extend(d);
                None
            }
        };
        pb::generate_resource_config::Response { config, diagnostics: diagnostics_to_pb(&diags) }
    }

    pub(super) async fn upgrade_identity(
        &self,
        req: pb::upgrade_resource_identity::Request,
    ) -> pb::upgrade_resource_identity::Response {
        // Every identity is at its first version: stored JSON decodes as is.
        let upgraded = (|| {
            let (r, _) = self.resource(&req.type_name)?;
            let schema =
                r.identity_schema().ok_or_else(|| error(format!("{} has no identity schema", req.type_name)))?;
            let raw = req.raw_identity.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
            let j: serde_json::Value =
                serde_json::from_slice(raw).map_err(|e| error(format!("stored identity is not valid JSON: {e}")))?;
            let v = json::from_json(&j, &schema.value_type())
                .map_err(|e| error(format!("cannot read stored identity: {e}")))?;
            encode_identity(&v, &schema).map_err(error)
        })();
        match upgraded {
            Ok(identity) => {
                pb::upgrade_resource_identity::Response { upgraded_identity: Some(identity), diagnostics: vec![] }
            }
            Err(d) => {
                pb::upgrade_resource_identity::Response { upgraded_identity: None, diagnostics: diagnostics_to_pb(&d) }
            }
        }
    }

    pub(super) async fn identity_schemas(
        &self,
        _req: pb::get_resource_identity_schemas::Request,
    ) -> pb::get_resource_identity_schemas::Response {
        let identity_schemas = self
            .provider
            .resources
            .iter()
            .filter_map(|r| r.identity_schema().map(|s| (r.type_name().to_string(), identity_schema_to_pb(&s))))
            .collect();
        pb::get_resource_identity_schemas::Response { identity_schemas, diagnostics: vec![] }
    }
}
