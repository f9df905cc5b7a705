//! The sharer's KakaoTalk friends (all pages, favourites first, kept ≤ 60 s for paging and
//! searching) and "why is my friend missing?" (DESIGN.md item 7): for every room member not in
//! the list, which of Kakao's visibility conditions fails as far as Gachi can know.
//!
//! How each reason is known, so it also holds with real Kakao:
//! - `not_linked`: Gachi holds no usable tokens for the member (never linked, unlinked — the
//!   unlink webhook removes them — or a refresh Kakao refused).
//! - `friends_not_agreed`: `/v2/user/scopes` asked with the member's own token (that works with
//!   any Kakao app; the admin-key variant needs the admin key in every instance, and the member's
//!   token is at hand).
//! - `not_app_member`: the app lacks the friends/message permission (`KAKAO_FRIENDS_PERMISSION`,
//!   or in sandbox mode the sandbox app itself) and the sharer or the member is not a team
//!   member. Real Kakao does not tell team membership by API, so with `members-only` the reason
//!   is named as a possibility for every missing member.
//! - `consent_recent`: the member agreed to `friends` less than 10 minutes ago (Kakao's friend
//!   list is cached that long). In sandbox mode the sandbox says when; otherwise Gachi uses the
//!   first time it saw the agreement, which can only be later than the real one.
//! - `hidden_blocked_private_or_not_friends`: none of the above; what cannot be seen from outside.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kakao::ErrorKind;
use kakao::wire::Friend;
use serde::Serialize;
use storage::{Room, User};

use crate::auth::consent::{self, FRIENDS, consent_required, kakao_unavailable};
use crate::auth::tokens::{TokenError, access_token};
use crate::rooms::service as rooms;
use crate::state::AppState;
use crate::web::error::AppResult;
use crate::web::extract::Query;
use crate::web::session::Auth;

/// Kakao's own friend-list cache.
pub const KAKAO_CACHE_MS: i64 = 10 * 60_000;

#[derive(Clone, Debug, Serialize)]
pub struct FriendJson {
    pub id: i64,
    pub uuid: String,
    pub nickname: String,
    pub thumbnail_url: Option<String>,
    pub favorite: bool,
}

