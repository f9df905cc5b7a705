//! Issue 11: the account page and Talk Calendar. Deleting an account leaves no token, session
//! or personal data (the tables are read directly, on SQLite and PostgreSQL); owned rooms are
//! handed over or deleted; revoking `talk_message` makes the next share ask again; Talk Calendar
//! copies follow edits and deletion, and Kakao's refusals (`-501`, `-402` after a revoke) get a
//! clear message while nothing in Gachi is lost. Background pushes are awaited by bounded
//! polling of the sandbox, never by sleeping on a guess.

use serde_json::{Value, json};

use crate::common::{JIWOO, MINJI, SEOJUN, TestApp, User, database_urls, join};

async fn create_room(user: &User, name: &str) -> String {
    let (status, room) = user.post("/api/v1/rooms", json!({"name": name})).await;
    assert_eq!(status, 201, "{room}");
    room["id"].as_str().unwrap().to_owned()
}

async fn add_event(user: &User, room_id: &str, title: &str) -> String {
    let (status, event) = user
        .post(
            &format!("/api/v1/rooms/{room_id}/events"),
            json!({"title": title, "all_day": false, "starts_at": "2026-12-24T19:00:00+09:00",
                   "ends_at": "2026-12-24T21:00:00+09:00", "location": "홍대"}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    event["id"].as_str().unwrap().to_owned()
}

async fn count(app: &TestApp, sql: &str, arg: &str) -> i64 {
    storage::run!(app.state.store.db(), pool => sqlx::query_as::<_, (i64,)>(sql)
        .bind(arg).fetch_one(pool).await.unwrap().0)
}

async fn sandbox_get(app: &TestApp, path: &str) -> Value {
    app.http
        .get(app.url(&format!("/_kakao{path}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn calendar(app: &TestApp, kakao_user: i64) -> Vec<Value> {
    sandbox_get(app, &format!("/_admin/calendar/{kakao_user}")).await["events"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits (bounded) until the user's Talk Calendar satisfies `ok`.
async fn calendar_until(app: &TestApp, kakao_user: i64, ok: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..200 {
        let events = calendar(app, kakao_user).await;
        if ok(&events) {
            return events;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!(
        "Talk Calendar never got there: {:?}",
        calendar(app, kakao_user).await
    );
}

async fn form_post(user: &User, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    user.client
        .post(format!("{}{path}", user.base))
        .header("origin", &user.base)
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn account_deletion_leaves_no_token_session_or_personal_data() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let minji = app.login(MINJI).await;
        let minji_again = app.login(MINJI).await;
        let seojun = app.login(SEOJUN).await;
        let jiwoo = app.login(JIWOO).await;
        let minji_id = minji.id().await;

        let alone = create_room(&minji, "혼자 방").await;
        let shared = create_room(&minji, "같이 방").await;
        join(&minji, &seojun, &shared).await;
        join(&minji, &jiwoo, &shared).await;
        let theirs = create_room(&jiwoo, "지우 방").await;
        join(&jiwoo, &minji, &theirs).await;
        let kept_event = add_event(&minji, &shared, "민지가 만든 일정").await;

        // Without the confirmation nothing happens.
        let (status, err) = minji
            .send(reqwest::Method::DELETE, "/api/v1/account", Some(json!({})))
            .await;
        assert_eq!(status, 422, "{err}");
        assert!(err["fields"]["confirm"].is_string(), "{err}");
        assert_eq!(minji_again.get("/api/v1/me").await.0, 200);

        // The export names everything she made.
        let (status, export) = minji.get("/api/v1/account/export").await;
        assert_eq!(status, 200);
        assert_eq!(export["profile"]["nickname"], "김민지");
        assert_eq!(export["rooms"].as_array().unwrap().len(), 3);
        assert_eq!(export["events"][0]["title"], "민지가 만든 일정");

        let (status, done) = minji
            .send(
                reqwest::Method::DELETE,
                "/api/v1/account",
                Some(json!({"confirm": true})),
            )
            .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["rooms_deleted"], json!([alone]));
        assert_eq!(
            done["rooms_handed_over"],
            json!([{"room_id": shared, "new_owner": seojun.id().await}]),
            "the longest-standing member takes the room"
        );

        // Every session ended, on every device.
        assert_eq!(minji.get("/api/v1/me").await.0, 401);
        assert_eq!(minji_again.get("/api/v1/me").await.0, 401);

        // The tables: no token, session, membership or personal data of hers.
        for (table, column) in [
            ("kakao_tokens", "user_id"),
            ("sessions", "user_id"),
            ("room_members", "user_id"),
            ("scope_seen", "user_id"),
            ("talk_calendar_events", "user_id"),
            ("invites", "created_by"),
            ("shares", "owner_id"),
        ] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1");
            assert_eq!(count(&app, &sql, &minji_id).await, 0, "{table}");
        }
        let personal =
            "SELECT COUNT(*) FROM users WHERE id = $1 AND (nickname <> '' OR profile_image_url IS NOT NULL)";
        assert_eq!(
            count(&app, personal, &minji_id).await,
            0,
            "no nickname or picture"
        );
        let by_kakao_id = storage::run!(app.state.store.db(), pool =>
            sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM users WHERE kakao_id = $1 OR nickname = $2")
                .bind(MINJI).bind("김민지").fetch_one(pool).await.unwrap().0);
        assert_eq!(by_kakao_id, 0, "neither her Kakao id nor her nickname is left");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM rooms WHERE id = $1", &alone).await,
            0
        );

        // The shared room lives on with Seojun as its owner; her event stays, opaque.
        let (status, room) = seojun.get(&format!("/api/v1/rooms/{shared}")).await;
        assert_eq!(status, 200);
        assert_eq!(room["role"], "owner");
        let members: Vec<&str> = room["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["nickname"].as_str().unwrap())
            .collect();
        assert!(!members.contains(&"김민지"), "{members:?}");
        let (status, event) = seojun
            .get(&format!("/api/v1/rooms/{shared}/events/{kept_event}"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(event["created_by"], minji_id.as_str(), "kept as an opaque id");
        let (_, theirs_room) = jiwoo.get(&format!("/api/v1/rooms/{theirs}")).await;
        assert_eq!(theirs_room["members"].as_array().unwrap().len(), 1, "she left");

        // Kakao: unlinked.
        let users = sandbox_get(&app, "/_admin/users").await;
        let her = users["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == MINJI)
            .unwrap()
            .clone();
        assert_eq!(her["linked"], false, "{her}");
    }
}

#[tokio::test]
async fn account_page_revoking_talk_message_makes_the_next_share_ask_again() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let room = create_room(&minji, "공유 방").await;
    add_event(&minji, &room, "모임").await;
    let share = app.url(&format!("/rooms/{room}/share?layout=month&date=2026-12"));
    let resp = minji.client.get(&share).send().await.unwrap();
    assert_eq!(
        resp.url().path(),
        format!("/rooms/{room}/share"),
        "nothing to ask yet"
    );

    let html = minji
        .client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"data-consent="talk_message" data-agreed="true""#),
        "{html}"
    );
    assert!(html.contains(r#"data-revoke="talk_message""#));
    assert!(
        !html.contains(r#"data-revoke="profile_nickname""#),
        "required items stay"
    );

    // Asked first: without confirm=yes nothing is withdrawn.
    let resp = form_post(&minji, "/account/consents/revoke", &[("scope", "talk_message")]).await;
    let html = resp.text().await.unwrap();
    assert!(html.contains("data-confirm-page") && html.contains(r#"name="scope" value="talk_message""#));
    let html = minji
        .client
        .get(format!("{}/account", minji.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-consent="talk_message" data-agreed="true""#));
    let resp = form_post(
        &minji,
        "/account/consents/revoke",
        &[("scope", "talk_message"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(resp.url().path(), "/account");
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("동의를 철회했어요</div>"),
        "the toast says so: {html}"
    );
    assert!(html.contains(r#"data-consent="talk_message" data-agreed="false""#));

    // The share page itself opens (issue #17) and says the next send will ask; that send goes
    // to Kakao for talk_message again.
    let resp = minji.client.get(&share).send().await.unwrap();
    assert_eq!(resp.url().path(), format!("/rooms/{room}/share"));
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains(r#"data-consent-note="memo">"#)
    );
    let (status, err) = minji
        .post(
            &format!("/api/v1/rooms/{room}/shares"),
            json!({"layout": "month", "date": "2026-12", "channel": "memo"}),
        )
        .await;
    assert_eq!(status, 403, "{err}");
    let consent_url = app.url(err["consent_url"].as_str().unwrap());
    let resp = minji.client.get(&consent_url).send().await.unwrap();
    assert!(resp.url().path().ends_with("/oauth/authorize"), "{}", resp.url());
    let query: std::collections::HashMap<String, String> = resp.url().query_pairs().into_owned().collect();
    assert_eq!(query["scope"], "openid,talk_message");

    // The API: live consents, and bad revocations answered clearly.
    let (status, consents) = minji.get("/api/v1/account/consents").await;
    assert_eq!(status, 200);
    let talk = consents["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "talk_message")
        .unwrap()
        .clone();
    assert_eq!(talk["agreed"], false);
    let (status, err) = minji
        .post(
            "/api/v1/account/consents/revoke",
            json!({"scopes": ["profile_nickname"]}),
        )
        .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("scope_not_revocable"))
    );
    assert!(!err["message"].as_str().unwrap().is_empty());
    let (status, err) = minji
        .post("/api/v1/account/consents/revoke", json!({"scopes": []}))
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = minji
        .post(
            "/api/v1/account/consents/revoke",
            json!({"scopes": ["no_such_item"]}),
        )
        .await;
    assert_eq!((status, err["error"].as_str()), (400, Some("scope_unknown")));

    // Export downloads and logging out everywhere.
    let resp = minji
        .client
        .get(app.url("/account/export.ics"))
        .send()
        .await
        .unwrap();
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(resp.text().await.unwrap().contains("SUMMARY:모임"));
    let other = app.login(MINJI).await;
    let resp = form_post(&minji, "/account/logout-everywhere", &[]).await;
    assert!(resp.status().is_success());
    assert_eq!(other.get("/api/v1/me").await.0, 401);
    assert_eq!(minji.get("/api/v1/me").await.0, 401);
}

#[tokio::test]
async fn account_talk_calendar_follows_edits_and_deletion_and_explains_failures() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let minji = app.login(MINJI).await;
        let minji_id = minji.id().await;
        let room = create_room(&minji, "톡캘 방").await;
        let event = add_event(&minji, &room, "송년회").await;
        let api = format!("/api/v1/rooms/{room}/events/{event}/talk-calendar");
        let page = format!("/rooms/{room}/events/{event}/talk-calendar");

        // Not agreed yet: the API names the scope and the way back.
        let (status, err) = minji.post(&api, json!({})).await;
        assert_eq!(status, 403, "{err}");
        assert_eq!(err["scopes"], json!(["talk_calendar"]));
        assert!(
            err["consent_url"]
                .as_str()
                .unwrap()
                .starts_with("/auth/kakao/login?scope=talk_calendar&next=")
        );

        // The page goes to Kakao's consent screen for exactly talk_calendar ...
        let resp = form_post(&minji, &page, &[]).await;
        assert!(resp.url().path().ends_with("/oauth/authorize"), "{}", resp.url());
        let query: std::collections::HashMap<String, String> =
            resp.url().query_pairs().into_owned().collect();
        assert_eq!(query["scope"], "openid,talk_calendar");
        // ... the person agrees, and the way back finishes the add.
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
        )
        .await;
        let next = url::form_urlencoded::byte_serialize(page.as_bytes()).collect::<String>();
        let resp = minji
            .client
            .get(app.url(&format!("/auth/kakao/login?scope=talk_calendar&next={next}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.url().path(), format!("/rooms/{room}/events/{event}"));
        assert_eq!(resp.url().query(), Some("tc=added"));
        let html = resp.text().await.unwrap();
        assert!(html.contains(r#"data-talk-calendar-status="added""#), "{html}");
        let copies = calendar(&app, MINJI).await;
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0]["title"], "송년회");
        assert_eq!(copies[0]["time"]["start_at"], "2026-12-24T10:00:00Z");

        // An edit in Gachi follows it there.
        let (status, _) = minji
            .send(
                reqwest::Method::PATCH,
                &format!("/api/v1/rooms/{room}/events/{event}"),
                Some(json!({"title": "송년회 (합정)", "location": "합정"})),
            )
            .await;
        assert_eq!(status, 200);
        calendar_until(&app, MINJI, |e| e.len() == 1 && e[0]["title"] == "송년회 (합정)").await;

        // -402 after a revoke: the edit still saves, the copy waits, the account page says why.
        let (status, _) = minji
            .post(
                "/api/v1/account/consents/revoke",
                json!({"scopes": ["talk_calendar"]}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, saved) = minji
            .send(
                reqwest::Method::PATCH,
                &format!("/api/v1/rooms/{room}/events/{event}"),
                Some(json!({"title": "송년회 (취소 아님)"})),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(saved["title"], "송년회 (취소 아님)", "nothing lost in Gachi");
        let errored =
            "SELECT COUNT(*) FROM talk_calendar_events WHERE user_id = $1 AND last_error = 'consent'";
        for _ in 0..200 {
            if count(&app, errored, &minji_id).await == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert_eq!(count(&app, errored, &minji_id).await, 1);
        assert_eq!(calendar(&app, MINJI).await[0]["title"], "송년회 (합정)");
        let html = minji
            .client
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-copy-error"), "{html}");
        let (status, err) = minji.post(&api, json!({})).await;
        assert_eq!((status, err["error"].as_str()), (403, Some("consent_required")));

        // Agreed again: adding brings the copy up to date (no second copy).
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
        )
        .await;
        let (status, added) = minji.post(&api, json!({})).await;
        assert_eq!(status, 200, "{added}");
        assert_eq!(added["status"], "updated");
        let copies = calendar(&app, MINJI).await;
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0]["title"], "송년회 (취소 아님)");

        // -501: a member without KakaoTalk gets a clear message, nothing changes.
        let seojun = app.login(SEOJUN).await;
        join(&minji, &seojun, &room).await;
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": SEOJUN, "scopes": ["talk_calendar"]}),
        )
        .await;
        let resp = app
            .http
            .patch(app.url(&format!("/_kakao/_admin/users/{SEOJUN}")))
            .json(&json!({"talk_user": false}))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
        let resp = form_post(&seojun, &page, &[]).await;
        assert_eq!(resp.url().query(), Some("tc=not_talk_user"));
        let html = resp.text().await.unwrap();
        assert!(html.contains(r#"data-talk-calendar-status="not_talk_user""#));
        assert!(html.contains("카카오톡을 쓰는 계정만"), "in the user's language");
        let (status, err) = seojun.post(&api, json!({})).await;
        assert_eq!(
            (status, err["error"].as_str()),
            (400, Some("talk_calendar_not_talk_user"))
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM talk_calendar_events WHERE user_id = $1",
                &seojun.id().await
            )
            .await,
            0
        );
        assert!(calendar(&app, SEOJUN).await.is_empty());
        let (status, still) = seojun.get(&format!("/api/v1/rooms/{room}/events/{event}")).await;
        assert_eq!(
            (status, still["title"].as_str()),
            (200, Some("송년회 (취소 아님)"))
        );

        // Deleting the Gachi event removes the copy.
        let (status, _) = minji
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/rooms/{room}/events/{event}"),
                None,
            )
            .await;
        assert_eq!(status, 204);
        calendar_until(&app, MINJI, |e| e.is_empty()).await;
        let links = "SELECT COUNT(*) FROM talk_calendar_events WHERE event_id = $1";
        for _ in 0..200 {
            if count(&app, links, &event).await == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert_eq!(count(&app, links, &event).await, 0);
    }
}

/// `(status, attempts, reason)` of the Talk Calendar work waiting for the event's copies.
async fn calendar_jobs(app: &TestApp, event_id: &str) -> Vec<(String, i64, Option<String>)> {
    let sql = "SELECT status, attempts, reason FROM talk_calendar_jobs WHERE event_id = $1 ORDER BY user_id";
    storage::run!(app.state.store.db(), pool => sqlx::query_as(sql).bind(event_id).fetch_all(pool).await.unwrap())
}

/// The event with Minji's Talk Calendar copy of it; returns (room, event, Kakao's id of the copy).
async fn event_with_copy(app: &TestApp, minji: &User) -> (String, String, String) {
    let room = create_room(minji, "톡캘 방").await;
    let event = add_event(minji, &room, "송년회").await;
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
    )
    .await;
    let (status, added) = minji
        .post(
            &format!("/api/v1/rooms/{room}/events/{event}/talk-calendar"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, added["status"].as_str()),
        (200, Some("added")),
        "{added}"
    );
    let kakao_id = added["talk_calendar_event_id"].as_str().unwrap().to_owned();
    (room, event, kakao_id)
}

#[tokio::test]
async fn a_refused_talk_calendar_push_waits_in_the_outbox_until_the_clock_says_retry() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let (room, event, _) = event_with_copy(&app, &minji).await;

    // Kakao refuses the update before applying it: the edit saves, its push waits.
    app.sandbox_post(
        "/_admin/faults",
        json!({"error_rate": 1.0, "kinds": ["refuse"], "paths": ["/v2/api/calendar/update/event/host"]}),
    )
    .await;
    let (status, _) = minji
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/rooms/{room}/events/{event}"),
            Some(json!({"title": "송년회 (합정)"})),
        )
        .await;
    assert_eq!(status, 200);
    for _ in 0..400 {
        let jobs = calendar_jobs(&app, &event).await;
        if jobs.first().is_some_and(|j| j.0 == "queued" && j.1 >= 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let jobs = calendar_jobs(&app, &event).await;
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!(
        (jobs[0].0.as_str(), jobs[0].2.as_deref()),
        ("queued", Some("unavailable")),
        "a passing failure waits for its backoff"
    );
    assert_eq!(calendar(&app, MINJI).await[0]["title"], "송년회");

    // Kakao recovers; moving the clock past the backoff delivers it.
    app.sandbox_post("/_admin/faults", json!({"error_rate": 0.0}))
        .await;
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 600}))
        .await;
    calendar_until(&app, MINJI, |e| e.len() == 1 && e[0]["title"] == "송년회 (합정)").await;
    for _ in 0..200 {
        if calendar_jobs(&app, &event).await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(calendar_jobs(&app, &event).await.is_empty(), "the work is done");
}

#[tokio::test]
async fn a_copy_deleted_in_kakaotalk_is_forgotten_not_made_again() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let minji_id = minji.id().await;
    let (room, event, kakao_id) = event_with_copy(&app, &minji).await;

    // Minji deletes the copy in KakaoTalk (a call with her own token, as KakaoTalk makes it).
    let tokens = app.state.store.tokens(&minji_id).await.unwrap().unwrap();
    let resp = app
        .http
        .delete(app.url("/_kakao/v2/api/calendar/delete/event"))
        .bearer_auth(&tokens.access_token)
        .query(&[("event_id", kakao_id.as_str())])
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());

    // The next edit finds the copy gone: Gachi forgets it rather than make it again.
    let (status, _) = minji
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/rooms/{room}/events/{event}"),
            Some(json!({"title": "송년회 (합정)"})),
        )
        .await;
    assert_eq!(status, 200);
    let links = "SELECT COUNT(*) FROM talk_calendar_events WHERE event_id = $1";
    for _ in 0..200 {
        if count(&app, links, &event).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(count(&app, links, &event).await, 0);
    assert!(calendar_jobs(&app, &event).await.is_empty());
    assert!(calendar(&app, MINJI).await.is_empty(), "not made again");

    // Her button still adds a new copy when she wants one.
    let (status, added) = minji
        .post(
            &format!("/api/v1/rooms/{room}/events/{event}/talk-calendar"),
            json!({}),
        )
        .await;
    assert_eq!((status, added["status"].as_str()), (200, Some("added")));
    assert_eq!(calendar(&app, MINJI).await[0]["title"], "송년회 (합정)");
}
