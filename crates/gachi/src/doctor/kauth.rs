//! Checks against Kakao's auth server (kauth): discovery, issuer, JWKS, clock skew, and the
//! REST API key and client secret proved by a token request with a bogus code.

use jiff::Timestamp;
use kakao::wire::OidcDiscovery;
use kakao::{KakaoClient, KakaoError};
use kakao_sandbox::App;
use url::Url;

use super::Check;
use super::names::{N_CLOCK, N_DISCOVERY, N_ISSUER, N_JWKS, N_REST_KEY, N_SECRET, TROUBLESHOOTING, text};
use super::probe::{fetch, key_hint, under};
use crate::Config;

/// Above this difference between our clock and Kakao's, ID-token times become unreliable.
const MAX_SKEW_SECONDS: i64 = 60;
/// Cannot be an authorization code Kakao issued.
const BOGUS_CODE: &str = "gachi-doctor-bogus-code";

/// Compares the `Date` of Kakao's answer with the local clock (`now`).
pub fn clock_check(date_header: Option<&str>, now: Timestamp) -> Check {
    let fix = text(
        "시간 동기화(NTP)를 켜세요: `timedatectl set-ntp true` 또는 chrony.",
        "Turn on time synchronisation (NTP): `timedatectl set-ntp true`, or chrony.",
    );
    let Some(date) = date_header else {
        return Check::warn(
            "clock",
            N_CLOCK,
            text(
                "카카오 응답에 Date 헤더가 없어 시계를 비교하지 못했습니다.",
                "Kakao's answer had no Date header, so the clocks could not be compared.",
            ),
            fix,
        );
    };
    let parsed = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(date);
    let Ok(theirs) = parsed else {
        return Check::warn(
            "clock",
            N_CLOCK,
            text(
                format!("카카오 응답의 Date 헤더 `{date}`를 읽지 못했습니다."),
                format!("Could not read the Date header `{date}` of Kakao's answer."),
            ),
            fix,
        );
    };
    let skew = now.as_second() - theirs.as_second();
    if skew.abs() > MAX_SKEW_SECONDS {
        let (ko_dir, en_dir) = if skew > 0 {
            ("빠릅니다", "ahead of")
        } else {
            ("느립니다", "behind")
        };
        Check::warn(
            "clock",
            N_CLOCK,
            text(
                format!(
                    "이 서버의 시계가 카카오보다 {}초 {ko_dir} ({MAX_SKEW_SECONDS}초 초과). ID 토큰의 iat/exp 검사가 \
                     갓 발급된 토큰을 만료되었거나 아직 유효하지 않은 것으로 볼 수 있습니다.",
                    skew.abs()
                ),
                format!(
                    "This server's clock is {} s {en_dir} Kakao's (more than {MAX_SKEW_SECONDS} s). ID-token \
                     iat/exp checks may take fresh tokens for expired or not yet valid.",
                    skew.abs()
                ),
            ),
            fix,
        )
    } else {
        Check::ok(
            "clock",
            N_CLOCK,
            text(
                format!("카카오와의 시계 차이 {skew}초 (허용 {MAX_SKEW_SECONDS}초 이내)."),
                format!("Clock differs from Kakao's by {skew} s (within {MAX_SKEW_SECONDS} s)."),
            ),
        )
    }
}

