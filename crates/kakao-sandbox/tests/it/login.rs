//! The whole Kakao Login: authorize with state, nonce and PKCE, the picker, the consent
//! screen, the code, tokens, a verified ID token and `/v2/user/me`; then what Kakao does on
//! later logins and on additional consent.

use kakao::wire::split_scopes;

use crate::common::*;

#[tokio::test]
async fn full_login_then_instant_relogin_then_additional_consent() {
    let env = start().await;
    let (user, _) = env.new_user("한서연").await;
    let browser = env.browser();

    // First login: picker, then the consent screen with the required and optional items only
    // (`friends` is "consent during use", never on the first screen).
    let attempt = Attempt::new(&["openid", "profile_nickname", "profile_image"]);
    let url = env.client.authorize_url(&attempt.request()).unwrap();
    assert!(url.as_str().contains("code_challenge_method=S256"));
    assert!(
        url.as_str()
            .contains("scope=openid%2Cprofile_nickname%2Cprofile_image")
    );
    let picker = browser.get(url.as_str()).await;
    assert!(picker.html().contains("한서연"));
    let consent = browser.pick(picker.html(), user).await;
    assert_eq!(
        consent_items(consent.html()),
        ["profile_nickname", "profile_image"]
    );
    let code = browser
        .consent(consent.html(), None, true)
        .await
        .code(&attempt.state);

    let tokens = env
        .client
        .exchange_code(&code, REDIRECT, Some(&attempt.pkce.verifier))
        .await
        .unwrap();
    assert_eq!(tokens.token_type, "bearer");
    assert_eq!(tokens.expires_in, 21599);
    assert_eq!(tokens.refresh_token_expires_in, Some(5_183_999));
    assert_eq!(
        split_scopes(tokens.scope.as_deref().unwrap()),
        ["openid", "profile_image", "profile_nickname"]
    );

    // The ID token verifies against the JWKS named by discovery.
    let discovery = env.client.discovery().await.unwrap();
    assert_eq!(discovery.issuer, env.base);
    assert_eq!(discovery.code_challenge_methods_supported, ["S256"]);
    let jwks = env.client.jwks(&discovery.jwks_uri).await.unwrap();
    let now = env.sandbox.clock().unix_seconds();
    let claims = env
        .client
        .verify_id_token(
            tokens.id_token.as_deref().unwrap(),
            &jwks,
            Some(&attempt.nonce),
            now,
        )
        .unwrap();
    assert_eq!(claims.sub, user.to_string());
    assert_eq!(claims.nickname.as_deref(), Some("한서연"));
    assert_eq!(claims.exp - claims.iat, 21599);

    let access = kakao::AccessToken::new(tokens.access_token.clone());
    let me = env.client.user_me(&access).await.unwrap();
    assert_eq!(me.id, user);
    assert_eq!(me.nickname(), Some("한서연"));
    assert!(me.profile_image_url().is_some());
    assert!(me.connected_at.as_deref().unwrap().ends_with('Z'));

    // A second authorize for an already-agreed user redirects at once, no screen at all.
    let again = Attempt::new(&["openid"]);
    let landing = browser
        .get(env.client.authorize_url(&again.request()).unwrap().as_str())
        .await;
    let code = landing.code(&again.state);
    env.client
        .exchange_code(&code, REDIRECT, Some(&again.pkce.verifier))
        .await
        .unwrap();

    // Additional consent lists only the new item, and the new tokens carry it.
    let more = Attempt::new(&["openid", "friends"]);
    let consent = browser
        .get(env.client.authorize_url(&more.request()).unwrap().as_str())
        .await;
    assert_eq!(consent_items(consent.html()), ["friends"]);
    let code = browser
        .consent(consent.html(), None, true)
        .await
        .code(&more.state);
    let tokens = env
        .client
        .exchange_code(&code, REDIRECT, Some(&more.pkce.verifier))
        .await
        .unwrap();
    assert!(split_scopes(tokens.scope.as_deref().unwrap()).contains(&"friends".to_owned()));
    let scopes = env
        .client
        .scopes(&kakao::AccessToken::new(tokens.access_token), &[])
        .await
        .unwrap();
    assert!(scopes.agreed("friends"));
    assert!(!scopes.agreed("talk_message"));
}

