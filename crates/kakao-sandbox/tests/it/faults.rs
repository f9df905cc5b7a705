//! `POST /_admin/faults`: what a client sees for each kind, and that unlisted paths are untouched.

use std::time::{Duration, Instant};

use kakao::{ErrorKind, KakaoClient, KakaoConfig, KakaoError, Receivers};
use serde_json::json;

use crate::common::*;
use crate::messages::{feed, message_pair};

#[tokio::test]
async fn refuse_drops_the_connection_and_delivers_nothing() {
    let env = start().await;
    let (token, _me, pal, pal_uuid) = message_pair(&env).await;
    env.admin_post("/_admin/faults", json!({"error_rate": 1.0, "kinds": ["refuse"]}))
        .await;
    let receivers = Receivers::new([pal_uuid.as_str()]).unwrap();
    let err = env
        .client
        .send_to_friends(&token, &receivers, &feed("거절"))
        .await
        .unwrap_err();
    // The client sees the connection closed before any answer: not sent, retry is safe.
    assert!(matches!(err, KakaoError::NotSent(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(inbox(&env, pal).await.len(), 0, "nothing was applied");
}

#[tokio::test]
async fn timeout_after_delivers_but_never_answers() {
    let env = start().await;
    let (token, me, pal, pal_uuid) = message_pair(&env).await;
    env.admin_post(
        "/_admin/faults",
        json!({"error_rate": 1.0, "kinds": ["timeout_after"]}),
    )
    .await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let config =
        KakaoConfig::new(env.app.rest_api_key.clone()).with_base(url::Url::parse(&env.base).unwrap());
    let client = KakaoClient::with_http(config, http);
    let receivers = Receivers::new([pal_uuid.as_str()]).unwrap();
    let err = client
        .send_to_friends(&token, &receivers, &feed("도착은 했지만"))
        .await
        .unwrap_err();
    assert!(matches!(err, KakaoError::AnswerLost(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Unknown);
    let got = inbox(&env, pal).await;
    assert_eq!(got.len(), 1, "applied exactly once");
    assert_eq!(got[0]["from"], me);
}

#[tokio::test]
async fn server_errors_are_transient_and_unlisted_paths_untouched() {
    let env = start().await;
    let (token, me, pal, pal_uuid) = message_pair(&env).await;
    let receivers = Receivers::new([pal_uuid.as_str()]).unwrap();

    env.admin_post(
        "/_admin/faults",
        json!({"error_rate": 1.0, "kinds": ["http_500"]}),
    )
    .await;
    let err = env
        .client
        .send_to_friends(&token, &receivers, &feed("x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient, "{err:?}");
    let raw = env
        .http
        .post(format!("{}/v2/api/talk/memo/default/send", env.base))
        .bearer_auth(token.expose())
        .form(&[("template_object", feed("x").to_json())])
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 500);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["code"], -1);

    env.admin_post(
        "/_admin/faults",
        json!({"error_rate": 1.0, "kinds": ["kakao_-7"]}),
    )
    .await;
    let err = env.client.send_memo(&token, &feed("x")).await.unwrap_err();
    assert_eq!((err.api_code(), err.kind()), (Some(-7), ErrorKind::Transient));

    // The friend list, the token endpoint and the user API are not in the default paths.
    env.advance(600).await;
    assert_eq!(env.client.all_friends(&token).await.unwrap().len(), 1);
    env.client.user_me(&token).await.unwrap();
    let relogin = env.login(me, &["openid"]).await;
    assert!(!relogin.tokens.access_token.is_empty());
    assert!(inbox(&env, pal).await.is_empty());
    assert!(inbox(&env, me).await.is_empty());

    // Only the listed paths: faulting the friend list leaves messages alone.
    let set = env
        .admin_post(
            "/_admin/faults",
            json!({"error_rate": 1.0, "kinds": ["kakao_-7"], "paths": ["/v1/api/talk/friends"], "seed": 7}),
        )
        .await;
    assert_eq!(set["active"], true);
    assert_eq!(set["seed"], 7);
    assert_eq!(
        env.client.all_friends(&token).await.unwrap_err().api_code(),
        Some(-7)
    );
    assert!(
        env.client
            .send_to_friends(&token, &receivers, &feed("y"))
            .await
            .unwrap()
            .all_succeeded()
    );

    // `{}` clears.
    let cleared = env.admin_post("/_admin/faults", json!({})).await;
    assert_eq!(cleared["active"], false);
    assert_eq!(env.admin_get("/_admin/faults").await["active"], false);
    assert_eq!(env.client.all_friends(&token).await.unwrap().len(), 1);
}

#[tokio::test]
async fn latency_comes_first_and_error_rates_follow_the_seed() {
    let env = start().await;
    let (token, _me, pal, pal_uuid) = message_pair(&env).await;
    let receivers = Receivers::new([pal_uuid.as_str()]).unwrap();
    env.admin_post("/_admin/faults", json!({"latency_ms": 300})).await;
    let started = Instant::now();
    assert!(
        env.client
            .send_to_friends(&token, &receivers, &feed("느림"))
            .await
            .unwrap()
            .all_succeeded()
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Half the requests fail with -7; the same seed picks the same ones.
    let mut runs = Vec::new();
    for _ in 0..2 {
        env.admin_post(
            "/_admin/faults",
            json!({"error_rate": 0.5, "kinds": ["kakao_-7"], "seed": 42}),
        )
        .await;
        let mut fates = Vec::new();
        for i in 0..12 {
            let r = env
                .client
                .send_to_friends(&token, &receivers, &feed(&format!("{i}")))
                .await;
            fates.push(r.is_ok());
        }
        runs.push(fates);
    }
    assert_eq!(runs[0], runs[1]);
    let ok = runs[0].iter().filter(|o| **o).count();
    assert!((1..12).contains(&ok), "{:?}", runs[0]);
    assert_eq!(
        inbox(&env, pal).await.len(),
        1 + 2 * ok,
        "each success delivered once"
    );

    let bad = env
        .http
        .post(format!("{}/_admin/faults", env.base))
        .json(&json!({"error_rate": 2.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}
