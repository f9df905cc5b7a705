//! Dates, times and words on the images, in the image's language. The words and the order of
//! the parts are Fluent messages (`img-*` in the shared catalogue); what stays here is arithmetic:
//! the 12-hour clock, which half of the day, whether two days share a month.
//!
//! Korean style: "12월 24일 (목) 오후 7:00 – 9:00", "2026년 12월", "+3개 더".
//! English: "Thu, Dec 24 · 7:00 – 9:00 PM", "December 2026", "+3 more".

use domain::event::EventTime;
use domain::holidays::Holiday;
use i18n::Lang;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

/// Sunday-first index 0..7.
pub fn weekday_index(w: Weekday) -> usize {
    w.to_sunday_zero_offset() as usize
}

pub fn weekday_short(lang: Lang, w: Weekday) -> &'static str {
    lang.weekday(w.to_sunday_zero_offset())
}

fn month_name(lang: Lang, m: i8) -> &'static str {
    lang.t(match m {
        1 => "img-month-1",
        2 => "img-month-2",
        3 => "img-month-3",
        4 => "img-month-4",
        5 => "img-month-5",
        6 => "img-month-6",
        7 => "img-month-7",
        8 => "img-month-8",
        9 => "img-month-9",
        10 => "img-month-10",
        11 => "img-month-11",
        _ => "img-month-12",
    })
}

/// "Dec": the first three letters, as English abbreviates month names.
fn month_short(lang: Lang, m: i8) -> &'static str {
    let name = month_name(lang, m);
    name.char_indices().nth(3).map_or(name, |(i, _)| &name[..i])
}

/// "2026년 12월" / "December 2026".
pub fn month_title(lang: Lang, d: Date) -> String {
    lang.tr(
        "img-month-title",
        &[
            ("year", &d.year().to_string()),
            ("month", &d.month().to_string()),
            ("month-name", month_name(lang, d.month())),
        ],
    )
}

/// "12월 24일 (목)" / "Thu, Dec 24".
pub fn date_label(lang: Lang, d: Date) -> String {
    lang.tr(
        "img-date",
        &[
            ("month", &d.month().to_string()),
            ("month-short", month_short(lang, d.month())),
            ("day", &d.day().to_string()),
            ("weekday", weekday_short(lang, d.weekday())),
        ],
    )
}

fn meridiem(lang: Lang, t: Time) -> &'static str {
    lang.t(if t.hour() < 12 { "img-am" } else { "img-pm" })
}

fn hour12(t: Time) -> i8 {
    match t.hour() % 12 {
        0 => 12,
        h => h,
    }
}

fn clock(t: Time) -> String {
    format!("{}:{:02}", hour12(t), t.minute())
}

/// "오후 7:00" / "7:00 PM".
pub fn time_label(lang: Lang, t: Time) -> String {
    lang.tr(
        "img-time",
        &[("meridiem", meridiem(lang, t)), ("clock", &clock(t))],
    )
}

/// "오후 7:00 – 9:00" (meridiem once when shared) / "7:00 – 9:00 PM".
pub fn time_range_label(lang: Lang, a: Time, b: Time) -> String {
    if meridiem(lang, a) == meridiem(lang, b) {
        lang.tr(
            "img-time-range-shared",
            &[
                ("meridiem", meridiem(lang, a)),
                ("from", &clock(a)),
                ("to", &clock(b)),
            ],
        )
    } else {
        lang.tr(
            "img-time-range",
            &[("from", &time_label(lang, a)), ("to", &time_label(lang, b))],
        )
    }
}

/// Hour-axis label: "오후 1시" / "1 PM".
pub fn hour_label(lang: Lang, hour: i8) -> String {
    let t = Time::constant(hour.clamp(0, 23), 0, 0, 0);
    lang.tr(
        "img-hour",
        &[("meridiem", meridiem(lang, t)), ("hour", &hour12(t).to_string())],
    )
}

