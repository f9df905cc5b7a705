//! Reminder settings (issue 19): the owner's reminder times for the room (minutes before each
//! event; default the day before and an hour before) and each member's own choice of a "나에게"
//! memo. Kakao's Talk Calendar limits bound the times, since they are also the alarms of Talk
//! Calendar copies: at most 2, multiples of 5, 0 … 43200 minutes (30 days).

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

pub async fn set_before_minutes(state: &AppState, room: &Room, list: &[i64]) -> AppResult<()> {
    let text = list.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    state
        .store
        .set_reminder_times(&room.id, &text, state.now_ms())
        .await?;
    Ok(())
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
    }
}
