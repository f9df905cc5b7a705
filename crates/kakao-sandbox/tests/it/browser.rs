//! What a browser and a picture-handling app meet (issue #21): CORS on kapi the way
//! `Kakao.API.request` calls it, the JavaScript-domain check, JSON answers on unknown paths,
//! and JPEG profile pictures that the image upload accepts.

use serde_json::{Value, json};

use crate::common::*;

const SITE: &str = "http://127.0.0.1:8080"; // a JavaScript SDK domain of the demo app

#[tokio::test]
async fn kapi_answers_browsers_with_cors() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;

    // The preflight a browser sends before Kakao.API.request's Bearer call.
    let pre = env
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/v2/user/me", env.base))
        .header("origin", "https://any-site.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization,ka")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 204);
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "https://any-site.example"
    );
    assert_eq!(pre.headers()["access-control-allow-headers"], "authorization,ka");
    assert!(
        pre.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );

    let resp = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .bearer_auth(&login.tokens.access_token)
        .header("origin", SITE)
        .header(
            "ka",
            "sdk/2.7.4 os/javascript sdk_type/javascript lang/ko-KR origin/http%3A%2F%2F127.0.0.1%3A8080",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["access-control-allow-origin"], SITE);
    // Errors are readable by the page too, and the token endpoint answers CORS like kauth.
    let err = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .header("origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(err.headers()["access-control-allow-origin"], SITE);
    let token = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .header("origin", SITE)
        .form(&[("grant_type", "refresh_token")])
        .send()
        .await
        .unwrap();
    assert_eq!(token.headers()["access-control-allow-origin"], SITE);

    // The SDK from an unregistered site: Kakao's domain check.
    let foreign = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .bearer_auth(&login.tokens.access_token)
        .header("origin", "https://evil.example")
        .header("ka", "sdk/2.7.4 os/javascript origin/https%3A%2F%2Fevil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 401);
    assert_eq!(
        foreign.json::<Value>().await.unwrap(),
        json!({"msg":"domain mismatched! caller=https://evil.example. check out registered web domains.","code":-401})
    );

    // The stricter switch: CORS only for registered JavaScript SDK domains.
    env.put_app(json!({"settings": {"kapi_cors": "js_domains"}}))
        .await;
    let strict = env
        .http
        .get(format!("{}/v2/user/me", env.base))
        .bearer_auth(&login.tokens.access_token)
        .header("origin", "https://any-site.example")
        .send()
        .await
        .unwrap();
    assert_eq!(strict.status(), 200, "no KA header: not an SDK call, not checked");
    assert!(strict.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn unknown_paths_answer_kakao_style_json() {
    let env = start().await;
    let get = |path: &'static str| {
        let http = env.http.clone();
        let url = format!("{}{path}", env.base);
        async move {
            let resp = http.get(url).send().await.unwrap();
            let status = resp.status().as_u16();
            let kind = resp.headers()["content-type"].to_str().unwrap().to_owned();
            (status, kind, resp.json::<Value>().await.unwrap())
        }
    };
    assert_eq!(
        get("/v2/api/talk/nothing").await,
        (
            404,
            "application/json".into(),
            json!({"msg":"There is no API for GET /v2/api/talk/nothing.","code":-1})
        )
    );
    assert_eq!(
        get("/oauth/nothing").await,
        (
            404,
            "application/json".into(),
            json!({"error":"invalid_request","error_description":"There is no API for GET /oauth/nothing","error_code":"KOE002"})
        )
    );
    assert_eq!(get("/_admin/nothing").await.0, 404);
    // A known path with the wrong method is JSON too.
    let wrong = env
        .http
        .delete(format!("{}/v2/user/me", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 405);
    assert_eq!(
        wrong.json::<Value>().await.unwrap(),
        json!({"msg":"DELETE is not supported for /v2/user/me.","code":-1})
    );
}

#[tokio::test]
async fn profile_pictures_are_jpeg_and_can_be_re_uploaded() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["friends"]).await;
    let friends = env
        .client
        .friends(&login.access(), &kakao::FriendsPage::default())
        .await
        .unwrap();
    let thumb = friends.elements[0].profile_thumbnail_image.clone().unwrap();
    assert!(thumb.ends_with("/img_110x110.jpg"), "{thumb}");
    let resp = env.http.get(&thumb).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "image/jpeg");
    let bytes = resp.bytes().await.unwrap().to_vec();
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);

    // The app puts the friend's picture into a card: Kakao's upload takes it.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("friend.jpg"),
    );
    let up = env
        .http
        .post(format!("{}/v2/api/talk/message/image/upload", env.base))
        .header("authorization", format!("KakaoAK {}", env.app.rest_api_key))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(up.status(), 200);
    let original = up.json::<Value>().await.unwrap()["infos"]["original"].clone();
    assert_eq!(
        (
            original["content_type"].clone(),
            original["width"].clone(),
            original["height"].clone()
        ),
        (json!("image/jpeg"), json!(110), json!(110))
    );
    // The old SVG address of earlier sandbox versions still gives a picture.
    let legacy = env
        .http
        .get(format!("{}/_sandbox/avatar/4000000001.svg", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.headers()["content-type"], "image/jpeg");
}

/// A web page elsewhere cannot drive the control API with a simple form post (issue #15):
/// neither by `Origin` nor by `Sec-Fetch-Site`; scripts (no such headers) and the sandbox's own
/// pages (same origin) still can.
#[tokio::test]
async fn the_control_api_refuses_cross_site_requests() {
    let env = start().await;
    let before = env
        .http
        .get(format!("{}/_admin/clock", env.base))
        .send()
        .await
        .unwrap();
    let before: Value = before.json().await.unwrap();
    let form = |req: reqwest::RequestBuilder| {
        req.header("content-type", "application/x-www-form-urlencoded")
            .body("advance_seconds=86400")
    };
    let url = format!("{}/_admin/clock", env.base);
    let cross_origin = form(env.http.post(&url))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_origin.status(), 403);
    let body: Value = cross_origin.json().await.unwrap();
    assert_eq!(body["error"], "cross_site");
    let other_port = form(env.http.post(&url))
        .header("origin", "http://127.0.0.1:1")
        .send()
        .await
        .unwrap();
    assert_eq!(other_port.status(), 403);
    let null_origin = form(env.http.post(&url))
        .header("origin", "null")
        .send()
        .await
        .unwrap();
    assert_eq!(null_origin.status(), 403);
    let fetch_site = form(env.http.post(format!("{}/_admin/unlink", env.base)))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_site.status(), 403);
    let after: Value = env.http.get(&url).send().await.unwrap().json().await.unwrap();
    let at = |v: &Value| v["now"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
    let moved = at(&after).duration_since(at(&before));
    assert!(
        moved < jiff::SignedDuration::from_secs(3600),
        "the clock did not move a day"
    );

    // Same origin (the sandbox's own pages) and scripts still work.
    let same = env
        .http
        .post(&url)
        .header("origin", &env.base)
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"advance_seconds": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
    env.advance(60).await;
}
