//! Finding a time together: availability polls (candidate days or a painted half-hour grid),
//! the live heat-map and ranking, confirming into an event, and the opt-in KakaoTalk memo when
//! the time is decided.

pub mod api;
pub mod confirm;
pub mod memos;
pub mod nudge;
pub mod pages;
pub mod service;

use axum::Router;
use axum::routing::{get, post, put};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rooms/{id}/polls", get(api::list).post(api::create))
        .route(
            "/api/v1/rooms/{id}/polls/{pid}",
            get(api::read).delete(api::remove),
        )
        .route("/api/v1/rooms/{id}/polls/{pid}/answers", put(api::answers))
        .route("/api/v1/rooms/{id}/polls/{pid}/candidates", post(api::propose))
        .route("/api/v1/rooms/{id}/polls/{pid}/confirm", post(api::confirm))
        .route("/api/v1/rooms/{id}/polls/{pid}/memo", put(memos::set_api))
        .route("/rooms/{id}/polls", get(pages::list).post(pages::create))
        .route("/rooms/{id}/polls/new", get(pages::new_form))
        .route("/rooms/{id}/polls/{pid}", get(pages::show))
        .route("/rooms/{id}/polls/{pid}/answers", post(pages::answers))
        .route("/rooms/{id}/polls/{pid}/candidates", post(pages::propose))
        .route("/rooms/{id}/polls/{pid}/confirm", post(pages::confirm))
        .route("/rooms/{id}/polls/{pid}/delete", post(pages::delete))
        .route(
            "/rooms/{id}/polls/{pid}/memo",
            get(memos::finish_page).post(memos::set_page),
        )
        .route("/static/polls.js", get(pages::script))
}
