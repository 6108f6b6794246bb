//! What every RPC handler shares: decoding Terraform's values against a
//! schema, encoding answers, the server's capabilities and functions, and
//! request errors as diagnostics.

// The generated service trait fixes `tonic::Status` as the error type.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use tonic::{Response, Status};

use crate::framework::schema::Block;
use crate::framework::IdentitySchema;
use crate::functions;
use crate::proto::tfplugin6 as pb;
use crate::protocol::wire::{decode_dynamic, encode_dynamic};
use crate::protocol::{Diagnostics, Type, Value};

/// A schema block with the value type derived from it once.
pub(super) type TypedBlock = (Type, Block);

pub(super) fn error(detail: String) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error("Invalid request from Terraform", detail);
    d
}

pub(super) fn decode(v: Option<&pb::DynamicValue>, (ty, _): &TypedBlock, what: &str) -> Result<Value, Diagnostics> {
    decode_dynamic(v, ty).map_err(|e| error(format!("cannot decode {what}: {e}")))
}

/// The prior state, the next state and the configuration of a change RPC.
pub(super) fn decode_change(
    ty: &TypedBlock,
    prior: Option<&pb::DynamicValue>,
    (next, next_what): (Option<&pb::DynamicValue>, &str),
    config: Option<&pb::DynamicValue>,
) -> Result<(Value, Value, Value), Diagnostics> {
    Ok((decode(prior, ty, "the prior state")?, decode(next, ty, next_what)?, decode(config, ty, "the configuration")?))
}

/// Encodes a value for a response; an encoding failure is our bug, reported
/// as a diagnostic rather than a panic or a silently dropped value.
pub(super) fn encode(v: &Value, (ty, block): &TypedBlock, diags: &mut Diagnostics) -> Option<pb::DynamicValue> {
    let mut v = v.clone();
    block.normalize(&mut v);
    match encode_dynamic(&v, ty) {
        Ok(dv) => Some(dv),
        Err(e) => {
            diags.error("Provider produced an invalid value", format!("cannot encode the result: {e}"));
            None
        }
    }
}

pub(super) fn functions_to_pb() -> HashMap<String, pb::Function> {
    let param = |p: &functions::Param| pb::function::Parameter {
        name: p.name.into(),
        r#type: p.ty.to_json_bytes(),
        allow_null_value: p.allow_null,
        allow_unknown_values: false,
        description: p.description.into(),
        description_kind: pb::StringKind::Markdown as i32,
    };
    functions::all()
        .iter()
        .map(|f| {
            let def = pb::Function {
                parameters: f.params.iter().map(param).collect(),
                variadic_parameter: None,
                r#return: Some(pb::function::Return { r#type: f.returns.to_json_bytes() }),
                summary: f.summary.into(),
                description: f.description.into(),
                description_kind: pb::StringKind::Markdown as i32,
                deprecation_message: String::new(),
            };
            (f.name.to_string(), def)
        })
        .collect()
}

pub(super) fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: true,
        generate_resource_config: true,
    }
}

pub(super) fn ok<T>(t: T) -> Result<Response<T>, Status> {
    Ok(Response::new(t))
}

pub(super) fn identity_schema_to_pb(s: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attrs
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.into(),
                r#type: Type::String.to_json_bytes(),
                required_for_import: a.required,
                optional_for_import: !a.required,
                description: a.description.into(),
            })
            .collect(),
    }
}

pub(super) fn encode_identity(v: &Value, s: &IdentitySchema) -> Result<pb::ResourceIdentityData, String> {
    let dv = encode_dynamic(v, &s.value_type()).map_err(|e| format!("cannot encode the identity: {e}"))?;
    Ok(pb::ResourceIdentityData { identity_data: Some(dv) })
}
