//! Operations: liveness, readiness (the database answers) and Prometheus metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// The Prometheus text of this instance's metrics; the outbox gauges are read from the
/// database now, so they show every instance's work (the database is shared).
pub async fn metrics(State(state): State<AppState>) -> Response {
    match state.store.outbox_counts().await {
        Ok(counts) => state.metrics.outbox(&counts),
        // The request metrics are still worth having; the gauges keep their last values.
        Err(e) => tracing::warn!(error = %e, "outbox counts unavailable for /metrics"),
    }
    let (hits, misses) = state.fresh.counts();
    state
        .metrics
        .hot_reads(hits, misses, state.fresh.shared(), state.fresh.generation.bumps());
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
