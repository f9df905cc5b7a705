//! The invite screen and the invitation page (issue #16): one current link per member, shown
//! again rather than minted anew; the owner renews it or turns it off; the invitation names who
//! invites into which room; a logged-out invitee's "log in and join" ends in the room, and a
//! link alone never makes anyone join.

use reqwest::Method;
use serde_json::json;

use crate::common::*;

/// Presses a page's form button (a POST without fields) and follows the redirect, as a
/// browser does: the path it lands on and that page.
async fn press(user: &User, path: &str) -> (String, String) {
    let resp = user
        .client
        .post(format!("{}{path}", user.base))
        .header("origin", &user.base)
        .send()
        .await
        .unwrap();
    (resp.url().path().to_owned(), resp.text().await.unwrap())
}

/// Presses a button whose form asks first, and says yes (`confirm=yes`, as app.js posts it).
async fn press_yes(user: &User, path: &str) -> (String, String) {
    let resp = user
        .client
        .post(format!("{}{path}", user.base))
        .header("origin", &user.base)
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    (resp.url().path().to_owned(), resp.text().await.unwrap())
}

/// The code the invite screen shows.
fn shown_code(html: &str) -> String {
    let start = html.find("data-invite-code>").unwrap() + "data-invite-code>".len();
    html[start..start + 8].to_owned()
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    app.http
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_invite_screen_keeps_one_link_per_member() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let (_, room) = minji.post("/api/v1/rooms", json!({"name": "연말 모임"})).await;
    let id = room["id"].as_str().unwrap().to_owned();
    let invites = format!("/api/v1/rooms/{id}/invites");

    // Looking at the screen makes nothing.
    let screen = minji
        .client
        .get(app.url(&format!("/rooms/{id}/invite")))
        .send()
        .await
        .unwrap();
    assert_eq!(screen.status(), 200);
    assert!(screen.text().await.unwrap().contains("data-no-invite"));
    assert_eq!(minji.get(&invites).await.1["invites"], json!([]));

    // 초대하기 makes a link once; pressing it again shows the same one, with its expiry.
    let (path, html) = press(&minji, &format!("/rooms/{id}/invites")).await;
    assert_eq!(path, format!("/rooms/{id}/invite"));
    let first = shown_code(&html);
    assert!(html.contains("까지 쓸 수 있어요"), "the expiry is shown");
    let (_, again) = press(&minji, &format!("/rooms/{id}/invites")).await;
    assert_eq!(shown_code(&again), first, "the current link, not another");
    assert_eq!(
        minji.get(&invites).await.1["invites"].as_array().unwrap().len(),
        1
    );

    // Once it has run out, the next press makes a new one.
    app.sandbox_post("/_admin/clock", json!({"advance_seconds": 8 * 86_400}))
        .await;
    let (_, later) = press(&minji, &format!("/rooms/{id}/invites")).await;
    let current = shown_code(&later);
    assert_ne!(current, first);

    // A member's link is their own, and only the owner manages links.
    let (status, _) = seojun
        .post(&format!("/api/v1/invites/{current}/accept"), json!({}))
        .await;
    assert_eq!(status, 200);
    let (_, theirs) = press(&seojun, &format!("/rooms/{id}/invites")).await;
    let seojun_code = shown_code(&theirs);
    assert_ne!(seojun_code, current);
    assert!(!theirs.contains("data-renew-invite"));
    let renew = seojun
        .client
        .post(app.url(&format!("/rooms/{id}/invites/renew")))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(renew.status(), 403);

    // The owner swaps her link for a new one, once she has said yes: the old one ends at once.
    let (path, asked) = press(&minji, &format!("/rooms/{id}/invites/renew")).await;
    assert_eq!(
        path,
        format!("/rooms/{id}/invites/renew"),
        "asked first, on a page"
    );
    assert!(asked.contains("새 초대 링크로 바꿀까요?"));
    assert_eq!(
        status_of(&app, &format!("/i/{current}")).await,
        200,
        "nothing changed yet"
    );
    let (_, renewed) = press_yes(&minji, &format!("/rooms/{id}/invites/renew")).await;
    let newest = shown_code(&renewed);
    assert_ne!(newest, current);
    assert_eq!(status_of(&app, &format!("/i/{current}")).await, 410);
    assert_eq!(
        status_of(&app, &format!("/i/{seojun_code}")).await,
        200,
        "others' links live on"
    );

    // And turns it off: the screen offers to make one.
    let (_, asked) = press(&minji, &format!("/rooms/{id}/invites/{newest}/revoke")).await;
    assert!(asked.contains("초대 링크를 끌까요?"));
    assert_eq!(
        status_of(&app, &format!("/i/{newest}")).await,
        200,
        "nothing changed yet"
    );
    let (path, off) = press_yes(&minji, &format!("/rooms/{id}/invites/{newest}/revoke")).await;
    assert_eq!(path, format!("/rooms/{id}/invite"));
    assert!(off.contains("data-no-invite"));
    assert!(off.contains("초대 링크를 없앴어요"), "and says so");
    assert_eq!(status_of(&app, &format!("/i/{newest}")).await, 410);
}

