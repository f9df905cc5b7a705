//! Talk Calendar (톡캘린더, §13 and §14.12): each user's own calendar with its `primary`
//! calendar, and events created, listed, read, updated and deleted through kapi.
//!
//! Every call needs a user token (`-401` for the admin key), the `talk_calendar` agreement
//! (`-402` with `api_type` `TALK_CALENDAR`), a KakaoTalk user (`-501`) and, while the app has
//! no Talk Calendar permission, an app member: Kakao's docs say only members may call then and
//! name no code, so the sandbox answers what kapi answers for a missing permission,
//! 403 `-5` (`permission denied`). Event JSON is checked as Kakao documents it (title ≤ 50,
//! description ≤ 5000, location name ≤ 50, UTC `Z` times on 5-minute steps, start before end,
//! at most 2 reminders in 5-minute steps, one of the 15 colours); any violation is 400 `-2`.
//! `GET /_admin/calendar/{user_id}` lists a user's events for tests.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp, ToSpan};
use kakao::talk_calendar::{
    COLORS, Calendar, CalendarEvent, CalendarsResponse, EventDetail, EventIdResponse, EventResponse,
    EventSummary, EventTime, EventsResponse, MAX_DESCRIPTION_CHARS, MAX_LIMIT, MAX_LOCATION_NAME_CHARS,
    MAX_RANGE_DAYS, MAX_REMINDERS, MAX_TITLE_CHARS, MIN_LIMIT, MINUTE_STEP, PRIMARY,
};
use kakao::talk_calendar_recur::parse_instance_id;
use serde::Serialize;
use serde_json::json;

use crate::Sandbox;
use crate::http::{json as ok_json, kapi, params};
use crate::kapi_auth::{authenticate, require_scope};
use crate::state::State as SandboxState;
use crate::talk_calendar_recur::{self as recur, Instance};

const SCOPE: &str = "talk_calendar";
const API_TYPE: &str = "TALK_CALENDAR";
/// `limit` when the request gives none (Kakao's default is undocumented; 100 assumed).
const DEFAULT_LIMIT: u32 = 100;

/// Every user's Talk Calendar events.
#[derive(Debug, Default)]
pub struct CalendarBook {
    /// user id → event id → event.
    pub events: BTreeMap<i64, BTreeMap<String, StoredEvent>>,
    pub next_id: u64,
    /// user id → the calendars the service created for that user (`talk_calendar_extra.rs`).
    pub sub_calendars: BTreeMap<i64, Vec<Calendar>>,
}

/// One event as the sandbox keeps it (already validated).
#[derive(Clone, Debug, Serialize)]
pub struct StoredEvent {
    pub id: String,
    pub calendar_id: String,
    pub title: String,
    pub time: EventTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rrule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<kakao::talk_calendar::EventLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// A series' instances changed or cancelled on their own (`talk_calendar_recur`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub instances: BTreeMap<String, Instance>,
    #[serde(skip)]
    pub(crate) start: Timestamp,
    #[serde(skip)]
    pub(crate) end: Timestamp,
}

impl StoredEvent {
    fn detail(&self) -> EventDetail {
        EventDetail {
            id: self.id.clone(),
            calendar_id: self.calendar_id.clone(),
            is_host: true,
            title: self.title.clone(),
            time: self.time.clone(),
            rrule: self.rrule.clone(),
            description: self.description.clone(),
            location: self.location.clone(),
            reminders: self.reminders.clone(),
            color: self.color.clone(),
        }
    }

    fn summary(&self) -> EventSummary {
        EventSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            kind: "USER".into(),
            calendar_id: self.calendar_id.clone(),
            time: self.time.clone(),
            is_host: true,
            is_recur_event: self.rrule.is_some() || parse_instance_id(&self.id).is_some(),
            color: self.color.clone(),
        }
    }
}

fn bad(msg: impl Into<String>) -> Response {
    kapi(400, -2, msg)
}

/// The checks every Talk Calendar call makes; the caller's user id.
pub(crate) fn caller(
    st: &SandboxState,
    headers: &HeaderMap,
    p: &HashMap<String, String>,
    now: Timestamp,
) -> Result<i64, Response> {
    let user = match authenticate(st, headers, p, now) {
        Ok(c) if c.token.is_some() => c.user_id,
        Ok(_) => return Err(kapi(401, -401, "this API needs a user's access token.")),
        Err(resp) => return Err(resp),
    };
    require_scope(st, user, SCOPE, API_TYPE)?;
    if !st.users.get(&user).is_some_and(|u| u.talk_user) {
        return Err(kapi(400, -501, "NotKakaoTalkUserException"));
    }
    if !st.app.talk_calendar_permission && !st.app.is_member(user) {
        return Err(kapi(403, -5, "permission denied"));
    }
    Ok(user)
}

