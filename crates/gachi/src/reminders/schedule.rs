//! When reminders fall due (issue 19), computed in the room's time zone: a timed event's
//! reminder `m` minutes before its start; an all-day event's at 09:00 on the day `m / 1440` days
//! before its first day (so "the day before" is 09:00 the day before, and anything shorter is
//! 09:00 on the day). Pure over rows; the Talk Calendar alarms
//! (`events::reminder_times::talk_alarms`) ring at the same instants.
//!
//! Rows are written when they fall due rather than when events change: every write path
//! (edits, scoped edits of a series, answers, settings, membership) is then covered by reading
//! the schedule as it is, and a reminder that a crash or a deploy missed is still written on
//! the next round as long as its event has not begun.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use storage::EventRow;

use crate::events::reminder_times::ALL_DAY_HOUR;

/// One reminder of one event (or occurrence).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub before_minutes: i64,
    pub due_at: i64,
    /// The start snapshot: epoch ms as text, or the all-day date.
    pub starts: String,
    /// Past this instant the reminder is pointless (the event began, or the all-day's first day ended).
    pub expires_at: i64,
}

fn at(date: Date, time: Time, tz: &TimeZone) -> Option<i64> {
    date.to_datetime(time)
        .to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// The start snapshot of a row (what a queued reminder compares to see whether it moved).
pub fn starts_of(row: &EventRow) -> Option<String> {
    if row.all_day != 0 {
        row.start_date.clone()
    } else {
        row.starts_at.map(|ms| ms.to_string())
    }
}

/// The reminders of `row` for the room's times `before` (distinct instants only).
pub fn reminders_of(row: &EventRow, before: &[i64], tz: &TimeZone) -> Vec<Due> {
    let Some(starts) = starts_of(row) else {
        return Vec::new();
    };
    let mut out: Vec<Due> = Vec::new();
    for &b in before {
        let due = if row.all_day != 0 {
            let Ok(first) = starts.parse::<Date>() else {
                continue;
            };
            let (Ok(day), Ok(next)) = (first.checked_sub((b / 1440).days()), first.tomorrow()) else {
                continue;
            };
            let (Some(due_at), Some(expires_at)) = (
                at(day, Time::constant(ALL_DAY_HOUR, 0, 0, 0), tz),
                at(next, Time::midnight(), tz),
            ) else {
                continue;
            };
            Due {
                before_minutes: b,
                due_at,
                starts: starts.clone(),
                expires_at,
            }
        } else {
            let Some(start) = row.starts_at else { continue };
            Due {
                before_minutes: b,
                due_at: start - b * 60_000,
                starts: starts.clone(),
                expires_at: start,
            }
        };
        if !out.iter().any(|d| d.due_at == due.due_at) {
            out.push(due);
        }
    }
    out
}

/// The civil date of `ms` in `tz`.
pub fn date_of(ms: i64, tz: &TimeZone) -> Option<Date> {
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_zoned_datetime(tz.clone()).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(all_day: bool) -> EventRow {
        EventRow {
            id: "e".into(),
            room_id: "r".into(),
            title: "송년회".into(),
            all_day: i64::from(all_day),
            // 2026-12-24T19:00:00+09:00
            starts_at: Some(1_798_106_400_000),
            ends_at: Some(1_798_113_600_000),
            start_date: Some("2026-12-24".into()),
            end_date: Some("2026-12-24".into()),
            time_zone: "Asia/Seoul".into(),
            location: String::new(),
            memo: String::new(),
            created_by: "u".into(),
            sequence: 0,
            span_start: 0,
            span_end: 0,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            rrule: None,
            occurrence: None,
        }
    }

    fn ts(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn timed_reminders_are_minutes_before_the_start() {
        let tz = TimeZone::get("Asia/Seoul").unwrap();
        let due = reminders_of(&row(false), &[1440, 60], &tz);
        assert_eq!(due[0].due_at, ts("2026-12-23T19:00:00+09:00"));
        assert_eq!(due[1].due_at, ts("2026-12-24T18:00:00+09:00"));
        assert_eq!(due[1].expires_at, ts("2026-12-24T19:00:00+09:00"));
        assert_eq!(due[0].starts, "1798106400000");
    }

    #[test]
    fn an_all_day_events_day_before_is_9_am_in_the_rooms_zone() {
        let tz = TimeZone::get("Asia/Seoul").unwrap();
        let due = reminders_of(&row(true), &[1440, 60], &tz);
        assert_eq!(due[0].due_at, ts("2026-12-23T09:00:00+09:00"));
        assert_eq!(due[1].due_at, ts("2026-12-24T09:00:00+09:00"));
        assert_eq!(due[0].starts, "2026-12-24");
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(
            reminders_of(&row(true), &[1440], &ny)[0].due_at,
            ts("2026-12-23T09:00:00-05:00")
        );
    }
}
