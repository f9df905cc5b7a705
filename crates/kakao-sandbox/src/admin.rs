//! The JSON control API (`/_admin/…`, DESIGN.md "Sandbox"): everything a person does in the
//! sandbox's pages, and what Kakao's console and KakaoTalk would do, scriptable by tests.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::Sandbox;
use crate::app::{App, merge_json};
use crate::authorize::{SESSION_COOKIE, start_session};
use crate::http::json as ok_json;

pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/_admin/app", get(get_app).put(put_app))
        .route("/_admin/users", get(list_users).post(create_user))
        .route("/_admin/users/{id}", patch(patch_user))
        .route("/_admin/friends", post(friends))
        .route("/_admin/hide", post(hide))
        .route("/_admin/block", post(block))
        .route("/_admin/favorite", post(favorite))
        .route("/_admin/inbox/{user_id}", get(crate::inbox::admin_inbox))
        .route(
            "/_admin/faults",
            get(crate::faults::get_faults).post(crate::faults::post_faults),
        )
        .route("/_admin/consent", post(consent))
        .route("/_admin/revoke", post(revoke))
        .route("/_admin/unlink", post(unlink))
        .route("/_admin/session", post(session))
        .route("/_admin/clock", get(get_clock).post(post_clock))
        .route_layer(from_fn(refuse_cross_site))
}

/// The control API moves the clock and unlinks users on a developer's machine, so a web page
/// elsewhere must not reach it with a form post or `fetch(…, {mode: "no-cors"})`. Scripts and
/// tests send neither `Origin` nor `Sec-Fetch-Site` and pass; the sandbox's own pages are
/// same-origin and pass; every browser request from another origin (including another port of
/// the same host, which browsers call `same-site`) gets 403 `cross_site`.
async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if is_cross_site(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            axum::Json(json!({
                "error": "cross_site",
                "message": "the sandbox control API only answers same-origin requests and scripts"
            })),
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"));
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    match text(header::ORIGIN.as_str()) {
        None => false,
        // The origin's authority must be the one this request was sent to.
        Some(origin) => {
            let authority = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            authority.is_none_or(|a| Some(a) != text(header::HOST.as_str()))
        }
    }
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": "bad_request", "message": message.into()})),
    )
        .into_response()
}

fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({"error": "not_found", "message": format!("no such {what}")})),
    )
        .into_response()
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| bad_request(format!("invalid JSON body: {e}")))
}

async fn get_app(State(sb): State<Sandbox>) -> Response {
    ok_json(sb.app())
}

/// Changes only the fields given (objects are merged key by key).
async fn put_app(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let patch: serde_json::Value = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let mut st = sb.lock();
    let mut current = match serde_json::to_value(&st.app) {
        Ok(v) => v,
        Err(e) => return bad_request(e.to_string()),
    };
    merge_json(&mut current, patch);
    match serde_json::from_value::<App>(current) {
        Ok(app) => {
            st.app = app;
            ok_json(&st.app)
        }
        Err(e) => bad_request(format!("the app would not be valid: {e}")),
    }
}

#[derive(Deserialize)]
struct NewUser {
    nickname: String,
    #[serde(default = "yes")]
    talk_user: bool,
    #[serde(default = "yes")]
    profile_public: bool,
    #[serde(default)]
    email: Option<String>,
    /// Also make the user an app (team) member.
    #[serde(default)]
    member: bool,
}

fn yes() -> bool {
    true
}

async fn create_user(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let new: NewUser = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if new.nickname.trim().is_empty() {
        return bad_request("nickname must not be empty");
    }
    let mut st = sb.lock();
    let id = st.add_user(None, new.nickname.trim(), new.talk_user, new.profile_public);
    if let Some(user) = st.users.get_mut(&id) {
        user.email = new.email;
    }
    if new.member {
        st.app.members.push(id);
    }
    let uuid = st.users.get(&id).map(|u| u.uuid.clone()).unwrap_or_default();
    (StatusCode::CREATED, axum::Json(json!({"id": id, "uuid": uuid}))).into_response()
}

