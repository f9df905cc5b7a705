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
        "put",
        "/api/v1/rooms/{id}/events/{eid}/rsvp",
        "Answer 참석·불참 (any member): {answer: yes|no|maybe}, changeable; ?occurrence= for one occurrence of a series; answers with the event",
    ),
    (
        "delete",
        "/api/v1/rooms/{id}/events/{eid}/rsvp",
        "Withdraw my answer (?occurrence= for one occurrence); answers with the event",
    ),
    (
        "get",
        "/api/v1/rooms/{id}/reminders",
        "Reminder settings: {memo (my own \"나에게\" KakaoTalk memo before each event), before_minutes (the room's times, also the alarms of Talk Calendar copies; default [1440, 60]; all-day events: 09:00 the day before)}",
    ),
    (
        "put",
        "/api/v1/rooms/{id}/reminders",
        "Change reminder settings; only the fields named change: memo (mine; turning it on needs talk_message: 403 consent_required), before_minutes (owner; 403 for a member; at most 2, multiples of 5, 0…43200, order irrelevant)",
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
        "A poll with its heat-map (options with yes/maybe/no respondent indices, score yes=1 maybe=0.5), ranking (ties: earliest), ranges (consecutive slots of a day the same people can make, or single days: {start, date, start_time?, end_time?, minutes?, yes, maybe, cannot, score}, best first: score, then length, then earliest), waiting (members who have not answered: [{user_id, nickname}]), for the owner of an open poll with someone waiting a nudge card ({text, button, url, lang}: the group-chat reminder, in the language most of the waiting members use) and my answers (ETag, 304)",
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
        "Confirm an option (owner): {candidate} or {slot, duration_minutes?} (a range: its first slot and its length), with title? (default: the room's name), location? (default: the poll's) and memo?; it becomes an event of the room and the poll closes",
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
        "Add the event to my own Kakao Talk Calendar (or update my copy); 403 consent_required for talk_calendar; later edits follow it there, a series' occurrences moved or cancelled on their own too, and a following edit's new series gets a copy of its own. talk_calendar_event_id is Kakao's id of the copy: for a series, the id of its first instance ({id}_{yyyyMMddTHHmmssZ})",
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

/// Text as the JSON extractor takes it: no control characters other than tab and line breaks.
const TEXT: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";
/// Text that must hold something besides white space (names, titles).
const NONBLANK: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";

/// Dates Gachi keeps: the years 1900 to 2200 (`date_out_of_range` outside them).
const YEARS: &str = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-";

fn date() -> Value {
    json!({"type": "string", "format": "date", "pattern": YEARS})
}

fn date_time() -> Value {
    json!({"type": "string", "format": "date-time", "pattern": YEARS})
}

/// A request body: its keys are text too, and so is every string anywhere in it (the JSON
/// extractor refuses control characters everywhere); other properties are otherwise ignored.
fn input(mut schema: Value) -> Value {
    schema["propertyNames"] = json!({"pattern": TEXT});
    schema["additionalProperties"] = json!({"$ref": "#/components/schemas/CleanJson"});
    schema
}

/// Optional text: `null` is the same as leaving the field out.
fn text(max: usize) -> Value {
    json!({"type": ["string", "null"], "maxLength": max, "pattern": TEXT})
}

fn nonblank(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": NONBLANK})
}

/// Free text the server reads as it is (a query value, an id it looks up): only the control
/// characters are refused before anything else looks at it.
fn clean_text() -> Value {
    json!({"type": "string", "pattern": TEXT})
}

/// `schema`, or `null` for "as if left out" (what the server's optional fields do with it).
fn or_null(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

/// `schema`, or the empty string for "the default".
fn or_empty(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "string", "maxLength": 0}]})
}

/// Every IANA zone name the server knows (the tz database it carries), or empty/`null` for
/// the room's zone.
fn zone_input() -> Value {
    let names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        .collect();
    json!({"anyOf": [{"type": "string", "enum": names}, {"type": "string", "maxLength": 0}, {"type": "null"}],
           "description": "IANA name; empty or null: the room's zone", "examples": ["Asia/Seoul"]})
}

/// Grid hours: `HH:MM` on the half hour, `24:00` as an end; empty or `null` for the default.
fn hour_input() -> Value {
    or_null(or_empty(
        json!({"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[03]0|24:00)$"}),
    ))
}

/// The Kakao consent items Gachi asks for that a user may withdraw (`profile_nickname` is
/// required by the app and `openid` is how Gachi logs in).
const REVOCABLE_SCOPES: &[&str] = &["profile_image", "friends", "talk_message", "talk_calendar"];

