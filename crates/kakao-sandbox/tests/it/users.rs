//! User APIs: scopes and revoking them, admin-key calls, userinfo, service-initiated unlink.

use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn scopes_list_and_revoke_like_kakao() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid", "friends"]).await;
    let token = login.access();
    let scopes = env.client.scopes(&token, &[]).await.unwrap();
    let friends = scopes.scopes.iter().find(|s| s.id == "friends").unwrap();
    assert!(friends.agreed && friends.using);
    assert_eq!(friends.revocable, Some(true));
    assert_eq!(friends.kind, "PRIVACY");
    let nickname = scopes.scopes.iter().find(|s| s.id == "profile_nickname").unwrap();
    assert_eq!(
        nickname.revocable,
        Some(false),
        "required items are not revocable"
    );
    let message = scopes.scopes.iter().find(|s| s.id == "talk_message").unwrap();
    assert_eq!(
        (message.agreed, message.revocable, message.kind.as_str()),
        (false, None, "SERVICE")
    );
    assert!(
        scopes.scopes.iter().all(|s| s.id != "account_email"),
        "disabled items are not listed"
    );

    let only = env.client.scopes(&token, &["friends"]).await.unwrap();
    assert_eq!(only.scopes.len(), 1);

    let after = env.client.revoke_scopes(&token, &["friends"]).await.unwrap();
    assert!(!after.agreed("friends"));
    let err = env
        .client
        .friends(&token, &kakao::FriendsPage::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), kakao::ErrorKind::NeedsConsent(vec!["friends".into()]));

    let required = env
        .http
        .post(format!("{}/v2/user/revoke/scopes", env.base))
        .bearer_auth(&login.tokens.access_token)
        .form(&[("scopes", r#"["profile_nickname"]"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(required.status(), 403);
    assert_eq!(
        required.json::<Value>().await.unwrap(),
        json!({"msg":"[profile_nickname] is not revocable. check out if it's set as required on developers.kakao.com","code":-3})
    );
    let unknown = env
        .http
        .post(format!("{}/v2/user/revoke/scopes", env.base))
        .bearer_auth(&login.tokens.access_token)
        .form(&[("scopes", r#"["email"]"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);
    assert_eq!(
        unknown.json::<Value>().await.unwrap(),
        json!({"msg":"There is no scopes to revoke. check out if given scope id([email]) is correct again.","code":-2})
    );
}

#[tokio::test]
async fn admin_key_calls_and_userinfo() {
    let env = start().await;
    let me = env.client.user_me_admin(4_000_000_002).await.unwrap();
    assert_eq!(me.nickname(), Some("이서준"));
    let err = env.client.user_me_admin(1).await.unwrap_err();
    assert_eq!(err.api_code(), Some(-101));

    let login = env.login(4_000_000_002, &["openid"]).await;
    let info = env.client.oidc_userinfo(&login.access()).await.unwrap();
    assert_eq!(info.sub, "4000000002");
    assert_eq!(info.nickname.as_deref(), Some("이서준"));
}

#[tokio::test]
async fn service_unlink_removes_link_and_tokens() {
    let env = start().await;
    let (user, _) = env.new_user("장유나").await;
    let login = env.login(user, &["openid"]).await;
    assert_eq!(env.client.unlink(&login.access()).await.unwrap().id, user);
    assert_eq!(
        env.client.user_me(&login.access()).await.unwrap_err().api_code(),
        Some(-401)
    );
    let users: Value = env
        .http
        .get(format!("{}/_admin/users", env.base))
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
        .find(|u| u["id"] == user)
        .unwrap();
    assert_eq!(row["linked"], false);

    // Linking again shows the first consent screen again.
    let browser = env.browser();
    let attempt = Attempt::new(&["openid"]);
    let picker = browser
        .get(env.client.authorize_url(&attempt.request()).unwrap().as_str())
        .await;
    let consent = browser.pick(picker.html(), user).await;
    assert_eq!(
        consent_items(consent.html()),
        ["profile_nickname", "profile_image"]
    );
}
