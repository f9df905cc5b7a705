//! Recurring events in the app: a series row and its exceptions become the occurrences the
//! API, the views and the images show (each a row of its own with the series' id and an
//! `occurrence`), and an edit or a deletion of one occurrence takes a scope — this one, this and
//! the following ones (the series ends there and a new one starts), or the whole series.
//!
//! The rules themselves live in `domain::recurrence`; this module only applies them to rows.

use domain::event::time_zone;
use domain::event_input::{EventInput, ValidEvent};
use domain::recurrence::RRule;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;
use storage::{EventRow, ExceptionData, ExceptionRow, Room, User};

use crate::events::occurrences::{Original, expand, find, occurrence_row, rule_of, series_start};
use crate::events::recurrence_carry::carry;
use crate::events::service::{self as events, to_data, valid_from_row};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// `?occurrence=…&scope=this|following|all` on an event's PATCH, DELETE and pages.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Target {
    pub occurrence: Option<String>,
    pub scope: Option<String>,
}

/// Which occurrences an edit or a deletion reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    This,
    Following,
    All,
}

impl Target {
    pub fn scope(&self) -> AppResult<Scope> {
        match self.scope.as_deref().unwrap_or("all") {
            "all" | "" => Ok(Scope::All),
            "this" => Ok(Scope::This),
            "following" => Ok(Scope::Following),
            _ => Err(AppError::validation(
                [("scope", "scope_invalid")].into_iter().collect(),
            )),
        }
    }

    fn occurrence(&self) -> Option<&str> {
        self.occurrence.as_deref().filter(|s| !s.is_empty())
    }
}

/// The occurrence a `?occurrence=` names (422 when it is not one of the series).
pub async fn occurrence(state: &AppState, series: &EventRow, text: &str) -> AppResult<(Original, EventRow)> {
    let bad = || AppError::validation([("occurrence", "occurrence_invalid")].into_iter().collect());
    let original = Original::parse_param(text, series.all_day != 0).ok_or_else(bad)?;
    let exceptions = state.store.event_exceptions(&series.id).await?;
    let row = find(series, &exceptions, original)?.ok_or_else(bad)?;
    Ok((original, row))
}

/// `GET` of one event, or of one occurrence with `?occurrence=`.
pub async fn read(state: &AppState, series: EventRow, target: &Target) -> AppResult<EventRow> {
    match target.occurrence() {
        None => Ok(series),
        Some(text) => Ok(occurrence(state, &series, text).await?.1),
    }
}

/// Checks a whole-series value again (its rule against its start).
fn revalidate(valid: &ValidEvent, room: &Room) -> AppResult<ValidEvent> {
    events::validate(&EventInput::default().over(valid), room)
}

/// Moves a series' start by how far its occurrence `from` moved to `to` (an edit of "all"
/// made on one occurrence keeps the series' own first date).
fn shift(series: &ValidEvent, from: &ValidEvent, to: &ValidEvent) -> AppResult<ValidEvent> {
    use domain::event::EventTime::{AllDay, Timed};
    let when = match (&series.when, &from.when, &to.when) {
        (
            Timed { starts_at, .. },
            Timed { starts_at: a, .. },
            Timed {
                starts_at: b,
                ends_at: e,
            },
        ) => {
            let start = starts_at
                .checked_add(b.duration_since(*a))
                .map_err(AppError::internal)?;
            let end = start
                .checked_add(e.duration_since(*b))
                .map_err(AppError::internal)?;
            Timed {
                starts_at: start,
                ends_at: end,
            }
        }
        (
            AllDay { start_date, .. },
            AllDay { start_date: a, .. },
            AllDay {
                start_date: b,
                end_date: e,
            },
        ) => {
            let start = start_date
                .checked_add(a.until(*b).map_err(AppError::internal)?)
                .map_err(AppError::internal)?;
            let end = start
                .checked_add(b.until(*e).map_err(AppError::internal)?)
                .map_err(AppError::internal)?;
            AllDay {
                start_date: start,
                end_date: end,
            }
        }
        _ => to.when.clone(),
    };
    Ok(ValidEvent { when, ..to.clone() })
}

