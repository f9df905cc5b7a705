//! One error for the web app. Handlers return it; `error_page` renders it in the user's
//! language, as JSON under `/api/` (`{"error","message","fields"}`) or as a page elsewhere.
//! The wire code and the status are derived from the variant, so callers match on variants,
//! never on strings. Internal details are logged, never shown.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Field name → catalogue key of that field's message.
pub type Fields = BTreeMap<&'static str, &'static str>;

#[derive(Clone, Debug, thiserror::Error)]
pub enum AppError {
    /// 404 `not_found`; non-members get this everywhere, so a room's existence never leaks.
    #[error("not found")]
    NotFound,
    /// 404 with a more precise code (`invite_not_found`, `event_not_found`, `not_a_member`).
    #[error("{0} not found")]
    Missing(&'static str),
    /// 401: no session. A page GET is sent through login and back instead.
    #[error("login required")]
    LoginRequired,
    /// 403 `forbidden`: a member who may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 400 `bad_json`: a body that is not the JSON or form the route takes.
    #[error("malformed request body")]
    BadBody,
    /// 422 `validation`, with a message per field.
    #[error("invalid input")]
    Validation(Fields),
    /// 409 with the conflict's code (`poll_confirmed`, `owner_must_transfer`, …).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// 403 `consent_required`: the user must agree to `scopes` at Kakao, then come back to `next`.
    #[error("Kakao consent required for {scopes:?}")]
    ConsentRequired { scopes: Vec<String>, next: String },
    /// 409 `kakao_login_required`: Kakao no longer accepts the user's tokens; logging in again
    /// (through `login_url`, coming back to `next`) fixes it.
    #[error("Kakao login required")]
    KakaoLoginRequired { next: String },
    /// 502 `kakao_unavailable`: Kakao could not be reached or failed.
    #[error("Kakao unavailable")]
    KakaoUnavailable,
    /// Any other refusal with its own status and code (`csrf_failed`, `login_failed`,
    /// `rate_limited`, `method_not_allowed`, …).
    #[error("{1} ({0})")]
    Refused(StatusCode, &'static str),
    /// 500 `internal`; the cause was logged where it happened.
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn not_found() -> Self {
        Self::NotFound
    }

    pub fn login_required() -> Self {
        Self::LoginRequired
    }

    pub fn forbidden() -> Self {
        Self::Forbidden
    }

    pub fn bad_json() -> Self {
        Self::BadBody
    }

    pub fn conflict(code: &'static str) -> Self {
        Self::Conflict(code)
    }

    pub fn validation(fields: Fields) -> Self {
        Self::Validation(fields)
    }

    /// One field's problem.
    pub fn field(name: &'static str, key: &'static str) -> Self {
        Self::Validation([(name, key)].into_iter().collect())
    }

    /// Logs `err` and answers a plain 500.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::Internal
    }

    /// Logs why Kakao failed and answers 502 `kakao_unavailable`.
    pub fn kakao_unavailable(err: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %err, "Kakao call failed");
        Self::KakaoUnavailable
    }

    /// The stable snake_case code; also the catalogue key of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Missing(code) | Self::Conflict(code) | Self::Refused(_, code) => code,
            Self::LoginRequired => "login_required",
            Self::Forbidden => "forbidden",
            Self::BadBody => "bad_json",
            Self::Validation(_) => "validation",
            Self::ConsentRequired { .. } => "consent_required",
            Self::KakaoUnavailable => "kakao_unavailable",
            Self::KakaoLoginRequired { .. } => "kakao_login_required",
            Self::Internal => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound | Self::Missing(_) => StatusCode::NOT_FOUND,
            Self::LoginRequired => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::ConsentRequired { .. } => StatusCode::FORBIDDEN,
            Self::BadBody => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) | Self::KakaoLoginRequired { .. } => StatusCode::CONFLICT,
            Self::KakaoUnavailable => StatusCode::BAD_GATEWAY,
            Self::Refused(status, _) => *status,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The fields of a validation error (empty for every other kind).
    pub fn fields(&self) -> Fields {
        match self {
            Self::Validation(fields) => fields.clone(),
            _ => Fields::new(),
        }
    }

    /// Where a `consent_required` sends the user: Kakao's additional-consent screen for exactly
    /// the missing scopes, then back to where they were.
    pub fn consent_url(&self) -> Option<String> {
        match self {
            Self::ConsentRequired { scopes, next } => Some(consent_url(scopes, next)),
            _ => None,
        }
    }
}

/// `/auth/kakao/login?next=…`: log in again, then back to `next`.
pub fn login_url(next: &str) -> String {
    let next = url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>();
    format!("/auth/kakao/login?next={next}")
}

/// `/auth/kakao/login?scope=a,b&next=…`: additional consent for `scopes`, then back to `next`.
pub fn consent_url(scopes: &[String], next: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("scope", &scopes.join(","));
    q.append_pair("next", next);
    format!("/auth/kakao/login?{}", q.finish())
}

impl From<storage::StorageError> for AppError {
    fn from(e: storage::StorageError) -> Self {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut resp = self.status().into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes that are not written at a call site (the catalogue test reads call sites)
    /// must have their message too.
    #[test]
    fn every_fixed_code_has_a_message_in_both_languages() {
        let errors = [
            AppError::NotFound,
            AppError::LoginRequired,
            AppError::Forbidden,
            AppError::BadBody,
            AppError::Validation(Fields::new()),
            AppError::ConsentRequired {
                scopes: Vec::new(),
                next: String::new(),
            },
            AppError::KakaoLoginRequired { next: String::new() },
            AppError::KakaoUnavailable,
            AppError::Internal,
        ];
        for e in errors {
            for lang in i18n::Lang::ALL {
                assert!(!lang.t(e.code()).is_empty(), "{} lacks {lang:?}", e.code());
            }
        }
    }
}
