//! Settings from flags and environment (clap `env`). Secrets are `SecretString`, so printing
//! the configuration never shows them.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use secrecy::SecretString;

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "GACHI_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The URL people use to reach Gachi (links, cookies, the Kakao redirect URI). Defaults to http://{bind}.
    #[arg(long, env = "GACHI_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(long, env = "GACHI_DATABASE_URL", default_value = "sqlite://gachi.db")]
    pub database_url: String,
    /// 32 random bytes, base64: encrypts Kakao tokens at rest. Required with PostgreSQL.
    #[arg(long, env = "GACHI_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<SecretString>,
    /// Where a single SQLite instance keeps its generated key when GACHI_SECRET_KEY is unset
    /// (default: the database file's path plus `.key`).
    #[arg(long, env = "GACHI_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
    /// Serve the built-in Kakao sandbox on a non-loopback address (anyone could log in as anyone).
    #[arg(long)]
    pub sandbox: bool,
    /// Kakao REST API key; without it Gachi runs against its built-in sandbox.
    #[arg(long, env = "KAKAO_REST_API_KEY", hide_env_values = true)]
    pub kakao_rest_api_key: Option<String>,
    #[arg(long, env = "KAKAO_CLIENT_SECRET", hide_env_values = true)]
    pub kakao_client_secret: Option<SecretString>,
    #[arg(long, env = "KAKAO_ADMIN_KEY", hide_env_values = true)]
    pub kakao_admin_key: Option<SecretString>,
    #[arg(long, env = "KAKAO_JS_KEY")]
    pub kakao_js_key: Option<String>,
    /// kauth root (a standalone sandbox's root in tests).
    #[arg(long, env = "KAKAO_AUTH_BASE", default_value = kakao::DEFAULT_AUTH_BASE)]
    pub kakao_auth_base: String,
    /// kapi root (a standalone sandbox's root in tests).
    #[arg(long, env = "KAKAO_API_BASE", default_value = kakao::DEFAULT_API_BASE)]
    pub kakao_api_base: String,
    /// What the operator's Kakao app has: `granted` or `members-only` (used by the diagnosis).
    #[arg(long, env = "KAKAO_FRIENDS_PERMISSION", default_value = "members-only")]
    pub kakao_friends_permission: String,
    /// Expose GET/POST /_test/clock (tests that run Gachi against a standalone sandbox).
    #[arg(long)]
    pub test_clock: bool,
    /// Logins started per client IP per minute.
    #[arg(long, env = "GACHI_LOGIN_RATE_PER_MINUTE", default_value_t = 30)]
    pub login_rate_per_minute: u32,
    /// How long a client may take to send a request's headers, in milliseconds; a connection
    /// that has not finished them by then is closed (slow-header clients hold no socket for long).
    #[arg(long, env = "GACHI_HEADER_TIMEOUT_MS", default_value_t = 10_000)]
    pub header_timeout_ms: u64,
    /// How long one request may take from its headers to the answer, in milliseconds (then 408).
    #[arg(long, env = "GACHI_REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,
    /// Invitation lookups and accepts per client IP: the burst allowed at once.
    #[arg(long, env = "GACHI_INVITE_RATE_BURST", default_value_t = 20)]
    pub invite_rate_burst: u32,
    /// Invitation lookups and accepts per client IP per minute once the burst is spent. The IP is
    /// the TCP peer's address: behind a reverse proxy every client shares the proxy's address.
    #[arg(long, env = "GACHI_INVITE_RATE_PER_MINUTE", default_value_t = 10)]
    pub invite_rate_per_minute: u32,
    /// Session lifetime in days.
    #[arg(long, env = "GACHI_SESSION_DAYS", default_value_t = 30)]
    pub session_days: i64,
    /// How long an invitation code works, in days.
    #[arg(long, env = "GACHI_INVITE_TTL_DAYS", default_value_t = 7)]
    pub invite_ttl_days: i64,
    /// Whole-request timeout of every Kakao call, in milliseconds (a send whose answer does not
    /// come in time is `unknown`).
    #[arg(long, env = "GACHI_KAKAO_TIMEOUT_MS", default_value_t = 10_000)]
    pub kakao_timeout_ms: u64,
    /// Kakao message calls (of up to 5 receivers each) the outbox keeps in flight per instance.
    #[arg(long, env = "GACHI_OUTBOX_CONCURRENCY", default_value_t = 5)]
    pub outbox_concurrency: usize,
    /// An outbox lease in milliseconds; at least twice the Kakao timeout plus a second, so a live
    /// call always ends before its lease does.
    #[arg(long, env = "GACHI_OUTBOX_LEASE_MS", default_value_t = 60_000)]
    pub outbox_lease_ms: i64,
    /// The first retry delay after a transient failure, in milliseconds (doubling, with jitter,
    /// at most 5 minutes).
    #[arg(long, env = "GACHI_OUTBOX_RETRY_BASE_MS", default_value_t = 2_000)]
    pub outbox_retry_base_ms: i64,
    /// Messages per KST day Gachi lets the whole app send (Kakao's default quota).
    #[arg(long, env = "GACHI_QUOTA_APP_DAY", default_value_t = 30_000)]
    pub quota_app_day: i64,
    /// Messages per KST day from one sender.
    #[arg(long, env = "GACHI_QUOTA_SENDER_DAY", default_value_t = 100)]
    pub quota_sender_day: i64,
    /// Messages per KST day to one receiver.
    #[arg(long, env = "GACHI_QUOTA_RECEIVER_DAY", default_value_t = 100)]
    pub quota_receiver_day: i64,
    /// Messages per KST day from one sender to one receiver.
    #[arg(long, env = "GACHI_QUOTA_PAIR_DAY", default_value_t = 20)]
    pub quota_pair_day: i64,
}

impl Config {
    /// Defaults, as `gachi serve` with no flags and no environment would have them (for tests).
    pub fn defaults(bind: SocketAddr, database_url: String) -> Self {
        Self {
            bind,
            public_url: None,
            database_url,
            secret_key: None,
            secret_key_file: None,
            sandbox: false,
            kakao_rest_api_key: None,
            kakao_client_secret: None,
            kakao_admin_key: None,
            kakao_js_key: None,
            kakao_auth_base: kakao::DEFAULT_AUTH_BASE.into(),
            kakao_api_base: kakao::DEFAULT_API_BASE.into(),
            kakao_friends_permission: "members-only".into(),
            test_clock: false,
            login_rate_per_minute: 30,
            header_timeout_ms: 10_000,
            request_timeout_ms: 30_000,
            invite_rate_burst: 20,
            invite_rate_per_minute: 10,
            session_days: 30,
            invite_ttl_days: 7,
            kakao_timeout_ms: 10_000,
            outbox_concurrency: 5,
            outbox_lease_ms: 60_000,
            outbox_retry_base_ms: 2_000,
            quota_app_day: 30_000,
            quota_sender_day: 100,
            quota_receiver_day: 100,
            quota_pair_day: 20,
        }
    }

    /// The daily message quotas Gachi counts against.
    pub fn quota_limits(&self) -> storage::QuotaLimits {
        storage::QuotaLimits {
            app_day: self.quota_app_day,
            sender_day: self.quota_sender_day,
            receiver_day: self.quota_receiver_day,
            pair_day: self.quota_pair_day,
        }
    }

    /// True when no Kakao key is configured: the built-in sandbox stands in for Kakao.
    pub fn sandbox_mode(&self) -> bool {
        self.kakao_rest_api_key.as_deref().is_none_or(str::is_empty)
    }
}
