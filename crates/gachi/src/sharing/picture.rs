//! Which picture a share or a request names (an event card, a week or a month) and drawing it
//! off the async threads through the shared render cache. No HTTP here: the outbox worker, the
//! public page and the image routes all draw through this module.
//!
//! Each picture comes in two fits: the full one (the week timetable, the month grid; downloads
//! and the public page's picture) and the one for a KakaoTalk chat bubble (the week or month as
//! an agenda, the event card as it is), which every image sent into KakaoTalk uses: the Message
//! API, the memo, Talk Share and `og:image` (DESIGN.md "legible in the bubble").

use std::collections::BTreeMap;
use std::sync::Arc;

use domain::share::Layout;
use i18n::Lang;
use jiff::ToSpan;
use jiff::civil::Date;
use render::{ImageRequest, Size, View};
use storage::{EventRow, Room};

use crate::events::service as events;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// A checked picture request: the layout with its event (card) or date (week, month; `None`
/// means "this week/month" in the room's zone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSpec {
    pub layout: Layout,
    pub event_id: Option<String>,
    pub date: Option<Date>,
}

impl ImageSpec {
    /// Checks `layout`, `event` and `date` (`YYYY-MM-DD` for a week, `YYYY-MM` or a full date
    /// for a month); problems are field errors (422).
    pub fn parse(layout: Option<&str>, event: Option<&str>, date: Option<&str>) -> AppResult<ImageSpec> {
        let mut fields = BTreeMap::new();
        let layout = match layout.filter(|l| !l.is_empty()) {
            None if event.is_some_and(|e| !e.is_empty()) => Some(Layout::Card),
            None => Some(Layout::Week),
            Some(l) => l.parse::<Layout>().ok(),
        };
        let event_id = event.filter(|e| !e.is_empty()).map(str::to_owned);
        let date_text = date.map(str::trim).filter(|d| !d.is_empty());
        let parsed = match (layout, date_text) {
            (_, None) => None,
            (Some(Layout::Month), Some(d)) if d.len() == 7 => {
                Some(domain::dates::parse_date(&format!("{d}-01")))
            }
            (_, Some(d)) => Some(domain::dates::parse_date(d)),
        };
        let parsed = match parsed {
            Some(Ok(date)) => Some(date),
            Some(Err(true)) => {
                fields.insert("date", "date_out_of_range");
                None
            }
            Some(Err(false)) => {
                fields.insert("date", "share-date_invalid");
                None
            }
            None => None,
        };
        match layout {
            None => {
                fields.insert("layout", "share-layout_invalid");
            }
            Some(Layout::Card) if event_id.is_none() => {
                fields.insert("event_id", "share-event_required");
            }
            _ => {}
        }
        match layout {
            Some(layout) if fields.is_empty() => Ok(ImageSpec {
                layout,
                event_id: event_id.filter(|_| layout == Layout::Card),
                date: parsed.filter(|_| layout != Layout::Card),
            }),
            _ => Err(AppError::validation(fields)),
        }
    }

    /// The date as stored on a share: `YYYY-MM-DD` for a week, `YYYY-MM` for a month.
    pub fn date_text(&self) -> Option<String> {
        let d = self.date?;
        Some(match self.layout {
            Layout::Month => d.strftime("%Y-%m").to_string(),
            _ => d.to_string(),
        })
    }

    /// The query string that names this picture (`layout=…&event=…&date=…`).
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("layout", self.layout.as_str());
        if let Some(e) = &self.event_id {
            q.append_pair("event", e);
        }
        if let Some(d) = self.date_text() {
            q.append_pair("date", &d);
        }
        q.finish()
    }
}

/// The event a card shows (404 `event_not_found` when it is not a live event of the room); a
/// series shows as its next occurrence, drawn like any event.
pub async fn card_event(state: &AppState, room: &Room, event_id: &str) -> AppResult<EventRow> {
    let row = state
        .store
        .event(&room.id, event_id)
        .await?
        .ok_or(AppError::Missing("event_not_found"))?;
    crate::events::recurrence::upcoming(state, row, events::today(state, room)).await
}

/// How a picture is drawn: full (at this size) or for a chat bubble.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    Full(Size),
    Bubble,
}

