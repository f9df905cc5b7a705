//! Checks by authorize request: the redirect URI is registered (no KOE006), Kakao Login is on
//! (no KOE004), the consent items Gachi asks for are configured (no KOE205), OIDC is on.

use kakao::KakaoClient;
use kakao_sandbox::{App, ConsentKind};

use super::names::{
    N_CONSENT_CALENDAR, N_CONSENT_FRIENDS, N_CONSENT_LOGIN, N_OIDC, N_REDIRECT, TROUBLESHOOTING, text,
};
use super::probe::{Authorize, authorize_probe, named_scopes, page_text};
use super::settings::Public;
use super::{Check, Status};

/// What `/auth/kakao/login` asks for (login.rs `LOGIN_SCOPES`).
const LOGIN_SCOPES: [&str; 3] = ["openid", "profile_nickname", "profile_image"];
/// Asked for just in time, before the friend list and sending to friends.
const FRIENDS_SCOPES: [&str; 2] = ["friends", "talk_message"];
const CALENDAR_SCOPES: [&str; 1] = ["talk_calendar"];

/// Authorize requests: the redirect URI must be registered, and the consent items Gachi asks
/// for must be configured (else KOE205), and OIDC must be on.
pub(super) async fn authorize_checks(
    checks: &mut Vec<Check>,
    http: &reqwest::Client,
    client: Option<&KakaoClient>,
    public: Option<&Public>,
    key_ok: bool,
    console: Option<&App>,
) {
    let skip_all = |checks: &mut Vec<Check>, why: String| {
        checks.push(Check::skip("redirect_uri", N_REDIRECT, why.clone()));
        checks.push(Check::skip("oidc", N_OIDC, why.clone()));
        checks.push(Check::skip("consent_login", N_CONSENT_LOGIN, why.clone()));
        checks.push(Check::skip("consent_friends", N_CONSENT_FRIENDS, why.clone()));
        checks.push(Check::skip("consent_talk_calendar", N_CONSENT_CALENDAR, why));
    };
    let (Some(client), Some(public), true) = (client, public, key_ok) else {
        skip_all(
            checks,
            text(
                "REST API 키, 공개 URL 또는 카카오 연결을 먼저 고쳐야 점검할 수 있습니다.",
                "Not checked: fix the REST API key, the public URL or the connection to Kakao first.",
            ),
        );
        return;
    };
    let uri = &public.redirect_uri;
    match authorize_probe(http, client, uri, &[]).await {
        Authorize::Accepted => checks.push(Check::ok(
            "redirect_uri",
            N_REDIRECT,
            text(
                format!("이 키의 리다이렉트 URI로 등록되어 있습니다: {uri}"),
                format!("Kakao accepts {uri} as a redirect URI of this key."),
            ),
        )),
        Authorize::Koe(code, _) if code == "KOE006" => {
            checks.push(Check::fail(
                "redirect_uri",
                N_REDIRECT,
                text(
                    format!("리다이렉트 URI가 등록되지 않았습니다 ({uri}): 카카오가 로그인 대신 KOE006 오류 페이지를 보여 줍니다."),
                    format!("{uri} is not registered: Kakao shows its KOE006 error page instead of the login."),
                ),
                text(
                    format!(
                        "[앱] > [플랫폼 키] > [REST API 키] > 리다이렉트 URI에 다음 주소를 정확히 등록하세요 (스킴, 호스트, \
                         포트, 경로가 모두 같아야 합니다): {uri}. 또는 GACHI_PUBLIC_URL을 이미 등록된 주소로 맞추세요."
                    ),
                    format!(
                        "Register exactly {uri} under [App] > [Platform keys] > [REST API key] > Redirect URI \
                         (scheme, host, port and path must match), or set GACHI_PUBLIC_URL to match the one \
                         registered."
                    ),
                ),
            ));
            skip_consents(checks, &code);
            return;
        }
        Authorize::Koe(code, _) if code == "KOE004" => {
            checks.push(Check::fail(
                "redirect_uri",
                N_REDIRECT,
                text(
                    "카카오 로그인이 꺼져 있습니다 (KOE004).",
                    "Kakao Login is turned off for this app (KOE004).",
                ),
                text(
                    "[카카오 로그인] > 사용 설정을 ON으로 바꾸세요.",
                    "Turn on [Kakao Login] > Activation in Kakao Developers.",
                ),
            ));
            skip_consents(checks, &code);
            return;
        }
        Authorize::Koe(code, page) => {
            checks.push(Check::fail(
                "redirect_uri",
                N_REDIRECT,
                text(
                    format!("카카오가 로그인 대신 {code} 오류를 보여 줍니다."),
                    format!(
                        "Kakao shows error {code} instead of the login: {}",
                        page_text(&page)
                    ),
                ),
                text(
                    format!("{code}의 원인과 해결은 {TROUBLESHOOTING}에 있습니다."),
                    format!("See {TROUBLESHOOTING} for {code}."),
                ),
            ));
            skip_consents(checks, &code);
            return;
        }
        Authorize::Unreachable(e) => {
            skip_all(
                checks,
                text(
                    format!("authorize 요청이 실패했습니다: {e}"),
                    format!("Not checked: the authorize request failed: {e}"),
                ),
            );
            return;
        }
    }

    let login = authorize_probe(http, client, uri, &LOGIN_SCOPES).await;
    checks.push(oidc_check(&login, console));
    checks.push(consent_check(
        "consent_login",
        N_CONSENT_LOGIN,
        &LOGIN_SCOPES,
        &login,
        Status::Fail,
        text(
            "[카카오 로그인] > [동의항목]에서 닉네임(profile_nickname)을 필수 또는 선택 동의로, 프로필 사진\
             (profile_image)을 선택 동의로 설정하고, [OpenID Connect]를 켜세요.",
            "Under [Kakao Login] > [Consent items], set Nickname (profile_nickname) to required or optional \
             and Profile image (profile_image) to optional, and turn [OpenID Connect] on.",
        ),
        text(
            "로그인에 필요한 닉네임과 프로필 사진 동의항목이 설정되어 있습니다.",
            "The nickname and profile image consent items login asks for are configured.",
        ),
        None,
    ));

    let during_use = |scopes: &[&str]| -> Option<String> {
        let app = console?;
        let wrong: Vec<String> = scopes
            .iter()
            .filter(|s| matches!(app.kind_of(s), ConsentKind::Required | ConsentKind::Optional))
            .map(|s| (*s).to_owned())
            .collect();
        (!wrong.is_empty() && !app.friends_message_permission).then(|| wrong.join(", "))
    };
    let friends = authorize_probe(http, client, uri, &FRIENDS_SCOPES).await;
    checks.push(consent_check(
        "consent_friends",
        N_CONSENT_FRIENDS,
        &FRIENDS_SCOPES,
        &friends,
        Status::Fail,
        text(
            "[카카오 로그인] > [동의항목]에서 '카카오 서비스 내 친구목록'(friends)과 '카카오톡 메시지 전송'\
             (talk_message)을 이용 중 동의로 설정하세요. 친구·메시지 권한 심사 전에는 이용 중 동의만 가능합니다.",
            "Under [Kakao Login] > [Consent items], set 'Friends list in Kakao Service' (friends) and 'Sending \
             messages in KakaoTalk' (talk_message) to consent during use (이용 중 동의): before the \
             friends/message permission that is the only kind Kakao allows.",
        ),
        text(
            "friends와 talk_message 동의항목이 설정되어 있습니다. 권한 심사 전까지 '이용 중 동의'로 두세요: Gachi가 \
             쓰기 직전에 요청합니다.",
            "The friends and talk_message consent items are configured. Keep them 'consent during use' until \
             the permission review: Gachi asks for them just in time.",
        ),
        during_use(&FRIENDS_SCOPES),
    ));
    let calendar = authorize_probe(http, client, uri, &CALENDAR_SCOPES).await;
    checks.push(consent_check(
        "consent_talk_calendar",
        N_CONSENT_CALENDAR,
        &CALENDAR_SCOPES,
        &calendar,
        Status::Warn,
        text(
            "톡캘린더로 일정을 보내려면 [동의항목]에서 '톡캘린더 및 일정 생성, 조회, 편집/삭제'(talk_calendar)를 \
             이용 중 동의로 설정하세요.",
            "To push events into Talk Calendar, set the talk_calendar consent item to consent during use under \
             [Consent items].",
        ),
        text(
            "talk_calendar 동의항목이 설정되어 있습니다 (이용 중 동의로 두세요).",
            "The talk_calendar consent item is configured (keep it consent during use).",
        ),
        during_use(&CALENDAR_SCOPES),
    ));
}