/// A `Z` instant on a 5-minute step with whole seconds.
fn parse_utc(name: &str, value: &str) -> Result<Timestamp, Response> {
    if !value.ends_with('Z') || value.contains('.') {
        return Err(bad(format!(
            "{name} must be an RFC 3339 UTC time ending in Z without fractions: {value}"
        )));
    }
    let t: Timestamp = value
        .parse()
        .map_err(|_| bad(format!("{name} is not an RFC 3339 time: {value}")))?;
    let secs = t.as_second();
    if secs.rem_euclid(MINUTE_STEP * 60) != 0 {
        return Err(bad(format!(
            "{name} must be on a {MINUTE_STEP}-minute step: {value}"
        )));
    }
    Ok(t)
}

fn check_time(time: &EventTime) -> Result<(Timestamp, Timestamp), Response> {
    let start = parse_utc("start_at", &time.start_at)?;
    let end = parse_utc("end_at", &time.end_at)?;
    if start >= end {
        return Err(bad("start_at must be before end_at"));
    }
    if let Some(tz) = &time.time_zone
        && jiff::tz::TimeZone::get(tz).is_err()
    {
        return Err(bad(format!("unknown time_zone: {tz}")));
    }
    if time.all_day && (start.as_second() % 86_400 != 0 || end.as_second() % 86_400 != 0) {
        return Err(bad(
            "an all-day event runs from 00:00Z of its first day to 00:00Z of the day after its last",
        ));
    }
    Ok((start, end))
}

