//! "Add to my Talk Calendar" (DESIGN.md item 8, issue 11): a member copies a Gachi event into
//! their own KakaoTalk calendar. `talk_calendar` is asked just in time (the consent round trip
//! comes back to finish the add), the copy's Kakao id is remembered per (member, event), later
//! edits of the Gachi event are pushed to every copy, and deleting the event removes them.
//!
//! Pushes after edits and deletions run in the background ([`sync_event`], [`remove_event`]):
//! an edit in Gachi never fails because Kakao does. A failed push is kept on the copy
//! (`last_error`) and shown on the account page. Kakao's limits are met before sending: title
//! and place cut to 50 characters, times widened to 5-minute steps in UTC, all-day events from
//! 00:00Z of the first day to 00:00Z of the day after the last (kakao-platform.md §13).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use kakao::talk_calendar::{
    CalendarEvent, EventLocation, EventTime, MAX_DESCRIPTION_CHARS, MAX_LOCATION_NAME_CHARS, MAX_TITLE_CHARS,
    MINUTE_STEP,
};
use kakao::{AccessToken, ErrorKind, KakaoError};
use serde_json::json;
use storage::EventRow;

use crate::auth::consent;
use crate::auth::tokens::{TokenError, access_token};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::http::see_other;
use crate::web::session::Auth;
use crate::web::views::PageCtx;

pub const TALK_CALENDAR: &str = "talk_calendar";

/// Why a push to Kakao did not work, as the catalogue names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushError {
    /// `-402`, or no usable tokens: the member must agree (again) to these scopes.
    Consent(Vec<String>),
    /// `-501`: the member has no KakaoTalk.
    NotTalkUser,
    /// `-5`/`-3`: the app may not use Talk Calendar for this member.
    NoPermission,
    /// `-2`: Kakao refused the event.
    Invalid,
    /// Kakao could not be reached or failed.
    Unavailable,
}

impl PushError {
    /// The short code used in `?tc=` and in `last_error`.
    pub fn code(&self) -> &'static str {
        match self {
            PushError::Consent(_) => "consent",
            PushError::NotTalkUser => "not_talk_user",
            PushError::NoPermission => "no_permission",
            PushError::Invalid => "invalid",
            PushError::Unavailable => "unavailable",
        }
    }

    /// The JSON API's error for it.
    pub fn app_error(&self, next: &str) -> AppError {
        match self {
            PushError::Consent(scopes) => consent::consent_required(scopes, next),
            PushError::NotTalkUser => {
                AppError::Refused(StatusCode::BAD_REQUEST, "talk_calendar_not_talk_user")
            }
            PushError::NoPermission => {
                AppError::Refused(StatusCode::FORBIDDEN, "talk_calendar_no_permission")
            }
            PushError::Invalid => {
                AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "talk_calendar_invalid")
            }
            PushError::Unavailable => AppError::KakaoUnavailable,
        }
    }

    fn from_kakao(err: &KakaoError) -> Self {
        match (err.kind(), err.api_code()) {
            (ErrorKind::NeedsConsent(scopes), _) => PushError::Consent(if scopes.is_empty() {
                vec![TALK_CALENDAR.into()]
            } else {
                scopes
            }),
            (ErrorKind::NeedsLogin, _) => PushError::Consent(vec![TALK_CALENDAR.into()]),
            (_, Some(-501)) => PushError::NotTalkUser,
            (_, Some(-5 | -3)) => PushError::NoPermission,
            (_, Some(-2)) => PushError::Invalid,
            _ => PushError::Unavailable,
        }
    }
}

