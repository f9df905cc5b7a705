//! Rooms and invitations through the JSON API, on every backend.

use reqwest::Method;
use serde_json::json;

use crate::common::*;

async fn story(app: &TestApp) {
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let jiwoo = app.login(JIWOO).await;

    let (status, room) = minji
        .post(
            "/api/v1/rooms",
            json!({"name": " 연말 모임 ", "description": "대학 동기들"}),
        )
        .await;
    assert_eq!(status, 201, "{room}");
    assert_eq!(room["name"], "연말 모임");
    assert_eq!(room["role"], "owner");
    assert_eq!(room["members"].as_array().unwrap().len(), 1);
    let id = room["id"].as_str().unwrap().to_owned();

    // Invitation: a code, a link and a QR code; another user joins with the code.
    let (status, invite) = minji
        .post(&format!("/api/v1/rooms/{id}/invites"), json!({}))
        .await;
    assert_eq!(status, 201);
    let code = invite["code"].as_str().unwrap().to_owned();
    assert!((6..=8).contains(&code.len()));
    assert_eq!(invite["url"], app.url(&format!("/i/{code}")));
    let qr = minji
        .client
        .get(app.url(&format!("/i/{code}/qr.svg")))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));

    assert_eq!(
        seojun.get(&format!("/api/v1/rooms/{id}")).await.0,
        404,
        "not a member yet"
    );
    let (status, joined) = seojun
        .post(
            &format!("/api/v1/invites/{}/accept", code.to_lowercase()),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "codes are case-insensitive: {joined}");
    assert_eq!(joined["role"], "member");
    let (_, again) = seojun
        .post(&format!("/api/v1/invites/{code}/accept"), json!({}))
        .await;
    assert_eq!(
        again["members"].as_array().unwrap().len(),
        2,
        "joining twice changes nothing"
    );
    let (_, list) = seojun.get("/api/v1/rooms").await;
    assert_eq!(list["rooms"][0]["id"], id.as_str());

    // Members cannot rename or delete; the owner can.
    let (status, body) = seojun
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}"),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
    let (status, renamed) = minji
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}"),
            Some(json!({"name": "송년회"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (renamed["name"].as_str(), renamed["description"].as_str()),
        (Some("송년회"), Some("대학 동기들"))
    );

    // Hand the room over; the old owner may then leave; the owner may not.
    let seojun_id = seojun.id().await;
    let minji_id = minji.id().await;
    let (status, _) = minji
        .send(
            Method::DELETE,
            &format!("/api/v1/rooms/{id}/members/{minji_id}"),
            None,
        )
        .await;
    assert_eq!(status, 409, "the owner must hand over first");
    let (status, handed) = minji
        .post(
            &format!("/api/v1/rooms/{id}/owner"),
            json!({"user_id": seojun_id}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(handed["role"], "member");
    assert_eq!(
        minji
            .send(
                Method::DELETE,
                &format!("/api/v1/rooms/{id}/members/{minji_id}"),
                None
            )
            .await
            .0,
        204
    );
    assert_eq!(
        minji.get(&format!("/api/v1/rooms/{id}")).await.0,
        404,
        "gone after leaving"
    );

    // The new owner removes a member.
    jiwoo
        .post(&format!("/api/v1/invites/{code}/accept"), json!({}))
        .await;
    let jiwoo_id = jiwoo.id().await;
    assert_eq!(
        seojun
            .send(
                Method::DELETE,
                &format!("/api/v1/rooms/{id}/members/{jiwoo_id}"),
                None
            )
            .await
            .0,
        204
    );
    assert_eq!(jiwoo.get(&format!("/api/v1/rooms/{id}")).await.0, 404);

    // Delete: gone for everyone, and so is its invitation.
    assert_eq!(
        seojun
            .send(Method::DELETE, &format!("/api/v1/rooms/{id}"), None)
            .await
            .0,
        204
    );
    assert_eq!(seojun.get(&format!("/api/v1/rooms/{id}")).await.0, 404);
    let (status, body) = jiwoo
        .post(&format!("/api/v1/invites/{code}/accept"), json!({}))
        .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("invite_not_found")));
}

#[tokio::test]
async fn rooms_and_invitations_on_every_backend() {
    for url in database_urls().await {
        let app = TestApp::start_on(url).await;
        story(&app).await;
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_loses_nothing() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "보존될 방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();

    let (status, body) = minji.post("/api/v1/rooms", json!({"name": "   "})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "validation");
    assert_eq!(body["fields"]["name"], "이름을 입력해 주세요.");
    let (status, body) = minji
        .post("/api/v1/rooms", json!({"name": "가".repeat(10_000)}))
        .await;
    assert_eq!(
        (status, body["fields"]["name"].as_str()),
        (422, Some("이름은 60자까지 쓸 수 있어요."))
    );
    let (status, body) = minji
        .send(
            Method::PATCH,
            &format!("/api/v1/rooms/{id}"),
            Some(json!({"name": ""})),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    let resp = minji
        .client
        .post(app.url("/api/v1/rooms"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .header("accept-language", "en-US,en")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "bad_json");
    assert_eq!(body["message"], "The request body is not valid JSON.");

    let (status, body) = minji.post("/api/v1/invites/NOPE2345/accept", json!({})).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("invite_not_found")));
    let huge = "x".repeat(100_000);
    let (status, _) = minji.post("/api/v1/rooms", json!({"name": huge})).await;
    assert_eq!(status, 413);

    // Nothing of that touched the saved room.
    let (status, room) = minji.get(&format!("/api/v1/rooms/{id}")).await;
    assert_eq!((status, room["name"].as_str()), (200, Some("보존될 방")));
    let (_, list) = minji.get("/api/v1/rooms").await;
    assert_eq!(list["rooms"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_pages_create_show_and_join_rooms() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let resp = minji
        .client
        .post(app.url("/rooms"))
        .header("origin", &app.base)
        .form(&[
            ("name", "<script>alert(1)</script>"),
            ("description", "\"따옴표\" & 꺾쇠 <b>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "redirected to the new room");
    let room_path = resp.url().path().to_owned();
    assert!(room_path.starts_with("/rooms/"));
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;") || html.contains("&lt;script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("data-sandbox-banner"),
        "sandbox banner on every page"
    );

    let resp = minji
        .client
        .post(app.url(&format!("{room_path}/invites")))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    let html = resp.text().await.unwrap();
    let start = html.find("data-invite-code>").unwrap() + "data-invite-code>".len();
    let code = html[start..start + 8].to_owned();

    // A visitor with Kakao's session but no Gachi one sees the invitation; its button goes
    // through login and on into the room.
    let seojun = app.browser();
    seojun
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": SEOJUN}))
        .send()
        .await
        .unwrap();
    let invite = seojun.get(app.url(&format!("/i/{code}"))).send().await.unwrap();
    assert_eq!(invite.url().path(), format!("/i/{code}"));
    let html = invite.text().await.unwrap();
    assert!(html.contains("data-accept-invite"));
    let joined = seojun
        .post(app.url(&format!("/i/{code}/accept")))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(joined.url().path(), room_path);
    assert!(joined.text().await.unwrap().contains("이서준"));
}
