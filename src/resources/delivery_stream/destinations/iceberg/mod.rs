//! `iceberg`: delivery to Apache Iceberg tables in the account's Glue Data
//! Catalog, with inserts (or, with unique keys, updates and deletes) routed
//! to the listed tables, and a required S3 backup of failed records. The
//! role may read and update exactly the listed tables and write only to
//! the warehouse bucket.

mod api;
mod rules;

use serde_json::json;

use super::{shared, Destination};
use crate::aws::arn::Arn;
use crate::protocol::{AttrPath, Attribute as A, Block, Nesting, Type, Value};
use crate::resources::delivery_stream::derive::Ctx;
use crate::resources::delivery_stream::policies::Grants;
use crate::resources::delivery_stream::validate::Checker;

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
                .check_str("Invalid error output prefix", |s| rules::length("error_output_prefix", s, 1, 1024)),
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
            .check_whole("Invalid retry duration", |v| shared::between("retry_duration", 0, 7200, "seconds", v)),
        )
        .attr(
            A::optional_computed("buffering_interval", Type::Number, "Seconds to buffer, 0 to 900; default 300.")
                .default(Value::int(BUFFERING_INTERVAL))
                .check_whole("Invalid buffering interval", |v| shared::between("buffering_interval", 0, 900, "seconds", v)),
        )
        .attr(
            A::optional_computed("buffering_size", Type::Number, "MiB to buffer, 1 to 128; default 5.")
                .default(Value::int(BUFFERING_SIZE))
                .check_whole("Invalid buffering size", |v| shared::between("buffering_size", 1, 128, "MiBs", v)),
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

impl Destination for Iceberg {
    fn name(&self) -> &'static str {
        "iceberg"
    }

    fn log_stream(&self) -> &'static str {
        LOG_STREAM
    }

    fn block(&self) -> Block {
        block()
    }

    fn derive(&self, v: &mut Value, ctx: Option<&Ctx>) {
        if v.attr("catalog_arn").is_null() {
            let arn = ctx.map_or(Value::UNKNOWN, |c| {
                Value::string(Arn::new(&c.partition, "glue", &c.region, &c.account, "catalog").to_string())
            });
            v.set_attr("catalog_arn", arn);
        }
    }

    fn validate(&self, v: &Value, at: &AttrPath, c: &mut Checker) {
        shared::validate_common(v, at, c);
        rules::validate(v, at, c);
    }

    fn requires_replace(&self, prior: &Value, planned: &Value, at: &AttrPath) -> Vec<AttrPath> {
        shared::backup_mode_replaces(prior, planned, at)
    }

    fn grants(&self, v: &Value, _stream: &str, _ctx: &Ctx, g: &mut Grants) -> Option<()> {
        if !v.attr("table").is_wholly_known()
            || !v.attr("table_creation").is_known()
            || !v.attr("lake_formation").is_known()
        {
            return None;
        }
        let mut actions: Vec<&str> = GLUE_ACTIONS.to_vec();
        if v.attr("table_creation").as_bool() == Some(true) {
            actions.push("glue:CreateTable");
        }
        g.statements
            .push(json!({"Sid": "IcebergCatalog", "Effect": "Allow", "Action": actions, "Resource": glue_arns(v)?}));
        let bucket = rules::warehouse_bucket(v.attr("warehouse_location").as_str()?)?;
        let arn =
            Arn::new(&Arn::parse(v.attr("catalog_arn").as_str()?).ok()?.partition, "s3", "", "", bucket).to_string();
        g.statements.push(json!({
            "Sid": "IcebergWarehouse",
            "Effect": "Allow",
            "Action": WAREHOUSE_ACTIONS,
            "Resource": [arn.clone(), format!("{arn}/*")],
        }));
        if v.attr("lake_formation").as_bool() == Some(true) {
            g.statements.push(json!({
                "Sid": "LakeFormation",
                "Effect": "Allow",
                "Action": "lakeformation:GetDataAccess",
                "Resource": "*",
            }));
        }
        Some(())
    }

    fn metrics(&self, _v: &Value) -> Vec<&'static str> {
        METRICS.to_vec()
    }

    super::sdk_methods!(iceberg_destination_configuration, iceberg_destination_update, iceberg_destination_description);
}

#[cfg(test)]
mod tests;
