//! Finished PNGs keyed by a hash of everything that affects their pixels, so an unchanged
//! schedule is drawn once. Bounded (least recently used entries go first), thread-safe, std only.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::error::RenderError;
use crate::request::ImageRequest;

/// Bumped whenever a change to the layouts would change pixels for the same request.
const RENDER_VERSION: u32 = 1;

/// The cache key: 128 bits from two differently salted SipHash runs over the request.
pub fn content_key(req: &ImageRequest) -> u128 {
    let half = |salt: u64| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        RENDER_VERSION.hash(&mut h);
        req.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0x6761_6368_6931)) << 64) | u128::from(half(0x7265_6e64_6572))
}

struct Entry {
    png: Arc<[u8]>,
    last_used: u64,
}

struct Inner {
    entries: HashMap<u128, Entry>,
    bytes: usize,
    tick: u64,
}

/// A bounded map from content hash to PNG bytes.
pub struct RenderCache {
    inner: Mutex<Inner>,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for RenderCache {
    /// 256 images or 64 MB, whichever comes first.
    fn default() -> Self {
        Self::new(256, 64 * 1024 * 1024)
    }
}

impl RenderCache {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                bytes: 0,
                tick: 0,
            }),
            max_entries: max_entries.max(1),
            max_bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves only a map of finished images behind; keep using it.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached PNG for `req`, if any.
    pub fn get(&self, req: &ImageRequest) -> Option<Arc<[u8]>> {
        self.get_key(content_key(req))
    }

    fn get_key(&self, key: u128) -> Option<Arc<[u8]>> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.get_mut(&key).map(|e| {
            e.last_used = tick;
            e.png.clone()
        })
    }

    /// The PNG for `req`: from the cache, or drawn now and remembered. Drawing happens outside the
    /// lock, so two threads asking for the same new image may both draw it once.
    pub fn render_png(&self, req: &ImageRequest) -> Result<Arc<[u8]>, RenderError> {
        let key = content_key(req);
        if let Some(png) = self.get_key(key) {
            return Ok(png);
        }
        let png: Arc<[u8]> = crate::render_png(req)?.into();
        self.insert_key(key, png.clone());
        Ok(png)
    }

    fn insert_key(&self, key: u128, png: Arc<[u8]>) {
        if png.len() > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let len = png.len();
        if let Some(old) = inner.entries.insert(key, Entry { png, last_used: tick }) {
            inner.bytes -= old.png.len();
        }
        inner.bytes += len;
        while inner.entries.len() > self.max_entries || inner.bytes > self.max_bytes {
            let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| *k)
            else {
                break;
            };
            if let Some(gone) = inner.entries.remove(&oldest) {
                inner.bytes -= gone.png.len();
            }
        }
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let c = RenderCache::new(2, 1000);
        c.insert_key(1, Arc::from(&b"a"[..]));
        c.insert_key(2, Arc::from(&b"b"[..]));
        assert!(c.get_key(1).is_some());
        c.insert_key(3, Arc::from(&b"c"[..]));
        assert!(c.get_key(2).is_none());
        assert!(c.get_key(1).is_some() && c.get_key(3).is_some());
    }

    #[test]
    fn respects_the_byte_budget() {
        let c = RenderCache::new(10, 5);
        c.insert_key(1, Arc::from(&b"abc"[..]));
        c.insert_key(2, Arc::from(&b"def"[..]));
        assert_eq!(c.len(), 1);
        c.insert_key(3, Arc::from(&b"toolarge"[..]));
        assert!(c.get_key(3).is_none());
    }
}
