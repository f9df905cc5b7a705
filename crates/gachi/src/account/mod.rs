//! The user's own account: Kakao consents read live and revocable, "log out everywhere", the
//! export of everything they made, and deleting the account.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(pages::page))
        .route("/account/consents/revoke", post(pages::revoke_page))
        .route("/account/logout-everywhere", post(pages::logout_everywhere_page))
        .route("/account/export.json", get(pages::export_json_page))
        .route("/account/export.ics", get(pages::export_ics_page))
        .route("/account/delete", post(pages::delete_page))
        .route("/api/v1/account", delete(api::delete))
        .route("/api/v1/account/consents", get(api::consents))
        .route("/api/v1/account/consents/revoke", post(api::revoke))
        .route("/api/v1/account/logout-everywhere", post(api::logout_everywhere))
        .route("/api/v1/account/export", get(api::export))
}
