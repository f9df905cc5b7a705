//! The events JSON API: list by civil-date range (cached per room version, with ETag/304),
//! create, read, edit, delete, the per-event `.ics`, and rotating the room's feed URL.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::event_input::EventInput;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::json;

use crate::events::recurrence::{self, Target};
use crate::events::rsvp;
use crate::events::service::{self as events, to_json};
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::state::cache::{Cached, gzip};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Json, Query};
use crate::web::http::Negotiated;
use crate::web::session::Auth;

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both optional.
#[derive(Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

fn date_param(value: Option<&str>, key: &'static str) -> AppResult<Option<Date>> {
    match value.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => domain::dates::parse_date(s).map(Some).map_err(|out_of_range| {
            let message = if out_of_range {
                "date_out_of_range"
            } else {
                "date_invalid"
            };
            AppError::validation([(key, message)].into_iter().collect())
        }),
    }
}

/// `GET /api/v1/rooms/{id}/events?from=YYYY-MM-DD&to=YYYY-MM-DD` (`to` exclusive; default: the
/// current month in the room's zone).
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    negotiated: Negotiated,
    Path(id): Path<String>,
    Query(q): Query<Range>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let today = events::today(&state, &room);
    let first = today.first_of_month();
    let from = date_param(q.from.as_deref(), "from")?.unwrap_or(first);
    let to = match date_param(q.to.as_deref(), "to")? {
        Some(to) => to,
        None => from
            .checked_add(jiff::Span::new().months(1))
            .map_err(AppError::internal)?,
    };
    if to <= from || to.duration_since(from) > events::MAX_RANGE {
        return Err(AppError::validation(
            [("to", "range_invalid")].into_iter().collect(),
        ));
    }
    // Per reader: the events carry the reader's own answer (`rsvp.mine`); answers move the
    // room's version.
    let etag = format!(
        "W/\"{}-{}-{}-{from}-{to}\"",
        room.id, room.updated_at, auth.user.id
    );
    if let Some(unchanged) = negotiated.not_modified(&etag) {
        return Ok(unchanged);
    }
    let cached = match state.schedule_cache.get(&etag) {
        Some(cached) => cached,
        None => {
            let rows = events::events_in(&state, &room, from, to).await?;
            let list = rsvp::with_rsvps(&state, &room.id, &rows, &auth.user.id).await?;
            // Straight to bytes: `json!` would first build a `Value` tree of every event, a few
            // MB for a busy month that the allocator then keeps (issue 22's RSS).
            #[derive(serde::Serialize)]
            struct Events<'a> {
                events: &'a [crate::events::rows::EventJson],
            }
            let mut body = Vec::with_capacity(list.len() * 384);
            serde_json::to_writer(&mut body, &Events { events: &list }).map_err(AppError::internal)?;
            let body = Bytes::from(body);
            let cached = Cached {
                gzip: gzip(&body),
                plain: body,
            };
            state.schedule_cache.put(etag.clone(), cached.clone());
            cached
        }
    };
    let use_gzip = negotiated.gzip && !cached.gzip.is_empty();
    let mut resp = (StatusCode::OK, if use_gzip { cached.gzip } else { cached.plain }).into_response();
    let h = resp.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if use_gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(resp)
}

pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Json(input): Json<EventInput>,
) -> AppResult<Response> {
    let valid = events::validate(&input, &member.room)?;
    let row = events::create(&state, &member.room, &member.auth.user, &valid).await?;
    // A new event has no answers yet.
    Ok((StatusCode::CREATED, axum::Json(to_json(&row))).into_response())
}

/// `GET /api/v1/rooms/{id}/events/{eid}` — and `{eid}.ics` for the calendar file.
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
    Query(target): Query<Target>,
) -> AppResult<Response> {
    if let Some(event_id) = eid.strip_suffix(".ics") {
        return crate::events::ics::event_ics(&state, &auth, &id, event_id).await;
    }
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let row = state
        .store
        .event(&room.id, &eid)
        .await?
        .ok_or_else(AppError::not_found)?;
    let row = recurrence::read(&state, row, &target).await?;
    let json = rsvp::with_rsvp(&state, &room.id, &row, &auth.user.id).await?;
    Ok(axum::Json(json).into_response())
}

/// `PATCH …/events/{eid}[?occurrence=…&scope=this|following|all]`.
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Path((id, eid)): Path<(String, String)>,
    Query(target): Query<Target>,
    Json(input): Json<EventInput>,
) -> AppResult<Response> {
    let (room, row) = events::changeable(&state, &id, &eid, &member.auth.user).await?;
    let row = recurrence::update(&state, &room, &member.auth.user, &row, &target, input).await?;
    let json = rsvp::with_rsvp(&state, &room.id, &row, &member.auth.user.id).await?;
    Ok(axum::Json(json).into_response())
}

/// `DELETE …/events/{eid}[?occurrence=…&scope=this|following|all]`.
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
    Query(target): Query<Target>,
) -> AppResult<Response> {
    let (room, row) = events::changeable(&state, &id, &eid, &auth.user).await?;
    recurrence::delete(&state, &room, &row, &target).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/rooms/{id}/feed/rotate` (owner): the old feed URL stops working at once.
pub async fn rotate_feed(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    crate::rooms::service::owned_room(&state, &id, &auth.user).await?;
    let token = state.store.rotate_feed_token(&id).await?;
    Ok(axum::Json(json!({"feed_url": crate::rooms::service::feed_url(&state, &token)})).into_response())
}
