//! The `alarms` block: the CloudWatch alarms AWS recommends for a delivery
//! stream ("Implement best practices with CloudWatch Alarms", Amazon Data
//! Firehose Developer Guide), made for the source, destination and
//! processors the stream actually has. Each alarm is an owned part
//! (`parts::alarm`): created, updated, adopted and deleted with the stream.
//! Thresholds and where they come from are in
//! docs/resources/delivery_stream.md, "Alarms".

use std::collections::BTreeMap;

use crate::aws::arn::Arn;
use crate::framework::schema::{Attribute as A, Block, Nesting};
use crate::protocol::{AttrPath, Type, Value};

use super::kind::{Checker, Ctx};
use super::{defaults, destinations, processors};

/// How often Firehose publishes its metrics; periods are whole multiples.
const METRIC_RESOLUTION: i64 = 60;
const DEFAULT_PERIOD: i64 = 300;
/// CloudWatch: an alarm evaluates at most one day of data.
const MAX_EVALUATION_SECONDS: i64 = 86_400;
/// CloudWatch: at most 5 actions per alarm state (PutMetricAlarm's model).
const MAX_ACTIONS: usize = 5;
/// How long past the buffering interval a record may wait before the
/// freshness alarm fires: one delivery retry cycle of slack.
pub const FRESHNESS_MARGIN: i64 = 300;
/// Incoming traffic alarms fire at this share of the stream's quota.
pub const QUOTA_SHARE: f64 = 0.8;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Comparison {
    Above,
    Below,
}

impl Comparison {
    pub fn api(self) -> &'static str {
        match self {
            Comparison::Above => "GreaterThanThreshold",
            Comparison::Below => "LessThanThreshold",
        }
    }
}

/// What decides which alarms apply and their default thresholds.
pub struct Facts {
    pub direct_put: bool,
    /// The destination's `AWS/Firehose` metrics.
    pub destination_metrics: Vec<&'static str>,
    pub buffering_interval: i64,
    pub lambda: bool,
    pub region: String,
}

/// One recommended alarm.
pub struct Kind {
    pub key: &'static str,
    /// The metric it watches; None when it does not apply to the stream.
    metric: fn(&Facts) -> Option<&'static str>,
    pub statistic: &'static str,
    pub comparison: Comparison,
    /// Its threshold unless the configuration sets one, for a period.
    default_threshold: fn(&Facts, i64) -> f64,
    /// When it applies, for the error on an override that does not.
    pub applies_to: &'static str,
    what: &'static str,
}

fn destination_metric(f: &Facts, suffix: &str) -> Option<&'static str> {
    f.destination_metrics.iter().copied().find(|m| m.starts_with("DeliveryTo") && m.ends_with(suffix))
}

/// Direct PUT quotas per stream (Amazon Data Firehose endpoints and quotas):
/// bytes, records and requests per second.
pub fn quotas(region: &str) -> (f64, f64, f64) {
    const MIB: f64 = 1024.0 * 1024.0;
    match region {
        "us-east-1" | "us-west-2" | "eu-west-1" => (5.0 * MIB, 500_000.0, 2_000.0),
        _ => (MIB, 100_000.0, 1_000.0),
    }
}

