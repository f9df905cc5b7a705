//! The account's JSON API (`/api/v1/account…`): live Kakao consents and their revocation,
//! "log out everywhere", the export, and deleting the account. Same logic as the page
//! (`account`).

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::account::pages::{self as account, revocable};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Json;
use crate::web::session::Auth;
use axum_extra::extract::CookieJar;

fn scopes_json(list: &[kakao::wire::ScopeInfo]) -> serde_json::Value {
    json!({"scopes": list.iter().filter(|s| s.id != "openid").map(|s| json!({
        "id": s.id,
        "display_name": s.display_name,
        "type": s.kind,
        "using": s.using,
        "agreed": s.agreed,
        "revocable": revocable(s),
    })).collect::<Vec<_>>()})
}

/// `GET /api/v1/account/consents`.
pub async fn consents(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let list = account::consents(&state, &auth.user.id)
        .await
        .map_err(|e| e.app_error())?;
    Ok(axum::Json(scopes_json(&list)).into_response())
}

#[derive(Deserialize)]
pub struct RevokeInput {
    #[serde(default)]
    scopes: Vec<String>,
}

/// `POST /api/v1/account/consents/revoke` `{"scopes":["talk_message"]}`.
pub async fn revoke(
    State(state): State<AppState>,
    auth: Auth,
    Json(input): Json<RevokeInput>,
) -> AppResult<Response> {
    let scopes: Vec<String> = input
        .scopes
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if scopes.is_empty() || scopes.iter().any(|s| s == "openid") {
        return Err(AppError::validation(
            [("scopes", "account-scopes_required")].into_iter().collect(),
        ));
    }
    let list = account::revoke(&state, &auth.user.id, &scopes)
        .await
        .map_err(|e| e.app_error())?;
    Ok(axum::Json(scopes_json(&list)).into_response())
}

/// `POST /api/v1/account/logout-everywhere`.
pub async fn logout_everywhere(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> AppResult<Response> {
    let ended = state.store.delete_user_sessions(&auth.user.id).await?;
    let jar = jar.add(account::clear_session_cookie(&state));
    Ok((jar, axum::Json(json!({"sessions_ended": ended}))).into_response())
}

/// `GET /api/v1/account/export`.
pub async fn export(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    Ok(axum::Json(account::export(&state, &auth.user).await?).into_response())
}

#[derive(Deserialize)]
pub struct DeleteInput {
    #[serde(default)]
    confirm: bool,
}

/// `DELETE /api/v1/account` `{"confirm":true}`. The body is read by hand because a DELETE
/// without one must answer "confirm first" (422), not "bad body".
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
    body: Bytes,
) -> AppResult<Response> {
    let input: DeleteInput = if body.is_empty() {
        DeleteInput { confirm: false }
    } else {
        serde_json::from_slice(&body).map_err(|_| AppError::bad_json())?
    };
    if !input.confirm {
        return Err(AppError::validation(
            [("confirm", "account-confirm_required")].into_iter().collect(),
        ));
    }
    let done = account::delete_account(&state, &auth.user).await?;
    let body = json!({
        "deleted": true,
        "rooms_handed_over": done.rooms_handed_over.iter()
            .map(|(room, owner)| json!({"room_id": room, "new_owner": owner}))
            .collect::<Vec<_>>(),
        "rooms_deleted": done.rooms_deleted,
    });
    let jar = jar.add(account::clear_session_cookie(&state));
    Ok((jar, axum::Json(body)).into_response())
}
