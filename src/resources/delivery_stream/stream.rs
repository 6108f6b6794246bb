//! Calls on the delivery stream itself: describe, create with retries while
//! IAM catches up, waiting for states, encryption and tags.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_firehose::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_firehose::operation as fh_ops;
use aws_sdk_firehose::types as fh;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::aws::{call_error, error_code, error_text};
use crate::provider::{AwsClients, StreamListing};

use super::change_rate;
use super::names::ADOPTABLE_TAG;

/// How long Firehose may keep rejecting a fresh role (IAM propagation).
pub const IAM_PROPAGATION: Duration = Duration::from_secs(120);

pub async fn describe(aws: &AwsClients, name: &str) -> Result<Option<fh::DeliveryStreamDescription>, String> {
    match aws.firehose.describe_delivery_stream().delivery_stream_name(name).send().await {
        // A success without a description is a malformed answer, not a
        // missing stream: treating it as gone would plan a re-creation.
        Ok(out) => match out.delivery_stream_description() {
            None => Err(format!("firehose:DescribeDeliveryStream {name} returned no description")),
            // The SDK fills absent required fields with empty values; a
            // description without them cannot be trusted to plan from.
            Some(d) if d.delivery_stream_name() != name || d.version_id().is_empty() || d.destinations().is_empty() => {
                Err(format!(
                    "firehose:DescribeDeliveryStream {name} returned an incomplete description \
                     (name {:?}, version {:?}, {} destinations)",
                    d.delivery_stream_name(),
                    d.version_id(),
                    d.destinations().len()
                ))
            }
            Some(d) => Ok(Some(d.clone())),
        },
        Err(e) if error_code(&e) == Some("ResourceNotFoundException") => Ok(None),
        Err(e) => Err(call_error("firehose:DescribeDeliveryStream", &aws.stream_arn(name), &e)),
    }
}

/// Firehose rejects a role it cannot assume yet (or whose policy has not
/// reached every region endpoint) with InvalidArgumentException.
pub fn is_propagation_error(code: Option<&str>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    code == Some("InvalidArgumentException")
        && (m.contains("assume") || m.contains("role") || m.contains("access") || m.contains("not authorized"))
}

/// The account-wide describe rate AWS allows (DescribeDeliveryStream: 10
/// per second), kept under with a margin. The change rate: `change_rate`.
const DESCRIBES_PER_SECOND: u64 = 8;

/// How many streams in this process are polling with DescribeDeliveryStream.
static POLLING: AtomicUsize = AtomicUsize::new(0);

/// One stream polling, counted for as long as it polls. Every stream of an
/// apply waits in this one provider process, so together they can keep
/// under the account's rate instead of each sleeping blindly.
struct Polling;

