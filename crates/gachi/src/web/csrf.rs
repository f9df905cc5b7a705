//! CSRF: a state-changing request must come from our own origin (`Origin`, or
//! `Sec-Fetch-Site: same-origin` when a browser sends no Origin) or carry the session's CSRF
//! token in `X-CSRF-Token`. Kakao's webhooks are exempt (they prove themselves with the admin
//! key), and so are the sandbox's own routes.

use axum::extract::Request;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::web::error::AppError;

/// `req` back when it may go on, or the refusal (403 `csrf_failed`).
pub async fn allow(state: &AppState, req: Request) -> Result<Request, Response> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    if safe || path.starts_with("/webhooks/") || path.starts_with("/_kakao") || path.starts_with("/_test/") {
        return Ok(req);
    }
    let headers = req.headers();
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let same_origin = match origin {
        Some(o) => o == origin_of(&state.public_url),
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|s| s == "same-origin" || s == "none"),
    };
    if same_origin {
        return Ok(req);
    }
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(token) = token {
        let (mut parts, body) = req.into_parts();
        match crate::web::session::lookup(state, &mut parts).await {
            Ok(Some(auth)) if constant_time_eq(auth.csrf.as_bytes(), token.as_bytes()) => {
                return Ok(Request::from_parts(parts, body));
            }
            Ok(_) => {}
            Err(e) => return Err(e.into_response()),
        }
    }
    Err(AppError::Refused(axum::http::StatusCode::FORBIDDEN, "csrf_failed").into_response())
}

/// `scheme://host[:port]` of a URL, as browsers send it in `Origin`.
pub fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Compares secrets without leaking where they differ through timing.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
