//! `data_format_conversion`: JSON records become Parquet or ORC, with the
//! columns of a Glue table (docs/resources/delivery_stream.md, "Format
//! conversion"). Every serializer setting has AWS's documented default
//! planned and sent, so what AWS reports back matches the plan.

use aws_sdk_firehose::types as fh;

use crate::aws::arn::Arn;
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Diagnostics, Number, Type, Value};

/// Buffering size planned when conversion is on and none is given.
pub const BUFFERING_SIZE: i64 = 128;
/// The least buffering size AWS accepts with conversion.
pub const MIN_BUFFERING_SIZE: i64 = 64;
pub const GLUE_ACTIONS: [&str; 3] = ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"];

const MIB: i64 = 1024 * 1024;

/// One serializer or deserializer setting: its name, type, AWS's default
/// (None: not sent unless given) and description.
struct Setting {
    name: &'static str,
    ty: fn() -> Type,
    default: Option<fn() -> Value>,
    doc: &'static str,
}

const fn s(name: &'static str, ty: fn() -> Type, default: Option<fn() -> Value>, doc: &'static str) -> Setting {
    Setting { name, ty, default, doc }
}

fn string() -> Type {
    Type::String
}
fn number() -> Type {
    Type::Number
}
fn boolean() -> Type {
    Type::Bool
}
fn strings() -> Type {
    Type::list(Type::String)
}
fn string_map() -> Type {
    Type::map(Type::String)
}

const OPENX: &[Setting] = &[
    s(
        "case_insensitive",
        boolean,
        Some(|| Value::Bool(true)),
        "Whether JSON keys are lower-cased before matching columns; default true.",
    ),
    s(
        "convert_dots_in_json_keys_to_underscores",
        boolean,
        Some(|| Value::Bool(false)),
        "Whether dots in JSON keys become underscores (Hive allows no dots in column names); default false.",
    ),
    s(
        "column_to_json_key_mappings",
        string_map,
        None,
        "Column names mapped to the JSON keys they read, for keys that are not valid column names.",
    ),
];
const HIVE: &[Setting] = &[s(
    "timestamp_formats",
    strings,
    None,
    "JodaTime patterns (or `millis`) for parsing timestamps; by default Firehose accepts java.sql.Timestamp formats.",
)];
const PARQUET: &[Setting] = &[
    s("compression", string, Some(|| Value::string("SNAPPY")), "`SNAPPY` (default), `GZIP` or `UNCOMPRESSED`."),
    s(
        "block_size_bytes",
        number,
        Some(|| Value::int(256 * MIB)),
        "HDFS block size for padding, at least 64 MiB; default 256 MiB.",
    ),
    s("page_size_bytes", number, Some(|| Value::int(MIB)), "Parquet page size, at least 64 KiB; default 1 MiB."),
    s(
        "enable_dictionary_compression",
        boolean,
        Some(|| Value::Bool(false)),
        "Whether dictionary compression is on; default false.",
    ),
    s("max_padding_bytes", number, Some(|| Value::int(0)), "Most bytes to pad for block alignment; default 0."),
    s("writer_version", string, Some(|| Value::string("V1")), "`V1` (default) or `V2`."),
];
const ORC: &[Setting] = &[
    s("compression", string, Some(|| Value::string("SNAPPY")), "`SNAPPY` (default), `ZLIB` or `NONE`."),
    s(
        "block_size_bytes",
        number,
        Some(|| Value::int(256 * MIB)),
        "HDFS block size for padding, at least 64 MiB; default 256 MiB.",
    ),
    s("stripe_size_bytes", number, Some(|| Value::int(64 * MIB)), "Bytes per stripe, at least 8 MiB; default 64 MiB."),
    s(
        "row_index_stride",
        number,
        Some(|| Value::int(10_000)),
        "Rows between index entries, at least 1000; default 10000.",
    ),
    s(
        "enable_padding",
        boolean,
        Some(|| Value::Bool(false)),
        "Whether stripes are padded to HDFS block boundaries; default false.",
    ),
    s(
        "padding_tolerance",
        number,
        Some(|| decimal("0.05")),
        "Share of stripe size tolerated as padding, 0 to 1; default 0.05.",
    ),
    s("bloom_filter_columns", strings, None, "Columns to build Bloom filters for."),
    s(
        "bloom_filter_false_positive_probability",
        number,
        Some(|| decimal("0.05")),
        "Bloom filter false positive rate, 0 to 1; default 0.05.",
    ),
    s(
        "dictionary_key_threshold",
        number,
        None,
        "Share of non-null rows, 0 to 1, below which a column's distinct keys are dictionary-encoded; 1 always \
         encodes, and a share below the distinct keys' turns encoding off. Firehose's own choice when omitted.",
    ),
    s("format_version", string, Some(|| Value::string("V0_12")), "`V0_12` (default) or `V0_11`."),
];

