//! 참석·불참 on the event card and in the week and month agendas (issue 19): the counts (and on
//! the card who is going) are drawn, legible in the bubble, and a picture without answers is
//! drawn as before (the goldens hold it).

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

/// The week and month agendas (issue 19): an event with answers has "5명 참석 · 1명 미정" under
/// its title, legible in the bubble; the others are drawn as before.
#[test]
fn the_agenda_rows_show_the_counts() {
    for view in [
        View::WeekAgenda {
            date: jiff::civil::date(2026, 12, 24),
        },
        View::MonthAgenda {
            date: jiff::civil::date(2026, 12, 1),
        },
    ] {
        let plain = fixture::request(view.clone(), Size::BUBBLE, render::Lang::Ko);
        // 팀 회의 (the 21st): shown in both agendas (the party on the 24th is among the "+N" of
        // the crowded week).
        let party = plain
            .events
            .iter()
            .find(|e| e.title == "팀 회의")
            .unwrap()
            .clone();
        let mut req = plain.clone();
        req.row_rsvp = vec![render::RowRsvp {
            event_id: party.id.clone(),
            when: party.when.clone(),
            text: "5명 참석 · 1명 미정".into(),
        }];
        let scene = render::layout(&req).unwrap();
        let min_px = scene.width as f32 * MIN_PT / BUBBLE_PT;
        let texts: Vec<(String, f32)> = scene.texts().map(|t| (t.text.clone(), t.style.size)).collect();
        let counts: Vec<_> = texts.iter().filter(|(t, _)| t == "5명 참석 · 1명 미정").collect();
        assert_eq!(counts.len(), 1, "one row has the counts: {texts:?}");
        assert!(counts[0].1 + 0.001 >= min_px, "legible in the bubble");
        let before: Vec<String> = render::layout(&plain)
            .unwrap()
            .texts()
            .map(|t| t.text.clone())
            .collect();
        assert!(!before.iter().any(|t| t.contains("명 참석")), "{before:?}");
        let png = render::render_png(&req).unwrap();
        assert_ne!(png, render::render_png(&plain).unwrap(), "the picture changed");
        if let Ok(dir) = std::env::var("BUBBLE_SHOTS") {
            let name = match view {
                View::WeekAgenda { .. } => "week_agenda_rsvp",
                _ => "month_agenda_rsvp",
            };
            std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
        }
    }
}
