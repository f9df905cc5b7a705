//! The Friends API's visibility conditions, Kakao's 10-minute cache, and paging.

use serde_json::json;

use crate::common::*;

async fn friend_ids(env: &Env, token: &kakao::AccessToken) -> Vec<i64> {
    env.client
        .all_friends(token)
        .await
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect()
}

#[tokio::test]
async fn a_friend_appears_once_linked_and_agreed_after_the_cache_window() {
    let env = start().await;
    let (me, _) = env.new_user("나").await;
    let (pal, _) = env.new_user("친구").await;
    env.admin_post("/_admin/friends", json!({"a": me, "b": pal}))
        .await;
    let login = env.login(me, &["openid", "friends"]).await;
    let token = login.access();
    assert_eq!(
        friend_ids(&env, &token).await,
        Vec::<i64>::new(),
        "not linked yet"
    );

    // The friend links and agrees to `friends`; Kakao's cache still answers the old list.
    env.login(pal, &["openid", "friends"]).await;
    assert_eq!(
        friend_ids(&env, &token).await,
        Vec::<i64>::new(),
        "cached for 10 minutes"
    );
    env.advance(600).await;
    assert_eq!(friend_ids(&env, &token).await, vec![pal]);

    let conditions: [(&str, serde_json::Value, serde_json::Value); 3] = [
        (
            "/_admin/hide",
            json!({"user": me, "friend": pal, "on": true}),
            json!({"user": me, "friend": pal, "on": false}),
        ),
        (
            "/_admin/block",
            json!({"user": me, "friend": pal, "on": true}),
            json!({"user": me, "friend": pal, "on": false}),
        ),
        (
            "/_admin/revoke",
            json!({"user_id": pal, "scopes": ["friends"]}),
            json!({"user_id": pal, "scopes": ["friends"]}),
        ),
    ];
    for (path, on, off) in conditions {
        env.admin_post(path, on).await;
        env.advance(600).await;
        assert_eq!(
            friend_ids(&env, &token).await,
            Vec::<i64>::new(),
            "{path} hides the friend"
        );
        if path == "/_admin/revoke" {
            env.admin_post("/_admin/consent", off).await;
        } else {
            env.admin_post(path, off).await;
        }
        env.advance(600).await;
        assert_eq!(friend_ids(&env, &token).await, vec![pal], "{path} undone");
    }

    // A private profile hides the friend too.
    let resp = env
        .http
        .patch(format!("{}/_admin/users/{pal}", env.base))
        .json(&json!({"profile_public": false}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    env.advance(600).await;
    assert_eq!(friend_ids(&env, &token).await, Vec::<i64>::new());
}

#[tokio::test]
async fn without_the_permission_only_app_members_see_each_other() {
    let env = start().await;
    let (me, _) = env.new_user("멤버").await;
    let outsider = env
        .admin_post("/_admin/users", json!({"nickname": "비멤버"}))
        .await["id"]
        .as_i64()
        .unwrap();
    env.admin_post("/_admin/friends", json!({"a": me, "b": outsider}))
        .await;
    env.admin_post(
        "/_admin/consent",
        json!({"user_id": outsider, "scopes": ["profile_nickname", "friends"]}),
    )
    .await;
    let login = env.login(me, &["openid", "friends"]).await;
    assert_eq!(friend_ids(&env, &login.access()).await, Vec::<i64>::new());

    env.sandbox
        .update_app(|app| app.friends_message_permission = true);
    env.advance(600).await;
    assert_eq!(friend_ids(&env, &login.access()).await, vec![outsider]);
}

#[tokio::test]
async fn two_hundred_fifty_friends_come_back_complete_and_in_order() {
    let env = start().await;
    let (me, _) = env.new_user("인싸").await;
    let mut expected = Vec::new();
    for i in 0..250 {
        let (id, _) = env.new_user(&format!("친구{i:03}")).await;
        env.admin_post("/_admin/friends", json!({"a": me, "b": id})).await;
        env.admin_post(
            "/_admin/consent",
            json!({"user_id": id, "scopes": ["profile_nickname", "friends"]}),
        )
        .await;
        expected.push(id);
    }
    let login = env.login(me, &["openid", "friends"]).await;

    // The documented default page size is 10, with paging URLs that carry offset and limit.
    let first = env
        .http
        .get(format!("{}/v1/api/talk/friends", env.base))
        .bearer_auth(&login.tokens.access_token)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(first["elements"].as_array().unwrap().len(), 10);
    assert_eq!(first["total_count"], 250);
    assert_eq!(first["before_url"], serde_json::Value::Null);
    assert_eq!(
        first["after_url"],
        format!("{}/v1/api/talk/friends?offset=10&limit=10&order=asc", env.base)
    );

    let all = env.client.all_friends(&login.access()).await.unwrap();
    let ids: Vec<i64> = all.iter().map(|f| f.id).collect();
    assert_eq!(ids, expected, "nicknames 친구000…친구249 sort like their ids");
    let desc = env
        .client
        .friends(
            &login.access(),
            &kakao::FriendsPage {
                limit: 3,
                order: "desc".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        desc.elements.iter().map(|f| f.id).collect::<Vec<_>>(),
        expected.iter().rev().take(3).copied().collect::<Vec<_>>()
    );
}
