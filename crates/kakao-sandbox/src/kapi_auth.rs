//! Who is calling a kapi endpoint: Kakao's token checks (§14.5) and scope checks.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use jiff::Timestamp;
use kakao::wire::KapiErrorBody;

use crate::app::{ConsentKind, MissingAuthorization};
use crate::http::{kapi, kapi_error};
use crate::state::State;

/// A caller that passed the token check.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: i64,
    /// The Bearer token, when called with one (admin-key calls have none).
    pub token: Option<String>,
}

/// Checks `Authorization` (Bearer access token, or `KakaoAK {admin key}` with
/// `target_id_type=user_id&target_id=…`) the way kapi does. Without the header, an
/// `access_token` parameter (query string or form body) is read as a Bearer token: node-oauth,
/// and so `passport-kakao`, sends the token that way by default, and Kakao accepts it.
pub fn authenticate(
    st: &State,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    now: Timestamp,
) -> Result<Caller, Response> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some(value) = value else {
        return match params.get("access_token").map(|t| t.trim()) {
            Some(token) if !token.is_empty() => bearer(st, token, now),
            _ => Err(missing(st)),
        };
    };
    let Some((scheme, credential)) = value.trim().split_once(' ') else {
        return Err(missing(st));
    };
    let credential = credential.trim();
    if scheme.eq_ignore_ascii_case("Bearer") {
        return bearer(st, credential, now);
    }
    if scheme.eq_ignore_ascii_case("KakaoAK") {
        if credential != st.app.admin_key {
            return Err(not_admin());
        }
        if params.get("target_id_type").map(String::as_str) != Some("user_id") {
            return Err(kapi(
                400,
                -2,
                "target_id_type must be user_id for admin key requests.",
            ));
        }
        let Some(target) = params.get("target_id").and_then(|t| t.parse::<i64>().ok()) else {
            return Err(kapi(400, -2, "target_id is required for admin key requests."));
        };
        let linked = st.users.get(&target).is_some_and(|u| u.link.is_some());
        if !linked {
            return Err(kapi(400, -101, "NotRegisteredUserException"));
        }
        return Ok(Caller {
            user_id: target,
            token: None,
        });
    }
    Err(missing(st))
}

fn not_admin() -> Response {
    let mut resp = kapi(
        401,
        -401,
        "wrong appKey format or this appKey is not an admin key.",
    );
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("KakaoAK error=invalid_token"),
    );
    resp
}

/// An app-level admin API (`/v1/user/ids`, `/v2/app/users`): only `KakaoAK {admin key}`.
pub fn require_admin(st: &State, headers: &HeaderMap) -> Result<(), Response> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some((scheme, credential)) = value.and_then(|v| v.trim().split_once(' ')) else {
        return Err(missing(st));
    };
    if scheme.eq_ignore_ascii_case("KakaoAK") && credential.trim() == st.app.admin_key {
        Ok(())
    } else {
        Err(not_admin())
    }
}

/// A user's access token: unknown and expired ones are Kakao's two `-401`s.
fn bearer(st: &State, token: &str, now: Timestamp) -> Result<Caller, Response> {
    let Some(record) = st.access.get(token) else {
        return Err(kapi(401, -401, "this access token does not exist"));
    };
    if record.expires_at <= now {
        return Err(kapi(401, -401, "this access token is already expired"));
    }
    Ok(Caller {
        user_id: record.user_id,
        token: Some(token.to_owned()),
    })
}

fn missing(st: &State) -> Response {
    match st.app.settings.missing_authorization {
        MissingAuthorization::Minus8 => kapi(400, -8, "authorization header is missing or malformed."),
        MissingAuthorization::Minus401 => kapi(401, -401, "this access token does not exist"),
    }
}

/// The consent checks of a scoped API: `-3` when the app has not configured the item (Kakao puts
/// the app's name where its DevTalk guide writes `[YOUR_APP_NAME]`), `-402` with
/// `required_scopes` when the user has not agreed to it.
pub fn require_scope(st: &State, user_id: i64, scope: &str, api_type: &str) -> Result<(), Response> {
    if st.app.kind_of(scope) == ConsentKind::Disabled {
        return Err(kapi(
            403,
            -3,
            format!(
                "[{}] App disabled [{scope}] scopes for [{api_type}] API on developers.kakao.com. Enable it first.",
                st.app.name
            ),
        ));
    }
    let agreed = st.agreed(user_id);
    if agreed.contains(scope) {
        return Ok(());
    }
    let mut body = KapiErrorBody::new(-402, "insufficient scopes.");
    body.api_type = Some(api_type.to_owned());
    body.required_scopes = Some(vec![scope.to_owned()]);
    body.allowed_scopes = Some(agreed.into_iter().collect());
    Err(kapi_error(StatusCode::FORBIDDEN, body))
}

/// A personal-info API succeeded: Kakao's sign-up is complete and the auto-unlink is off. With
/// auto-link off only `/v1/user/signup` completes it (see [`complete_signup`]).
pub fn mark_signed_up(st: &mut State, user_id: i64) {
    if st.app.settings.auto_link {
        complete_signup(st, user_id);
    }
}

/// Sign-up is complete whatever the app's auto-link setting (the sign-up API, the control API).
pub fn complete_signup(st: &mut State, user_id: i64) {
    if let Some(link) = st.users.get_mut(&user_id).and_then(|u| u.link.as_mut()) {
        link.signup_complete = true;
    }
}
