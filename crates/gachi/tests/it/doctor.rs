//! `gachi doctor` against an in-process Kakao sandbox on port 0: configured well it passes
//! (exit 0); misconfigured one way at a time, the report names the problem and its fix and
//! the binary exits non-zero. Each case runs both the library (`gachi::doctor::run`, to assert
//! on structure) and the real binary (to assert on what an operator reads and the exit code).

use std::process::Command;

use domain::clock::Clock;
use gachi::Config;
use gachi::doctor::{Report, Status, clock_check};
use kakao_sandbox::{ConsentKind, Sandbox};
use secrecy::SecretString;

/// The demo app registers this origin's redirect URI and JavaScript domain.
const PUBLIC_URL: &str = "http://127.0.0.1:8080";
const CALLBACK: &str = "http://127.0.0.1:8080/auth/kakao/callback";
/// A well-formed key no app has.
const STRANGER_KEY: &str = "0123456789abcdef0123456789abcdef";

/// Every setting doctor reads from the environment; the child gets only what a case sets.
const VARS: [&str; 9] = [
    "KAKAO_REST_API_KEY",
    "KAKAO_CLIENT_SECRET",
    "KAKAO_ADMIN_KEY",
    "KAKAO_JS_KEY",
    "KAKAO_AUTH_BASE",
    "KAKAO_API_BASE",
    "GACHI_PUBLIC_URL",
    "KAKAO_FRIENDS_PERMISSION",
    "GACHI_BIND",
];

struct Kakao {
    sandbox: Sandbox,
    base: String,
}

async fn kakao() -> Kakao {
    kakao::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let sandbox = Sandbox::demo(&base, Clock::new()).unwrap();
    sandbox.update_app(|app| {
        app.unlink_webhook_url = Some(format!("{PUBLIC_URL}/webhooks/kakao/unlink"));
    });
    let router = sandbox.router();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Kakao { sandbox, base }
}

/// A deployment's settings, as the environment variables an operator sets.
#[derive(Clone)]
struct Settings(Vec<(&'static str, String)>);

impl Kakao {
    /// Everything right for the sandbox's app.
    fn good(&self) -> Settings {
        let app = self.sandbox.app();
        Settings(vec![
            ("KAKAO_REST_API_KEY", app.rest_api_key),
            ("KAKAO_CLIENT_SECRET", app.client_secret),
            ("KAKAO_ADMIN_KEY", app.admin_key),
            ("KAKAO_JS_KEY", app.javascript_key),
            ("KAKAO_AUTH_BASE", self.base.clone()),
            ("KAKAO_API_BASE", self.base.clone()),
            ("GACHI_PUBLIC_URL", PUBLIC_URL.into()),
            ("KAKAO_FRIENDS_PERMISSION", "members-only".into()),
        ])
    }
}

impl Settings {
    fn set(mut self, name: &'static str, value: &str) -> Self {
        self = self.without(name);
        self.0.push((name, value.to_owned()));
        self
    }

    fn without(mut self, name: &str) -> Self {
        self.0.retain(|(k, _)| *k != name);
        self
    }

    /// The same settings as `gachi::Config`, for the library call.
    fn config(&self) -> Config {
        let mut c = Config::defaults("127.0.0.1:8080".parse().unwrap(), "sqlite::memory:".into());
        for (name, value) in &self.0 {
            let v = value.clone();
            match *name {
                "KAKAO_REST_API_KEY" => c.kakao_rest_api_key = Some(v),
                "KAKAO_CLIENT_SECRET" => c.kakao_client_secret = Some(SecretString::from(v)),
                "KAKAO_ADMIN_KEY" => c.kakao_admin_key = Some(SecretString::from(v)),
                "KAKAO_JS_KEY" => c.kakao_js_key = Some(v),
                "KAKAO_AUTH_BASE" => c.kakao_auth_base = v,
                "KAKAO_API_BASE" => c.kakao_api_base = v,
                "GACHI_PUBLIC_URL" => c.public_url = Some(v),
                "KAKAO_FRIENDS_PERMISSION" => c.kakao_friends_permission = v,
                "GACHI_BIND" => c.bind = v.parse().unwrap(),
                other => panic!("unknown setting {other}"),
            }
        }
        c
    }
}

/// What doctor found: the library's report, and the binary's exit code and output.
struct Diagnosis {
    report: Report,
    exit: i32,
    out: String,
}

async fn diagnose(settings: &Settings) -> Diagnosis {
    let report = gachi::doctor::run(&settings.config()).await;
    let vars = settings.0.clone();
    let (exit, out) = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gachi"));
        cmd.arg("doctor").env("RUST_LOG", "warn");
        for var in VARS {
            cmd.env_remove(var);
        }
        for (name, value) in &vars {
            cmd.env(name, value);
        }
        let output = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(stderr.trim().is_empty(), "doctor wrote to stderr: {stderr}");
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
        )
    })
    .await
    .unwrap();
    Diagnosis { report, exit, out }
}

