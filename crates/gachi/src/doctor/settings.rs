//! Checks of the deployment's own settings: the public URL (and the redirect URI and webhook
//! URL built from it), the JavaScript key, the unlink webhook and the friends permission.

use std::net::IpAddr;

use kakao_sandbox::App;
use url::{Host, Url};

use super::Check;
use super::names::{N_JS_KEY, N_PERMISSION, N_PUBLIC_URL, N_WEBHOOK, text};
use super::probe::key_hint;
use crate::Config;

/// The public URL as Gachi will use it.
pub(super) struct Public {
    pub(super) origin: String,
    pub(super) https: bool,
    pub(super) redirect_uri: String,
    pub(super) webhook_url: String,
}

pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        None => false,
    }
}

pub(super) fn public_url(config: &Config) -> (Check, Option<Public>) {
    let given = config
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let raw = given
        .map(str::to_owned)
        .unwrap_or_else(|| format!("http://{}", config.bind));
    let trimmed = raw.trim_end_matches('/').to_owned();
    let example_fix = text(
        "GACHI_PUBLIC_URL을 사람들이 여는 주소로 설정하세요 (예: https://gachi.example.com).",
        "Set GACHI_PUBLIC_URL to the address people open (e.g. https://gachi.example.com).",
    );
    let url = match Url::parse(&trimmed) {
        Ok(url) => url,
        Err(e) => {
            let check = Check::fail(
                "public_url",
                N_PUBLIC_URL,
                text(
                    format!("GACHI_PUBLIC_URL이 URL이 아닙니다: `{raw}` ({e})."),
                    format!("GACHI_PUBLIC_URL `{raw}` is not a URL ({e})."),
                ),
                example_fix,
            );
            return (check, None);
        }
    };
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        let check = Check::fail(
            "public_url",
            N_PUBLIC_URL,
            text(
                format!("http(s) 주소가 아닙니다: `{raw}`. 카카오는 http/https 리다이렉트 URI만 받습니다."),
                format!("`{raw}` is not an http(s) address; Kakao only takes http/https redirect URIs."),
            ),
            example_fix,
        );
        return (check, None);
    }
    if url.query().is_some() || url.fragment().is_some() {
        let check = Check::fail(
            "public_url",
            N_PUBLIC_URL,
            text(
                format!("`{raw}`에 쿼리나 프래그먼트가 있어 리다이렉트 URI를 만들 수 없습니다."),
                format!("`{raw}` has a query or fragment, so no redirect URI can be built from it."),
            ),
            example_fix,
        );
        return (check, None);
    }
    let public = Public {
        origin: url.origin().ascii_serialization(),
        https: url.scheme() == "https",
        redirect_uri: format!("{trimmed}/auth/kakao/callback"),
        webhook_url: format!("{trimmed}/webhooks/kakao/unlink"),
    };
    let uris = text(
        format!(
            "리다이렉트 URI: {} · 연결 해제 웹훅: {}",
            public.redirect_uri, public.webhook_url
        ),
        format!(
            "Redirect URI: {} · unlink webhook: {}",
            public.redirect_uri, public.webhook_url
        ),
    );
    let check = if public.https {
        Check::ok("public_url", N_PUBLIC_URL, uris)
    } else if !is_loopback(&url) {
        Check::warn(
            "public_url",
            N_PUBLIC_URL,
            format!(
                "{uris}\n{}\n{}",
                "루프백이 아닌 주소에 http를 씁니다: 쿠키가 Secure가 아니고, 카카오는 연결 해제 웹훅에 유효한 인증서의 \
                 https를 요구합니다.",
                "http on a non-loopback address: cookies are not Secure, and Kakao calls the unlink webhook \
                 only over https with a valid certificate."
            ),
            text(
                "TLS(리버스 프록시) 뒤에서 Gachi를 서비스하고 GACHI_PUBLIC_URL=https://…로 설정한 뒤, 카카오 콘솔의 \
                 리다이렉트 URI도 https로 바꾸세요.",
                "Serve Gachi behind TLS (a reverse proxy), set GACHI_PUBLIC_URL=https://…, and register the \
                 https redirect URI in Kakao's console.",
            ),
        )
    } else if given.is_none() {
        Check::info(
            "public_url",
            N_PUBLIC_URL,
            format!(
                "{uris}\nGACHI_PUBLIC_URL이 없어 http://{bind} 주소를 씁니다. 이 컴퓨터에서 시험할 때만 맞습니다. \
                 배포할 때는 https 주소로 설정하세요.\nGACHI_PUBLIC_URL is not set, so http://{bind} is used: right \
                 only for trying Gachi on this machine. Set an https address for a deployment.",
                bind = config.bind
            ),
        )
    } else {
        Check::ok(
            "public_url",
            N_PUBLIC_URL,
            format!(
                "{uris}\n{}\n{}",
                "루프백 주소의 http는 로컬 시험용으로 괜찮습니다. 운영에는 https가 필요합니다.",
                "http on loopback is fine for local testing; production needs https."
            ),
        )
    };
    (check, Some(public))
}

