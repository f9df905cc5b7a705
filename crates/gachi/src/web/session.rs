//! Who is asking: the session cookie, looked up in our session store.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use storage::User;

use crate::state::AppState;
use crate::web::error::AppError;
use axum_extra::extract::CookieJar;

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
    let session = CookieJar::from_headers(&parts.headers)
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_owned());
    let found = match session {
        None => None,
        // One query for the session and its (still linked) user: this runs on every request.
        Some(value) => state
            .store
            .session_user(&value, state.now_ms())
            .await?
            .map(|(session, user)| Auth {
                user,
                csrf: session.csrf_token,
                cookie: value,
            }),
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
