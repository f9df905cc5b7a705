//! Turning what a person typed into an event, with a message key per field that is wrong.
//!
//! Instants must carry their offset (RFC 3339), all-day dates are civil dates with an
//! inclusive end and are never moved by a time zone, and the zone must be a real IANA name.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use crate::event::{EventTime, time_zone};
use crate::recurrence::{RRule, RuleError};

pub const MAX_TITLE: usize = 100;
pub const MAX_LOCATION: usize = 200;
pub const MAX_MEMO: usize = 2000;
/// Longer events are almost certainly typos (a wrong year).
pub const MAX_SPAN_DAYS: i64 = 366;

/// The fields of an event as the API and the forms send them (all optional: a PATCH sends a
/// subset, and missing required ones become field errors).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct EventInput {
    pub title: Option<String>,
    pub all_day: Option<bool>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub time_zone: Option<String>,
    pub location: Option<String>,
    pub memo: Option<String>,
    /// `None`: not named (a PATCH keeps the series' rule); `Some(None)`: JSON `null`, a single
    /// event; `Some(Some(text))`: an RFC 5545 RRULE of the supported subset.
    #[serde(default, deserialize_with = "named")]
    pub rrule: Option<Option<String>>,
}

/// Tells a field sent as `null` from one left out (serde folds both into `None` otherwise).
fn named<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A checked event, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidEvent {
    pub title: String,
    pub when: EventTime,
    pub time_zone: String,
    pub location: String,
    pub memo: String,
    /// The canonical RRULE text of a series, checked against the start.
    pub rrule: Option<String>,
}

/// Field name → message key.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

impl EventInput {
    /// Fills the fields this input leaves out from `base` (an edit changes only what it names).
    pub fn over(self, base: &ValidEvent) -> EventInput {
        let (all_day, starts_at, ends_at, start_date, end_date) = match &base.when {
            EventTime::Timed { starts_at, ends_at } => (
                false,
                Some(starts_at.to_string()),
                Some(ends_at.to_string()),
                None,
                None,
            ),
            EventTime::AllDay { start_date, end_date } => (
                true,
                None,
                None,
                Some(start_date.to_string()),
                Some(end_date.to_string()),
            ),
        };
        let switching = self.all_day.is_some_and(|a| a != all_day);
        EventInput {
            title: self.title.or_else(|| Some(base.title.clone())),
            all_day: self.all_day.or(Some(all_day)),
            starts_at: self.starts_at.or(if switching { None } else { starts_at }),
            ends_at: self.ends_at.or(if switching { None } else { ends_at }),
            start_date: self.start_date.or(if switching { None } else { start_date }),
            end_date: self.end_date.or(if switching { None } else { end_date }),
            time_zone: self.time_zone.or_else(|| Some(base.time_zone.clone())),
            location: self.location.or_else(|| Some(base.location.clone())),
            memo: self.memo.or_else(|| Some(base.memo.clone())),
            rrule: self.rrule.or_else(|| Some(base.rrule.clone())),
        }
    }

