//! "Tell me on KakaoTalk when it's decided": a member opts in on the poll page (asked for
//! `talk_message` just in time), and when the owner confirms a slot each opted-in member gets a
//! "to me" memo of the new event's card through the share outbox (never twice, like any share).
//! Each memo speaks its receiver's language (the one they last used Gachi in), not the owner's.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::share::{Channel, Layout};
use i18n::Lang;
use serde::Deserialize;
use serde_json::json;
use storage::{EventRow, NewRecipient, NewShare, User};

use crate::auth::consent::{self, TALK_MESSAGE};
use crate::polls::service::{self as polls, Loaded};
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Json;
use crate::web::extract::{Form, Query};
use crate::web::http::see_other;
use crate::web::session::Auth;

fn poll_path(p: &Loaded) -> String {
    format!("/rooms/{}/polls/{}", p.room.id, p.row.id)
}

/// Turns the member's memo wish on (after checking `talk_message`) or off.
pub async fn set(state: &AppState, p: &Loaded, user: &User, on: bool) -> AppResult<()> {
    if on {
        let missing = consent::missing_scopes(state, &user.id, &[TALK_MESSAGE]).await?;
        if !missing.is_empty() {
            return Err(consent::consent_required(
                &missing,
                &format!("{}/memo?on=1", poll_path(p)),
            ));
        }
    }
    state
        .store
        .set_poll_memo(&p.row.id, &user.id, on, state.now_ms())
        .await?;
    Ok(())
}

/// Queues a "to me" memo of `event`'s card for every member who opted in. Called once, when the
/// poll is confirmed; each memo is an ordinary share, so the outbox's guarantees hold.
pub async fn queue(state: &AppState, p: &Loaded, event: &EventRow) -> AppResult<usize> {
    let wanted = state.store.poll_memo_users(&p.row.id).await?;
    let now = state.now_ms();
    for (user_id, nickname, lang) in &wanted {
        // Unknown or unexpected: Korean, as for anyone who has not said otherwise.
        let lang = lang.as_deref().and_then(Lang::parse).unwrap_or_default();
        state
            .store
            .create_share(
                &NewShare {
                    room_id: p.room.id.clone(),
                    owner_id: user_id.clone(),
                    layout: Layout::Card,
                    event_id: Some(event.id.clone()),
                    date: None,
                    channel: Channel::Memo,
                    lang: lang.code().into(),
                },
                &[NewRecipient {
                    uuid: crate::sharing::service::ME.to_owned(),
                    nickname: nickname.clone(),
                }],
                now,
            )
            .await?;
    }
    if !wanted.is_empty() {
        state.outbox_wake.notify_one();
    }
    Ok(wanted.len())
}

/// The checkbox form: a hidden `on=0` and, when ticked, `on=1` after it.
#[derive(Deserialize)]
pub struct MemoForm {
    #[serde(default)]
    on: Vec<String>,
}

/// `POST /rooms/{id}/polls/{pid}/memo` (form `on=1|0`): the page's checkbox. A missing consent
/// goes through Kakao's consent screen and comes back to [`finish_page`].
pub async fn set_page(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
    Form(form): Form<MemoForm>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    let on = form.on.iter().any(|v| v == "1");
    match set(&state, &p, &auth.user, on).await {
        Ok(()) => Ok(see_other(&poll_path(&p))),
        Err(e @ AppError::ConsentRequired { .. }) => Ok(see_other(&e.consent_url().unwrap_or_default())),
        Err(e) => Err(e),
    }
}

/// `?on=1`: the opt-in to finish after Kakao's consent screen.
#[derive(serde::Deserialize)]
pub struct MemoQuery {
    on: Option<String>,
}

/// `GET /rooms/{id}/polls/{pid}/memo?on=1`: back from Kakao's consent screen; finishes the
/// opt-in if the consent was given (a refusal just returns to the poll, nothing changed).
pub async fn finish_page(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
    Query(q): Query<MemoQuery>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    if q.on.as_deref() == Some("1") {
        let missing = consent::missing_scopes(&state, &auth.user.id, &[TALK_MESSAGE]).await?;
        if missing.is_empty() {
            state
                .store
                .set_poll_memo(&p.row.id, &auth.user.id, true, state.now_ms())
                .await?;
        }
    }
    Ok(see_other(&poll_path(&p)))
}

#[derive(Deserialize)]
pub struct MemoInput {
    on: bool,
}

/// `PUT /api/v1/rooms/{id}/polls/{pid}/memo` `{"on": bool}`; 403 `consent_required` when
/// `talk_message` is missing.
pub async fn set_api(
    State(state): State<AppState>,
    member: Member,
    Path((id, pid)): Path<(String, String)>,
    Json(input): Json<MemoInput>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    set(&state, &p, &auth.user, input.on).await?;
    Ok(axum::Json(json!({"memo": input.on})).into_response())
}
