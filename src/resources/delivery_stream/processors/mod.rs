//! `processor` blocks: an ordered list, each holding exactly one kind
//! (docs/resources/delivery_stream.md, "Processors"). Every kind lives in its
//! own module and supplies its block, defaults, checks and the parameters it
//! sends to and reads back from Firehose; this module strings them together.
//! A new kind is one new module and one line in `KINDS`.

mod append_delimiter;
mod cloudwatch_logs;
mod deaggregation;
mod decompression;
mod kind;
mod lambda;
mod metadata_extraction;

pub use kind::{
    Kind, Params, CLOUDWATCH_LOG_PROCESSING, DECOMPRESSION, LAMBDA, METADATA_EXTRACTION, RECORD_DEAGGREGATION,
};
pub use metadata_extraction::query_keys;

use aws_sdk_firehose::types as fh;

use crate::framework::schema::{Block, Nesting};
use crate::protocol::{AttrPath, Diagnostics, Value};

const KINDS: [&dyn Kind; 6] = [
    &lambda::Lambda,
    &metadata_extraction::MetadataExtraction,
    &deaggregation::RecordDeaggregation,
    &append_delimiter::AppendDelimiter,
    &decompression::Decompression,
    &cloudwatch_logs::CloudWatchLogProcessing,
];

/// The `processor` block: one nested block per kind, of which exactly one is set.
pub fn block() -> Block {
    KINDS.iter().fold(
        Block::new(
            "A step records go through before delivery, in the order the blocks are written. Holds exactly one kind.",
        ),
        |b, k| b.block(k.name(), Nesting::List, 0, 1, k.block()),
    )
}

/// The kind a `processor` element holds, with its block; None when it holds
/// none or more than one (reported by `validate`), or while that is unknown.
pub fn kind_of(p: &Value) -> Option<(&'static dyn Kind, &Value)> {
    let mut set = KINDS.iter().filter_map(|k| p.block(k.name()).map(|v| (*k, v)));
    let first = set.next()?;
    set.next().is_none().then_some(first)
}

/// The kinds of a processor list, in order; None while any is undecided.
pub fn kinds(list: &Value) -> Option<Vec<&'static str>> {
    if !list.is_known() {
        return None;
    }
    list.elements().iter().map(|p| kind_of(p).map(|(k, _)| k.name())).collect()
}

/// The first `processor` element holding kind `name`.
pub fn find<'a>(list: &'a Value, name: &str) -> Option<&'a Value> {
    list.elements().iter().find_map(|p| p.block(name))
}

/// What the rest of the destination tells the processor rules.
pub struct Context {
    /// None while `dynamic_partitioning` is unknown.
    pub dynamic_partitioning: Option<bool>,
}

/// Each element holds one kind; each kind appears once; and the combinations
/// AWS requires (docs/resources/delivery_stream.md, "Processors").
pub fn validate(list: &Value, at: &AttrPath, cx: &Context, d: &mut Diagnostics) {
    if !list.is_known() {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, p) in list.elements().iter().enumerate() {
        let pp = at.index(i);
        let set: Vec<&dyn Kind> = KINDS.iter().copied().filter(|k| !p.attr(k.name()).elements().is_empty()).collect();
        let names = || KINDS.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ");
        match set.as_slice() {
            [] => d.error_at(
                pp,
                "Empty processor",
                format!("a processor block must hold exactly one of {}; this one holds none", names()),
            ),
            [k] => {
                let kp = pp.at(k.name()).index(0);
                if seen.contains(&k.name()) {
                    d.error_at(
                        pp.at(k.name()),
                        "Duplicate processor",
                        format!("Firehose runs each processor kind at most once per destination; {} appears twice", k.name()),
                    );
                }
                seen.push(k.name());
                k.validate(&p.attr(k.name()).elements()[0], &kp, d);
            }
            many => d.error_at(
                pp.at(many[1].name()),
                "Processor holds more than one kind",
                format!(
                    "a processor block holds exactly one kind, this one holds {}; write one processor block for each, in the order they should run",
                    many.iter().map(|k| k.name()).collect::<Vec<_>>().join(" and ")
                ),
            ),
        }
    }
    combinations(list, at, cx, d);
}