    /// Checks everything; `default_zone` is the room's zone.
    pub fn validate(&self, default_zone: &str) -> Result<ValidEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.as_deref().unwrap_or("").trim().to_owned();
        if title.is_empty() {
            errors.insert("title", "title_required");
        } else if title.chars().count() > MAX_TITLE {
            errors.insert("title", "title_too_long");
        }
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
        let location = self.location.as_deref().unwrap_or("").trim().to_owned();
        if location.chars().count() > MAX_LOCATION {
            errors.insert("location", "location_too_long");
        }
        let memo = self.memo.as_deref().unwrap_or("").trim().to_owned();
        if memo.chars().count() > MAX_MEMO {
            errors.insert("memo", "memo_too_long");
        }
        let when = if self.all_day.unwrap_or(false) {
            let start = parse_date(self.start_date.as_deref(), "start_date", &mut errors);
            let end = match self.end_date.as_deref().filter(|d| !d.is_empty()) {
                None => start,
                some => parse_date(some, "end_date", &mut errors),
            };
            match (start, end) {
                (Some(s), Some(e)) if e < s => {
                    errors.insert("end_date", "end_before_start");
                    None
                }
                (Some(s), Some(e)) if e.duration_since(s).as_secs() / 86_400 >= MAX_SPAN_DAYS => {
                    errors.insert("end_date", "span_too_long");
                    None
                }
                (Some(start_date), Some(end_date)) => Some(EventTime::AllDay { start_date, end_date }),
                _ => None,
            }
        } else {
            let start = parse_instant(self.starts_at.as_deref(), "starts_at", &mut errors);
            let end = parse_instant(self.ends_at.as_deref(), "ends_at", &mut errors);
            match (start, end) {
                (Some(s), Some(e)) if e <= s => {
                    errors.insert("ends_at", "end_before_start");
                    None
                }
                (Some(s), Some(e)) if e.duration_since(s).as_secs() > MAX_SPAN_DAYS * 86_400 => {
                    errors.insert("ends_at", "span_too_long");
                    None
                }
                (Some(starts_at), Some(ends_at)) => Some(EventTime::Timed { starts_at, ends_at }),
                _ => None,
            }
        };
        let rrule = match self.rrule.clone().flatten().filter(|r| !r.trim().is_empty()) {
            None => None,
            Some(text) => match RRule::parse(text.trim()) {
                Err(e) => {
                    errors.insert("rrule", rule_error_key(&e));
                    None
                }
                Ok(rule) => {
                    if let (Some(when), Ok(tz)) = (&when, time_zone(&zone)) {
                        let checked = match when {
                            EventTime::Timed { starts_at, .. } => {
                                rule.check_timed_start(&starts_at.to_zoned_datetime(tz))
                            }
                            EventTime::AllDay { start_date, .. } => rule.check_all_day_start(*start_date),
                        };
                        if let Err(e) = checked {
                            errors.insert("rrule", rule_error_key(&e));
                        }
                    }
                    Some(rule.to_string())
                }
            },
        };
        match when {
            Some(when) if errors.is_empty() => Ok(ValidEvent {
                title,
                when,
                time_zone: zone,
                location,
                memo,
                rrule,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_date(text: Option<&str>, field: &'static str, errors: &mut FieldErrors) -> Option<Date> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => {
            errors.insert(field, "date_required");
            None
        }
        Some(t) => match crate::dates::parse_date(t) {
            Ok(d) if t.len() == 10 => Some(d),
            Err(true) => {
                errors.insert(field, "date_out_of_range");
                None
            }
            _ => {
                errors.insert(field, "date_invalid");
                None
            }
        },
    }
}

/// RFC 3339 with an explicit offset (`2026-12-24T19:00:00+09:00` or `…Z`).
fn parse_instant(text: Option<&str>, field: &'static str, errors: &mut FieldErrors) -> Option<Timestamp> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => {
            errors.insert(field, "time_required");
            None
        }
        Some(t) => match t.parse::<Timestamp>() {
            Ok(ts) if crate::dates::instant_in_window(ts) => Some(ts),
            Ok(_) => {
                errors.insert(field, "date_out_of_range");
                None
            }
            Err(_) => {
                errors.insert(field, "time_invalid");
                None
            }
        },
    }
}

