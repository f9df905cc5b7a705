//! Events through the JSON API on every backend: time rules, permissions, validation, ETags,
//! the .ics files and the room feed (read back by Python's icalendar, an independent parser).

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

async fn room(owner: &User) -> String {
    let (_, room) = owner.post("/api/v1/rooms", json!({"name": "일정방"})).await;
    room["id"].as_str().unwrap().to_owned()
}

async fn story(app: &TestApp) {
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let id = room(&minji).await;
    let (_, invite) = minji
        .post(&format!("/api/v1/rooms/{id}/invites"), json!({}))
        .await;
    seojun
        .post(
            &format!("/api/v1/invites/{}/accept", invite["code"].as_str().unwrap()),
            json!({}),
        )
        .await;

    // A timed event in Seoul and Christmas as an all-day event written from Los Angeles.
    let (status, dinner) = seojun
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "송년회", "starts_at": "2026-12-24T10:00:00Z", "ends_at": "2026-12-24T12:00:00Z", "location": "홍대"}),
        )
        .await;
    assert_eq!(status, 201, "{dinner}");
    assert_eq!(
        dinner["starts_at"], "2026-12-24T19:00:00+09:00",
        "instants come back with the zone's offset"
    );
    assert_eq!(dinner["time_zone"], "Asia/Seoul");
    assert_eq!(dinner["sequence"], 0);
    assert!(dinner.get("start_date").is_none());
    let (status, xmas) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "크리스마스", "all_day": true, "start_date": "2026-12-25", "end_date": "2026-12-25", "time_zone": "America/Los_Angeles"}),
        )
        .await;
    assert_eq!(status, 201, "{xmas}");
    assert_eq!(
        (xmas["start_date"].as_str(), xmas["end_date"].as_str()),
        (Some("2026-12-25"), Some("2026-12-25"))
    );
    assert!(xmas.get("starts_at").is_none());

    // Ranges are civil days in the room's zone, `to` exclusive.
    let (_, dec) = minji
        .get(&format!(
            "/api/v1/rooms/{id}/events?from=2026-12-01&to=2027-01-01"
        ))
        .await;
    assert_eq!(dec["events"].as_array().unwrap().len(), 2);
    let (_, only25) = minji
        .get(&format!(
            "/api/v1/rooms/{id}/events?from=2026-12-25&to=2026-12-26"
        ))
        .await;
    let titles: Vec<&str> = only25["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["크리스마스"],
        "the all-day event stays on the 25th, the dinner on the 24th"
    );
    let (_, only24) = minji
        .get(&format!(
            "/api/v1/rooms/{id}/events?from=2026-12-24&to=2026-12-25"
        ))
        .await;
    assert_eq!(only24["events"][0]["title"], "송년회");

    // Edits raise the sequence; only the creator or the owner may edit or delete.
    let did = dinner["id"].as_str().unwrap();
    let xid = xmas["id"].as_str().unwrap();
    let (status, _) = seojun
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}/events/{xid}"),
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(status, 403, "a member cannot edit someone else's event");
    let (status, edited) = minji
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}/events/{did}"),
            Some(json!({"location": "합정"})),
        )
        .await;
    assert_eq!(status, 200, "the owner can: {edited}");
    assert_eq!(
        (
            edited["sequence"].as_i64(),
            edited["location"].as_str(),
            edited["title"].as_str()
        ),
        (Some(1), Some("합정"), Some("송년회"))
    );

    // The .ics: stable UID, rising SEQUENCE, VALUE=DATE with the exclusive DTEND.
    let ics = minji
        .client
        .get(app.url(&format!("/api/v1/rooms/{id}/events/{xid}.ics")))
        .send()
        .await
        .unwrap();
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = ics.text().await.unwrap();
    assert!(text.contains("DTSTART;VALUE=DATE:20261225"), "{text}");
    assert!(text.contains("DTEND;VALUE=DATE:20261226"), "{text}");
    assert!(text.contains(&format!("UID:{xid}@gachi")));

    // Delete: gone from lists, cancelled in its .ics and the feed.
    assert_eq!(
        minji
            .send(Method::DELETE, &format!("/api/v1/rooms/{id}/events/{did}"), None)
            .await
            .0,
        204
    );
    assert_eq!(
        minji.get(&format!("/api/v1/rooms/{id}/events/{did}")).await.0,
        404
    );
    let cancelled = minji
        .client
        .get(app.url(&format!("/api/v1/rooms/{id}/events/{did}.ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        cancelled.contains("METHOD:CANCEL")
            && cancelled.contains("STATUS:CANCELLED")
            && cancelled.contains("SEQUENCE:2"),
        "{cancelled}"
    );
}

#[tokio::test]
async fn events_keep_their_dates_on_every_backend() {
    for url in database_urls().await {
        story(&TestApp::start_on(url).await).await;
    }
}

#[tokio::test]
async fn bad_events_get_field_messages_and_change_nothing() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    let path = format!("/api/v1/rooms/{id}/events");
    let (_, kept) = minji
        .post(
            &path,
            json!({"title": "보존", "all_day": true, "start_date": "2026-12-31"}),
        )
        .await;
    let kept_id = kept["id"].as_str().unwrap().to_owned();
    let cases = [
        (
            json!({"title": "", "starts_at": "2026-12-24T19:00:00+09:00", "ends_at": "2026-12-24T20:00:00+09:00"}),
            "title",
            "제목을 입력해 주세요.",
        ),
        (
            json!({"title": "x", "starts_at": "2026-12-24T19:00:00+09:00", "ends_at": "2026-12-24T18:00:00+09:00"}),
            "ends_at",
            "끝이 시작보다 앞설 수 없어요.",
        ),
        (
            json!({"title": "x", "all_day": true, "start_date": "2026-12-24", "time_zone": "Asia/Nowhere"}),
            "time_zone",
            "알 수 없는 시간대예요. 예: Asia/Seoul",
        ),
        (
            json!({"title": "가".repeat(10_000), "all_day": true, "start_date": "2026-12-24"}),
            "title",
            "제목은 100자까지 쓸 수 있어요.",
        ),
        (
            json!({"title": "x", "starts_at": "2026-12-24 19:00", "ends_at": "2026-12-24T20:00:00+09:00"}),
            "starts_at",
            "",
        ),
        (
            json!({"title": "x", "all_day": true, "start_date": "2026-12-25", "end_date": "2026-12-24"}),
            "end_date",
            "끝이 시작보다 앞설 수 없어요.",
        ),
    ];
    for (body, field, message) in cases {
        let (status, err) = minji.post(&path, body.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(err["error"], "validation");
        if !message.is_empty() {
            assert_eq!(err["fields"][field], message, "{body}");
        } else {
            assert!(err["fields"][field].is_string(), "{err}");
        }
    }
    let resp = minji
        .client
        .post(app.url(&path))
        .header("origin", &app.base)
        .header("accept-language", "en")
        .header("content-type", "application/json")
        .body("{\"title\"")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["message"],
        "The request body is not valid JSON."
    );
    let (status, _) = minji
        .send(
            Method::PATCH,
            &format!("{path}/{kept_id}"),
            Some(json!({"end_date": "2026-01-01"})),
        )
        .await;
    assert_eq!(status, 422);
    let (_, after) = minji.get(&format!("{path}/{kept_id}")).await;
    assert_eq!(
        (after["end_date"].as_str(), after["sequence"].as_i64()),
        (Some("2026-12-31"), Some(0)),
        "nothing changed"
    );
    let (_, all) = minji.get(&format!("{path}?from=2026-01-01&to=2027-01-01")).await;
    assert_eq!(all["events"].as_array().unwrap().len(), 1);
    let (status, _) = minji.get(&format!("{path}?from=2026-12-01&to=2026-11-01")).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn the_month_answer_has_an_etag_that_changes_with_the_schedule() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    let url = app.url(&format!(
        "/api/v1/rooms/{id}/events?from=2026-12-01&to=2027-01-01"
    ));
    let first = minji.client.get(&url).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = minji
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "새 일정", "all_day": true, "start_date": "2026-12-05"}),
        )
        .await;
    let changed = minji
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(
        changed.json::<Value>().await.unwrap()["events"][0]["title"],
        "새 일정"
    );

    // Clients that accept gzip get the same answer compressed.
    let plain = minji
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let zipped = minji
        .client
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let packed = zipped.bytes().await.unwrap();
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&packed[..]), &mut unpacked).unwrap();
    assert_eq!(unpacked, plain.to_vec());
}

