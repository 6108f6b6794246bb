//! Data source `firehose_delivery_stream`: an existing delivery stream
//! looked up by name, with its ARN, status, source, encryption, the S3
//! settings at the top level and every destination kind and the MSK source
//! in the resource's own shape. Reads go through the resource's
//! `destinations::read` and `sources::read`, so both report a stream the same way.

use std::collections::BTreeMap;

use aws_sdk_firehose::types as fh;

use crate::framework::schema::{Attribute as A, Block, Schema};
use crate::framework::{DataSource, Outcome};
use crate::protocol::{AttrPath, Diagnostics, Type, Value};
use crate::provider::{AwsClients, Env};
use crate::resources::delivery_stream::enums::Compression;
use crate::resources::delivery_stream::{api, destinations, names, rules, sources, stream};

pub const TYPE_NAME: &str = "firehose_delivery_stream";

pub struct DeliveryStreamData;

#[tonic::async_trait]
impl DataSource<AwsClients> for DeliveryStreamData {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        validate(config)
    }

    async fn read(&self, env: &Env, config: &Value) -> Outcome {
        read(env, config).await
    }
}

/// The resource's block `name` without its write-only attributes: the shape
/// in which the data source reports that part of a stream.
fn resource_block(name: &str) -> Block {
    let resource = crate::resources::delivery_stream::schema::block();
    resource.nested(name).map(|n| n.block.without_write_only()).unwrap_or_else(|| Block::new(""))
}

pub fn schema() -> Schema {
    let block = Block::new(
        "Looks up an existing Kinesis Data Firehose delivery stream by name and exports its ARN, status, source, \
         server-side encryption and S3 destination settings. The stream need not be managed by Terraform.",
    )
    .attr(A::required("name", Type::String, "Name of the delivery stream to look up."))
    .attr(A::computed("arn", Type::String, "ARN of the delivery stream."))
    .attr(A::computed(
        "status",
        Type::String,
        "Status of the stream: `CREATING`, `ACTIVE`, `DELETING`, `CREATING_FAILED` or `DELETING_FAILED`.",
    ))
    .attr(A::computed("version_id", Type::String, "Version of the stream's configuration; changes with every update."))
    .attr(A::computed(
        "encryption",
        Type::String,
        "Server-side encryption of the stream: `UNENCRYPTED`, `AWS_OWNED` or `CUSTOMER_MANAGED`.",
    ))
    .attr(A::computed(
        "encryption_key_arn",
        Type::String,
        "ARN of the customer-managed KMS key for server-side encryption; null unless `encryption` is `CUSTOMER_MANAGED`.",
    ))
    .attr(A::computed(
        "destination_role_arn",
        Type::String,
        "ARN of the role Firehose assumes to deliver to the S3 destination; null when the destination is not S3.",
    ))
    .attr(A::computed(
        "bucket_arn",
        Type::String,
        "ARN of the S3 bucket records are delivered to; null when the destination is not S3.",
    ))
    .attr(A::computed("data_output_prefix", Type::String, "Prefix of delivered objects; null when none is set."))
    .attr(A::computed(
        "error_output_prefix",
        Type::String,
        "Prefix of objects holding failed records; null when none is set.",
    ))
    .attr(A::computed(
        "compression",
        Type::String,
        "Compression of delivered objects, spelled as in `firehose_delivery_stream`: `UNCOMPRESSED`, `GZIP`, `ZIP`, `SNAPPY` or `HADOOP_SNAPPY`.",
    ))
    .attr(A::computed("buffering_interval", Type::Number, "Seconds incoming data is buffered before delivery."))
    .attr(A::computed("buffering_size", Type::Number, "MiB of incoming data buffered before delivery."))
    .attr(A::computed(
        "tags",
        Type::map(Type::String),
        "Tags of the stream (without the ownership tag this provider puts on streams it creates).",
    ))
    .attr(A::computed(
        "destination",
        Type::list(resource_block("destination").value_type()),
        "The destination, of whatever kind, in the shape of the resource's `destination` block (without write-only \
         secrets, which AWS never reports); its `role_arn` is always the role the stream uses.",
    ));
    Schema { version: 0, block: source_attrs(block) }
}

/// Each source kind's attributes and blocks, as the resource has them (a
/// block becomes a computed list of its objects): `sources::read` fills them.
fn source_attrs(b: Block) -> Block {
    sources::KINDS.iter().fold(b, |b, k| {
        let own = k.extend(Block::new(""));
        let attrs = own.attributes.into_iter().map(|a| (a.name, a.ty));
        let blocks = own.blocks.into_iter().map(|n| (n.name, Type::list(n.block.value_type())));
        attrs.chain(blocks).fold(b, |b, (name, ty)| {
            let doc = match k.attr() {
                Some(_) => format!(
                    "The stream's source when it reads {}, as the resource's `{name}`; null or empty when it reads from elsewhere.",
                    k.what()
                ),
                None => format!("As the resource's `{name}`, for a stream that takes {}; null otherwise.", k.what()),
            };
            b.attr(A::computed(&name, ty, &doc))
        })
    })
}

pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    if let Some(name) = config.attr("name").as_str() {
        if let Err(e) = rules::stream_name(name) {
            d.error_at(AttrPath::attr("name"), "Invalid delivery stream name", e);
        }
    }
    d
}

