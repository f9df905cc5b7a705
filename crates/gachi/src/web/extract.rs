//! Typed edges: the extractors handlers take instead of raw bytes and header maps. Every
//! rejection is our own [`AppError`], so a malformed body or query gets the same clear error
//! (in the user's language) as any other bad input.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use i18n::Lang;
use serde::de::DeserializeOwned;

use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::session::lookup;
use crate::web::views::PageCtx;

/// The body's bytes; too large is 413 (the body limit), anything else unreadable is 400.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::Refused(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        } else {
            AppError::BadBody
        }
    })
}

/// A JSON body. Read whatever its `Content-Type` (scripts and tests send JSON without one,
/// as they always could); anything that does not parse is 400 `bad_json`, and so is any body
/// that is not a JSON object: every route takes an object, and serde would otherwise read an
/// array such as `[null, null]` field by field as if it named them.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body = body_bytes(req, state).await?;
        let mut value: serde_json::Value = serde_json::from_slice(&body).map_err(|_| AppError::BadBody)?;
        if !value.is_object() {
            return Err(AppError::BadBody);
        }
        clean_json(&mut value, "text")?;
        serde_json::from_value(value)
            .map(Json)
            .map_err(|_| AppError::BadBody)
    }
}

/// An `application/x-www-form-urlencoded` body, read with `serde_html_form` (what axum-extra's
/// `Form` uses), which reads repeated keys into a `Vec` as the friend picker's checkboxes send
/// them. Like the no-script forms always were, it is read whatever the `Content-Type`, and an
/// empty body is an empty form (every field optional), so a page's own checks answer first.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body = body_bytes(req, state).await?;
        let clean = clean_pairs(&body)?;
        serde_html_form::from_str(&clean)
            .map(Form)
            .map_err(|_| AppError::BadBody)
    }
}

/// A typed query string (repeated keys read into a `Vec`); one that does not fit is 400.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let clean = clean_pairs(parts.uri.query().unwrap_or("").as_bytes())?;
        serde_html_form::from_str(&clean)
            .map(Query)
            .map_err(|_| AppError::Refused(StatusCode::BAD_REQUEST, "bad_query"))
    }
}

/// Field names a control-character error can name (the error's fields are static text); any
/// other place in a body is reported as `text`.
const TEXT_FIELDS: &[&str] = &[
    "name",
    "description",
    "title",
    "location",
    "memo",
    "time_zone",
    "code",
    "date",
    "dates",
    "from",
    "to",
    "layout",
    "event_id",
    "channel",
    "receiver_uuids",
    "uuids",
    "user_id",
    "answers",
    "answer",
    "deadline",
    "start_time",
    "end_time",
    "starts_at",
    "ends_at",
    "start_date",
    "end_date",
    "end_day",
    "kind",
    "next",
    "scope",
];

fn control_character(field: &str) -> AppError {
    let name = TEXT_FIELDS
        .iter()
        .find(|f| **f == field)
        .copied()
        .unwrap_or("text");
    AppError::field(name, "text_control_chars")
}

/// Cleans every string of a JSON body, keys included, in place (see `domain::text::clean`);
/// `field` is the top-level key being walked, for the error.
fn clean_json(value: &mut serde_json::Value, field: &str) -> Result<(), AppError> {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let cleaned = domain::text::clean(s).map_err(|_| control_character(field))?;
            if let std::borrow::Cow::Owned(c) = cleaned {
                *s = c;
            }
        }
        Value::Array(items) => {
            for item in items {
                clean_json(item, field)?;
            }
        }
        Value::Object(map) => {
            let top = field == "text";
            let mut cleaned = serde_json::Map::new();
            for (key, mut item) in std::mem::take(map) {
                let key = domain::text::clean(&key)
                    .map_err(|_| control_character(field))?
                    .into_owned();
                clean_json(&mut item, if top { &key } else { field })?;
                cleaned.insert(key, item);
            }
            *map = cleaned;
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
}

/// A form body or query string with every name and value cleaned, encoded again for the
/// deserializer: so a textarea's CRLF arrives as `\n` and a NUL never reaches a query.
fn clean_pairs(raw: &[u8]) -> Result<Cow<'_, str>, AppError> {
    // Nothing escaped and no control character: decoding changes no text and cleaning none, so
    // the pairs are clean as they came (the common case: `?from=2026-12-01&to=2027-01-01`).
    if !raw.iter().any(|&b| b == b'%' || b < 0x20 || b == 0x7f)
        && let Ok(text) = std::str::from_utf8(raw)
    {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in url::form_urlencoded::parse(raw) {
        let clean_key = domain::text::clean(&key).map_err(|_| control_character("text"))?;
        let clean_value = domain::text::clean(&value).map_err(|_| control_character(&clean_key))?;
        out.append_pair(&clean_key, &clean_value);
    }
    Ok(Cow::Owned(out.finish()))
}

/// The language to answer in: the `lang` cookie (the page's toggle) wins; otherwise the first
/// of Accept-Language that we speak; otherwise Korean. It lives here, not in the `i18n` crate,
/// because only the web layer knows about headers.
pub fn lang_from_headers(headers: &HeaderMap) -> Lang {
    if let Some(lang) = crate::web::http::read_cookie(headers, "lang", Lang::parse).flatten() {
        return lang;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for part in accept.split(',') {
        let tag = part.split(';').next().unwrap_or("").trim().as_bytes();
        let starts = |prefix: &[u8]| tag.get(..2).is_some_and(|t| t.eq_ignore_ascii_case(prefix));
        if starts(b"ko") {
            return Lang::Ko;
        }
        if starts(b"en") {
            return Lang::En;
        }
    }
    Lang::Ko
}

/// The language to answer in, as [`lang_from_headers`] decides.
pub struct AcceptLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptLang(lang_from_headers(&parts.headers)))
    }
}

/// What every page template needs: language, the user (if logged in), the CSRF token, the
/// sandbox banner and the current path. The session is looked up once per request, however
/// many extractors ask.
impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let auth = lookup(state, parts).await?;
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
            .or_else(|| parts.uri.path_and_query().map(|p| p.as_str().to_owned()))
            .unwrap_or_else(|| "/".to_owned());
        let mut ctx = PageCtx::new(
            lang_from_headers(&parts.headers),
            auth.as_ref(),
            state.sandbox.is_some(),
            &path,
        );
        ctx.flash = crate::web::flash::from_headers(&parts.headers);
        Ok(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_and_cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(lang_from_headers(&h), Lang::Ko);
        h.insert(
            header::ACCEPT_LANGUAGE,
            "en-US,en;q=0.9,ko;q=0.8".parse().unwrap(),
        );
        assert_eq!(lang_from_headers(&h), Lang::En);
        h.insert(header::COOKIE, "lang=ko".parse().unwrap());
        assert_eq!(lang_from_headers(&h), Lang::Ko);
    }
}
