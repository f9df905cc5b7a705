//! `GET /s/{token}/rsvp`, the second button of a shared event's card ("참석 여부 알려주기"): one
//! tap from the chat to the event's 참석·불참 buttons for a member (through login when KakaoTalk's
//! browser has no session yet), and to the room's invitation for anyone else, so the room stays
//! 404 to non-members.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::events::pages::occurrence_query;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult, login_url};
use crate::web::http::see_other;
use crate::web::session::MaybeAuth;

pub async fn rsvp(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let share = state
        .store
        .share_by_token(&token)
        .await?
        .ok_or_else(AppError::not_found)?;
    let Some(auth) = auth else {
        return Ok(see_other(&login_url(&format!("/s/{token}/rsvp"))));
    };
    let member = state.store.room_for_member(&share.room_id, &auth.user.id).await?;
    let (Some((room, _)), Some(event_id)) = (member, share.event_id.as_deref()) else {
        // Not a member (or not an event's card): the invitation, as the card's first button.
        return Ok(see_other(&format!("/s/{token}/join")));
    };
    // The card shows a series as its next occurrence: answer that one.
    let row = crate::sharing::picture::card_event(&state, &room, event_id).await?;
    let query = row
        .occurrence
        .as_deref()
        .map(occurrence_query)
        .unwrap_or_default();
    Ok(see_other(&format!(
        "/rooms/{}/events/{}{query}#rsvp",
        room.id, row.id
    )))
}