/// The whole event after a create or an update: every field Kakao constrains.
fn check_event(e: &StoredEvent) -> Result<(), Response> {
    let title = e.title.trim();
    if title.is_empty() {
        return Err(bad("The Parameter [event.title] cannot be empty."));
    }
    if e.title.chars().count() > MAX_TITLE_CHARS {
        return Err(bad(format!(
            "event.title must be at most {MAX_TITLE_CHARS} characters"
        )));
    }
    if e.description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(bad(format!(
            "event.description must be at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    if let Some(name) = e.location.as_ref().and_then(|l| l.name.as_ref())
        && name.chars().count() > MAX_LOCATION_NAME_CHARS
    {
        return Err(bad(format!(
            "event.location.name must be at most {MAX_LOCATION_NAME_CHARS} characters"
        )));
    }
    if let Some(reminders) = &e.reminders {
        if reminders.len() > MAX_REMINDERS {
            return Err(bad(format!(
                "event.reminders takes at most {MAX_REMINDERS} values"
            )));
        }
        let min = if e.time.all_day { -1440 } else { 0 };
        if reminders
            .iter()
            .any(|m| m % MINUTE_STEP != 0 || *m < min || *m > 43_200)
        {
            return Err(bad(
                "event.reminders are minutes before the start in 5-minute steps",
            ));
        }
    }
    if let Some(color) = &e.color
        && !COLORS.contains(&color.as_str())
    {
        return Err(bad(format!("event.color is not one of Kakao's colours: {color}")));
    }
    if let Some(rrule) = &e.rrule
        && domain::recurrence::RRule::parse(rrule).is_err()
    {
        return Err(bad("event.rrule must be an RFC 5545 RRULE"));
    }
    Ok(())
}

fn parse_event(p: &HashMap<String, String>) -> Result<CalendarEvent, Response> {
    let Some(raw) = p.get("event") else {
        return Err(bad("The Parameter [event] cannot be null."));
    };
    serde_json::from_str(raw).map_err(|e| bad(format!("event is not valid JSON: {e}")))
}

/// Applies `change` onto `base` (fields given replace, absent ones stay; an empty `rrule`
/// removes the rule) and checks the result.
pub(crate) fn apply(base: &mut StoredEvent, change: CalendarEvent, now: Timestamp) -> Result<(), Response> {
    if let Some(title) = change.title {
        base.title = title;
    }
    if let Some(time) = change.time {
        let (start, end) = check_time(&time)?;
        base.time = EventTime {
            time_zone: Some(time.time_zone.clone().unwrap_or_else(|| "Asia/Seoul".into())),
            ..time
        };
        base.start = start;
        base.end = end;
    }
    if let Some(rrule) = change.rrule {
        base.rrule = (!rrule.is_empty()).then_some(rrule);
    }
    if let Some(d) = change.description {
        base.description = (!d.is_empty()).then_some(d);
    }
    if let Some(l) = change.location {
        let empty = l.name.as_deref().unwrap_or("").is_empty() && l.address.is_none();
        base.location = (!empty).then_some(l);
    }
    if change.reminders.is_some() {
        base.reminders = change.reminders;
    }
    if change.color.is_some() {
        base.color = change.color;
    }
    base.updated_at = now;
    check_event(base)
}

/// `GET /v2/api/calendar/calendars`.
pub async fn calendars(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let now = sb.clock().now();
    let st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let filter = p.get("filter").map(String::as_str).unwrap_or("ALL");
    if !matches!(filter, "ALL" | "USER" | "SUBSCRIBE") {
        return bad("filter must be ALL, USER or SUBSCRIBE");
    }
    let primary = Calendar {
        id: PRIMARY.into(),
        name: "내 캘린더".into(),
        color: Some("LAVENDER".into()),
        reminder: Some(15),
        reminder_all_day: Some(540),
        ..Default::default()
    };
    let mut own = vec![primary];
    own.extend(st.calendars.sub_calendars.get(&user).cloned().unwrap_or_default());
    ok_json(CalendarsResponse {
        calendars: if filter == "SUBSCRIBE" { Vec::new() } else { own },
        subscribe_calendars: Vec::new(),
    })
}

/// `POST /v2/api/calendar/create/event`.
pub async fn create_event(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let calendar_id = p.get("calendar_id").cloned().unwrap_or_else(|| PRIMARY.into());
    let known = calendar_id == PRIMARY
        || st
            .calendars
            .sub_calendars
            .get(&user)
            .is_some_and(|c| c.iter().any(|c| c.id == calendar_id));
    if !known {
        return bad(format!("calendar not found: {calendar_id}"));
    }
    let event = match parse_event(&p) {
        Ok(e) => e,
        Err(resp) => return resp,
    };
    if event.title.is_none() {
        return bad("The Parameter [event.title] cannot be null.");
    }
    if event.time.is_none() {
        return bad("The Parameter [event.time] cannot be null.");
    }
    let book = &mut st.calendars;
    book.next_id += 1;
    let id = format!("{}_{:06}", user, book.next_id);
    let mut stored = StoredEvent {
        id: id.clone(),
        calendar_id,
        title: String::new(),
        time: EventTime::default(),
        rrule: None,
        description: None,
        location: None,
        reminders: None,
        color: None,
        created_at: now,
        updated_at: now,
        instances: BTreeMap::new(),
        start: now,
        end: now,
    };
    if let Err(resp) = apply(&mut stored, event, now) {
        return resp;
    }
    book.events.entry(user).or_default().insert(id.clone(), stored);
    ok_json(EventIdResponse { event_id: id })
}

fn event_id_param(p: &HashMap<String, String>) -> Result<String, Response> {
    p.get("event_id")
        .filter(|id| !id.is_empty())
        .cloned()
        .ok_or_else(|| bad("The Parameter [event_id] cannot be null."))
}

fn not_found(id: &str) -> Response {
    bad(format!("event not found: {id}"))
}

/// `GET /v2/api/calendar/event`.
pub async fn event(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let now = sb.clock().now();
    let st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let id = match event_id_param(&p) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    let Some(mine) = st.calendars.events.get(&user) else {
        return not_found(&id);
    };
    if let Some((series, at)) = parse_instance_id(&id) {
        return match recur::read(mine, &id, series, at) {
            Some(one) => ok_json(EventResponse { event: one.detail() }),
            None => not_found(&id),
        };
    }
    match mine.get(&id).filter(|e| e.rrule.is_none()) {
        Some(e) => ok_json(EventResponse { event: e.detail() }),
        None => not_found(&id),
    }
}

/// `POST /v2/api/calendar/update/event/host`: nothing changes unless the result is valid.
pub async fn update_event(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let id = match event_id_param(&p) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    if let Some(kind) = p.get("recur_update_type")
        && !matches!(kind.as_str(), "THIS" | "THIS_AND_FOLLOWING" | "ALL")
    {
        return bad("recur_update_type must be THIS, THIS_AND_FOLLOWING or ALL");
    }
    let change = match parse_event(&p) {
        Ok(e) => e,
        Err(resp) => return resp,
    };
    let book = &mut st.calendars;
    if let Some((series, at)) = parse_instance_id(&id) {
        let Some(mine) = book.events.get_mut(&user) else {
            return not_found(&id);
        };
        let next_id = &mut book.next_id;
        let new_id = || {
            *next_id += 1;
            format!("{}_{:06}", user, *next_id)
        };
        let kind = p.get("recur_update_type");
        return recur::update(mine, new_id, &id, series, at, kind, change, now);
    }
    // A series is changed only through one of its instances (see `talk_calendar_recur`).
    let Some(slot) = book
        .events
        .get_mut(&user)
        .and_then(|m| m.get_mut(&id))
        .filter(|e| e.rrule.is_none())
    else {
        return not_found(&id);
    };
    let mut updated = slot.clone();
    if let Err(resp) = apply(&mut updated, change, now) {
        return resp;
    }
    *slot = updated;
    ok_json(EventIdResponse { event_id: id })
}

/// `POST /v2/api/calendar/update/event/guest`: what a guest may change of an event in their
/// calendar, its `color` and `reminders` (the sandbox has no invitations, so it allows this on
/// the caller's own events; anything else in `event` is `-2`).
pub async fn update_event_guest(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let id = match event_id_param(&p) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    let change = match parse_event(&p) {
        Ok(e) => e,
        Err(resp) => return resp,
    };
    let host_only = change.title.is_some()
        || change.time.is_some()
        || change.rrule.is_some()
        || change.description.is_some()
        || change.location.is_some();
    if host_only {
        return bad("a guest may change only color and reminders");
    }
    let Some(slot) = st.calendars.events.get_mut(&user).and_then(|m| m.get_mut(&id)) else {
        return not_found(&id);
    };
    let mut updated = slot.clone();
    if let Err(resp) = apply(&mut updated, change, now) {
        return resp;
    }
    *slot = updated;
    ok_json(EventIdResponse { event_id: id })
}

/// `DELETE /v2/api/calendar/delete/event`.
pub async fn delete_event(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let id = match event_id_param(&p) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    let Some(mine) = st.calendars.events.get_mut(&user) else {
        return not_found(&id);
    };
    if let Some((series, at)) = parse_instance_id(&id) {
        return recur::delete(mine, &id, series, at, p.get("recur_update_type"), now);
    }
    if mine.get(&id).is_some_and(|e| e.rrule.is_some()) {
        return not_found(&id);
    }
    match mine.remove(&id) {
        Some(_) => ok_json(EventIdResponse { event_id: id }),
        None => not_found(&id),
    }
}

/// What a page of the events list covers; also the content of `next_page_token`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Page {
    from: Timestamp,
    to: Timestamp,
    limit: u32,
    offset: usize,
    calendar_id: Option<String>,
}

impl Page {
    fn token(&self) -> String {
        let raw = format!(
            "{}|{}|{}|{}|{}",
            self.from.as_second(),
            self.to.as_second(),
            self.limit,
            self.offset,
            self.calendar_id.as_deref().unwrap_or("")
        );
        URL_SAFE_NO_PAD.encode(raw)
    }

    fn from_token(token: &str) -> Option<Page> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
        let mut parts = raw.splitn(5, '|');
        let from = Timestamp::from_second(parts.next()?.parse().ok()?).ok()?;
        let to = Timestamp::from_second(parts.next()?.parse().ok()?).ok()?;
        let limit = parts.next()?.parse().ok()?;
        let offset = parts.next()?.parse().ok()?;
        let calendar_id = Some(parts.next()?.to_owned()).filter(|c| !c.is_empty());
        Some(Page {
            from,
            to,
            limit,
            offset,
            calendar_id,
        })
    }
}

/// `TODAY`, `THIS_WEEK` (from Sunday) or `THIS_MONTH` in `tz`, as instants.
fn preset_range(preset: &str, tz: &str, now: Timestamp) -> Result<(Timestamp, Timestamp), Response> {
    let zone = jiff::tz::TimeZone::get(tz).map_err(|_| bad(format!("unknown time_zone: {tz}")))?;
    let today = zone.to_datetime(now).date();
    let (first, days) = match preset {
        "TODAY" => (today, 1),
        "THIS_WEEK" => {
            let back = i64::from(today.weekday().to_sunday_zero_offset());
            (today.checked_sub(back.days()).unwrap_or(today), 7)
        }
        "THIS_MONTH" => (today.first_of_month(), i64::from(today.days_in_month())),
        other => {
            return Err(bad(format!(
                "preset must be TODAY, THIS_WEEK or THIS_MONTH: {other}"
            )));
        }
    };
    let last = first.checked_add(days.days()).unwrap_or(first);
    let at = |d: jiff::civil::Date| {
        d.to_zoned_datetime(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| bad("the preset falls outside the calendar"))
    };
    Ok((at(first)?, at(last)?))
}

fn events_page(p: &HashMap<String, String>, now: Timestamp) -> Result<Page, Response> {
    if let Some(token) = p.get("next_page_token") {
        return Page::from_token(token).ok_or_else(|| bad("next_page_token is invalid"));
    }
    let limit = match p.get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (MIN_LIMIT..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(bad(format!("limit must be between {MIN_LIMIT} and {MAX_LIMIT}"))),
        },
    };
    let calendar_id = p.get("calendar_id").filter(|c| !c.is_empty()).cloned();
    let (from, to) = match (p.get("from"), p.get("to"), p.get("preset")) {
        (Some(from), Some(to), None) => {
            let parse = |name: &str, v: &str| {
                v.parse::<Timestamp>()
                    .map_err(|_| bad(format!("{name} is not an RFC 3339 time: {v}")))
            };
            let (from, to) = (parse("from", from)?, parse("to", to)?);
            if from >= to {
                return Err(bad("from must be before to"));
            }
            if to.duration_since(from) > SignedDuration::from_hours(24 * MAX_RANGE_DAYS) {
                return Err(bad(format!(
                    "from and to may be at most {MAX_RANGE_DAYS} days apart"
                )));
            }
            (from, to)
        }
        (None, None, Some(preset)) => {
            let tz = p.get("time_zone").map(String::as_str).unwrap_or("Asia/Seoul");
            preset_range(preset, tz, now)?
        }
        _ => return Err(bad("give either from and to, or preset")),
    };
    Ok(Page {
        from,
        to,
        limit,
        offset: 0,
        calendar_id,
    })
}

