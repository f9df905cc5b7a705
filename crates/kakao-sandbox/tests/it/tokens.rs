//! Token lifetimes and Kakao's refresh rotation, moved with the sandbox clock.

use serde_json::{Value, json};

use crate::common::*;

const DAY: i64 = 86_400;

#[tokio::test]
async fn access_tokens_last_21599_seconds() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let info = env.client.access_token_info(&login.access()).await.unwrap();
    assert_eq!(info.id, 4_000_000_001);
    assert_eq!(info.app_id, env.app.app_id);
    assert!(
        (21_590..=21_599).contains(&info.expires_in),
        "{}",
        info.expires_in
    );

    env.advance(21_590).await;
    env.client.user_me(&login.access()).await.unwrap();
    env.advance(10).await;
    let err = env.client.user_me(&login.access()).await.unwrap_err();
    assert_eq!(err.api_code(), Some(-401));
}

#[tokio::test]
async fn refresh_rotates_only_inside_the_last_30_days() {
    let env = start().await;
    let login = env.login(4_000_000_003, &["openid"]).await;
    let rt = kakao::RefreshToken::new(login.tokens.refresh_token.clone().unwrap());
    let mut set = kakao::TokenSet::from_code_response(&login.tokens, env.sandbox.clock().now()).unwrap();

    // Early on: a new access token (and ID token), the same refresh token.
    let early = env.client.refresh(&rt).await.unwrap();
    assert_eq!(early.refresh_token, None);
    assert_eq!(early.refresh_token_expires_in, None);
    assert!(
        early.id_token.is_some(),
        "pairs issued with an ID token get a new one"
    );
    set.apply_refresh(&early, env.sandbox.clock().now());
    assert_eq!(set.refresh_token.expose(), rt.expose());
    env.client.user_me(&set.access_token).await.unwrap();

    // 31 days later the refresh token has 29 days left: it rotates, and the old one dies.
    env.advance(31 * DAY).await;
    let late = env.client.refresh(&rt).await.unwrap();
    let new_rt = late.refresh_token.clone().expect("rotated");
    assert_ne!(new_rt, rt.expose());
    assert_eq!(late.refresh_token_expires_in, Some(5_183_999));
    let err = env.client.refresh(&rt).await.unwrap_err();
    assert_eq!(err.koe_code(), Some("KOE322"));
    set.apply_refresh(&late, env.sandbox.clock().now());
    assert_eq!(set.refresh_token.expose(), new_rt);
    env.client.refresh(&set.refresh_token).await.unwrap();
}

#[tokio::test]
async fn refresh_tokens_expire_after_about_60_days() {
    let env = start().await;
    let login = env.login(4_000_000_004, &["openid"]).await;
    env.advance(60 * DAY).await;
    let resp = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", env.app.rest_api_key.as_str()),
            ("client_secret", env.app.client_secret.as_str()),
            ("refresh_token", login.tokens.refresh_token.as_deref().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.json::<Value>().await.unwrap()["error_code"], "KOE322");
}

#[tokio::test]
async fn token_issuance_is_rate_limited_per_user() {
    let env = start().await;
    let login = env.login(4_000_000_005, &["openid"]).await;
    let rt = kakao::RefreshToken::new(login.tokens.refresh_token.clone().unwrap());
    for _ in 0..30 {
        env.client.refresh(&rt).await.unwrap();
    }
    let err = env.client.refresh(&rt).await.unwrap_err();
    assert_eq!(err.koe_code(), Some("KOE237"));
    assert_eq!(err.kind(), kakao::ErrorKind::Quota);
    env.advance(3_600).await;
    env.client.refresh(&rt).await.unwrap();

    // The switch turns the limit off for tests that refresh often.
    let resp = env
        .http
        .put(format!("{}/_admin/app", env.base))
        .json(&json!({"settings": {"token_rate_limit": false}}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.json::<Value>().await.unwrap()["settings"]["token_rate_limit"],
        false
    );
    for _ in 0..40 {
        env.client.refresh(&rt).await.unwrap();
    }
}

#[tokio::test]
async fn logout_ends_the_token_pair() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let out = env.client.logout(&login.access()).await.unwrap();
    assert_eq!(out.id, 4_000_000_001);
    assert_eq!(
        env.client.user_me(&login.access()).await.unwrap_err().api_code(),
        Some(-401)
    );
    let rt = kakao::RefreshToken::new(login.tokens.refresh_token.clone().unwrap());
    assert_eq!(
        env.client.refresh(&rt).await.unwrap_err().koe_code(),
        Some("KOE322")
    );
}
