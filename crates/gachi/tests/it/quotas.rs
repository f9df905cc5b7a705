//! Issue 8: Gachi counts its own Kakao messages per KST day and defers a receiver over a quota
//! BEFORE calling Kakao; a deferral goes out by itself when the KST day turns, unless the owner
//! cancels it. And a sender who lost a consent parks the receivers as `needs_consent`. Against
//! the in-process sandbox (whose clock Gachi shares), on SQLite and, when configured, PostgreSQL.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{MINJI, SEOJUN, TestApp, User, database_urls};

async fn week_room(owner: &User) -> String {
    let (status, room) = owner.post("/api/v1/rooms", json!({"name": "한도 방"})).await;
    assert_eq!(status, 201, "{room}");
    room["id"].as_str().unwrap().to_owned()
}

async fn inbox_from(app: &TestApp, user: i64, from: i64) -> usize {
    let v: Value = app
        .http
        .get(app.url(&format!("/_kakao/_admin/inbox/{user}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["from"] == from)
        .count()
}

async fn uuid_of(app: &TestApp, user: i64) -> String {
    let users: Value = app
        .http
        .get(app.url("/_kakao/_admin/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let found = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == user);
    found.unwrap()["uuid"].as_str().unwrap().to_owned()
}

async fn share_to(owner: &User, room_id: &str, uuid: &str) -> String {
    let (status, share) = owner
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "week", "date": "2026-12-21", "channel": "friends", "receiver_uuids": [uuid]}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    share["id"].as_str().unwrap().to_owned()
}

/// The share's only receiver, once it is neither queued nor sending (bounded polling; the
/// server's own worker does the sending).
async fn settled(owner: &User, share_id: &str) -> Value {
    for _ in 0..200 {
        let (status, share) = owner.get(&format!("/api/v1/shares/{share_id}")).await;
        assert_eq!(status, 200);
        let r = share["recipients"][0].clone();
        if r["status"] != "queued" && r["status"] != "sending" {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("share {share_id} did not settle");
}

#[tokio::test]
async fn the_21st_message_to_a_friend_waits_for_the_next_kst_day_unless_cancelled() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let minji = app.login(MINJI).await;
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_message"]}),
        )
        .await;
        // Kakao itself would accept far more: whatever is held back, Gachi held back.
        let resp = app
            .http
            .put(app.url("/_kakao/_admin/app"))
            .json(&json!({"quotas": {"pair_day": 1000, "sender_day": 1000, "receiver_day": 1000}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let room_id = week_room(&minji).await;
        let seojun = uuid_of(&app, SEOJUN).await;

        for i in 0..20 {
            let id = share_to(&minji, &room_id, &seojun).await;
            let r = settled(&minji, &id).await;
            assert_eq!(r["status"], "sent", "message {}: {r}", i + 1);
        }
        assert_eq!(inbox_from(&app, SEOJUN, MINJI).await, 20);

        // The 21st: deferred by Gachi's own count, Kakao never called.
        let calls_before = inbox_from(&app, SEOJUN, MINJI).await;
        let twenty_first = share_to(&minji, &room_id, &seojun).await;
        let r = settled(&minji, &twenty_first).await;
        assert_eq!(r["status"], "deferred", "{r}");
        assert_eq!(r["reason"], "quota_pair_day");
        let message = r["message"].as_str().unwrap();
        assert!(message.contains("20건") && message.contains("00:00"), "{message}");
        let at = r["next_attempt_at"].as_str().unwrap();
        assert!(at.ends_with("T00:00:00+09:00"), "goes out at KST midnight: {at}");
        assert_eq!(inbox_from(&app, SEOJUN, MINJI).await, calls_before);
        let me = minji.id().await;
        let day = gachi::sharing::outbox::kst_day(app.state.now_ms());
        assert_eq!(
            app.state
                .store
                .quota_used(&day, &format!("pair:{me}:{seojun}"))
                .await
                .unwrap(),
            20
        );
        // English explains it too.
        let en: Value = minji
            .client
            .get(minji.base.clone() + &format!("/api/v1/shares/{twenty_first}"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let en_message = en["recipients"][0]["message"].as_str().unwrap();
        assert!(
            en_message.contains("20 a day") && en_message.contains("KST"),
            "{en_message}"
        );

        // The 22nd is deferred too, and the owner cancels it.
        let twenty_second = share_to(&minji, &room_id, &seojun).await;
        assert_eq!(settled(&minji, &twenty_second).await["status"], "deferred");
        let (status, cancelled) = minji
            .post(&format!("/api/v1/shares/{twenty_second}/cancel"), json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(cancelled["recipients"][0]["status"], "failed");
        assert_eq!(cancelled["recipients"][0]["reason"], "canceled");
        // A resend of a deferred one is refused (it goes by itself).
        let (_, still) = minji
            .post(
                &format!("/api/v1/shares/{twenty_first}/resend"),
                json!({"uuids": [seojun]}),
            )
            .await;
        assert_eq!(still["recipients"][0]["status"], "deferred");

        // Just before midnight nothing goes; just after, the 21st goes out by itself.
        let now = app.state.now_ms();
        let midnight = gachi::sharing::outbox::next_kst_day(now);
        let to_before = (midnight - now) / 1000 - 5;
        app.sandbox_post("/_admin/clock", json!({"advance_seconds": to_before}))
            .await;
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        assert_eq!(settled(&minji, &twenty_first).await["status"], "deferred");
        // The clock move itself runs Gachi's due outbox work before it answers (DESIGN.md "Time").
        app.sandbox_post("/_admin/clock", json!({"advance_seconds": 10}))
            .await;
        let (_, after) = minji.get(&format!("/api/v1/shares/{twenty_first}")).await;
        assert_eq!(
            after["recipients"][0]["status"], "sent",
            "the deferral went out by itself after the KST day turned"
        );
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        assert_eq!(
            inbox_from(&app, SEOJUN, MINJI).await,
            21,
            "the cancelled one never goes"
        );
        let (_, cancelled) = minji.get(&format!("/api/v1/shares/{twenty_second}")).await;
        assert_eq!(cancelled["recipients"][0]["status"], "failed");
    }
}

#[tokio::test]
async fn a_sender_who_lost_consent_parks_receivers_as_needs_consent() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let room_id = week_room(&minji).await;
    let seojun = uuid_of(&app, SEOJUN).await;
    // Queued for a minute from now, so the consent is gone before the worker gets to it.
    let now = app.state.now_ms();
    let share = app
        .state
        .store
        .create_share(
            &storage::NewShare {
                room_id,
                owner_id: minji.id().await,
                layout: domain::share::Layout::Week,
                event_id: None,
                date: Some("2026-12-21".into()),
                channel: domain::share::Channel::Friends,
                lang: "ko".into(),
            },
            &[storage::NewRecipient {
                uuid: seojun,
                nickname: "이서준".into(),
            }],
            now + 60_000,
        )
        .await
        .unwrap();
    app.sandbox_post(
        "/_admin/revoke",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 61}))
        .await;
    gachi::sharing::outbox::run_once(&app.state).await.unwrap();
    let r = settled(&minji, &share.id).await;
    assert_eq!(r["status"], "needs_consent", "{r}");
    assert!(r["message"].as_str().unwrap().contains("동의"));
    let (_, body) = minji.get(&format!("/api/v1/shares/{}", share.id)).await;
    assert!(
        body["consent_url"].as_str().unwrap().contains("talk_message"),
        "{body}"
    );
    assert_eq!(inbox_from(&app, SEOJUN, MINJI).await, 0);
}

/// Issue #15: showing the share page changes nothing; the sender resumes parked receivers with
/// the page's button (a POST) once the consent is back.
#[tokio::test]
async fn the_share_page_changes_nothing_and_its_button_resumes() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let scopes = json!({"user_id": MINJI, "scopes": ["talk_message", "friends"]});
    app.sandbox_post("/_admin/consent", scopes.clone()).await;
    let room_id = week_room(&minji).await;
    let seojun = uuid_of(&app, SEOJUN).await;
    let now = app.state.now_ms();
    let share = app
        .state
        .store
        .create_share(
            &storage::NewShare {
                room_id: room_id.clone(),
                owner_id: minji.id().await,
                layout: domain::share::Layout::Week,
                event_id: None,
                date: Some("2026-12-21".into()),
                channel: domain::share::Channel::Friends,
                lang: "ko".into(),
            },
            &[storage::NewRecipient {
                uuid: seojun,
                nickname: "이서준".into(),
            }],
            now + 60_000,
        )
        .await
        .unwrap();
    app.sandbox_post(
        "/_admin/revoke",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 61}))
        .await;
    gachi::sharing::outbox::run_once(&app.state).await.unwrap();
    assert_eq!(settled(&minji, &share.id).await["status"], "needs_consent");

    // Consent is back; visiting the page (as the return from Kakao would) requeues nothing.
    app.sandbox_post("/_admin/consent", scopes).await;
    let page = minji
        .client
        .get(app.url(&format!(
            "/rooms/{room_id}/share?layout=week&date=2026-12-21&share={}",
            share.id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-resume-form"), "the page offers the button");
    let rows = app.state.store.recipients(&share.id).await.unwrap();
    assert_eq!(rows[0].status, "needs_consent", "a GET changed nothing");

    // The button posts; the receiver is queued again and the message goes.
    let resumed = minji
        .client
        .post(app.url(&format!("/rooms/{room_id}/share/resume")))
        .header("origin", &app.base)
        .form(&[("share", share.id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resumed.status(), 200, "followed back to the page");
    assert_eq!(settled(&minji, &share.id).await["status"], "sent");
    assert_eq!(inbox_from(&app, SEOJUN, MINJI).await, 1);
}
