//! `iceberg`: delivery to Apache Iceberg tables in the account's Glue Data
//! Catalog, with inserts (or, with unique keys, updates and deletes) routed
//! to the listed tables, and a required S3 backup of failed records. The
//! role may read and update exactly the listed tables and write only to
//! the warehouse bucket.

mod api;
mod destination;
mod rules;

use serde_json::json;

use super::shared;
use crate::aws::arn::Arn;
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::framework::validators::{between, length};
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::kind::Grants;

pub const LOG_STREAM: &str = "IcebergDelivery";
pub const RETRY_DURATION: i64 = 300;
pub const BUFFERING_INTERVAL: i64 = 300;
pub const BUFFERING_SIZE: i64 = 5;

/// `AWS/Firehose` metrics of Iceberg delivery.
const METRICS: [&str; 4] = [
    "DeliveryToIceberg.Bytes",
    "DeliveryToIceberg.DataFreshness",
    "DeliveryToIceberg.Records",
    "DeliveryToIceberg.Success",
];

/// What the role does with the catalog (Firehose Developer Guide, "Grant
/// Firehose access to an Apache Iceberg Tables destination").
pub const GLUE_ACTIONS: [&str; 3] = ["glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"];
/// Iceberg rewrites and expires data files, so the warehouse also needs
/// deletes, beyond what S3 delivery needs.
pub const WAREHOUSE_ACTIONS: [&str; 7] = [
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:PutObject",
];

pub struct Iceberg;

fn table_block() -> Block {
    Block::new("A table records are delivered to.")
        .attr(
            A::required("database", Type::String, "Glue database of the table.")
                .check_str("Invalid database name", rules::glue_name),
        )
        .attr(A::required("name", Type::String, "Name of the table.").check_str("Invalid table name", rules::glue_name))
        .attr(A::optional(
            "unique_keys",
            Type::list(Type::String),
            "Columns that identify a row: records then update or delete rows (their operation is set by a processor); without them Firehose only inserts. Not with `append_only`.",
        ))
        .attr(A::optional(
            "partition_fields",
            Type::list(Type::String),
            "Columns an automatically created table is partitioned by (identity transform); only with `table_creation`.",
        ))
        .attr(
            A::optional("error_output_prefix", Type::String, "Prefix in the backup bucket of this table's failed records.")
                .check_str("Invalid error output prefix", length("error_output_prefix", 1, 1024)),
        )
}

pub fn block() -> Block {
    let b = Block::new("Delivery to Apache Iceberg tables in the account's AWS Glue Data Catalog.")
        .attr(
            A::optional_computed(
                "catalog_arn",
                Type::String,
                "ARN of the Glue Data Catalog, `arn:aws:glue:<region>:<account>:catalog`; defaults to this account's in the stream's region.",
            )
            .check_str("Invalid catalog ARN", rules::catalog_arn),
        )
        .attr(
            A::required(
                "warehouse_location",
                Type::String,
                "S3 location of the tables, `s3://<bucket>/<path>`; the role may write only to this bucket.",
            )
            .check_str("Invalid warehouse location", rules::warehouse_location),
        )
        .attr(
            A::optional_computed("append_only", Type::Bool, "Whether records are only inserted (no updates or deletes); default false.")
                .default(Value::Bool(false)),
        )
        .attr(
            A::optional_computed(
                "schema_evolution",
                Type::Bool,
                "Whether Firehose adds columns that records bring; default false.",
            )
            .default(Value::Bool(false)),
        )
        .attr(
            A::optional_computed("table_creation", Type::Bool, "Whether Firehose creates missing tables; default false.")
                .default(Value::Bool(false)),
        )
        .attr(
            A::optional_computed(
                "lake_formation",
                Type::Bool,
                "Whether the tables are governed by AWS Lake Formation: the role then also gets `lakeformation:GetDataAccess`, which Lake Formation grants only on `*`; default false.",
            )
            .default(Value::Bool(false)),
        )
        .attr(
            A::optional_computed(
                "retry_duration",
                Type::Number,
                "Seconds Firehose retries before backing records up, 0 to 7200; default 300.",
            )
            .default(Value::int(RETRY_DURATION))
            .check_whole("Invalid retry duration", between("retry_duration", 0, 7200, "seconds")),
        )
        .attr(
            A::optional_computed("buffering_interval", Type::Number, "Seconds to buffer, 0 to 900; default 300.")
                .default(Value::int(BUFFERING_INTERVAL))
                .check_whole("Invalid buffering interval", between("buffering_interval", 0, 900, "seconds")),
        )
        .attr(
            A::optional_computed("buffering_size", Type::Number, "MiB to buffer, 1 to 128; default 5.")
                .default(Value::int(BUFFERING_SIZE))
                .check_whole("Invalid buffering size", between("buffering_size", 1, 128, "MiBs")),
        )
        .block("table", Nesting::List, 1, 0, table_block());
    shared::common_attrs(b, LOG_STREAM)
}

/// The Glue ARNs of the catalog, and of each table's database and table;
/// None while any is unknown.
fn glue_arns(v: &Value) -> Option<Vec<String>> {
    let catalog = v.attr("catalog_arn").as_str()?;
    let a = Arn::parse(catalog).ok()?;
    let arn = |r: String| Arn::new(&a.partition, "glue", &a.region, &a.account, r).to_string();
    let mut out = vec![catalog.to_string()];
    for t in v.attr("table").elements() {
        let (db, name) = (t.attr("database").as_str()?, t.attr("name").as_str()?);
        for r in [arn(format!("database/{db}")), arn(format!("table/{db}/{name}"))] {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
