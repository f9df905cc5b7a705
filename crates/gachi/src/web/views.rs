//! Page models for the askama templates. Every template gets a [`PageCtx`]: language, the
//! logged-in user, the CSRF token and whether the sandbox banner shows. askama escapes all
//! values, so user text (room names…) is always text.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::web::error::{AppError, AppResult};
use crate::web::session::Auth;
use i18n::Lang;

pub struct PageCtx {
    pub lang: Lang,
    pub nickname: Option<String>,
    pub csrf: String,
    pub sandbox: bool,
    /// The current path, for the language toggle's way back.
    pub path: String,
    /// The catalogue key of what the last action did ("저장했어요"), shown once as a toast.
    pub flash: Option<&'static str>,
}

impl PageCtx {
    pub fn new(lang: Lang, auth: Option<&Auth>, sandbox: bool, path: &str) -> Self {
        Self {
            lang,
            nickname: auth.map(|a| a.user.nickname.clone()),
            csrf: auth.map(|a| a.csrf.clone()).unwrap_or_default(),
            sandbox,
            path: path.to_owned(),
            flash: None,
        }
    }

    /// The toast's text, empty without a flash.
    pub fn flash_text(&self) -> &'static str {
        self.flash.map(|k| self.lang.t(k)).unwrap_or("")
    }

    pub fn css_url(&self) -> String {
        crate::web::assets::css_url()
    }

    pub fn js_url(&self) -> String {
        crate::web::assets::js_url()
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
    /// The error page in `ctx`'s language, with its header (the user stays logged in on it).
    pub fn new(
        ctx: PageCtx,
        status: StatusCode,
        code: &str,
        fields: &BTreeMap<&'static str, &'static str>,
    ) -> Self {
        let lang = ctx.lang;
        Self {
            ctx,
            status: status.as_u16(),
            code: code.to_owned(),
            message: lang.t(code).to_owned(),
            fields: fields.values().map(|k| lang.t(k).to_owned()).collect(),
        }
    }
}
