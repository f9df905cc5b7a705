//! One request id per request, on every log line written while it is answered and on the
//! response (`x-request-id`), so a user's report, a proxy's log and Gachi's own lines can be
//! matched up. An id a proxy in front already gave is kept if it looks like an id; anything
//! else is replaced, so clients cannot write arbitrary text into the logs.

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` (all of it, the sandbox too) in the request-id and tracing layers.
pub fn layer<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    // Each `layer` wraps the ones before it: the outermost comes last.
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, NewId))
        .layer(from_fn(drop_odd_ids))
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

/// A fresh time-ordered id (UUIDv7), when the request brought none.
#[derive(Clone, Copy)]
struct NewId;

impl MakeRequestId for NewId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// Whether an incoming id may be kept: short, and only characters ids are made of.
pub fn is_sane(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Removes an incoming id that is not sane (or repeated), so a new one is made.
async fn drop_odd_ids(mut req: Request, next: Next) -> Response {
    let values = req.headers().get_all(&REQUEST_ID);
    let mut iter = values.iter();
    let keep = match (iter.next(), iter.next()) {
        (Some(v), None) => is_sane(v.as_bytes()),
        (None, _) => true,
        (Some(_), Some(_)) => false,
    };
    if !keep {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
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
