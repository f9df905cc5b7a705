//! Alarms on Talk Calendar copies (issue 19): a copy rings at the room's reminder times (the
//! owner's setting, default the day before and an hour before; an all-day event's day before
//! at 09:00), within Kakao's limits (`reminder_times::talk_alarms`). Every add and every update
//! of the copy sends them, the series' or single event's and each moved occurrence's own
//! (`THIS`) update alike, so edits carry them along and an occurrence changed on its own keeps
//! ringing like the rest. A change of the times reaches existing copies through the outbox
//! (`reminder_times::set_before_minutes`).

use kakao::talk_calendar::CalendarEvent;
use storage::EventRow;

use crate::events::reminder_times as settings;
use crate::events::talk_calendar_series::{Op, Plan};
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
        Ok((before, _)) => Some(settings::talk_alarms(&before, row.all_day != 0)),
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

/// Puts the room's alarms on every update among `ops` (the series' or single event's, and each
/// moved occurrence's; an occurrence of a series is all-day exactly when its series is, so
/// one list fits them all). Deletions carry nothing.
pub async fn on_ops<'a>(state: &AppState, row: &EventRow, ops: impl IntoIterator<Item = &'a mut Op>) {
    let Some(alarms) = alarms_for(state, row).await else {
        return;
    };
    for op in ops {
        if let Op::Update { event, .. } | Op::UpdateInstance { event, .. } = op {
            event.reminders = Some(alarms.clone());
        }
    }
}

/// Puts the room's alarms on every update of a plan: its first call and each occurrence's.
pub async fn on_plan(state: &AppState, row: &EventRow, plan: &mut Plan) {
    on_ops(
        state,
        row,
        std::iter::once(&mut plan.first).chain(plan.then.iter_mut()),
    )
    .await;
}
