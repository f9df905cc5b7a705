//! 참석·불참 counts in the room's week, list and day views (issue 19): each event's line gets
//! "5명 참석 · 1명 미정" under its title, from one read of the room's answers.

use std::collections::HashMap;

use storage::EventRow;

use crate::events::calendar::Calendar;
use crate::events::pages::occurrence_query;
use crate::events::rsvp;
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// Sets `rsvp` on every item of `calendar` drawn from `rows`.
pub async fn fill(
    state: &AppState,
    lang: Lang,
    room_id: &str,
    rows: &[EventRow],
    calendar: &mut Calendar,
) -> AppResult<()> {
    let all = state.store.room_rsvps(room_id).await?;
    if all.is_empty() {
        return Ok(());
    }
    // Items name their event by id and the occurrence's query, as their links do.
    let counts: HashMap<(String, String), String> = rows
        .iter()
        .map(|row| {
            let query = row
                .occurrence
                .as_deref()
                .map(occurrence_query)
                .unwrap_or_default();
            (
                (row.id.clone(), query),
                rsvp::rsvp_of(&all, row, "").summary(lang),
            )
        })
        .filter(|(_, summary)| !summary.is_empty())
        .collect();
    let days = calendar
        .days
        .iter_mut()
        .chain(calendar.weeks.iter_mut().flatten());
    for item in days.flat_map(|d| d.items.iter_mut()) {
        if let Some(summary) = counts.get(&(item.id.clone(), item.query.clone())) {
            item.rsvp = summary.clone();
        }
    }
    Ok(())
}
