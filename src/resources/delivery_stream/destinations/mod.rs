//! Destination kinds, in the spirit of the CDK's `IDestination.bind()`: each
//! kind is one module that supplies its HCL block, its defaults and rules,
//! what its role needs, the metrics it reports, and its side of the Firehose
//! API (the configuration sent on create and update, and the block read back
//! from a description). The rest of the resource goes through this trait
//! and never names a kind.
//!
//! Every kind's block shares the attributes the resource manages for any
//! destination: `role_arn`, `logging`, `log_group_name`, `processor` and
//! `s3_backup`. Adding a kind means its module and one line in the registry
//! (docs/architecture.md, "Where a change goes").

mod search;
mod shared;
#[cfg(test)]
pub(crate) mod testing;

use aws_sdk_firehose::types as fh;

use crate::framework::schema::{Block, Nesting};
use crate::protocol::{AttrPath, Value};

use super::kind::{Checker, Destination};

// One line per kind: its module and its entry in `KINDS`.
super::kind::registry! {Destination:
    s3::S3,
    http_endpoint::HttpEndpoint,
    splunk::Splunk,
    redshift::Redshift,
    snowflake::Snowflake,
    iceberg::Iceberg,
    opensearch::OpenSearch,
    opensearch_serverless::OpenSearchServerless,
}

/// The `destination` block: one optional block per kind, exactly one set.
pub fn block() -> Block {
    KINDS.iter().fold(
        Block::new("Where records are delivered: exactly one destination block, holding exactly one kind."),
        |b, k| b.block(k.name(), Nesting::List, 0, 1, k.block()),
    )
}

/// The kind of a resource object's destination and its block.
pub fn of(v: &Value) -> Option<(&'static dyn Destination, &Value)> {
    let d = v.block("destination")?;
    KINDS.iter().find_map(|k| d.block(k.name()).map(|b| (*k, b)))
}

/// The same, mutable.
pub fn of_mut(v: &mut Value) -> Option<(&'static dyn Destination, &mut Value)> {
    let Value::Object(m) = v else { return None };
    let Some(Value::List(ds)) = m.get_mut("destination") else { return None };
    let Value::Object(d) = ds.first_mut()? else { return None };
    let k = *KINDS.iter().find(|k| matches!(d.get(k.name()), Some(Value::List(l)) if !l.is_empty()))?;
    match d.get_mut(k.name()) {
        Some(Value::List(l)) => l.first_mut().map(|b| (k, b)),
        _ => None,
    }
}

/// The path of a destination block of kind `k`.
pub fn path(k: &dyn Destination) -> AttrPath {
    AttrPath::attr("destination").index(0).at(k.name()).index(0)
}

pub fn apply_defaults(v: &mut Value) {
    if let Some((k, b)) = of_mut(v) {
        k.apply_defaults(b);
    }
}

/// Exactly one destination of exactly one kind, then the kind's rules.
pub fn validate(config: &Value, c: &mut Checker) {
    let dest = config.attr("destination");
    if !dest.is_known() {
        return;
    }
    let root = AttrPath::attr("destination");
    let n = dest.elements().len();
    if let Err(e) = super::rules::destination_count(n) {
        let at = if n > 1 { root.index(1) } else { root.clone() };
        c.d.error_at(at, "Invalid destination", e);
    }
    for (i, d) in dest.elements().iter().enumerate() {
        let set: Vec<&dyn Destination> =
            KINDS.iter().copied().filter(|k| !d.attr(k.name()).elements().is_empty()).collect();
        if set.len() != 1 && d.is_wholly_known() {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name()).collect();
            c.d.error_at(
                root.index(i),
                "Invalid destination",
                format!("a destination block holds exactly one of {}, this one holds {}", names.join(", "), set.len()),
            );
        }
        for k in set {
            k.validate(&d.attr(k.name()).elements()[0], &root.index(i).at(k.name()).index(0), c);
        }
    }
}

/// A destination description read back through whichever kind it is.
pub fn read(d: &fh::DestinationDescription, stream: &str, derived_role: &str, prior: Option<&Value>) -> Option<Value> {
    KINDS.iter().find_map(|k| {
        let prior_block = prior.and_then(of).filter(|(pk, _)| pk.name() == k.name()).map(|(_, b)| b);
        let (b, _) = k.read(d, stream, derived_role, prior_block)?;
        let mut obj = block().null_object();
        obj.set_attr(k.name(), Value::List(vec![b]));
        block().normalize(&mut obj);
        Some(Value::List(vec![obj]))
    })
}
