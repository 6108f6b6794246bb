//! What cty's msgpack form fixes, shared by the encoder and the decoder: the
//! extension codes of unknown values and their refinements, the nesting
//! limit, and the cty type a value would have.

use crate::protocol::cty_type::Type;
use crate::protocol::value::Value;

/// cty encodes a plain unknown as extension 0 and an unknown carrying
/// refinements as extension 12 whose payload is a map keyed by small ints.
pub(super) const EXT_UNKNOWN: i8 = 0;
pub(super) const EXT_REFINED_UNKNOWN: i8 = 12;
pub(super) const REFINE_NULLNESS: u64 = 1;
pub(super) const REFINE_STRING_PREFIX: u64 = 2;
pub(super) const REFINE_NUMBER_LOWER: u64 = 3;
pub(super) const REFINE_NUMBER_UPPER: u64 = 4;
pub(super) const REFINE_LENGTH_LOWER: u64 = 5;
pub(super) const REFINE_LENGTH_UPPER: u64 = 6;

/// Deep enough for any real configuration, shallow enough that hostile input
/// cannot exhaust the stack through nested dynamic types.
pub(super) const MAX_DEPTH: usize = 256;

/// The type a value would have in cty, used when a dynamic position holds a
/// value the provider built itself (so no arrival type was recorded).
pub fn infer_type(v: &Value) -> Type {
    match v {
        Value::Null | Value::Unknown(_) => Type::Dynamic,
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::List(items) => Type::list(items.first().map_or(Type::Dynamic, infer_type)),
        Value::Set(items) => Type::set(items.first().map_or(Type::Dynamic, infer_type)),
        Value::Map(m) => Type::map(m.values().next().map_or(Type::Dynamic, infer_type)),
        Value::Object(m) => Type::Object(m.iter().map(|(k, v)| (k.clone(), infer_type(v))).collect()),
        Value::Tuple(items) => Type::Tuple(items.iter().map(infer_type).collect()),
        Value::Dynamic(t, _) => t.clone(),
    }
}

pub(super) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Unknown(_) => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
        Value::Dynamic(..) => "dynamic",
    }
}
