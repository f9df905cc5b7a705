//! The memo reminders' worker (issue 19). It runs in the share outbox's loop and after every
//! clock move (`sharing::outbox`, `clock`), so reminders follow the app's clock (the sandbox's
//! in tests). Each round:
//! 1. settles lapsed leases (a claim goes back in line, a lapsed call becomes `unknown`);
//! 2. writes the reminders that fell due (`schedule`), reading again only the rooms where
//!    something changed or a reminder's time came (`queue_due`): for each member who turned memos on,
//!    each event or occurrence of the room whose reminder time has come and which has not
//!    begun, unless the member answered 불참, the time came before the member turned memos on,
//!    the owner set the times, or the event was last changed; the row's identity includes the
//!    start, so every instance writes the same row and `ON CONFLICT DO NOTHING` keeps one;
//! 3. claims due rows and, for each, looks again: the event is still there and starts where it
//!    did (moved: skipped, since its new time has a reminder of its own), the member is still in
//!    the room with memos on and not 불참, the event has not begun; then reserves the message
//!    against Gachi's count of the app's daily quota (over it: deferred to the next KST day),
//!    marks it `sending` and calls Kakao's memo API once. Only outcomes where Kakao surely did
//!    not deliver put it back in line; a lost answer leaves it `unknown`, never sent again.

use std::collections::{BTreeMap, HashMap};

use domain::event::time_zone;
use kakao::{ErrorKind, ImageAuth};
use storage::{EventRow, MemoOptIn, ReminderJob, ReminderRoomMark, ReminderStart, Room};

use crate::auth::tokens::{TokenError, access_token};
use crate::events::occurrences::{self, Original};
use crate::events::reminder_times as settings;
use crate::events::rsvp;
use crate::events::service as events;
use crate::reminders::{memo, schedule};
use crate::sharing::picture::{self, Fit, ImageSpec};
use crate::sharing::quota_day::{kst_day, next_kst_day};
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// Transient failures are tried this many times in all, then the reminder fails.
pub const MAX_ATTEMPTS: i64 = 6;
/// Rounds of claims per [`run_once`], so one round always ends.
const MAX_BATCHES: usize = 200;
const BATCH: i64 = 5;

/// One round (see the module docs). Returns how many reminders were claimed.
pub async fn run_once(state: &AppState) -> AppResult<usize> {
    let mut read = state.reminder_round.lock().await;
    let now = state.now_ms();
    state.store.expire_reminder_leases(now).await?;
    queue_due(state, &mut read, now).await?;
    let mut handled = 0;
    for _ in 0..MAX_BATCHES {
        let owner = format!("{}/{}", state.instance_id, storage::new_id());
        let now = state.now_ms();
        let jobs = state
            .store
            .claim_reminders(now, now + state.config.outbox_lease_ms, &owner, BATCH)
            .await?;
        if jobs.is_empty() {
            break;
        }
        handled += jobs.len();
        for job in jobs {
            if let Err(e) = send(state, &job, &owner).await {
                tracing::warn!(error = %e, "reminder failed; its lease will settle it");
            }
        }
    }
    Ok(handled)
}

/// The rooms' schedules as last read by this instance: the room's mark, when it was read, and
/// when it must be read again even if nothing changed (its next reminder's time, or
/// [`RECHECK_MS`] later at the latest). Kept in `AppState::reminder_round`.
pub type ReadRooms = HashMap<String, (ReminderRoomMark, i64, i64)>;

/// The longest a room goes unread while nothing changes: a safety net for a change its mark
/// might not see (a reminder is written on the first round that reads it while it is fresh).
const RECHECK_MS: i64 = 60_000;

/// Writes every reminder that has fallen due (step 2 of the module docs). One query says which
/// rooms changed since this instance last read them (`reminder_room_marks`); only those, and
/// rooms whose next reminder has come, are read again, so a quiet round costs one query
/// instead of four per room. Skipping cannot double anything (rows are written with `ON
/// CONFLICT DO NOTHING`), and a room is read again whenever a reminder may have fallen due.
async fn queue_due(state: &AppState, read: &mut ReadRooms, now: i64) -> AppResult<()> {
    let marks = state.store.reminder_room_marks().await?;
    read.retain(|room, _| marks.iter().any(|m| &m.room_id == room));
    let stale: Vec<&ReminderRoomMark> = marks
        .iter()
        .filter(|m| match read.get(&m.room_id) {
            // A clock moved back (tests) reads everything again too.
            Some((mark, read_at, until)) => mark != *m || now < *read_at || now >= *until,
            None => true,
        })
        .collect();
    if stale.is_empty() {
        return Ok(());
    }
    let mut by_room: BTreeMap<String, Vec<MemoOptIn>> = BTreeMap::new();
    for o in state.store.memo_opt_ins().await? {
        by_room.entry(o.room_id.clone()).or_default().push(o);
    }
    for mark in stale {
        let members = by_room.remove(&mark.room_id).unwrap_or_default();
        let next = queue_room(state, &mark.room_id, &members, now).await?;
        let until = next.map_or(now + RECHECK_MS, |at| at.min(now + RECHECK_MS));
        read.insert(mark.room_id.clone(), (mark.clone(), now, until));
    }
    Ok(())
}

