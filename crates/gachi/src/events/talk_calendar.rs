//! "Add to my Talk Calendar" (DESIGN.md item 8, issue 11): a member copies a Gachi event into
//! their own KakaoTalk calendar. `talk_calendar` is asked just in time (the consent round trip
//! comes back to finish the add), and the copy's Kakao id is remembered per (member, event).
//! This first push runs while the member waits, since they see its result.
//!
//! Later edits and the deletion of the Gachi event reach every copy through the durable
//! Talk Calendar outbox (`storage::talk_calendar_jobs`, run by [`super::talk_calendar_worker`]):
//! an edit in Gachi never fails because Kakao does, and a failed push is kept on the copy
//! (`last_error`) and shown on the account page.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storage::EventRow;

use crate::auth::consent;
use crate::events::talk_calendar_kakao::{TALK_CALENDAR, calendar_event, event_path};
use crate::events::talk_calendar_series::{Op, copy_id, delete_op, occurrence_ops, update_plan};
// The account pages call Kakao through these too.
pub use crate::events::talk_calendar_kakao::{PushError, with_token};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::http::see_other;
use crate::web::session::Auth;
use crate::web::views::PageCtx;

/// The JSON API's error for a refused push.
fn refusal(e: &PushError, next: &str) -> AppError {
    match e {
        PushError::Consent(scopes) => consent::consent_required(scopes, next),
        PushError::NotTalkUser => AppError::Refused(StatusCode::BAD_REQUEST, "talk_calendar_not_talk_user"),
        PushError::NoPermission => AppError::Refused(StatusCode::FORBIDDEN, "talk_calendar_no_permission"),
        PushError::Invalid => AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "talk_calendar_invalid"),
        PushError::Unavailable => AppError::KakaoUnavailable,
    }
}

/// Whether a push created the copy or updated the one that was there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pushed {
    Added,
    Updated,
}

impl Pushed {
    fn code(self) -> &'static str {
        match self {
            Pushed::Added => "added",
            Pushed::Updated => "updated",
        }
    }
}

/// Creates the member's copy of `row`, or updates it when there is one; remembers Kakao's id.
/// Kakao just took a call for this member, so their parked Talk Calendar work is tried again.
pub async fn push(state: &AppState, user_id: &str, row: &EventRow) -> Result<(Pushed, String), PushError> {
    let pushed = push_once(state, user_id, row).await?;
    match state
        .store
        .requeue_parked_talk_calendar_jobs(user_id, state.now_ms())
        .await
    {
        Ok(0) => {}
        Ok(_) => crate::events::talk_calendar_worker::wake(state),
        Err(e) => tracing::warn!(error = %e, "parked Talk Calendar work not requeued"),
    }
    Ok(pushed)
}

async fn push_once(state: &AppState, user_id: &str, row: &EventRow) -> Result<(Pushed, String), PushError> {
    let event = calendar_event(state, row).ok_or(PushError::Invalid)?;
    let event = crate::events::talk_calendar_alarms::with_alarms(state, row, event).await;
    let existing = state
        .store
        .talk_calendar_link(user_id, &row.id)
        .await
        .map_err(|_| PushError::Unavailable)?
        .and_then(|l| l.kakao_event_id);
    let exceptions = state
        .store
        .event_exceptions(&row.id)
        .await
        .map_err(|_| PushError::Unavailable)?;
    let now = state.now_ms();
    if let Some(kakao_id) = existing {
        let mut plan = update_plan(state, &kakao_id, row, &exceptions).ok_or(PushError::Invalid)?;
        crate::events::talk_calendar_alarms::on_plan(state, row, &mut plan).await;
        let updated = run_op(state, user_id, &plan.first).await;
        match updated {
            Ok(()) => {
                let id = plan.id;
                if plan.id_moved {
                    // The series' first instance moved: the copy's new address is kept even
                    // if an occurrence's call fails below.
                    state
                        .store
                        .put_talk_calendar_link(user_id, &row.id, &row.room_id, &id, -1, now)
                        .await
                        .map_err(|_| PushError::Unavailable)?;
                }
                run_occurrences(state, user_id, &plan.then).await?;
                state
                    .store
                    .put_talk_calendar_link(user_id, &row.id, &row.room_id, &id, row.sequence, now)
                    .await
                    .map_err(|_| PushError::Unavailable)?;
                return Ok((Pushed::Updated, id));
            }
            // The member deleted the copy in KakaoTalk: make a new one below.
            Err(PushError::Invalid) => {}
            Err(e) => return Err(e),
        }
    }
    let kakao = state.kakao.clone();
    let base = with_token(state, user_id, |token| {
        let (kakao, event) = (kakao.clone(), event.clone());
        async move { kakao.create_talk_calendar_event(&token, None, &event).await }
    })
    .await?;
    // A series' copy is addressed through its first instance from now on.
    let id = copy_id(&base, row);
    let mut ops = occurrence_ops(state, &base, row, &exceptions);
    crate::events::talk_calendar_alarms::on_ops(state, row, &mut ops).await;
    if let Err(e) = run_occurrences(state, user_id, &ops).await {
        // The copy exists: keep its id (the worker catches up the rest), then say what failed.
        state
            .store
            .put_talk_calendar_link(user_id, &row.id, &row.room_id, &id, -1, now)
            .await
            .map_err(|_| PushError::Unavailable)?;
        return Err(e);
    }
    state
        .store
        .put_talk_calendar_link(user_id, &row.id, &row.room_id, &id, row.sequence, now)
        .await
        .map_err(|_| PushError::Unavailable)?;
    Ok((Pushed::Added, id))
}

