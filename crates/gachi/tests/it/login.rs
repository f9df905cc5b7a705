//! Kakao login end to end through the in-process sandbox: a new user through Kakao's consent
//! screen, `/v2/user/me` right after, the session rotated, cancel, a forged state, logout.

use serde_json::{Value, json};

use crate::common::*;

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].replace("&#38;", "&").replace("&amp;", "&")
}

#[tokio::test]
async fn a_new_user_logs_in_through_the_consent_screen_and_is_signed_up() {
    let app = TestApp::start().await;
    let new = app
        .sandbox_post("/_admin/users", json!({"nickname": "새친구", "member": true}))
        .await;
    let kakao_id = new["id"].as_i64().unwrap();
    let browser = app.browser();
    browser
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": kakao_id}))
        .send()
        .await
        .unwrap();

    let consent = browser
        .get(app.url("/auth/kakao/login?next=/join"))
        .send()
        .await
        .unwrap();
    let html = consent.text().await.unwrap();
    assert!(
        html.contains("data-scope=\"profile_nickname\""),
        "Kakao's consent screen"
    );
    assert!(
        !html.contains("data-scope=\"friends\""),
        "friends is asked just in time, not at login"
    );
    let pending = field(&html, "pending");
    let done = browser
        .post(app.url("/_kakao/oauth/authorize/consent"))
        .form(&[
            ("pending", pending.as_str()),
            ("scope", "profile_nickname"),
            ("scope", "profile_image"),
            ("action", "agree"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        done.url().path(),
        "/",
        "/join without a code goes home, after login"
    );
    let home = done.text().await.unwrap();
    assert!(home.contains("새친구"));

    // Gachi called /v2/user/me at once: the sandbox's 24-hour auto-unlink will not hit them.
    let users: Value = app
        .http
        .get(app.url("/_kakao/_admin/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == kakao_id)
        .unwrap();
    assert_eq!(row["signup_complete"], true);
    let ran = app
        .sandbox_post("/_admin/clock", json!({"advance_seconds": 25 * 3600}))
        .await;
    assert_eq!(ran["ran"], json!([]));
}

#[tokio::test]
async fn each_login_gets_a_new_session_id() {
    let app = TestApp::start().await;
    let browser = app.browser();
    browser
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": MINJI}))
        .send()
        .await
        .unwrap();
    let mut csrf_tokens = Vec::new();
    for _ in 0..2 {
        let start = browser
            .get(app.url("/auth/kakao/login?next=/"))
            .send()
            .await
            .unwrap();
        assert_eq!(start.status(), 200);
        let me = browser.get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(me.status(), 200);
        csrf_tokens.push(me.headers()["x-csrf-token"].to_str().unwrap().to_owned());
    }
    assert_ne!(
        csrf_tokens[0], csrf_tokens[1],
        "a new session (and CSRF token) per login"
    );
}

#[tokio::test]
async fn a_forged_or_replayed_state_is_refused() {
    let app = TestApp::start().await;
    let resp = app
        .http
        .get(app.url("/auth/kakao/callback?code=abc&state=forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("data-error=\"login_failed\""));

    // A real attempt whose callback arrives in another browser (no binding cookie).
    let start = app
        .http
        .get(app.url("/auth/kakao/login?next=/"))
        .send()
        .await
        .unwrap();
    let authorize = start.headers()["location"].to_str().unwrap().to_owned();
    let state = url::Url::parse(&authorize)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let other = app
        .http
        .get(app.url(&format!("/auth/kakao/callback?code=abc&state={state}")))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 400);
}

#[tokio::test]
async fn cancelling_at_kakao_changes_nothing() {
    let app = TestApp::start().await;
    let new = app
        .sandbox_post("/_admin/users", json!({"nickname": "망설임", "member": true}))
        .await;
    let browser = app.browser();
    browser
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": new["id"]}))
        .send()
        .await
        .unwrap();
    let html = browser
        .get(app.url("/auth/kakao/login?next=/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let pending = field(&html, "pending");
    let back = browser
        .post(app.url("/_kakao/oauth/authorize/consent"))
        .form(&[("pending", pending.as_str()), ("action", "cancel")])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 200);
    assert!(back.text().await.unwrap().contains("카카오 로그인을 취소했어요."));
    assert_eq!(
        browser.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        401
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let resp = minji
        .client
        .post(app.url("/auth/logout"))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url().path(), "/");
    assert_eq!(minji.get("/api/v1/me").await.0, 401);
}
