//! The request side of the hot reads (`state::fresh`): a GET or HEAD request may be answered
//! from memory; after any other request — it may have written — the generation moves before
//! the answer leaves, so the next request (the redirect after a form, the next API call)
//! never reads from memory what this one replaced. It wraps the sandbox's routes too: moving
//! the sandbox clock runs Gachi's due work, which writes.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;
use crate::state::fresh::reading;

pub async fn read_or_bump(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return reading(next.run(req)).await;
    }
    let resp = next.run(req).await;
    state.fresh.generation.bump();
    resp
}
