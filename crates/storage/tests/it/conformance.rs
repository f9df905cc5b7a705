//! One story through the whole storage API, run on each backend: users, encrypted tokens with
//! the refresh lease, sessions, login attempts, rooms, members, ownership and invites.

use storage::{Role, Store, StoredTokens, TokenCipher, testing};

async fn story(url: &str) {
    let store = Store::open(url, TokenCipher::new(&[3u8; 32]).unwrap())
        .await
        .unwrap();
    store.ping().await.unwrap();
    let t = 1_767_225_600_000i64;

    // Users: created on first login, refreshed after.
    let (minji, new) = store
        .upsert_kakao_user(4_000_000_001, "김민지", Some("http://img/1"), t)
        .await
        .unwrap();
    assert!(new);
    let (again, new) = store
        .upsert_kakao_user(4_000_000_001, "민지", None, t + 1)
        .await
        .unwrap();
    assert!(!new);
    assert_eq!(
        (again.id.as_str(), again.nickname.as_str()),
        (minji.id.as_str(), "민지")
    );
    let (seojun, _) = store
        .upsert_kakao_user(4_000_000_002, "이서준", None, t)
        .await
        .unwrap();

    // Tokens: stored encrypted, read back decrypted, refreshed once under a lease.
    let tokens = StoredTokens {
        access_token: "AT-secret".into(),
        refresh_token: "RT-secret".into(),
        access_expires_at: t + 21_599_000,
        refresh_expires_at: t + 5_183_999_000,
        scopes: "openid profile_nickname".into(),
        version: 0,
    };
    store.save_tokens(&minji.id, &tokens, t).await.unwrap();
    let loaded = store.tokens(&minji.id).await.unwrap().unwrap();
    assert_eq!(loaded.access_token, "AT-secret");
    assert_eq!(loaded.version, 1);
    assert!(store.claim_refresh(&minji.id, t, t + 30_000).await.unwrap());
    assert!(
        !store.claim_refresh(&minji.id, t + 1, t + 30_000).await.unwrap(),
        "lease held"
    );
    let refreshed = StoredTokens {
        access_token: "AT-2".into(),
        ..loaded.clone()
    };
    assert!(
        store
            .store_refreshed(&minji.id, 1, &refreshed, t + 2)
            .await
            .unwrap()
    );
    assert!(
        !store
            .store_refreshed(&minji.id, 1, &refreshed, t + 3)
            .await
            .unwrap(),
        "stale version"
    );
    assert_eq!(store.tokens(&minji.id).await.unwrap().unwrap().version, 2);
    assert!(
        store.claim_refresh(&minji.id, t + 4, t + 30_000).await.unwrap(),
        "lease released"
    );
    store.release_refresh(&minji.id).await.unwrap();

    // Sessions: found by cookie value, gone with "log out everywhere".
    let s1 = store.create_session(&minji.id, t, 60_000).await.unwrap();
    let s2 = store.create_session(&minji.id, t, 60_000).await.unwrap();
    assert_eq!(
        store
            .session(&s1.cookie_value, t + 1)
            .await
            .unwrap()
            .unwrap()
            .user_id,
        minji.id
    );
    assert!(
        store
            .session(&s1.cookie_value, t + 60_001)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    store.delete_session(&s1.cookie_value).await.unwrap();
    assert!(store.session(&s1.cookie_value, t + 1).await.unwrap().is_none());
    assert_eq!(store.delete_user_sessions(&minji.id).await.unwrap(), 1);
    assert!(store.session(&s2.cookie_value, t + 1).await.unwrap().is_none());

    // Login attempts are spent once and expire.
    let attempt = storage::LoginAttempt {
        state: "st".into(),
        nonce: "n".into(),
        code_verifier: "v".into(),
        next_path: "/rooms".into(),
        scopes: "openid".into(),
        created_at: t,
    };
    store.put_login_attempt(&attempt).await.unwrap();
    assert_eq!(
        store.take_login_attempt("st", t - 1).await.unwrap(),
        Some(attempt.clone())
    );
    assert_eq!(store.take_login_attempt("st", t - 1).await.unwrap(), None);

    // Rooms: the creator owns it; members join by invitation; outsiders see nothing.
    let room = store
        .create_room(&minji.id, "연말 모임", "", "Asia/Seoul", t)
        .await
        .unwrap();
    assert!(
        store
            .room_for_member(&room.id, &seojun.id)
            .await
            .unwrap()
            .is_none()
    );
    let invite = store
        .create_invite(&room.id, &minji.id, "ABCD2345", t, t + 604_800_000)
        .await
        .unwrap();
    assert_eq!(store.invite("ABCD2345").await.unwrap(), Some(invite));
    assert!(store.add_member(&room.id, &seojun.id, t + 5).await.unwrap());
    assert!(
        !store.add_member(&room.id, &seojun.id, t + 6).await.unwrap(),
        "joining twice is a no-op"
    );
    let members = store.members(&room.id).await.unwrap();
    assert_eq!(
        members
            .iter()
            .map(|m| (m.nickname.as_str(), m.role))
            .collect::<Vec<_>>(),
        [("민지", Role::Owner), ("이서준", Role::Member)]
    );
    assert_eq!(store.rooms_of(&seojun.id).await.unwrap()[0].1, Role::Member);

    // Ownership moves in one step; the owner cannot simply be removed.
    assert!(!store.remove_member(&room.id, &minji.id, t + 7).await.unwrap());
    assert!(
        store
            .transfer_owner(&room.id, &minji.id, &seojun.id)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .room_for_member(&room.id, &seojun.id)
            .await
            .unwrap()
            .unwrap()
            .1,
        Role::Owner
    );
    assert!(
        !store
            .transfer_owner(&room.id, &minji.id, &seojun.id)
            .await
            .unwrap(),
        "no longer the owner"
    );
    let feed = store.feed_token(&room.id).await.unwrap();
    assert!(store.remove_member(&room.id, &minji.id, t + 8).await.unwrap());
    // Leaving bars the codes that existed then and ends the old feed URL, in one step.
    assert_eq!(
        store.invite_admits("ABCD2345", &minji.id).await.unwrap(),
        storage::Admission::Refuse
    );
    assert_eq!(
        store.invite_admits("ABCD2345", &seojun.id).await.unwrap(),
        storage::Admission::Admit
    );
    assert_ne!(store.feed_token(&room.id).await.unwrap(), feed);
    assert!(store.room_by_feed_token(&feed).await.unwrap().is_none());
    assert!(
        store
            .update_room(&room.id, "송년회", "설명", t + 9)
            .await
            .unwrap()
    );
    assert_eq!(store.room(&room.id).await.unwrap().unwrap().name, "송년회");

    // Unlink: tokens and sessions go, the user and their rooms stay.
    store.create_session(&seojun.id, t, 60_000).await.unwrap();
    store.save_tokens(&seojun.id, &tokens, t).await.unwrap();
    assert_eq!(
        store.mark_unlinked(4_000_000_002, t + 10).await.unwrap(),
        Some(seojun.id.clone())
    );
    assert!(store.tokens(&seojun.id).await.unwrap().is_none());
    assert_eq!(store.delete_user_sessions(&seojun.id).await.unwrap(), 0);
    assert!(
        store
            .user(&seojun.id)
            .await
            .unwrap()
            .unwrap()
            .unlinked_at
            .is_some()
    );

    assert!(store.delete_room(&room.id).await.unwrap());
    assert!(
        store.invite("ABCD2345").await.unwrap().is_none(),
        "invites go with their room"
    );
    store.db().close().await;
}

#[tokio::test]
async fn the_story_holds_on_every_backend() {
    let urls = testing::fresh_urls().await.unwrap();
    if std::env::var("CI").is_ok() {
        assert_eq!(urls.len(), 2, "CI runs the PostgreSQL leg (TEST_POSTGRES_URL)");
    }
    for url in urls {
        story(&url).await;
    }
}

#[tokio::test]
async fn tokens_are_not_readable_in_the_table() {
    let url = testing::fresh_sqlite_url();
    let store = Store::open(&url, TokenCipher::new(&[9u8; 32]).unwrap())
        .await
        .unwrap();
    let (u, _) = store.upsert_kakao_user(1, "a", None, 0).await.unwrap();
    let tokens = StoredTokens {
        access_token: "plain-access-token".into(),
        refresh_token: "plain-refresh-token".into(),
        access_expires_at: 1,
        refresh_expires_at: 2,
        scopes: String::new(),
        version: 0,
    };
    store.save_tokens(&u.id, &tokens, 0).await.unwrap();
    let storage::Db::Sqlite(pool) = store.db() else {
        unreachable!()
    };
    let (at, rt): (String, String) = sqlx::query_as("SELECT access_token, refresh_token FROM kakao_tokens")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(!at.contains("plain") && !rt.contains("plain"));
    let wrong_key = Store::open(&url, TokenCipher::new(&[1u8; 32]).unwrap())
        .await
        .unwrap();
    assert!(wrong_key.tokens(&u.id).await.is_err());
}
