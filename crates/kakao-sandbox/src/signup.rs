//! Manual sign-up and user properties (§3.2): `POST /v1/user/signup` links a user of an app
//! whose auto-link (자동 연결) is off, and `POST /v1/user/update_profile` writes the app's custom
//! user properties, which `/v2/user/me` then shows under `properties`.
//!
//! Property keys must be registered (`app.user_properties`, Kakao's [사용자 프로퍼티]); an
//! unknown key is `-201`, and so is a built-in one (`nickname`, `profile_image`,
//! `thumbnail_image`: they mirror the Kakao profile since 2022 and cannot be written). Sign-up
//! for a user who is already signed up, or under auto-link, where every user is, is `-102`.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use kakao::wire::UserIdResponse;

use crate::Sandbox;
use crate::http::{json, kapi, params};
use crate::kapi_auth::{authenticate, complete_signup};
use crate::state::State as SandboxState;

const BUILT_IN: [&str; 3] = ["nickname", "profile_image", "thumbnail_image"];

/// The `properties` parameter, checked against the app's registered keys.
fn properties(st: &SandboxState, p: &HashMap<String, String>) -> Result<BTreeMap<String, String>, Response> {
    let Some(raw) = p.get("properties") else {
        return Ok(BTreeMap::new());
    };
    let map: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(raw).map_err(|_| kapi(400, -2, "properties must be a JSON object."))?;
    let mut out = BTreeMap::new();
    for (key, value) in map {
        if BUILT_IN.contains(&key.as_str()) {
            return Err(kapi(
                400,
                -201,
                format!("[{key}] is a default property and cannot be updated."),
            ));
        }
        if !st.app.user_properties.contains(&key) {
            return Err(kapi(400, -201, format!("invalid property key: {key}")));
        }
        let text = match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        out.insert(key, text);
    }
    Ok(out)
}

fn write(st: &mut SandboxState, user_id: i64, props: BTreeMap<String, String>) {
    if let Some(link) = st.users.get_mut(&user_id).and_then(|u| u.link.as_mut()) {
        link.properties.extend(props);
    }
}

/// The caller and the checked properties, or the error to answer.
fn prepare(
    st: &SandboxState,
    headers: &HeaderMap,
    p: &HashMap<String, String>,
    now: jiff::Timestamp,
) -> Result<(i64, BTreeMap<String, String>), Response> {
    let caller = authenticate(st, headers, p, now)?;
    if st.users.get(&caller.user_id).is_none_or(|u| u.link.is_none()) {
        return Err(kapi(400, -101, "NotRegisteredUserException"));
    }
    Ok((caller.user_id, properties(st, p)?))
}

/// `POST /v1/user/signup`.
pub async fn signup(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let (user_id, props) = match prepare(&st, &headers, &p, now) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let done = st
        .users
        .get(&user_id)
        .and_then(|u| u.link.as_ref())
        .is_some_and(|l| l.signup_complete);
    if st.app.settings.auto_link || done {
        return kapi(400, -102, "already registered user.");
    }
    write(&mut st, user_id, props);
    complete_signup(&mut st, user_id);
    json(UserIdResponse { id: user_id })
}

/// `POST /v1/user/update_profile`.
pub async fn update_profile(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    if !p.contains_key("properties") {
        return kapi(400, -2, "The Parameter [properties] cannot be null.");
    }
    let (user_id, props) = match prepare(&st, &headers, &p, now) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    write(&mut st, user_id, props);
    json(UserIdResponse { id: user_id })
}
