//! Operations: liveness, readiness (the database answers) and Prometheus metrics.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::{AppState, Metrics};

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

pub async fn metrics(State(state): State<AppState>) -> Response {
    let m = &state.metrics;
    let body = format!(
        "# HELP gachi_http_requests_total HTTP requests answered.\n# TYPE gachi_http_requests_total counter\n\
         gachi_http_requests_total {}\n\
         # HELP gachi_http_server_errors_total HTTP 5xx answers.\n# TYPE gachi_http_server_errors_total counter\n\
         gachi_http_server_errors_total {}\n\
         # HELP gachi_logins_total Completed Kakao logins.\n# TYPE gachi_logins_total counter\n\
         gachi_logins_total {}\n\
         # HELP gachi_unlink_webhooks_total Accepted Kakao unlink webhooks.\n# TYPE gachi_unlink_webhooks_total counter\n\
         gachi_unlink_webhooks_total {}\n",
        m.requests.load(Ordering::Relaxed),
        m.server_errors.load(Ordering::Relaxed),
        m.logins.load(Ordering::Relaxed),
        m.webhooks.load(Ordering::Relaxed),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Counts requests and 5xx answers.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    Metrics::inc(&state.metrics.requests);
    if resp.status().is_server_error() {
        Metrics::inc(&state.metrics.server_errors);
    }
    resp
}