fn schemas() -> Value {
    json!({
        "Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string", "description": "stable snake_case code"},
            "message": {"type": "string", "description": "in the user's language (Accept-Language or the lang cookie)"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "validation: a message per field"},
            "scopes": {"type": "array", "items": {"type": "string"}, "description": "consent_required: the missing Kakao scopes"},
            "consent_url": {"type": "string", "description": "consent_required: where the user gives them"},
            "login_url": {"type": "string", "description": "kakao_login_required: where the user logs in again"}
        }},
        "Member": {"type": "object", "properties": {
            "user_id": {"type": "string", "format": "uuid"}, "nickname": {"type": "string"},
            "profile_image_url": {"type": ["string", "null"]}, "role": {"type": "string", "enum": ["owner", "member"]}
        }},
        "Room": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "name": {"type": "string", "maxLength": 60}, "description": {"type": "string", "maxLength": 500},
            "time_zone": {"type": "string"}, "role": {"type": "string", "enum": ["owner", "member"]},
            "members": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
            "feed_url": {"type": "string", "description": "secret iCalendar feed; rotate to revoke"}
        }},
        "RoomCreate": input(json!({"type": "object", "required": ["name"], "properties": {"name": nonblank(60), "description": text(500)}})),
        "RoomUpdate": input(json!({"type": "object", "properties": {"name": {"anyOf": [nonblank(60), {"type": "null"}]}, "description": text(500)}})),
        "OwnerInput": input(json!({"type": "object", "required": ["user_id"], "properties": {"user_id": {"type": "string", "format": "uuid"}}})),
        "Rsvp": {"type": "object", "required": ["yes", "no", "maybe", "mine", "answers"], "properties": {
            "yes": {"type": "integer", "minimum": 0}, "no": {"type": "integer", "minimum": 0}, "maybe": {"type": "integer", "minimum": 0},
            "mine": {"type": ["string", "null"], "enum": ["yes", "no", "maybe", null], "description": "the reader's own answer"},
            "answers": {"type": "array", "items": {"type": "object", "required": ["user_id", "nickname", "answer"], "properties": {
                "user_id": {"type": "string", "format": "uuid"}, "nickname": {"type": "string"},
                "answer": {"type": "string", "enum": ["yes", "no", "maybe"]}
            }}, "description": "current members' answers (to this occurrence, on an occurrence)"}
        }},
        "RsvpInput": input(json!({"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string", "enum": ["yes", "no", "maybe"]}}})),
        "Reminders": {"type": "object", "required": ["memo", "before_minutes"], "properties": {
            "memo": {"type": "boolean"},
            "before_minutes": {"type": "array", "maxItems": 2, "items": {"type": "integer", "minimum": 0, "maximum": 43200, "multipleOf": 5}}
        }},
        "RemindersInput": input(json!({"type": "object", "properties": {
            "memo": {"type": ["boolean", "null"], "description": "mine; null or absent: unchanged"},
            "before_minutes": {"type": ["array", "null"], "maxItems": 2, "items": {"type": "integer", "minimum": 0, "maximum": 43200, "multipleOf": 5},
                               "description": "the owner's; minutes before the start; null or absent: unchanged"}
        }})),
        "Event": {"type": "object", "required": ["id", "title", "all_day", "time_zone", "sequence", "rsvp"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "title": {"type": "string", "maxLength": 100}, "all_day": {"type": "boolean"},
            "starts_at": {"type": "string", "format": "date-time", "description": "timed events: RFC 3339 with the zone's offset"},
            "ends_at": {"type": "string", "format": "date-time"},
            "start_date": {"type": "string", "format": "date", "description": "all-day events: civil date"},
            "end_date": {"type": "string", "format": "date", "description": "inclusive"},
            "time_zone": {"type": "string", "description": "IANA name, default Asia/Seoul"},
            "location": {"type": "string"}, "memo": {"type": "string"}, "created_by": {"type": "string"},
            "sequence": {"type": "integer", "description": "rises on every edit"},
            "rrule": {"type": ["string", "null"], "description": "RFC 5545 RRULE of a series (DAILY, WEEKLY with BYDAY, MONTHLY with BYMONTHDAY or an ordinal BYDAY such as -1FR, YEARLY; INTERVAL; UNTIL or COUNT), expanded in the event's zone; null for a single event"},
            "occurrence": {"type": "string", "description": "on one occurrence of a series: its original start (RFC 3339, or a date for all-day series); absent on single events"},
            "rsvp": {"$ref": "#/components/schemas/Rsvp"}
        }},
        "EventInput": input(json!({"type": "object", "description": "A new event needs title and either all_day with start_date (end_date inclusive) or starts_at (ends_at not before it); dates between 1900 and 2200. A PATCH sends any subset; null is the same as leaving a field out.", "properties": {
            "title": or_null(nonblank(100)), "all_day": {"type": ["boolean", "null"]},
            "starts_at": or_null(date_time()), "ends_at": or_null(date_time()),
            "start_date": or_null(date()), "end_date": or_null(date()),
            "time_zone": zone_input(),
            "location": text(200), "memo": text(2000),
            "rrule": {"type": ["string", "null"], "pattern": TEXT, "description": "a rule the start itself satisfies, or null; anything else is 422"}
        }})),
        "PollInput": input(json!({"type": "object", "required": ["title", "dates"], "description": "Grid hours (start_time before end_time) are checked for a day poll too; a grid has at most 14 days; the deadline must be ahead. Optional fields may be null or empty for their default.", "properties": {
            "title": nonblank(100), "kind": {"type": ["string", "null"], "enum": ["days", "grid", "", null], "description": "default days"},
            "dates": {"type": "array", "minItems": 1, "maxItems": 31, "items": date()},
            "start_time": hour_input(), "end_time": hour_input(),
            "time_zone": zone_input(), "deadline": or_null(or_empty(date_time())), "location": text(200)
        }})),
        "AnswersInput": input(json!({"type": "object", "required": ["answers"], "properties": {
            "answers": {"type": "object", "propertyNames": {"pattern": TEXT}, "additionalProperties": {"type": "string", "enum": ["yes", "maybe", "no"]},
                        "description": "keys: the poll's options, YYYY-MM-DD (days) or YYYY-MM-DDTHH:MM (grid)"}
        }})),
        "CandidateInput": input(json!({"type": "object", "required": ["date"], "properties": {"date": date()}})),
        "ConfirmInput": input(json!({"type": "object", "description": "candidate (days) or slot (grid)", "properties": {
            "candidate": or_null(date()), "slot": {"type": ["string", "null"], "pattern": TEXT, "description": "YYYY-MM-DDTHH:MM"},
            "duration_minutes": {"type": ["integer", "null"], "minimum": 30, "maximum": 1440, "description": "default 60"},
            "title": text(100), "location": text(200), "memo": text(2000)
        }})),
        "MemoInput": input(json!({"type": "object", "required": ["on"], "properties": {"on": {"type": "boolean"}}})),
        "RevokeInput": input(json!({"type": "object", "required": ["scopes"], "properties": {"scopes": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": REVOCABLE_SCOPES}}}})),
        "DeleteAccountInput": input(json!({"type": "object", "required": ["confirm"], "properties": {"confirm": {"type": "boolean", "const": true}}})),
        "ShareInput": input(json!({"type": "object", "required": ["channel"], "properties": {
            "channel": {"type": "string", "enum": ["friends", "memo", "talk_share", "link"]},
            "layout": {"type": ["string", "null"], "enum": ["card", "week", "month", "", null], "description": "default: card with event_id, else week"},
            "event_id": {"type": ["string", "null"], "pattern": TEXT, "description": "card: the event's id"},
            "date": {"type": ["string", "null"], "pattern": TEXT, "description": "YYYY-MM-DD (week) or YYYY-MM (month)"},
            "receiver_uuids": {"type": "array", "items": clean_text(), "description": "friends: the receivers' Kakao uuids"}
        }})),
        "ResendInput": input(json!({"type": "object", "properties": {"uuids": {"type": "array", "items": clean_text()}}})),
        "CleanJson": {"description": "any JSON whose strings and keys hold no control characters other than tab and line breaks", "anyOf": [
            {"type": "string", "pattern": TEXT},
            {"type": ["number", "boolean", "null"]},
            {"type": "array", "items": {"$ref": "#/components/schemas/CleanJson"}},
            {"type": "object", "propertyNames": {"pattern": TEXT}, "additionalProperties": {"$ref": "#/components/schemas/CleanJson"}}
        ]},
        "Empty": input(json!({"type": "object"})),
        "Invite": {"type": "object", "required": ["code", "url"], "properties": {
            "code": {"type": "string"}, "url": {"type": "string"}, "qr_url": {"type": "string"},
            "expires_at": {"type": "string", "format": "date-time"}
        }}
    })
}

fn body_for(method: &str, path: &str) -> Option<&'static str> {
    Some(match (method, path) {
        ("post", "/api/v1/rooms") => "RoomCreate",
        ("patch", "/api/v1/rooms/{id}") => "RoomUpdate",
        ("post", "/api/v1/rooms/{id}/owner") => "OwnerInput",
        ("post", "/api/v1/rooms/{id}/events") | ("patch", "/api/v1/rooms/{id}/events/{eid}") => "EventInput",
        ("post", "/api/v1/rooms/{id}/polls") => "PollInput",
        ("put", "/api/v1/rooms/{id}/polls/{pid}/answers") => "AnswersInput",
        ("post", "/api/v1/rooms/{id}/polls/{pid}/candidates") => "CandidateInput",
        ("post", "/api/v1/rooms/{id}/polls/{pid}/confirm") => "ConfirmInput",
        ("put", "/api/v1/rooms/{id}/polls/{pid}/memo") => "MemoInput",
        ("post", "/api/v1/account/consents/revoke") => "RevokeInput",
        ("delete", "/api/v1/account") => "DeleteAccountInput",
        ("post", "/api/v1/rooms/{id}/shares") => "ShareInput",
        ("post", "/api/v1/shares/{id}/resend") => "ResendInput",
        ("put", "/api/v1/rooms/{id}/events/{eid}/rsvp") => "RsvpInput",
        ("put", "/api/v1/rooms/{id}/reminders") => "RemindersInput",
        _ => return None,
    })
}

