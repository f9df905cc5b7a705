//! One error for every Kakao failure, keeping Kakao's own facts and saying what to do next.

use crate::id_token::IdTokenError;
use crate::wire::{KapiErrorBody, KauthErrorBody};

/// What a caller should do about a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Try again later (Kakao down or busy, or nothing reached Kakao).
    Transient,
    /// Trying again will fail the same way (bad input, misconfiguration, refused receiver).
    Permanent,
    /// A Kakao quota is used up; wait for it to reset (usually the next KST day).
    Quota,
    /// The user must agree to these scopes (additional consent), then retry.
    NeedsConsent(Vec<String>),
    /// The access token is expired or unknown: refresh it, then retry.
    TokenExpired,
    /// The user must log in again (refresh token gone, or user no longer linked).
    NeedsLogin,
    /// The request may have reached Kakao but its answer was lost: it may or may not have taken
    /// effect, so it must not be repeated blindly (messages could be doubled).
    Unknown,
}

#[derive(Debug, thiserror::Error)]
pub enum KakaoError {
    /// kauth answered with an OAuth error (`KOExxx`).
    #[error("Kakao login error {} ({}, HTTP {status})", .body.error_code.as_deref().unwrap_or("-"), .body.error)]
    Auth { status: u16, body: Box<KauthErrorBody> },
    /// kapi answered `-402`: the user has not agreed to what this API needs.
    #[error("Kakao needs consent to {required_scopes:?} for {api_type}")]
    InsufficientScopes {
        api_type: String,
        required_scopes: Vec<String>,
        allowed_scopes: Vec<String>,
    },
    /// kapi answered with another error code.
    #[error("Kakao API error {} (HTTP {status}): {}", .body.code, .body.msg)]
    Api { status: u16, body: Box<KapiErrorBody> },
    /// The connection failed before the request could be sent.
    #[error("could not reach Kakao: {0}")]
    NotSent(#[source] reqwest::Error),
    /// The request was (or may have been) sent, but no answer arrived.
    #[error("Kakao's answer was lost: {0}")]
    AnswerLost(#[source] reqwest::Error),
    /// Kakao answered something this client does not understand.
    #[error("unexpected answer from Kakao (HTTP {status}): {detail}")]
    Unexpected { status: u16, detail: String },
    /// The ID token failed verification.
    #[error("ID token rejected: {0}")]
    IdToken(#[from] IdTokenError),
    /// A configuration problem on our side (e.g. an admin-key call without an admin key).
    #[error("Kakao client misconfigured: {0}")]
    Config(&'static str),
}

impl KakaoError {
    /// The kapi error code, if this is a kapi error.
    pub fn api_code(&self) -> Option<i32> {
        match self {
            KakaoError::Api { body, .. } => Some(body.code),
            KakaoError::InsufficientScopes { .. } => Some(-402),
            _ => None,
        }
    }

    /// A short, bounded name for metrics: Kakao's own code (`-401`, `KOE322`, the OAuth error
    /// when no KOE code came), else what went wrong on the way (`not_sent`, `answer_lost`,
    /// `http_502`, ...).
    pub fn outcome(&self) -> String {
        match self {
            KakaoError::Auth { body, .. } => body.error_code.clone().unwrap_or_else(|| body.error.clone()),
            KakaoError::InsufficientScopes { .. } => "-402".to_owned(),
            KakaoError::Api { body, .. } => body.code.to_string(),
            KakaoError::NotSent(_) => "not_sent".to_owned(),
            KakaoError::AnswerLost(_) => "answer_lost".to_owned(),
            KakaoError::Unexpected { status, .. } => format!("http_{status}"),
            KakaoError::IdToken(_) => "id_token".to_owned(),
            KakaoError::Config(_) => "config".to_owned(),
        }
    }

    /// The kauth `KOE` code, if this is a kauth error that carried one.
    pub fn koe_code(&self) -> Option<&str> {
        match self {
            KakaoError::Auth { body, .. } => body.error_code.as_deref(),
            _ => None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            KakaoError::Auth { status, body } => match body.error_code.as_deref() {
                Some("KOE322") => ErrorKind::NeedsLogin,
                Some("KOE003") => ErrorKind::Transient,
                Some("KOE237") => ErrorKind::Quota,
                _ if *status >= 500 => ErrorKind::Transient,
                _ => ErrorKind::Permanent,
            },
            KakaoError::InsufficientScopes { required_scopes, .. } => {
                ErrorKind::NeedsConsent(required_scopes.clone())
            }
            KakaoError::Api { status, body } => kind_of_code(*status, body.code),
            KakaoError::NotSent(_) => ErrorKind::Transient,
            KakaoError::AnswerLost(_) => ErrorKind::Unknown,
            KakaoError::Unexpected { status, .. } if *status >= 500 => ErrorKind::Transient,
            KakaoError::Unexpected { .. } | KakaoError::IdToken(_) | KakaoError::Config(_) => {
                ErrorKind::Permanent
            }
        }
    }

    /// Classifies a failure before any answer arrived.
    ///
    /// Not sent (safe to retry): the connection could not be made, or the server closed or reset
    /// it without writing a single byte of an answer. That is how a refused request looks
    /// (DESIGN.md: the sandbox's `refuse` fault, and a server closing a kept-alive connection
    /// just as a request goes out), and Kakao's front ends answer errors with a status, not a
    /// silent close. Everything else, timeouts above all, may have been applied: answer lost.
    pub(crate) fn from_transport(err: reqwest::Error) -> Self {
        let err = err.without_url();
        if err.is_connect() || err.is_builder() || (!err.is_timeout() && closed_without_answer(&err)) {
            KakaoError::NotSent(err)
        } else {
            KakaoError::AnswerLost(err)
        }
    }

    pub(crate) fn from_kauth(status: u16, mut body: KauthErrorBody) -> Self {
        body.error_description = redact_code(&body.error_description);
        KakaoError::Auth {
            status,
            body: Box::new(body),
        }
    }

    pub(crate) fn from_kapi(status: u16, body: KapiErrorBody) -> Self {
        if body.code == -402 {
            return KakaoError::InsufficientScopes {
                api_type: body.api_type.unwrap_or_default(),
                required_scopes: body.required_scopes.unwrap_or_default(),
                allowed_scopes: body.allowed_scopes.unwrap_or_default(),
            };
        }
        KakaoError::Api {
            status,
            body: Box::new(body),
        }
    }
}

/// Whether the error chain says the peer closed or reset the connection before answering.
fn closed_without_answer(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(h) = e.downcast_ref::<hyper::Error>()
            && h.is_incomplete_message()
        {
            return true;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
            )
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// What a kapi error code means for the caller (also used for per-receiver `failure_info`).
///
/// `-502` (not a visible friend) and `-530` (private profile) are permanent for this receiver;
/// the message quotas (`-10` app, `-531` sender month, `-532` sender day, `-533` receiver day,
/// `-536` pair day) reset with the KST day.
pub fn kind_of_code(status: u16, code: i32) -> ErrorKind {
    match code {
        -401 => ErrorKind::TokenExpired,
        -101 => ErrorKind::NeedsLogin,
        -10 | -531 | -532 | -533 | -536 => ErrorKind::Quota,
        -1 | -7 | -603 | -9798 => ErrorKind::Transient,
        -2 | -3 | -502 | -530 | -602 | -606 | -911 => ErrorKind::Permanent,
        _ if status >= 500 => ErrorKind::Transient,
        _ => ErrorKind::Permanent,
    }
}

/// KOE320's description quotes the authorization code ("… for code=xxx"); a code must never
/// end up in a log, so everything after `code=` is replaced.
fn redact_code(description: &str) -> String {
    match description.find("code=") {
        Some(at) => format!("{}code=…", &description[..at]),
        None => description.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: i32, status: u16) -> KakaoError {
        KakaoError::from_kapi(status, KapiErrorBody::new(code, "x"))
    }

    #[test]
    fn kinds_follow_kakao_codes() {
        assert_eq!(api(-401, 401).kind(), ErrorKind::TokenExpired);
        assert_eq!(api(-536, 400).kind(), ErrorKind::Quota);
        assert_eq!(api(-532, 400).kind(), ErrorKind::Quota);
        assert_eq!(api(-7, 400).kind(), ErrorKind::Transient);
        assert_eq!(api(-9798, 503).kind(), ErrorKind::Transient);
        assert_eq!(api(-2, 400).kind(), ErrorKind::Permanent);
        assert_eq!(api(-530, 400).kind(), ErrorKind::Permanent);
        let mut scopes = KapiErrorBody::new(-402, "insufficient scopes.");
        scopes.required_scopes = Some(vec!["talk_message".into()]);
        assert_eq!(
            KakaoError::from_kapi(403, scopes).kind(),
            ErrorKind::NeedsConsent(vec!["talk_message".into()])
        );
        let koe322 = KauthErrorBody {
            error: "invalid_grant".into(),
            error_description: "expired_or_invalid_refresh_token".into(),
            error_code: Some("KOE322".into()),
        };
        assert_eq!(KakaoError::from_kauth(400, koe322).kind(), ErrorKind::NeedsLogin);
    }

    #[test]
    fn authorization_codes_never_reach_messages() {
        let body = KauthErrorBody {
            error: "invalid_grant".into(),
            error_description: "authorization code not found for code=SECRETCODE".into(),
            error_code: Some("KOE320".into()),
        };
        let err = KakaoError::from_kauth(400, body);
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("SECRETCODE"), "{shown}");
        assert_eq!(err.koe_code(), Some("KOE320"));
    }
}
