//! Issue 7: images, shares through the outbox, just-in-time consent, the public link, and
//! "why is my friend missing?" — against the in-process sandbox, on SQLite and (when
//! configured) PostgreSQL. Time moves through the shared clock; the outbox is driven with
//! `gachi::sharing::outbox::run_once` and bounded polling, never by sleeping on a guess.

use serde_json::{Value, json};

use crate::common::{JIWOO, MINJI, SEOJUN, TestApp, User, database_urls, join};

const HAYUN: i64 = 4_000_000_004;
const NASTY: &str = "<script>alert(\"x\")</script> \"따옴표\" & 모임";

async fn room_with_event(owner: &User, title: &str) -> (String, String) {
    let (status, room) = owner.post("/api/v1/rooms", json!({"name": title})).await;
    assert_eq!(status, 201, "{room}");
    let room_id = room["id"].as_str().unwrap().to_owned();
    let (status, event) = owner
        .post(
            &format!("/api/v1/rooms/{room_id}/events"),
            json!({"title": title, "all_day": false, "starts_at": "2026-12-24T19:00:00+09:00",
                   "ends_at": "2026-12-24T21:00:00+09:00", "location": "강남 <b>역</b>"}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    (room_id, event["id"].as_str().unwrap().to_owned())
}

async fn consent(app: &TestApp, user: i64, scopes: &[&str]) {
    app.sandbox_post("/_admin/consent", json!({"user_id": user, "scopes": scopes}))
        .await;
}

async fn inbox(app: &TestApp, user: i64) -> Vec<Value> {
    let v: Value = app
        .http
        .get(app.url(&format!("/_kakao/_admin/inbox/{user}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["messages"].as_array().cloned().unwrap_or_default()
}

/// Drives the outbox until no receiver of the share is queued or sending (bounded).
async fn settle(app: &TestApp, owner: &User, share_id: &str) -> Value {
    for _ in 0..100 {
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        let (status, share) = owner.get(&format!("/api/v1/shares/{share_id}")).await;
        assert_eq!(status, 200);
        let busy = share["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["status"] == "queued" || r["status"] == "sending");
        if !busy {
            return share;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("share {share_id} did not settle");
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
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == user)
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn friends_get_the_card_once_through_the_outbox_and_the_link_is_public_until_revoked() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let minji = app.login(MINJI).await;
        let (room_id, event_id) = room_with_event(&minji, "연말 모임").await;
        let (seojun_uuid, jiwoo_uuid) = (uuid_of(&app, SEOJUN).await, uuid_of(&app, JIWOO).await);

        // The friend list: every page, all four demo friends.
        let (status, friends) = minji.get(&format!("/api/v1/friends?room={room_id}")).await;
        assert_eq!(status, 200, "{friends}");
        assert_eq!(friends["friends"].as_array().unwrap().len(), 4);

        // talk_message is asked just in time, for exactly that scope, coming back to the picks.
        let body = json!({"layout": "card", "event_id": event_id, "channel": "friends",
                          "receiver_uuids": [seojun_uuid, jiwoo_uuid]});
        let (status, err) = minji
            .post(&format!("/api/v1/rooms/{room_id}/shares"), body.clone())
            .await;
        assert_eq!(status, 403, "{err}");
        assert_eq!(err["error"], "consent_required");
        assert_eq!(err["scopes"], json!(["talk_message"]));
        let consent_url = err["consent_url"].as_str().unwrap();
        assert!(
            consent_url.starts_with("/auth/kakao/login?scope=talk_message&next=%2Frooms%2F"),
            "{consent_url}"
        );
        assert!(
            consent_url.contains(&seojun_uuid),
            "the picks travel in the URL: {consent_url}"
        );

        consent(&app, MINJI, &["talk_message"]).await;
        let (status, share) = minji.post(&format!("/api/v1/rooms/{room_id}/shares"), body).await;
        assert_eq!(status, 201, "{share}");
        let share_id = share["id"].as_str().unwrap().to_owned();
        let public_url = share["public_url"].as_str().unwrap().to_owned();
        assert!(public_url.starts_with(&format!("{}/s/", app.base)));

        let done = settle(&app, &minji, &share_id).await;
        assert_eq!(done["status"], "sent", "{done}");
        for r in done["recipients"].as_array().unwrap() {
            assert_eq!(r["status"], "sent");
        }
        // More rounds and a resend of sent receivers change nothing: never twice.
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        let (status, _) = minji
            .post(
                &format!("/api/v1/shares/{share_id}/resend"),
                json!({"uuids": [seojun_uuid]}),
            )
            .await;
        assert_eq!(status, 200);
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        for friend in [SEOJUN, JIWOO] {
            let messages = inbox(&app, friend).await;
            assert_eq!(messages.len(), 1, "exactly one card for {friend}");
            let content = &messages[0]["template"]["content"];
            assert_eq!(content["title"], "연말 모임");
            assert!(content["image_url"].as_str().unwrap().starts_with("http"));
            assert_eq!(content["link"]["web_url"], public_url.as_str());
        }

        // The public page needs no session.
        let page = app.http.get(&public_url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("연말 모임") && html.contains("og:image"));
        assert!(
            html.find("og:image") < html.find("</head>"),
            "link-preview crawlers read og: tags in <head>"
        );
        let png = app
            .http
            .get(format!("{public_url}/image.png"))
            .send()
            .await
            .unwrap();
        assert_eq!(png.status(), 200);
        assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));
        // Join leads to an invitation of the room.
        let join = app.http.get(format!("{public_url}/join")).send().await.unwrap();
        assert_eq!(join.status(), 303);
        assert!(join.headers()["location"].to_str().unwrap().starts_with("/i/"));

        // Revoked: 404, page and image.
        let (status, revoked) = minji
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/shares/{share_id}/link"),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(revoked["link_revoked"], true);
        assert_eq!(app.http.get(&public_url).send().await.unwrap().status(), 404);
        assert_eq!(
            app.http
                .get(format!("{public_url}/image.png"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    }
}

#[tokio::test]
async fn hostile_titles_stay_text_in_pages_images_and_kakao_templates() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    consent(&app, MINJI, &["talk_message"]).await;
    let (room_id, event_id) = room_with_event(&minji, NASTY).await;

    let page = minji
        .client
        .get(app.url(&format!("/rooms/{room_id}/share?layout=card&event={event_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "the share page escapes titles");
    assert!(html.contains("&#60;script&#62;alert"));

    for path in [
        format!("/api/v1/rooms/{room_id}/image.png?layout=card&event={event_id}"),
        format!("/api/v1/rooms/{room_id}/events/{event_id}/image.png"),
        format!("/api/v1/rooms/{room_id}/image.png?layout=week&date=2026-12-24"),
        format!("/api/v1/rooms/{room_id}/image.png?layout=month&date=2026-12"),
    ] {
        let resp = minji.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["content-type"], "image/png");
        assert!(resp.bytes().await.unwrap().starts_with(b"\x89PNG"));
    }
    let (status, bad) = minji
        .get(&format!("/api/v1/rooms/{room_id}/image.png?layout=poster"))
        .await;
    assert_eq!(status, 422, "{bad}");

    // To me: the Kakao template carries the title as JSON text, exactly.
    let (status, share) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "card", "event_id": event_id, "channel": "memo", "receiver_uuids": []}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    let done = settle(&app, &minji, share["id"].as_str().unwrap()).await;
    assert_eq!(done["recipients"][0]["status"], "sent", "{done}");
    let memo = inbox(&app, MINJI).await;
    assert_eq!(memo.len(), 1);
    assert_eq!(memo[0]["chat"], "MemoChat");
    assert_eq!(memo[0]["template"]["content"]["title"], NASTY);
    assert!(
        memo[0]["template"]["content"]["description"]
            .as_str()
            .unwrap()
            .contains("강남 <b>역</b>")
    );

    // The public page escapes it too, and so does Talk Share's card (JSON for the SDK).
    let public_url = share["public_url"].as_str().unwrap();
    let html = app
        .http
        .get(public_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert") && html.contains("&#60;script&#62;alert"));
    let (status, talk) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "card", "event_id": event_id, "channel": "talk_share"}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(talk["talk_share"]["content"]["title"], NASTY);
    assert_eq!(talk["status"], "created");
}

#[tokio::test]
async fn non_members_can_neither_share_nor_see_images_and_members_share_only_to_themselves() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let jiwoo = app.login(JIWOO).await;
    let (room_id, event_id) = room_with_event(&minji, "비밀 모임").await;
    join(&minji, &seojun, &room_id).await;

    for path in [
        format!("/api/v1/rooms/{room_id}/image.png?layout=week"),
        format!("/api/v1/rooms/{room_id}/events/{event_id}/image.png"),
    ] {
        let resp = jiwoo.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
    }
    let page = jiwoo
        .client
        .get(app.url(&format!("/rooms/{room_id}/share")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    for channel in ["friends", "memo", "talk_share", "link"] {
        let (status, _) = jiwoo
            .post(
                &format!("/api/v1/rooms/{room_id}/shares"),
                json!({"layout": "week", "channel": channel}),
            )
            .await;
        assert_eq!(status, 404, "{channel}");
    }
    let (status, _) = jiwoo.get(&format!("/api/v1/friends?room={room_id}")).await;
    assert_eq!(status, 404);

    // A member: friends, Talk Share and links are the owner's; "to me" is anyone's.
    for channel in ["friends", "talk_share", "link"] {
        let (status, _) = seojun
            .post(
                &format!("/api/v1/rooms/{room_id}/shares"),
                json!({"layout": "week", "channel": channel, "receiver_uuids": ["x"]}),
            )
            .await;
        assert_eq!(status, 403, "{channel}");
    }
    consent(&app, SEOJUN, &["talk_message"]).await;
    let (status, share) = seojun
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "month", "channel": "memo"}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    // Shares are the room's (issue #15): the owner manages every share of the room, a
    // non-member reaches none.
    let share_path = format!("/api/v1/shares/{}", share["id"].as_str().unwrap());
    assert_eq!(minji.get(&share_path).await.0, 200);
    assert_eq!(jiwoo.get(&share_path).await.0, 404);
    // Logged out: 401.
    let resp = app.http.get(app.url("/api/v1/friends")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn why_is_my_friend_missing_names_each_reason() {
    let app = TestApp::start().await;
    // A fifth friend who is not a team member of the app.
    let created = app
        .sandbox_post("/_admin/users", json!({"nickname": "한가람"}))
        .await;
    let outsider = created["id"].as_i64().unwrap();
    app.sandbox_post("/_admin/friends", json!({"a": MINJI, "b": outsider}))
        .await;
    consent(&app, outsider, &["profile_nickname", "profile_image", "friends"]).await;

    let minji = app.login(MINJI).await;
    consent(&app, MINJI, &["talk_message"]).await;
    let (room_id, _) = room_with_event(&minji, "우리 방").await;
    let mut ids = Vec::new();
    for kakao in [SEOJUN, JIWOO, HAYUN, outsider] {
        let member = app.login(kakao).await;
        join(&minji, &member, &room_id).await;
        ids.push(member.id().await);
    }
    let [seojun, jiwoo, hayun, gaoram] = [&ids[0], &ids[1], &ids[2], &ids[3]];
    // Everyone's consent is older than Kakao's 10-minute cache.
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 601}))
        .await;
    app.sandbox_post(
        "/_admin/revoke",
        json!({"user_id": SEOJUN, "scopes": ["friends"]}),
    )
    .await;
    app.sandbox_post("/_admin/revoke", json!({"user_id": HAYUN, "scopes": ["friends"]}))
        .await;
    app.sandbox_post("/_admin/unlink", json!({"user_id": JIWOO}))
        .await;
    let resp = app
        .http
        .put(app.url("/_kakao/_admin/app"))
        .json(&json!({"friends_message_permission": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let reasons = |body: &Value, user: &str| -> Vec<String> {
        body["missing"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == user)
            .map(|m| {
                m["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, body) = minji.get(&format!("/api/v1/friends?room={room_id}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(reasons(&body, seojun), ["friends_not_agreed"], "{body}");
    assert_eq!(reasons(&body, jiwoo), ["not_linked"], "{body}");
    assert_eq!(reasons(&body, hayun), ["friends_not_agreed"], "{body}");
    assert_eq!(reasons(&body, gaoram), ["not_app_member"], "{body}");
    let missing = body["missing"].as_array().unwrap();
    assert!(missing.iter().all(|m| m["consent_url"] == format!(
        "/auth/kakao/login?scope=friends&next=%2Frooms%2F{room_id}"
    )));

    // 하윤 agrees again; a minute later Kakao's cached list still lacks her.
    consent(&app, HAYUN, &["friends"]).await;
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 61}))
        .await;
    let (_, body) = minji.get(&format!("/api/v1/friends?room={room_id}")).await;
    assert_eq!(reasons(&body, hayun), ["consent_recent"], "{body}");

    // The page shows the same.
    let html = minji
        .client
        .get(app.url(&format!("/rooms/{room_id}/share?layout=week")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (user, reason) in [
        (seojun, "friends_not_agreed"),
        (jiwoo, "not_linked"),
        (hayun, "consent_recent"),
        (gaoram, "not_app_member"),
    ] {
        let at = html
            .find(&format!("data-missing=\"{user}\""))
            .expect("member listed");
        let end = html[at..].find("</li>\n").map(|e| at + e).unwrap_or(html.len());
        assert!(
            html[at..end].contains(&format!("data-reason=\"{reason}\"")),
            "{user}: {reason}"
        );
    }
}

#[tokio::test]
async fn quota_defers_to_the_next_kst_day_and_the_outbox_claims_each_receiver_once() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let minji = app.login(MINJI).await;
        consent(&app, MINJI, &["talk_message"]).await;
        let (room_id, _) = room_with_event(&minji, "한도 시험").await;
        let resp = app
            .http
            .put(app.url("/_kakao/_admin/app"))
            .json(&json!({"quotas": {"sender_day": 0}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let seojun_uuid = uuid_of(&app, SEOJUN).await;
        let (status, share) = minji
            .post(
                &format!("/api/v1/rooms/{room_id}/shares"),
                json!({"layout": "week", "channel": "friends", "receiver_uuids": [seojun_uuid]}),
            )
            .await;
        assert_eq!(status, 201, "{share}");
        let share_id = share["id"].as_str().unwrap().to_owned();
        let deferred = settle(&app, &minji, &share_id).await;
        assert_eq!(deferred["recipients"][0]["status"], "deferred", "{deferred}");
        assert!(inbox(&app, SEOJUN).await.is_empty());

        // The KST day turns: the deferred receiver goes out, once.
        let resp = app
            .http
            .put(app.url("/_kakao/_admin/app"))
            .json(&json!({"quotas": {"sender_day": 100}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        app.sandbox_post("/_admin/clock", json!({"advance_seconds": 86_400}))
            .await;
        let mut status = Value::Null;
        for _ in 0..100 {
            gachi::sharing::outbox::run_once(&app.state).await.unwrap();
            status =
                minji.get(&format!("/api/v1/shares/{share_id}")).await.1["recipients"][0]["status"].clone();
            if status == "sent" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(status, "sent");
        assert_eq!(inbox(&app, SEOJUN).await.len(), 1);

        // Claims are exclusive. A lapsed claim (no call was started) goes back to queued; a
        // lapsed call becomes unknown, never queued again.
        let store = &app.state.store;
        let owner = minji.id().await;
        let made = store
            .create_share(
                &storage::NewShare {
                    room_id: room_id.clone(),
                    owner_id: owner,
                    layout: domain::share::Layout::Week,
                    event_id: None,
                    date: None,
                    channel: domain::share::Channel::Friends,
                    lang: "ko".into(),
                },
                &(0..7)
                    .map(|i| storage::NewRecipient {
                        uuid: format!("u{i}"),
                        nickname: format!("n{i}"),
                    })
                    .collect::<Vec<_>>(),
                i64::MAX / 4,
            )
            .await
            .unwrap();
        // Not yet due (next_attempt_at far ahead), so the running worker leaves them alone.
        let now = i64::MAX / 4;
        let (a, b) = tokio::join!(
            store.claim_recipients(&made.id, now, now + 1000, "a", 5),
            store.claim_recipients(&made.id, now, now + 1000, "b", 5)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.len() + b.len(), 7);
        assert!(
            a.len() <= 5 && b.len() <= 5,
            "never more than one call's worth: {} + {}",
            a.len(),
            b.len()
        );
        assert!(a.iter().all(|x| !b.iter().any(|y| y.uuid == x.uuid)));
        assert!(
            store
                .claim_recipients(&made.id, now, now + 1000, "c", 5)
                .await
                .unwrap()
                .is_empty()
        );
        let expired = store.expire_outbox_leases(now + 2000).await.unwrap();
        assert_eq!((expired.requeued, expired.unknown), (7, 0));
        let rows = store.recipients(&made.id).await.unwrap();
        assert!(rows.iter().all(|r| r.status == "queued"), "{rows:?}");
        // Claimed again and started: now a lapse means the call may have happened.
        let claimed = store
            .claim_recipients(&made.id, now + 3000, now + 4000, "d", 5)
            .await
            .unwrap();
        let uuids: Vec<String> = claimed.iter().map(|c| c.uuid.clone()).collect();
        let starts = store
            .start_sending(&made.id, "d", &uuids, None, now + 4000, now + 3000)
            .await
            .unwrap();
        assert!(starts.iter().all(|s| *s == storage::Start::Sending));
        // Somebody else's claim cannot be started.
        assert_eq!(
            store
                .start_sending(&made.id, "x", &uuids[..1], None, now + 4000, now + 3000)
                .await
                .unwrap(),
            vec![storage::Start::Lost]
        );
        let expired = store.expire_outbox_leases(now + 5000).await.unwrap();
        let rows = store.recipients(&made.id).await.unwrap();
        assert_eq!((expired.requeued, expired.unknown), (0, 5), "{rows:?}");
        assert!(
            store
                .claim_recipients(&made.id, now + 6000, now + 7000, "e", 5)
                .await
                .unwrap()
                .len()
                == 2,
            "only the two never started are claimable"
        );
        // Resend takes unknown ones only when asked, and never a claimed one.
        assert_eq!(
            store
                .requeue_recipients(&made.id, &[uuids[0].clone()], now)
                .await
                .unwrap(),
            1
        );
        // Cancel takes the queued one and the two claimed ones (their calls never started).
        assert_eq!(store.cancel_recipients(&made.id, now).await.unwrap(), 3);
    }
}

/// The width and height a PNG's header declares.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR");
    let be = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

/// True when the text holds a date written the ISO way (`2026-12-24` or `2026-12`).
fn has_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        b.len() >= i + 7
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && b[i + 5..i + 7].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn iso_dates_are_recognised() {
    assert!(has_iso_date("대학 동기 · 2026-12-24") && has_iso_date("2026-12"));
    assert!(!has_iso_date("12월 20일 – 26일 · 일정 3개"));
}

/// Issue #17: what a friend receives for a week is the agenda drawn for the chat bubble (3:4,
/// 780×1040, the size the template declares), not the timetable squeezed into 800×400; the
/// public page still shows the full week; the card's words are dates a person would write.
#[tokio::test]
async fn friends_get_a_week_as_an_agenda_legible_in_the_bubble_and_card_text_without_iso_dates() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    consent(&app, MINJI, &["talk_message"]).await;
    let (room_id, event_id) = room_with_event(&minji, "대학 동기 연말 모임").await;
    for (title, start, end) in [
        (
            "점심 약속",
            "2026-12-21T12:00:00+09:00",
            "2026-12-21T13:00:00+09:00",
        ),
        ("스터디", "2026-12-26T10:00:00+09:00", "2026-12-26T12:00:00+09:00"),
    ] {
        let (status, e) = minji
            .post(
                &format!("/api/v1/rooms/{room_id}/events"),
                json!({"title": title, "all_day": false, "starts_at": start, "ends_at": end}),
            )
            .await;
        assert_eq!(status, 201, "{e}");
    }
    let seojun_uuid = uuid_of(&app, SEOJUN).await;
    let (status, share) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "week", "date": "2026-12-24", "channel": "friends",
                   "receiver_uuids": [seojun_uuid]}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    let done = settle(&app, &minji, share["id"].as_str().unwrap()).await;
    assert_eq!(done["recipients"][0]["status"], "sent", "{done}");

    let messages = inbox(&app, SEOJUN).await;
    assert_eq!(messages.len(), 1);
    let content = &messages[0]["template"]["content"];
    assert_eq!(content["title"], "대학 동기 연말 모임 · 주간 일정");
    let description = content["description"].as_str().unwrap();
    assert_eq!(description, "12월 20일 – 26일 · 일정 3개");
    assert!(!has_iso_date(description), "{description}");

    // The image in the friend's inbox, fetched from the sandbox over HTTP.
    let url = content["image_url"].as_str().unwrap();
    let uploaded = app.http.get(url).send().await.unwrap().bytes().await.unwrap();
    let (w, h) = png_size(&uploaded);
    assert_eq!(
        (w, h),
        (780, 1040),
        "the bubble agenda, not the 800×400 timetable"
    );
    assert_eq!(
        (content["image_width"].as_u64(), content["image_height"].as_u64()),
        (Some(780), Some(1040))
    );
    assert!(4 * w >= 3 * h && w <= 2 * h, "within Kakao's 2:1 … 3:4");
    // It is the agenda: the same picture as the public `og:image`, which draws the week's
    // agenda, and not the full timetable the public page shows.
    let public_url = share["public_url"].as_str().unwrap();
    let og = app
        .http
        .get(format!("{public_url}/image.png"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(og, uploaded);
    let full = app
        .http
        .get(format!("{public_url}/full.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 200);
    assert_eq!(png_size(&full.bytes().await.unwrap()), (1080, 1350));
    let html = app
        .http
        .get(public_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("content=\"{public_url}/image.png\"")),
        "og:image is the bubble picture"
    );
    assert!(html.contains("/full.png\""), "the page shows the full week");

    // An event's card and a month's: dates as words, never ISO.
    for (body, expect) in [
        (
            json!({"layout": "card", "event_id": event_id, "channel": "memo"}),
            "12월 24일 (목) 오후 7:00 – 9:00 · 강남 <b>역</b>",
        ),
        (
            json!({"layout": "month", "date": "2026-12", "channel": "memo"}),
            "2026년 12월 · 일정 3개",
        ),
    ] {
        let (status, made) = minji.post(&format!("/api/v1/rooms/{room_id}/shares"), body).await;
        assert_eq!(status, 201, "{made}");
        settle(&app, &minji, made["id"].as_str().unwrap()).await;
        // The inbox lists the newest message first.
        let memo = inbox(&app, MINJI).await;
        let last = memo.first().unwrap();
        let d = last["template"]["content"]["description"].as_str().unwrap();
        assert_eq!(d, expect);
        assert!(!has_iso_date(d), "{d}");
        let img = app
            .http
            .get(last["template"]["content"]["image_url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let (w, h) = png_size(&img);
        assert!(4 * w >= 3 * h && w <= 2 * h, "{w}×{h}");
        assert_eq!(
            (
                last["template"]["content"]["image_width"].as_u64(),
                last["template"]["content"]["image_height"].as_u64()
            ),
            (Some(u64::from(w)), Some(u64::from(h)))
        );
    }
}
