//! Kakao's message quotas per KST day: `-536` for the 21st message to one friend, `-532` for the
//! 101st from one sender (both with Kakao's default numbers), `-533` and `-10`, and all of them
//! back once the clock passes midnight KST.

use kakao::{ErrorKind, Receivers};
use serde_json::json;

use crate::common::*;
use crate::messages::{feed, sender_with_friends};

/// Access tokens live six hours; after the day turns the sender logs in again (no screens).
async fn fresh_token(env: &Env, me: i64) -> kakao::AccessToken {
    env.login(me, &["openid", "friends", "talk_message"])
        .await
        .access()
}

const FRIENDS_SEND: &str = "/v1/api/talk/friends/message/default/send";

#[tokio::test]
async fn the_21st_message_to_one_friend_is_536_until_the_kst_day_turns() {
    let env = start().await;
    let (token, me, friends) = sender_with_friends(&env, 1).await;
    let pal = Receivers::new([friends[0].1.clone()]).unwrap();
    for i in 0..20 {
        let outcome = env
            .client
            .send_to_friends(&token, &pal, &feed(&format!("{i}")))
            .await
            .unwrap();
        assert!(outcome.all_succeeded(), "message {i}: {outcome:?}");
    }
    let receivers = json!([friends[0].1]).to_string();
    let (status, body) = raw_post(
        &env,
        FRIENDS_SEND,
        token.expose(),
        &[
            ("receiver_uuids", &receivers),
            ("template_object", &feed("21").to_json()),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], -536);
    assert_eq!(body["receiver_uuids"], json!([friends[0].1]));
    let outcome = env
        .client
        .send_to_friends(&token, &pal, &feed("22"))
        .await
        .unwrap();
    assert_eq!(outcome.failures[0].code, -536);
    assert_eq!(outcome.failures[0].kind(), ErrorKind::Quota);
    assert_eq!(inbox(&env, friends[0].0).await.len(), 20);

    env.advance_to_next_kst_day().await;
    let token = fresh_token(&env, me).await;
    let outcome = env
        .client
        .send_to_friends(&token, &pal, &feed("다음 날"))
        .await
        .unwrap();
    assert!(outcome.all_succeeded(), "{outcome:?}");
    assert_eq!(inbox(&env, friends[0].0).await.len(), 21);
}

#[tokio::test]
async fn the_101st_message_from_one_sender_is_532_until_the_kst_day_turns() {
    let env = start().await;
    // Five friends, twenty calls of five: exactly Kakao's 100 per sender, 20 per pair.
    let (token, me, friends) = sender_with_friends(&env, 5).await;
    let all = Receivers::new(friends.iter().map(|(_, u)| u.clone())).unwrap();
    for i in 0..20 {
        let outcome = env
            .client
            .send_to_friends(&token, &all, &feed(&format!("{i}")))
            .await
            .unwrap();
        assert!(outcome.all_succeeded(), "call {i}: {outcome:?}");
    }
    let receivers = json!([friends[0].1]).to_string();
    let (status, body) = raw_post(
        &env,
        FRIENDS_SEND,
        token.expose(),
        &[
            ("receiver_uuids", &receivers),
            ("template_object", &feed("101").to_json()),
        ],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"msg": "daily message limit per sender has been exceeded.", "code": -532, "receiver_uuids": [friends[0].1]})
        )
    );
    env.advance_to_next_kst_day().await;
    let token = fresh_token(&env, me).await;
    let outcome = env
        .client
        .send_to_friends(&token, &all, &feed("다음 날"))
        .await
        .unwrap();
    assert_eq!(outcome.successful.len(), 5);
}

#[tokio::test]
async fn receiver_and_app_quotas() {
    let env = start().await;
    env.put_app(json!({"quotas": {"receiver_day": 1}})).await;
    let (token, me, friends) = sender_with_friends(&env, 2).await;
    let first = Receivers::new([friends[0].1.clone()]).unwrap();
    assert!(
        env.client
            .send_to_friends(&token, &first, &feed("1"))
            .await
            .unwrap()
            .all_succeeded()
    );
    let both = Receivers::new(friends.iter().map(|(_, u)| u.clone())).unwrap();
    let outcome = env
        .client
        .send_to_friends(&token, &both, &feed("2"))
        .await
        .unwrap();
    assert_eq!(outcome.successful, [friends[1].1.clone()]);
    assert_eq!(outcome.failure_of(&friends[0].1).unwrap().code, -533);

    env.put_app(json!({"quotas": {"receiver_day": 100, "app_day": 3}}))
        .await;
    let outcome = env
        .client
        .send_to_friends(&token, &both, &feed("3"))
        .await
        .unwrap();
    assert_eq!(outcome.successful, [friends[0].1.clone()]);
    let app_quota = outcome.failure_of(&friends[1].1).unwrap();
    assert_eq!(
        (app_quota.code, app_quota.msg.as_str()),
        (-10, "API limit has been exceeded.")
    );
    // Send-to-me is not counted (Kakao does not say; a settings switch).
    env.client.send_memo(&token, &feed("메모")).await.unwrap();
    assert_eq!(inbox(&env, me).await.len(), 1);
}