async fn list_users(State(sb): State<Sandbox>) -> Response {
    let st = sb.lock();
    let users: Vec<serde_json::Value> = st
        .users
        .values()
        .map(|u| {
            json!({
                "id": u.id,
                "uuid": u.uuid,
                "nickname": u.nickname,
                "profile_image_url": u.profile_image_url,
                "talk_user": u.talk_user,
                "profile_public": u.profile_public,
                "email": u.email,
                "member": st.app.is_member(u.id),
                "linked": u.link.is_some(),
                "linked_at": u.link.as_ref().map(|l| l.linked_at.to_string()),
                "signup_complete": u.link.as_ref().map(|l| l.signup_complete),
                "agreed": u.link.as_ref().map(|l| l.agreed.iter().cloned().collect::<Vec<_>>()).unwrap_or_default(),
                "agreed_at": u.link.as_ref().map(|l| l.agreed_at.iter().map(|(k, v)| (k.clone(), v.to_string())).collect::<std::collections::BTreeMap<_, _>>()),
                "friends": u.friends,
                "favorites": u.favorites,
                "hidden": u.hidden,
                "blocked": u.blocked,
            })
        })
        .collect();
    ok_json(json!({"users": users}))
}

#[derive(Deserialize)]
struct UserPatch {
    nickname: Option<String>,
    talk_user: Option<bool>,
    profile_public: Option<bool>,
    email: Option<String>,
    member: Option<bool>,
}

async fn patch_user(State(sb): State<Sandbox>, Path(id): Path<i64>, body: Bytes) -> Response {
    let change: UserPatch = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let mut st = sb.lock();
    let Some(user) = st.users.get_mut(&id) else {
        return not_found("user");
    };
    if let Some(n) = change.nickname.filter(|n| !n.trim().is_empty()) {
        user.nickname = n;
    }
    if let Some(v) = change.talk_user {
        user.talk_user = v;
    }
    if let Some(v) = change.profile_public {
        user.profile_public = v;
    }
    if change.email.is_some() {
        user.email = change.email;
    }
    if let Some(member) = change.member {
        st.app.members.retain(|m| *m != id);
        if member {
            st.app.members.push(id);
        }
    }
    ok_json(json!({"id": id}))
}

#[derive(Deserialize)]
struct Friendship {
    a: i64,
    b: i64,
    #[serde(default = "yes")]
    on: bool,
}

/// Makes `a` and `b` mutual KakaoTalk friends (or ends it with `"on": false`).
async fn friends(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let f: Friendship = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let mut st = sb.lock();
    if f.a == f.b || !st.users.contains_key(&f.a) || !st.users.contains_key(&f.b) {
        return bad_request("a and b must be two different sandbox users");
    }
    for (x, y) in [(f.a, f.b), (f.b, f.a)] {
        if let Some(user) = st.users.get_mut(&x) {
            if f.on {
                user.friends.insert(y);
            } else {
                user.friends.remove(&y);
            }
        }
    }
    ok_json(json!({"a": f.a, "b": f.b, "friends": f.on}))
}

#[derive(Deserialize)]
struct Relation {
    user: i64,
    friend: i64,
    #[serde(default = "yes")]
    on: bool,
}

async fn hide(State(sb): State<Sandbox>, body: Bytes) -> Response {
    set_relation(&sb, &body, |u| &mut u.hidden)
}

async fn block(State(sb): State<Sandbox>, body: Bytes) -> Response {
    set_relation(&sb, &body, |u| &mut u.blocked)
}

/// Stars (or unstars) a friend: favourites come first in the friend list.
async fn favorite(State(sb): State<Sandbox>, body: Bytes) -> Response {
    set_relation(&sb, &body, |u| &mut u.favorites)
}

