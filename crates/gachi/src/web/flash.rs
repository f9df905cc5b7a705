//! "저장했어요": what the last action did, said once on the next page. A page handler that acts
//! and redirects sets a short-lived cookie holding a message *key* from [`KEYS`] (never free text:
//! nothing a request sends is reflected); the next page shows it as a toast (`role="status"`) and
//! [`clear_if_shown`] expires the cookie once a page has been rendered with it.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;

use crate::web::http::{cookie, expired};

pub const FLASH_COOKIE: &str = "gachi_flash";

/// Long enough for a redirect or two; a message nobody saw in a minute is stale.
const MAX_AGE_SECS: i64 = 60;

/// Every message a flash can carry: (key in the cookie, catalogue key).
pub const KEYS: &[(&str, &str)] = &[
    ("event_saved", "flash-event_saved"),
    ("event_updated", "flash-event_updated"),
    ("event_deleted", "flash-event_deleted"),
    ("room_created", "flash-room_created"),
    ("room_renamed", "flash-room_renamed"),
    ("room_deleted", "flash-room_deleted"),
    ("joined", "flash-joined"),
    ("member_removed", "flash-member_removed"),
    ("owner_transferred", "flash-owner_transferred"),
    ("left", "flash-left"),
    ("invite_created", "flash-invite_created"),
    ("invite_revoked", "flash-invite_revoked"),
    ("feed_rotated", "flash-feed_rotated"),
    ("consent_revoked", "flash-consent_revoked"),
    ("account_deleted", "flash-account_deleted"),
    ("logged_out_everywhere", "flash-logged_out_everywhere"),
    ("rsvp_saved", "flash-rsvp_saved"),
    ("rsvp_withdrawn", "flash-rsvp_withdrawn"),
    ("reminders_saved", "flash-reminders_saved"),
];

/// The catalogue key a flash cookie value stands for; unknown values are ignored.
pub fn catalogue_key(value: &str) -> Option<&'static str> {
    KEYS.iter().find(|(k, _)| *k == value).map(|(_, c)| *c)
}

/// The flash in a request's cookies, as a catalogue key.
pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<&'static str> {
    crate::web::http::read_cookie(headers, FLASH_COOKIE, catalogue_key).flatten()
}

/// The cookie that carries `key` (one of [`KEYS`]) to the next page.
pub fn set(key: &'static str, secure: bool) -> Cookie<'static> {
    debug_assert!(catalogue_key(key).is_some(), "unknown flash key {key}");
    cookie(FLASH_COOKIE, key.to_owned(), "/", MAX_AGE_SECS, secure)
}

/// `jar` with `key` added: what a handler returns beside its redirect.
pub fn add(jar: CookieJar, key: &'static str, secure: bool) -> CookieJar {
    jar.add(set(key, secure))
}

/// Whether `req` carries a flash a page may show (a GET with the cookie).
pub fn carried(req: &Request) -> bool {
    req.method() == Method::GET
        && crate::web::http::read_cookie(req.headers(), FLASH_COOKIE, |_| ()).is_some()
}

/// Once an HTML page has been rendered for a GET that [`carried`] a flash, expires the cookie,
/// so the message shows once (redirects pass it on untouched).
pub fn clear_if_shown(resp: &mut Response, carried: bool, secure: bool) {
    if !carried {
        return;
    }
    let is_page = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(b"text/html"));
    if is_page && !resp.status().is_redirection() {
        // Same name and path as it was set with; `Secure` does not take part in matching.
        if let Ok(v) = HeaderValue::from_str(&expired(FLASH_COOKIE, "/", secure).to_string()) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn jar(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        h
    }

    #[test]
    fn known_keys_map_to_the_catalogue() {
        assert_eq!(
            from_headers(&jar("gachi_flash=event_saved")),
            Some("flash-event_saved")
        );
        assert_eq!(
            from_headers(&jar("gachi_flash=member_removed")),
            Some("flash-member_removed")
        );
    }

    #[test]
    fn unknown_keys_and_free_text_are_ignored() {
        assert_eq!(from_headers(&jar("gachi_flash=hacked")), None);
        assert_eq!(from_headers(&jar("gachi_flash=%3Cscript%3E")), None);
        assert_eq!(from_headers(&jar("gachi_flash=")), None);
        assert_eq!(from_headers(&jar("other=event_saved")), None);
    }

    #[test]
    fn every_key_has_a_message_in_both_languages() {
        for (_, key) in KEYS {
            for lang in [i18n::Lang::Ko, i18n::Lang::En] {
                assert!(!lang.t(key).is_empty(), "{key} missing in {lang:?}");
            }
        }
    }

    #[test]
    fn the_cookie_is_short_lived_and_http_only() {
        let c = set("event_saved", false).to_string();
        assert!(c.starts_with("gachi_flash=event_saved"));
        assert!(c.contains("Max-Age=60") && c.contains("HttpOnly"));
    }
}
