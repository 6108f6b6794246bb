//! `metadata_extraction`: a JQ query extracts partition keys from JSON
//! records, for dynamic partitioning.

use aws_sdk_firehose::types as fh;

use super::kind::{self, Kind, Params};
use crate::framework::schema::{Attribute as A, Block};
use crate::protocol::{Type, Value};

/// The only engine Firehose offers.
pub const ENGINE: &str = "JQ-1.6";

pub struct MetadataExtraction;

impl Kind for MetadataExtraction {
    fn name(&self) -> &'static str {
        kind::METADATA_EXTRACTION
    }
    fn api_type(&self) -> fh::ProcessorType {
        fh::ProcessorType::MetadataExtraction
    }
    fn block(&self) -> Block {
        Block::new("Extracts partition keys from JSON records with a JQ query (dynamic partitioning).")
            .attr(
                A::required(
                    "query",
                    Type::String,
                    "A JQ query yielding an object of partition keys, e.g. `{customer: .customer_id}`; each key is used as `!{partitionKeyFromQuery:key}` in `data_output_prefix`.",
                )
                .check_str("Invalid metadata extraction query", |q| query_keys(q).map(drop)),
            )
            .attr(
                A::optional_computed("json_parsing_engine", Type::String, "The query language: `JQ-1.6` (the only one; default).")
                    .default(Value::string(ENGINE))
                    .check_str("Invalid JSON parsing engine", engine),
            )
    }
    fn params(&self, v: &Value) -> Vec<(fh::ProcessorParameterName, String)> {
        vec![
            (
                fh::ProcessorParameterName::MetadataExtractionQuery,
                v.attr("query").as_str().unwrap_or_default().to_string(),
            ),
            (
                fh::ProcessorParameterName::JsonParsingEngine,
                v.attr("json_parsing_engine").as_str().unwrap_or(ENGINE).to_string(),
            ),
        ]
    }
    fn read(&self, p: &Params<'_>) -> Value {
        Value::object([
            ("query", Value::opt_string(p.get(fh::ProcessorParameterName::MetadataExtractionQuery))),
            (
                "json_parsing_engine",
                Value::string(p.get(fh::ProcessorParameterName::JsonParsingEngine).unwrap_or(ENGINE)),
            ),
        ])
    }
}

fn engine(e: &str) -> Result<(), String> {
    if e == ENGINE {
        Ok(())
    } else {
        Err(format!("json_parsing_engine must be {ENGINE:?}, the only engine Firehose offers, given {e:?}"))
    }
}

/// The keys a query's top-level object yields: `{a: .x, "b": .y.z}` yields
/// `a` and `b`. Firehose needs the query to produce an object, so anything
/// else is refused; the values are JQ expressions this provider does not
/// evaluate.
pub fn query_keys(query: &str) -> Result<Vec<String>, String> {
    let q = query.trim();
    let body = q.strip_prefix('{').and_then(|r| r.strip_suffix('}')).ok_or_else(|| {
        format!("the query must build an object of partition keys, such as {{customer: .customer_id}}; given {query:?}")
    })?;
    let mut keys = Vec::new();
    for entry in split_top_level(body) {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let key = match entry.split_once(':') {
            Some((k, _)) => k.trim(),
            // `{customer_id}` is JQ shorthand for `{customer_id: .customer_id}`.
            None => entry,
        };
        let key = key.trim_matches('"').trim_start_matches('$');
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(format!("cannot read the partition key name in {entry:?}: name each key plainly, as in {{customer: .customer_id}}"));
        }
        keys.push(key.to_string());
    }
    if keys.is_empty() {
        return Err("the query yields no partition keys; name at least one, as in {customer: .customer_id}".into());
    }
    Ok(keys)
}

/// Splits at commas outside brackets and strings.
fn split_top_level(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start, mut in_str, mut esc) = (Vec::new(), 0i32, 0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if esc => esc = false,
            '\\' if in_str => esc = true,
            '"' => in_str = !in_str,
            '{' | '[' | '(' if !in_str => depth += 1,
            '}' | ']' | ')' if !in_str => depth -= 1,
            ',' if !in_str && depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}
