//! What every stream this provider process works on shares, so that many
//! streams in one apply keep together under the account's rates instead of
//! each pacing itself blindly: the window of recent changes, how many
//! streams are polling, the quickest create and delete seen so far, and one
//! listing of the region's streams that every waiting delete reads. It is
//! owned by the provider's clients (one per configured provider), never a
//! static, so tests get a fresh one each.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Pacer {
    /// Creates and updates of streams (Firehose: 5 per second and account).
    pub changes: RateWindow,
    /// Streams polling with a describe, to share the describe rate.
    pub polling: Polls,
    /// From an accepted create to the describe that found the stream ACTIVE.
    pub creating: Shortest,
    /// From an accepted delete to a call begun after the stream was gone.
    pub deleting: Shortest,
    /// The newest listing of the region's streams, shared by every delete
    /// waiting in the process.
    pub listing: tokio::sync::Mutex<Option<Listing>>,
    /// Wakes those deletes whenever a new listing is in `listing`.
    pub listed: tokio::sync::Notify,
}

/// One listing of the region's stream names, and when it began.
pub struct Listing {
    pub started: Instant,
    pub names: Arc<BTreeSet<String>>,
}

/// An account-wide limit of `per_window` calls in any `window`: when this
/// process's accepted calls were answered, and the moments booked by calls
/// the limit turned away, which try again then.
pub struct RateWindow {
    per_window: usize,
    window: Duration,
    taken: Mutex<Vec<Instant>>,
}

/// Past the moment a call leaves the window, for clocks that disagree.
const MARGIN: Duration = Duration::from_millis(10);

impl Default for RateWindow {
    /// Firehose's documented rate for CreateDeliveryStream and
    /// UpdateDestination: 5 per second.
    fn default() -> Self {
        RateWindow::new(5, Duration::from_secs(1))
    }
}

impl RateWindow {
    pub fn new(per_window: usize, window: Duration) -> RateWindow {
        RateWindow { per_window, window, taken: Mutex::new(Vec::new()) }
    }

    fn taken(&self) -> MutexGuard<'_, Vec<Instant>> {
        self.taken.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A call was accepted; `booked` is the moment it had waited for, if any.
    pub fn accepted(&self, booked: Option<Instant>) {
        let now = Instant::now();
        let mut t = self.taken();
        release_in(&mut t, booked);
        t.retain(|x| *x + self.window > now);
        t.push(now);
    }

    /// A call that had waited for `booked` ended otherwise; its moment is free.
    pub fn release(&self, booked: Option<Instant>) {
        release_in(&mut self.taken(), booked);
    }

    /// Books the moment a call the limit just turned away tries again.
    /// `previous` is the moment it had booked before, if it had.
    pub fn book(&self, previous: Option<Instant>) -> Instant {
        let now = Instant::now();
        let mut t = self.taken();
        release_in(&mut t, previous);
        t.retain(|x| *x + self.window > now);
        let at = self.next_free(&t, now);
        t.push(at);
        at
    }

    /// The first moment from `now` with fewer than `per_window` of `taken` in
    /// the window before it. If there is room at once, the calls that fill
    /// the account's window were made elsewhere, and all of them may be a
    /// window old only a window from now.
    fn next_free(&self, taken: &[Instant], now: Instant) -> Instant {
        let within = |at: Instant| taken.iter().copied().filter(move |x| *x <= at && *x + self.window > at);
        if within(now).count() < self.per_window {
            return now + self.window;
        }
        let mut at = now;
        while within(at).count() >= self.per_window {
            // The oldest call in the window is the first to leave it.
            let oldest = within(at).min().unwrap_or(at);
            at = oldest + self.window + MARGIN;
        }
        at
    }
}

fn release_in(t: &mut Vec<Instant>, booked: Option<Instant>) {
    if let Some(pos) = booked.and_then(|b| t.iter().position(|x| *x == b)) {
        t.swap_remove(pos);
    }
}

/// How many streams are polling now.
#[derive(Default)]
pub struct Polls(AtomicUsize);

