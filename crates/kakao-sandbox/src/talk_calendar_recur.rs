//! Recurring Talk Calendar events (§13, §14.12): a series is one stored event with an `rrule`;
//! its instances are what the events list shows, each addressed by an instance id
//! `{event_id}_{yyyyMMddTHHmmssZ}` (its original UTC start), and update and delete take a
//! `recur_update_type` there: `THIS`, `THIS_AND_FOLLOWING` or `ALL`.
//!
//! From third-party reports against kapi (doraemin.tistory.com/22, /23, /24; see
//! `kakao::talk_calendar_recur`): instance ids in the list, the id create answered refused for
//! update and delete of a series (here also for reading it: `-2` "event not found"),
//! `recur_update_type` required there, and an empty answer to a recurring change.
//!
//! Where those reports are silent the sandbox decides, and docs/sandbox-uncertainties.md lists it:
//! - an instance keeps its id when `THIS` moves it (the id names the original start, as a
//!   RECURRENCE-ID does); `THIS` takes no `rrule` (`-2`);
//! - `ALL` addressed from any instance sets the series itself: a `time` given is the time of the
//!   series' first instance. When it changes the time or the rule, the per-instance changes and
//!   cancellations go (their original starts may no longer exist); otherwise they stay. An empty
//!   `rrule` makes the series a single event again (under the id create answered);
//! - `THIS_AND_FOLLOWING` ends the series just before the instance (an `UNTIL` one second
//!   earlier, or the whole series when it is the first) and starts a new series there with a
//!   new id, the change applied and the rest of the rule (what remains of a `COUNT`); changes
//!   of the later instances are not carried over;
//! - an instance id whose start is not one of the rule's is "event not found"; `THIS` on a
//!   cancelled instance too, while `ALL` and `THIS_AND_FOLLOWING` accept it (the series is
//!   still there);
//! - rules are read with the app's own parser (`domain::recurrence`, the RFC 5545 subset Gachi
//!   writes); others are refused with `-2`. Timed series repeat in their `time_zone`, all-day
//!   ones by UTC dates (their times are 00:00Z).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::recurrence::RRule;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use kakao::talk_calendar::{CalendarEvent, utc_z};
use kakao::talk_calendar_recur::{RecurUpdate, instance_id};
use serde::Serialize;

use crate::http::kapi;
use crate::talk_calendar::{StoredEvent, apply};

/// One instance of a series changed on its own (key: the `yyyyMMddTHHmmssZ` of its original
/// start, so the map runs in time order).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Instance {
    Cancelled,
    Changed(Box<StoredEvent>),
}

fn bad(msg: impl Into<String>) -> Response {
    kapi(400, -2, msg)
}

fn not_found(id: &str) -> Response {
    bad(format!("event not found: {id}"))
}

/// A recurring change went through: Kakao shows no body then.
fn done() -> Response {
    StatusCode::OK.into_response()
}

/// The `yyyyMMddTHHmmssZ` key of an original start.
pub fn key(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The series' rule, if it repeats and the rule reads.
pub fn rule(e: &StoredEvent) -> Option<RRule> {
    e.rrule.as_deref().and_then(|r| RRule::parse(r).ok())
}

fn zone(e: &StoredEvent) -> TimeZone {
    if e.time.all_day {
        return TimeZone::UTC;
    }
    e.time
        .time_zone
        .as_deref()
        .and_then(|z| TimeZone::get(z).ok())
        .unwrap_or(TimeZone::UTC)
}

/// The original starts of a series' instances overlapping `[from, to)`.
fn originals(e: &StoredEvent, rule: &RRule, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
    let start = e.start.to_zoned_datetime(zone(e));
    let length = e.end.duration_since(e.start);
    rule.expand_timed(&start, length, from, to)
        .map(|all| all.into_iter().map(|o| o.original.timestamp()).collect())
        .unwrap_or_default()
}

fn is_original(e: &StoredEvent, rule: &RRule, at: Timestamp) -> bool {
    let next = at.checked_add(SignedDuration::from_secs(1)).unwrap_or(at);
    originals(e, rule, at, next).contains(&at)
}

/// The instance as the rule makes it, before any change of its own.
fn generated(e: &StoredEvent, at: Timestamp) -> StoredEvent {
    let length = e.end.duration_since(e.start);
    let end = at.checked_add(length).unwrap_or(at);
    let mut one = e.clone();
    one.id = instance_id(&e.id, at);
    one.time.start_at = utc_z(at);
    one.time.end_at = utc_z(end);
    one.start = at;
    one.end = end;
    one.instances.clear();
    one
}

/// The instance starting originally at `at`, as it is now (`None`: cancelled).
fn instance(e: &StoredEvent, at: Timestamp) -> Option<StoredEvent> {
    match e.instances.get(&key(at)) {
        Some(Instance::Cancelled) => None,
        Some(Instance::Changed(one)) => Some((**one).clone()),
        None => Some(generated(e, at)),
    }
}

/// Everything of `e` the events list shows for `[from, to)`: the event itself, or the
/// instances of a series (moved ones where they are now, cancelled ones not at all).
pub fn listed(e: &StoredEvent, from: Timestamp, to: Timestamp) -> Vec<StoredEvent> {
    let Some(rule) = rule(e) else {
        return if e.start < to && e.end > from {
            vec![e.clone()]
        } else {
            Vec::new()
        };
    };
    let mut out: Vec<StoredEvent> = originals(e, &rule, from, to)
        .into_iter()
        .filter(|at| !e.instances.contains_key(&key(*at)))
        .map(|at| generated(e, at))
        .collect();
    out.extend(e.instances.values().filter_map(|i| match i {
        Instance::Changed(one) if one.start < to && one.end > from => Some((**one).clone()),
        _ => None,
    }));
    out
}

/// `GET /v2/api/calendar/event` of a series: only through one of its instances.
pub fn read(
    events: &BTreeMap<String, StoredEvent>,
    id: &str,
    series: &str,
    at: Timestamp,
) -> Option<StoredEvent> {
    let e = events.get(series)?;
    let rule = rule(e)?;
    if !is_original(e, &rule, at) {
        return None;
    }
    instance(e, at).filter(|one| one.id == id)
}

fn scope(kind: Option<&String>) -> Result<RecurUpdate, Response> {
    match kind {
        None => Err(bad("The Parameter [recur_update_type] cannot be null.")),
        Some(k) => RecurUpdate::parse(k)
            .ok_or_else(|| bad("recur_update_type must be THIS, THIS_AND_FOLLOWING or ALL")),
    }
}

/// The series addressed by an instance id, with its rule, when the instance is one of it.
fn series_of<'a>(
    events: &'a mut BTreeMap<String, StoredEvent>,
    series: &str,
    at: Timestamp,
) -> Option<(&'a mut StoredEvent, RRule)> {
    let e = events.get_mut(series)?;
    let rule = rule(e)?;
    is_original(e, &rule, at).then_some((e, rule))
}

