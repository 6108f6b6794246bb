//! When a stream's polls and retries run: quick at first, then steady, then
//! slower, jittered so that streams do not poll in step, and never so often
//! that every stream polling in the process together exceeds the account's
//! describe rate.

use std::time::Duration;

use crate::provider::pacer::Pacer;

/// The account-wide describe rate AWS allows (DescribeDeliveryStream: 10
/// per second), kept under with a margin. The change rate: `change_rate`.
const DESCRIBES_PER_SECOND: u64 = 8;

/// The wait before poll `attempt` (0-based). What we wait for (CREATING
/// turning ACTIVE, a stream going) takes AWS seconds, so a long exponential
/// backoff mostly overshoots: quick at first, then twice a second for half
/// a minute, then slower so a long wait does not flood the API; never so
/// often that all the streams polling in this process exceed the account's
/// describe rate. ±20 % jitter keeps them from polling in step.
pub fn backoff(pacer: &Pacer, attempt: u32) -> Duration {
    let polling = pacer.polling.count().max(1) as u64;
    let shared = polling * 1_000 / DESCRIBES_PER_SECOND;
    jittered(schedule(attempt).max(shared))
}

pub fn schedule(attempt: u32) -> u64 {
    match attempt {
        0 => 250,
        1..=60 => 500,
        61..=90 => 2_000,
        _ => 4_000,
    }
}

pub fn jittered(ms: u64) -> Duration {
    Duration::from_millis(ms * (80 + jitter_percent()) / 100)
}

/// 0..=40, from the clock: no random number generator is needed for this.
fn jitter_percent() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish() % 41
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_short_stay_near_half_a_second_grow_and_share_the_account_rate() {
        let pacer = Pacer::default();
        let ms = |a| backoff(&pacer, a).as_millis();
        assert!((200..=350).contains(&ms(0)), "{}", ms(0));
        for a in 1..=60 {
            assert!((400..=700).contains(&ms(a)), "attempt {a}: {}", ms(a));
        }
        assert!((1_600..=2_800).contains(&ms(70)), "{}", ms(70));
        assert!(ms(1_000) <= 5_600, "{}", ms(1_000));
        // Thirty seconds of waiting take about sixty polls, not five.
        let polls_in_30s = (0..).scan(Duration::ZERO, |t, a| {
            *t += backoff(&pacer, a);
            (*t <= Duration::from_secs(30)).then_some(())
        });
        assert!(polls_in_30s.count() >= 45);

        // Forty streams polling together stay under 10 describes a second.
        let held: Vec<_> = (0..40).map(|_| pacer.polling.start()).collect();
        let ms = backoff(&pacer, 5).as_millis();
        assert!((4_000..=7_000).contains(&ms), "{ms}");
        drop(held);
        assert!(backoff(&pacer, 5).as_millis() <= 700, "released when the waits end");
    }
}
