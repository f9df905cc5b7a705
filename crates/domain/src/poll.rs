//! Availability polls, the pure rules: what a poll's options are (candidate days, or days ×
//! 30-minute slots of a grid), which answers are valid, the heat-map tally and the ranking of
//! the best options, and the event a confirmed option becomes.
//!
//! Days are civil dates and slots civil `(date, HH:MM)` in the poll's zone, so no time zone
//! ever moves an option; only confirming a slot turns it into instants (RFC 3339 with offset).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

use crate::event::time_zone;
use crate::event_input::{EventInput, FieldErrors, MAX_LOCATION, MAX_TITLE};
use crate::spelling::spelled;

/// Length of a grid slot.
pub const SLOT_MINUTES: u16 = 30;
pub const MAX_DAY_CANDIDATES: usize = 31;
pub const MAX_GRID_DAYS: usize = 14;
/// Default and longest length of the event a confirmed slot becomes.
pub const DEFAULT_DURATION_MINUTES: i64 = 60;
pub const MAX_DURATION_MINUTES: i64 = 24 * 60;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PollKind {
    /// yes / maybe / no per candidate day.
    Days,
    /// days × 30-minute slots that members paint.
    Grid,
}
spelled!(PollKind, "poll kind");

impl PollKind {
    pub fn max_dates(self) -> usize {
        match self {
            Self::Days => MAX_DAY_CANDIDATES,
            Self::Grid => MAX_GRID_DAYS,
        }
    }
}

/// Ordered by preference (`No < Maybe < Yes`), which the ranking relies on.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Answer {
    No,
    Maybe,
    Yes,
}
spelled!(Answer, "poll answer");

impl Answer {
    /// yes = 1, maybe = 0.5, counted in halves so scores stay integers.
    pub fn halves(self) -> u32 {
        match self {
            Self::Yes => 2,
            Self::Maybe => 1,
            Self::No => 0,
        }
    }
}

/// The options of a poll: its sorted candidate days and, for a grid, the daily slot range
/// `[start_minute, end_minute)` in minutes after midnight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollShape {
    pub kind: PollKind,
    pub dates: Vec<Date>,
    pub start_minute: u16,
    pub end_minute: u16,
}

/// One option: a day, or a slot starting at `minute` of `date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OptionKey {
    pub date: Date,
    pub minute: Option<u16>,
}

impl OptionKey {
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.split_once('T') {
            None => Some(Self {
                date: s.parse().ok()?,
                minute: None,
            }),
            Some((d, t)) => {
                let (h, m) = t.split_once(':')?;
                if h.len() != 2 || m.len() != 2 {
                    return None;
                }
                let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
                if h > 23 || m > 59 {
                    return None;
                }
                Some(Self {
                    date: d.parse().ok()?,
                    minute: Some(h * 60 + m),
                })
            }
        }
    }

    pub fn time_label(&self) -> Option<String> {
        self.minute.map(hhmm)
    }
}

impl std::fmt::Display for OptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.minute {
            None => write!(f, "{}", self.date),
            Some(m) => write!(f, "{}T{}", self.date, hhmm(m)),
        }
    }
}

/// `HH:MM` of minutes after midnight.
pub fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Minutes after midnight of `HH:MM` (`24:00` allowed, as an end).
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

impl PollShape {
    /// The minutes at which the grid's slots start (empty for a day poll).
    pub fn slot_minutes(&self) -> Vec<u16> {
        match self.kind {
            PollKind::Days => Vec::new(),
            PollKind::Grid => (self.start_minute..self.end_minute)
                .step_by(usize::from(SLOT_MINUTES))
                .collect(),
        }
    }

    /// Every option, in chronological order.
    pub fn options(&self) -> Vec<OptionKey> {
        match self.kind {
            PollKind::Days => self
                .dates
                .iter()
                .map(|&date| OptionKey { date, minute: None })
                .collect(),
            PollKind::Grid => {
                let slots = self.slot_minutes();
                self.dates
                    .iter()
                    .flat_map(|&date| {
                        slots.iter().map(move |&m| OptionKey {
                            date,
                            minute: Some(m),
                        })
                    })
                    .collect()
            }
        }
    }

