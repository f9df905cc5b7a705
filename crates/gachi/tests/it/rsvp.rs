//! 참석·불참 (issue 19) on every backend: answers, changes, withdrawals and counts in the event
//! JSON (list, single, the PUT's answer; `mine` per reader), one occurrence of a series on its
//! own, 404 for non-members, 422 for a wrong answer, who has not answered (the owner only), the
//! counts on the room's list view, the month grid's cells ("✓1") and the card picture, and the
//! shared card's second button ("참석 여부 알려주기").

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

async fn member_room(app: &TestApp, owner: &User, member: &User) -> String {
    let (_, room) = owner.post("/api/v1/rooms", json!({"name": "송년회방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    join(owner, member, &id).await;
    let _ = app;
    id
}

fn counts(event: &Value) -> (i64, i64, i64, Value) {
    let r = &event["rsvp"];
    (
        r["yes"].as_i64().unwrap(),
        r["no"].as_i64().unwrap(),
        r["maybe"].as_i64().unwrap(),
        r["mine"].clone(),
    )
}

async fn story(app: &TestApp) {
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let jiwoo = app.login(JIWOO).await;
    let id = member_room(app, &minji, &seojun).await;
    let (status, event) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "송년회 1차", "starts_at": "2026-12-24T19:00:00+09:00", "ends_at": "2026-12-24T21:00:00+09:00", "location": "홍대입구역"}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    assert_eq!(
        event["rsvp"],
        json!({"yes": 0, "no": 0, "maybe": 0, "mine": null, "answers": []}),
        "every event JSON carries rsvp"
    );
    let eid = event["id"].as_str().unwrap().to_owned();
    let rsvp = format!("/api/v1/rooms/{id}/events/{eid}/rsvp");

    let (status, answered) = seojun
        .send(Method::PUT, &rsvp, Some(json!({"answer": "yes"})))
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["id"], eid.as_str(), "the PUT answers with the event");
    assert_eq!(counts(&answered), (1, 0, 0, json!("yes")));
    assert_eq!(
        answered["rsvp"]["answers"],
        json!([{"user_id": seojun.id().await, "nickname": "이서준", "answer": "yes"}])
    );
    let (status, answered) = minji
        .send(Method::PUT, &rsvp, Some(json!({"answer": "maybe"})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(counts(&answered), (1, 0, 1, json!("maybe")));

    // The list carries each reader's own answer (its ETag and cache are per reader).
    let list = format!("/api/v1/rooms/{id}/events?from=2026-12-01&to=2027-01-01");
    let (_, mine) = minji.get(&list).await;
    assert_eq!(counts(&mine["events"][0]), (1, 0, 1, json!("maybe")));
    let (_, theirs) = seojun.get(&list).await;
    assert_eq!(counts(&theirs["events"][0]), (1, 0, 1, json!("yes")));

    // Changing an answer, then withdrawing it; the list follows at once.
    let (_, changed) = seojun
        .send(Method::PUT, &rsvp, Some(json!({"answer": "no"})))
        .await;
    assert_eq!(counts(&changed), (0, 1, 1, json!("no")));
    let (_, theirs) = seojun.get(&list).await;
    assert_eq!(counts(&theirs["events"][0]), (0, 1, 1, json!("no")));
    let (status, withdrawn) = seojun.send(Method::DELETE, &rsvp, None).await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(counts(&withdrawn), (0, 0, 1, Value::Null));
    let (_, single) = minji.get(&format!("/api/v1/rooms/{id}/events/{eid}")).await;
    assert_eq!(counts(&single), (0, 0, 1, json!("maybe")));
    let owners_page = minji
        .client
        .get(app.url(&format!("/rooms/{id}/events/{eid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let unanswered = owners_page.split("data-rsvp-unanswered").nth(1).unwrap_or("");
    assert!(
        unanswered.split("</p>").next().unwrap().contains("이서준"),
        "the owner sees who has not answered"
    );
    let members_page = seojun
        .client
        .get(app.url(&format!("/rooms/{id}/events/{eid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        members_page.contains("data-rsvp-summary") && !members_page.contains("data-rsvp-unanswered"),
        "only the owner sees who has not answered"
    );

    // Wrong answers are 422 in the reader's language; non-members and unknown events 404.
    let (status, wrong) = seojun
        .send(Method::PUT, &rsvp, Some(json!({"answer": "sure"})))
        .await;
    assert_eq!(status, 422, "{wrong}");
    assert_eq!(wrong["fields"]["answer"], "참석, 불참, 미정 중에서 골라 주세요.");
    for (method, body) in [
        (Method::PUT, Some(json!({"answer": "yes"}))),
        (Method::DELETE, None),
    ] {
        let (status, _) = jiwoo.send(method.clone(), &rsvp, body.clone()).await;
        assert_eq!(status, 404, "non-members never learn the room exists");
        let (status, _) = minji
            .send(method, &format!("/api/v1/rooms/{id}/events/nope/rsvp"), body)
            .await;
        assert_eq!(status, 404);
    }

    // One occurrence of a weekly series is answered on its own.
    let (status, series) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "주간 회의", "starts_at": "2026-12-07T10:00:00+09:00", "ends_at": "2026-12-07T11:00:00+09:00", "rrule": "FREQ=WEEKLY;BYDAY=MO"}),
        )
        .await;
    assert_eq!(status, 201, "{series}");
    let sid = series["id"].as_str().unwrap();
    let (status, occ) = seojun
        .send(
            Method::PUT,
            &format!("/api/v1/rooms/{id}/events/{sid}/rsvp?occurrence=2026-12-14T01:00:00Z"),
            Some(json!({"answer": "yes"})),
        )
        .await;
    assert_eq!(status, 200, "{occ}");
    assert_eq!(occ["occurrence"], "2026-12-14T10:00:00+09:00");
    assert_eq!(counts(&occ), (1, 0, 0, json!("yes")));
    let (_, dec) = seojun.get(&list).await;
    let mondays: Vec<(String, i64)> = dec["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["id"] == sid)
        .map(|e| {
            (
                e["occurrence"].as_str().unwrap().to_owned(),
                e["rsvp"]["yes"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        mondays.contains(&("2026-12-14T10:00:00+09:00".into(), 1)),
        "{mondays:?}"
    );
    assert!(
        mondays.contains(&("2026-12-21T10:00:00+09:00".into(), 0)),
        "{mondays:?}"
    );
    let (status, _) = seojun
        .send(
            Method::PUT,
            &format!("/api/v1/rooms/{id}/events/{sid}/rsvp?occurrence=2026-12-15T01:00:00Z"),
            Some(json!({"answer": "yes"})),
        )
        .await;
    assert_eq!(
        status, 422,
        "not an occurrence of the series (as for GET and PATCH)"
    );

    // The room's list view and the card picture show the counts.
    let card = format!("/api/v1/rooms/{id}/events/{eid}/image.png");
    let before = minji
        .client
        .get(app.url(&card))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    seojun
        .send(Method::PUT, &rsvp, Some(json!({"answer": "yes"})))
        .await;
    let after = minji
        .client
        .get(app.url(&card))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_ne!(before, after, "the card is drawn again with the answers");
    let page = minji
        .client
        .get(app.url(&format!("/rooms/{id}?view=list&date=2026-12-24")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("1명 참석 · 1명 미정"),
        "the list view shows the counts"
    );
    // The month grid: a compact "✓1" beside the day's number of a day whose event has a 참석,
    // none on a day whose event has no answers; the chips keep their titles.
    let month = minji
        .client
        .get(app.url(&format!("/rooms/{id}?view=month&date=2026-12-01")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let cell = |date: &str| -> String {
        let from = month
            .split(&format!("data-date=\"{date}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no cell {date}"));
        from.split("</td>").next().unwrap().to_owned()
    };
    let answered = cell("2026-12-24");
    assert!(
        answered.contains("data-rsvp-going=\"1\"") && answered.contains(">✓</span>1<"),
        "{answered}"
    );
    assert!(
        answered.contains("1명 참석"),
        "a screen reader hears the count: {answered}"
    );
    assert!(answered.contains("class=\"tt\""), "the title stays: {answered}");
    let unanswered_day = cell("2026-12-21");
    assert!(unanswered_day.contains("data-event-chip"), "{unanswered_day}");
    assert!(
        !unanswered_day.contains("data-rsvp-going"),
        "no count without answers: {unanswered_day}"
    );
    let event_page = minji
        .client
        .get(app.url(&format!("/rooms/{id}/events/{eid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        event_page.contains("1명 참석 · 1명 미정"),
        "the event page shows the counts"
    );
    assert!(!event_page.contains("data-rsvp-unanswered"), "everyone answered");

    // The shared card's second button: 참석·불참 for members, the invitation for others.
    let (status, share) = minji
        .post(
            &format!("/api/v1/rooms/{id}/shares"),
            json!({"layout": "card", "event_id": eid, "channel": "talk_share", "receiver_uuids": []}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    let public = share["public_url"].as_str().unwrap();
    let path = public
        .split_once("/s/")
        .map(|(_, t)| format!("/s/{t}/rsvp"))
        .unwrap();
    let to = |resp: reqwest::Response| {
        resp.headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let anonymous = app.http.get(app.url(&path)).send().await.unwrap();
    assert!(
        to(anonymous).starts_with("/auth/kakao/login?next=%2Fs%2F"),
        "through login"
    );
    let member = seojun.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(member.url().path(), format!("/rooms/{id}/events/{eid}"));
    let html = member.text().await.unwrap();
    assert!(html.contains("data-rsvp-form"), "the RSVP buttons");
    let outsider = jiwoo.client.get(app.url(&path)).send().await.unwrap();
    assert!(
        outsider.url().path().starts_with("/i/"),
        "the invitation: {}",
        outsider.url()
    );

    // The card sent into KakaoTalk names that button.
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let (status, sent) = minji
        .post(
            &format!("/api/v1/rooms/{id}/shares"),
            json!({"layout": "card", "event_id": eid, "channel": "memo", "receiver_uuids": []}),
        )
        .await;
    assert_eq!(status, 201, "{sent}");
    // The outbox's own loop may hold the message: wait (bounded) until it lands.
    let started = std::time::Instant::now();
    let inbox = loop {
        app.sandbox_post("/_admin/clock", json!({"advance_seconds": 1}))
            .await;
        let inbox: Value = app
            .http
            .get(app.url(&format!("/_kakao/_admin/inbox/{MINJI}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !inbox["messages"].as_array().unwrap().is_empty() {
            break inbox;
        }
        let (_, share) = minji
            .get(&format!("/api/v1/shares/{}", sent["id"].as_str().unwrap()))
            .await;
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the card never arrived: {share}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let button = &inbox["messages"][0]["template"]["buttons"][1];
    assert_eq!(button["title"], "참석 여부 알려주기", "{inbox}");
    assert!(button["link"]["web_url"].as_str().unwrap().ends_with("/rsvp"));
}

#[tokio::test]
async fn members_answer_change_and_withdraw_and_the_counts_follow_everywhere() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        story(&app).await;
    }
}
