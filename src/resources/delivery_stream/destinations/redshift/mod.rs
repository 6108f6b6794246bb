//! `redshift`: delivery to an Amazon Redshift table, on a provisioned
//! cluster or a Serverless workgroup. Firehose writes records to a staging
//! bucket (`s3_staging`) and loads them with COPY; source records may also
//! be backed up (`s3_backup`). The database password never reaches the plan
//! or the state: write-only (`password_wo`) or in Secrets Manager
//! (`secret_arn`, which then holds the user name too).

mod api;
mod destination;
mod rules;

use super::s3::schema::{backup_block_with, s3_common};
use super::shared;
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::framework::validators::{between, length};
use crate::protocol::{AttrPath, Type, Value};
use crate::resources::delivery_stream::kind::Checker;
use crate::resources::delivery_stream::kind::Ctx;
use crate::resources::delivery_stream::kind::Destination;
use crate::resources::delivery_stream::kind::Grants;
use crate::resources::delivery_stream::kind::{RefKind, Reference};

/// The JSON keys Firehose reads from the secret (Firehose Developer Guide,
/// "Understand secrets").
pub const SECRET_KEYS: &[&str] = &["username", "password"];
pub const LOG_STREAM: &str = "RedshiftDelivery";
pub const RETRY_DURATION: i64 = 3600;

/// `AWS/Firehose` metrics of Redshift delivery, then of the staging bucket
/// (which has the freshness: Redshift's own metrics have none).
const METRICS: [&str; 7] = [
    "DeliveryToRedshift.Bytes",
    "DeliveryToRedshift.Records",
    "DeliveryToRedshift.Success",
    "DeliveryToS3.Bytes",
    "DeliveryToS3.Records",
    "DeliveryToS3.Success",
    "DeliveryToS3.DataFreshness",
];

pub struct Redshift;

/// The staging bucket: where and how records are written before COPY. Its
/// delivery errors are logged with the destination's.
fn staging_block() -> Block {
    let mut b = s3_common(
        Block::new(
            "The bucket Firehose writes records to before COPY loads them. `compression` may be `UNCOMPRESSED` or `GZIP` (then `copy_options` must say `GZIP`).",
        ),
        false,
    );
    b.attributes.retain(|a| a.name != "logging" && a.name != "log_group_name");
    b
}

pub fn block() -> Block {
    let b = Block::new(
        "Delivery to an Amazon Redshift table (provisioned cluster or Serverless workgroup) through a staging bucket and COPY.",
    )
    .attr(
        A::required(
            "cluster_jdbc_url",
            Type::String,
            "JDBC URL of the database: `jdbc:redshift://<endpoint>:<port>/<database>`.",
        )
        .check_str("Invalid JDBC URL", rules::jdbc_url),
    )
    .attr(
        A::optional("username", Type::String, "Database user Firehose connects as; not with `secret_arn`, whose secret holds it.")
            .check_str("Invalid user name", length("username", 1, 512)),
    )
    .attr(
        A::required("data_table_name", Type::String, "Table COPY loads into; it must exist.")
            .check_str("Invalid table name", length("data_table_name", 1, 512)),
    )
    .attr(
        A::optional("data_table_columns", Type::String, "Comma-separated columns COPY fills; default every column, in order.")
            .check_str("Invalid table columns", rules::columns),
    )
    .attr(
        A::optional(
            "copy_options",
            Type::String,
            "COPY parameters, e.g. `JSON 'auto' GZIP`; Firehose supplies FROM, CREDENTIALS and MANIFEST itself.",
        )
        .check_str("Invalid COPY options", rules::copy_options),
    )
    .attr(
        A::optional_computed(
            "retry_duration",
            Type::Number,
            "Seconds Firehose retries a failed COPY, 0 to 7200; default 3600.",
        )
        .default(Value::int(RETRY_DURATION))
        .check_whole("Invalid retry duration", between("retry_duration", 0, 7200, "seconds")),
    );
    let b = shared::secret_attrs(b, "password_wo", "password_wo_version", "The database user's password");
    shared::base_attrs(b, LOG_STREAM).block("s3_staging", Nesting::List, 1, 1, staging_block()).block(
        "s3_backup",
        Nesting::List,
        0,
        1,
        backup_block_with(
            "Which records to back up: `ALL` (default), every source record; Redshift has no backup of failed records only.",
            "ALL",
            rules::backup_mode,
        ),
    )
}

fn known(v: &Value) -> Option<Option<String>> {
    v.is_known().then(|| v.as_str().map(str::to_string))
}

#[cfg(test)]
mod tests;
