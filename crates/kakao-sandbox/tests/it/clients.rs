//! What strict third-party clients rely on (issue #21): the token as a query or form parameter,
//! `property_keys` and `secure_resource`, the `-3` text with the app's name, each memo's own
//! `api_type`, a refresh answer without `scope`, and the userinfo sign-up switch.

use domain::clock::Clock;
use kakao_sandbox::Sandbox;
use serde_json::{Value, json};

use crate::common::*;

async fn get(env: &Env, path_and_query: &str, auth: Option<&str>) -> (u16, Value) {
    let mut req = env.http.get(format!("{}{path_and_query}", env.base));
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn the_token_is_accepted_as_a_query_or_form_parameter() {
    let env = start().await;
    let login = env.login(4_000_000_001, &["openid"]).await;
    let token = login.tokens.access_token.clone();

    // node-oauth's default (passport-kakao's userProfile): GET …?access_token=…
    let (status, me) = get(&env, &format!("/v2/user/me?access_token={token}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(me["id"], 4_000_000_001i64);
    assert_eq!(me["properties"]["nickname"], "김민지");

    // In a form body, as some samples post it.
    let resp = env
        .http
        .post(format!("{}/v2/user/me", env.base))
        .form(&[("access_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["id"], 4_000_000_001i64);

    // The same token checks apply to it.
    assert_eq!(
        get(&env, "/v2/user/me?access_token=nope", None).await,
        (401, json!({"msg":"this access token does not exist","code":-401}))
    );
    let (status, info) = get(
        &env,
        &format!("/v1/user/access_token_info?access_token={token}"),
        None,
    )
    .await;
    assert_eq!((status, info["id"].clone()), (200, json!(4_000_000_001i64)));
    // Neither header nor parameter: still Kakao's -8.
    assert_eq!(
        get(&env, "/v2/user/me", None).await,
        (
            400,
            json!({"msg":"authorization header is missing or malformed.","code":-8})
        )
    );
}

#[tokio::test]
async fn user_me_honours_property_keys() {
    let env = start().await;
    let login = env.login(4_000_000_002, &["openid"]).await;
    let bearer = format!("Bearer {}", login.tokens.access_token);
    let q = |keys: &str| format!("/v2/user/me?property_keys={}", urlencode(keys));

    let (status, me) = get(&env, &q(r#"["kakao_account.profile"]"#), Some(&bearer)).await;
    assert_eq!(status, 200);
    let account = me["kakao_account"].as_object().unwrap();
    assert_eq!(account["profile"]["nickname"], "이서준");
    assert_eq!(account["profile_nickname_needs_agreement"], false);
    assert!(me.get("properties").is_none(), "not asked for: {me}");
    assert!(account.get("email_needs_agreement").is_none(), "{me}");
    assert!(me.get("connected_at").is_some());

    let (_, me) = get(&env, &q(r#"["properties.nickname"]"#), Some(&bearer)).await;
    assert_eq!(me["properties"], json!({"nickname": "이서준"}));
    assert!(me.get("kakao_account").is_none());

    let (status, body) = get(&env, &q(r#"["kakao_account.shoe_size"]"#), Some(&bearer)).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"msg":"invalid property key: kakao_account.shoe_size","code":-201})
        )
    );
}

#[tokio::test]
async fn secure_resource_picks_the_image_scheme() {
    // A sandbox reached over https (behind a proxy): Kakao's http URLs by default, https on request.
    kakao::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sandbox = Sandbox::demo("https://kakao.example", Clock::new()).unwrap();
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let admin = format!("KakaoAK {}", sandbox.app().admin_key);
    let http = reqwest::Client::new();
    let me = |secure: &'static str| {
        let (http, admin) = (http.clone(), admin.clone());
        async move {
            http.get(format!(
                "http://{addr}/v2/user/me?target_id_type=user_id&target_id=4000000001{secure}"
            ))
            .header("authorization", admin)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
        }
    };
    let plain = me("").await;
    assert_eq!(
        plain["kakao_account"]["profile"]["thumbnail_image_url"],
        "http://kakao.example/_sandbox/avatar/4000000001/img_110x110.jpg"
    );
    let secure = me("&secure_resource=true").await;
    assert_eq!(
        secure["kakao_account"]["profile"]["profile_image_url"],
        "https://kakao.example/_sandbox/avatar/4000000001/img_640x640.jpg"
    );
    assert_eq!(
        secure["properties"]["thumbnail_image"],
        "https://kakao.example/_sandbox/avatar/4000000001/img_110x110.jpg"
    );
}

#[tokio::test]
async fn memo_api_types_and_the_minus_3_text_name_the_api_and_the_app() {
    let env = start().await;
    let login = env.login(4_000_000_003, &["openid"]).await;
    let token = login.tokens.access_token.clone();
    let (status, body) = raw_post(
        &env,
        "/v2/api/talk/memo/send",
        &token,
        &[("template_id", "1"), ("template_args", "{}")],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({"msg":"insufficient scopes.","code":-402,"api_type":"TALK_MEMO_SEND",
               "required_scopes":["talk_message"],"allowed_scopes":["friends","profile_image","profile_nickname"]})
    );
    let (_, body) = raw_post(
        &env,
        "/v2/api/talk/memo/scrap/send",
        &token,
        &[("request_url", "http://127.0.0.1:8080/")],
    )
    .await;
    assert_eq!(body["api_type"], "TALK_MEMO_SCRAP_SEND");

    env.put_app(json!({"consent_items": {"talk_message": "disabled"}}))
        .await;
    let (status, body) = raw_post(
        &env,
        "/v1/api/talk/friends/message/default/send",
        &token,
        &[("receiver_uuids", "[]"), ("template_object", "{}")],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            403,
            json!({"msg":"[같이 (Gachi) 샌드박스] App disabled [talk_message] scopes for [TALK_MESSAGE_SEND] API on developers.kakao.com. Enable it first.","code":-3})
        )
    );
}

#[tokio::test]
async fn a_refresh_answer_has_no_scope() {
    let env = start().await;
    let login = env.login(4_000_000_004, &["openid"]).await;
    assert!(login.tokens.scope.is_some(), "a code exchange carries scope");
    let resp = env
        .http
        .post(format!("{}/oauth/token", env.base))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", env.app.rest_api_key.as_str()),
            ("client_secret", env.app.client_secret.as_str()),
            ("refresh_token", login.tokens.refresh_token.as_deref().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let mut keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["access_token", "expires_in", "id_token", "token_type"]);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 21599);
}

#[tokio::test]
async fn userinfo_completes_sign_up_only_when_switched_on() {
    let env = start().await;
    let (oidc_only, _) = env.new_user("아이디토큰만").await;
    let login = env.login(oidc_only, &["openid"]).await;
    let info = env.client.oidc_userinfo(&login.access()).await.unwrap();
    assert_eq!(info.sub, oidc_only.to_string());
    // Default: userinfo is not on Kakao's list of personal-info APIs, so the user is unlinked.
    assert!(!env.app.settings.userinfo_completes_signup);
    let ran = env.advance(24 * 3600).await;
    assert_eq!(ran["ran"][0]["user_id"], oidc_only);
    assert_eq!(ran["ran"][0]["referrer_type"], "INCOMPLETE_SIGN_UP");

    // Switched on, the same flow keeps the user linked.
    env.put_app(json!({"settings": {"userinfo_completes_signup": true}}))
        .await;
    let (kept, _) = env.new_user("유저인포로충분").await;
    let login = env.login(kept, &["openid"]).await;
    env.client.oidc_userinfo(&login.access()).await.unwrap();
    assert_eq!(env.advance(24 * 3600).await["ran"], json!([]));
    assert_eq!(env.client.user_me_admin(kept).await.unwrap().id, kept);
}

/// Percent-encodes a query value.
pub fn urlencode(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}
