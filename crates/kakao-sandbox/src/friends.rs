//! `GET /v1/api/talk/friends` (§14.7): the five visibility conditions, ordering, paging, and
//! Kakao's per-caller 10-minute response cache, which is why a friend who just agreed is missing.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::Sandbox;
use crate::http::{json as ok_json, kapi, params};
use crate::kapi_auth::{authenticate, mark_signed_up, require_scope};
use crate::state::State as SandboxState;

/// Friend ids visible to `caller` right now (uncached).
pub fn visible_friend_ids(st: &SandboxState, caller: i64) -> Vec<i64> {
    let Some(me) = st.users.get(&caller) else {
        return Vec::new();
    };
    let members_only = !st.app.friends_message_permission;
    if members_only && !st.app.is_member(caller) {
        return Vec::new();
    }
    me.friends
        .iter()
        .filter(|id| !me.hidden.contains(id) && !me.blocked.contains(id))
        .filter_map(|id| st.users.get(id))
        .filter(|f| f.talk_user && f.profile_public)
        .filter(|f| f.link.as_ref().is_some_and(|l| l.agreed.contains("friends")))
        .filter(|f| !members_only || st.app.is_member(f.id))
        .map(|f| f.id)
        .collect()
}

/// The caller's friend list as Kakao's cache would answer it at `now`.
fn cached_ids(st: &mut SandboxState, caller: i64, now: Timestamp) -> Vec<i64> {
    let window = SignedDuration::from_secs(st.app.settings.friends_cache_seconds);
    if let Some((at, ids)) = st.friends_cache.get(&caller)
        && now.duration_since(*at) < window
    {
        return ids.clone();
    }
    let ids = visible_friend_ids(st, caller);
    st.friends_cache.insert(caller, (now, ids.clone()));
    ids
}

pub async fn friends(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let now = sb.clock().now();
    let mut st = sb.lock();
    let caller = match authenticate(&st, &headers, &p, now) {
        Ok(c) if c.token.is_some() => c.user_id,
        Ok(_) => return kapi(401, -401, "this API needs a user's access token."),
        Err(resp) => return resp,
    };
    if let Err(resp) = require_scope(&st, caller, "friends", "FRIENDS") {
        return resp;
    }
    if !st.users.get(&caller).is_some_and(|u| u.talk_user) {
        return kapi(400, -501, "NotKakaoTalkUserException");
    }
    let settings = st.app.settings.clone();
    let parse_num = |k: &str| p.get(k).map(|v| v.parse::<u32>());
    let offset = match parse_num("offset") {
        None => 0,
        Some(Ok(v)) => v,
        Some(Err(_)) => return kapi(400, -2, "invalid offset"),
    };
    let mut limit = match parse_num("limit") {
        None => settings.friends_default_limit,
        Some(Ok(v)) if v > 0 => v,
        Some(_) => return kapi(400, -2, "invalid limit"),
    };
    if limit > 100 {
        if settings.friends_over_max_limit == "error" {
            return kapi(400, -2, "limit must be 100 or less");
        }
        limit = 100;
    }
    let order = p.get("order").cloned().unwrap_or_else(|| "asc".into());
    if order != "asc" && order != "desc" {
        return kapi(400, -2, "order must be asc or desc");
    }
    let friend_order = p.get("friend_order").cloned();
    let by_favorite = match friend_order.as_deref() {
        None | Some("favorite") => true,
        Some("nickname") => false,
        Some(_) => return kapi(400, -2, "friend_order must be favorite or nickname"),
    };

    let ids = cached_ids(&mut st, caller, now);
    mark_signed_up(&mut st, caller);
    let Some(me) = st.users.get(&caller) else {
        return kapi(400, -101, "NotRegisteredUserException");
    };
    let secure = crate::user_fields::wants_secure(p.get("secure_resource"));
    let st = &*st;
    let mut friends: Vec<_> = ids.iter().filter_map(|id| st.users.get(id)).collect();
    friends.sort_by(|a, b| {
        let fav = |u: &&crate::state::User| !me.favorites.contains(&u.id);
        let key_a = (by_favorite && fav(a), a.nickname.as_str(), a.id);
        let key_b = (by_favorite && fav(b), b.nickname.as_str(), b.id);
        key_a.cmp(&key_b)
    });
    if order == "desc" {
        friends.reverse();
    }
    let total = friends.len();
    let start = (offset as usize).min(total);
    let end = (start + limit as usize).min(total);
    let page: Vec<Value> = friends[start..end]
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "uuid": f.uuid,
                "favorite": me.favorites.contains(&f.id),
                "profile_nickname": f.nickname,
                "profile_thumbnail_image": crate::user_fields::image_url(st, &f.thumbnail_image_url, secure),
                "allowed_msg": true,
            })
        })
        .collect();
    let favorite_count = friends[start..end]
        .iter()
        .filter(|f| me.favorites.contains(&f.id))
        .count();
    let page_url = |offset: usize| {
        let mut url = format!(
            "{}/v1/api/talk/friends?offset={offset}&limit={limit}&order={order}",
            st.base_url
        );
        if let Some(fo) = &friend_order {
            url.push_str(&format!("&friend_order={fo}"));
        }
        url
    };
    let before = (start > 0).then(|| page_url(start.saturating_sub(limit as usize)));
    let after = (end < total).then(|| page_url(end));

    let mut body = serde_json::Map::new();
    if !(page.is_empty() && settings.friends_omit_empty_elements) {
        body.insert("elements".into(), Value::Array(page));
    }
    body.insert("total_count".into(), json!(total));
    body.insert("favorite_count".into(), json!(favorite_count));
    for (key, url) in [("before_url", before), ("after_url", after)] {
        match url {
            Some(u) => {
                body.insert(key.into(), json!(u));
            }
            None if !settings.friends_omit_end_urls => {
                body.insert(key.into(), Value::Null);
            }
            None => {}
        }
    }
    ok_json(Value::Object(body))
}