/// An edit with a scope. Returns the row the caller shows: the changed occurrence (`this`),
/// the new series (`following`) or the series (`all`).
pub async fn update(
    state: &AppState,
    room: &Room,
    user: &User,
    series: &EventRow,
    target: &Target,
    input: EventInput,
) -> AppResult<EventRow> {
    let scope = target.scope()?;
    let base = valid_from_row(series).ok_or_else(|| AppError::internal("stored event does not parse"))?;
    let Some(text) = target.occurrence().filter(|_| series.rrule.is_some()) else {
        let valid = events::validate(&input.over(&base), room)?;
        return whole(state, room, series, &base, valid).await;
    };
    let (original, occ) = occurrence(state, series, text).await?;
    let occ_base = ValidEvent {
        rrule: None,
        ..valid_from_row(&occ).ok_or_else(|| AppError::internal("stored event does not parse"))?
    };
    match scope {
        Scope::This => {
            let input = EventInput {
                rrule: Some(None),
                ..input
            };
            let valid = events::validate(&input.over(&occ_base), room)?;
            if valid.when.is_all_day() != (series.all_day != 0) {
                return Err(AppError::validation(
                    [("all_day", "occurrence_all_day")].into_iter().collect(),
                ));
            }
            let changed = ExceptionData::Changed(Box::new(to_data(&valid)));
            if !state
                .store
                .put_exception(&room.id, &series.id, &original.key(), &changed, state.now_ms())
                .await?
            {
                return Err(AppError::not_found());
            }
            let exceptions = state.store.event_exceptions(&series.id).await?;
            let ex = exceptions.iter().find(|x| x.original == original.key());
            let fresh = state
                .store
                .event(&room.id, &series.id)
                .await?
                .ok_or_else(AppError::not_found)?;
            Ok(occurrence_row(&fresh, original, ex))
        }
        Scope::All => {
            let rule_named = input.rrule.clone();
            let moved = events::validate(
                &EventInput {
                    rrule: Some(None),
                    ..input.clone()
                }
                .over(&occ_base),
                room,
            )?;
            let mut valid = shift(&base, &occ_base, &moved)?;
            valid.rrule = match rule_named {
                Some(r) => r,
                None => base.rrule.clone(),
            };
            let valid = revalidate(&valid, room)?;
            whole(state, room, series, &base, valid).await
        }
        Scope::Following => {
            let rule = rule_of(series).ok_or_else(|| AppError::internal("stored rule does not parse"))?;
            let split = split(series, &rule, original)?;
            if split.old_count == Some(0) {
                let moved = events::validate(&input.over(&occ_base), room)?;
                let valid = revalidate(&shift(&base, &occ_base, &moved)?, room)?;
                return whole(state, room, series, &base, valid).await;
            }
            let named = input.rrule.clone();
            let mut valid = events::validate(
                &EventInput {
                    rrule: Some(None),
                    ..input
                }
                .over(&occ_base),
                room,
            )?;
            valid.rrule = match named {
                Some(r) => r,
                None => Some(split.new.to_string()),
            };
            let valid = revalidate(&valid, room)?;
            let unmoved = valid.when == occ_base.when;
            let exceptions = state.store.event_exceptions(&series.id).await?;
            let later: Vec<String> = exceptions
                .iter()
                .filter(|x| {
                    Original::from_key(&x.original, series.all_day != 0).is_some_and(|o| o >= original)
                })
                .map(|x| x.original.clone())
                .collect();
            let (carry, forget) = if unmoved && valid.rrule.as_deref() == Some(&*split.new.to_string()) {
                (later, Vec::new())
            } else {
                (Vec::new(), later)
            };
            let row = state
                .store
                .split_series(
                    &room.id,
                    &series.id,
                    &split.old.to_string(),
                    &to_data(&valid),
                    &user.id,
                    &carry,
                    &forget,
                    state.now_ms(),
                )
                .await?
                .ok_or_else(AppError::not_found)?;
            crate::events::talk_calendar_worker::wake(state);
            Ok(row)
        }
    }
}

fn split(series: &EventRow, rule: &RRule, original: Original) -> AppResult<domain::recurrence::Split> {
    let bad = |_| AppError::validation([("occurrence", "occurrence_invalid")].into_iter().collect());
    match original {
        Original::On(d) => {
            let Some(Original::On(start)) = series_start(series) else {
                return Err(AppError::validation(
                    [("occurrence", "occurrence_invalid")].into_iter().collect(),
                ));
            };
            rule.split_all_day(start, d).map_err(bad)
        }
        Original::At(t) => {
            let (Some(Original::At(start)), Ok(tz)) = (series_start(series), time_zone(&series.time_zone))
            else {
                return Err(AppError::validation(
                    [("occurrence", "occurrence_invalid")].into_iter().collect(),
                ));
            };
            rule.split_timed(&start.to_zoned_datetime(tz), t).map_err(bad)
        }
    }
}