/// `GET /v2/api/calendar/events`: events meeting the range, by start, with paging.
pub async fn events(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let now = sb.clock().now();
    let st = sb.lock();
    let user = match caller(&st, &headers, &p, now) {
        Ok(u) => u,
        Err(resp) => return resp,
    };
    let page = match events_page(&p, now) {
        Ok(page) => page,
        Err(resp) => return resp,
    };
    let mut hits: Vec<StoredEvent> = st
        .calendars
        .events
        .get(&user)
        .map(|m| {
            m.values()
                .flat_map(|e| recur::listed(e, page.from, page.to))
                .collect()
        })
        .unwrap_or_default();
    hits.retain(|e| page.calendar_id.as_ref().is_none_or(|c| *c == e.calendar_id));
    hits.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let total = hits.len();
    let start = page.offset.min(total);
    let end = (start + page.limit as usize).min(total);
    let has_next = end < total;
    let after_url = has_next.then(|| {
        let next = Page {
            offset: end,
            ..page.clone()
        };
        format!(
            "{}/v2/api/calendar/events?next_page_token={}",
            st.base_url,
            next.token()
        )
    });
    ok_json(EventsResponse {
        events: hits[start..end].iter().map(|e| e.summary()).collect(),
        has_next,
        after_url,
    })
}

/// `GET /_admin/calendar/{user_id}`: the user's events, oldest first, for tests.
pub async fn admin_calendar(State(sb): State<Sandbox>, Path(user_id): Path<i64>) -> Response {
    let st = sb.lock();
    let mut list: Vec<&StoredEvent> = st
        .calendars
        .events
        .get(&user_id)
        .map(|m| m.values().collect())
        .unwrap_or_default();
    list.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    ok_json(json!({"events": list}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip() {
        let page = Page {
            from: "2026-12-01T00:00:00Z".parse().unwrap(),
            to: "2026-12-31T00:00:00Z".parse().unwrap(),
            limit: 100,
            offset: 200,
            calendar_id: Some(PRIMARY.into()),
        };
        assert_eq!(Page::from_token(&page.token()), Some(page));
    }

    #[test]
    fn times_must_be_utc_z_on_five_minute_steps() {
        assert!(parse_utc("start_at", "2026-12-24T10:05:00Z").is_ok());
        assert!(parse_utc("start_at", "2026-12-24T10:03:00Z").is_err());
        assert!(parse_utc("start_at", "2026-12-24T19:00:00+09:00").is_err());
        assert!(parse_utc("start_at", "2026-12-24T10:00:00.000Z").is_err());
    }
}