impl Diagnosis {
    /// The check `id` failed, its detail mentions every one of `detail` and its fix every one
    /// of `fix`; the binary printed that check with its fix and exited 1.
    fn assert_fails(&self, id: &str, detail: &[&str], fix: &[&str]) {
        let check = self
            .report
            .check(id)
            .unwrap_or_else(|| panic!("no check {id}:\n{}", self.out));
        assert_eq!(check.status, Status::Fail, "{id}:\n{}", self.out);
        for needle in detail {
            assert!(
                check.detail.contains(needle),
                "{id} detail lacks {needle:?}: {}",
                check.detail
            );
        }
        let fix_text = check.fix.as_deref().unwrap_or_else(|| panic!("{id} has no fix"));
        for needle in fix {
            assert!(fix_text.contains(needle), "{id} fix lacks {needle:?}: {fix_text}");
        }
        assert_eq!(self.exit, 1, "exit code with a failure:\n{}", self.out);
        assert!(
            self.out.contains(&format!("[FAIL] {}", check.name)),
            "printed: {}",
            self.out
        );
        for line in check.detail.lines().chain(fix_text.lines()) {
            assert!(
                self.out.contains(line),
                "printed output lacks {line:?}:\n{}",
                self.out
            );
        }
        assert!(self.out.contains("해결 / Fix:"));
        assert!(self.out.contains("Result: "));
    }

    fn status(&self, id: &str) -> Status {
        self.report
            .check(id)
            .unwrap_or_else(|| panic!("no check {id}:\n{}", self.out))
            .status
    }

    fn failed_ids(&self) -> Vec<&str> {
        self.report.failures().map(|c| c.id).collect()
    }
}

#[tokio::test]
async fn a_good_configuration_passes() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good()).await;
    assert_eq!(d.exit, 0, "{}", d.out);
    assert!(!d.report.has_failures(), "{}", d.out);
    assert!(!d.report.sandbox_mode);
    for id in [
        "public_url",
        "discovery",
        "issuer",
        "jwks",
        "clock",
        "rest_api_key",
        "client_secret",
        "redirect_uri",
        "oidc",
        "consent_login",
        "consent_friends",
        "consent_talk_calendar",
        "kapi",
        "admin_key",
        "js_key",
        "unlink_webhook",
    ] {
        assert_eq!(d.status(id), Status::Ok, "{id}:\n{}", d.out);
    }
    // What cannot be wrong but is worth knowing: which console was read, what the permission means.
    assert_eq!(d.status("sandbox_console"), Status::Info);
    assert_eq!(d.status("friends_permission"), Status::Info);
    assert!(
        d.report
            .check("friends_permission")
            .unwrap()
            .detail
            .contains("team members")
    );
    assert!(d.out.contains("[ OK ] REST API 키 · REST API key"), "{}", d.out);
    assert!(d.out.contains("Result: all checks passed."), "{}", d.out);
    assert!(d.out.contains(CALLBACK), "the redirect URI is shown: {}", d.out);
    // No secret is ever printed.
    let app = kakao.sandbox.app();
    for secret in [&app.client_secret, &app.admin_key] {
        assert!(!d.out.contains(secret.as_str()), "a secret was printed");
    }
}

#[tokio::test]
async fn a_wrong_rest_api_key_is_koe101() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good().set("KAKAO_REST_API_KEY", STRANGER_KEY)).await;
    d.assert_fails(
        "rest_api_key",
        &["KOE101"],
        &["KAKAO_REST_API_KEY", "[REST API key]", "not the JavaScript key"],
    );
    // Checks that need the key are skipped rather than failing in a cascade.
    assert_eq!(d.status("client_secret"), Status::Skip);
    assert_eq!(d.status("redirect_uri"), Status::Skip);
    assert_eq!(d.status("consent_friends"), Status::Skip);
    assert_eq!(d.failed_ids(), ["rest_api_key"], "{}", d.out);
}