pub async fn read(env: &Env, config: &Value) -> Outcome {
    let mut out = Outcome { diags: validate(config), ..Outcome::default() };
    if out.diags.has_errors() {
        return out;
    }
    let Some(name) = config.attr("name").as_str() else {
        out.diags.error_at(
            AttrPath::attr("name"),
            "Missing delivery stream name",
            "name must be known to look up a stream",
        );
        return out;
    };
    let aws = match env.clients() {
        Ok(a) => a,
        Err(e) => {
            out.diags.error(format!("Cannot read delivery stream {name}"), e);
            return out;
        }
    };
    match lookup(aws, name).await {
        Ok(Some(v)) => out.state = v,
        Ok(None) => out.diags.error_at(
            AttrPath::attr("name"),
            format!("Delivery stream {name:?} not found"),
            format!("no delivery stream named {name:?} exists in {} for this account", aws.region),
        ),
        Err(e) => out.diags.error(format!("Cannot read delivery stream {name}"), e),
    }
    out
}

/// The S3 settings both destination descriptions carry.
struct S3View<'a> {
    role: &'a str,
    bucket: &'a str,
    prefix: Option<&'a str>,
    error_prefix: Option<&'a str>,
    compression: &'a fh::CompressionFormat,
    hints: Option<&'a fh::BufferingHints>,
}

fn s3_view(d: &fh::DestinationDescription) -> Option<S3View<'_>> {
    if let Some(s) = d.extended_s3_destination_description() {
        return Some(S3View {
            role: s.role_arn(),
            bucket: s.bucket_arn(),
            prefix: s.prefix(),
            error_prefix: s.error_output_prefix(),
            compression: s.compression_format(),
            hints: s.buffering_hints(),
        });
    }
    d.s3_destination_description().map(|s| S3View {
        role: s.role_arn(),
        bucket: s.bucket_arn(),
        prefix: s.prefix(),
        error_prefix: s.error_output_prefix(),
        compression: s.compression_format(),
        hints: s.buffering_hints(),
    })
}

fn non_empty(s: Option<&str>) -> Value {
    // AWS reports an unset prefix as an empty string.
    Value::opt_string(s.filter(|s| !s.is_empty()).map(str::to_string))
}

/// The data source's object for stream `name`; None when it does not exist.
pub async fn lookup(aws: &AwsClients, name: &str) -> Result<Option<Value>, String> {
    let Some(desc) = stream::describe(aws, name).await? else { return Ok(None) };
    let (encryption, key) = api::encryption_value(desc.delivery_stream_encryption_configuration());
    let s3 = desc.destinations().first().and_then(s3_view);
    let compression = s3.as_ref().map(|s| {
        let api = s.compression.as_str();
        Compression::from_api(api).map_or(api.to_string(), |c| c.hcl().to_string())
    });
    let hint = |f: fn(&fh::BufferingHints) -> Option<i32>| {
        s3.as_ref().and_then(|s| s.hints).and_then(f).map_or(Value::Null, |n| Value::int(i64::from(n)))
    };
    let tags: BTreeMap<String, Value> = stream::tags(aws, name)
        .await?
        .into_iter()
        .filter(|(k, _)| !names::is_internal_tag(k))
        .map(|(k, v)| (k, Value::string(v)))
        .collect();
    // An empty derived role: the role is reported whoever made it.
    let mut destination =
        desc.destinations().first().and_then(|d| destinations::read(d, name, "", None)).unwrap_or(Value::List(vec![]));
    resource_block("destination").retain_own(&mut destination);
    let mut v = Value::object([
        ("destination", destination),
        ("name", Value::string(name)),
        ("arn", Value::string(desc.delivery_stream_arn())),
        ("status", Value::string(desc.delivery_stream_status().as_str())),
        ("version_id", Value::string(desc.version_id())),
        ("encryption", encryption),
        ("encryption_key_arn", key),
        ("destination_role_arn", Value::opt_string(s3.as_ref().map(|s| s.role.to_string()))),
        ("bucket_arn", Value::opt_string(s3.as_ref().map(|s| s.bucket.to_string()))),
        ("data_output_prefix", non_empty(s3.as_ref().and_then(|s| s.prefix))),
        ("error_output_prefix", non_empty(s3.as_ref().and_then(|s| s.error_prefix))),
        ("compression", Value::opt_string(compression)),
        ("buffering_interval", hint(|h| h.interval_in_seconds())),
        ("buffering_size", hint(|h| h.size_in_mbs())),
        ("tags", Value::Map(tags)),
    ]);
    // Each source kind's attribute or block, as the resource reads them.
    sources::read(desc.source(), &mut v, None);
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_describes_every_attribute() {
        let s = schema();
        assert!(s.block.attributes.iter().all(|a| !a.description.is_empty()));
        assert_eq!(s.block.attribute("name").map(|a| a.is_computed()), Some(false));
    }

    #[test]
    fn names_are_checked() {
        let d = validate(&Value::object([("name", Value::string("bad name"))]));
        assert_eq!(d.0[0].path, Some(AttrPath::attr("name")));
        assert!(validate(&Value::object([("name", Value::UNKNOWN)])).is_empty());
    }
}
