//! Reminders that ring inside KakaoTalk (issue 19): the routes that set the room's reminder
//! times (the owner's) and each member's "나에게" memo switch (`api`, `page`), when memo
//! reminders fall due in the room's zone (`schedule`), what a memo says (`memo`), and the worker
//! that sends each one once through a durable outbox (`worker`). The times themselves, which are
//! also the alarms of Talk Calendar copies, live below, with the events
//! (`events::reminder_times`), and so does the event page's section (`events::reminder_section`):
//! this folder imports `events`, never the other way round.

pub mod api;
pub mod memo;
pub mod page;
pub mod schedule;
pub mod worker;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rooms/{id}/reminders", get(api::get).put(api::put))
        .route("/rooms/{id}/reminders", post(page::post))
        .route("/rooms/{id}/reminders/resume", get(page::resume))
}
