//! Firehose's account-wide rate for the calls that create or change a
//! stream (CreateDeliveryStream, UpdateDestination): at most 5 in any one
//! second. A call turned away waits for the moment a change this process
//! made leaves that second, not for a blind backoff; the SDK is kept from
//! retrying such a call itself, as its backoff knows nothing of the window.

use std::marker::PhantomData;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_sdk_firehose::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// The documented rate, per account and second.
const PER_WINDOW: usize = 5;
const WINDOW: Duration = Duration::from_secs(1);
/// Past the moment a change leaves the window, for clocks that disagree.
const MARGIN: Duration = Duration::from_millis(10);

/// When this process's accepted changes were answered, and the moments
/// booked for the changes waiting to try again.
static TAKEN: Mutex<Vec<Instant>> = Mutex::new(Vec::new());

fn taken() -> std::sync::MutexGuard<'static, Vec<Instant>> {
    TAKEN.lock().unwrap_or_else(|p| p.into_inner())
}

/// A change was accepted; `booked` is the moment it had waited for, if any.
pub fn accepted(booked: Option<Instant>) {
    let now = Instant::now();
    let mut t = taken();
    release_in(&mut t, booked);
    t.retain(|x| *x + WINDOW > now);
    t.push(now);
}

/// A change that had waited for `booked` ended otherwise; its moment is free.
pub fn release(booked: Option<Instant>) {
    release_in(&mut taken(), booked);
}

fn release_in(t: &mut Vec<Instant>, booked: Option<Instant>) {
    if let Some(pos) = booked.and_then(|b| t.iter().position(|x| *x == b)) {
        t.swap_remove(pos);
    }
}

/// Books the moment a change the rate limit just turned away tries again.
/// `previous` is the moment it had booked before, if it had.
pub fn book(previous: Option<Instant>) -> Instant {
    let now = Instant::now();
    let mut t = taken();
    release_in(&mut t, previous);
    t.retain(|x| *x + WINDOW > now);
    let at = next_free(&t, now);
    t.push(at);
    at
}

/// The first moment from `now` with fewer than PER_WINDOW of `taken` in the
/// second before it. If there is room at once, the changes that fill the
/// account's window were made elsewhere, and all of them may be a second old
/// only a second from now.
fn next_free(taken: &[Instant], now: Instant) -> Instant {
    let within = |at: Instant| taken.iter().copied().filter(move |x| *x <= at && *x + WINDOW > at);
    if within(now).count() < PER_WINDOW {
        return now + WINDOW;
    }
    let mut at = now;
    while within(at).count() >= PER_WINDOW {
        // The oldest change in the window is the first to leave it.
        let oldest = within(at).min().unwrap_or(at);
        at = oldest + WINDOW + MARGIN;
    }
    at
}

/// Keeps the SDK from retrying a change the rate limit turned away (it
/// counts LimitExceededException as throttling): `book` paces those.
#[derive(Debug)]
pub struct PacedByUs<E>(PhantomData<fn() -> E>);

impl<E> Default for PacedByUs<E> {
    fn default() -> Self {
        PacedByUs(PhantomData)
    }
}

impl<E> ClassifyRetry for PacedByUs<E>
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(err)) = ctx.output_or_error() else { return RetryAction::NoActionIndicated };
        match err.as_operation_error().and_then(|e| e.downcast_ref::<E>()) {
            Some(e) if super::stream::is_rate_limited(e.code(), e.message().unwrap_or_default()) => {
                RetryAction::RetryForbidden
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "Firehose change rate, paced by the provider"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(base: Instant, v: &[u64]) -> Vec<Instant> {
        v.iter().map(|m| base + Duration::from_millis(*m)).collect()
    }

    #[test]
    fn a_full_window_frees_as_its_oldest_change_turns_a_second_old() {
        let t0 = Instant::now();
        let mut taken = ms(t0, &[0, 10, 20, 30, 40]);
        let now = t0 + Duration::from_millis(60);
        // Five turned away book the moments the accepted ones leave: each
        // as soon as the second before it holds fewer than five.
        let mut booked = Vec::new();
        for _ in 0..5 {
            let at = next_free(&taken, now);
            taken.push(at);
            booked.push(at);
        }
        let expected: Vec<Instant> = ms(t0, &[1010, 1010, 1030, 1030, 1050]);
        assert_eq!(booked, expected);
        // A sixth waits for the first of those to be a second old.
        assert_eq!(next_free(&taken, now), t0 + Duration::from_millis(2020));
    }

    #[test]
    fn room_in_our_own_window_means_others_fill_it_so_a_whole_second_is_waited() {
        let t0 = Instant::now();
        let taken = ms(t0, &[0, 500]);
        let now = t0 + Duration::from_millis(600);
        assert_eq!(next_free(&taken, now), now + WINDOW);
    }

    #[test]
    fn no_window_ever_holds_more_than_the_rate() {
        let t0 = Instant::now();
        let mut taken = ms(t0, &[0, 1, 2, 3, 4]);
        let now = t0 + Duration::from_millis(5);
        for _ in 0..40 {
            let at = next_free(&taken, now);
            taken.push(at);
        }
        for start in &taken {
            let n = taken.iter().filter(|x| **x >= *start && **x < *start + WINDOW).count();
            assert!(n <= PER_WINDOW, "{n} changes in the second from {:?}", *start - t0);
        }
        let last = taken.iter().max().unwrap();
        assert!(*last - t0 < Duration::from_millis(8_100), "45 changes took {:?}", *last - t0);
    }
}
