//! What only an S3 destination has beyond delivery basics: its time zone,
//! file extension, dynamic partitioning and format conversion
//! (docs/resources/delivery_stream.md), and the rules tying them to the
//! prefixes, buffering and processors.

pub mod api;
pub mod conversion;
pub mod features;
pub mod partitioning;
pub mod schema;
pub mod validate;

pub use features::{apply_defaults, conversion, dynamic_partitioning, extend, TIME_ZONE};

use aws_sdk_firehose::types as fh;

use crate::framework::schema::Block;
use crate::protocol::{AttrPath, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Grants;
use crate::resources::delivery_stream::kind::{joined, or_empty, RefKind, Reference};
use crate::resources::delivery_stream::kind::{Bound, CreateFn, Destination, UpdateFn};
use crate::resources::delivery_stream::{defaults, kind, names};

/// Delivery to an S3 bucket (`ExtendedS3` in the Firehose API).
pub struct S3;

/// `AWS/Firehose` metrics of S3 delivery (Firehose Developer Guide,
/// "Monitor Amazon Data Firehose with CloudWatch metrics").
const DELIVERY_METRICS: [&str; 4] =
    ["DeliveryToS3.Bytes", "DeliveryToS3.Records", "DeliveryToS3.Success", "DeliveryToS3.DataFreshness"];
/// The guide lists the object count with the dynamic partitioning metrics.
const PARTITIONING_METRICS: [&str; 5] = [
    "PartitionCount",
    "PartitionCountExceeded",
    "PerPartitionThroughput",
    "ActivePartitionsLimit",
    "DeliveryToS3.ObjectCount",
];
const CONVERSION_METRICS: [&str; 4] =
    ["SucceedConversion.Records", "SucceedConversion.Bytes", "FailedConversion.Records", "FailedConversion.Bytes"];

fn known(v: &Value) -> Option<Option<String>> {
    v.is_known().then(|| v.as_str().map(str::to_string))
}

impl Destination for S3 {
    fn name(&self) -> &'static str {
        "s3_bucket"
    }

    fn log_stream(&self) -> &'static str {
        names::DESTINATION_LOG_STREAM
    }

    fn block(&self) -> Block {
        schema::block()
    }

    fn apply_defaults(&self, v: &mut Value) {
        apply_defaults(v, defaults::BUFFERING_SIZE);
    }

    fn derive(&self, v: &mut Value, ctx: Option<&Ctx>) {
        if let Some(c) = v.block_mut("data_format_conversion") {
            conversion::derive(c, ctx.map(|c| c.region.as_str()), ctx.map(|c| c.account.as_str()));
        }
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        validate::s3_bucket(c, v, at);
    }

    /// Dynamic partitioning cannot be switched on or off on an existing stream.
    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        let on = |v: &Value| dynamic_partitioning(v).is_some();
        if on(prior) != on(planned) {
            vec![at.at("dynamic_partitioning")]
        } else {
            Vec::new()
        }
    }

    fn grants(&self, v: &Value, _stream: &str, ctx: &Ctx, g: &mut Grants) -> Option<()> {
        g.bucket_arns.push(known(v.attr("bucket_arn"))?.unwrap_or_default());
        g.s3_key_arns.extend(known(v.attr("encryption_key_arn"))?);
        if let Some(c) = conversion(v) {
            let tables = conversion::glue_arns(c, &ctx.partition)?;
            if !tables.is_empty() {
                g.statements.push(serde_json::json!({
                    "Sid": "FormatConversion",
                    "Effect": "Allow",
                    "Action": conversion::GLUE_ACTIONS,
                    "Resource": tables,
                }));
            }
        }
        Some(())
    }

    fn metrics(&self, v: &Value) -> Vec<&'static str> {
        let mut out = DELIVERY_METRICS.to_vec();
        if dynamic_partitioning(v).is_some() {
            out.extend(PARTITIONING_METRICS);
        }
        if conversion(v).is_some() {
            out.extend(CONVERSION_METRICS);
        }
        out
    }

    fn refs(&self, v: &Value, at: &AttrPath) -> Vec<Reference> {
        let mut out = vec![
            (RefKind::Bucket, at.at("bucket_arn"), v.attr("bucket_arn").clone()),
            (RefKind::Key, at.at("encryption_key_arn"), v.attr("encryption_key_arn").clone()),
        ];
        if let Some(sc) = conversion(v).and_then(|c| c.block("schema")) {
            let table = joined(&[
                &or_empty(sc.attr("catalog_id")),
                &or_empty(sc.attr("region")),
                sc.attr("database_name"),
                sc.attr("table_name"),
            ]);
            let sp = at.at("data_format_conversion").index(0).at("schema").index(0);
            out.push((RefKind::GlueTable, sp.at("table_name"), table));
        }
        out
    }

    fn create(&self, b: &Bound<'_>) -> Result<CreateFn, String> {
        let s3 = kind::s3_spec(b.block, b.stream)?;
        let d = api::Destination { role_arn: b.role_arn, s3: &s3, block: b.block, backup: b.backup };
        let conf = api::destination_create(&d)?;
        Ok(Box::new(move |call| call.extended_s3_destination_configuration(conf.clone())))
    }

    fn update(&self, b: &Bound<'_>) -> Result<UpdateFn, String> {
        let s3 = kind::s3_spec(b.block, b.stream)?;
        let d = api::Destination { role_arn: b.role_arn, s3: &s3, block: b.block, backup: b.backup };
        let conf = api::destination_update(&d)?;
        Ok(Box::new(move |call| call.extended_s3_destination_update(conf.clone())))
    }

    fn read(
        &self,
        d: &fh::DestinationDescription,
        stream: &str,
        derived_role: &str,
        _prior: Option<&Value>,
    ) -> Option<(Value, String)> {
        let s3 = d.extended_s3_destination_description()?;
        Some(api::destination_value(s3, stream, derived_role))
    }
}

#[cfg(test)]
mod tests;
