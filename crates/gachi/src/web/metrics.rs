//! The request middleware that times and counts every answer by route, and the upkeep task,
//! over the per-instance recorder in `state::metrics`.

use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;
use crate::state::metrics::UNMATCHED;

/// Counts every answer by matched route, method and status, and times it.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only the standard methods name a series; anything else a client makes up is `other`.
    let method = match *req.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    // Named by `web::trace::note_route` inside the routes; none matched otherwise.
    let route = resp.extensions().get::<MatchedPath>();
    state.metrics.request(
        route.map_or(UNMATCHED, MatchedPath::as_str),
        method,
        resp.status().as_u16(),
        started.elapsed(),
    );
    resp
}

/// Keeps latency samples from piling up between scrapes. Holds the state weakly, so it ends
/// with the server.
pub fn spawn_upkeep(state: &AppState) {
    let weak = state.downgrade();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            match AppState::upgrade(&weak) {
                Some(state) => state.metrics.upkeep(),
                None => break,
            }
        }
    });
}
