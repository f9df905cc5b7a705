//! `GET|POST /_test/clock` (only with `--test-clock`): tests that run Gachi against a standalone
//! sandbox move Gachi's clock here and the sandbox's at its own `/_admin/clock`. A move runs the
//! outbox's due work (retries, deferrals whose KST day came) before it answers.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::state::AppState;

pub async fn get(State(state): State<AppState>) -> Response {
    axum::Json(json!({"now": state.clock.now().to_string()})).into_response()
}

#[derive(Deserialize)]
struct Change {
    advance_seconds: Option<i64>,
    set: Option<String>,
}

pub async fn post(State(state): State<AppState>, body: Bytes) -> Response {
    let Ok(change) = serde_json::from_slice::<Change>(&body) else {
        return (StatusCode::BAD_REQUEST, "invalid JSON").into_response();
    };
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
            if let Err(e) = crate::outbox::run_once(&state).await {
                tracing::warn!(error = ?e.code, "outbox round after a clock move failed");
            }
            axum::Json(json!({"now": now.to_string()})).into_response()
        }
        Err(_) => (StatusCode::BAD_REQUEST, "the clock only moves forward").into_response(),
    }
}
