//! One error for the web app. Handlers return it; a middleware renders it in the user's
//! language, as JSON under `/api/` (`{"error","message","fields"}`) or as a page elsewhere.
//! Internal details are logged, never shown.

use std::collections::BTreeMap;

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::i18n::Lang;

#[derive(Clone, Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// Stable snake_case code; also the catalogue key of the message.
    pub code: &'static str,
    /// Field name → catalogue key of the field's message.
    pub fields: BTreeMap<&'static str, &'static str>,
    /// Extra JSON members (e.g. `scopes` and `consent_url` of `consent_required`).
    pub extra: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            fields: BTreeMap::new(),
            extra: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn login_required() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "login_required")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden")
    }

    pub fn bad_json() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_json")
    }

    pub fn conflict(code: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, code)
    }

    pub fn validation(fields: BTreeMap<&'static str, &'static str>) -> Self {
        Self {
            fields,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation")
        }
    }

    /// Logs `err` and answers a plain 500.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
}

impl From<storage::StorageError> for AppError {
    fn from(e: storage::StorageError) -> Self {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut resp = self.status.into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Renders [`AppError`]s (and bare framework errors such as 404, 405, 413, 429) for the
/// request's language and kind. The Kakao sandbox's own responses are left alone.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/_kakao") {
        return next.run(req).await;
    }
    let lang = Lang::from_headers(req.headers());
    let is_get = req.method() == axum::http::Method::GET;
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    let api = path.starts_with("/api/");
    let resp = next.run(req).await;
    let error = match resp.extensions().get::<AppError>() {
        Some(e) => e.clone(),
        None => {
            let bare = resp.headers().get(header::CONTENT_TYPE).is_none_or(|ct| {
                !ct.as_bytes().starts_with(b"application/json") && !ct.as_bytes().starts_with(b"text/html")
            });
            let code = match resp.status() {
                StatusCode::NOT_FOUND => "not_found",
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                StatusCode::TOO_MANY_REQUESTS => "rate_limited",
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "bad_json",
                _ => return resp,
            };
            if !bare {
                return resp;
            }
            AppError::new(resp.status(), code)
        }
    };
    if api {
        let mut body = json!({"error": error.code, "message": lang.t(error.code)});
        if !error.fields.is_empty() {
            let fields: serde_json::Map<String, serde_json::Value> = error
                .fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(lang.t(v))))
                .collect();
            body["fields"] = serde_json::Value::Object(fields);
        }
        if let Some(serde_json::Value::Object(extra)) = &error.extra {
            for (k, v) in extra {
                body[k] = v.clone();
            }
        }
        return (error.status, axum::Json(body)).into_response();
    }
    if error.code == "login_required" && is_get {
        let next = url::form_urlencoded::byte_serialize(path_and_query.as_bytes()).collect::<String>();
        return crate::web::see_other(&format!("/auth/kakao/login?next={next}"));
    }
    let page = crate::views::ErrorPage::new(lang, error.status, error.code, &error.fields);
    match askama::Template::render(&page) {
        Ok(html) => (error.status, Html(html)).into_response(),
        Err(_) => (error.status, lang.t(error.code)).into_response(),
    }
}
