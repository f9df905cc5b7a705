//! The Message API: consent, receiver lists, per-receiver failures, templates, image upload and
//! delivery into inboxes. Kakao's bodies are pinned as literal JSON over raw HTTP.

use kakao::wire::{Button, Content, FeedTemplate, Link, TemplateObject, TextTemplate};
use kakao::{AccessToken, CustomTemplate, ErrorKind, ImageAuth, Receivers};
use serde_json::{Value, json};

use crate::common::*;

pub const CARD_PNG: &[u8] = include_bytes!("card.png");
const FRIENDS_SEND: &str = "/v1/api/talk/friends/message/default/send";
const MEMO_SEND: &str = "/v2/api/talk/memo/default/send";

pub fn feed(title: &str) -> TemplateObject {
    TemplateObject::Feed(FeedTemplate {
        content: Content {
            title: Some(title.into()),
            description: Some("5/24(금) 19:00 강남".into()),
            image_url: None,
            image_width: None,
            image_height: None,
            link: Link::web("https://gachi.example/rooms/1/events/9"),
        },
        buttons: vec![Button {
            title: "일정 보기".into(),
            link: Link::web("https://gachi.example/rooms/1/events/9"),
        }],
        ..FeedTemplate::default()
    })
}

/// A linked friend of a fresh sender; returns the sender's token and ids.
async fn befriend(env: &Env, me: i64, nickname: &str) -> (i64, String) {
    let (pal, uuid) = env.new_user(nickname).await;
    env.admin_post("/_admin/friends", json!({"a": me, "b": pal}))
        .await;
    env.admin_post(
        "/_admin/consent",
        json!({"user_id": pal, "scopes": ["profile_nickname", "friends"]}),
    )
    .await;
    (pal, uuid)
}

/// A sender who agreed to `friends` and `talk_message`, and `n` friends who can receive.
pub async fn sender_with_friends(env: &Env, n: usize) -> (AccessToken, i64, Vec<(i64, String)>) {
    let (me, _) = env.new_user("보내는사람").await;
    let mut friends = Vec::new();
    for i in 0..n {
        friends.push(befriend(env, me, &format!("친구{i}")).await);
    }
    let login = env.login(me, &["openid", "friends", "talk_message"]).await;
    (login.access(), me, friends)
}

pub async fn message_pair(env: &Env) -> (AccessToken, i64, i64, String) {
    let (token, me, friends) = sender_with_friends(env, 1).await;
    let (pal, uuid) = friends[0].clone();
    (token, me, pal, uuid)
}

