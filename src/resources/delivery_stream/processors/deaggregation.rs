//! `record_deaggregation`: splits aggregated records (consecutive JSON
//! objects, or records joined by a delimiter) before partitioning.

use aws_sdk_firehose::types as fh;
use base64::Engine;

use super::kind::{self, Kind, Params};
use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{AttrPath, Diagnostics, Type, Value};

pub struct RecordDeaggregation;

fn sub_record_type(t: &str) -> Result<(), String> {
    if t == "JSON" || t == "DELIMITED" {
        Ok(())
    } else {
        Err(format!("type must be \"JSON\" or \"DELIMITED\", given {t:?}"))
    }
}

impl Kind for RecordDeaggregation {
    fn name(&self) -> &'static str {
        kind::RECORD_DEAGGREGATION
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::RecordDeAggregation
    }
    fn block(&self) -> Block {
        Block::new("Splits aggregated records: consecutive JSON objects, or records joined by a delimiter.")
            .attr(
                A::required("type", Type::String, "`JSON` or `DELIMITED`.")
                    .check_str("Invalid deaggregation type", sub_record_type),
            )
            .attr(A::optional(
                "delimiter",
                Type::String,
                "With `DELIMITED`: the delimiter, base64-encoded as Firehose requires (`####` is `IyMjIw==`).",
            ))
    }
    fn validate(&self, v: &Value, at: &AttrPath, d: &mut Diagnostics) {
        let ty = v.attr("type");
        if let Some(t) = ty.as_str() {
            if t != "JSON" && t != "DELIMITED" {
                d.error_at(
                    at.at("type"),
                    "Invalid deaggregation type",
                    format!("type must be \"JSON\" or \"DELIMITED\", given {t:?}"),
                );
                return;
            }
        }
        let delim = v.attr("delimiter");
        match (ty.as_str(), delim.inner()) {
            (Some("DELIMITED"), Value::Null) => d.error_at(
                at.at("delimiter"),
                "Missing delimiter",
                "type = \"DELIMITED\" needs a delimiter (base64-encoded)",
            ),
            (Some("JSON"), Value::String(_)) => d.error_at(
                at.at("delimiter"),
                "Delimiter without DELIMITED",
                "a delimiter is used only with type = \"DELIMITED\"; remove it for JSON",
            ),
            (_, Value::String(s))
                if base64::engine::general_purpose::STANDARD.decode(s).map_or(true, |b| b.is_empty()) =>
            {
                d.error_at(
                    at.at("delimiter"),
                    "Invalid delimiter",
                    format!("Firehose takes the delimiter base64-encoded (`####` is `IyMjIw==`); {s:?} is not non-empty base64"),
                );
            }
            _ => {}
        }
    }
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        let mut out =
            vec![(fh::ProcessorParameterName::SubRecordType, v.attr("type").as_str().unwrap_or_default().to_string())];
        if let Some(dl) = v.attr("delimiter").as_str() {
            out.push((fh::ProcessorParameterName::Delimiter, dl.to_string()));
        }
        out
    }
    fn read(&self, p: &Params<'_>) -> Value {
        Value::object([
            ("type", Value::opt_string(p.get(fh::ProcessorParameterName::SubRecordType))),
            ("delimiter", Value::opt_string(p.get(fh::ProcessorParameterName::Delimiter))),
        ])
    }
}
