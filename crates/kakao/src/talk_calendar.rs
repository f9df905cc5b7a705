//! The Talk Calendar API (톡캘린더, kakao-platform.md §13): the user's calendars, and events in
//! the user's own KakaoTalk calendar (create, list, read, update as host, delete).
//!
//! Requests are form-encoded with the `event` as a JSON string, as Kakao wants them. The wire
//! types live here and are shared with the sandbox, so the two cannot drift apart. Kakao's
//! constraints (title ≤ 50 characters, times in 5-minute steps as UTC `Z` instants, …) are
//! named as constants so callers can fit their data before sending.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::client::KakaoClient;
use crate::error::KakaoError;
use crate::secret::AccessToken;

/// `calendar_id` of every user's default calendar.
pub const PRIMARY: &str = "primary";
pub const MAX_TITLE_CHARS: usize = 50;
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
pub const MAX_LOCATION_NAME_CHARS: usize = 50;
pub const MAX_REMINDERS: usize = 2;
/// Event times and reminders are set in steps of this many minutes.
pub const MINUTE_STEP: i64 = 5;
/// A `from`/`to` range of the events list spans at most this many days.
pub const MAX_RANGE_DAYS: i64 = 31;
pub const MIN_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;
/// The 15 event colours Kakao accepts.
pub const COLORS: [&str; 15] = [
    "BLUE",
    "ROYAL_BLUE",
    "NAVY_BLUE",
    "RED",
    "PINK",
    "ORANGE",
    "GREEN",
    "LIME",
    "OLIVE",
    "MINT",
    "MAGENTA",
    "VIOLET",
    "LAVENDER",
    "BROWN",
    "GRAY",
];

/// The `event` parameter of create and update. On update, absent fields stay as they were.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct CalendarEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<EventTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<EventLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// An event's time: RFC 3339 UTC instants with `Z`, no fractions; all-day events run from
/// 00:00Z of the first day to 00:00Z of the day after the last.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventTime {
    pub start_at: String,
    pub end_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub all_day: bool,
    #[serde(default)]
    pub lunar: bool,
}

impl EventTime {
    /// A timed event between two instants (which the caller has put on 5-minute steps).
    pub fn timed(start: Timestamp, end: Timestamp, time_zone: &str) -> Self {
        Self {
            start_at: utc_z(start),
            end_at: utc_z(end),
            time_zone: Some(time_zone.to_owned()),
            all_day: false,
            lunar: false,
        }
    }

    /// An all-day event over the civil days `first..=last` (inclusive, as Gachi keeps them).
    pub fn all_day(first: Date, last: Date, time_zone: &str) -> Self {
        let day_after = last.tomorrow().unwrap_or(last);
        Self {
            start_at: format!("{first}T00:00:00Z"),
            end_at: format!("{day_after}T00:00:00Z"),
            time_zone: Some(time_zone.to_owned()),
            all_day: true,
            lunar: false,
        }
    }
}

/// `2026-12-24T10:00:00Z`: the form Kakao accepts (UTC, `Z`, whole seconds).
pub fn utc_z(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EventLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

/// `{"event_id"}`: the answer of create, update and delete.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventIdResponse {
    pub event_id: String,
}

/// `GET /v2/api/calendar/calendars`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CalendarsResponse {
    #[serde(default)]
    pub calendars: Vec<Calendar>,
    #[serde(default)]
    pub subscribe_calendars: Vec<Calendar>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Calendar {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Default alarm, minutes before timed events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_all_day: Option<i64>,
    /// Subscribed calendars only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
}

