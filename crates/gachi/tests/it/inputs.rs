//! Input precision (issue #15): the server refuses what `/api/openapi.json` calls invalid and
//! takes what it calls valid, each refusal a clear 4xx in the user's language that loses
//! nothing saved. These are the server behaviours the generated conformance run
//! (`scripts/schemathesis.sh --checks all`) found, pinned down one by one, and the parts of the
//! document that make it exact about them.

use serde_json::{Value, json};

use crate::common::*;

async fn room_of(minji: &User, name: &str) -> String {
    let (status, room) = minji.post("/api/v1/rooms", json!({"name": name})).await;
    assert_eq!(status, 201, "{room}");
    room["id"].as_str().unwrap().to_owned()
}

/// A JSON array where the route takes an object is 400 `bad_json`; serde used to read
/// `[null, null]` as a room update naming nothing, and answer 200.
#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused_and_changes_nothing() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room_of(&minji, "송년회 방").await;
    let room = format!("/api/v1/rooms/{id}");
    for body in [
        json!([null, null]),
        json!(["새 이름", "설명"]),
        json!("송년회"),
        json!(7),
    ] {
        let (status, err) = minji
            .send(reqwest::Method::PATCH, &room, Some(body.clone()))
            .await;
        assert_eq!((status, err["error"].as_str()), (400, Some("bad_json")), "{body}");
        assert_eq!(err["message"], "요청 본문이 올바른 JSON이 아니에요.");
    }
    let (status, err) = minji.post("/api/v1/rooms", json!(["새 방"])).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("bad_json")));
    let (_, saved) = minji.get(&room).await;
    assert_eq!(saved["name"], "송년회 방", "the room is as it was");
    let (_, rooms) = minji.get("/api/v1/rooms").await;
    assert_eq!(rooms["rooms"].as_array().unwrap().len(), 1, "no room was made");
}

/// Handing a room to someone who is not a member is a mistake in the body (422 on
/// `user_id`), not a missing room; the owner stays the owner.
#[tokio::test]
async fn handing_a_room_to_a_non_member_is_a_field_error() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let id = room_of(&minji, "송년회 방").await;
    let owner = format!("/api/v1/rooms/{id}/owner");
    let stranger = seojun.id().await;
    for user_id in [stranger.as_str(), "00000000-0000-4000-8000-000000000000"] {
        let (status, err) = minji.post(&owner, json!({"user_id": user_id})).await;
        assert_eq!(
            (status, err["error"].as_str()),
            (422, Some("validation")),
            "{err}"
        );
        assert_eq!(err["fields"]["user_id"], "그 사용자는 이 방의 멤버가 아니에요.");
    }
    let resp = minji
        .client
        .post(app.url(&owner))
        .header("origin", &app.base)
        .header("accept-language", "en")
        .json(&json!({"user_id": stranger}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(
        err["fields"]["user_id"],
        "That user is not a member of this room."
    );
    let (_, room) = minji.get(&format!("/api/v1/rooms/{id}")).await;
    assert_eq!(room["role"], "owner", "nothing moved");
    assert_eq!(seojun.get(&format!("/api/v1/rooms/{id}")).await.0, 404);
}

/// A day poll has no grid, but a malformed hour is still refused (it used to be dropped
/// silently); `null` and empty optional fields mean their default, as the document says.
#[tokio::test]
async fn poll_hours_are_checked_for_day_polls_and_null_means_default() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room_of(&minji, "송년회 방").await;
    let polls = format!("/api/v1/rooms/{id}/polls");
    for (field, value) in [
        ("start_time", "29:30"),
        ("end_time", "12:15"),
        ("start_time", "점심"),
    ] {
        let mut body = json!({"title": "송년회", "kind": "days", "dates": ["2026-12-24"]});
        body[field] = json!(value);
        let (status, err) = minji.post(&polls, body).await;
        assert_eq!(status, 422, "{field}={value}: {err}");
        assert_eq!(
            err["fields"][field], "시간은 30분 단위로 입력해 주세요 (예: 09:00, 21:30).",
            "{err}"
        );
    }
    let (_, list) = minji.get(&polls).await;
    assert_eq!(list["polls"].as_array().unwrap().len(), 0, "no poll was made");
    let (status, poll) = minji
        .post(
            &polls,
            json!({"title": "송년회", "dates": ["2026-12-24"], "deadline": null, "kind": null,
                   "time_zone": "", "start_time": null, "end_time": "", "location": null}),
        )
        .await;
    assert_eq!(status, 201, "{poll}");
    assert_eq!(poll["kind"], "days");
    assert_eq!(poll["deadline"], Value::Null);
    assert_eq!(poll["time_zone"], "Asia/Seoul");
}

