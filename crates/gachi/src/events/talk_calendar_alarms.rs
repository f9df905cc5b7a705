//! Alarms on Talk Calendar copies (issue 19): a copy rings at the room's reminder times (the
//! owner's setting, default the day before and an hour before; an all-day event's day before
//! at 09:00), within Kakao's limits (`reminders::schedule::talk_alarms`). Every add and every
//! update of the copy through the outbox sends them, so edits carry them along.

use kakao::talk_calendar::CalendarEvent;
use storage::EventRow;

use crate::events::talk_calendar_series::Op;
use crate::reminders::{schedule, settings};
use crate::state::AppState;

/// The room's alarms for `row`; `None` (logged) if the settings cannot be read, since a copy
/// without alarms is better than none.
pub async fn alarms_for(state: &AppState, row: &EventRow) -> Option<Vec<i64>> {
    let room = match state.store.room(&row.room_id).await {
        Ok(room) => room?,
        Err(e) => {
            tracing::warn!(error = %e, "Talk Calendar alarms not read");
            return None;
        }
    };
    match settings::before_minutes(state, &room).await {
        Ok((before, _)) => Some(schedule::talk_alarms(&before, row.all_day != 0)),
        Err(e) => {
            tracing::warn!(error = %e, "Talk Calendar alarms not read");
            None
        }
    }
}

/// `event` with the room's alarms.
pub async fn with_alarms(state: &AppState, row: &EventRow, mut event: CalendarEvent) -> CalendarEvent {
    if let Some(alarms) = alarms_for(state, row).await {
        event.reminders = Some(alarms);
    }
    event
}

/// Puts the room's alarms on an update of the whole copy (the series or a single event).
pub async fn on_update(state: &AppState, row: &EventRow, op: &mut Op) {
    let Some(alarms) = alarms_for(state, row).await else {
        return;
    };
    match op {
        Op::Update { event, .. } | Op::UpdateInstance { event, .. } => event.reminders = Some(alarms),
        _ => {}
    }
}
