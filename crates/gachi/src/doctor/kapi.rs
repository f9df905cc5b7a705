//! Checks against Kakao's API host (kapi): it answers, and the admin key is known to Kakao.

use kakao::KakaoClient;
use url::Url;

use super::Check;
use super::names::{N_ADMIN_KEY, N_KAPI, text};
use super::probe::{fetch, key_hint, under};
use crate::Config;

/// A user id nobody has: the admin-key probe must be told "no such user".
const NOBODY: i64 = 1;

/// kapi answers, and the admin key is known to Kakao (an admin-key lookup of a user id that
/// is nobody must answer "no such user", not `-401`).
pub(super) async fn admin_checks(
    checks: &mut Vec<Check>,
    http: &reqwest::Client,
    client: Option<&KakaoClient>,
    api_base: &Result<Url, url::ParseError>,
    config: &Config,
    rest_key: &str,
    admin_key: Option<&str>,
) {
    let kapi_fix = text(
        format!(
            "KAKAO_API_BASE ({})가 맞는지, 이 서버에서 밖으로 나가는 HTTPS(kapi.kakao.com)가 막히지 않았는지 확인하세요.",
            config.kakao_api_base
        ),
        format!(
            "Check KAKAO_API_BASE ({}) and that this machine may make outgoing HTTPS requests to it.",
            config.kakao_api_base
        ),
    );
    let kapi_up = match api_base {
        Err(e) => {
            checks.push(Check::fail(
                "kapi",
                N_KAPI,
                text(
                    format!(
                        "KAKAO_API_BASE가 URL이 아닙니다: `{}` ({e}).",
                        config.kakao_api_base
                    ),
                    format!("KAKAO_API_BASE `{}` is not a URL ({e}).", config.kakao_api_base),
                ),
                kapi_fix,
            ));
            false
        }
        Ok(base) => {
            let probe = match under(base, "v1/user/access_token_info") {
                Some(url) => fetch(http.get(url)).await,
                None => Err("bad URL".into()),
            };
            match probe {
                Ok(a) if serde_json::from_str::<kakao::wire::KapiErrorBody>(&a.body).is_ok() => {
                    checks.push(Check::ok(
                        "kapi",
                        N_KAPI,
                        text(format!("{base} 응답 정상."), format!("{base} answers like kapi.")),
                    ));
                    true
                }
                Ok(a) => {
                    checks.push(Check::fail(
                        "kapi",
                        N_KAPI,
                        text(
                            format!("{base}의 응답(HTTP {})이 카카오 API 같지 않습니다.", a.status),
                            format!("{base} does not answer like Kakao's API (HTTP {}).", a.status),
                        ),
                        kapi_fix,
                    ));
                    false
                }
                Err(e) => {
                    checks.push(Check::fail(
                        "kapi",
                        N_KAPI,
                        text(
                            format!("{base}에 연결하지 못했습니다: {e}"),
                            format!("Could not reach {base}: {e}"),
                        ),
                        kapi_fix,
                    ));
                    false
                }
            }
        }
    };

    let admin_fix = text(
        "[앱] > [플랫폼 키] > [어드민 키]의 대표 어드민 키를 KAKAO_ADMIN_KEY에 넣으세요. 카카오는 연결 해제 웹훅에 \
         `Authorization: KakaoAK {대표 어드민 키}`를 붙여 보냅니다.",
        "Set KAKAO_ADMIN_KEY to the primary admin key under [App] > [Platform keys] > [Admin key]. Kakao signs \
         the unlink webhook with `Authorization: KakaoAK {primary admin key}`.",
    );
    let Some(admin_key) = admin_key else {
        checks.push(Check::fail(
            "admin_key",
            N_ADMIN_KEY,
            text(
                "KAKAO_ADMIN_KEY가 없습니다. 연결 해제 웹훅을 검증할 수 없어 Gachi는 웹훅에 404로 답하고, 카카오 계정에서 \
                 연결을 끊은 사용자의 토큰이 바로 지워지지 않습니다.",
                "KAKAO_ADMIN_KEY is not set. Gachi cannot verify Kakao's unlink webhook and answers it 404, so \
                 users who unlink Gachi from their Kakao account keep their stored tokens.",
            ),
            admin_fix,
        ));
        return;
    };
    if admin_key == rest_key {
        checks.push(Check::fail(
            "admin_key",
            N_ADMIN_KEY,
            text(
                "KAKAO_ADMIN_KEY가 REST API 키와 같습니다.",
                "KAKAO_ADMIN_KEY is the REST API key.",
            ),
            admin_fix,
        ));
        return;
    }
    let Some(client) = client.filter(|_| kapi_up) else {
        checks.push(Check::skip(
            "admin_key",
            N_ADMIN_KEY,
            text(
                "카카오 API에 닿지 않아 점검하지 못했습니다.",
                "Not checked: Kakao's API could not be reached.",
            ),
        ));
        return;
    };
    match client.user_me_admin(NOBODY).await {
        Ok(_) => checks.push(Check::ok(
            "admin_key",
            N_ADMIN_KEY,
            text(
                "카카오가 어드민 키를 받아들였습니다.",
                "Kakao accepted the admin key.",
            ),
        )),
        Err(e) => match e.api_code() {
            Some(-401) => {
                let mut detail = text(
                    "카카오가 어드민 키를 거절했습니다 (-401): 틀린 키이거나 어드민 키가 아닙니다.",
                    "Kakao rejected the admin key (-401): it is wrong, or not an admin key.",
                );
                if let Some(hint) = key_hint(admin_key) {
                    detail = format!("{detail}\n{hint}");
                }
                checks.push(Check::fail("admin_key", N_ADMIN_KEY, detail, admin_fix));
            }
            Some(code @ (-101 | -103 | -2 | -3)) => checks.push(Check::ok(
                "admin_key",
                N_ADMIN_KEY,
                text(
                    format!(
                        "카카오가 어드민 키를 받아들였습니다 (사용자 {NOBODY} 조회에 -401이 아닌 {code})."
                    ),
                    format!("Kakao accepted the admin key (a lookup of user {NOBODY} got {code}, not -401)."),
                ),
            )),
            _ => checks.push(Check::warn(
                "admin_key",
                N_ADMIN_KEY,
                text(
                    format!("어드민 키 확인에 예상 밖의 답이 왔습니다: {e}"),
                    format!("Unexpected answer when checking the admin key: {e}"),
                ),
                admin_fix,
            )),
        },
    }
}