fn answer_for(method: &str, path: &str) -> Option<&'static str> {
    match path {
        "/api/v1/rooms/{id}" if method != "delete" => Some("Room"),
        "/api/v1/invites/{code}/accept" | "/api/v1/rooms/{id}/owner" => Some("Room"),
        "/api/v1/rooms" if method == "post" => Some("Room"),
        "/api/v1/rooms/{id}/invites" if method == "post" => Some("Invite"),
        "/api/v1/rooms/{id}/events" if method == "post" => Some("Event"),
        "/api/v1/rooms/{id}/events/{eid}" if method != "delete" => Some("Event"),
        "/api/v1/rooms/{id}/events/{eid}/rsvp" => Some("Event"),
        "/api/v1/rooms/{id}/reminders" => Some("Reminders"),
        _ => None,
    }
}

/// The success status of an operation (handlers answer 201 for what they create and 204 for
/// what they delete).
fn success_for(method: &str, path: &str) -> &'static str {
    match (method, path) {
        ("post", "/api/v1/rooms")
        | ("post", "/api/v1/rooms/{id}/invites")
        | ("post", "/api/v1/rooms/{id}/events")
        | ("post", "/api/v1/rooms/{id}/polls")
        | ("post", "/api/v1/rooms/{id}/polls/{pid}/candidates")
        | ("post", "/api/v1/rooms/{id}/polls/{pid}/confirm")
        | ("post", "/api/v1/rooms/{id}/shares") => "201",
        ("delete", "/api/v1/account")
        | ("delete", "/api/v1/shares/{id}/link")
        | ("delete", "/api/v1/rooms/{id}/events/{eid}/rsvp") => "200",
        ("delete", _) => "204",
        _ => "200",
    }
}

