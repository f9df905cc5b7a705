//! The app's user list for its servers (§3.2, §14.6), callable only with the admin key:
//! `GET /v1/user/ids` pages through linked users' ids; `GET /v2/app/users` reads up to 100 users
//! (20 with `property_keys`) at once.
//!
//! Page URLs follow Kakao's fixture (`…/v1/user/ids?limit=3&order=asc&from_id=…`), `null` at
//! the ends; `before_url` runs the other way from the page's first id. Whether `/v2/app/users`
//! answers a bare array (the doc's example) or `{"elements":[…]}` (its field table) is a switch.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::Sandbox;
use crate::http::{json as ok_json, kapi, list_param, params};
use crate::kapi_auth::require_admin;
use crate::user_fields;

/// `GET /v1/user/ids`.
pub async fn ids(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let st = sb.lock();
    if let Err(resp) = require_admin(&st, &headers) {
        return resp;
    }
    let limit = match p.get("limit").map(|l| l.parse::<usize>()) {
        None => 100,
        Some(Ok(l)) if (1..=100).contains(&l) => l,
        Some(_) => return kapi(400, -2, "limit must be between 1 and 100."),
    };
    let desc = match p.get("order").map(String::as_str) {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return kapi(400, -2, "order must be asc or desc."),
    };
    let from = match p.get("from_id").map(|f| f.parse::<i64>()) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return kapi(400, -2, "from_id must be a user id."),
    };
    let mut linked: Vec<i64> = st
        .users
        .values()
        .filter(|u| u.link.is_some())
        .map(|u| u.id)
        .collect();
    if desc {
        linked.reverse();
    }
    let start = match from {
        None => 0,
        Some(f) => linked
            .iter()
            .position(|id| if desc { *id <= f } else { *id >= f })
            .unwrap_or(linked.len()),
    };
    let end = (start + limit).min(linked.len());
    let page = &linked[start..end];
    let url = |order: &str, from: i64| {
        format!(
            "{}/v1/user/ids?limit={limit}&order={order}&from_id={from}",
            st.base_url
        )
    };
    let (forward, backward) = if desc { ("desc", "asc") } else { ("asc", "desc") };
    let after = linked.get(end).map(|next| url(forward, *next));
    let before = start
        .checked_sub(1)
        .and_then(|i| linked.get(i))
        .map(|prev| url(backward, *prev));
    ok_json(json!({"elements": page, "before_url": before, "after_url": after}))
}

/// `GET /v2/app/users`.
pub async fn app_users(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let st = sb.lock();
    if let Err(resp) = require_admin(&st, &headers) {
        return resp;
    }
    if p.get("target_id_type").map(String::as_str) != Some("user_id") {
        return kapi(400, -2, "target_id_type must be user_id.");
    }
    let Some(ids) = p
        .get("target_ids")
        .and_then(|raw| serde_json::from_str::<Vec<Value>>(raw).ok())
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
                .collect::<Vec<i64>>()
        })
        .filter(|ids| !ids.is_empty())
    else {
        return kapi(400, -2, "The Parameter [target_ids] cannot be null.");
    };
    let keys = match p.get("property_keys").map(|k| list_param(k)) {
        None => None,
        Some(Some(keys)) => Some(keys),
        Some(None) => return kapi(400, -2, "property_keys must be a JSON array of strings."),
    };
    let max = if keys.is_some() { 20 } else { 100 };
    if ids.len() > max {
        return kapi(400, -2, format!("target_ids takes at most {max} ids."));
    }
    if let Some(bad) = keys.as_deref().and_then(|k| user_fields::unknown_key(&st, k)) {
        return kapi(400, -201, format!("invalid property key: {bad}"));
    }
    let secure = user_fields::wants_secure(p.get("secure_resource"));
    let users: Vec<Value> = ids
        .iter()
        .filter_map(|id| st.users.get(id))
        .filter_map(|u| u.link.as_ref().map(|l| (u, l)))
        .map(|(u, l)| {
            let full = user_fields::document(&st, u, l, secure);
            user_fields::select(&full, keys.as_deref().unwrap_or(&[]))
        })
        .collect();
    if st.app.settings.app_users_as_elements {
        ok_json(json!({"elements": users}))
    } else {
        ok_json(users)
    }
}