#[tokio::test]
async fn an_edit_or_delete_is_seen_at_once_by_the_cached_month_view() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    let month = format!("/api/v1/rooms/{id}/events?from=2026-12-01&to=2027-01-01");
    let (status, event) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "처음", "all_day": true, "start_date": "2026-12-05"}),
        )
        .await;
    assert_eq!(status, 201);
    let eid = event["id"].as_str().unwrap();
    // Twice: the second answer comes from the cache.
    for _ in 0..2 {
        assert_eq!(minji.get(&month).await.1["events"][0]["title"], "처음");
    }
    let (status, _) = minji
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}/events/{eid}"),
            Some(json!({"title": "바뀜"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(minji.get(&month).await.1["events"][0]["title"], "바뀜");
    let (status, _) = minji
        .send(Method::DELETE, &format!("/api/v1/rooms/{id}/events/{eid}"), None)
        .await;
    assert!(status == 200 || status == 204, "{status}");
    assert_eq!(minji.get(&month).await.1["events"], json!([]));
}

#[tokio::test]
async fn ics_and_the_feed_parse_in_an_independent_parser() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    let base = format!("/api/v1/rooms/{id}/events");
    let long = "아주 긴 한국어 제목이 줄 바꿈 규칙에 따라 접히는지 확인하기 위한 일정 제목입니다 정말 길어요"
        .to_owned();
    let (_, xmas) = minji
        .post(
            &base,
            json!({"title": long, "all_day": true, "start_date": "2026-12-25", "end_date": "2026-12-26"}),
        )
        .await;
    let (_, dinner) = minji.post(&base, json!({"title": "저녁", "starts_at": "2026-12-24T19:00:00+09:00", "ends_at": "2026-12-24T21:00:00+09:00"})).await;
    let xid = xmas["id"].as_str().unwrap();
    let did = dinner["id"].as_str().unwrap();
    minji
        .send(
            Method::PATCH,
            &format!("{base}/{xid}"),
            Some(json!({"location": "집"})),
        )
        .await;
    minji.send(Method::DELETE, &format!("{base}/{did}"), None).await;

    let (_, room) = minji.get(&format!("/api/v1/rooms/{id}")).await;
    let feed_url = room["feed_url"].as_str().unwrap().to_owned();
    let dir = std::env::temp_dir().join(format!("gachi-ics-{}", storage::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let event_file = dir.join("event.ics");
    let feed_file = dir.join("feed.ics");
    let event_ics = minji
        .client
        .get(app.url(&format!("{base}/{xid}.ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    std::fs::write(&event_file, &event_ics).unwrap();
    assert!(
        event_ics.lines().all(|l| l.len() <= 75),
        "lines are folded to 75 octets"
    );
    let feed = app.http.get(&feed_url).send().await.unwrap();
    assert_eq!(feed.status(), 200, "the feed needs no session");
    std::fs::write(&feed_file, feed.text().await.unwrap()).unwrap();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/ics_check.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&event_file)
        .arg(&feed_file)
        .output()
        .unwrap();
    if !out.status.success() && std::env::var("CI").is_err() {
        eprintln!(
            "python icalendar missing ({}): skipped outside CI",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let rows: Vec<Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let event = &rows[0];
        assert_eq!(event["uid"], format!("{xid}@gachi"));
        assert_eq!(
            event["summary"],
            long.as_str(),
            "folded Korean text reads back whole"
        );
        assert_eq!(
            (event["dtstart"].as_str(), event["dtend"].as_str()),
            (Some("2026-12-25"), Some("2026-12-27"))
        );
        assert_eq!(event["sequence"], 1);
        let feed_rows: Vec<&Value> = rows
            .iter()
            .filter(|r| r["file"].as_str().unwrap().ends_with("feed.ics"))
            .collect();
        assert_eq!(feed_rows.len(), 2);
        let cancelled = feed_rows
            .iter()
            .find(|r| r["uid"] == format!("{did}@gachi"))
            .unwrap();
        assert_eq!(cancelled["status"], "CANCELLED");
        assert_eq!(cancelled["dtstart"], "2026-12-24T10:00:00+00:00");
    }

    // Rotating the feed URL revokes the old one.
    let (status, rotated) = minji
        .post(&format!("/api/v1/rooms/{id}/feed/rotate"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_ne!(rotated["feed_url"], feed_url.as_str());
    assert_eq!(app.http.get(&feed_url).send().await.unwrap().status(), 404);
    assert_eq!(
        app.http
            .get(rotated["feed_url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn the_room_page_shows_month_week_and_list() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "<script>alert(1)</script>", "all_day": true, "start_date": "2026-12-25"}),
        )
        .await;
    for view in ["month", "week", "list"] {
        let html = minji
            .client
            .get(app.url(&format!("/rooms/{id}?view={view}&date=2026-12-25")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!("data-calendar=\"{view}\"")), "{view}");
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{view}: the title is text"
        );
        assert!(!html.contains("<script>alert(1)</script>"));
        assert!(html.contains("기독탄신일"), "{view}: the holiday is named");
    }
    let far = minji
        .client
        .get(app.url(&format!("/rooms/{id}?view=month&date=2040-05-01")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        far.contains("data-holidays-unknown"),
        "outside the table, holidays are unknown, not guessed"
    );

    // The form keeps what was typed when something is wrong.
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{id}/events")))
        .header("origin", &app.base)
        .form(&[
            ("title", "늦은 저녁"),
            ("date", "2026-12-24"),
            ("start_time", "21:00"),
            ("end_time", "20:00"),
        ])
        .send()
        .await
        .unwrap();
    // Post/redirect/get: back at the form's own address, which shows it again.
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.url().path(), format!("/rooms/{id}/events/new"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("끝이 시작보다 앞설 수 없어요.") && html.contains("value=\"늦은 저녁\""));
}
