//! Kakao's documented endpoints the sandbox lacked before issue #21: manual sign-up and user
//! properties. Bodies pinned as literals.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn user_properties_and_manual_sign_up() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let token = login.tokens.access_token.clone();
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/update_profile",
            &token,
            &[("properties", r#"{"grade":"A"}"#)]
        )
        .await,
        (400, json!({"msg":"invalid property key: grade","code":-201}))
    );
    env.put_app(json!({"user_properties": ["grade"]})).await;
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/update_profile",
            &token,
            &[("properties", r#"{"grade":"A"}"#)]
        )
        .await,
        (200, json!({"id": 4000000001i64}))
    );
    let me = env.client.user_me(&login.access()).await.unwrap();
    let raw = serde_json::to_value(&me).unwrap();
    assert_eq!(raw["properties"]["nickname"], "김민지");
    let (_, me) = bearer_get(&env, "/v2/user/me", &token).await;
    assert_eq!(me["properties"]["grade"], "A");
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/update_profile",
            &token,
            &[("properties", r#"{"nickname":"x"}"#)]
        )
        .await,
        (
            400,
            json!({"msg":"[nickname] is a default property and cannot be updated.","code":-201})
        )
    );
    // Under auto-link (Kakao's default) every user is already signed up.
    assert_eq!(
        raw_post(&env, "/v1/user/signup", &token, &[]).await,
        (400, json!({"msg":"already registered user.","code":-102}))
    );

    // Auto-link off: only the sign-up call completes sign-up.
    env.put_app(json!({"settings": {"auto_link": false}})).await;
    let (late, _) = env.new_user("가입안함").await;
    let (joined, _) = env.new_user("가입함").await;
    let late_login = env.login(late, &["openid"]).await;
    let joined_login = env.login(joined, &["openid"]).await;
    let (_, me) = bearer_get(&env, "/v2/user/me", &late_login.tokens.access_token).await;
    assert_eq!(me["has_signed_up"], false);
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/signup",
            &joined_login.tokens.access_token,
            &[("properties", r#"{"grade":"B"}"#)]
        )
        .await,
        (200, json!({"id": joined}))
    );
    let (_, me) = bearer_get(&env, "/v2/user/me", &joined_login.tokens.access_token).await;
    assert_eq!(
        (me["has_signed_up"].clone(), me["properties"]["grade"].clone()),
        (json!(true), json!("B"))
    );
    let ran = env.advance(24 * 3600).await;
    assert_eq!(ran["ran"].as_array().unwrap().len(), 1, "{ran}");
    assert_eq!(ran["ran"][0]["user_id"], late);
}
