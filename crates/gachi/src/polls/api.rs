//! The polls JSON API (`/api/v1/rooms/{id}/polls…`): list and create, read with the heat-map
//! and ranking (ETag/304, since pages poll it every 2 s), delete, replace my answers, propose a
//! day, and confirm an option into an event. Every route answers 404 to non-members.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::poll::PollInput;
use serde::Deserialize;
use serde_json::json;

use crate::polls::service as polls;
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::state::fresh::Answer;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Json;
use crate::web::http::Negotiated;
use crate::web::session::Auth;

/// `GET /api/v1/rooms/{id}/polls`
pub async fn list(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let rows = state.store.polls(&room.id).await?;
    let list: Vec<_> = rows.iter().map(|r| polls::summary(&state, r)).collect();
    Ok(axum::Json(json!({"polls": list})).into_response())
}

/// `POST /api/v1/rooms/{id}/polls` (any member)
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Path(_id): Path<String>,
    Json(input): Json<PollInput>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let room = member.room.clone();
    let row = polls::create(&state, &room, &auth.user, &input).await?;
    let p = polls::load(&state, &room.id, &row.id, &auth.user).await?;
    let heat = polls::heat(&state, &p, &auth.user).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(polls::to_json(&state, &p, &heat, &auth.user)),
    )
        .into_response())
}

/// `GET /api/v1/rooms/{id}/polls/{pid}`: the poll, its heat-map and ranking, and my answers.
pub async fn read(
    State(state): State<AppState>,
    auth: Auth,
    negotiated: Negotiated,
    Path((id, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    // The page refreshes this every 2 s for every member; between answers it is the same bytes
    // for each reader (the key carries who reads: "my answers" differ).
    let key = format!("poll:{id}:{pid}:{}", auth.user.id);
    let now = state.now_ms();
    // A reader polling with its ETag (the page's refresh) still puts a missed answer back in
    // memory before its 304, or after one invalidation every later poll would read the
    // database again (issue 22's 304 benchmark fell to 8 % of bare that way).
    let answer = state
        .fresh
        .answer(Some(key), now, || async {
            let p = polls::load(&state, &id, &pid, &auth.user).await?;
            let open = p.open(now);
            let heat = polls::heat(&state, &p, &auth.user).await?;
            let json = polls::to_json(&state, &p, &heat, &auth.user);
            let body = Bytes::from(serde_json::to_vec(&json).map_err(AppError::internal)?);
            Ok::<_, AppError>(Answer {
                gzip: None,
                etag: Some(content_etag(&body)),
                body,
                // An open poll with a deadline reads differently once it has passed.
                until: if open {
                    p.row.deadline_at.unwrap_or(i64::MAX)
                } else {
                    i64::MAX
                },
            })
        })
        .await?;
    let etag = answer.etag.unwrap_or_default();
    if let Some(unchanged) = negotiated.not_modified(&etag) {
        return Ok(unchanged);
    }
    let body = answer.body;
    let mut resp = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(resp)
}

/// `DELETE /api/v1/rooms/{id}/polls/{pid}` (the owner or the poll's creator)
pub async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    polls::delete(&state, &p, &auth.user).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub struct AnswersBody {
    answers: BTreeMap<String, String>,
}

/// `PUT /api/v1/rooms/{id}/polls/{pid}/answers` `{"answers":{"2026-12-24":"yes",…}}`: replaces
/// mine; answers the poll as it now stands.
pub async fn answers(
    State(state): State<AppState>,
    member: Member,
    Path((id, pid)): Path<(String, String)>,
    Json(body): Json<AnswersBody>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    polls::put_answers(&state, &p, &auth.user, &body.answers).await?;
    fresh_json(&state, &id, &pid, auth).await
}

async fn fresh_json(state: &AppState, id: &str, pid: &str, auth: &Auth) -> AppResult<Response> {
    let p = polls::load(state, id, pid, &auth.user).await?;
    let heat = polls::heat(state, &p, &auth.user).await?;
    Ok(axum::Json(polls::to_json(state, &p, &heat, &auth.user)).into_response())
}

#[derive(Deserialize)]
pub struct ProposeBody {
    date: Option<String>,
}

/// `POST /api/v1/rooms/{id}/polls/{pid}/candidates` `{"date":"YYYY-MM-DD"}` (any member)
pub async fn propose(
    State(state): State<AppState>,
    member: Member,
    Path((id, pid)): Path<(String, String)>,
    Json(body): Json<ProposeBody>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    polls::propose(&state, &p, &auth.user, body.date.as_deref().unwrap_or("")).await?;
    let resp = fresh_json(&state, &id, &pid, auth).await?;
    Ok((StatusCode::CREATED, resp).into_response())
}

#[derive(Deserialize)]
pub struct ConfirmBody {
    candidate: Option<String>,
    slot: Option<String>,
    duration_minutes: Option<serde_json::Number>,
    /// The event's title (default: the room's name), place (default: the poll's) and memo.
    title: Option<String>,
    location: Option<String>,
    memo: Option<String>,
}

/// Whole minutes. JSON has numbers, not integers, so `90.0` is 90 like `90` (a client's JSON
/// library may write either); a fraction or a number beyond `i64` is refused as a field
/// error, not as an unreadable body.
fn whole_minutes(n: Option<&serde_json::Number>) -> AppResult<Option<i64>> {
    let Some(n) = n else { return Ok(None) };
    if let Some(m) = n.as_i64() {
        return Ok(Some(m));
    }
    let invalid = || {
        AppError::validation(
            [("duration_minutes", "poll-duration_not_whole")]
                .into_iter()
                .collect(),
        )
    };
    let f = n.as_f64().ok_or_else(invalid)?;
    if f.fract() != 0.0 || f.abs() > 1e15 {
        return Err(invalid());
    }
    format!("{f:.0}").parse().map(Some).map_err(|_| invalid())
}

/// `POST /api/v1/rooms/{id}/polls/{pid}/confirm` `{"candidate"}` or `{"slot","duration_minutes"?}`,
/// with `title`, `location` and `memo` optional (owner) → the event.
pub async fn confirm(
    State(state): State<AppState>,
    member: Member,
    Path((id, pid)): Path<(String, String)>,
    Json(body): Json<ConfirmBody>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    let minutes = whole_minutes(body.duration_minutes.as_ref())?;
    let choice = crate::polls::confirm::Choice {
        key: body.candidate.or(body.slot).unwrap_or_default(),
        duration_minutes: minutes,
        title: body.title,
        location: body.location,
        memo: body.memo,
    };
    let event = crate::polls::confirm::confirm(&state, &p, &auth.user, &choice).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(crate::events::service::to_json(&event)),
    )
        .into_response())
}

/// The poll's ETag, from its bytes: the answer also changes when nobody touches the poll — a
/// member joins or leaves (who is still waiting), someone's nickname changes — and an ETag
/// made from the poll's own row missed those, so the page's refresh kept a stale list. Hashed
/// once per answer kept in memory, not per request.
fn content_etag(body: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, body);
    let hex: String = digest.as_ref()[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}
