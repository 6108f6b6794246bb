//! Direct puts: producers call PutRecord and PutRecordBatch on the stream.
//! It is what a stream is when no other source is set: no role to read
//! anything, and one optional setting, the throughput hint.

use aws_sdk_firehose::types as fh;

use crate::framework::schema::{Attribute as A, Block};
use crate::framework::validators::between;
use crate::protocol::{AttrPath, Type, Value};

use super::super::api::build_err;
use super::super::kind::{Checker, Source, SourceConfig};

/// `AWS/Firehose` metrics of a stream taking direct puts.
pub const METRICS: [&str; 4] = ["IncomingBytes", "IncomingRecords", "IncomingPutRequests", "ThrottledRecords"];

pub const HINT: &str = "throughput_hint_mbs";

/// ThroughputHintInMBs in the Firehose API model: 1 to 100.
const HINT_RANGE: (i64, i64) = (1, 100);

pub struct DirectPut;

impl Source for DirectPut {
    fn attr(&self) -> Option<&'static str> {
        None
    }

    fn what(&self) -> &'static str {
        "direct puts"
    }

    fn extend(&self, b: Block) -> Block {
        b.attr(
            A::optional(
                HINT,
                Type::Number,
                "MiB per second the stream is expected to take, 1 to 100, for Firehose's capacity planning; \
                 it does not raise the stream's limits. Only without a source. Changing it replaces the stream.",
            )
            .check_whole("Invalid throughput hint", between(HINT, HINT_RANGE.0, HINT_RANGE.1, "MiB/s"))
            .requires_replace(),
        )
    }

    fn selected(&self, _v: &Value) -> Option<bool> {
        // Only `sources::of` can tell: it is chosen when no other kind is.
        None
    }

    fn takes_puts(&self) -> bool {
        true
    }

    fn statements(&self, _v: &Value) -> Option<Vec<serde_json::Value>> {
        Some(Vec::new())
    }

    fn metrics(&self) -> &'static [&'static str] {
        &METRICS
    }

    fn to_api(&self, v: &Value, _role_arn: &str) -> Result<Option<SourceConfig>, String> {
        let Some(hint) = v.attr(HINT).as_number().and_then(|n| n.as_i64()) else { return Ok(None) };
        fh::DirectPutSourceConfiguration::builder()
            .throughput_hint_in_mbs(hint as i32)
            .build()
            .map(|c| Some(SourceConfig::DirectPut(c)))
            .map_err(build_err)
    }

    /// AWS may describe a hint nobody set; that is not drift, so a hint is
    /// read back only where the prior state had one, or on import.
    fn read(&self, d: Option<&fh::SourceDescription>, v: &mut Value, prior: Option<&Value>) -> Option<String> {
        let described = d.and_then(|s| s.direct_put_source_description()).and_then(|p| p.throughput_hint_in_mbs());
        let had = prior.is_none_or(|p| !p.attr(HINT).is_null());
        v.set_attr(HINT, described.filter(|_| had).map_or(Value::Null, |h| Value::int(h.into())));
        None
    }
}

/// The hint on a stream that reads `other`, which takes no puts.
pub fn refuse_hint(other: &dyn Source, config: &Value, c: &mut Checker) {
    if !config.attr(HINT).is_null() {
        c.d.error_at(
            AttrPath::attr(HINT),
            "Throughput hint without direct puts",
            format!(
                "{HINT} is a hint for streams that take direct puts; this stream reads {} ({}). Remove {HINT}.",
                other.what(),
                other.attr().unwrap_or_default()
            ),
        );
    }
}