fn direct_put(f: &Facts, m: &'static str) -> Option<&'static str> {
    f.direct_put.then_some(m)
}

pub const KINDS: [Kind; 7] = [
    Kind {
        key: "data_freshness",
        metric: |f| destination_metric(f, ".DataFreshness"),
        statistic: "Maximum",
        comparison: Comparison::Above,
        default_threshold: |f, _| (f.buffering_interval + FRESHNESS_MARGIN) as f64,
        applies_to: "every stream",
        what: "the oldest undelivered record is older than the buffering interval plus a margin",
    },
    Kind {
        key: "delivery_success",
        metric: |f| destination_metric(f, ".Success"),
        statistic: "Minimum",
        comparison: Comparison::Below,
        default_threshold: |_, _| 1.0,
        applies_to: "every stream",
        what: "a delivery to the destination failed",
    },
    Kind {
        key: "throttled_records",
        metric: |f| direct_put(f, "ThrottledRecords"),
        statistic: "Sum",
        comparison: Comparison::Above,
        default_threshold: |_, _| 0.0,
        applies_to: "a direct-put stream (no `source_stream_arn` or `source_msk`)",
        what: "records were throttled",
    },
    Kind {
        key: "incoming_bytes",
        metric: |f| direct_put(f, "IncomingBytes"),
        statistic: "Sum",
        comparison: Comparison::Above,
        default_threshold: |f, period| (QUOTA_SHARE * quotas(&f.region).0 * period as f64).round(),
        applies_to: "a direct-put stream (no `source_stream_arn` or `source_msk`)",
        what: "incoming bytes are near the stream's quota",
    },
    Kind {
        key: "incoming_records",
        metric: |f| direct_put(f, "IncomingRecords"),
        statistic: "Sum",
        comparison: Comparison::Above,
        default_threshold: |f, period| (QUOTA_SHARE * quotas(&f.region).1 * period as f64).round(),
        applies_to: "a direct-put stream (no `source_stream_arn` or `source_msk`)",
        what: "incoming records are near the stream's quota",
    },
    Kind {
        key: "incoming_put_requests",
        metric: |f| direct_put(f, "IncomingPutRequests"),
        statistic: "Sum",
        comparison: Comparison::Above,
        default_threshold: |f, period| (QUOTA_SHARE * quotas(&f.region).2 * period as f64).round(),
        applies_to: "a direct-put stream (no `source_stream_arn` or `source_msk`)",
        what: "put requests are near the stream's quota",
    },
    Kind {
        key: "processor_failures",
        metric: |f| f.lambda.then_some("ExecuteProcessing.Success"),
        statistic: "Minimum",
        comparison: Comparison::Below,
        default_threshold: |_, _| 1.0,
        applies_to: "a stream with a `lambda` processor",
        what: "a Lambda processor invocation failed",
    },
];

/// The CloudWatch name of alarm `key` of stream `stream`.
pub fn alarm_name(stream: &str, key: &str) -> String {
    format!("{stream}-{}", key.replace('_', "-"))
}

/// Every alarm name the resource may use for `stream`, for sweeping.
pub fn all_names(stream: &str) -> Vec<String> {
    KINDS.iter().map(|k| alarm_name(stream, k.key)).collect()
}

fn sns_topic_arn(s: &str) -> Result<(), String> {
    let form = "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)";
    let arn = Arn::parse(s).map_err(|e| format!("expected {form}, got {s:?}: {e}"))?;
    if arn.service != "sns" || arn.region.is_empty() || arn.account.is_empty() || arn.resource.contains(':') {
        return Err(format!("expected {form}, got {s:?}"));
    }
    Ok(())
}

fn period(p: i64) -> Result<(), String> {
    if p < METRIC_RESOLUTION || p % METRIC_RESOLUTION != 0 {
        return Err(format!(
            "period must be a multiple of {METRIC_RESOLUTION} seconds (Firehose publishes its metrics once a minute), given {p}"
        ));
    }
    Ok(())
}

fn alarm_block(k: &Kind) -> Block {
    Block::new(&format!("Overrides for the alarm raised when {}.", k.what))
        .attr(
            A::optional_computed("enabled", Type::Bool, "Whether the alarm exists; default true.")
                .default(Value::Bool(true)),
        )
        .attr(
            A::optional_computed(
                "threshold",
                Type::Number,
                "The threshold; defaults to the recommended value for this stream (see the docs).",
            )
            .check_number("Invalid alarm threshold", |t| {
                if t < 0.0 {
                    Err(format!("threshold must be 0 or more, given {t}"))
                } else {
                    Ok(())
                }
            }),
        )
        .attr(
            A::optional_computed(
                "period",
                Type::Number,
                "Seconds per evaluated datapoint, a multiple of 60; default 300.",
            )
            .default(Value::int(DEFAULT_PERIOD))
            .check_whole("Invalid alarm period", period),
        )
        .attr(
            A::optional_computed(
                "evaluation_periods",
                Type::Number,
                "How many consecutive periods must breach before the alarm fires; default 1.",
            )
            .default(Value::int(1))
            .check_whole("Invalid alarm evaluation periods", |n| {
                if n < 1 {
                    Err(format!("evaluation_periods must be at least 1, given {n}"))
                } else {
                    Ok(())
                }
            }),
        )
}

pub fn block() -> Block {
    let actions = |name: &str, what: &str| {
        A::optional(
            name,
            Type::list(Type::String),
            &format!("SNS topic ARNs notified when an alarm {what}; at most 5."),
        )
    };
    KINDS.iter().fold(
        Block::new(
            "The CloudWatch alarms AWS recommends for this stream, named `<name>-<alarm>` and tagged like its other parts. \
             Each alarm's block is optional and overrides its defaults.",
        )
        .attr(actions("actions", "fires"))
        .attr(actions("ok_actions", "returns to OK")),
        |b, k| b.block(k.key, Nesting::List, 0, 1, alarm_block(k)),
    )
}

/// One alarm as it should exist in CloudWatch.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmSpec {
    pub key: &'static str,
    pub name: String,
    pub arn: String,
    pub metric: &'static str,
    pub stream: String,
    pub statistic: &'static str,
    pub comparison: Comparison,
    pub threshold: f64,
    pub period: i32,
    pub evaluation_periods: i32,
    pub description: String,
    pub actions: Vec<String>,
    pub ok_actions: Vec<String>,
}

