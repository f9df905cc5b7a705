//! The reminder settings on the event page: the member's "나에게" memo switch and, for the
//! owner, the room's two reminder times. The form works without script; turning memos on
//! without `talk_message` goes to Kakao's consent screen and comes back through
//! `GET /rooms/{id}/reminders/resume`, which finishes the switch.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use storage::{Role, Room, User};

use crate::auth::consent::{self, TALK_MESSAGE};
use crate::reminders::settings;
use crate::rooms::member::Member;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::flash;
use crate::web::http::see_other;
use i18n::Lang;

/// The times the owner picks from (minutes before; all within Kakao's limits) and their labels.
pub const CHOICES: [(i64, &str); 9] = [
    (0, "reminders-at-0"),
    (10, "reminders-at-10"),
    (30, "reminders-at-30"),
    (60, "reminders-at-60"),
    (120, "reminders-at-120"),
    (180, "reminders-at-180"),
    (1440, "reminders-at-1440"),
    (2880, "reminders-at-2880"),
    (10080, "reminders-at-10080"),
];

/// What the section shows.
pub struct ReminderSection {
    pub action: String,
    pub memo: bool,
    /// The owner's selects: `Some((first, second))` (`-1` for none) for the owner.
    pub owner_times: Option<(i64, i64)>,
    /// (minutes, label) for the selects.
    pub choices: Vec<(i64, String)>,
    /// Where to come back to.
    pub back: String,
}

pub async fn section(
    state: &AppState,
    lang: Lang,
    room: &Room,
    role: Role,
    user: &User,
    back: &str,
) -> AppResult<ReminderSection> {
    let memo = state.store.reminder_memo(&room.id, &user.id).await?;
    let owner_times = if role == Role::Owner {
        let (before, _) = settings::before_minutes(state, room).await?;
        Some((
            before.first().copied().unwrap_or(-1),
            before.get(1).copied().unwrap_or(-1),
        ))
    } else {
        None
    };
    let mut choices = vec![(-1, lang.t("reminders-at-none").to_owned())];
    choices.extend(CHOICES.iter().map(|(m, key)| (*m, lang.t(key).to_owned())));
    // A time set through the API that the list lacks stays selectable, so saving the form
    // does not drop it.
    if let Some((first, second)) = owner_times {
        for m in [first, second] {
            if m >= 0 && !choices.iter().any(|(c, _)| *c == m) {
                choices.push((m, lang.tr("reminders-at-minutes", &[("n", &m.to_string())])));
            }
        }
    }
    Ok(ReminderSection {
        action: format!("/rooms/{}/reminders", room.id),
        memo,
        owner_times,
        choices,
        back: back.to_owned(),
    })
}

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