/// The catalogue key of a refused rule: the cases a person can fix get their own message.
pub fn rule_error_key(e: &RuleError) -> &'static str {
    match e {
        RuleError::StartNotInRule(_) => "rrule_start_mismatch",
        RuleError::UntilBeforeStart => "rrule_until_before_start",
        RuleError::AllDayUntilInstant => "rrule_all_day_until",
        _ => "rrule_invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(start: &str, end: &str) -> EventInput {
        EventInput {
            title: Some("회식".into()),
            starts_at: Some(start.into()),
            ends_at: Some(end.into()),
            ..Default::default()
        }
    }

    #[test]
    fn timed_events_need_ordered_instants_with_offsets() {
        let ok = timed("2026-12-24T19:00:00+09:00", "2026-12-24T21:00:00+09:00")
            .validate("Asia/Seoul")
            .unwrap();
        assert!(matches!(ok.when, EventTime::Timed { .. }));
        let err = timed("2026-12-24T19:00:00+09:00", "2026-12-24T18:00:00+09:00")
            .validate("Asia/Seoul")
            .unwrap_err();
        assert_eq!(err.get("ends_at"), Some(&"end_before_start"));
        let err = timed("2026-12-24 19:00", "2026-12-24T21:00:00+09:00")
            .validate("Asia/Seoul")
            .unwrap_err();
        assert_eq!(err.get("starts_at"), Some(&"time_invalid"));
    }

    #[test]
    fn all_day_dates_are_civil_and_inclusive() {
        let input = EventInput {
            title: Some("크리스마스".into()),
            all_day: Some(true),
            start_date: Some("2026-12-25".into()),
            time_zone: Some("America/Los_Angeles".into()),
            ..Default::default()
        };
        let ok = input.validate("Asia/Seoul").unwrap();
        let d = jiff::civil::date(2026, 12, 25);
        assert_eq!(
            ok.when,
            EventTime::AllDay {
                start_date: d,
                end_date: d
            }
        );
    }

    #[test]
    fn every_problem_is_named() {
        let input = EventInput {
            title: Some(" ".into()),
            time_zone: Some("Mars/Olympus".into()),
            memo: Some("x".repeat(MAX_MEMO + 1)),
            ..Default::default()
        };
        let err = input.validate("Asia/Seoul").unwrap_err();
        assert_eq!(err.get("title"), Some(&"title_required"));
        assert_eq!(err.get("time_zone"), Some(&"unknown_time_zone"));
        assert_eq!(err.get("memo"), Some(&"memo_too_long"));
        assert_eq!(err.get("starts_at"), Some(&"time_required"));
    }

    #[test]
    fn dates_outside_the_window_are_named() {
        let err = timed("9999-12-15T19:00:00Z", "9999-12-15T21:00:00Z")
            .validate("Asia/Seoul")
            .unwrap_err();
        assert_eq!(err.get("starts_at"), Some(&"date_out_of_range"));
        let input = EventInput {
            title: Some("x".into()),
            all_day: Some(true),
            start_date: Some("-009999-01-01".into()),
            ..Default::default()
        };
        let err = input.validate("Asia/Seoul").unwrap_err();
        assert_eq!(err.get("start_date"), Some(&"date_out_of_range"));
    }

    #[test]
    fn an_edit_keeps_what_it_does_not_name() {
        let base = timed("2026-12-24T19:00:00+09:00", "2026-12-24T21:00:00+09:00")
            .validate("Asia/Seoul")
            .unwrap();
        let edit = EventInput {
            title: Some("2차".into()),
            ..Default::default()
        }
        .over(&base);
        let v = edit.validate("Asia/Seoul").unwrap();
        assert_eq!((v.title.as_str(), &v.when), ("2차", &base.when));
    }

    #[test]
    fn rules_are_checked_against_the_start() {
        // 2026-12-24 is a Thursday.
        let mut input = timed("2026-12-24T19:00:00+09:00", "2026-12-24T21:00:00+09:00");
        input.rrule = Some(Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH".into()));
        let ok = input.clone().validate("Asia/Seoul").unwrap();
        assert_eq!(ok.rrule.as_deref(), Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"));
        input.rrule = Some(Some("FREQ=WEEKLY;BYDAY=FR".into()));
        let err = input.clone().validate("Asia/Seoul").unwrap_err();
        assert_eq!(err.get("rrule"), Some(&"rrule_start_mismatch"));
        input.rrule = Some(Some("FREQ=HOURLY".into()));
        let err = input.clone().validate("Asia/Seoul").unwrap_err();
        assert_eq!(err.get("rrule"), Some(&"rrule_invalid"));
        input.rrule = Some(None);
        assert_eq!(input.validate("Asia/Seoul").unwrap().rrule, None);
    }
}
