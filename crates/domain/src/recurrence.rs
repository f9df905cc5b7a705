//! Recurring events: the subset of RFC 5545 RRULEs Gachi accepts, and their expansion.
//!
//! The API stores a rule as its RRULE text; this module parses it into [`RRule`] (refusing
//! anything outside the subset with a [`RuleError`] the API turns into a 422), checks that a
//! series start is one the rule itself would produce, expands a series into the occurrences
//! that overlap a window, splits a series for "this and following", and labels a rule in
//! Korean and English.
//!
//! Why our own expander over `jiff` rather than a crate: the one maintained Rust crate
//! (`rrule` 0.14) is built on `chrono` and `chrono-tz`, a second date library and a second
//! copy of the time zone database next to the `jiff` the rest of Gachi uses, and it accepts the
//! whole of RFC 5545 (BYSETPOS, BYWEEKNO, HOURLY…) which we would still have to refuse. The
//! subset is small: each period (day, week, month or year) yields at most seven dates, so the
//! expander is a short loop over civil dates in the event's zone, with the start's wall-clock
//! time put back on each date (`Disambiguation::Compatible` in a DST gap, as RFC 5545 says).
//! An integration test compares it with Python's `dateutil.rrule` rule by rule.
//!
//! Every loop is bounded: windows are at most [`MAX_WINDOW_DAYS`] long and an expansion walks at
//! most [`MAX_PERIODS`] periods; rules without COUNT skip straight to the window.

use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan, ZonedDateTime};

/// The longest window an expansion accepts (about ten years).
pub const MAX_WINDOW_DAYS: i64 = 3_700;
/// The most periods (days, weeks, months or years) one expansion walks through.
pub const MAX_PERIODS: u32 = 100_000;
/// The largest COUNT a rule may carry.
pub const MAX_COUNT: u32 = 730;
/// The largest INTERVAL a rule may carry.
pub const MAX_INTERVAL: u16 = 99;

/// How often a rule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// Which day of the month a monthly rule picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MonthlyOn {
    /// `BYMONTHDAY=d`: 1..=31, or -1 for the last day. Months without that day are skipped.
    MonthDay(i8),
    /// `BYDAY=2TH`, `-1FR`: the `nth` (1..=4, or -1 for the last) such weekday of the month.
    NthWeekday { nth: i8, weekday: Weekday },
}

/// Where a rule ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum End {
    Never,
    /// `COUNT=n`: n occurrences counted from the series start.
    Count(u32),
    /// `UNTIL=YYYYMMDD`: the last day (inclusive) in the event's zone.
    UntilDate(Date),
    /// `UNTIL=YYYYMMDDTHHMMSSZ`: occurrences starting at or before this instant.
    UntilInstant(Timestamp),
}

/// A parsed RRULE of the subset Gachi supports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RRule {
    pub frequency: Frequency,
    /// 1..=99.
    pub interval: u16,
    /// WEEKLY `BYDAY` (no ordinals), sorted Monday first, no duplicates; empty = the start's weekday.
    pub weekdays: Vec<Weekday>,
    /// MONTHLY `BYMONTHDAY` or ordinal `BYDAY`; `None` = the start's day of the month.
    pub monthly: Option<MonthlyOn>,
    /// YEARLY `BYMONTH` (must equal the start's month).
    pub by_month: Option<i8>,
    /// YEARLY `BYMONTHDAY` (must equal the start's day).
    pub by_month_day: Option<i8>,
    /// `WKST`, when given (RFC 5545 default: Monday).
    pub week_start: Option<Weekday>,
    pub end: End,
}

/// Why an RRULE or a series start is refused. The messages are meant for API clients.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("the rule is empty")]
    Empty,
    #[error("the rule may only contain ASCII characters")]
    NotAscii,
    #[error("{0:?} is not of the form KEY=VALUE")]
    Malformed(String),
    #[error("{0} appears more than once")]
    DuplicateKey(String),
    #[error("{0} is not an RRULE part")]
    UnknownKey(String),
    #[error(
        "{0} is not supported (supported: FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, UNTIL, COUNT, WKST)"
    )]
    UnsupportedKey(String),
    #[error("FREQ is missing")]
    MissingFrequency,
    #[error("FREQ={0} is not supported (supported: DAILY, WEEKLY, MONTHLY, YEARLY)")]
    UnsupportedFrequency(String),
    #[error("INTERVAL={0:?} must be a whole number from 1 to 99")]
    InvalidInterval(String),
    #[error("COUNT={0:?} must be a whole number from 1 to 730")]
    InvalidCount(String),
    #[error("UNTIL={0:?} must be a date YYYYMMDD or a UTC date-time YYYYMMDDTHHMMSSZ")]
    InvalidUntil(String),
    #[error("a rule may have UNTIL or COUNT, not both")]
    UntilAndCount,
    #[error("{0:?} is not a weekday (MO, TU, WE, TH, FR, SA, SU)")]
    InvalidWeekday(String),
    #[error("BYDAY={0:?}: ordinals such as 2TH are only allowed with FREQ=MONTHLY")]
    OrdinalNotAllowed(String),
    #[error("BYDAY={0:?}: the ordinal must be 1, 2, 3, 4 or -1")]
    InvalidOrdinal(String),
    #[error("with FREQ=MONTHLY, BYDAY takes exactly one weekday with an ordinal, such as 2TH or -1FR")]
    MonthlyByDay,
    #[error("BYMONTHDAY={0:?} must be a single day from 1 to 31, or -1 for the last day")]
    InvalidMonthDay(String),
    #[error("BYMONTH={0:?} must be a single month from 1 to 12")]
    InvalidMonth(String),
    #[error("{key} is not allowed with FREQ={frequency}")]
    NotAllowedWith {
        key: &'static str,
        frequency: &'static str,
    },
    #[error("with FREQ=MONTHLY, use BYMONTHDAY or BYDAY, not both")]
    MonthDayAndWeekday,
    #[error("the start {0} is not a date this rule produces")]
    StartNotInRule(Date),
    #[error("UNTIL is before the start")]
    UntilBeforeStart,
    #[error("an all-day event's UNTIL must be a date (YYYYMMDD)")]
    AllDayUntilInstant,
}