/// Discovery, issuer, JWKS and clock skew. Returns whether kauth answered at all.
pub(super) async fn discovery_checks(
    checks: &mut Vec<Check>,
    http: &reqwest::Client,
    client: Option<&KakaoClient>,
    base: &Url,
    config: &Config,
) -> bool {
    let unreachable_fix = text(
        format!(
            "KAKAO_AUTH_BASE ({})가 맞는지, 이 서버에서 밖으로 나가는 HTTPS(kauth.kakao.com)가 방화벽이나 프록시에 \
             막히지 않았는지 확인하세요.",
            config.kakao_auth_base
        ),
        format!(
            "Check KAKAO_AUTH_BASE ({}) and that this machine may make outgoing HTTPS requests to it \
             (firewall, proxy).",
            config.kakao_auth_base
        ),
    );
    let Some(url) = under(base, ".well-known/openid-configuration") else {
        checks.push(Check::fail(
            "discovery",
            N_DISCOVERY,
            text(
                "디스커버리 URL을 만들 수 없습니다.",
                "The discovery URL could not be built.",
            ),
            unreachable_fix,
        ));
        return false;
    };
    let answer = match fetch(http.get(url.clone())).await {
        Ok(a) => a,
        Err(e) => {
            checks.push(Check::fail(
                "discovery",
                N_DISCOVERY,
                text(
                    format!("{url}에 연결하지 못했습니다: {e}"),
                    format!("Could not reach {url}: {e}"),
                ),
                unreachable_fix,
            ));
            let why = text(
                "디스커버리를 받지 못했습니다.",
                "Not checked: no discovery document.",
            );
            checks.push(Check::skip("issuer", N_ISSUER, why.clone()));
            checks.push(Check::skip("jwks", N_JWKS, why.clone()));
            checks.push(Check::skip("clock", N_CLOCK, why));
            return false;
        }
    };
    let discovery = if answer.status == 200 {
        serde_json::from_str::<OidcDiscovery>(&answer.body).map_err(|e| e.to_string())
    } else {
        Err(format!("HTTP {}", answer.status))
    };
    match discovery {
        Err(e) => {
            checks.push(Check::fail(
                "discovery",
                N_DISCOVERY,
                text(
                    format!("OpenID 디스커버리 문서를 받지 못했습니다: {url} ({e})."),
                    format!("{url} did not answer with an OpenID discovery document ({e})."),
                ),
                unreachable_fix,
            ));
            let why = text(
                "디스커버리를 받지 못했습니다.",
                "Not checked: no discovery document.",
            );
            checks.push(Check::skip("issuer", N_ISSUER, why.clone()));
            checks.push(Check::skip("jwks", N_JWKS, why));
        }
        Ok(d) => {
            checks.push(Check::ok(
                "discovery",
                N_DISCOVERY,
                text(format!("{url} 응답 정상."), format!("{url} answered.")),
            ));
            let expected = config.kakao_auth_base.trim().trim_end_matches('/');
            if d.issuer.trim_end_matches('/') == expected {
                checks.push(Check::ok(
                    "issuer",
                    N_ISSUER,
                    text(
                        format!("issuer와 KAKAO_AUTH_BASE가 같습니다: {}", d.issuer),
                        format!("issuer {} equals KAKAO_AUTH_BASE.", d.issuer),
                    ),
                ));
            } else {
                checks.push(Check::fail(
                    "issuer",
                    N_ISSUER,
                    text(
                        format!(
                            "디스커버리의 issuer는 {}인데 KAKAO_AUTH_BASE는 {expected}입니다. Gachi는 ID 토큰의 iss가 \
                             KAKAO_AUTH_BASE와 같은지 검사하므로 모든 로그인이 실패합니다.",
                            d.issuer
                        ),
                        format!(
                            "Discovery says issuer {} but KAKAO_AUTH_BASE is {expected}. Gachi checks that an ID \
                             token's iss equals KAKAO_AUTH_BASE, so every login would fail.",
                            d.issuer
                        ),
                    ),
                    text(
                        format!("KAKAO_AUTH_BASE={}로 설정하세요.", d.issuer),
                        format!("Set KAKAO_AUTH_BASE={}.", d.issuer),
                    ),
                ));
            }
            checks.push(jwks_check(client, &d.jwks_uri).await);
        }
    }
    checks.push(clock_check(answer.date.as_deref(), Timestamp::now()));
    true
}

