//! `opensearch_serverless`: delivery to an Amazon OpenSearch Serverless
//! collection, public or in a VPC, with a required S3 backup of failed (or
//! all) documents. The role may call exactly this collection's API; the
//! collection's data access policy must also admit the role.

mod api;

use aws_sdk_firehose::types as fh;
use serde_json::json;

use super::{search, shared, Bound, CreateFn, Destination, UpdateFn};
use crate::aws::arn::Arn;
use crate::protocol::{AttrPath, Attribute as A, Block, Nesting, Type, Value};
use crate::resources::delivery_stream::derive::Ctx;
use crate::resources::delivery_stream::policies::Grants;
use crate::resources::delivery_stream::validate::Checker;

pub const LOG_STREAM: &str = "OpenSearchServerlessDelivery";
pub const RETRY_DURATION: i64 = 300;
pub const BUFFERING_INTERVAL: i64 = 300;
pub const BUFFERING_SIZE: i64 = 5;

/// `AWS/Firehose` metrics of OpenSearch Serverless delivery.
const METRICS: [&str; 4] = [
    "DeliveryToAmazonOpenSearchServerless.Bytes",
    "DeliveryToAmazonOpenSearchServerless.DataFreshness",
    "DeliveryToAmazonOpenSearchServerless.Records",
    "DeliveryToAmazonOpenSearchServerless.Success",
];

pub struct OpenSearchServerless;

/// The collection ID and region of `https://<id>.<region>.aoss.amazonaws.com`.
pub fn collection(endpoint: &str) -> Result<(String, String), String> {
    let bad = || {
        format!(
            "expected the collection endpoint, https://<collection id>.<region>.aoss.amazonaws.com, given {endpoint:?}"
        )
    };
    let host = endpoint.strip_prefix("https://").ok_or_else(bad)?.trim_end_matches('/');
    let mut labels = host.splitn(3, '.');
    let (Some(id), Some(region), Some(rest)) = (labels.next(), labels.next(), labels.next()) else { return Err(bad()) };
    let id_ok = (3..=40).contains(&id.len()) && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !id_ok || !rest.starts_with("aoss.amazonaws.com") || !crate::aws::arn::is_region_shape(region) {
        return Err(bad());
    }
    Ok((id.to_string(), region.to_string()))
}

pub fn block() -> Block {
    let b = Block::new("Delivery to an Amazon OpenSearch Serverless collection.")
        .attr(
            A::required(
                "collection_endpoint",
                Type::String,
                "The collection's endpoint, `https://<collection id>.<region>.aoss.amazonaws.com`.",
            )
            .check_str("Invalid collection endpoint", |s| collection(s).map(drop)),
        )
        .attr(
            A::required("index_name", Type::String, "Index documents go to.")
                .check_str("Invalid index name", search::index_name),
        )
        .attr(
            A::optional_computed(
                "retry_duration",
                Type::Number,
                "Seconds Firehose retries before backing documents up, 0 to 7200; default 300.",
            )
            .default(Value::int(RETRY_DURATION))
            .check_whole("Invalid retry duration", |v| shared::between("retry_duration", 0, 7200, "seconds", v)),
        )
        .attr(
            A::optional_computed("buffering_interval", Type::Number, "Seconds to buffer, 0 to 900; default 300.")
                .default(Value::int(BUFFERING_INTERVAL))
                .check_whole("Invalid buffering interval", |v| {
                    shared::between("buffering_interval", 0, 900, "seconds", v)
                }),
        )
        .attr(
            A::optional_computed("buffering_size", Type::Number, "MiB to buffer, 1 to 100; default 5.")
                .default(Value::int(BUFFERING_SIZE))
                .check_whole("Invalid buffering size", |v| shared::between("buffering_size", 1, 100, "MiBs", v)),
        )
        .block("vpc", Nesting::List, 0, 1, search::vpc_block());
    shared::common_attrs(b, LOG_STREAM)
}

impl Destination for OpenSearchServerless {
    fn name(&self) -> &'static str {
        "opensearch_serverless"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn apply_defaults(&self, _v: &mut Value) {}

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        shared::validate_common(v, at, c);
        search::validate_vpc(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        let mut out = shared::backup_mode_replaces(prior, planned, at);
        out.extend(search::vpc_replaces(prior, planned, at));
        out
    }

    fn grants(&self, v: &Value, _stream: &str, ctx: &Ctx, g: &mut Grants) -> Option<()> {
        let (id, region) = collection(v.attr("collection_endpoint").as_str()?).ok()?;
        let arn = Arn::new(&ctx.partition, "aoss", &region, &ctx.account, format!("collection/{id}")).to_string();
        g.statements.push(
            json!({"Sid": "OpenSearchServerless", "Effect": "Allow", "Action": "aoss:APIAccessAll", "Resource": arn}),
        );
        search::vpc_grants(v, &ctx.region, &ctx.partition, &ctx.account, g)
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    fn create(&self, b: &Bound<'_>) -> Result<CreateFn, String> {
        let conf = api::create(b)?;
        Ok(Box::new(move |call| call.amazon_open_search_serverless_destination_configuration(conf.clone())))
    }

    fn update(&self, b: &Bound<'_>) -> Result<UpdateFn, String> {
        let conf = api::update(b)?;
        Ok(Box::new(move |call| call.amazon_open_search_serverless_destination_update(conf.clone())))
    }

    fn read(
        &self,
        d: &fh::DestinationDescription,
        stream: &str,
        derived_role: &str,
        _prior: Option<&Value>,
    ) -> Option<(Value, String)> {
        let o = d.amazon_open_search_serverless_destination_description()?;
        Some(api::read(o, stream, derived_role))
    }
}

#[cfg(test)]
mod tests;
