//! The tfplugin6 Provider service: decodes each RPC into our protocol types,
//! calls the provider or resource, and encodes the answer. Malformed input
//! becomes an error diagnostic; nothing here panics on what Terraform sends.

// The generated service trait fixes `tonic::Status` as the error type.
#![allow(clippy::result_large_err)]

use tonic::{Request, Response, Status};

use crate::framework::{walk, ApplyRequest, MoveSource, PlanRequest};
use crate::functions;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider;
use crate::protocol::wire::{decode_dynamic, diagnostics_to_pb, encode_dynamic, path_to_pb};
use crate::protocol::{json, AttrPath, Diagnostics};

mod actions;
mod codec;
mod discovery;
mod identity_list;
mod rpc_log;
mod schema_pb;
mod service;

use codec::{decode, encode, error, functions_to_pb, ok};
use rpc_log::rpc_log;

pub use service::ProviderService;

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let _rpc = rpc_log("GetMetadata", "");
        ok(self.metadata())
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let _rpc = rpc_log("GetProviderSchema", "");
        ok(self.provider_schema())
    }

    async fn validate_action_config(
        &self,
        req: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        let _rpc = rpc_log("ValidateActionConfig", &req.get_ref().type_name);
        let d = self.action_validate(req.into_inner());
        ok(pb::validate_action_config::Response { diagnostics: diagnostics_to_pb(&d) })
    }

    async fn plan_action(
        &self,
        req: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        let _rpc = rpc_log("PlanAction", &req.get_ref().action_type);
        let d = self.action_plan(req.into_inner()).await;
        ok(pb::plan_action::Response { diagnostics: diagnostics_to_pb(&d), deferred: None })
    }

    type InvokeActionStream = actions::InvokeStream;

    async fn invoke_action(
        &self,
        req: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        let _rpc = rpc_log("InvokeAction", &req.get_ref().action_type);
        Ok(Response::new(self.action_invoke(req.into_inner())))
    }

    type ListResourceStream =
        std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<pb::list_resource::Event, Status>> + Send>>;

    async fn list_resource(
        &self,
        req: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let req = req.into_inner();
        let _rpc = rpc_log("ListResource", &req.type_name);
        let event_error =
            |d: Diagnostics| pb::list_resource::Event { diagnostic: diagnostics_to_pb(&d), ..Default::default() };
        let events: Vec<pb::list_resource::Event> = match self.list(&req).await {
            Ok(events) => events,
            Err(d) => vec![event_error(d)],
        };
        Ok(Response::new(Box::pin(futures_util::stream::iter(events.into_iter().map(Ok)))))
    }

    async fn validate_list_resource_config(
        &self,
        req: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let _rpc = rpc_log("ValidateListResourceConfig", &req.get_ref().type_name);
        ok(self.validate_list_config(req.into_inner()).await)
    }

    async fn generate_resource_config(
        &self,
        req: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        let _rpc = rpc_log("GenerateResourceConfig", &req.get_ref().type_name);
        ok(self.generate_config(req.into_inner()).await)
    }

    async fn get_resource_identity_schemas(
        &self,
        req: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        let _rpc = rpc_log("GetResourceIdentitySchemas", "");
        ok(self.identity_schemas(req.into_inner()).await)
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let _rpc = rpc_log("ValidateProviderConfig", "");
        let req = req.into_inner();
        let diags = match decode(req.config.as_ref(), &self.provider_type, "the provider configuration") {
            Ok(cfg) => self.provider.validate(&cfg),
            Err(d) => d,
        };
        ok(pb::validate_provider_config::Response { diagnostics: diagnostics_to_pb(&diags) })
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let _rpc = rpc_log("ValidateResourceConfig", &req.get_ref().type_name);
        let req = req.into_inner();
        let write_only_allowed = req.client_capabilities.as_ref().is_some_and(|c| c.write_only_attributes_allowed);
        let diags = match self.resource(&req.type_name) {
            Ok((r, ty)) => match decode(req.config.as_ref(), ty, "the configuration") {
                Ok(cfg) => {
                    let mut d = r.validate(&cfg);
                    if !write_only_allowed {
                        for p in walk::write_only_set(&ty.1, &cfg, &AttrPath::root()) {
                            d.error_at(
                                p.clone(),
                                "Write-only attribute needs Terraform 1.11 or later",
                                format!(
                                    "{p} is write-only: its value is never stored in the plan or the state, which this \
                                     Terraform version cannot do. Upgrade Terraform to 1.11 or later, or give the secret \
                                     through AWS Secrets Manager with secret_arn instead"
                                ),
                            );
                        }
                    }
                    d
                }
                Err(d) => d,
            },
            Err(d) => d,
        };
        ok(pb::validate_resource_config::Response { diagnostics: diagnostics_to_pb(&diags) })
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let _rpc = rpc_log("ValidateDataResourceConfig", &req.get_ref().type_name);
        let req = req.into_inner();
        let diags = match self.data_source(&req.type_name) {
            Ok((r, ty)) => match decode(req.config.as_ref(), ty, "the configuration") {
                Ok(cfg) => r.validate(&cfg),
                Err(d) => d,
            },
            Err(d) => d,
        };
        ok(pb::validate_data_resource_config::Response { diagnostics: diagnostics_to_pb(&diags) })
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let _rpc = rpc_log("UpgradeResourceState", &req.get_ref().type_name);
        let req = req.into_inner();
        let mut diags = Diagnostics::new();
        let upgraded = (|| {
            let (r, ty) = self.resource(&req.type_name)?;
            let raw = req.raw_state.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
            if raw.is_empty() {
                return Err(error("state has no JSON form; flatmap state from Terraform 0.11 is not supported".into()));
            }
            let j: serde_json::Value =
                serde_json::from_slice(raw).map_err(|e| error(format!("stored state is not valid JSON: {e}")))?;
            let j = r.upgrade(req.version, j).map_err(|e| error(format!("cannot upgrade stored state: {e}")))?;
            let mut v = json::from_json(&j, &ty.0).map_err(|e| error(format!("cannot read stored state: {e}")))?;
            // Blocks a newer schema added are absent from older state; Terraform
            // expects them as empty collections, not null.
            r.schema().block.normalize(&mut v);
            Ok((v, ty))
        })();
        let upgraded_state = match upgraded {
            Ok((v, ty)) => encode(&v, ty, &mut diags),
            Err(d) => {
                diags.extend(d);
                None
            }
        };
        ok(pb::upgrade_resource_state::Response { upgraded_state, diagnostics: diagnostics_to_pb(&diags) })
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let _rpc = rpc_log("UpgradeResourceIdentity", "");
        ok(self.upgrade_identity(req.into_inner()).await)
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let _rpc = rpc_log("ConfigureProvider", "");
        let req = req.into_inner();
        let diags = match decode(req.config.as_ref(), &self.provider_type, "the provider configuration") {
            Ok(cfg) => self.provider.configure(&cfg).await,
            Err(d) => d,
        };
        ok(pb::configure_provider::Response { diagnostics: diagnostics_to_pb(&diags) })
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = req.into_inner();
        let (r, ty) = match self.resource(&req.type_name) {
            Ok(x) => x,
            Err(d) => {
                return ok(pb::read_resource::Response { diagnostics: diagnostics_to_pb(&d), ..Default::default() })
            }
        };
        let state = match decode(req.current_state.as_ref(), ty, "the current state") {
            Ok(s) => s,
            Err(d) => {
                return ok(pb::read_resource::Response { diagnostics: diagnostics_to_pb(&d), ..Default::default() })
            }
        };
        let _rpc = rpc_log("ReadResource", &req.type_name);
        let mut out = r.read(&self.provider.env(), &state, &req.private).await;
        let (new_state, new_identity) = self.respond(r.as_ref(), ty, &mut out.state, &mut out.diags).await;
        ok(pb::read_resource::Response {
            new_state,
            diagnostics: diagnostics_to_pb(&out.diags),
            private: out.private,
            new_identity,
            ..Default::default()
        })
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = req.into_inner();
        let next = (req.proposed_new_state.as_ref(), "the proposed state");
        let (r, ty, prior, proposed, config) =
            match self.change(&req.type_name, req.prior_state.as_ref(), next, req.config.as_ref()) {
                Ok(x) => x,
                Err(d) => {
                    let diagnostics = diagnostics_to_pb(&d);
                    return ok(pb::plan_resource_change::Response { diagnostics, ..Default::default() });
                }
            };
        let _rpc = rpc_log("PlanResourceChange", &req.type_name);
        let plan_req =
            PlanRequest { prior: &prior, proposed: &proposed, config: &config, prior_private: &req.prior_private };
        let mut planned = r.plan(&self.provider.env(), plan_req).await;
        let (planned_state, planned_identity) =
            self.respond(r.as_ref(), ty, &mut planned.state, &mut planned.diags).await;
        ok(pb::plan_resource_change::Response {
            planned_state,
            requires_replace: planned.requires_replace.iter().map(path_to_pb).collect(),
            planned_private: planned.private,
            diagnostics: diagnostics_to_pb(&planned.diags),
            planned_identity,
            ..Default::default()
        })
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = req.into_inner();
        let next = (req.planned_state.as_ref(), "the planned state");
        let (r, ty, prior, planned, config) =
            match self.change(&req.type_name, req.prior_state.as_ref(), next, req.config.as_ref()) {
                Ok(x) => x,
                Err(d) => {
                    let diagnostics = diagnostics_to_pb(&d);
                    return ok(pb::apply_resource_change::Response { diagnostics, ..Default::default() });
                }
            };
        let _rpc = rpc_log("ApplyResourceChange", &req.type_name);
        let apply_req =
            ApplyRequest { prior: &prior, planned: &planned, config: &config, private: &req.planned_private };
        let mut out = r.apply(&self.provider.env(), apply_req).await;
        let (new_state, new_identity) = self.respond(r.as_ref(), ty, &mut out.state, &mut out.diags).await;
        ok(pb::apply_resource_change::Response {
            new_state,
            private: out.private,
            diagnostics: diagnostics_to_pb(&out.diags),
            new_identity,
            ..Default::default()
        })
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = req.into_inner();
        let (r, ty) = match self.resource(&req.type_name) {
            Ok(x) => x,
            Err(d) => {
                return ok(pb::import_resource_state::Response {
                    diagnostics: diagnostics_to_pb(&d),
                    ..Default::default()
                })
            }
        };
        let _rpc = rpc_log("ImportResourceState", &req.type_name);
        // An `import` block with `identity = {...}` instead of an ID.
        let id = match (&req.identity, r.identity_schema()) {
            (Some(idv), Some(schema)) => match decode_dynamic(idv.identity_data.as_ref(), &schema.value_type())
                .map_err(|e| format!("cannot decode the identity: {e}"))
            {
                Ok(identity) => r.import_id(&self.provider.env(), &identity).await,
                Err(e) => Err(e),
            },
            _ => Ok(req.id.clone()),
        };
        let mut out = match id {
            Ok(id) => r.import(&self.provider.env(), &id).await,
            Err(e) => {
                let mut o = crate::framework::Outcome::default();
                o.diags.error("Cannot import by identity", e);
                o
            }
        };
        let mut imported = Vec::new();
        if !out.diags.has_errors() && !out.state.is_null() {
            if let (Some(state), identity) = self.respond(r.as_ref(), ty, &mut out.state, &mut out.diags).await {
                imported.push(pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: Some(state),
                    private: out.private,
                    identity,
                });
            }
        }
        ok(pb::import_resource_state::Response {
            imported_resources: imported,
            diagnostics: diagnostics_to_pb(&out.diags),
            deferred: None,
        })
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = req.into_inner();
        let _rpc = rpc_log("MoveResourceState", &req.target_type_name);
        let (r, ty) = match self.resource(&req.target_type_name) {
            Ok(x) => x,
            Err(d) => {
                return ok(pb::move_resource_state::Response {
                    diagnostics: diagnostics_to_pb(&d),
                    ..Default::default()
                })
            }
        };
        let raw = req.source_state.as_ref().map(|s| s.json.as_slice()).unwrap_or_default();
        let state: serde_json::Value = match serde_json::from_slice(raw) {
            Ok(v) => v,
            Err(e) => {
                let d = error(format!("the moved resource's state is not JSON: {e}"));
                return ok(pb::move_resource_state::Response {
                    diagnostics: diagnostics_to_pb(&d),
                    ..Default::default()
                });
            }
        };
        let source = MoveSource {
            provider: &req.source_provider_address,
            type_name: &req.source_type_name,
            schema_version: req.source_schema_version,
            state: &state,
        };
        let mut out = r.move_from(&self.provider.env(), source).await;
        let target_state = if out.diags.has_errors() { None } else { encode(&out.state, ty, &mut out.diags) };
        ok(pb::move_resource_state::Response {
            target_state,
            diagnostics: diagnostics_to_pb(&out.diags),
            target_private: out.private,
            target_identity: None,
        })
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = req.into_inner();
        let (r, ty) = match self.data_source(&req.type_name) {
            Ok(x) => x,
            Err(d) => {
                return ok(pb::read_data_source::Response { diagnostics: diagnostics_to_pb(&d), ..Default::default() })
            }
        };
        let config = match decode(req.config.as_ref(), ty, "the configuration") {
            Ok(c) => c,
            Err(d) => {
                return ok(pb::read_data_source::Response { diagnostics: diagnostics_to_pb(&d), ..Default::default() })
            }
        };
        let _rpc = rpc_log("ReadDataSource", &req.type_name);
        let mut out = r.read(&self.provider.env(), &config).await;
        let state = encode(&out.state, ty, &mut out.diags);
        ok(pb::read_data_source::Response { state, diagnostics: diagnostics_to_pb(&out.diags), deferred: None })
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        let _rpc = rpc_log("GetFunctions", "");
        ok(pb::get_functions::Response { functions: functions_to_pb(), diagnostics: vec![] })
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let _rpc = rpc_log("CallFunction", "");
        let req = req.into_inner();
        let failure = |text: String, argument: Option<i64>| pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError { text, function_argument: argument }),
        };
        let Some(def) = functions::all().into_iter().find(|f| f.name == req.name) else {
            return ok(failure(format!("this provider defines no function {:?}", req.name), None));
        };
        let mut args = Vec::new();
        for (i, p) in def.params.iter().enumerate() {
            match decode_dynamic(req.arguments.get(i), &p.ty) {
                Ok(v) => args.push(v),
                Err(e) => return ok(failure(format!("cannot decode argument {}: {e}", p.name), Some(i as i64))),
            }
        }
        ok(match functions::call(&req.name, &args) {
            Ok(v) => match encode_dynamic(&v, &def.returns) {
                Ok(dv) => pb::call_function::Response { result: Some(dv), error: None },
                Err(e) => failure(format!("cannot encode the result: {e}"), None),
            },
            Err(f) => failure(f.text, f.argument),
        })
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        let _rpc = rpc_log("StopProvider", "");
        crate::info!("stop requested: cancelling in-flight AWS work");
        self.provider.stop();
        ok(pb::stop_provider::Response { error: String::new() })
    }
}