impl Polling {
    fn start() -> Polling {
        POLLING.fetch_add(1, Ordering::Relaxed);
        Polling
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        POLLING.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The wait before poll `attempt` (0-based). What we wait for (CREATING
/// turning ACTIVE, a stream going) takes AWS seconds, so a long exponential
/// backoff mostly overshoots: quick at first, then twice a second for half
/// a minute, then slower so a long wait does not flood the API; never so
/// often that all the streams polling in this process exceed the account's
/// describe rate. ±20 % jitter keeps them from polling in step.
fn backoff(attempt: u32) -> Duration {
    let polling = POLLING.load(Ordering::Relaxed).max(1) as u64;
    let shared = polling * 1_000 / DESCRIBES_PER_SECOND;
    jittered(schedule(attempt).max(shared))
}

fn schedule(attempt: u32) -> u64 {
    match attempt {
        0 => 250,
        1..=60 => 500,
        61..=90 => 2_000,
        _ => 4_000,
    }
}

fn jittered(ms: u64) -> Duration {
    Duration::from_millis(ms * (80 + jitter_percent()) / 100)
}

/// 0..=40, from the clock: no random number generator is needed for this.
fn jitter_percent() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish() % 41
}

/// CreateDeliveryStream, retried while Firehose cannot yet use new roles.
/// Returns false when a stream of that name already existed.
pub async fn create(aws: &AwsClients, req: CreateRequest) -> Result<bool, String> {
    let res = while_iam_propagates(&req.name, || {
        let mut call =
            aws.firehose.create_delivery_stream().delivery_stream_name(&req.name).set_tags(Some(req.tags.clone()));
        call = (req.destination)(call);
        call = match &req.source {
            Some(Source::Kinesis(src)) => call
                .delivery_stream_type(fh::DeliveryStreamType::KinesisStreamAsSource)
                .kinesis_stream_source_configuration(src.clone()),
            Some(Source::Msk(src)) => {
                call.delivery_stream_type(fh::DeliveryStreamType::MskAsSource).msk_source_configuration(src.clone())
            }
            None => call.delivery_stream_type(fh::DeliveryStreamType::DirectPut),
        };
        if let Some(enc) = &req.encryption {
            call = call.delivery_stream_encryption_configuration_input(enc.clone());
        }
        call.customize().config_override(paced::<fh_ops::create_delivery_stream::CreateDeliveryStreamError>()).send()
    })
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if error_code(&e) == Some("ResourceInUseException") => Ok(false),
        Err(e) => Err(call_error("firehose:CreateDeliveryStream", &aws.stream_arn(&req.name), &e)),
    }
}

/// Firehose limits how fast an account may create streams (5 per second):
/// past that it answers LimitExceededException "Rate exceeded". The SDK's
/// backoff neither covers a burst of many streams nor knows when the
/// second frees up; `change_rate` does.
pub fn is_rate_limited(code: Option<&str>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    matches!(code, Some("LimitExceededException" | "ThrottlingException")) && m.contains("rate")
}

/// Runs `call` again (with backoff) while it fails because Firehose cannot
/// yet use a new or changed role or policy, for as long as IAM may take to
/// propagate, or because the account's call rate was exceeded; any other
/// outcome is returned as it is. Every call that hands Firehose a role goes
/// through here.
async fn while_iam_propagates<T, E, F, Fut>(stream: &str, mut call: F) -> Result<T, SdkError<E, HttpResponse>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let started = Instant::now();
    let mut attempt = 0;
    // The moment this call waited for after the rate limit turned it away.
    let mut booked: Option<Instant> = None;
    loop {
        match call().await {
            Ok(out) => {
                change_rate::accepted(booked);
                return Ok(out);
            }
            Err(e) if started.elapsed() < IAM_PROPAGATION && is_propagation_error(error_code(&e), &error_text(&e)) => {
                change_rate::release(booked.take());
                crate::debug!(["delivery_stream" = stream], "waiting for IAM to propagate: {}", error_text(&e));
                // Refused calls change nothing: probe on the plain schedule,
                // and let the rate limit, if met, pace the streams.
                tokio::time::sleep(jittered(schedule(attempt))).await;
                attempt += 1;
            }
            Err(e) if started.elapsed() < IAM_PROPAGATION && is_rate_limited(error_code(&e), &error_text(&e)) => {
                crate::debug!(["delivery_stream" = stream], "over Firehose's call rate: {}", error_text(&e));
                let at = change_rate::book(booked.take());
                booked = Some(at);
                tokio::time::sleep_until(at.into()).await;
                attempt += 1;
            }
            other => {
                change_rate::release(booked);
                return other;
            }
        }
    }
}

/// A call's configuration that leaves the rate limit to `change_rate`.
fn paced<E>() -> aws_sdk_firehose::config::Builder
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    aws_sdk_firehose::config::Builder::default().retry_classifier(change_rate::PacedByUs::<E>::default())
}

/// Where a stream reads from, when it takes no direct puts.
pub enum Source {
    Kinesis(fh::KinesisStreamSourceConfiguration),
    Msk(fh::MskSourceConfiguration),
}

pub struct CreateRequest {
    pub name: String,
    /// Sets the destination kind's configuration.
    pub destination: super::destinations::CreateFn,
    pub source: Option<Source>,
    pub encryption: Option<fh::DeliveryStreamEncryptionConfigurationInput>,
    pub tags: Vec<fh::Tag>,
}