    pub fn contains(&self, key: &OptionKey) -> bool {
        if !self.dates.contains(&key.date) {
            return false;
        }
        match (self.kind, key.minute) {
            (PollKind::Days, None) => true,
            (PollKind::Grid, Some(m)) => {
                m >= self.start_minute
                    && m < self.end_minute
                    && (m - self.start_minute).is_multiple_of(SLOT_MINUTES)
            }
            _ => false,
        }
    }

    /// Adds a proposed day; the message key says why not.
    pub fn add_date(&mut self, date: Date) -> Result<(), &'static str> {
        if !crate::dates::date_in_window(date) {
            return Err("date_out_of_range");
        }
        if self.dates.contains(&date) {
            return Err("poll-candidate_exists");
        }
        if self.dates.len() >= self.kind.max_dates() {
            return Err("poll-too_many_dates");
        }
        self.dates.push(date);
        self.dates.sort();
        Ok(())
    }

    /// Checks a member's answers (option key → `yes|maybe|no`); nothing partial is accepted.
    pub fn check_answers(
        &self,
        raw: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<OptionKey, Answer>, FieldErrors> {
        let mut out = BTreeMap::new();
        let mut errors = FieldErrors::new();
        for (k, v) in raw {
            let Ok(answer) = v.parse::<Answer>() else {
                errors.insert("answers", "poll-answer_invalid");
                continue;
            };
            match OptionKey::parse(k).filter(|key| self.contains(key)) {
                Some(key) => {
                    out.insert(key, answer);
                }
                None => {
                    let msg = match self.kind {
                        PollKind::Grid => "poll-slot_outside_grid",
                        PollKind::Days => "poll-candidate_unknown",
                    };
                    errors.insert("answers", msg);
                }
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }

    /// The event a confirmed option becomes: a whole day, or `duration` minutes from the slot
    /// in `zone`. Fed to the events' own validation.
    pub fn event_input(
        &self,
        key: &OptionKey,
        duration_minutes: Option<i64>,
        details: &EventDetails,
        zone: &str,
    ) -> Result<EventInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !self.contains(key) {
            errors.insert(
                "slot",
                if self.kind == PollKind::Grid {
                    "poll-slot_outside_grid"
                } else {
                    "poll-candidate_unknown"
                },
            );
            return Err(errors);
        }
        let base = EventInput {
            title: Some(details.title.clone()),
            time_zone: Some(zone.to_owned()),
            location: Some(details.location.clone()),
            memo: Some(details.memo.clone()),
            ..EventInput::default()
        };
        let Some(minute) = key.minute else {
            return Ok(EventInput {
                all_day: Some(true),
                start_date: Some(key.date.to_string()),
                end_date: Some(key.date.to_string()),
                ..base
            });
        };
        let duration = duration_minutes.unwrap_or(DEFAULT_DURATION_MINUTES);
        if !(i64::from(SLOT_MINUTES)..=MAX_DURATION_MINUTES).contains(&duration) {
            errors.insert("duration_minutes", "poll-duration_invalid");
            return Err(errors);
        }
        let start = slot_instant(key.date, minute, zone).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.insert("time_zone", "unknown_time_zone");
            e
        })?;
        let end = start
            .checked_add(jiff::SignedDuration::from_mins(duration))
            .map_err(|_| errors.clone())?;
        let offset = |t: Timestamp| {
            time_zone(zone)
                .map(|tz| {
                    t.to_zoned_datetime(tz)
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                })
                .unwrap_or_else(|_| t.to_string())
        };
        Ok(EventInput {
            all_day: Some(false),
            starts_at: Some(offset(start)),
            ends_at: Some(offset(end)),
            ..base
        })
    }
}

/// What the owner writes when confirming: the event's own title (not the poll's question),
/// place and memo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventDetails {
    pub title: String,
    pub location: String,
    pub memo: String,
}

