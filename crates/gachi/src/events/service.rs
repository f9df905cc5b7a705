//! Room events: the rules (any member adds; the creator or the owner edits and deletes), the
//! wire shape of DESIGN.md's contract, and the conversions between input, rows and the domain.

use domain::event::{Event, EventTime, time_zone};
use domain::event_input::{EventInput, ValidEvent};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use storage::{EventData, EventRow, Role, Room, User};

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// An event as the API returns it: instants in RFC 3339 with the event zone's offset, all-day
/// dates as civil dates with an inclusive end.
#[derive(Serialize)]
pub struct EventJson {
    pub id: String,
    pub title: String,
    pub all_day: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    pub time_zone: String,
    pub location: String,
    pub memo: String,
    pub created_by: String,
    pub sequence: i64,
    /// The series' RRULE, `null` for a single event.
    pub rrule: Option<String>,
    /// The original start of this occurrence of a series (absent on single events and on a
    /// series read as a whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<String>,
}

/// RFC 3339 with the zone's offset, e.g. `2026-12-24T19:00:00+09:00`.
pub fn rfc3339_in(ms: i64, zone: &str) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    match time_zone(zone) {
        Ok(tz) => ts
            .to_zoned_datetime(tz)
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        Err(_) => ts.to_string(),
    }
}

pub fn to_json(row: &EventRow) -> EventJson {
    let all_day = row.all_day != 0;
    EventJson {
        id: row.id.clone(),
        title: row.title.clone(),
        all_day,
        starts_at: row
            .starts_at
            .filter(|_| !all_day)
            .map(|ms| rfc3339_in(ms, &row.time_zone)),
        ends_at: row
            .ends_at
            .filter(|_| !all_day)
            .map(|ms| rfc3339_in(ms, &row.time_zone)),
        start_date: row.start_date.clone().filter(|_| all_day),
        end_date: row.end_date.clone().filter(|_| all_day),
        time_zone: row.time_zone.clone(),
        location: row.location.clone(),
        memo: row.memo.clone(),
        created_by: row.created_by.clone(),
        sequence: row.sequence,
        rrule: row.rrule.clone(),
        occurrence: row.occurrence.clone(),
    }
}

/// The domain event of a row (for views, images and calendars).
pub fn to_domain(row: &EventRow) -> Option<Event> {
    let when = if row.all_day != 0 {
        EventTime::AllDay {
            start_date: row.start_date.as_deref()?.parse().ok()?,
            end_date: row.end_date.as_deref()?.parse().ok()?,
        }
    } else {
        EventTime::Timed {
            starts_at: Timestamp::from_millisecond(row.starts_at?).ok()?,
            ends_at: Timestamp::from_millisecond(row.ends_at?).ok()?,
        }
    };
    Some(Event {
        id: row.id.clone(),
        title: row.title.clone(),
        when,
        time_zone: row.time_zone.clone(),
        location: Some(row.location.clone()).filter(|l| !l.is_empty()),
        memo: Some(row.memo.clone()).filter(|m| !m.is_empty()),
        created_by: row.created_by.clone(),
        sequence: row.sequence,
    })
}

/// The stored form of a valid event, with its UTC span for range queries. An all-day date is
/// a different instant range in every zone, so its span covers the date as seen from anywhere
/// (UTC+14 to UTC-12); reads filter by the civil dates themselves.
pub fn to_data(v: &ValidEvent) -> EventData {
    match &v.when {
        EventTime::Timed { starts_at, ends_at } => EventData {
            title: v.title.clone(),
            all_day: false,
            starts_at: Some(starts_at.as_millisecond()),
            ends_at: Some(ends_at.as_millisecond()),
            start_date: None,
            end_date: None,
            time_zone: v.time_zone.clone(),
            location: v.location.clone(),
            memo: v.memo.clone(),
            span_start: starts_at.as_millisecond(),
            span_end: ends_at.as_millisecond(),
            rrule: v.rrule.clone(),
        },
        EventTime::AllDay { start_date, end_date } => EventData {
            title: v.title.clone(),
            all_day: true,
            starts_at: None,
            ends_at: None,
            start_date: Some(start_date.to_string()),
            end_date: Some(end_date.to_string()),
            time_zone: v.time_zone.clone(),
            location: v.location.clone(),
            memo: v.memo.clone(),
            span_start: utc_midnight_ms(*start_date) - 14 * 3_600_000,
            span_end: utc_midnight_ms(end_date.tomorrow().unwrap_or(*end_date)) + 12 * 3_600_000,
            rrule: v.rrule.clone(),
        },
    }
}

fn utc_midnight_ms(d: Date) -> i64 {
    d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

pub fn valid_from_row(row: &EventRow) -> Option<ValidEvent> {
    let e = to_domain(row)?;
    Some(ValidEvent {
        title: e.title,
        when: e.when,
        time_zone: e.time_zone,
        location: row.location.clone(),
        memo: row.memo.clone(),
        rrule: row.rrule.clone(),
    })
}

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
            out.extend(crate::events::recurrence::expand(&row, &exceptions, from, to)?);
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