/// The facts of a stream object; None while any of them is unknown.
pub fn facts(v: &Value, region: &str) -> Option<Facts> {
    let (kind, dest) = destinations::of(v)?;
    let procs = dest.attr("processor");
    let interval = kind.buffering_interval(dest);
    if !interval.is_known() || !procs.is_known() {
        return None;
    }
    let source = super::sources::decided(v)?;
    Some(Facts {
        direct_put: source.takes_puts(),
        destination_metrics: kind.metrics(dest),
        buffering_interval: interval.as_number().and_then(|n| n.as_i64()).unwrap_or(defaults::BUFFERING_INTERVAL),
        lambda: processors::find(procs, processors::LAMBDA).is_some(),
        region: region.to_string(),
    })
}

fn whole(v: &Value, attr: &str, default: i64) -> i64 {
    v.attr(attr).as_number().and_then(|n| n.as_i64()).unwrap_or(default)
}

fn strings(v: &Value) -> Vec<String> {
    v.elements().iter().filter_map(|e| e.as_str().map(str::to_string)).collect()
}

/// Fills the thresholds of override blocks and `alarm_arns`; unknown while
/// what decides them is.
pub fn derive(v: &mut Value, ctx: Option<&Ctx>) {
    if v.block("alarms").is_none() {
        v.set_attr("alarm_arns", Value::Null);
        return;
    }
    let name = v.attr("name").as_str().map(str::to_string);
    let Some(facts) = ctx.and_then(|c| facts(v, &c.region)) else {
        v.set_attr("alarm_arns", Value::UNKNOWN);
        return;
    };
    if let Some(alarms) = v.block_mut("alarms") {
        for k in &KINDS {
            if let Some(o) = alarms.block_mut(k.key) {
                if o.attr("threshold").is_null() {
                    let t = (k.default_threshold)(&facts, whole(o, "period", DEFAULT_PERIOD));
                    o.set_attr("threshold", Value::float(t));
                }
            }
        }
    }
    // Which alarms exist depends on their `enabled` flags only.
    let decided = v
        .block("alarms")
        .is_some_and(|a| KINDS.iter().all(|k| a.block(k.key).is_none_or(|o| o.attr("enabled").is_known())));
    let arns = match (name, ctx, decided) {
        (Some(n), Some(c), true) => {
            let all = desired_with(v, c, &n, &facts);
            Value::Map(all.into_iter().map(|a| (a.key.to_string(), Value::string(a.arn))).collect())
        }
        _ => Value::UNKNOWN,
    };
    v.set_attr("alarm_arns", arns);
}

/// The alarms a wholly known stream object asks for.
pub fn desired(v: &Value, ctx: &Ctx) -> Vec<AlarmSpec> {
    let (Some(name), Some(facts)) = (v.attr("name").as_str(), facts(v, &ctx.region)) else { return Vec::new() };
    desired_with(v, ctx, name, &facts)
}