/// Writes the room's reminders that have fallen due for `members`; returns the time of its next
/// reminder still to come, if one is in the window read.
async fn queue_room(
    state: &AppState,
    room_id: &str,
    members: &[MemoOptIn],
    now: i64,
) -> AppResult<Option<i64>> {
    if members.is_empty() {
        return Ok(None);
    }
    let Some(room) = state.store.room(room_id).await? else {
        return Ok(None);
    };
    let (before, set_at) = settings::before_minutes(state, &room).await?;
    let Some(&longest) = before.first() else {
        return Ok(None);
    };
    let Ok(tz) = time_zone(&room.time_zone) else {
        return Ok(None);
    };
    // Events whose reminders may be due now start between yesterday and `longest` ahead (so
    // one starting later has its first reminder more than a day from now).
    let today = events::today(state, &room);
    let (Ok(from), Some(to)) = (
        today.yesterday(),
        schedule::date_of(now + longest * 60_000, &tz)
            .and_then(|d| d.checked_add(jiff::ToSpan::days(2_i64)).ok()),
    ) else {
        return Ok(None);
    };
    let rows = events::events_in(state, &room, from, to).await?;
    let answers = state.store.room_rsvps(&room.id).await?;
    let mut next: Option<i64> = None;
    for row in &rows {
        for due in schedule::reminders_of(row, &before, &tz) {
            if due.due_at > now {
                next = Some(next.map_or(due.due_at, |n| n.min(due.due_at)));
            }
            let fresh = due.due_at <= now && now < due.expires_at;
            if !fresh || due.due_at < set_at || due.due_at < row.updated_at {
                continue;
            }
            let occurrence = rsvp::occurrence_key(row);
            for m in members {
                let said_no = answers.iter().any(|a| {
                    a.event_id == row.id
                        && a.occurrence == occurrence
                        && a.user_id == m.user_id
                        && a.answer == "no"
                });
                if said_no || due.due_at < m.updated_at {
                    continue;
                }
                let key = storage::ReminderKey {
                    user_id: m.user_id.clone(),
                    event_id: row.id.clone(),
                    occurrence: occurrence.clone(),
                    before_minutes: due.before_minutes,
                    starts: due.starts.clone(),
                };
                state
                    .store
                    .queue_reminder(&key, &room.id, due.due_at, now)
                    .await?;
            }
        }
    }
    Ok(next)
}

/// The event (or occurrence) a reminder is for, as it is now; `Err(reason)` when it should no
/// longer be sent.
async fn still_due(
    state: &AppState,
    room: &Room,
    job: &ReminderJob,
) -> AppResult<Result<EventRow, &'static str>> {
    let key = &job.key;
    let Some(series) = state.store.event(&room.id, &key.event_id).await? else {
        return Ok(Err("event_gone"));
    };
    let row = if key.occurrence.is_empty() {
        series
    } else {
        let Some(original) = Original::from_key(&key.occurrence, series.all_day != 0) else {
            return Ok(Err("event_gone"));
        };
        let exceptions = state.store.event_exceptions(&series.id).await?;
        match occurrences::find(&series, &exceptions, original)? {
            Some(row) => row,
            None => return Ok(Err("event_gone")),
        }
    };
    if schedule::starts_of(&row).as_deref() != Some(key.starts.as_str()) {
        // Moved: the new time has a reminder of its own.
        return Ok(Err("moved"));
    }
    let member = state
        .store
        .room_for_member(&room.id, &key.user_id)
        .await?
        .is_some();
    if !member || !state.store.reminder_memo(&room.id, &key.user_id).await? {
        return Ok(Err("opted_out"));
    }
    if state
        .store
        .rsvp_of(&row.id, &key.occurrence, &key.user_id)
        .await?
        .as_deref()
        == Some("no")
    {
        return Ok(Err("answered_no"));
    }
    let tz = time_zone(&room.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let began = schedule::reminders_of(&row, &[key.before_minutes], &tz)
        .first()
        .is_none_or(|d| state.now_ms() >= d.expires_at);
    if began {
        return Ok(Err("too_late"));
    }
    Ok(Ok(row))
}