#[tokio::test]
async fn unchecking_an_optional_item_links_without_it() {
    let env = start().await;
    let (user, _) = env.new_user("우도현").await;
    let browser = env.browser();
    let attempt = Attempt::new(&["openid"]);
    let picker = browser
        .get(env.client.authorize_url(&attempt.request()).unwrap().as_str())
        .await;
    let consent = browser.pick(picker.html(), user).await;
    let code = browser
        .consent(consent.html(), Some(&["profile_nickname"]), true)
        .await
        .code(&attempt.state);
    let tokens = env
        .client
        .exchange_code(&code, REDIRECT, Some(&attempt.pkce.verifier))
        .await
        .unwrap();
    let me = env
        .client
        .user_me(&kakao::AccessToken::new(tokens.access_token))
        .await
        .unwrap();
    let account = me.kakao_account.unwrap();
    assert_eq!(account.profile_image_needs_agreement, Some(true));
    assert_eq!(account.profile.unwrap().profile_image_url, None);
}

#[tokio::test]
async fn cancel_and_prompt_none_redirect_with_kakaos_errors() {
    let env = start().await;
    let (user, _) = env.new_user("문가은").await;
    let browser = env.browser();
    let attempt = Attempt::new(&["openid"]);
    let url = env.client.authorize_url(&attempt.request()).unwrap();
    let picker = browser.get(url.as_str()).await;
    let consent = browser.pick(picker.html(), user).await;
    let Landing::Redirect(back) = browser.consent(consent.html(), None, false).await else {
        panic!()
    };
    let expected = format!(
        "{REDIRECT}?error=access_denied&error_description=User%20denied%20access&state={}",
        attempt.state
    );
    assert_eq!(back.as_str(), expected);

    // Logged in to Kakao but not linked: prompt=none cannot show the consent screen.
    let mut silent = attempt.request();
    silent.prompt = vec![kakao::Prompt::None];
    let Landing::Redirect(back) = browser
        .get(env.client.authorize_url(&silent).unwrap().as_str())
        .await
    else {
        panic!()
    };
    assert!(
        back.as_str()
            .contains("error=consent_required&error_description=user%20consent%20required.")
    );

    // No Kakao session at all.
    let Landing::Redirect(back) = env
        .browser()
        .get(env.client.authorize_url(&silent).unwrap().as_str())
        .await
    else {
        panic!()
    };
    assert!(back.as_str().contains("error=login_required"));
}

#[tokio::test]
async fn admin_session_and_consent_skip_every_screen() {
    let env = start().await;
    let (user, _) = env.new_user("백승우").await;
    env.admin_post(
        "/_admin/consent",
        serde_json::json!({"user_id": user, "scopes": ["profile_nickname", "profile_image"]}),
    )
    .await;
    let browser = env.browser();
    let resp = browser
        .http
        .post(format!("{}/_admin/session", env.base))
        .json(&serde_json::json!({"user_id": user}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let attempt = Attempt::new(&["openid"]);
    let landing = browser
        .get(env.client.authorize_url(&attempt.request()).unwrap().as_str())
        .await;
    let code = landing.code(&attempt.state);
    let tokens = env
        .client
        .exchange_code(&code, REDIRECT, Some(&attempt.pkce.verifier))
        .await
        .unwrap();
    assert!(tokens.id_token.is_some());
}

#[tokio::test]
async fn id_tokens_are_checked_for_nonce_audience_and_tampering() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let token = login.tokens.id_token.clone().unwrap();
    let discovery = env.client.discovery().await.unwrap();
    let jwks = env.client.jwks(&discovery.jwks_uri).await.unwrap();
    let now = env.sandbox.clock().unix_seconds();
    let err = |r: Result<_, kakao::KakaoError>| match r {
        Err(kakao::KakaoError::IdToken(e)) => e,
        other => panic!("expected an ID-token error, got {other:?}"),
    };
    use kakao::id_token::IdTokenError;
    assert_eq!(
        err(env
            .client
            .verify_id_token(&token, &jwks, Some("other-nonce"), now)),
        IdTokenError::NonceMismatch
    );
    assert_eq!(
        err(env
            .client
            .verify_id_token(&token, &jwks, Some(&login.nonce), now + 21_600)),
        IdTokenError::Expired
    );
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = kakao::id_token::peek_claims(&token).unwrap();
    claims.sub = "1".into();
    use base64::Engine;
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    assert_eq!(
        err(env
            .client
            .verify_id_token(&parts.join("."), &jwks, Some(&login.nonce), now)),
        IdTokenError::BadSignature
    );
    let other_client = kakao::KakaoClient::new(
        kakao::KakaoConfig::new("someone-elses-key").with_base(url::Url::parse(&env.base).unwrap()),
    )
    .unwrap();
    assert_eq!(
        err(other_client.verify_id_token(&token, &jwks, Some(&login.nonce), now)),
        IdTokenError::WrongAudience
    );

    // Kakao's own debugging endpoint agrees.
    let info = env.client.token_info(&token).await.unwrap();
    assert_eq!(info.sub, "4000000001");
}
