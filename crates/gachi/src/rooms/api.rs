//! The JSON API under `/api/v1` (DESIGN.md "Gachi JSON API"): same cookie session as the pages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::rooms::member::Member;
use crate::rooms::service::{self as rooms, RoomInput, room_json};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Json;
use crate::web::session::Auth;

pub async fn me(auth: Auth) -> Response {
    let mut resp = axum::Json(json!({
        "id": auth.user.id,
        "nickname": auth.user.nickname,
        "profile_image_url": auth.user.profile_image_url,
    }))
    .into_response();
    // Scripts send this back as X-CSRF-Token.
    if let Ok(v) = auth.csrf.parse() {
        resp.headers_mut().insert("x-csrf-token", v);
    }
    resp
}

pub async fn list_rooms(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let rooms: Vec<_> = state
        .store
        .rooms_of(&auth.user.id)
        .await?
        .into_iter()
        .map(|(r, role)| json!({"id": r.id, "name": r.name, "description": r.description, "role": role}))
        .collect();
    Ok(axum::Json(json!({"rooms": rooms})).into_response())
}

pub async fn create_room(
    State(state): State<AppState>,
    auth: Auth,
    Json(input): Json<RoomInput>,
) -> AppResult<Response> {
    let (name, description) = rooms::validate(input.name.as_deref(), input.description.as_deref())?;
    let room = rooms::create(&state, &auth.user, &name, &description).await?;
    let view = room_json(&state, room, storage::Role::Owner).await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

pub async fn get_room(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (room, role) = rooms::member_room(&state, &id, &auth.user).await?;
    Ok(axum::Json(room_json(&state, room, role).await?).into_response())
}

pub async fn update_room(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Json(input): Json<RoomInput>,
) -> AppResult<Response> {
    let auth = &member.auth;
    let room = member.owned()?.clone();
    let (name, description) = rooms::validate(
        Some(input.name.as_deref().unwrap_or(&room.name)),
        Some(input.description.as_deref().unwrap_or(&room.description)),
    )?;
    state
        .store
        .update_room(&id, &name, &description, state.now_ms())
        .await?;
    let (room, role) = rooms::member_room(&state, &id, &auth.user).await?;
    Ok(axum::Json(room_json(&state, room, role).await?).into_response())
}

pub async fn delete_room(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    rooms::owned_room(&state, &id, &auth.user).await?;
    state.store.delete_room(&id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn create_invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let invite = rooms::create_invite(&state, &id, &auth.user).await?;
    let (room, _) = rooms::member_room(&state, &id, &auth.user).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(rooms::invite_json(&state, &room, invite)),
    )
        .into_response())
}

/// `GET /api/v1/rooms/{id}/invites`: the codes that still work (the owner's).
pub async fn list_invites(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    let room = member.owned()?;
    let invites: Vec<_> = state
        .store
        .live_invites(&room.id, state.now_ms())
        .await?
        .into_iter()
        .map(|i| rooms::invite_json(&state, room, i))
        .collect();
    Ok(axum::Json(json!({"invites": invites})).into_response())
}

/// `DELETE /api/v1/rooms/{id}/invites/{code}`: the code stops working (the owner's).
pub async fn revoke_invite(
    State(state): State<AppState>,
    member: Member,
    Path((_, code)): Path<(String, String)>,
) -> AppResult<Response> {
    let room = member.owned()?;
    let code = rooms::normalize_code(&code);
    if !state.store.revoke_invite(&room.id, &code, state.now_ms()).await? {
        return Err(AppError::Missing("invite_not_found"));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn accept_invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let room_id = rooms::accept_invite(&state, &code, &auth.user).await?;
    let (room, role) = rooms::member_room(&state, &room_id, &auth.user).await?;
    Ok(axum::Json(room_json(&state, room, role).await?).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> AppResult<Response> {
    rooms::remove_member(&state, &id, &auth.user, &user_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub struct OwnerInput {
    user_id: String,
}

pub async fn transfer_owner(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Json(input): Json<OwnerInput>,
) -> AppResult<Response> {
    let auth = &member.auth;
    rooms::transfer(&state, &id, &auth.user, &input.user_id).await?;
    // Read again: the caller is a member now, no longer the owner.
    let (room, role) = rooms::member_room(&state, &id, &auth.user).await?;
    Ok(axum::Json(room_json(&state, room, role).await?).into_response())
}
