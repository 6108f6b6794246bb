//! The check itself: put the canary, then look, until the timeout, in the
//! places that tell delivery from failure, reporting progress as it waits.
//! It reaches AWS only through `Probe`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::aws::delivery_log::{self, DeliveryError};
use crate::framework::Progress;
use crate::resources::delivery_stream::health;

use super::canary;
use super::facts::{self, Facts, Objects, Source};
use super::probe::Probe;

/// How the check runs.
pub struct Options {
    /// None: the stream's buffering interval plus `MARGIN`.
    pub timeout: Option<Duration>,
    pub canary: bool,
    pub poll: Duration,
}

/// Firehose delivers a buffer some time after its interval ends; this much
/// is added to the interval for the default timeout.
pub const MARGIN: Duration = Duration::from_secs(120);
/// Clocks of S3, CloudWatch and this machine differ by a little: what was
/// written this long before the canary still counts as after it.
const SKEW_MS: i64 = 5_000;
/// How often a progress line says the check is still waiting.
const PROGRESS_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Where the canary (or, for kinds whose records cannot be read back,
    /// the delivery metric) shows it arrived.
    Delivered { canary: String, evidence: String },
    /// Firehose logged an error, or wrote the canary where failed records go.
    Failed { canary: Option<String>, error: DeliveryError, evidence: String },
    /// Nothing seen in time: where the check looked.
    NotSeen { canary: String, waited: Duration, checked: Vec<String> },
    /// No canary sent (disabled, or a source that takes none): no error
    /// logged in the last hour.
    Quiet { why: String, checked: Vec<String> },
}

pub use crate::resources::delivery_stream::health::now_ms;

pub async fn check(probe: &dyn Probe, name: &str, opts: &Options, progress: &Progress) -> Result<Verdict, String> {
    let desc = probe.describe(name).await?.ok_or_else(|| format!("there is no delivery stream named {name:?}"))?;
    let f = facts::facts(&desc);
    if f.status != "ACTIVE" {
        return Err(format!("{name} is {}, not ACTIVE: it accepts no records yet", f.status));
    }
    let why_not = match &f.source {
        _ if !opts.canary => Some("the check's `canary` is false".to_string()),
        Source::Closed(what) => Some(format!("the stream reads from {what}, which the check never writes to")),
        _ => None,
    };
    if let Some(why) = why_not {
        return log_only(probe, &f, why, progress).await;
    }
    let id = canary::new_id(name);
    let sent_ms = now_ms();
    let record = canary::record(&id, name, sent_ms);
    match &f.source {
        Source::Kinesis { stream_arn } => probe.put_kinesis(stream_arn, &id, record).await?,
        _ => probe.put_direct(name, record).await?,
    }
    let timeout = opts.timeout.unwrap_or(Duration::from_secs(f.buffering_seconds.max(0) as u64) + MARGIN);
    progress.say(format!(
        "{name}: canary {id} put; waiting up to {}s for {} to deliver it",
        timeout.as_secs(),
        f.destination
    ));
    let mut look = Look { probe, f: &f, id: &id, since: sent_ms - SKEW_MS, seen: BTreeSet::new() };
    let started = Instant::now();
    let mut said: Option<Instant> = None;
    loop {
        let remaining = timeout.saturating_sub(started.elapsed());
        tokio::time::sleep(opts.poll.min(remaining)).await;
        if let Some(v) = look.once().await? {
            return Ok(v);
        }
        let waited = started.elapsed();
        if waited >= timeout {
            return Ok(Verdict::NotSeen { canary: id.clone(), waited, checked: look.places() });
        }
        // A line per look would flood the console over a long buffering
        // interval: the first look, then one every PROGRESS_EVERY.
        if said.is_none_or(|at| at.elapsed() >= PROGRESS_EVERY) {
            progress.say(format!("{name}: not seen yet after {}s of {}s", waited.as_secs(), timeout.as_secs()));
            said = Some(Instant::now());
        }
    }
}

async fn log_only(probe: &dyn Probe, f: &Facts, why: String, progress: &Progress) -> Result<Verdict, String> {
    progress.say(format!("{}: no canary sent ({why}); reading the last hour's delivery errors", f.name));
    let Some(group) = &f.log_group else {
        return Ok(Verdict::Quiet { why, checked: vec!["nothing: the stream's logging is off".into()] });
    };
    let errors = probe.logged_errors(&f.name, group, &f.log_streams, now_ms() - health::WINDOW_MS).await?;
    match delivery_log::summarize(&errors) {
        Some(s) => Ok(Verdict::Failed {
            canary: None,
            error: s.latest,
            evidence: format!("{} delivery errors in the last hour in log group {group}", s.count),
        }),
        None => Ok(Verdict::Quiet { why, checked: vec![format!("log group {group}: no delivery errors")] }),
    }
}

/// One pass over every place, remembering objects already read.
struct Look<'a> {
    probe: &'a dyn Probe,
    f: &'a Facts,
    id: &'a str,
    since: i64,
    seen: BTreeSet<String>,
}

