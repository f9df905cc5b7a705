//! Month, week, list and day views of a room's schedule, built on the server: civil dates in the
//! room's zone (an all-day event never moves), Sundays and holidays red, Saturdays blue,
//! today marked, and periods outside the holiday table said to be unknown, never guessed.
//!
//! The month grid draws each event once per week row (a multi-day event is one bar, see
//! `month_layout`); the week, list and day views are agendas grouped by day, where a multi-day
//! event appears once, on the first day the view shows, with its whole span.

use std::cmp::Reverse;

use domain::event::{Event, EventTime, time_zone};
use domain::holidays;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use storage::EventRow;

use crate::events::month_layout::{self, Cols};
use crate::events::service::to_domain;
use i18n::Lang;

/// How many lanes a month cell has room for; the last one becomes "+N" on a crowded day.
pub const MONTH_LANES: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Month,
    Week,
    List,
    /// One day's events: where a month cell's number and its "+N" lead.
    Day,
}

impl View {
    pub fn parse(s: Option<&str>) -> View {
        match s {
            Some("week") => View::Week,
            Some("list") => View::List,
            Some("day") => View::Day,
            _ => View::Month,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Month => "month",
            View::Week => "week",
            View::List => "list",
            View::Day => "day",
        }
    }
}

/// One event as a view draws it under one day (a month cell or an agenda day).
pub struct Item {
    pub id: String,
    pub title: String,
    /// `?occurrence=…` for an occurrence of a series (its page opens on that day), else empty.
    pub query: String,
    pub all_day: bool,
    /// Touches more than one day: a bar in the month view, its span shown in the agendas.
    pub multi_day: bool,
    /// `오후 7:00` when the event is timed and starts on the day it is shown under, else empty.
    pub time: String,
    /// `오후 9:00`: the end of a timed event that starts and ends on that day, else empty.
    pub end_time: String,
    /// The whole span of a multi-day event (`12월 16일 (수) – 18일 (금)`), else empty.
    pub span: String,
    pub location: String,
    /// Started before what this row or view shows / goes on after it.
    pub continued: bool,
    pub continues: bool,
    /// The words for those two cues (`지난주부터`, `다음 주까지`), empty when not needed.
    pub cue: String,
    /// Month view: the lane inside the week row and how many days the bar covers there.
    pub lane: usize,
    pub cols: usize,
    /// 참석·불참 counts ("5명 참석 · 1명 미정"), filled by `events::rsvp_views`; empty if none.
    pub rsvp: String,
}

pub struct Day {
    pub date: String,
    /// `12월 24일 (목)`.
    pub label: String,
    pub day: i8,
    pub weekday: &'static str,
    pub in_range: bool,
    pub today: bool,
    /// `sun`, `sat`, `holiday` or empty: the CSS class of the day's number.
    pub tone: &'static str,
    pub holiday: String,
    /// Month view: the lane the holiday's name is drawn in (the top one).
    pub holiday_lane: usize,
    pub items: Vec<Item>,
    /// Month view: how many of the day's events did not fit (its "+N"), and the words a
    /// screen reader says for it.
    pub more: usize,
    pub more_label: String,
    /// Month view: how many members said 참석 to the day's shown events (each member once), drawn
    /// as "✓5" beside the day's number so the titles keep the cell's width; 0 draws nothing.
    /// `going_label` is what a screen reader says for it ("5명 참석"). Filled by
    /// `events::rsvp_views`.
    pub going: usize,
    pub going_label: String,
    /// The day view of this day.
    pub href: String,
}

pub struct Calendar {
    pub view: View,
    pub title: String,
    /// Month view: the week rows.
    pub weeks: Vec<Vec<Day>>,
    /// Week view: all seven days; list view: only days with events; day view: the day.
    pub days: Vec<Day>,
    pub prev: String,
    pub next: String,
    pub today: String,
    /// The event form, on the day shown when the view is one day.
    pub add: String,
    /// The day the view is around: the other views' tabs open on it.
    pub anchor: String,
    pub holidays_unknown: bool,
    pub weekday_labels: Vec<&'static str>,
    /// The month cell's last lane, where a crowded day's "+N" goes.
    pub last_lane: usize,
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
            let start = anchor.checked_sub(back.days()).unwrap_or(anchor);
            (start, start.checked_add(7.days()).unwrap_or(start))
        }
        View::Day => (anchor, anchor.tomorrow().unwrap_or(anchor)),
    }
}