async fn finish(
    state: &AppState,
    job: &ReminderJob,
    owner: &str,
    status: &str,
    reason: Option<&str>,
    next: i64,
    give_back: Option<&str>,
) -> AppResult<()> {
    let held = state
        .store
        .finish_reminder(&job.key, owner, status, reason, next, state.now_ms(), give_back)
        .await?;
    if !held {
        tracing::info!(event_id = %job.key.event_id, "reminder no longer held; its new holder finishes it");
    }
    Ok(())
}

/// Backoff for a reminder: 30 s, 1, 2, 4 … minutes.
fn retry_at(state: &AppState, attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    state.now_ms()
        + state
            .config
            .outbox_retry_base_ms
            .max(1)
            .saturating_mul(2i64.saturating_pow(exp))
}

async fn send(state: &AppState, job: &ReminderJob, owner: &str) -> AppResult<()> {
    let now = state.now_ms();
    let retry = |attempts: i64| {
        if attempts >= MAX_ATTEMPTS {
            ("failed", Some("gave_up"), now)
        } else {
            ("queued", None, retry_at(state, attempts))
        }
    };
    let Some(room) = state.store.room(&job.room_id).await? else {
        return finish(state, job, owner, "skipped", Some("room_gone"), now, None).await;
    };
    let row = match still_due(state, &room, job).await? {
        Ok(row) => row,
        Err(reason) => return finish(state, job, owner, "skipped", Some(reason), now, None).await,
    };
    let user = &job.key.user_id;
    let token = match access_token(state, user, false).await {
        Ok(t) => t,
        Err(TokenError::NeedsLogin) => {
            return finish(state, job, owner, "failed", Some("needs_consent"), now, None).await;
        }
        Err(_) => {
            let (s, r, at) = retry(job.attempts);
            return finish(state, job, owner, s, r, at, None).await;
        }
    };
    let lang = state
        .store
        .user_lang(user)
        .await?
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_default();
    let today = schedule::date_of(
        now,
        &time_zone(&room.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
    )
    .unwrap_or_else(|| events::today(state, &room));
    let line = memo::line(lang, &row, &room.time_zone, today);
    let url = memo::event_url(&state.public_url, &row);
    // The event's card, uploaded with the member's token; a card that cannot be drawn or
    // uploaded does not hold the reminder back.
    let spec = ImageSpec {
        layout: domain::share::Layout::Card,
        event_id: Some(row.id.clone()),
        date: None,
    };
    let image = match picture::png(state, &room, &spec, lang, Fit::Bubble).await {
        Ok(png) => state
            .kakao
            .upload_image(ImageAuth::Bearer(&token), "gachi.png", "image/png", png.to_vec())
            .await
            .ok(),
        Err(_) => None,
    };
    let image = image.as_ref().map(|i| (i.url.as_str(), i.width, i.height));
    let template = memo::template(lang, &line, &room.name, &url, image);

    let day = kst_day(now);
    let started = state
        .store
        .start_reminder(
            &job.key,
            owner,
            &day,
            state.config.quota_limits().app_day,
            next_kst_day(now),
            now + state.config.outbox_lease_ms,
            now,
        )
        .await?;
    match started {
        ReminderStart::Sending => {}
        ReminderStart::Deferred => {
            tracing::info!(event_id = %row.id, "reminder deferred by Gachi's quota count");
            return Ok(());
        }
        ReminderStart::Lost => return Ok(()),
    }
    let result = state.kakao.send_memo(&token, &template).await;
    let now = state.now_ms();
    let (status, reason, next, give_back): (&str, Option<String>, i64, bool) = match &result {
        Ok(()) => ("sent", None, now, false),
        Err(e) => match e.kind() {
            ErrorKind::Transient | ErrorKind::TokenExpired => {
                if e.kind() == ErrorKind::TokenExpired {
                    let _ = access_token(state, user, true).await;
                }
                let (s, r, at) = retry(job.attempts);
                (s, r.map(str::to_owned), at, true)
            }
            ErrorKind::Quota => ("deferred", Some(reason_of(e)), next_kst_day(now), true),
            ErrorKind::NeedsConsent(_) | ErrorKind::NeedsLogin => {
                ("failed", Some("needs_consent".into()), now, true)
            }
            ErrorKind::Unknown => ("unknown", Some("answer_lost".into()), now, false),
            ErrorKind::Permanent => ("failed", Some(reason_of(e)), now, true),
        },
    };
    let day_back = give_back.then_some(day.as_str());
    finish(state, job, owner, status, reason.as_deref(), next, day_back).await
}

fn reason_of(e: &kakao::KakaoError) -> String {
    match e.api_code() {
        Some(code) => format!("kakao_{code}"),
        None => "kakao_error".into(),
    }
}
