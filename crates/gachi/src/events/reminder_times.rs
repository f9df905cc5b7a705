//! A room's reminder times (issue 19): the owner's setting, minutes before each event (default
//! the day before and an hour before), and the Talk Calendar alarms they make. They live with
//! the events because Talk Calendar copies, which are the events', ring at them; the memo
//! reminders above (`reminders`) read them from here. Kakao's Talk Calendar limits bound them:
//! at most 2, multiples of 5, 0 … 43200 minutes (30 days).
//!
//! Changing them queues every Talk Calendar copy of the room's events that can still ring for
//! an update through the durable outbox (`storage`'s `set_reminder_times`), so existing copies
//! get the new alarms without waiting for the event's next edit; copies of events already over
//! are left as they are, since their alarms can no longer ring.

use storage::Room;

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// The day before and an hour before.
pub const DEFAULT_BEFORE: [i64; 2] = [1440, 60];
/// Kakao's bounds for reminders of timed events (kakao-platform.md §13).
pub const MAX_BEFORE: i64 = 43_200;
pub const MAX_TIMES: usize = 2;
pub const STEP: i64 = 5;

/// The room's reminder times, largest first, and when the owner last set them (0 for the
/// default, which has always been in force).
pub async fn before_minutes(state: &AppState, room: &Room) -> AppResult<(Vec<i64>, i64)> {
    Ok(match state.store.reminder_times(&room.id).await? {
        Some((text, at)) => (parse_stored(&text), at),
        None => (DEFAULT_BEFORE.to_vec(), 0),
    })
}

/// The stored list (`"1440,60"`, `""` for none), unreadable entries left out.
fn parse_stored(text: &str) -> Vec<i64> {
    let mut v: Vec<i64> = text.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v
}

/// Checks a requested list against Kakao's limits (at most 2 values; order irrelevant, a repeated
/// value kept once):
/// 422 `reminders_before_invalid` otherwise. Returns it largest first.
pub fn validate(list: &[i64]) -> AppResult<Vec<i64>> {
    let mut v = list.to_vec();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v.dedup();
    let ok = list.len() <= MAX_TIMES && v.iter().all(|m| (0..=MAX_BEFORE).contains(m) && m % STEP == 0);
    if ok {
        Ok(v)
    } else {
        Err(AppError::validation(
            [("before_minutes", "reminders_before_invalid")]
                .into_iter()
                .collect(),
        ))
    }
}

/// The stored text of a list (`"1440,60"`).
fn stored(list: &[i64]) -> String {
    list.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Saves the owner's times; when they changed, the copies queued for their new alarms are
/// woken (the request itself never calls Kakao).
pub async fn set_before_minutes(state: &AppState, room: &Room, list: &[i64]) -> AppResult<()> {
    let queued = state
        .store
        .set_reminder_times(&room.id, &stored(list), &stored(&DEFAULT_BEFORE), state.now_ms())
        .await?;
    if queued {
        // The worker's own `wake`, written out: the worker reads these times for its alarms,
        // so naming it here would tie the two files in a circle.
        state.outbox_wake.notify_one();
    }
    Ok(())
}

/// The all-day reminders' hour: an all-day event's reminder `m` minutes before rings at 09:00
/// on the day `m / 1440` days before its first day.
pub const ALL_DAY_HOUR: i8 = 9;

/// The Talk Calendar alarms for the room's times (minutes before the copy's start, which Kakao
/// takes as 00:00 of an all-day event's first day): the same instants as the memos, within
/// Kakao's limits (at most 2; multiples of 5; 0 … 43200, from -1440 for all-day events).
pub fn talk_alarms(before: &[i64], all_day: bool) -> Vec<i64> {
    let mut out: Vec<i64> = before
        .iter()
        .map(|&b| {
            if all_day {
                (b / 1440) * 1440 - i64::from(ALL_DAY_HOUR) * 60
            } else {
                b
            }
        })
        .filter(|m| (if all_day { -1440 } else { 0 }..=43_200).contains(m) && m % 5 == 0)
        .collect();
    out.dedup();
    out.truncate(2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kakaos_limits_bound_the_times() {
        assert_eq!(validate(&[60, 1440]).unwrap(), [1440, 60]);
        assert_eq!(validate(&[60, 60]).unwrap(), [60]);
        assert_eq!(validate(&[]).unwrap(), Vec::<i64>::new());
        assert!(validate(&[61]).is_err());
        assert!(validate(&[43_205]).is_err());
        assert!(validate(&[-5]).is_err());
        assert!(validate(&[5, 10, 15]).is_err());
        assert_eq!(parse_stored("60,1440"), [1440, 60]);
        assert_eq!(parse_stored(""), Vec::<i64>::new());
        assert_eq!(stored(&[1440, 60]), "1440,60");
    }

    #[test]
    fn talk_calendar_alarms_stay_in_kakaos_limits() {
        assert_eq!(talk_alarms(&[1440, 60], false), [1440, 60]);
        assert_eq!(talk_alarms(&[1440, 60], true), [900, -540]);
        assert_eq!(talk_alarms(&[], true), Vec::<i64>::new());
    }
}
