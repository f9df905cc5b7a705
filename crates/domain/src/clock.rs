//! The one injectable clock.
//!
//! Everything time-dependent (token lifetimes, quota days, the sandbox's auto-unlink, outbox
//! backoff) reads a [`Clock`], so tests move time instead of waiting. A clock is wall time plus
//! an offset that only moves forward: time keeps flowing (timeouts and leases still behave), and
//! a test can jump a day ahead in one call. Clones share the offset, which is how Gachi and its
//! in-process sandbox see the same "now".

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// Wall time plus a shared, forward-only offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

/// A request to move a clock backwards, which would break every "expires at" already handed out.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the clock only moves forward")]
pub struct BackwardsError;

impl Clock {
    /// A clock reading wall time (offset zero).
    pub fn new() -> Self {
        Self::default()
    }

    pub fn now(&self) -> Timestamp {
        let offset = SignedDuration::from_millis(self.offset_ms.load(Ordering::Acquire));
        Timestamp::now().saturating_add(offset).unwrap_or(Timestamp::MAX)
    }

    /// Seconds since the Unix epoch, as Kakao's `iat`/`exp` claims count them.
    pub fn unix_seconds(&self) -> i64 {
        self.now().as_second()
    }

    /// Moves the clock forward by `seconds` (negative values are refused).
    pub fn advance(&self, seconds: i64) -> Result<Timestamp, BackwardsError> {
        if seconds < 0 {
            return Err(BackwardsError);
        }
        self.offset_ms
            .fetch_add(seconds.saturating_mul(1000), Ordering::AcqRel);
        Ok(self.now())
    }

    /// Sets the clock to `target`, which must not lie in the clock's past.
    pub fn set(&self, target: Timestamp) -> Result<Timestamp, BackwardsError> {
        let now = self.now();
        if target < now {
            return Err(BackwardsError);
        }
        // Rounded up to whole milliseconds so the clock never reads earlier than `target`.
        let nanos = target.duration_since(now).as_nanos();
        let delta = i64::try_from(nanos.div_euclid(1_000_000) + i128::from(nanos.rem_euclid(1_000_000) > 0))
            .unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(delta, Ordering::AcqRel);
        Ok(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let a = Clock::new();
        let b = a.clone();
        let before = b.now();
        a.advance(86_400).unwrap();
        let moved = b.now().duration_since(before).as_secs();
        assert!((86_400..86_400 + 60).contains(&moved), "moved {moved}s");
    }

    #[test]
    fn refuses_to_go_back() {
        let c = Clock::new();
        assert_eq!(c.advance(-1), Err(BackwardsError));
        let past = c.now().checked_sub(SignedDuration::from_hours(1)).unwrap();
        assert_eq!(c.set(past), Err(BackwardsError));
        let future = c.now().checked_add(SignedDuration::from_hours(48)).unwrap();
        let now = c.set(future).unwrap();
        assert!(now >= future);
    }
}
