//! The Talk Calendar worker (issue 14): brings members' Kakao Talk Calendar copies of an event
//! up to date from the durable outbox (`storage::talk_calendar_jobs`), so an edit or deletion
//! that a crash interrupts still reaches every copy after a restart, on whichever instance runs
//! first. It runs in the background loop and after every clock move (`background.rs`,
//! `clock`), and is woken by [`wake`] after each event write.
//!
//! Each round settles lapsed leases, then claims due jobs a few at a time and, for each:
//! - update: reads the event as it is now and sends that, so quick edits end as one update with
//!   the latest data; an edit that lands during the call puts the job back in line;
//! - delete: removes the copy at Kakao and forgets it (Kakao's "not found" counts as removed);
//! - a series' copy follows its occurrences too: the series with `ALL`, then each occurrence
//!   changed (`THIS` update) or cancelled (`THIS` delete) on its own (`talk_calendar_series`);
//! - create: the copy of the new series a "this and following" edit started, for a member who
//!   had one of the old; made only after looking for one an interrupted attempt already made;
//! - a copy the member deleted in KakaoTalk is forgotten, never made again: updates and
//!   deletions are idempotent at Kakao and a create looks before it makes, so a call repeated
//!   after a crash cannot double anything;
//! - a passing failure (Kakao unreachable or failing, a lost answer, no fresh token) is retried
//!   after an exponential backoff with jitter, [`MAX_ATTEMPTS`] times in all; a lasting one
//!   (consent gone, no KakaoTalk, no permission) parks the job with the reason, which the
//!   account page shows on the copy.
//!
//! The lease is renewed right before each Kakao call, so it always covers the call in flight
//! (leases are at least twice the Kakao timeout) and a holder whose lease lapsed never calls.

use kakao::{AccessToken, ErrorKind, KakaoError};
use storage::{CalendarAction, CalendarJob, JobEnd, TalkCalendarLink};
use tokio::task::JoinSet;

use crate::events::talk_calendar_kakao::{CallError, PushError, calendar_event, call_with_token};
use crate::events::talk_calendar_series::{Op, copy_id, delete_op, find_copy, occurrence_ops, update_plan};
use crate::state::AppState;
use crate::web::error::AppResult;

/// Passing failures are tried this many times in all, then the job is parked.
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between two attempts.
const MAX_BACKOFF_MS: i64 = 300_000;
/// Batches claimed per [`run_once`], so one round always ends.
const MAX_BATCHES: usize = 1000;

/// Lets the worker loop run now (after an event write queued work).
pub fn wake(state: &AppState) {
    state.outbox_wake.notify_one();
}

/// One round: settle lapsed leases, then apply every due job until none is left. Returns how
/// many jobs were claimed. Tests and clock moves call this to run due work deterministically.
pub async fn run_once(state: &AppState) -> AppResult<usize> {
    let result = round(state).await;
    if !matches!(result, Ok(0)) {
        // What this round wrote is read at once by the next request on this instance (other
        // instances see it within the hot reads' bound: `state::fresh`).
        state.fresh.generation.bump();
    }
    result
}

async fn round(state: &AppState) -> AppResult<usize> {
    let lapsed = state.store.expire_talk_calendar_leases(state.now_ms()).await?;
    if lapsed > 0 {
        tracing::info!(count = lapsed, "Talk Calendar claims lapsed: back in line");
    }
    let batch = i64::try_from(state.config.outbox_concurrency.max(1)).unwrap_or(1);
    let mut handled = 0;
    for _ in 0..MAX_BATCHES {
        // A lease names this instance and this claim, so a round that a clock move runs beside
        // the loop's own can never record an outcome for a claim it did not make.
        let owner = format!("{}/{}", state.instance_id, storage::new_id());
        let now = state.now_ms();
        let jobs = state
            .store
            .claim_talk_calendar_jobs(now, now + state.config.outbox_lease_ms, &owner, batch)
            .await?;
        if jobs.is_empty() {
            break;
        }
        handled += jobs.len();
        let mut running = JoinSet::new();
        for job in jobs {
            let (state, owner) = (state.clone(), owner.clone());
            running.spawn(async move { apply(&state, &Claim { job, owner }).await });
        }
        while let Some(done) = running.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "Talk Calendar job failed; its lease will settle it")
                }
                Err(e) => tracing::warn!(error = %e, "Talk Calendar job ended abnormally"),
            }
        }
    }
    Ok(handled)
}