/// `GET /v2/api/calendar/events`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventsResponse {
    #[serde(default)]
    pub events: Vec<EventSummary>,
    #[serde(default)]
    pub has_next: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_url: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventSummary {
    pub id: String,
    pub title: String,
    /// `USER`, `SUBSCRIBE`, … (Kakao's `type`).
    #[serde(rename = "type", default)]
    pub kind: String,
    pub calendar_id: String,
    pub time: EventTime,
    #[serde(default)]
    pub is_host: bool,
    #[serde(default)]
    pub is_recur_event: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// `GET /v2/api/calendar/event` → `{"event": …}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EventResponse {
    pub event: EventDetail,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EventDetail {
    pub id: String,
    pub calendar_id: String,
    #[serde(default)]
    pub is_host: bool,
    pub title: String,
    pub time: EventTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<EventLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// Which events to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventsRange {
    /// `from`/`to` instants (at most 31 days apart).
    Between(Timestamp, Timestamp),
    /// `TODAY`, `THIS_WEEK` (from Sunday) or `THIS_MONTH`.
    Preset(String),
    /// The `next_page_token` of a previous page's `after_url` (it carries range and limit).
    NextPage(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventsQuery {
    /// `None`: every calendar.
    pub calendar_id: Option<String>,
    pub range: EventsRange,
    pub time_zone: Option<String>,
    /// 100–1000 (Kakao's bounds); `None` leaves Kakao's default.
    pub limit: Option<u32>,
}

impl EventsQuery {
    /// The next page's query from an `after_url`, if it carries a `next_page_token`.
    pub fn next_page(after_url: &str) -> Option<EventsQuery> {
        let url = url::Url::parse(after_url).ok()?;
        let token = url
            .query_pairs()
            .find(|(k, _)| k == "next_page_token")
            .map(|(_, v)| v.into_owned())?;
        Some(EventsQuery {
            calendar_id: None,
            range: EventsRange::NextPage(token),
            time_zone: None,
            limit: None,
        })
    }
}

impl KakaoClient {
    /// `GET /v2/api/calendar/calendars`: the user's calendars (`primary` first) and subscriptions.
    pub async fn talk_calendars(&self, token: &AccessToken) -> Result<CalendarsResponse, KakaoError> {
        let req = self
            .http_client()
            .get(self.api("v2/api/calendar/calendars")?)
            .bearer_auth(token.expose());
        self.kapi_json(req).await
    }

    /// `POST /v2/api/calendar/create/event` into `calendar_id` (`None`: the primary calendar);
    /// returns Kakao's event id.
    pub async fn create_talk_calendar_event(
        &self,
        token: &AccessToken,
        calendar_id: Option<&str>,
        event: &CalendarEvent,
    ) -> Result<String, KakaoError> {
        let mut form = vec![("event", to_json(event)?)];
        if let Some(id) = calendar_id {
            form.push(("calendar_id", id.to_owned()));
        }
        let req = self
            .http_client()
            .post(self.api("v2/api/calendar/create/event")?)
            .bearer_auth(token.expose())
            .form(&form);
        Ok(self.kapi_json::<EventIdResponse>(req).await?.event_id)
    }

    /// `POST /v2/api/calendar/update/event/host`: changes the fields `event` carries.
    pub async fn update_talk_calendar_event(
        &self,
        token: &AccessToken,
        event_id: &str,
        event: &CalendarEvent,
    ) -> Result<String, KakaoError> {
        let form = [("event_id", event_id.to_owned()), ("event", to_json(event)?)];
        let req = self
            .http_client()
            .post(self.api("v2/api/calendar/update/event/host")?)
            .bearer_auth(token.expose())
            .form(&form);
        Ok(self.kapi_json::<EventIdResponse>(req).await?.event_id)
    }

    /// `DELETE /v2/api/calendar/delete/event`.
    pub async fn delete_talk_calendar_event(
        &self,
        token: &AccessToken,
        event_id: &str,
    ) -> Result<String, KakaoError> {
        let req = self
            .http_client()
            .delete(self.api("v2/api/calendar/delete/event")?)
            .bearer_auth(token.expose())
            .query(&[("event_id", event_id)]);
        Ok(self.kapi_json::<EventIdResponse>(req).await?.event_id)
    }

    /// `GET /v2/api/calendar/event`.
    pub async fn talk_calendar_event(
        &self,
        token: &AccessToken,
        event_id: &str,
    ) -> Result<EventDetail, KakaoError> {
        let req = self
            .http_client()
            .get(self.api("v2/api/calendar/event")?)
            .bearer_auth(token.expose())
            .query(&[("event_id", event_id)]);
        Ok(self.kapi_json::<EventResponse>(req).await?.event)
    }

    /// `GET /v2/api/calendar/events`: one page; follow `after_url` with [`EventsQuery::next_page`].
    pub async fn talk_calendar_events(
        &self,
        token: &AccessToken,
        query: &EventsQuery,
    ) -> Result<EventsResponse, KakaoError> {
        let mut q: Vec<(&str, String)> = Vec::new();
        match &query.range {
            EventsRange::Between(from, to) => {
                q.push(("from", utc_z(*from)));
                q.push(("to", utc_z(*to)));
            }
            EventsRange::Preset(p) => q.push(("preset", p.clone())),
            EventsRange::NextPage(t) => q.push(("next_page_token", t.clone())),
        }
        if let Some(id) = &query.calendar_id {
            q.push(("calendar_id", id.clone()));
        }
        if let Some(tz) = &query.time_zone {
            q.push(("time_zone", tz.clone()));
        }
        if let Some(limit) = query.limit {
            q.push(("limit", limit.to_string()));
        }
        let req = self
            .http_client()
            .get(self.api("v2/api/calendar/events")?)
            .bearer_auth(token.expose())
            .query(&q);
        self.kapi_json(req).await
    }
}

fn to_json(event: &CalendarEvent) -> Result<String, KakaoError> {
    serde_json::to_string(event).map_err(|_| KakaoError::Config("the event does not serialise"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_runs_to_midnight_after_the_last_day() {
        let t = EventTime::all_day(
            "2026-12-24".parse().unwrap(),
            "2026-12-25".parse().unwrap(),
            "Asia/Seoul",
        );
        assert_eq!(t.start_at, "2026-12-24T00:00:00Z");
        assert_eq!(t.end_at, "2026-12-26T00:00:00Z");
        assert!(t.all_day);
    }

    #[test]
    fn instants_are_utc_with_z() {
        let t: Timestamp = "2026-12-24T19:00:00+09:00".parse().unwrap();
        assert_eq!(utc_z(t), "2026-12-24T10:00:00Z");
    }
}
