//! Confirming a poll: the owner's chosen option becomes an event of the room (through the
//! events' own validation and write path), the poll closes and links to it, and the members who
//! asked for a KakaoTalk memo get one queued.

use domain::poll::{OptionKey, PollKind};
use storage::{EventRow, Role, User};

use crate::events::service as events;
use crate::polls::memos;
use crate::polls::service::Loaded;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// The owner confirms option `key`: it becomes an event of the room (through the events' own
/// validation and storage), and the poll closes and links to it.
pub async fn confirm(
    state: &AppState,
    p: &Loaded,
    user: &User,
    key: &str,
    duration_minutes: Option<i64>,
) -> AppResult<EventRow> {
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
    let key = OptionKey::parse(key.trim()).ok_or_else(bad_key)?;
    let input = p
        .shape
        .event_input(
            &key,
            duration_minutes,
            &p.row.title,
            &p.row.location,
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