/// UpdateDestination with the current version, retried like create while
/// IAM catches up with a changed role or policy.
pub async fn update_destination(
    aws: &AwsClients,
    name: &str,
    version: &str,
    destination_id: &str,
    update: super::destinations::UpdateFn,
) -> Result<(), String> {
    while_iam_propagates(name, || {
        let call = aws
            .firehose
            .update_destination()
            .delivery_stream_name(name)
            .current_delivery_stream_version_id(version)
            .destination_id(destination_id);
        update(call).customize().config_override(paced::<fh_ops::update_destination::UpdateDestinationError>()).send()
    })
    .await
    .map(drop)
    .map_err(|e| call_error("firehose:UpdateDestination", &aws.stream_arn(name), &e))
}

/// Polls until the stream is ACTIVE (and its encryption settled), failing
/// with AWS's own explanation when creation failed.
/// `created` is when CreateDeliveryStream accepted the stream, if it just did.
pub async fn wait_active(
    aws: &AwsClients,
    name: &str,
    created: Option<Instant>,
) -> Result<fh::DeliveryStreamDescription, String> {
    if let Some(at) = created {
        tokio::time::sleep_until(quiet_until(at).into()).await;
    }
    let mut attempt = 0;
    let _waiting = Polling::start();
    loop {
        let Some(d) = describe(aws, name).await? else {
            return Err(format!("delivery stream {name} disappeared while waiting for it to become ACTIVE"));
        };
        let enc_status = d.delivery_stream_encryption_configuration().and_then(|e| e.status()).cloned();
        if let (Some(at), fh::DeliveryStreamStatus::Active) = (created, d.delivery_stream_status()) {
            // Later sightings (encryption still settling) are longer: the minimum keeps the first.
            SHORTEST_CREATING_MS.fetch_min(at.elapsed().as_millis() as u64, Ordering::Relaxed);
        }
        match d.delivery_stream_status() {
            fh::DeliveryStreamStatus::Active => match enc_status {
                Some(fh::DeliveryStreamEncryptionStatus::Enabling | fh::DeliveryStreamEncryptionStatus::Disabling) => {}
                Some(
                    fh::DeliveryStreamEncryptionStatus::EnablingFailed
                    | fh::DeliveryStreamEncryptionStatus::DisablingFailed,
                ) => {
                    let why = d
                        .delivery_stream_encryption_configuration()
                        .and_then(|e| e.failure_description())
                        .map(failure_text)
                        .unwrap_or_else(|| "no reason given".into());
                    return Err(format!("server-side encryption of delivery stream {name} failed: {why}"));
                }
                _ => return Ok(d),
            },
            fh::DeliveryStreamStatus::Creating => {}
            fh::DeliveryStreamStatus::CreatingFailed => {
                let why = d.failure_description().map(failure_text).unwrap_or_else(|| "no reason given".into());
                return Err(format!("delivery stream {name} entered CREATING_FAILED: {why}"));
            }
            other => return Err(format!("delivery stream {name} is {} instead of becoming ACTIVE", other.as_str())),
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt += 1;
    }
}

/// The shortest CREATING this process has seen, in milliseconds: from an
/// accepted create to the describe that found the stream ACTIVE.
static SHORTEST_CREATING_MS: AtomicU64 = AtomicU64::new(u64::MAX);

/// Streams made alike take about as long to create: until 80 % of the
/// quickest seen so far, a new stream's polls would only spend describes
/// that the streams near their end can use (the account's rate is shared).
fn quiet_until(created: Instant) -> Instant {
    match SHORTEST_CREATING_MS.load(Ordering::Relaxed) {
        u64::MAX => created,
        ms => created + Duration::from_millis(ms * 8 / 10),
    }
}

fn failure_text(f: &fh::FailureDescription) -> String {
    format!("{}: {}", f.r#type().as_str(), f.details())
}

/// Deletes the stream and waits until it is gone. Firehose refuses to
/// delete a stream that is still CREATING (ResourceInUseException), as one
/// is after a create that timed out or was interrupted: wait for it to
/// settle, then delete (the caller's delete timeout bounds the wait).
pub async fn delete(aws: &AwsClients, name: &str) -> Result<(), String> {
    let mut attempt = 0;
    loop {
        match aws.firehose.delete_delivery_stream().delivery_stream_name(name).send().await {
            Ok(_) => break,
            Err(e) if error_code(&e) == Some("ResourceNotFoundException") => return Ok(()),
            Err(e) if error_code(&e) == Some("ResourceInUseException") => {
                let text = error_text(&e);
                match describe(aws, name).await? {
                    None => return Ok(()),
                    Some(d) if d.delivery_stream_status() == &fh::DeliveryStreamStatus::Deleting => break,
                    Some(_) => {
                        crate::debug!(["delivery_stream" = name], "waiting to delete: {text}");
                        tokio::time::sleep(backoff(attempt)).await;
                        attempt += 1;
                    }
                }
            }
            Err(e) => return Err(call_error("firehose:DeleteDeliveryStream", &aws.stream_arn(name), &e)),
        }
    }
    wait_gone(aws, name, Instant::now()).await
}

/// How often the deletes waiting in one process list the region's streams:
/// one listing serves them all, so it can be frequent while staying within
/// ListDeliveryStreams' account rate (5 per second).
const LISTING_EVERY: Duration = Duration::from_millis(300);

/// The least time between two listings of one process, whatever the waits.
const LISTING_GAP: Duration = Duration::from_millis(200);

/// Waits until a stream whose deletion was accepted at `deleted` is gone.
/// The shared listing says when it may be; a describe of that one stream
/// decides (DELETING and DELETING_FAILED streams are listed, but a listing
/// is not a read of the stream's own state). Every listing wakes all
/// the deletes waiting in the process, so each learns of its stream's end
/// from the first listing that shows it. Once this process has seen one
/// stream go, the others, deleted alike, are due about as long after their
/// own deletes: each describes itself then instead of waiting for the next
/// listing. Every eighth poll describes anyway, so a stream stuck in
/// DELETING_FAILED is reported instead of waited on until the timeout.
/// Without permission to list, every poll describes.
async fn wait_gone(aws: &AwsClients, name: &str, deleted: Instant) -> Result<(), String> {
    // Set once listing fails: from then on every poll describes, and is
    // counted against the describe rate.
    let mut describing: Option<Polling> = None;
    let mut attempt: u32 = 0;
    let mut due_checked = false;
    // When the newest listing this delete has looked at began.
    let mut seen = deleted;
    loop {
        let listing_works = describing.is_none();
        let wait = match listing_works {
            // Frequent for the first half minute, then as slow as other polls.
            true => jittered(match attempt {
                0..=99 => LISTING_EVERY.as_millis() as u64,
                _ => schedule(attempt),
            }),
            false => backoff(attempt),
        };
        let mut wake = Instant::now() + wait;
        // Once: when this stream is due before the next poll, wake then.
        let due = (!due_checked).then(|| gone_due(deleted)).flatten().filter(|d| *d < wake);
        if let Some(d) = due {
            wake = d.max(Instant::now());
            due_checked = true;
        }
        let listed = aws.stream_listed.notified();
        let woken = tokio::select! {
            _ = tokio::time::sleep_until(wake.into()) => false,
            _ = listed, if listing_works => true,
        };
        attempt += 1;
        let at_due = due.is_some() && !woken;
        if listing_works && !at_due && attempt % 8 != 0 {
            match listed_since(aws, seen).await {
                Ok((started, names)) if names.contains(name) => {
                    seen = started;
                    continue;
                }
                // A listing may lag the stream's state: the describe decides.
                Ok((started, _)) => seen = started,
                Err(e) => {
                    crate::debug!(["delivery_stream" = name], "listing streams failed, describing instead: {e}");
                    describing = Some(Polling::start());
                }
            }
        }
        let asked = Instant::now();
        match describe(aws, name).await? {
            None => {
                seen_gone(deleted, asked);
                return Ok(());
            }
            Some(d) if d.delivery_stream_status() == &fh::DeliveryStreamStatus::DeletingFailed => {
                let why = d.failure_description().map(failure_text).unwrap_or_else(|| "no reason given".into());
                return Err(format!(
                    "delivery stream {name} entered DELETING_FAILED: {why}. Fix the cause (for a KMS key: \
                     its grant to Firehose) and destroy again"
                ));
            }
            Some(_) => {}
        }
    }
}

/// The shortest DELETING this process has seen, in milliseconds: from an
/// accepted delete to a call begun after the stream was gone (an upper
/// bound of the true time, so a stream polled then is most likely gone).
static SHORTEST_DELETING_MS: AtomicU64 = AtomicU64::new(u64::MAX);

fn seen_gone(deleted: Instant, asked: Instant) {
    SHORTEST_DELETING_MS.fetch_min(asked.saturating_duration_since(deleted).as_millis() as u64, Ordering::Relaxed);
}

/// When a stream deleted at `deleted` is likely gone, once one has been seen to go.
fn gone_due(deleted: Instant) -> Option<Instant> {
    match SHORTEST_DELETING_MS.load(Ordering::Relaxed) {
        u64::MAX => None,
        ms => Some(deleted + Duration::from_millis(ms)),
    }
}

/// Every delivery stream name in the region, in AWS's (alphabetical) order.
pub async fn names(aws: &AwsClients) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    loop {
        let page = aws
            .firehose
            .list_delivery_streams()
            .limit(10_000)
            .set_exclusive_start_delivery_stream_name(out.last().cloned())
            .send()
            .await
            .map_err(|e| call_error("firehose:ListDeliveryStreams", "*", &e))?;
        out.extend(page.delivery_stream_names().iter().cloned());
        if !page.has_more_delivery_streams() || page.delivery_stream_names().is_empty() {
            return Ok(out);
        }
    }
}

/// The region's stream names from a listing begun after `seen` (the start
/// of the newest listing the caller has looked at, or its delete), and when
/// that listing began. A recent listing is shared; a new one is not begun
/// sooner than LISTING_GAP after the last, and wakes the other waiters.
async fn listed_since(aws: &AwsClients, seen: Instant) -> Result<(Instant, Arc<BTreeSet<String>>), String> {
    let mut cache = aws.stream_listing.lock().await;
    if let Some(l) = cache.as_ref() {
        if l.started > seen && l.started.elapsed() < LISTING_EVERY {
            return Ok((l.started, l.names.clone()));
        }
        tokio::time::sleep_until((l.started + LISTING_GAP).into()).await;
    }
    let started = Instant::now();
    let listed: Arc<BTreeSet<String>> = Arc::new(names(aws).await?.into_iter().collect());
    *cache = Some(StreamListing { started, names: listed.clone() });
    aws.stream_listed.notify_waiters();
    Ok((started, listed))
}

pub async fn tags(aws: &AwsClients, name: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let mut start: Option<String> = None;
    loop {
        let page = aws
            .firehose
            .list_tags_for_delivery_stream()
            .delivery_stream_name(name)
            .set_exclusive_start_tag_key(start.clone())
            .send()
            .await
            .map_err(|e| call_error("firehose:ListTagsForDeliveryStream", &aws.stream_arn(name), &e))?;
        for t in page.tags() {
            out.insert(t.key().to_string(), t.value().unwrap_or_default().to_string());
        }
        match (page.has_more_tags(), page.tags().last()) {
            (true, Some(last)) => start = Some(last.key().to_string()),
            _ => return Ok(out),
        }
    }
}

/// The last call of a successful create: from now on the stream is held.
pub async fn unmark(aws: &AwsClients, name: &str) -> Result<(), String> {
    aws.firehose
        .untag_delivery_stream()
        .delivery_stream_name(name)
        .tag_keys(ADOPTABLE_TAG)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("firehose:UntagDeliveryStream", &aws.stream_arn(name), &e))
}