/// Why an expansion or a split was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("the window may be at most {MAX_WINDOW_DAYS} days long")]
    WindowTooLong,
    #[error("the expansion walked more than {MAX_PERIODS} periods")]
    TooManyPeriods,
    #[error("{0} is not an occurrence of this series")]
    NotAnOccurrence(String),
    #[error("date arithmetic overflowed: {0}")]
    Arithmetic(String),
}

impl From<jiff::Error> for ExpandError {
    fn from(e: jiff::Error) -> Self {
        Self::Arithmetic(e.to_string())
    }
}

/// One occurrence of a timed series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedOccurrence {
    /// The occurrence's original start (its RECURRENCE-ID).
    pub original: ZonedDateTime,
    pub start: ZonedDateTime,
    pub end: ZonedDateTime,
}

/// One occurrence of an all-day series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllDayOccurrence {
    /// The occurrence's original start date (its RECURRENCE-ID).
    pub original: Date,
    pub start_date: Date,
    /// Inclusive, as in the API.
    pub end_date: Date,
}

/// The two rules after a "this and following" split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The old series' rule, ending just before the split occurrence.
    pub old: RRule,
    /// How many occurrences the old series keeps: `Some(0)` when the split occurrence is the
    /// start (the old series is now empty), `Some(n)` for COUNT rules, `None` otherwise (then
    /// it keeps at least one).
    pub old_count: Option<u32>,
    /// The new series' rule (starting at the split occurrence); a COUNT keeps only what remains.
    pub new: RRule,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Monday),
    ("TU", Weekday::Tuesday),
    ("WE", Weekday::Wednesday),
    ("TH", Weekday::Thursday),
    ("FR", Weekday::Friday),
    ("SA", Weekday::Saturday),
    ("SU", Weekday::Sunday),
];

fn parse_weekday(s: &str) -> Result<Weekday, RuleError> {
    WEEKDAYS
        .iter()
        .find(|(code, _)| *code == s)
        .map(|(_, w)| *w)
        .ok_or_else(|| RuleError::InvalidWeekday(s.to_owned()))
}

fn weekday_code(w: Weekday) -> &'static str {
    WEEKDAYS[w.to_monday_zero_offset() as usize].0
}

fn frequency_name(f: Frequency) -> &'static str {
    match f {
        Frequency::Daily => "DAILY",
        Frequency::Weekly => "WEEKLY",
        Frequency::Monthly => "MONTHLY",
        Frequency::Yearly => "YEARLY",
    }
}

