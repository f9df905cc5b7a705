//! Confirming a poll: the owner's chosen range (its first option and a length) becomes an event
//! of the room with the title, place and memo the owner gives it (through the events' own
//! validation and write path), the poll closes and links to it, and the members who asked for a
//! KakaoTalk memo get one queued.

use domain::poll::{EventDetails, OptionKey, PollKind};
use storage::{EventRow, Role, User};

use crate::events::service as events;
use crate::polls::memos;
use crate::polls::service::Loaded;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// What the owner sends: the range's first option, its length (a grid's; 60 minutes when left
/// out) and the event's details. Left out, the title is the room's name — the poll's title is a
/// question ("송년회 날짜 정하기"), not what the calendar should say — and the place the poll's.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub key: String,
    pub duration_minutes: Option<i64>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub memo: Option<String>,
}

impl Choice {
    fn details(&self, p: &Loaded) -> EventDetails {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).map(str::to_owned);
        EventDetails {
            title: given(&self.title)
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| p.room.name.clone()),
            location: given(&self.location).unwrap_or_else(|| p.row.location.clone()),
            memo: given(&self.memo).unwrap_or_default(),
        }
    }
}

/// The owner confirms: the chosen range becomes an event of the room (through the events' own
/// validation and storage), and the poll closes and links to it.
pub async fn confirm(state: &AppState, p: &Loaded, user: &User, choice: &Choice) -> AppResult<EventRow> {
    if p.role != Role::Owner {
        return Err(AppError::forbidden());
    }
    if p.row.confirmed_key.is_some() {
        return Err(AppError::conflict("poll_confirmed"));
    }
    let bad_key = || {
        let msg = match p.shape.kind {
            PollKind::Grid => "poll-slot_outside_grid",
            PollKind::Days => "poll-candidate_unknown",
        };
        AppError::validation([("slot", msg)].into_iter().collect())
    };
    let key = OptionKey::parse(choice.key.trim()).ok_or_else(bad_key)?;
    let input = p
        .shape
        .event_input(
            &key,
            choice.duration_minutes,
            &choice.details(p),
            &p.row.time_zone,
        )
        .map_err(AppError::validation)?;
    let valid = events::validate(&input, &p.room)?;
    let now = state.now_ms();
    if !state
        .store
        .claim_poll_confirmation(&p.row.id, &key.to_string(), now)
        .await?
    {
        return Err(AppError::conflict("poll_confirmed"));
    }
    // The same write path as the pages and the API.
    let created = events::create(state, &p.room, user, &valid).await;
    match created {
        Ok(event) => {
            state.store.set_poll_event(&p.row.id, &event.id, now).await?;
            // The event exists whatever happens next; a memo that cannot be queued is logged.
            if let Err(e) = memos::queue(state, p, &event).await {
                tracing::warn!(error = %e, "poll memos could not be queued");
            }
            Ok(event)
        }
        Err(e) => {
            state.store.release_poll_confirmation(&p.row.id).await?;
            Err(e)
        }
    }
}
