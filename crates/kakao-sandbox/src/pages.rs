//! The sandbox's own browser pages: the home page with keys and users, avatars, and the
//! "연결 끊기" button that unlinks as the user would from their Kakao account.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::Sandbox;
use crate::app::App;
use crate::http::{page, params, redirect};

pub struct PickerUser {
    pub id: i64,
    pub nickname: String,
    pub thumbnail_image_url: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub base_path: String,
    pub continue_url: String,
    pub users: Vec<PickerUser>,
}

pub struct ConsentItem {
    pub id: String,
    pub display_name: String,
    pub required: bool,
}

#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentPage {
    pub base_path: String,
    pub app_name: String,
    pub nickname: String,
    pub pending: String,
    pub items: Vec<ConsentItem>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub code: String,
    pub message: String,
}

/// Kakao shows configuration errors of the authorize step on its own page, not as a redirect.
pub fn error_page(code: &str, message: impl Into<String>) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        &ErrorPage {
            code: code.to_owned(),
            message: message.into(),
        },
    )
}

pub struct HomeUser {
    pub id: i64,
    pub nickname: String,
    pub uuid: String,
    pub linked: bool,
    pub agreed: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub base_url: String,
    pub base_path: String,
    pub app: App,
    pub users: Vec<HomeUser>,
}

pub async fn home(State(sb): State<Sandbox>) -> Response {
    let st = sb.lock();
    let users = st
        .users
        .values()
        .map(|u| HomeUser {
            id: u.id,
            nickname: u.nickname.clone(),
            uuid: u.uuid.clone(),
            linked: u.link.is_some(),
            agreed: u
                .link
                .as_ref()
                .map(|l| l.agreed.iter().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        })
        .collect();
    let home = HomePage {
        base_url: st.base_url.clone(),
        base_path: st.base_path(),
        app: st.app.clone(),
        users,
    };
    drop(st);
    page(StatusCode::OK, &home)
}

/// The user unlinks the app from their Kakao account (연결된 서비스 관리): the webhook fires
/// with `UNLINK_FROM_APPS`.
pub async fn unlink_as_user(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let p = params(None, &body);
    let Some(user_id) = p.get("user_id").and_then(|v| v.parse::<i64>().ok()) else {
        return (StatusCode::BAD_REQUEST, "user_id is required").into_response();
    };
    crate::unlink::unlink_as(&sb, user_id, "UNLINK_FROM_APPS").await;
    let base = sb.lock().base_path();
    redirect(&format!("{base}/"))
}
