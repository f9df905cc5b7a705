//! A series row and its exceptions become the occurrences the API, the views and the images
//! show, each a row of its own with the series' id and its original start. Pure over rows: the
//! scoped edits (`recurrence`) and the range query (`service::events_in`) both build on it.

use domain::event::time_zone;
use domain::recurrence::RRule;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use storage::{EventRow, ExceptionRow};

use crate::events::rows::{rfc3339_in, to_data, valid_from_row};
use crate::web::error::{AppError, AppResult};

/// An occurrence's original start: an instant for timed series, a date for all-day ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Original {
    At(Timestamp),
    On(Date),
}

impl Original {
    /// The exception table's key: epoch milliseconds, or the date.
    pub fn key(&self) -> String {
        match self {
            Self::At(t) => t.as_millisecond().to_string(),
            Self::On(d) => d.to_string(),
        }
    }

    pub(crate) fn from_key(key: &str, all_day: bool) -> Option<Self> {
        if all_day {
            key.parse().ok().map(Self::On)
        } else {
            key.parse::<i64>()
                .ok()
                .and_then(|ms| Timestamp::from_millisecond(ms).ok())
                .map(Self::At)
        }
    }

    /// What the API writes: RFC 3339 in the event's zone, or the date.
    pub fn wire(&self, zone: &str) -> String {
        match self {
            Self::At(t) => rfc3339_in(t.as_millisecond(), zone),
            Self::On(d) => d.to_string(),
        }
    }

    /// What the API accepts: any RFC 3339 spelling of the instant, or the date.
    pub(crate) fn parse_param(text: &str, all_day: bool) -> Option<Self> {
        if all_day {
            text.parse().ok().map(Self::On)
        } else {
            text.parse::<Timestamp>().ok().map(Self::At)
        }
    }
}

pub(crate) fn rule_of(row: &EventRow) -> Option<RRule> {
    row.rrule.as_deref().and_then(|r| RRule::parse(r).ok())
}

pub(crate) fn series_start(row: &EventRow) -> Option<Original> {
    if row.all_day != 0 {
        row.start_date.as_deref()?.parse().ok().map(Original::On)
    } else {
        Timestamp::from_millisecond(row.starts_at?).ok().map(Original::At)
    }
}

pub(crate) fn all_day_length(row: &EventRow) -> Option<i32> {
    let s: Date = row.start_date.as_deref()?.parse().ok()?;
    let e: Date = row.end_date.as_deref()?.parse().ok()?;
    Some(s.until(e).ok()?.get_days() + 1)
}

/// The row standing for one occurrence: the series' fields, the rule's times (or the
/// exception's values), and the occurrence's original start.
pub(crate) fn occurrence_row(series: &EventRow, original: Original, ex: Option<&ExceptionRow>) -> EventRow {
    let mut row = series.clone();
    match original {
        Original::At(t) => {
            let ms = t.as_millisecond();
            let length = series.ends_at.unwrap_or(0) - series.starts_at.unwrap_or(0);
            row.starts_at = Some(ms);
            row.ends_at = Some(ms + length);
            row.span_start = ms;
            row.span_end = ms + length;
        }
        Original::On(d) => {
            let days = all_day_length(series).unwrap_or(1);
            let end = d.checked_add(i64::from(days - 1).days()).unwrap_or(d);
            row.start_date = Some(d.to_string());
            row.end_date = Some(end.to_string());
        }
    }
    if let Some(x) = ex.filter(|x| x.cancelled == 0) {
        row.title = x.title.clone().unwrap_or(row.title);
        row.location = x.location.clone().unwrap_or(row.location);
        row.memo = x.memo.clone().unwrap_or(row.memo);
        if row.all_day != 0 {
            row.start_date = x.start_date.clone().or(row.start_date);
            row.end_date = x.end_date.clone().or(row.end_date);
        } else {
            row.starts_at = x.starts_at.or(row.starts_at);
            row.ends_at = x.ends_at.or(row.ends_at);
            row.span_start = row.starts_at.unwrap_or(row.span_start);
            row.span_end = row.ends_at.unwrap_or(row.span_end);
        }
    }
    if row.all_day != 0 {
        let span = to_data_span(&row);
        row.span_start = span.0;
        row.span_end = span.1;
    }
    row.occurrence = Some(original.wire(&series.time_zone));
    row
}

