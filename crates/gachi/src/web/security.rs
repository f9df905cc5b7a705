//! Security headers on every page and API answer (not on the sandbox's own pages): a CSP that
//! allows our origin plus what Kakao's JavaScript SDK needs, no framing, no sniffing.

use axum::http::{HeaderValue, header};
use axum::response::Response;

const CSP: &str = "default-src 'self'; \
    script-src 'self' https://t1.kakaocdn.net; \
    style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: https://*.kakaocdn.net http://*.kakaocdn.net; \
    connect-src 'self' https://kapi.kakao.com https://sharer.kakao.com; \
    frame-src https://sharer.kakao.com; \
    form-action 'self' https://sharer.kakao.com; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";

/// Adds the headers to `resp`; `sandbox` (a `/_kakao` path) keeps its own CSP-free pages.
pub fn add(resp: &mut Response, sandbox: bool) {
    let h = resp.headers_mut();
    if !sandbox {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
}
