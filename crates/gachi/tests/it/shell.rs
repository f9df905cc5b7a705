//! The page shell (issue #16): destructive page actions do nothing without `confirm=yes` (they
//! ask with a page instead), every action leaves a one-time toast whose cookie carries only
//! known keys, failed forms come back by post/redirect/get with their values and errors (also
//! after a reload and a language switch), error pages keep the header and session, and the
//! design system's files are served.

use reqwest::header;
use serde_json::json;

use crate::common::{MINJI, SEOJUN, TestApp, User};

async fn form(user: &User, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    user.client
        .post(format!("{}{path}", user.base))
        .header("origin", &user.base)
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn page(user: &User, path: &str) -> (String, String) {
    let resp = user
        .client
        .get(format!("{}{path}", user.base))
        .send()
        .await
        .unwrap();
    let url = resp.url().path().to_owned();
    (url, resp.text().await.unwrap())
}

/// The toast's text on a page (empty when there is none).
fn toast(html: &str) -> String {
    let Some(at) = html.find("data-toast>") else {
        return String::new();
    };
    let rest = &html[at + "data-toast>".len()..];
    rest[..rest.find("</div>").unwrap()].trim().to_owned()
}

#[tokio::test]
async fn destructive_page_actions_ask_first_and_act_only_with_confirm() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "확인 방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    let (_, invite) = minji
        .post(&format!("/api/v1/rooms/{id}/invites"), json!({}))
        .await;
    let code = invite["code"].as_str().unwrap();
    assert_eq!(
        seojun
            .post(&format!("/api/v1/invites/{code}/accept"), json!({}))
            .await
            .0,
        200
    );
    let seojun_id = seojun.id().await;
    let (_, event) = minji
        .post(
            &format!("/api/v1/rooms/{id}/events"),
            json!({"title": "송년회", "all_day": false, "starts_at": "2026-12-19T19:00:00+09:00",
                   "ends_at": "2026-12-19T21:30:00+09:00"}),
        )
        .await;
    let eid = event["id"].as_str().unwrap().to_owned();
    let members = || async {
        minji.get(&format!("/api/v1/rooms/{id}")).await.1["members"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(members().await, 2);
    let feed = app.state.store.feed_token(&id).await.unwrap();

    // Without confirm=yes: a page asking, and nothing done.
    for (user, path, fields) in [
        (&minji, format!("/rooms/{id}/members/{seojun_id}/remove"), vec![]),
        (
            &minji,
            format!("/rooms/{id}/transfer"),
            vec![("user_id", seojun_id.as_str())],
        ),
        (&minji, format!("/rooms/{id}/events/{eid}/delete"), vec![]),
        (&minji, format!("/rooms/{id}/feed/rotate"), vec![]),
        (&minji, format!("/rooms/{id}/delete"), vec![]),
        (&seojun, format!("/rooms/{id}/leave"), vec![]),
        (&minji, "/account/delete".to_owned(), vec![("confirm", "on")]),
    ] {
        let resp = form(user, &path, &fields).await;
        assert_eq!(resp.status(), 200, "{path}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("data-confirm-page"), "{path} asks: {html}");
        assert!(html.contains(r#"name="confirm" value="yes""#), "{path}");
        assert!(
            html.contains(&format!(r#"action="{path}""#)),
            "{path} posts back to itself"
        );
    }
    assert_eq!(members().await, 2, "nobody removed and nobody left");
    let (status, room_now) = minji.get(&format!("/api/v1/rooms/{id}")).await;
    assert_eq!(status, 200, "the room is still there");
    assert_eq!(room_now["role"], "owner", "ownership not handed over");
    assert_eq!(
        minji.get(&format!("/api/v1/rooms/{id}/events/{eid}")).await.0,
        200,
        "the event is still there"
    );
    assert_eq!(
        app.state.store.feed_token(&id).await.unwrap(),
        feed,
        "the feed address is the same"
    );
    assert_eq!(minji.get("/api/v1/me").await.0, 200, "the account is still there");
    // A plain forged-looking post (JSON, no form) does not act either.
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{id}/delete")))
        .header("origin", &app.base)
        .json(&json!({"confirm": "yes"}))
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("data-confirm-page"));
    assert_eq!(minji.get(&format!("/api/v1/rooms/{id}")).await.0, 200);

    // With confirm=yes each acts, lands where the user was, and says so once.
    let resp = form(
        &minji,
        &format!("/rooms/{id}/events/{eid}/delete"),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(resp.url().path(), format!("/rooms/{id}"));
    assert_eq!(resp.url().query(), Some("date=2026-12-19"), "the event's month");
    assert_eq!(toast(&resp.text().await.unwrap()), "일정을 삭제했어요");
    assert_eq!(
        minji.get(&format!("/api/v1/rooms/{id}/events/{eid}")).await.0,
        404
    );
    let (_, again) = page(&minji, &format!("/rooms/{id}")).await;
    assert_eq!(toast(&again), "", "a toast shows once");

    let resp = form(&minji, &format!("/rooms/{id}/feed/rotate"), &[("confirm", "yes")]).await;
    assert_eq!(
        toast(&resp.text().await.unwrap()),
        "캘린더 주소를 새로 만들었어요"
    );
    assert_ne!(app.state.store.feed_token(&id).await.unwrap(), feed);

    let resp = form(
        &minji,
        &format!("/rooms/{id}/members/{seojun_id}/remove"),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(toast(&resp.text().await.unwrap()), "멤버를 내보냈어요");
    assert_eq!(members().await, 1);

    let resp = form(&minji, &format!("/rooms/{id}/delete"), &[("confirm", "yes")]).await;
    assert_eq!(resp.url().path(), "/");
    assert_eq!(toast(&resp.text().await.unwrap()), "공유방을 삭제했어요");
    assert_eq!(minji.get(&format!("/api/v1/rooms/{id}")).await.0, 404);
}

#[tokio::test]
async fn handing_over_and_leaving_say_what_happened() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "넘길 방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    let (_, invite) = minji
        .post(&format!("/api/v1/rooms/{id}/invites"), json!({}))
        .await;
    let resp = form(
        &seojun,
        &format!("/i/{}/accept", invite["code"].as_str().unwrap()),
        &[],
    )
    .await;
    assert_eq!(toast(&resp.text().await.unwrap()), "공유방에 들어왔어요");
    let seojun_id = seojun.id().await;
    let resp = form(
        &minji,
        &format!("/rooms/{id}/transfer"),
        &[("user_id", seojun_id.as_str()), ("confirm", "yes")],
    )
    .await;
    assert_eq!(toast(&resp.text().await.unwrap()), "방장을 넘겼어요");
    assert_eq!(
        seojun.get(&format!("/api/v1/rooms/{id}")).await.1["role"],
        "owner"
    );
    let resp = form(&minji, &format!("/rooms/{id}/leave"), &[("confirm", "yes")]).await;
    assert_eq!(resp.url().path(), "/");
    assert_eq!(toast(&resp.text().await.unwrap()), "공유방에서 나왔어요");
    assert_eq!(minji.get(&format!("/api/v1/rooms/{id}")).await.0, 404);
}

#[tokio::test]
async fn a_flash_cookie_shows_only_known_messages() {
    let app = TestApp::start().await;
    for (value, shown) in [
        ("room_created", "공유방을 만들었어요"),
        ("hacked", ""),
        ("%3Cb%3Ehi%3C%2Fb%3E", ""),
        ("flash-room_created", ""),
    ] {
        let resp = app
            .http
            .get(app.url("/"))
            .header(header::COOKIE, format!("gachi_flash={value}"))
            .send()
            .await
            .unwrap();
        let cleared = resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("gachi_flash=;"));
        assert!(cleared, "{value}: the page clears the cookie");
        let html = resp.text().await.unwrap();
        assert_eq!(toast(&html), shown, "{value}");
        assert!(
            !html.contains("hacked") && !html.contains("<b>hi"),
            "{value} is never reflected"
        );
    }
}

#[tokio::test]
async fn a_failed_event_form_comes_back_after_a_reload_and_in_english() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "폼 방"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    let resp = form(
        &minji,
        &format!("/rooms/{id}/events"),
        &[
            ("title", "늦은 저녁"),
            ("date", "2026-12-24"),
            ("start_time", "21:00"),
            ("end_time", "20:00"),
            ("memo", "아무도 모르게"),
        ],
    )
    .await;
    // Redirected (303) to the form's own GET URL: nothing about the error in it.
    let form_url = format!("/rooms/{id}/events/new");
    assert_eq!(
        (resp.status().as_u16(), resp.url().path()),
        (200, form_url.as_str())
    );
    assert_eq!(resp.url().query(), None);
    let first = resp.text().await.unwrap();
    let (_, reload) = page(&minji, &form_url).await;
    for html in [first, reload] {
        assert!(
            html.contains(r#"value="늦은 저녁""#) && html.contains("아무도 모르게"),
            "values kept"
        );
        assert!(
            html.contains(r#"id="end_time" name="end_time" value="20:00" aria-invalid="true" aria-describedby="end_time-error""#),
            "{html}"
        );
        assert!(
            html.contains(r#"<p class="field-error" id="end_time-error" data-field-error="end_time">끝이 시작보다 앞설 수 없어요.</p>"#),
            "{html}"
        );
    }
    let (landed, html) = page(&minji, &format!("/lang/en?next={}", form_url.replace('/', "%2F"))).await;
    assert_eq!(landed, form_url);
    assert!(html.contains(r#"value="늦은 저녁""#), "still kept in English");
    assert!(
        html.contains(r#"data-field-error="end_time">"#) && !html.contains("끝이 시작보다"),
        "the error in English: {html}"
    );
    page(&minji, "/lang/ko?next=%2F").await;

    // Saved: the kept form is forgotten, and the next new form is fresh.
    let resp = form(
        &minji,
        &format!("/rooms/{id}/events"),
        &[
            ("title", "늦은 저녁"),
            ("date", "2026-12-24"),
            ("start_time", "19:00"),
            ("end_time", "20:00"),
        ],
    )
    .await;
    assert_eq!(resp.url().path(), format!("/rooms/{id}"));
    assert_eq!(toast(&resp.text().await.unwrap()), "일정을 저장했어요");
    let (_, html) = page(&minji, &form_url).await;
    assert!(
        !html.contains("늦은 저녁") && !html.contains("aria-invalid"),
        "a fresh form"
    );
}

#[tokio::test]
async fn room_forms_come_back_with_their_errors() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let long = "가".repeat(61);
    let resp = form(
        &minji,
        "/rooms",
        &[("name", long.as_str()), ("description", "설명은 남아요")],
    )
    .await;
    assert_eq!(resp.url().path(), "/");
    let html = resp.text().await.unwrap();
    assert!(html.contains("설명은 남아요") && html.contains(&long));
    assert!(
        html.contains(r#"data-field-error="name">이름은 60자까지 쓸 수 있어요.</p>"#),
        "{html}"
    );
    let resp = form(&minji, "/rooms", &[("name", "새 방")]).await;
    let room_path = resp.url().path().to_owned();
    let html = resp.text().await.unwrap();
    assert_eq!(toast(&html), "공유방을 만들었어요");
    let (_, home) = page(&minji, "/").await;
    assert!(!home.contains("aria-invalid"), "the kept create form is gone");

    let resp = form(
        &minji,
        &format!("{room_path}/rename"),
        &[("name", " "), ("description", "바뀐 설명")],
    )
    .await;
    assert_eq!(resp.url().path(), room_path);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(r#"id="name" name="name" value=" " maxlength="60" required aria-invalid="true""#),
        "{html}"
    );
    assert!(html.contains("바뀐 설명"));
    let resp = form(
        &minji,
        &format!("{room_path}/rename"),
        &[("name", "바뀐 방"), ("description", "")],
    )
    .await;
    let html = resp.text().await.unwrap();
    assert_eq!(toast(&html), "공유방 정보를 저장했어요");
    assert!(html.contains(r#"value="바뀐 방""#) && !html.contains("aria-invalid"));
}

#[tokio::test]
async fn error_pages_keep_the_header_and_the_session() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let nickname = minji.get("/api/v1/me").await.1["nickname"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in ["/no/such/page", "/rooms/nope"] {
        let resp = minji.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 404);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains(&format!(r#"<span class="me" data-me>{nickname}</span>"#)),
            "{path}: {html}"
        );
        assert!(
            html.contains("data-lang-toggle") && html.contains("/assets/app."),
            "{path}"
        );
    }
    // Logged out: the same header, without a nickname.
    let html = app
        .http
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("app-header") && !html.contains("data-me"));
}

#[tokio::test]
async fn the_design_system_files_are_served() {
    let app = TestApp::start().await;
    let html = app
        .http
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let href = |prefix: &str| {
        let at = html.find(prefix).unwrap();
        html[at..at + html[at..].find('"').unwrap()].to_owned()
    };
    let css = href("/assets/app.");
    let resp = app.http.get(app.url(&css)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{css}");
    assert!(
        resp.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(resp.text().await.unwrap().contains("--accent"));
    let js_at = html.find("<script src=\"").unwrap() + "<script src=\"".len();
    let js = &html[js_at..js_at + html[js_at..].find('"').unwrap()];
    let resp = app.http.get(app.url(js)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{js}");
    assert!(resp.text().await.unwrap().contains("data-confirm"));
    assert_eq!(
        app.http
            .get(app.url("/assets/app.0000.css"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let manifest: serde_json::Value = app
        .http
        .get(app.url("/manifest.webmanifest"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(manifest["short_name"], "같이");
    for icon in manifest["icons"].as_array().unwrap() {
        let resp = app
            .http
            .get(app.url(icon["src"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(
            resp.headers()[header::CONTENT_TYPE],
            icon["type"].as_str().unwrap()
        );
    }
    assert!(html.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(html.contains(r#"name="theme-color""#));
    // The sandbox banner's link is a real sandbox page.
    assert!(html.contains(r#"<a href="/_kakao">"#));
    assert_eq!(
        app.http.get(app.url("/_kakao")).send().await.unwrap().status(),
        200
    );
}
