//! What only an S3 destination has beyond delivery basics: its time zone,
//! file extension, dynamic partitioning and format conversion
//! (docs/resources/delivery_stream.md), and the rules tying them to the
//! prefixes, buffering and processors.

use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Diagnostics, Type, Value};
use crate::resources::delivery_stream::processors;

use super::conversion as format_conversion;
use crate::resources::delivery_stream::rules::{self, Expr};

use super::partitioning;

pub const TIME_ZONE: &str = "UTC";

/// Areas of the IANA time zone names (`Area/Location`).
const TZ_AREAS: [&str; 11] = [
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
    "Etc",
];

/// The S3-only attributes and blocks, added to the destination's block.
pub fn extend(b: Block) -> Block {
    b.attr(
        A::optional_computed(
            "custom_time_zone",
            Type::String,
            "IANA time zone (e.g. `Europe/Paris`) in which `!{timestamp:...}` prefixes are evaluated; default `UTC`.",
        )
        .default(Value::string(TIME_ZONE))
        .check_str("Invalid time zone", time_zone),
    )
    .attr(
        A::optional(
            "file_extension",
            Type::String,
            "Extension of delivered objects, e.g. `.json.gz`: a dot followed by `0-9a-z!-_.*'()`. By default Firehose picks one from the compression.",
        )
        .check_str("Invalid file extension", file_extension),
    )
    .block("dynamic_partitioning", Nesting::List, 0, 1, partitioning::block())
    .block("data_format_conversion", Nesting::List, 0, 1, format_conversion::block())
}

pub fn dynamic_partitioning(s3: &Value) -> Option<&Value> {
    s3.block("dynamic_partitioning")
}

pub fn conversion(s3: &Value) -> Option<&Value> {
    s3.block("data_format_conversion")
}

/// The default that depends on the S3 features in use: conversion and
/// dynamic partitioning need larger buffers, so those become the default
/// (the static defaults are declared on the schema).
pub fn apply_defaults(s3: &mut Value, default_size: i64) {
    let size = if conversion(s3).is_some() {
        format_conversion::BUFFERING_SIZE
    } else if dynamic_partitioning(s3).is_some() {
        partitioning::MIN_BUFFERING_SIZE
    } else {
        default_size
    };
    if s3.attr("buffering_size").is_null() {
        s3.set_attr("buffering_size", Value::int(size));
    }
}

fn time_zone(tz: &str) -> Result<(), String> {
    let valid = tz == "UTC" || {
        let mut parts = tz.split('/');
        let area = parts.next().unwrap_or_default();
        TZ_AREAS.contains(&area)
            && parts.clone().count() >= 1
            && parts
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+')))
    };
    if valid && tz.len() <= 50 {
        Ok(())
    } else {
        Err(format!(
            "custom_time_zone must be UTC or an IANA zone name such as \"Europe/Paris\" (at most 50 characters), given {tz:?}"
        ))
    }
}

fn file_extension(ext: &str) -> Result<(), String> {
    let ok = ext.len() <= 128
        && ext.strip_prefix('.').is_some_and(|rest| {
            !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || "!-_.*'()".contains(c))
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "file_extension must be a dot followed by digits, lower-case letters or !-_.*'() (at most 128 characters), given {ext:?}"
        ))
    }
}

/// The S3-only rules, with what they need of the rest of the destination.
pub fn validate(s3: &Value, at: &AttrPath, d: &mut Diagnostics) {
    let dp_list = s3.attr("dynamic_partitioning");
    let dp = dp_list.is_known().then(|| !dp_list.elements().is_empty());
    let procs = s3.attr("processor");
    processors::validate(procs, &at.at("processor"), &processors::Context { dynamic_partitioning: dp }, d);
    let size = s3.attr("buffering_size").as_number().and_then(|n| n.as_i64());
    if let Some(c) = conversion(s3) {
        format_conversion::validate(c, &at.at("data_format_conversion").index(0), d);
        if let Some(comp) = s3.attr("compression").as_str().filter(|c| *c != "UNCOMPRESSED") {
            d.error_at(
                at.at("compression"),
                "Compression with format conversion",
                format!(
                    "with data_format_conversion the output format compresses the data (its own compression setting), so compression must be \"UNCOMPRESSED\", given {comp:?}"
                ),
            );
        }
        min_size(size, format_conversion::MIN_BUFFERING_SIZE, "data_format_conversion", at, d);
    }
    if dp == Some(true) {
        min_size(size, partitioning::MIN_BUFFERING_SIZE, "dynamic_partitioning", at, d);
    }
    partition_keys(s3, at, dp, d);
}

