//! The Talk Calendar calls beyond events (§13, §14.12): the sub-calendars a service creates
//! for a user (`create|update|delete/calendar`, at most 3 per user and service, names unique),
//! and the holidays list (`GET /v2/api/calendar/holidays`) from the embedded Korean table.
//!
//! Every call makes the same checks as the event calls (`talk_calendar::caller`). Kakao
//! documents the limit of 3 but not the code past it, nor the holidays answer's exact shape;
//! docs/sandbox-uncertainties.md lists what is assumed.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::{Timestamp, ToSpan};
use kakao::talk_calendar::{COLORS, Calendar, PRIMARY};
use serde_json::json;

use crate::Sandbox;
use crate::http::{json as ok_json, kapi, params};
use crate::talk_calendar::caller;

/// Kakao: a service may create at most 3 calendars per user.
pub const MAX_SUB_CALENDARS: usize = 3;
/// The longest holidays range one call may ask for (UNCERTAIN; a year).
const MAX_HOLIDAY_DAYS: i64 = 366;

fn bad(msg: impl Into<String>) -> Response {
    kapi(400, -2, msg)
}

fn minutes(p: &HashMap<String, String>, key: &str) -> Result<Option<i64>, Response> {
    match p.get(key).map(|v| v.parse::<i64>()) {
        None => Ok(None),
        Some(Ok(m)) if m % 5 == 0 => Ok(Some(m)),
        Some(_) => Err(bad(format!("{key} must be minutes in 5-minute steps"))),
    }
}

/// Applies the form's `name`, `color`, `reminder` and `reminder_all_day` to `cal`.
fn apply(cal: &mut Calendar, p: &HashMap<String, String>, others: &[Calendar]) -> Result<(), Response> {
    if let Some(name) = p.get("name") {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 50 {
            return Err(bad("name must be 1 to 50 characters"));
        }
        if others.iter().any(|c| c.id != cal.id && c.name == name) {
            return Err(bad(format!("a calendar named [{name}] already exists")));
        }
        cal.name = name.to_owned();
    }
    if let Some(color) = p.get("color") {
        if !COLORS.contains(&color.as_str()) {
            return Err(bad(format!("color is not one of Kakao's colours: {color}")));
        }
        cal.color = Some(color.clone());
    }
    if let Some(m) = minutes(p, "reminder")? {
        cal.reminder = Some(m);
    }
    if let Some(m) = minutes(p, "reminder_all_day")? {
        cal.reminder_all_day = Some(m);
    }
    Ok(())
}

fn calendar_id(p: &HashMap<String, String>) -> Result<String, Response> {
    match p.get("calendar_id").filter(|c| !c.is_empty()) {
        None => Err(bad("The Parameter [calendar_id] cannot be null.")),
        Some(id) if id == PRIMARY => Err(bad("the primary calendar cannot be changed by a service")),
        Some(id) => Ok(id.clone()),
    }
}

/// `POST /v2/api/calendar/create/calendar`.
pub async fn create_calendar(
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
    if !p.contains_key("name") {
        return bad("The Parameter [name] cannot be null.");
    }
    let book = &mut st.calendars;
    let mine = book.sub_calendars.entry(user).or_default();
    if mine.len() >= MAX_SUB_CALENDARS {
        return bad(format!(
            "a service can create at most {MAX_SUB_CALENDARS} calendars per user"
        ));
    }
    book.next_id += 1;
    let mut cal = Calendar {
        id: format!("user_{}_{:06}", user, book.next_id),
        ..Default::default()
    };
    if let Err(resp) = apply(&mut cal, &p, mine) {
        return resp;
    }
    let id = cal.id.clone();
    mine.push(cal);
    ok_json(json!({"calendar_id": id}))
}

/// `POST /v2/api/calendar/update/calendar`.
pub async fn update_calendar(
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
    let id = match calendar_id(&p) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    let mine = st.calendars.sub_calendars.entry(user).or_default();
    let Some(pos) = mine.iter().position(|c| c.id == id) else {
        return bad(format!("calendar not found: {id}"));
    };
    let mut changed = mine[pos].clone();
    if let Err(resp) = apply(&mut changed, &p, mine) {
        return resp;
    }
    mine[pos] = changed;
    ok_json(json!({"calendar_id": id}))
}

/// `DELETE /v2/api/calendar/delete/calendar`: the calendar and its events.
pub async fn delete_calendar(
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
    let id = match calendar_id(&p) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    let book = &mut st.calendars;
    let mine = book.sub_calendars.entry(user).or_default();
    let before = mine.len();
    mine.retain(|c| c.id != id);
    if mine.len() == before {
        return bad(format!("calendar not found: {id}"));
    }
    if let Some(events) = book.events.get_mut(&user) {
        events.retain(|_, e| e.calendar_id != id);
    }
    ok_json(json!({"calendar_id": id}))
}

/// `GET /v2/api/calendar/holidays?from&to`: Korean public holidays in the range, as all-day
/// events (00:00Z of the day to 00:00Z of the next, like Talk Calendar's all-day times).
pub async fn holidays(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let now = sb.clock().now();
    let st = sb.lock();
    if let Err(resp) = caller(&st, &headers, &p, now) {
        return resp;
    }
    let parse = |name: &str| -> Result<Timestamp, Response> {
        let Some(v) = p.get(name) else {
            return Err(bad(format!("The Parameter [{name}] cannot be null.")));
        };
        v.parse::<Timestamp>()
            .map_err(|_| bad(format!("{name} is not an RFC 3339 time: {v}")))
    };
    let (from, to) = match (parse("from"), parse("to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(resp), _) | (_, Err(resp)) => return resp,
    };
    if from >= to || to.duration_since(from).as_hours() > MAX_HOLIDAY_DAYS * 24 {
        return bad(format!(
            "from must be before to, at most {MAX_HOLIDAY_DAYS} days apart"
        ));
    }
    let seoul = jiff::tz::TimeZone::get("Asia/Seoul").unwrap_or(jiff::tz::TimeZone::UTC);
    let first = seoul.to_datetime(from).date();
    let last = seoul.to_datetime(to).date();
    let mut events = Vec::new();
    let mut day = first;
    while day <= last {
        for h in domain::holidays::holidays(day) {
            let start = format!("{day}T00:00:00Z");
            let next = day.checked_add(1.day()).unwrap_or(day);
            events.push(json!({
                "title": h.name_ko,
                "holiday": true,
                "time": {"start_at": start, "end_at": format!("{next}T00:00:00Z"),
                         "time_zone": "Asia/Seoul", "all_day": true, "lunar": false},
            }));
        }
        match day.checked_add(1.day()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    ok_json(json!({"events": events}))
}