fn set_relation(
    sb: &Sandbox,
    body: &[u8],
    set: impl Fn(&mut crate::state::User) -> &mut std::collections::BTreeSet<i64>,
) -> Response {
    let r: Relation = match parse(body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let mut st = sb.lock();
    if !st.users.contains_key(&r.friend) {
        return not_found("friend");
    }
    let Some(user) = st.users.get_mut(&r.user) else {
        return not_found("user");
    };
    let list = set(user);
    if r.on {
        list.insert(r.friend);
    } else {
        list.remove(&r.friend);
    }
    ok_json(json!({"user": r.user, "friend": r.friend, "on": r.on}))
}

#[derive(Deserialize)]
struct ScopeChange {
    user_id: i64,
    scopes: Vec<String>,
}

/// As after a completed login plus a personal-info call: linked, signed up, agreed to `scopes`.
async fn consent(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let c: ScopeChange = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let now = sb.clock().now();
    let mut st = sb.lock();
    if let Some(bad) = c
        .scopes
        .iter()
        .find(|s| s.as_str() != "openid" && st.app.kind_of(s) == crate::app::ConsentKind::Disabled)
    {
        return bad_request(format!("{bad} is not a consent item of the app"));
    }
    if !st.agree(c.user_id, &c.scopes, now) {
        return not_found("user");
    }
    crate::kapi_auth::complete_signup(&mut st, c.user_id);
    ok_json(json!({"user_id": c.user_id, "agreed": st.agreed(c.user_id)}))
}

async fn revoke(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let c: ScopeChange = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let mut st = sb.lock();
    let Some(user) = st.users.get_mut(&c.user_id) else {
        return not_found("user");
    };
    if let Some(link) = user.link.as_mut() {
        for s in &c.scopes {
            link.agreed.remove(s);
            link.agreed_at.remove(s);
        }
    }
    ok_json(json!({"user_id": c.user_id, "agreed": st.agreed(c.user_id)}))
}

#[derive(Deserialize)]
struct UnlinkRequest {
    user_id: i64,
    #[serde(default = "from_apps")]
    referrer_type: String,
}

fn from_apps() -> String {
    "UNLINK_FROM_APPS".into()
}

/// Unlinks as the user (or Kakao) would, firing the webhook; answers after the webhook did.
async fn unlink(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let u: UnlinkRequest = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    const KNOWN: [&str; 5] = [
        "UNLINK_FROM_APPS",
        "ACCOUNT_DELETE",
        "FORCED_ACCOUNT_DELETE",
        "UNLINK_FROM_ADMIN",
        "INCOMPLETE_SIGN_UP",
    ];
    if !KNOWN.contains(&u.referrer_type.as_str()) {
        return bad_request(format!("referrer_type must be one of {}", KNOWN.join(", ")));
    }
    match crate::unlink::unlink_as(&sb, u.user_id, &u.referrer_type).await {
        Some(outcome) => ok_json(json!({"user_id": u.user_id, "unlinked": true, "webhook": outcome})),
        None => ok_json(json!({"user_id": u.user_id, "unlinked": false})),
    }
}

#[derive(Deserialize)]
struct SessionRequest {
    user_id: i64,
}

/// Logs the browser into a Kakao account, so authorize skips the picker as Kakao would.
async fn session(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let s: SessionRequest = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let now = sb.clock().now();
    let mut st = sb.lock();
    if !st.users.contains_key(&s.user_id) {
        return not_found("user");
    }
    let cookie = start_session(&mut st, s.user_id, now);
    let resp = ok_json(json!({"user_id": s.user_id, "cookie": SESSION_COOKIE}));
    (axum_extra::extract::CookieJar::new().add(cookie), resp).into_response()
}

async fn get_clock(State(sb): State<Sandbox>) -> Response {
    ok_json(json!({"now": sb.clock().now().to_string()}))
}

#[derive(Deserialize)]
struct ClockChange {
    advance_seconds: Option<i64>,
    set: Option<String>,
}

/// Moves the clock forward, then runs whatever became due before answering.
async fn post_clock(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let change: ClockChange = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let moved = match (change.advance_seconds, change.set) {
        (Some(secs), None) => sb.clock().advance(secs),
        (None, Some(target)) => match target.parse::<Timestamp>() {
            Ok(t) => sb.clock().set(t),
            Err(_) => return bad_request("set must be an RFC 3339 instant with an offset"),
        },
        _ => return bad_request("give exactly one of advance_seconds or set"),
    };
    if moved.is_err() {
        return bad_request("the clock only moves forward");
    }
    let ran = sb.run_due().await;
    sb.run_clock_hook().await;
    ok_json(json!({"now": sb.clock().now().to_string(), "ran": ran}))
}
