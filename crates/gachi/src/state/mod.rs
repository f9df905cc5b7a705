//! Everything a request handler needs, built once at start-up: settings, storage, the Kakao
//! client, the clock, and (in sandbox mode) the in-process Kakao sandbox.

pub mod cache;
pub mod fresh;
pub mod metrics;

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use anyhow::{Context, bail};
use domain::clock::Clock;
use kakao::wire::Jwks;
use kakao::{KakaoClient, KakaoConfig};
use kakao_sandbox::Sandbox;
use secrecy::ExposeSecret;
use storage::{Store, TokenCipher};
use url::Url;

use self::metrics::Metrics;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    /// The public URL without a trailing slash.
    pub public_url: String,
    pub store: Store,
    pub kakao: KakaoClient,
    pub clock: Clock,
    /// The in-process sandbox, in sandbox mode only.
    pub sandbox: Option<Sandbox>,
    /// The admin key that signs Kakao's webhooks to us.
    pub admin_key: Option<String>,
    pub secure_cookies: bool,
    /// Kakao's signing keys, fetched on first use and again when a token names an unknown key.
    pub jwks: tokio::sync::RwLock<Option<Jwks>>,
    /// This instance's own metrics recorder (no global one: see `state::metrics`).
    pub metrics: Arc<Metrics>,
    /// Serialised schedule answers per room version (see `events::api`).
    pub schedule_cache: cache::ScheduleCache,
    /// Finished schedule images, keyed by content (issue 7).
    pub renderer: render::RenderCache,
    /// Wakes the share outbox worker after a share is queued (issue 7).
    pub outbox_wake: tokio::sync::Notify,
    /// One memo-reminder round at a time on this instance, so a clock move waits for the
    /// loop's round in flight and answers only when what fell due has gone; it holds the
    /// rooms' schedules as last read (`reminders::worker::ReadRooms`: room id → mark, read at,
    /// read again by), so quiet rooms are not read every round.
    pub reminder_round:
        tokio::sync::Mutex<std::collections::HashMap<String, (storage::ReminderRoomMark, i64, i64)>>,
    /// Each user's Kakao friend list, kept at most 60 s (issue 7).
    pub friends_cache: cache::FriendsCache,
    /// This instance's name on outbox leases (issue 7).
    pub instance_id: String,
    /// Sessions and memberships kept while the database has not changed (issue 22).
    pub fresh: fresh::Fresh,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Builds the state for a server bound at `bound`.
    pub async fn build(config: Config, bound: SocketAddr) -> anyhow::Result<Self> {
        kakao::install_crypto_provider();
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_owned();
        let public = Url::parse(&public_url).context("GACHI_PUBLIC_URL is not a URL")?;
        let clock = Clock::new();
        let cipher = load_cipher(&config)?;
        let store = Store::open(&config.database_url, cipher)
            .await
            .with_context(|| "could not open the database (GACHI_DATABASE_URL)")?;

        let (kakao_config, sandbox, admin_key) = if config.sandbox_mode() {
            let sandbox = Sandbox::demo(&format!("{public_url}/_kakao"), clock.clone())?;
            let callback = format!("{public_url}/auth/kakao/callback");
            let webhook = format!("{public_url}/webhooks/kakao/unlink");
            sandbox.update_app(|app| {
                if !app.redirect_uris.contains(&callback) {
                    app.redirect_uris.push(callback);
                }
                let origin = public.origin().ascii_serialization();
                if !app.js_domains.contains(&origin) {
                    app.js_domains.push(origin);
                }
                app.unlink_webhook_url = Some(webhook);
            });
            let app = sandbox.app();
            let base = Url::parse(&format!("{public_url}/_kakao"))?;
            let kc = KakaoConfig::new(app.rest_api_key.clone())
                .with_base(base)
                .with_client_secret(app.client_secret.clone())
                .with_admin_key(app.admin_key.clone());
            (kc, Some(sandbox), Some(app.admin_key))
        } else {
            let key = config.kakao_rest_api_key.clone().unwrap_or_default();
            let mut kc = KakaoConfig::new(key);
            kc.auth_base = Url::parse(&config.kakao_auth_base).context("KAKAO_AUTH_BASE is not a URL")?;
            kc.api_base = Url::parse(&config.kakao_api_base).context("KAKAO_API_BASE is not a URL")?;
            if let Some(secret) = &config.kakao_client_secret {
                kc = kc.with_client_secret(secret.expose_secret());
            }
            let admin = config
                .kakao_admin_key
                .as_ref()
                .map(|k| k.expose_secret().to_owned());
            if let Some(admin) = &admin {
                kc = kc.with_admin_key(admin.clone());
            }
            (kc, None, admin)
        };
        if config.outbox_lease_ms < 2 * i64::try_from(config.kakao_timeout_ms).unwrap_or(i64::MAX / 4) + 1_000
        {
            bail!(
                "GACHI_OUTBOX_LEASE_MS must be at least twice GACHI_KAKAO_TIMEOUT_MS plus 1000, \
                 or a live Kakao call could outlast its lease and be reported unknown"
            );
        }
        // The Kakao client's own settings, with the timeout from the configuration.
        let mut http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(config.kakao_timeout_ms))
            .connect_timeout(std::time::Duration::from_millis(
                config.kakao_timeout_ms.min(5_000),
            ))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("gachi/", env!("CARGO_PKG_VERSION")));
        // With the built-in sandbox on a plain-http address, every Kakao call stays on this
        // server over http, so the system's root certificates are not loaded: reading and
        // parsing the ~300 files of /etc/ssl/certs was the larger part of start-up (issue 22).
        // A sandbox behind an https address still verifies its own certificate as usual.
        if sandbox.is_some()
            && kakao_config.auth_base.scheme() == "http"
            && kakao_config.api_base.scheme() == "http"
        {
            http = http.tls_certs_only(std::iter::empty());
        }
        let http = http
            .build()
            .context("the HTTP client for Kakao could not be built")?;
        let metrics = Arc::new(Metrics::new());
        let observed = Arc::clone(&metrics);
        let kakao = KakaoClient::with_http(kakao_config, http).with_observer(Arc::new(
            move |api: &str, outcome: &str| observed.kakao_call(api, outcome),
        ));
        let state = Self(Arc::new(Inner {
            secure_cookies: public.scheme() == "https",
            kakao,
            config,
            public_url,
            store,
            clock,
            sandbox,
            admin_key,
            jwks: tokio::sync::RwLock::new(None),
            metrics,
            schedule_cache: Default::default(),
            renderer: render::RenderCache::default(),
            outbox_wake: tokio::sync::Notify::new(),
            reminder_round: tokio::sync::Mutex::new(std::collections::HashMap::new()),
            friends_cache: cache::FriendsCache::new(cache::FRIENDS_TTL_MS),
            instance_id: storage::new_id(),
            fresh: fresh::Fresh::default(),
        }));
        Ok(state)
    }

    /// A handle that does not keep the state alive (for hooks the state itself holds).
    pub fn downgrade(&self) -> std::sync::Weak<Inner> {
        Arc::downgrade(&self.0)
    }

    pub fn upgrade(weak: &std::sync::Weak<Inner>) -> Option<Self> {
        weak.upgrade().map(Self)
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }
}