pub async fn sync_tags(
    aws: &AwsClients,
    name: &str,
    current: &BTreeMap<String, String>,
    desired: &BTreeMap<String, String>,
) -> Result<(), String> {
    let changes = super::parts::tag_changes(current, desired);
    if !changes.stale.is_empty() {
        aws.firehose
            .untag_delivery_stream()
            .delivery_stream_name(name)
            .set_tag_keys(Some(changes.stale))
            .send()
            .await
            .map_err(|e| call_error("firehose:UntagDeliveryStream", &aws.stream_arn(name), &e))?;
    }
    if !changes.set.is_empty() {
        aws.firehose
            .tag_delivery_stream()
            .delivery_stream_name(name)
            .set_tags(Some(super::api::tags(&changes.set)?))
            .send()
            .await
            .map_err(|e| call_error("firehose:TagDeliveryStream", &aws.stream_arn(name), &e))?;
    }
    Ok(())
}

pub async fn start_encryption(
    aws: &AwsClients,
    name: &str,
    input: fh::DeliveryStreamEncryptionConfigurationInput,
) -> Result<(), String> {
    aws.firehose
        .start_delivery_stream_encryption()
        .delivery_stream_name(name)
        .delivery_stream_encryption_configuration_input(input)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("firehose:StartDeliveryStreamEncryption", &aws.stream_arn(name), &e))
}

