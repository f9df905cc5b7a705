//! The unlink webhook and the 24-hour auto-unlink, received by a real HTTP endpoint.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Value, json};

use crate::common::*;

#[derive(Clone, Debug)]
struct Received {
    authorization: String,
    form: Vec<(String, String)>,
}

/// A webhook endpoint on an ephemeral port that records every call.
async fn receiver() -> (String, Arc<Mutex<Vec<Received>>>) {
    let calls: Arc<Mutex<Vec<Received>>> = Arc::default();
    let app = axum::Router::new()
        .route(
            "/webhooks/kakao/unlink",
            post(|State(calls): State<Arc<Mutex<Vec<Received>>>>, headers: HeaderMap, body: String| async move {
                calls.lock().unwrap().push(Received {
                    authorization: headers["authorization"].to_str().unwrap().to_owned(),
                    form: url::form_urlencoded::parse(body.as_bytes()).into_owned().collect(),
                });
                "ok"
            }),
        )
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/kakao/unlink", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, calls)
}

fn param<'a>(r: &'a Received, key: &str) -> &'a str {
    r.form
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[tokio::test]
async fn users_without_a_personal_info_call_are_unlinked_after_24_hours() {
    let env = start().await;
    let (url, calls) = receiver().await;
    env.sandbox.update_app(|app| app.unlink_webhook_url = Some(url));

    let (forgetful, _) = env.new_user("잊은사람").await;
    let (careful, _) = env.new_user("챙긴사람").await;
    let forgot = env.login(forgetful, &["openid"]).await;
    let cared = env.login(careful, &["openid"]).await;
    env.client.user_me(&cared.access()).await.unwrap();

    let before = env.advance(24 * 3600 - 60).await;
    assert_eq!(before["ran"], json!([]));
    assert!(calls.lock().unwrap().is_empty());

    let after = env.advance(60).await;
    assert_eq!(after["ran"][0]["user_id"], forgetful);
    assert_eq!(after["ran"][0]["status"], 200);
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].authorization, format!("KakaoAK {}", env.app.admin_key));
    assert_eq!(param(&got[0], "referrer_type"), "INCOMPLETE_SIGN_UP");
    assert_eq!(param(&got[0], "user_id"), forgetful.to_string());
    assert_eq!(param(&got[0], "app_id"), env.app.app_id.to_string());

    assert_eq!(
        env.client.user_me(&forgot.access()).await.unwrap_err().api_code(),
        Some(-401)
    );
    // The careful user is still linked (their access token has simply expired by now).
    assert_eq!(env.client.user_me_admin(careful).await.unwrap().id, careful);
    assert_eq!(
        env.client.user_me_admin(forgetful).await.unwrap_err().api_code(),
        Some(-101)
    );
    assert_eq!(
        env.advance(48 * 3600).await["ran"],
        json!([]),
        "nobody else is due"
    );
}

#[tokio::test]
async fn unlinking_as_the_user_fires_the_webhook() {
    let env = start().await;
    let (url, calls) = receiver().await;
    env.sandbox.update_app(|app| app.unlink_webhook_url = Some(url));
    let login = env.login(4_000_000_003, &["openid"]).await;

    let answer: Value = env
        .admin_post(
            "/_admin/unlink",
            json!({"user_id": 4_000_000_003i64, "referrer_type": "ACCOUNT_DELETE"}),
        )
        .await;
    assert_eq!(answer["unlinked"], true);
    assert_eq!(answer["webhook"]["status"], 200);
    let got = calls.lock().unwrap().clone();
    assert_eq!(param(&got[0], "referrer_type"), "ACCOUNT_DELETE");
    assert_eq!(
        env.client.user_me(&login.access()).await.unwrap_err().api_code(),
        Some(-401)
    );

    // The page's "연결 끊기" button does the same with UNLINK_FROM_APPS.
    env.login(4_000_000_004, &["openid"]).await;
    let resp = env
        .http
        .post(format!("{}/_sandbox/unlink", env.base))
        .form(&[("user_id", "4000000004")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert_eq!(param(&got[1], "referrer_type"), "UNLINK_FROM_APPS");

    // A service-initiated unlink sends no webhook (Kakao sends none).
    let login = env.login(4_000_000_005, &["openid"]).await;
    env.client.unlink(&login.access()).await.unwrap();
    assert_eq!(calls.lock().unwrap().len(), 2);
}
