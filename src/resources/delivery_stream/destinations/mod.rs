//! Destination kinds, in the spirit of the CDK's `IDestination.bind()`: each
//! kind is one module that supplies its HCL block, its defaults and rules,
//! what its role needs, the metrics it reports, and its side of the Firehose
//! API (the configuration sent on create and update, and the block read back
//! from a description). The rest of the resource goes through this trait
//! and never names a kind.
//!
//! Every kind's block shares the attributes the resource manages for any
//! destination: `role_arn`, `logging`, `log_group_name`, `processor` and
//! `s3_backup`. Adding a kind means one module here and one entry in `KINDS`
//! (docs/architecture.md, "Where a change goes").

pub mod http_endpoint;
pub mod iceberg;
pub mod opensearch;
pub mod opensearch_serverless;
pub mod redshift;
pub mod s3;
mod search;
mod shared;
pub mod snowflake;
pub mod splunk;
#[cfg(test)]
pub(crate) mod testing;

pub use shared::SECRET_ACTIONS;

use aws_sdk_firehose::operation::create_delivery_stream::builders::CreateDeliveryStreamFluentBuilder;
use aws_sdk_firehose::operation::update_destination::builders::UpdateDestinationFluentBuilder;
use aws_sdk_firehose::types as fh;

use crate::protocol::{AttrPath, Block, Nesting, Value};

use super::derive::Ctx;
use super::model::S3Spec;
use super::policies::Grants;
use super::preflight::Kind as RefKind;
use super::validate::Checker;

/// What apply hands a kind: the planned block and what the resource made
/// around it.
pub struct Bound<'a> {
    pub stream: &'a str,
    pub role_arn: &'a str,
    pub block: &'a Value,
    /// The same block in the configuration: where write-only values are.
    pub config: &'a Value,
    pub backup: Option<&'a S3Spec>,
}

/// Sets a kind's configuration on a CreateDeliveryStream call.
pub type CreateFn = Box<dyn Fn(CreateDeliveryStreamFluentBuilder) -> CreateDeliveryStreamFluentBuilder + Send + Sync>;
/// Sets a kind's configuration on an UpdateDestination call.
pub type UpdateFn = Box<dyn Fn(UpdateDestinationFluentBuilder) -> UpdateDestinationFluentBuilder + Send + Sync>;

pub trait Destination: Sync {
    /// The block's name inside `destination`.
    fn name(&self) -> &'static str;
    /// The log stream delivery errors go to (Firehose's convention per kind).
    fn log_stream(&self) -> &'static str;
    fn block(&self) -> Block;
    /// Defaults of unset optional attributes that depend on other settings
    /// (those that do not are declared on the schema).
    fn apply_defaults(&self, _v: &mut Value) {}
    /// Values of the block that depend on where the stream lives.
    fn derive(&self, _v: &mut Value, _ctx: Option<&Ctx>) {}
    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker);
    /// Paths (under `at`) whose change from `prior` AWS cannot apply in place.
    fn requires_replace(&self, _prior: &Value, _planned: &Value, _at: &AttrPath) -> Vec<AttrPath> {
        Vec::new()
    }
    /// What the destination role needs for this block; None while unknown.
    fn grants(&self, v: &Value, stream: &str, ctx: &Ctx, g: &mut Grants) -> Option<()>;
    /// `AWS/Firehose` metrics the destination reports.
    fn metrics(&self, v: &Value) -> Vec<&'static str>;
    /// How long records are buffered before delivery (for the freshness
    /// alarm); null when the kind's default applies.
    fn buffering_interval<'v>(&self, v: &'v Value) -> &'v Value {
        v.attr("buffering_interval")
    }
    /// The AWS objects the block references, for preflight (beyond the
    /// role, log group, processors and backup every kind has).
    fn refs<'v>(&self, _v: &'v Value, _at: &AttrPath) -> Vec<(RefKind, AttrPath, &'v Value)> {
        Vec::new()
    }
    fn create(&self, b: &Bound<'_>) -> Result<CreateFn, String>;
    fn update(&self, b: &Bound<'_>) -> Result<UpdateFn, String>;
    /// The block (and the role it uses) from a description, if it is of this
    /// kind; `prior` is the block in the prior state (None on import), for
    /// what AWS does not report.
    fn read(
        &self,
        d: &fh::DestinationDescription,
        stream: &str,
        derived_role: &str,
        prior: Option<&Value>,
    ) -> Option<(Value, String)>;
}

/// The `Destination` methods that only name a kind's SDK shapes, for a
/// kind module with `api::create`, `api::update` and `api::read(description,
/// stream, derived role, prior)`: the builder setters of create and update,
/// and the description's getter.
macro_rules! sdk_methods {
    ($configuration:ident, $update:ident, $description:ident) => {
        fn create(&self, b: &super::Bound<'_>) -> Result<super::CreateFn, String> {
            let conf = api::create(b)?;
            Ok(Box::new(move |call| call.$configuration(conf.clone())))
        }

        fn update(&self, b: &super::Bound<'_>) -> Result<super::UpdateFn, String> {
            let conf = api::update(b)?;
            Ok(Box::new(move |call| call.$update(conf.clone())))
        }

        fn read(
            &self,
            d: &aws_sdk_firehose::types::DestinationDescription,
            stream: &str,
            derived_role: &str,
            prior: Option<&crate::protocol::Value>,
        ) -> Option<(crate::protocol::Value, String)> {
            Some(api::read(d.$description()?, stream, derived_role, prior))
        }
    };
}
use sdk_methods;

pub const KINDS: [&dyn Destination; 8] = [
    &s3::S3,
    &http_endpoint::HttpEndpoint,
    &splunk::Splunk,
    &redshift::Redshift,
    &snowflake::Snowflake,
    &iceberg::Iceberg,
    &opensearch::OpenSearch,
    &opensearch_serverless::OpenSearchServerless,
];

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