pub(super) fn js_key_check(
    js_key: Option<&str>,
    rest_key: &str,
    admin_key: Option<&str>,
    public: Option<&Public>,
    console: Option<&App>,
) -> Check {
    let origin = public.map(|p| p.origin.as_str()).unwrap_or("GACHI_PUBLIC_URL");
    let fix = text(
        format!(
            "[앱] > [플랫폼 키] > [JavaScript 키]의 키를 KAKAO_JS_KEY에 넣고, 그 키의 JavaScript SDK 도메인을 \
             등록하세요: {origin}"
        ),
        format!(
            "Set KAKAO_JS_KEY to the key under [App] > [Platform keys] > [JavaScript key], and register {origin} \
             as one of its JavaScript SDK domains."
        ),
    );
    let Some(key) = js_key else {
        return Check::fail(
            "js_key",
            N_JS_KEY,
            text(
                "KAKAO_JS_KEY가 없습니다. 카카오톡 공유(JavaScript SDK)를 쓸 수 없습니다.",
                "KAKAO_JS_KEY is not set: Kakao Talk Share (the JavaScript SDK) cannot work.",
            ),
            fix,
        );
    };
    if key == rest_key || Some(key) == admin_key {
        return Check::fail(
            "js_key",
            N_JS_KEY,
            text(
                "KAKAO_JS_KEY가 REST API 키나 어드민 키와 같습니다. 어드민 키는 브라우저에 절대 보내면 안 됩니다.",
                "KAKAO_JS_KEY is the REST API key or the admin key; the admin key must never reach a browser.",
            ),
            fix,
        );
    }
    let Some(app) = console else {
        let mut detail = text(
            format!(
                "KAKAO_JS_KEY가 있습니다. 카카오는 JavaScript 키의 도메인을 서버에서 확인할 수 없게 합니다. 이 키의 \
                 JavaScript SDK 도메인에 {origin} 항목이 있는지 확인하세요."
            ),
            format!(
                "KAKAO_JS_KEY is set. Kakao offers no way for a server to read a JavaScript key's domains: make \
                 sure {origin} is registered as a JavaScript SDK domain of this key."
            ),
        );
        if let Some(hint) = key_hint(key) {
            detail = format!("{detail}\n{hint}");
        }
        return Check::info("js_key", N_JS_KEY, detail);
    };
    if key != app.javascript_key {
        return Check::fail(
            "js_key",
            N_JS_KEY,
            text(
                "KAKAO_JS_KEY가 이 앱의 JavaScript 키가 아닙니다 (공유가 4003 오류로 실패합니다).",
                "KAKAO_JS_KEY is not this app's JavaScript key (Talk Share fails with error 4003).",
            ),
            fix,
        );
    }
    if !app.js_domains.iter().any(|d| d.trim_end_matches('/') == origin) {
        return Check::fail(
            "js_key",
            N_JS_KEY,
            text(
                format!("JavaScript SDK 도메인으로 등록되지 않았습니다: {origin} (-401 domain mismatched)."),
                format!("{origin} is not a registered JavaScript SDK domain (-401 domain mismatched)."),
            ),
            fix,
        );
    }
    Check::ok(
        "js_key",
        N_JS_KEY,
        text(
            format!("이 앱의 JavaScript 키이고 도메인도 등록되어 있습니다: {origin}"),
            format!("This app's JavaScript key, with {origin} registered as its domain."),
        ),
    )
}

