//! The Talk Calendar outbox (issue 14): work that brings members' Kakao Talk Calendar copies
//! of a Gachi event up to date, kept in the database so a crash loses none of it.
//!
//! ```text
//! (event edited or deleted, same transaction) --> queued --claim--> claimed --finish--> (row gone)
//!                                                                   claimed --retry---> queued (later)
//!                                                                   claimed --park----> parked (reason)
//!                                                 claimed --lease runs out--> queued
//!                                                 parked  --next edit, or the member's next add--> queued
//! ```
//!
//! One row per copy: an edit rewrites the row (the newest sequence wins, a deletion wins over an
//! update), so several quick edits become one update carrying the latest data; an edit that
//! lands while a worker holds the row raises its sequence, and the holder's finish puts it back
//! in line instead of deleting it. A row is claimed by compare-and-set, so two workers never
//! hold it; every outcome is recorded only by its holder. Updates and deletions of a copy are
//! idempotent at Kakao (an update sets the copy to the event's data, deleting a deleted copy is
//! "not found"), which is why a lapsed claim may simply go back in line. The one job that makes
//! a copy (`create`, for the new series of a "this and following" edit) first looks for the
//! copy an interrupted attempt made, so it is idempotent too.

use crate::{Backend, StorageError, Store, run};

/// What a job does to the member's copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarAction {
    /// Bring the copy to the event's current data.
    Update,
    /// The event is gone: remove the copy.
    Delete,
    /// Make the copy: a "this and following" edit started a new series, and every member who
    /// had a copy of the old one gets one of the new (`talk_calendar_series`). The worker first
    /// looks for a copy an interrupted attempt already made, so a repeat never doubles it.
    Create,
}

impl CalendarAction {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CalendarAction::Update => "update",
            CalendarAction::Delete => "delete",
            CalendarAction::Create => "create",
        }
    }
}

/// A job claimed by a worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarJob {
    pub user_id: String,
    pub event_id: String,
    pub action: CalendarAction,
    /// The event's sequence the copy must reach.
    pub sequence: i64,
    /// Attempts including this one.
    pub attempts: i64,
}

/// How a finished job ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobEnd {
    /// The copy has caught up: the job is gone.
    Done,
    /// An edit came in meanwhile: the job waits again, due at once.
    Again,
    /// No longer ours (the lease lapsed, or the copy was removed): nothing recorded.
    Lost,
}

/// What a queued copy's row becomes when work is queued for it again (see the module docs):
/// a deletion stays a deletion, the highest sequence wins, and a row a worker holds stays the
/// holder's (its finish puts it back in line).
/// `$held_reason` is what a held row's reason becomes.
macro_rules! requeue_copy {
    ($held_reason:literal) => {
        concat!("ON CONFLICT (user_id, event_id) DO UPDATE SET \
         action = CASE WHEN talk_calendar_jobs.action = 'delete' THEN 'delete' ELSE excluded.action END, \
         sequence = CASE WHEN excluded.sequence > talk_calendar_jobs.sequence THEN excluded.sequence ELSE talk_calendar_jobs.sequence END, \
         status = CASE WHEN talk_calendar_jobs.status = 'claimed' THEN 'claimed' ELSE 'queued' END, \
         reason = CASE WHEN talk_calendar_jobs.status = 'claimed' THEN ", $held_reason, " ELSE NULL END, \
         attempts = CASE WHEN talk_calendar_jobs.status = 'claimed' THEN talk_calendar_jobs.attempts ELSE 0 END, \
         next_attempt_at = CASE WHEN talk_calendar_jobs.status = 'claimed' THEN talk_calendar_jobs.next_attempt_at ELSE $4 END, \
         updated_at = $4")
    };
}

/// Queues work for every copy of event `$1` that Kakao knows: action `$2`, sequence `$3`, at
/// `$4`. Run inside the transaction of the event write that causes it.
pub(crate) const QUEUE_COPIES: &str = concat!(
    "INSERT INTO talk_calendar_jobs (user_id, event_id, action, sequence, status, reason, attempts, \
     next_attempt_at, lease_until, lease_owner, created_at, updated_at) \
     SELECT user_id, event_id, $2, $3, 'queued', NULL, 0, $4, NULL, NULL, $4, $4 FROM talk_calendar_events \
     WHERE event_id = $1 AND kakao_event_id IS NOT NULL ",
    requeue_copy!("talk_calendar_jobs.reason")
);

/// The reason that marks a held job whose copy must be sent again once its holder is done:
/// the room's reminder times changed while the holder may already have read the old ones.
pub(crate) const ALARMS_CHANGED: &str = "alarms_changed";

