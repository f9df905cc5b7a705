//! `/api/openapi.json`, written by hand from the routes (a test checks that every `/api/v1`
//! route in `app.rs` is documented and every documented route answers), and `/api`, a
//! readable page rendered from the same document.

use askama::Template;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::web::error::AppResult;

/// `(method, path, summary)` of every JSON API route.
pub const ROUTES: &[(&str, &str, &str)] = &[
    (
        "get",
        "/api/v1/me",
        "The logged-in user (the X-CSRF-Token response header carries the session's CSRF token)",
    ),
    ("get", "/api/v1/rooms", "My rooms"),
    ("post", "/api/v1/rooms", "Create a room (I become its owner)"),
    (
        "get",
        "/api/v1/rooms/{id}",
        "A room I belong to, with members and the calendar feed URL",
    ),
    (
        "patch",
        "/api/v1/rooms/{id}",
        "Rename a room or change its description (owner)",
    ),
    ("delete", "/api/v1/rooms/{id}", "Delete a room (owner)"),
    (
        "post",
        "/api/v1/rooms/{id}/invites",
        "Create an invitation (any member): {code, url, qr_url, expires_at}; it works for the configured days (default 7)",
    ),
    (
        "get",
        "/api/v1/rooms/{id}/invites",
        "The invitations that still work (owner): {invites: [{code, url, qr_url, expires_at}]}",
    ),
    (
        "delete",
        "/api/v1/rooms/{id}/invites/{code}",
        "Revoke an invitation (owner); 204",
    ),
    (
        "post",
        "/api/v1/invites/{code}/accept",
        "Join the room of an invitation; 410 invite_expired when it ran out, was revoked, or existed when I left or was removed from the room (only a later invitation by the owner lets me back)",
    ),
    (
        "delete",
        "/api/v1/rooms/{id}/members/{user_id}",
        "Leave (myself) or remove a member (owner)",
    ),
    (
        "post",
        "/api/v1/rooms/{id}/owner",
        "Hand the room to another member (owner)",
    ),
    (
        "get",
        "/api/v1/rooms/{id}/events",
        "Events meeting a civil-date range [from, to) in the room's zone (ETag, 304)",
    ),
    ("post", "/api/v1/rooms/{id}/events", "Add an event (any member)"),
    (
        "get",
        "/api/v1/rooms/{id}/events/{eid}",
        "An event; `{eid}.ics` gives its iCalendar file",
    ),
    (
        "patch",
        "/api/v1/rooms/{id}/events/{eid}",
        "Edit an event (creator or owner); SEQUENCE rises",
    ),
    (
        "delete",
        "/api/v1/rooms/{id}/events/{eid}",
        "Delete an event (creator or owner); calendars get a cancellation",
    ),
    (
        "post",
        "/api/v1/rooms/{id}/feed/rotate",
        "Revoke the room's calendar feed URL and get a new one (owner)",
    ),
    ("get", "/api/v1/rooms/{id}/polls", "The room's availability polls"),
    (
        "post",
        "/api/v1/rooms/{id}/polls",
        "Create a poll (any member): {title, kind: days|grid, dates: [YYYY-MM-DD], start_time?, end_time? (HH:MM, half hours), time_zone?, deadline? (RFC 3339), location?}",
    ),
    (
        "get",
        "/api/v1/rooms/{id}/polls/{pid}",
        "A poll with its heat-map (options with yes/maybe/no respondent indices, score yes=1 maybe=0.5), ranking (ties: earliest) and my answers (ETag, 304)",
    ),
    (
        "delete",
        "/api/v1/rooms/{id}/polls/{pid}",
        "Delete a poll (the room's owner or the poll's creator)",
    ),
    (
        "put",
        "/api/v1/rooms/{id}/polls/{pid}/answers",
        "Replace my answers: {answers: {\"YYYY-MM-DD\" | \"YYYY-MM-DDTHH:MM\": yes|maybe|no}}; 409 poll_closed after the deadline",
    ),
    (
        "post",
        "/api/v1/rooms/{id}/polls/{pid}/candidates",
        "Propose another day (any member; a grid grows by a day): {date}",
    ),
    (
        "post",
        "/api/v1/rooms/{id}/polls/{pid}/confirm",
        "Confirm an option (owner): {candidate} or {slot, duration_minutes?}; it becomes an event of the room and the poll closes",
    ),
    (
        "get",
        "/api/v1/account/consents",
        "My Kakao consent items, read live from Kakao: {scopes: [{id, display_name, type, using, agreed, revocable}]}; 409 kakao_login_required without usable Kakao tokens",
    ),
    (
        "post",
        "/api/v1/account/consents/revoke",
        "Withdraw consents at Kakao: {scopes: [id]}; answers the items after it (400 scope_not_revocable for required ones)",
    ),
    (
        "post",
        "/api/v1/account/logout-everywhere",
        "End every session of mine, this one included: {sessions_ended}",
    ),
    (
        "get",
        "/api/v1/account/export",
        "Everything I made: profile, rooms, events I created, polls and answers, Talk Calendar copies (the page also offers an ICS of my events at /account/export.ics)",
    ),
    (
        "delete",
        "/api/v1/account",
        "Delete my account: {confirm: true}. Unlinks Kakao, removes tokens, sessions and personal data, leaves every room; owned rooms go to the longest-standing member or are deleted when empty",
    ),
    (
        "post",
        "/api/v1/rooms/{id}/events/{eid}/talk-calendar",
        "Add the event to my own Kakao Talk Calendar (or update my copy); 403 consent_required for talk_calendar; later edits follow it there",
    ),
    (
        "delete",
        "/api/v1/rooms/{id}/events/{eid}/talk-calendar",
        "Remove my copy of the event from my Talk Calendar",
    ),
    (
        "get",
        "/api/v1/rooms/{id}/image.png",
        "The schedule as a PNG: ?layout=card&event=… | week&date=YYYY-MM-DD | month&date=YYYY-MM",
    ),
    (
        "get",
        "/api/v1/rooms/{id}/events/{eid}/image.png",
        "An event's card as a PNG",
    ),
    (
        "post",
        "/api/v1/rooms/{id}/shares",
        "Share the schedule: channel friends|memo|talk_share|link; 403 consent_required names missing scopes",
    ),
    (
        "get",
        "/api/v1/shares/{id}",
        "A share with each recipient's status (queued, sending, sent, failed, unknown, deferred, needs_consent); shares are the room's: current members only, the owner manages every share of the room, a member the ones they made",
    ),
    (
        "post",
        "/api/v1/shares/{id}/resend",
        "Send again to recipients that are unknown, failed or need consent",
    ),
    (
        "post",
        "/api/v1/shares/{id}/cancel",
        "Cancel what has not gone yet",
    ),
    (
        "delete",
        "/api/v1/shares/{id}/link",
        "Revoke the share's public page and the invitation its join button made",
    ),
    (
        "get",
        "/api/v1/friends",
        "My Kakao friends (all pages, favourites first) and, with ?room=, why members are missing",
    ),
    (
        "put",
        "/api/v1/rooms/{id}/polls/{pid}/memo",
        "Ask for (or stop) a KakaoTalk memo to myself when the poll is confirmed: {on}; 403 consent_required without talk_message",
    ),
];