pub(super) fn webhook_check(public: Option<&Public>, admin_key_given: bool, console: Option<&App>) -> Check {
    let Some(public) = public else {
        return Check::skip(
            "unlink_webhook",
            N_WEBHOOK,
            text(
                "공개 URL을 먼저 고치세요.",
                "Not checked: fix the public URL first.",
            ),
        );
    };
    let url = &public.webhook_url;
    let fix = text(
        format!("[앱] > [웹훅] > [연결 해제 웹훅]에 POST로 등록하세요: {url}"),
        format!("Register {url} (method POST) under [App] > [Webhooks] > [Unlink webhook]."),
    );
    let Some(app) = console else {
        let mut detail = text(
            format!(
                "카카오는 이 설정을 밖에서 보여 주지 않습니다. [앱] > [웹훅] > [연결 해제 웹훅]이 다음 주소(POST)인지 \
                 확인하세요: {url}"
            ),
            format!(
                "Kakao does not show this setting from outside. Make sure [App] > [Webhooks] > [Unlink webhook] \
                 is {url} (POST)."
            ),
        );
        if !public.https {
            detail = format!(
                "{detail}\n{}",
                text(
                    "카카오는 유효한 인증서의 https 주소로만 웹훅을 보냅니다.",
                    "Kakao only calls webhooks over https with a valid certificate.",
                )
            );
        }
        if !admin_key_given {
            detail = format!(
                "{detail}\n{}",
                text(
                    "KAKAO_ADMIN_KEY 없이는 웹훅을 검증할 수 없습니다 (위 참고).",
                    "Without KAKAO_ADMIN_KEY the webhook cannot be verified (see above).",
                )
            );
        }
        return Check::info("unlink_webhook", N_WEBHOOK, detail);
    };
    match app.unlink_webhook_url.as_deref() {
        Some(set) if set == url => Check::ok(
            "unlink_webhook",
            N_WEBHOOK,
            text(format!("설정되어 있습니다: {url}"), format!("Set to {url}.")),
        ),
        other => Check::warn(
            "unlink_webhook",
            N_WEBHOOK,
            text(
                match other {
                    Some(set) => format!(
                        "연결 해제 웹훅이 다른 주소로 되어 있습니다 ({set}). 사용자가 연결을 끊어도 Gachi가 바로 알 수 \
                         없습니다."
                    ),
                    None => "연결 해제 웹훅이 설정되지 않았습니다. 사용자가 연결을 끊어도 Gachi가 바로 알 수 없습니다."
                        .to_owned(),
                },
                format!(
                    "The unlink webhook is {}: Gachi will not hear at once when a user unlinks it.",
                    other.unwrap_or("not set")
                ),
            ),
            fix,
        ),
    }
}

pub(super) fn permission_check(value: &str, console: Option<&App>) -> Check {
    let granted = match value.trim() {
        "granted" => true,
        "members-only" => false,
        other => {
            return Check::fail(
                "friends_permission",
                N_PERMISSION,
                text(
                    format!("알 수 없는 KAKAO_FRIENDS_PERMISSION 값입니다: `{other}`."),
                    format!("KAKAO_FRIENDS_PERMISSION `{other}` is not a known value."),
                ),
                text(
                    "KAKAO_FRIENDS_PERMISSION=members-only (심사 전) 또는 granted (카카오톡 친구/메시지 권한 승인 후)로 \
                     설정하세요.",
                    "Set KAKAO_FRIENDS_PERMISSION=members-only (before the review) or granted (after Kakao granted \
                     the KakaoTalk friends/message permission).",
                ),
            );
        }
    };
    if let Some(app) = console
        && app.friends_message_permission != granted
    {
        let actual = if app.friends_message_permission {
            "granted"
        } else {
            "members-only"
        };
        return Check::warn(
            "friends_permission",
            N_PERMISSION,
            text(
                format!(
                    "앱의 권한은 {actual}인데 KAKAO_FRIENDS_PERMISSION은 {value}입니다. '친구가 왜 안 보이나요' 진단이 \
                     틀린 이유를 말하게 됩니다."
                ),
                format!(
                    "The app's permission is {actual} but KAKAO_FRIENDS_PERMISSION says {value}: the \
                     'why is my friend missing' diagnosis would give wrong reasons."
                ),
            ),
            text(
                format!("KAKAO_FRIENDS_PERMISSION={actual}로 설정하세요."),
                format!("Set KAKAO_FRIENDS_PERMISSION={actual}."),
            ),
        );
    }
    if granted {
        Check::ok(
            "friends_permission",
            N_PERMISSION,
            text(
                "granted: 카카오톡 친구/메시지 권한이 있습니다. friends에 동의한 모든 사용자의 친구가 보이고 메시지를 보낼 수 \
                 있습니다. 이제 friends를 선택 동의로 바꿀 수도 있습니다.",
                "granted: the app has the KakaoTalk friends/message permission. Friends of every user who agreed to \
                 friends are visible and can be messaged; friends may now also be an optional consent item.",
            ),
        )
    } else {
        Check::info(
            "friends_permission",
            N_PERMISSION,
            text(
                "members-only: 권한 심사 전이라 친구 목록과 친구에게 보내기는 앱 팀 멤버([앱] > [멤버])끼리만 됩니다. 다른 \
                 친구는 목록에 나오지 않고 Gachi가 그 이유를 설명합니다. 멤버끼리 흐름이 동작하면 비즈 앱으로 전환한 뒤 \
                 [앱] > [추가 기능 신청] > [카카오톡 친구/메시지]로 신청하세요.",
                "members-only: before the permission review, the friend list and sending to friends work only \
                 among the app's team members ([App] > [Members]); other friends do not appear and Gachi explains \
                 why. Once the flow works among members, make the app a biz app and apply at [App] > [Additional \
                 features] > [KakaoTalk friends/message].",
            ),
        )
    }
}
