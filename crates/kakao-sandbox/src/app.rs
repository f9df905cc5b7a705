//! The sandbox's Kakao app: keys, redirect URIs, consent items, permissions, quotas and the
//! switches for behaviours Kakao does not document (kakao-platform.md marks them UNCERTAIN).
//!
//! The same struct is the JSON of `GET|PUT /_admin/app`, so what a test sees is what it sets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a consent item is configured in the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// 필수: on the first consent screen, cannot be unchecked or revoked.
    Required,
    /// 선택: on the first consent screen, may be unchecked.
    Optional,
    /// 이용 중 동의: only through additional consent (`scope=`).
    DuringUse,
    /// Not configured: asking for it is KOE205, APIs needing it answer -3.
    Disabled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    pub app_id: i64,
    pub name: String,
    pub rest_api_key: String,
    pub client_secret: String,
    pub client_secret_enabled: bool,
    pub admin_key: String,
    pub javascript_key: String,
    pub kakao_login_enabled: bool,
    /// Registered redirect URIs (exact match).
    pub redirect_uris: Vec<String>,
    /// Origins allowed to use the JavaScript key.
    pub js_domains: Vec<String>,
    pub oidc_enabled: bool,
    pub is_test_app: bool,
    /// The friends/message permission ("사용 권한") after Kakao's review. Without it, friends and
    /// messages work only among app members.
    pub friends_message_permission: bool,
    pub talk_calendar_permission: bool,
    /// Team members (user ids).
    pub members: Vec<i64>,
    pub unlink_webhook_url: Option<String>,
    pub share_webhook_url: Option<String>,
    pub consent_items: BTreeMap<String, ConsentKind>,
    pub quotas: Quotas,
    pub settings: Settings,
    /// Custom message templates (Kakao's Template Builder) by template id: a template object
    /// whose strings may contain `${key}` placeholders filled from `template_args`.
    #[serde(default)]
    pub message_templates: BTreeMap<String, serde_json::Value>,
    /// Custom user property keys ([카카오 로그인]>[고급]>[사용자 프로퍼티]) that
    /// `/v1/user/update_profile` and `/v1/user/signup` may write.
    #[serde(default)]
    pub user_properties: Vec<String>,
    /// Product-link web domains ([앱]>[제품 링크 관리]>웹 도메인): scrap messages may only scrap
    /// pages there (the JavaScript SDK domains count too, as Kakao's older console had one list).
    #[serde(default)]
    pub web_domains: Vec<String>,
}

/// Message quotas per KST day (Kakao's defaults).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quotas {
    pub app_day: u32,
    pub sender_day: u32,
    pub receiver_day: u32,
    pub pair_day: u32,
    /// Unpublished at Kakao (`-531`); 0 means no monthly limit.
    pub sender_month: u32,
    /// Kakao Talk Share sends per app per day (error 4006 past it).
    pub share_app_day: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            app_day: 30_000,
            sender_day: 100,
            receiver_day: 100,
            pair_day: 20,
            sender_month: 0,
            share_app_day: 30_000,
        }
    }
}

