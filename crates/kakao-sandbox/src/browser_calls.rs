//! How the sandbox treats calls from browsers: CORS on Kakao's API paths and the JavaScript SDK
//! domain check.
//!
//! Kakao opened kapi's CORS with JavaScript SDK v2, so `Kakao.API.request` (and any `fetch`
//! with a Bearer token) works from a web page; kauth's token endpoint has always allowed it.
//! Kakao checks SDK calls against the app's registered site domains and answers
//! `-401 domain mismatched! caller=… check out registered web domains.`. Which origins get CORS
//! and which calls are checked are switches (`settings.kapi_cors`, `settings.kapi_domain_check`)
//! because Kakao documents neither exactly.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Sandbox;
use crate::http::kapi;

/// Which of Kakao's hosts a sandbox path stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// `kauth.kakao.com`: OAuth and OIDC.
    Kauth,
    /// `kapi.kakao.com`: every API.
    Kapi,
    /// The sandbox's own pages, control API and files (`/`, `/_admin/…`, `/_sandbox/…`, …).
    Sandbox,
}

pub fn area(path: &str) -> Area {
    if path.starts_with("/oauth/") || path.starts_with("/.well-known/") {
        Area::Kauth
    } else if path == "/" || path.starts_with("/_") {
        Area::Sandbox
    } else {
        Area::Kapi
    }
}

/// The origin the JavaScript SDK names in its `KA` header (`… origin/https%3A%2F%2Fexample.com`).
fn ka_origin(headers: &HeaderMap) -> Option<String> {
    let ka = headers.get("ka")?.to_str().ok()?;
    let encoded = ka
        .split_whitespace()
        .find_map(|part| part.strip_prefix("origin/"))?;
    let decoded = url::form_urlencoded::parse(format!("o={encoded}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    Some(decoded.trim_end_matches('/').to_owned())
}

fn header_origin(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|o| o.trim_end_matches('/').to_owned())
}

fn add_cors(resp: &mut Response, origin: &str, request_headers: Option<&HeaderValue>) {
    let Ok(origin) = HeaderValue::from_str(origin) else {
        return;
    };
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(asked) = request_headers {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
        );
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    }
}

/// The middleware in front of every sandbox route (outside the faults, so fault answers carry
/// CORS headers too and a browser can read them).
pub async fn apply(State(sb): State<Sandbox>, req: Request, next: Next) -> Response {
    let area = area(req.uri().path());
    if area == Area::Sandbox {
        return next.run(req).await;
    }
    let origin = header_origin(req.headers());
    let (cors_ok, mismatch) = {
        let st = sb.lock();
        let settings = &st.app.settings;
        let cors_ok = origin
            .as_deref()
            .is_some_and(|o| settings.kapi_cors != "js_domains" || st.app.is_js_domain(o));
        let checked = match settings.kapi_domain_check.as_str() {
            "ka_header" => ka_origin(req.headers()),
            "origin" => origin.clone(),
            _ => None,
        };
        let mismatch = checked.filter(|o| area == Area::Kapi && !st.app.is_js_domain(o));
        (cors_ok, mismatch)
    };
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let asked = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .or_else(|| preflight.then(|| HeaderValue::from_static("Authorization, KA, Content-Type")));
    let mut resp = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else if let Some(caller) = mismatch {
        kapi(
            401,
            -401,
            format!("domain mismatched! caller={caller}. check out registered web domains."),
        )
    } else {
        next.run(req).await
    };
    if let (true, Some(origin)) = (cors_ok, origin.as_deref()) {
        add_cors(&mut resp, origin, if preflight { asked.as_ref() } else { None });
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_names_its_origin_in_the_ka_header() {
        let mut h = HeaderMap::new();
        h.insert(
            "ka",
            HeaderValue::from_static(
                "sdk/2.7.4 os/javascript sdk_type/javascript lang/ko-KR device/Linux_x86_64 origin/https%3A%2F%2Fexample.com",
            ),
        );
        assert_eq!(ka_origin(&h).as_deref(), Some("https://example.com"));
        assert_eq!(area("/v2/user/me"), Area::Kapi);
        assert_eq!(area("/oauth/token"), Area::Kauth);
        assert_eq!(area("/_admin/app"), Area::Sandbox);
    }
}
