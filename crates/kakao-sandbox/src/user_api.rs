//! User APIs on kapi (§14.6): `/v2/user/me`, token info, logout, unlink, scopes and revoking them.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::Timestamp;
use kakao::wire::{AccessTokenInfo, ScopeInfo, ScopesResponse, UserIdResponse};

use crate::Sandbox;
use crate::app::{ConsentKind, scope_meta};
use crate::http::{json, kapi, list_param, params};
use crate::kapi_auth::{Caller, authenticate, mark_signed_up};
use crate::state::State as SandboxState;
use crate::user_fields;

/// Authenticates and hands the locked state to `f`.
fn with_caller(
    sb: &Sandbox,
    headers: &HeaderMap,
    p: &HashMap<String, String>,
    f: impl FnOnce(&mut SandboxState, Caller, Timestamp) -> Response,
) -> Response {
    let now = sb.clock().now();
    let mut st = sb.lock();
    match authenticate(&st, headers, p, now) {
        Ok(caller) => f(&mut st, caller, now),
        Err(resp) => resp,
    }
}

/// `GET|POST /v2/user/me`: the user's document per agreed item, narrowed by `property_keys`
/// (an unknown key is `-201`), image URLs per `secure_resource`; completes sign-up.
pub async fn me(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let keys = match p.get("property_keys").map(|k| list_param(k)) {
        None => None,
        Some(Some(keys)) => Some(keys),
        Some(None) => return kapi(400, -2, "property_keys must be a JSON array of strings."),
    };
    let secure = user_fields::wants_secure(p.get("secure_resource"));
    with_caller(&sb, &headers, &p, |st, caller, _| {
        let Some(user) = st.users.get(&caller.user_id) else {
            return kapi(400, -101, "NotRegisteredUserException");
        };
        let Some(link) = user.link.as_ref() else {
            return kapi(400, -101, "NotRegisteredUserException");
        };
        if let Some(bad) = keys.as_deref().and_then(|k| user_fields::unknown_key(st, k)) {
            return kapi(400, -201, format!("invalid property key: {bad}"));
        }
        let full = user_fields::document(st, user, link, secure);
        let answer = match &keys {
            Some(keys) => user_fields::select(&full, keys),
            None => full,
        };
        mark_signed_up(st, caller.user_id);
        json(answer)
    })
}

pub async fn access_token_info(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let p = params(q.as_deref(), b"");
    with_caller(&sb, &headers, &p, |st, caller, now| {
        let Some(token) = caller.token.as_ref().and_then(|t| st.access.get(t)) else {
            return kapi(401, -401, "this access token does not exist");
        };
        json(AccessTokenInfo {
            id: caller.user_id,
            expires_in: token.expires_at.as_second() - now.as_second(),
            app_id: st.app.app_id,
        })
    })
}

pub async fn logout(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    with_caller(&sb, &headers, &p, |st, caller, _| {
        match caller.token {
            // A Bearer logout ends this token pair on every device that uses it.
            Some(token) => {
                if let Some(record) = st.access.remove(&token) {
                    st.refresh.remove(&record.refresh_token);
                    st.access.retain(|_, a| a.refresh_token != record.refresh_token);
                }
            }
            // The admin key ends every token of the user.
            None => st.revoke_tokens(caller.user_id),
        }
        json(UserIdResponse { id: caller.user_id })
    })
}

/// The service unlinks the user itself: no webhook (Kakao sends none for this).
pub async fn unlink(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    with_caller(&sb, &headers, &p, |st, caller, _| {
        st.unlink(caller.user_id);
        json(UserIdResponse { id: caller.user_id })
    })
}

/// Every configured item, plus agreed items the app no longer uses (`using:false`).
fn scope_list(st: &SandboxState, user_id: i64, only: Option<&[String]>) -> ScopesResponse {
    let agreed = st.agreed(user_id);
    let mut ids: Vec<String> = st
        .app
        .consent_items
        .iter()
        .filter(|(_, k)| **k != ConsentKind::Disabled)
        .map(|(id, _)| id.clone())
        .collect();
    ids.extend(
        agreed
            .iter()
            .filter(|a| !ids.contains(a))
            .cloned()
            .collect::<Vec<_>>(),
    );
    if let Some(only) = only {
        ids.retain(|id| only.contains(id));
    }
    let scopes = ids
        .into_iter()
        .map(|id| {
            let (display_name, kind) = scope_meta(&id);
            let kind_cfg = st.app.kind_of(&id);
            let is_agreed = agreed.contains(&id);
            ScopeInfo {
                display_name: display_name.to_owned(),
                kind: kind.to_owned(),
                using: kind_cfg != ConsentKind::Disabled,
                agreed: is_agreed,
                revocable: is_agreed.then_some(kind_cfg != ConsentKind::Required),
                delegated: None,
                id,
            }
        })
        .collect();
    ScopesResponse { id: user_id, scopes }
}

pub async fn scopes(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let only = match p.get("scopes").map(|s| list_param(s)) {
        Some(None) => return kapi(400, -2, "scopes must be a JSON array of scope ids."),
        Some(Some(list)) => Some(list),
        None => None,
    };
    with_caller(&sb, &headers, &p, |st, caller, _| {
        json(scope_list(st, caller.user_id, only.as_deref()))
    })
}

pub async fn revoke_scopes(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let Some(wanted) = p
        .get("scopes")
        .and_then(|s| list_param(s))
        .filter(|l| !l.is_empty())
    else {
        return kapi(400, -2, "The Parameter [scopes] cannot be null.");
    };
    with_caller(&sb, &headers, &p, |st, caller, _| {
        let agreed = st.agreed(caller.user_id);
        for id in &wanted {
            let kind = st.app.kind_of(id);
            if kind == ConsentKind::Disabled && !agreed.contains(id) {
                return kapi(
                    400,
                    -2,
                    format!(
                        "There is no scopes to revoke. check out if given scope id([{id}]) is correct again."
                    ),
                );
            }
            if kind == ConsentKind::Required {
                return kapi(
                    403,
                    -3,
                    format!(
                        "[{id}] is not revocable. check out if it's set as required on developers.kakao.com"
                    ),
                );
            }
        }
        if let Some(link) = st.users.get_mut(&caller.user_id).and_then(|u| u.link.as_mut()) {
            for id in &wanted {
                link.agreed.remove(id);
                link.agreed_at.remove(id);
            }
        }
        json(scope_list(st, caller.user_id, None))
    })
}
