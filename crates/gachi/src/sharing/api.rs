//! The sharing JSON API: `POST /rooms/{id}/shares`, `GET /shares/{id}`, resend, cancel and
//! revoking the public link.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::rooms::member::Member;
use crate::sharing::service::{ShareInput, create, room_share};
use crate::sharing::status::share_json;
use crate::state::AppState;
use crate::state::fresh::Answer;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{AcceptLang, Json};
use crate::web::session::Auth;

/// `POST /api/v1/rooms/{id}/shares`.
pub async fn create_api(
    State(state): State<AppState>,
    member: Member,
    AcceptLang(lang): AcceptLang,
    Path(room_id): Path<String>,
    Json(input): Json<ShareInput>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let share = create(&state, &auth.user, &room_id, &input, lang).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(share_json(&state, &share, lang).await?),
    )
        .into_response())
}

/// `GET /api/v1/shares/{id}`.
pub async fn get_api(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path(id): Path<String>,
) -> AppResult<Response> {
    // The owner's page reads this every second while a share goes out; between the outbox's
    // writes the answer is the same bytes (per reader, so the key carries who may see it).
    let key = format!("share:{id}:{}:{}", auth.user.id, lang.code());
    let answer = state
        .fresh
        .answer(Some(key), state.now_ms(), || async {
            let share = room_share(&state, &id, &auth.user).await?;
            let body =
                serde_json::to_vec(&share_json(&state, &share, lang).await?).map_err(AppError::internal)?;
            Ok::<_, AppError>(Answer {
                gzip: None,
                body: Bytes::from(body),
                etag: None,
                until: i64::MAX,
            })
        })
        .await?;
    Ok(json_bytes(answer.body))
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(Deserialize)]
pub struct ResendInput {
    #[serde(default)]
    uuids: Vec<String>,
}

/// `POST /api/v1/shares/{id}/resend` `{"uuids":[…]}`: only receivers whose message is
/// `unknown` or `failed` are queued again (never one that was `sent`, is waiting, or is in a
/// call). Resending an `unknown` one is the owner's call: its first message may have arrived.
pub async fn resend_api(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path(id): Path<String>,
    Json(input): Json<ResendInput>,
) -> AppResult<Response> {
    let share = room_share(&state, &id, &auth.user).await?;
    if state
        .store
        .requeue_recipients(&share.id, &input.uuids, state.now_ms())
        .await?
        > 0
    {
        state.outbox_wake.notify_one();
    }
    Ok(axum::Json(share_json(&state, &share, lang).await?).into_response())
}

/// `POST /api/v1/shares/{id}/cancel`: what has not gone stays unsent (queued, deferred, waiting
/// for consent, or claimed by a worker whose call has not started); calls already made stand.
pub async fn cancel_api(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let share = room_share(&state, &id, &auth.user).await?;
    state.store.cancel_recipients(&share.id, state.now_ms()).await?;
    Ok(axum::Json(share_json(&state, &share, lang).await?).into_response())
}

/// `DELETE /api/v1/shares/{id}/link`: the public page answers 404 from now on.
pub async fn revoke_link_api(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let share = room_share(&state, &id, &auth.user).await?;
    state.store.revoke_share_link(&share.id, state.now_ms()).await?;
    let share = room_share(&state, &id, &auth.user).await?;
    Ok(axum::Json(share_json(&state, &share, lang).await?).into_response())
}
