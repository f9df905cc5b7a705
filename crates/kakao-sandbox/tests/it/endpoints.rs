//! Kakao's documented endpoints the sandbox lacked before issue #21: image scrap, the scrap
//! sends, the admin user lists, manual sign-up and user properties, the KakaoTalk profile, and
//! Talk Calendar's sub-calendars, guest updates and holidays. Bodies pinned as literals.

use serde_json::{Value, json};

use crate::common::*;

async fn call(
    env: &Env,
    method: reqwest::Method,
    path: &str,
    auth: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut req = env
        .http
        .request(method.clone(), format!("{}{path}", env.base))
        .header("authorization", auth);
    req = if method == reqwest::Method::GET {
        req.query(form)
    } else {
        req.form(form)
    };
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn image_scrap_reads_sandbox_and_loopback_images() {
    let env = start().await;
    let key = format!("KakaoAK {}", env.app.javascript_key);
    let post = reqwest::Method::POST;
    let picture = format!("{}/_sandbox/avatar/4000000002/img_640x640.jpg", env.base);
    let (status, body) = call(
        &env,
        post.clone(),
        "/v2/api/talk/message/image/scrap",
        &key,
        &[("image_url", &picture)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let original = &body["infos"]["original"];
    assert_eq!(
        (
            original["content_type"].clone(),
            original["width"].clone(),
            original["height"].clone()
        ),
        (json!("image/jpeg"), json!(640), json!(640))
    );
    // The scrapped copy is served like an upload.
    let copy = env
        .http
        .get(original["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(copy.headers()["content-type"], "image/jpeg");

    assert_eq!(
        call(&env, post.clone(), "/v2/api/talk/message/image/scrap", &key, &[]).await,
        (
            400,
            json!({"msg":"The Parameter [image_url] cannot be null.","code":-2})
        )
    );
    assert_eq!(
        call(
            &env,
            post.clone(),
            "/v2/api/talk/message/image/scrap",
            &key,
            &[("image_url", "https://example.com/a.jpg")]
        )
        .await,
        (
            400,
            json!({"msg":"image_url is not reachable from the sandbox: it fetches only its own and loopback URLs.","code":-2})
        )
    );
    // A loopback page that is not an image: Kakao's -911.
    let page = format!(
        "{}/.well-known/jwks.json",
        env.base.replace("127.0.0.1", "localhost")
    );
    assert_eq!(
        call(
            &env,
            post,
            "/v2/api/talk/message/image/scrap",
            &key,
            &[("image_url", &page)]
        )
        .await,
        (
            400,
            json!({"msg":"unsupported image format. (jpg, png and gif only)","code":-911})
        )
    );
}

#[tokio::test]
async fn scrap_messages_go_to_me_and_to_friends() {
    let env = start().await;
    let sender = env.login(4_000_000_001, &["talk_message"]).await;
    let token = sender.tokens.access_token.clone();
    let page = "http://127.0.0.1:8080/s/abc"; // a registered JavaScript SDK domain of the demo app
    assert_eq!(
        raw_post(
            &env,
            "/v2/api/talk/memo/scrap/send",
            &token,
            &[("request_url", page)]
        )
        .await,
        (200, json!({"result_code":0}))
    );
    let mine = inbox(&env, 4_000_000_001).await;
    assert_eq!(mine[0]["template"]["request_url"], page);
    assert_eq!(mine[0]["chat"], "MemoChat");

    assert_eq!(
        raw_post(&env, "/v2/api/talk/memo/scrap/send", &token, &[]).await,
        (
            400,
            json!({"msg":"The Parameter [request_url] cannot be null.","code":-2})
        )
    );
    assert_eq!(
        raw_post(
            &env,
            "/v2/api/talk/memo/scrap/send",
            &token,
            &[("request_url", "https://elsewhere.example/")]
        )
        .await,
        (
            400,
            json!({"msg":"request_url's domain [https://elsewhere.example] is not a registered web domain of the app.","code":-2})
        )
    );

    let users = env.admin_get("/_admin/users").await;
    let uuid = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == 4_000_000_002i64)
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let receivers = format!(r#"["{uuid}"]"#);
    assert_eq!(
        raw_post(
            &env,
            "/v1/api/talk/friends/message/scrap/send",
            &token,
            &[("receiver_uuids", receivers.as_str()), ("request_url", page)],
        )
        .await,
        (200, json!({"successful_receiver_uuids":[uuid]}))
    );
    let theirs = inbox(&env, 4_000_000_002).await;
    assert_eq!(theirs[0]["template"]["request_url"], page);
    assert_eq!(theirs[0]["from"], 4_000_000_001i64);
}

#[tokio::test]
async fn the_admin_key_lists_user_ids_and_reads_users() {
    let env = start().await;
    let admin = format!("KakaoAK {}", env.app.admin_key);
    let get = reqwest::Method::GET;
    let (status, page) = call(&env, get.clone(), "/v1/user/ids", &admin, &[("limit", "2")]).await;
    assert_eq!(status, 200);
    assert_eq!(
        page,
        json!({"elements":[4000000001i64, 4000000002i64], "before_url": null,
               "after_url": format!("{}/v1/user/ids?limit=2&order=asc&from_id=4000000003", env.base)})
    );
    let (_, last) = call(
        &env,
        get.clone(),
        "/v1/user/ids",
        &admin,
        &[("limit", "2"), ("from_id", "4000000005")],
    )
    .await;
    assert_eq!(
        last,
        json!({"elements":[4000000005i64], "after_url": null,
               "before_url": format!("{}/v1/user/ids?limit=2&order=desc&from_id=4000000004", env.base)})
    );
    let login = env.login(4_000_000_001, &["openid"]).await;
    let bearer = format!("Bearer {}", login.tokens.access_token);
    assert_eq!(
        call(&env, get.clone(), "/v1/user/ids", &bearer, &[]).await,
        (
            401,
            json!({"msg":"wrong appKey format or this appKey is not an admin key.","code":-401})
        )
    );

    let users = call(
        &env,
        get.clone(),
        "/v2/app/users",
        &admin,
        &[
            ("target_id_type", "user_id"),
            ("target_ids", "[4000000001,4000000002]"),
        ],
    )
    .await
    .1;
    let list = users.as_array().expect("a top-level array by default");
    assert_eq!(list.len(), 2);
    let mut keys: Vec<&String> = list[0].as_object().unwrap().keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["connected_at", "id"]);
    let (_, with_props) = call(
        &env,
        get.clone(),
        "/v2/app/users",
        &admin,
        &[
            ("target_id_type", "user_id"),
            ("target_ids", "[4000000003]"),
            ("property_keys", r#"["properties.nickname"]"#),
        ],
    )
    .await;
    assert_eq!(with_props[0]["properties"], json!({"nickname":"박지우"}));
    env.put_app(json!({"settings": {"app_users_as_elements": true}}))
        .await;
    let (_, wrapped) = call(
        &env,
        get,
        "/v2/app/users",
        &admin,
        &[("target_id_type", "user_id"), ("target_ids", "[4000000003]")],
    )
    .await;
    assert_eq!(wrapped["elements"][0]["id"], 4_000_000_003i64);
}

#[tokio::test]
async fn user_properties_and_manual_sign_up() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let token = login.tokens.access_token.clone();
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/update_profile",
            &token,
            &[("properties", r#"{"grade":"A"}"#)]
        )
        .await,
        (400, json!({"msg":"invalid property key: grade","code":-201}))
    );
    env.put_app(json!({"user_properties": ["grade"]})).await;
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/update_profile",
            &token,
            &[("properties", r#"{"grade":"A"}"#)]
        )
        .await,
        (200, json!({"id": 4000000001i64}))
    );
    let me = env.client.user_me(&login.access()).await.unwrap();
    let raw = serde_json::to_value(&me).unwrap();
    assert_eq!(raw["properties"]["nickname"], "김민지");
    let (_, me) = bearer_get(&env, "/v2/user/me", &token).await;
    assert_eq!(me["properties"]["grade"], "A");
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/update_profile",
            &token,
            &[("properties", r#"{"nickname":"x"}"#)]
        )
        .await,
        (
            400,
            json!({"msg":"[nickname] is a default property and cannot be updated.","code":-201})
        )
    );
    // Under auto-link (Kakao's default) every user is already signed up.
    assert_eq!(
        raw_post(&env, "/v1/user/signup", &token, &[]).await,
        (400, json!({"msg":"already registered user.","code":-102}))
    );

    // Auto-link off: only the sign-up call completes sign-up.
    env.put_app(json!({"settings": {"auto_link": false}})).await;
    let (late, _) = env.new_user("가입안함").await;
    let (joined, _) = env.new_user("가입함").await;
    let late_login = env.login(late, &["openid"]).await;
    let joined_login = env.login(joined, &["openid"]).await;
    let (_, me) = bearer_get(&env, "/v2/user/me", &late_login.tokens.access_token).await;
    assert_eq!(me["has_signed_up"], false);
    assert_eq!(
        raw_post(
            &env,
            "/v1/user/signup",
            &joined_login.tokens.access_token,
            &[("properties", r#"{"grade":"B"}"#)]
        )
        .await,
        (200, json!({"id": joined}))
    );
    let (_, me) = bearer_get(&env, "/v2/user/me", &joined_login.tokens.access_token).await;
    assert_eq!(
        (me["has_signed_up"].clone(), me["properties"]["grade"].clone()),
        (json!(true), json!("B"))
    );
    let ran = env.advance(24 * 3600).await;
    assert_eq!(ran["ran"].as_array().unwrap().len(), 1, "{ran}");
    assert_eq!(ran["ran"][0]["user_id"], late);
}

#[tokio::test]
async fn the_kakaotalk_profile_uses_kakaotalks_field_names() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let (status, body) = bearer_get(&env, "/v1/api/talk/profile", &login.tokens.access_token).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"nickName":"김민지",
               "profileImageURL": format!("{}/_sandbox/avatar/4000000001/img_640x640.jpg", env.base),
               "thumbnailURL": format!("{}/_sandbox/avatar/4000000001/img_110x110.jpg", env.base),
               "countryISO":"KR"})
    );
    let resp = env
        .http
        .patch(format!("{}/_admin/users/4000000001", env.base))
        .json(&json!({"talk_user": false}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(
        bearer_get(&env, "/v1/api/talk/profile", &login.tokens.access_token).await,
        (400, json!({"msg":"NotKakaoTalkUserException","code":-501}))
    );
}

#[tokio::test]
async fn talk_calendar_sub_calendars_guest_updates_and_holidays() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["talk_calendar"]).await;
    let bearer = format!("Bearer {}", login.tokens.access_token);
    let (post, get, delete) = (
        reqwest::Method::POST,
        reqwest::Method::GET,
        reqwest::Method::DELETE,
    );
    let mut ids = Vec::new();
    for name in ["가족", "동아리", "회사"] {
        let (status, body) = call(
            &env,
            post.clone(),
            "/v2/api/calendar/create/calendar",
            &bearer,
            &[("name", name), ("color", "RED")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        ids.push(body["calendar_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        call(
            &env,
            post.clone(),
            "/v2/api/calendar/create/calendar",
            &bearer,
            &[("name", "넷째")]
        )
        .await,
        (
            400,
            json!({"msg":"a service can create at most 3 calendars per user","code":-2})
        )
    );
    assert_eq!(
        call(
            &env,
            post.clone(),
            "/v2/api/calendar/update/calendar",
            &bearer,
            &[("calendar_id", ids[1].as_str()), ("name", "가족")]
        )
        .await,
        (
            400,
            json!({"msg":"a calendar named [가족] already exists","code":-2})
        )
    );
    let (_, list) = call(&env, get.clone(), "/v2/api/calendar/calendars", &bearer, &[]).await;
    let names: Vec<&str> = list["calendars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["내 캘린더", "가족", "동아리", "회사"]);

    let event =
        r#"{"title":"가족 모임","time":{"start_at":"2026-12-24T10:00:00Z","end_at":"2026-12-24T12:00:00Z"}}"#;
    let (status, created) = call(
        &env,
        post.clone(),
        "/v2/api/calendar/create/event",
        &bearer,
        &[("calendar_id", ids[0].as_str()), ("event", event)],
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let event_id = created["event_id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(
            &env,
            post.clone(),
            "/v2/api/calendar/update/event/guest",
            &bearer,
            &[
                ("event_id", event_id.as_str()),
                ("event", r#"{"color":"MINT","reminders":[15]}"#)
            ]
        )
        .await,
        (200, json!({"event_id": event_id}))
    );
    assert_eq!(
        call(
            &env,
            post.clone(),
            "/v2/api/calendar/update/event/guest",
            &bearer,
            &[("event_id", event_id.as_str()), ("event", r#"{"title":"바꿈"}"#)]
        )
        .await,
        (
            400,
            json!({"msg":"a guest may change only color and reminders","code":-2})
        )
    );
    let (_, detail) = call(
        &env,
        get.clone(),
        "/v2/api/calendar/event",
        &bearer,
        &[("event_id", event_id.as_str())],
    )
    .await;
    assert_eq!(
        (
            detail["event"]["color"].clone(),
            detail["event"]["reminders"].clone()
        ),
        (json!("MINT"), json!([15]))
    );
    assert_eq!(
        call(
            &env,
            delete,
            "/v2/api/calendar/delete/calendar",
            &bearer,
            &[("calendar_id", ids[0].as_str())]
        )
        .await,
        (200, json!({"calendar_id": ids[0]}))
    );
    let (_, gone) = call(
        &env,
        get.clone(),
        "/v2/api/calendar/event",
        &bearer,
        &[("event_id", event_id.as_str())],
    )
    .await;
    assert_eq!(gone["code"], -2, "the calendar's events went with it");

    let (status, holidays) = call(
        &env,
        get,
        "/v2/api/calendar/holidays",
        &bearer,
        &[("from", "2026-01-01T00:00:00Z"), ("to", "2026-03-02T00:00:00Z")],
    )
    .await;
    assert_eq!(status, 200);
    let events = holidays["events"].as_array().unwrap();
    assert_eq!(events.len(), 6);
    assert_eq!(
        events[0],
        json!({"title":"신정","holiday":true,"time":{"start_at":"2026-01-01T00:00:00Z","end_at":"2026-01-02T00:00:00Z","time_zone":"Asia/Seoul","all_day":true,"lunar":false}})
    );
    assert_eq!(events[5]["title"], "대체공휴일(3·1절)");
}
