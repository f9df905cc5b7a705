//! Events as a room's schedule holds them: the one meaning of "an event" shared by the web app,
//! storage, the `.ics` export and the image renderer.
//!
//! A timed event is a pair of instants shown in its IANA time zone; an all-day event is a span of
//! civil dates (end inclusive) that no time zone ever shifts. The helpers here answer the questions
//! the views ask ("which days does this event touch, seen from this zone?") without any I/O.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// The zone an event or room uses when none is given.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Seoul";

/// When an event happens.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventTime {
    /// From `starts_at` up to `ends_at` (two instants; `ends_at >= starts_at` once validated).
    Timed {
        starts_at: Timestamp,
        ends_at: Timestamp,
    },
    /// Whole civil days, `start_date` through `end_date` **inclusive**.
    AllDay { start_date: Date, end_date: Date },
}

/// One event in a room's schedule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    /// UUIDv7 as text.
    pub id: String,
    pub title: String,
    pub when: EventTime,
    /// IANA zone name the event's times are shown in (default [`DEFAULT_TIME_ZONE`]).
    pub time_zone: String,
    pub location: Option<String>,
    pub memo: Option<String>,
    /// The user id of the member who added it.
    pub created_by: String,
    /// Bumped on every change (the `.ics` `SEQUENCE`).
    pub sequence: i64,
}

/// Problems the helpers can report.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
}

/// Looks up an IANA zone in the embedded tz database.
pub fn time_zone(name: &str) -> Result<TimeZone, EventError> {
    TimeZone::get(name).map_err(|_| EventError::UnknownTimeZone(name.to_owned()))
}

impl EventTime {
    pub fn is_all_day(&self) -> bool {
        matches!(self, Self::AllDay { .. })
    }

    /// The civil days (first, last; inclusive) this span touches when seen from `tz`.
    ///
    /// All-day spans are civil already and ignore `tz`. A timed event touches the day of its start
    /// through the day of the last instant before its end, so 19:00–24:00 stays on one day; a
    /// zero-length event touches its start day.
    pub fn days_in(&self, tz: &TimeZone) -> (Date, Date) {
        match self {
            Self::AllDay { start_date, end_date } => (*start_date, (*end_date).max(*start_date)),
            Self::Timed { starts_at, ends_at } => {
                let first = tz.to_datetime(*starts_at).date();
                let last_instant = if ends_at > starts_at {
                    ends_at.checked_sub(1.nanosecond()).unwrap_or(*ends_at)
                } else {
                    *starts_at
                };
                let last = tz.to_datetime(last_instant).date();
                (first, last.max(first))
            }
        }
    }

    /// True when the span touches civil day `day` seen from `tz`.
    pub fn touches(&self, day: Date, tz: &TimeZone) -> bool {
        let (first, last) = self.days_in(tz);
        first <= day && day <= last
    }

    /// True when the span touches any day in `from..to` (`to` exclusive), seen from `tz`.
    pub fn overlaps_days(&self, from: Date, to: Date, tz: &TimeZone) -> bool {
        let (first, last) = self.days_in(tz);
        first < to && last >= from
    }

    /// A key that orders a day's events as calendars list them: all-day first (longest first),
    /// then timed events by start and then by end.
    pub fn sort_key(&self) -> (u8, i128, i128) {
        match self {
            Self::AllDay { start_date, end_date } => {
                let start = i128::from(start_date.to_jiff_epoch_days());
                let len = i128::from(end_date.to_jiff_epoch_days()) - start;
                (0, start, -len)
            }
            Self::Timed { starts_at, ends_at } => (1, starts_at.as_nanosecond(), ends_at.as_nanosecond()),
        }
    }
}

/// Days since the Unix epoch, for ordering civil dates as numbers.
trait EpochDays {
    fn to_jiff_epoch_days(&self) -> i64;
}

impl EpochDays for Date {
    fn to_jiff_epoch_days(&self) -> i64 {
        self.duration_since(jiff::civil::date(1970, 1, 1)).as_secs() / 86_400
    }
}

impl Event {
    pub fn is_all_day(&self) -> bool {
        self.when.is_all_day()
    }

    /// The event's own zone (an unknown name is an error, not a silent default).
    pub fn tz(&self) -> Result<TimeZone, EventError> {
        time_zone(&self.time_zone)
    }

    /// See [`EventTime::days_in`].
    pub fn days_in(&self, tz: &TimeZone) -> (Date, Date) {
        self.when.days_in(tz)
    }

    /// See [`EventTime::touches`].
    pub fn touches(&self, day: Date, tz: &TimeZone) -> bool {
        self.when.touches(day, tz)
    }

    /// See [`EventTime::overlaps_days`].
    pub fn overlaps_days(&self, from: Date, to: Date, tz: &TimeZone) -> bool {
        self.when.overlaps_days(from, to, tz)
    }
}

/// The number of days in `first..=last` (at least 1).
pub fn span_days(first: Date, last: Date) -> i64 {
    (last.duration_since(first).as_secs() / 86_400).max(0) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn seoul() -> TimeZone {
        time_zone(DEFAULT_TIME_ZONE).unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn evening_event_stays_on_its_day() {
        let w = EventTime::Timed {
            starts_at: at("2026-12-24T19:00:00+09:00"),
            ends_at: at("2026-12-25T00:00:00+09:00"),
        };
        assert_eq!(w.days_in(&seoul()), (date(2026, 12, 24), date(2026, 12, 24)));
        assert!(!w.touches(date(2026, 12, 25), &seoul()));
    }

    #[test]
    fn overnight_event_touches_two_days() {
        let w = EventTime::Timed {
            starts_at: at("2026-12-24T22:00:00+09:00"),
            ends_at: at("2026-12-25T02:00:00+09:00"),
        };
        assert_eq!(w.days_in(&seoul()), (date(2026, 12, 24), date(2026, 12, 25)));
    }

    #[test]
    fn timed_days_depend_on_the_zone() {
        let w = EventTime::Timed {
            starts_at: at("2026-12-24T08:00:00+09:00"),
            ends_at: at("2026-12-24T09:00:00+09:00"),
        };
        let la = time_zone("America/Los_Angeles").unwrap();
        assert_eq!(w.days_in(&la).0, date(2026, 12, 23));
    }

    #[test]
    fn all_day_is_never_shifted_and_end_inclusive() {
        let w = EventTime::AllDay {
            start_date: date(2026, 12, 24),
            end_date: date(2026, 12, 26),
        };
        let la = time_zone("America/Los_Angeles").unwrap();
        assert_eq!(w.days_in(&la), (date(2026, 12, 24), date(2026, 12, 26)));
        assert!(w.touches(date(2026, 12, 26), &seoul()));
        assert!(w.overlaps_days(date(2026, 12, 26), date(2026, 12, 27), &seoul()));
        assert!(!w.overlaps_days(date(2026, 12, 27), date(2026, 12, 28), &seoul()));
    }

    #[test]
    fn unknown_zone_is_an_error() {
        assert!(matches!(
            time_zone("Mars/Olympus"),
            Err(EventError::UnknownTimeZone(_))
        ));
    }

    #[test]
    fn all_day_sorts_before_timed() {
        let a = EventTime::AllDay {
            start_date: date(2026, 12, 24),
            end_date: date(2026, 12, 24),
        };
        let t = EventTime::Timed {
            starts_at: at("2026-12-24T00:00:00+09:00"),
            ends_at: at("2026-12-24T01:00:00+09:00"),
        };
        assert!(a.sort_key() < t.sort_key());
        assert_eq!(span_days(date(2026, 12, 24), date(2026, 12, 26)), 3);
    }
}
