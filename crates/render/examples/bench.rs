//! Render timing for docs/benchmarks.md: p50 of each layout, uncached and cached.
//!
//! `cargo run --release -p render --example bench` (add `-- --write DIR` to also save the PNGs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)] // the tests use more of the fixture than the benchmark does
#[path = "../tests/it/fixture.rs"]
mod fixture;

use std::time::{Duration, Instant};

fn p50(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write_dir = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let runs = 30;
    // Warm up: fonts load once per process.
    render::render_png(&fixture::cases()[0].1).unwrap();
    println!("| layout | size | uncached p50 | cached p50 | PNG bytes |");
    println!("| --- | --- | --- | --- | --- |");
    // The golden layouts, then the agendas made for the KakaoTalk bubble (the fixture week and a
    // full one of 40 events).
    let mut cases: Vec<(String, render::ImageRequest)> = fixture::cases()
        .into_iter()
        .map(|(n, r)| (n.to_owned(), r))
        .collect();
    cases.extend(
        fixture::bubble_cases()
            .into_iter()
            .filter(|(n, _)| n.contains("agenda_ko") && !n.ends_with("empty")),
    );
    for (name, req) in cases {
        let mut uncached = Vec::new();
        let mut bytes = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let png = render::render_png(&req).unwrap();
            uncached.push(t.elapsed());
            bytes = png.len();
        }
        let cache = render::RenderCache::default();
        cache.render_png(&req).unwrap();
        let mut cached = Vec::new();
        for _ in 0..runs * 10 {
            let t = Instant::now();
            let png = cache.render_png(&req).unwrap();
            cached.push(t.elapsed());
            assert_eq!(png.len(), bytes);
        }
        println!(
            "| {name} | {}×{} | {:.1} ms | {:.1} µs | {bytes} |",
            req.size.width,
            req.size.height,
            p50(uncached).as_secs_f64() * 1e3,
            p50(cached).as_secs_f64() * 1e6
        );
        if let Some(dir) = &write_dir {
            std::fs::write(format!("{dir}/{name}.png"), render::render_png(&req).unwrap()).unwrap();
        }
    }
}