#[tokio::test]
async fn the_javascript_key_given_as_rest_api_key_is_named_a_wrong_kind() {
    let kakao = kakao().await;
    let js = kakao.sandbox.app().javascript_key;
    let d = diagnose(&kakao.good().set("KAKAO_REST_API_KEY", &js)).await;
    d.assert_fails(
        "rest_api_key",
        &["KOE101", "another kind"],
        &["not the JavaScript key"],
    );
    d.assert_fails("js_key", &["REST API key"], &["KAKAO_JS_KEY"]);
}

#[tokio::test]
async fn a_missing_client_secret_is_koe010() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good().without("KAKAO_CLIENT_SECRET")).await;
    d.assert_fails(
        "client_secret",
        &["KOE010", "KAKAO_CLIENT_SECRET is not set"],
        &["KAKAO_CLIENT_SECRET", "Client secret"],
    );
    assert_eq!(d.status("rest_api_key"), Status::Ok, "the key itself is fine");
    assert_eq!(d.failed_ids(), ["client_secret"], "{}", d.out);
}

#[tokio::test]
async fn a_wrong_client_secret_is_koe010() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good().set("KAKAO_CLIENT_SECRET", "not-the-secret")).await;
    d.assert_fails("client_secret", &["KOE010", "wrong"], &["KAKAO_CLIENT_SECRET"]);
    assert_eq!(d.failed_ids(), ["client_secret"], "{}", d.out);
}

#[tokio::test]
async fn a_client_secret_kakao_does_not_require_is_a_warning() {
    let kakao = kakao().await;
    kakao.sandbox.update_app(|app| app.client_secret_enabled = false);
    let d = diagnose(&kakao.good().without("KAKAO_CLIENT_SECRET")).await;
    assert_eq!(d.status("client_secret"), Status::Warn, "{}", d.out);
    assert!(d.report.check("client_secret").unwrap().fix.is_some());
    assert_eq!(d.exit, 0, "{}", d.out);
}

#[tokio::test]
async fn an_unregistered_redirect_uri_is_koe006() {
    let kakao = kakao().await;
    kakao
        .sandbox
        .update_app(|app| app.redirect_uris.retain(|u| u != CALLBACK));
    let d = diagnose(&kakao.good()).await;
    d.assert_fails(
        "redirect_uri",
        &["KOE006", CALLBACK],
        &[CALLBACK, "[REST API key] > Redirect URI", "GACHI_PUBLIC_URL"],
    );
    // The consent probes would only see KOE006 again.
    assert_eq!(d.status("consent_friends"), Status::Skip);
    assert_eq!(d.failed_ids(), ["redirect_uri"], "{}", d.out);
}

#[tokio::test]
async fn kakao_login_turned_off_is_koe004() {
    let kakao = kakao().await;
    kakao.sandbox.update_app(|app| app.kakao_login_enabled = false);
    let d = diagnose(&kakao.good()).await;
    d.assert_fails("redirect_uri", &["KOE004"], &["[Kakao Login] > Activation"]);
}

#[tokio::test]
async fn oidc_turned_off_fails_every_login() {
    let kakao = kakao().await;
    kakao.sandbox.update_app(|app| app.oidc_enabled = false);
    let d = diagnose(&kakao.good()).await;
    d.assert_fails(
        "oidc",
        &["OpenID Connect is off", "every login"],
        &["[OpenID Connect]"],
    );
    assert_eq!(d.failed_ids(), ["oidc"], "{}", d.out);
}

#[tokio::test]
async fn disabled_friends_and_message_consent_items_are_koe205() {
    let kakao = kakao().await;
    kakao.sandbox.update_app(|app| {
        app.consent_items.insert("friends".into(), ConsentKind::Disabled);
        app.consent_items
            .insert("talk_message".into(), ConsentKind::Disabled);
    });
    let d = diagnose(&kakao.good()).await;
    d.assert_fails(
        "consent_friends",
        &["KOE205", "friends, talk_message"],
        &["friends", "talk_message", "consent during use", "이용 중 동의"],
    );
    assert_eq!(d.status("consent_login"), Status::Ok);
    assert_eq!(d.failed_ids(), ["consent_friends"], "{}", d.out);

    // Only one of them missing: the report names just that one.
    kakao.sandbox.update_app(|app| {
        app.consent_items.insert("friends".into(), ConsentKind::DuringUse);
    });
    let d = diagnose(&kakao.good()).await;
    d.assert_fails("consent_friends", &["KOE205", "talk_message"], &["talk_message"]);
    let detail = &d.report.check("consent_friends").unwrap().detail;
    assert!(!detail.contains("friends,"), "{detail}");
}

