//! The vocabulary the destination and source kinds speak, and nothing else:
//! where the stream lives (`Ctx`), the checker rules report into, the grants
//! a kind adds to its role, the references preflight reads, the S3 settings
//! every kind's backup shares, and the `Destination` trait. Kinds import this
//! module; the modules that drive the kinds (schema, derive, validate,
//! policies, preflight, plan, apply, read) import the kinds. Nothing here
//! imports a kind or a driver, so the graph has no cycle
//! (docs/architecture.md, "Layers").

use std::collections::BTreeMap;

use aws_sdk_firehose::operation::create_delivery_stream::builders::CreateDeliveryStreamFluentBuilder;
use aws_sdk_firehose::operation::update_destination::builders::UpdateDestinationFluentBuilder;
use aws_sdk_firehose::types as fh;
use serde_json::Value as Json;

use crate::aws::arn::Arn;
use crate::framework::schema::Block;
use crate::protocol::{AttrPath, Diagnostics, Value};

use super::defaults;
use super::enums::Compression;
use super::names;

// ---- where the stream lives -------------------------------------------------

/// Where the stream lives; absent while the provider configuration is unknown.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub default_tags: BTreeMap<String, String>,
}

impl Ctx {
    pub fn stream_arn(&self, name: &str) -> String {
        Arn::new(&self.partition, "firehose", &self.region, &self.account, format!("deliverystream/{name}")).to_string()
    }
    pub fn role_arn(&self, role: &str) -> String {
        Arn::new(&self.partition, "iam", "", &self.account, format!("role/{role}")).to_string()
    }
    pub fn bucket_arn(&self, bucket: &str) -> String {
        Arn::new(&self.partition, "s3", "", "", bucket).to_string()
    }
    pub fn log_group_arn(&self, group: &str) -> String {
        log_group_arn(&self.partition, &self.region, &self.account, group)
    }
}

pub fn log_group_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    Arn::new(partition, "logs", region, account, format!("log-group:{name}:*")).to_string()
}

// ---- rules report into a checker ---------------------------------------------

/// Diagnostics under construction, for the rules across attributes (each
/// attribute's own rules are declared on the schema and applied by
/// `framework::walk`).
pub struct Checker {
    pub d: Diagnostics,
}

impl Checker {
    pub fn fail(&mut self, path: AttrPath, summary: &str, r: Result<impl Sized, String>) {
        if let Err(e) = r {
            self.d.error_at(path, summary, e);
        }
    }
}

pub fn known_bool(v: &Value, default: bool) -> Option<bool> {
    if v.is_unknown() {
        None
    } else {
        Some(v.as_bool().unwrap_or(default))
    }
}

/// Whether an attribute is set, when that is knowable: an unknown value
/// might still turn out null, unless Terraform refined it as not null.
pub fn is_given(v: &Value) -> Option<bool> {
    match v.inner() {
        Value::Null => Some(false),
        Value::Unknown(Some(r)) if r.not_null => Some(true),
        Value::Unknown(_) => None,
        _ => Some(true),
    }
}

// ---- what a role is granted -----------------------------------------------------

/// What the destination role needs, given the resolved ARNs.
/// What the destination role is granted, gathered from the destination
/// kind, its processors, its backup and its logging, then written as one
/// document in a fixed statement order.
#[derive(Default)]
pub struct Grants {
    pub region: String,
    /// Buckets written to (each also as `bucket/*`).
    pub bucket_arns: Vec<String>,
    pub log_group_arns: Vec<String>,
    /// Keys of SSE-KMS for delivered objects.
    pub s3_key_arns: Vec<String>,
    /// Functions of Lambda processors, exactly as configured.
    pub lambda_arns: Vec<String>,
    /// Secrets Manager secrets holding an endpoint's credentials (granted
    /// `SECRET_ACTIONS`, and decryption by Secrets Manager).
    pub secret_arns: Vec<String>,
    /// Statements of a destination kind's own (each with its `Sid`), for
    /// what no field above covers.
    pub statements: Vec<Json>,
}

/// What reading a secret of `Grants::secret_arns` takes.
pub const SECRET_ACTIONS: [&str; 1] = ["secretsmanager:GetSecretValue"];

// ---- what preflight reads -------------------------------------------------------