fn schemas() -> Value {
    json!({
        "Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string", "description": "stable snake_case code"},
            "message": {"type": "string", "description": "in the user's language (Accept-Language or the lang cookie)"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}}
        }},
        "Member": {"type": "object", "properties": {
            "user_id": {"type": "string"}, "nickname": {"type": "string"},
            "profile_image_url": {"type": "string", "nullable": true}, "role": {"type": "string", "enum": ["owner", "member"]}
        }},
        "Room": {"type": "object", "properties": {
            "id": {"type": "string"}, "name": {"type": "string", "maxLength": 60}, "description": {"type": "string", "maxLength": 500},
            "time_zone": {"type": "string"}, "role": {"type": "string", "enum": ["owner", "member"]},
            "members": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
            "feed_url": {"type": "string", "description": "secret iCalendar feed; rotate to revoke"}
        }},
        "RoomInput": {"type": "object", "properties": {"name": {"type": "string"}, "description": {"type": "string"}}},
        "Event": {"type": "object", "required": ["id", "title", "all_day", "time_zone", "sequence"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string", "maxLength": 100}, "all_day": {"type": "boolean"},
            "starts_at": {"type": "string", "format": "date-time", "description": "timed events: RFC 3339 with the zone's offset"},
            "ends_at": {"type": "string", "format": "date-time"},
            "start_date": {"type": "string", "format": "date", "description": "all-day events: civil date"},
            "end_date": {"type": "string", "format": "date", "description": "inclusive"},
            "time_zone": {"type": "string", "description": "IANA name, default Asia/Seoul"},
            "location": {"type": "string"}, "memo": {"type": "string"}, "created_by": {"type": "string"},
            "sequence": {"type": "integer", "description": "rises on every edit"},
            "rrule": {"type": ["string", "null"], "description": "RFC 5545 RRULE of a series (DAILY, WEEKLY with BYDAY, MONTHLY with BYMONTHDAY or an ordinal BYDAY such as -1FR, YEARLY; INTERVAL; UNTIL or COUNT), expanded in the event's zone; null for a single event"},
            "occurrence": {"type": "string", "description": "on one occurrence of a series: its original start (RFC 3339, or a date for all-day series); absent on single events"}
        }},
        "EventInput": {"type": "object", "properties": {
            "title": {"type": "string"}, "all_day": {"type": "boolean"}, "starts_at": {"type": "string"}, "ends_at": {"type": "string"},
            "start_date": {"type": "string"}, "end_date": {"type": "string"}, "time_zone": {"type": "string"},
            "location": {"type": "string"}, "memo": {"type": "string"},
            "rrule": {"type": ["string", "null"], "description": "a rule the start itself satisfies, or null; anything else is 422"}
        }},
        "Invite": {"type": "object", "properties": {"code": {"type": "string"}, "url": {"type": "string"}, "qr_url": {"type": "string"}}}
    })
}