/// The token-encryption key: `GACHI_SECRET_KEY`, or for a single SQLite instance a key file
/// generated once with 0600 permissions. PostgreSQL deployments must set the key, since every
/// instance has to read the same tokens.
fn load_cipher(config: &Config) -> anyhow::Result<TokenCipher> {
    if let Some(key) = &config.secret_key {
        return TokenCipher::from_base64(key.expose_secret())
            .context("GACHI_SECRET_KEY must be 32 random bytes in base64");
    }
    let Some(db_path) = sqlite_path(&config.database_url) else {
        bail!(
            "GACHI_SECRET_KEY is required with PostgreSQL: every instance must decrypt the same Kakao tokens. \
             Generate one with: head -c 32 /dev/urandom | base64"
        );
    };
    let path = config
        .secret_key_file
        .clone()
        .unwrap_or_else(|| format!("{db_path}.key").into());
    if let Ok(text) = std::fs::read_to_string(&path) {
        return TokenCipher::from_base64(&text)
            .with_context(|| format!("{} is not a valid key file", path.display()));
    }
    use base64::Engine;
    use ring::rand::SecureRandom;
    let mut key = [0u8; 32];
    ring::rand::SystemRandom::new()
        .fill(&mut key)
        .map_err(|_| anyhow::anyhow!("no system randomness"))?;
    let text = base64::engine::general_purpose::STANDARD.encode(key);
    write_private(&path, &text)
        .with_context(|| format!("could not write the key file {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a token-encryption key file");
    Ok(TokenCipher::new(&key)?)
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// The file path of a `sqlite://` URL (None for other backends).
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest).to_owned())
}