/// The instant a civil slot starts in `zone` (a slot in a DST gap moves forward, as clocks do).
pub fn slot_instant(date: Date, minute: u16, zone: &str) -> Option<Timestamp> {
    let tz = time_zone(zone).ok()?;
    let time = Time::new(
        i8::try_from(minute / 60).ok()?,
        i8::try_from(minute % 60).ok()?,
        0,
        0,
    )
    .ok()?;
    DateTime::from_parts(date, time)
        .to_zoned_datetime(tz)
        .ok()
        .map(|z| z.timestamp())
}

/// What a poll's creator sends.
#[derive(Clone, Debug, Default, serde::Deserialize, PartialEq, Eq)]
pub struct PollInput {
    pub title: Option<String>,
    /// `days` (default) or `grid`.
    pub kind: Option<String>,
    pub dates: Option<Vec<String>>,
    /// Grid hours, `HH:MM` on the half hour (default 09:00–22:00).
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub time_zone: Option<String>,
    /// RFC 3339; answers close then.
    pub deadline: Option<String>,
    pub location: Option<String>,
}

/// A checked poll, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidPoll {
    pub title: String,
    pub location: String,
    pub shape: PollShape,
    pub time_zone: String,
    pub deadline_ms: Option<i64>,
}

impl PollInput {
    /// Checks everything; `default_zone` is the room's, `now_ms` the shared clock's now.
    pub fn validate(&self, default_zone: &str, now_ms: i64) -> Result<ValidPoll, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.as_deref().unwrap_or("").trim().to_owned();
        if title.is_empty() {
            errors.insert("title", "title_required");
        } else if title.chars().count() > MAX_TITLE {
            errors.insert("title", "title_too_long");
        }
        let location = self.location.as_deref().unwrap_or("").trim().to_owned();
        if location.chars().count() > MAX_LOCATION {
            errors.insert("location", "location_too_long");
        }
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => PollKind::Days,
            Some(k) => k.parse::<PollKind>().unwrap_or_else(|_| {
                errors.insert("kind", "poll-kind_invalid");
                PollKind::Days
            }),
        };
        let zone = self
            .time_zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .unwrap_or(default_zone)
            .to_owned();
        if time_zone(&zone).is_err() {
            errors.insert("time_zone", "unknown_time_zone");
        }
        let mut dates = Vec::new();
        for raw in self
            .dates
            .iter()
            .flatten()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
        {
            match crate::dates::parse_date(raw) {
                Ok(d) if !dates.contains(&d) => dates.push(d),
                Ok(_) => {}
                Err(true) => {
                    errors.insert("dates", "date_out_of_range");
                }
                Err(false) => {
                    errors.insert("dates", "poll-date_invalid");
                }
            }
        }
        dates.sort();
        if dates.is_empty() && !errors.contains_key("dates") {
            errors.insert("dates", "poll-dates_required");
        } else if dates.len() > kind.max_dates() {
            errors.insert("dates", "poll-too_many_dates");
        }
        // Hours are checked whatever the kind: a day poll has no grid, but a malformed hour is
        // still a mistake to point out rather than to drop silently.
        let start = hour_field(self.start_time.as_deref(), 9 * 60, "start_time", &mut errors);
        let end = hour_field(self.end_time.as_deref(), 22 * 60, "end_time", &mut errors);
        let (start_minute, end_minute) = match kind {
            PollKind::Days => (0, 0),
            PollKind::Grid => {
                if end <= start && !errors.contains_key("start_time") && !errors.contains_key("end_time") {
                    errors.insert("end_time", "end_before_start");
                }
                (start, end)
            }
        };
        let deadline_ms = match self.deadline.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => match d.parse::<Timestamp>() {
                Ok(t) if !crate::dates::instant_in_window(t) => {
                    errors.insert("deadline", "date_out_of_range");
                    None
                }
                Ok(t) if t.as_millisecond() <= now_ms => {
                    errors.insert("deadline", "poll-deadline_past");
                    None
                }
                Ok(t) => Some(t.as_millisecond()),
                Err(_) => {
                    errors.insert("deadline", "poll-deadline_invalid");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidPoll {
            title,
            location,
            shape: PollShape {
                kind,
                dates,
                start_minute,
                end_minute,
            },
            time_zone: zone,
            deadline_ms,
        })
    }
}