fn shift(view: View, anchor: Date, forward: bool) -> Date {
    let sign = if forward { 1 } else { -1 };
    let moved = match view {
        View::Week => anchor.checked_add((7 * sign).days()),
        View::Day => anchor.checked_add(sign.days()),
        View::Month | View::List => anchor.first_of_month().checked_add(sign.months()),
    };
    moved.unwrap_or(anchor)
}

/// "오후 7:00" / "7:00 PM": the same words and order as the images.
fn time_label(lang: Lang, tz: &TimeZone, at: jiff::Timestamp) -> String {
    render::dates::time_label(lang, tz.to_datetime(at).time())
}

/// An event with the days it touches in the room's zone.
struct Entry<'a> {
    event: &'a Event,
    row: &'a EventRow,
    first: Date,
    last: Date,
}

/// What a view says when an item started before it or goes on after it.
#[derive(Clone, Copy)]
struct Cues {
    before: &'static str,
    after: &'static str,
}

impl Cues {
    fn week(lang: Lang) -> Cues {
        Cues {
            before: lang.t("cal-from-last-week"),
            after: lang.t("cal-into-next-week"),
        }
    }

    fn month(lang: Lang) -> Cues {
        Cues {
            before: lang.t("cal-from-last-month"),
            after: lang.t("cal-into-next-month"),
        }
    }

    fn none() -> Cues {
        Cues {
            before: "",
            after: "",
        }
    }

    fn words(self, continued: bool, continues: bool) -> String {
        let parts: Vec<&str> = [(continued, self.before), (continues, self.after)]
            .into_iter()
            .filter(|(on, w)| *on && !w.is_empty())
            .map(|(_, w)| w)
            .collect();
        parts.join(" · ")
    }
}

/// Builds `entry` as drawn under `day`, in a row or view showing `shown_first..=shown_last`.
fn item(
    lang: Lang,
    tz: &TimeZone,
    entry: &Entry,
    day: Date,
    (shown_first, shown_last): (Date, Date),
    cues: Cues,
) -> Item {
    let row = entry.row;
    let multi_day = entry.first < entry.last;
    let (time, end_time, span) = match entry.event.when {
        EventTime::AllDay { start_date, end_date } => {
            let span = if multi_day {
                render::dates::date_range_label(lang, start_date, end_date)
            } else {
                String::new()
            };
            (String::new(), String::new(), span)
        }
        EventTime::Timed { starts_at, ends_at } => {
            let time = if entry.first == day {
                time_label(lang, tz, starts_at)
            } else {
                String::new()
            };
            if multi_day {
                let span = render::dates::when_label(lang, &entry.event.when, tz);
                (time, String::new(), span)
            } else {
                let end = if ends_at > starts_at {
                    time_label(lang, tz, ends_at)
                } else {
                    String::new()
                };
                (time, end, String::new())
            }
        }
    };
    let continued = entry.first < shown_first;
    let continues = entry.last > shown_last;
    Item {
        id: row.id.clone(),
        title: row.title.clone(),
        query: row
            .occurrence
            .as_deref()
            .map(crate::events::pages::occurrence_query)
            .unwrap_or_default(),
        all_day: entry.event.when.is_all_day(),
        multi_day,
        time,
        end_time,
        span,
        location: row.location.clone(),
        continued,
        continues,
        cue: cues.words(continued, continues),
        lane: 0,
        cols: 1,
        rsvp: String::new(),
    }
}

