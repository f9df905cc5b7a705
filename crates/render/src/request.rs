//! What a caller asks to draw, and the resolved context the layouts share.

use domain::event::{Event, EventTime};
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::error::RenderError;
use i18n::Lang;

/// Output size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    /// The default portrait image (4:5, what KakaoTalk shows large).
    pub const PORTRAIT: Size = Size {
        width: 1080,
        height: 1350,
    };
    /// The feed-card variant (2:1) for link previews and Kakao feed templates.
    pub const FEED: Size = Size {
        width: 800,
        height: 400,
    };

    /// What goes into a KakaoTalk chat bubble (the week and month agendas): 3:4, the tallest
    /// feed image Kakao shows uncropped, 780 px wide so one bubble point (1/260 of the width) is 3 px.
    pub const BUBBLE: Size = Size {
        width: 780,
        height: 1040,
    };

    /// Width over height within Kakao's feed image range, 2:1 (landscape) to 3:4 (portrait);
    /// beyond it KakaoTalk crops the picture.
    pub fn fits_kakao_feed(self) -> bool {
        let (w, h) = (u64::from(self.width), u64::from(self.height));
        // 3/4 <= w/h <= 2, in integers.
        4 * w >= 3 * h && w <= 2 * h
    }

    /// Wider than tall: layouts switch to their compact landscape design.
    pub fn is_landscape(self) -> bool {
        self.width > self.height
    }
}

impl Default for Size {
    fn default() -> Self {
        Self::PORTRAIT
    }
}

/// Which picture to draw.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum View {
    /// One event's card (the event must be in [`ImageRequest::events`]).
    Card { event_id: String },
    /// The Sunday-first week containing `date`, as a timetable.
    Week { date: Date },
    /// The month containing `date`, as a grid.
    Month { date: Date },
    /// The week containing `date` as a list of its events, for a chat bubble.
    WeekAgenda { date: Date },
    /// The month containing `date` as a list of its events, for a chat bubble.
    MonthAgenda { date: Date },
}

/// Everything that decides the pixels. Hash it (as the cache does) to know whether an image changed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRequest {
    pub view: View,
    pub room_name: String,
    /// The room's events (any superset of the visible ones).
    pub events: Vec<Event>,
    /// The zone days and hours are shown in (the room's; default `Asia/Seoul`).
    pub time_zone: String,
    /// The viewer's "today" in `time_zone`, passed in so rendering never reads a clock.
    pub today: Date,
    pub locale: Lang,
    pub size: Size,
    /// 참석·불참 on an event's card (issue 19), already in the reader's language; `None` draws
    /// the card without it.
    pub rsvp: Option<CardRsvp>,
    /// 참석·불참 under the rows of the week and month agendas (issue 19), one per event that has
    /// answers; an event without one is drawn as before.
    pub row_rsvp: Vec<RowRsvp>,
}

/// The answers line of one agenda row ("5명 참석 · 1명 미정"), already in the reader's language.
/// An event is named by its id and its time, since the occurrences of a series share the id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RowRsvp {
    pub event_id: String,
    pub when: EventTime,
    pub text: String,
}

/// The card's answers line: "5명 참석 · 1명 미정" and who is going.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CardRsvp {
    pub counts: String,
    pub names: String,
}

/// The request with its zone resolved, handed to the layouts.
pub struct Context<'a> {
    pub req: &'a ImageRequest,
    pub tz: TimeZone,
    pub locale: Lang,
    pub width: f32,
    pub height: f32,
}

impl<'a> Context<'a> {
    pub fn new(req: &'a ImageRequest) -> Result<Self, RenderError> {
        let Size { width, height } = req.size;
        if !(200..=4096).contains(&width) || !(200..=4096).contains(&height) {
            return Err(RenderError::Size(width, height));
        }
        let tz = TimeZone::get(&req.time_zone).map_err(|_| RenderError::TimeZone(req.time_zone.clone()))?;
        Ok(Self {
            req,
            tz,
            locale: req.locale,
            width: width as f32,
            height: height as f32,
        })
    }

    /// The events touching `from..to` (`to` exclusive), in calendar order.
    pub fn events_between(&self, from: Date, to: Date) -> Vec<&'a Event> {
        let mut list: Vec<&Event> = self
            .req
            .events
            .iter()
            .filter(|e| e.overlaps_days(from, to, &self.tz))
            .collect();
        list.sort_by(|a, b| a.when.sort_key().cmp(&b.when.sort_key()).then(a.id.cmp(&b.id)));
        list
    }
}