/// Behaviours Kakao documents only partly; each default is the best reading of the sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Lifetime of an authorization code ("짧은 시간"; 10 minutes assumed).
    pub code_ttl_seconds: i64,
    /// Access-token lifetime for REST-key tokens (observed 21599).
    pub access_token_ttl_seconds: i64,
    /// Refresh-token lifetime (observed 5183999, about 60 days).
    pub refresh_token_ttl_seconds: i64,
    /// A refresh rotates the refresh token when it has less than this many days left ("1개월 미만").
    pub refresh_rotation_days: i64,
    /// KOE237 after 20 access tokens per 10 minutes or 30 refreshes per hour, per user.
    pub token_rate_limit: bool,
    /// A kapi call without a usable `Authorization` header: `-8` (HTTP 400) or `-401` (HTTP 401).
    pub missing_authorization: MissingAuthorization,
    /// The `error` of `prompt=none` when the browser has no Kakao session (undocumented).
    pub prompt_none_without_session: String,
    /// How the unlink webhook is called: `GET` (query string) or `POST` (form body).
    pub unlink_webhook_method: String,
    /// POST body format for the unlink webhook: `form` or `json`.
    pub unlink_webhook_body: String,
    /// After this many consecutive webhook failures the webhook is paused (0: never).
    pub webhook_pause_after_failures: u32,
    /// Hours after the first login without a personal-info call before the auto-unlink.
    pub auto_unlink_hours: i64,
    /// The friends API's default page size (the current docs say 10; old ones 100).
    pub friends_default_limit: u32,
    /// `limit` above 100: `clamp` or `error` (-2).
    pub friends_over_max_limit: String,
    /// The per-caller friend-list cache (Kakao staff: 10 minutes).
    pub friends_cache_seconds: i64,
    /// With no visible friend: send `"elements":[]` (false) or leave `elements` out (true).
    pub friends_omit_empty_elements: bool,
    /// At the ends of the list: `before_url`/`after_url` as `null` (false) or left out (true).
    pub friends_omit_end_urls: bool,
    /// When every receiver of a friends send fails: an error body (true) or 200 with only `failure_info`.
    pub all_receivers_fail_as_error: bool,
    /// Hours east of UTC where the quota day turns (KST midnight assumed).
    pub quota_day_utc_offset_hours: i64,
    /// Whether send-to-me (memo) counts toward the sender's daily quota (undocumented).
    pub memo_counts_in_quota: bool,
    /// Days an uploaded message image stays reachable (the legacy SDK reference says 20).
    pub image_retention_days: i64,
    /// How the Talk Share webhook is called: `GET` (query string) or `POST` (form body).
    pub share_webhook_method: String,
    /// Which browser origins kapi answers with CORS headers: `any` (Kakao opened kapi's CORS
    /// with JavaScript SDK v2, per Kakao's technical-support blog) or `js_domains` (only the
    /// registered JavaScript SDK domains).
    pub kapi_cors: String,
    /// Which kapi calls are checked against the registered JavaScript SDK domains (`-401
    /// domain mismatched!`): `ka_header` (calls naming an origin in the SDK's `KA` header, as
    /// Kakao's notice describes for SDK calls), `origin` (every call with an `Origin`), `off`.
    pub kapi_domain_check: String,
    /// Whether `/v1/oidc/userinfo` completes sign-up (cancels the 24-hour auto-unlink) as
    /// `/v2/user/me` does. Kakao's list of personal-info APIs predates OIDC and does not name it.
    pub userinfo_completes_signup: bool,
    /// Kakao's 자동 연결 (auto-link). Off: users must be signed up with `/v1/user/signup`,
    /// `/v2/user/me` shows `has_signed_up`, and only the sign-up call cancels the auto-unlink.
    pub auto_link: bool,
    /// `/v2/app/users` answers a top-level array (false, the doc's example) or
    /// `{"elements":[…]}` (true, the doc's field table).
    pub app_users_as_elements: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            code_ttl_seconds: 600,
            access_token_ttl_seconds: 21_599,
            refresh_token_ttl_seconds: 5_183_999,
            refresh_rotation_days: 30,
            token_rate_limit: true,
            missing_authorization: MissingAuthorization::Minus8,
            prompt_none_without_session: "login_required".into(),
            unlink_webhook_method: "POST".into(),
            unlink_webhook_body: "form".into(),
            webhook_pause_after_failures: 10,
            auto_unlink_hours: 24,
            friends_default_limit: 10,
            friends_over_max_limit: "clamp".into(),
            friends_cache_seconds: 600,
            friends_omit_empty_elements: false,
            friends_omit_end_urls: false,
            all_receivers_fail_as_error: true,
            quota_day_utc_offset_hours: 9,
            memo_counts_in_quota: false,
            image_retention_days: 20,
            share_webhook_method: "POST".into(),
            kapi_cors: "any".into(),
            kapi_domain_check: "ka_header".into(),
            userinfo_completes_signup: false,
            auto_link: true,
            app_users_as_elements: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MissingAuthorization {
    #[serde(rename = "-8")]
    Minus8,
    #[serde(rename = "-401")]
    Minus401,
}

/// Display names and kinds Kakao shows for the consent items the sandbox knows.
pub fn scope_meta(id: &str) -> (&'static str, &'static str) {
    match id {
        "profile_nickname" => ("닉네임", "PRIVACY"),
        "profile_image" => ("프로필 사진", "PRIVACY"),
        "account_email" => ("카카오계정(이메일)", "PRIVACY"),
        "friends" => (
            "카카오 서비스 내 친구목록(프로필사진, 닉네임, 즐겨찾기 포함)",
            "PRIVACY",
        ),
        "talk_message" => ("카카오톡 메시지 전송", "SERVICE"),
        "talk_calendar" => ("톡캘린더 및 일정 생성, 조회, 편집/삭제", "SERVICE"),
        "talk_calendar_task" => ("톡캘린더 할 일 생성, 조회, 편집/삭제", "SERVICE"),
        _ => ("", "PRIVACY"),
    }
}

impl App {
    pub fn kind_of(&self, scope: &str) -> ConsentKind {
        self.consent_items
            .get(scope)
            .copied()
            .unwrap_or(ConsentKind::Disabled)
    }

    pub fn is_member(&self, user_id: i64) -> bool {
        self.members.contains(&user_id)
    }

    /// Whether `origin` (scheme://host[:port]) is a registered JavaScript SDK domain.
    pub fn is_js_domain(&self, origin: &str) -> bool {
        self.js_domains.iter().any(|d| d.trim_end_matches('/') == origin)
    }
}

/// Merges `patch` into `base` object by object, so `PUT /_admin/app` changes only what it names.
pub fn merge_json(base: &mut serde_json::Value, patch: serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(&key) {
                    Some(slot) if slot.is_object() && value.is_object() => merge_json(slot, value),
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, patch) => *base = patch,
    }
}
