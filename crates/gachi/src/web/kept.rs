//! Post/redirect/get for page forms that fail validation. The handler keeps what was submitted
//! and which fields were wrong (catalogue keys, so a language switch translates them) in a
//! short-lived in-memory store under a random id, names the id in a cookie and redirects (303)
//! to the form's own GET URL; that page finds the entry (same user, same URL) and shows the form
//! again with the values and each error attached to its field. Reloading or switching language
//! shows the same form again (the entry stays until it expires or the form is saved); no error
//! text and no values ever travel in a URL.
//!
//! The store is in this process's memory: Gachi runs as one process (DESIGN.md), and an entry
//! that a restart loses only means the form comes back empty.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Duration;

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use moka::sync::Cache;

use crate::web::http::{cookie, expired};

pub const KEPT_COOKIE: &str = "gachi_form";

/// Long enough to fix a typo after a phone call; short enough not to surprise later.
const TTL: Duration = Duration::from_secs(15 * 60);

/// A submitted form that did not validate.
#[derive(Clone, Debug)]
pub struct Kept {
    pub user_id: String,
    /// The GET URL (path and query) the form is shown at.
    pub url: String,
    /// The submitted body, urlencoded again: each page reads it with its own form type.
    pub body: String,
    /// Field → catalogue key of its error.
    pub errors: BTreeMap<&'static str, &'static str>,
}

/// At most this many bytes of kept forms (a body is at most 64 KiB): a user who keeps failing
/// on purpose pushes out the oldest entries, never the server's memory.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

static STORE: LazyLock<Cache<String, Kept>> = LazyLock::new(|| {
    Cache::builder()
        .weigher(|_, k: &Kept| u32::try_from(k.body.len() + k.url.len() + 256).unwrap_or(u32::MAX))
        .max_capacity(MAX_BYTES)
        .time_to_live(TTL)
        .build()
});

/// Keeps `kept` (replacing the browser's previous kept form) and returns the jar with the
/// cookie that finds it.
pub fn keep(jar: CookieJar, kept: Kept, secure: bool) -> CookieJar {
    if let Some(old) = jar.get(KEPT_COOKIE) {
        STORE.invalidate(old.value());
    }
    let id = kakao::random_token(18);
    STORE.insert(id.clone(), kept);
    jar.add(cookie(KEPT_COOKIE, id, "/", TTL.as_secs() as i64, secure))
}

/// The kept form for `url` and this user, if any.
pub fn find(jar: &CookieJar, user_id: &str, url: &str) -> Option<Kept> {
    let id = jar.get(KEPT_COOKIE)?.value().to_owned();
    STORE.get(&id).filter(|k| k.user_id == user_id && k.url == url)
}

/// After a successful save: the kept form (if any) is forgotten and its cookie expired.
pub fn clear(jar: CookieJar, secure: bool) -> CookieJar {
    let Some(id) = jar.get(KEPT_COOKIE).map(|c| c.value().to_owned()) else {
        return jar;
    };
    STORE.invalidate(&id);
    jar.add(forget(secure))
}

fn forget(secure: bool) -> Cookie<'static> {
    expired(KEPT_COOKIE, "/", secure)
}

/// A form body as it is kept: `pairs` urlencoded.
pub fn body<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A kept body read back as `key → value` (the last of a repeated key).
pub fn fields(body: &str) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue, header};

    fn jar_with(cookie: &str) -> CookieJar {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        CookieJar::from_headers(&h)
    }

    #[test]
    fn a_kept_form_is_found_only_by_its_user_at_its_url() {
        let kept = Kept {
            user_id: "u1".into(),
            url: "/rooms/r/events/new".into(),
            body: body([("title", "송년회"), ("date", "2026-13-01")]),
            errors: [("date", "date_invalid")].into_iter().collect(),
        };
        let jar = keep(CookieJar::new(), kept, false);
        let id = jar.get(KEPT_COOKIE).unwrap().value().to_owned();
        let incoming = jar_with(&format!("{KEPT_COOKIE}={id}"));
        let found = find(&incoming, "u1", "/rooms/r/events/new").unwrap();
        assert_eq!(fields(&found.body)["title"], "송년회");
        assert!(find(&incoming, "u2", "/rooms/r/events/new").is_none());
        assert!(find(&incoming, "u1", "/rooms/other/events/new").is_none());
        assert!(
            find(
                &jar_with(&format!("{KEPT_COOKIE}=guess")),
                "u1",
                "/rooms/r/events/new"
            )
            .is_none()
        );
        // Found again (a reload), until cleared.
        assert!(find(&incoming, "u1", "/rooms/r/events/new").is_some());
        let _ = clear(incoming.clone(), false);
        assert!(find(&incoming, "u1", "/rooms/r/events/new").is_none());
    }
}