fn desired_with(v: &Value, ctx: &Ctx, stream: &str, facts: &Facts) -> Vec<AlarmSpec> {
    let Some(alarms) = v.block("alarms") else { return Vec::new() };
    let actions = strings(alarms.attr("actions"));
    let ok_actions = strings(alarms.attr("ok_actions"));
    KINDS
        .iter()
        .filter_map(|k| {
            let metric = (k.metric)(facts)?;
            let o = alarms.block(k.key).unwrap_or(&Value::Null);
            if o.attr("enabled").as_bool() == Some(false) {
                return None;
            }
            let period = whole(o, "period", DEFAULT_PERIOD);
            let threshold =
                o.attr("threshold").as_number().map_or_else(|| (k.default_threshold)(facts, period), |n| n.as_f64());
            let name = alarm_name(stream, k.key);
            Some(AlarmSpec {
                key: k.key,
                arn: Arn::new(&ctx.partition, "cloudwatch", &ctx.region, &ctx.account, format!("alarm:{name}"))
                    .to_string(),
                name,
                metric,
                stream: stream.to_string(),
                statistic: k.statistic,
                comparison: k.comparison,
                threshold,
                period: period as i32,
                evaluation_periods: whole(o, "evaluation_periods", 1) as i32,
                description: format!(
                    "Firehose stream {stream}: {}. Managed by Terraform (firehose_delivery_stream).",
                    k.what
                ),
                actions: actions.clone(),
                ok_actions: ok_actions.clone(),
            })
        })
        .collect()
}

/// Rules across attributes: actions are SNS topics, the evaluation window
/// is at most a day, and an override names an alarm the stream has.
pub fn validate(config: &Value, c: &mut Checker) {
    let Some(alarms) = config.block("alarms") else { return };
    let at = AttrPath::attr("alarms").index(0);
    for attr in ["actions", "ok_actions"] {
        let list = alarms.attr(attr);
        if list.elements().len() > MAX_ACTIONS {
            c.d.error_at(
                at.at(attr),
                "Too many alarm actions",
                format!("{attr} takes at most {MAX_ACTIONS} SNS topic ARNs, given {}", list.elements().len()),
            );
        }
        for (i, e) in list.elements().iter().enumerate() {
            if let Some(s) = e.as_str() {
                c.fail(at.at(attr).index(i), "Invalid alarm action", sns_topic_arn(s));
            }
        }
    }
    let facts = facts(config, "");
    for k in &KINDS {
        let Some(o) = alarms.block(k.key) else { continue };
        let here = at.at(k.key).index(0);
        if let (Some(p), Some(n)) = (
            o.attr("period").as_number().and_then(|n| n.as_i64()),
            o.attr("evaluation_periods").as_number().and_then(|n| n.as_i64()),
        ) {
            if p * n > MAX_EVALUATION_SECONDS {
                c.d.error_at(
                    here.at("evaluation_periods"),
                    "Invalid alarm evaluation periods",
                    format!(
                        "period × evaluation_periods must be at most {MAX_EVALUATION_SECONDS} seconds (one day), given {p} × {n} = {}",
                        p * n
                    ),
                );
            }
        }
        if let Some(f) = &facts {
            if (k.metric)(f).is_none() && o.attr("enabled").as_bool() != Some(false) {
                c.d.error_at(
                    here,
                    "Alarm does not apply to this stream",
                    format!(
                        "the {} alarm applies only to {}; remove its block or set enabled = false",
                        k.key, k.applies_to
                    ),
                );
            }
        }
    }
}

/// The keys of `alarm_arns` in a state, for what a refresh or destroy checks.
pub fn recorded(v: &Value) -> BTreeMap<String, String> {
    v.attr("alarm_arns")
        .entries()
        .map(|m| m.iter().filter_map(|(k, a)| a.as_str().map(|a| (k.clone(), a.to_string()))).collect())
        .unwrap_or_default()
}

/// Whether a stream object manages alarms at all (its configuration has the
/// block, or its state still records some).
pub fn in_use(v: &Value) -> bool {
    v.block("alarms").is_some() || !recorded(v).is_empty()
}

#[cfg(test)]
#[path = "alarms_tests.rs"]
mod tests;
