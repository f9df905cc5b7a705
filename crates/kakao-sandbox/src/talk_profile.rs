//! `GET /v1/api/talk/profile` (카카오톡 프로필, §3.2): the caller's KakaoTalk nickname and
//! pictures in KakaoTalk's own field names (`nickName`, `profileImageURL`, `thumbnailURL`,
//! `countryISO`). A personal-info API: it completes sign-up. Users without KakaoTalk get `-501`.
//! Fields of profile items the user has not agreed to are left out (Kakao's SDK models them
//! all as nullable; which consent each needs is not documented).

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::Sandbox;
use crate::http::{json, kapi, params};
use crate::kapi_auth::{authenticate, mark_signed_up};
use crate::user_fields::{image_url, wants_secure};

pub async fn profile(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref(), b"");
    let now = sb.clock().now();
    let mut st = sb.lock();
    let caller = match authenticate(&st, &headers, &p, now) {
        Ok(c) if c.token.is_some() => c.user_id,
        Ok(_) => return kapi(401, -401, "this API needs a user's access token."),
        Err(resp) => return resp,
    };
    let Some(user) = st.users.get(&caller).filter(|u| u.link.is_some()) else {
        return kapi(400, -101, "NotRegisteredUserException");
    };
    if !user.talk_user {
        return kapi(400, -501, "NotKakaoTalkUserException");
    }
    let agreed = st.agreed(caller);
    let secure = wants_secure(p.get("secure_resource"));
    let mut body = Map::new();
    if agreed.contains("profile_nickname") {
        body.insert("nickName".into(), Value::String(user.nickname.clone()));
    }
    if agreed.contains("profile_image") {
        body.insert(
            "profileImageURL".into(),
            Value::String(image_url(&st, &user.profile_image_url, secure)),
        );
        body.insert(
            "thumbnailURL".into(),
            Value::String(image_url(&st, &user.thumbnail_image_url, secure)),
        );
    }
    body.insert("countryISO".into(), Value::String("KR".into()));
    mark_signed_up(&mut st, caller);
    json(Value::Object(body))
}