fn settings_block(doc: &str, settings: &[Setting]) -> Block {
    settings.iter().fold(Block::new(doc), |b, st| {
        b.attr(match st.default {
            Some(d) => A::optional_computed(st.name, (st.ty)(), st.doc).default(d()),
            None => A::optional(st.name, (st.ty)(), st.doc),
        })
    })
}

fn one(b: Block, name: &str, inner: Block) -> Block {
    b.block(name, Nesting::List, 0, 1, inner)
}

pub fn block() -> Block {
    let input = one(
        one(
            Block::new("How incoming JSON is read: exactly one of `openx_json` or `hive_json`."),
            "openx_json",
            settings_block("The OpenX JSON SerDe.", OPENX),
        ),
        "hive_json",
        settings_block("The Apache Hive JSON SerDe.", HIVE),
    );
    let output = one(
        one(
            Block::new("The columnar format written: exactly one of `parquet` or `orc`."),
            "parquet",
            settings_block("Apache Parquet.", PARQUET),
        ),
        "orc",
        settings_block("Apache ORC.", ORC),
    );
    let schema = Block::new("The Glue Data Catalog table whose columns the records are converted to.")
        .attr(A::required("database_name", Type::String, "Glue database of the table."))
        .attr(A::required("table_name", Type::String, "Glue table holding the schema."))
        .attr(A::optional_computed("region", Type::String, "Region of the catalog; default the provider's."))
        .attr(A::optional_computed(
            "catalog_id",
            Type::String,
            "ID of the catalog (an account ID); default the provider's account.",
        ))
        .attr(
            A::optional_computed("version_id", Type::String, "Table version to use; default `LATEST`.")
                .default(Value::string("LATEST")),
        );
    Block::new(
        "Converts JSON records to Parquet or ORC before writing them. Needs `compression = \"UNCOMPRESSED\"` (the format compresses) and a buffering size of at least 64 MiB (default 128 when this block is present). The destination role is granted read access to exactly this Glue table.",
    )
    .block("input", Nesting::List, 1, 1, input)
    .block("output", Nesting::List, 1, 1, output)
    .block("schema", Nesting::List, 1, 1, schema)
}

/// Fills the catalog's region and account from where the stream lives.
pub fn derive(conv: &mut Value, region: Option<&str>, account: Option<&str>) {
    if let Some(sc) = conv.block_mut("schema") {
        for (attr, v) in [("region", region), ("catalog_id", account)] {
            if sc.attr(attr).is_null() {
                sc.set_attr(attr, v.map_or(Value::UNKNOWN, Value::string));
            }
        }
    }
}

fn check_one_of(conv: &Value, at: &AttrPath, part: &str, choices: [&str; 2], d: &mut Diagnostics) {
    let Some(p) = conv.block(part).filter(|p| p.is_known()) else { return };
    let set: Vec<&str> = choices.iter().copied().filter(|c| !p.attr(c).elements().is_empty()).collect();
    if set.len() != 1 {
        d.error_at(
            at.at(part).index(0),
            format!("Invalid conversion {part}"),
            format!("{part} must hold exactly one of {} and {}, it holds {}", choices[0], choices[1], set.len()),
        );
    }
}

fn check_min(sd: &Value, at: &AttrPath, name: &str, min: i64, unit: &str, d: &mut Diagnostics) {
    if let Some(n) = sd.attr(name).as_number() {
        match n.as_i64() {
            Some(i) if i >= min => {}
            _ => d.error_at(
                at.at(name),
                "Invalid format conversion setting",
                format!("{name} must be a whole number of at least {min} ({unit}), given {}", n.to_text()),
            ),
        }
    }
}

