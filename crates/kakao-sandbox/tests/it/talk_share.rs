//! The Talk Share picker over plain HTTP (the browser flow is in e2e/tests/talk-share.test.mjs):
//! key, origin and template checks, one delivery per share, the daily share quota (4006), and
//! sandbox URLs when the sandbox is mounted under a path, as `gachi serve` mounts it.

use serde_json::json;

use crate::common::*;

const ORIGIN: &str = "http://127.0.0.1:8080"; // among the demo app's js_domains
const SHARER: i64 = 4_000_000_001;
const FRIEND: i64 = 4_000_000_002;

fn card() -> String {
    json!({"link_ver": "4.0", "template_object": {"object_type": "text", "text": "같이 보자",
        "link": {"web_url": "https://gachi.example"}}})
    .to_string()
}

/// Submits a share as the SDK does; the picker URL, or the error page's code.
async fn start_share(env: &Env, key: &str, origin: &str, validation: &str) -> Result<String, String> {
    let resp = env
        .http
        .post(format!("{}/_sandbox/share/picker", env.base))
        .header("origin", origin)
        .form(&[
            ("app_key", key),
            ("validation_action", "default"),
            ("validation_params", validation),
        ])
        .send()
        .await
        .unwrap();
    if resp.status() == 303 {
        return Ok(resp.headers()["location"].to_str().unwrap().to_owned());
    }
    let html = resp.text().await.unwrap();
    Err(field_attr(&html, "data-share-error"))
}

fn field_attr(html: &str, attr: &str) -> String {
    let marker = format!("{attr}=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {attr} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn send(env: &Env, picker: &str, chat: &str) -> (u16, String) {
    let resp = env
        .http
        .post(format!("{}{picker}/send", env.base))
        .form(&[("as", SHARER.to_string()), ("chat", chat.to_owned())])
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn the_picker_checks_key_origin_template_and_quota() {
    let env = start().await;
    let key = env.app.javascript_key.clone();
    assert_eq!(
        start_share(&env, "wrong", ORIGIN, &card()).await,
        Err("4003".into())
    );
    assert_eq!(
        start_share(&env, &key, "http://evil.example", &card()).await,
        Err("-401".into())
    );
    let bad = json!({"template_object": {"object_type": "text", "text": "no link"}}).to_string();
    assert_eq!(start_share(&env, &key, ORIGIN, &bad).await, Err("4002".into()));

    let picker = start_share(&env, &key, ORIGIN, &card()).await.unwrap();
    let who = env.browser().get(&format!("{}{picker}", env.base)).await;
    assert!(who.html().contains(&format!("data-sharer=\"{SHARER}\"")));
    let chats = env
        .browser()
        .get(&format!("{}{picker}?as={SHARER}", env.base))
        .await;
    assert!(chats.html().contains(&format!("data-chat=\"{FRIEND}\"")));
    let (status, html) = send(&env, &picker, &FRIEND.to_string()).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(field_attr(&html, "data-webhook-status"), "none");
    let (status, _) = send(&env, &picker, &FRIEND.to_string()).await;
    assert_eq!(status, 404, "a share is sent once");
    let got = inbox(&env, FRIEND).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0]["chat"].clone(), got[0]["from"].clone()),
        (json!("DirectChat"), json!(SHARER))
    );

    env.put_app(json!({"quotas": {"share_app_day": 1}})).await;
    assert_eq!(start_share(&env, &key, ORIGIN, &card()).await, Err("4006".into()));
    env.advance_to_next_kst_day().await;
    let picker = start_share(&env, &key, ORIGIN, &card()).await.unwrap();
    assert_eq!(send(&env, &picker, "memo").await.0, 200);
    assert_eq!(inbox(&env, SHARER).await[0]["chat"], "MemoChat");
}

#[tokio::test]
async fn mounted_under_a_path_urls_and_faults_still_work() {
    kakao::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let base = format!("{root}/_kakao");
    let sandbox = kakao_sandbox::Sandbox::demo(&base, domain::clock::Clock::new()).unwrap();
    let router = axum::Router::new().nest("/_kakao", sandbox.router());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let http = reqwest::Client::new();
    let key = sandbox.app().javascript_key;

    let part = reqwest::multipart::Part::bytes(crate::messages::CARD_PNG.to_vec()).file_name("c.png");
    let uploaded: serde_json::Value = http
        .post(format!("{base}/v2/api/talk/message/image/upload"))
        .header("authorization", format!("KakaoAK {key}"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = uploaded["infos"]["original"]["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{base}/_sandbox/images/")), "{url}");
    assert_eq!(http.get(url).send().await.unwrap().status(), 200);

    let share = http
        .post(format!("{base}/_sandbox/share/picker"))
        .header("origin", ORIGIN)
        .form(&[
            ("app_key", key.as_str()),
            ("validation_action", "default"),
            ("validation_params", &card()),
        ])
        .send()
        .await;
    // reqwest follows the 303 to the picker page, which lives under the mount too.
    let share = share.unwrap();
    assert_eq!(share.status(), 200);
    assert!(share.url().path().starts_with("/_kakao/_sandbox/share/"));

    // Fault paths are the sandbox's own paths, whatever the mount.
    let set = http
        .post(format!("{base}/_admin/faults"))
        .json(&json!({"error_rate": 1.0, "kinds": ["refuse"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let refused = http
        .post(format!("{base}/v2/api/talk/memo/default/send"))
        .form(&[("template_object", "{}")])
        .send()
        .await;
    assert!(refused.is_err(), "{refused:?}");
}
