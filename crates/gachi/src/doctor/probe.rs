//! The HTTP probes of `gachi doctor`: plain requests whose status, headers or page matter,
//! authorize requests that are never completed, and a Kakao sandbox's console.

use kakao::{AuthorizeRequest, KakaoClient};
use kakao_sandbox::App;
use url::Url;

use super::names::text;

/// A plain HTTP answer, for probes whose status, headers or page matter.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) date: Option<String>,
    pub(super) location: Option<String>,
    pub(super) body: String,
}

pub(super) async fn fetch(request: reqwest::RequestBuilder) -> Result<Answer, String> {
    let resp = request.send().await.map_err(|e| e.without_url().to_string())?;
    let header = |name: reqwest::header::HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let date = header(reqwest::header::DATE);
    let location = header(reqwest::header::LOCATION);
    let status = resp.status().as_u16();
    let body = resp.text().await.map_err(|e| e.without_url().to_string())?;
    Ok(Answer {
        status,
        date,
        location,
        body,
    })
}

/// `base` + `/` + `path`, keeping any path the base has (a sandbox mounted under `/_kakao`).
pub(super) fn under(base: &Url, path: &str) -> Option<Url> {
    Url::parse(&format!("{}/{path}", base.as_str().trim_end_matches('/'))).ok()
}

/// The first `KOExxx` code in `text`.
pub(super) fn find_koe(text: &str) -> Option<String> {
    text.match_indices("KOE").find_map(|(at, _)| {
        let digits = text.get(at + 3..at + 6)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| format!("KOE{digits}"))
    })
}

/// Does this look like a Kakao app key (32 hex digits)?
pub(super) fn looks_like_app_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

pub(super) fn key_hint(key: &str) -> Option<String> {
    if key.trim() != key {
        Some(text(
            "키 앞뒤에 공백이 있습니다.",
            "The key has leading or trailing whitespace.",
        ))
    } else if !looks_like_app_key(key) {
        Some(text(
            "카카오 앱 키(16진수 32자)처럼 보이지 않습니다. 따옴표나 다른 글자가 섞이지 않았나요?",
            "It does not look like a Kakao app key (32 hex digits): a stray quote or character?",
        ))
    } else {
        None
    }
}

/// What an authorize request showed.
pub(super) enum Authorize {
    /// No Kakao error (the login page, or a redirect to it).
    Accepted,
    /// Kakao's error page (or a redirect to one) with this code and the page's text after it.
    Koe(String, String),
    Unreachable(String),
}

pub(super) async fn authorize_probe(
    http: &reqwest::Client,
    client: &KakaoClient,
    redirect_uri: &str,
    scopes: &[&str],
) -> Authorize {
    let request = AuthorizeRequest {
        redirect_uri: redirect_uri.to_owned(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        state: "gachi-doctor".into(),
        ..AuthorizeRequest::default()
    };
    let url = match client.authorize_url(&request) {
        Ok(url) => url,
        Err(e) => return Authorize::Unreachable(e.to_string()),
    };
    let answer = match fetch(http.get(url)).await {
        Ok(a) => a,
        Err(e) => return Authorize::Unreachable(e),
    };
    // A redirect back to our own redirect URI (with `error=`) is not a console error.
    let location = answer
        .location
        .filter(|l| !l.starts_with(redirect_uri))
        .unwrap_or_default();
    for place in [location.as_str(), answer.body.as_str()] {
        if let Some(code) = find_koe(place) {
            let after = place
                .find(&code)
                .map(|at| place[at..].to_owned())
                .unwrap_or_default();
            return Authorize::Koe(code, after);
        }
    }
    Authorize::Accepted
}

/// The scopes of `asked` that Kakao's KOE205 page names (all of them when it names none).
pub(super) fn named_scopes(asked: &[&str], page: &str) -> Vec<String> {
    let named: Vec<String> = asked
        .iter()
        .filter(|s| page.contains(**s))
        .map(|s| (*s).to_owned())
        .collect();
    if named.is_empty() {
        asked.iter().map(|s| (*s).to_owned()).collect()
    } else {
        named
    }
}

/// The console of a Kakao sandbox (`GET /_admin/app`), when `KAKAO_AUTH_BASE` is one. Real
/// Kakao has no such API, so it is not asked.
pub(super) async fn sandbox_console(http: &reqwest::Client, auth_base: &Url) -> Option<App> {
    if auth_base.as_str().trim_end_matches('/') == kakao::DEFAULT_AUTH_BASE {
        return None;
    }
    let answer = fetch(http.get(under(auth_base, "_admin/app")?)).await.ok()?;
    if answer.status != 200 {
        return None;
    }
    serde_json::from_str(&answer.body).ok()
}

pub(super) fn page_text(page: &str) -> String {
    // The page is HTML: keep the code's neighbourhood, without tags, short.
    let mut out = String::new();
    let mut in_tag = false;
    for c in page.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut line = words.join(" ");
    if let Some((cut, _)) = line.char_indices().nth(160) {
        line.truncate(cut);
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_koe_codes() {
        assert_eq!(find_koe("<p>KOE006</p>").as_deref(), Some("KOE006"));
        assert_eq!(find_koe("KOE 006, KOE20"), None);
        assert_eq!(find_koe("x?error_code=KOE101&y").as_deref(), Some("KOE101"));
    }

    #[test]
    fn app_keys_are_32_hex_digits() {
        assert!(looks_like_app_key("0123456789abcdef0123456789abcdef"));
        assert!(!looks_like_app_key("\"0123456789abcdef0123456789abcdef\""));
        assert!(key_hint(" 0123456789abcdef0123456789abcdef").is_some());
    }

    #[test]
    fn koe205_pages_name_the_missing_scopes() {
        let page = "KOE205</p><p>설정하지 않은 동의 항목: talk_message";
        assert_eq!(
            named_scopes(&["friends", "talk_message"], page),
            vec!["talk_message"]
        );
        assert_eq!(
            named_scopes(&["friends", "talk_message"], "KOE205"),
            vec!["friends", "talk_message"]
        );
    }
}
