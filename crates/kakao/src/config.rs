//! Where Kakao lives and which keys this deployment holds.

use secrecy::SecretString;
use url::Url;

pub const DEFAULT_AUTH_BASE: &str = "https://kauth.kakao.com";
pub const DEFAULT_API_BASE: &str = "https://kapi.kakao.com";

/// The client's configuration. `Debug` never shows the secrets (they are [`SecretString`]s).
#[derive(Clone, Debug)]
pub struct KakaoConfig {
    /// kauth root (`https://kauth.kakao.com`, or a sandbox root).
    pub auth_base: Url,
    /// kapi root (`https://kapi.kakao.com`, or a sandbox root).
    pub api_base: Url,
    /// The REST API key, which is the OAuth `client_id`.
    pub rest_api_key: String,
    /// Sent on token and refresh requests when set (Kakao requires it when enabled for the key).
    pub client_secret: Option<SecretString>,
    /// For admin-key calls (`Authorization: KakaoAK …`).
    pub admin_key: Option<SecretString>,
}

impl KakaoConfig {
    /// Real Kakao with the given REST API key.
    pub fn new(rest_api_key: impl Into<String>) -> Self {
        Self {
            auth_base: Url::parse(DEFAULT_AUTH_BASE).unwrap_or_else(|_| unreachable!()),
            api_base: Url::parse(DEFAULT_API_BASE).unwrap_or_else(|_| unreachable!()),
            rest_api_key: rest_api_key.into(),
            client_secret: None,
            admin_key: None,
        }
    }

    /// Points both kauth and kapi at one root, as a sandbox serves them.
    pub fn with_base(mut self, base: Url) -> Self {
        self.auth_base = base.clone();
        self.api_base = base;
        self
    }

    pub fn with_client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(SecretString::from(secret.into()));
        self
    }

    pub fn with_admin_key(mut self, key: impl Into<String>) -> Self {
        self.admin_key = Some(SecretString::from(key.into()));
        self
    }

    /// The OIDC issuer Kakao puts in ID tokens: the kauth root without a trailing slash.
    pub fn issuer(&self) -> String {
        self.auth_base.as_str().trim_end_matches('/').to_owned()
    }
}
