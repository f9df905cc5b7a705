//! The checks of `gachi doctor`, in the order they are printed (their names and shared texts
//! live in `names.rs`). The probes live in `probe.rs`; the checks by subject in `settings.rs`
//! (local settings), `kauth.rs` (discovery, clock, key and secret), `authorize.rs` (redirect
//! URI, OIDC, consent items) and `kapi.rs` (admin key).
//!
//! Every probe is harmless: a token request with a code that cannot exist, authorize requests
//! that are never completed (redirects are not followed), an admin-key lookup of a user id
//! that is nobody, and reads of public documents. Nothing here prints a key or a secret.

use std::time::Duration;

use kakao::{KakaoClient, KakaoConfig};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::authorize::authorize_checks;
use super::kapi::admin_checks;
use super::kauth::{discovery_checks, token_checks};
use super::names::*;
use super::probe::sandbox_console;
use super::settings::{js_key_check, permission_check, public_url, webhook_check};
use super::{Check, Status};
use crate::Config;

impl Check {
    pub(super) fn new(id: &'static str, name: &'static str, status: Status, detail: String) -> Self {
        Self {
            id,
            name,
            status,
            detail,
            fix: None,
        }
    }

    pub(super) fn ok(id: &'static str, name: &'static str, detail: String) -> Self {
        Self::new(id, name, Status::Ok, detail)
    }

    pub(super) fn info(id: &'static str, name: &'static str, detail: String) -> Self {
        Self::new(id, name, Status::Info, detail)
    }

    pub(super) fn warn(id: &'static str, name: &'static str, detail: String, fix: String) -> Self {
        Self::new(id, name, Status::Warn, detail).with_fix(fix)
    }

    pub(super) fn fail(id: &'static str, name: &'static str, detail: String, fix: String) -> Self {
        Self::new(id, name, Status::Fail, detail).with_fix(fix)
    }

    pub(super) fn skip(id: &'static str, name: &'static str, why: String) -> Self {
        Self::new(id, name, Status::Skip, why)
    }

