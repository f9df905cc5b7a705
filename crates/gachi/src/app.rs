//! The router: `fn app(state) -> Router` merges the feature routers and adds the layers every
//! request passes; `serve` runs it on a bound listener with a shutdown future (tests bind
//! port 0) and starts the background work.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::{csrf, error_page, metrics, path_guard, security, trace};
use crate::{account, auth, clock, events, polls, rooms, sharing, web};

/// Request bodies above this are refused (413): room names and events are small.
const BODY_LIMIT: usize = 64 * 1024;

pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .merge(web::router())
        .merge(auth::router(&state))
        .merge(rooms::router())
        .merge(events::router())
        .merge(polls::router())
        .merge(sharing::router())
        .merge(account::router());
    if state.config.test_clock {
        router = router.route("/_test/clock", get(clock::get).post(clock::post));
    }
    let mut router = router
        .fallback(|| async { AppError::not_found() })
        .layer(from_fn(path_guard::refuse_control_characters))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), csrf::check))
        .layer(from_fn(error_page::render_errors))
        .layer(from_fn(security::headers))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .with_state(state.clone());
    // The sandbox keeps its own pages and rules; it exists only without real Kakao keys.
    if let Some(sandbox) = &state.sandbox {
        router = router.nest("/_kakao", sandbox.router());
    }
    // Outermost, over the sandbox's routes too: its requests get ids and spans as well.
    trace::layer(router)
}

/// Serves `state` on `listener` until `shutdown` resolves (then finishes in-flight requests).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Some(sandbox) = &state.sandbox {
        sandbox.spawn_sweeper();
    }
    clock::follow_sandbox_clock(&state);
    metrics::spawn_upkeep(&state);
    sharing::outbox::spawn(state.clone());
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