pub async fn stop_encryption(aws: &AwsClients, name: &str) -> Result<(), String> {
    aws.firehose
        .stop_delivery_stream_encryption()
        .delivery_stream_name(name)
        .send()
        .await
        .map(drop)
        .map_err(|e| call_error("firehose:StopDeliveryStreamEncryption", &aws.stream_arn(name), &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_are_told_from_other_limits() {
        assert!(is_rate_limited(Some("LimitExceededException"), "Rate exceeded for CreateDeliveryStream"));
        assert!(is_rate_limited(Some("ThrottlingException"), "Rate exceeded"));
        // Too many streams in the account is a limit no wait lifts.
        assert!(!is_rate_limited(Some("LimitExceededException"), "You have already reached the limit of 50 streams"));
        assert!(!is_rate_limited(Some("InvalidArgumentException"), "Rate exceeded"));
    }

    #[test]
    fn new_streams_poll_only_once_most_of_the_quickest_creation_has_passed() {
        let t = Instant::now();
        assert_eq!(quiet_until(t), t, "nothing learned yet: poll at once");
        SHORTEST_CREATING_MS.fetch_min(5_000, Ordering::Relaxed);
        SHORTEST_CREATING_MS.fetch_min(9_000, Ordering::Relaxed);
        assert_eq!(quiet_until(t), t + Duration::from_secs(4));
    }

    #[test]
    fn waits_start_short_stay_near_half_a_second_grow_and_share_the_account_rate() {
        let ms = |a| backoff(a).as_millis();
        assert!((200..=350).contains(&ms(0)), "{}", ms(0));
        for a in 1..=60 {
            assert!((400..=700).contains(&ms(a)), "attempt {a}: {}", ms(a));
        }
        assert!((1_600..=2_800).contains(&ms(70)), "{}", ms(70));
        assert!(ms(1_000) <= 5_600, "{}", ms(1_000));
        // Thirty seconds of waiting take about sixty polls, not five.
        let polls_in_30s = (0..).scan(Duration::ZERO, |t, a| {
            *t += backoff(a);
            (*t <= Duration::from_secs(30)).then_some(())
        });
        assert!(polls_in_30s.count() >= 45);

        // (In the same test: the counts of waiting streams are process-wide.)
        // Forty streams polling together stay under 10 describes a second.
        let held: Vec<Polling> = (0..40).map(|_| Polling::start()).collect();
        let ms = backoff(5).as_millis();
        assert!((4_000..=7_000).contains(&ms), "{ms}");
        drop(held);
        assert!(backoff(5).as_millis() <= 700, "released when the waits end");
    }
}
