//! The one place errors meet the user: every [`AppError`] (and bare framework errors such as
//! 404, 405, 413, 429) is rendered here in the request's language, as JSON under `/api/` or as
//! a page elsewhere (`web::every_request` hands each answer to [`Pending::finish`]). Kept apart
//! from the error type so the type depends on no view.

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::views::PageCtx;

/// What the error page needs of the request, kept while it is answered: its address, whether
/// it was a GET, and of the headers only the cookies (who is logged in, their language) and
/// `Accept-Language`. A `Uri` clone shares its bytes; the language is worked out only when
/// there is an error to say.
pub struct Pending {
    uri: Uri,
    is_get: bool,
    headers: HeaderMap,
}

impl Pending {
    /// `None` for the Kakao sandbox's own pages, which keep their own errors.
    pub fn of(req: &Request) -> Option<Self> {
        if req.uri().path().starts_with("/_kakao") {
            return None;
        }
        let mut headers = HeaderMap::new();
        for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
            for value in req.headers().get_all(&name) {
                headers.append(name.clone(), value.clone());
            }
        }
        Some(Self {
            uri: req.uri().clone(),
            is_get: req.method() == axum::http::Method::GET,
            headers,
        })
    }

    /// Renders `resp` if it is an [`AppError`] or a bare framework error, for the request's
    /// language and kind; any other answer passes as it is.
    pub async fn finish(self, state: &AppState, resp: Response) -> Response {
        if resp.status().is_success() && resp.extensions().get::<AppError>().is_none() {
            return resp;
        }
        let path_and_query = self.uri.path_and_query().map_or(self.uri.path(), |p| p.as_str());
        // What the refusal tells the client to do next survives the rendering: how long to
        // wait (429) and which methods the path takes (405).
        let kept: Vec<_> = [header::RETRY_AFTER, header::ALLOW]
            .into_iter()
            .filter_map(|name| resp.headers().get(&name).cloned().map(|v| (name, v)))
            .collect();
        let page = PageReq {
            state,
            headers: self.headers,
            is_get: self.is_get,
            api: self.uri.path().starts_with("/api/"),
            path_and_query,
        };
        let mut rendered = render(resp, page).await;
        for (name, value) in kept {
            rendered.headers_mut().insert(name, value);
        }
        rendered
    }
}

/// What the error page needs to know about the request it answers.
struct PageReq<'a> {
    state: &'a AppState,
    headers: HeaderMap,
    is_get: bool,
    api: bool,
    path_and_query: &'a str,
}

/// The page context of an error page: the user's session is looked up again (the handler's
/// lookup went with its request), so the header still shows who is logged in.
async fn page_ctx(req: &PageReq<'_>, lang: i18n::Lang) -> PageCtx {
    let (mut parts, ()) = Request::new(()).into_parts();
    parts.headers = req.headers.clone();
    let auth = crate::web::session::lookup(req.state, &mut parts)
        .await
        .ok()
        .flatten();
    PageCtx::new(
        lang,
        auth.as_ref(),
        req.state.sandbox.is_some(),
        req.path_and_query,
    )
}

async fn render(resp: Response, req: PageReq<'_>) -> Response {
    let (is_get, api, path_and_query) = (req.is_get, req.api, req.path_and_query);
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
                StatusCode::REQUEST_TIMEOUT => "request_timeout",
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "bad_json",
                _ => return resp,
            };
            if !bare {
                return resp;
            }
            AppError::Refused(resp.status(), code)
        }
    };
    let (status, code, fields) = (error.status(), error.code(), error.fields());
    let lang = crate::web::extract::lang_from_headers(&req.headers);
    if api {
        let mut body = json!({"error": code, "message": lang.t(code)});
        if !fields.is_empty() {
            let fields: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(lang.t(v))))
                .collect();
            body["fields"] = serde_json::Value::Object(fields);
        }
        if let AppError::ConsentRequired { scopes, .. } = &error {
            body["scopes"] = json!(scopes);
            body["consent_url"] = json!(error.consent_url());
        }
        if let AppError::KakaoLoginRequired { next } = &error {
            body["login_url"] = json!(crate::web::error::login_url(next));
        }
        return (status, axum::Json(body)).into_response();
    }
    if matches!(error, AppError::LoginRequired) && is_get {
        let next = url::form_urlencoded::byte_serialize(path_and_query.as_bytes()).collect::<String>();
        return crate::web::http::see_other(&format!("/auth/kakao/login?next={next}"));
    }
    let page = crate::web::views::ErrorPage::new(page_ctx(&req, lang).await, status, code, &fields);
    match askama::Template::render(&page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, lang.t(code)).into_response(),
    }
}