fn check_enum(sd: &Value, at: &AttrPath, name: &str, allowed: &[&str], d: &mut Diagnostics) {
    if let Some(s) = sd.attr(name).as_str().filter(|s| !allowed.contains(s)) {
        d.error_at(
            at.at(name),
            "Invalid format conversion setting",
            format!("{name} must be one of {}, given {s:?}", allowed.join(", ")),
        );
    }
}

fn check_proportion(sd: &Value, at: &AttrPath, name: &str, d: &mut Diagnostics) {
    if let Some(n) = sd.attr(name).as_number().filter(|n| !(0.0..=1.0).contains(&n.as_f64())) {
        d.error_at(
            at.at(name),
            "Invalid format conversion setting",
            format!("{name} must be between 0 and 1, given {}", n.to_text()),
        );
    }
}

/// The block's own rules; the rules it imposes on its destination
/// (compression, buffering) are checked by the destination.
pub fn validate(conv: &Value, at: &AttrPath, d: &mut Diagnostics) {
    check_one_of(conv, at, "input", ["openx_json", "hive_json"], d);
    check_one_of(conv, at, "output", ["parquet", "orc"], d);
    let out = at.at("output").index(0);
    if let Some(p) = conv.block("output").and_then(|o| o.block("parquet")) {
        let pp = out.at("parquet").index(0);
        check_enum(p, &pp, "compression", &["SNAPPY", "GZIP", "UNCOMPRESSED"], d);
        check_enum(p, &pp, "writer_version", &["V1", "V2"], d);
        check_min(p, &pp, "block_size_bytes", 64 * MIB, "64 MiB", d);
        check_min(p, &pp, "page_size_bytes", 64 * 1024, "64 KiB", d);
        check_min(p, &pp, "max_padding_bytes", 0, "bytes", d);
    }
    if let Some(o) = conv.block("output").and_then(|o| o.block("orc")) {
        let op = out.at("orc").index(0);
        check_enum(o, &op, "compression", &["SNAPPY", "ZLIB", "NONE"], d);
        check_enum(o, &op, "format_version", &["V0_11", "V0_12"], d);
        check_min(o, &op, "block_size_bytes", 64 * MIB, "64 MiB", d);
        check_min(o, &op, "stripe_size_bytes", 8 * MIB, "8 MiB", d);
        check_min(o, &op, "row_index_stride", 1000, "rows", d);
        check_proportion(o, &op, "padding_tolerance", d);
        check_proportion(o, &op, "bloom_filter_false_positive_probability", d);
        check_proportion(o, &op, "dictionary_key_threshold", d);
    }
    if let Some(sc) = conv.block("schema") {
        let sp = at.at("schema").index(0);
        for name in ["database_name", "table_name", "region", "catalog_id", "version_id"] {
            if let Some(v) = sc.attr(name).as_str() {
                if v.is_empty() || v.len() > 1024 || v.chars().any(char::is_whitespace) {
                    d.error_at(
                        sp.at(name),
                        "Invalid Glue table reference",
                        format!("{name} must be 1 to 1024 characters without whitespace, given {v:?}"),
                    );
                }
            }
        }
        if let Some(c) =
            sc.attr("catalog_id").as_str().filter(|c| c.len() != 12 || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            d.error_at(
                sp.at("catalog_id"),
                "Invalid Glue table reference",
                format!("catalog_id is an account ID of 12 digits, given {c:?}"),
            );
        }
    }
}

/// The Glue ARNs the destination role may read: the catalog, the database
/// and the table. None while any part is unknown.
pub fn glue_arns(conv: &Value, partition: &str) -> Option<Vec<String>> {
    let sc = conv.block("schema")?;
    let get = |n: &str| sc.attr(n).as_str().map(str::to_string);
    let (db, table, region, catalog) = (get("database_name")?, get("table_name")?, get("region")?, get("catalog_id")?);
    let arn = |resource: String| Arn::new(partition, "glue", &region, &catalog, resource).to_string();
    Some(vec![arn("catalog".into()), arn(format!("database/{db}")), arn(format!("table/{db}/{table}"))])
}

