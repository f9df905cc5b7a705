//! A faithful, stateful stand-in for Kakao's `kauth` and `kapi` hosts.
//!
//! Gachi cannot reach Kakao from any machine it is built on, and the hard part of Gachi is
//! Kakao's behaviour (consents, `-402`, rotated refresh tokens, the 24-hour auto-unlink, …).
//! The sandbox reproduces that behaviour from `reference/kakao-platform.md` §14 so every flow
//! runs in tests, in a newcomer's browser and for any other app (`gachi sandbox`). It speaks
//! the `kakao` crate's wire types, so client and sandbox cannot drift apart.
//!
//! Everything a person does in its pages can be scripted through the JSON control API under
//! `/_admin/`. It lets anyone log in as anyone: never expose it to the internet.
#![forbid(unsafe_code)]
// Handlers short-circuit with a ready `Response` as the error; its size does not matter here.
#![allow(clippy::result_large_err)]

mod admin;
mod admin_users;
pub mod app;
mod authorize;
mod avatar;
mod browser_calls;
pub mod faults;
mod friends;
mod http;
mod image_scrap;
mod image_upload;
mod inbox;
mod jpeg;
mod kapi_auth;
mod keys;
mod messages;
mod oidc;
mod pages;
pub mod quotas;
pub mod seed;
mod signup;
mod state;
mod talk_calendar;
mod talk_calendar_extra;
mod talk_calendar_recur;
mod talk_profile;
mod talk_share;
mod templates_check;
mod token;
mod unknown;
mod unlink;
mod user_api;
mod user_fields;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use domain::clock::Clock;

pub use app::{App, ConsentKind, Quotas, Settings};
pub use unlink::WebhookOutcome;

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(transparent)]
    Key(#[from] keys::KeyError),
}

/// A running sandbox's state; cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

/// Work an embedding app runs when the sandbox's clock moves (see [`Sandbox::on_clock_moved`]).
pub type ClockHook = Arc<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

struct Inner {
    state: Mutex<state::State>,
    clock: Clock,
    keys: keys::SigningKey,
    /// For webhooks and image fetches, built on first use ([`Inner::http`]).
    http: std::sync::OnceLock<reqwest::Client>,
    /// The embedding app's due work, run after `POST /_admin/clock` (DESIGN.md: in sandbox mode
    /// one clock move runs what became due in the sandbox and in Gachi).
    clock_hook: Mutex<Option<ClockHook>>,
}