#[tokio::test]
async fn the_invitation_names_who_invites_and_joins_only_when_asked() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let (_, room) = minji
        .post(
            "/api/v1/rooms",
            json!({"name": "연말 모임", "description": "대학 동기들"}),
        )
        .await;
    let id = room["id"].as_str().unwrap().to_owned();
    let (_, html) = press(&minji, &format!("/rooms/{id}/invites")).await;
    let code = shown_code(&html);

    // Logged out: the invitation itself (who, which room, who is in it), not Kakao's login.
    let page = app.http.get(app.url(&format!("/i/{code}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for text in [
        "김민지님이 초대했어요",
        "연말 모임",
        "대학 동기들",
        "멤버 1명",
        "카카오로 로그인하고 참여하기",
        r#"property="og:title" content="김민지님이 초대했어요""#,
    ] {
        assert!(html.contains(text), "{text}");
    }

    // A logged-in visitor who only opens the link is shown it, and is not made a member.
    let jiwoo = app.login(JIWOO).await;
    let opened = jiwoo
        .client
        .get(app.url(&format!("/i/{code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.url().path(), format!("/i/{code}"));
    assert!(opened.text().await.unwrap().contains("data-accept-invite"));
    assert_eq!(jiwoo.get(&format!("/api/v1/rooms/{id}")).await.0, 404);

    // "Log in and join" from logged out: through Kakao's login and on into the room.
    let seojun = app.browser();
    seojun
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": SEOJUN}))
        .send()
        .await
        .unwrap();
    let joined = seojun
        .post(app.url(&format!("/i/{code}/accept")))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(joined.url().path(), format!("/rooms/{id}"));
    let (_, room) = minji.get(&format!("/api/v1/rooms/{id}")).await;
    assert_eq!(room["members"].as_array().unwrap().len(), 2);

    // Ended and unknown links get a page that says which.
    let (status, _) = minji
        .send(
            Method::DELETE,
            &format!("/api/v1/rooms/{id}/invites/{code}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let ended = app.http.get(app.url(&format!("/i/{code}"))).send().await.unwrap();
    assert_eq!(ended.status(), 410);
    let ended = ended.text().await.unwrap();
    assert!(ended.contains(r#"data-invite-gone="expired""#));
    assert!(ended.contains("이 초대는 끝났어요"));
    let unknown = app.http.get(app.url("/i/NOPE2345")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains(r#"data-invite-gone="missing""#)
    );
}

#[tokio::test]
async fn the_example_card_is_a_picture_for_anyone() {
    let app = TestApp::start().await;
    let resp = app
        .http
        .get(app.url("/example.png?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let png = resp.bytes().await.unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // 800×400: the PNG header's width and height.
    assert_eq!(&png[16..24], &[0, 0, 3, 32, 0, 0, 1, 144]);
}
