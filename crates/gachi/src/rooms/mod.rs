//! Rooms (공유방): create, rename, delete; members, leaving, removal and ownership; invitations
//! by link, code and QR; the home page with its example picture. Every other feature asks
//! `service` whether a user is a member.

pub mod api;
pub mod example;
pub mod invite_pages;
pub mod member;
pub mod pages;
pub mod service;
pub mod views;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::{GovernorError, GovernorLayer};

use crate::state::AppState;
use crate::web::error::AppError;

/// Everything that tells whether an invitation code exists (its page, its QR code, accepting
/// it) shares one per-IP budget, so codes cannot be tried at speed; nothing else is slowed.
fn invite_lookups(state: &AppState) -> Router<AppState> {
    let lookups = Router::new()
        .route("/api/v1/invites/{code}/accept", post(api::accept_invite))
        .route("/i/{code}", get(invite_pages::invite))
        .route("/i/{code}/accept", post(invite_pages::accept))
        .route("/i/{code}/qr.svg", get(invite_pages::invite_qr));
    let per_minute = state.config.invite_rate_per_minute.max(1);
    let governor = GovernorConfigBuilder::default()
        .per_millisecond(u64::from(60_000 / per_minute).max(1))
        .burst_size(state.config.invite_rate_burst.max(1))
        .finish()
        .map(Arc::new);
    match governor {
        Some(config) => lookups.layer(GovernorLayer::new(config).error_handler(too_many_lookups)),
        None => lookups,
    }
}

/// 429 `invite_rate_limited` with `Retry-After` (seconds), rendered like every other error.
fn too_many_lookups(e: GovernorError) -> Response {
    let mut resp = AppError::Refused(StatusCode::TOO_MANY_REQUESTS, "invite_rate_limited").into_response();
    let wait = match e {
        GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
        _ => 1,
    };
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    resp
}

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(invite_lookups(state))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/rooms", get(api::list_rooms).post(api::create_room))
        .route(
            "/api/v1/rooms/{id}",
            get(api::get_room)
                .patch(api::update_room)
                .delete(api::delete_room),
        )
        .route(
            "/api/v1/rooms/{id}/invites",
            get(api::list_invites).post(api::create_invite),
        )
        .route("/api/v1/rooms/{id}/invites/{code}", delete(api::revoke_invite))
        .route("/api/v1/rooms/{id}/members/{user_id}", delete(api::remove_member))
        .route("/api/v1/rooms/{id}/owner", post(api::transfer_owner))
        .route("/", get(pages::home))
        .route("/rooms", post(pages::create_room))
        .route("/rooms/{id}/rename", post(pages::rename))
        .route("/rooms/{id}/delete", post(pages::delete))
        .route("/rooms/{id}/invite", get(invite_pages::screen))
        .route("/rooms/{id}/invites", post(invite_pages::new_invite))
        .route("/rooms/{id}/invites/renew", post(invite_pages::renew))
        .route("/rooms/{id}/invites/{code}/revoke", post(invite_pages::revoke))
        .route("/static/invite.js", get(invite_pages::script))
        .route("/example.png", get(example::image))
        .route("/rooms/{id}/members/{user_id}/remove", post(pages::remove_member))
        .route("/rooms/{id}/leave", post(pages::leave))
        .route("/rooms/{id}/transfer", post(pages::transfer))
        .route("/join", get(pages::join))
        .route("/lang/{lang}", get(pages::set_lang))
}
