//! The web layer every feature stands on: the error type and its rendering, the session and
//! its extractors, CSRF, security headers, page context, caches, HTTP helpers, request tracing,
//! metrics, operations routes and the API's own description. It imports no feature.

pub mod assets;
pub mod confirm;
pub mod csrf;
pub mod error;
pub mod error_page;
pub mod every_request;
pub mod extract;
pub mod flash;
pub mod fresh;
pub mod http;
pub mod kept;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod path_guard;
pub mod security;
pub mod session;
pub mod trace;
pub mod views;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// Operations and the API description: `/healthz`, `/readyz`, `/metrics`, `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::json))
        .route("/api", get(openapi::page))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .merge(assets::router())
}
