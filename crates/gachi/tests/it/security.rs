//! Non-members learn nothing, logged-out visitors are sent to login, cross-site writes are
//! refused, Kakao's webhook needs the admin key, tokens are unreadable at rest, and with real
//! keys the sandbox does not exist.

use reqwest::Method;
use serde_json::json;

use crate::common::*;

/// Every room route: (method, path template with {id}, {uid} and {code}, is_page).
const ROOM_ROUTES: &[(&str, &str, bool)] = &[
    ("GET", "/api/v1/rooms/{id}", false),
    ("PATCH", "/api/v1/rooms/{id}", false),
    ("DELETE", "/api/v1/rooms/{id}", false),
    ("POST", "/api/v1/rooms/{id}/invites", false),
    ("DELETE", "/api/v1/rooms/{id}/members/{uid}", false),
    ("POST", "/api/v1/rooms/{id}/owner", false),
    ("GET", "/rooms/{id}", true),
    ("POST", "/rooms/{id}/rename", true),
    ("POST", "/rooms/{id}/delete", true),
    ("POST", "/rooms/{id}/invites", true),
    ("GET", "/rooms/{id}/invite", true),
    ("POST", "/rooms/{id}/invites/renew", true),
    ("POST", "/rooms/{id}/invites/ABCD2345/revoke", true),
    ("POST", "/rooms/{id}/members/{uid}/remove", true),
    ("POST", "/rooms/{id}/leave", true),
    ("POST", "/rooms/{id}/transfer", true),
    ("GET", "/api/v1/rooms/{id}/reminders", false),
    ("PUT", "/api/v1/rooms/{id}/reminders", false),
    ("POST", "/rooms/{id}/reminders", true),
    ("GET", "/rooms/{id}/reminders/resume", true),
];

#[tokio::test]
async fn every_room_route_is_404_to_non_members_and_login_to_visitors() {
    let app = TestApp::start().await;
    let owner = app.login(MINJI).await;
    let outsider = app.login(SEOJUN).await;
    let (_, room) = owner.post("/api/v1/rooms", json!({"name": "비밀 방"})).await;
    let id = room["id"].as_str().unwrap();
    let uid = owner.id().await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    for (method, template, is_page) in ROOM_ROUTES {
        let path = template.replace("{id}", id).replace("{uid}", &uid);
        let method: Method = method.parse().unwrap();
        let body = json!({"name": "x", "user_id": uid});

        let resp = outsider
            .client
            .request(method.clone(), app.url(&path))
            .header("origin", &app.base)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{method} {path} as a non-member");
        let text = resp.text().await.unwrap();
        assert!(!text.contains("비밀 방"), "{method} {path} leaks the room");

        let resp = no_redirects
            .request(method.clone(), app.url(&path))
            .header("origin", &app.base)
            .json(&body)
            .send()
            .await
            .unwrap();
        if *is_page && method == Method::GET {
            assert_eq!(resp.status(), 303, "{path}: a visitor is sent to login");
            assert!(
                resp.headers()["location"]
                    .to_str()
                    .unwrap()
                    .starts_with("/auth/kakao/login?next=")
            );
        } else {
            assert_eq!(resp.status(), 401, "{method} {path} logged out");
            if !*is_page {
                let body: serde_json::Value = resp.json().await.unwrap();
                assert_eq!(body["error"], "login_required");
            }
        }
    }
    // A room id that does not exist answers exactly like one the user is not in.
    let (status, body) = outsider
        .get("/api/v1/rooms/00000000-0000-7000-8000-000000000000")
        .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    // The owner still has it, unchanged.
    let (status, room) = owner.get(&format!("/api/v1/rooms/{id}")).await;
    assert_eq!((status, room["name"].as_str()), (200, Some("비밀 방")));
}

