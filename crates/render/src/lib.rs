//! Gachi's schedule images: an event card, a week timetable, a month grid and the week or month
//! as an agenda made to be read in a KakaoTalk chat bubble, drawn to PNG.
//!
//! The pipeline is pure and has three steps, each in its own module:
//! 1. **layout** ([`card`], [`week`], [`month`], [`agenda`]) turns the schedule into a [`scene::Scene`] of boxes
//!    and text runs. Every text run is measured with the embedded font's real metrics (shaped by the
//!    same shaper resvg uses) and shortened with "…" or wrapped so it stays inside its cell;
//! 2. **SVG** ([`svg`]) writes the scene out, escaping every user string;
//! 3. **PNG** ([`png`]) rasterises with resvg using only the embedded Pretendard fonts (no system
//!    fonts) and encodes quickly with the `png` crate.
//!
//! [`cache::RenderCache`] keeps finished PNGs keyed by a hash of everything that affects the pixels,
//! so an unchanged schedule is never drawn twice. Nothing here reads the clock: "today" comes in.
#![forbid(unsafe_code)]

pub mod agenda;
pub mod cache;
pub mod calendar;
pub mod card;
pub mod dates;
pub mod error;
pub mod fonts;
pub mod month;
pub mod png;
pub mod request;
pub mod scene;
pub mod svg;
pub mod text;
pub mod theme;
pub mod week;

pub use cache::RenderCache;
pub use error::RenderError;
pub use i18n::Lang;
pub use request::{CardRsvp, ImageRequest, RowRsvp, Size, View};
pub use scene::Scene;

/// Lays the request out: the step whose text boxes the tests inspect.
pub fn layout(req: &ImageRequest) -> Result<Scene, RenderError> {
    let ctx = request::Context::new(req)?;
    match &req.view {
        View::Card { event_id } => card::layout(&ctx, event_id),
        View::Week { date } => week::layout(&ctx, *date),
        View::Month { date } => month::layout(&ctx, *date),
        View::WeekAgenda { date } => agenda::layout(&ctx, agenda::Period::Week, *date),
        View::MonthAgenda { date } => agenda::layout(&ctx, agenda::Period::Month, *date),
    }
}

/// The request as an SVG document (user text escaped, fonts referenced by family name).
pub fn render_svg(req: &ImageRequest) -> Result<String, RenderError> {
    Ok(svg::to_svg(&layout(req)?))
}

/// The request as PNG bytes, drawn now (no cache; see [`RenderCache`]).
pub fn render_png(req: &ImageRequest) -> Result<Vec<u8>, RenderError> {
    let scene = layout(req)?;
    png::rasterize_png(&svg::to_svg(&scene), scene.width, scene.height)
}
