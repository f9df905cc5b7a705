//! Every Hangul syllable the fixtures draw must come from the embedded font (no .notdef boxes),
//! and what the font cannot draw (emoji) must never reach the SVG.

use std::collections::BTreeSet;

use render::fonts::{Weight, fonts};

use crate::fixture;

#[test]
fn every_hangul_syllable_drawn_has_a_real_glyph() {
    let f = fonts().unwrap();
    let mut syllables = BTreeSet::new();
    let mut requests: Vec<_> = fixture::cases().into_iter().map(|(_, r)| r).collect();
    requests.extend(fixture::extra_cases());
    for req in &requests {
        for run in render::layout(req).unwrap().texts() {
            let face = f.face(run.style.weight);
            let ids = face.glyph_ids(&run.text);
            assert!(!ids.contains(&0), "{:?} shapes to .notdef: {ids:?}", run.text);
            syllables.extend(run.text.chars().filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)));
        }
    }
    assert!(syllables.len() > 100, "only {} syllables seen", syllables.len());
    for c in &syllables {
        for weight in [Weight::Regular, Weight::Bold] {
            let ids = f.face(weight).glyph_ids(&c.to_string());
            assert!(ids.len() == 1 && ids[0] != 0, "{c} has no glyph in {weight:?}");
        }
    }
}

#[test]
fn emoji_never_reach_the_svg() {
    for (_, req) in fixture::cases() {
        let svg = render::render_svg(&req).unwrap();
        let f = fonts().unwrap();
        for c in svg.chars().filter(|c| !c.is_ascii()) {
            assert!(
                f.regular.covers(c),
                "{c:?} (U+{:04X}) would draw as a box",
                c as u32
            );
        }
        assert!(!svg.contains('🎉') && !svg.contains('✈'));
    }
}
