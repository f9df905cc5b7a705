//! Reminders that ring inside KakaoTalk (issue 19): the room's reminder times (the owner's) and
//! each member's "나에게" memo switch (`settings`, `api`, `page`), when reminders fall due in the
//! room's zone (`schedule`), what a memo says (`memo`), and the worker that sends each one once
//! through a durable outbox (`worker`). The same times are the alarms of Talk Calendar copies
//! (`events::talk_calendar_alarms`).

pub mod api;
pub mod memo;
pub mod page;
pub mod schedule;
pub mod settings;
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