impl Polls {
    /// Counts one more poller until the guard is dropped.
    pub fn start(&self) -> Polling<'_> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Polling(&self.0)
    }

    pub fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// One stream polling, counted for as long as it polls.
pub struct Polling<'a>(&'a AtomicUsize);

impl Drop for Polling<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The shortest of the durations seen so far.
pub struct Shortest(AtomicU64);

impl Default for Shortest {
    fn default() -> Self {
        Shortest(AtomicU64::new(u64::MAX))
    }
}

impl Shortest {
    pub fn saw(&self, d: Duration) {
        self.0.fetch_min(d.as_millis() as u64, Ordering::Relaxed);
    }

    /// None until something was seen.
    pub fn get(&self) -> Option<Duration> {
        match self.0.load(Ordering::Relaxed) {
            u64::MAX => None,
            ms => Some(Duration::from_millis(ms)),
        }
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
        let w = RateWindow::default();
        let t0 = Instant::now();
        let mut taken = ms(t0, &[0, 10, 20, 30, 40]);
        let now = t0 + Duration::from_millis(60);
        // Five turned away book the moments the accepted ones leave: each
        // as soon as the second before it holds fewer than five.
        let mut booked = Vec::new();
        for _ in 0..5 {
            let at = w.next_free(&taken, now);
            taken.push(at);
            booked.push(at);
        }
        let expected: Vec<Instant> = ms(t0, &[1010, 1010, 1030, 1030, 1050]);
        assert_eq!(booked, expected);
        // A sixth waits for the first of those to be a second old.
        assert_eq!(w.next_free(&taken, now), t0 + Duration::from_millis(2020));
    }

    #[test]
    fn room_in_our_own_window_means_others_fill_it_so_a_whole_second_is_waited() {
        let w = RateWindow::default();
        let t0 = Instant::now();
        let taken = ms(t0, &[0, 500]);
        let now = t0 + Duration::from_millis(600);
        assert_eq!(w.next_free(&taken, now), now + Duration::from_secs(1));
    }

    #[test]
    fn no_window_ever_holds_more_than_the_rate() {
        let w = RateWindow::default();
        let t0 = Instant::now();
        let mut taken = ms(t0, &[0, 1, 2, 3, 4]);
        let now = t0 + Duration::from_millis(5);
        for _ in 0..40 {
            let at = w.next_free(&taken, now);
            taken.push(at);
        }
        for start in &taken {
            let n = taken.iter().filter(|x| **x >= *start && **x < *start + Duration::from_secs(1)).count();
            assert!(n <= 5, "{n} changes in the second from {:?}", *start - t0);
        }
        let last = taken.iter().max().unwrap();
        assert!(*last - t0 < Duration::from_millis(8_100), "45 changes took {:?}", *last - t0);
    }

    #[test]
    fn a_booking_is_held_until_released_or_accepted() {
        let w = RateWindow::default();
        for _ in 0..5 {
            w.accepted(None);
        }
        let first = w.book(None);
        assert!(first > Instant::now() + Duration::from_millis(900), "a full window books a second later");
        assert_eq!(w.taken().len(), 6);
        // Booking again gives up the first moment: still one booking.
        let again = w.book(Some(first));
        assert_eq!(w.taken().len(), 6);
        w.release(Some(again));
        assert_eq!(w.taken().len(), 5, "a released booking frees its moment");
        let third = w.book(None);
        w.accepted(Some(third));
        assert!(!w.taken().contains(&third), "an accepted call is counted when it was answered, not when booked");
        assert_eq!(w.taken().len(), 6);
    }

    #[test]
    fn polls_count_while_held_and_shortest_keeps_the_minimum() {
        let p = Polls::default();
        let held: Vec<Polling> = (0..3).map(|_| p.start()).collect();
        assert_eq!(p.count(), 3);
        drop(held);
        assert_eq!(p.count(), 0);
        let s = Shortest::default();
        assert_eq!(s.get(), None);
        s.saw(Duration::from_secs(9));
        s.saw(Duration::from_secs(5));
        s.saw(Duration::from_secs(7));
        assert_eq!(s.get(), Some(Duration::from_secs(5)));
    }
}