/// Operations that call Kakao on the request (502 `kakao_unavailable`, 409
/// `kakao_login_required`, 403 `consent_required`).
fn calls_kakao(path: &str) -> bool {
    [
        "/account",
        "/talk-calendar",
        "/shares",
        "/friends",
        "/memo",
        "/reminders",
    ]
    .iter()
    .any(|p| path.contains(p))
}

/// Every status an operation can answer besides its success, with what it means.
fn errors_for(method: &str, path: &str) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        (
            "400",
            "bad_json: a body or query that is not what the route takes",
        ),
        ("401", "login_required"),
        (
            "403",
            "csrf_failed (state changes without a same-origin Origin or X-CSRF-Token), forbidden, consent_required",
        ),
        ("404", "not_found (also for rooms you are not a member of)"),
        (
            "408",
            "request_timeout: the request took longer than the server's request timeout",
        ),
        ("422", "validation, with a message per field"),
    ];
    if method != "get" {
        out.push(("409", "a conflict with the current state (its code says which)"));
        out.push(("413", "payload_too_large: bodies are at most 64 KiB"));
        out.push(("415", "unsupported_media_type: bodies are application/json"));
    } else if calls_kakao(path) {
        out.push(("409", "kakao_login_required"));
    }
    if path == "/api/v1/invites/{code}/accept" {
        out.push(("410", "invite_expired"));
        out.push((
            "429",
            "invite_rate_limited: too many invitation lookups from this address (Retry-After)",
        ));
    }
    if calls_kakao(path) {
        out.push(("502", "kakao_unavailable"));
    }
    out.sort();
    out
}

