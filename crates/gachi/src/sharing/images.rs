//! The members-only image routes `GET /api/v1/rooms/{id}/image.png` and
//! `…/events/{eid}/image.png`, over `picture` which names and draws the image.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::share::Layout;
use render::Size;

use crate::rooms::service as rooms;
use crate::sharing::picture::{Fit, ImageSpec, png};
use crate::state::AppState;
use crate::web::error::AppResult;
use crate::web::extract::AcceptLang;
use crate::web::extract::Query;
use crate::web::session::Auth;

pub fn png_response(png: Arc<[u8]>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        png.to_vec(),
    )
        .into_response()
}

fn size_of(q: &ImageQuery) -> Fit {
    match q.size.as_deref() {
        Some("feed") => Fit::Full(Size::FEED),
        // What KakaoTalk shows in the chat bubble: the share page previews it.
        Some("bubble") => Fit::Bubble,
        _ => Fit::Full(Size::PORTRAIT),
    }
}

/// `?layout=…&event=…&date=…&size=feed|bubble|portrait`.
#[derive(serde::Deserialize)]
pub struct ImageQuery {
    layout: Option<String>,
    event: Option<String>,
    date: Option<String>,
    size: Option<String>,
}

/// `GET /api/v1/rooms/{id}/image.png?layout=card&event=…|week&date=…|month&date=…` (members only).
pub async fn room_image(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path(id): Path<String>,
    Query(q): Query<ImageQuery>,
) -> AppResult<Response> {
    let (room, _) = rooms::member_room(&state, &id, &auth.user).await?;
    let spec = ImageSpec::parse(q.layout.as_deref(), q.event.as_deref(), q.date.as_deref())?;
    let png = png(&state, &room, &spec, lang, size_of(&q)).await?;
    Ok(png_response(png))
}

/// `GET /api/v1/rooms/{id}/events/{eid}/image.png`: that event's card (members only).
pub async fn event_image(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path((id, eid)): Path<(String, String)>,
    Query(q): Query<ImageQuery>,
) -> AppResult<Response> {
    let (room, _) = rooms::member_room(&state, &id, &auth.user).await?;
    let spec = ImageSpec {
        layout: Layout::Card,
        event_id: Some(eid),
        date: None,
    };
    let png = png(&state, &room, &spec, lang, size_of(&q)).await?;
    Ok(png_response(png))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_checked() {
        let week = ImageSpec::parse(Some("week"), None, Some("2026-12-24")).unwrap();
        assert_eq!(week.date_text().as_deref(), Some("2026-12-24"));
        let month = ImageSpec::parse(Some("month"), None, Some("2026-12")).unwrap();
        assert_eq!(month.date_text().as_deref(), Some("2026-12"));
        assert_eq!(
            ImageSpec::parse(None, Some("e1"), None).unwrap().layout,
            Layout::Card
        );
        assert!(ImageSpec::parse(Some("card"), None, None).is_err());
        assert!(ImageSpec::parse(Some("poster"), None, None).is_err());
        assert!(ImageSpec::parse(Some("week"), None, Some("24/12")).is_err());
        assert_eq!(month.query(), "layout=month&date=2026-12");
    }
}