/// What a reference points at. A reference made of several attributes has
/// its parts joined by newlines (`joined`), in the order given here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RefKind {
    Bucket,
    Function,
    Key,
    SourceStream,
    LogGroup,
    Role,
    /// A Secrets Manager secret, and the JSON keys Firehose reads from it
    /// for the kind (Firehose Developer Guide, "Understand secrets").
    Secret(&'static [&'static str]),
    /// An SNS topic alarms notify.
    Topic,
    /// A Glue table: catalog ID (empty: the account's), region (empty: the
    /// stream's), database, table.
    GlueTable,
    /// A Glue database: catalog ID, region, database.
    GlueDatabase,
    /// An OpenSearch Service domain, by ARN.
    Domain,
    /// An OpenSearch Service domain's endpoint URL.
    DomainEndpoint,
    /// An OpenSearch Serverless collection's endpoint URL.
    Collection,
    /// An MSK cluster's ARN and the connectivity the stream reads it with.
    MskCluster,
    /// Delivery into a VPC: the subnet IDs and the security group IDs, each
    /// comma-separated.
    Vpc,
    /// A Redshift JDBC URL, of a provisioned cluster or a Serverless workgroup.
    Redshift,
}

/// A reference in a stream object: what it is, where it is written, and its
/// value (unknown while unknown, null when not set).
pub type Reference = (RefKind, AttrPath, Value);

/// The parts of a reference made of several values, as one: unknown while
/// any is, null when any is null.
pub fn joined(parts: &[&Value]) -> Value {
    if parts.iter().any(|p| p.is_unknown()) {
        return Value::UNKNOWN;
    }
    let texts: Option<Vec<&str>> = parts.iter().map(|p| p.as_str()).collect();
    texts.map_or(Value::Null, |t| Value::string(t.join("\n")))
}

/// An optional part of a joined reference: empty when not set.
pub fn or_empty(v: &Value) -> Value {
    if v.is_null() {
        Value::string("")
    } else {
        v.clone()
    }
}

/// A list of strings as one comma-separated value: unknown while it or an
/// element is, null when null.
pub fn comma_list(v: &Value) -> Value {
    if !v.is_wholly_known() {
        return Value::UNKNOWN;
    }
    if v.is_null() {
        return Value::Null;
    }
    Value::string(v.elements().iter().filter_map(|e| e.as_str()).collect::<Vec<_>>().join(","))
}

// ---- the S3 settings of a delivery or backup bucket ----------------------------

#[derive(Clone, Debug, PartialEq)]
pub struct S3Spec {
    pub bucket_arn: String,
    pub prefix: Option<String>,
    pub error_prefix: Option<String>,
    /// The HCL spelling, e.g. `SNAPPY`.
    pub compression: Compression,
    pub interval: i32,
    pub size: i32,
    pub key_arn: Option<String>,
    /// The log group used when logging is on (the user's or ours).
    pub log_group: Option<String>,
}

/// A string attribute's value, if set.
pub(super) fn text(v: &Value, attr: &str) -> Option<String> {
    v.attr(attr).as_str().map(str::to_string)
}

/// A string attribute apply cannot do without.
pub(super) fn required_text(v: &Value, attr: &str) -> Result<String, String> {
    text(v, attr).ok_or_else(|| format!("{attr} is not known at apply time"))
}

/// A whole number attribute, or `default` when unset.
pub(super) fn whole_or(v: &Value, attr: &str, default: i64) -> i64 {
    v.attr(attr).as_number().and_then(|n| n.as_i64()).unwrap_or(default)
}

/// The log group a destination or backup block logs to, when logging is on
/// (the user's, else the one the resource creates).
pub fn log_group(v: &Value, name: &str) -> Option<String> {
    let logging = v.attr("logging").as_bool().unwrap_or(defaults::LOGGING);
    logging.then(|| text(v, "log_group_name").unwrap_or_else(|| names::log_group(name)))
}

pub fn s3_spec(v: &Value, name: &str) -> Result<S3Spec, String> {
    Ok(S3Spec {
        bucket_arn: required_text(v, "bucket_arn")?,
        prefix: text(v, "data_output_prefix"),
        error_prefix: text(v, "error_output_prefix"),
        compression: text(v, "compression").and_then(|c| Compression::parse(&c)).unwrap_or(defaults::COMPRESSION),
        interval: whole_or(v, "buffering_interval", defaults::BUFFERING_INTERVAL) as i32,
        size: whole_or(v, "buffering_size", defaults::BUFFERING_SIZE) as i32,
        key_arn: text(v, "encryption_key_arn"),
        log_group: log_group(v, name),
    })
}

