//! `opensearch`: delivery to an Amazon OpenSearch Service domain, public or
//! in a VPC, with a required S3 backup of failed (or all) documents. The
//! role may write to exactly this domain and read the few cluster and index
//! paths Firehose reads.

mod api;
mod destination;
pub mod rules;

use serde_json::json;

use super::{search, shared};
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::kind::Grants;

pub const LOG_STREAM: &str = "OpenSearchDelivery";
pub const ROTATION: &str = "OneDay";
pub use super::search::{BUFFERING_INTERVAL, BUFFERING_SIZE, RETRY_DURATION};

/// `AWS/Firehose` metrics of OpenSearch Service delivery.
const METRICS: [&str; 4] = [
    "DeliveryToAmazonOpenSearchService.Bytes",
    "DeliveryToAmazonOpenSearchService.DataFreshness",
    "DeliveryToAmazonOpenSearchService.Records",
    "DeliveryToAmazonOpenSearchService.Success",
];

/// Firehose Developer Guide, "Grant Firehose access to a public OpenSearch
/// Service destination".
const DOMAIN_ACTIONS: [&str; 5] =
    ["es:DescribeDomain", "es:DescribeDomainConfig", "es:DescribeDomains", "es:ESHttpPost", "es:ESHttpPut"];

pub struct OpenSearch;

pub fn block() -> Block {
    let b = Block::new("Delivery to an Amazon OpenSearch Service domain.")
        .attr(
            A::optional("domain_arn", Type::String, "ARN of the domain; or give `cluster_endpoint`.")
                .check_str("Invalid domain ARN", |s| rules::domain_arn(s).map(drop)),
        )
        .attr(
            A::optional(
                "cluster_endpoint",
                Type::String,
                "The domain's endpoint, `https://search-<domain>-<id>.<region>.es.amazonaws.com` (or `vpc-...`), instead of `domain_arn`.",
            )
            .check_str("Invalid cluster endpoint", |s| rules::endpoint_domain(s).map(drop)),
        )
        .attr(A::required("index_name", Type::String, "Index documents go to (a prefix, with rotation).").check_str("Invalid index name", search::index_name))
        .attr(
            A::optional("type_name", Type::String, "Document type, for Elasticsearch 6.x domains only.")
                .check_str("Invalid type name", |s| shared::between("type_name length", 1, 100, "characters", s.len() as i64)),
        )
        .attr(
            A::optional_computed(
                "index_rotation_period",
                Type::String,
                "How often a new index starts (a timestamp is appended): `NoRotation`, `OneHour`, `OneDay` (default), `OneWeek` or `OneMonth`.",
            )
            .default(Value::string(ROTATION))
            .check_str("Invalid index rotation period", rules::rotation),
        )
        .attr(
            A::optional(
                "document_id",
                Type::String,
                "`FIREHOSE_DEFAULT` (Firehose's ID, so retries do not duplicate) or `NO_DOCUMENT_ID` (OpenSearch assigns IDs).",
            )
            .check_str("Invalid document ID option", rules::document_id),
        )
        .block("vpc", Nesting::List, 0, 1, search::vpc_block());
    let b = search::delivery_attrs(b);
    shared::common_attrs(b, LOG_STREAM)
}

#[cfg(test)]
mod tests;
