//! How a Talk Calendar copy follows a recurring series (issue 20): the Kakao calls that bring
//! a member's copy to the series as Gachi has it, occurrences changed or cancelled on their
//! own included. Both the member's own add and the durable worker run these plans.
//!
//! Kakao addresses one instance of a series as `{id}_{yyyyMMddTHHmmssZ}` and changes a series
//! only through an instance, with a `recur_update_type` (`kakao::talk_calendar_recur`). So the
//! copy's stored id is what addresses it now: the bare id of a single event, or the id of the
//! series' first instance, which moves when the series' start moves (the plan says the id to
//! keep afterwards).
//!
//! A sync sends the series with `ALL` (the sandbox, like Kakao's apps, then forgets instance
//! changes where the times or the rule changed), then every exception again with `THIS`: a
//! moved occurrence as an update, a cancelled one as a delete. Each call sets a state rather
//! than adding to one, so a plan repeated after a crash ends in the same place.

use jiff::Timestamp;
use kakao::talk_calendar::{CalendarEvent, EventsQuery, EventsRange, MINUTE_STEP};
use kakao::talk_calendar_recur::{RecurUpdate, instance_id, parse_instance_id};
use kakao::{AccessToken, KakaoClient, KakaoError};
use storage::{EventRow, ExceptionRow};

use crate::events::occurrences::{Original, occurrence_row, series_start};
use crate::events::talk_calendar_kakao::calendar_event;
use crate::state::AppState;

/// One Kakao call of a plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// A single event's update (it may make the copy a series).
    Update { id: String, event: CalendarEvent },
    /// An update through one instance.
    UpdateInstance {
        id: String,
        scope: RecurUpdate,
        event: CalendarEvent,
    },
    /// A single event's deletion.
    Delete { id: String },
    /// A deletion through one instance.
    DeleteInstance { id: String, scope: RecurUpdate },
}

impl Op {
    pub async fn run(&self, kakao: &KakaoClient, token: &AccessToken) -> Result<(), KakaoError> {
        match self {
            Op::Update { id, event } => kakao
                .update_talk_calendar_event(token, id, event)
                .await
                .map(|_| ()),
            Op::UpdateInstance { id, scope, event } => {
                kakao
                    .update_talk_calendar_instance(token, id, *scope, event)
                    .await
            }
            Op::Delete { id } => kakao.delete_talk_calendar_event(token, id).await.map(|_| ()),
            Op::DeleteInstance { id, scope } => kakao.delete_talk_calendar_instance(token, id, *scope).await,
        }
    }
}

/// What bringing a copy up to date takes: `first` sets the series (or the single event), each
/// of `then` one occurrence; `id` is the copy's id afterwards (`id_moved`: not the one stored).
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub first: Op,
    pub then: Vec<Op>,
    pub id: String,
    pub id_moved: bool,
}

/// The copy's id at Kakao without an instance: the id create answered.
pub fn base_id(stored: &str) -> &str {
    parse_instance_id(stored).map_or(stored, |(base, _)| base)
}

/// The start Kakao gives an occurrence: its instant on Kakao's 5-minute grid (the copy's times
/// are floored the same way), or 00:00Z of its day for an all-day series.
pub fn kakao_start(original: Original) -> Option<Timestamp> {
    match original {
        Original::At(t) => {
            let step = MINUTE_STEP * 60;
            let s = t.as_second();
            Timestamp::from_second(s - s.rem_euclid(step)).ok()
        }
        Original::On(d) => d
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp()),
    }
}

/// The id that addresses `row`'s copy made under `base`.
pub fn copy_id(base: &str, row: &EventRow) -> String {
    match row.rrule.as_ref().and(series_start(row)).and_then(kakao_start) {
        Some(first) => instance_id(base, first),
        None => base.to_owned(),
    }
}

/// The occurrences changed or cancelled on their own, as `THIS` calls on the copy `base`.
pub fn occurrence_ops(state: &AppState, base: &str, row: &EventRow, exceptions: &[ExceptionRow]) -> Vec<Op> {
    if row.rrule.is_none() {
        return Vec::new();
    }
    let all_day = row.all_day != 0;
    exceptions
        .iter()
        .filter_map(|x| {
            let original = Original::from_key(&x.original, all_day)?;
            let id = instance_id(base, kakao_start(original)?);
            if x.cancelled != 0 {
                return Some(Op::DeleteInstance {
                    id,
                    scope: RecurUpdate::This,
                });
            }
            let mut event = calendar_event(state, &occurrence_row(row, original, Some(x)))?;
            event.rrule = None;
            Some(Op::UpdateInstance {
                id,
                scope: RecurUpdate::This,
                event,
            })
        })
        .collect()
}

/// Brings the copy stored as `stored` to `row` and its exceptions; `None` when the event does
/// not fit Kakao at all.
pub fn update_plan(
    state: &AppState,
    stored: &str,
    row: &EventRow,
    exceptions: &[ExceptionRow],
) -> Option<Plan> {
    let mut event = calendar_event(state, row)?;
    let base = base_id(stored);
    let first = if stored == base {
        Op::Update {
            id: stored.to_owned(),
            event,
        }
    } else {
        // An empty rule makes the copy a single event again.
        event.rrule = Some(event.rrule.unwrap_or_default());
        Op::UpdateInstance {
            id: stored.to_owned(),
            scope: RecurUpdate::All,
            event,
        }
    };
    let id = copy_id(base, row);
    Some(Plan {
        first,
        then: occurrence_ops(state, base, row, exceptions),
        id_moved: id != stored,
        id,
    })
}

/// Removes the copy stored as `stored`, the whole series when it is one.
pub fn delete_op(stored: &str) -> Op {
    if stored == base_id(stored) {
        Op::Delete {
            id: stored.to_owned(),
        }
    } else {
        Op::DeleteInstance {
            id: stored.to_owned(),
            scope: RecurUpdate::All,
        }
    }
}

/// The copy of `row` that an earlier, interrupted attempt already made in the member's calendar,
/// found by the link back to Gachi its description ends with; its base id.
pub async fn find_copy(
    kakao: &KakaoClient,
    token: &AccessToken,
    event: &CalendarEvent,
) -> Result<Option<String>, KakaoError> {
    let (Some(time), Some(description)) = (&event.time, &event.description) else {
        return Ok(None);
    };
    let Some(link) = description.lines().last().filter(|l| l.contains("/events/")) else {
        return Ok(None);
    };
    let Ok(start) = time.start_at.parse::<Timestamp>() else {
        return Ok(None);
    };
    let Ok(next) = start.checked_add(jiff::SignedDuration::from_secs(60)) else {
        return Ok(None);
    };
    let query = EventsQuery {
        calendar_id: None,
        range: EventsRange::Between(start, next),
        time_zone: None,
        limit: None,
    };
    let listed = kakao.talk_calendar_events(token, &query).await?;
    for candidate in listed
        .events
        .iter()
        .filter(|e| e.time.start_at == time.start_at && Some(&e.title) == event.title.as_ref())
    {
        let detail = kakao.talk_calendar_event(token, &candidate.id).await?;
        if detail.description.as_deref().is_some_and(|d| d.ends_with(link)) {
            return Ok(Some(base_id(&candidate.id).to_owned()));
        }
    }
    Ok(None)
}
