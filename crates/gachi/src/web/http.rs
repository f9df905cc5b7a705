//! Small HTTP helpers: cookies, redirects, safe local paths.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};

/// A cookie as Gachi sets them: HttpOnly, SameSite=Lax (the Kakao redirect back is a
/// cross-site top-level GET, which Lax allows), Secure when Gachi is served over https.
/// Handlers hand it to the request's [`axum_extra::extract::CookieJar`], which writes it.
pub fn cookie(
    name: &'static str,
    value: String,
    path: &'static str,
    max_age_secs: i64,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// Reads the request's cookie `name` in place with `read` (the last one of that name wins, and
/// its value is percent-decoded, exactly as `CookieJar::from_headers` would give it) without
/// building a jar of every cookie: the session, the language and the toast are read on every
/// request, and a jar copies each cookie the browser sends.
pub fn read_cookie<T>(
    headers: &axum::http::HeaderMap,
    name: &str,
    read: impl FnOnce(&str) -> T,
) -> Option<T> {
    let mut last = None;
    for value in headers.get_all(header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for piece in value.split(';') {
            if let Ok(c) = Cookie::parse_encoded(piece)
                && c.name() == name
            {
                last = Some(c);
            }
        }
    }
    last.map(|c| read(c.value()))
}

/// The cookie that makes a browser forget `name` at `path`: empty, `Max-Age=0`, otherwise the
/// same attributes it was set with (a browser matches on name, path and domain).
pub fn expired(name: &'static str, path: &'static str, secure: bool) -> Cookie<'static> {
    cookie(name, String::new(), path, 0, secure)
}

pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, HeaderValue::from_static("/"))],
        )
            .into_response(),
    }
}

/// `next` if it is a path on this site, else `/`: what login and the language toggle redirect
/// to, so it must never be read as another host. Browsers drop tabs and line breaks anywhere in
/// a URL and read `\` as `/` before they parse it (the WHATWG URL standard), so `/\t/evil` is
/// `//evil` to them: any control character is refused, and `//` and `/\` are checked after
/// that normalisation, also once percent-decoded (a path is never decoded twice, but the check
/// costs nothing).
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if is_local_path(p) => p.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Whether `path` is a same-origin path as a browser reads it (see [`local_path`]).
pub fn is_local_path(path: &str) -> bool {
    let same_origin = |p: &str| {
        let normalised: String = p
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect();
        p.starts_with('/') && !normalised.starts_with("//") && !p.chars().any(|c| c.is_control() || c == ' ')
    };
    let decoded = url::form_urlencoded::parse(format!("p={}", path.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    same_origin(path) && same_origin(&decoded)
}

/// Whether the client takes gzip, by `Accept-Encoding` with its q-values (RFC 9110 §12.5.3):
/// `gzip;q=0` refuses it, `*` stands for every coding not named, and a missing header means
/// no preference (answered uncompressed, as most servers do).
pub fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .or_else(|| p.trim().strip_prefix("Q="))
                })
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match coding.as_str() {
                "gzip" | "x-gzip" => gzip = Some(q),
                "*" => any = Some(q),
                _ => {}
            }
        }
    }
    gzip.or(any).is_some_and(|q| q > 0.0)
}

/// The 304 answer when the request's `If-None-Match` names `etag`, else `None`.
/// What a cacheable answer depends on in its request, read in place: `If-None-Match` and
/// whether the client takes gzip. (Axum's `HeaderMap` extractor would copy every header; on
/// the hot reads that copy was a noticeable share of the request.)
pub struct Negotiated {
    if_none_match: Option<HeaderValue>,
    pub gzip: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Negotiated {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            if_none_match: parts.headers.get(header::IF_NONE_MATCH).cloned(),
            gzip: accepts_gzip(&parts.headers),
        })
    }
}

impl Negotiated {
    /// The 304 answer when the client already holds `etag`.
    pub fn not_modified(&self, etag: &str) -> Option<Response> {
        let matches = self
            .if_none_match
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
        matches.then(|| (StatusCode::NOT_MODIFIED, [(header::ETAG, etag.to_owned())]).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_keep_their_attributes() {
        let set = cookie("gachi_session", "abc".into(), "/", 3600, true).to_string();
        let mut parts: Vec<&str> = set.split("; ").collect();
        assert_eq!(parts.remove(0), "gachi_session=abc");
        parts.sort_unstable();
        assert_eq!(
            parts,
            ["HttpOnly", "Max-Age=3600", "Path=/", "SameSite=Lax", "Secure"]
        );
        let gone = expired("gachi_login", "/auth/kakao", false).to_string();
        let mut parts: Vec<&str> = gone.split("; ").collect();
        assert_eq!(parts.remove(0), "gachi_login=");
        parts.sort_unstable();
        assert_eq!(
            parts,
            ["HttpOnly", "Max-Age=0", "Path=/auth/kakao", "SameSite=Lax"]
        );
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/rooms/1?x=2")), "/rooms/1?x=2");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn what_a_browser_reads_as_another_host_is_refused() {
        for next in [
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            "/\t\\evil.example",
            "\t//evil.example",
            " //evil.example",
            "/%2Fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "%2F%2Fevil.example",
            "/\0",
            "/a\u{1b}b",
            "/a b",
        ] {
            assert_eq!(local_path(Some(next)), "/", "{next:?}");
        }
        assert_eq!(local_path(Some("/rooms/a?next=%2Fx#y")), "/rooms/a?next=%2Fx#y");
        assert_eq!(local_path(Some("/s/%EC%97%B0")), "/s/%EC%97%B0");
    }

    fn with_encoding(v: &str) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn cookies_are_read_as_a_jar_reads_them() {
        use axum::http::HeaderMap;
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; lang=en; s=x%20y"));
        h.append(header::COOKIE, HeaderValue::from_static("lang=ko;broken"));
        for name in ["a", "lang", "s", "broken", "none"] {
            let jar = axum_extra::extract::CookieJar::from_headers(&h);
            assert_eq!(
                read_cookie(&h, name, str::to_owned),
                jar.get(name).map(|c| c.value().to_owned()),
                "{name}"
            );
        }
        assert_eq!(read_cookie(&h, "lang", str::to_owned).as_deref(), Some("ko"));
        assert_eq!(read_cookie(&h, "s", str::to_owned).as_deref(), Some("x y"));
    }

    #[test]
    fn gzip_by_q_values() {
        assert!(accepts_gzip(&with_encoding("gzip")));
        assert!(accepts_gzip(&with_encoding("br, gzip;q=0.5, deflate")));
        assert!(accepts_gzip(&with_encoding("GZIP;Q=1")));
        assert!(accepts_gzip(&with_encoding("*")));
        assert!(accepts_gzip(&with_encoding("br;q=1, *;q=0.1")));
        assert!(!accepts_gzip(&with_encoding("gzip;q=0")));
        assert!(!accepts_gzip(&with_encoding("gzip;q=0.000")));
        assert!(!accepts_gzip(&with_encoding("*;q=1, gzip;q=0")));
        assert!(!accepts_gzip(&with_encoding("*;q=0")));
        assert!(!accepts_gzip(&with_encoding("br, identity")));
        assert!(!accepts_gzip(&with_encoding("gzipped")));
        assert!(!accepts_gzip(&axum::http::HeaderMap::new()));
    }
}
