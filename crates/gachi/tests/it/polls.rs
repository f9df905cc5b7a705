//! Availability polls (issue 10) on every backend: a time grid and a day poll through the JSON
//! API, the heat-map and ranking, proposals, the deadline, the owner's confirmation into an
//! event; bad input answered with a clear 4xx that loses nothing; non-members get 404 on
//! every poll route; and the pages.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

/// A room of Minji (owner) and Seojun; Jiwoo stays outside.
async fn room_of_two(app: &TestApp) -> (User, User, String) {
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "송년회 방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    join(&minji, &seojun, &id).await;
    (minji, seojun, id)
}

fn option<'a>(poll: &'a Value, key: &str) -> &'a Value {
    poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == key)
        .unwrap()
}

fn count(poll: &Value, key: &str, answer: &str) -> usize {
    option(poll, key)[answer].as_array().unwrap().len()
}

async fn grid_story(app: &TestApp) {
    let (minji, seojun, id) = room_of_two(app).await;
    let polls = format!("/api/v1/rooms/{id}/polls");

    // Bad polls: no candidates, a deadline in the past; clear messages, in Korean by default.
    let (status, err) = minji
        .post(&polls, json!({"title": "송년회", "kind": "grid", "dates": []}))
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"], "validation");
    assert_eq!(err["fields"]["dates"], "후보 날짜를 하나 이상 골라 주세요.");
    let (status, err) = minji
        .post(
            &polls,
            json!({"title": "송년회", "dates": ["2026-12-24"], "deadline": "2020-01-01T00:00:00+09:00"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"]["deadline"], "마감 시각이 이미 지났어요.");
    let resp = minji
        .client
        .post(app.url(&polls))
        .header("origin", &app.base)
        .header("accept-language", "en")
        .json(&json!({"title": "x", "kind": "grid", "dates": ["2026-12-24"], "start_time": "18:15"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(
        err["fields"]["start_time"],
        "Times go in 30-minute steps (e.g. 09:00, 21:30)."
    );

    // A grid over two days, 18:00–21:00: 2 × 6 slots, civil in the room's zone.
    let (status, poll) = seojun
        .post(
            &polls,
            json!({"title": "송년회", "kind": "grid", "dates": ["2026-12-26", "2026-12-24"], "start_time": "18:00", "end_time": "21:00", "location": "홍대"}),
        )
        .await;
    assert_eq!(status, 201, "{poll}");
    let pid = poll["id"].as_str().unwrap().to_owned();
    let at = format!("{polls}/{pid}");
    assert_eq!(poll["dates"], json!(["2026-12-24", "2026-12-26"]));
    assert_eq!(poll["time_zone"], "Asia/Seoul");
    assert_eq!(poll["options"].as_array().unwrap().len(), 12);
    assert_eq!(poll["options"][0]["key"], "2026-12-24T18:00");
    assert_eq!(poll["ranking"], json!([]));
    assert_eq!(poll["ranges"], json!([]));
    let waiting: Vec<&str> = poll["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["nickname"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, ["김민지", "이서준"]);
    assert!(
        poll.get("nudge").is_none(),
        "only the room's owner nudges (Seojun made the poll)"
    );
    let (_, owners) = minji.get(&format!("{polls}/{pid}")).await;
    assert_eq!(
        owners["nudge"]["text"], "⏰ 아직 2명: 김민지·이서준\n송년회",
        "the owner's nudge card names who has not answered"
    );
    assert_eq!(owners["nudge"]["button"], "가능한 시간 칠하기");
    assert!(
        owners["nudge"]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rooms/{id}/polls/{pid}"))
    );

    // Both paint; the heat-map and ranking show the overlap (ties go to the earliest).
    let answers = format!("{at}/answers");
    let (status, mine) = minji
        .send(
            Method::PUT,
            &answers,
            Some(json!({"answers": {"2026-12-24T19:00": "yes", "2026-12-24T19:30": "yes", "2026-12-26T18:00": "yes"}})),
        )
        .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["mine"]["2026-12-24T19:00"], "yes");
    let (status, _) = seojun
        .send(
            Method::PUT,
            &answers,
            Some(json!({"answers": {"2026-12-24T19:30": "yes", "2026-12-24T19:00": "maybe", "2026-12-26T18:00": "yes"}})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, poll) = minji.get(&at).await;
    assert_eq!(poll["respondents"].as_array().unwrap().len(), 2);
    assert_eq!(count(&poll, "2026-12-24T19:30", "yes"), 2);
    assert_eq!(option(&poll, "2026-12-24T19:00")["score"], 1.5);
    assert_eq!(option(&poll, "2026-12-24T19:30")["level"], 5);
    assert_eq!(
        poll["ranking"],
        json!(["2026-12-24T19:30", "2026-12-26T18:00", "2026-12-24T19:00"]),
        "score first, then the earliest"
    );
    let starts: Vec<&str> = poll["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["2026-12-24T19:30", "2026-12-26T18:00", "2026-12-24T19:00"],
        "19:00 and 19:30 are not one range: Seojun is unsure of 19:00"
    );
    assert_eq!(
        (
            poll["ranges"][0]["end_time"].as_str(),
            poll["ranges"][0]["minutes"].as_i64()
        ),
        (Some("20:00"), Some(30))
    );
    assert_eq!(poll["ranges"][2]["maybe"], json!([1]));
    assert_eq!(poll["waiting"], json!([]), "both answered");
    assert!(poll.get("nudge").is_none(), "nobody to nudge");

    // A slot outside the grid is refused whole: nothing Seojun answered is lost.
    for bad in ["2026-12-24T21:00", "2026-12-25T19:00", "2026-12-24T19:15"] {
        let (status, err) = seojun
            .send(
                Method::PUT,
                &answers,
                Some(json!({"answers": {"2026-12-24T19:00": "yes", bad: "yes"}})),
            )
            .await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert_eq!(
            err["fields"]["answers"],
            "투표 표 밖의 시간이에요. 아무것도 저장하지 않았어요."
        );
    }
    let (status, _) = seojun
        .send(Method::PUT, &answers, Some(json!({"answers": {"x": "sure"}})))
        .await;
    assert_eq!(status, 422);
    let (status, _) = seojun.send(Method::PUT, &answers, Some(json!({"nope": 1}))).await;
    assert_eq!(status, 400);
    let (_, poll) = seojun.get(&at).await;
    assert_eq!(
        poll["mine"]["2026-12-24T19:00"], "maybe",
        "the earlier answers stand"
    );
    assert_eq!(count(&poll, "2026-12-24T19:30", "yes"), 2);

    // Any member extends the grid by a day; the same day twice is a conflict.
    let candidates = format!("{at}/candidates");
    let (status, poll) = seojun.post(&candidates, json!({"date": "2026-12-25"})).await;
    assert_eq!(status, 201, "{poll}");
    assert_eq!(poll["dates"], json!(["2026-12-24", "2026-12-25", "2026-12-26"]));
    assert_eq!(poll["options"].as_array().unwrap().len(), 18);
    assert_eq!(
        poll["mine"]["2026-12-24T19:00"], "maybe",
        "answers survive a new day"
    );
    let (status, err) = minji.post(&candidates, json!({"date": "2026-12-25"})).await;
    assert_eq!((status, err["error"].as_str()), (409, Some("candidate_exists")));
    let (status, _) = minji.post(&candidates, json!({"date": "christmas"})).await;
    assert_eq!(status, 422);

    // ETag: an unchanged poll is a 304 for the page's 2-second refresh.
    let resp = minji.client.get(app.url(&at)).send().await.unwrap();
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let again = minji
        .client
        .get(app.url(&at))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // Only the owner confirms; a slot outside the grid is refused; then it becomes an event.
    let confirm = format!("{at}/confirm");
    let (status, _) = seojun.post(&confirm, json!({"slot": "2026-12-24T19:30"})).await;
    assert_eq!(status, 403, "the poll's creator is not the room's owner");
    let (status, err) = minji.post(&confirm, json!({"slot": "2026-12-24T23:00"})).await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = minji
        .post(
            &confirm,
            json!({"slot": "2026-12-24T19:30", "duration_minutes": 5}),
        )
        .await;
    assert_eq!(
        (status, err["fields"]["duration_minutes"].is_string()),
        (422, true)
    );
    let (status, event) = minji
        .post(
            &confirm,
            json!({"slot": "2026-12-24T19:30", "duration_minutes": 150}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    assert_eq!(
        event["title"], "송년회 방",
        "untitled, the event takes the room's name, not the poll's question"
    );
    assert_eq!(event["location"], "홍대");
    assert_eq!(event["starts_at"], "2026-12-24T19:30:00+09:00");
    assert_eq!(event["ends_at"], "2026-12-24T22:00:00+09:00");
    let (_, list) = seojun
        .get(&format!(
            "/api/v1/rooms/{id}/events?from=2026-12-01&to=2027-01-01"
        ))
        .await;
    assert_eq!(
        list["events"][0]["id"], event["id"],
        "the event is in the room for everyone"
    );
    let (_, poll) = seojun.get(&at).await;
    assert_eq!(poll["open"], false);
    assert_eq!(poll["confirmed"], "2026-12-24T19:30");
    assert_eq!(poll["event_id"], event["id"]);
    let (status, err) = seojun
        .send(
            Method::PUT,
            &answers,
            Some(json!({"answers": {"2026-12-24T18:00": "yes"}})),
        )
        .await;
    assert_eq!((status, err["error"].as_str()), (409, Some("poll_closed")));
    let (status, _) = minji.post(&confirm, json!({"slot": "2026-12-24T18:00"})).await;
    assert_eq!(status, 409);
    let (status, _) = seojun.post(&candidates, json!({"date": "2026-12-27"})).await;
    assert_eq!(status, 409);

    let (_, list) = minji.get(&polls).await;
    assert_eq!(list["polls"][0]["event_id"], event["id"]);
}

async fn day_poll_story(app: &TestApp) {
    let (minji, seojun, id) = room_of_two(app).await;
    let polls = format!("/api/v1/rooms/{id}/polls");
    let deadline = app
        .state
        .clock
        .now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .unwrap();
    let (status, poll) = minji
        .post(
            &polls,
            json!({"title": "신년회", "dates": ["2027-01-08", "2027-01-09"], "deadline": deadline.to_string()}),
        )
        .await;
    assert_eq!(status, 201, "{poll}");
    assert_eq!(poll["kind"], "days");
    assert!(poll["deadline"].as_str().unwrap().ends_with("+09:00"));
    let pid = poll["id"].as_str().unwrap().to_owned();
    let at = format!("{polls}/{pid}");
    let answers = format!("{at}/answers");
    let (status, _) = seojun
        .send(
            Method::PUT,
            &answers,
            Some(json!({"answers": {"2027-01-08": "maybe", "2027-01-09": "no"}})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, err) = seojun
        .send(
            Method::PUT,
            &answers,
            Some(json!({"answers": {"2027-01-10": "yes"}})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        err["fields"]["answers"],
        "후보에 없는 날짜예요. 아무것도 저장하지 않았어요."
    );
    let (status, poll) = minji
        .post(&format!("{at}/candidates"), json!({"date": "2027-01-10"}))
        .await;
    assert_eq!(status, 201);
    assert_eq!(poll["dates"].as_array().unwrap().len(), 3);

    // After the deadline answers close with a clear 409, and what was answered stays.
    app.state.clock.advance(2 * 3600).unwrap();
    let (status, err) = seojun
        .send(
            Method::PUT,
            &answers,
            Some(json!({"answers": {"2027-01-08": "yes"}})),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(err["error"], "poll_closed");
    assert_eq!(err["message"], "마감된 투표예요. 답변은 바뀌지 않았어요.");
    let (status, _) = seojun
        .post(&format!("{at}/candidates"), json!({"date": "2027-01-11"}))
        .await;
    assert_eq!(status, 409);
    let (_, poll) = seojun.get(&at).await;
    assert_eq!(poll["open"], false);
    assert_eq!(poll["mine"], json!({"2027-01-08": "maybe", "2027-01-09": "no"}));
    assert_eq!(poll["ranking"], json!(["2027-01-08"]));

    // The owner still confirms after the deadline: a day becomes an all-day event.
    let (status, event) = minji
        .post(
            &format!("{at}/confirm"),
            json!({"candidate": "2027-01-09", "title": "신년회 저녁", "location": "을지로", "memo": "7시까지"}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    assert_eq!(
        (&event["title"], &event["location"], &event["memo"]),
        (&json!("신년회 저녁"), &json!("을지로"), &json!("7시까지")),
        "a day poll confirmed keeps the title the owner typed"
    );
    assert_eq!(event["all_day"], true);
    assert_eq!(
        (event["start_date"].as_str(), event["end_date"].as_str()),
        (Some("2027-01-09"), Some("2027-01-09"))
    );

    // The creator or the owner deletes; another member may not.
    let (_, other) = seojun
        .post(&polls, json!({"title": "번개", "dates": ["2027-02-01"]}))
        .await;
    let other_at = format!("{polls}/{}", other["id"].as_str().unwrap());
    let (status, _) = seojun.send(Method::DELETE, &at, None).await;
    assert_eq!(status, 403);
    let (status, _) = minji.send(Method::DELETE, &other_at, None).await;
    assert_eq!(status, 204, "the owner deletes a member's poll");
    let (status, _) = seojun.send(Method::DELETE, &at, None).await;
    assert_eq!(status, 403);
    let (status, _) = minji.send(Method::DELETE, &at, None).await;
    assert_eq!(status, 204);
    let (status, _) = minji.get(&at).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn grid_poll_on_every_backend() {
    for url in database_urls().await {
        grid_story(&TestApp::start_on(url).await).await;
    }
}

#[tokio::test]
async fn day_poll_and_deadline_on_every_backend() {
    for url in database_urls().await {
        day_poll_story(&TestApp::start_on(url).await).await;
    }
}

/// The page's refresh sends its last ETag; someone joining the room changes who is still
/// waiting without touching the poll, and must not be answered 304.
#[tokio::test]
async fn a_member_joining_changes_the_polls_etag() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let (minji, _seojun, id) = room_of_two(&app).await;
        let (status, poll) = minji
            .post(
                &format!("/api/v1/rooms/{id}/polls"),
                json!({"title": "신년회", "dates": ["2027-01-08"]}),
            )
            .await;
        assert_eq!(status, 201, "{poll}");
        let at = format!("/api/v1/rooms/{id}/polls/{}", poll["id"].as_str().unwrap());
        let resp = minji.client.get(app.url(&at)).send().await.unwrap();
        let etag = resp.headers()["etag"].to_str().unwrap().to_owned();

        let jiwoo = app.login(JIWOO).await;
        join(&minji, &jiwoo, &id).await;

        let resp = minji
            .client
            .get(app.url(&at))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "a new member is news to the page");
        assert_ne!(resp.headers()["etag"].to_str().unwrap(), etag);
        let poll: Value = resp.json().await.unwrap();
        let waiting: Vec<&str> = poll["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["nickname"].as_str().unwrap())
            .collect();
        assert_eq!(waiting.len(), 3, "{waiting:?}");
    }
}

#[tokio::test]
async fn non_members_get_404_on_every_poll_route() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let (minji, _seojun, id) = room_of_two(&app).await;
        let (_, poll) = minji
            .post(
                &format!("/api/v1/rooms/{id}/polls"),
                json!({"title": "비밀", "kind": "grid", "dates": ["2026-12-24"]}),
            )
            .await;
        let pid = poll["id"].as_str().unwrap();
        let jiwoo = app.login(JIWOO).await;
        let routes: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, format!("/api/v1/rooms/{id}/polls"), None),
            (
                Method::POST,
                format!("/api/v1/rooms/{id}/polls"),
                Some(json!({"title": "x", "dates": ["2026-12-24"]})),
            ),
            (Method::GET, format!("/api/v1/rooms/{id}/polls/{pid}"), None),
            (Method::DELETE, format!("/api/v1/rooms/{id}/polls/{pid}"), None),
            (
                Method::PUT,
                format!("/api/v1/rooms/{id}/polls/{pid}/answers"),
                Some(json!({"answers": {}})),
            ),
            (
                Method::POST,
                format!("/api/v1/rooms/{id}/polls/{pid}/candidates"),
                Some(json!({"date": "2026-12-25"})),
            ),
            (
                Method::POST,
                format!("/api/v1/rooms/{id}/polls/{pid}/confirm"),
                Some(json!({"slot": "2026-12-24T19:00"})),
            ),
            (Method::GET, format!("/rooms/{id}/polls"), None),
            (Method::POST, format!("/rooms/{id}/polls"), None),
            (Method::GET, format!("/rooms/{id}/polls/new"), None),
            (Method::GET, format!("/rooms/{id}/polls/{pid}"), None),
            (Method::POST, format!("/rooms/{id}/polls/{pid}/answers"), None),
            (Method::POST, format!("/rooms/{id}/polls/{pid}/candidates"), None),
            (Method::POST, format!("/rooms/{id}/polls/{pid}/confirm"), None),
            (Method::POST, format!("/rooms/{id}/polls/{pid}/delete"), None),
        ];
        for (method, path, body) in routes {
            let (status, _) = jiwoo.send(method.clone(), &path, body.clone()).await;
            assert_eq!(status, 404, "{method} {path} as a non-member");
            // A member asking for a poll that is not there gets the same answer.
            if path.contains(pid) {
                let (status, _) = minji.send(method.clone(), &path.replace(pid, "nope"), body).await;
                assert_eq!(status, 404, "{method} {path} with an unknown poll");
            }
        }
        let (_, poll) = minji.get(&format!("/api/v1/rooms/{id}/polls/{pid}")).await;
        assert_eq!(poll["dates"], json!(["2026-12-24"]), "nothing changed");
    }
}

#[tokio::test]
async fn pages_create_answer_and_confirm() {
    let app = TestApp::start().await;
    let (minji, seojun, id) = room_of_two(&app).await;
    let page = |u: &User, path: String| {
        let req = u.client.get(app.url(&path));
        async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };
    let post = |u: &User, path: String, form: Vec<(&'static str, String)>| {
        let req = u
            .client
            .post(app.url(&path))
            .header("origin", &app.base)
            .form(&form);
        async move {
            let resp = req.send().await.unwrap();
            (
                resp.status().as_u16(),
                resp.url().path().to_owned(),
                resp.text().await.unwrap(),
            )
        }
    };
    let (_, room) = page(&minji, format!("/rooms/{id}")).await;
    assert!(
        room.contains(&format!("href=\"/rooms/{id}/polls/new\" data-new-poll")),
        "the room links to polls"
    );
    assert!(room.contains("일정 맞추기"));
    let (status, form) = page(&seojun, format!("/rooms/{id}/polls/new")).await;
    assert_eq!(status, 200);
    assert!(form.contains("data-poll-form"));

    // A form with no days comes back with the message and the values kept.
    let (status, _, html) = post(
        &seojun,
        format!("/rooms/{id}/polls"),
        vec![
            ("title", "<script>alert(1)</script>".into()),
            ("kind", "days".into()),
            ("from", String::new()),
            ("to", String::new()),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("후보 날짜를 하나 이상 골라 주세요."));
    assert!(
        html.contains("alert(1)") && !html.contains("<script>alert(1)"),
        "escaped, values kept"
    );

    let (status, at, html) = post(
        &seojun,
        format!("/rooms/{id}/polls"),
        vec![
            ("title", "<b>모임</b>".into()),
            ("kind", "days".into()),
            ("from", "2026-12-24".into()),
            ("to", "2026-12-26".into()),
            ("dates", "2026-12-31".into()),
            ("deadline", "2099-12-20T18:00".into()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(at.starts_with(&format!("/rooms/{id}/polls/")));
    assert!(html.contains("모임") && !html.contains("<b>모임"));
    assert!(html.contains("/static/polls.js"));
    assert!(
        html.contains("2099-12-20 18:00"),
        "the deadline is shown in the poll's zone"
    );
    assert_eq!(html.matches("data-day=").count(), 4);
    let pid = at.rsplit('/').next().unwrap().to_owned();

    // Answers without script; the owner confirms from the ranking.
    let (status, _, _) = post(
        &seojun,
        format!("{at}/answers"),
        vec![("a:2026-12-25", "yes".into()), ("a:2026-12-24", "maybe".into())],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, html) = post(
        &seojun,
        format!("{at}/answers"),
        vec![("a:2027-05-05", "yes".into())],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("후보에 없는 날짜예요"));
    let (_, html) = page(&minji, at.clone()).await;
    assert!(html.contains("data-rank=\"2026-12-25\""));
    assert!(
        html.contains("data-confirm=\"2026-12-25\""),
        "the owner sees confirm buttons"
    );
    let (_, html) = page(&seojun, at.clone()).await;
    assert!(!html.contains("data-confirm="), "members do not");
    let (status, _, html) = post(
        &minji,
        format!("{at}/confirm"),
        vec![
            ("key", "2026-12-25".into()),
            ("title", "<b>모임</b> 저녁".into()),
            ("location", String::new()),
            ("memo", String::new()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("data-poll-event"));
    let (_, list) = page(&minji, format!("/rooms/{id}/polls")).await;
    assert!(list.contains(&format!("data-poll-item=\"{pid}\"")));
    let (_, month) = page(&seojun, format!("/rooms/{id}?view=month&date=2026-12-01")).await;
    assert!(
        month.contains("모임") && !month.contains("<b>모임"),
        "the event is in the month view"
    );

    let js = app.http.get(app.url("/static/polls.js")).send().await.unwrap();
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/javascript")
    );
    assert!(js.text().await.unwrap().contains("setInterval(refresh, 2000)"));
}

#[tokio::test]
async fn poll_routes_are_documented_and_need_a_login() {
    let app = TestApp::start().await;
    let doc: Value = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let routes = [
        ("get", "/api/v1/rooms/{id}/polls"),
        ("post", "/api/v1/rooms/{id}/polls"),
        ("get", "/api/v1/rooms/{id}/polls/{pid}"),
        ("delete", "/api/v1/rooms/{id}/polls/{pid}"),
        ("put", "/api/v1/rooms/{id}/polls/{pid}/answers"),
        ("post", "/api/v1/rooms/{id}/polls/{pid}/candidates"),
        ("post", "/api/v1/rooms/{id}/polls/{pid}/confirm"),
    ];
    for (method, path) in routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
        let resp = app
            .http
            .request(
                method.to_uppercase().parse().unwrap(),
                app.url(&path.replace("{id}", "r1").replace("{pid}", "p1")),
            )
            .header("origin", &app.base)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "{method} {path}");
    }
}

async fn memos_of(app: &TestApp, kakao_id: i64) -> Vec<Value> {
    let inbox: Value = app
        .http
        .get(app.url(&format!("/_kakao/_admin/inbox/{kakao_id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["chat"] == "MemoChat")
        .cloned()
        .collect()
}

/// The memos `kakao_id` has once the outbox is done with a confirmed poll's memos. The
/// background worker may be the one sending: wait (bounded) until the memo arrives.
async fn delivered_memos(app: &TestApp, kakao_id: i64) -> Vec<Value> {
    let mut memos = Vec::new();
    for _ in 0..200 {
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        memos = memos_of(app, kakao_id).await;
        if !memos.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    for _ in 0..3 {
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
    }
    if memos.is_empty() {
        memos
    } else {
        memos_of(app, kakao_id).await
    }
}

#[tokio::test]
async fn opted_in_members_get_one_kakaotalk_memo_when_the_poll_is_confirmed() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let (minji, seojun, id) = room_of_two(&app).await;
        let (_, poll) = minji
            .post(
                &format!("/api/v1/rooms/{id}/polls"),
                json!({"title": "등산", "kind": "days", "dates": ["2027-01-09", "2027-01-10"]}),
            )
            .await;
        let at = format!("/api/v1/rooms/{id}/polls/{}", poll["id"].as_str().unwrap());

        // Opting in asks for talk_message just in time; nothing is recorded without it.
        let (status, err) = seojun
            .send(Method::PUT, &format!("{at}/memo"), Some(json!({"on": true})))
            .await;
        assert_eq!(
            (status, err["error"].as_str()),
            (403, Some("consent_required")),
            "{err}"
        );
        assert_eq!(err["scopes"], json!(["talk_message"]));
        assert!(
            err["consent_url"]
                .as_str()
                .unwrap()
                .contains("scope=talk_message")
        );
        app.sandbox_post(
            "/_admin/consent",
            json!({"user_id": SEOJUN, "scopes": ["talk_message"]}),
        )
        .await;
        let (status, body) = seojun
            .send(Method::PUT, &format!("{at}/memo"), Some(json!({"on": true})))
            .await;
        assert_eq!((status, body["memo"].as_bool()), (200, Some(true)));
        let (status, _) = seojun
            .send(Method::PUT, &format!("{at}/memo"), Some(json!({"on": true})))
            .await;
        assert_eq!(status, 200, "opting in twice changes nothing");

        // The owner confirms; the opted-in member gets exactly one memo, the others none.
        let (status, event) = minji
            .post(
                &format!("{at}/confirm"),
                json!({"candidate": "2027-01-10", "title": "등산"}),
            )
            .await;
        assert_eq!(status, 201, "{event}");
        let memos = delivered_memos(&app, SEOJUN).await;
        assert_eq!(memos.len(), 1, "{memos:?}");
        assert!(
            memos[0]["from"].is_null(),
            "a memo is from nobody: it is 나와의 채팅"
        );
        assert!(
            memos[0]["template"]["content"]["title"]
                .as_str()
                .unwrap()
                .contains("등산")
        );
        assert!(memos_of(&app, MINJI).await.is_empty(), "the owner did not opt in");
    }
}

/// Logs `kakao_user` in from a browser whose language is English (Accept-Language only).
async fn login_speaking_english(app: &TestApp, kakao_user: i64) -> User {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        reqwest::header::HeaderValue::from_static("en-US,en;q=0.9"),
    );
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap();
    let resp = client
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": kakao_user}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let landed = client
        .get(app.url("/auth/kakao/login?next=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(landed.url().path(), "/");
    User {
        client,
        base: app.base.clone(),
    }
}

#[tokio::test]
async fn each_poll_memo_speaks_its_receivers_language() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        let (minji, seojun, id) = room_of_two(&app).await;
        // Jiwoo's browser speaks English from the start; Seojun switches with the toggle;
        // Minji never says anything, so she is spoken to in Korean.
        let jiwoo = login_speaking_english(&app, JIWOO).await;
        join(&minji, &jiwoo, &id).await;
        let toggled = seojun
            .client
            .get(app.url("/lang/en?next=/"))
            .send()
            .await
            .unwrap();
        assert_eq!(toggled.status(), 200);

        let (_, poll) = minji
            .post(
                &format!("/api/v1/rooms/{id}/polls"),
                json!({"title": "등산", "kind": "days", "dates": ["2027-01-09", "2027-01-10"]}),
            )
            .await;
        let at = format!("/api/v1/rooms/{id}/polls/{}", poll["id"].as_str().unwrap());
        for (member, kakao_id) in [(&minji, MINJI), (&seojun, SEOJUN), (&jiwoo, JIWOO)] {
            app.sandbox_post(
                "/_admin/consent",
                json!({"user_id": kakao_id, "scopes": ["talk_message"]}),
            )
            .await;
            let (status, body) = member
                .send(Method::PUT, &format!("{at}/memo"), Some(json!({"on": true})))
                .await;
            assert_eq!(status, 200, "{body}");
        }
        // The nudge into the group chat speaks the language of those it names: Seojun and
        // Jiwoo, who have not answered, both use English (Minji, who has, does not count).
        let (status, _) = minji
            .send(
                Method::PUT,
                &format!("{at}/answers"),
                Some(json!({"answers": {"2027-01-10": "yes"}})),
            )
            .await;
        assert_eq!(status, 200);
        let (_, poll) = minji.get(&at).await;
        assert_eq!(poll["nudge"]["lang"], "en", "{poll}");
        let text = poll["nudge"]["text"].as_str().unwrap();
        assert!(
            text.starts_with("⏰ 2 still to answer: ") && text.ends_with("\n등산"),
            "{text}"
        );
        assert_eq!(poll["nudge"]["button"], "Pick the days you can");
        let (status, event) = minji
            .post(
                &format!("{at}/confirm"),
                json!({"candidate": "2027-01-10", "title": "등산"}),
            )
            .await;
        assert_eq!(status, 201, "{event}");

        for (kakao_id, view, not) in [
            (MINJI, "일정 보기", "View schedule"),
            (SEOJUN, "View schedule", "일정 보기"),
            (JIWOO, "View schedule", "일정 보기"),
        ] {
            let memos = delivered_memos(&app, kakao_id).await;
            assert_eq!(memos.len(), 1, "{kakao_id}: {memos:?}");
            let card = memos[0]["template"].to_string();
            assert!(card.contains(view) && !card.contains(not), "{kakao_id}: {card}");
            assert!(card.contains("등산"), "{card}");
        }
    }
}

#[tokio::test]
async fn the_poll_page_opts_in_through_kakaos_consent_screen() {
    let app = TestApp::start().await;
    let (minji, seojun, id) = room_of_two(&app).await;
    let (_, poll) = minji
        .post(
            &format!("/api/v1/rooms/{id}/polls"),
            json!({"title": "저녁", "kind": "days", "dates": ["2027-01-09"]}),
        )
        .await;
    let page = format!("/rooms/{id}/polls/{}", poll["id"].as_str().unwrap());
    let html = seojun
        .client
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-memo-toggle=\"off\""));
    // The checkbox's POST goes to Kakao's consent screen for talk_message…
    let consent = seojun
        .client
        .post(app.url(&format!("{page}/memo")))
        .header("origin", &app.base)
        .form(&[("on", "1")])
        .send()
        .await
        .unwrap();
    let html = consent.text().await.unwrap();
    assert!(
        html.contains("data-scope=\"talk_message\""),
        "Kakao's consent screen"
    );
    let marker = "name=\"pending\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let pending = &html[start..start + html[start..].find('"').unwrap()];
    // …and agreeing comes back to the poll with the memo on.
    let back = seojun
        .client
        .post(app.url("/_kakao/oauth/authorize/consent"))
        .form(&[
            ("pending", pending),
            ("scope", "talk_message"),
            ("action", "agree"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(back.url().path(), page);
    assert!(back.text().await.unwrap().contains("data-memo-toggle=\"on\""));
}
