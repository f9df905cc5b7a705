//! The routes behind the event page's reminder settings (the section itself is drawn by the
//! event page: `events::reminder_section`): `POST /rooms/{id}/reminders` saves the member's
//! "나에게" memo switch and, for the owner, the room's two reminder times. The form works
//! without script; turning memos on without `talk_message` goes to Kakao's consent screen and
//! comes back through `GET /rooms/{id}/reminders/resume`, which finishes the switch.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use storage::Role;

use crate::auth::consent::{self, TALK_MESSAGE};
use crate::events::reminder_times as settings;
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::flash;
use crate::web::http::see_other;

/// `/rooms/{id}/reminders/resume?next=…`, where Kakao's consent screen comes back to.
pub fn resume_path(room_id: &str, next: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("next", next);
    format!("/rooms/{room_id}/reminders/resume?{}", q.finish())
}

/// Only paths of this site (never `//host`), else the room.
fn back_to(room_id: &str, next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        format!("/rooms/{room_id}")
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    /// `on` when the switch is on.
    memo: Option<String>,
    first: Option<String>,
    second: Option<String>,
    next: String,
}

fn minutes(field: &Option<String>) -> AppResult<Option<i64>> {
    match field.as_deref().map(str::trim) {
        None | Some("") | Some("-1") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            AppError::validation(
                [("before_minutes", "reminders_before_invalid")]
                    .into_iter()
                    .collect(),
            )
        }),
    }
}

/// `POST /rooms/{id}/reminders`: saves the switch (and the owner's times), then back.
pub async fn post(
    State(state): State<AppState>,
    member: Member,
    jar: CookieJar,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let room = &member.room;
    let back = back_to(&room.id, &form.next);
    if member.role == Role::Owner && (form.first.is_some() || form.second.is_some()) {
        let list: Vec<i64> = [minutes(&form.first)?, minutes(&form.second)?]
            .into_iter()
            .flatten()
            .collect();
        let list = settings::validate(&list)?;
        settings::set_before_minutes(&state, room, &list).await?;
    }
    let on = form.memo.as_deref().is_some_and(|v| v == "on" || v == "true");
    let user = &member.auth.user.id;
    if on && !state.store.reminder_memo(&room.id, user).await? {
        let missing = consent::missing_scopes(&state, user, &[TALK_MESSAGE]).await?;
        if !missing.is_empty() {
            let resume = resume_path(&room.id, &back);
            return Ok(see_other(&consent::consent_url(&missing, &resume)));
        }
    }
    state
        .store
        .set_reminder_memo(&room.id, user, on, state.now_ms())
        .await?;
    let jar = flash::add(jar, "reminders_saved", state.secure_cookies);
    Ok((jar, see_other(&back)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Resume {
    next: String,
}

/// `GET /rooms/{id}/reminders/resume?next=…`: after Kakao's consent screen, turns memos on if
/// `talk_message` is now agreed, then back.
pub async fn resume(
    State(state): State<AppState>,
    member: Member,
    jar: CookieJar,
    Query(q): Query<Resume>,
) -> AppResult<Response> {
    let room = &member.room;
    let back = back_to(&room.id, &q.next);
    let user = &member.auth.user.id;
    let missing = consent::missing_scopes(&state, user, &[TALK_MESSAGE]).await?;
    if !missing.is_empty() {
        // Consent was not given: nothing changes.
        return Ok(see_other(&back));
    }
    state
        .store
        .set_reminder_memo(&room.id, user, true, state.now_ms())
        .await?;
    let jar = flash::add(jar, "reminders_saved", state.secure_cookies);
    Ok((jar, see_other(&back)).into_response())
}
