//! Kakao tokens are refreshed before they expire, once per user even under concurrency, and a
//! refresh Kakao refuses (KOE322) means logging in again — not an error page.

use gachi::auth::tokens::{TokenError, access_token};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn an_expiring_token_is_refreshed_once_for_many_callers() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = minji.id().await;
    let before = app.state.store.tokens(&id).await.unwrap().unwrap();
    let same = access_token(&app.state, &id, false).await.unwrap();
    assert_eq!(
        same.expose(),
        before.access_token,
        "a fresh token is used as it is"
    );

    // Six hours later (both clocks: the sandbox shares Gachi's), eight callers at once.
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 21_600}))
        .await;
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (state, id) = (app.state.clone(), id.clone());
        calls.spawn(async move { access_token(&state, &id, false).await });
    }
    let tokens = calls.join_all().await;
    let first = tokens[0].as_ref().unwrap().expose().to_owned();
    assert_ne!(first, before.access_token);
    assert!(
        tokens.iter().all(|t| t.as_ref().unwrap().expose() == first),
        "everyone got the one new token"
    );
    let after = app.state.store.tokens(&id).await.unwrap().unwrap();
    assert_eq!(after.version, before.version + 1, "exactly one refresh");
    let me = app
        .state
        .kakao
        .user_me(&kakao::AccessToken::new(first))
        .await
        .unwrap();
    assert_eq!(me.id, MINJI);
}

#[tokio::test]
async fn a_refused_refresh_means_logging_in_again() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = minji.id().await;
    let token = access_token(&app.state, &id, false).await.unwrap();
    // Kakao-side logout expires the token pair, so the refresh token is dead.
    app.state.kakao.logout(&token).await.unwrap();
    let err = access_token(&app.state, &id, true).await.unwrap_err();
    assert!(matches!(err, TokenError::NeedsLogin), "{err:?}");
    assert!(app.state.store.tokens(&id).await.unwrap().is_none());
}
