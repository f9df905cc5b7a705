//! The router: `fn app(state) -> Router` merges the feature routers and adds the layers every
//! request passes; `serve` runs it on a bound listener with a shutdown future (tests bind
//! port 0) and starts the background work. `serve` runs its own accept loop because
//! `axum::serve` gives hyper no timer, so a client that never finishes its headers would hold
//! its connection for ever.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit};
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::{every_request, fresh, metrics, trace};
use crate::{account, auth, clock, events, polls, rooms, sharing, web};

/// Request bodies above this are refused (413): room names and events are small.
const BODY_LIMIT: usize = 64 * 1024;

pub fn app(state: AppState) -> Router {
    let request_timeout = Duration::from_millis(state.config.request_timeout_ms.max(1));
    let mut routes = Router::new()
        .merge(web::router())
        .merge(auth::router(&state))
        .merge(rooms::router(&state))
        .merge(events::router())
        .merge(polls::router())
        .merge(crate::reminders::router())
        .merge(sharing::router())
        .merge(account::router());
    if state.config.test_clock {
        routes = routes.route("/_test/clock", get(clock::get).post(clock::post));
    }
    let routes = routes
        // The one layer inside the routes: it hands the matched route's pattern to the layers
        // outside, which run before routing (see below) and so cannot read it themselves.
        .route_layer(from_fn(trace::note_route))
        .fallback(|| async { AppError::not_found() })
        .with_state(state.clone());
    // The layers every page and API request passes, around the routes as a whole, so they run
    // once per request. Laid on the router with `Router::layer`, each would be copied into every
    // route and cloned, layer inside layer, on every request — a quarter of a loaded server's
    // time in issue 22's profile. The concerns that used to be a `from_fn` layer each are one
    // middleware (`web::every_request`). Outermost first.
    let web = tower::ServiceBuilder::new()
        .layer(from_fn_with_state(state.clone(), every_request::around))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Inside the error renderer, so the bare 408 is answered like every other error.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .service(routes);
    let mut router = Router::new().fallback_service(web);
    // The sandbox keeps its own pages and rules; it exists only without real Kakao keys.
    if let Some(sandbox) = &state.sandbox {
        router = router.nest("/_kakao", sandbox.router());
    }
    // Over the sandbox's routes too: a clock move runs Gachi's due work, which writes.
    let router = router.layer(from_fn_with_state(state.clone(), fresh::read_or_bump));
    // Outermost, over the sandbox's routes too: its requests get ids and spans as well.
    trace::layer(router)
}

/// Serves `state` on `listener` until `shutdown` resolves (then finishes in-flight requests).
/// HTTP/1.1 only: hyper's header-read timeout is an HTTP/1 setting, and h2c (HTTP/2 without
/// TLS) is not something browsers speak; a TLS-terminating proxy in front may still offer h2.
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
    crate::state::fresh::spawn_watch(&state);
    crate::background::spawn(state.clone());
    let header_timeout = Duration::from_millis(state.config.header_timeout_ms.max(1));
    let router = app(state);
    // Every connection holds a receiver: a send asks them to finish, and `closed` on the sender
    // resolves once the last one has.
    let (close_tx, close_rx) = tokio::sync::watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning, as
                    // axum::serve does.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are written whole; Nagle's algorithm would only hold back their last segment
        // until the client acknowledges the previous ones.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, %peer, "could not set TCP_NODELAY");
        }
        let router = router.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
            let mut req = req.map(Body::new);
            // What `ConnectInfo<SocketAddr>` extractors and the rate limiters read.
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req)
        });
        let mut closing = close_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let mut conn = pin!(
                builder
                    .serve_connection(TokioIo::new(stream), service)
                    .with_upgrades()
            );
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, %peer, "connection ended");
                    }
                    return;
                }
                _ = closing.changed() => conn.as_mut().graceful_shutdown(),
            }
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended during shutdown");
            }
            drop(closing);
        });
    }
    drop(close_rx);
    // Nobody may be listening any more; that is fine.
    let _ = close_tx.send(());
    close_tx.closed().await;
    Ok(())
}
