//! "Legible in the bubble" (DESIGN.md, issue #17): every image that can go into KakaoTalk — the
//! event card and the week and month agendas, Korean and English, long titles, a full week — is
//! checked on the layout step's own text runs: none is drawn smaller than 1/26 of the image's
//! width (10 pt when KakaoTalk shows it 260 pt wide), and the image's ratio is one Kakao shows
//! uncropped (2:1 … 3:4). `BUBBLE_SHOTS=DIR` also writes the PNGs there to look at.

use render::agenda::{BUBBLE_PT, MIN_PT};
use render::{Size, View};

use crate::fixture;

#[test]
fn bubble_images_have_no_text_under_ten_points_and_a_kakao_ratio() {
    let shots = std::env::var("BUBBLE_SHOTS").ok();
    let cases = fixture::bubble_cases();
    assert!(cases.len() >= 12);
    for (name, req) in &cases {
        assert!(req.size.fits_kakao_feed(), "{name}: {:?}", req.size);
        let scene = render::layout(req).unwrap();
        let min_px = scene.width as f32 * MIN_PT / BUBBLE_PT;
        assert!((min_px - scene.width as f32 / 26.0).abs() < 0.001);
        let mut runs = 0;
        for run in scene.texts() {
            assert!(
                run.style.size + 0.001 >= min_px,
                "{name}: {:?} at {:.1} px, under {min_px:.1} px (1/26 of {} px)",
                run.text,
                run.style.size,
                scene.width
            );
            runs += 1;
        }
        assert!(runs >= 4, "{name}: only {runs} runs");
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(format!("{dir}/{name}.png"), render::render_png(req).unwrap()).unwrap();
            // And as a friend sees it: drawn 260 px wide, the bubble's width in points.
            let small = render::ImageRequest {
                size: Size {
                    width: 260,
                    height: req.size.height * 260 / req.size.width,
                },
                ..req.clone()
            };
            let png = render::render_png(&small).unwrap();
            std::fs::write(format!("{dir}/{name}_260.png"), png).unwrap();
        }
    }
}

#[test]
fn kakao_ratio_bounds() {
    assert!(Size::BUBBLE.fits_kakao_feed() && Size::PORTRAIT.fits_kakao_feed());
    assert!(Size::FEED.fits_kakao_feed());
    assert!(
        !Size {
            width: 801,
            height: 400
        }
        .fits_kakao_feed()
    );
    assert!(
        !Size {
            width: 750,
            height: 1001
        }
        .fits_kakao_feed()
    );
    assert!(
        Size {
            width: 750,
            height: 1000
        }
        .fits_kakao_feed()
    );
}

/// The agenda lists each shown event's day, time and whole title (wrapped, not shrunk), counts
/// what it left out, and when a full week does not fit still shows every one of its days.
#[test]
fn the_week_agenda_reads_like_a_list_and_counts_the_rest() {
    let texts = |req: &render::ImageRequest| -> Vec<String> {
        render::layout(req)
            .unwrap()
            .texts()
            .map(|t| t.text.clone())
            .collect()
    };
    let calm = fixture::request(
        View::WeekAgenda {
            date: fixture::today(),
        },
        Size::BUBBLE,
        render::Lang::Ko,
    );
    let t = texts(&calm);
    assert!(t.iter().any(|s| s == "12월 20일 – 26일"), "{t:?}");
    assert!(t.iter().any(|s| s == "12월 24일 (목)"), "{t:?}");
    assert!(t.iter().any(|s| s == "오전 10:00"), "{t:?}");
    assert!(t.iter().any(|s| s == "팀 회의"), "{t:?}");
    let few = render::ImageRequest {
        events: fixture::events().into_iter().take(3).collect(),
        ..calm.clone()
    };
    let t_few = texts(&few);
    assert!(!t_few.iter().any(|s| s.contains("개 더")), "all fit: {t_few:?}");
    assert!(t_few.iter().any(|s| s == "일정 3개"), "{t_few:?}");

    let busy = render::ImageRequest {
        events: fixture::busy_events(),
        ..calm
    };
    let t = texts(&busy);
    let more = t.iter().find(|s| s.starts_with('+')).expect("a +N line");
    let n: usize = more[1..].split('개').next().unwrap().parse().unwrap();
    let shown_titles = t.iter().filter(|s| s.contains("번째")).count();
    assert!(n > 0 && shown_titles >= 4, "{t:?}");
    // Long titles keep one line each, shortened, when the week does not fit.
    assert!(
        t.iter().filter(|s| s.contains("번째")).all(|s| s.ends_with('…')),
        "{t:?}"
    );
    assert!(t.iter().any(|s| s == "일정 40개"), "{t:?}");
    // Days take turns: five days or more are in view, not only the first one's many events.
    let days = (20..=26)
        .filter(|day| t.iter().any(|s| s.starts_with(&format!("12월 {day}일 ("))))
        .count();
    assert!(days >= 5, "{days} days shown: {t:?}");
    // What is shown plus what is counted is every event of the week.
    let rows = t
        .iter()
        .filter(|s| s.starts_with("오전 ") || s.starts_with("오후 ") || *s == "종일")
        .count();
    assert_eq!(rows + n, 40, "{t:?}");
}