fn body_for(method: &str, path: &str) -> Option<&'static str> {
    match (method, path) {
        ("post", "/api/v1/rooms") | ("patch", "/api/v1/rooms/{id}") => Some("RoomInput"),
        ("post", "/api/v1/rooms/{id}/events") | ("patch", "/api/v1/rooms/{id}/events/{eid}") => {
            Some("EventInput")
        }
        _ => None,
    }
}

fn answer_for(method: &str, path: &str) -> Option<&'static str> {
    match path {
        "/api/v1/rooms/{id}" if method != "delete" => Some("Room"),
        "/api/v1/invites/{code}/accept" | "/api/v1/rooms/{id}/owner" => Some("Room"),
        "/api/v1/rooms" if method == "post" => Some("Room"),
        "/api/v1/rooms/{id}/invites" => Some("Invite"),
        "/api/v1/rooms/{id}/events" if method == "post" => Some("Event"),
        "/api/v1/rooms/{id}/events/{eid}" if method != "delete" => Some("Event"),
        _ => None,
    }
}

/// Query parameters of a route (the path's own come from its `{…}` segments).
fn query_params(method: &str, path: &str) -> Vec<Value> {
    let q = |name: &str, description: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema});
    match (method, path) {
        ("get", "/api/v1/rooms/{id}/events") => vec![
            q(
                "from",
                "first civil date (room zone); default: first of this month",
                json!({"type": "string", "format": "date"}),
            ),
            q(
                "to",
                "civil date after the last (exclusive); at most a year after from",
                json!({"type": "string", "format": "date"}),
            ),
        ],
        ("get", "/api/v1/rooms/{id}/events/{eid}") => vec![q(
            "occurrence",
            "one occurrence of a series: its original start (any RFC 3339 spelling, or a date)",
            json!({"type": "string"}),
        )],
        ("patch" | "delete", "/api/v1/rooms/{id}/events/{eid}") => vec![
            q(
                "occurrence",
                "one occurrence of a series: its original start (any RFC 3339 spelling, or a date)",
                json!({"type": "string"}),
            ),
            q(
                "scope",
                "with occurrence: this (that occurrence only), following (ends the series there and starts a new one with a new id), all",
                json!({"type": "string", "enum": ["this", "following", "all"], "default": "all"}),
            ),
        ],
        _ => Vec::new(),
    }
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, summary) in ROUTES {
        let mut op = json!({
            "summary": summary,
            "responses": {
                "200": {"description": "OK"},
                "401": {"description": "login_required", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "not_found (also for rooms you are not a member of)"},
                "422": {"description": "validation, with per-field messages"}
            }
        });
        if let Some(schema) = answer_for(method, path) {
            op["responses"]["200"]["content"] =
                json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}});
        }
        if let Some(schema) = body_for(method, path) {
            op["requestBody"] = json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
        }
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut params = params;
        params.extend(query_params(method, path));
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        let entry = paths.entry((*path).to_owned()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Gachi (같이) API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Same cookie session as the pages. State changes need a same-origin Origin or the X-CSRF-Token header."},
        "paths": paths,
        "components": {"schemas": schemas(), "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "gachi_session"}}},
        "security": [{"session": []}]
    })
}

pub async fn json() -> Response {
    axum::Json(document()).into_response()
}

pub struct RouteDoc {
    pub method: String,
    pub path: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "api.html")]
pub struct ApiPage {
    pub routes: Vec<RouteDoc>,
}

/// `GET /api`: the same document as a page people can read.
pub async fn page() -> AppResult<Response> {
    let routes = ROUTES
        .iter()
        .map(|(m, p, s)| RouteDoc {
            method: m.to_uppercase(),
            path: (*p).to_owned(),
            summary: (*s).to_owned(),
        })
        .collect();
    crate::web::views::render(&ApiPage { routes })
}
