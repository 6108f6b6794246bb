//! `opensearch_serverless`: delivery to an Amazon OpenSearch Serverless
//! collection, public or in a VPC, with a required S3 backup of failed (or
//! all) documents. The role may call exactly this collection's API; the
//! collection's data access policy must also admit the role.

mod api;
mod destination;

use serde_json::json;

use super::{search, shared};
use crate::aws::arn::Arn;
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::kind::Grants;

pub const LOG_STREAM: &str = "OpenSearchServerlessDelivery";
pub use super::search::{BUFFERING_INTERVAL, BUFFERING_SIZE, RETRY_DURATION};

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
        .block("vpc", Nesting::List, 0, 1, search::vpc_block());
    let b = search::delivery_attrs(b);
    shared::common_attrs(b, LOG_STREAM)
}

#[cfg(test)]
mod tests;