pub(super) async fn jwks_check(client: Option<&KakaoClient>, jwks_uri: &str) -> Check {
    let fix = text(
        format!("{jwks_uri}에 이 서버에서 접근할 수 있는지 확인하세요 (방화벽, 프록시)."),
        format!("Make sure this machine can reach {jwks_uri} (firewall, proxy)."),
    );
    let Some(client) = client else {
        return Check::skip(
            "jwks",
            N_JWKS,
            text(
                "KAKAO_API_BASE가 URL이 아닙니다.",
                "Not checked: KAKAO_API_BASE is not a URL.",
            ),
        );
    };
    match client.jwks(jwks_uri).await {
        Ok(jwks) if jwks.keys.iter().any(|k| k.kty == "RSA") => {
            let kids: Vec<&str> = jwks.keys.iter().filter_map(|k| k.kid.as_deref()).collect();
            Check::ok(
                "jwks",
                N_JWKS,
                text(
                    format!("{jwks_uri}: RSA 키 {}개 ({}).", jwks.keys.len(), kids.join(", ")),
                    format!(
                        "{jwks_uri}: {} RSA key(s) ({}).",
                        jwks.keys.len(),
                        kids.join(", ")
                    ),
                ),
            )
        }
        Ok(_) => Check::fail(
            "jwks",
            N_JWKS,
            text(
                format!("{jwks_uri}에 RSA 키가 없습니다: ID 토큰 서명을 검증할 수 없습니다."),
                format!("{jwks_uri} has no RSA key: ID-token signatures cannot be verified."),
            ),
            fix,
        ),
        Err(e) => Check::fail(
            "jwks",
            N_JWKS,
            text(
                format!("JWKS를 받지 못했습니다 ({jwks_uri}): {e}"),
                format!("Could not fetch {jwks_uri}: {e}"),
            ),
            fix,
        ),
    }
}

/// Token request with a bogus code: KOE320 proves key and secret; KOE101 means the key is
/// unknown, KOE010 that the secret is missing or wrong. Returns whether the key is known.
pub(super) async fn token_checks(
    checks: &mut Vec<Check>,
    client: &KakaoClient,
    rest_key: &str,
    secret_given: bool,
    redirect_uri: &str,
    console: Option<&App>,
) -> bool {
    let key_fix = text(
        "카카오 디벨로퍼스 [앱] > [플랫폼 키] > [REST API 키]의 키를 KAKAO_REST_API_KEY에 넣으세요 (JavaScript 키나 \
         어드민 키가 아닙니다).",
        "Set KAKAO_REST_API_KEY to the key under [App] > [Platform keys] > [REST API key] in Kakao Developers \
         (not the JavaScript key or the admin key).",
    );
    let outcome = client.exchange_code(BOGUS_CODE, redirect_uri, None).await;
    let koe = outcome.as_ref().err().and_then(KakaoError::koe_code);
    match (koe, &outcome) {
        (Some("KOE320"), _) => {
            checks.push(Check::ok(
                "rest_api_key",
                N_REST_KEY,
                text(
                    "카카오가 키를 받아들였습니다 (가짜 코드로 토큰 요청 → KOE320).",
                    "Kakao accepted the key (a token request with a bogus code got KOE320).",
                ),
            ));
            checks.push(secret_accepted(secret_given, console));
            true
        }
        (Some("KOE101"), _) => {
            let mut detail = text(
                "카카오가 이 키를 모릅니다 (KOE101 Not exist client_id): 없는 키이거나 다른 종류의 키입니다.",
                "Kakao does not know this key (KOE101 Not exist client_id): a wrong key, or a key of another kind.",
            );
            if let Some(hint) = key_hint(rest_key) {
                detail = format!("{detail}\n{hint}");
            }
            checks.push(Check::fail("rest_api_key", N_REST_KEY, detail, key_fix));
            checks.push(Check::skip(
                "client_secret",
                N_SECRET,
                text(
                    "REST API 키를 먼저 고쳐야 점검할 수 있습니다.",
                    "Not checked: fix the REST API key first.",
                ),
            ));
            false
        }
        (Some("KOE010"), _) => {
            checks.push(Check::ok(
                "rest_api_key",
                N_REST_KEY,
                text("카카오가 키를 알고 있습니다.", "Kakao knows the key."),
            ));
            let where_ko = "[앱] > [플랫폼 키] > [REST API 키] > 클라이언트 시크릿";
            let where_en = "[App] > [Platform keys] > [REST API key] > Client secret";
            checks.push(if secret_given {
                Check::fail(
                    "client_secret",
                    N_SECRET,
                    text(
                        "카카오가 클라이언트 시크릿을 거절했습니다 (KOE010 Bad client credentials): 값이 틀렸습니다.",
                        "Kakao rejected the client secret (KOE010 Bad client credentials): it is wrong.",
                    ),
                    text(
                        format!(
                            "{where_ko}의 값을 KAKAO_CLIENT_SECRET에 다시 복사하세요 (재발급하면 예전 값은 무효)."
                        ),
                        format!(
                            "Copy the secret from {where_en} into KAKAO_CLIENT_SECRET again (regenerating it \
                             invalidates the old one)."
                        ),
                    ),
                )
            } else {
                Check::fail(
                    "client_secret",
                    N_SECRET,
                    text(
                        "이 REST API 키는 클라이언트 시크릿을 요구하는데 KAKAO_CLIENT_SECRET이 없습니다 (KOE010).",
                        "This REST API key requires a client secret and KAKAO_CLIENT_SECRET is not set (KOE010).",
                    ),
                    text(
                        format!("{where_ko}의 값을 KAKAO_CLIENT_SECRET에 넣으세요."),
                        format!("Set KAKAO_CLIENT_SECRET to the secret under {where_en}."),
                    ),
                )
            });
            true
        }
        (_, Ok(_)) => {
            checks.push(Check::warn(
                "rest_api_key",
                N_REST_KEY,
                text(
                    "가짜 코드로 토큰이 발급되었습니다. KAKAO_AUTH_BASE가 카카오가 아닌 것 같습니다.",
                    "A bogus code was exchanged for tokens: KAKAO_AUTH_BASE does not behave like Kakao.",
                ),
                text("KAKAO_AUTH_BASE를 확인하세요.", "Check KAKAO_AUTH_BASE."),
            ));
            checks.push(secret_accepted(secret_given, console));
            true
        }
        (_, Err(e)) => {
            checks.push(Check::fail(
                "rest_api_key",
                N_REST_KEY,
                text(
                    format!("토큰 요청에 예상 밖의 답이 왔습니다: {e}"),
                    format!("Unexpected answer to the token request: {e}"),
                ),
                format!("{key_fix}\n{TROUBLESHOOTING}"),
            ));
            checks.push(Check::skip(
                "client_secret",
                N_SECRET,
                text(
                    "REST API 키를 먼저 고치세요.",
                    "Not checked: fix the REST API key first.",
                ),
            ));
            false
        }
    }
}

