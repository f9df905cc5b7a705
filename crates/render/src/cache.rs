//! Finished PNGs keyed by a hash of everything that affects their pixels, so an unchanged
//! schedule is drawn once. Bounded by count and bytes (least recently used entries go first),
//! thread-safe; moka does the bookkeeping.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use moka::policy::EvictionPolicy;
use moka::sync::Cache;

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

/// A bounded map from content hash to PNG bytes, least recently used first out.
pub struct RenderCache {
    images: Cache<u128, Arc<[u8]>>,
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
        let max_entries = max_entries.max(1);
        // moka bounds one total weight, and we have two limits: every image weighs at least an
        // equal share of the byte budget, so staying under the budget also keeps the count under
        // `max_entries` (small images then count as that share, never more images than allowed).
        let share = max_bytes.div_ceil(max_entries);
        let weigh = move |_: &u128, png: &Arc<[u8]>| u32::try_from(png.len().max(share)).unwrap_or(u32::MAX);
        Self {
            images: Cache::builder()
                .max_capacity(u64::try_from(max_bytes).unwrap_or(u64::MAX))
                .weigher(weigh)
                .eviction_policy(EvictionPolicy::lru())
                .build(),
            max_bytes,
        }
    }

    /// The cached PNG for `req`, if any.
    pub fn get(&self, req: &ImageRequest) -> Option<Arc<[u8]>> {
        self.get_key(content_key(req))
    }

    fn get_key(&self, key: u128) -> Option<Arc<[u8]>> {
        self.images.get(&key)
    }

    /// The PNG for `req`: from the cache, or drawn now and remembered. Two threads asking for
    /// the same new image may both draw it once.
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
        self.images.insert(key, png);
        // Apply the bounds now rather than later: an insert follows a draw that took far longer,
        // and the limits then hold at every moment, not eventually.
        self.images.run_pending_tasks();
    }

    pub fn len(&self) -> usize {
        self.images.run_pending_tasks();
        usize::try_from(self.images.entry_count()).unwrap_or(usize::MAX)
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