fn parse_number<T: std::str::FromStr>(s: &str) -> Option<T> {
    // RFC 5545 numbers: an optional sign and digits only (no spaces, no "+").
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_until(s: &str) -> Result<End, RuleError> {
    let bad = || RuleError::InvalidUntil(s.to_owned());
    let num = |r: std::ops::Range<usize>| -> Result<i16, RuleError> {
        let part = s.get(r).ok_or_else(bad)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let date = |y: i16, m: i16, d: i16| -> Result<Date, RuleError> {
        let m = i8::try_from(m).map_err(|_| bad())?;
        let d = i8::try_from(d).map_err(|_| bad())?;
        Date::new(y, m, d).map_err(|_| bad())
    };
    match s.len() {
        8 => Ok(End::UntilDate(date(num(0..4)?, num(4..6)?, num(6..8)?)?)),
        16 if s.as_bytes()[8] == b'T' && s.ends_with('Z') => {
            let day = date(num(0..4)?, num(4..6)?, num(6..8)?)?;
            let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
            let dt = day
                .to_datetime(
                    jiff::civil::Time::new(
                        i8::try_from(h).map_err(|_| bad())?,
                        i8::try_from(mi).map_err(|_| bad())?,
                        i8::try_from(se).map_err(|_| bad())?,
                        0,
                    )
                    .map_err(|_| bad())?,
                )
                .to_zoned_datetime(TimeZone::UTC)
                .map_err(|_| bad())?;
            Ok(End::UntilInstant(dt.timestamp()))
        }
        _ => Err(bad()),
    }
}

impl std::str::FromStr for RRule {
    type Err = RuleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RRule::parse(s)
    }
}

impl RRule {
    /// Parses an RRULE value (an optional `RRULE:` prefix is accepted), keys in any order,
    /// case-insensitive, each at most once.
    pub fn parse(text: &str) -> Result<RRule, RuleError> {
        if !text.is_ascii() {
            return Err(RuleError::NotAscii);
        }
        let upper = text.trim().to_ascii_uppercase();
        let body = upper.strip_prefix("RRULE:").unwrap_or(&upper);
        if body.is_empty() {
            return Err(RuleError::Empty);
        }
        let mut seen: Vec<&str> = Vec::new();
        let (mut freq, mut interval, mut byday, mut bymonthday, mut bymonth) = (None, None, None, None, None);
        let (mut until, mut count, mut wkst) = (None, None, None);
        for part in body.split(';') {
            let (key, value) = part
                .split_once('=')
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .ok_or_else(|| RuleError::Malformed(part.to_owned()))?;
            if seen.contains(&key) {
                return Err(RuleError::DuplicateKey(key.to_owned()));
            }
            seen.push(key);
            match key {
                "FREQ" => freq = Some(value),
                "INTERVAL" => interval = Some(value),
                "BYDAY" => byday = Some(value),
                "BYMONTHDAY" => bymonthday = Some(value),
                "BYMONTH" => bymonth = Some(value),
                "UNTIL" => until = Some(value),
                "COUNT" => count = Some(value),
                "WKST" => wkst = Some(value),
                "BYSECOND" | "BYMINUTE" | "BYHOUR" | "BYYEARDAY" | "BYWEEKNO" | "BYSETPOS" | "RSCALE"
                | "SKIP" => return Err(RuleError::UnsupportedKey(key.to_owned())),
                _ => return Err(RuleError::UnknownKey(key.to_owned())),
            }
        }
        let frequency = match freq.ok_or(RuleError::MissingFrequency)? {
            "DAILY" => Frequency::Daily,
            "WEEKLY" => Frequency::Weekly,
            "MONTHLY" => Frequency::Monthly,
            "YEARLY" => Frequency::Yearly,
            other => return Err(RuleError::UnsupportedFrequency(other.to_owned())),
        };
        let not_allowed = |key: &'static str| RuleError::NotAllowedWith {
            key,
            frequency: frequency_name(frequency),
        };
        let interval = match interval {
            None => 1,
            Some(v) => parse_number::<u16>(v)
                .filter(|n| (1..=MAX_INTERVAL).contains(n))
                .ok_or_else(|| RuleError::InvalidInterval(v.to_owned()))?,
        };
        let end = match (until, count) {
            (Some(_), Some(_)) => return Err(RuleError::UntilAndCount),
            (Some(u), None) => parse_until(u)?,
            (None, Some(c)) => End::Count(
                parse_number::<u32>(c)
                    .filter(|n| (1..=MAX_COUNT).contains(n))
                    .ok_or_else(|| RuleError::InvalidCount(c.to_owned()))?,
            ),
            (None, None) => End::Never,
        };
        let week_start = wkst.map(parse_weekday).transpose()?;
        let month_day = |v: &str, allow_last: bool| {
            parse_number::<i8>(v)
                .filter(|d| (1..=31).contains(d) || (allow_last && *d == -1))
                .ok_or_else(|| RuleError::InvalidMonthDay(v.to_owned()))
        };

        let mut rule = RRule {
            frequency,
            interval,
            weekdays: Vec::new(),
            monthly: None,
            by_month: None,
            by_month_day: None,
            week_start,
            end,
        };
        match frequency {
            Frequency::Daily => {
                for (key, v) in [("BYDAY", byday), ("BYMONTHDAY", bymonthday), ("BYMONTH", bymonth)] {
                    if v.is_some() {
                        return Err(not_allowed(key));
                    }
                }
            }
            Frequency::Weekly => {
                for (key, v) in [("BYMONTHDAY", bymonthday), ("BYMONTH", bymonth)] {
                    if v.is_some() {
                        return Err(not_allowed(key));
                    }
                }
                if let Some(list) = byday {
                    for item in list.split(',') {
                        if item.len() != 2 {
                            if item.len() > 2 && item.is_char_boundary(item.len() - 2) {
                                parse_weekday(&item[item.len() - 2..])?;
                                return Err(RuleError::OrdinalNotAllowed(item.to_owned()));
                            }
                            return Err(RuleError::InvalidWeekday(item.to_owned()));
                        }
                        let w = parse_weekday(item)?;
                        if !rule.weekdays.contains(&w) {
                            rule.weekdays.push(w);
                        }
                    }
                    rule.weekdays.sort_by_key(|w| w.to_monday_zero_offset());
                }
            }
            Frequency::Monthly => {
                if bymonth.is_some() {
                    return Err(not_allowed("BYMONTH"));
                }
                rule.monthly = match (bymonthday, byday) {
                    (Some(_), Some(_)) => return Err(RuleError::MonthDayAndWeekday),
                    (Some(d), None) => Some(MonthlyOn::MonthDay(month_day(d, true)?)),
                    (None, Some(item)) => {
                        if item.contains(',') || item.len() < 3 {
                            return Err(RuleError::MonthlyByDay);
                        }
                        let (ord, day) = item.split_at(item.len() - 2);
                        let weekday = parse_weekday(day)?;
                        let nth = parse_number::<i8>(ord.strip_prefix('+').unwrap_or(ord))
                            .filter(|n| (1..=4).contains(n) || *n == -1)
                            .ok_or_else(|| RuleError::InvalidOrdinal(item.to_owned()))?;
                        Some(MonthlyOn::NthWeekday { nth, weekday })
                    }
                    (None, None) => None,
                };
            }
            Frequency::Yearly => {
                if byday.is_some() {
                    return Err(not_allowed("BYDAY"));
                }
                rule.by_month = bymonth
                    .map(|v| {
                        parse_number::<i8>(v)
                            .filter(|m| (1..=12).contains(m))
                            .ok_or_else(|| RuleError::InvalidMonth(v.to_owned()))
                    })
                    .transpose()?;
                rule.by_month_day = bymonthday.map(|v| month_day(v, false)).transpose()?;
            }
        }
        Ok(rule)
    }

    /// The first day of a week (RFC 5545 `WKST`, Monday by default).
    pub fn week_start(&self) -> Weekday {
        self.week_start.unwrap_or(Weekday::Monday)
    }

    /// Whether the rule would produce `start` as a date (RFC 5545: DTSTART should match the rule).
    pub fn produces(&self, start: Date) -> bool {
        match self.frequency {
            Frequency::Daily => true,
            Frequency::Weekly => self.weekdays.is_empty() || self.weekdays.contains(&start.weekday()),
            Frequency::Monthly => match self.monthly {
                None => true,
                Some(MonthlyOn::MonthDay(-1)) => start == start.last_of_month(),
                Some(MonthlyOn::MonthDay(d)) => start.day() == d,
                Some(MonthlyOn::NthWeekday { nth, weekday }) => {
                    start.nth_weekday_of_month(nth, weekday).ok() == Some(start)
                }
            },
            Frequency::Yearly => {
                self.by_month.is_none_or(|m| m == start.month())
                    && self.by_month_day.is_none_or(|d| d == start.day())
            }
        }
    }

    /// Checks a timed series start: the rule must produce it and UNTIL must not be before it.
    pub fn check_timed_start(&self, start: &ZonedDateTime) -> Result<(), RuleError> {
        if !self.produces(start.date()) {
            return Err(RuleError::StartNotInRule(start.date()));
        }
        match self.end {
            End::UntilDate(d) if d < start.date() => Err(RuleError::UntilBeforeStart),
            End::UntilInstant(t) if t < start.timestamp() => Err(RuleError::UntilBeforeStart),
            _ => Ok(()),
        }
    }

    /// Checks an all-day series start: the rule must produce it, and UNTIL must be a date
    /// (RFC 5545: the same value type as DTSTART) not before it.
    pub fn check_all_day_start(&self, start: Date) -> Result<(), RuleError> {
        if !self.produces(start) {
            return Err(RuleError::StartNotInRule(start));
        }
        match self.end {
            End::UntilDate(d) if d < start => Err(RuleError::UntilBeforeStart),
            End::UntilInstant(_) => Err(RuleError::AllDayUntilInstant),
            _ => Ok(()),
        }
    }

    /// The candidate dates of period `k` (0 = the period holding `start`), in order, or `None`
    /// past the end of the calendar.
    fn period_dates(&self, start: Date, k: i64) -> Option<Vec<Date>> {
        let step = k.checked_mul(i64::from(self.interval))?;
        match self.frequency {
            Frequency::Daily => Some(vec![start.checked_add(step.days()).ok()?]),
            Frequency::Weekly => {
                let first = start
                    .checked_sub(i64::from(start.weekday().since(self.week_start())).days())
                    .ok()?
                    .checked_add(step.checked_mul(7)?.days())
                    .ok()?;
                let mut days: Vec<Date> = if self.weekdays.is_empty() {
                    vec![start.weekday()]
                } else {
                    self.weekdays.clone()
                }
                .into_iter()
                .filter_map(|w| {
                    let offset = w.since(self.week_start());
                    first.checked_add(i64::from(offset).days()).ok()
                })
                .collect();
                days.sort();
                Some(days)
            }
            Frequency::Monthly => {
                let month = start.first_of_month().checked_add(step.months()).ok()?;
                let day = match self.monthly {
                    None => Date::new(month.year(), month.month(), start.day()).ok(),
                    Some(MonthlyOn::MonthDay(-1)) => Some(month.last_of_month()),
                    Some(MonthlyOn::MonthDay(d)) => Date::new(month.year(), month.month(), d).ok(),
                    Some(MonthlyOn::NthWeekday { nth, weekday }) => {
                        month.nth_weekday_of_month(nth, weekday).ok()
                    }
                };
                Some(day.into_iter().collect())
            }
            Frequency::Yearly => {
                let year = i16::try_from(i64::from(start.year()).checked_add(step)?).ok()?;
                if year > 9999 {
                    return None;
                }
                Some(
                    Date::new(year, start.month(), start.day())
                        .ok()
                        .into_iter()
                        .collect(),
                )
            }
        }
    }

    /// A period index at or before the one holding `date` (for skipping to a window).
    fn period_before(&self, start: Date, date: Date) -> Result<i64, ExpandError> {
        if date <= start {
            return Ok(0);
        }
        let interval = i64::from(self.interval);
        let units = match self.frequency {
            Frequency::Daily => i64::from(start.until(date)?.get_days()),
            Frequency::Weekly => i64::from(start.until(date)?.get_days()) / 7,
            Frequency::Monthly => {
                (i64::from(date.year()) - i64::from(start.year())) * 12 + i64::from(date.month())
                    - i64::from(start.month())
            }
            Frequency::Yearly => i64::from(date.year()) - i64::from(start.year()),
        };
        Ok((units / interval - 1).max(0))
    }

    /// The dates of the series from `start`, in order, from `earliest` (inclusive) up to
    /// `before` (exclusive), with their index in the series when known (COUNT rules).
    /// `after_until` says whether a date lies past the rule's UNTIL.
    fn dates(
        &self,
        start: Date,
        earliest: Date,
        before: Date,
        after_until: impl Fn(Date) -> bool,
    ) -> Result<Vec<(Option<u32>, Date)>, ExpandError> {
        let counting = matches!(self.end, End::Count(_));
        let first = if counting {
            0
        } else {
            self.period_before(start, earliest)?
        };
        let mut produced: u32 = 0;
        let mut out = Vec::new();
        for k in (first..).take(MAX_PERIODS as usize) {
            let Some(days) = self.period_dates(start, k) else {
                return Ok(out);
            };
            for day in days.into_iter().filter(|d| *d >= start) {
                if day >= before || after_until(day) {
                    return Ok(out);
                }
                if let End::Count(n) = self.end
                    && produced >= n
                {
                    return Ok(out);
                }
                if day >= earliest {
                    out.push((counting.then_some(produced), day));
                }
                produced = produced.saturating_add(1);
            }
        }
        Err(ExpandError::TooManyPeriods)
    }

    /// The occurrences of a timed series overlapping `[from, to)`, in order. Each keeps the
    /// start's wall-clock time in the start's zone (a time in a DST gap moves past the gap);
    /// each lasts `duration` (exact time).
    pub fn expand_timed(
        &self,
        start: &ZonedDateTime,
        duration: SignedDuration,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<TimedOccurrence>, ExpandError> {
        if to <= from {
            return Ok(Vec::new());
        }
        if to.duration_since(from) > SignedDuration::from_hours(MAX_WINDOW_DAYS * 24) {
            return Err(ExpandError::WindowTooLong);
        }
        let tz = start.time_zone().clone();
        let time = start.time();
        let at = |day: Date| -> Result<ZonedDateTime, ExpandError> {
            Ok(day.to_datetime(time).to_zoned_datetime(tz.clone())?)
        };
        let earliest = from
            .checked_sub(duration.abs())?
            .to_zoned_datetime(tz.clone())
            .date()
            .checked_sub(1.day())?;
        let before = to.to_zoned_datetime(tz.clone()).date().checked_add(2.days())?;
        let end = self.end;
        let after_until = |day: Date| match end {
            End::UntilDate(u) => day > u,
            End::UntilInstant(u) => at(day).map(|z| z.timestamp() > u).unwrap_or(true),
            _ => false,
        };
        let mut out = Vec::new();
        for (_, day) in self.dates(start.date(), earliest, before, after_until)? {
            let original = at(day)?;
            let end = original.checked_add(duration)?;
            let (s, e) = (original.timestamp(), end.timestamp());
            if s < to && (e > from || s >= from) {
                out.push(TimedOccurrence {
                    start: original.clone(),
                    original,
                    end,
                });
            }
        }
        Ok(out)
    }

    /// The occurrences of an all-day series of `days` days (at least 1) overlapping the dates
    /// `[from, to)`, in order.
    pub fn expand_all_day(
        &self,
        start: Date,
        days: i32,
        from: Date,
        to: Date,
    ) -> Result<Vec<AllDayOccurrence>, ExpandError> {
        if to <= from {
            return Ok(Vec::new());
        }
        if i64::from(from.until(to)?.get_days()) > MAX_WINDOW_DAYS {
            return Err(ExpandError::WindowTooLong);
        }
        let length = i64::from(days.max(1)) - 1;
        let earliest = from.checked_sub(length.days())?;
        let end = self.end;
        let after_until = |day: Date| match end {
            End::UntilDate(u) => day > u,
            End::UntilInstant(u) => day > u.to_zoned_datetime(TimeZone::UTC).date(),
            _ => false,
        };
        let mut out = Vec::new();
        for (_, day) in self.dates(start, earliest, to, after_until)? {
            out.push(AllDayOccurrence {
                original: day,
                start_date: day,
                end_date: day.checked_add(length.days())?,
            });
        }
        Ok(out)
    }

    /// The index (0-based) of the occurrence starting on `day` of a series starting on `start`,
    /// when the rule counts; `None` when it is an occurrence of an uncounted rule.
    fn index_of(
        &self,
        start: Date,
        day: Date,
        after_until: impl Fn(Date) -> bool,
    ) -> Result<Option<u32>, ExpandError> {
        let next = day.checked_add(1.day())?;
        self.dates(start, day, next, after_until)?
            .into_iter()
            .find(|(_, d)| *d == day)
            .map(|(i, _)| i)
            .ok_or_else(|| ExpandError::NotAnOccurrence(day.to_string()))
    }

    fn split_with(&self, old_until: End, index: Option<u32>) -> Split {
        let mut old = self.clone();
        old.end = old_until;
        let mut new = self.clone();
        if let (End::Count(n), Some(i)) = (self.end, index) {
            new.end = End::Count(n.saturating_sub(i).max(1));
        }
        Split {
            old,
            old_count: index,
            new,
        }
    }

    /// "This and following" for a timed series: the old series ends one second before
    /// `occurrence` (an original start of the series); the new one starts there.
    pub fn split_timed(&self, start: &ZonedDateTime, occurrence: Timestamp) -> Result<Split, ExpandError> {
        let tz = start.time_zone().clone();
        let local = occurrence.to_zoned_datetime(tz.clone());
        let time = start.time();
        let end = self.end;
        let after_until = |day: Date| match end {
            End::UntilDate(u) => day > u,
            End::UntilInstant(u) => day
                .to_datetime(time)
                .to_zoned_datetime(tz.clone())
                .map(|z| z.timestamp() > u)
                .unwrap_or(true),
            _ => false,
        };
        let expected = local.date().to_datetime(time).to_zoned_datetime(tz.clone())?;
        if expected.timestamp() != occurrence {
            return Err(ExpandError::NotAnOccurrence(occurrence.to_string()));
        }
        let index = self.index_of(start.date(), local.date(), after_until)?;
        let until = End::UntilInstant(occurrence.checked_sub(SignedDuration::from_secs(1))?);
        let mut split = self.split_with(until, index);
        if occurrence == start.timestamp() {
            split.old_count = Some(0);
        }
        Ok(split)
    }

    /// "This and following" for an all-day series: the old series ends the day before
    /// `occurrence`; the new one starts there.
    pub fn split_all_day(&self, start: Date, occurrence: Date) -> Result<Split, ExpandError> {
        let end = self.end;
        let after_until = |day: Date| match end {
            End::UntilDate(u) => day > u,
            End::UntilInstant(u) => day > u.to_zoned_datetime(TimeZone::UTC).date(),
            _ => false,
        };
        let index = self.index_of(start, occurrence, after_until)?;
        let until = End::UntilDate(occurrence.checked_sub(1.day())?);
        let mut split = self.split_with(until, index);
        if occurrence == start {
            split.old_count = Some(0);
        }
        Ok(split)
    }

    fn resolved_weekdays(&self, start: Date) -> Vec<Weekday> {
        if self.weekdays.is_empty() {
            vec![start.weekday()]
        } else {
            self.weekdays.clone()
        }
    }

    fn until_date(&self, tz: &TimeZone) -> Option<Date> {
        match self.end {
            End::UntilDate(d) => Some(d),
            End::UntilInstant(t) => Some(t.to_zoned_datetime(tz.clone()).date()),
            _ => None,
        }
    }

    /// A Korean label: "매주 목요일", "격주 토요일", "매월 마지막 금요일 · 10회".
    /// `tz` is the event's zone (it dates a UTC UNTIL).
    pub fn label_ko(&self, start: Date, tz: &TimeZone) -> String {
        let n = self.interval;
        let mut s = match self.frequency {
            Frequency::Daily => match n {
                1 => "매일".to_owned(),
                2 => "격일".to_owned(),
                _ => format!("{n}일마다"),
            },
            Frequency::Weekly => {
                let days: Vec<&str> = self
                    .resolved_weekdays(start)
                    .into_iter()
                    .map(weekday_ko_short)
                    .collect();
                let prefix = match n {
                    1 => "매주".to_owned(),
                    2 => "격주".to_owned(),
                    _ => format!("{n}주마다"),
                };
                format!("{prefix} {}요일", days.join("·"))
            }
            Frequency::Monthly => {
                let prefix = match n {
                    1 => "매월".to_owned(),
                    _ => format!("{n}개월마다"),
                };
                let on = match self.monthly.unwrap_or(MonthlyOn::MonthDay(start.day())) {
                    MonthlyOn::MonthDay(-1) => "마지막 날".to_owned(),
                    MonthlyOn::MonthDay(d) => format!("{d}일"),
                    MonthlyOn::NthWeekday { nth, weekday } => {
                        let ord = match nth {
                            1 => "첫째",
                            2 => "둘째",
                            3 => "셋째",
                            4 => "넷째",
                            _ => "마지막",
                        };
                        format!("{ord} {}요일", weekday_ko_short(weekday))
                    }
                };
                format!("{prefix} {on}")
            }
            Frequency::Yearly => {
                let prefix = match n {
                    1 => "매년".to_owned(),
                    _ => format!("{n}년마다"),
                };
                format!("{prefix} {}월 {}일", start.month(), start.day())
            }
        };
        if let End::Count(c) = self.end {
            s.push_str(&format!(" · {c}회"));
        } else if let Some(u) = self.until_date(tz) {
            s.push_str(&format!(" · {}년 {}월 {}일까지", u.year(), u.month(), u.day()));
        }
        s
    }

    /// An English label: "Every Thursday", "Every other Saturday",
    /// "Last Friday of every month · 10 times". `tz` is the event's zone.
    pub fn label_en(&self, start: Date, tz: &TimeZone) -> String {
        let n = self.interval;
        let every = |unit: &str, units: &str| match n {
            1 => format!("every {unit}"),
            2 => format!("every other {unit}"),
            _ => format!("every {n} {units}"),
        };
        let mut s = match self.frequency {
            Frequency::Daily => capitalize(&every("day", "days")),
            Frequency::Weekly => {
                let days: Vec<&str> = self
                    .resolved_weekdays(start)
                    .into_iter()
                    .map(weekday_en)
                    .collect();
                let days = english_list(&days);
                match n {
                    1 => format!("Every {days}"),
                    2 => format!("Every other {days}"),
                    _ => format!("Every {n} weeks on {days}"),
                }
            }
            Frequency::Monthly => match self.monthly.unwrap_or(MonthlyOn::MonthDay(start.day())) {
                MonthlyOn::NthWeekday { nth, weekday } => {
                    let ord = match nth {
                        1 => "First",
                        2 => "Second",
                        3 => "Third",
                        4 => "Fourth",
                        _ => "Last",
                    };
                    format!("{ord} {} of {}", weekday_en(weekday), every("month", "months"))
                }
                on => {
                    let day = match on {
                        MonthlyOn::MonthDay(-1) => "the last day".to_owned(),
                        MonthlyOn::MonthDay(d) => format!("the {}", ordinal_en(d)),
                        MonthlyOn::NthWeekday { .. } => String::new(),
                    };
                    match n {
                        1 => format!("Monthly on {day}"),
                        _ => format!("{} on {day}", capitalize(&every("month", "months"))),
                    }
                }
            },
            Frequency::Yearly => format!(
                "{} on {} {}",
                capitalize(&every("year", "years")),
                month_en(start.month()),
                start.day()
            ),
        };
        if let End::Count(c) = self.end {
            if c == 1 {
                s.push_str(" · once");
            } else {
                s.push_str(&format!(" · {c} times"));
            }
        } else if let Some(u) = self.until_date(tz) {
            s.push_str(&format!(
                " · until {} {}, {}",
                month_en(u.month()),
                u.day(),
                u.year()
            ));
        }
        s
    }
}

/// The canonical RRULE text (what the API stores and ICS writes).
impl fmt::Display for RRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FREQ={}", frequency_name(self.frequency))?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if !self.weekdays.is_empty() {
            let days: Vec<&str> = self.weekdays.iter().map(|w| weekday_code(*w)).collect();
            write!(f, ";BYDAY={}", days.join(","))?;
        }
        match self.monthly {
            Some(MonthlyOn::MonthDay(d)) => write!(f, ";BYMONTHDAY={d}")?,
            Some(MonthlyOn::NthWeekday { nth, weekday }) => {
                write!(f, ";BYDAY={nth}{}", weekday_code(weekday))?
            }
            None => {}
        }
        if let Some(m) = self.by_month {
            write!(f, ";BYMONTH={m}")?;
        }
        if let Some(d) = self.by_month_day {
            write!(f, ";BYMONTHDAY={d}")?;
        }
        if let Some(w) = self.week_start {
            write!(f, ";WKST={}", weekday_code(w))?;
        }
        match self.end {
            End::Never => Ok(()),
            End::Count(n) => write!(f, ";COUNT={n}"),
            End::UntilDate(d) => write!(f, ";UNTIL={}", d.strftime("%Y%m%d")),
            End::UntilInstant(t) => write!(f, ";UNTIL={}", t.strftime("%Y%m%dT%H%M%SZ")),
        }
    }
}

