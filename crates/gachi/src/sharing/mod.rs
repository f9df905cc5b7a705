//! Sharing the schedule to KakaoTalk: the images, the friend list and "why is my friend
//! missing?", creating a share with its outbox rows, the share page, the public `/s/{token}`
//! page, and the outbox worker that makes the Kakao calls exactly once.

pub mod api;
pub mod card;
pub mod first_pick;
pub mod friends;
pub mod images;
pub mod outbox;
pub mod pages;
pub mod picture;
pub mod public;
pub mod quota_day;
pub mod rsvp_link;
pub mod service;
pub mod status;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rooms/{id}/image.png", get(images::room_image))
        .route(
            "/api/v1/rooms/{id}/events/{eid}/image.png",
            get(images::event_image),
        )
        .route("/api/v1/rooms/{id}/shares", post(api::create_api))
        .route("/api/v1/shares/{id}", get(api::get_api))
        .route("/api/v1/shares/{id}/resend", post(api::resend_api))
        .route("/api/v1/shares/{id}/cancel", post(api::cancel_api))
        .route("/api/v1/shares/{id}/link", delete(api::revoke_link_api))
        .route("/api/v1/friends", get(friends::api))
        .route("/rooms/{id}/share", get(pages::page).post(pages::submit))
        .route("/rooms/{id}/share/resume", post(pages::resume))
        .route("/static/share.js", get(pages::script))
        .route("/s/{token}", get(public::page))
        .route("/s/{token}/image.png", get(public::image))
        .route("/s/{token}/full.png", get(public::full_image))
        .route("/s/{token}/join", get(public::join))
        .route("/s/{token}/rsvp", get(rsvp_link::rsvp))
}
