//! A sandbox on an ephemeral port, a client for it, and a scripted browser.

use std::net::SocketAddr;

use domain::clock::Clock;
use kakao::wire::TokenResponse;
use kakao::{AuthorizeRequest, KakaoClient, KakaoConfig, Pkce, random_token};
use kakao_sandbox::{App, Sandbox};
use serde_json::{Value, json};
use url::Url;

pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

pub struct Env {
    pub sandbox: Sandbox,
    pub base: String,
    pub client: KakaoClient,
    pub app: App,
    /// Plain HTTP for pinning raw bodies and for the control API.
    pub http: reqwest::Client,
}

pub async fn start() -> Env {
    kakao::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let sandbox = Sandbox::demo(&base, Clock::new()).unwrap();
    sandbox.update_app(|app| app.redirect_uris.push(REDIRECT.into()));
    let router = sandbox.router();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let app = sandbox.app();
    let config = KakaoConfig::new(app.rest_api_key.clone())
        .with_base(Url::parse(&base).unwrap())
        .with_client_secret(app.client_secret.clone())
        .with_admin_key(app.admin_key.clone());
    Env {
        client: KakaoClient::new(config).unwrap(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        sandbox,
        base,
        app,
    }
}

impl Env {
    pub async fn admin_post(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    /// A fresh sandbox user who is an app member and a KakaoTalk user, not yet linked.
    pub async fn new_user(&self, nickname: &str) -> (i64, String) {
        let v = self
            .admin_post("/_admin/users", json!({"nickname": nickname, "member": true}))
            .await;
        (v["id"].as_i64().unwrap(), v["uuid"].as_str().unwrap().to_owned())
    }

    pub async fn advance(&self, seconds: i64) -> Value {
        self.admin_post("/_admin/clock", json!({"advance_seconds": seconds}))
            .await
    }

    pub fn browser(&self) -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    /// A complete login as `user_id` through the pages, agreeing to everything shown.
    pub async fn login(&self, user_id: i64, scopes: &[&str]) -> Login {
        let browser = self.browser();
        let attempt = Attempt::new(scopes);
        let url = self.client.authorize_url(&attempt.request()).unwrap();
        let code = browser
            .authorize_as(url.as_str(), user_id)
            .await
            .code(&attempt.state);
        let tokens = self
            .client
            .exchange_code(&code, REDIRECT, Some(&attempt.pkce.verifier))
            .await
            .unwrap();
        Login {
            tokens,
            nonce: attempt.nonce,
        }
    }
}

pub struct Login {
    pub tokens: TokenResponse,
    pub nonce: String,
}

impl Login {
    pub fn access(&self) -> kakao::AccessToken {
        kakao::AccessToken::new(self.tokens.access_token.clone())
    }
}

/// One login attempt's secrets.
pub struct Attempt {
    pub state: String,
    pub nonce: String,
    pub pkce: Pkce,
    pub scopes: Vec<String>,
}

impl Attempt {
    pub fn new(scopes: &[&str]) -> Self {
        Self {
            state: random_token(16),
            nonce: random_token(16),
            pkce: Pkce::new(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    pub fn request(&self) -> AuthorizeRequest {
        AuthorizeRequest {
            redirect_uri: REDIRECT.into(),
            scopes: self.scopes.clone(),
            state: self.state.clone(),
            nonce: Some(self.nonce.clone()),
            code_challenge: Some(self.pkce.challenge.clone()),
            ..Default::default()
        }
    }
}

/// A cookie-keeping HTTP client that walks the sandbox's pages like a person.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
}

/// Where an authorize request ended up.
#[derive(Debug)]
pub enum Landing {
    /// Redirected to the app: the `Location`.
    Redirect(Url),
    /// A page (picker, consent or error) with its status.
    Page(u16, String),
}

impl Landing {
    pub fn code(&self, state: &str) -> String {
        let Landing::Redirect(url) = self else {
            panic!("expected a redirect, got {self:?}")
        };
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(
            q.get("state").map(String::as_str),
            Some(state),
            "state must come back"
        );
        q.get("code")
            .cloned()
            .unwrap_or_else(|| panic!("no code in {url}"))
    }

    pub fn html(&self) -> &str {
        let Landing::Page(_, html) = self else {
            panic!("expected a page, got {self:?}")
        };
        html
    }
}

impl Browser {
    pub async fn get(&self, url: &str) -> Landing {
        let resp = self.http.get(url).send().await.unwrap();
        self.landing(resp).await
    }

    async fn landing(&self, resp: reqwest::Response) -> Landing {
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let loc = resp.headers()["location"].to_str().unwrap().to_owned();
            let url = Url::parse(&self.base).unwrap().join(&loc).unwrap();
            return Landing::Redirect(url);
        }
        Landing::Page(status, resp.text().await.unwrap())
    }

    /// Picks `user_id` on the login picker.
    pub async fn pick(&self, picker_html: &str, user_id: i64) -> Landing {
        assert!(
            picker_html.contains("카카오계정으로 로그인"),
            "not the picker: {picker_html}"
        );
        let cont = field(picker_html, "continue");
        let resp = self
            .http
            .post(format!("{}/_sandbox/login", self.base))
            .form(&[("user_id", user_id.to_string()), ("continue", cont)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
        let Landing::Redirect(next) = self.landing(resp).await else {
            panic!("picker did not redirect")
        };
        self.get(next.as_str()).await
    }

    /// Answers the consent screen, agreeing to the listed items (all when `only` is None).
    pub async fn consent(&self, consent_html: &str, only: Option<&[&str]>, agree: bool) -> Landing {
        let pending = field(consent_html, "pending");
        let mut form = vec![("pending".to_owned(), pending)];
        for item in consent_items(consent_html) {
            if only.is_none_or(|o| o.contains(&item.as_str())) {
                form.push(("scope".into(), item));
            }
        }
        form.push(("action".into(), if agree { "agree" } else { "cancel" }.into()));
        let resp = self
            .http
            .post(format!("{}/oauth/authorize/consent", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        self.landing(resp).await
    }

    /// Authorize as `user_id`, through the picker and the consent screen if they appear.
    pub async fn authorize_as(&self, url: &str, user_id: i64) -> Landing {
        let mut landing = self.get(url).await;
        if let Landing::Page(200, html) = &landing
            && html.contains("카카오계정으로 로그인")
        {
            landing = self.pick(html, user_id).await;
        }
        if let Landing::Page(200, html) = &landing
            && html.contains("동의하고 계속하기")
        {
            landing = self.consent(html, None, true).await;
        }
        landing
    }
}

/// The `value` of the hidden input `name` in a page (HTML entities undone).
pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name} in {html}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    unescape(&html[start..end])
}

/// Undoes the HTML escaping askama applies to attribute values.
pub fn unescape(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
}

/// The consent items a consent screen lists, in order.
pub fn consent_items(html: &str) -> Vec<String> {
    html.split("data-scope=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

impl Env {
    /// `GET` a control-API JSON document.
    pub async fn admin_get(&self, path: &str) -> Value {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    /// `PUT /_admin/app` with a partial document.
    pub async fn put_app(&self, patch: Value) {
        let resp = self
            .http
            .put(format!("{}/_admin/app", self.base))
            .json(&patch)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "PUT /_admin/app: {}", resp.status());
    }

    /// Moves the sandbox clock just past the next midnight KST (the quota day turns).
    pub async fn advance_to_next_kst_day(&self) {
        let now: jiff::Timestamp = self.admin_get("/_admin/clock").await["now"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let kst = now.as_second() + 9 * 3600;
        let to_midnight = 86_400 - kst.rem_euclid(86_400);
        self.advance(to_midnight + 1).await;
    }
}

/// A user's inbox as `GET /_admin/inbox/{id}` shows it, newest first.
pub async fn inbox(env: &Env, user_id: i64) -> Vec<Value> {
    env.admin_get(&format!("/_admin/inbox/{user_id}")).await["messages"]
        .as_array()
        .unwrap()
        .clone()
}

/// A raw form POST with a Bearer token: `(status, JSON body)`.
pub async fn raw_post(env: &Env, path: &str, token: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let resp = env
        .http
        .post(format!("{}{path}", env.base))
        .bearer_auth(token)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// A Bearer `GET` of a kapi path: `(status, JSON body)`.
pub async fn bearer_get(env: &Env, path: &str, token: &str) -> (u16, Value) {
    let resp = env
        .http
        .get(format!("{}{path}", env.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}
