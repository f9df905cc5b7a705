//! What a "나에게" reminder says: "내일 오후 7시 · 송년회 1차 · 홍대입구역" over the event's card,
//! with buttons to the event and to its 참석·불참 answers. Days are named relative to the
//! reminder's own day in the room's zone (오늘, 내일, 모레, else the date).

use domain::event::time_zone;
use jiff::civil::Date;
use kakao::wire::{Button, Content, FeedTemplate, Link, TemplateObject};
use storage::EventRow;

use crate::events::pages::occurrence_query;
use i18n::Lang;

/// "내일 오후 7시" / "12월 24일 (목) 하루 종일": the event's start seen from `today`.
pub fn when_text(lang: Lang, row: &EventRow, room_zone: &str, today: Date) -> String {
    let tz = time_zone(room_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let (day, time) = if row.all_day != 0 {
        let Some(first) = row.start_date.as_deref().and_then(|d| d.parse::<Date>().ok()) else {
            return String::new();
        };
        (first, None)
    } else {
        let Some(start) = row
            .starts_at
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        else {
            return String::new();
        };
        let z = start.to_zoned_datetime(tz);
        (z.date(), Some(z.time()))
    };
    let ahead = today.until(day).map(|s| s.get_days()).unwrap_or(-1);
    let day_text = match ahead {
        0 => lang.t("remind-today").to_owned(),
        1 => lang.t("remind-tomorrow").to_owned(),
        2 => lang.t("remind-day-after").to_owned(),
        _ => render::dates::date_label(lang, day),
    };
    match time {
        None => lang.tr("remind-all-day", &[("day", &day_text)]),
        Some(t) => {
            let clock = if t.minute() == 0 {
                render::dates::hour_label(lang, t.hour())
            } else {
                render::dates::time_label(lang, t)
            };
            lang.tr("remind-when", &[("day", &day_text), ("time", &clock)])
        }
    }
}

/// The whole line: "내일 오후 7시 · 송년회 1차 · 홍대입구역".
pub fn line(lang: Lang, row: &EventRow, room_zone: &str, today: Date) -> String {
    let when = when_text(lang, row, room_zone, today);
    let title = row.title.trim();
    let place = row.location.trim();
    if place.is_empty() {
        lang.tr("remind-line", &[("when", &when), ("title", title)])
    } else {
        lang.tr(
            "remind-line-place",
            &[("when", &when), ("title", title), ("place", place)],
        )
    }
}

/// The event's page under the public URL (an occurrence's with its query).
pub fn event_url(public_url: &str, row: &EventRow) -> String {
    let query = row
        .occurrence
        .as_deref()
        .map(occurrence_query)
        .unwrap_or_default();
    format!("{public_url}/rooms/{}/events/{}{query}", row.room_id, row.id)
}

/// The memo's feed template: the line, the room's name, the card image, two buttons.
pub fn template(
    lang: Lang,
    line: &str,
    room_name: &str,
    event_url: &str,
    image: Option<(&str, u32, u32)>,
) -> TemplateObject {
    let link = Link::web(event_url.to_owned());
    TemplateObject::Feed(FeedTemplate {
        content: Content {
            title: Some(line.to_owned()),
            description: Some(room_name.to_owned()),
            image_url: image.map(|i| i.0.to_owned()),
            image_width: image.map(|i| i.1),
            image_height: image.map(|i| i.2),
            link: link.clone(),
        },
        buttons: vec![
            Button {
                title: lang.t("remind-open").to_owned(),
                link,
            },
            Button {
                title: lang.t("share-card-rsvp").to_owned(),
                link: Link::web(format!("{event_url}#rsvp")),
            },
        ],
        ..FeedTemplate::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_reads_like_a_person_wrote_it() {
        let row = EventRow {
            id: "e".into(),
            room_id: "r".into(),
            title: "송년회 1차".into(),
            all_day: 0,
            // 2026-12-24T19:00:00+09:00
            starts_at: Some(1_798_106_400_000),
            ends_at: Some(1_798_113_600_000),
            start_date: None,
            end_date: None,
            time_zone: "Asia/Seoul".into(),
            location: "홍대입구역".into(),
            memo: String::new(),
            created_by: "u".into(),
            sequence: 0,
            span_start: 0,
            span_end: 0,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            rrule: None,
            occurrence: None,
        };
        let day: Date = "2026-12-23".parse().unwrap();
        assert_eq!(
            line(Lang::Ko, &row, "Asia/Seoul", day),
            "내일 오후 7시 · 송년회 1차 · 홍대입구역"
        );
        assert_eq!(
            line(Lang::Ko, &row, "Asia/Seoul", day.tomorrow().unwrap()),
            "오늘 오후 7시 · 송년회 1차 · 홍대입구역"
        );
    }
}
