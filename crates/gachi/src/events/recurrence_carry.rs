//! What an edit of a whole series ("all") does to its occurrences changed or cancelled on their
//! own: they are kept wherever they still make sense, not dropped. When the series' start moves,
//! every original moves with it (by the same wall-clock shift, or the same number of days for
//! an all-day series); an exception follows its original to the new one when the new rule
//! still produces it, and a moved occurrence keeps its move relative to the shift (its own times
//! shift too). A cancelled occurrence that no longer falls on the new rule has nothing left to
//! cancel, and goes; so does a changed one whose original is gone.

use jiff::civil::Date;
use jiff::{Span, Timestamp, ToSpan};
use storage::{EventRow, ExceptionRow};

use crate::events::occurrences::{Original, find, series_start};

/// How far the series' start moved: a civil span in the series' zone, or whole days.
enum Shift {
    Timed(Span, jiff::tz::TimeZone),
    Days(i64),
}

fn shift_of(old: &EventRow, new: &EventRow) -> Option<Shift> {
    match (series_start(old)?, series_start(new)?) {
        (Original::At(a), Original::At(b)) => {
            let tz = domain::event::time_zone(&new.time_zone).ok()?;
            let (a, b) = (a.to_zoned_datetime(tz.clone()), b.to_zoned_datetime(tz.clone()));
            let span = a.datetime().until(b.datetime()).ok()?;
            Some(Shift::Timed(span, tz))
        }
        (Original::On(a), Original::On(b)) => Some(Shift::Days(i64::from(a.until(b).ok()?.get_days()))),
        _ => None,
    }
}

fn moved_instant(t: Timestamp, shift: &Shift) -> Option<Timestamp> {
    match shift {
        Shift::Timed(span, tz) => {
            let local = t
                .to_zoned_datetime(tz.clone())
                .datetime()
                .checked_add(*span)
                .ok()?;
            local.to_zoned_datetime(tz.clone()).ok().map(|z| z.timestamp())
        }
        Shift::Days(_) => None,
    }
}

fn moved_date(d: &str, shift: &Shift) -> Option<String> {
    let Shift::Days(n) = shift else { return None };
    let d: Date = d.parse().ok()?;
    Some(d.checked_add(n.days()).ok()?.to_string())
}

fn moved_ms(ms: i64, shift: &Shift) -> Option<i64> {
    moved_instant(Timestamp::from_millisecond(ms).ok()?, shift).map(|t| t.as_millisecond())
}

/// The exceptions of `old` as they stand on the edited series `new` (same id); those without a
/// place on it are left out.
pub fn carry(old: &EventRow, new: &EventRow, exceptions: &[ExceptionRow]) -> Vec<ExceptionRow> {
    if new.rrule.is_none() || (old.all_day != 0) != (new.all_day != 0) {
        return Vec::new();
    }
    let Some(shift) = shift_of(old, new) else {
        return Vec::new();
    };
    let all_day = new.all_day != 0;
    exceptions
        .iter()
        .filter_map(|x| {
            let original = match Original::from_key(&x.original, all_day)? {
                Original::At(t) => Original::At(moved_instant(t, &shift)?),
                Original::On(d) => Original::On(moved_date(&d.to_string(), &shift)?.parse().ok()?),
            };
            // Only where the new rule still produces the original (cancellation aside).
            find(new, &[], original).ok().flatten()?;
            let mut kept = x.clone();
            kept.original = original.key();
            if x.cancelled == 0 {
                if all_day {
                    kept.start_date = x.start_date.as_deref().and_then(|d| moved_date(d, &shift));
                    kept.end_date = x.end_date.as_deref().and_then(|d| moved_date(d, &shift));
                } else {
                    kept.starts_at = x.starts_at.and_then(|ms| moved_ms(ms, &shift));
                    kept.ends_at = x.ends_at.and_then(|ms| moved_ms(ms, &shift));
                }
            }
            Some(kept)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(start_ms: i64, rrule: &str) -> EventRow {
        EventRow {
            id: "s".into(),
            room_id: "r".into(),
            title: "스터디".into(),
            all_day: 0,
            starts_at: Some(start_ms),
            ends_at: Some(start_ms + 7_200_000),
            start_date: None,
            end_date: None,
            time_zone: "Asia/Seoul".into(),
            location: String::new(),
            memo: String::new(),
            created_by: "u".into(),
            sequence: 0,
            span_start: start_ms,
            span_end: start_ms + 7_200_000,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            rrule: Some(rrule.into()),
            occurrence: None,
        }
    }

    fn ex(original: i64, cancelled: bool, starts_at: Option<i64>) -> ExceptionRow {
        ExceptionRow {
            event_id: "s".into(),
            original: original.to_string(),
            cancelled: i64::from(cancelled),
            title: (!cancelled).then(|| "옮김".into()),
            starts_at,
            ends_at: starts_at.map(|s| s + 3_600_000),
            start_date: None,
            end_date: None,
            location: None,
            memo: None,
            updated_at: 0,
        }
    }

    const THU_19: i64 = 1_796_292_000_000; // 2026-12-03T19:00:00+09:00, a Thursday
    const WEEK: i64 = 7 * 86_400_000;
    const HOUR: i64 = 3_600_000;

    #[test]
    fn an_hour_later_keeps_cancelled_and_moved_occurrences_in_step() {
        let old = series(THU_19, "FREQ=WEEKLY;BYDAY=TH");
        let new = series(THU_19 + HOUR, "FREQ=WEEKLY;BYDAY=TH");
        let moved_to = THU_19 + 2 * WEEK + 86_400_000; // the third one, to Friday
        let kept = carry(
            &old,
            &new,
            &[
                ex(THU_19 + WEEK, true, None),
                ex(THU_19 + 2 * WEEK, false, Some(moved_to)),
            ],
        );
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].original, (THU_19 + WEEK + HOUR).to_string());
        assert_eq!(kept[0].cancelled, 1);
        assert_eq!(kept[1].original, (THU_19 + 2 * WEEK + HOUR).to_string());
        assert_eq!(
            kept[1].starts_at,
            Some(moved_to + HOUR),
            "the move keeps its place"
        );
        assert_eq!(kept[1].title.as_deref(), Some("옮김"));
    }

    #[test]
    fn a_new_rule_keeps_only_what_still_falls_on_it() {
        let old = series(THU_19, "FREQ=WEEKLY;BYDAY=TH");
        let new = series(THU_19, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
        let kept = carry(
            &old,
            &new,
            &[ex(THU_19 + WEEK, true, None), ex(THU_19 + 2 * WEEK, true, None)],
        );
        assert_eq!(kept.len(), 1, "the first week is no longer an occurrence");
        assert_eq!(kept[0].original, (THU_19 + 2 * WEEK).to_string());
    }

    #[test]
    fn no_rule_left_keeps_nothing() {
        let old = series(THU_19, "FREQ=WEEKLY;BYDAY=TH");
        let mut new = old.clone();
        new.rrule = None;
        assert!(carry(&old, &new, &[ex(THU_19 + WEEK, true, None)]).is_empty());
    }
}
