//! Typed edges: the extractors handlers take instead of raw bytes and header maps. Every
//! rejection is our own [`AppError`], so a malformed body or query gets the same clear error
//! (in the user's language) as any other bad input.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::session::lookup;
use crate::web::views::PageCtx;

/// A JSON body. Read whatever its `Content-Type` (scripts and tests send JSON without one,
/// as they always could); anything that does not parse is 400 `bad_json`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadBody)?;
        serde_json::from_slice(&body)
            .map(Json)
            .map_err(|_| AppError::BadBody)
    }
}

/// An `application/x-www-form-urlencoded` body (axum-extra's, which reads repeated keys into
/// a `Vec`, as the friend picker's checkboxes send them).
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        axum_extra::extract::Form::<T>::from_request(req, state)
            .await
            .map(|axum_extra::extract::Form(v)| Form(v))
            .map_err(|_| AppError::BadBody)
    }
}

/// A typed query string (repeated keys read into a `Vec`).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum_extra::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum_extra::extract::Query(v)| Query(v))
            .map_err(|_| AppError::Refused(axum::http::StatusCode::BAD_REQUEST, "bad_query"))
    }
}

/// The language to answer in: the `lang` cookie, else `Accept-Language`, else Korean.
pub struct AcceptLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptLang(Lang::from_headers(&parts.headers)))
    }
}

/// What every page template needs: language, the user (if logged in), the CSRF token, the
/// sandbox banner and the current path. The session is looked up once per request, however
/// many extractors ask.
impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let auth = lookup(state, parts).await?;
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
            .or_else(|| parts.uri.path_and_query().map(|p| p.as_str().to_owned()))
            .unwrap_or_else(|| "/".to_owned());
        Ok(PageCtx::new(
            Lang::from_headers(&parts.headers),
            auth.as_ref(),
            state.sandbox.is_some(),
            &path,
        ))
    }
}
