//! `GET /oauth/authorize` and the pages behind it: the login picker and Kakao's consent screen
//! (§14.2). Configuration errors show Kakao's error page; user answers go back to the app's
//! redirect URI with `code` or `error`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use jiff::Timestamp;
use kakao::random_token;

use crate::Sandbox;
use crate::app::{ConsentKind, scope_meta};
use crate::http::{all_values, cookie, page, params, redirect};
use crate::pages::{ConsentItem, ConsentPage, LoginPage, PickerUser, error_page};
use crate::state::{AuthCode, BrowserSession, PendingConsent, State as SandboxState};

/// The cookie that stands for the browser's Kakao-account session.
pub const SESSION_COOKIE: &str = "kakao_sandbox_session";

/// The order Kakao lists consent items in.
const ITEM_ORDER: [&str; 7] = [
    "profile_nickname",
    "profile_image",
    "account_email",
    "friends",
    "talk_message",
    "talk_calendar",
    "talk_calendar_task",
];

fn item_rank(id: &str) -> usize {
    ITEM_ORDER
        .iter()
        .position(|x| *x == id)
        .unwrap_or(ITEM_ORDER.len())
}

pub async fn authorize(State(sb): State<Sandbox>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let now = sb.clock().now();
    let p = params(query.as_deref(), b"");
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let mut st = sb.lock();

    let client_id = get("client_id");
    if client_id.is_empty() || client_id != st.app.rest_api_key {
        return error_page("KOE101", format!("Not exist client_id [{client_id}]"));
    }
    if !st.app.kakao_login_enabled {
        return error_page(
            "KOE004",
            "카카오 로그인이 비활성화된 앱입니다. (Kakao Login is disabled for this app.)",
        );
    }
    match get("response_type") {
        "code" => {}
        "token" => return error_page("KOE202", "Implicit grant is not supported."),
        other => return error_page("KOE201", format!("Unsupported response type: {other}")),
    }
    let redirect_uri = get("redirect_uri").to_owned();
    if !st.app.redirect_uris.contains(&redirect_uri) {
        return error_page(
            "KOE006",
            format!("등록되지 않은 리다이렉트 URI입니다: {redirect_uri}"),
        );
    }
    let scope_param = p.get("scope");
    let requested: Vec<String> = scope_param
        .map(|s| kakao::wire::split_scopes(s))
        .unwrap_or_default();
    let unknown: Vec<&str> = requested
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "openid" && st.app.kind_of(s) == ConsentKind::Disabled)
        .collect();
    if !unknown.is_empty() {
        return error_page(
            "KOE205",
            format!("설정하지 않은 동의 항목: {}", unknown.join(", ")),
        );
    }
    let code_challenge = p.get("code_challenge").cloned();
    if code_challenge.is_some() && get("code_challenge_method") != "S256" {
        return error_page("KOE001", "code_challenge_method must be S256.");
    }
    let prompts: Vec<&str> = get("prompt").split(',').filter(|s| !s.is_empty()).collect();
    let state_param = p.get("state").cloned();

    // The browser's Kakao session (ignored when the app forces a fresh login).
    let session = cookie(&headers, SESSION_COOKIE)
        .and_then(|c| st.sessions.get(&c).cloned())
        .filter(|s| st.users.contains_key(&s.user_id))
        .filter(|_| !prompts.contains(&"login"));
    let Some(session) = session else {
        if prompts.contains(&"none") {
            let error = st.app.settings.prompt_none_without_session.clone();
            return redirect(&with_query(
                &redirect_uri,
                &[("error", &error), ("error_description", "user login required.")],
                state_param.as_deref(),
            ));
        }
        return login_picker(&st, query.as_deref().unwrap_or(""));
    };
    let user_id = session.user_id;
    if st.app.is_test_app && !st.app.is_member(user_id) {
        return error_page(
            "KOE005",
            "테스트 앱은 팀 멤버만 로그인할 수 있습니다. (Only app members can log in to a test app.)",
        );
    }

    let items = items_to_ask(&st, user_id, &requested);
    let code = AuthCode {
        user_id,
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.clone(),
        code_challenge,
        nonce: p.get("nonce").cloned(),
        wants_id_token: st.app.oidc_enabled
            && (scope_param.is_none() || requested.iter().any(|s| s == "openid")),
        auth_time: session.logged_in_at,
        issued_at: now,
    };
    let linked = st.users.get(&user_id).is_some_and(|u| u.link.is_some());
    if items.is_empty() {
        if !linked {
            st.agree(user_id, &[], now);
        }
        return issue_code(&mut st, code, state_param.as_deref());
    }
    if prompts.contains(&"none") {
        return redirect(&with_query(
            &redirect_uri,
            &[
                ("error", "consent_required"),
                ("error_description", "user consent required."),
            ],
            state_param.as_deref(),
        ));
    }
    let pending = random_token(24);
    st.pending
        .retain(|_, p| p.created_at.as_second() + 3600 > now.as_second());
    st.pending.insert(
        pending.clone(),
        PendingConsent {
            user_id,
            redirect_uri,
            state: state_param,
            items: items.clone(),
            code,
            created_at: now,
        },
    );
    let consent = ConsentPage {
        base_path: st.base_path(),
        app_name: st.app.name.clone(),
        nickname: st
            .users
            .get(&user_id)
            .map(|u| u.nickname.clone())
            .unwrap_or_default(),
        pending,
        items: items
            .iter()
            .map(|id| ConsentItem {
                id: id.clone(),
                display_name: scope_meta(id).0.to_owned(),
                required: st.app.kind_of(id) == ConsentKind::Required,
            })
            .collect(),
    };
    drop(st);
    page(StatusCode::OK, &consent)
}

