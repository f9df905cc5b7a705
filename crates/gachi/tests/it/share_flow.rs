//! Issue #17, sharing feels like one tap: the share page opens without any consent screen
//! (Talk Share, download and the link never ask), a send that needs consent says so first and
//! comes back to the same picks to finish; the page offers the next event first; the public
//! page and the card's second button know a member from a newcomer; a member missing from the
//! friend list gets a full link that takes them straight to the consent they lack.

use serde_json::{Value, json};

use crate::common::{MINJI, SEOJUN, TestApp, User, join};

async fn room_with(owner: &User, name: &str, events: &[(&str, &str)]) -> (String, Vec<String>) {
    let (status, room) = owner.post("/api/v1/rooms", json!({"name": name})).await;
    assert_eq!(status, 201, "{room}");
    let room_id = room["id"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for (title, day) in events {
        let (status, event) = owner
            .post(
                &format!("/api/v1/rooms/{room_id}/events"),
                json!({"title": title, "all_day": false, "starts_at": format!("{day}T19:00:00+09:00"),
                       "ends_at": format!("{day}T21:00:00+09:00")}),
            )
            .await;
        assert_eq!(status, 201, "{event}");
        ids.push(event["id"].as_str().unwrap().to_owned());
    }
    (room_id, ids)
}

async fn uuid_of(app: &TestApp, user: i64) -> String {
    let users: Value = app
        .http
        .get(app.url("/_kakao/_admin/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == user)
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn page(user: &User, path: &str) -> (u16, String, String) {
    let resp = user
        .client
        .get(format!("{}{path}", user.base))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let landed = resp.url().path().to_owned();
    (status, landed, resp.text().await.unwrap())
}

/// The value of `attr` on the first element carrying `marker` (a plain-text scan).
fn attr_near(html: &str, marker: &str, attr: &str) -> Option<String> {
    let at = html.find(marker)?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let key = format!("{attr}=\"");
    let from = tag.find(&key)? + key.len();
    let to = from + tag[from..].find('"')?;
    Some(
        tag[from..to]
            .replace("&#38;", "&")
            .replace("&amp;", "&")
            .replace("&#x2f;", "/"),
    )
}

#[tokio::test]
async fn the_share_page_opens_without_consent_and_a_send_asks_for_exactly_what_it_lacks() {
    let app = TestApp::start().await;
    // The demo owner has agreed to `friends`, not to `talk_message`.
    let minji = app.login(MINJI).await;
    let (room_id, _) = room_with(&minji, "방", &[("송년회", "2026-12-24")]).await;
    let seojun = uuid_of(&app, SEOJUN).await;

    // Opening the page asks nothing: it is the page, picks kept, with the one sentence that
    // says what the first send will ask.
    let picks = format!("/rooms/{room_id}/share?layout=month&date=2026-12&to={seojun}");
    let (status, landed, html) = page(&minji, &picks).await;
    assert_eq!(status, 200);
    assert_eq!(landed, format!("/rooms/{room_id}/share"));
    assert!(
        html.contains(&format!("value=\"{seojun}\" checked")),
        "the pick is kept"
    );
    let note = html.find("data-consent-note=\"friends\">").expect("the sentence");
    assert!(
        html[note..].starts_with("data-consent-note=\"friends\">처음 보낼 때"),
        "shown, not hidden"
    );
    assert!(
        !html.contains("data-consent-needed"),
        "friends are agreed: the list shows"
    );

    // Talk Share and the link need no consent.
    for channel in ["talk_share", "link"] {
        let (status, share) = minji
            .post(
                &format!("/api/v1/rooms/{room_id}/shares"),
                json!({"layout": "month", "date": "2026-12", "channel": channel}),
            )
            .await;
        assert_eq!(status, 201, "{channel}: {share}");
    }
    // So is the download.
    let resp = minji
        .client
        .get(app.url(&format!(
            "/api/v1/rooms/{room_id}/image.png?layout=month&date=2026-12"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // Sending to friends asks for talk_message only, and comes back to the same picks to
    // finish the send.
    let (status, err) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "month", "date": "2026-12", "channel": "friends", "receiver_uuids": [seojun]}),
        )
        .await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["scopes"], json!(["talk_message"]));
    let consent_url = err["consent_url"].as_str().unwrap();
    let next: String = url::form_urlencoded::parse(consent_url.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert_eq!(
        next,
        format!("/rooms/{room_id}/share?layout=month&date=2026-12&channel=friends&to={seojun}&send=1")
    );
    // The way there is Kakao's consent screen for talk_message.
    let resp = minji.client.get(app.url(consent_url)).send().await.unwrap();
    assert!(resp.url().path().ends_with("/oauth/authorize"), "{}", resp.url());
    let query: std::collections::HashMap<String, String> = resp.url().query_pairs().into_owned().collect();
    assert_eq!(query["scope"], "openid,talk_message");

    // Without script the form does the same.
    let resp = minji
        .client
        .post(app.url(&format!("/rooms/{room_id}/share")))
        .header("origin", &app.base)
        .form(&[
            ("layout", "month"),
            ("date", "2026-12"),
            ("channel", "friends"),
            ("to", &seojun),
        ])
        .send()
        .await
        .unwrap();
    assert!(resp.url().path().ends_with("/oauth/authorize"), "{}", resp.url());

    // Agreed (as the consent screen would), the way back shows the picks and finishes the send.
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let (status, _, html) = page(&minji, &next).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-resume-send=\"friends\""));
    assert!(html.contains(&format!("value=\"{seojun}\" checked")));
    assert!(
        html.contains("data-consent-note=\"friends\" hidden"),
        "nothing left to ask"
    );
    // "To me" comes back the same way.
    let (_, _, html) = page(
        &minji,
        &format!("/rooms/{room_id}/share?layout=month&date=2026-12&channel=memo&send=1"),
    )
    .await;
    assert!(html.contains("data-resume-send=\"memo\""));
    // Reloaded without the mark, it sends nothing.
    let (_, _, html) = page(&minji, &picks).await;
    assert!(html.contains("data-resume-send=\"\""));
}

#[tokio::test]
async fn without_friends_the_picker_explains_and_asks_once_for_everything_sending_needs() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    app.sandbox_post("/_admin/revoke", json!({"user_id": MINJI, "scopes": ["friends"]}))
        .await;
    let (room_id, _) = room_with(&minji, "방", &[]).await;
    let (status, _, html) = page(&minji, &format!("/rooms/{room_id}/share?layout=week")).await;
    assert_eq!(status, 200, "the page, not Kakao");
    assert!(html.contains("data-consent-needed=\"friends\""));
    assert!(
        html.contains("‘친구 목록’과 ‘메시지 보내기’"),
        "the sentence says what and why"
    );
    let url = attr_near(&html, "data-consent-link", "href").unwrap();
    assert!(
        url.starts_with("/auth/kakao/login?scope=friends%2Ctalk_message&next="),
        "{url}"
    );
    assert!(!html.contains("data-friends>"), "no friend list to show yet");
}

#[tokio::test]
async fn the_page_offers_the_next_event_first_and_says_dates_in_words() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let now: Value = app
        .http
        .get(app.url("/_kakao/_admin/clock"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let today = now["now"]
        .as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap()
        .in_tz("Asia/Seoul")
        .unwrap()
        .date();
    let day = |n: i64| (today + jiff::Span::new().days(n)).to_string();
    let (d1, d2) = (day(-3), day(12));
    let (room_id, ids) = room_with(&minji, "방", &[("지난 모임", &d1), ("다음 모임", &d2)]).await;
    let (status, _, html) = page(&minji, &format!("/rooms/{room_id}/share")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-layout=\"card\""), "an event card first");
    assert!(
        html.contains(&format!("data-event=\"{}\"", ids[1])),
        "the next event, not the past one"
    );
    // The picker names each event's day in words.
    let option = html
        .find(&format!("<option value=\"{}\"", ids[1]))
        .map(|at| &html[at..at + html[at..].find("</option>").unwrap()])
        .unwrap();
    assert!(
        option.contains("다음 모임") && option.contains('월') && option.contains('일'),
        "{option}"
    );
    assert!(!option.contains(&d2), "no ISO date: {option}");
    // A room with nothing planned shows its week.
    let (other, _) = room_with(&minji, "지난 방", &[]).await;
    let (_, _, html) = page(&minji, &format!("/rooms/{other}/share")).await;
    assert!(
        html.contains("data-layout=\"week\""),
        "nothing planned: this week"
    );
}

#[tokio::test]
async fn the_public_page_and_the_cards_second_button_lead_a_member_in_and_invite_a_newcomer() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    let seojun = app.login(SEOJUN).await;
    let jiwoo = app.login(crate::common::JIWOO).await;
    let (room_id, ids) = room_with(&minji, "등산 모임", &[("북한산", "2026-12-24")]).await;
    join(&minji, &seojun, &room_id).await;
    let (status, share) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "card", "event_id": ids[0], "channel": "link"}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    let public_path = share["public_url"]
        .as_str()
        .unwrap()
        .strip_prefix(&app.base)
        .unwrap()
        .to_owned();

    // A member: no offer to join, the way to the event instead.
    let (_, _, html) = page(&seojun, &public_path).await;
    assert!(
        !html.contains("data-join-room"),
        "a member is not offered to join"
    );
    let open = attr_near(&html, "data-open-room", "href").unwrap();
    assert_eq!(open, format!("/rooms/{room_id}/events/{}", ids[0]));
    let (_, landed, _) = page(&seojun, &format!("{public_path}/join")).await;
    assert_eq!(
        landed,
        format!("/rooms/{room_id}/events/{}", ids[0]),
        "the card's button too"
    );

    // A logged-in newcomer and someone without a session are offered to join.
    let (_, _, html) = page(&jiwoo, &public_path).await;
    assert!(html.contains("data-join-room") && !html.contains("data-open-room"));
    let resp = app.http.get(app.url(&public_path)).send().await.unwrap();
    assert!(resp.text().await.unwrap().contains("data-join-room"));
    let resp = app
        .http
        .get(app.url(&format!("{public_path}/join")))
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["location"].to_str().unwrap().starts_with("/i/"));

    // A week share names the room once (its title already says it).
    let (_, share) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "week", "date": "2026-12-24", "channel": "link"}),
        )
        .await;
    let (_, _, html) = page(
        &seojun,
        share["public_url"]
            .as_str()
            .unwrap()
            .strip_prefix(&app.base)
            .unwrap(),
    )
    .await;
    assert!(
        !html.contains("data-public-room"),
        "the title says the room already"
    );
    assert_eq!(
        attr_near(&html, "data-open-room", "href").unwrap(),
        format!("/rooms/{room_id}")
    );
}

