//! `GET|PUT /api/v1/rooms/{id}/reminders` → `{"memo":bool,"before_minutes":[…]}`: `memo` is the
//! caller's own choice (turning it on needs `talk_message`: 403 `consent_required` with the way
//! to Kakao's consent screen and back), `before_minutes` the owner's (403 for a member). A PUT
//! changes only the fields it names.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::auth::consent::{self, TALK_MESSAGE};
use crate::events::reminder_times as settings;
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::web::error::AppResult;
use crate::web::extract::Json;

#[derive(Deserialize)]
pub struct Change {
    memo: Option<bool>,
    /// Numbers as JSON has them: `60.0` is the integer 60 to JSON Schema, so it is to us too.
    before_minutes: Option<Vec<serde_json::Number>>,
}

/// Whole minutes, or 422 for a number that is not one.
fn whole_minutes(list: &[serde_json::Number]) -> AppResult<Vec<i64>> {
    list.iter()
        .map(|n| match (n.as_i64(), n.as_f64()) {
            (Some(m), _) => Some(m),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() <= 1e9 => Some(f as i64),
            _ => None,
        })
        .collect::<Option<Vec<i64>>>()
        .ok_or_else(|| {
            crate::web::error::AppError::validation(
                [("before_minutes", "reminders_before_invalid")]
                    .into_iter()
                    .collect(),
            )
        })
}

async fn current(state: &AppState, member: &Member) -> AppResult<Response> {
    let memo = state
        .store
        .reminder_memo(&member.room.id, &member.auth.user.id)
        .await?;
    let (before, _) = settings::before_minutes(state, &member.room).await?;
    Ok(axum::Json(json!({"memo": memo, "before_minutes": before})).into_response())
}

pub async fn get(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    current(&state, &member).await
}

pub async fn put(
    State(state): State<AppState>,
    member: Member,
    Json(change): Json<Change>,
) -> AppResult<Response> {
    // Everything is checked before anything is saved.
    let before = match &change.before_minutes {
        Some(list) => {
            member.owned()?;
            Some(settings::validate(&whole_minutes(list)?)?)
        }
        None => None,
    };
    if change.memo == Some(true) {
        let missing = consent::missing_scopes(&state, &member.auth.user.id, &[TALK_MESSAGE]).await?;
        if !missing.is_empty() {
            let next =
                crate::reminders::page::resume_path(&member.room.id, &format!("/rooms/{}", member.room.id));
            return Err(consent::consent_required(&missing, &next));
        }
    }
    if let Some(list) = &before {
        settings::set_before_minutes(&state, &member.room, list).await?;
    }
    if let Some(on) = change.memo {
        state
            .store
            .set_reminder_memo(&member.room.id, &member.auth.user.id, on, state.now_ms())
            .await?;
    }
    current(&state, &member).await
}
