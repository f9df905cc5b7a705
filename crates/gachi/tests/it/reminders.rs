//! Reminders inside KakaoTalk (issue 19) on every backend, with the sandbox's clock moved
//! instead of waiting (a clock move runs whatever fell due before it answers):
//! - settings: the caller's own memo switch (`consent_required` without `talk_message`), the
//!   owner's times (403 for a member, 422 outside Kakao's limits);
//! - a member who turned memos on gets exactly one "나에게" memo per event and reminder time
//!   when the clock passes it ("내일 오후 7시 · 송년회 1차 · 홍대입구역"), none after answering
//!   불참, none for a deleted event, and one at the new time for a moved one; an all-day event's
//!   day-before reminder comes at 09:00 in the room's zone;
//! - a reminder queued and then deferred by the quota is never sent once its event is deleted;
//! - Talk Calendar copies carry the room's times as alarms and keep them through an edit; new
//!   times reach the copies already made (moved occurrences too) through the outbox, not those
//!   of events already over;
//! - the worker reads a quiet room again only when something changed or its next reminder came.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

async fn set_clock(app: &TestApp, at: &str) {
    app.sandbox_post("/_admin/clock", json!({"set": at})).await;
}

/// The titles of the memos `user` got, oldest first.
async fn memos(app: &TestApp, user: i64) -> Vec<String> {
    let v: Value = app
        .http
        .get(app.url(&format!("/_kakao/_admin/inbox/{user}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut list: Vec<(String, String)> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["chat"] == "MemoChat")
        .map(|m| {
            (
                m["received_at"].to_string(),
                m["template"]["content"]["title"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect();
    list.sort();
    list.into_iter().map(|(_, t)| t).collect()
}

fn sorted(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list
}

async fn event(user: &User, room: &str, body: Value) -> String {
    let (status, e) = user.post(&format!("/api/v1/rooms/{room}/events"), body).await;
    assert_eq!(status, 201, "{e}");
    e["id"].as_str().unwrap().to_owned()
}

async fn story(app: &TestApp) {
    // Before anyone logs in, so tokens are issued on the moved clock.
    set_clock(app, "2030-12-20T10:00:00+09:00").await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let jiwoo = app.login(JIWOO).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "송년회방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    for member in [&seojun, &jiwoo] {
        join(&minji, member, &id).await;
    }
    let settings = format!("/api/v1/rooms/{id}/reminders");

    // Settings: the default, consent just in time, the owner's times within Kakao's limits.
    let (status, now) = seojun.get(&settings).await;
    assert_eq!(
        (status, &now),
        (200, &json!({"memo": false, "before_minutes": [1440, 60]}))
    );
    let (status, refused) = seojun
        .send(Method::PUT, &settings, Some(json!({"memo": true})))
        .await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["error"], "consent_required");
    assert_eq!(refused["scopes"], json!(["talk_message"]));
    assert!(
        refused["consent_url"]
            .as_str()
            .unwrap()
            .starts_with("/auth/kakao/login?scope=talk_message&next=")
    );
    for user in [SEOJUN, JIWOO] {
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": user, "scopes": ["talk_message"]}),
        )
        .await;
    }
    for member in [&seojun, &jiwoo] {
        let (status, on) = member
            .send(Method::PUT, &settings, Some(json!({"memo": true})))
            .await;
        assert_eq!((status, &on["memo"]), (200, &json!(true)), "{on}");
    }
    let (status, _) = seojun
        .send(Method::PUT, &settings, Some(json!({"before_minutes": [30]})))
        .await;
    assert_eq!(status, 403, "the times are the owner's");
    let (status, bad) = minji
        .send(
            Method::PUT,
            &settings,
            Some(json!({"before_minutes": [1440, 61]})),
        )
        .await;
    assert_eq!(status, 422, "{bad}");
    let (status, set) = minji
        .send(
            Method::PUT,
            &settings,
            Some(json!({"before_minutes": [60.0, 1440]})),
        )
        .await;
    assert_eq!(
        (status, &set["before_minutes"]),
        (200, &json!([1440, 60])),
        "{set}"
    );
    assert_eq!(set["memo"], false, "the owner's own switch is untouched");

    let party = event(
        &minji,
        &id,
        json!({"title": "송년회 1차", "starts_at": "2030-12-22T19:00:00+09:00", "ends_at": "2030-12-22T21:00:00+09:00", "location": "홍대입구역"}),
    )
    .await;
    let gone = event(
        &minji,
        &id,
        json!({"title": "취소될 모임", "starts_at": "2030-12-22T19:00:00+09:00", "ends_at": "2030-12-22T20:00:00+09:00"}),
    )
    .await;
    let moved = event(
        &minji,
        &id,
        json!({"title": "옮길 모임", "starts_at": "2030-12-22T18:00:00+09:00", "ends_at": "2030-12-22T19:00:00+09:00"}),
    )
    .await;
    let lunch = event(
        &minji,
        &id,
        json!({"title": "점심", "starts_at": "2030-12-22T12:00:00+09:00", "ends_at": "2030-12-22T13:00:00+09:00"}),
    )
    .await;
    event(
        &minji,
        &id,
        json!({"title": "크리스마스", "all_day": true, "start_date": "2030-12-25", "end_date": "2030-12-25"}),
    )
    .await;
    let (status, _) = minji
        .send(Method::DELETE, &format!("/api/v1/rooms/{id}/events/{gone}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = minji
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}/events/{moved}"),
            Some(json!({"starts_at": "2030-12-23T18:00:00+09:00", "ends_at": "2030-12-23T19:00:00+09:00"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = seojun
        .send(
            Method::PUT,
            &format!("/api/v1/rooms/{id}/events/{lunch}/rsvp"),
            Some(json!({"answer": "no"})),
        )
        .await;
    assert_eq!(status, 200);

    // The day before, just after 19:00: the party's day-before memo, once; the lunch's only
    // for the member who did not answer 불참; nothing for the deleted or the moved event.
    set_clock(app, "2030-12-21T19:00:30+09:00").await;
    assert_eq!(
        memos(app, SEOJUN).await,
        ["내일 오후 7시 · 송년회 1차 · 홍대입구역"]
    );
    assert_eq!(
        sorted(memos(app, JIWOO).await),
        ["내일 오후 12시 · 점심", "내일 오후 7시 · 송년회 1차 · 홍대입구역"]
    );
    assert!(
        memos(app, MINJI).await.is_empty(),
        "the owner did not turn memos on"
    );
    // More rounds and clock moves send nothing more.
    for _ in 0..3 {
        app.sandbox_post("/_admin/clock", json!({"advance_seconds": 60}))
            .await;
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        gachi::reminders::worker::run_once(&app.state).await.unwrap();
    }
    assert_eq!(memos(app, SEOJUN).await.len(), 1, "exactly once");

    // An hour before: the party again; the moved event's day-before at its new time.
    set_clock(app, "2030-12-22T18:00:30+09:00").await;
    assert_eq!(
        sorted(memos(app, SEOJUN).await),
        [
            "내일 오후 6시 · 옮길 모임",
            "내일 오후 7시 · 송년회 1차 · 홍대입구역",
            "오늘 오후 7시 · 송년회 1차 · 홍대입구역",
        ]
    );
    let _ = party;
    // The moved event's hour-before, at 17:00 on its new day.
    set_clock(app, "2030-12-23T17:00:30+09:00").await;
    let list = memos(app, SEOJUN).await;
    assert_eq!(list.len(), 4);
    assert_eq!(list[3], "오늘 오후 6시 · 옮길 모임");
    // The all-day event: 09:00 the day before, in the room's zone.
    set_clock(app, "2030-12-24T08:59:00+09:00").await;
    assert_eq!(memos(app, SEOJUN).await.len(), 4, "not before 09:00");
    set_clock(app, "2030-12-24T09:00:30+09:00").await;
    let list = memos(app, SEOJUN).await;
    assert_eq!(list.len(), 5);
    assert_eq!(list[4], "내일 하루 종일 · 크리스마스");

    // Queued, then deferred by Gachi's quota count, then deleted: never sent.
    let late = event(
        &minji,
        &id,
        json!({"title": "연말 정산", "starts_at": "2030-12-26T10:00:00+09:00", "ends_at": "2030-12-26T11:00:00+09:00"}),
    )
    .await;
    let day = gachi::sharing::outbox::kst_day(app.state.now_ms() + 86_400_000);
    let used = |db: &storage::Db, day: String| {
        let db = db.clone();
        async move {
            storage::run!(&db, pool => sqlx::query(
                "INSERT INTO message_quota_counts (day, counter, used) VALUES ($1, 'app', 1000000000) \
                 ON CONFLICT (day, counter) DO UPDATE SET used = 1000000000")
                .bind(day).execute(pool).await.unwrap().rows_affected());
        }
    };
    used(app.state.store.db(), day).await;
    set_clock(app, "2030-12-25T10:00:30+09:00").await;
    let status_of = |db: &storage::Db, event: String| {
        let db = db.clone();
        async move {
            let rows: Vec<(String, Option<String>)> = storage::run!(&db, pool => sqlx::query_as(
                "SELECT status, reason FROM reminders WHERE event_id = $1 ORDER BY user_id")
                .bind(event).fetch_all(pool).await.unwrap());
            rows
        }
    };
    let deferred = status_of(app.state.store.db(), late.clone()).await;
    assert_eq!(deferred.len(), 2, "{deferred:?}");
    assert!(deferred.iter().all(|r| r.0 == "deferred"), "{deferred:?}");
    let (status, _) = minji
        .send(Method::DELETE, &format!("/api/v1/rooms/{id}/events/{late}"), None)
        .await;
    assert_eq!(status, 204);
    let sent_before = memos(app, SEOJUN).await.len();
    set_clock(app, "2030-12-26T00:00:30+09:00").await;
    assert_eq!(
        memos(app, SEOJUN).await.len(),
        sent_before,
        "never for a deleted event"
    );
    let _ = status_of(app.state.store.db(), late).await;
}

#[tokio::test]
async fn memo_reminders_come_once_at_their_time_and_never_when_they_should_not() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        story(&app).await;
    }
}

#[tokio::test]
async fn talk_calendar_copies_ring_at_the_rooms_reminder_times_and_keep_them_through_edits() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
        )
        .await;
        let minji = app.login(MINJI).await;
        let (_, room) = minji.post("/api/v1/rooms", json!({"name": "송년회방"})).await;
        let id = room["id"].as_str().unwrap().to_owned();
        let eid = event(
            &minji,
            &id,
            json!({"title": "송년회", "starts_at": "2030-12-22T19:00:00+09:00", "ends_at": "2030-12-22T21:00:00+09:00", "location": "홍대"}),
        )
        .await;
        let (status, added) = minji
            .post(
                &format!("/api/v1/rooms/{id}/events/{eid}/talk-calendar"),
                json!({}),
            )
            .await;
        assert_eq!((status, &added["status"]), (200, &json!("added")), "{added}");
        let copy = |app: &TestApp| {
            let url = app.url(&format!("/_kakao/_admin/calendar/{MINJI}"));
            let http = app.http.clone();
            async move {
                let v: Value = http.get(url).send().await.unwrap().json().await.unwrap();
                v["events"][0].clone()
            }
        };
        let first = copy(&app).await;
        assert_eq!(first["reminders"], json!([1440, 60]), "{first}");
        assert_eq!(first["location"]["name"], "홍대");

        // The owner's new times and an edit: the copy follows with both.
        let (status, _) = minji
            .send(
                Method::PUT,
                &format!("/api/v1/rooms/{id}/reminders"),
                Some(json!({"before_minutes": [30]})),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = minji
            .send(
                Method::PATCH,
                &format!("/api/v1/rooms/{id}/events/{eid}"),
                Some(json!({"title": "송년회 2차", "location": "합정"})),
            )
            .await;
        assert_eq!(status, 200);
        // The outbox's own loop may hold the job: wait (bounded) for the update.
        let started = std::time::Instant::now();
        let edited = loop {
            app.sandbox_post("/_admin/clock", json!({"advance_seconds": 1}))
                .await;
            let now = copy(&app).await;
            if now["title"] == "송년회 2차" {
                break now;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "never updated: {now}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(edited["title"], "송년회 2차");
        assert_eq!(edited["location"]["name"], "합정");
        assert_eq!(edited["reminders"], json!([30]));
    }
}

/// The worker reads a room's schedule once, then again only when something it depends on
/// changes (here an answer) or its next reminder's time comes; the reminder still comes
/// exactly once at its time (the stories above prove the rest of the rules still hold).
#[tokio::test]
async fn a_quiet_room_is_not_read_every_round() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        set_clock(&app, "2030-12-20T10:00:00+09:00").await;
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_message"]}),
        )
        .await;
        let minji = app.login(MINJI).await;
        let (_, room) = minji.post("/api/v1/rooms", json!({"name": "송년회방"})).await;
        let id = room["id"].as_str().unwrap().to_owned();
        let (status, _) = minji
            .send(
                Method::PUT,
                &format!("/api/v1/rooms/{id}/reminders"),
                Some(json!({"memo": true, "before_minutes": [60]})),
            )
            .await;
        assert_eq!(status, 200);
        let eid = event(
            &minji,
            &id,
            json!({"title": "송년회", "starts_at": "2030-12-20T19:00:00+09:00", "ends_at": "2030-12-20T21:00:00+09:00"}),
        )
        .await;
        let read = |app: &TestApp| {
            let state = app.state.clone();
            let id = id.clone();
            async move {
                gachi::reminders::worker::run_once(&state).await.unwrap();
                state.reminder_round.lock().await.get(&id).cloned().unwrap()
            }
        };
        let (mark, read_at, until) = read(&app).await;
        // Read again by the reminder's time (18:00), or a minute later at the latest.
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        assert_eq!(until, read_at + 60_000);
        assert!(until <= at("2030-12-20T18:00:00+09:00"));
        // Nothing changed: the next round keeps what it read.
        assert_eq!(read(&app).await, (mark.clone(), read_at, until));
        // An answer changes the room's mark: read again.
        let (status, _) = minji
            .send(
                Method::PUT,
                &format!("/api/v1/rooms/{id}/events/{eid}/rsvp"),
                Some(json!({"answer": "yes"})),
            )
            .await;
        assert_eq!(status, 200);
        let (changed, _, _) = read(&app).await;
        assert_ne!(changed, mark, "an answer is a change");
        // Close to the reminder the room is read again at its time: exactly one memo.
        set_clock(&app, "2030-12-20T17:59:30+09:00").await;
        let (_, _, until) = read(&app).await;
        assert_eq!(until, at("2030-12-20T18:00:00+09:00"));
        assert!(memos(&app, MINJI).await.is_empty());
        set_clock(&app, "2030-12-20T18:00:10+09:00").await;
        set_clock(&app, "2030-12-20T18:00:20+09:00").await;
        assert_eq!(memos(&app, MINJI).await, ["오늘 오후 7시 · 송년회"]);
    }
}

/// The copies in `MINJI`'s Talk Calendar, as the sandbox keeps them.
async fn talk_copies(app: &TestApp) -> Vec<Value> {
    let v: Value = app
        .http
        .get(app.url(&format!("/_kakao/_admin/calendar/{MINJI}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["events"].as_array().unwrap().clone()
}

fn titled<'a>(copies: &'a [Value], title: &str) -> &'a Value {
    copies
        .iter()
        .find(|c| c["title"] == title)
        .unwrap_or_else(|| panic!("no copy {title}: {copies:?}"))
}

/// The alarms of the series copy's occurrences changed on their own.
fn moved_alarms(series: &Value) -> Vec<Value> {
    series["instances"]
        .as_object()
        .map(|m| {
            m.values()
                .filter(|i| i["state"] == "changed")
                .map(|i| i["reminders"].clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs the Talk Calendar outbox until `done` holds (bounded: the outbox's own loop may hold a
/// job for a moment), and returns the copies then.
async fn copies_once(app: &TestApp, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let started = std::time::Instant::now();
    loop {
        gachi::events::talk_calendar_worker::run_once(&app.state)
            .await
            .unwrap();
        let now = talk_copies(app).await;
        if done(&now) {
            return now;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the copies never got there: {now:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The owner's new times reach the copies already in members' Talk Calendars through the
/// outbox, without waiting for an edit: a single event's copy, a series' copy and its
/// occurrence moved on its own (whose own `THIS` update carries them too). A copy of an event
/// already over is left as it was (its alarms can no longer ring), and saving the same times
/// again sends nothing.
#[tokio::test]
async fn new_reminder_times_reach_the_talk_calendar_copies_already_made() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        set_clock(&app, "2030-11-01T09:00:00+09:00").await;
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
        )
        .await;
        let minji = app.login(MINJI).await;
        let (_, room) = minji.post("/api/v1/rooms", json!({"name": "송년회방"})).await;
        let id = room["id"].as_str().unwrap().to_owned();
        let past = event(
            &minji,
            &id,
            json!({"title": "번개", "starts_at": "2030-11-01T10:00:00+09:00", "ends_at": "2030-11-01T11:00:00+09:00"}),
        )
        .await;
        let single = event(
            &minji,
            &id,
            json!({"title": "송년회", "starts_at": "2030-12-22T19:00:00+09:00", "ends_at": "2030-12-22T21:00:00+09:00"}),
        )
        .await;
        let series = event(
            &minji,
            &id,
            json!({"title": "스터디", "starts_at": "2030-12-05T19:00:00+09:00", "ends_at": "2030-12-05T21:00:00+09:00", "rrule": "FREQ=WEEKLY;BYDAY=TH"}),
        )
        .await;
        for eid in [&past, &single, &series] {
            let (status, added) = minji
                .post(
                    &format!("/api/v1/rooms/{id}/events/{eid}/talk-calendar"),
                    json!({}),
                )
                .await;
            assert_eq!((status, &added["status"]), (200, &json!("added")), "{added}");
        }
        // The 12th's occurrence moves to Friday the 13th on its own.
        let (status, moved) = minji
            .send(
                Method::PATCH,
                &format!(
                    "/api/v1/rooms/{id}/events/{series}?occurrence={}&scope=this",
                    "2030-12-12T19:00:00+09:00".replace('+', "%2B").replace(':', "%3A")
                ),
                Some(json!({"title": "스터디 (금)", "starts_at": "2030-12-13T20:00:00+09:00", "ends_at": "2030-12-13T22:00:00+09:00"})),
            )
            .await;
        assert_eq!(status, 200, "{moved}");
        let before = copies_once(&app, |c| c.iter().any(|s| moved_alarms(s) == [json!([1440, 60])])).await;
        for title in ["번개", "송년회", "스터디"] {
            assert_eq!(titled(&before, title)["reminders"], json!([1440, 60]));
        }

        // The first event is over; the owner sets one time, 30 minutes before.
        set_clock(&app, "2030-11-01T12:00:00+09:00").await;
        let (status, set) = minji
            .send(
                Method::PUT,
                &format!("/api/v1/rooms/{id}/reminders"),
                Some(json!({"before_minutes": [30]})),
            )
            .await;
        assert_eq!((status, &set["before_minutes"]), (200, &json!([30])));
        let queued: Vec<(String,)> = storage::run!(app.state.store.db(), pool => sqlx::query_as(
            "SELECT event_id FROM talk_calendar_jobs WHERE event_id = $1")
            .bind(&past).fetch_all(pool).await.unwrap());
        assert!(queued.is_empty(), "an event already over is not queued");
        let after = copies_once(&app, |c| {
            c.iter().filter(|s| s["reminders"] == json!([30])).count() == 2
                && c.iter().any(|s| moved_alarms(s) == [json!([30])])
        })
        .await;
        assert_eq!(titled(&after, "송년회")["reminders"], json!([30]));
        let study = titled(&after, "스터디");
        assert_eq!(study["reminders"], json!([30]));
        assert_eq!(
            moved_alarms(study),
            [json!([30])],
            "the moved occurrence rings with the rest: {study}"
        );
        assert_eq!(
            titled(&after, "번개"),
            titled(&before, "번개"),
            "the copy of an event already over is left as it was"
        );

        // The same times saved again (the page form does this with every save): nothing moves.
        let (status, _) = minji
            .send(
                Method::PUT,
                &format!("/api/v1/rooms/{id}/reminders"),
                Some(json!({"before_minutes": [30]})),
            )
            .await;
        assert_eq!(status, 200);
        gachi::events::talk_calendar_worker::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(talk_copies(&app).await, after, "unchanged times send nothing");
    }
}

/// Two `gachi serve` instances on one PostgreSQL database, both clocks moved past a reminder's
/// time at once (each move runs the due work before it answers) while both workers' loops run
/// too: the member still gets exactly one memo.
#[tokio::test]
async fn two_instances_on_postgresql_send_a_reminder_once() {
    use crate::reliability::{Gachi, Owner, Sandbox};
    let Some(server) = storage::testing::postgres_server() else {
        eprintln!("TEST_POSTGRES_URL is not set: skipping the two-instance reminder test");
        return;
    };
    let sandbox = Sandbox::start().await;
    sandbox
        .post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["talk_message"]}),
        )
        .await;
    let db = storage::testing::fresh_postgres_url(&server).await.unwrap();
    let a = Gachi::start(&sandbox, &db).await;
    let b = Gachi::start(&sandbox, &db).await;
    let owner = Owner::login(&sandbox, &a).await;
    let room = owner.room(&a).await;
    let (status, on) = owner
        .send(
            &a,
            Method::PUT,
            &format!("/api/v1/rooms/{room}/reminders"),
            Some(json!({"memo": true})),
        )
        .await;
    assert_eq!((status, &on["memo"]), (200, &json!(true)), "{on}");
    let now: jiff::Timestamp = sandbox.get("/_admin/clock").await["now"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let start = now + jiff::SignedDuration::from_hours(26);
    let end = start + jiff::SignedDuration::from_hours(1);
    let (status, event) = owner
        .send(
            &b,
            Method::POST,
            &format!("/api/v1/rooms/{room}/events"),
            Some(json!({"title": "송년회", "starts_at": start.to_string(), "ends_at": end.to_string()})),
        )
        .await;
    assert_eq!(status, 201, "{event}");

    let two_hours = 2 * 3600 + 30;
    sandbox
        .post("/_admin/clock", json!({"advance_seconds": two_hours}))
        .await;
    tokio::join!(a.advance_clock(two_hours), b.advance_clock(two_hours));
    assert_eq!(
        memo_count(&sandbox).await,
        1,
        "the reminder went out during the clock moves"
    );
    // Both loops keep running; more moves on both instances send nothing more.
    for _ in 0..3 {
        tokio::join!(a.advance_clock(60), b.advance_clock(60));
    }
    let conn = storage::Db::connect(&db).await.unwrap();
    let rows: Vec<(String,)> = storage::run!(&conn, pool => sqlx::query_as("SELECT status FROM reminders").fetch_all(pool).await.unwrap());
    assert_eq!(rows, [("sent".to_owned(),)]);
    assert_eq!(memo_count(&sandbox).await, 1, "exactly once across two instances");
    conn.close().await;
}

async fn memo_count(sandbox: &crate::reliability::Sandbox) -> usize {
    sandbox.get(&format!("/_admin/inbox/{MINJI}")).await["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["chat"] == "MemoChat")
        .count()
}

/// The event page's form (no script): the switch asks Kakao for `talk_message` first and is
/// saved once it is agreed; the owner's two selects set the room's times.
#[tokio::test]
async fn the_reminder_form_saves_the_switch_and_the_owners_times() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "송년회방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    let settings = format!("/api/v1/rooms/{id}/reminders");
    let form = |memo: bool| {
        let mut f = vec![("first", "60"), ("second", "-1"), ("next", "/")];
        if memo {
            f.push(("memo", "on"));
        }
        f
    };
    // Without talk_message: off to Kakao's consent screen, nothing saved but the times.
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{id}/reminders")))
        .header("origin", &app.base)
        .form(&form(true))
        .send()
        .await
        .unwrap();
    assert!(resp.url().as_str().contains("/_kakao/"), "{}", resp.url());
    let (_, now) = minji.get(&settings).await;
    assert_eq!(now, json!({"memo": false, "before_minutes": [60]}));
    // Agreed: saved, and back where the form said.
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{id}/reminders")))
        .header("origin", &app.base)
        .form(&form(true))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url().path(), "/");
    let (_, now) = minji.get(&settings).await;
    assert_eq!(now, json!({"memo": true, "before_minutes": [60]}));
    // The consent screen's way back also finishes the switch.
    let resp = minji
        .client
        .get(app.url(&format!("/rooms/{id}/reminders/resume?next=%2Frooms%2F{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url().path(), format!("/rooms/{id}"));
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{id}/reminders")))
        .header("origin", &app.base)
        .form(&form(false))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let (_, now) = minji.get(&settings).await;
    assert_eq!(now["memo"], false, "switched off");
}