/// `duration_minutes` is a JSON number: `150.0` is 150 minutes like `150`; a fraction is a
/// field error in the user's language (it used to be 400 `bad_json`), and confirms nothing.
#[tokio::test]
async fn a_whole_duration_written_as_a_float_is_taken_and_a_fraction_refused() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room_of(&minji, "송년회 방").await;
    let (status, poll) = minji
        .post(
            &format!("/api/v1/rooms/{id}/polls"),
            json!({"title": "송년회", "kind": "grid", "dates": ["2026-12-24"],
                   "start_time": "18:00", "end_time": "22:00"}),
        )
        .await;
    assert_eq!(status, 201, "{poll}");
    let at = format!("/api/v1/rooms/{id}/polls/{}", poll["id"].as_str().unwrap());
    let confirm = format!("{at}/confirm");
    for minutes in [json!(90.5), json!(1e300)] {
        let (status, err) = minji
            .post(
                &confirm,
                json!({"slot": "2026-12-24T19:30", "duration_minutes": minutes}),
            )
            .await;
        assert_eq!(
            (status, err["error"].as_str()),
            (422, Some("validation")),
            "{err}"
        );
        assert_eq!(
            err["fields"]["duration_minutes"],
            "일정 길이는 분 단위의 정수로 적어 주세요 (예: 90)."
        );
    }
    let (_, still) = minji.get(&at).await;
    assert_eq!(still["open"], true, "nothing was confirmed");
    let (status, event) = minji
        .post(
            &confirm,
            json!({"slot": "2026-12-24T19:30", "duration_minutes": 150.0}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    assert_eq!(event["starts_at"], "2026-12-24T19:30:00+09:00");
    assert_eq!(event["ends_at"], "2026-12-24T22:00:00+09:00");
}

/// Every string a client sends is constrained in the document the way the server reads it:
/// query values and nested keys and items refuse control characters, zones are the server's
/// own list, and optional fields the server takes as `null` say so.
#[tokio::test]
async fn the_document_states_what_the_server_refuses() {
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
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let s = &p["schema"];
                let text = s.to_string();
                assert!(
                    text.contains("pattern") || text.contains("enum") || text.contains("format"),
                    "{method} {path} ?{}: {s}",
                    p["name"]
                );
            }
        }
    }
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas["PollInput"]["properties"]["deadline"]
            .to_string()
            .contains("\"null\""),
        "a poll's deadline may be null"
    );
    let zones = schemas["EventInput"]["properties"]["time_zone"].to_string();
    assert!(zones.contains("\"Asia/Seoul\"") && zones.contains("\"America/Los_Angeles\""));
    assert!(!zones.contains("\"Mars/Olympus\""));
    assert!(schemas["AnswersInput"]["properties"]["answers"]["propertyNames"]["pattern"].is_string());
    assert!(schemas["ResendInput"]["properties"]["uuids"]["items"]["pattern"].is_string());
    assert_eq!(
        schemas["ConfirmInput"]["properties"]["duration_minutes"]["maximum"],
        1440
    );
    assert_eq!(
        doc["paths"]["/api/v1/rooms/{id}/events/{eid}/image.png"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["id", "eid", "size"],
        "an event's card takes no layout, event or date"
    );
}

/// A share whose body names an event the room does not have is 422 on `event_id` (it was
/// 404 `event_not_found`, which read as the room itself being gone).
#[tokio::test]
async fn sharing_an_event_the_room_does_not_have_is_a_field_error() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let id = room_of(&minji, "송년회 방").await;
    let shares = format!("/api/v1/rooms/{id}/shares");
    for event_id in ["00000000-0000-4000-8000-000000000000", " 없는 일정"] {
        let (status, err) = minji
            .post(
                &shares,
                json!({"channel": "link", "layout": "card", "event_id": event_id}),
            )
            .await;
        assert_eq!(
            (status, err["error"].as_str()),
            (422, Some("validation")),
            "{err}"
        );
        assert_eq!(err["fields"]["event_id"], "일정을 찾을 수 없어요.");
    }
    let (status, share) = minji
        .post(
            &shares,
            json!({"channel": "link", "layout": "week", "date": "2026-12-21"}),
        )
        .await;
    assert_eq!(status, 201, "a good share still goes: {share}");
}