fn int(v: &Value, n: &str) -> Option<i32> {
    v.attr(n).as_number().and_then(Number::as_i64).map(|i| i as i32)
}
fn float(v: &Value, n: &str) -> Option<f64> {
    v.attr(n).as_number().map(Number::as_f64)
}
fn strs(v: &Value, n: &str) -> Option<Vec<String>> {
    v.attr(n)
        .is_known()
        .then(|| v.attr(n).elements().iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .filter(|_| !v.attr(n).is_null())
}

/// The API configuration; `role_arn` is the role Firehose reads Glue with.
pub fn to_api(conv: Option<&Value>, role_arn: &str) -> Result<fh::DataFormatConversionConfiguration, String> {
    let Some(conv) = conv else { return Ok(fh::DataFormatConversionConfiguration::builder().enabled(false).build()) };
    let input = conv.block("input").ok_or("data_format_conversion has no input")?;
    let output = conv.block("output").ok_or("data_format_conversion has no output")?;
    let sc = conv.block("schema").ok_or("data_format_conversion has no schema")?;
    let mut de = fh::Deserializer::builder();
    if let Some(o) = input.block("openx_json") {
        let maps = o
            .attr("column_to_json_key_mappings")
            .entries()
            .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect());
        de = de.open_x_json_ser_de(
            fh::OpenXJsonSerDe::builder()
                .set_case_insensitive(o.attr("case_insensitive").as_bool())
                .set_convert_dots_in_json_keys_to_underscores(
                    o.attr("convert_dots_in_json_keys_to_underscores").as_bool(),
                )
                .set_column_to_json_key_mappings(maps)
                .build(),
        );
    }
    if let Some(h) = input.block("hive_json") {
        de = de
            .hive_json_ser_de(fh::HiveJsonSerDe::builder().set_timestamp_formats(strs(h, "timestamp_formats")).build());
    }
    let mut ser = fh::Serializer::builder();
    if let Some(p) = output.block("parquet") {
        ser = ser.parquet_ser_de(
            fh::ParquetSerDe::builder()
                .set_compression(p.attr("compression").as_str().map(fh::ParquetCompression::from))
                .set_block_size_bytes(int(p, "block_size_bytes"))
                .set_page_size_bytes(int(p, "page_size_bytes"))
                .set_enable_dictionary_compression(p.attr("enable_dictionary_compression").as_bool())
                .set_max_padding_bytes(int(p, "max_padding_bytes"))
                .set_writer_version(p.attr("writer_version").as_str().map(fh::ParquetWriterVersion::from))
                .build(),
        );
    }
    if let Some(o) = output.block("orc") {
        ser = ser.orc_ser_de(
            fh::OrcSerDe::builder()
                .set_compression(o.attr("compression").as_str().map(fh::OrcCompression::from))
                .set_block_size_bytes(int(o, "block_size_bytes"))
                .set_stripe_size_bytes(int(o, "stripe_size_bytes"))
                .set_row_index_stride(int(o, "row_index_stride"))
                .set_enable_padding(o.attr("enable_padding").as_bool())
                .set_padding_tolerance(float(o, "padding_tolerance"))
                .set_bloom_filter_columns(strs(o, "bloom_filter_columns"))
                .set_bloom_filter_false_positive_probability(float(o, "bloom_filter_false_positive_probability"))
                .set_dictionary_key_threshold(float(o, "dictionary_key_threshold"))
                .set_format_version(o.attr("format_version").as_str().map(fh::OrcFormatVersion::from))
                .build(),
        );
    }
    let get = |n: &str| sc.attr(n).as_str().map(str::to_string);
    Ok(fh::DataFormatConversionConfiguration::builder()
        .enabled(true)
        .input_format_configuration(fh::InputFormatConfiguration::builder().deserializer(de.build()).build())
        .output_format_configuration(fh::OutputFormatConfiguration::builder().serializer(ser.build()).build())
        .schema_configuration(
            fh::SchemaConfiguration::builder()
                .role_arn(role_arn)
                .set_database_name(get("database_name"))
                .set_table_name(get("table_name"))
                .set_region(get("region"))
                .set_catalog_id(get("catalog_id"))
                .set_version_id(get("version_id"))
                .build(),
        )
        .build())
}

/// A fraction as Terraform holds one written in the configuration: exact
/// decimal text, which AWS's doubles are read back as (`num`).
fn decimal(text: &str) -> Value {
    Value::Number(Number::parse(text).expect("a decimal"))
}

