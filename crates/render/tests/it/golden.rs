//! Golden images: each layout of the fixture schedule must match its committed reference PNG
//! under `tests/golden/` within a small tolerance (antialiasing may differ a little between
//! platforms and library versions). `UPDATE_GOLDEN=1 cargo test -p render --test it golden`
//! rewrites the references; look at them before committing.

use std::io::Cursor;
use std::path::PathBuf;

use crate::fixture;

/// A pixel "differs" when any channel is off by more than this.
const CHANNEL_THRESHOLD: u8 = 32;
/// At most this fraction of pixels may differ.
const MAX_DIFFERING: f64 = 0.005;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Decodes a PNG to (width, height, RGB8 pixels).
pub fn decode_rgb(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    let rgb = match channels {
        3 => buf,
        4 => buf.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        n => panic!("unexpected {n}-channel PNG"),
    };
    (info.width, info.height, rgb)
}

/// Fraction of pixels that differ by more than the threshold.
fn differing(a: &[u8], b: &[u8]) -> f64 {
    let bad = a
        .chunks_exact(3)
        .zip(b.chunks_exact(3))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL_THRESHOLD)
        })
        .count();
    bad as f64 / (a.len() / 3) as f64
}

#[test]
fn diff_counts_pixels() {
    let a = [0u8, 0, 0, 10, 10, 10];
    assert_eq!(differing(&a, &[0, 0, 0, 10, 10, 10]), 0.0);
    assert_eq!(differing(&a, &[0, 0, 0, 10, 200, 10]), 0.5);
    assert_eq!(differing(&a, &[20, 0, 0, 10, 10, 10]), 0.0);
}

#[test]
fn layouts_match_their_golden_images() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for (name, req) in fixture::cases() {
        let actual = render::render_png(&req).unwrap();
        let (w, h, rgb) = decode_rgb(&actual);
        assert_eq!((w, h), (req.size.width, req.size.height));
        let path = golden_dir().join(format!("{name}.png"));
        if update {
            // References are stored at high compression: the test decodes them, so only size matters.
            let small = render::png::encode_rgb(&rgb, w, h, png::Compression::High).unwrap();
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, small).unwrap();
            continue;
        }
        let Ok(expected) = std::fs::read(&path) else {
            failures.push(format!(
                "{name}: no reference at {} (run with UPDATE_GOLDEN=1)",
                path.display()
            ));
            continue;
        };
        let (ew, eh, erg) = decode_rgb(&expected);
        if (ew, eh) != (w, h) {
            failures.push(format!("{name}: size {w}x{h}, reference {ew}x{eh}"));
            continue;
        }
        let diff = differing(&rgb, &erg);
        if diff > MAX_DIFFERING {
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.actual.png"));
            std::fs::write(&out, &actual).unwrap();
            failures.push(format!(
                "{name}: {:.3}% of pixels differ (actual saved to {})",
                diff * 100.0,
                out.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