#[tokio::test]
async fn cross_origin_writes_without_the_token_are_refused() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let resp = minji
        .client
        .post(app.url("/api/v1/rooms"))
        .header("origin", "http://evil.example")
        .json(&json!({"name": "CSRF"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap()["error"],
        "csrf_failed"
    );
    let resp = minji
        .client
        .post(app.url("/rooms"))
        .form(&[("name", "no origin at all")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "no Origin and no token");
    let (_, list) = minji.get("/api/v1/rooms").await;
    assert_eq!(list["rooms"].as_array().unwrap().len(), 0, "nothing was created");

    // The session's token (from /api/v1/me) lets a script through.
    let me = minji.client.get(app.url("/api/v1/me")).send().await.unwrap();
    let token = me.headers()["x-csrf-token"].to_str().unwrap().to_owned();
    let resp = minji
        .client
        .post(app.url("/api/v1/rooms"))
        .header("x-csrf-token", token)
        .json(&json!({"name": "ok"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::start().await;
    let resp = app.http.get(app.url("/")).send().await.unwrap();
    let csp = resp.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("https://t1.kakaocdn.net"));
    assert_eq!(resp.headers()["x-frame-options"], "DENY");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert!(resp.text().await.unwrap().contains("data-sandbox-banner"));
}

#[tokio::test]
async fn the_unlink_webhook_needs_the_admin_key_and_ends_sessions() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let wrong = app
        .http
        .post(app.url("/webhooks/kakao/unlink"))
        .header("authorization", "KakaoAK not-the-key")
        .form(&[
            ("app_id", "1"),
            ("user_id", &MINJI.to_string()),
            ("referrer_type", "UNLINK_FROM_APPS"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        minji.get("/api/v1/me").await.0,
        200,
        "a refused webhook changes nothing"
    );

    // The user unlinks in their Kakao account: the sandbox calls our webhook with its key.
    let answer = app
        .sandbox_post("/_admin/unlink", json!({"user_id": MINJI}))
        .await;
    assert_eq!(answer["webhook"]["status"], 200, "{answer}");
    assert_eq!(minji.get("/api/v1/me").await.0, 401, "the session ended");
    let user = app.state.store.user_by_kakao_id(MINJI).await.unwrap().unwrap();
    assert!(user.unlinked_at.is_some());
    assert!(
        app.state.store.tokens(&user.id).await.unwrap().is_none(),
        "tokens deleted"
    );
}

#[tokio::test]
async fn stored_kakao_tokens_are_encrypted() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = minji.id().await;
    let tokens = app.state.store.tokens(&id).await.unwrap().unwrap();
    let storage::Db::Sqlite(pool) = app.state.store.db() else {
        unreachable!()
    };
    let (at, rt): (String, String) = sqlx_row(pool, &id).await;
    assert!(at.starts_with("v1:") && rt.starts_with("v1:"));
    assert!(!at.contains(&tokens.access_token) && !rt.contains(&tokens.refresh_token));
}

async fn sqlx_row(pool: &sqlx::SqlitePool, id: &str) -> (String, String) {
    sqlx::query_as("SELECT access_token, refresh_token FROM kakao_tokens WHERE user_id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn with_real_keys_no_sandbox_route_exists() {
    let app = TestApp::start_with(storage::testing::fresh_sqlite_url(), |c| {
        c.kakao_rest_api_key = Some("a-real-looking-key".into());
        c.kakao_auth_base = "http://127.0.0.1:9".into();
        c.kakao_api_base = "http://127.0.0.1:9".into();
    })
    .await;
    for path in [
        "/_kakao/",
        "/_kakao/_admin/app",
        "/_kakao/oauth/authorize",
        "/_kakao/_admin/clock",
    ] {
        assert_eq!(
            app.http.get(app.url(path)).send().await.unwrap().status(),
            404,
            "{path}"
        );
    }
    let home = app
        .http
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("data-sandbox-banner"));
    let login = app
        .http
        .get(app.url("/auth/kakao/login?next=/"))
        .send()
        .await
        .unwrap();
    assert!(
        login.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("http://127.0.0.1:9/oauth/authorize?client_id=a-real-looking-key")
    );
}

#[tokio::test]
async fn operations_endpoints_answer() {
    let app = TestApp::start().await;
    assert_eq!(
        app.http
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        app.http.get(app.url("/readyz")).send().await.unwrap().status(),
        200
    );
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("gachi_http_requests_total"));
    let missing = app
        .http
        .get(app.url("/no/such/page"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Not found."));
}