impl From<&Friend> for FriendJson {
    fn from(f: &Friend) -> Self {
        Self {
            id: f.id,
            uuid: f.uuid.clone(),
            nickname: f.profile_nickname.clone().unwrap_or_default(),
            thumbnail_url: f.profile_thumbnail_image.clone(),
            favorite: f.favorite,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct MissingJson {
    pub user_id: String,
    pub nickname: String,
    pub reasons: Vec<&'static str>,
    /// The link the member opens to give the missing consent.
    pub consent_url: String,
}

/// Every visible friend of `user`, favourites first. Missing `friends` consent (also a `-402`
/// from Kakao) is the contract's `consent_required`, coming back to `next`.
pub async fn friend_list(state: &AppState, user: &User, next: &str) -> AppResult<Vec<Friend>> {
    let now = state.now_ms();
    if let Some(list) = state.friends_cache.get(&user.id, now) {
        return Ok(list);
    }
    let missing = consent::missing_scopes(state, &user.id, &[FRIENDS]).await?;
    if !missing.is_empty() {
        return Err(consent_required(&missing, next));
    }
    let mut force = false;
    let mut list = loop {
        let token = match access_token(state, &user.id, force).await {
            Ok(t) => t,
            Err(TokenError::NeedsLogin) => return Err(consent_required(&[FRIENDS.to_owned()], next)),
            Err(e) => return Err(kakao_unavailable(e)),
        };
        match state.kakao.all_friends(&token).await {
            Ok(list) => break list,
            Err(e) => match e.kind() {
                ErrorKind::TokenExpired if !force => force = true,
                ErrorKind::NeedsConsent(scopes) => return Err(consent_required(&scopes, next)),
                ErrorKind::NeedsLogin | ErrorKind::TokenExpired => {
                    return Err(consent_required(&[FRIENDS.to_owned()], next));
                }
                _ => return Err(kakao_unavailable(e)),
            },
        }
    };
    // Kakao already orders favourites first; a stable sort keeps that true whatever it sends.
    list.sort_by_key(|f| !f.favorite);
    state.friends_cache.put(user.id.clone(), now, list.clone());
    Ok(list)
}

/// What the sandbox knows (sandbox mode only): permission, team members, agreement times.
struct SandboxFacts {
    permission: bool,
    members: Vec<i64>,
    friends_agreed_at: HashMap<i64, i64>,
}

async fn sandbox_facts(state: &AppState) -> Option<SandboxFacts> {
    let sandbox = state.sandbox.as_ref()?;
    let app = sandbox.app();
    let url = format!("{}/_admin/users", sandbox.base_url());
    let users: serde_json::Value = reqwest::get(url).await.ok()?.json().await.ok()?;
    let mut friends_agreed_at = HashMap::new();
    for u in users["users"].as_array().into_iter().flatten() {
        let at = u["agreed_at"]["friends"]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok());
        if let (Some(id), Some(at)) = (u["id"].as_i64(), at) {
            friends_agreed_at.insert(id, at.as_millisecond());
        }
    }
    Some(SandboxFacts {
        permission: app.friends_message_permission,
        members: app.members,
        friends_agreed_at,
    })
}

/// For every member of `room` other than `viewer` who is not among `friends`: the reasons.
pub async fn diagnose(
    state: &AppState,
    room: &Room,
    viewer: &User,
    friends: &[Friend],
) -> AppResult<Vec<MissingJson>> {
    let members = state.store.members(&room.id).await?;
    let facts = sandbox_facts(state).await;
    let now = state.now_ms();
    let mut out = Vec::new();
    for m in members.iter().filter(|m| m.user_id != viewer.id) {
        let Some(user) = state.store.user(&m.user_id).await? else {
            continue;
        };
        if friends.iter().any(|f| f.id == user.kakao_id) {
            continue;
        }
        let mut reasons = Vec::new();
        let linked = user.unlinked_at.is_none() && state.store.tokens(&user.id).await?.is_some();
        let mut agreed = false;
        if !linked {
            reasons.push("not_linked");
        } else {
            // A member whose token no longer works cannot be asked: treat as not linked.
            match consent::missing_scopes(state, &user.id, &[FRIENDS]).await {
                Ok(missing) if missing.is_empty() => agreed = true,
                Ok(_) if state.store.tokens(&user.id).await?.is_none() => reasons.push("not_linked"),
                Ok(_) => reasons.push("friends_not_agreed"),
                Err(_) => {}
            }
        }
        match &facts {
            Some(f)
                if !f.permission
                    && (!f.members.contains(&viewer.kakao_id) || !f.members.contains(&user.kakao_id)) =>
            {
                reasons.push("not_app_member");
            }
            None if state.config.kakao_friends_permission != "granted" => reasons.push("not_app_member"),
            _ => {}
        }
        if agreed {
            let agreed_at = match &facts {
                Some(f) => f.friends_agreed_at.get(&user.kakao_id).copied(),
                None => state.store.scope_seen(&user.id, FRIENDS).await?,
            };
            if agreed_at.is_some_and(|at| now - at < KAKAO_CACHE_MS) {
                reasons.push("consent_recent");
            }
        }
        if reasons.is_empty() {
            reasons.push("hidden_blocked_private_or_not_friends");
        }
        out.push(MissingJson {
            user_id: user.id.clone(),
            nickname: user.nickname.clone(),
            reasons,
            consent_url: consent::consent_url(&[FRIENDS.to_owned()], &format!("/rooms/{}", room.id)),
        });
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
pub struct FriendsQuery {
    room: Option<String>,
}

/// `GET /api/v1/friends?room={id}` → `{"friends":[…],"missing":[…]}`.
pub async fn api(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<FriendsQuery>,
) -> AppResult<Response> {
    let room = match &q.room {
        Some(id) => Some(rooms::member_room(&state, id, &auth.user).await?.0),
        None => None,
    };
    let next = room
        .as_ref()
        .map(|r| format!("/rooms/{}/share", r.id))
        .unwrap_or_else(|| "/".to_owned());
    let friends = friend_list(&state, &auth.user, &next).await?;
    let missing = match &room {
        Some(room) => diagnose(&state, room, &auth.user, &friends).await?,
        None => Vec::new(),
    };
    let friends: Vec<FriendJson> = friends.iter().map(FriendJson::from).collect();
    Ok(axum::Json(serde_json::json!({"friends": friends, "missing": missing})).into_response())
}