#[tokio::test]
async fn a_missing_member_gets_a_full_link_that_takes_them_to_the_friends_consent() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let seojun = app.login(SEOJUN).await;
    let (room_id, _) = room_with(&minji, "방", &[]).await;
    join(&minji, &seojun, &room_id).await;
    app.sandbox_post(
        "/_admin/revoke",
        json!({"user_id": SEOJUN, "scopes": ["friends"]}),
    )
    .await;
    let seojun_id = seojun.id().await;

    let (_, _, html) = page(&minji, &format!("/rooms/{room_id}/share?layout=week")).await;
    let at = html
        .find(&format!("data-missing=\"{seojun_id}\""))
        .expect("listed as missing");
    let link = attr_near(&html[at..], "data-member-consent-link", "value").unwrap();
    assert_eq!(
        link,
        format!(
            "{}/auth/kakao/login?scope=friends&next=%2Frooms%2F{room_id}",
            app.base
        ),
        "a full link the owner can send"
    );
    assert_eq!(
        attr_near(&html[at..], "data-copy-ask", "data-copy-ask").unwrap(),
        link
    );

    // 서준 opens it in a browser with no Gachi session, only his Kakao one: Kakao asks him for
    // `friends`, and agreeing brings him to the room.
    let browser = app.browser();
    browser
        .post(app.url("/_kakao/_admin/session"))
        .json(&json!({"user_id": SEOJUN}))
        .send()
        .await
        .unwrap();
    let resp = browser.get(&link).send().await.unwrap();
    assert!(resp.url().path().ends_with("/oauth/authorize"), "{}", resp.url());
    let query: std::collections::HashMap<String, String> = resp.url().query_pairs().into_owned().collect();
    assert_eq!(query["scope"], "openid,friends");
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("data-scope=\"friends\""),
        "the consent screen asks for friends"
    );
}
