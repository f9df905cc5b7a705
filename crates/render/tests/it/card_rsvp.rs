//! 참석·불참 on the event card (issue 19): the counts and who is going are drawn, legible in the
//! bubble, and a card without answers is drawn as before (the goldens hold it).

use render::agenda::{BUBBLE_PT, MIN_PT};
use render::{CardRsvp, Size, View};

use crate::fixture;

#[test]
fn the_card_shows_the_counts_and_names() {
    let mut req = fixture::request(
        View::Card {
            event_id: fixture::CARD_EVENT.to_owned(),
        },
        Size::PORTRAIT,
        render::Lang::Ko,
    );
    req.rsvp = Some(CardRsvp {
        counts: "5명 참석 · 1명 미정".into(),
        names: "민지, 서준, 지우, 하늘, 도윤".into(),
    });
    let scene = render::layout(&req).unwrap();
    let min_px = scene.width as f32 * MIN_PT / BUBBLE_PT;
    let texts: Vec<(String, f32)> = scene.texts().map(|t| (t.text.clone(), t.style.size)).collect();
    assert!(texts.iter().any(|(t, _)| t == "5명 참석 · 1명 미정"), "{texts:?}");
    assert!(
        texts.iter().any(|(t, _)| t.starts_with("민지, 서준")),
        "{texts:?}"
    );
    assert!(texts.iter().all(|(_, size)| size + 0.001 >= min_px));
    let png = render::render_png(&req).unwrap();
    if let Ok(dir) = std::env::var("BUBBLE_SHOTS") {
        std::fs::write(format!("{dir}/card_rsvp.png"), png).unwrap();
    }
}