#[tokio::test]
async fn login_consent_items_and_consent_kinds() {
    let kakao = kakao().await;
    kakao.sandbox.update_app(|app| {
        app.consent_items
            .insert("profile_image".into(), ConsentKind::Disabled);
        app.consent_items
            .insert("talk_calendar".into(), ConsentKind::Disabled);
        // Before the permission review Kakao allows only "consent during use" here.
        app.consent_items.insert("friends".into(), ConsentKind::Optional);
    });
    let d = diagnose(&kakao.good()).await;
    d.assert_fails("consent_login", &["KOE205", "profile_image"], &["profile_image"]);
    // Talk Calendar is optional for Gachi: a warning, not a failure.
    assert_eq!(d.status("consent_talk_calendar"), Status::Warn, "{}", d.out);
    let friends = d.report.check("consent_friends").unwrap();
    assert_eq!(friends.status, Status::Warn, "{}", d.out);
    assert!(friends.detail.contains("friends"), "{}", friends.detail);
    assert!(friends.fix.as_deref().unwrap().contains("consent during use"));
}

#[tokio::test]
async fn a_wrong_admin_key_is_minus_401() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good().set("KAKAO_ADMIN_KEY", STRANGER_KEY)).await;
    d.assert_fails(
        "admin_key",
        &["-401"],
        &["KAKAO_ADMIN_KEY", "primary admin key", "unlink webhook"],
    );
    assert_eq!(d.failed_ids(), ["admin_key"], "{}", d.out);
}

#[tokio::test]
async fn a_missing_admin_key_leaves_the_unlink_webhook_unverifiable() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good().without("KAKAO_ADMIN_KEY")).await;
    d.assert_fails(
        "admin_key",
        &["KAKAO_ADMIN_KEY is not set", "unlink webhook"],
        &["KAKAO_ADMIN_KEY", "[Admin key]"],
    );
    assert_eq!(d.failed_ids(), ["admin_key"], "{}", d.out);
}

#[tokio::test]
async fn a_missing_javascript_key_breaks_talk_share() {
    let kakao = kakao().await;
    let d = diagnose(&kakao.good().without("KAKAO_JS_KEY")).await;
    d.assert_fails(
        "js_key",
        &["KAKAO_JS_KEY is not set", "Kakao Talk Share"],
        &["KAKAO_JS_KEY", "[JavaScript key]", PUBLIC_URL],
    );
    assert_eq!(d.failed_ids(), ["js_key"], "{}", d.out);
}

#[tokio::test]
async fn a_javascript_domain_not_registered_is_named() {
    let kakao = kakao().await;
    kakao
        .sandbox
        .update_app(|app| app.js_domains.retain(|d| d != PUBLIC_URL));
    let d = diagnose(&kakao.good()).await;
    d.assert_fails("js_key", &[PUBLIC_URL, "domain mismatched"], &[PUBLIC_URL]);
}

#[tokio::test]
async fn the_friends_permission_setting_is_checked_against_the_app() {
    let kakao = kakao().await;
    // The sandbox app has no permission yet: "granted" would make the diagnosis lie.
    let d = diagnose(&kakao.good().set("KAKAO_FRIENDS_PERMISSION", "granted")).await;
    assert_eq!(d.status("friends_permission"), Status::Warn, "{}", d.out);
    assert!(
        d.report
            .check("friends_permission")
            .unwrap()
            .fix
            .as_deref()
            .unwrap()
            .contains("members-only")
    );
    assert_eq!(d.exit, 0);

    kakao
        .sandbox
        .update_app(|app| app.friends_message_permission = true);
    let d = diagnose(&kakao.good().set("KAKAO_FRIENDS_PERMISSION", "granted")).await;
    assert_eq!(d.status("friends_permission"), Status::Ok, "{}", d.out);

    let d = diagnose(&kakao.good().set("KAKAO_FRIENDS_PERMISSION", "yes")).await;
    d.assert_fails("friends_permission", &["yes"], &["members-only", "granted"]);
}

