//! iCalendar: one `.ics` per event and a secret, revocable feed per room. UIDs are stable,
//! SEQUENCE rises with every edit, deletions publish a cancellation, all-day events are
//! `VALUE=DATE` with the exclusive DTEND, and single timed ones are written in UTC.
//! icalendar folds long Korean lines on character boundaries.
//!
//! A series is one VEVENT with its RRULE, written in its own zone (`DTSTART;TZID=…`, since RFC
//! 5545 expands a rule in the zone of its start), EXDATEs for cancelled occurrences, and one
//! overriding VEVENT per changed occurrence, with the same UID and a RECURRENCE-ID. Every zone
//! so used gets its VTIMEZONE (`ics_timezone`).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone as _, Utc};
use domain::recurrence::{End, RRule};
use icalendar::{Calendar, Component, Event as IcsEvent, EventLike, EventStatus, Property};
use jiff::ToSpan;
use storage::{EventRow, ExceptionRow};

use crate::events::ics_timezone;
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

/// `YYYYMMDDTHHMMSS` of `ms` on the wall clock of `zone`.
fn local(ms: i64, zone: &str) -> Option<String> {
    let tz = domain::event::time_zone(zone).ok()?;
    let t = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some(t.to_zoned_datetime(tz).strftime("%Y%m%dT%H%M%S").to_string())
}

/// A date-or-time property of a series: `KEY;TZID=zone:local` (timed) or `KEY;VALUE=DATE:…`.
fn series_time(key: &str, row: &EventRow, original: &str) -> Option<Property> {
    if row.all_day != 0 {
        let d = naive(original)?;
        Some(
            Property::new(key, d.format("%Y%m%d").to_string())
                .add_parameter("VALUE", "DATE")
                .done(),
        )
    } else {
        let ms: i64 = original.parse().ok()?;
        Some(
            Property::new(key, local(ms, &row.time_zone)?)
                .add_parameter("TZID", &row.time_zone)
                .done(),
        )
    }
}

/// The series' rule as iCalendar wants it next to a zoned DTSTART: a date UNTIL (the last day,
/// inclusive, in the event's zone) becomes the last second of that day in UTC.
fn ics_rule(row: &EventRow) -> Option<String> {
    let mut rule = RRule::parse(row.rrule.as_deref()?).ok()?;
    if row.all_day == 0
        && let End::UntilDate(d) = rule.end
    {
        let tz = domain::event::time_zone(&row.time_zone).ok()?;
        let next = d.checked_add(1.day()).ok()?.to_zoned_datetime(tz).ok()?;
        rule.end = End::UntilInstant(
            next.timestamp()
                .checked_sub(jiff::SignedDuration::from_secs(1))
                .ok()?,
        );
    }
    Some(rule.to_string())
}

/// The VEVENTs of a row: one for a single event; the master, with RRULE and EXDATEs, and
/// one override per changed occurrence for a live series.
pub fn vevents(row: &EventRow, exceptions: &[ExceptionRow], room_url: &str) -> Vec<IcsEvent> {
    let Some(rule) = ics_rule(row).filter(|_| row.deleted_at.is_none()) else {
        return vec![vevent(row, room_url)];
    };
    let mut master = vevent(row, room_url);
    if row.all_day == 0 {
        let start = row.starts_at.map(|ms| ms.to_string()).unwrap_or_default();
        let end = row.ends_at.map(|ms| ms.to_string()).unwrap_or_default();
        if let (Some(s), Some(e)) = (
            series_time("DTSTART", row, &start),
            series_time("DTEND", row, &end),
        ) {
            master.append_property(s).append_property(e);
        }
    }
    master.add_property("RRULE", rule);
    let mine: Vec<&ExceptionRow> = exceptions.iter().filter(|x| x.event_id == row.id).collect();
    for x in mine.iter().filter(|x| x.cancelled != 0) {
        if let Some(p) = series_time("EXDATE", row, &x.original) {
            master.append_multi_property(p);
        }
    }
    let mut out = vec![master.done()];
    for x in mine.iter().filter(|x| x.cancelled == 0) {
        let mut changed = row.clone();
        changed.rrule = None;
        changed.title = x.title.clone().unwrap_or(changed.title);
        changed.location = x.location.clone().unwrap_or(changed.location);
        changed.memo = x.memo.clone().unwrap_or(changed.memo);
        changed.starts_at = x.starts_at.or(changed.starts_at);
        changed.ends_at = x.ends_at.or(changed.ends_at);
        changed.start_date = x.start_date.clone().or(changed.start_date);
        changed.end_date = x.end_date.clone().or(changed.end_date);
        changed.updated_at = x.updated_at;
        let mut e = vevent(&changed, room_url);
        if let Some(p) = series_time("RECURRENCE-ID", row, &x.original) {
            e.append_property(p);
        }
        out.push(e.done());
    }
    out
}

/// The calendar's text with a VTIMEZONE for each zone its series are written in.
fn with_zones(cal: Calendar, rows: &[EventRow]) -> String {
    let mut zones: BTreeMap<String, jiff::Timestamp> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.all_day == 0 && r.deleted_at.is_none()) {
        let (Some(_), Some(ms)) = (ics_rule(row), row.starts_at) else {
            continue;
        };
        let Ok(start) = jiff::Timestamp::from_millisecond(ms) else {
            continue;
        };
        zones
            .entry(row.time_zone.clone())
            .and_modify(|t| *t = (*t).min(start))
            .or_insert(start);
    }
    ics_timezone::insert(cal.to_string(), &ics_timezone::vtimezones(&zones))
}

fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
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
    let exceptions = state.store.event_exceptions(&row.id).await?;
    for e in vevents(
        &row,
        &exceptions,
        &format!("{}/rooms/{}", state.public_url, room.id),
    ) {
        cal.push(e);
    }
    let body = with_zones(cal.done(), std::slice::from_ref(&row));
    Ok(ics_response(body, &format!("{}.ics", row.id)))
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
    let exceptions = state.store.room_exceptions(&room.id).await?;
    for row in &rows {
        for e in vevents(row, &exceptions, &room_url) {
            cal.push(e);
        }
    }
    Ok(ics_response(with_zones(cal.done(), &rows), "gachi.ics"))
}
