//! No laid-out text run may end outside its cell: checked on the layout step's own output,
//! with extents from the real font metrics (shaped advance, ascender, descender).

use render::scene::Rect;

use crate::fixture;

#[test]
fn every_text_run_stays_inside_its_cell_and_the_image() {
    let mut requests: Vec<_> = fixture::cases().into_iter().map(|(_, r)| r).collect();
    requests.extend(fixture::extra_cases());
    requests.extend(fixture::bubble_cases().into_iter().map(|(_, r)| r));
    let mut checked = 0;
    for req in &requests {
        let scene = render::layout(req).unwrap();
        let image = Rect::new(0.0, 0.0, scene.width as f32, scene.height as f32);
        for run in scene.texts() {
            let b = run.bounds();
            assert!(!run.text.is_empty());
            // The width recorded is the real shaped width of the text drawn.
            let measured = render::text::measure(&run.text, run.style.weight, run.style.size);
            assert!(
                (measured - run.width).abs() < 0.01,
                "{:?}: {measured} vs {}",
                run.text,
                run.width
            );
            assert!(
                run.cell.contains(&b),
                "{:?} {:?}: {b:?} outside {:?}",
                req.view,
                run.text,
                run.cell
            );
            assert!(
                image.contains(&run.cell),
                "{:?}: cell {:?} outside the image",
                run.text,
                run.cell
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} runs checked");
}

#[test]
fn long_titles_are_shortened_not_dropped() {
    let (_, mut req) = fixture::cases().into_iter().next().unwrap();
    let event = req
        .events
        .iter_mut()
        .find(|e| e.id == fixture::CARD_EVENT)
        .unwrap();
    event.title = event.title.repeat(2);
    let scene = render::layout(&req).unwrap();
    let title: Vec<_> = scene.texts().filter(|t| t.style.size > 60.0).collect();
    assert_eq!(title.len(), 3, "the long title takes three lines");
    assert!(title[0].text.starts_with("연말 송년회"));
    assert!(title[2].text.ends_with(render::text::ELLIPSIS));
}

#[test]
fn a_full_day_says_how_many_more() {
    let (_, req) = fixture::cases().into_iter().nth(3).unwrap();
    let scene = render::layout(&req).unwrap();
    assert!(
        scene
            .texts()
            .any(|t| t.text.starts_with('+') && t.text.ends_with("개 더"))
    );
    let mut en = req.clone();
    en.locale = i18n::Lang::En;
    let scene = render::layout(&en).unwrap();
    assert!(
        scene
            .texts()
            .any(|t| t.text.starts_with('+') && t.text.ends_with(" more"))
    );
}

#[test]
fn holidays_are_named_and_today_is_marked() {
    let (_, req) = fixture::cases().into_iter().nth(2).unwrap();
    let scene = render::layout(&req).unwrap();
    assert!(
        scene
            .texts()
            .any(|t| t.text == "기독탄신일" && t.style.color == render::theme::SUNDAY)
    );
    let today = scene.texts().find(|t| t.text == "22").unwrap();
    assert_eq!(today.style.color, render::theme::ON_ACCENT);
}
