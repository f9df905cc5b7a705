//! The names of `gachi doctor`'s checks and the texts they share, kept apart so the check
//! modules and the probes depend on them without depending on each other.

pub(super) const TROUBLESHOOTING: &str =
    "https://developers.kakao.com/docs/latest/ko/kakaologin/trouble-shooting";

pub(super) const N_SANDBOX_MODE: &str = "내장 샌드박스 · Built-in sandbox";
pub(super) const N_BIND: &str = "수신 주소 · Listen address";
pub(super) const N_CONSOLE: &str = "샌드박스 콘솔 · Sandbox console";
pub(super) const N_PUBLIC_URL: &str = "공개 URL과 리다이렉트 URI · Public URL and redirect URI";
pub(super) const N_DISCOVERY: &str = "OIDC 디스커버리 · OIDC discovery";
pub(super) const N_ISSUER: &str = "발급자 (issuer) · Issuer";
pub(super) const N_JWKS: &str = "JWKS (ID 토큰 서명 키) · JWKS (ID-token signing keys)";
pub(super) const N_CLOCK: &str = "시계 오차 · Clock skew";
pub(super) const N_REST_KEY: &str = "REST API 키 · REST API key";
pub(super) const N_SECRET: &str = "클라이언트 시크릿 · Client secret";
pub(super) const N_REDIRECT: &str = "리다이렉트 URI 등록 · Redirect URI registered";
pub(super) const N_OIDC: &str = "OpenID Connect 활성화 · OpenID Connect enabled";
pub(super) const N_CONSENT_LOGIN: &str = "로그인 동의항목 · Consent items for login";
pub(super) const N_CONSENT_FRIENDS: &str = "친구·메시지 동의항목 · Consent items for friends and messages";
pub(super) const N_CONSENT_CALENDAR: &str = "톡캘린더 동의항목 · Consent item for Talk Calendar";
pub(super) const N_KAPI: &str = "카카오 API (kapi) 연결 · Kakao API (kapi) reachable";
pub(super) const N_ADMIN_KEY: &str = "어드민 키 · Admin key";
pub(super) const N_JS_KEY: &str = "JavaScript 키 · JavaScript key";
pub(super) const N_WEBHOOK: &str = "연결 해제 웹훅 · Unlink webhook";
pub(super) const N_PERMISSION: &str = "친구·메시지 사용 권한 · Friends/message permission";

/// Korean line, then English line.
pub(super) fn text(ko: impl AsRef<str>, en: impl AsRef<str>) -> String {
    format!("{}\n{}", ko.as_ref(), en.as_ref())
}
