//! Reminder settings and the memo reminders' outbox (issue 19).
//!
//! ```text
//! (due, written once by whichever instance sees it first) --> queued --claim--> claimed --start--> sending --finish--> sent|failed|queued|deferred
//!                                                                     claimed --skip--> skipped (event gone or moved, opted out, answered no)
//!                                                                     claimed --lease runs out--> queued   (no Kakao call was started)
//!                                                                     sending --lease runs out--> unknown  (a call may have delivered)
//! ```
//!
//! As in the share outbox (`outbox.rs`), a row is written with `ON CONFLICT DO NOTHING` on its
//! whole identity, claimed by compare-and-set (PostgreSQL instances skip rows another is
//! claiming) and becomes `sending` only in the transaction that reserves its quota, right before
//! the Kakao call; a lapsed `sending` row may have been delivered, so it becomes `unknown` and is
//! never sent again. That is why a member gets each reminder at most once, across crashes and
//! instances.

use crate::quota_counts::{ENSURE, GIVE_BACK, TAKE};
use crate::talk_calendar_jobs::{ALARMS_CHANGED, FORGET_SYNCED_ALARMS, QUEUE_ROOM_ALARMS};
use crate::{Backend, StorageError, Store, run};

/// Which reminder a row is: the member, the event occurrence, the reminder time and the start
/// it was computed for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct ReminderKey {
    pub user_id: String,
    pub event_id: String,
    /// `''` for a single event, the occurrence key otherwise.
    pub occurrence: String,
    pub before_minutes: i64,
    /// The start snapshot: epoch ms as text, or the all-day date.
    pub starts: String,
}

/// A reminder claimed by a worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderJob {
    pub key: ReminderKey,
    pub room_id: String,
    pub due_at: i64,
    /// Attempts including this one.
    pub attempts: i64,
}

/// A member who turned memo reminders on for a room, and since when.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MemoOptIn {
    pub room_id: String,
    pub user_id: String,
    pub updated_at: i64,
}

/// What a room's memo reminders are computed from, as of one read (see
/// [`Store::reminder_room_marks`]): equal marks mean nothing they depend on changed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReminderRoomMark {
    pub room_id: String,
    pub room_at: i64,
    pub times_at: i64,
    pub memos_at: i64,
    pub memos: i64,
}

/// Whether a claimed reminder may go out now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderStart {
    /// Now `sending` (counted against today's app quota): call Kakao.
    Sending,
    /// Over Gachi's count of the app's daily quota: `deferred` to the next quota day.
    Deferred,
    /// No longer ours: do not send.
    Lost,
}

const KEY: &str =
    "user_id = $1 AND event_id = $2 AND occurrence = $3 AND before_minutes = $4 AND starts = $5";

impl Store {
    /// The room's reminder times as stored (`"1440,60"`) and when they were set, `None` for
    /// the default.
    pub async fn reminder_times(&self, room_id: &str) -> Result<Option<(String, i64)>, StorageError> {
        let sql = "SELECT before_minutes, updated_at FROM room_reminder_times WHERE room_id = $1";
        Ok(run!(&self.db, pool => sqlx::query_as(sql).bind(room_id).fetch_optional(pool).await?))
    }

