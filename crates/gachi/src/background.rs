//! The one background loop: the share outbox, the Talk Calendar outbox and the memo reminders,
//! each a round of due work, woken at once by a new share (`AppState::outbox_wake`) and every
//! `sharing::outbox::POLL` otherwise. It stands above the three features so none of them has to
//! know the others (clock moves run the same rounds: `clock.rs`).

use crate::state::AppState;
use crate::{events, reminders, sharing};

/// Starts the loop; it runs as long as the runtime does.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let (shares, calendars, memos) = tokio::join!(
                sharing::outbox::run_once(&state),
                events::talk_calendar_worker::run_once(&state),
                reminders::worker::run_once(&state)
            );
            if let Err(e) = memos {
                tracing::warn!(error = %e, "reminder round failed");
            }
            if let Err(e) = shares {
                tracing::warn!(error = %e, "outbox round failed");
            }
            if let Err(e) = calendars {
                tracing::warn!(error = %e, "Talk Calendar round failed");
            }
            tokio::select! {
                _ = state.outbox_wake.notified() => {}
                _ = tokio::time::sleep(sharing::outbox::POLL) => {}
            }
        }
    })
}
