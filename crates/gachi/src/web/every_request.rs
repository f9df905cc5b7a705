//! What every page and API request passes, in one middleware and in this order: metrics and
//! security headers outermost, then the error renderer, the flash's clearing, the CSRF check
//! and the path guard; each concern's rules live in its own file and are only called here.
//!
//! Why one middleware and not one per concern: each `from_fn` layer clones the service stack
//! inside it, boxes its future and moves it on every request. Folding six into this one (and
//! the request id's three into one), with two smaller trims, took issue 22's gzip month view
//! from 28,126 to 39,250 req/s (`docs/benchmarks.md`). The body limit and the timeout stay
//! tower layers between this and the routes (`app.rs`): they box nothing.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::{csrf, error_page, flash, metrics, path_guard, security};

pub async fn around(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = metrics::method_label(req.method());
    let started = Instant::now();
    let sandbox = req.uri().path().starts_with("/_kakao");
    let pending = error_page::Pending::of(&req);
    let resp = checked(&state, req, next).await;
    let mut resp = match pending {
        Some(pending) => pending.finish(&state, resp).await,
        None => resp,
    };
    security::add(&mut resp, sandbox);
    metrics::record(&state, method, started, &resp);
    resp
}

/// The request past the CSRF check and the path guard, and the flash cleared once its page
/// has been rendered (an error page, rendered outside, does not count as showing it).
async fn checked(state: &AppState, req: Request, next: Next) -> Response {
    let flash = flash::carried(&req);
    let req = match csrf::allow(state, req).await {
        Ok(req) => req,
        Err(refused) => return refused,
    };
    let mut resp = if path_guard::has_control_characters(req.uri().path()) {
        AppError::not_found().into_response()
    } else {
        next.run(req).await
    };
    flash::clear_if_shown(&mut resp, flash, state.secure_cookies);
    resp
}