fn min_size(size: Option<i64>, min: i64, feature: &str, at: &AttrPath, d: &mut Diagnostics) {
    if let Some(s) = size.filter(|s| *s < min) {
        d.error_at(
            at.at("buffering_size"),
            "Buffering size too small",
            format!("with {feature} Firehose needs buffering_size of at least {min} MiB, given {s}"),
        );
    }
}

/// Partition keys in `data_output_prefix` against what supplies them.
fn partition_keys(s3: &Value, at: &AttrPath, dp: Option<bool>, d: &mut Diagnostics) {
    let prefix_v = s3.attr("data_output_prefix");
    let Some(prefix) = prefix_v.as_str() else {
        if dp == Some(true) && prefix_v.is_null() {
            d.error_at(
                at.at("dynamic_partitioning"),
                "Dynamic partitioning without partition keys",
                "dynamic partitioning needs a data_output_prefix using at least one !{partitionKeyFromQuery:key} or !{partitionKeyFromLambda:key}",
            );
        }
        return;
    };
    let Ok(exprs) = rules::prefix_expressions(prefix) else { return };
    let keys: Vec<(bool, &str)> = exprs
        .iter()
        .filter_map(|e| match e {
            Expr::PartitionKey { lambda, key } => Some((*lambda, key.as_str())),
            _ => None,
        })
        .collect();
    let p = at.at("data_output_prefix");
    match dp {
        Some(false) if !keys.is_empty() => {
            d.error_at(
                p,
                "Partition keys without dynamic partitioning",
                "data_output_prefix uses partition keys, which only dynamic partitioning supplies; add a dynamic_partitioning block",
            );
            return;
        }
        Some(true) if keys.is_empty() => {
            d.error_at(
                p,
                "Dynamic partitioning without partition keys",
                format!("dynamic partitioning needs at least one !{{partitionKeyFromQuery:key}} or !{{partitionKeyFromLambda:key}} in data_output_prefix, given {prefix:?}"),
            );
            return;
        }
        _ => {}
    }
    if dp == Some(true) && s3.attr("error_output_prefix").is_null() {
        d.error_at(
            at.at("error_output_prefix"),
            "Dynamic partitioning without an error prefix",
            "dynamic partitioning needs an error_output_prefix, where records whose keys cannot be found go",
        );
    }
    let procs = s3.attr("processor");
    if !procs.is_wholly_known() {
        return;
    }
    let query = processors::find(procs, processors::METADATA_EXTRACTION).map(|m| m.attr("query"));
    let lambda = processors::find(procs, processors::LAMBDA).is_some();
    for (from_lambda, key) in keys {
        if from_lambda {
            if !lambda {
                d.error_at(
                    p.clone(),
                    "Partition key without a Lambda processor",
                    format!("!{{partitionKeyFromLambda:{key}}} needs a processor {{ lambda {{ ... }} }} that returns the key"),
                );
            }
            continue;
        }
        match query.map(|q| q.as_str()) {
            None => d.error_at(
                p.clone(),
                "Partition key without a query",
                format!("!{{partitionKeyFromQuery:{key}}} needs a processor {{ metadata_extraction {{ query = ... }} }} that yields {key:?}"),
            ),
            Some(Some(q)) => {
                if let Ok(yielded) = processors::query_keys(q) {
                    if !yielded.iter().any(|k| k == key) {
                        d.error_at(
                            p.clone(),
                            "Partition key not yielded by the query",
                            format!("!{{partitionKeyFromQuery:{key}}}: the metadata_extraction query {q:?} yields {}, not {key:?}", yielded.join(", ")),
                        );
                    }
                }
            }
            Some(None) => {}
        }
    }
}