// ---- the destination kinds ----------------------------------------------------

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
    fn refs(&self, _v: &Value, _at: &AttrPath) -> Vec<Reference> {
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
    ($api:ident, $configuration:ident, $update:ident, $description:ident) => {
        fn create(
            &self,
            b: &$crate::resources::delivery_stream::kind::Bound<'_>,
        ) -> Result<$crate::resources::delivery_stream::kind::CreateFn, String> {
            let conf = $api::create(b)?;
            Ok(Box::new(move |call| call.$configuration(conf.clone())))
        }

        fn update(
            &self,
            b: &$crate::resources::delivery_stream::kind::Bound<'_>,
        ) -> Result<$crate::resources::delivery_stream::kind::UpdateFn, String> {
            let conf = $api::update(b)?;
            Ok(Box::new(move |call| call.$update(conf.clone())))
        }

        fn read(
            &self,
            d: &aws_sdk_firehose::types::DestinationDescription,
            stream: &str,
            derived_role: &str,
            prior: Option<&crate::protocol::Value>,
        ) -> Option<(crate::protocol::Value, String)> {
            Some($api::read(d.$description()?, stream, derived_role, prior))
        }
    };
}
pub(crate) use sdk_methods;

/// A registry of kinds: each line declares a kind's module and enters the
/// kind in `KINDS`, in order, so a new kind is its module plus one line.
macro_rules! registry {
    ($kind_trait:ident: $($module:ident::$kind:ident),+ $(,)?) => {
        $(pub mod $module;)+
        pub const KINDS: &[&dyn $kind_trait] = &[$(&$module::$kind),+];
    };
}
pub(crate) use registry;

// ---- the source kinds -----------------------------------------------------------

/// Where a stream reads from, as the CreateDeliveryStream call takes it.
pub enum SourceConfig {
    DirectPut(fh::DirectPutSourceConfiguration),
    Kinesis(fh::KinesisStreamSourceConfiguration),
    Msk(fh::MskSourceConfiguration),
}

/// Where records come from, in the spirit of the CDK's `ISource`: each kind
/// is one module under `sources/` with its attribute or block on the stream,
/// its rules, what the stream role needs to read it, its metrics, the
/// references preflight checks, and its side of the Firehose API. A stream
/// without any source set takes direct puts (`sources::direct_put`).
pub trait Source: Sync {
    /// The attribute or block that selects the kind; None for direct puts,
    /// which is what a stream is when no other kind is set.
    fn attr(&self) -> Option<&'static str>;
    /// What it reads, for messages: "a Kinesis stream".
    fn what(&self) -> &'static str;
    /// Adds its attribute or block to the stream's schema.
    fn extend(&self, b: Block) -> Block {
        b
    }
    /// Whether a stream object reads from it; None while unknown.
    fn selected(&self, v: &Value) -> Option<bool>;
    /// Whether a configuration sets it, for validation: a value Terraform
    /// knows will not be null counts as set before it is known.
    fn given(&self, config: &Value) -> Option<bool> {
        self.selected(config)
    }
    /// Rules between the source and the rest of the stream (its own
    /// attributes' rules are declared on the schema).
    fn validate(&self, _config: &Value, _c: &mut Checker) {}
    /// Why server-side encryption of the stream cannot be used with this
    /// source, reported by the stream's SSE rule (`rules::stream_encryption`)
    /// once encryption is known; a source that checks it on its own, in its
    /// `validate`, leaves this None.
    fn refuses_encryption(&self) -> Option<&'static str> {
        None
    }
    /// Paths whose change from `prior` replaces the stream, beyond those
    /// its schema declares.
    fn requires_replace(&self, _prior: &Value, _planned: &Value) -> Vec<AttrPath> {
        Vec::new()
    }
    /// Whether producers put records to the stream (only without a source).
    fn takes_puts(&self) -> bool {
        false
    }
    /// The stream role's statements for reading the source (empty for none;
    /// None while unknown). A source that needs them needs the stream role.
    fn statements(&self, v: &Value) -> Option<Vec<Json>>;
    /// `AWS/Firehose` metrics the source reports.
    fn metrics(&self) -> &'static [&'static str];
    /// The AWS objects it references, for preflight.
    fn refs(&self, _v: &Value) -> Vec<Reference> {
        Vec::new()
    }
    /// The API's source configuration, read with `role_arn`.
    fn to_api(&self, v: &Value, role_arn: &str) -> Result<Option<SourceConfig>, String>;
    /// Sets its attribute or block on `v` from a description (empty when the
    /// stream does not read it), and returns the role it reads with if it is
    /// the stream's source. `prior` is the prior state, for spellings.
    fn read(&self, d: Option<&fh::SourceDescription>, v: &mut Value, prior: Option<&Value>) -> Option<String>;
}