/// The room's reminder times changed (`reminders.rs`): every copy of the room `$1`'s events
/// that can still ring (single events not yet over at `$2`, and every series) is queued as an
/// update at its event's sequence, at `$4`; a row a worker holds gets the reason `$3`
/// ([`ALARMS_CHANGED`]), so its finish puts it back in line. Run with [`FORGET_SYNCED_ALARMS`] in one transaction.
pub(crate) const QUEUE_ROOM_ALARMS: &str = concat!(
    "INSERT INTO talk_calendar_jobs (user_id, event_id, action, sequence, status, reason, attempts, \
     next_attempt_at, lease_until, lease_owner, created_at, updated_at) \
     SELECT t.user_id, t.event_id, 'update', e.sequence, 'queued', NULL, 0, $4, NULL, NULL, $4, $4 \
     FROM talk_calendar_events t JOIN events e ON e.id = t.event_id \
     WHERE e.room_id = $1 AND e.deleted_at IS NULL AND (e.rrule IS NOT NULL OR e.span_end > $2) \
     AND t.kakao_event_id IS NOT NULL ",
    requeue_copy!("$3")
);

/// The copies [`QUEUE_ROOM_ALARMS`] queues no longer count as up to date (their alarms are
/// the old ones), so the worker sends them even though their event's sequence is unchanged.
pub(crate) const FORGET_SYNCED_ALARMS: &str = "UPDATE talk_calendar_events SET synced_sequence = -1 \
     WHERE kakao_event_id IS NOT NULL AND event_id IN (SELECT id FROM events WHERE room_id = $1 \
     AND deleted_at IS NULL AND (rrule IS NOT NULL OR span_end > $2))";

/// Adds waiting on consent for a deleted event `$1` have nothing left to add.
pub(crate) const FORGET_WAITING_ADDS: &str =
    "DELETE FROM talk_calendar_events WHERE event_id = $1 AND kakao_event_id IS NULL";

/// The holder's row: `$1` user, `$2` event, `$3` lease owner.
pub(crate) const HELD: &str = "user_id = $1 AND event_id = $2 AND status = 'claimed' AND lease_owner = $3";

impl Store {
    /// Claims that ran out go back in line (their calls are idempotent; see the module docs).
    pub async fn expire_talk_calendar_leases(&self, now: i64) -> Result<u64, StorageError> {
        let sql = "UPDATE talk_calendar_jobs SET status = 'queued', lease_until = NULL, lease_owner = NULL, updated_at = $1 \
                   WHERE status = 'claimed' AND lease_until < $1";
        Ok(run!(&self.db, pool => sqlx::query(sql).bind(now).execute(pool).await?.rows_affected()))
    }

