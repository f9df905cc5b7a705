//! `GET /example.png?lang=ko|en`: an example event card drawn by the render crate, exactly as a
//! room's schedule goes into KakaoTalk. The logged-out home page shows it to explain what
//! Gachi makes, and it is the picture of the invitation card (a public URL Kakao can fetch,
//! which shows nothing of any real room). Drawn on first request and then served from the
//! shared render cache; the texts come from the catalogue, so each language has its own.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::event::{DEFAULT_TIME_ZONE, Event, EventTime};
use jiff::civil::{Date, date};
use render::{ImageRequest, Size, View};
use serde::Deserialize;

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{AcceptLang, Query};
use i18n::Lang;

/// The feed-card shape (2:1) KakaoTalk shows whole in a chat bubble.
pub const SIZE: Size = Size::FEED;

/// The event on the card: a year-end party two days after "today".
const DAY: Date = date(2026, 12, 24);
const TODAY: Date = date(2026, 12, 22);
const EVENT_ID: &str = "example";

#[derive(Deserialize)]
pub struct ExampleQuery {
    lang: Option<String>,
}

/// The example's request: an event card with fixed dates and texts in `lang`, so the cache
/// keeps one picture per language.
pub fn request(lang: Lang) -> ImageRequest {
    let at = |hour: i8| {
        let tz = domain::event::time_zone(DEFAULT_TIME_ZONE).ok()?;
        DAY.at(hour, 0, 0, 0)
            .to_zoned_datetime(tz)
            .ok()
            .map(|z| z.timestamp())
    };
    let party = match (at(19), at(21)) {
        (Some(starts_at), Some(ends_at)) => Some(Event {
            id: EVENT_ID.to_owned(),
            title: lang.t("home-example-party").to_owned(),
            when: EventTime::Timed { starts_at, ends_at },
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            location: Some(lang.t("home-example-place").to_owned()),
            memo: None,
            created_by: String::new(),
            sequence: 0,
        }),
        _ => None,
    };
    ImageRequest {
        view: View::Card {
            event_id: EVENT_ID.to_owned(),
        },
        room_name: lang.t("home-example-room").to_owned(),
        events: party.into_iter().collect(),
        time_zone: DEFAULT_TIME_ZONE.to_owned(),
        today: TODAY,
        locale: lang,
        size: SIZE,
        rsvp: None,
        row_rsvp: Vec::new(),
    }
}

pub async fn image(
    State(state): State<AppState>,
    AcceptLang(accept): AcceptLang,
    Query(q): Query<ExampleQuery>,
) -> AppResult<Response> {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or(accept);
    let req = request(lang);
    let drawing = state.clone();
    let png = tokio::task::spawn_blocking(move || drawing.renderer.render_png(&req))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    // The same texts and dates always draw the same picture: cacheable for a day.
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        png.to_vec(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_draws_in_both_languages() {
        for lang in [Lang::Ko, Lang::En] {
            let req = request(lang);
            assert_eq!(req.events.len(), 1, "the example event is built");
            let png = render::render_png(&req).unwrap();
            assert_eq!(&png[1..4], b"PNG");
        }
    }
}