/// A span's date line and optional time line, for cards: ("12월 24일 (목)", Some("오후 7:00 – 9:00")).
pub fn when_parts(lang: Lang, when: &EventTime, tz: &TimeZone) -> (String, Option<String>) {
    match when {
        EventTime::AllDay { start_date, end_date } => {
            let date = if end_date > start_date {
                date_range_label(lang, *start_date, *end_date)
            } else {
                date_label(lang, *start_date)
            };
            (date, Some(all_day(lang).to_owned()))
        }
        EventTime::Timed { starts_at, ends_at } => {
            let a = tz.to_datetime(*starts_at);
            let b = tz.to_datetime(*ends_at);
            if a.date() == b.date()
                || (b.time() == Time::midnight() && ends_at > starts_at && {
                    let (first, last) = when.days_in(tz);
                    first == last
                })
            {
                (
                    date_label(lang, a.date()),
                    Some(time_range_label(lang, a.time(), b.time())),
                )
            } else {
                (
                    lang.tr(
                        "img-date-time",
                        &[
                            ("date", &date_label(lang, a.date())),
                            ("time", &time_label(lang, a.time())),
                        ],
                    ),
                    Some(lang.tr(
                        "img-until",
                        &[
                            ("date", &date_label(lang, b.date())),
                            ("time", &time_label(lang, b.time())),
                        ],
                    )),
                )
            }
        }
    }
}

/// The one-line form: "12월 24일 (목) 오후 7:00 – 9:00".
pub fn when_label(lang: Lang, when: &EventTime, tz: &TimeZone) -> String {
    let (date, time) = when_parts(lang, when, tz);
    match time {
        None => date,
        // The second line of a multi-day span already starts with its dash.
        Some(t) if t.starts_with('–') => lang.tr("img-date-time", &[("date", &date), ("time", &t)]),
        Some(t) => lang.tr("img-date-and-time", &[("date", &date), ("time", &t)]),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// "12월 24일 (목) – 26일 (토)" / "Thu, Dec 24 – Sat, Dec 26".
pub fn date_range_label(lang: Lang, a: Date, b: Date) -> String {
    lang.tr(
        "img-date-range",
        &[
            (
                "same-month",
                yes_no(a.year() == b.year() && a.month() == b.month()),
            ),
            ("from", &date_label(lang, a)),
            ("to", &date_label(lang, b)),
            ("day", &b.day().to_string()),
            ("weekday", weekday_short(lang, b.weekday())),
        ],
    )
}

/// Week title: "12월 20일 – 26일" / "Dec 20 – 26, 2026".
pub fn week_title(lang: Lang, a: Date, b: Date) -> String {
    lang.tr(
        "img-week-title",
        &[
            ("same-month", yes_no(a.month() == b.month())),
            ("month", &a.month().to_string()),
            ("month-short", month_short(lang, a.month())),
            ("day", &a.day().to_string()),
            ("end-month", &b.month().to_string()),
            ("end-month-short", month_short(lang, b.month())),
            ("end-day", &b.day().to_string()),
            ("year", &b.year().to_string()),
        ],
    )
}

pub fn year_label(lang: Lang, d: Date) -> String {
    lang.tr("img-year", &[("year", &d.year().to_string())])
}

pub fn all_day(lang: Lang) -> &'static str {
    lang.t("cal-all_day")
}

/// "일정 5개" / "5 events": how many events a period holds.
pub fn event_count(lang: Lang, n: usize) -> String {
    lang.tr("img-event-count", &[("n", &n.to_string())])
}

/// The agenda's footer when events were left out: "+3개 더 · 링크에서 모두 보기".
pub fn agenda_more(lang: Lang, n: usize) -> String {
    lang.tr("img-agenda-more", &[("n", &n.to_string())])
}

/// What an agenda says when the period has no events.
pub fn agenda_empty(lang: Lang) -> &'static str {
    lang.t("img-agenda-empty")
}

/// "+3개 더" / "+3 more".
pub fn more(lang: Lang, n: usize) -> String {
    lang.tr("img-more", &[("n", &n.to_string())])
}

pub fn when_heading(lang: Lang) -> &'static str {
    lang.t("img-when")
}

pub fn place_heading(lang: Lang) -> &'static str {
    lang.t("img-place")
}

pub fn memo_heading(lang: Lang) -> &'static str {
    lang.t("img-memo")
}

/// The footer mark.
pub fn brand(lang: Lang) -> &'static str {
    lang.t("img-brand")
}

