//! The cache draws an unchanged schedule once and redraws when anything visible changes.

use std::sync::Arc;

use render::RenderCache;

use crate::fixture;

#[test]
fn unchanged_request_is_served_from_the_cache() {
    let cache = RenderCache::default();
    let (_, req) = fixture::cases().into_iter().nth(1).unwrap();
    let a = cache.render_png(&req).unwrap();
    let b = cache.render_png(&req.clone()).unwrap();
    assert!(Arc::ptr_eq(&a, &b), "second call must not redraw");
    assert_eq!(cache.len(), 1);

    let mut changed = req.clone();
    changed.events[2].title.push('!');
    let c = cache.render_png(&changed).unwrap();
    assert!(!Arc::ptr_eq(&a, &c));
    assert_eq!(cache.len(), 2);
    assert_ne!(
        render::cache::content_key(&req),
        render::cache::content_key(&changed)
    );
}

#[test]
fn cache_is_shared_across_threads() {
    let cache = Arc::new(RenderCache::new(4, 16 * 1024 * 1024));
    let (_, req) = fixture::cases().into_iter().nth(1).unwrap();
    let first = cache.render_png(&req).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let cache = cache.clone();
            let req = req.clone();
            std::thread::spawn(move || cache.render_png(&req).unwrap())
        })
        .collect();
    for h in handles {
        assert!(Arc::ptr_eq(&first, &h.join().unwrap()));
    }
}
