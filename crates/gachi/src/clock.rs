//! Moving time (DESIGN.md "Time"): whatever became due when the clock moves (outbox retries,
//! deferrals whose KST day came, Talk Calendar retries, reminders that fell due) runs before the
//! move answers. Two doors
//! lead here: the in-process sandbox's `/_kakao/_admin/clock` (through [`follow_sandbox_clock`]) and
//! `GET|POST /_test/clock` (only with `--test-clock`), with which tests that run Gachi against
//! a standalone sandbox move Gachi's clock.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::state::AppState;
use crate::web::extract::Json;

/// One clock move at `/_kakao/_admin/clock` also runs Gachi's due work (the state is held
/// weakly: the sandbox lives inside it).
pub fn follow_sandbox_clock(state: &AppState) {
    let Some(sandbox) = &state.sandbox else { return };
    let weak = state.downgrade();
    sandbox.on_clock_moved(Arc::new(move || {
        let weak = weak.clone();
        Box::pin(async move {
            if let Some(state) = AppState::upgrade(&weak) {
                run_due(&state).await;
            }
        })
    }));
}

async fn run_due(state: &AppState) {
    if let Err(e) = crate::sharing::outbox::run_once(state).await {
        tracing::warn!(error = %e, "outbox round after a clock move failed");
    }
    if let Err(e) = crate::events::talk_calendar_worker::run_once(state).await {
        tracing::warn!(error = %e, "Talk Calendar round after a clock move failed");
    }
    if let Err(e) = crate::reminders::worker::run_once(state).await {
        tracing::warn!(error = %e, "reminder round after a clock move failed");
    }
}

pub async fn get(State(state): State<AppState>) -> Response {
    axum::Json(json!({"now": state.clock.now().to_string()})).into_response()
}

#[derive(Deserialize)]
pub struct Change {
    advance_seconds: Option<i64>,
    set: Option<String>,
}

pub async fn post(State(state): State<AppState>, Json(change): Json<Change>) -> Response {
    let moved = match (
        change.advance_seconds,
        change.set.as_deref().map(str::parse::<jiff::Timestamp>),
    ) {
        (Some(s), None) => state.clock.advance(s),
        (None, Some(Ok(t))) => state.clock.set(t),
        _ => return (StatusCode::BAD_REQUEST, "give advance_seconds or set (RFC 3339)").into_response(),
    };
    match moved {
        Ok(now) => {
            // DESIGN.md "Time": whatever became due (outbox retries, deferrals) runs first.
            run_due(&state).await;
            axum::Json(json!({"now": now.to_string()})).into_response()
        }
        Err(_) => (StatusCode::BAD_REQUEST, "the clock only moves forward").into_response(),
    }
}