    pub(super) fn with_fix(mut self, fix: String) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// No Kakao key: the built-in sandbox stands in for Kakao and Gachi configures it itself.
pub(super) fn sandbox_mode(config: &Config) -> Vec<Check> {
    let mut checks = vec![Check::ok(
        "sandbox_mode",
        N_SANDBOX_MODE,
        text(
            "KAKAO_REST_API_KEY가 없어 Gachi는 내장 카카오 샌드박스(/_kakao/)로 동작합니다. 샌드박스는 Gachi가 \
             직접 설정하므로 카카오 쪽에서 점검할 것이 없습니다. 실제 카카오를 쓰려면 KAKAO_REST_API_KEY, \
             KAKAO_CLIENT_SECRET, KAKAO_ADMIN_KEY, KAKAO_JS_KEY를 설정하고 다시 실행하세요.",
            "KAKAO_REST_API_KEY is not set, so Gachi runs against its built-in Kakao sandbox (under /_kakao/), \
             which it configures itself: nothing to check at Kakao. To use real Kakao, set KAKAO_REST_API_KEY, \
             KAKAO_CLIENT_SECRET, KAKAO_ADMIN_KEY and KAKAO_JS_KEY and run `gachi doctor` again.",
        ),
    )];
    if !config.bind.ip().is_loopback() && !config.sandbox {
        checks.push(Check::warn(
            "bind",
            N_BIND,
            text(
                format!(
                    "루프백 주소가 아닙니다: {}. 샌드박스는 누구나 누구로든 로그인할 수 있게 하므로 `gachi serve`는 \
                     --sandbox 없이 이 주소에서 시작하지 않습니다.",
                    config.bind
                ),
                format!(
                    "{} is not a loopback address. The sandbox lets anyone log in as anyone, so `gachi serve` \
                     refuses to listen there without --sandbox.",
                    config.bind
                ),
            ),
            text(
                "GACHI_BIND=127.0.0.1:8080을 쓰거나, 정말 공개하려면 --sandbox를 주세요.",
                "Use GACHI_BIND=127.0.0.1:8080, or pass --sandbox if you really mean to expose it.",
            ),
        ));
    }
    checks.push(public_url(config).0);
    checks
}

fn secret(s: &Option<SecretString>) -> Option<String> {
    s.as_ref()
        .map(|s| s.expose_secret().to_owned())
        .filter(|s| !s.is_empty())
}

/// A real deployment (or one pointed at a standalone sandbox): every check.
pub(super) async fn real(config: &Config) -> Vec<Check> {
    let mut checks = Vec::new();
    let rest_key = config.kakao_rest_api_key.clone().unwrap_or_default();
    let client_secret = secret(&config.kakao_client_secret);
    let admin_key = secret(&config.kakao_admin_key);
    let js_key = config.kakao_js_key.clone().filter(|k| !k.is_empty());

    let http = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("gachi-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            checks.push(Check::fail(
                "http_client",
                "HTTP 클라이언트 · HTTP client",
                text(
                    "HTTP 클라이언트를 만들 수 없습니다.",
                    format!("The HTTP client could not be built: {e}"),
                ),
                text("시스템의 TLS 설정을 확인하세요.", "Check the system's TLS setup."),
            ));
            return checks;
        }
    };

    let auth_base = Url::parse(config.kakao_auth_base.trim());
    let api_base = Url::parse(config.kakao_api_base.trim());
    let console = match &auth_base {
        Ok(base) => sandbox_console(&http, base).await,
        Err(_) => None,
    };
    if console.is_some() {
        checks.push(Check::info(
            "sandbox_console",
            N_CONSOLE,
            text(
                format!(
                    "KAKAO_AUTH_BASE ({})는 카카오 샌드박스입니다. 실제 카카오가 밖에서 보여 주지 않는 콘솔 설정 \
                     (OIDC, 동의항목 종류, JavaScript 도메인, 웹훅, 권한)은 샌드박스의 /_admin/app에서 읽었습니다.",
                    config.kakao_auth_base
                ),
                format!(
                    "KAKAO_AUTH_BASE ({}) is a Kakao sandbox: console settings real Kakao does not show from \
                     outside (OIDC, consent item kinds, JavaScript domains, webhook, permission) were read from its \
                     /_admin/app.",
                    config.kakao_auth_base
                ),
            ),
        ));
    }

    let (public_check, public) = public_url(config);
    checks.push(public_check);

    // kauth: discovery, issuer, JWKS, clock.
    let mut kauth_up = false;
    let client = match (&auth_base, &api_base) {
        (Ok(auth), Ok(api)) => {
            let kc = KakaoConfig {
                auth_base: auth.clone(),
                api_base: api.clone(),
                rest_api_key: rest_key.clone(),
                client_secret: client_secret.clone().map(SecretString::from),
                admin_key: admin_key.clone().map(SecretString::from),
            };
            Some(KakaoClient::with_http(kc, http.clone()))
        }
        _ => None,
    };
    match &auth_base {
        Err(e) => {
            checks.push(Check::fail(
                "discovery",
                N_DISCOVERY,
                text(
                    format!(
                        "KAKAO_AUTH_BASE가 URL이 아닙니다: `{}` ({e}).",
                        config.kakao_auth_base
                    ),
                    format!("KAKAO_AUTH_BASE `{}` is not a URL ({e}).", config.kakao_auth_base),
                ),
                text(
                    format!(
                        "KAKAO_AUTH_BASE를 지우거나 (기본값 {}) 올바른 URL로 설정하세요.",
                        kakao::DEFAULT_AUTH_BASE
                    ),
                    format!(
                        "Unset KAKAO_AUTH_BASE (default {}) or set it to a URL.",
                        kakao::DEFAULT_AUTH_BASE
                    ),
                ),
            ));
        }
        Ok(base) => {
            kauth_up = discovery_checks(&mut checks, &http, client.as_ref(), base, config).await;
        }
    }

    // The REST API key and client secret, proved by a token request with a bogus code.
    let redirect_uri = public
        .as_ref()
        .map(|p| p.redirect_uri.clone())
        .unwrap_or_default();
    let key_ok = match (&client, kauth_up) {
        (Some(client), true) => {
            token_checks(
                &mut checks,
                client,
                &rest_key,
                client_secret.is_some(),
                &redirect_uri,
                console.as_ref(),
            )
            .await
        }
        _ => {
            let why = text(
                "카카오 인증 서버(kauth)에 닿지 않아 점검하지 못했습니다.",
                "Not checked: Kakao's auth server (kauth) could not be reached.",
            );
            checks.push(Check::skip("rest_api_key", N_REST_KEY, why.clone()));
            checks.push(Check::skip("client_secret", N_SECRET, why));
            false
        }
    };

    // Authorize probes: the redirect URI, then the consent items.
    authorize_checks(
        &mut checks,
        &http,
        client.as_ref(),
        public.as_ref(),
        key_ok,
        console.as_ref(),
    )
    .await;

    // kapi and the admin key.
    admin_checks(
        &mut checks,
        &http,
        client.as_ref(),
        &api_base,
        config,
        &rest_key,
        admin_key.as_deref(),
    )
    .await;

    checks.push(js_key_check(
        js_key.as_deref(),
        &rest_key,
        admin_key.as_deref(),
        public.as_ref(),
        console.as_ref(),
    ));
    checks.push(webhook_check(
        public.as_ref(),
        admin_key.is_some(),
        console.as_ref(),
    ));
    checks.push(permission_check(
        &config.kakao_friends_permission,
        console.as_ref(),
    ));
    checks
}