#[tokio::test]
async fn messages_without_talk_message_get_kakaos_402() {
    let env = start().await;
    let (me, _) = env.new_user("동의안함").await;
    let (_, pal_uuid) = befriend(&env, me, "친구").await;
    let login = env.login(me, &["openid", "friends"]).await;
    let token = login.tokens.access_token.clone();
    let template = feed("회식").to_json();

    let memo = raw_post(&env, MEMO_SEND, &token, &[("template_object", &template)]).await;
    assert_eq!(
        memo,
        (
            403,
            json!({"msg":"insufficient scopes.","code":-402,"api_type":"TALK_MEMO_DEFAULT_SEND",
                "required_scopes":["talk_message"],"allowed_scopes":["friends","profile_image","profile_nickname"]})
        )
    );
    let receivers = format!("[\"{pal_uuid}\"]");
    let friends = raw_post(
        &env,
        FRIENDS_SEND,
        &token,
        &[("receiver_uuids", &receivers), ("template_object", &template)],
    )
    .await;
    assert_eq!(
        friends,
        (
            403,
            json!({"msg":"insufficient scopes.","code":-402,"api_type":"TALK_MESSAGE_SEND",
                "required_scopes":["talk_message"],"allowed_scopes":["friends","profile_image","profile_nickname"]})
        )
    );

    let err = env
        .client
        .send_to_friends(&login.access(), &Receivers::new([pal_uuid]).unwrap(), &feed("x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NeedsConsent(vec!["talk_message".into()]));
    let err = env
        .client
        .send_memo(&login.access(), &feed("x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NeedsConsent(vec!["talk_message".into()]));
}

#[tokio::test]
async fn receiver_lists_kakao_refuses_with_minus_2() {
    let env = start().await;
    let (token, me, friends) = sender_with_friends(&env, 6).await;
    let token = token.expose().to_owned();
    let template = feed("회식").to_json();
    let my_uuid = env.admin_get("/_admin/users").await["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == me)
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let uuids: Vec<&str> = friends.iter().map(|(_, u)| u.as_str()).collect();
    let send = |receivers: Option<String>| {
        let env = &env;
        let token = token.clone();
        let template = template.clone();
        async move {
            let mut form = vec![("template_object", template)];
            if let Some(r) = receivers {
                form.push(("receiver_uuids", r));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            raw_post(env, FRIENDS_SEND, &token, &form).await
        }
    };
    let minus2 = |msg: &str| (400, json!({"msg": msg, "code": -2}));

    // Six receivers: the client's `Receivers` cannot even hold them, so this goes around it.
    let (status, body) = send(Some(serde_json::to_string(&uuids).unwrap())).await;
    assert_eq!((status, body["code"].clone()), (400, json!(-2)), "{body}");
    assert!(
        body["msg"].as_str().unwrap().contains("[receiver_uuids]"),
        "{body}"
    );

    assert_eq!(
        send(Some(json!([uuids[0], my_uuid]).to_string())).await,
        minus2("Cannot contain a receiver who is identical to the sender in multicast mode.")
    );
    assert_eq!(
        send(None).await,
        minus2("The Parameter [receiver_uuids] cannot be null.")
    );
    assert_eq!(
        send(Some("[]".into())).await,
        minus2("The Parameter [receiver_uuids] cannot be empty.")
    );
    let invalid = "Constraints on the parameter [receiver_uuids] are unsatisfied. The input receiver id(s) is invalid format.";
    assert_eq!(send(Some("not json".into())).await, minus2(invalid));
    assert_eq!(send(Some("[\"no-such-uuid\"]".into())).await, minus2(invalid));
    assert!(
        inbox(&env, friends[0].0).await.is_empty(),
        "nothing was delivered"
    );
}

#[tokio::test]
async fn a_message_lands_exactly_once_in_each_inbox_with_its_image_and_links() {
    let env = start().await;
    let (token, me, friends) = sender_with_friends(&env, 2).await;

    let image = env
        .client
        .upload_image(
            ImageAuth::Bearer(&token),
            "card.png",
            "image/png",
            CARD_PNG.to_vec(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            image.content_type.as_str(),
            image.width,
            image.height,
            image.length
        ),
        ("image/png", 800, 400, CARD_PNG.len() as u64)
    );
    let served = env.http.get(&image.url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().as_ref(), CARD_PNG);

    let mut template = feed("팀 회식 <script>alert(1)</script>");
    if let TemplateObject::Feed(f) = &mut template {
        f.content.image_url = Some(image.url.clone());
        f.content.image_width = Some(image.width);
        f.content.image_height = Some(image.height);
    }
    let uuids: Vec<String> = friends.iter().map(|(_, u)| u.clone()).collect();
    let outcome = env
        .client
        .send_to_friends(&token, &Receivers::new(uuids.clone()).unwrap(), &template)
        .await
        .unwrap();
    assert_eq!(outcome.successful, uuids);
    assert!(outcome.all_succeeded());

    let sent: Value = serde_json::from_str(&template.to_json()).unwrap();
    for (friend, _) in &friends {
        let got = inbox(&env, *friend).await;
        assert_eq!(got.len(), 1, "exactly once: {got:?}");
        assert_eq!(got[0]["from"], me);
        assert_eq!(got[0]["chat"], "DirectChat");
        assert_eq!(got[0]["template"], sent);
        assert_eq!(got[0]["template"]["content"]["image_url"], image.url.as_str());
        assert!(got[0]["received_at"].as_str().unwrap().ends_with("+09:00"));

        let page = env
            .http
            .get(format!("{}/_inbox/{friend}", env.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("src=\"{}\"", image.url)), "{page}");
        assert!(page.contains("href=\"https://gachi.example/rooms/1/events/9\""));
        assert!(page.contains("일정 보기"));
        assert!(page.contains("data-sandbox-banner"));
        assert!(!page.contains("<script>alert(1)"), "titles are escaped");
        assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
    }
    assert!(
        inbox(&env, me).await.is_empty(),
        "the sender's inbox is untouched"
    );

    // Send to me: the card lands in the sender's own chat.
    let text = TemplateObject::Text(TextTemplate {
        text: "나에게 보내는 메모".into(),
        link: Link::web("https://gachi.example/"),
        ..TextTemplate::default()
    });
    let (status, body) = raw_post(
        &env,
        MEMO_SEND,
        token.expose(),
        &[("template_object", &text.to_json())],
    )
    .await;
    assert_eq!((status, body), (200, json!({"result_code": 0})));
    env.client.send_memo(&token, &feed("두 번째 메모")).await.unwrap();
    let mine = inbox(&env, me).await;
    assert_eq!(mine.len(), 2);
    assert_eq!(
        mine[0]["template"]["content"]["title"], "두 번째 메모",
        "newest first"
    );
    assert_eq!(mine[1]["chat"], "MemoChat");
    assert_eq!(mine[1]["from"], Value::Null);
    assert_eq!(mine[1]["template"]["text"], "나에게 보내는 메모");
}

#[tokio::test]
async fn partial_failure_lists_successes_and_failure_info_and_all_fail_is_an_error_body() {
    let env = start().await;
    let (token, me, friends) = sender_with_friends(&env, 2).await;
    let (private, private_uuid) = befriend(&env, me, "비공개").await;
    let (stranger, stranger_uuid) = env.new_user("모르는사람").await;
    let patch = env
        .http
        .patch(format!("{}/_admin/users/{private}", env.base))
        .json(&json!({"profile_public": false}))
        .send()
        .await
        .unwrap();
    assert!(patch.status().is_success());

    let all = json!([friends[0].1, private_uuid, friends[1].1, stranger_uuid]).to_string();
    let template = feed("회식").to_json();
    let (status, body) = raw_post(
        &env,
        FRIENDS_SEND,
        token.expose(),
        &[("receiver_uuids", &all), ("template_object", &template)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"successful_receiver_uuids": [friends[0].1, friends[1].1],
        "failure_info": [
            {"code": -530, "msg": "the receiver does not accept messages (private profile).", "receiver_uuids": [private_uuid]},
            {"code": -502, "msg": "the receiver is not a friend of the sender in this app.", "receiver_uuids": [stranger_uuid]}
        ]})
    );
    assert!(inbox(&env, private).await.is_empty());
    assert!(inbox(&env, stranger).await.is_empty());

    // Every receiver fails: Kakao's error body of the first failure.
    let only_private = json!([private_uuid]).to_string();
    let (status, body) = raw_post(
        &env,
        FRIENDS_SEND,
        token.expose(),
        &[("receiver_uuids", &only_private), ("template_object", &template)],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"msg": "the receiver does not accept messages (private profile).", "code": -530, "receiver_uuids": [private_uuid]})
        )
    );
    // The client reads both shapes as one typed outcome.
    let outcome = env
        .client
        .send_to_friends(
            &token,
            &Receivers::new([friends[0].1.clone(), private_uuid.clone()]).unwrap(),
            &feed("회식"),
        )
        .await
        .unwrap();
    assert_eq!(outcome.successful, [friends[0].1.clone()]);
    assert_eq!(outcome.failure_of(&private_uuid).unwrap().code, -530);
    assert_eq!(outcome.failures[0].kind(), ErrorKind::Permanent);
    let outcome = env
        .client
        .send_to_friends(
            &token,
            &Receivers::new([private_uuid.clone()]).unwrap(),
            &feed("x"),
        )
        .await
        .unwrap();
    assert!(outcome.successful.is_empty());
    assert_eq!(outcome.failure_of(&private_uuid).unwrap().code, -530);

    // The UNCERTAIN switch: 200 with only failure_info.
    env.put_app(json!({"settings": {"all_receivers_fail_as_error": false}}))
        .await;
    let (status, body) = raw_post(
        &env,
        FRIENDS_SEND,
        token.expose(),
        &[("receiver_uuids", &only_private), ("template_object", &template)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["failure_info"][0]["code"], -530);
    assert!(body.get("successful_receiver_uuids").is_none());
}

#[tokio::test]
async fn templates_are_validated() {
    let env = start().await;
    let (token, _, _, _) = message_pair(&env).await;
    let button = json!({"title": "b", "link": {"web_url": "https://gachi.example"}});
    let content = json!({"title": "t", "link": {"web_url": "https://gachi.example"}});
    let bad = [
        json!({"object_type": "feed", "content": content, "buttons": [button, button, button]}),
        json!({"object_type": "feed", "content": {"title": "no link"}}),
        json!({"object_type": "list", "header_title": "h", "header_link": {"web_url": "https://x"}, "contents": [content]}),
        json!({"object_type": "text", "text": "no link"}),
        json!({"object_type": "poster"}),
        json!({"object_type": "text", "text": "x".repeat(10_001), "link": {"web_url": "https://x"}}),
    ];
    for template in bad {
        let (status, body) = raw_post(
            &env,
            MEMO_SEND,
            token.expose(),
            &[("template_object", &template.to_string())],
        )
        .await;
        assert_eq!(
            (status, body["code"].clone()),
            (400, json!(-2)),
            "{template}: {body}"
        );
    }
    let good = [
        json!({"object_type": "list", "header_title": "h", "header_link": {"web_url": "https://x"}, "contents": [content, content]}),
        json!({"object_type": "location", "content": content, "address": "서울 강남구"}),
        json!({"object_type": "commerce", "content": content, "commerce": {"regular_price": 10000}}),
    ];
    for template in good {
        let (status, body) = raw_post(
            &env,
            MEMO_SEND,
            token.expose(),
            &[("template_object", &template.to_string())],
        )
        .await;
        assert_eq!(status, 200, "{template}: {body}");
    }
}

#[tokio::test]
async fn custom_templates_fill_their_arguments() {
    let env = start().await;
    let (token, me, pal, pal_uuid) = message_pair(&env).await;
    env.put_app(json!({"message_templates": {"1234": {"object_type": "text",
        "text": "${name}님이 일정을 공유했어요", "link": {"web_url": "https://gachi.example/${room}"}}}}))
        .await;
    let custom = CustomTemplate {
        template_id: 1234,
        args: [
            ("name".to_owned(), "민지".to_owned()),
            ("room".to_owned(), "r/1".to_owned()),
        ]
        .into_iter()
        .collect(),
    };
    env.client.send_memo_custom(&token, &custom).await.unwrap();
    let outcome = env
        .client
        .send_to_friends_custom(&token, &Receivers::new([pal_uuid]).unwrap(), &custom)
        .await
        .unwrap();
    assert!(outcome.all_succeeded());
    for user in [me, pal] {
        let got = inbox(&env, user).await;
        assert_eq!(got[0]["template"]["text"], "민지님이 일정을 공유했어요");
        assert_eq!(got[0]["template"]["link"]["web_url"], "https://gachi.example/r/1");
    }
    let unknown = CustomTemplate {
        template_id: 99,
        ..CustomTemplate::default()
    };
    let err = env.client.send_memo_custom(&token, &unknown).await.unwrap_err();
    assert_eq!(err.api_code(), Some(-2));
}

#[tokio::test]
async fn image_upload_limits_and_keys() {
    let env = start().await;
    let upload = |auth: String, bytes: Vec<u8>| {
        let env = &env;
        async move {
            let part = reqwest::multipart::Part::bytes(bytes).file_name("f.bin");
            let resp = env
                .http
                .post(format!("{}/v2/api/talk/message/image/upload", env.base))
                .header("authorization", auth)
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
                .await
                .unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    let js = format!("KakaoAK {}", env.app.javascript_key);
    let (status, body) = upload(js.clone(), CARD_PNG.to_vec()).await;
    assert_eq!(status, 200, "{body}");
    let original = &body["infos"]["original"];
    assert_eq!(
        original.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["content_type", "height", "length", "url", "width"]
    );
    let mut big = CARD_PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    assert_eq!(upload(js.clone(), big).await.1["code"], -602);
    assert_eq!(upload(js.clone(), b"plain text".to_vec()).await.1["code"], -911);
    assert_eq!(upload("KakaoAK wrong".into(), CARD_PNG.to_vec()).await.0, 401);

    let err = env
        .client
        .upload_image(
            ImageAuth::AppKey(env.app.javascript_key.clone().into()),
            "a.txt",
            "text/plain",
            b"hello".to_vec(),
        )
        .await
        .unwrap_err();
    assert_eq!((err.api_code(), err.kind()), (Some(-911), ErrorKind::Permanent));
}