fn weekday_ko_short(w: Weekday) -> &'static str {
    ["월", "화", "수", "목", "금", "토", "일"][w.to_monday_zero_offset() as usize]
}

fn weekday_en(w: Weekday) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][w.to_monday_zero_offset() as usize]
}

fn month_en(m: i8) -> &'static str {
    [
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
    ][usize::try_from(m - 1).unwrap_or(0).min(11)]
}

fn ordinal_en(d: i8) -> String {
    let suffix = match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{d}{suffix}")
}

fn english_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use jiff::civil::date;

    fn rule(s: &str) -> RRule {
        RRule::parse(s).unwrap()
    }

    fn err(s: &str) -> RuleError {
        RRule::parse(s).unwrap_err()
    }

    fn seoul(s: &str) -> ZonedDateTime {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned_datetime(TimeZone::get("Asia/Seoul").unwrap())
            .unwrap()
    }

    #[test]
    fn parses_the_subset_in_any_order_and_case() {
        let r = rule("byday=th;Freq=Weekly;INTERVAL=2;wkst=su;COUNT=10");
        assert_eq!(r.frequency, Frequency::Weekly);
        assert_eq!(r.interval, 2);
        assert_eq!(r.weekdays, [Weekday::Thursday]);
        assert_eq!(r.week_start, Some(Weekday::Sunday));
        assert_eq!(r.end, End::Count(10));
        assert_eq!(
            rule("RRULE:FREQ=MONTHLY;BYDAY=-1FR").monthly,
            Some(MonthlyOn::NthWeekday {
                nth: -1,
                weekday: Weekday::Friday
            })
        );
        assert_eq!(
            rule("FREQ=MONTHLY;BYDAY=+2TH").monthly,
            Some(MonthlyOn::NthWeekday {
                nth: 2,
                weekday: Weekday::Thursday
            })
        );
        assert_eq!(
            rule("FREQ=DAILY;UNTIL=20270331").end,
            End::UntilDate(date(2027, 3, 31))
        );
        assert_eq!(
            rule("FREQ=DAILY;UNTIL=20270331T145959Z").end,
            End::UntilInstant("2027-03-31T14:59:59Z".parse().unwrap())
        );
    }

    #[test]
    fn display_is_canonical_and_parses_back() {
        for s in [
            "FREQ=DAILY",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU;COUNT=10",
            "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270331",
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270331T145959Z",
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
        ] {
            assert_eq!(rule(s).to_string(), s);
            assert_eq!(rule(&rule(s).to_string()), rule(s));
        }
        assert_eq!(
            rule("byday=th,mo,th;freq=weekly").to_string(),
            "FREQ=WEEKLY;BYDAY=MO,TH"
        );
    }

    #[test]
    fn refuses_everything_else_with_a_clear_error() {
        use RuleError::*;
        let cases: Vec<(&str, RuleError)> = vec![
            ("", Empty),
            ("FREQ=DAILY;", Malformed(String::new())),
            ("FREQ", Malformed("FREQ".into())),
            ("FREQ=DAILY;FREQ=WEEKLY", DuplicateKey("FREQ".into())),
            ("FREQ=DAILY;COLOR=RED", UnknownKey("COLOR".into())),
            ("FREQ=MONTHLY;BYSETPOS=-1", UnsupportedKey("BYSETPOS".into())),
            ("INTERVAL=2", MissingFrequency),
            ("FREQ=HOURLY", UnsupportedFrequency("HOURLY".into())),
            ("FREQ=DAILY;INTERVAL=0", InvalidInterval("0".into())),
            ("FREQ=DAILY;INTERVAL=100", InvalidInterval("100".into())),
            ("FREQ=DAILY;INTERVAL=+2", InvalidInterval("+2".into())),
            ("FREQ=DAILY;COUNT=0", InvalidCount("0".into())),
            ("FREQ=DAILY;COUNT=731", InvalidCount("731".into())),
            ("FREQ=DAILY;COUNT=2;UNTIL=20270101", UntilAndCount),
            ("FREQ=DAILY;UNTIL=20270230", InvalidUntil("20270230".into())),
            (
                "FREQ=DAILY;UNTIL=20270101T100000",
                InvalidUntil("20270101T100000".into()),
            ),
            ("FREQ=DAILY;UNTIL=2027-01-01", InvalidUntil("2027-01-01".into())),
            ("FREQ=WEEKLY;BYDAY=XX", InvalidWeekday("XX".into())),
            ("FREQ=WEEKLY;BYDAY=2TH", OrdinalNotAllowed("2TH".into())),
            (
                "FREQ=DAILY;BYDAY=MO",
                NotAllowedWith {
                    key: "BYDAY",
                    frequency: "DAILY",
                },
            ),
            (
                "FREQ=WEEKLY;BYMONTHDAY=3",
                NotAllowedWith {
                    key: "BYMONTHDAY",
                    frequency: "WEEKLY",
                },
            ),
            ("FREQ=MONTHLY;BYDAY=TH", MonthlyByDay),
            ("FREQ=MONTHLY;BYDAY=1MO,2TH", MonthlyByDay),
            ("FREQ=MONTHLY;BYDAY=5TH", InvalidOrdinal("5TH".into())),
            ("FREQ=MONTHLY;BYDAY=-2FR", InvalidOrdinal("-2FR".into())),
            ("FREQ=MONTHLY;BYMONTHDAY=32", InvalidMonthDay("32".into())),
            ("FREQ=MONTHLY;BYMONTHDAY=-2", InvalidMonthDay("-2".into())),
            ("FREQ=MONTHLY;BYMONTHDAY=1,15", InvalidMonthDay("1,15".into())),
            ("FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=1MO", MonthDayAndWeekday),
            ("FREQ=YEARLY;BYMONTH=13", InvalidMonth("13".into())),
            ("FREQ=YEARLY;BYMONTHDAY=-1", InvalidMonthDay("-1".into())),
            ("FREQ=DAILY;WKST=XY", InvalidWeekday("XY".into())),
            ("FREQ=DAILY;UNTIL=２０２７", NotAscii),
        ];
        for (text, want) in cases {
            assert_eq!(err(text), want, "{text}");
            assert!(!want.to_string().is_empty());
        }
        assert_eq!(
            err("FREQ=HOURLY").to_string(),
            "FREQ=HOURLY is not supported (supported: DAILY, WEEKLY, MONTHLY, YEARLY)"
        );
    }

    #[test]
    fn refuses_a_start_the_rule_would_not_produce() {
        let wed = seoul("2026-12-23T19:00");
        assert_eq!(
            rule("FREQ=WEEKLY;BYDAY=TH").check_timed_start(&wed),
            Err(RuleError::StartNotInRule(date(2026, 12, 23)))
        );
        assert!(rule("FREQ=WEEKLY").check_timed_start(&wed).is_ok());
        assert!(rule("FREQ=MONTHLY;BYDAY=4WE").produces(date(2026, 12, 23)));
        assert!(!rule("FREQ=MONTHLY;BYDAY=-1WE").produces(date(2026, 12, 23)));
        assert!(rule("FREQ=MONTHLY;BYDAY=-1WE").produces(date(2026, 12, 30)));
        assert!(rule("FREQ=MONTHLY;BYMONTHDAY=-1").produces(date(2028, 2, 29)));
        assert!(!rule("FREQ=MONTHLY;BYMONTHDAY=-1").produces(date(2028, 2, 28)));
        assert!(!rule("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25").produces(date(2026, 12, 24)));
        assert_eq!(
            rule("FREQ=DAILY;UNTIL=20261222").check_timed_start(&wed),
            Err(RuleError::UntilBeforeStart)
        );
        assert_eq!(
            rule("FREQ=DAILY;UNTIL=20261224T000000Z").check_all_day_start(date(2026, 12, 23)),
            Err(RuleError::AllDayUntilInstant)
        );
    }

    #[test]
    fn occurrences_overlapping_the_window_are_listed_with_their_end() {
        let start = seoul("2026-12-24T23:00");
        let r = rule("FREQ=DAILY;COUNT=5");
        let from = seoul("2026-12-26T00:30").timestamp();
        let to = seoul("2026-12-27T23:00").timestamp();
        let got = r
            .expand_timed(&start, SignedDuration::from_hours(2), from, to)
            .unwrap();
        // The 25th's occurrence runs until 01:00 on the 26th; the 27th's starts at `to`.
        let starts: Vec<String> = got.iter().map(|o| o.start.datetime().to_string()).collect();
        assert_eq!(starts, ["2026-12-25T23:00:00", "2026-12-26T23:00:00"]);
        assert_eq!(got[0].end, seoul("2026-12-26T01:00"));
        assert_eq!(got[0].original, got[0].start);

        let all_day = rule("FREQ=WEEKLY;BYDAY=SA");
        let got = all_day
            .expand_all_day(date(2026, 12, 5), 3, date(2026, 12, 14), date(2026, 12, 20))
            .unwrap();
        let spans: Vec<(Date, Date)> = got.iter().map(|o| (o.start_date, o.end_date)).collect();
        assert_eq!(
            spans,
            [
                (date(2026, 12, 12), date(2026, 12, 14)),
                (date(2026, 12, 19), date(2026, 12, 21))
            ]
        );
    }

    #[test]
    fn windows_and_loops_are_bounded() {
        let r = rule("FREQ=DAILY");
        assert_eq!(
            r.expand_all_day(date(2026, 1, 1), 1, date(2026, 1, 1), date(2040, 1, 1)),
            Err(ExpandError::WindowTooLong)
        );
        // A series from long ago skips straight to the window.
        let got = r
            .expand_all_day(date(1900, 1, 1), 1, date(2026, 1, 1), date(2026, 1, 3))
            .unwrap();
        assert_eq!(got.len(), 2);
        // Feb 29 every 99 years: most of those years are not leap years.
        let sparse = rule("FREQ=YEARLY;INTERVAL=99");
        assert!(
            sparse
                .expand_all_day(date(2024, 2, 29), 1, date(9000, 1, 1), date(9009, 1, 1))
                .is_ok()
        );
        assert_eq!(
            sparse.expand_all_day(date(2024, 2, 29), 1, date(2024, 1, 1), date(2025, 1, 1)),
            Ok(vec![AllDayOccurrence {
                original: date(2024, 2, 29),
                start_date: date(2024, 2, 29),
                end_date: date(2024, 2, 29)
            }])
        );
    }

    #[test]
    fn split_ends_the_old_series_before_the_occurrence() {
        let start = seoul("2026-01-01T19:00");
        let r = rule("FREQ=WEEKLY;BYDAY=TH;COUNT=10");
        let at = seoul("2026-01-22T19:00").timestamp();
        let split = r.split_timed(&start, at).unwrap();
        assert_eq!(split.old_count, Some(3));
        assert_eq!(
            split.old.to_string(),
            "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260122T095959Z"
        );
        assert_eq!(split.new.to_string(), "FREQ=WEEKLY;BYDAY=TH;COUNT=7");
        // The old series now holds exactly the three before.
        let old = split
            .old
            .expand_timed(
                &start,
                SignedDuration::ZERO,
                start.timestamp(),
                seoul("2027-01-01T00:00").timestamp(),
            )
            .unwrap();
        assert_eq!(old.len(), 3);

        let open = rule("FREQ=MONTHLY;BYMONTHDAY=15");
        let split = open.split_all_day(date(2026, 1, 15), date(2026, 4, 15)).unwrap();
        assert_eq!(split.old.end, End::UntilDate(date(2026, 4, 14)));
        assert_eq!(split.new, open);
        assert_eq!(
            open.split_all_day(date(2026, 1, 15), date(2026, 4, 16)),
            Err(ExpandError::NotAnOccurrence("2026-04-16".into()))
        );
        assert!(
            r.split_timed(&start, seoul("2026-01-22T18:00").timestamp())
                .is_err()
        );
        assert!(
            r.split_timed(&start, seoul("2026-03-12T19:00").timestamp())
                .is_err()
        );
        assert_eq!(
            r.split_timed(&start, start.timestamp()).unwrap().old_count,
            Some(0)
        );
    }

    #[test]
    fn labels_in_korean_and_english() {
        let tz = TimeZone::get("Asia/Seoul").unwrap();
        let cases = [
            (
                "FREQ=WEEKLY;BYDAY=TH",
                date(2026, 12, 24),
                "매주 목요일",
                "Every Thursday",
            ),
            (
                "FREQ=WEEKLY;INTERVAL=2",
                date(2026, 12, 26),
                "격주 토요일",
                "Every other Saturday",
            ),
            (
                "FREQ=WEEKLY;BYDAY=FR,MO,WE",
                date(2026, 12, 25),
                "매주 월·수·금요일",
                "Every Monday, Wednesday and Friday",
            ),
            (
                "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA,SU",
                date(2026, 12, 26),
                "3주마다 토·일요일",
                "Every 3 weeks on Saturday and Sunday",
            ),
            (
                "FREQ=MONTHLY;BYDAY=-1FR",
                date(2026, 12, 25),
                "매월 마지막 금요일",
                "Last Friday of every month",
            ),
            (
                "FREQ=MONTHLY;BYDAY=2TH;INTERVAL=2",
                date(2026, 12, 10),
                "2개월마다 둘째 목요일",
                "Second Thursday of every other month",
            ),
            (
                "FREQ=MONTHLY;BYMONTHDAY=15",
                date(2026, 12, 15),
                "매월 15일",
                "Monthly on the 15th",
            ),
            (
                "FREQ=MONTHLY",
                date(2026, 12, 22),
                "매월 22일",
                "Monthly on the 22nd",
            ),
            (
                "FREQ=MONTHLY;BYMONTHDAY=-1",
                date(2026, 12, 31),
                "매월 마지막 날",
                "Monthly on the last day",
            ),
            ("FREQ=DAILY", date(2026, 12, 24), "매일", "Every day"),
            (
                "FREQ=DAILY;INTERVAL=2",
                date(2026, 12, 24),
                "격일",
                "Every other day",
            ),
            (
                "FREQ=DAILY;INTERVAL=5",
                date(2026, 12, 24),
                "5일마다",
                "Every 5 days",
            ),
            (
                "FREQ=YEARLY",
                date(2026, 12, 24),
                "매년 12월 24일",
                "Every year on December 24",
            ),
            (
                "FREQ=WEEKLY;BYDAY=TH;COUNT=10",
                date(2026, 12, 24),
                "매주 목요일 · 10회",
                "Every Thursday · 10 times",
            ),
            (
                "FREQ=DAILY;UNTIL=20270331",
                date(2026, 12, 24),
                "매일 · 2027년 3월 31일까지",
                "Every day · until March 31, 2027",
            ),
            (
                // 2027-03-31T15:00Z is already April 1 in Seoul.
                "FREQ=DAILY;UNTIL=20270331T150000Z",
                date(2026, 12, 24),
                "매일 · 2027년 4월 1일까지",
                "Every day · until April 1, 2027",
            ),
            (
                "FREQ=DAILY;COUNT=1",
                date(2026, 12, 24),
                "매일 · 1회",
                "Every day · once",
            ),
        ];
        for (text, start, ko, en) in cases {
            let r = rule(text);
            assert_eq!(r.label_ko(start, &tz), ko, "{text}");
            assert_eq!(r.label_en(start, &tz), en, "{text}");
        }
    }
}
