//! The window of dates Gachi accepts. Calendar arithmetic near jiff's limits (years ±9999)
//! fails, and nobody plans a meeting in year 9999, so every date that comes in (API, pages,
//! images) must lie in [`FIRST_YEAR`]..=[`LAST_YEAR`]; the margin to jiff's limits is so wide
//! that the arithmetic Gachi does around a date in the window (a month grid, a week, a span of
//! a year) can never overflow.

use jiff::Timestamp;
use jiff::civil::Date;

pub const FIRST_YEAR: i16 = 1900;
pub const LAST_YEAR: i16 = 2200;

/// Whether `date` lies in the window.
pub fn date_in_window(date: Date) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// Whether `instant` lies in the window, seen from UTC (a day either side of the edge is
/// still far from any limit).
pub fn instant_in_window(instant: Timestamp) -> bool {
    date_in_window(instant.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// Whether the epoch-millisecond instant lies in the window (false for values jiff cannot hold).
pub fn millis_in_window(ms: i64) -> bool {
    Timestamp::from_millisecond(ms).is_ok_and(instant_in_window)
}

/// Parses a civil date `YYYY-MM-DD`; `Err(true)` when it parses but lies outside the window,
/// `Err(false)` when it does not parse.
pub fn parse_date(text: &str) -> Result<Date, bool> {
    match text.trim().parse::<Date>() {
        Ok(d) if date_in_window(d) => Ok(d),
        Ok(_) => Err(true),
        Err(_) => Err(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_holds_sane_years_only() {
        assert!(date_in_window(jiff::civil::date(1900, 1, 1)));
        assert!(date_in_window(jiff::civil::date(2200, 12, 31)));
        assert!(!date_in_window(jiff::civil::date(1899, 12, 31)));
        assert!(!date_in_window(jiff::civil::date(9999, 12, 15)));
        assert!(!date_in_window(jiff::civil::date(-9999, 1, 1)));
    }

    #[test]
    fn parsing_tells_out_of_window_from_garbage() {
        assert_eq!(parse_date("2026-12-24"), Ok(jiff::civil::date(2026, 12, 24)));
        assert_eq!(parse_date("9999-12-15"), Err(true));
        assert_eq!(parse_date("-009999-01-01"), Err(true));
        assert_eq!(parse_date("24/12"), Err(false));
    }

    #[test]
    fn instants_are_checked_too() {
        assert!(millis_in_window(0));
        assert!(!millis_in_window(i64::MAX));
        let far: Timestamp = "9999-06-01T00:00:00Z".parse().unwrap();
        assert!(!instant_in_window(far));
    }

    #[test]
    fn arithmetic_at_the_window_edges_cannot_fail() {
        let last = jiff::civil::date(LAST_YEAR, 12, 31);
        let first = jiff::civil::date(FIRST_YEAR, 1, 1);
        assert!(last.checked_add(jiff::Span::new().days(400)).is_ok());
        assert!(first.checked_sub(jiff::Span::new().days(400)).is_ok());
    }
}
