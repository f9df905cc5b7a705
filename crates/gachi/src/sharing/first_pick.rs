//! What the share page offers first when the person has picked nothing yet (issue #17): the
//! thing they most likely came to send. That is the room's next event, as its card; without one,
//! the week or the month that still has events in it; only a room with nothing planned shows
//! its (empty) current week. An empty "this week" is never the default while something is
//! planned.

use domain::share::Layout;
use jiff::ToSpan;

use crate::events::service as events;
use crate::sharing::picture::ImageSpec;
use crate::state::AppState;
use crate::web::error::AppResult;
use storage::Room;

/// How far ahead the page looks for the next event (the event picker's own horizon).
const HORIZON_DAYS: i64 = 366;

/// The picture to preview when the address names none.
pub async fn first_pick(state: &AppState, room: &Room) -> AppResult<ImageSpec> {
    let today = events::today(state, room);
    let now = state.now_ms();
    let until = today.checked_add(HORIZON_DAYS.days()).unwrap_or(today);
    let upcoming = events::events_in(state, room, today, until).await?;
    // Rows come sorted by start; the first that has not ended yet is the next (or current)
    // one. A series stands here as its next occurrence, and its card shows that occurrence.
    if let Some(next) = upcoming.iter().find(|row| row.span_end > now) {
        return Ok(ImageSpec {
            layout: Layout::Card,
            event_id: Some(next.id.clone()),
            date: None,
        });
    }
    // Nothing ahead: this week or this month may still hold what already happened, worth a
    // look back ("this month's schedule").
    let week_start = render::calendar::week_start(today).unwrap_or(today);
    let week_end = week_start.checked_add(7.days()).unwrap_or(today);
    if !events::events_in(state, room, week_start, week_end)
        .await?
        .is_empty()
    {
        return Ok(ImageSpec {
            layout: Layout::Week,
            event_id: None,
            date: Some(today),
        });
    }
    let month_start = today.first_of_month();
    let month_end = month_start.checked_add(1.month()).unwrap_or(today);
    let layout = if events::events_in(state, room, month_start, month_end)
        .await?
        .is_empty()
    {
        Layout::Week
    } else {
        Layout::Month
    };
    Ok(ImageSpec {
        layout,
        event_id: None,
        date: Some(today),
    })
}
