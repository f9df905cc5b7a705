//! Kakao's exact error bodies and statuses, pinned as literal JSON over raw HTTP so a shared
//! wire type cannot make the client and the sandbox wrong together; then the client's reading.

use serde_json::{Value, json};

use crate::common::*;

async fn raw_token(env: &Env, form: &[(&str, &str)]) -> (u16, Value) {
    let resp = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(form)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// A fresh code for demo user 1, with the attempt that made it.
async fn fresh_code(env: &Env) -> (String, Attempt) {
    let browser = env.browser();
    let attempt = Attempt::new(&["openid"]);
    let url = env.client.authorize_url(&attempt.request()).unwrap();
    let code = browser
        .authorize_as(url.as_str(), 4_000_000_001)
        .await
        .code(&attempt.state);
    (code, attempt)
}

#[tokio::test]
async fn token_endpoint_errors_are_kakaos() {
    let env = start().await;
    let key = env.app.rest_api_key.as_str();
    let secret = env.app.client_secret.as_str();

    // KOE320: a code is one-time; the second use fails, even with everything else right.
    let (code, attempt) = fresh_code(&env).await;
    let good = [
        ("grant_type", "authorization_code"),
        ("client_id", key),
        ("client_secret", secret),
        ("redirect_uri", REDIRECT),
        ("code", code.as_str()),
        ("code_verifier", attempt.pkce.verifier.as_str()),
    ];
    assert_eq!(raw_token(&env, &good).await.0, 200);
    assert_eq!(
        raw_token(&env, &good).await,
        (
            400,
            json!({"error":"invalid_grant","error_description":format!("authorization code not found for code={code}"),"error_code":"KOE320"})
        )
    );

    // KOE303: the redirect URI differs from the authorize request's.
    let (code, attempt) = fresh_code(&env).await;
    let mut form = good;
    form[4].1 = &code;
    form[5].1 = &attempt.pkce.verifier;
    form[3].1 = "http://127.0.0.1:9/other";
    assert_eq!(
        raw_token(&env, &form).await,
        (
            400,
            json!({"error":"invalid_grant","error_description":"Redirect URI mismatch.","error_code":"KOE303"})
        )
    );

    // PKCE: a verifier that does not match the challenge.
    let (code, _) = fresh_code(&env).await;
    let mut form = good;
    form[4].1 = &code;
    form[5].1 = "not-the-verifier-not-the-verifier-not-the-ver";
    let (status, body) = raw_token(&env, &form).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_code"], "KOE320");

    // KOE010: the client secret is enabled (Kakao's default) but missing.
    let (code, attempt) = fresh_code(&env).await;
    let no_secret = [
        ("grant_type", "authorization_code"),
        ("client_id", key),
        ("redirect_uri", REDIRECT),
        ("code", code.as_str()),
        ("code_verifier", attempt.pkce.verifier.as_str()),
    ];
    assert_eq!(
        raw_token(&env, &no_secret).await,
        (
            401,
            json!({"error":"invalid_client","error_description":"Bad client credentials","error_code":"KOE010"})
        )
    );

    // KOE101: an unknown client id.
    let mut unknown = no_secret;
    unknown[1].1 = "no-such-key";
    assert_eq!(
        raw_token(&env, &unknown).await,
        (
            401,
            json!({"error":"invalid_client","error_description":"Not exist client_id [no-such-key]","error_code":"KOE101"})
        )
    );

    // KOE322 (refresh token unknown) and KOE319 (missing).
    let refresh = [
        ("grant_type", "refresh_token"),
        ("client_id", key),
        ("client_secret", secret),
        ("refresh_token", "nope"),
    ];
    assert_eq!(
        raw_token(&env, &refresh).await,
        (
            400,
            json!({"error":"invalid_grant","error_description":"expired_or_invalid_refresh_token","error_code":"KOE322"})
        )
    );
    let (status, body) = raw_token(&env, &refresh[..3]).await;
    assert_eq!((status, body["error_code"].as_str()), (400, Some("KOE319")));
}

#[tokio::test]
async fn the_client_reads_kauth_errors_as_what_to_do() {
    let env = start().await;
    let (code, attempt) = fresh_code(&env).await;
    env.client
        .exchange_code(&code, REDIRECT, Some(&attempt.pkce.verifier))
        .await
        .unwrap();
    let err = env
        .client
        .exchange_code(&code, REDIRECT, Some(&attempt.pkce.verifier))
        .await
        .unwrap_err();
    assert_eq!(err.koe_code(), Some("KOE320"));
    assert_eq!(err.kind(), kakao::ErrorKind::Permanent);
    assert!(
        !format!("{err} {err:?}").contains(&code),
        "the code must never be shown"
    );

    let err = env
        .client
        .refresh(&kakao::RefreshToken::new("gone"))
        .await
        .unwrap_err();
    assert_eq!(err.koe_code(), Some("KOE322"));
    assert_eq!(err.kind(), kakao::ErrorKind::NeedsLogin);
}

#[tokio::test]
async fn authorize_configuration_errors_show_kakaos_error_page() {
    let env = start().await;
    let browser = env.browser();
    let attempt = Attempt::new(&["openid"]);
    let mut req = attempt.request();
    req.redirect_uri = "http://127.0.0.1:9/not-registered".into();
    let page = browser
        .get(env.client.authorize_url(&req).unwrap().as_str())
        .await;
    assert!(
        matches!(&page, Landing::Page(400, html) if html.contains("data-error-code=\"KOE006\"")),
        "{page:?}"
    );

    let mut req = attempt.request();
    req.scopes = vec!["openid".into(), "account_email".into()];
    let page = browser
        .get(env.client.authorize_url(&req).unwrap().as_str())
        .await;
    assert!(
        matches!(&page, Landing::Page(400, html) if html.contains("KOE205") && html.contains("account_email"))
    );

    let other = kakao::KakaoClient::new(
        kakao::KakaoConfig::new("no-such-key").with_base(url::Url::parse(&env.base).unwrap()),
    )
    .unwrap();
    let page = browser
        .get(other.authorize_url(&attempt.request()).unwrap().as_str())
        .await;
    assert!(matches!(&page, Landing::Page(400, html) if html.contains("KOE101")));

    let url = format!(
        "{}/oauth/authorize?client_id={}&redirect_uri={REDIRECT}&response_type=token",
        env.base, env.app.rest_api_key
    );
    assert!(matches!(browser.get(&url).await, Landing::Page(400, html) if html.contains("KOE202")));

    env.sandbox.update_app(|app| app.is_test_app = true);
    let (outsider, _) = env
        .admin_post("/_admin/users", json!({"nickname": "외부인"}))
        .await
        .as_object()
        .map(|o| (o["id"].as_i64().unwrap(), ()))
        .unwrap();
    let page = browser
        .authorize_as(
            env.client.authorize_url(&attempt.request()).unwrap().as_str(),
            outsider,
        )
        .await;
    assert!(
        matches!(&page, Landing::Page(400, html) if html.contains("KOE005")),
        "{page:?}"
    );
}

#[tokio::test]
async fn kapi_token_errors_are_kakaos() {
    let env = start().await;
    let unknown = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        unknown.headers()["www-authenticate"],
        "Bearer error=invalid_token"
    );
    assert_eq!(
        unknown.json::<Value>().await.unwrap(),
        json!({"msg":"this access token does not exist","code":-401})
    );

    let login = env.login(4_000_000_002, &["openid"]).await;
    env.advance(21_599).await;
    let expired = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .bearer_auth(&login.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), 401);
    assert_eq!(
        expired.headers()["www-authenticate"],
        "Bearer error=invalid_token"
    );
    assert_eq!(
        expired.json::<Value>().await.unwrap(),
        json!({"msg":"this access token is already expired","code":-401})
    );
    let err = env.client.user_me(&login.access()).await.unwrap_err();
    assert_eq!(err.kind(), kakao::ErrorKind::TokenExpired);

    let missing = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    assert_eq!(missing.json::<Value>().await.unwrap()["code"], -8);
}