    /// Claims up to `limit` due jobs for `owner` until `lease_until`, longest waiting first.
    pub async fn claim_talk_calendar_jobs(
        &self,
        now: i64,
        lease_until: i64,
        owner: &str,
        limit: i64,
    ) -> Result<Vec<CalendarJob>, StorageError> {
        // As for shares: PostgreSQL instances skip rows another instance is claiming, and the
        // pick is materialized so a re-run subquery cannot claim more than `limit`.
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "WITH picked AS MATERIALIZED (SELECT user_id, event_id FROM talk_calendar_jobs \
             WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, user_id, event_id LIMIT $4{lock}) \
             UPDATE talk_calendar_jobs SET status = 'claimed', lease_until = $2, lease_owner = $3, attempts = attempts + 1, \
             updated_at = $1 WHERE status = 'queued' AND next_attempt_at <= $1 \
             AND (user_id, event_id) IN (SELECT user_id, event_id FROM picked) \
             RETURNING user_id, event_id, action, sequence, attempts"
        );
        let rows: Vec<(String, String, String, i64, i64)> = run!(&self.db, pool => sqlx::query_as(&sql)
            .bind(now).bind(lease_until).bind(owner).bind(limit)
            .fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(user_id, event_id, action, sequence, attempts)| CalendarJob {
                user_id,
                event_id,
                action: match action.as_str() {
                    "delete" => CalendarAction::Delete,
                    "create" => CalendarAction::Create,
                    _ => CalendarAction::Update,
                },
                sequence,
                attempts,
            })
            .collect())
    }

    /// Renews the holder's lease right before a Kakao call, so a lease covers one call; false
    /// if the job is no longer the holder's (then the call must not be made).
    pub async fn extend_talk_calendar_job(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
        lease_until: i64,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = format!("UPDATE talk_calendar_jobs SET lease_until = $4, updated_at = $5 WHERE {HELD}");
        let n = run!(&self.db, pool => sqlx::query(&sql).bind(user_id).bind(event_id).bind(owner)
            .bind(lease_until).bind(now).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Kakao has the event at `pushed_sequence` (or there was nothing to push): the copy records
    /// it and the job goes, unless an edit raised the job's sequence meanwhile, which puts the
    /// job back in line, due at once.
    pub async fn finish_talk_calendar_job(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
        pushed_sequence: i64,
        now: i64,
    ) -> Result<JobEnd, StorageError> {
        // A held row marked ALARMS_CHANGED goes back in line whatever the sequence, and what
        // it pushed is not recorded as up to date: the alarms it sent may be the old ones.
        // Read as a write (a no-op update) so the row is locked on PostgreSQL and SQLite's
        // transaction holds the write lock from its first statement (a read first could not
        // be upgraded once another connection has written).
        let marked =
            format!("UPDATE talk_calendar_jobs SET updated_at = updated_at WHERE {HELD} RETURNING reason");
        let done = format!("DELETE FROM talk_calendar_jobs WHERE {HELD} AND sequence <= $4");
        let again = format!(
            "UPDATE talk_calendar_jobs SET status = 'queued', reason = NULL, attempts = 0, next_attempt_at = $4, \
             lease_until = NULL, lease_owner = NULL, updated_at = $4 WHERE {HELD}"
        );
        let synced = "UPDATE talk_calendar_events SET synced_sequence = CASE WHEN synced_sequence > $3 THEN synced_sequence ELSE $3 END, \
                      last_error = NULL, updated_at = $4 WHERE user_id = $1 AND event_id = $2";
        Ok(run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let reason: Option<(Option<String>,)> = sqlx::query_as(&marked).bind(user_id).bind(event_id).bind(owner)
                .fetch_optional(&mut *tx).await?;
            let stale = reason.and_then(|r| r.0).as_deref() == Some(ALARMS_CHANGED);
            let end = if !stale && sqlx::query(&done).bind(user_id).bind(event_id).bind(owner).bind(pushed_sequence)
                .execute(&mut *tx).await?.rows_affected() == 1
            {
                JobEnd::Done
            } else if sqlx::query(&again).bind(user_id).bind(event_id).bind(owner).bind(now)
                .execute(&mut *tx).await?.rows_affected() == 1
            {
                JobEnd::Again
            } else {
                JobEnd::Lost
            };
            if end != JobEnd::Lost && !stale {
                sqlx::query(synced).bind(user_id).bind(event_id).bind(pushed_sequence).bind(now)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            end
        }))
    }

    /// A transient failure: back in line at `next_attempt_at`, with the reason kept.
    pub async fn retry_talk_calendar_job(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
        reason: &str,
        next_attempt_at: i64,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = format!(
            "UPDATE talk_calendar_jobs SET status = 'queued', reason = $4, next_attempt_at = $5, lease_until = NULL, \
             lease_owner = NULL, updated_at = $6 WHERE {HELD}"
        );
        let n = run!(&self.db, pool => sqlx::query(&sql).bind(user_id).bind(event_id).bind(owner)
            .bind(reason).bind(next_attempt_at).bind(now).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// A permanent failure: the job waits as `parked` and the copy shows `reason` (a catalogue
    /// key) on the account page, in one transaction.
    pub async fn park_talk_calendar_job(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
        reason: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let park = format!(
            "UPDATE talk_calendar_jobs SET status = 'parked', reason = $4, lease_until = NULL, lease_owner = NULL, \
             updated_at = $5 WHERE {HELD}"
        );
        let show = "UPDATE talk_calendar_events SET last_error = $3, updated_at = $4 WHERE user_id = $1 AND event_id = $2";
        Ok(run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(&park).bind(user_id).bind(event_id).bind(owner).bind(reason).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(show).bind(user_id).bind(event_id).bind(reason).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            n == 1
        }))
    }

    /// The copy no longer exists at Kakao (this job deleted it, or the member did): the copy's
    /// record goes, and its job with it.
    pub async fn drop_talk_calendar_copy(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
    ) -> Result<bool, StorageError> {
        let sql = format!(
            "DELETE FROM talk_calendar_events WHERE user_id = $1 AND event_id = $2 \
             AND EXISTS (SELECT 1 FROM talk_calendar_jobs WHERE {HELD})"
        );
        let n = run!(&self.db, pool => sqlx::query(&sql).bind(user_id).bind(event_id).bind(owner)
            .execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// The holder's job has nothing to do (e.g. the copy was never made): it goes.
    pub async fn forget_talk_calendar_job(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
    ) -> Result<bool, StorageError> {
        let sql = format!("DELETE FROM talk_calendar_jobs WHERE {HELD}");
        let n = run!(&self.db, pool => sqlx::query(&sql).bind(user_id).bind(event_id).bind(owner)
            .execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// The member's Talk Calendar works again (an add just went through): their parked jobs go
    /// back in line.
    pub async fn requeue_parked_talk_calendar_jobs(
        &self,
        user_id: &str,
        now: i64,
    ) -> Result<u64, StorageError> {
        let sql = "UPDATE talk_calendar_jobs SET status = 'queued', reason = NULL, attempts = 0, next_attempt_at = $2, \
                   updated_at = $2 WHERE user_id = $1 AND status = 'parked'";
        Ok(
            run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(now).execute(pool).await?.rows_affected()),
        )
    }
}
