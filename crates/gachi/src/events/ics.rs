//! iCalendar: one `.ics` per event and a secret, revocable feed per room. UIDs are stable,
//! SEQUENCE rises with every edit, deletions publish a cancellation, all-day events are
//! `VALUE=DATE` with the exclusive DTEND, and timed ones are written in UTC (no VTIMEZONE
//! needed). icalendar folds long Korean lines on character boundaries.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone as _, Utc};
use icalendar::{Calendar, Component, Event as IcsEvent, EventLike, EventStatus};
use storage::EventRow;

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::session::Auth;

fn uid(row: &EventRow) -> String {
    format!("{}@gachi", row.id)
}

fn naive(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

fn utc(ms: i64) -> Option<chrono::DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

/// Text as it may go into a content line: icalendar escapes `\n`, `,` and `;` but writes a CR
/// as it is, and a reader then sees a new line (`SUMMARY:a\rBEGIN:VALARM`). Text is cleaned at
/// the edge since issue #15, but rows stored before that may still hold control characters.
fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    domain::text::strip(text)
}

/// One VEVENT for a row (a tombstone becomes a cancelled event).
pub fn vevent(row: &EventRow, room_url: &str) -> IcsEvent {
    let mut e = IcsEvent::new();
    e.uid(&uid(row))
        .summary(&safe(&row.title))
        .sequence(u32::try_from(row.sequence).unwrap_or(u32::MAX));
    if let Some(stamp) = utc(row.updated_at) {
        e.timestamp(stamp);
    }
    if row.all_day != 0 {
        if let (Some(start), Some(end)) = (
            row.start_date.as_deref().and_then(naive),
            row.end_date.as_deref().and_then(naive),
        ) {
            // Inclusive in Gachi, exclusive in iCalendar.
            e.starts(start).ends(end.succ_opt().unwrap_or(end));
        }
    } else if let (Some(start), Some(end)) = (row.starts_at.and_then(utc), row.ends_at.and_then(utc)) {
        e.starts(start).ends(end);
    }
    if !row.location.is_empty() {
        e.location(&safe(&row.location));
    }
    if !row.memo.is_empty() {
        e.description(&safe(&row.memo));
    }
    e.add_property("URL", room_url);
    if row.deleted_at.is_some() {
        e.status(EventStatus::Cancelled);
    } else {
        e.status(EventStatus::Confirmed);
    }
    e.done()
}

fn ics_response(cal: Calendar, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        cal.to_string(),
    )
        .into_response()
}

/// `GET …/rooms/{id}/events/{eid}.ics` (members): the event, or its cancellation once deleted.
pub async fn event_ics(state: &AppState, auth: &Auth, room_id: &str, event_id: &str) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(state, room_id, &auth.user).await?;
    let row = state
        .store
        .event_or_tombstone(&room.id, event_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut cal = Calendar::new();
    cal.name(&safe(&room.name));
    if row.deleted_at.is_some() {
        cal.append_property(("METHOD", "CANCEL"));
    } else {
        cal.append_property(("METHOD", "PUBLISH"));
    }
    cal.push(vevent(&row, &format!("{}/rooms/{}", state.public_url, room.id)));
    Ok(ics_response(cal.done(), &format!("{}.ics", row.id)))
}

/// `GET /feeds/{token}.ics`: the room's whole calendar for subscription, no session needed;
/// the token is the secret, and rotating it ends the old URL.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let room = state
        .store
        .room_by_feed_token(token)
        .await?
        .ok_or_else(AppError::not_found)?;
    let rows = state.store.all_events(&room.id).await?;
    let room_url = format!("{}/rooms/{}", state.public_url, room.id);
    let mut cal = Calendar::new();
    cal.name(&safe(&room.name)).append_property(("METHOD", "PUBLISH"));
    for row in &rows {
        cal.push(vevent(row, &room_url));
    }
    Ok(ics_response(cal.done(), "gachi.ics"))
}
