//! Rooms (공유방): create, rename, delete; members, leaving, removal and ownership; invitations
//! by link, code and QR. Every other feature asks `service` whether a user is a member.

pub mod api;
pub mod member;
pub mod pages;
pub mod service;
pub mod views;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
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
        .route("/api/v1/invites/{code}/accept", post(api::accept_invite))
        .route("/", get(pages::home))
        .route("/rooms", post(pages::create_room))
        .route("/rooms/{id}/rename", post(pages::rename))
        .route("/rooms/{id}/delete", post(pages::delete))
        .route("/rooms/{id}/invites", post(pages::new_invite))
        .route("/rooms/{id}/members/{user_id}/remove", post(pages::remove_member))
        .route("/rooms/{id}/leave", post(pages::leave))
        .route("/rooms/{id}/transfer", post(pages::transfer))
        .route("/i/{code}", get(pages::invite))
        .route("/i/{code}/accept", post(pages::accept))
        .route("/i/{code}/qr.svg", get(pages::invite_qr))
        .route("/join", get(pages::join))
        .route("/lang/{lang}", get(pages::set_lang))
}
