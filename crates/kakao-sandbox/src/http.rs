//! Small response and request helpers shared by the sandbox's handlers: Kakao's error bodies,
//! form/query parsing the way Kakao accepts parameters, and HTML pages.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kakao::wire::{KapiErrorBody, KauthErrorBody};
use serde::Serialize;

/// A kapi error: `{"msg","code"}` with the status Kakao uses; 401s carry `WWW-Authenticate`.
pub fn kapi_error(status: StatusCode, body: KapiErrorBody) -> Response {
    let mut resp = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=invalid_token"),
        );
    }
    resp
}

pub fn kapi(status: u16, code: i32, msg: impl Into<String>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    kapi_error(status, KapiErrorBody::new(code, msg))
}

/// A kauth token-endpoint error: `{"error","error_description","error_code"}`.
pub fn kauth(status: u16, error: &str, description: impl Into<String>, code: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = KauthErrorBody {
        error: error.into(),
        error_description: description.into(),
        error_code: Some(code.into()),
    };
    (status, axum::Json(body)).into_response()
}

pub fn json<T: Serialize>(value: T) -> Response {
    axum::Json(value).into_response()
}

/// Parameters from the query string and a form body together, as Kakao reads them.
pub fn params(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        out.insert(k.into_owned(), v.into_owned());
    }
    for (k, v) in url::form_urlencoded::parse(body) {
        out.insert(k.into_owned(), v.into_owned());
    }
    out
}

/// Every value of a repeated form field (checkbox lists).
pub fn all_values(body: &[u8], key: &str) -> Vec<String> {
    url::form_urlencoded::parse(body)
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// Kakao's list parameters are JSON array strings (`["a","b"]`); a plain comma list is accepted too.
pub fn list_param(value: &str) -> Option<Vec<String>> {
    let trimmed = value.trim();
    if trimmed.starts_with('[') {
        serde_json::from_str(trimmed).ok()
    } else {
        Some(kakao::wire::split_scopes(trimmed))
    }
}

/// Renders an askama page; a template error becomes a plain 500 (never its text).
pub fn page<T: askama::Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "sandbox page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "page failed to render").into_response()
        }
    }
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    axum_extra::extract::CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_owned())
}

pub fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(loc) => (StatusCode::FOUND, [(header::LOCATION, loc)]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "bad redirect target").into_response(),
    }
}
