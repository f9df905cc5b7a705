//! Korean public holidays (관공서 공휴일), 2020–2035, embedded from `data/kr-holidays.csv`.
//!
//! The month, week and list views and the rendered images colour and name these days. The table is
//! immutable data compiled into the binary (a user's clone has no shared folder at run time), parsed
//! once on first use. Dates outside the table are "unknown", never guessed to be ordinary days.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jiff::civil::Date;

/// The table as shipped (header row plus one row per holiday, sorted by date).
const CSV: &str = include_str!("../data/kr-holidays.csv");

/// First and last year the table covers.
pub const FIRST_YEAR: i16 = 2020;
pub const LAST_YEAR: i16 = 2035;

/// Why a day is a holiday, as the table's `kind` column says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    /// The same solar date every year (신정, 3·1절, 기독탄신일, …).
    Fixed,
    /// From the lunar calendar (설날, 부처님오신날, 추석).
    Lunar,
    /// 대체공휴일.
    Substitute,
    /// 임시공휴일 declared by the cabinet.
    Designated,
    /// An election day.
    Election,
}

impl HolidayKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "fixed" => Self::Fixed,
            "lunar" => Self::Lunar,
            "substitute" => Self::Substitute,
            "designated" => Self::Designated,
            "election" => Self::Election,
            _ => return None,
        })
    }
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Holiday {
    pub date: Date,
    pub name_ko: String,
    pub name_en: String,
    pub kind: HolidayKind,
}

/// What the table knows about a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// One or more holidays fall on the day (two when holidays meet, e.g. 2025-05-05).
    Holiday(&'static [Holiday]),
    /// Inside the covered years and not a public holiday.
    Ordinary,
    /// Outside 2020–2035: the table cannot say.
    Unknown,
}

/// A malformed line in the embedded table (only a broken build could produce one; a test guards it).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("kr-holidays.csv line {line}: {reason}")]
pub struct TableError {
    pub line: usize,
    pub reason: &'static str,
}

static TABLE: LazyLock<BTreeMap<Date, Vec<Holiday>>> = LazyLock::new(|| {
    // The table is compiled in and checked by the tests below, so a parse error cannot reach a user;
    // should one slip through, no day is marked rather than the process failing.
    let mut map: BTreeMap<Date, Vec<Holiday>> = BTreeMap::new();
    for holiday in parse_rows(CSV).unwrap_or_default() {
        map.entry(holiday.date).or_default().push(holiday);
    }
    map
});

/// Parses the CSV text (header row first) into its rows, in file order.
pub fn parse_rows(csv: &str) -> Result<Vec<Holiday>, TableError> {
    let mut rows = Vec::new();
    for (i, line) in csv.lines().enumerate().skip(1) {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |reason| TableError {
            line: line_no,
            reason,
        };
        let mut fields = line.split(',');
        let (Some(date), Some(name_ko), Some(name_en), Some(kind), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(err("expected 4 fields"));
        };
        let date: Date = date.parse().map_err(|_| err("bad date"))?;
        let kind = HolidayKind::parse(kind).ok_or_else(|| err("unknown kind"))?;
        rows.push(Holiday {
            date,
            name_ko: name_ko.to_owned(),
            name_en: name_en.to_owned(),
            kind,
        });
    }
    Ok(rows)
}

/// True when `date` falls in a year the table covers (2020–2035).
pub fn covered(date: Date) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// The holiday on `date` (the first one when two meet), or `None` for ordinary and unknown days.
pub fn holiday(date: Date) -> Option<&'static Holiday> {
    holidays(date).first()
}

/// Every holiday on `date` (empty for ordinary and unknown days).
pub fn holidays(date: Date) -> &'static [Holiday] {
    TABLE.get(&date).map(Vec::as_slice).unwrap_or(&[])
}

/// The three-way answer: holiday, ordinary, or outside the table.
pub fn lookup(date: Date) -> Lookup {
    if !covered(date) {
        return Lookup::Unknown;
    }
    match holidays(date) {
        [] => Lookup::Ordinary,
        list => Lookup::Holiday(list),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_all_323_rows() {
        let rows = parse_rows(CSV).unwrap();
        assert_eq!(rows.len(), 323);
    }

    #[test]
    fn rows_are_sorted_and_covered() {
        let rows = parse_rows(CSV).unwrap();
        assert!(rows.windows(2).all(|w| w[0].date <= w[1].date));
        assert!(rows.iter().all(|r| covered(r.date)));
        assert_eq!(rows.first().unwrap().date.year(), FIRST_YEAR);
        assert_eq!(rows.last().unwrap().date.year(), LAST_YEAR);
    }

    #[test]
    fn christmas_2026() {
        let h = holiday(date(2026, 12, 25)).unwrap();
        assert_eq!(h.name_ko, "기독탄신일");
        assert_eq!(h.kind, HolidayKind::Fixed);
    }

    #[test]
    fn known_days() {
        assert_eq!(holiday(date(2025, 10, 8)).unwrap().kind, HolidayKind::Substitute);
        assert_eq!(holiday(date(2026, 7, 17)).unwrap().kind, HolidayKind::Fixed);
        assert_eq!(holiday(date(2026, 7, 17)).unwrap().name_ko, "제헌절");
        assert!(holiday(date(2026, 9, 28)).is_none());
    }

    #[test]
    fn two_holidays_on_one_day() {
        assert_eq!(holidays(date(2025, 5, 5)).len(), 2);
        assert!(matches!(lookup(date(2025, 5, 5)), Lookup::Holiday(l) if l.len() == 2));
    }

    #[test]
    fn outside_the_table_is_unknown() {
        assert!(!covered(date(2019, 12, 25)));
        assert!(!covered(date(2036, 1, 1)));
        assert_eq!(lookup(date(2036, 1, 1)), Lookup::Unknown);
        assert_eq!(lookup(date(2026, 12, 24)), Lookup::Ordinary);
        assert!(holiday(date(2036, 1, 1)).is_none());
    }

    #[test]
    fn malformed_lines_are_reported() {
        let bad = "date,name_ko,name_en,kind\n2026-01-01,신정,New Year's Day\n";
        assert_eq!(parse_rows(bad).unwrap_err().line, 2);
        let bad = "date,name_ko,name_en,kind\n2026-01-01,신정,New Year's Day,party\n";
        assert_eq!(parse_rows(bad).unwrap_err().reason, "unknown kind");
    }
}