async fn run_op(state: &AppState, user_id: &str, op: &Op) -> Result<(), PushError> {
    with_token(state, user_id, |token| {
        let (kakao, op) = (state.kakao.clone(), op.clone());
        async move { op.run(&kakao, &token).await }
    })
    .await
}

/// Sends each occurrence's own change to the copy; one Kakao no longer has is left alone.
async fn run_occurrences(state: &AppState, user_id: &str, ops: &[Op]) -> Result<(), PushError> {
    for op in ops {
        match run_op(state, user_id, op).await {
            Ok(()) | Err(PushError::Invalid) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `missing_scopes` for `talk_calendar`, with Kakao being down as a [`PushError`].
async fn missing(state: &AppState, user_id: &str) -> AppResult<Result<Vec<String>, PushError>> {
    match consent::missing_scopes(state, user_id, &[TALK_CALENDAR]).await {
        Ok(m) => Ok(Ok(m)),
        Err(AppError::KakaoUnavailable) => Ok(Err(PushError::Unavailable)),
        Err(e) => Err(e),
    }
}

async fn live_event(state: &AppState, auth: &Auth, room_id: &str, event_id: &str) -> AppResult<EventRow> {
    let (room, _) = crate::rooms::service::member_room(state, room_id, &auth.user).await?;
    state
        .store
        .event(&room.id, event_id)
        .await?
        .ok_or_else(AppError::not_found)
}

fn back(room_id: &str, event_id: &str, code: &str) -> Response {
    see_other(&format!("{}?tc={code}", event_path(room_id, event_id)))
}

fn resume_path(room_id: &str, event_id: &str) -> String {
    format!("{}/talk-calendar", event_path(room_id, event_id))
}

/// `POST /rooms/{id}/events/{eid}/talk-calendar` (any member): asks for `talk_calendar` if
/// needed (remembering the wish, so the way back finishes it), then adds or updates the copy.
pub async fn add_page(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
) -> AppResult<Response> {
    let row = live_event(&state, &auth, &id, &eid).await?;
    let uid = &auth.user.id;
    let resume = resume_path(&row.room_id, &row.id);
    let scopes = match missing(&state, uid).await? {
        Ok(m) if m.is_empty() => None,
        Ok(m) => Some(m),
        Err(e) => return Ok(back(&row.room_id, &row.id, e.code())),
    };
    if let Some(scopes) = scopes {
        state
            .store
            .put_talk_calendar_intent(uid, &row.id, &row.room_id, state.now_ms())
            .await?;
        return Ok(see_other(&consent::consent_url(&scopes, &resume)));
    }
    finish(&state, uid, &row).await
}

/// `GET /rooms/{id}/events/{eid}/talk-calendar`: the way back from Kakao's consent screen. A
/// waiting add (recorded by the POST) is finished; without one it is just the event page.
pub async fn resume_page(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
) -> AppResult<Response> {
    let row = live_event(&state, &auth, &id, &eid).await?;
    let uid = &auth.user.id;
    let waiting = state
        .store
        .talk_calendar_link(uid, &row.id)
        .await?
        .is_some_and(|l| l.kakao_event_id.is_none());
    if !waiting {
        return Ok(see_other(&event_path(&row.room_id, &row.id)));
    }
    match missing(&state, uid).await? {
        Ok(m) if m.is_empty() => finish(&state, uid, &row).await,
        Ok(_) => {
            // Consent was not given: forget the wish, nothing else changed.
            state.store.delete_talk_calendar_link(uid, &row.id).await?;
            Ok(back(&row.room_id, &row.id, "consent_declined"))
        }
        Err(e) => {
            state.store.delete_talk_calendar_link(uid, &row.id).await?;
            Ok(back(&row.room_id, &row.id, e.code()))
        }
    }
}

async fn finish(state: &AppState, uid: &str, row: &EventRow) -> AppResult<Response> {
    match push(state, uid, row).await {
        Ok((done, _)) => Ok(back(&row.room_id, &row.id, done.code())),
        Err(PushError::Consent(scopes)) => {
            state
                .store
                .put_talk_calendar_intent(uid, &row.id, &row.room_id, state.now_ms())
                .await?;
            Ok(see_other(&consent::consent_url(
                &scopes,
                &resume_path(&row.room_id, &row.id),
            )))
        }
        Err(e) => {
            forget_waiting(state, uid, &row.id).await?;
            Ok(back(&row.room_id, &row.id, e.code()))
        }
    }
}

/// Drops a wish that never became a copy (an existing copy stays).
async fn forget_waiting(state: &AppState, uid: &str, event_id: &str) -> AppResult<()> {
    let link = state.store.talk_calendar_link(uid, event_id).await?;
    if link.is_some_and(|l| l.kakao_event_id.is_none()) {
        state.store.delete_talk_calendar_link(uid, event_id).await?;
    }
    Ok(())
}

/// `POST /api/v1/rooms/{id}/events/{eid}/talk-calendar`: add (or update) my copy. Missing
/// consent is the contract's 403 `consent_required`, coming back to the event page.
pub async fn add_api(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
) -> AppResult<Response> {
    let row = live_event(&state, &auth, &id, &eid).await?;
    let next = event_path(&row.room_id, &row.id);
    match missing(&state, &auth.user.id).await? {
        Ok(m) if m.is_empty() => {}
        Ok(m) => return Err(consent::consent_required(&m, &next)),
        Err(e) => return Err(refusal(&e, &next)),
    }
    match push(&state, &auth.user.id, &row).await {
        Ok((done, kakao_id)) => Ok(axum::Json(json!({
            "event_id": row.id,
            "talk_calendar_event_id": kakao_id,
            "status": done.code(),
        }))
        .into_response()),
        Err(e) => {
            forget_waiting(&state, &auth.user.id, &row.id).await?;
            Err(refusal(&e, &next))
        }
    }
}

/// `DELETE /api/v1/rooms/{id}/events/{eid}/talk-calendar`: remove my copy from my Talk Calendar.
pub async fn remove_api(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
) -> AppResult<Response> {
    let row = live_event(&state, &auth, &id, &eid).await?;
    let link = state
        .store
        .talk_calendar_link(&auth.user.id, &row.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if let Some(kakao_id) = link.kakao_event_id {
        let kakao = state.kakao.clone();
        let op = delete_op(&kakao_id);
        let removed = with_token(&state, &auth.user.id, |token| {
            let (kakao, op) = (kakao.clone(), op.clone());
            async move { op.run(&kakao, &token).await }
        })
        .await;
        match removed {
            // Already gone in KakaoTalk is as good as removed.
            Ok(_) | Err(PushError::Invalid) => {}
            Err(e) => return Err(refusal(&e, &event_path(&row.room_id, &row.id))),
        }
    }
    state
        .store
        .delete_talk_calendar_link(&auth.user.id, &row.id)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The notice the event page shows after an add (`?tc=…`): `(code, text)`, empty when none.
pub fn notice(ctx: &PageCtx) -> (String, &'static str) {
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let code = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "tc")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let key = match code.as_str() {
        "added" => "talk_calendar-notice-added",
        "updated" => "talk_calendar-notice-updated",
        "consent" | "consent_declined" => "talk_calendar-notice-consent",
        "not_talk_user" => "talk_calendar-notice-not_talk_user",
        "no_permission" => "talk_calendar-notice-no_permission",
        "invalid" => "talk_calendar-notice-invalid",
        "unavailable" => "talk_calendar-notice-unavailable",
        _ => return (String::new(), ""),
    };
    (code, ctx.tr(key))
}
