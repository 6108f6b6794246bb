//! Waiting for a stream: until it is ACTIVE after a create or update, and
//! until it is gone after a delete. The waits of every stream in the process
//! share the account's rates through the provider's `Pacer`: describes are
//! spread over the streams polling, new streams stay quiet until most of the
//! quickest creation has passed, and deletes read one shared listing.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_firehose::types as fh;

use crate::provider::pacer::{Listing, Pacer, Polling};

use super::port::Streams;
use super::schedule::{backoff, jittered, schedule};

/// Polls until the stream is ACTIVE (and its encryption settled), failing
/// with AWS's own explanation when creation failed.
/// `created` is when CreateDeliveryStream accepted the stream, if it just did.
pub async fn wait_active(
    api: &dyn Streams,
    name: &str,
    created: Option<Instant>,
) -> Result<fh::DeliveryStreamDescription, String> {
    if let Some(at) = created {
        tokio::time::sleep_until(quiet_until(api.pacer(), at).into()).await;
    }
    let mut attempt = 0;
    let _waiting = api.pacer().polling.start();
    loop {
        let Some(d) = api.describe(name).await? else {
            return Err(format!("delivery stream {name} disappeared while waiting for it to become ACTIVE"));
        };
        let enc_status = d.delivery_stream_encryption_configuration().and_then(|e| e.status()).cloned();
        if let (Some(at), fh::DeliveryStreamStatus::Active) = (created, d.delivery_stream_status()) {
            // Later sightings (encryption still settling) are longer: the minimum keeps the first.
            api.pacer().creating.saw(at.elapsed());
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
        tokio::time::sleep(backoff(api.pacer(), attempt)).await;
        attempt += 1;
    }
}

/// Streams made alike take about as long to create: until 80 % of the
/// quickest seen so far, a new stream's polls would only spend describes
/// that the streams near their end can use (the account's rate is shared).
fn quiet_until(pacer: &Pacer, created: Instant) -> Instant {
    match pacer.creating.get() {
        None => created,
        Some(d) => created + d * 8 / 10,
    }
}

pub fn failure_text(f: &fh::FailureDescription) -> String {
    format!("{}: {}", f.r#type().as_str(), f.details())
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
pub async fn wait_gone(api: &dyn Streams, name: &str, deleted: Instant) -> Result<(), String> {
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
            false => backoff(api.pacer(), attempt),
        };
        let mut wake = Instant::now() + wait;
        // Once: when this stream is due before the next poll, wake then.
        let due = (!due_checked).then(|| gone_due(api.pacer(), deleted)).flatten().filter(|d| *d < wake);
        if let Some(d) = due {
            wake = d.max(Instant::now());
            due_checked = true;
        }
        let listed = api.pacer().listed.notified();
        let woken = tokio::select! {
            _ = tokio::time::sleep_until(wake.into()) => false,
            _ = listed, if listing_works => true,
        };
        attempt += 1;
        let at_due = due.is_some() && !woken;
        if listing_works && !at_due && attempt % 8 != 0 {
            match listed_since(api, seen).await {
                Ok((started, names)) if names.contains(name) => {
                    seen = started;
                    continue;
                }
                // A listing may lag the stream's state: the describe decides.
                Ok((started, _)) => seen = started,
                Err(e) => {
                    crate::debug!(["delivery_stream" = name], "listing streams failed, describing instead: {e}");
                    describing = Some(api.pacer().polling.start());
                }
            }
        }
        let asked = Instant::now();
        match api.describe(name).await? {
            None => {
                api.pacer().deleting.saw(asked.saturating_duration_since(deleted));
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

/// When a stream deleted at `deleted` is likely gone, once one has been seen to go.
fn gone_due(pacer: &Pacer, deleted: Instant) -> Option<Instant> {
    pacer.deleting.get().map(|d| deleted + d)
}

/// The region's stream names from a listing begun after `seen` (the start
/// of the newest listing the caller has looked at, or its delete), and when
/// that listing began. A recent listing is shared; a new one is not begun
/// sooner than LISTING_GAP after the last, and wakes the other waiters.
async fn listed_since(api: &dyn Streams, seen: Instant) -> Result<(Instant, Arc<BTreeSet<String>>), String> {
    let mut cache = api.pacer().listing.lock().await;
    if let Some(l) = cache.as_ref() {
        if l.started > seen && l.started.elapsed() < LISTING_EVERY {
            return Ok((l.started, l.names.clone()));
        }
        tokio::time::sleep_until((l.started + LISTING_GAP).into()).await;
    }
    let started = Instant::now();
    let listed: Arc<BTreeSet<String>> = Arc::new(api.names().await?.into_iter().collect());
    *cache = Some(Listing { started, names: listed.clone() });
    api.pacer().listed.notify_waiters();
    Ok((started, listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::delivery_stream::stream::fake::{described, Script};
    use fh::DeliveryStreamFailureType as Failure;
    use fh::DeliveryStreamStatus::{Active, Creating, CreatingFailed, Deleting, DeletingFailed};

    #[tokio::test]
    async fn a_new_stream_is_polled_until_active_and_its_creation_time_learned() {
        let s = |st| Some(described("s", st, None));
        let api = Script::new("s", vec![s(Creating), s(Creating), s(Active)], vec![]);
        let created = Instant::now();
        let d = wait_active(&api, "s", Some(created)).await.unwrap();
        assert_eq!(d.delivery_stream_status(), &Active);
        assert_eq!(api.calls(), ["describe"; 3]);
        assert!(api.pacer.creating.get().is_some(), "the next stream waits 80 % of this one's creation first");
        assert_eq!(api.pacer.polling.count(), 0, "a finished wait no longer counts against the describe rate");
    }

    #[tokio::test]
    async fn creating_failed_is_reported_with_aws_reason() {
        let failed = described("s", CreatingFailed, Some((Failure::InvalidKmsKey, "the key is disabled")));
        let api = Script::new("s", vec![Some(failed)], vec![]);
        let e = wait_active(&api, "s", None).await.unwrap_err();
        assert_eq!(e, "delivery stream s entered CREATING_FAILED: INVALID_KMS_KEY: the key is disabled");
        let gone = Script::new("s", vec![None], vec![]);
        let e = wait_active(&gone, "s", None).await.unwrap_err();
        assert!(e.contains("disappeared while waiting for it to become ACTIVE"), "{e}");
    }

    #[tokio::test]
    async fn a_deleted_stream_is_confirmed_gone_by_a_describe_after_the_listing_shows_it_gone() {
        let api = Script::new("s", vec![Some(described("s", Deleting, None)), None], vec![]);
        wait_gone(&api, "s", Instant::now()).await.unwrap();
        let calls = api.calls();
        assert_eq!(calls.first(), Some(&"list"), "{calls:?}");
        assert_eq!(calls.last(), Some(&"describe"), "the listing is not the stream's own state: {calls:?}");
        assert!(api.pacer.deleting.get().is_some(), "the next deletes are due after as long");
    }

    #[tokio::test]
    async fn deleting_failed_is_reported_instead_of_waited_on() {
        let failed = described("s", DeletingFailed, Some((Failure::KmsAccessDenied, "no grant on the key")));
        let api = Script::new("s", vec![Some(failed)], vec![]);
        let started = Instant::now();
        let e = wait_gone(&api, "s", started).await.unwrap_err();
        assert!(
            e.starts_with("delivery stream s entered DELETING_FAILED: KMS_ACCESS_DENIED: no grant on the key."),
            "{e}"
        );
        // Listed all along, it is described on every eighth look.
        assert_eq!(api.calls().iter().filter(|c| **c == "list").count(), 7, "{:?}", api.calls());
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[tokio::test]
    async fn without_permission_to_list_every_poll_describes() {
        let s = |st| Some(described("s", st, None));
        let api = Script::new("s", vec![s(Deleting), s(Deleting), None], vec![]).refusing_to_list();
        wait_gone(&api, "s", Instant::now()).await.unwrap();
        assert_eq!(api.calls(), ["list", "describe", "describe", "describe"]);
    }

    #[test]
    fn new_streams_poll_only_once_most_of_the_quickest_creation_has_passed() {
        let pacer = Pacer::default();
        let t = Instant::now();
        assert_eq!(quiet_until(&pacer, t), t, "nothing learned yet: poll at once");
        pacer.creating.saw(Duration::from_secs(5));
        pacer.creating.saw(Duration::from_secs(9));
        assert_eq!(quiet_until(&pacer, t), t + Duration::from_secs(4));
        assert_eq!(gone_due(&pacer, t), None);
        pacer.deleting.saw(Duration::from_secs(3));
        assert_eq!(gone_due(&pacer, t), Some(t + Duration::from_secs(3)));
    }
}
