//! Conversions between our protocol types and the generated tfplugin6 wire
//! types. Nothing else in the crate touches the generated schema, path or
//! diagnostic messages directly.

use crate::proto::tfplugin6 as pb;

use super::cty_type::Type;
use super::diagnostics::{AttrPath, Diagnostic, Diagnostics, PathStep, Severity};
use super::value::Value;
use super::{json, msgpack};

pub fn path_to_pb(p: &AttrPath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attr(a) => Selector::AttributeName(a.clone()),
                    PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

pub fn diagnostics_to_pb(d: &Diagnostics) -> Vec<pb::Diagnostic> {
    d.0.iter().map(diagnostic_to_pb).collect()
}

fn diagnostic_to_pb(d: &Diagnostic) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        } as i32,
        summary: d.summary.clone(),
        detail: d.detail.clone(),
        attribute: d.path.as_ref().filter(|p| !p.0.is_empty()).map(path_to_pb),
    }
}

/// Decodes a DynamicValue in whichever form Terraform used. An absent value
/// is null: Terraform omits prior state on create, for example.
pub fn decode_dynamic(v: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, String> {
    let Some(v) = v else { return Ok(Value::Null) };
    if !v.msgpack.is_empty() {
        msgpack::decode(&v.msgpack, ty)
    } else if !v.json.is_empty() {
        let j: serde_json::Value = serde_json::from_slice(&v.json).map_err(|e| format!("invalid JSON value: {e}"))?;
        json::from_json(&j, ty)
    } else {
        Ok(Value::Null)
    }
}

pub fn encode_dynamic(v: &Value, ty: &Type) -> Result<pb::DynamicValue, String> {
    Ok(pb::DynamicValue { msgpack: msgpack::encode(v, ty)?, json: Vec::new() })
}