fn position(list: &Value, name: &str) -> Option<usize> {
    list.elements().iter().position(|p| !p.attr(name).elements().is_empty())
}

fn combinations(list: &Value, at: &AttrPath, cx: &Context, d: &mut Diagnostics) {
    if cx.dynamic_partitioning == Some(false) {
        for name in [METADATA_EXTRACTION, RECORD_DEAGGREGATION] {
            if let Some(i) = position(list, name) {
                d.error_at(
                    at.index(i).at(name),
                    "Processor needs dynamic partitioning",
                    format!(
                        "Firehose runs {name} only on streams with dynamic partitioning enabled; add a dynamic_partitioning block to the destination or remove this processor"
                    ),
                );
            }
        }
    }
    if let Some(i) = position(list, CLOUDWATCH_LOG_PROCESSING) {
        match position(list, DECOMPRESSION) {
            Some(j) if j < i => {}
            Some(_) => d.error_at(
                at.index(i).at(CLOUDWATCH_LOG_PROCESSING),
                "Processors out of order",
                "cloudwatch_log_processing reads decompressed CloudWatch Logs records, so the decompression processor must come before it",
            ),
            None => d.error_at(
                at.index(i).at(CLOUDWATCH_LOG_PROCESSING),
                "Processor needs decompression",
                "cloudwatch_log_processing works on decompressed CloudWatch Logs records; add a processor { decompression {} } before it",
            ),
        }
    }
}

/// The ProcessingConfiguration for a processor list. Processing is stated
/// even when off, so an update removes processors that were there.
pub fn to_api(list: &Value) -> Result<fh::ProcessingConfiguration, String> {
    let mut out = Vec::new();
    for (i, p) in list.elements().iter().enumerate() {
        let (k, v) = kind_of(p).ok_or_else(|| format!("processor {i} does not hold exactly one kind"))?;
        let mut b = fh::Processor::builder().r#type(k.api_type());
        for (name, value) in k.params(v) {
            b = b.parameters(
                fh::ProcessorParameter::builder()
                    .parameter_name(name)
                    .parameter_value(value)
                    .build()
                    .map_err(|e| format!("invalid processor parameter: {e}"))?,
            );
        }
        out.push(b.build().map_err(|e| format!("invalid processor: {e}"))?);
    }
    Ok(fh::ProcessingConfiguration::builder().enabled(!out.is_empty()).set_processors(Some(out)).build())
}

/// The processor list from a description, in AWS's order.
pub fn from_api(p: Option<&fh::ProcessingConfiguration>) -> Value {
    let Some(conf) = p.filter(|p| p.enabled() == Some(true)) else { return Value::List(vec![]) };
    let items = conf.processors().iter().filter_map(|proc_| {
        let k = KINDS.iter().find(|k| &k.api_type() == proc_.r#type())?;
        let mut obj = block().null_object();
        obj.set_attr(k.name(), Value::List(vec![k.read(&Params(proc_.parameters()))]));
        block().normalize(&mut obj);
        Some(obj)
    });
    Value::List(items.collect())
}

/// Where a destination's processors read back in another spelling of what
/// the prior state wrote (a function's `:$LATEST`), the prior spelling
/// stands. `destination` is the resource's destination block, read and prior.
pub fn keep_written_spellings(destination: &mut Value, prior: &Value) {
    let (Some(Value::Object(kinds)), Some(was)) = (destination.elements_mut().first_mut(), prior.block("destination"))
    else {
        return;
    };
    for (kind, block) in kinds.iter_mut() {
        let (Some(Value::Object(now)), Some(before)) = (block.elements_mut().first_mut(), was.block(kind)) else {
            continue;
        };
        if let Some(list) = now.get_mut("processor") {
            lambda::keep_written_latest(list, before.attr("processor"));
        }
    }
}

#[cfg(test)]
mod tests;
