//! A Gachi server per test and logged-in clients for it.

use std::net::SocketAddr;

use base64::Engine;
use gachi::{AppState, Config};
use serde_json::{Value, json};

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// No cookies, no redirects: for raw checks and the sandbox's control API.
    pub http: reqwest::Client,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// Every backend to run a story on: SQLite always, PostgreSQL when configured.
pub async fn database_urls() -> Vec<String> {
    storage::testing::fresh_urls().await.unwrap()
}

impl TestApp {
    pub async fn start() -> TestApp {
        Self::start_with(storage::testing::fresh_sqlite_url(), |_| {}).await
    }

    pub async fn start_on(database_url: String) -> TestApp {
        Self::start_with(database_url, |_| {}).await
    }

    pub async fn start_with(database_url: String, tweak: impl FnOnce(&mut Config)) -> TestApp {
        kakao::install_crypto_provider();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let mut config = Config::defaults(addr, database_url);
        config.secret_key = Some(
            base64::engine::general_purpose::STANDARD
                .encode([42u8; 32])
                .into(),
        );
        config.login_rate_per_minute = 10_000;
        config.invite_rate_burst = 10_000;
        tweak(&mut config);
        let state = AppState::build(config, addr).await.unwrap();
        if let Some(sandbox) = &state.sandbox {
            // Tests log the same demo users in many times.
            sandbox.update_app(|app| app.settings.token_rate_limit = false);
        }
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            gachi::serve(listener, serving, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            state,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            _shutdown: tx,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A cookie-keeping client that follows redirects, like a browser.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).build().unwrap()
    }

    pub async fn sandbox_post(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(self.url(&format!("/_kakao{path}")))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    /// Logs in as a sandbox user who has already agreed (the demo users): Kakao's session
    /// cookie, then Gachi's login, which Kakao answers at once with a code.
    pub async fn login(&self, kakao_user: i64) -> User {
        let client = self.browser();
        let resp = client
            .post(self.url("/_kakao/_admin/session"))
            .json(&json!({"user_id": kakao_user}))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
        let landed = client
            .get(self.url("/auth/kakao/login?next=/"))
            .send()
            .await
            .unwrap();
        assert_eq!(landed.status(), 200);
        assert_eq!(landed.url().path(), "/");
        let me = User {
            client,
            base: self.base.clone(),
        };
        assert_eq!(me.get("/api/v1/me").await.0, 200, "logged in");
        me
    }
}

/// A logged-in client. State changes carry a same-origin `Origin`, as a browser's would.
pub struct User {
    pub client: reqwest::Client,
    pub base: String,
}

impl User {
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("origin", &self.base);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn id(&self) -> String {
        self.get("/api/v1/me").await.1["id"].as_str().unwrap().to_owned()
    }
}

/// `member` joins `owner`'s room through a new invite.
pub async fn join(owner: &User, member: &User, room_id: &str) {
    let (status, invite) = owner
        .post(&format!("/api/v1/rooms/{room_id}/invites"), json!({}))
        .await;
    assert_eq!(status, 201);
    let code = invite["code"].as_str().unwrap();
    let (status, _) = member
        .post(&format!("/api/v1/invites/{code}/accept"), json!({}))
        .await;
    assert_eq!(status, 200);
}

pub const MINJI: i64 = 4_000_000_001;
pub const SEOJUN: i64 = 4_000_000_002;
pub const JIWOO: i64 = 4_000_000_003;