impl Inner {
    /// The client the sandbox calls out with (webhooks, scraped images): no redirects followed
    /// (Kakao follows none), 3 s timeout (Kakao's limit). Built on first use, because building
    /// it reads and parses the system's root certificates (~300 files), which a sandbox that
    /// never calls out — Gachi's default `serve` — should not pay for at start or keep in memory.
    /// `None` only if the TLS backend cannot start.
    fn http(&self) -> Option<&reqwest::Client> {
        if let Some(client) = self.http.get() {
            return Some(client);
        }
        let built = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(3))
            .user_agent("KakaoOpenAPI/1.0")
            .build()
            .ok()?;
        Some(self.http.get_or_init(|| built))
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A sandbox for `app`, reachable by clients at `base_url` (the OIDC issuer and the root of
    /// every URL it hands out), reading time from `clock`.
    pub fn new(base_url: &str, app: App, clock: Clock) -> Result<Self, SandboxError> {
        kakao::install_crypto_provider();
        Ok(Self {
            inner: Arc::new(Inner {
                state: Mutex::new(state::State::new(base_url.to_owned(), app)),
                clock,
                keys: keys::SigningKey::load()?,
                http: std::sync::OnceLock::new(),
                clock_hook: Mutex::new(None),
            }),
        })
    }

    /// The demo sandbox of `gachi serve` and `gachi sandbox`: fixed keys and the seeded users.
    pub fn demo(base_url: &str, clock: Clock) -> Result<Self, SandboxError> {
        let sandbox = Self::new(base_url, seed::demo_app(), clock)?;
        {
            let now = sandbox.clock().now();
            let mut st = sandbox.lock();
            seed::seed_demo_users(&mut st, now);
        }
        Ok(sandbox)
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The app's configuration as `GET /_admin/app` shows it.
    pub fn app(&self) -> App {
        self.lock().app.clone()
    }

    /// Changes the app's configuration in place (what `PUT /_admin/app` does).
    pub fn update_app(&self, change: impl FnOnce(&mut App)) {
        change(&mut self.lock().app);
    }

    /// The root URL clients use (the OIDC issuer), without a trailing slash.
    pub fn base_url(&self) -> String {
        self.lock().base_url.clone()
    }

    /// Adds a user (as `POST /_admin/users`); returns `(id, uuid)`.
    pub fn add_user(&self, nickname: &str) -> (i64, String) {
        let mut st = self.lock();
        let id = st.add_user(None, nickname, true, true);
        let uuid = st.users.get(&id).map(|u| u.uuid.clone()).unwrap_or_default();
        (id, uuid)
    }

    /// The routes at the sandbox's root; `gachi serve` nests them under `/_kakao`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(pages::home))
            .route("/.well-known/openid-configuration", get(oidc::discovery))
            .route("/.well-known/jwks.json", get(oidc::jwks))
            .route("/oauth/authorize", get(authorize::authorize))
            .route("/oauth/authorize/consent", post(authorize::consent))
            .route("/oauth/token", post(token::token))
            .route("/oauth/tokeninfo", post(oidc::tokeninfo))
            .route("/oauth/logout", get(authorize::browser_logout))
            .route("/_sandbox/login", post(authorize::picker_login))
            .route("/_sandbox/avatar/{file}", get(avatar::legacy))
            .route("/_sandbox/avatar/{id}/{file}", get(avatar::jpeg))
            .route("/_sandbox/unlink", post(pages::unlink_as_user))
            .route("/v2/user/me", get(user_api::me).post(user_api::me))
            .route("/v1/user/access_token_info", get(user_api::access_token_info))
            .route("/v1/user/logout", post(user_api::logout))
            .route("/v1/user/unlink", post(user_api::unlink))
            .route("/v2/user/scopes", get(user_api::scopes))
            .route("/v2/user/revoke/scopes", post(user_api::revoke_scopes))
            .route("/v1/user/signup", post(signup::signup))
            .route("/v1/user/update_profile", post(signup::update_profile))
            .route("/v1/user/ids", get(admin_users::ids))
            .route("/v2/app/users", get(admin_users::app_users))
            .route("/v1/api/talk/profile", get(talk_profile::profile))
            .route("/v1/api/talk/friends", get(friends::friends))
            .route("/v2/api/talk/memo/default/send", post(messages::memo_default))
            .route("/v2/api/talk/memo/send", post(messages::memo_custom))
            .route("/v2/api/talk/memo/scrap/send", post(messages::memo_scrap))
            .route(
                "/v1/api/talk/friends/message/scrap/send",
                post(messages::friends_scrap),
            )
            .route(
                "/v1/api/talk/friends/message/default/send",
                post(messages::friends_default),
            )
            .route(
                "/v1/api/talk/friends/message/send",
                post(messages::friends_custom),
            )
            .route(
                "/v2/api/talk/message/image/upload",
                post(image_upload::upload).layer(DefaultBodyLimit::max(image_upload::BODY_LIMIT)),
            )
            .route("/v2/api/talk/message/image/scrap", post(image_scrap::scrap))
            .route("/_sandbox/images/{file}", get(image_upload::serve_image))
            .route("/_inbox/{user_id}", get(inbox::inbox_page))
            .route("/_sdk/kakao.js", get(talk_share::sdk))
            .route("/_sandbox/share/picker", post(talk_share::start))
            .route("/_sandbox/share/{id}", get(talk_share::picker))
            .route("/_sandbox/share/{id}/send", post(talk_share::send))
            .route("/_sandbox/share-demo", get(talk_share::demo))
            .route("/v1/oidc/userinfo", get(oidc::userinfo).post(oidc::userinfo))
            .route("/v2/api/calendar/calendars", get(talk_calendar::calendars))
            .route("/v2/api/calendar/create/event", post(talk_calendar::create_event))
            .route("/v2/api/calendar/events", get(talk_calendar::events))
            .route("/v2/api/calendar/event", get(talk_calendar::event))
            .route(
                "/v2/api/calendar/update/event/host",
                post(talk_calendar::update_event),
            )
            .route(
                "/v2/api/calendar/update/event/guest",
                post(talk_calendar::update_event_guest),
            )
            .route(
                "/v2/api/calendar/delete/event",
                delete(talk_calendar::delete_event),
            )
            .route(
                "/v2/api/calendar/create/calendar",
                post(talk_calendar_extra::create_calendar),
            )
            .route(
                "/v2/api/calendar/update/calendar",
                post(talk_calendar_extra::update_calendar),
            )
            .route(
                "/v2/api/calendar/delete/calendar",
                delete(talk_calendar_extra::delete_calendar),
            )
            .route("/v2/api/calendar/holidays", get(talk_calendar_extra::holidays))
            .route("/_admin/calendar/{user_id}", get(talk_calendar::admin_calendar))
            .merge(admin::routes())
            .fallback(unknown::not_found)
            .method_not_allowed_fallback(unknown::method_not_allowed)
            .layer(axum::middleware::from_fn_with_state(self.clone(), faults::apply))
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                browser_calls::apply,
            ))
            .with_state(self.clone())
    }

    /// Runs what became due at the current clock time (the 24-hour auto-unlink) and waits for
    /// the webhooks it fires. `POST /_admin/clock` calls this before answering.
    pub async fn run_due(&self) -> Vec<WebhookOutcome> {
        unlink::sweep(self).await
    }

    /// Registers work to run after every move of the clock through the control API, once the
    /// sandbox's own due work is done (Gachi runs its due outbox work here).
    pub fn on_clock_moved(&self, hook: ClockHook) {
        if let Ok(mut slot) = self.inner.clock_hook.lock() {
            *slot = Some(hook);
        }
    }

    /// Runs the registered clock hook, if any.
    pub(crate) async fn run_clock_hook(&self) {
        let hook = self.inner.clock_hook.lock().ok().and_then(|h| h.clone());
        if let Some(hook) = hook {
            hook().await;
        }
    }

    /// Runs [`Self::run_due`] every minute, for sandboxes left running in real time.
    pub fn spawn_sweeper(&self) -> tokio::task::JoinHandle<()> {
        let sandbox = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                sandbox.run_due().await;
            }
        })
    }

    fn lock(&self) -> MutexGuard<'_, state::State> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