/// The items the consent screen lists (§14.2): on the first link every required and optional
/// item plus what `scope` asks for; afterwards only requested items not yet agreed.
fn items_to_ask(st: &SandboxState, user_id: i64, requested: &[String]) -> Vec<String> {
    let agreed = st.agreed(user_id);
    let linked = st.users.get(&user_id).is_some_and(|u| u.link.is_some());
    let mut items: Vec<String> = Vec::new();
    if !linked {
        items.extend(
            st.app
                .consent_items
                .iter()
                .filter(|(_, k)| matches!(k, ConsentKind::Required | ConsentKind::Optional))
                .map(|(id, _)| id.clone()),
        );
    }
    items.extend(requested.iter().filter(|s| s.as_str() != "openid").cloned());
    items.retain(|s| !agreed.contains(s));
    items.sort_by(|a, b| item_rank(a).cmp(&item_rank(b)).then_with(|| a.cmp(b)));
    items.dedup();
    items
}

fn login_picker(st: &SandboxState, query: &str) -> Response {
    // After picking a user, the browser comes back to the same authorize request, minus a
    // `prompt=login` that would send it to the picker again.
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter_map(|(k, v)| {
            if k == "prompt" {
                let rest: Vec<&str> = v.split(',').filter(|p| *p != "login" && !p.is_empty()).collect();
                (!rest.is_empty()).then(|| (k.into_owned(), rest.join(",")))
            } else {
                Some((k.into_owned(), v.into_owned()))
            }
        })
        .collect();
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    let picker = LoginPage {
        base_path: st.base_path(),
        continue_url: format!("{}/oauth/authorize?{query}", st.base_path()),
        users: st
            .users
            .values()
            .map(|u| PickerUser {
                id: u.id,
                nickname: u.nickname.clone(),
                thumbnail_image_url: u.thumbnail_image_url.clone(),
            })
            .collect(),
    };
    page(StatusCode::OK, &picker)
}