#[tokio::test]
async fn insufficient_scopes_is_kakaos_402() {
    let env = start().await;
    let (user, _) = env.new_user("서하람").await;
    let login = env.login(user, &["openid"]).await;
    let resp = env
        .http
        .get(format!("{}/v1/api/talk/friends?limit=10", env.base))
        .bearer_auth(&login.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"msg":"insufficient scopes.","code":-402,"api_type":"FRIENDS","required_scopes":["friends"],"allowed_scopes":["profile_image","profile_nickname"]})
    );
    let err = env
        .client
        .friends(&login.access(), &kakao::FriendsPage::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), kakao::ErrorKind::NeedsConsent(vec!["friends".into()]));

    // A consent item the app has not configured: -3, not -402.
    env.sandbox.update_app(|app| {
        app.consent_items
            .insert("friends".into(), kakao_sandbox::ConsentKind::Disabled);
    });
    let resp = env
        .http
        .get(format!("{}/v1/api/talk/friends", env.base))
        .bearer_auth(&login.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        // Kakao puts the app's name where its guide writes [YOUR_APP_NAME].
        json!({"msg":"[같이 (Gachi) 샌드박스] App disabled [friends] scopes for [FRIENDS] API on developers.kakao.com. Enable it first.","code":-3})
    );
}