/// Runs `call` with the user's access token, refreshing it once after a `-401`.
pub async fn with_token<T, F, Fut>(state: &AppState, user_id: &str, call: F) -> Result<T, PushError>
where
    F: Fn(AccessToken) -> Fut,
    Fut: std::future::Future<Output = Result<T, KakaoError>>,
{
    let mut force = false;
    loop {
        let token = match access_token(state, user_id, force).await {
            Ok(t) => t,
            Err(TokenError::NeedsLogin) => return Err(PushError::Consent(vec![TALK_CALENDAR.into()])),
            Err(e) => {
                tracing::warn!(error = %e, "no Kakao token for Talk Calendar");
                return Err(PushError::Unavailable);
            }
        };
        match call(token).await {
            Ok(v) => return Ok(v),
            Err(e) if e.kind() == ErrorKind::TokenExpired && !force => force = true,
            Err(e) => {
                tracing::info!(error = %e, "Talk Calendar call failed");
                return Err(PushError::from_kakao(&e));
            }
        }
    }
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The event as Kakao's Talk Calendar takes it; `event_url` leads back to Gachi.
pub fn to_kakao(row: &EventRow, event_url: &str) -> Option<CalendarEvent> {
    let time = if row.all_day != 0 {
        let first = row.start_date.as_deref()?.parse().ok()?;
        let last = row.end_date.as_deref()?.parse().ok()?;
        EventTime::all_day(first, last, &row.time_zone)
    } else {
        let step = MINUTE_STEP * 60;
        let start = Timestamp::from_millisecond(row.starts_at?).ok()?.as_second();
        let end = Timestamp::from_millisecond(row.ends_at?).ok()?.as_second();
        let start = start - start.rem_euclid(step);
        let end = (end + (step - end.rem_euclid(step)) % step).max(start + step);
        EventTime::timed(
            Timestamp::from_second(start).ok()?,
            Timestamp::from_second(end).ok()?,
            &row.time_zone,
        )
    };
    let link = format!("\n\n{event_url}");
    let room_for_memo = MAX_DESCRIPTION_CHARS.saturating_sub(link.chars().count());
    let description = format!("{}{link}", cut(row.memo.trim(), room_for_memo));
    Some(CalendarEvent {
        title: Some(cut(&row.title, MAX_TITLE_CHARS)),
        time: Some(time),
        description: Some(description.trim_start().to_owned()),
        location: Some(EventLocation {
            name: Some(cut(&row.location, MAX_LOCATION_NAME_CHARS)),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn event_path(room_id: &str, event_id: &str) -> String {
    format!("/rooms/{room_id}/events/{event_id}")
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
pub async fn push(state: &AppState, user_id: &str, row: &EventRow) -> Result<(Pushed, String), PushError> {
    let url = format!("{}{}", state.public_url, event_path(&row.room_id, &row.id));
    let event = to_kakao(row, &url).ok_or(PushError::Invalid)?;
    let existing = state
        .store
        .talk_calendar_link(user_id, &row.id)
        .await
        .map_err(|_| PushError::Unavailable)?
        .and_then(|l| l.kakao_event_id);
    let now = state.now_ms();
    if let Some(kakao_id) = existing {
        let kakao = state.kakao.clone();
        let updated = with_token(state, user_id, |token| {
            let (kakao, id, event) = (kakao.clone(), kakao_id.clone(), event.clone());
            async move { kakao.update_talk_calendar_event(&token, &id, &event).await }
        })
        .await;
        match updated {
            Ok(id) => {
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
    let id = with_token(state, user_id, |token| {
        let (kakao, event) = (kakao.clone(), event.clone());
        async move { kakao.create_talk_calendar_event(&token, None, &event).await }
    })
    .await?;
    state
        .store
        .put_talk_calendar_link(user_id, &row.id, &row.room_id, &id, row.sequence, now)
        .await
        .map_err(|_| PushError::Unavailable)?;
    Ok((Pushed::Added, id))
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
        Err(e) => return Err(e.app_error(&next)),
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
            Err(e.app_error(&next))
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
        let removed = with_token(&state, &auth.user.id, |token| {
            let (kakao, id) = (kakao.clone(), kakao_id.clone());
            async move { kakao.delete_talk_calendar_event(&token, &id).await }
        })
        .await;
        match removed {
            // Already gone in KakaoTalk is as good as removed.
            Ok(_) | Err(PushError::Invalid) => {}
            Err(e) => return Err(e.app_error(&event_path(&row.room_id, &row.id))),
        }
    }
    state
        .store
        .delete_talk_calendar_link(&auth.user.id, &row.id)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// After an edit of the Gachi event: push it to every member's copy, in the background.
pub fn sync_event(state: &AppState, room_id: &str, event_id: &str) {
    let (state, room_id, event_id) = (state.clone(), room_id.to_owned(), event_id.to_owned());
    tokio::spawn(async move {
        if let Err(e) = sync_now(&state, &room_id, &event_id).await {
            tracing::warn!(error = %e, "Talk Calendar sync failed");
        }
    });
}

/// Pushes the event's current version to every copy that is behind. Re-reads after pushing,
/// so two quick edits never leave an older version in KakaoTalk.
pub async fn sync_now(state: &AppState, room_id: &str, event_id: &str) -> AppResult<()> {
    for _ in 0..3 {
        let Some(row) = state.store.event(room_id, event_id).await? else {
            return Ok(());
        };
        let links = state.store.talk_calendar_links_for_event(event_id).await?;
        let behind: Vec<_> = links
            .into_iter()
            .filter(|l| l.kakao_event_id.is_some() && l.synced_sequence < row.sequence)
            .collect();
        if behind.is_empty() {
            return Ok(());
        }
        for link in behind {
            if let Err(e) = push(state, &link.user_id, &row).await {
                state
                    .store
                    .set_talk_calendar_error(&link.user_id, event_id, e.code(), state.now_ms())
                    .await?;
            }
        }
        let latest = state.store.event(room_id, event_id).await?;
        if latest.is_none_or(|l| l.sequence == row.sequence) {
            return Ok(());
        }
    }
    Ok(())
}

/// After the Gachi event was deleted: remove every member's copy, in the background.
pub fn remove_event(state: &AppState, _room_id: &str, event_id: &str) {
    let (state, event_id) = (state.clone(), event_id.to_owned());
    tokio::spawn(async move {
        if let Err(e) = remove_now(&state, &event_id).await {
            tracing::warn!(error = %e, "Talk Calendar removal failed");
        }
    });
}

pub async fn remove_now(state: &AppState, event_id: &str) -> AppResult<()> {
    for link in state.store.talk_calendar_links_for_event(event_id).await? {
        if let Some(kakao_id) = &link.kakao_event_id {
            let kakao = state.kakao.clone();
            let removed = with_token(state, &link.user_id, |token| {
                let (kakao, id) = (kakao.clone(), kakao_id.clone());
                async move { kakao.delete_talk_calendar_event(&token, &id).await }
            })
            .await;
            if let Err(e) = removed
                && e != PushError::Invalid
            {
                state
                    .store
                    .set_talk_calendar_error(&link.user_id, event_id, "delete_failed", state.now_ms())
                    .await?;
                continue;
            }
        }
        state
            .store
            .delete_talk_calendar_link(&link.user_id, event_id)
            .await?;
    }
    Ok(())
}

/// The notice the event page shows after an add (`?tc=…`): `(code, text)`, empty when none.
pub fn notice(ctx: &PageCtx) -> (String, &'static str) {
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let code = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "tc")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let key = match code.as_str() {
        "added" => "talk_calendar.notice.added",
        "updated" => "talk_calendar.notice.updated",
        "consent" | "consent_declined" => "talk_calendar.notice.consent",
        "not_talk_user" => "talk_calendar.notice.not_talk_user",
        "no_permission" => "talk_calendar.notice.no_permission",
        "invalid" => "talk_calendar.notice.invalid",
        "unavailable" => "talk_calendar.notice.unavailable",
        _ => return (String::new(), ""),
    };
    (code, ctx.tr(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(all_day: bool) -> EventRow {
        EventRow {
            id: "e1".into(),
            room_id: "r1".into(),
            title: "가".repeat(60),
            all_day: i64::from(all_day),
            starts_at: Some(1_798_106_580_000), // 2026-12-24T10:03:00Z
            ends_at: Some(1_798_113_720_000),   // 2026-12-24T12:02:00Z
            start_date: Some("2026-12-24".into()),
            end_date: Some("2026-12-25".into()),
            time_zone: "Asia/Seoul".into(),
            location: "나".repeat(60),
            memo: "메모".into(),
            created_by: "u1".into(),
            sequence: 0,
            span_start: 0,
            span_end: 0,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
        }
    }

    #[test]
    fn events_are_fitted_to_kakaos_limits() {
        let e = to_kakao(&row(false), "https://gachi.example/rooms/r1/events/e1").unwrap();
        assert_eq!(e.title.unwrap().chars().count(), 50);
        assert_eq!(e.location.unwrap().name.unwrap().chars().count(), 50);
        let time = e.time.unwrap();
        assert_eq!(
            time.start_at, "2026-12-24T10:00:00Z",
            "start floored to 5 minutes"
        );
        assert_eq!(time.end_at, "2026-12-24T12:05:00Z", "end raised to 5 minutes");
        assert!(e.description.unwrap().ends_with("/rooms/r1/events/e1"));
    }

    #[test]
    fn all_day_runs_to_the_day_after_the_last() {
        let time = to_kakao(&row(true), "u").unwrap().time.unwrap();
        assert_eq!(time.start_at, "2026-12-24T00:00:00Z");
        assert_eq!(time.end_at, "2026-12-26T00:00:00Z");
        assert!(time.all_day);
    }
}