pub(super) fn skip_consents(checks: &mut Vec<Check>, code: &str) {
    let why = text(
        format!("먼저 {code} 문제를 고쳐야 점검할 수 있습니다."),
        format!("Not checked: fix {code} first."),
    );
    checks.push(Check::skip("oidc", N_OIDC, why.clone()));
    checks.push(Check::skip("consent_login", N_CONSENT_LOGIN, why.clone()));
    checks.push(Check::skip("consent_friends", N_CONSENT_FRIENDS, why.clone()));
    checks.push(Check::skip("consent_talk_calendar", N_CONSENT_CALENDAR, why));
}

pub(super) fn oidc_check(login: &Authorize, console: Option<&App>) -> Check {
    let fix = text(
        "[카카오 로그인] > [OpenID Connect]를 ON으로 바꾸세요.",
        "Turn on [Kakao Login] > [OpenID Connect] in Kakao Developers.",
    );
    let off = text(
        "OpenID Connect가 꺼져 있습니다. Gachi는 항상 openid를 요청하고 ID 토큰을 검증하므로 모든 로그인이 \
         'ID 토큰 없음'으로 실패합니다.",
        "OpenID Connect is off. Gachi always asks for openid and verifies the ID token, so every login \
         would fail with no ID token.",
    );
    if let Some(app) = console {
        return if app.oidc_enabled {
            Check::ok(
                "oidc",
                N_OIDC,
                text(
                    "콘솔에서 OpenID Connect가 켜져 있습니다.",
                    "OpenID Connect is on in the console.",
                ),
            )
        } else {
            Check::fail("oidc", N_OIDC, off, fix)
        };
    }
    if let Authorize::Koe(code, page) = login
        && code == "KOE205"
        && page.contains("openid")
    {
        return Check::fail("oidc", N_OIDC, off, fix);
    }
    Check::info(
        "oidc",
        N_OIDC,
        text(
            "카카오는 이 설정을 밖에서 보여 주지 않습니다. [카카오 로그인] > [OpenID Connect]가 ON인지 확인하세요: \
             꺼져 있으면 모든 로그인이 'ID 토큰 없음'으로 실패합니다.",
            "Kakao does not show this setting from outside. Make sure [Kakao Login] > [OpenID Connect] is ON: \
             without it every login fails with no ID token.",
        ),
    )
}

