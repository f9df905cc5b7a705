//! The `Member` extractor: the logged-in user and the room of the route's `{id}`, checked
//! before any body is read, so a non-member gets the same 404 whatever they send (a body
//! that does not parse must not tell them the room exists).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use storage::{Role, Room};

use crate::rooms::service::member_room;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::session::Auth;

pub struct Member {
    pub auth: Auth,
    pub room: Room,
    pub role: Role,
}

impl Member {
    /// The room, if this member owns it (members get 403: they know the room exists).
    pub fn owned(&self) -> AppResult<&Room> {
        match self.role {
            Role::Owner => Ok(&self.room),
            _ => Err(AppError::forbidden()),
        }
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::not_found())?;
        let id = params
            .iter()
            .find(|(k, _)| *k == "id")
            .map(|(_, v)| v.to_owned())
            .ok_or_else(AppError::not_found)?;
        let (room, role) = member_room(state, &id, &auth.user).await?;
        Ok(Member { auth, room, role })
    }
}