/// Replaces the whole series. Once its times or rule changed, the old originals may no longer
/// exist: its occurrences changed or cancelled on their own are carried over to the new shape
/// where they still fall on it (`recurrence_carry`), and the others go.
async fn whole(
    state: &AppState,
    room: &Room,
    series: &EventRow,
    base: &ValidEvent,
    valid: ValidEvent,
) -> AppResult<EventRow> {
    let reshaped = valid.when != base.when || valid.rrule != base.rrule;
    let exceptions = if reshaped && series.rrule.is_some() {
        state.store.event_exceptions(&series.id).await?
    } else {
        Vec::new()
    };
    let row = events::update(state, room, &series.id, &valid).await?;
    if exceptions.is_empty() {
        return Ok(row);
    }
    let kept = carry(series, &row, &exceptions);
    state
        .store
        .replace_exceptions(&room.id, &series.id, &kept, state.now_ms())
        .await?;
    state
        .store
        .event(&room.id, &series.id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// A deletion with a scope: `this` cancels the occurrence, `following` ends the series before
/// it (or deletes it all when it is the first), `all` deletes the series.
pub async fn delete(state: &AppState, room: &Room, series: &EventRow, target: &Target) -> AppResult<()> {
    let scope = target.scope()?;
    let Some(text) = target
        .occurrence()
        .filter(|_| series.rrule.is_some() && scope != Scope::All)
    else {
        return events::delete(state, room, &series.id).await;
    };
    let (original, _) = occurrence(state, series, text).await?;
    match scope {
        Scope::This => {
            state
                .store
                .put_exception(
                    &room.id,
                    &series.id,
                    &original.key(),
                    &ExceptionData::Cancelled,
                    state.now_ms(),
                )
                .await?;
            Ok(())
        }
        _ => {
            let rule = rule_of(series).ok_or_else(|| AppError::internal("stored rule does not parse"))?;
            let split = split(series, &rule, original)?;
            if split.old_count == Some(0) {
                return events::delete(state, room, &series.id).await;
            }
            let mut valid =
                valid_from_row(series).ok_or_else(|| AppError::internal("stored event does not parse"))?;
            valid.rrule = Some(split.old.to_string());
            events::update(state, room, &series.id, &valid).await?;
            let later: Vec<String> = state
                .store
                .event_exceptions(&series.id)
                .await?
                .into_iter()
                .filter(|x| {
                    Original::from_key(&x.original, series.all_day != 0).is_some_and(|o| o >= original)
                })
                .map(|x| x.original)
                .collect();
            state
                .store
                .drop_exceptions(&room.id, &series.id, &later, state.now_ms())
                .await?;
            Ok(())
        }
    }
}

/// The rule's label in the page's language ("격주 목요일"), for a series row.
pub fn label(lang: i18n::Lang, row: &EventRow) -> Option<String> {
    let rule = rule_of(row)?;
    let tz = time_zone(&row.time_zone).ok()?;
    let start = match series_start(row)? {
        Original::On(d) => d,
        Original::At(t) => t.to_zoned_datetime(tz.clone()).date(),
    };
    Some(match lang {
        i18n::Lang::Ko => rule.label_ko(start, &tz),
        _ => rule.label_en(start, &tz),
    })
}

/// What a card of a series shows: its next occurrence from `today` on (the one friends will
/// come to), or the series' first when none is left within a year.
pub async fn upcoming(state: &AppState, series: EventRow, today: Date) -> AppResult<EventRow> {
    if series.rrule.is_none() {
        return Ok(series);
    }
    let Ok(until) = today.checked_add(366.days()) else {
        return Ok(series);
    };
    let exceptions = state.store.event_exceptions(&series.id).await?;
    Ok(next_from(&series, &exceptions, today, until)?.unwrap_or(series))
}

/// The first occurrence starting on a day in `[today, until)` (in the series' zone).
fn next_from(
    series: &EventRow,
    exceptions: &[ExceptionRow],
    today: Date,
    until: Date,
) -> AppResult<Option<EventRow>> {
    let tz = time_zone(&series.time_zone).map_err(AppError::internal)?;
    Ok(expand(series, exceptions, today, until)?
        .into_iter()
        .filter_map(|r| {
            let first = events::to_domain(&r)?.when.days_in(&tz).0;
            (first >= today && first < until).then_some((first, r.span_start, r))
        })
        .min_by_key(|(first, at, _)| (*first, *at))
        .map(|(_, _, r)| r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn series() -> EventRow {
        EventRow {
            id: "s".into(),
            room_id: "r".into(),
            title: "스터디".into(),
            all_day: 0,
            starts_at: Some(1_796_292_000_000), // 2026-12-03T19:00:00+09:00, a Thursday
            ends_at: Some(1_796_299_200_000),
            start_date: None,
            end_date: None,
            time_zone: "Asia/Seoul".into(),
            location: String::new(),
            memo: String::new(),
            created_by: "u".into(),
            sequence: 0,
            span_start: 1_796_292_000_000,
            span_end: 1_796_299_200_000,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            rrule: Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH".into()),
            occurrence: None,
        }
    }

    #[test]
    fn a_card_shows_the_next_occurrence_that_is_not_cancelled() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let next = next_from(&series(), &[], d("2026-12-10"), d("2027-12-10"))
            .unwrap()
            .unwrap();
        assert_eq!(next.occurrence.as_deref(), Some("2026-12-17T19:00:00+09:00"));
        let cancelled = ExceptionRow {
            event_id: "s".into(),
            original: Original::At(Timestamp::from_millisecond(next.starts_at.unwrap()).unwrap()).key(),
            cancelled: 1,
            title: None,
            starts_at: None,
            ends_at: None,
            start_date: None,
            end_date: None,
            location: None,
            memo: None,
            updated_at: 0,
        };
        let after = next_from(&series(), &[cancelled], d("2026-12-10"), d("2027-12-10"))
            .unwrap()
            .unwrap();
        assert_eq!(after.occurrence.as_deref(), Some("2026-12-31T19:00:00+09:00"));
    }
}
