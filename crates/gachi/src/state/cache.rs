//! In-memory caches (all moka): serialised schedule answers, plain and gzip-compressed, so an
//! unchanged schedule is serialised and compressed once and served many times (keys carry a
//! version that moves on every write, so a stale entry is never served); and each user's Kakao
//! friend list for a short while, so paging and searching the picker does not call Kakao again.
//! They live with the state (below `web`), because the state owns them and every feature reads them.

use std::time::Duration;

use axum::body::Bytes;
use kakao::wire::Friend;
use moka::sync::Cache;

/// How long Gachi keeps a friend list (DESIGN.md allows up to 60 s).
pub const FRIENDS_TTL_MS: i64 = 60_000;

/// Rendered month/range answers, keyed by room, room version and range: an unchanged schedule
/// is serialised once. The room's `updated_at` moves on every write (on any instance), so a
/// stale entry can never be served; old versions simply age out of the bounded cache.
pub struct ScheduleCache {
    entries: Cache<String, Cached>,
}

impl Default for ScheduleCache {
    fn default() -> Self {
        Self {
            entries: Cache::new(Self::MAX_ENTRIES),
        }
    }
}

/// One answer, plain and gzip-compressed (compressed once, served many times: a month of
/// events is ~175 KB of JSON and ~10x smaller compressed, which matters on phones).
#[derive(Clone)]
pub struct Cached {
    pub plain: Bytes,
    pub gzip: Bytes,
}

/// Compressed once per version and sent many times, so at zlib's default level rather than
/// its fastest: a month of 500 events is ~15 % smaller on the wire (what a phone downloads and
/// what the kernel copies on every answer) for about the same time to compress.
pub fn gzip(data: &[u8]) -> Bytes {
    use std::io::Write;
    let mut enc =
        flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 8), flate2::Compression::default());
    match enc.write_all(data).and_then(|()| enc.finish()) {
        Ok(out) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

impl ScheduleCache {
    const MAX_ENTRIES: u64 = 2048;

    /// `Bytes` clones share the buffer: a hit copies nothing.
    pub fn get(&self, key: &str) -> Option<Cached> {
        self.entries.get(key)
    }

    pub fn put(&self, key: String, body: Cached) {
        self.entries.insert(key, body);
    }
}

/// Each user's friend list with the instant (Gachi's clock, epoch ms) it was fetched.
///
/// Freshness is judged by Gachi's injectable clock, which tests move forward; moka's own
/// time-to-live runs on the real clock and only bounds memory. The injectable clock never runs
/// slower than the real one (it is wall time plus a forward-only offset), so moka never drops an
/// entry Gachi would still call fresh.
pub struct FriendsCache {
    entries: Cache<String, (i64, Vec<Friend>)>,
    ttl_ms: i64,
}

impl FriendsCache {
    /// Users whose lists are kept at once; beyond that the least useful go first.
    const MAX_USERS: u64 = 10_000;

    pub fn new(ttl_ms: i64) -> Self {
        let ttl = Duration::from_millis(u64::try_from(ttl_ms).unwrap_or(0));
        Self {
            entries: Cache::builder()
                .max_capacity(Self::MAX_USERS)
                .time_to_live(ttl)
                .build(),
            ttl_ms,
        }
    }

    /// The list fetched for `user_id` less than the TTL before `now` (not after it).
    pub fn get(&self, user_id: &str, now: i64) -> Option<Vec<Friend>> {
        self.entries
            .get(user_id)
            .filter(|(at, _)| now - *at < self.ttl_ms && now >= *at)
            .map(|(_, list)| list)
    }

    pub fn put(&self, user_id: String, now: i64, list: Vec<Friend>) {
        self.entries.insert(user_id, (now, list));
    }

    pub fn forget(&self, user_id: &str) {
        self.entries.invalidate(user_id);
    }
}