#[allow(clippy::too_many_arguments)]
pub(super) fn consent_check(
    id: &'static str,
    name: &'static str,
    asked: &[&str],
    answer: &Authorize,
    status_if_missing: Status,
    fix: String,
    ok: String,
    not_during_use: Option<String>,
) -> Check {
    match answer {
        Authorize::Accepted => match not_during_use {
            None => Check::ok(id, name, ok),
            Some(items) => Check::warn(
                id,
                name,
                text(
                    format!(
                        "필수/선택 동의로 설정되어 첫 로그인 화면에 나옵니다: {items}. 친구·메시지 권한이 없는 앱은 이용 \
                         중 동의여야 하고, Gachi는 필요할 때 요청합니다."
                    ),
                    format!(
                        "{items} are set to required/optional, so the first login screen asks for them. Without \
                         the friends/message permission they must be consent during use; Gachi asks just in time."
                    ),
                ),
                text(
                    format!("[카카오 로그인] > [동의항목]에서 다음 항목을 이용 중 동의로 바꾸세요: {items}"),
                    format!("Set {items} to consent during use under [Kakao Login] > [Consent items]."),
                ),
            ),
        },
        Authorize::Koe(code, page) if code == "KOE205" => {
            let named = named_scopes(asked, page).join(", ");
            Check::new(
                id,
                name,
                status_if_missing,
                text(
                    format!("카카오가 설정하지 않은 동의항목이라고 답합니다 (KOE205): {named}."),
                    format!("Kakao answers that these consent items are not configured (KOE205): {named}."),
                ),
            )
            .with_fix(fix)
        }
        Authorize::Koe(code, page) => Check::fail(
            id,
            name,
            text(
                format!("scope={}에 카카오가 {code} 오류를 보여 줍니다.", asked.join(",")),
                format!(
                    "Kakao shows {code} for scope={}: {}",
                    asked.join(","),
                    page_text(page)
                ),
            ),
            text(
                format!("{code}의 원인과 해결은 {TROUBLESHOOTING}에 있습니다."),
                format!("See {TROUBLESHOOTING} for {code}."),
            ),
        ),
        Authorize::Unreachable(e) => Check::skip(
            id,
            name,
            text(
                format!("authorize 요청 실패: {e}"),
                format!("Not checked: the authorize request failed: {e}"),
            ),
        ),
    }
}