/// The token request passed the secret check.
pub(super) fn secret_accepted(secret_given: bool, console: Option<&App>) -> Check {
    let enable = text(
        "[앱] > [플랫폼 키] > [REST API 키] > 클라이언트 시크릿을 켜고 그 값을 KAKAO_CLIENT_SECRET에 넣으세요.",
        "Turn on [App] > [Platform keys] > [REST API key] > Client secret and set KAKAO_CLIENT_SECRET to it.",
    );
    if !secret_given {
        return Check::warn(
            "client_secret",
            N_SECRET,
            text(
                "KAKAO_CLIENT_SECRET이 없고, 카카오는 이 키에 시크릿을 요구하지 않습니다. 키만 알면 누구나 코드를 \
                 토큰으로 바꿀 수 있습니다.",
                "KAKAO_CLIENT_SECRET is not set and Kakao does not require one for this key: anyone who has the \
                 key can redeem codes.",
            ),
            enable,
        );
    }
    if console.is_some_and(|app| !app.client_secret_enabled) {
        return Check::warn(
            "client_secret",
            N_SECRET,
            text(
                "콘솔에서 클라이언트 시크릿이 꺼져 있어 KAKAO_CLIENT_SECRET은 검사되지 않습니다.",
                "The client secret is turned off in the console, so KAKAO_CLIENT_SECRET is not checked.",
            ),
            enable,
        );
    }
    Check::ok(
        "client_secret",
        N_SECRET,
        text(
            "카카오가 클라이언트 시크릿을 받아들였습니다.",
            "Kakao accepted the token request with the client secret.",
        ),
    )
}
