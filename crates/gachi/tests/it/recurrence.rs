//! Recurring events through the JSON API on every backend (DESIGN.md's Recurrence contract):
//! rules are checked against the start, the range lists every occurrence, one occurrence is
//! cancelled or moved, "this and following" splits the series (a COUNT keeps what remains), the
//! month answer changes with every write, and the room feed expands — in Python's icalendar and
//! dateutil, an independent implementation — to the same occurrences as the API.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

async fn room(owner: &User) -> String {
    let (_, room) = owner.post("/api/v1/rooms", json!({"name": "스터디방"})).await;
    room["id"].as_str().unwrap().to_owned()
}

/// `(id, occurrence, starts_at or start_date, title)` of every listed event.
async fn listed(user: &User, id: &str, from: &str, to: &str) -> Vec<(String, String, String, String)> {
    let (status, body) = user
        .get(&format!("/api/v1/rooms/{id}/events?from={from}&to={to}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let start = e["starts_at"].as_str().or(e["start_date"].as_str()).unwrap();
            (
                e["id"].as_str().unwrap().to_owned(),
                e["occurrence"].as_str().unwrap_or("").to_owned(),
                start.to_owned(),
                e["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn starts(list: &[(String, String, String, String)]) -> Vec<&str> {
    list.iter().map(|e| e.2.as_str()).collect()
}

fn enc(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn story(app: &TestApp) {
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    let base = format!("/api/v1/rooms/{id}/events");

    // Refusals name the rule, in the user's language; nothing is stored.
    let thursday = json!({"title": "격주 목요일 스터디", "starts_at": "2026-12-03T19:00:00+09:00", "ends_at": "2026-12-03T21:00:00+09:00"});
    for (rule, message) in [
        (
            "FREQ=HOURLY",
            "반복 규칙을 이해하지 못했어요. 매일·매주·매월·매년 반복만 쓸 수 있어요.",
        ),
        (
            "FREQ=WEEKLY;BYDAY=FR",
            "시작 날짜가 반복 규칙에 맞지 않아요. 규칙이 만드는 날짜로 시작해 주세요.",
        ),
        (
            "FREQ=WEEKLY;UNTIL=20261101",
            "반복 종료일이 시작 날짜보다 앞서요.",
        ),
    ] {
        let mut body = thursday.clone();
        body["rrule"] = json!(rule);
        let (status, err) = minji.post(&base, body).await;
        assert_eq!(status, 422, "{rule}: {err}");
        assert_eq!(err["fields"]["rrule"], message, "{rule}");
    }
    assert!(listed(&minji, &id, "2026-12-01", "2027-01-01").await.is_empty());

    let mut body = thursday.clone();
    body["rrule"] = json!("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    let (status, series) = minji.post(&base, body).await;
    assert_eq!(status, 201, "{series}");
    assert_eq!(series["rrule"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    assert!(
        series.get("occurrence").is_none(),
        "the series itself is no occurrence"
    );
    let sid = series["id"].as_str().unwrap().to_owned();
    let (_, single) = minji
        .post(&base, json!({"title": "회식", "starts_at": "2026-12-10T19:00:00+09:00", "ends_at": "2026-12-10T21:00:00+09:00"}))
        .await;
    assert_eq!(single["rrule"], Value::Null, "every event carries rrule");

    let dec = listed(&minji, &id, "2026-12-01", "2027-01-01").await;
    assert_eq!(
        starts(&dec),
        [
            "2026-12-03T19:00:00+09:00",
            "2026-12-10T19:00:00+09:00",
            "2026-12-17T19:00:00+09:00",
            "2026-12-31T19:00:00+09:00"
        ],
        "every other Thursday, and not the ones between"
    );
    for e in dec.iter().filter(|e| e.0 == sid) {
        assert_eq!(e.1, e.2, "an occurrence names its original start");
    }
    assert_eq!(dec[1].1, "", "a single event has no occurrence");
    let (_, one) = minji
        .get(&format!(
            "{base}/{sid}?occurrence={}",
            enc("2026-12-17T10:00:00Z")
        ))
        .await;
    assert_eq!(
        one["occurrence"], "2026-12-17T19:00:00+09:00",
        "any RFC 3339 spelling"
    );
    let (status, _) = minji
        .get(&format!(
            "{base}/{sid}?occurrence={}",
            enc("2026-12-10T19:00:00+09:00")
        ))
        .await;
    assert_eq!(status, 422, "a date the rule does not produce is no occurrence");

    // This one only: cancel the 17th (the month answer changes at once: its cache follows the
    // room's version), move the 31st into January.
    let etag = |app: &TestApp, user: &User, id: String| {
        let url = app.url(&format!(
            "/api/v1/rooms/{id}/events?from=2026-12-01&to=2027-01-01"
        ));
        let client = user.client.clone();
        async move {
            let r = client.get(url).send().await.unwrap();
            r.headers()["etag"].to_str().unwrap().to_owned()
        }
    };
    let before = etag(app, &minji, id.clone()).await;
    let (status, _) = minji
        .send(
            Method::DELETE,
            &format!(
                "{base}/{sid}?occurrence={}&scope=this",
                enc("2026-12-17T10:00:00Z")
            ),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_ne!(etag(app, &minji, id.clone()).await, before);
    let (status, moved) = minji
        .send(
            Method::PATCH,
            &format!("{base}/{sid}?occurrence={}&scope=this", enc("2026-12-31T19:00:00+09:00")),
            Some(json!({"title": "송년 스터디", "starts_at": "2027-01-01T18:00:00+09:00", "ends_at": "2027-01-01T20:00:00+09:00"})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(
        (
            moved["id"].as_str(),
            moved["occurrence"].as_str(),
            moved["starts_at"].as_str()
        ),
        (
            Some(sid.as_str()),
            Some("2026-12-31T19:00:00+09:00"),
            Some("2027-01-01T18:00:00+09:00")
        )
    );
    let dec = listed(&minji, &id, "2026-12-01", "2027-01-01").await;
    assert_eq!(
        starts(&dec),
        ["2026-12-03T19:00:00+09:00", "2026-12-10T19:00:00+09:00"]
    );
    let jan = listed(&minji, &id, "2027-01-01", "2027-02-01").await;
    assert_eq!(
        jan.iter()
            .map(|e| (e.1.as_str(), e.2.as_str(), e.3.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                "2026-12-31T19:00:00+09:00",
                "2027-01-01T18:00:00+09:00",
                "송년 스터디"
            ),
            (
                "2027-01-14T19:00:00+09:00",
                "2027-01-14T19:00:00+09:00",
                "격주 목요일 스터디"
            ),
            (
                "2027-01-28T19:00:00+09:00",
                "2027-01-28T19:00:00+09:00",
                "격주 목요일 스터디"
            ),
        ]
    );

    // This and following: the series ends before the 28th, a new one (new id) starts there.
    let (status, next) = minji
        .send(
            Method::PATCH,
            &format!(
                "{base}/{sid}?occurrence={}&scope=following",
                enc("2027-01-28T19:00:00+09:00")
            ),
            Some(json!({"location": "강남"})),
        )
        .await;
    assert_eq!(status, 200, "{next}");
    let nid = next["id"].as_str().unwrap().to_owned();
    assert_ne!(nid, sid);
    assert_eq!(next["rrule"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    assert_eq!(next["starts_at"], "2027-01-28T19:00:00+09:00");
    let (_, old) = minji.get(&format!("{base}/{sid}")).await;
    assert!(old["rrule"].as_str().unwrap().contains("UNTIL="), "{old}");
    let feb = listed(&minji, &id, "2027-01-10", "2027-02-20").await;
    assert_eq!(
        feb.iter()
            .map(|e| (e.0.as_str(), e.2.as_str()))
            .collect::<Vec<_>>(),
        [
            (sid.as_str(), "2027-01-14T19:00:00+09:00"),
            (nid.as_str(), "2027-01-28T19:00:00+09:00"),
            (nid.as_str(), "2027-02-11T19:00:00+09:00"),
        ]
    );

    // "All" from one occurrence moves the whole series by as much as that occurrence moved.
    let (status, all) = minji
        .send(
            Method::PATCH,
            &format!(
                "{base}/{nid}?occurrence={}&scope=all",
                enc("2027-02-11T19:00:00+09:00")
            ),
            Some(json!({"starts_at": "2027-02-11T20:00:00+09:00", "ends_at": "2027-02-11T22:00:00+09:00"})),
        )
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        (all["id"].as_str(), all["starts_at"].as_str()),
        (Some(nid.as_str()), Some("2027-01-28T20:00:00+09:00"))
    );
    let feb = listed(&minji, &id, "2027-02-01", "2027-03-01").await;
    assert_eq!(
        starts(&feb),
        ["2027-02-11T20:00:00+09:00", "2027-02-25T20:00:00+09:00"]
    );

    // A COUNT keeps only what remains; deleting "following" ends the series there.
    let (status, monthly) = minji
        .post(
            &base,
            json!({"title": "월례회", "all_day": true, "start_date": "2027-03-15", "rrule": "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=4"}),
        )
        .await;
    assert_eq!(status, 201, "{monthly}");
    let mid = monthly["id"].as_str().unwrap().to_owned();
    let (status, rest) = minji
        .send(
            Method::PATCH,
            &format!("{base}/{mid}?occurrence=2027-04-15&scope=following"),
            Some(json!({"title": "월례회 (새 장소)"})),
        )
        .await;
    assert_eq!(status, 200, "{rest}");
    assert!(rest["rrule"].as_str().unwrap().contains("COUNT=3"), "{rest}");
    let rid = rest["id"].as_str().unwrap().to_owned();
    let spring = |l: Vec<(String, String, String, String)>| {
        l.into_iter()
            .filter(|e| e.0 == mid || e.0 == rid)
            .map(|e| (e.2, e.3))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        spring(listed(&minji, &id, "2027-03-01", "2027-09-01").await),
        [
            ("2027-03-15".to_owned(), "월례회".to_owned()),
            ("2027-04-15".to_owned(), "월례회 (새 장소)".to_owned()),
            ("2027-05-15".to_owned(), "월례회 (새 장소)".to_owned()),
            ("2027-06-15".to_owned(), "월례회 (새 장소)".to_owned()),
        ]
    );
    let (status, _) = minji
        .send(
            Method::DELETE,
            &format!("{base}/{rid}?occurrence=2027-06-15&scope=following"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        spring(listed(&minji, &id, "2027-03-01", "2027-09-01").await).len(),
        3,
        "June is gone"
    );

    // The feed, expanded by icalendar + dateutil, has the API's occurrences.
    let (_, r) = minji.get(&format!("/api/v1/rooms/{id}")).await;
    let feed = app
        .http
        .get(r["feed_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(feed.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"), "{feed}");
    assert!(feed.contains("EXDATE;TZID=Asia/Seoul:20261217T190000"), "{feed}");
    assert!(
        feed.contains("RECURRENCE-ID;TZID=Asia/Seoul:20261231T190000"),
        "{feed}"
    );
    let export = minji
        .client
        .get(app.url("/account/export.ics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        export.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
            && export.contains("EXDATE;TZID=Asia/Seoul:20261217T190000"),
        "my export keeps the series whole: {export}"
    );
    let file = std::env::temp_dir().join(format!("gachi-recur-{}.ics", storage::new_id()));
    std::fs::write(&file, &feed).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/ics_occurrences.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .arg("2026-11-30T15:00:00+00:00")
        .arg("2027-08-31T15:00:00+00:00")
        .output()
        .unwrap();
    if !out.status.success() && std::env::var("CI").is_err() {
        eprintln!(
            "python icalendar missing ({}): skipped outside CI",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .collect();
    let by = |who: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r["by"] == who)
            .map(|v| {
                (
                    v["uid"].as_str().unwrap().to_owned(),
                    v["start"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let mut from_api: Vec<(String, String)> = Vec::new();
    for (from, to) in [("2026-12-01", "2027-05-01"), ("2027-05-01", "2027-09-01")] {
        for e in listed(&minji, &id, from, to).await {
            let start = if e.2.len() == 10 {
                e.2.clone()
            } else {
                utc_iso(&e.2)
            };
            from_api.push((format!("{}@gachi", e.0), start));
        }
    }
    from_api.sort();
    from_api.dedup();
    assert_eq!(by("dateutil"), from_api, "icalendar + dateutil");
    let has_ric = rows
        .iter()
        .any(|r| r["by"] == "meta" && r["recurring_ical_events"] == true);
    if has_ric || std::env::var("CI").is_ok() {
        assert_eq!(by("recurring-ical-events"), from_api, "recurring-ical-events");
    } else {
        eprintln!("recurring-ical-events missing: compared with dateutil only");
    }
}

/// An instant as Python's `isoformat()` writes a UTC datetime.
fn utc_iso(s: &str) -> String {
    let t: jiff::Timestamp = s.parse().unwrap();
    t.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

#[tokio::test]
async fn recurring_events_on_every_backend() {
    for url in database_urls().await {
        story(&TestApp::start_on(url).await).await;
    }
}

#[tokio::test]
async fn occurrence_pages_offer_scopes_and_the_label() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room(&minji).await;
    let (_, series) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "스터디", "starts_at": "2026-12-03T19:00:00+09:00", "ends_at": "2026-12-03T21:00:00+09:00", "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"}),
        )
        .await;
    let sid = series["id"].as_str().unwrap();
    let page = |path: String| {
        let client = minji.client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let month = page(format!("/rooms/{id}?view=month&date=2026-12-01")).await;
    assert!(
        month.contains(&format!(
            "/events/{sid}?occurrence=2026-12-17T19%3A00%3A00%2B09%3A00"
        )),
        "chips open their own occurrence"
    );
    let occ = page(format!(
        "/rooms/{id}/events/{sid}?occurrence=2026-12-17T19%3A00%3A00%2B09%3A00"
    ))
    .await;
    assert!(occ.contains("격주 목요일"), "the rule's label");
    assert!(occ.contains("이 일정만") && occ.contains("이후 모든 일정") && occ.contains("모든 일정"));
    assert!(occ.contains("value=\"2026-12-17\""), "the occurrence's own date");
    assert!(occ.contains("value=\"biweekly\" selected"), "the repeat choice");
    let (status, openapi) = minji.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    let patch = &openapi["paths"]["/api/v1/rooms/{id}/events/{eid}"]["patch"]["parameters"];
    assert!(patch.as_array().unwrap().iter().any(|p| p["name"] == "scope"));
    assert!(openapi["components"]["schemas"]["Event"]["properties"]["rrule"].is_object());

    // A series' card and the share page show its next occurrence (2026-12-17 once the 3rd has
    // passed), and the share page offers the series once.
    app.sandbox_post("/_admin/clock", json!({"set": "2026-12-10T00:00:00+09:00"}))
        .await;
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let share = page(format!("/rooms/{id}/share?layout=card&event={sid}")).await;
    // The picker says the day in words (issue #17).
    assert!(share.contains("12월 17일 (목) 오후 7:00"), "{share}");
    assert!(!share.contains("12월 3일 (목)"));
    assert_eq!(
        share.matches(&format!("<option value=\"{sid}\"")).count(),
        1,
        "one choice per series"
    );
    let (status, _) = minji
        .get(&format!("/api/v1/rooms/{id}/image.png?layout=card&event={sid}"))
        .await;
    assert_eq!(status, 200, "the card image draws");

    // The form's repeat choice makes the rule.
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{id}/events")))
        .header("origin", &minji.base)
        .form(&[
            ("title", "마지막 금요일"),
            ("date", "2026-12-25"),
            ("start_time", "19:00"),
            ("end_time", "20:00"),
            ("repeat", "monthly_last"),
            ("repeat_until", "2027-03-31"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        resp.status().is_redirection() || resp.status().is_success(),
        "{}",
        resp.status()
    );
    let (_, list) = minji
        .get(&format!(
            "/api/v1/rooms/{id}/events?from=2027-01-01&to=2027-05-01"
        ))
        .await;
    let fridays: Vec<&str> = list["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["title"] == "마지막 금요일")
        .map(|e| e["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        fridays,
        [
            "2027-01-29T19:00:00+09:00",
            "2027-02-26T19:00:00+09:00",
            "2027-03-26T19:00:00+09:00"
        ]
    );
}

#[tokio::test]
async fn a_talk_calendar_copy_of_a_series_repeats_there_too() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_calendar"]}),
    )
    .await;
    let id = room(&minji).await;
    let (_, series) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "스터디", "starts_at": "2026-12-03T19:00:00+09:00", "ends_at": "2026-12-03T21:00:00+09:00", "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"}),
        )
        .await;
    let sid = series["id"].as_str().unwrap();
    let (status, added) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events/{sid}/talk-calendar"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, added["status"].as_str()),
        (200, Some("added")),
        "{added}"
    );
    let copies: Value = app
        .http
        .get(app.url(&format!("/_kakao/_admin/calendar/{MINJI}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let copy = &copies["events"][0];
    assert_eq!(copy["rrule"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "{copies}");
}
