//! Typed edges: the extractors handlers take instead of raw bytes and header maps. Every
//! rejection is our own [`AppError`], so a malformed body or query gets the same clear error
//! (in the user's language) as any other bad input.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use i18n::Lang;
use serde::de::DeserializeOwned;

use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::session::lookup;
use crate::web::views::PageCtx;

/// The body's bytes; too large is 413 (the body limit), anything else unreadable is 400.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::Refused(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        } else {
            AppError::BadBody
        }
    })
}

/// A JSON body. Read whatever its `Content-Type` (scripts and tests send JSON without one,
/// as they always could); anything that does not parse is 400 `bad_json`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body = body_bytes(req, state).await?;
        serde_json::from_slice(&body)
            .map(Json)
            .map_err(|_| AppError::BadBody)
    }
}

/// An `application/x-www-form-urlencoded` body, read with `serde_html_form` (what axum-extra's
/// `Form` uses), which reads repeated keys into a `Vec` as the friend picker's checkboxes send
/// them. Like the no-script forms always were, it is read whatever the `Content-Type`, and an
/// empty body is an empty form (every field optional), so a page's own checks answer first.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body = body_bytes(req, state).await?;
        serde_html_form::from_bytes(&body)
            .map(Form)
            .map_err(|_| AppError::BadBody)
    }
}

/// A typed query string (repeated keys read into a `Vec`); one that does not fit is 400.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        serde_html_form::from_str(parts.uri.query().unwrap_or(""))
            .map(Query)
            .map_err(|_| AppError::Refused(StatusCode::BAD_REQUEST, "bad_query"))
    }
}

/// The language to answer in: the `lang` cookie (the page's toggle) wins; otherwise the first
/// of Accept-Language that we speak; otherwise Korean. It lives here, not in the `i18n` crate,
/// because only the web layer knows about headers.
pub fn lang_from_headers(headers: &HeaderMap) -> Lang {
    if let Some(lang) = crate::web::http::cookie(headers, "lang").and_then(|c| Lang::parse(&c)) {
        return lang;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for part in accept.split(',') {
        let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if tag.starts_with("ko") {
            return Lang::Ko;
        }
        if tag.starts_with("en") {
            return Lang::En;
        }
    }
    Lang::Ko
}

/// The language to answer in, as [`lang_from_headers`] decides.
pub struct AcceptLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptLang(lang_from_headers(&parts.headers)))
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
            lang_from_headers(&parts.headers),
            auth.as_ref(),
            state.sandbox.is_some(),
            &path,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_and_cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(lang_from_headers(&h), Lang::Ko);
        h.insert(
            header::ACCEPT_LANGUAGE,
            "en-US,en;q=0.9,ko;q=0.8".parse().unwrap(),
        );
        assert_eq!(lang_from_headers(&h), Lang::En);
        h.insert(header::COOKIE, "lang=ko".parse().unwrap());
        assert_eq!(lang_from_headers(&h), Lang::Ko);
    }
}
