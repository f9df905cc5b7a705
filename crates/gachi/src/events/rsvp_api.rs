//! 참석·불참 over HTTP: `PUT|DELETE /api/v1/rooms/{id}/events/{eid}/rsvp[?occurrence=…]`
//! answering with the event, and the event page's form (`POST /rooms/{id}/events/{eid}/rsvp`),
//! which works without script and comes back to the event's answers.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use storage::{EventRow, Room};

use crate::events::recurrence::{self, Target};
use crate::events::rsvp;
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Json, Query};
use crate::web::flash;
use crate::web::http::see_other;

/// `?occurrence=…` (an occurrence of a series; any RFC 3339 spelling, or the date).
#[derive(Deserialize, Default)]
pub struct At {
    occurrence: Option<String>,
}

impl At {
    fn target(self) -> Target {
        Target {
            occurrence: self.occurrence.filter(|o| !o.is_empty()),
            scope: None,
        }
    }
}

#[derive(Deserialize)]
pub struct Body {
    answer: Option<String>,
}

/// The event (or occurrence) a member answers; 404 for anything they cannot see.
async fn answered(state: &AppState, room: &Room, eid: &str, at: At) -> AppResult<EventRow> {
    let series = state
        .store
        .event(&room.id, eid)
        .await?
        .ok_or_else(AppError::not_found)?;
    recurrence::read(state, series, &at.target()).await
}

/// `PUT …/events/{eid}/rsvp` `{"answer":"yes"|"no"|"maybe"}` → 200 the event.
pub async fn put(
    State(state): State<AppState>,
    member: Member,
    Path((_, eid)): Path<(String, String)>,
    Query(at): Query<At>,
    Json(body): Json<Body>,
) -> AppResult<Response> {
    let row = answered(&state, &member.room, &eid, at).await?;
    let answer = rsvp::parse_answer(body.answer.as_deref())?;
    let me = &member.auth.user.id;
    rsvp::answer(&state, &member.room.id, &row, me, Some(answer)).await?;
    Ok(axum::Json(rsvp::with_rsvp(&state, &member.room.id, &row, me).await?).into_response())
}

/// `DELETE …/events/{eid}/rsvp` → 200 the event, without the caller's answer.
pub async fn delete(
    State(state): State<AppState>,
    member: Member,
    Path((_, eid)): Path<(String, String)>,
    Query(at): Query<At>,
) -> AppResult<Response> {
    let row = answered(&state, &member.room, &eid, at).await?;
    let me = &member.auth.user.id;
    rsvp::answer(&state, &member.room.id, &row, me, None).await?;
    Ok(axum::Json(rsvp::with_rsvp(&state, &member.room.id, &row, me).await?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    /// `yes`, `no`, `maybe`, or `withdraw`.
    answer: String,
}

/// `POST /rooms/{id}/events/{eid}/rsvp[?occurrence=…]`: the page's buttons; back to the
/// event's answers with a note.
pub async fn post_page(
    State(state): State<AppState>,
    member: Member,
    jar: CookieJar,
    Path((_, eid)): Path<(String, String)>,
    Query(at): Query<At>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let occurrence = at.occurrence.clone().filter(|o| !o.is_empty());
    let row = answered(&state, &member.room, &eid, at).await?;
    let answer = match form.answer.as_str() {
        "withdraw" => None,
        other => Some(rsvp::parse_answer(Some(other))?),
    };
    rsvp::answer(&state, &member.room.id, &row, &member.auth.user.id, answer).await?;
    let key = if answer.is_some() {
        "rsvp_saved"
    } else {
        "rsvp_withdrawn"
    };
    let query = occurrence
        .as_deref()
        .map(crate::events::pages::occurrence_query)
        .unwrap_or_default();
    let jar = flash::add(jar, key, state.secure_cookies);
    Ok((
        jar,
        see_other(&format!(
            "/rooms/{}/events/{}{query}#rsvp",
            member.room.id, row.id
        )),
    )
        .into_response())
}
