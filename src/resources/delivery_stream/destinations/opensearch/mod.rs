//! `opensearch`: delivery to an Amazon OpenSearch Service domain, public or
//! in a VPC, with a required S3 backup of failed (or all) documents. The
//! role may write to exactly this domain and read the few cluster and index
//! paths Firehose reads.

mod api;
mod rules;

use serde_json::json;

use super::{search, shared, Destination};
use crate::protocol::{AttrPath, Attribute as A, Block, Nesting, Type, Value};
use crate::resources::delivery_stream::derive::Ctx;
use crate::resources::delivery_stream::policies::Grants;
use crate::resources::delivery_stream::validate::Checker;

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

impl Destination for OpenSearch {
    fn name(&self) -> &'static str {
        "opensearch"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        search::validate(v, at, c);
        rules::validate(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        search::requires_replace(prior, planned, at)
    }

    fn grants(&self, v: &Value, _stream: &str, ctx: &Ctx, g: &mut Grants) -> Option<()> {
        let domain = rules::domain(v, ctx)?;
        let index = v.attr("index_name").as_str()?;
        let ty = v.attr("type_name");
        if !ty.is_known() {
            return None;
        }
        let mapping = match ty.as_str() {
            Some(t) => format!("{domain}/{index}*/_mapping/{t}"),
            None => format!("{domain}/{index}*/_mapping"),
        };
        g.statements.push(json!({
            "Sid": "OpenSearchDomain",
            "Effect": "Allow",
            "Action": DOMAIN_ACTIONS,
            "Resource": [domain.clone(), format!("{domain}/*")],
        }));
        let reads: Vec<String> =
            ["_all/_settings", "_cluster/stats", "_nodes", "_nodes/stats", "_nodes/*/stats", "_stats"]
                .iter()
                .map(|p| format!("{domain}/{p}"))
                .chain([mapping, format!("{domain}/{index}*/_stats"), format!("{domain}/")])
                .collect();
        g.statements
            .push(json!({"Sid": "OpenSearchReads", "Effect": "Allow", "Action": "es:ESHttpGet", "Resource": reads}));
        search::vpc_grants(v, &ctx.region, &ctx.partition, &ctx.account, g)
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    super::sdk_methods!(
        amazonopensearchservice_destination_configuration,
        amazonopensearchservice_destination_update,
        amazonopensearchservice_destination_description
    );
}

#[cfg(test)]
mod tests;
