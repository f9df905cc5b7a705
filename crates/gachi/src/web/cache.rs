//! Serialised answers kept in memory, plain and gzip-compressed, so an unchanged schedule is
//! serialised and compressed once and served many times. Keys carry a version that moves on
//! every write, so a stale entry is never served.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

/// Rendered month/range answers, keyed by room, room version and range: an unchanged schedule
/// is serialised once. The room's `updated_at` moves on every write (on any instance), so a
/// stale entry can never be served.
#[derive(Default)]
pub struct ScheduleCache {
    entries: Mutex<HashMap<String, Cached>>,
}

/// One answer, plain and gzip-compressed (compressed once, served many times: a month of
/// events is ~175 KB of JSON and ~10x smaller compressed, which matters on phones).
#[derive(Clone)]
pub struct Cached {
    pub plain: Bytes,
    pub gzip: Bytes,
}

pub fn gzip(data: &[u8]) -> Bytes {
    use std::io::Write;
    let mut enc =
        flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 8), flate2::Compression::fast());
    match enc.write_all(data).and_then(|()| enc.finish()) {
        Ok(out) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

impl ScheduleCache {
    const MAX_ENTRIES: usize = 2048;

    /// `Bytes` clones share the buffer: a hit copies nothing.
    pub fn get(&self, key: &str) -> Option<Cached> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: String, body: Cached) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= Self::MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, body);
        }
    }
}
