//! Month, week and list views of a room's schedule, built on the server: civil dates in the
//! room's zone (an all-day event never moves), Sundays and holidays red, Saturdays blue,
//! today marked, and periods outside the holiday table said to be unknown, never guessed.

use domain::event::{Event, EventTime, time_zone};
use domain::holidays;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use storage::EventRow;

use crate::events::service::to_domain;
use i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Month,
    Week,
    List,
}

impl View {
    pub fn parse(s: Option<&str>) -> View {
        match s {
            Some("week") => View::Week,
            Some("list") => View::List,
            _ => View::Month,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Month => "month",
            View::Week => "week",
            View::List => "list",
        }
    }
}

pub struct Chip {
    pub id: String,
    pub title: String,
    /// `오후 7:00` for timed events starting that day, empty for all-day ones.
    pub time: String,
    pub all_day: bool,
    /// `?occurrence=…` for an occurrence of a series (its page opens on that day), else empty.
    pub query: String,
}

pub struct Day {
    pub date: String,
    pub label: String,
    pub day: i8,
    pub in_range: bool,
    pub today: bool,
    /// `sun`, `sat`, `holiday` or empty: the CSS class of the day's number.
    pub tone: &'static str,
    pub holiday: String,
    pub chips: Vec<Chip>,
}

pub struct Calendar {
    pub view: View,
    pub title: String,
    pub weeks: Vec<Vec<Day>>,
    /// List view: only days with events.
    pub days: Vec<Day>,
    pub prev: String,
    pub next: String,
    pub today: String,
    pub holidays_unknown: bool,
    pub weekday_labels: Vec<&'static str>,
}

/// The first day and the day after the last of what `view` shows around `anchor`.
pub fn range(view: View, anchor: Date) -> (Date, Date) {
    match view {
        View::Month | View::List => {
            let first = anchor.first_of_month();
            (first, first.last_of_month().tomorrow().unwrap_or(first))
        }
        View::Week => {
            let back = i64::from(anchor.weekday().to_sunday_zero_offset());
            let start = anchor.checked_sub(jiff::Span::new().days(back)).unwrap_or(anchor);
            (
                start,
                start.checked_add(jiff::Span::new().days(7)).unwrap_or(start),
            )
        }
    }
}

fn shift(view: View, anchor: Date, forward: bool) -> Date {
    let sign = if forward { 1 } else { -1 };
    let span = match view {
        View::Week => jiff::Span::new().days(7 * sign),
        _ => jiff::Span::new().months(sign),
    };
    let base = if view == View::Week {
        anchor
    } else {
        anchor.first_of_month()
    };
    base.checked_add(span).unwrap_or(anchor)
}

/// "오후 7:00" / "7:00 PM": the same words and order as the images.
fn time_label(lang: Lang, hour: i8, minute: i8) -> String {
    jiff::civil::Time::new(hour, minute, 0, 0)
        .map(|t| render::dates::time_label(lang, t))
        .unwrap_or_default()
}

fn chip_query(row: &EventRow) -> String {
    row.occurrence
        .as_deref()
        .map(crate::events::pages::occurrence_query)
        .unwrap_or_default()
}

fn day_cell(
    lang: Lang,
    date: Date,
    in_range: bool,
    today: Date,
    events: &[(Event, EventRow)],
    tz: &TimeZone,
) -> Day {
    let found = holidays::holiday(date);
    let tone = if found.is_some() {
        "holiday"
    } else {
        match date.weekday() {
            Weekday::Sunday => "sun",
            Weekday::Saturday => "sat",
            _ => "",
        }
    };
    let mut chips: Vec<(bool, i64, Chip)> = events
        .iter()
        .filter(|(e, _)| e.touches(date, tz))
        .map(|(e, row)| match e.when {
            EventTime::AllDay { .. } => (
                false,
                0,
                Chip {
                    id: row.id.clone(),
                    title: row.title.clone(),
                    time: String::new(),
                    all_day: true,
                    query: chip_query(row),
                },
            ),
            EventTime::Timed { starts_at, .. } => {
                let local = tz.to_datetime(starts_at);
                let time = if local.date() == date {
                    time_label(lang, local.hour(), local.minute())
                } else {
                    String::new()
                };
                (
                    true,
                    starts_at.as_millisecond(),
                    Chip {
                        id: row.id.clone(),
                        title: row.title.clone(),
                        time,
                        all_day: false,
                        query: chip_query(row),
                    },
                )
            }
        })
        .collect();
    chips.sort_by_key(|(timed, at, _)| (*timed, *at));
    Day {
        date: date.to_string(),
        label: render::dates::date_label(lang, date),
        day: date.day(),
        in_range,
        today: date == today,
        tone,
        holiday: found
            .map(|h| {
                if lang == Lang::Ko {
                    h.name_ko.clone()
                } else {
                    h.name_en.clone()
                }
            })
            .unwrap_or_default(),
        chips: chips.into_iter().map(|(_, _, c)| c).collect(),
    }
}

/// Builds the view of `rows` (already limited to the range) around `anchor`.
pub fn build(
    lang: Lang,
    view: View,
    anchor: Date,
    today: Date,
    zone: &str,
    rows: &[EventRow],
    room_path: &str,
) -> Calendar {
    let tz = time_zone(zone).unwrap_or(TimeZone::UTC);
    let events: Vec<(Event, EventRow)> = rows
        .iter()
        .filter_map(|r| to_domain(r).map(|e| (e, r.clone())))
        .collect();
    let (from, to) = range(view, anchor);
    let mut weeks = Vec::new();
    let mut days = Vec::new();
    match view {
        View::Month => {
            let (mut day, _) = range(View::Week, from);
            while day < to {
                let mut week = Vec::new();
                for _ in 0..7 {
                    week.push(day_cell(lang, day, day >= from && day < to, today, &events, &tz));
                    day = day.tomorrow().unwrap_or(day);
                }
                weeks.push(week);
            }
        }
        View::Week | View::List => {
            let mut day = from;
            while day < to {
                let cell = day_cell(lang, day, true, today, &events, &tz);
                if view == View::Week || !cell.chips.is_empty() {
                    days.push(cell);
                }
                day = day.tomorrow().unwrap_or(day);
            }
        }
    }
    let last = to.yesterday().unwrap_or(to);
    let title = match view {
        View::Week => lang.tr(
            "cal-week-title",
            &[
                ("year", &from.year().to_string()),
                ("month", &from.month().to_string()),
                ("month-short", &from.strftime("%b").to_string()),
                ("day", &from.day().to_string()),
                ("end-year", &last.year().to_string()),
                ("end-month", &last.month().to_string()),
                ("end-month-short", &last.strftime("%b").to_string()),
                ("end-day", &last.day().to_string()),
            ],
        ),
        _ => render::dates::month_title(lang, from),
    };
    let link = |d: Date| format!("{room_path}?view={}&date={d}", view.as_str());
    Calendar {
        view,
        title,
        weeks,
        days,
        prev: link(shift(view, anchor, false)),
        next: link(shift(view, anchor, true)),
        today: link(today),
        holidays_unknown: !holidays::covered(from) || !holidays::covered(to.yesterday().unwrap_or(to)),
        weekday_labels: (0..7).map(|i| lang.weekday(i)).collect(),
    }
}