/// `POST /_sandbox/login`: the picker's answer. Sets the Kakao-account session cookie.
pub async fn picker_login(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let p = params(None, &body);
    let Some(user_id) = p.get("user_id").and_then(|v| v.parse::<i64>().ok()) else {
        return (StatusCode::BAD_REQUEST, "user_id is required").into_response();
    };
    let now = sb.clock().now();
    let mut st = sb.lock();
    if !st.users.contains_key(&user_id) {
        return (StatusCode::BAD_REQUEST, "no such sandbox user").into_response();
    }
    let base_path = st.base_path();
    let target = p.get("continue").cloned().unwrap_or_default();
    if !target.starts_with(&format!("{base_path}/oauth/authorize?")) {
        return (
            StatusCode::BAD_REQUEST,
            "continue must be an authorize URL of this sandbox",
        )
            .into_response();
    }
    let cookie = start_session(&mut st, user_id, now);
    drop(st);
    let mut resp = redirect(&target);
    *resp.status_mut() = StatusCode::SEE_OTHER;
    (CookieJar::new().add(cookie), resp).into_response()
}

/// Creates a browser session for `user_id`; returns its cookie (a browser-session cookie: no
/// Max-Age, like Kakao's own login cookie).
pub fn start_session(st: &mut SandboxState, user_id: i64, now: Timestamp) -> Cookie<'static> {
    let token = random_token(24);
    st.sessions.insert(
        token.clone(),
        BrowserSession {
            user_id,
            logged_in_at: now,
        },
    );
    let path = match st.base_path() {
        p if p.is_empty() => "/".to_owned(),
        p => p,
    };
    Cookie::build((SESSION_COOKIE, token))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .build()
}

/// `POST /oauth/authorize/consent`: agree (some or all items) or cancel.
pub async fn consent(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let p = params(None, &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let Some(pending) = p.get("pending").and_then(|id| st.pending.remove(id)) else {
        return error_page(
            "KOE001",
            "이 동의 화면은 만료되었습니다. 처음부터 다시 시도하세요. (This consent screen has expired.)",
        );
    };
    if p.get("action").map(String::as_str) == Some("cancel") {
        return redirect(&with_query(
            &pending.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "User denied access"),
            ],
            pending.state.as_deref(),
        ));
    }
    let checked = all_values(&body, "scope");
    let chosen: Vec<String> = pending
        .items
        .iter()
        .filter(|id| st.app.kind_of(id) == ConsentKind::Required || checked.contains(id))
        .cloned()
        .collect();
    st.agree(pending.user_id, &chosen, now);
    issue_code(&mut st, pending.code, pending.state.as_deref())
}

fn issue_code(st: &mut SandboxState, mut code: AuthCode, state: Option<&str>) -> Response {
    let value = random_token(32);
    let redirect_uri = code.redirect_uri.clone();
    code.issued_at = code.issued_at.max(code.auth_time);
    st.codes.insert(value.clone(), code);
    redirect(&with_query(&redirect_uri, &[("code", &value)], state))
}

/// `redirect_uri` with the given parameters (and `state` last), spaces as `%20` like Kakao.
fn with_query(uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    let all = pairs.iter().copied().chain(state.map(|s| ("state", s)));
    for (k, v) in all {
        let v: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&v.replace('+', "%20"));
        sep = '&';
    }
    out
}

/// `GET /oauth/logout`: ends the browser's Kakao session, then returns to the app.
pub async fn browser_logout(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let p = params(q.as_deref(), b"");
    let mut st = sb.lock();
    if p.get("client_id") != Some(&st.app.rest_api_key) {
        return error_page("KOE101", "Not exist client_id");
    }
    let target = p.get("logout_redirect_uri").cloned().unwrap_or_default();
    let allowed = st.app.redirect_uris.iter().any(|u| same_origin(u, &target));
    if !allowed {
        return error_page(
            "KOE007",
            format!("등록되지 않은 로그아웃 리다이렉트 URI입니다: {target}"),
        );
    }
    if let Some(c) = cookie(&headers, SESSION_COOKIE) {
        st.sessions.remove(&c);
    }
    redirect(&with_query(&target, &[], p.get("state").map(String::as_str)))
}

fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}
