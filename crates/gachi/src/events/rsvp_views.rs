//! 참석·불참 counts in the room's views (issue 19): each event's line in the week, list and day
//! views gets "5명 참석 · 1명 미정" under its title; each month cell gets a compact "✓5" (the
//! members going to the day's events) beside its day number, so the titles keep the cell's
//! whole width on a phone; the rows of the week and month agenda pictures get the same line as
//! the list. All from one read of the room's answers.

use std::collections::{BTreeSet, HashMap};

use storage::{EventRow, RsvpRow};

use crate::events::calendar::Calendar;
use crate::events::pages::occurrence_query;
use crate::events::rsvp;
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// What one event (or occurrence) shows: its counts line and who said 참석.
struct Shown {
    summary: String,
    going: Vec<String>,
}

/// Sets `rsvp` on every item of `calendar` drawn from `rows`, and the month cells' `going`.
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
    let shown: HashMap<(String, String), Shown> = rows
        .iter()
        .map(|row| {
            let query = row
                .occurrence
                .as_deref()
                .map(occurrence_query)
                .unwrap_or_default();
            ((row.id.clone(), query), shown_of(&all, row, lang))
        })
        .filter(|(_, s)| !s.summary.is_empty())
        .collect();
    let days = calendar
        .days
        .iter_mut()
        .chain(calendar.weeks.iter_mut().flatten());
    for day in days {
        let mut going: BTreeSet<&str> = BTreeSet::new();
        for item in day.items.iter_mut() {
            if let Some(s) = shown.get(&(item.id.clone(), item.query.clone())) {
                item.rsvp = s.summary.clone();
                going.extend(s.going.iter().map(String::as_str));
            }
        }
        day.going = going.len();
        if day.going > 0 {
            day.going_label = lang.tr("rsvp-count-yes", &[("n", &day.going.to_string())]);
        }
    }
    Ok(())
}

fn shown_of(all: &[RsvpRow], row: &EventRow, lang: Lang) -> Shown {
    let json = rsvp::rsvp_of(all, row, "");
    Shown {
        summary: json.summary(lang),
        going: json
            .answers
            .iter()
            .filter(|a| a.answer == "yes")
            .map(|a| a.user_id.clone())
            .collect(),
    }
}

/// The agenda pictures' answers lines: one per event of `rows` (an occurrence by its own
/// time) that has answers, for the renderer (`render::RowRsvp`).
pub async fn agenda_rows(
    state: &AppState,
    lang: Lang,
    room_id: &str,
    rows: &[EventRow],
) -> AppResult<Vec<render::RowRsvp>> {
    let all = state.store.room_rsvps(room_id).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    Ok(rows
        .iter()
        .filter_map(|row| {
            let summary = rsvp::rsvp_of(&all, row, "").summary(lang);
            let event = crate::events::rows::to_domain(row)?;
            (!summary.is_empty()).then_some(render::RowRsvp {
                event_id: event.id,
                when: event.when,
                text: summary,
            })
        })
        .collect())
}
