//! User text is never markup: a `<script>` title is escaped in the SVG and drawn as literal text.

use render::View;

use crate::fixture;

#[test]
fn script_title_is_escaped_and_drawn_literally() {
    let mut req = fixture::request(
        View::Card {
            event_id: "0193f1a0-0000-7000-8000-000000000004".to_owned(),
        },
        render::Size::PORTRAIT,
        i18n::Lang::Ko,
    );
    req.room_name = "방 & \"따옴표\" <b>굵게</b>".to_owned();
    let svg = render::render_svg(&req).unwrap();
    assert!(!svg.contains("<script"), "raw markup leaked");
    assert!(svg.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("&amp; &quot;따옴표&quot; &lt;b&gt;"));
    let scene = render::layout(&req).unwrap();
    assert!(scene.texts().any(|t| t.text.starts_with("<script>alert")));
    // It parses and draws.
    assert!(render::render_png(&req).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn unknown_event_and_zone_are_errors() {
    let req = fixture::request(
        View::Card {
            event_id: "nope".to_owned(),
        },
        render::Size::PORTRAIT,
        i18n::Lang::Ko,
    );
    assert!(matches!(
        render::layout(&req),
        Err(render::RenderError::EventNotFound(_))
    ));
    let mut req = fixture::request(
        View::Month {
            date: fixture::today(),
        },
        render::Size::PORTRAIT,
        i18n::Lang::Ko,
    );
    req.time_zone = "Nowhere/Land".to_owned();
    assert!(matches!(
        render::layout(&req),
        Err(render::RenderError::TimeZone(_))
    ));
}
