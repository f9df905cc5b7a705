//! Room events: the rules (any member adds; the creator or the owner edits and deletes), the
//! wire shape of DESIGN.md's contract, and the conversions between input, rows and the domain.

use domain::event::time_zone;
use domain::event_input::{EventInput, ValidEvent};
use jiff::SignedDuration;
use jiff::civil::Date;
use storage::{EventRow, Role, Room, User};

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

pub use crate::events::rows::{EventJson, rfc3339_in, to_data, to_domain, to_json, valid_from_row};

/// Checks `input` in the room's zone; field errors become a 422 with messages.
pub fn validate(input: &EventInput, room: &Room) -> AppResult<ValidEvent> {
    input.validate(&room.time_zone).map_err(AppError::validation)
}

/// The creator or the room's owner may change an event; other members get 403.
pub fn may_change(row: &EventRow, user: &User, role: Role) -> AppResult<()> {
    if row.created_by == user.id || role == Role::Owner {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Civil day range `[from, to)` of the room's zone, as UTC milliseconds.
pub fn day_range_ms(room: &Room, from: Date, to: Date) -> AppResult<(i64, i64)> {
    let tz = time_zone(&room.time_zone).map_err(AppError::internal)?;
    let at = |d: Date| {
        d.to_zoned_datetime(tz.clone())
            .map(|z| z.timestamp().as_millisecond())
            .map_err(AppError::internal)
    };
    Ok((at(from)?, at(to)?))
}

/// The room's live events meeting `[from, to)` (civil dates in the room's zone); a series
/// stands there as each of its occurrences (rows with `occurrence` set).
pub async fn events_in(state: &AppState, room: &Room, from: Date, to: Date) -> AppResult<Vec<EventRow>> {
    let (from_ms, to_ms) = day_range_ms(room, from, to)?;
    let rows = state.store.events_between(&room.id, from_ms, to_ms).await?;
    let tz = time_zone(&room.time_zone).map_err(AppError::internal)?;
    let exceptions = if rows.iter().any(|r| r.rrule.is_some()) {
        state.store.room_exceptions(&room.id).await?
    } else {
        Vec::new()
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if row.rrule.is_some() {
            out.extend(crate::events::occurrences::expand(&row, &exceptions, from, to)?);
        } else {
            out.push(row);
        }
    }
    out.retain(|r| to_domain(r).is_some_and(|e| e.overlaps_days(from, to, &tz)));
    out.sort_by(|a, b| (a.span_start, &a.id).cmp(&(b.span_start, &b.id)));
    Ok(out)
}

/// Today in the room's zone, by the shared clock.
pub fn today(state: &AppState, room: &Room) -> Date {
    let tz = time_zone(&room.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    tz.to_datetime(state.clock.now()).date()
}

/// Longest range the list endpoint answers at once.
pub const MAX_RANGE: SignedDuration = SignedDuration::from_hours(24 * 366);

/// The room and an event the user may change (creator or owner): 404 for non-members and
/// unknown events, 403 for other members.
pub async fn changeable(
    state: &AppState,
    room_id: &str,
    event_id: &str,
    user: &User,
) -> AppResult<(Room, EventRow)> {
    let (room, role) = crate::rooms::service::member_room(state, room_id, user).await?;
    let row = state
        .store
        .event(&room.id, event_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    may_change(&row, user, role)?;
    Ok((room, row))
}

/// Adds a checked event to the room (the one write path of the pages, the API and polls).
pub async fn create(state: &AppState, room: &Room, user: &User, valid: &ValidEvent) -> AppResult<EventRow> {
    Ok(state
        .store
        .create_event(&room.id, &user.id, &to_data(valid), state.now_ms())
        .await?)
}

/// Replaces an event; the members' Talk Calendar copies follow through the outbox (the work is
/// queued in the same transaction).
pub async fn update(
    state: &AppState,
    room: &Room,
    event_id: &str,
    valid: &ValidEvent,
) -> AppResult<EventRow> {
    let row = state
        .store
        .update_event(&room.id, event_id, &to_data(valid), state.now_ms())
        .await?
        .ok_or_else(AppError::not_found)?;
    crate::events::talk_calendar_worker::wake(state);
    Ok(row)
}

/// Deletes an event (a tombstone for calendar feeds); the members' Talk Calendar copies go
/// through the outbox.
pub async fn delete(state: &AppState, room: &Room, event_id: &str) -> AppResult<()> {
    state
        .store
        .delete_event(&room.id, event_id, state.now_ms())
        .await?;
    crate::events::talk_calendar_worker::wake(state);
    Ok(())
}