/// A job and the lease it was claimed under.
struct Claim {
    job: CalendarJob,
    owner: String,
}

/// What became of one job.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Kakao has the event at this sequence (or nothing had to be sent).
    Synced(i64),
    /// The copy no longer exists at Kakao.
    Gone,
    /// Back in line at this instant, with the reason.
    Retry(&'static str, i64),
    /// Parked with this reason (a catalogue key).
    Park(&'static str),
    /// The lease was lost before the call: the new holder does the work.
    Lost,
}

async fn apply(state: &AppState, claim: &Claim) -> AppResult<()> {
    let (job, owner) = (&claim.job, claim.owner.as_str());
    let Some(link) = state
        .store
        .talk_calendar_link(&job.user_id, &job.event_id)
        .await?
    else {
        // The copy was removed meanwhile, and its job with it.
        return Ok(());
    };
    let Some(kakao_id) = link.kakao_event_id.clone() else {
        if job.action == CalendarAction::Create {
            let outcome = create(state, claim, &link).await?;
            return record(state, claim, outcome).await;
        }
        state
            .store
            .forget_talk_calendar_job(&job.user_id, &job.event_id, owner)
            .await?;
        return Ok(());
    };
    let outcome = match job.action {
        // A copy the member's own add already made is brought up to date like any other.
        CalendarAction::Update | CalendarAction::Create => update(state, claim, &link, &kakao_id).await?,
        CalendarAction::Delete => delete(state, claim, &kakao_id).await,
    };
    record(state, claim, outcome).await
}

async fn update(
    state: &AppState,
    claim: &Claim,
    link: &TalkCalendarLink,
    kakao_id: &str,
) -> AppResult<Outcome> {
    let job = &claim.job;
    let Some(row) = state.store.event(&link.room_id, &job.event_id).await? else {
        // Deleted since the claim: the deletion raised this job's sequence, so recording what
        // the copy has puts the job back in line, now as a deletion.
        return Ok(Outcome::Synced(link.synced_sequence));
    };
    if link.synced_sequence >= row.sequence {
        // The member's own add already sent this version.
        return Ok(Outcome::Synced(row.sequence));
    }
    let exceptions = state.store.event_exceptions(&row.id).await?;
    let Some(mut plan) = update_plan(state, kakao_id, &row, &exceptions) else {
        return Ok(Outcome::Park(PushError::Invalid.code()));
    };
    crate::events::talk_calendar_alarms::on_plan(state, &row, &mut plan).await;
    match run_op(state, claim, &plan.first).await {
        Ok(Some(())) => {}
        Ok(None) => return Ok(Outcome::Lost),
        Err(e) if e.push_error() == PushError::Invalid => {
            return Ok(still_there(state, claim, kakao_id).await);
        }
        Err(e) => return Ok(failure(state, job, &e)),
    }
    if plan.id_moved && !readdress(state, claim, &plan.id).await? {
        return Ok(Outcome::Lost);
    }
    Ok(occurrences(state, claim, &plan.then)
        .await
        .unwrap_or(Outcome::Synced(row.sequence)))
}

/// A copy made for an event deleted during the call (its deletion took the waiting link and
/// this job): nothing will ever follow it, so it goes again. While the link is there the job
/// only lapsed, and its next holder finds and keeps the copy.
async fn orphan(state: &AppState, claim: &Claim, id: &str) -> AppResult<()> {
    let job = &claim.job;
    if state
        .store
        .talk_calendar_link(&job.user_id, &job.event_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let op = delete_op(id);
    let removed = call_with_token(state, &job.user_id, |token| {
        let (kakao, op) = (state.kakao.clone(), op.clone());
        async move { op.run(&kakao, &token).await }
    })
    .await;
    if let Err(e) = removed {
        tracing::warn!(error = ?e, "copy of a deleted event not removed from Talk Calendar");
    }
    Ok(())
}

/// Records the copy's new address while the job is still ours.
async fn readdress(state: &AppState, claim: &Claim, id: &str) -> AppResult<bool> {
    let job = &claim.job;
    Ok(state
        .store
        .readdress_talk_calendar_copy(&job.user_id, &job.event_id, &claim.owner, id, state.now_ms())
        .await?)
}

/// Sends each occurrence's own change; `None` when all went through. An occurrence Kakao no
/// longer has (the member removed it there) is left as it is.
async fn occurrences(state: &AppState, claim: &Claim, ops: &[Op]) -> Option<Outcome> {
    for op in ops {
        match run_op(state, claim, op).await {
            Ok(Some(())) => {}
            Ok(None) => return Some(Outcome::Lost),
            Err(e) if e.push_error() == PushError::Invalid => {
                tracing::info!(?op, "Talk Calendar occurrence not there; left as it is")
            }
            Err(e) => return Some(failure(state, &claim.job, &e)),
        }
    }
    None
}

async fn run_op(state: &AppState, claim: &Claim, op: &Op) -> Result<Option<()>, CallError> {
    call(state, claim, |token| {
        let (kakao, op) = (state.kakao.clone(), op.clone());
        async move { op.run(&kakao, &token).await }
    })
    .await
}

/// Makes the copy of a new series (after a "this and following" edit), or adopts the one an
/// interrupted attempt made, then sends its occurrences' own changes.
async fn create(state: &AppState, claim: &Claim, link: &TalkCalendarLink) -> AppResult<Outcome> {
    let job = &claim.job;
    let Some(row) = state.store.event(&link.room_id, &job.event_id).await? else {
        // Deleted meanwhile: its deletion took the waiting copy and this job with it.
        return Ok(Outcome::Lost);
    };
    let Some(event) = calendar_event(state, &row) else {
        return Ok(Outcome::Park(PushError::Invalid.code()));
    };
    let event = crate::events::talk_calendar_alarms::with_alarms(state, &row, event).await;
    let found = call(state, claim, |token| {
        let (kakao, event) = (state.kakao.clone(), event.clone());
        async move { find_copy(&kakao, &token, &event).await }
    })
    .await;
    let base = match found {
        Ok(Some(Some(base))) => base,
        Ok(Some(None)) => {
            let made = call(state, claim, |token| {
                let (kakao, event) = (state.kakao.clone(), event.clone());
                async move { kakao.create_talk_calendar_event(&token, None, &event).await }
            })
            .await;
            match made {
                Ok(Some(base)) => base,
                Ok(None) => return Ok(Outcome::Lost),
                Err(e) => return Ok(failure(state, job, &e)),
            }
        }
        Ok(None) => return Ok(Outcome::Lost),
        Err(e) => return Ok(failure(state, job, &e)),
    };
    // The copy exists now, whatever fails next: its address is kept and the job goes on as an
    // update of it.
    let id = copy_id(&base, &row);
    if !readdress(state, claim, &id).await? {
        orphan(state, claim, &id).await?;
        return Ok(Outcome::Lost);
    }
    let exceptions = state.store.event_exceptions(&row.id).await?;
    let mut ops = occurrence_ops(state, &base, &row, &exceptions);
    crate::events::talk_calendar_alarms::on_ops(state, &row, &mut ops).await;
    Ok(occurrences(state, claim, &ops)
        .await
        .unwrap_or(Outcome::Synced(row.sequence)))
}

/// Kakao answers `-2` both for a copy that is gone and for an event it refuses: asks which.
async fn still_there(state: &AppState, claim: &Claim, kakao_id: &str) -> Outcome {
    let found = call(state, claim, |token| {
        let kakao = state.kakao.clone();
        async move { kakao.talk_calendar_event(&token, kakao_id).await }
    })
    .await;
    match found {
        Ok(Some(_)) => Outcome::Park(PushError::Invalid.code()),
        Ok(None) => Outcome::Lost,
        // The member deleted the copy in KakaoTalk: respected, not made again.
        Err(e) if e.push_error() == PushError::Invalid => Outcome::Gone,
        Err(e) => failure(state, &claim.job, &e),
    }
}

async fn delete(state: &AppState, claim: &Claim, kakao_id: &str) -> Outcome {
    let removed = run_op(state, claim, &delete_op(kakao_id)).await;
    match removed {
        Ok(Some(_)) => Outcome::Gone,
        Ok(None) => Outcome::Lost,
        // Already gone in KakaoTalk is as good as removed.
        Err(e) if e.push_error() == PushError::Invalid => Outcome::Gone,
        Err(e) => failure(state, &claim.job, &e),
    }
}

/// Makes `kakao_call` with the member's token, renewing the job's lease right before each
/// attempt; `Ok(None)` when the job is no longer ours (nothing was called then).
async fn call<T, F, Fut>(state: &AppState, claim: &Claim, kakao_call: F) -> Result<Option<T>, CallError>
where
    F: Fn(AccessToken) -> Fut,
    Fut: std::future::Future<Output = Result<T, KakaoError>>,
{
    let job = &claim.job;
    call_with_token(state, &job.user_id, |token| {
        let attempt = kakao_call(token);
        async move {
            let now = state.now_ms();
            let held = state
                .store
                .extend_talk_calendar_job(
                    &job.user_id,
                    &job.event_id,
                    &claim.owner,
                    now + state.config.outbox_lease_ms,
                    now,
                )
                .await;
            match held {
                Ok(true) => attempt.await.map(Some),
                Ok(false) => Ok(None),
                Err(e) => {
                    // Without proof that the job is still ours, no call: the lease settles it.
                    tracing::warn!(error = %e, "Talk Calendar lease not renewed");
                    Ok(None)
                }
            }
        }
    })
    .await
}

/// A failed call: lasting refusals park the job, everything else is tried again later.
fn failure(state: &AppState, job: &CalendarJob, e: &CallError) -> Outcome {
    let pushed = e.push_error();
    let lasting = match (&pushed, e) {
        (PushError::Unavailable, CallError::Kakao(k)) => k.kind() == ErrorKind::Permanent,
        (PushError::Unavailable, _) => false,
        _ => true,
    };
    if lasting {
        tracing::info!(reason = pushed.code(), error = ?e, "Talk Calendar job parked");
        return Outcome::Park(pushed.code());
    }
    if job.attempts >= MAX_ATTEMPTS {
        tracing::warn!(error = ?e, "Talk Calendar job gave up after {MAX_ATTEMPTS} attempts");
        return Outcome::Park(pushed.code());
    }
    let at = backoff(
        state.now_ms(),
        job.attempts,
        state.config.outbox_retry_base_ms,
        jitter(),
    );
    Outcome::Retry(pushed.code(), at)
}

async fn record(state: &AppState, claim: &Claim, outcome: Outcome) -> AppResult<()> {
    let (store, owner, now) = (&state.store, claim.owner.as_str(), state.now_ms());
    let (user, event) = (claim.job.user_id.as_str(), claim.job.event_id.as_str());
    let held = match outcome {
        Outcome::Synced(sequence) => match store
            .finish_talk_calendar_job(user, event, owner, sequence, now)
            .await?
        {
            JobEnd::Done | JobEnd::Again => true,
            JobEnd::Lost => false,
        },
        Outcome::Gone => store.drop_talk_calendar_copy(user, event, owner).await?,
        Outcome::Retry(reason, at) => {
            store
                .retry_talk_calendar_job(user, event, owner, reason, at, now)
                .await?
        }
        Outcome::Park(reason) => {
            store
                .park_talk_calendar_job(user, event, owner, reason, now)
                .await?
        }
        Outcome::Lost => false,
    };
    if !held {
        tracing::info!(
            event_id = event,
            "Talk Calendar job no longer held; its new holder finishes it"
        );
    }
    Ok(())
}

/// Exponential backoff from now: base, 2×base, 4×base … at most 5 minutes, plus up to half
/// again of random jitter, so copies that failed together do not retry in step.
fn backoff(now: i64, attempts: i64, base_ms: i64, jitter: f64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let delay = base_ms
        .max(1)
        .saturating_mul(2i64.saturating_pow(exp))
        .min(MAX_BACKOFF_MS);
    now + delay + (delay as f64 * 0.5 * jitter.clamp(0.0, 1.0)) as i64
}

/// A uniform draw in [0, 1) for the jitter.
fn jitter() -> f64 {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 4];
    match ring::rand::SystemRandom::new().fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        assert_eq!(backoff(0, 1, 2_000, 0.0), 2_000);
        assert_eq!(backoff(0, 3, 2_000, 0.0), 8_000);
        assert_eq!(backoff(0, 10, 2_000, 0.0), MAX_BACKOFF_MS);
        assert_eq!(backoff(10, 1, 2_000, 0.999_999), 3_009);
        assert!((0.0..1.0).contains(&jitter()));
    }
}