fn hour_field(raw: Option<&str>, default: u16, field: &'static str, errors: &mut FieldErrors) -> u16 {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => default,
        Some(s) => match parse_hhmm(s) {
            Some(m) if m % SLOT_MINUTES == 0 => m,
            _ => {
                errors.insert(field, "poll-hour_invalid");
                default
            }
        },
    }
}

/// One option's heat: who said yes and maybe (indices into the respondents).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub key: OptionKey,
    pub yes: Vec<usize>,
    pub maybe: Vec<usize>,
    pub no: Vec<usize>,
}

impl Tally {
    /// yes = 1, maybe = 0.5, in halves.
    pub fn score_halves(&self) -> u32 {
        let n = |v: &Vec<usize>| u32::try_from(v.len()).unwrap_or(u32::MAX);
        n(&self.yes).saturating_mul(2).saturating_add(n(&self.maybe))
    }
}

/// The heat of every option, in option order, from each respondent's answers.
pub fn tally(shape: &PollShape, answers: &[BTreeMap<OptionKey, Answer>]) -> Vec<Tally> {
    shape
        .options()
        .into_iter()
        .map(|key| {
            let mut t = Tally {
                key,
                yes: Vec::new(),
                maybe: Vec::new(),
                no: Vec::new(),
            };
            for (i, mine) in answers.iter().enumerate() {
                match mine.get(&key) {
                    Some(Answer::Yes) => t.yes.push(i),
                    Some(Answer::Maybe) => t.maybe.push(i),
                    Some(Answer::No) => t.no.push(i),
                    None => {}
                }
            }
            t
        })
        .collect()
}

/// Indices of the best options: highest score first, ties by the earliest; options nobody
/// can make are left out. At most `limit`.
pub fn ranking(tallies: &[Tally], limit: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..tallies.len())
        .filter(|&i| tallies[i].score_halves() > 0)
        .collect();
    order.sort_by(|&a, &b| {
        tallies[b]
            .score_halves()
            .cmp(&tallies[a].score_halves())
            .then(tallies[a].key.cmp(&tallies[b].key))
    });
    order.truncate(limit);
    order
}

/// A run of consecutive options of one day that exactly the same people can make (a day poll's
/// ranges are single days): what the results list, since "19:00–21:00, 4 of 5" is what a group
/// decides on, not four half-hour slots ranked one by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    /// The first option of the run.
    pub start: OptionKey,
    /// How many options it merges (slots of `SLOT_MINUTES`, or 1 day).
    pub len: usize,
    pub yes: Vec<usize>,
    pub maybe: Vec<usize>,
}

impl Range {
    /// yes = 1, maybe = 0.5, in halves; the same for every option of the range.
    pub fn score_halves(&self) -> u32 {
        let n = |v: &Vec<usize>| u32::try_from(v.len()).unwrap_or(u32::MAX);
        n(&self.yes).saturating_mul(2).saturating_add(n(&self.maybe))
    }

    /// How many can come (yes or maybe).
    pub fn count(&self) -> usize {
        self.yes.len() + self.maybe.len()
    }

    /// Minutes after midnight the range ends (exclusive), for a grid's range.
    pub fn end_minute(&self) -> Option<u16> {
        let slots = u16::try_from(self.len).ok()?;
        self.start
            .minute
            .map(|m| m.saturating_add(slots.saturating_mul(SLOT_MINUTES)))
    }

    /// Its length in minutes (a grid's range).
    pub fn minutes(&self) -> Option<i64> {
        let len = i64::try_from(self.len).unwrap_or(i64::MAX);
        self.start
            .minute
            .map(|_| i64::from(SLOT_MINUTES).saturating_mul(len))
    }

    /// Of `respondents` people, the ones who cannot come (answered no, or left it blank).
    pub fn cannot(&self, respondents: usize) -> Vec<usize> {
        (0..respondents)
            .filter(|i| !self.yes.contains(i) && !self.maybe.contains(i))
            .collect()
    }
}

