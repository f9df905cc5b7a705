//! Words and date formats in Korean (default) and English.
//!
//! Korean style: "12월 24일 (목) 오후 7:00 – 9:00", "2026년 12월", "+3개 더".
//! English: "Thu, Dec 24 · 7:00 – 9:00 PM", "December 2026", "+3 more".

use domain::event::EventTime;
use domain::holidays::Holiday;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

/// The language of an image's labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    Ko,
    En,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Sunday-first index 0..7.
pub fn weekday_index(w: Weekday) -> usize {
    w.to_sunday_zero_offset() as usize
}

pub fn weekday_short(locale: Locale, w: Weekday) -> &'static str {
    let i = weekday_index(w);
    match locale {
        Locale::Ko => ["일", "월", "화", "수", "목", "금", "토"][i],
        Locale::En => ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][i],
    }
}

fn month_en(m: i8) -> &'static str {
    MONTHS_EN[(m.clamp(1, 12) - 1) as usize]
}

fn month_en_short(m: i8) -> &'static str {
    &month_en(m)[..3]
}

/// "2026년 12월" / "December 2026".
pub fn month_title(locale: Locale, d: Date) -> String {
    match locale {
        Locale::Ko => format!("{}년 {}월", d.year(), d.month()),
        Locale::En => format!("{} {}", month_en(d.month()), d.year()),
    }
}

/// "12월 24일 (목)" / "Thu, Dec 24".
pub fn date_label(locale: Locale, d: Date) -> String {
    match locale {
        Locale::Ko => format!(
            "{}월 {}일 ({})",
            d.month(),
            d.day(),
            weekday_short(locale, d.weekday())
        ),
        Locale::En => format!(
            "{}, {} {}",
            weekday_short(locale, d.weekday()),
            month_en_short(d.month()),
            d.day()
        ),
    }
}

fn meridiem(locale: Locale, t: Time) -> &'static str {
    match (locale, t.hour() < 12) {
        (Locale::Ko, true) => "오전",
        (Locale::Ko, false) => "오후",
        (Locale::En, true) => "AM",
        (Locale::En, false) => "PM",
    }
}

fn hour12(t: Time) -> i8 {
    match t.hour() % 12 {
        0 => 12,
        h => h,
    }
}

/// "오후 7:00" / "7:00 PM".
pub fn time_label(locale: Locale, t: Time) -> String {
    let hm = format!("{}:{:02}", hour12(t), t.minute());
    match locale {
        Locale::Ko => format!("{} {hm}", meridiem(locale, t)),
        Locale::En => format!("{hm} {}", meridiem(locale, t)),
    }
}

/// "오후 7:00 – 9:00" (meridiem once when shared) / "7:00 – 9:00 PM".
pub fn time_range_label(locale: Locale, a: Time, b: Time) -> String {
    let same = meridiem(locale, a) == meridiem(locale, b);
    let (ha, hb) = (
        format!("{}:{:02}", hour12(a), a.minute()),
        format!("{}:{:02}", hour12(b), b.minute()),
    );
    match (locale, same) {
        (Locale::Ko, true) => format!("{} {ha} – {hb}", meridiem(locale, a)),
        (Locale::En, true) => format!("{ha} – {hb} {}", meridiem(locale, b)),
        _ => format!("{} – {}", time_label(locale, a), time_label(locale, b)),
    }
}

/// Hour-axis label: "오후 1시" / "1 PM".
pub fn hour_label(locale: Locale, hour: i8) -> String {
    let t = Time::constant(hour.clamp(0, 23), 0, 0, 0);
    match locale {
        Locale::Ko => format!("{} {}시", meridiem(locale, t), hour12(t)),
        Locale::En => format!("{} {}", hour12(t), meridiem(locale, t)),
    }
}

/// A span's date line and optional time line, for cards: ("12월 24일 (목)", Some("오후 7:00 – 9:00")).
pub fn when_parts(locale: Locale, when: &EventTime, tz: &TimeZone) -> (String, Option<String>) {
    match when {
        EventTime::AllDay { start_date, end_date } => {
            let date = if end_date > start_date {
                date_range_label(locale, *start_date, *end_date)
            } else {
                date_label(locale, *start_date)
            };
            (date, Some(all_day(locale).to_owned()))
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
                    date_label(locale, a.date()),
                    Some(time_range_label(locale, a.time(), b.time())),
                )
            } else {
                (
                    format!(
                        "{} {}",
                        date_label(locale, a.date()),
                        time_label(locale, a.time())
                    ),
                    Some(format!(
                        "– {} {}",
                        date_label(locale, b.date()),
                        time_label(locale, b.time())
                    )),
                )
            }
        }
    }
}