    /// Sets the room's reminder times. When they differ from what was in force (`default`
    /// without a row), every Talk Calendar copy of the room's events that can still ring (not
    /// over at `now`; every series) is queued for an update in the same transaction, so the
    /// copies get the new alarms through the outbox, whatever happens after the commit (see
    /// `talk_calendar_jobs`). Returns whether copies were queued.
    pub async fn set_reminder_times(
        &self,
        room_id: &str,
        minutes: &str,
        default: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        // Read as a write (a no-op update): it locks the row on PostgreSQL, and SQLite's
        // transaction holds the write lock from its first statement (a read first could not be
        // upgraded once another connection has written).
        let old = "UPDATE room_reminder_times SET updated_at = updated_at WHERE room_id = $1 RETURNING before_minutes";
        let sql = "INSERT INTO room_reminder_times (room_id, before_minutes, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (room_id) DO UPDATE SET before_minutes = excluded.before_minutes, updated_at = excluded.updated_at";
        Ok(run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<(String,)> = sqlx::query_as(old).bind(room_id).fetch_optional(&mut *tx).await?;
            let changed = before.map_or(default.to_owned(), |b| b.0) != minutes;
            sqlx::query(sql).bind(room_id).bind(minutes).bind(now).execute(&mut *tx).await?;
            let mut queued = 0;
            if changed {
                sqlx::query(FORGET_SYNCED_ALARMS).bind(room_id).bind(now).execute(&mut *tx).await?;
                queued = sqlx::query(QUEUE_ROOM_ALARMS).bind(room_id).bind(now).bind(ALARMS_CHANGED).bind(now)
                    .execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            queued > 0
        }))
    }

    /// Whether `user_id` asked for memo reminders in the room.
    pub async fn reminder_memo(&self, room_id: &str, user_id: &str) -> Result<bool, StorageError> {
        let sql = "SELECT memo FROM reminder_memos WHERE room_id = $1 AND user_id = $2";
        let row: Option<(i64,)> = run!(&self.db, pool => sqlx::query_as(sql).bind(room_id).bind(user_id).fetch_optional(pool).await?);
        Ok(row.is_some_and(|r| r.0 != 0))
    }

    /// Turns the member's memo reminders on or off; `updated_at` changes only when the choice
    /// does (so saving "on" again does not hold back reminders already due).
    pub async fn set_reminder_memo(
        &self,
        room_id: &str,
        user_id: &str,
        on: bool,
        now: i64,
    ) -> Result<(), StorageError> {
        let sql = "INSERT INTO reminder_memos (room_id, user_id, memo, updated_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (room_id, user_id) DO UPDATE SET memo = excluded.memo, \
                   updated_at = CASE WHEN reminder_memos.memo = excluded.memo THEN reminder_memos.updated_at ELSE excluded.updated_at END";
        run!(&self.db, pool => sqlx::query(sql).bind(room_id).bind(user_id).bind(i64::from(on)).bind(now)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// One line per room where members (still in it) have memo reminders on: values that change
    /// whenever anything the room's reminders are computed from changes (its events, their
    /// occurrences and its answers raise the room's `updated_at`; the owner's times and the
    /// members' switches have their own), so the worker can skip a room it has already read
    /// until one of them moves or its next reminder comes (`reminders::worker`).
    pub async fn reminder_room_marks(&self) -> Result<Vec<ReminderRoomMark>, StorageError> {
        let sql = "SELECT r.room_id, o.updated_at AS room_at, COALESCE(t.updated_at, 0) AS times_at, \
                   MAX(r.updated_at) AS memos_at, COUNT(*) AS memos FROM reminder_memos r \
                   JOIN room_members m ON m.room_id = r.room_id AND m.user_id = r.user_id \
                   JOIN rooms o ON o.id = r.room_id \
                   LEFT JOIN room_reminder_times t ON t.room_id = r.room_id \
                   WHERE r.memo = 1 GROUP BY r.room_id, o.updated_at, t.updated_at ORDER BY r.room_id";
        Ok(run!(&self.db, pool => sqlx::query_as::<_, ReminderRoomMark>(sql).fetch_all(pool).await?))
    }

    /// Every member (still in the room) who has memo reminders on.
    pub async fn memo_opt_ins(&self) -> Result<Vec<MemoOptIn>, StorageError> {
        let sql = "SELECT r.room_id, r.user_id, r.updated_at FROM reminder_memos r \
                   JOIN room_members m ON m.room_id = r.room_id AND m.user_id = r.user_id \
                   WHERE r.memo = 1 ORDER BY r.room_id, r.user_id";
        Ok(run!(&self.db, pool => sqlx::query_as::<_, MemoOptIn>(sql).fetch_all(pool).await?))
    }

    /// Writes a reminder that fell due, once: true if this call wrote it.
    pub async fn queue_reminder(
        &self,
        key: &ReminderKey,
        room_id: &str,
        due_at: i64,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = "INSERT INTO reminders (user_id, event_id, occurrence, before_minutes, starts, room_id, due_at, status, reason, \
                   attempts, next_attempt_at, lease_until, lease_owner, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', NULL, 0, $8, NULL, NULL, $8, $8) \
                   ON CONFLICT (user_id, event_id, occurrence, before_minutes, starts) DO NOTHING";
        let n = run!(&self.db, pool => sqlx::query(sql)
            .bind(&key.user_id).bind(&key.event_id).bind(&key.occurrence).bind(key.before_minutes).bind(&key.starts)
            .bind(room_id).bind(due_at).bind(now)
            .execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Lapsed leases: a claim (no call started) goes back in line, a lapsed `sending` becomes
    /// `unknown` (its call may have delivered) and is never sent again.
    pub async fn expire_reminder_leases(&self, now: i64) -> Result<u64, StorageError> {
        let requeue = "UPDATE reminders SET status = 'queued', lease_until = NULL, lease_owner = NULL, updated_at = $1 \
                       WHERE status = 'claimed' AND lease_until < $1";
        let unknown = "UPDATE reminders SET status = 'unknown', reason = 'lease_expired', lease_until = NULL, updated_at = $1 \
                       WHERE status = 'sending' AND lease_until < $1";
        Ok(run!(&self.db, pool => {
            sqlx::query(requeue).bind(now).execute(pool).await?.rows_affected()
                + sqlx::query(unknown).bind(now).execute(pool).await?.rows_affected()
        }))
    }

    /// Claims up to `limit` due reminders for `owner` until `lease_until`.
    pub async fn claim_reminders(
        &self,
        now: i64,
        lease_until: i64,
        owner: &str,
        limit: i64,
    ) -> Result<Vec<ReminderJob>, StorageError> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "WITH picked AS MATERIALIZED (SELECT user_id, event_id, occurrence, before_minutes, starts FROM reminders \
             WHERE status IN ('queued', 'deferred') AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, user_id, event_id, occurrence, before_minutes, starts LIMIT $4{lock}) \
             UPDATE reminders SET status = 'claimed', lease_until = $2, lease_owner = $3, attempts = attempts + 1, updated_at = $1 \
             WHERE status IN ('queued', 'deferred') AND next_attempt_at <= $1 \
             AND (user_id, event_id, occurrence, before_minutes, starts) IN (SELECT user_id, event_id, occurrence, before_minutes, starts FROM picked) \
             RETURNING user_id, event_id, occurrence, before_minutes, starts, room_id, due_at, attempts"
        );
        type Row = (String, String, String, i64, String, String, i64, i64);
        let rows: Vec<Row> = run!(&self.db, pool => sqlx::query_as(&sql)
            .bind(now).bind(lease_until).bind(owner).bind(limit).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(
                |(user_id, event_id, occurrence, before_minutes, starts, room_id, due_at, attempts)| {
                    ReminderJob {
                        key: ReminderKey {
                            user_id,
                            event_id,
                            occurrence,
                            before_minutes,
                            starts,
                        },
                        room_id,
                        due_at,
                        attempts,
                    }
                },
            )
            .collect())
    }

    /// Right before the Kakao call, in one transaction: reserves one message against Gachi's
    /// count of the app's daily quota (`app_limit` on KST `day`) and marks the row `sending`, or
    /// defers it to `next_day_at` when the quota is used up.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_reminder(
        &self,
        key: &ReminderKey,
        owner: &str,
        day: &str,
        app_limit: i64,
        next_day_at: i64,
        lease_until: i64,
        now: i64,
    ) -> Result<ReminderStart, StorageError> {
        let sending = format!(
            "UPDATE reminders SET status = 'sending', lease_until = $7, updated_at = $8 WHERE {KEY} AND lease_owner = $6 AND status = 'claimed'"
        );
        let deferred = format!(
            "UPDATE reminders SET status = 'deferred', reason = 'quota_app_day', next_attempt_at = $7, lease_until = NULL, \
             lease_owner = NULL, updated_at = $8 WHERE {KEY} AND lease_owner = $6 AND status = 'claimed'"
        );
        let out = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(ENSURE).bind(day).bind("app").execute(&mut *tx).await?;
            let taken = sqlx::query(TAKE).bind(day).bind("app").bind(app_limit).execute(&mut *tx).await?.rows_affected() == 1;
            let (sql, at) = if taken { (&sending, lease_until) } else { (&deferred, next_day_at) };
            let n = sqlx::query(sql)
                .bind(&key.user_id).bind(&key.event_id).bind(&key.occurrence).bind(key.before_minutes).bind(&key.starts)
                .bind(owner).bind(at).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if taken && n == 0 {
                sqlx::query(GIVE_BACK).bind(day).bind("app").execute(&mut *tx).await?;
            }
            tx.commit().await?;
            match (n, taken) {
                (0, _) => ReminderStart::Lost,
                (_, true) => ReminderStart::Sending,
                (_, false) => ReminderStart::Deferred,
            }
        });
        Ok(out)
    }

    /// Records the outcome of a reminder this worker holds (`claimed` or `sending`, or
    /// `unknown` because its lease lapsed during the call). `give_back` returns the quota
    /// reservation of a message that surely did not go (`day` of the reservation).
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_reminder(
        &self,
        key: &ReminderKey,
        owner: &str,
        status: &str,
        reason: Option<&str>,
        next_attempt_at: i64,
        now: i64,
        give_back: Option<&str>,
    ) -> Result<bool, StorageError> {
        let sql = format!(
            "UPDATE reminders SET status = $7, reason = $8, next_attempt_at = $9, lease_until = NULL, lease_owner = NULL, \
             updated_at = $10 WHERE {KEY} AND lease_owner = $6 \
             AND (status IN ('claimed', 'sending') OR (status = 'unknown' AND reason = 'lease_expired'))"
        );
        let n = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(&sql)
                .bind(&key.user_id).bind(&key.event_id).bind(&key.occurrence).bind(key.before_minutes).bind(&key.starts)
                .bind(owner).bind(status).bind(reason).bind(next_attempt_at).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 && let Some(day) = give_back {
                sqlx::query(GIVE_BACK).bind(day).bind("app").execute(&mut *tx).await?;
            }
            tx.commit().await?;
            n
        });
        Ok(n == 1)
    }
}