pub(crate) fn to_data_span(row: &EventRow) -> (i64, i64) {
    valid_from_row(row)
        .map(|v| {
            let d = to_data(&v);
            (d.span_start, d.span_end)
        })
        .unwrap_or((row.span_start, row.span_end))
}

/// The originals the rule produces within `[from_ms, to_ms)` (timed) or the dates
/// `[from, to)` (all-day), widened by a day on each side so every zone's view is covered.
pub(crate) fn originals(series: &EventRow, rule: &RRule, from: Date, to: Date) -> AppResult<Vec<Original>> {
    let tz = time_zone(&series.time_zone).map_err(AppError::internal)?;
    let from = from.checked_sub(1.day()).map_err(AppError::internal)?;
    let to = to.checked_add(1.day()).map_err(AppError::internal)?;
    if series.all_day != 0 {
        let Some(Original::On(start)) = series_start(series) else {
            return Ok(Vec::new());
        };
        let days = all_day_length(series).unwrap_or(1);
        Ok(rule
            .expand_all_day(start, days, from, to)
            .map_err(AppError::internal)?
            .into_iter()
            .map(|o| Original::On(o.original))
            .collect())
    } else {
        let (Some(Original::At(start)), Some(end)) = (series_start(series), series.ends_at) else {
            return Ok(Vec::new());
        };
        let duration = SignedDuration::from_millis(end - start.as_millisecond());
        let at = |d: Date| {
            d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(AppError::internal)
        };
        let (from_ts, to_ts) = (
            at(from)?
                .checked_sub(SignedDuration::from_hours(14))
                .map_err(AppError::internal)?,
            at(to)?
                .checked_add(SignedDuration::from_hours(14))
                .map_err(AppError::internal)?,
        );
        Ok(rule
            .expand_timed(&start.to_zoned_datetime(tz), duration, from_ts, to_ts)
            .map_err(AppError::internal)?
            .into_iter()
            .map(|o| Original::At(o.original.timestamp()))
            .collect())
    }
}

/// Every occurrence of `series` near the civil dates `[from, to)` (the caller filters exactly),
/// cancelled ones left out and changed ones as changed, moved ones found wherever they went.
pub fn expand(
    series: &EventRow,
    exceptions: &[ExceptionRow],
    from: Date,
    to: Date,
) -> AppResult<Vec<EventRow>> {
    let Some(rule) = rule_of(series) else {
        return Ok(vec![series.clone()]);
    };
    let all_day = series.all_day != 0;
    let mine: Vec<(Original, &ExceptionRow)> = exceptions
        .iter()
        .filter(|x| x.event_id == series.id)
        .filter_map(|x| Original::from_key(&x.original, all_day).map(|o| (o, x)))
        .collect();
    let mut out: Vec<EventRow> = originals(series, &rule, from, to)?
        .into_iter()
        .filter(|o| !mine.iter().any(|(x, _)| x == o))
        .map(|o| occurrence_row(series, o, None))
        .collect();
    out.extend(
        mine.iter()
            .filter(|(_, x)| x.cancelled == 0)
            .map(|(o, x)| occurrence_row(series, *o, Some(x))),
    );
    Ok(out)
}

/// The occurrence `original` of `series` if the rule produces it, with its exception applied.
/// `None` when the rule does not produce it or it was cancelled.
pub(crate) fn find(
    series: &EventRow,
    exceptions: &[ExceptionRow],
    original: Original,
) -> AppResult<Option<EventRow>> {
    let Some(rule) = rule_of(series) else {
        return Ok(None);
    };
    let day = match original {
        Original::On(d) => d,
        Original::At(t) => {
            let tz = time_zone(&series.time_zone).map_err(AppError::internal)?;
            t.to_zoned_datetime(tz).date()
        }
    };
    let produced =
        originals(series, &rule, day, day.tomorrow().map_err(AppError::internal)?)?.contains(&original);
    if !produced {
        return Ok(None);
    }
    let ex = exceptions
        .iter()
        .find(|x| Original::from_key(&x.original, series.all_day != 0) == Some(original));
    if ex.is_some_and(|x| x.cancelled != 0) {
        return Ok(None);
    }
    Ok(Some(occurrence_row(series, original, ex)))
}