/// The one-line form: "12월 24일 (목) 오후 7:00 – 9:00".
pub fn when_label(locale: Locale, when: &EventTime, tz: &TimeZone) -> String {
    let (date, time) = when_parts(locale, when, tz);
    match (time, locale) {
        (None, _) => date,
        (Some(t), Locale::Ko) => format!("{date} {t}"),
        (Some(t), Locale::En) if t.starts_with('–') => format!("{date} {t}"),
        (Some(t), Locale::En) => format!("{date} · {t}"),
    }
}

/// "12월 24일 (목) – 26일 (토)" / "Thu, Dec 24 – Sat, Dec 26".
pub fn date_range_label(locale: Locale, a: Date, b: Date) -> String {
    match locale {
        Locale::Ko if a.year() == b.year() && a.month() == b.month() => format!(
            "{} – {}일 ({})",
            date_label(locale, a),
            b.day(),
            weekday_short(locale, b.weekday())
        ),
        _ => format!("{} – {}", date_label(locale, a), date_label(locale, b)),
    }
}

/// Week title: "12월 20일 – 26일" / "Dec 20 – 26, 2026".
pub fn week_title(locale: Locale, a: Date, b: Date) -> String {
    match locale {
        Locale::Ko if a.month() == b.month() => format!("{}월 {}일 – {}일", a.month(), a.day(), b.day()),
        Locale::Ko => format!("{}월 {}일 – {}월 {}일", a.month(), a.day(), b.month(), b.day()),
        Locale::En if a.month() == b.month() => {
            format!(
                "{} {} – {}, {}",
                month_en_short(a.month()),
                a.day(),
                b.day(),
                b.year()
            )
        }
        Locale::En => format!(
            "{} {} – {} {}, {}",
            month_en_short(a.month()),
            a.day(),
            month_en_short(b.month()),
            b.day(),
            b.year()
        ),
    }
}

pub fn year_label(locale: Locale, d: Date) -> String {
    match locale {
        Locale::Ko => format!("{}년", d.year()),
        Locale::En => d.year().to_string(),
    }
}

pub fn all_day(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "종일",
        Locale::En => "All day",
    }
}

/// "+3개 더" / "+3 more".
pub fn more(locale: Locale, n: usize) -> String {
    match locale {
        Locale::Ko => format!("+{n}개 더"),
        Locale::En => format!("+{n} more"),
    }
}

pub fn today(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "오늘",
        Locale::En => "Today",
    }
}

pub fn when_heading(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "일시",
        Locale::En => "When",
    }
}

pub fn place_heading(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "장소",
        Locale::En => "Where",
    }
}

pub fn memo_heading(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "메모",
        Locale::En => "Note",
    }
}

pub fn no_events(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "일정이 없어요",
        Locale::En => "Nothing scheduled",
    }
}

/// The footer mark.
pub const BRAND: &str = "같이 · Gachi";

/// A holiday's name in the locale.
pub fn holiday_name(locale: Locale, h: &Holiday) -> &str {
    match locale {
        Locale::Ko => &h.name_ko,
        Locale::En => &h.name_en,
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
            when_label(Locale::Ko, &w, &seoul()),
            "12월 24일 (목) 오후 7:00 – 9:00"
        );
        assert_eq!(
            when_label(Locale::En, &w, &seoul()),
            "Thu, Dec 24 · 7:00 – 9:00 PM"
        );
        let w = timed("2026-12-24T11:30:00+09:00", "2026-12-24T13:00:00+09:00");
        assert_eq!(
            when_label(Locale::Ko, &w, &seoul()),
            "12월 24일 (목) 오전 11:30 – 오후 1:00"
        );
        let w = timed("2026-12-24T19:00:00+09:00", "2026-12-25T00:00:00+09:00");
        assert_eq!(
            when_label(Locale::Ko, &w, &seoul()),
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
            when_label(Locale::Ko, &w, &seoul()),
            "12월 24일 (목) – 26일 (토) 종일"
        );
        assert_eq!(month_title(Locale::En, date(2026, 12, 1)), "December 2026");
        assert_eq!(more(Locale::Ko, 2), "+2개 더");
        assert_eq!(hour_label(Locale::Ko, 13), "오후 1시");
        assert_eq!(hour_label(Locale::En, 0), "12 AM");
    }
}