/// A holiday's name in the language (the holiday table carries both).
pub fn holiday_name(lang: Lang, h: &Holiday) -> &str {
    match lang {
        Lang::Ko => &h.name_ko,
        Lang::En => &h.name_en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn seoul() -> TimeZone {
        TimeZone::get("Asia/Seoul").unwrap()
    }

    fn timed(a: &str, b: &str) -> EventTime {
        EventTime::Timed {
            starts_at: a.parse().unwrap(),
            ends_at: b.parse().unwrap(),
        }
    }

    #[test]
    fn korean_when() {
        let w = timed("2026-12-24T19:00:00+09:00", "2026-12-24T21:00:00+09:00");
        assert_eq!(
            when_label(Lang::Ko, &w, &seoul()),
            "12월 24일 (목) 오후 7:00 – 9:00"
        );
        assert_eq!(when_label(Lang::En, &w, &seoul()), "Thu, Dec 24 · 7:00 – 9:00 PM");
        let w = timed("2026-12-24T11:30:00+09:00", "2026-12-24T13:00:00+09:00");
        assert_eq!(
            when_label(Lang::Ko, &w, &seoul()),
            "12월 24일 (목) 오전 11:30 – 오후 1:00"
        );
        let w = timed("2026-12-24T19:00:00+09:00", "2026-12-25T00:00:00+09:00");
        assert_eq!(
            when_label(Lang::Ko, &w, &seoul()),
            "12월 24일 (목) 오후 7:00 – 오전 12:00"
        );
    }

    #[test]
    fn all_day_spans() {
        let w = EventTime::AllDay {
            start_date: date(2026, 12, 24),
            end_date: date(2026, 12, 26),
        };
        assert_eq!(
            when_label(Lang::Ko, &w, &seoul()),
            "12월 24일 (목) – 26일 (토) 종일"
        );
        assert_eq!(month_title(Lang::En, date(2026, 12, 1)), "December 2026");
        assert_eq!(more(Lang::Ko, 2), "+2개 더");
        assert_eq!(hour_label(Lang::Ko, 13), "오후 1시");
        assert_eq!(hour_label(Lang::En, 0), "12 AM");
        assert_eq!(
            when_label(Lang::En, &w, &seoul()),
            "Thu, Dec 24 – Sat, Dec 26 · All day"
        );
        assert_eq!(more(Lang::En, 2), "+2 more");
        assert_eq!(year_label(Lang::Ko, date(2026, 1, 1)), "2026년");
        assert_eq!(year_label(Lang::En, date(2026, 1, 1)), "2026");
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use jiff::civil::date;

    fn seoul() -> TimeZone {
        TimeZone::get("Asia/Seoul").unwrap()
    }

    #[test]
    fn week_titles_and_spans_across_days() {
        let (a, b) = (date(2026, 12, 20), date(2026, 12, 26));
        assert_eq!(week_title(Lang::Ko, a, b), "12월 20일 – 26일");
        assert_eq!(week_title(Lang::En, a, b), "Dec 20 – 26, 2026");
        let (a, b) = (date(2026, 12, 27), date(2027, 1, 2));
        assert_eq!(week_title(Lang::Ko, a, b), "12월 27일 – 1월 2일");
        assert_eq!(week_title(Lang::En, a, b), "Dec 27 – Jan 2, 2027");
        assert_eq!(month_title(Lang::Ko, a), "2026년 12월");
        assert_eq!(date_range_label(Lang::Ko, a, b), "12월 27일 (일) – 1월 2일 (토)");
        let w = EventTime::Timed {
            starts_at: "2026-12-24T22:00:00+09:00".parse().unwrap(),
            ends_at: "2026-12-25T02:00:00+09:00".parse().unwrap(),
        };
        assert_eq!(
            when_label(Lang::Ko, &w, &seoul()),
            "12월 24일 (목) 오후 10:00 – 12월 25일 (금) 오전 2:00"
        );
        assert_eq!(
            when_label(Lang::En, &w, &seoul()),
            "Thu, Dec 24 10:00 PM – Fri, Dec 25 2:00 AM"
        );
        assert_eq!(time_label(Lang::En, Time::constant(7, 5, 0, 0)), "7:05 AM");
    }
}