#[tokio::test]
async fn unreachable_kakao_fails_and_skips_what_depends_on_it() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = format!("http://127.0.0.1:{port}");
    let settings = Settings(vec![
        ("KAKAO_REST_API_KEY", STRANGER_KEY.into()),
        ("KAKAO_CLIENT_SECRET", "s".into()),
        ("KAKAO_ADMIN_KEY", "a".into()),
        ("KAKAO_JS_KEY", "j".into()),
        ("KAKAO_AUTH_BASE", nowhere.clone()),
        ("KAKAO_API_BASE", nowhere.clone()),
        ("GACHI_PUBLIC_URL", "https://gachi.example.com".into()),
    ]);
    let d = diagnose(&settings).await;
    d.assert_fails("discovery", &[&nowhere], &["KAKAO_AUTH_BASE"]);
    d.assert_fails("kapi", &[&nowhere], &["KAKAO_API_BASE"]);
    for id in [
        "rest_api_key",
        "client_secret",
        "redirect_uri",
        "admin_key",
        "jwks",
        "clock",
    ] {
        assert_eq!(d.status(id), Status::Skip, "{id}:\n{}", d.out);
    }
    // Settings that cannot be read from real Kakao are stated, not guessed.
    assert_eq!(d.status("js_key"), Status::Info);
    assert_eq!(d.status("unlink_webhook"), Status::Info);
    assert_eq!(d.status("public_url"), Status::Ok);
}

#[tokio::test]
async fn http_on_a_public_address_is_a_warning() {
    let kakao = kakao().await;
    kakao.sandbox.update_app(|app| {
        app.redirect_uris
            .push("http://gachi.example.com/auth/kakao/callback".into());
        app.js_domains.push("http://gachi.example.com".into());
        app.unlink_webhook_url = Some("http://gachi.example.com/webhooks/kakao/unlink".into());
    });
    let d = diagnose(&kakao.good().set("GACHI_PUBLIC_URL", "http://gachi.example.com/")).await;
    let check = d.report.check("public_url").unwrap();
    assert_eq!(check.status, Status::Warn, "{}", d.out);
    assert!(check.fix.as_deref().unwrap().contains("https"));
    assert_eq!(d.exit, 0, "{}", d.out);

    let d = diagnose(&kakao.good().set("GACHI_PUBLIC_URL", "gachi.example.com")).await;
    d.assert_fails("public_url", &["gachi.example.com"], &["GACHI_PUBLIC_URL"]);
}

#[tokio::test]
async fn without_kakao_keys_gachi_runs_its_sandbox_and_doctor_passes() {
    let d = diagnose(&Settings(vec![])).await;
    assert!(d.report.sandbox_mode);
    assert_eq!(d.exit, 0, "{}", d.out);
    assert_eq!(d.status("sandbox_mode"), Status::Ok);
    assert!(d.out.contains("built-in Kakao sandbox"), "{}", d.out);
    assert!(
        d.report.check("rest_api_key").is_none(),
        "nothing is checked at Kakao"
    );
}

#[test]
fn clock_skew_above_a_minute_is_a_warning() {
    let kakao_date = "Thu, 24 Dec 2026 10:00:00 GMT";
    let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    let close = clock_check(Some(kakao_date), at("2026-12-24T10:00:30Z"));
    assert_eq!(close.status, Status::Ok, "{}", close.detail);
    let ahead = clock_check(Some(kakao_date), at("2026-12-24T10:02:00Z"));
    assert_eq!(ahead.status, Status::Warn);
    assert!(ahead.detail.contains("120 s ahead"), "{}", ahead.detail);
    assert!(ahead.fix.as_deref().unwrap().contains("NTP"));
    let behind = clock_check(Some(kakao_date), at("2026-12-24T09:58:00Z"));
    assert!(behind.detail.contains("120 s behind"), "{}", behind.detail);
    assert_eq!(clock_check(None, at("2026-12-24T10:00:00Z")).status, Status::Warn);
    assert_eq!(
        clock_check(Some("yesterday"), at("2026-12-24T10:00:00Z")).status,
        Status::Warn
    );
}
