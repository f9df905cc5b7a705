//! The card every channel sends (one text for the Message API, Talk Share and the public
//! page), its Kakao feed template and Talk Share settings, and the picture a stored share names.
//! The outbox worker depends on this, never on an HTTP module.

use domain::share::Layout;
use kakao::wire::{Button, Content, FeedTemplate, Link, TemplateObject};
use serde::Serialize;
use serde_json::{Value, json};
use storage::{Room, Share};

use crate::events::service as events;
use crate::sharing::picture::ImageSpec;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use i18n::Lang;

/// The picture a stored share names.
pub fn spec_of(share: &Share) -> ImageSpec {
    ImageSpec::parse(
        Some(share.layout.as_str()),
        share.event_id.as_deref(),
        share.date.as_deref(),
    )
    .unwrap_or(ImageSpec {
        layout: Layout::Week,
        event_id: None,
        date: None,
    })
}

/// The texts of a share's card, shared by the Kakao template, Talk Share and the public page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardText {
    pub title: String,
    /// When (and where) for an event card; the period for a week or month.
    pub when: String,
    pub place: String,
    pub room_name: String,
    pub public_url: String,
    pub join_url: String,
    /// An event card's second button: 참석·불참 for members, the invitation for others
    /// (`/s/{token}/rsvp`); `None` for a week or month.
    pub rsvp_url: Option<String>,
    /// The bubble picture (`/s/{token}/image.png`, also the page's `og:image`) and its size.
    pub image_url: String,
    pub image_width: u32,
    pub image_height: u32,
}

impl CardText {
    /// The second button: "참석 여부 알려주기" on an event's card, "join" on the others.
    pub fn second_button(&self, lang: Lang) -> (&'static str, &str) {
        match &self.rsvp_url {
            Some(url) => (lang.t("share-card-rsvp"), url.as_str()),
            None => (lang.t("share-card-join"), self.join_url.as_str()),
        }
    }

    pub fn description(&self) -> String {
        if self.place.is_empty() {
            self.when.clone()
        } else {
            format!("{} · {}", self.when, self.place)
        }
    }
}

/// The card of `share` in `room`.
pub async fn card_text(state: &AppState, share: &Share, room: &Room) -> AppResult<CardText> {
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    let spec = spec_of(share);
    let public_url = format!("{}/s/{}", state.public_url, share.public_token);
    // Written as a person would: "12월 24일 (목) 오후 7:00 – 9:00" for an event,
    // "12월 20일 – 26일 · 일정 5개" for a week, "2026년 12월 · 일정 12개" for a month.
    let (title, when, place) = match spec.layout {
        Layout::Card => {
            let row =
                crate::sharing::picture::card_event(state, room, spec.event_id.as_deref().unwrap_or(""))
                    .await?;
            (
                row.title.clone(),
                event_when_text(&row, lang, &room.time_zone),
                row.location.clone(),
            )
        }
        Layout::Week | Layout::Month => {
            let d = spec.date.unwrap_or_else(|| events::today(state, room));
            let period = match spec.layout {
                Layout::Week => {
                    let start = render::calendar::week_start(d).map_err(AppError::internal)?;
                    let end = render::calendar::add_days(start, 6).map_err(AppError::internal)?;
                    render::dates::week_title(lang, start, end)
                }
                _ => render::dates::month_title(lang, d),
            };
            let n = crate::sharing::picture::period_event_count(state, room, &spec, lang).await?;
            let key = if spec.layout == Layout::Week {
                "share-layout-week"
            } else {
                "share-layout-month"
            };
            (
                format!("{} · {}", room.name, lang.t(key)),
                format!("{period} · {}", render::dates::event_count(lang, n)),
                String::new(),
            )
        }
    };
    let size = crate::sharing::picture::bubble_size(spec.layout);
    Ok(CardText {
        title,
        when,
        place,
        room_name: room.name.clone(),
        join_url: format!("{public_url}/join"),
        rsvp_url: (spec.layout == Layout::Card).then(|| format!("{public_url}/rsvp")),
        image_url: format!("{public_url}/image.png"),
        image_width: size.width,
        image_height: size.height,
        public_url,
    })
}

/// When an event is, in the reader's language and the event's zone (the room's when the
/// event's is unknown): "12월 24일 (목) 오후 7:00 – 9:00", "Thu, Dec 24 · 7:00 – 9:00 PM".
pub fn event_when_text(row: &storage::EventRow, lang: Lang, room_zone: &str) -> String {
    let Some(e) = events::to_domain(row) else {
        return String::new();
    };
    let tz = e
        .tz()
        .or_else(|_| domain::event::time_zone(room_zone))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    render::dates::when_label(lang, &e.when, &tz)
}

/// The Message API's feed template: the uploaded image, a link to the public page, two buttons.
pub fn feed_template(card: &CardText, lang: Lang, image: Option<(&str, i64, i64)>) -> TemplateObject {
    let (image_url, w, h) = match image {
        Some((url, w, h)) => (Some(url.to_owned()), u32::try_from(w).ok(), u32::try_from(h).ok()),
        None => (None, None, None),
    };
    TemplateObject::Feed(FeedTemplate {
        content: Content {
            title: Some(card.title.clone()),
            description: Some(card.description()),
            image_url,
            image_width: w,
            image_height: h,
            link: Link::web(card.public_url.clone()),
        },
        buttons: vec![
            Button {
                title: lang.t("share-card-view").to_owned(),
                link: Link::web(card.public_url.clone()),
            },
            {
                let (title, url) = card.second_button(lang);
                Button {
                    title: title.to_owned(),
                    link: Link::web(url.to_owned()),
                }
            },
        ],
        ..FeedTemplate::default()
    })
}

/// The same card as settings for the JavaScript SDK's `Kakao.Share.sendDefault`.
pub fn talk_share_settings(card: &CardText, lang: Lang) -> Value {
    let link = json!({"webUrl": card.public_url, "mobileWebUrl": card.public_url});
    let (second, second_url) = card.second_button(lang);
    let join = json!({"webUrl": second_url, "mobileWebUrl": second_url});
    json!({
        "objectType": "feed",
        "content": {
            "title": card.title,
            "description": card.description(),
            "imageUrl": card.image_url,
            "imageWidth": card.image_width,
            "imageHeight": card.image_height,
            "link": link,
        },
        "buttons": [
            {"title": lang.t("share-card-view"), "link": link},
            {"title": second, "link": join},
        ],
    })
}