/// A number AWS reports, as Terraform holds the one the user wrote: the
/// shortest decimal that reads back as the same double ("0.4", not the
/// double nearest to it), so a fraction a user wrote is not drift.
fn num(v: Option<impl Into<f64>>) -> Value {
    v.map_or(Value::Null, |x| {
        let f: f64 = x.into();
        Value::Number(Number::parse(&f.to_string()).unwrap_or(Number::from_f64(f)))
    })
}
fn opt_bool(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}
fn list(v: &[String]) -> Value {
    Value::List(v.iter().map(|s| Value::string(s.clone())).collect())
}

fn wrap(block: &Block, name: &str, v: Option<Value>) -> Value {
    let mut obj = block.null_object();
    if let Some(v) = v {
        obj.set_attr(name, Value::List(vec![v]));
    }
    block.normalize(&mut obj);
    obj
}

/// The block from a description; an empty list when conversion is off.
pub fn from_api(c: Option<&fh::DataFormatConversionConfiguration>) -> Value {
    let Some(c) = c.filter(|c| c.enabled() != Some(false) && c.schema_configuration().is_some()) else {
        return Value::List(vec![]);
    };
    let de = c.input_format_configuration().and_then(|i| i.deserializer());
    let ser = c.output_format_configuration().and_then(|o| o.serializer());
    let openx = de.and_then(|d| d.open_x_json_ser_de()).map(|o| {
        Value::object([
            ("case_insensitive", opt_bool(o.case_insensitive())),
            ("convert_dots_in_json_keys_to_underscores", opt_bool(o.convert_dots_in_json_keys_to_underscores())),
            (
                "column_to_json_key_mappings",
                o.column_to_json_key_mappings().map_or(Value::Null, |m| {
                    Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::string(v.clone()))).collect())
                }),
            ),
        ])
    });
    let hive = de
        .and_then(|d| d.hive_json_ser_de())
        .map(|h| Value::object([("timestamp_formats", h.timestamp_formats.as_deref().map_or(Value::Null, list))]));
    let parquet = ser.and_then(|s| s.parquet_ser_de()).map(|p| {
        Value::object([
            ("compression", Value::opt_string(p.compression().map(|c| c.as_str()))),
            ("block_size_bytes", num(p.block_size_bytes())),
            ("page_size_bytes", num(p.page_size_bytes())),
            ("enable_dictionary_compression", opt_bool(p.enable_dictionary_compression())),
            ("max_padding_bytes", num(p.max_padding_bytes())),
            ("writer_version", Value::opt_string(p.writer_version().map(|c| c.as_str()))),
        ])
    });
    let orc = ser.and_then(|s| s.orc_ser_de()).map(|o| {
        Value::object([
            ("compression", Value::opt_string(o.compression().map(|c| c.as_str()))),
            ("block_size_bytes", num(o.block_size_bytes())),
            ("stripe_size_bytes", num(o.stripe_size_bytes())),
            ("row_index_stride", num(o.row_index_stride())),
            ("enable_padding", opt_bool(o.enable_padding())),
            ("padding_tolerance", num(o.padding_tolerance())),
            ("bloom_filter_columns", o.bloom_filter_columns.as_deref().map_or(Value::Null, list)),
            ("bloom_filter_false_positive_probability", num(o.bloom_filter_false_positive_probability())),
            ("dictionary_key_threshold", num(o.dictionary_key_threshold())),
            ("format_version", Value::opt_string(o.format_version().map(|c| c.as_str()))),
        ])
    });
    let b = block();
    let input_b = &b.nested("input").expect("input block").block;
    let output_b = &b.nested("output").expect("output block").block;
    let mut input = wrap(input_b, "openx_json", openx);
    if let Some(h) = hive {
        input.set_attr("hive_json", Value::List(vec![h]));
    }
    let mut output = wrap(output_b, "parquet", parquet);
    if let Some(o) = orc {
        output.set_attr("orc", Value::List(vec![o]));
    }
    let sc = c.schema_configuration();
    let g = |f: fn(&fh::SchemaConfiguration) -> Option<&str>| Value::opt_string(sc.and_then(f));
    let schema = Value::object([
        ("database_name", g(|s| s.database_name())),
        ("table_name", g(|s| s.table_name())),
        ("region", g(|s| s.region())),
        ("catalog_id", g(|s| s.catalog_id())),
        ("version_id", g(|s| s.version_id())),
    ]);
    Value::List(vec![Value::object([
        ("input", Value::List(vec![input])),
        ("output", Value::List(vec![output])),
        ("schema", Value::List(vec![schema])),
    ])])
}
