//! Who the user is to Kakao: login (OIDC), logout, the unlink webhook, the user's Kakao tokens
//! (refreshed single-flight) and just-in-time consent.

pub mod consent;
pub mod login;
pub mod sdk;
pub mod tokens;
pub mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;

use crate::state::AppState;

/// Login is rate-limited per client address (`login_rate_per_minute`).
pub fn router(state: &AppState) -> Router<AppState> {
    let per_minute = state.config.login_rate_per_minute.max(1);
    let governor = GovernorConfigBuilder::default()
        .per_millisecond(u64::from(60_000 / per_minute).max(1))
        .burst_size(per_minute)
        .finish()
        .map(Arc::new);
    let mut login = Router::new()
        .route("/auth/kakao/login", get(login::start))
        .route("/auth/kakao/callback", get(login::callback));
    if let Some(config) = governor {
        login = login.layer(GovernorLayer::new(config));
    }
    login.route("/auth/logout", post(login::logout)).route(
        "/webhooks/kakao/unlink",
        get(webhook::unlink).post(webhook::unlink),
    )
}