impl Look<'_> {
    async fn once(&mut self) -> Result<Option<Verdict>, String> {
        let (f, id) = (self.f, self.id.to_string());
        if let Some(group) = &f.log_group {
            let errors = self.probe.logged_errors(&f.name, group, &f.log_streams, self.since).await?;
            if let Some(s) = delivery_log::summarize(&errors) {
                let evidence = format!("log group {group}, after the canary was put");
                return Ok(Some(Verdict::Failed { canary: Some(id), error: s.latest, evidence }));
            }
        }
        if let Some(failed) = &f.failed {
            if let Some(url) = self.find(failed).await? {
                let error = DeliveryError {
                    code: "ProcessingFailed".into(),
                    message: format!(
                        "the canary was written to {url}, where records that failed processing or conversion go"
                    ),
                    at_ms: now_ms(),
                };
                return Ok(Some(Verdict::Failed { canary: Some(id), error, evidence: url }));
            }
        }
        if let Some(delivered) = &f.delivered {
            return Ok(self.find(delivered).await?.map(|evidence| Verdict::Delivered { canary: id, evidence }));
        }
        let backup = match &f.backup_all {
            Some(b) => self.find(b).await?,
            None => None,
        };
        let records = self.probe.metric_sum(&f.name, f.records_metric, self.since).await?;
        if records > 0.0 {
            let mut evidence =
                format!("{} counted {records} records delivered since the canary was put", f.records_metric);
            if let Some(b) = backup {
                evidence.push_str(&format!("; the canary is in the backup, {b}"));
            }
            return Ok(Some(Verdict::Delivered { canary: id, evidence }));
        }
        Ok(None)
    }

    /// The object under `at` that holds the canary, as a URL. An object
    /// whose content cannot be searched (compressed otherwise than GZIP, or
    /// converted to Parquet or ORC) counts when it was written after the
    /// canary, and the URL says so.
    async fn find(&mut self, at: &Objects) -> Result<Option<String>, String> {
        for prefix in prefixes(at, self.since, now_ms()) {
            for key in self.probe.new_objects(&at.bucket, &prefix, self.since).await? {
                if !self.seen.insert(format!("{}/{key}", at.bucket)) {
                    continue;
                }
                if !at.searchable() {
                    return Ok(Some(format!(
                        "{} (written after the canary; {} content is not searched)",
                        at.url(&key),
                        at.encoding
                    )));
                }
                let body = self.probe.object(&at.bucket, &key).await?;
                if canary::found_in(&body, &at.encoding, self.id) {
                    return Ok(Some(at.url(&key)));
                }
            }
        }
        Ok(None)
    }

    fn places(&self) -> Vec<String> {
        let f = self.f;
        let mut out = Vec::new();
        for o in [&f.delivered, &f.failed, &f.backup_all].into_iter().flatten() {
            out.push(format!("s3://{}/{}", o.bucket, o.prefix));
        }
        if f.delivered.is_none() {
            out.push(format!("the {} metric", f.records_metric));
        }
        match &f.log_group {
            Some(g) => out.push(format!("log group {g}: no delivery errors")),
            None => out.push("no log group: the stream's logging is off".into()),
        }
        out
    }
}

/// The prefixes to list: under a dated prefix, the hours from the canary to
/// now (usually one, two across an hour's end).
fn prefixes(at: &Objects, since_ms: i64, now_ms: i64) -> Vec<String> {
    const HOUR_MS: i64 = 3_600_000;
    if !at.dated {
        return vec![at.prefix.clone()];
    }
    let mut out = Vec::new();
    let mut t = since_ms.min(now_ms) - since_ms.min(now_ms).rem_euclid(HOUR_MS);
    while t <= now_ms && out.len() < 3 {
        out.push(format!("{}{}", at.prefix, canary::hour_prefix(t)));
        t += HOUR_MS;
    }
    out
}

/// What Terraform shows for a verdict: errors fail the apply, warnings do
/// not; a delivery is reported as a progress line.
pub fn report(name: &str, v: &Verdict, progress: &Progress) -> crate::protocol::Diagnostics {
    let mut d = crate::protocol::Diagnostics::new();
    match v {
        Verdict::Delivered { canary, evidence } => progress.say(format!("{name}: delivered: canary {canary}: {evidence}")),
        Verdict::Quiet { why, checked } => {
            progress.say(format!("{name}: no delivery errors in the last hour ({why}); checked {}", checked.join(", ")))
        }
        Verdict::Failed { canary, error, evidence } => d.error(
            format!("{name} failed to deliver: {}", error.code),
            format!(
                "{}\n{}\nSeen in: {evidence}.{}",
                error.message,
                delivery_log::fix_for(&error.code),
                canary.as_ref().map(|c| format!("\nCanary: {c}.")).unwrap_or_default()
            ),
        ),
        Verdict::NotSeen { canary, waited, checked } => d.warning(
            format!("{name}: the canary was not seen within {}s", waited.as_secs()),
            format!(
                "Canary {canary} was put, but neither a delivery nor an error showed up in time. Checked: {}.\nFirehose holds records for up to the buffering interval before it delivers; a larger `timeout` waits longer. The record may still arrive.",
                checked.join("; ")
            ),
        ),
    }
    d
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
