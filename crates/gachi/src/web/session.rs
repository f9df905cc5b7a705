//! Who is asking: the session cookie, looked up in our session store (or, while the database
//! has not changed, in memory: `state::fresh`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use storage::User;

use crate::state::AppState;
use crate::state::fresh::SessionEntry;
use crate::web::error::AppError;

pub const SESSION_COOKIE: &str = "gachi_session";

/// A logged-in user and their session's CSRF token.
#[derive(Clone, Debug)]
pub struct Auth {
    pub user: User,
    pub csrf: String,
    pub cookie: String,
}

/// The logged-in user, if any.
#[derive(Clone, Debug)]
pub struct MaybeAuth(pub Option<Auth>);

/// Looks the session up once per request (the CSRF check may already have).
pub async fn lookup(state: &AppState, parts: &mut Parts) -> Result<Option<Auth>, AppError> {
    if let Some(found) = parts.extensions.get::<MaybeAuth>() {
        return Ok(found.0.clone());
    }
    let session = crate::web::http::read_cookie(&parts.headers, SESSION_COOKIE, str::to_owned);
    let found = match session {
        None => None,
        Some(value) => {
            let now = state.now_ms();
            // One query for the session and its (still linked) user, when memory cannot answer.
            let entry = state
                .fresh
                .session(&value, now, || async {
                    let found = state.store.session_user(&value, now).await?;
                    Ok::<_, AppError>(found.map(|(session, user)| SessionEntry {
                        user,
                        csrf: session.csrf_token,
                        expires_at: session.expires_at,
                    }))
                })
                .await?;
            entry.map(|e| Auth {
                user: e.user,
                csrf: e.csrf,
                cookie: value,
            })
        }
    };
    parts.extensions.insert(MaybeAuth(found.clone()));
    Ok(found)
}

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(MaybeAuth(lookup(state, parts).await?))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        lookup(state, parts).await?.ok_or_else(AppError::login_required)
    }
}
