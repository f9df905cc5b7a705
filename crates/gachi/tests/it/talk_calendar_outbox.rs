//! Issue 14's proof that Talk Calendar pushes go through the durable outbox, against a
//! STANDALONE `gachi sandbox` process (it outlives the Gachi servers this test kills) and real
//! `gachi serve` processes, on SQLite and (with `TEST_POSTGRES_URL`) PostgreSQL:
//! - edits whose push Kakao refuses wait in the outbox as ONE job (quick edits coalesce);
//! - SIGKILL, restart on the same database: the copy gets the latest data, and nothing more
//!   reaches Kakao afterwards (more rounds, clock moves and another restart leave it as it is);
//! - an edit after the crash reaches the copy as exactly one update.
//!
//! The sandbox keeps no count of calls, so "exactly once" is read from the copy's `updated_at`
//! (the sandbox's clock when an update was applied): it changes once per delivery and stays
//! put through every later round. Waits are bounded polls, never sleeps on a guess.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::MINJI;
use crate::reliability::{Gachi, Owner, Sandbox};

const UPDATE_PATH: &str = "/v2/api/calendar/update/event/host";

async fn copies(sandbox: &Sandbox) -> Vec<Value> {
    sandbox.get(&format!("/_admin/calendar/{MINJI}")).await["events"]
        .as_array()
        .unwrap()
        .clone()
}

/// Polls (bounded) until the only copy has `title`, and returns it.
async fn copy_titled(sandbox: &Sandbox, title: &str) -> Value {
    let started = std::time::Instant::now();
    loop {
        let list = copies(sandbox).await;
        if list.len() == 1 && list[0]["title"] == title {
            return list[0].clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the copy never became {title}: {list:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `(status, attempts, sequence)` of every Talk Calendar job.
async fn jobs(db: &storage::Db) -> Vec<(String, i64, i64)> {
    let sql = "SELECT status, attempts, sequence FROM talk_calendar_jobs ORDER BY user_id";
    storage::run!(db, pool => sqlx::query_as(sql).fetch_all(pool).await.unwrap())
}

/// Polls (bounded) until no Talk Calendar work is left: the worker records an outcome just
/// after Kakao answers.
async fn settled(db: &storage::Db) {
    let started = std::time::Instant::now();
    loop {
        let left = jobs(db).await;
        if left.is_empty() {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "work left: {left:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn edit(owner: &Owner, gachi: &Gachi, room: &str, event: &str, title: &str) {
    let (status, body) = owner
        .send(
            gachi,
            reqwest::Method::PATCH,
            &format!("/api/v1/rooms/{room}/events/{event}"),
            Some(json!({"title": title})),
        )
        .await;
    assert_eq!((status, body["title"].as_str()), (200, Some(title)), "{body}");
}

#[tokio::test]
async fn a_talk_calendar_push_queued_before_a_crash_is_delivered_once_after_restart() {
    for url in storage::testing::fresh_urls().await.unwrap() {
        let sandbox = Sandbox::start().await;
        sandbox
            .post(
                "/_admin/consent",
                json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
            )
            .await;
        let db = storage::Db::connect(&url).await.unwrap();
        let mut first = Gachi::start(&sandbox, &url).await;
        let owner = Owner::login(&sandbox, &first).await;
        let room = owner.room(&first).await;
        let (status, event) = owner
            .send(
                &first,
                reqwest::Method::POST,
                &format!("/api/v1/rooms/{room}/events"),
                Some(
                    json!({"title": "송년회", "all_day": false, "starts_at": "2026-12-24T19:00:00+09:00",
                            "ends_at": "2026-12-24T21:00:00+09:00"}),
                ),
            )
            .await;
        assert_eq!(status, 201, "{event}");
        let event = event["id"].as_str().unwrap().to_owned();

        // The first copy is made while the member waits.
        let (status, added) = owner
            .send(
                &first,
                reqwest::Method::POST,
                &format!("/api/v1/rooms/{room}/events/{event}/talk-calendar"),
                Some(json!({})),
            )
            .await;
        assert_eq!(
            (status, added["status"].as_str()),
            (200, Some("added")),
            "{added}"
        );
        let added_at = copy_titled(&sandbox, "송년회").await["updated_at"].clone();

        // Kakao refuses every update (nothing is applied): three quick edits wait as one job.
        sandbox
            .faults(json!({"error_rate": 1.0, "kinds": ["refuse"], "paths": [UPDATE_PATH]}))
            .await;
        for title in ["송년회 (1)", "송년회 (2)", "송년회 (3)"] {
            edit(&owner, &first, &room, &event, title).await;
        }
        let started = std::time::Instant::now();
        loop {
            // Wait until the worker has tried and put the job back to wait for its backoff.
            let now = jobs(&db).await;
            assert_eq!(now.len(), 1, "one job for the copy: {now:?}");
            if now[0].0 == "queued" && now[0].1 >= 1 {
                assert_eq!(now[0].2, 3, "at the latest sequence");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "never tried: {now:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        first.proc.sigkill();
        let list = copies(&sandbox).await;
        assert_eq!(
            (list.len(), &list[0]["title"], &list[0]["updated_at"]),
            (1, &json!("송년회"), &added_at),
            "nothing reached Kakao before the crash"
        );

        // Restart on the same database with Kakao healthy: the queued push goes out, with the
        // latest data, once.
        sandbox.faults(json!({"error_rate": 0.0})).await;
        let second = Gachi::start(&sandbox, &url).await;
        second.advance_clock(600).await;
        let delivered = copy_titled(&sandbox, "송년회 (3)").await;
        assert_ne!(delivered["updated_at"], added_at);
        settled(&db).await;
        let link: (i64, Option<String>) = storage::run!(&db, pool => sqlx::query_as(
            "SELECT synced_sequence, last_error FROM talk_calendar_events WHERE event_id = $1")
            .bind(&event).fetch_one(pool).await.unwrap());
        assert_eq!(link, (3, None), "the copy is recorded at the latest sequence");

        // More rounds, a clock move and another crash and restart send nothing more.
        second.advance_clock(600).await;
        drop(second);
        let third = Gachi::start(&sandbox, &url).await;
        third.advance_clock(600).await;
        let list = copies(&sandbox).await;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["updated_at"], delivered["updated_at"], "applied once");

        // An edit after the crash: exactly one update, with its data.
        edit(&owner, &third, &room, &event, "송년회 (4)").await;
        let after = copy_titled(&sandbox, "송년회 (4)").await;
        assert_ne!(after["updated_at"], delivered["updated_at"]);
        third.advance_clock(600).await;
        let list = copies(&sandbox).await;
        assert_eq!(list.len(), 1, "still one copy");
        assert_eq!(list[0]["updated_at"], after["updated_at"], "one update");
        settled(&db).await;
        db.close().await;
    }
}
