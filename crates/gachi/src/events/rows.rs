//! A stored event row turned into the API's JSON, into the domain's event and into write data,
//! and back: pure conversions, so the service, the occurrence expander and the views share them
//! without importing each other.

use domain::event::{Event, EventTime, time_zone};
use domain::event_input::ValidEvent;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use storage::{EventData, EventRow};

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
    /// 참석·불참: counts, the reader's own answer and every answer (filled by `events::rsvp`;
    /// empty where no reader is known).
    pub rsvp: crate::events::rsvp_json::RsvpJson,
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
        rsvp: Default::default(),
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