/// The series' rule ending before the instance at `at`; `None` when `at` is its first.
fn ended_before(e: &StoredEvent, rule: &RRule, at: Timestamp) -> Result<Option<(RRule, RRule)>, Response> {
    let split = rule
        .split_timed(&e.start.to_zoned_datetime(zone(e)), at)
        .map_err(|err| bad(format!("the instance does not split the series: {err}")))?;
    Ok((split.old_count != Some(0)).then_some((split.old, split.new)))
}

/// `POST /v2/api/calendar/update/event/host` with an instance id. `new_id` names a series a
/// `THIS_AND_FOLLOWING` change starts. Nothing changes unless the result is valid.
#[allow(clippy::too_many_arguments)]
pub fn update(
    events: &mut BTreeMap<String, StoredEvent>,
    new_id: impl FnOnce() -> String,
    id: &str,
    series: &str,
    at: Timestamp,
    kind: Option<&String>,
    change: CalendarEvent,
    now: Timestamp,
) -> Response {
    let scope = match scope(kind) {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let Some((e, rule)) = series_of(events, series, at) else {
        return not_found(id);
    };
    match scope {
        RecurUpdate::This => {
            if change.rrule.as_deref().is_some_and(|r| !r.is_empty()) {
                return bad("THIS changes one instance and takes no rrule");
            }
            let Some(mut one) = instance(e, at) else {
                return not_found(id);
            };
            if let Err(resp) = apply(&mut one, change, now) {
                return resp;
            }
            one.rrule = None;
            e.instances.insert(key(at), Instance::Changed(Box::new(one)));
            e.updated_at = now;
            done()
        }
        RecurUpdate::All => whole(e, change, now),
        RecurUpdate::ThisAndFollowing => {
            let (old, rest) = match ended_before(e, &rule, at) {
                Ok(Some(rules)) => rules,
                Ok(None) => return whole(e, change, now),
                Err(resp) => return resp,
            };
            let mut next = generated(e, at);
            next.id = new_id();
            next.rrule = Some(rest.to_string());
            next.created_at = now;
            if let Err(resp) = apply(&mut next, change, now) {
                return resp;
            }
            if rule_unreadable(&next) {
                return bad("event.rrule must be an RFC 5545 RRULE");
            }
            let cut = key(at);
            e.rrule = Some(old.to_string());
            e.instances.retain(|k, _| *k < cut);
            e.updated_at = now;
            let next_id = next.id.clone();
            events.insert(next_id, next);
            done()
        }
    }
}

fn rule_unreadable(e: &StoredEvent) -> bool {
    e.rrule.as_deref().is_some_and(|r| RRule::parse(r).is_err())
}

/// `ALL`: the change applies to the series itself (see the module docs).
fn whole(e: &mut StoredEvent, change: CalendarEvent, now: Timestamp) -> Response {
    let mut next = e.clone();
    if let Err(resp) = apply(&mut next, change, now) {
        return resp;
    }
    if rule_unreadable(&next) {
        return bad("event.rrule must be an RFC 5545 RRULE");
    }
    if next.start != e.start || next.end != e.end || next.rrule != e.rrule {
        next.instances.clear();
    }
    *e = next;
    done()
}

/// `DELETE /v2/api/calendar/delete/event` with an instance id.
pub fn delete(
    events: &mut BTreeMap<String, StoredEvent>,
    id: &str,
    series: &str,
    at: Timestamp,
    kind: Option<&String>,
    now: Timestamp,
) -> Response {
    let scope = match scope(kind) {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let Some((e, rule)) = series_of(events, series, at) else {
        return not_found(id);
    };
    match scope {
        RecurUpdate::This => {
            if instance(e, at).is_none() {
                return not_found(id);
            }
            e.instances.insert(key(at), Instance::Cancelled);
            e.updated_at = now;
        }
        RecurUpdate::ThisAndFollowing => match ended_before(e, &rule, at) {
            Ok(Some((old, _))) => {
                let cut = key(at);
                e.rrule = Some(old.to_string());
                e.instances.retain(|k, _| *k < cut);
                e.updated_at = now;
            }
            Ok(None) => {
                events.remove(series);
            }
            Err(resp) => return resp,
        },
        RecurUpdate::All => {
            events.remove(series);
        }
    }
    done()
}
