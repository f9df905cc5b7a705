//! Page models for the askama templates. Every template gets a [`PageCtx`]: language, the
//! logged-in user, the CSRF token and whether the sandbox banner shows. askama escapes all
//! values, so user text (room names…) is always text.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::session::Auth;

pub struct PageCtx {
    pub lang: Lang,
    pub nickname: Option<String>,
    pub csrf: String,
    pub sandbox: bool,
    /// The current path, for the language toggle's way back.
    pub path: String,
}

impl PageCtx {
    pub fn new(lang: Lang, auth: Option<&Auth>, sandbox: bool, path: &str) -> Self {
        Self {
            lang,
            nickname: auth.map(|a| a.user.nickname.clone()),
            csrf: auth.map(|a| a.csrf.clone()).unwrap_or_default(),
            sandbox,
            path: path.to_owned(),
        }
    }

    pub fn tr(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Ko => "en",
            Lang::En => "ko",
        }
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
}

pub fn render<T: Template>(page: &T) -> AppResult<Response> {
    page.render()
        .map(|html| Html(html).into_response())
        .map_err(AppError::internal)
}

pub struct RoomItem {
    pub id: String,
    pub name: String,
    pub is_owner: bool,
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage {
    pub ctx: PageCtx,
    pub rooms: Vec<RoomItem>,
}

pub struct MemberItem {
    pub user_id: String,
    pub nickname: String,
    pub is_owner: bool,
    pub is_me: bool,
}

pub struct InviteShown {
    pub code: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "room.html")]
pub struct RoomPage {
    pub ctx: PageCtx,
    pub id: String,
    pub name: String,
    pub description: String,
    pub is_owner: bool,
    pub members: Vec<MemberItem>,
    pub invite: Option<InviteShown>,
    pub calendar: crate::calendar::Calendar,
    pub feed_url: String,
}

#[derive(Template)]
#[template(path = "invite.html")]
pub struct InvitePage {
    pub ctx: PageCtx,
    pub code: String,
    pub room_name: String,
    pub member_count: usize,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub code: String,
    pub message: String,
    pub fields: Vec<String>,
}

impl ErrorPage {
    pub fn new(
        lang: Lang,
        status: StatusCode,
        code: &str,
        fields: &BTreeMap<&'static str, &'static str>,
    ) -> Self {
        Self {
            ctx: PageCtx::new(lang, None, false, "/"),
            status: status.as_u16(),
            code: code.to_owned(),
            message: lang.t(code).to_owned(),
            fields: fields.values().map(|k| lang.t(k).to_owned()).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "login_cancelled.html")]
pub struct LoginCancelled {
    pub ctx: PageCtx,
    pub next: String,
}

impl LoginCancelled {
    pub fn new(lang: Lang, auth: Option<&Auth>, next: &str, sandbox: bool) -> Self {
        Self {
            ctx: PageCtx::new(lang, auth, sandbox, next),
            next: next.to_owned(),
        }
    }
}