/// Merges consecutive slots of a day that the same people said yes and maybe to into ranges, in
/// option order; options nobody can make are left out (and split ranges).
pub fn ranges(tallies: &[Tally]) -> Vec<Range> {
    let mut out: Vec<Range> = Vec::new();
    for t in tallies.iter().filter(|t| t.score_halves() > 0) {
        if let Some(last) = out.last_mut() {
            let follows =
                last.start.date == t.key.date && t.key.minute.is_some() && last.end_minute() == t.key.minute;
            if follows && last.yes == t.yes && last.maybe == t.maybe {
                last.len += 1;
                continue;
            }
        }
        out.push(Range {
            start: t.key,
            len: 1,
            yes: t.yes.clone(),
            maybe: t.maybe.clone(),
        });
    }
    out
}

/// The best ranges first: the highest score, then the longest, then the earliest. At most
/// `limit`.
pub fn rank_ranges(mut ranges: Vec<Range>, limit: usize) -> Vec<Range> {
    ranges.sort_by(|a, b| {
        b.score_halves()
            .cmp(&a.score_halves())
            .then(b.len.cmp(&a.len))
            .then(a.start.cmp(&b.start))
    });
    ranges.truncate(limit);
    ranges
}

/// Whether answers and proposals are still taken.
pub fn is_open(deadline_ms: Option<i64>, closed: bool, now_ms: i64) -> bool {
    !closed && deadline_ms.is_none_or(|d| now_ms < d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::spelling::tests::round_trips;

    #[test]
    fn kinds_and_answers_round_trip_as_stored() {
        round_trips(&["days", "grid"], "poll kind", PollKind::as_str);
        round_trips(&["no", "maybe", "yes"], "poll answer", Answer::as_str);
    }

    fn grid() -> PollShape {
        PollShape {
            kind: PollKind::Grid,
            dates: vec!["2026-12-24".parse().unwrap(), "2026-12-26".parse().unwrap()],
            start_minute: 18 * 60,
            end_minute: 20 * 60,
        }
    }

    #[test]
    fn grid_options_are_days_times_slots() {
        let keys: Vec<String> = grid().options().iter().map(ToString::to_string).collect();
        assert_eq!(keys.len(), 8);
        assert_eq!(keys[0], "2026-12-24T18:00");
        assert_eq!(keys[3], "2026-12-24T19:30");
        assert_eq!(keys[4], "2026-12-26T18:00");
    }

    #[test]
    fn answers_outside_the_grid_are_refused_whole() {
        let mut raw = BTreeMap::new();
        raw.insert("2026-12-24T18:30".to_owned(), "yes".to_owned());
        assert_eq!(grid().check_answers(&raw).unwrap().len(), 1);
        for bad in [
            "2026-12-24T20:00",
            "2026-12-25T18:00",
            "2026-12-24T18:15",
            "2026-12-24",
            "x",
        ] {
            let mut raw = raw.clone();
            raw.insert(bad.to_owned(), "yes".to_owned());
            let err = grid().check_answers(&raw).unwrap_err();
            assert_eq!(err["answers"], "poll-slot_outside_grid", "{bad}");
        }
        raw.insert("2026-12-24T19:00".to_owned(), "sure".to_owned());
        assert_eq!(
            grid().check_answers(&raw).unwrap_err()["answers"],
            "poll-answer_invalid"
        );
    }

    #[test]
    fn ranking_scores_maybe_as_half_and_ties_go_to_the_earliest() {
        let shape = PollShape {
            kind: PollKind::Days,
            dates: ["2026-12-24", "2026-12-25", "2026-12-26"]
                .iter()
                .map(|d| d.parse().unwrap())
                .collect(),
            start_minute: 0,
            end_minute: 0,
        };
        let key = |d: &str| OptionKey::parse(d).unwrap();
        let a: BTreeMap<_, _> = [
            (key("2026-12-24"), Answer::Maybe),
            (key("2026-12-25"), Answer::Yes),
            (key("2026-12-26"), Answer::Yes),
        ]
        .into();
        let b: BTreeMap<_, _> = [
            (key("2026-12-24"), Answer::Maybe),
            (key("2026-12-25"), Answer::No),
            (key("2026-12-26"), Answer::No),
        ]
        .into();
        let t = tally(&shape, &[a, b]);
        assert_eq!(t.iter().map(Tally::score_halves).collect::<Vec<_>>(), [2, 2, 2]);
        assert_eq!(ranking(&t, 5), [0, 1, 2], "ties by the earliest");
        let c: BTreeMap<_, _> = [(key("2026-12-26"), Answer::Maybe)].into();
        let t = tally(&shape, &[c]);
        assert_eq!(ranking(&t, 5), [2], "options nobody can make are left out");
    }

    #[test]
    fn creation_rules() {
        let now = "2026-12-01T00:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond();
        let empty = PollInput {
            title: Some("송년회".into()),
            ..Default::default()
        };
        assert_eq!(
            empty.validate("Asia/Seoul", now).unwrap_err()["dates"],
            "poll-dates_required"
        );
        let past = PollInput {
            dates: Some(vec!["2026-12-24".into()]),
            deadline: Some("2026-11-30T00:00:00+09:00".into()),
            ..empty.clone()
        };
        assert_eq!(
            past.validate("Asia/Seoul", now).unwrap_err()["deadline"],
            "poll-deadline_past"
        );
        let g = PollInput {
            kind: Some("grid".into()),
            dates: Some(vec!["2026-12-26".into(), "2026-12-24".into()]),
            start_time: Some("18:00".into()),
            end_time: Some("20:00".into()),
            ..empty.clone()
        };
        assert_eq!(g.validate("Asia/Seoul", now).unwrap().shape, grid());
        let odd = PollInput {
            start_time: Some("18:15".into()),
            ..g
        };
        assert_eq!(
            odd.validate("Asia/Seoul", now).unwrap_err()["start_time"],
            "poll-hour_invalid"
        );
        // A day poll has no grid, yet a malformed hour is still pointed out.
        let day_odd = PollInput {
            dates: Some(vec!["2026-12-24".into()]),
            end_time: Some("25:00".into()),
            ..empty
        };
        assert_eq!(
            day_odd.validate("Asia/Seoul", now).unwrap_err()["end_time"],
            "poll-hour_invalid"
        );
    }

    fn details(title: &str, location: &str) -> EventDetails {
        EventDetails {
            title: title.into(),
            location: location.into(),
            memo: String::new(),
        }
    }

    #[test]
    fn ranges_merge_consecutive_slots_the_same_people_can_make() {
        // Three people on 12-24 18:00–20:00: A 18:00–20:00, B 18:30–20:00, C 19:00–19:30 maybe.
        let k = |s: &str| OptionKey::parse(s).unwrap();
        let a: BTreeMap<_, _> = ["18:00", "18:30", "19:00", "19:30"]
            .iter()
            .map(|t| (k(&format!("2026-12-24T{t}")), Answer::Yes))
            .collect();
        let b: BTreeMap<_, _> = ["18:30", "19:00", "19:30"]
            .iter()
            .map(|t| (k(&format!("2026-12-24T{t}")), Answer::Yes))
            .chain([
                (k("2026-12-26T18:00"), Answer::Yes),
                (k("2026-12-26T18:30"), Answer::Yes),
            ])
            .collect();
        let c: BTreeMap<_, _> = [
            (k("2026-12-24T19:00"), Answer::Maybe),
            (k("2026-12-24T19:30"), Answer::No),
        ]
        .into();
        let t = tally(&grid(), &[a, b, c]);
        let r = ranges(&t);
        let shown: Vec<(String, usize, Option<u16>)> = r
            .iter()
            .map(|r| (r.start.to_string(), r.count(), r.end_minute()))
            .collect();
        assert_eq!(
            shown,
            [
                ("2026-12-24T18:00".to_owned(), 1, Some(18 * 60 + 30)),
                ("2026-12-24T18:30".to_owned(), 2, Some(19 * 60)),
                ("2026-12-24T19:00".to_owned(), 3, Some(19 * 60 + 30)),
                ("2026-12-24T19:30".to_owned(), 2, Some(20 * 60)),
                // The next day is a range of its own even though its slots follow in order.
                ("2026-12-26T18:00".to_owned(), 1, Some(19 * 60)),
            ]
        );
        assert_eq!(r[2].cannot(3), Vec::<usize>::new());
        assert_eq!(r[3].cannot(3), [2], "a no is someone who cannot come");
        assert_eq!(r[4].cannot(3), [0, 2], "so is a blank");
        assert_eq!(r[4].minutes(), Some(60));

        // Best first: 19:00 (2.5 points), then 18:30 and 19:30 (2 points, earliest first),
        // then the 1-point ranges, the longer (12-26, an hour) before the shorter.
        let best: Vec<String> = rank_ranges(r, 10).iter().map(|r| r.start.to_string()).collect();
        assert_eq!(
            best,
            [
                "2026-12-24T19:00",
                "2026-12-24T18:30",
                "2026-12-24T19:30",
                "2026-12-26T18:00",
                "2026-12-24T18:00"
            ]
        );
    }

    #[test]
    fn a_long_range_is_ranked_once_and_confirmed_whole() {
        // Two people both free 19:00–21:00 on one day: one range of four slots, not four items.
        let mut shape = grid();
        shape.end_minute = 22 * 60;
        let k = |t: &str| OptionKey::parse(&format!("2026-12-24T{t}")).unwrap();
        let both: BTreeMap<_, _> = ["19:00", "19:30", "20:00", "20:30"]
            .iter()
            .map(|t| (k(t), Answer::Yes))
            .collect();
        let ranked = rank_ranges(ranges(&tally(&shape, &[both.clone(), both])), 5);
        assert_eq!(ranked.len(), 1);
        assert_eq!(
            (ranked[0].start, ranked[0].len, ranked[0].minutes()),
            (k("19:00"), 4, Some(120))
        );
        let e = shape
            .event_input(
                &ranked[0].start,
                ranked[0].minutes(),
                &details("연말 모임", ""),
                "Asia/Seoul",
            )
            .unwrap();
        assert_eq!(e.title.as_deref(), Some("연말 모임"));
        assert_eq!(e.starts_at.as_deref(), Some("2026-12-24T19:00:00+09:00"));
        assert_eq!(e.ends_at.as_deref(), Some("2026-12-24T21:00:00+09:00"));
    }

    #[test]
    fn a_confirmed_slot_is_an_event_in_the_polls_zone() {
        let key = OptionKey::parse("2026-12-24T19:00").unwrap();
        let e = grid()
            .event_input(&key, Some(120), &details("송년회", "홍대"), "Asia/Seoul")
            .unwrap();
        assert_eq!(e.starts_at.as_deref(), Some("2026-12-24T19:00:00+09:00"));
        assert_eq!(e.ends_at.as_deref(), Some("2026-12-24T21:00:00+09:00"));
        let outside = OptionKey::parse("2026-12-24T21:00").unwrap();
        assert!(
            grid()
                .event_input(&outside, None, &details("t", ""), "Asia/Seoul")
                .is_err()
        );
        let mut days = grid();
        days.kind = PollKind::Days;
        let day = OptionKey::parse("2026-12-26").unwrap();
        let e = days
            .event_input(&day, None, &details("t", ""), "Asia/Seoul")
            .unwrap();
        assert_eq!(
            (e.all_day, e.start_date.as_deref()),
            (Some(true), Some("2026-12-26"))
        );
    }

    #[test]
    fn proposals_extend_the_poll() {
        let mut g = grid();
        assert_eq!(
            g.add_date("2026-12-24".parse().unwrap()),
            Err("poll-candidate_exists")
        );
        g.add_date("2026-12-25".parse().unwrap()).unwrap();
        assert_eq!(g.dates[1].to_string(), "2026-12-25");
    }
}