fn day_cell(lang: Lang, date: Date, in_range: bool, today: Date, room_path: &str) -> Day {
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
    Day {
        date: date.to_string(),
        label: render::dates::date_label(lang, date),
        day: date.day(),
        weekday: render::dates::weekday_short(lang, date.weekday()),
        in_range,
        today: date == today,
        tone,
        holiday: found
            .map(|h| render::dates::holiday_name(lang, h).to_owned())
            .unwrap_or_default(),
        holiday_lane: 0,
        items: Vec::new(),
        more: 0,
        more_label: String::new(),
        going: 0,
        going_label: String::new(),
        href: format!("{room_path}?view=day&date={date}"),
    }
}

/// The week rows of the month grid from `grid_start` (a Sunday) up to `to`, each event placed
/// once per row it touches.
fn month_weeks(
    lang: Lang,
    tz: &TimeZone,
    entries: &[Entry],
    (grid_start, from, to): (Date, Date, Date),
    today: Date,
    room_path: &str,
) -> Vec<Vec<Day>> {
    let mut weeks = Vec::new();
    let mut start = grid_start;
    while start < to {
        let dates: Vec<Date> = (0..7)
            .map(|i| start.checked_add(i.days()).unwrap_or(start))
            .collect();
        let mut days: Vec<Day> = dates
            .iter()
            .map(|&d| day_cell(lang, d, d >= from && d < to, today, room_path))
            .collect();
        let end = dates[6];
        let mut pieces: Vec<(Cols, &Entry)> = entries
            .iter()
            .filter_map(|e| month_layout::piece(e.first, e.last, start).map(|(c, _, _)| (c, e)))
            .collect();
        // Bars first, longest first, so they sit on top; then each day's events in day order.
        pieces.sort_by_key(|(c, e)| (c.days() == 1, c.first, Reverse(c.days()), e.event.when.sort_key()));
        // A holiday's name takes the top lane of its day (a cell is too narrow to put it beside
        // the number), so it is placed before every event.
        let holidays: Vec<Cols> = (0..7)
            .filter(|&c| !days[c].holiday.is_empty())
            .map(|c| Cols { first: c, last: c })
            .collect();
        let cols: Vec<Cols> = holidays
            .iter()
            .copied()
            .chain(pieces.iter().map(|(c, _)| *c))
            .collect();
        let layout = month_layout::place(&cols, MONTH_LANES);
        for (c, placed) in holidays.iter().zip(&layout.placements) {
            days[c.first].holiday_lane = placed.lane;
        }
        for ((c, entry), placed) in pieces.iter().zip(&layout.placements[holidays.len()..]) {
            if !placed.shown {
                continue;
            }
            let mut it = item(lang, tz, entry, dates[c.first], (start, end), Cues::week(lang));
            it.lane = placed.lane;
            it.cols = c.days();
            days[c.first].items.push(it);
        }
        for (day, &more) in days.iter_mut().zip(&layout.more) {
            day.items.sort_by_key(|i| i.lane);
            day.more = more;
            if more > 0 {
                day.more_label = lang.tr("cal-more-events", &[("n", &more.to_string())]);
            }
        }
        weeks.push(days);
        start = match start.checked_add(7.days()) {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    weeks
}

/// The agenda of `from..to`: each event once, under the first of its days the agenda shows.
fn agenda(
    lang: Lang,
    tz: &TimeZone,
    entries: &[Entry],
    (from, to): (Date, Date),
    today: Date,
    (keep_empty, cues): (bool, Cues),
    room_path: &str,
) -> Vec<Day> {
    let last = to.yesterday().unwrap_or(to);
    let mut shown: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.first <= last && e.last >= from)
        .collect();
    shown.sort_by_key(|e| e.event.when.sort_key());
    let mut days = Vec::new();
    let mut day = from;
    while day < to {
        let mut cell = day_cell(lang, day, true, today, room_path);
        cell.items = shown
            .iter()
            .filter(|e| e.first.max(from) == day)
            .map(|e| item(lang, tz, e, day, (from, last), cues))
            .collect();
        if keep_empty || !cell.items.is_empty() {
            days.push(cell);
        }
        day = match day.tomorrow() {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    days
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
    let events: Vec<(Event, &EventRow)> = rows.iter().filter_map(|r| to_domain(r).map(|e| (e, r))).collect();
    let entries: Vec<Entry> = events
        .iter()
        .map(|(event, row)| {
            let (first, last) = event.when.days_in(&tz);
            Entry {
                event,
                row,
                first,
                last,
            }
        })
        .collect();
    let (from, to) = range(view, anchor);
    let last = to.yesterday().unwrap_or(to);
    let (mut weeks, mut days) = (Vec::new(), Vec::new());
    match view {
        View::Month => {
            let (grid_start, _) = range(View::Week, from);
            weeks = month_weeks(lang, &tz, &entries, (grid_start, from, to), today, room_path);
        }
        View::Week => {
            let rules = (true, Cues::week(lang));
            days = agenda(lang, &tz, &entries, (from, to), today, rules, room_path);
        }
        View::List => {
            let rules = (false, Cues::month(lang));
            days = agenda(lang, &tz, &entries, (from, to), today, rules, room_path);
        }
        View::Day => {
            let rules = (true, Cues::none());
            days = agenda(lang, &tz, &entries, (from, to), today, rules, room_path);
        }
    }
    let title = match view {
        View::Week => render::dates::week_title(lang, from, last),
        View::Day => render::dates::date_label(lang, from),
        View::Month | View::List => render::dates::month_title(lang, from),
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
        add: match view {
            View::Day => format!("{room_path}/events/new?date={anchor}"),
            _ => format!("{room_path}/events/new"),
        },
        anchor: anchor.to_string(),
        holidays_unknown: !holidays::covered(from) || !holidays::covered(last),
        weekday_labels: (0..7).map(|i| lang.weekday(i)).collect(),
        last_lane: MONTH_LANES - 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const ROOM: &str = "/rooms/r";

    fn row(id: &str, title: &str) -> EventRow {
        EventRow {
            id: id.into(),
            room_id: "r".into(),
            title: title.into(),
            all_day: 0,
            starts_at: None,
            ends_at: None,
            start_date: None,
            end_date: None,
            time_zone: "Asia/Seoul".into(),
            location: String::new(),
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
        }
    }

    fn all_day(id: &str, title: &str, from: &str, to: &str) -> EventRow {
        EventRow {
            all_day: 1,
            start_date: Some(from.into()),
            end_date: Some(to.into()),
            ..row(id, title)
        }
    }

    fn timed(id: &str, title: &str, from: &str, to: &str) -> EventRow {
        let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        EventRow {
            starts_at: Some(ms(from)),
            ends_at: Some(ms(to)),
            ..row(id, title)
        }
    }

    /// Dec 2026: a trip Fri 18 – Sun 20 (across a week row), a countdown across midnight, six
    /// events on Thu 10, and one on Christmas (a holiday).
    fn december() -> Vec<EventRow> {
        let mut rows = vec![
            all_day("trip", "제주도 여행", "2026-12-18", "2026-12-20"),
            timed(
                "count",
                "카운트다운",
                "2026-12-31T22:00:00+09:00",
                "2027-01-01T02:00:00+09:00",
            ),
            timed(
                "xmas",
                "성탄 미사",
                "2026-12-25T10:00:00+09:00",
                "2026-12-25T11:00:00+09:00",
            ),
        ];
        for h in 10..16 {
            rows.push(timed(
                &format!("e{h}"),
                &format!("일정{h}"),
                &format!("2026-12-10T{h}:00:00+09:00"),
                &format!("2026-12-10T{h}:30:00+09:00"),
            ));
        }
        rows
    }

    fn view(view: View, anchor: Date) -> Calendar {
        build(
            Lang::Ko,
            view,
            anchor,
            date(2026, 12, 20),
            "Asia/Seoul",
            &december(),
            ROOM,
        )
    }

    fn day<'a>(weeks: &'a [Vec<Day>], on: &str) -> &'a Day {
        weeks.iter().flatten().find(|d| d.date == on).unwrap()
    }

    #[test]
    fn the_month_draws_a_span_once_per_week_row() {
        let cal = view(View::Month, date(2026, 12, 1));
        let trip: Vec<(&str, usize, bool, bool)> = cal
            .weeks
            .iter()
            .flatten()
            .flat_map(|d| d.items.iter().map(move |i| (d, i)))
            .filter(|(_, i)| i.id == "trip")
            .map(|(d, i)| (d.date.as_str(), i.cols, i.continued, i.continues))
            .collect();
        assert_eq!(
            trip,
            vec![("2026-12-18", 2, false, true), ("2026-12-20", 1, true, false)]
        );
        let count = &day(&cal.weeks, "2026-12-31").items;
        assert_eq!((count[0].id.as_str(), count[0].cols), ("count", 2));
        assert!(
            day(&cal.weeks, "2027-01-01").items.is_empty(),
            "drawn once, from its first day"
        );
    }

    #[test]
    fn a_crowded_day_shows_plus_n_and_a_holiday_takes_the_top_lane() {
        let cal = view(View::Month, date(2026, 12, 1));
        let tenth = day(&cal.weeks, "2026-12-10");
        assert_eq!(tenth.items.len(), MONTH_LANES - 1);
        assert_eq!(tenth.more, 4);
        assert_eq!(tenth.more_label, "일정 4개 더 보기");
        assert_eq!(tenth.href, "/rooms/r?view=day&date=2026-12-10");
        let xmas = day(&cal.weeks, "2026-12-25");
        assert_eq!((xmas.holiday.as_str(), xmas.holiday_lane), ("기독탄신일", 0));
        assert_eq!(xmas.items[0].lane, 1, "the event goes under the holiday's name");
        assert!(day(&cal.weeks, "2026-12-20").today);
    }

    #[test]
    fn the_week_is_seven_days_with_a_span_once() {
        let cal = view(View::Week, date(2026, 12, 24));
        assert_eq!(cal.title, "12월 20일 – 26일");
        assert_eq!(cal.days.len(), 7);
        let trip: Vec<&Item> = cal
            .days
            .iter()
            .flat_map(|d| &d.items)
            .filter(|i| i.id == "trip")
            .collect();
        assert_eq!(trip.len(), 1);
        assert_eq!(cal.days[0].items[0].id, "trip", "on the first day the week shows");
        assert_eq!(trip[0].span, "12월 18일 (금) – 20일 (일)");
        assert_eq!(trip[0].cue, "지난주부터");
        assert_eq!(cal.prev, "/rooms/r?view=week&date=2026-12-17");
    }

    #[test]
    fn the_list_groups_by_day_and_names_a_span_once() {
        let cal = view(View::List, date(2026, 12, 1));
        let dates: Vec<&str> = cal.days.iter().map(|d| d.date.as_str()).collect();
        assert_eq!(
            dates,
            vec!["2026-12-10", "2026-12-18", "2026-12-25", "2026-12-31"]
        );
        let last = &cal.days[3].items[0];
        assert_eq!(last.time, "오후 10:00");
        assert_eq!(last.span, "12월 31일 (목) 오후 10:00 – 1월 1일 (금) 오전 2:00");
        assert_eq!(last.cue, "다음 달까지");
        assert_eq!(cal.days[0].items.len(), 6, "a list never hides events");
    }

    #[test]
    fn a_day_shows_everything_touching_it() {
        let cal = view(View::Day, date(2026, 12, 19));
        assert_eq!(cal.title, "12월 19일 (토)");
        assert_eq!(cal.days.len(), 1);
        assert_eq!(cal.days[0].items[0].id, "trip");
        assert_eq!(cal.add, "/rooms/r/events/new?date=2026-12-19");
        assert_eq!(cal.next, "/rooms/r?view=day&date=2026-12-20");
        assert_eq!(View::parse(Some("day")), View::Day);
    }
}