/// The pixel size of the bubble picture of a layout (what a Kakao template's `image_width` and
/// `image_height` must say): the card keeps its portrait size, the agendas are 3:4.
pub fn bubble_size(layout: Layout) -> Size {
    match layout {
        Layout::Card => Size::PORTRAIT,
        Layout::Week | Layout::Month => Size::BUBBLE,
    }
}

/// The PNG for `spec` in the room, from the cache or drawn now on a blocking thread.
pub async fn png(
    state: &AppState,
    room: &Room,
    spec: &ImageSpec,
    lang: Lang,
    fit: Fit,
) -> AppResult<Arc<[u8]>> {
    let req = request(state, room, spec, lang, fit).await?;
    let drawing = state.clone();
    tokio::task::spawn_blocking(move || drawing.renderer.render_png(&req))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// How many events the week or month of `spec` holds, counted as its agenda counts them.
pub async fn period_event_count(
    state: &AppState,
    room: &Room,
    spec: &ImageSpec,
    lang: Lang,
) -> AppResult<usize> {
    let req = request(state, room, spec, lang, Fit::Bubble).await?;
    render::agenda::event_count(&req).map_err(AppError::internal)
}

/// The render request for `spec`: the view the fit asks for, with the events it may show.
async fn request(
    state: &AppState,
    room: &Room,
    spec: &ImageSpec,
    lang: Lang,
    fit: Fit,
) -> AppResult<ImageRequest> {
    let today = events::today(state, room);
    let bubble = fit == Fit::Bubble;
    let mut rsvp = None;
    let (view, rows) = match spec.layout {
        Layout::Card => {
            let id = spec.event_id.clone().unwrap_or_default();
            let row = card_event(state, room, &id).await?;
            if !drawable(&row) {
                return Err(AppError::validation(
                    [("event_id", "date_out_of_range")].into_iter().collect(),
                ));
            }
            rsvp = crate::events::rsvp_card::card_rsvp(state, room, &row, lang).await?;
            (View::Card { event_id: id }, vec![row])
        }
        Layout::Week => {
            let date = spec.date.unwrap_or(today);
            let from = date.checked_sub(7.days()).unwrap_or(date);
            let to = date.checked_add(8.days()).unwrap_or(date);
            let view = if bubble {
                View::WeekAgenda { date }
            } else {
                View::Week { date }
            };
            (view, events::events_in(state, room, from, to).await?)
        }
        Layout::Month => {
            let date = spec.date.unwrap_or(today).first_of_month();
            let from = date.checked_sub(7.days()).unwrap_or(date);
            let to = date.checked_add(45.days()).unwrap_or(date);
            let view = if bubble {
                View::MonthAgenda { date }
            } else {
                View::Month { date }
            };
            (view, events::events_in(state, room, from, to).await?)
        }
    };
    // The agendas draw each event's answers under its title (the grids have no room for them).
    let row_rsvp = if matches!(view, View::WeekAgenda { .. } | View::MonthAgenda { .. }) {
        crate::events::rsvp_views::agenda_rows(state, lang, &room.id, &rows).await?
    } else {
        Vec::new()
    };
    let size = match fit {
        Fit::Full(size) => size,
        Fit::Bubble => bubble_size(spec.layout),
    };
    Ok(ImageRequest {
        view,
        room_name: room.name.clone(),
        events: rows
            .iter()
            .filter(|r| drawable(r))
            .filter_map(events::to_domain)
            .collect(),
        time_zone: room.time_zone.clone(),
        today,
        locale: lang,
        size,
        rsvp,
        row_rsvp,
    })
}

/// Whether a stored event lies in the date window, so drawing it cannot overflow (rows stored
/// before the window was enforced may not).
fn drawable(row: &EventRow) -> bool {
    let date_ok = |d: &Option<String>| d.as_deref().is_none_or(|d| domain::dates::parse_date(d).is_ok());
    let instant_ok = |ms: Option<i64>| ms.is_none_or(domain::dates::millis_in_window);
    date_ok(&row.start_date) && date_ok(&row.end_date) && instant_ok(row.starts_at) && instant_ok(row.ends_at)
}
