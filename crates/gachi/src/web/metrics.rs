//! Timing and counting every answer by route (called from `web::every_request`), and the
//! upkeep task, over the per-instance recorder in `state::metrics`.

use std::time::{Duration, Instant};

use axum::extract::MatchedPath;
use axum::http::Method;
use axum::response::Response;

use crate::state::AppState;
use crate::state::metrics::UNMATCHED;

/// The method's name in a series: only the standard methods name one; anything else a client
/// makes up is `other`.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts `resp` by matched route, method and status, and times it from `started`.
pub fn record(state: &AppState, method: &'static str, started: Instant, resp: &Response) {
    // Named by `web::trace::note_route` inside the routes; none matched otherwise.
    let route = resp.extensions().get::<MatchedPath>();
    state.metrics.request(
        route.map_or(UNMATCHED, MatchedPath::as_str),
        method,
        resp.status().as_u16(),
        started.elapsed(),
    );
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
