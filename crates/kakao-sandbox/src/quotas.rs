//! Kakao's message quotas (§6.3, §14.8): per app, sender, receiver and sender–receiver pair per
//! quota day, per sender per month, and the Talk Share quota per app per day.
//!
//! The day turns at midnight at `settings.quota_day_utc_offset_hours` (KST assumed) on the
//! sandbox clock, so tests cross it by moving the clock, never by waiting.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

use crate::app::Quotas;

/// Counters of the current quota day (and month); they reset when the day (month) turns.
#[derive(Debug, Default)]
pub struct QuotaBook {
    day: i64,
    month: i64,
    app: u32,
    sender: HashMap<i64, u32>,
    receiver: HashMap<i64, u32>,
    pair: HashMap<(i64, i64), u32>,
    sender_month: HashMap<i64, u32>,
    shares: u32,
}

/// A quota that is used up: Kakao's code and message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    pub code: i32,
    pub msg: &'static str,
}

/// The quota day of `now`: whole days since the epoch, counted at `offset_hours` east of UTC.
pub fn day_index(now: Timestamp, offset_hours: i64) -> i64 {
    (now.as_second() + offset_hours * 3600).div_euclid(86_400)
}

fn month_index(now: Timestamp, offset_hours: i64) -> i64 {
    let seconds = i32::try_from(offset_hours.clamp(-25, 25) * 3600).unwrap_or(0);
    let offset = Offset::from_seconds(seconds).unwrap_or(Offset::UTC);
    let civil = now.to_zoned_datetime(TimeZone::fixed(offset));
    i64::from(civil.year()) * 12 + i64::from(civil.month())
}

impl QuotaBook {
    fn roll(&mut self, now: Timestamp, offset_hours: i64) {
        let day = day_index(now, offset_hours);
        if day != self.day {
            self.day = day;
            self.app = 0;
            self.sender.clear();
            self.receiver.clear();
            self.pair.clear();
            self.shares = 0;
        }
        let month = month_index(now, offset_hours);
        if month != self.month {
            self.month = month;
            self.sender_month.clear();
        }
    }

    /// Whether one more message from `sender` to `receiver` fits, checked in the order app,
    /// sender month, sender day, receiver day, pair day.
    pub fn check(
        &mut self,
        quotas: &Quotas,
        now: Timestamp,
        offset_hours: i64,
        sender: i64,
        receiver: i64,
    ) -> Result<(), Exceeded> {
        self.roll(now, offset_hours);
        let get = |map: &HashMap<i64, u32>, k: i64| map.get(&k).copied().unwrap_or(0);
        if self.app >= quotas.app_day {
            return Err(Exceeded {
                code: -10,
                msg: "API limit has been exceeded.",
            });
        }
        if quotas.sender_month > 0 && get(&self.sender_month, sender) >= quotas.sender_month {
            return Err(Exceeded {
                code: -531,
                msg: "monthly message limit per sender has been exceeded.",
            });
        }
        if get(&self.sender, sender) >= quotas.sender_day {
            return Err(Exceeded {
                code: -532,
                msg: "daily message limit per sender has been exceeded.",
            });
        }
        if get(&self.receiver, receiver) >= quotas.receiver_day {
            return Err(Exceeded {
                code: -533,
                msg: "daily message limit per receiver has been exceeded.",
            });
        }
        if self.pair.get(&(sender, receiver)).copied().unwrap_or(0) >= quotas.pair_day {
            return Err(Exceeded {
                code: -536,
                msg: "daily message limit between the sender and the receiver has been exceeded.",
            });
        }
        Ok(())
    }

    /// Counts one delivered message (after [`Self::check`] passed at the same instant).
    pub fn record(&mut self, sender: i64, receiver: i64) {
        self.app += 1;
        *self.sender.entry(sender).or_default() += 1;
        *self.sender_month.entry(sender).or_default() += 1;
        *self.receiver.entry(receiver).or_default() += 1;
        *self.pair.entry((sender, receiver)).or_default() += 1;
    }

    /// Whether a Talk Share fits today's app quota (error 4006 when not).
    pub fn share_fits(&mut self, quotas: &Quotas, now: Timestamp, offset_hours: i64) -> bool {
        self.roll(now, offset_hours);
        self.shares < quotas.share_app_day
    }

    pub fn record_share(&mut self) {
        self.shares += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kst_day_turns_at_midnight_kst() {
        let before: Timestamp = "2026-05-23T14:59:59Z".parse().unwrap();
        let after: Timestamp = "2026-05-23T15:00:00Z".parse().unwrap();
        assert_eq!(day_index(after, 9) - day_index(before, 9), 1);
        assert_eq!(day_index(after, 0), day_index(before, 0));
    }

    #[test]
    fn the_pair_quota_stops_the_21st() {
        let quotas = Quotas::default();
        let now = Timestamp::now();
        let mut book = QuotaBook::default();
        for _ in 0..20 {
            book.check(&quotas, now, 9, 1, 2).unwrap();
            book.record(1, 2);
        }
        assert_eq!(book.check(&quotas, now, 9, 1, 2).unwrap_err().code, -536);
        assert!(book.check(&quotas, now, 9, 1, 3).is_ok());
    }
}
