//! What the fuzz targets share: the schema types an input's first byte picks.
//!
//! `tests/codec_props.rs` includes this file too, to write the seed corpus
//! (`scripts/fuzz` asks it to), so the seeds and the targets agree on which
//! byte means which type.

use terraform_provider_firehose::protocol::Type;

/// The types inputs are decoded as: the real resource and provider schemas
/// first, then small ones that reach every kind of type quickly.
pub fn types() -> Vec<Type> {
    vec![
        terraform_provider_firehose::resources::delivery_stream::schema::schema().block.value_type(),
        terraform_provider_firehose::provider::schema::provider_schema().block.value_type(),
        Type::Dynamic,
        Type::String,
        Type::Number,
        Type::Bool,
        Type::list(Type::Dynamic),
        Type::map(Type::Number),
        Type::set(Type::object([("a", Type::String), ("b", Type::list(Type::Number))])),
        Type::Tuple(vec![Type::String, Type::Number, Type::Dynamic]),
        Type::object([
            ("d", Type::Dynamic),
            ("m", Type::map(Type::list(Type::Bool))),
            ("o", Type::object([("n", Type::Number), ("s", Type::set(Type::String))])),
        ]),
    ]
}

/// Splits an input into the type its first byte picks and the rest.
pub fn pick<'a>(types: &'a [Type], data: &'a [u8]) -> Option<(&'a Type, &'a [u8])> {
    let (&first, rest) = data.split_first()?;
    Some((&types[usize::from(first) % types.len()], rest))
}