fn path_parameter(name: &str) -> Value {
    let schema = match name {
        "code" => {
            json!({"type": "string", "pattern": "^[A-Za-z0-9-]{1,32}$", "description": "an invitation code (case and dashes do not matter)"})
        }
        _ => json!({"type": "string", "format": "uuid"}),
    };
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

/// `?size=`: `feed` for the feed's size, `bubble` for the picture a KakaoTalk bubble shows;
/// anything else is the portrait default.
fn size_parameter() -> Value {
    json!({"name": "size", "in": "query", "required": false, "schema": clean_text(), "description": "feed: the feed's size; bubble: what a KakaoTalk chat bubble shows (the card, or the week or month as an agenda at 780×1040); anything else: portrait (1080×1350)"})
}

fn query_parameters(method: &str, path: &str) -> Vec<Value> {
    let q = |name: &str, schema: Value, description: &str| json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description});
    match (method, path) {
        ("get", "/api/v1/rooms/{id}/events") => vec![
            q(
                "from",
                json!({"anyOf": [date(), {"type": "string", "maxLength": 0}]}),
                "first civil date (room zone); default: first of this month",
            ),
            q(
                "to",
                json!({"anyOf": [date(), {"type": "string", "maxLength": 0}]}),
                "civil date after the last (exclusive); at most a year after from",
            ),
        ],
        ("get", "/api/v1/rooms/{id}/events/{eid}") => vec![q(
            "occurrence",
            clean_text(),
            "one occurrence of a series: its original start (any RFC 3339 spelling, or a date)",
        )],
        ("patch" | "delete", "/api/v1/rooms/{id}/events/{eid}") => vec![
            q(
                "occurrence",
                clean_text(),
                "one occurrence of a series: its original start (any RFC 3339 spelling, or a date)",
            ),
            q(
                "scope",
                json!({"type": "string", "enum": ["this", "following", "all"], "default": "all"}),
                "with occurrence: this (that occurrence only), following (ends the series there and starts a new one with a new id), all (the whole series; occurrences moved or cancelled on their own are kept where they still fall on its new times and rule, moved ones keeping their move)",
            ),
        ],
        ("put" | "delete", "/api/v1/rooms/{id}/events/{eid}/rsvp") => vec![q(
            "occurrence",
            clean_text(),
            "one occurrence of a series: its original start (any RFC 3339 spelling, or a date)",
        )],
        ("get", "/api/v1/friends") => vec![q(
            "room",
            clean_text(),
            "also say why members of this room are missing",
        )],
        ("get", "/api/v1/rooms/{id}/image.png") => vec![
            q(
                "layout",
                json!({"type": "string", "enum": ["card", "week", "month", ""]}),
                "default: card with event, else week",
            ),
            q("event", clean_text(), "card: the event's id"),
            q("date", clean_text(), "week: YYYY-MM-DD, month: YYYY-MM"),
            size_parameter(),
        ],
        ("get", "/api/v1/rooms/{id}/events/{eid}/image.png") => vec![size_parameter()],
        _ => Vec::new(),
    }
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let error = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}});
    let mut paths = serde_json::Map::new();
    for (method, path, summary) in ROUTES {
        let mut responses = serde_json::Map::new();
        let success = success_for(method, path);
        let mut ok = json!({"description": "OK"});
        if success != "204" {
            let content_type = if path.ends_with(".png") {
                "image/png"
            } else {
                "application/json"
            };
            let schema = match answer_for(method, path) {
                Some(name) => json!({"$ref": format!("#/components/schemas/{name}")}),
                None if content_type == "image/png" => json!({"type": "string", "format": "binary"}),
                None => json!({"type": "object"}),
            };
            ok["content"] = json!({content_type: {"schema": schema}});
        }
        responses.insert(success.to_owned(), ok);
        if matches!(
            *path,
            "/api/v1/rooms/{id}/events" | "/api/v1/rooms/{id}/polls/{pid}"
        ) && *method == "get"
        {
            responses.insert(
                "304".into(),
                json!({"description": "Not modified (If-None-Match matched the ETag)"}),
            );
        }
        for (status, meaning) in errors_for(method, path) {
            responses.insert(status.into(), json!({"description": meaning, "content": error}));
        }
        let mut op = json!({"summary": summary, "responses": responses});
        if let Some(schema) = body_for(method, path) {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
        }
        let mut params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.split('}').next()))
            .map(path_parameter)
            .collect();
        params.extend(query_parameters(method, path));
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        let entry = paths.entry((*path).to_owned()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Gachi (같이) API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Same cookie session as the pages. State changes need a same-origin Origin or the X-CSRF-Token header. Errors are {error, message, fields?} in the user's language."},
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
