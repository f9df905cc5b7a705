//! One request id per request, on every log line written while it is answered and on the
//! response (`x-request-id`), so a user's report, a proxy's log and Gachi's own lines can be
//! matched up. An id a proxy in front already gave is kept if it looks like an id; anything
//! else is replaced, so clients cannot write arbitrary text into the logs.

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` (all of it, the sandbox too) in the request-id and tracing layers.
pub fn layer<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    // Each `layer` wraps the ones before it: the outermost comes last.
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(from_fn(ids))
}

/// Gives the request its id (the one it brought, if sane, or a new one) before the span is
/// made, and the answer the same id. One middleware where tower-http takes three (keep or drop,
/// set, propagate), each a layer of its own on every request.
async fn ids(mut req: Request, next: Next) -> Response {
    let id = kept_id(req.headers()).unwrap_or_else(new_id);
    req.headers_mut().insert(REQUEST_ID, id.clone());
    let mut resp = next.run(req).await;
    resp.headers_mut().entry(REQUEST_ID).or_insert(id);
    resp
}

/// The span every line of a request is written in.
fn span<B>(req: &axum::http::Request<B>) -> Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // The route pattern, not the path (paths carry room ids and share tokens), recorded by
    // [`note_route`] once routing has found it.
    tracing::info_span!("request", request_id = %id, method = %req.method(), route = tracing::field::Empty)
}

/// Inside the routes: names the matched route on the request's span and on the response (for
/// the metrics), since the layers around the routes run before routing.
pub async fn note_route(req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    if let Some(m) = &matched {
        Span::current().record("route", tracing::field::display(m.as_str()));
    }
    let mut resp = next.run(req).await;
    if let Some(m) = matched {
        resp.extensions_mut().insert(m);
    }
    resp
}

/// A fresh time-ordered id (UUIDv7), when the request brought none (or an odd one).
fn new_id() -> HeaderValue {
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid::Uuid::now_v7().hyphenated().encode_lower(&mut buf);
    // A hyphenated UUID is always a valid header value.
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("-"))
}

/// Whether an incoming id may be kept: short, and only characters ids are made of.
pub fn is_sane(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The id the request brought, if it brought exactly one and it is sane.
fn kept_id(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut iter = headers.get_all(&REQUEST_ID).iter();
    match (iter.next(), iter.next()) {
        (Some(v), None) if is_sane(v.as_bytes()) => Some(v.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_sane;

    #[test]
    fn only_plain_short_ids_are_kept() {
        assert!(is_sane(b"0199a3c2-7d1e-7abc-8def-0123456789ab"));
        assert!(is_sane(b"req_42.a:b"));
        assert!(!is_sane(b""));
        assert!(!is_sane(b"has space"));
        assert!(!is_sane(b"line\nbreak"));
        assert!(!is_sane(&[b'a'; 65]));
    }
}
