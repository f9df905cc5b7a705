//! Talk Calendar copies of recurring series (issue 20). A copy of a series is addressed at
//! Kakao by the id of its first instance (`{id}_{yyyyMMddTHHmmssZ}`, see
//! `kakao::talk_calendar_recur`), which moves when the series' start moves, so a job can end
//! with a new id for the copy. A "this and following" edit starts a new series: every member
//! who had a copy of the old one is given a copy of the new, first as a waiting link (no Kakao
//! id yet) with a `create` job, in the same transaction as the split.

use crate::talk_calendar_jobs::HELD;
use crate::{StorageError, Store, run};

/// Links for new series `$2` of every member with a Kakao copy of series `$1`, at `$3`.
pub(crate) const COPY_LINKS: &str = "INSERT INTO talk_calendar_events (user_id, event_id, room_id, kakao_event_id, synced_sequence, \
     last_error, created_at, updated_at) \
     SELECT user_id, $2, room_id, NULL, -1, NULL, $3, $3 FROM talk_calendar_events \
     WHERE event_id = $1 AND kakao_event_id IS NOT NULL \
     ON CONFLICT (user_id, event_id) DO NOTHING";

/// A `create` job for every waiting link of new series `$1`, due at `$2`.
pub(crate) const QUEUE_CREATES: &str = "INSERT INTO talk_calendar_jobs (user_id, event_id, action, sequence, status, reason, attempts, \
     next_attempt_at, lease_until, lease_owner, created_at, updated_at) \
     SELECT user_id, event_id, 'create', 0, 'queued', NULL, 0, $2, NULL, NULL, $2, $2 FROM talk_calendar_events \
     WHERE event_id = $1 AND kakao_event_id IS NULL \
     ON CONFLICT (user_id, event_id) DO NOTHING";

impl Store {
    /// The holder's copy is now addressed at Kakao by `kakao_event_id` (a copy just made, or
    /// a series whose first instance moved); recorded at once, so a later failure of the same
    /// job cannot lose the copy's address. A `create` job becomes an `update`, raised to the
    /// event's sequence: edits made while the copy was being made queued nothing (the copy had
    /// no id yet), so the job's finish puts it back in line for them. `false` when the job is no
    /// longer the holder's.
    pub async fn readdress_talk_calendar_copy(
        &self,
        user_id: &str,
        event_id: &str,
        owner: &str,
        kakao_event_id: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let made = format!(
            "UPDATE talk_calendar_jobs SET action = 'update', \
             sequence = COALESCE((SELECT e.sequence FROM events e WHERE e.id = $2 AND e.deleted_at IS NULL), sequence) \
             WHERE {HELD} AND action = 'create'"
        );
        let id = format!(
            "UPDATE talk_calendar_events SET kakao_event_id = $4, updated_at = $5 WHERE user_id = $1 AND event_id = $2 \
             AND EXISTS (SELECT 1 FROM talk_calendar_jobs WHERE {HELD})"
        );
        Ok(run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(&made).bind(user_id).bind(event_id).bind(owner).execute(&mut *tx).await?;
            let n = sqlx::query(&id).bind(user_id).bind(event_id).bind(owner).bind(kakao_event_id).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            n == 1
        }))
    }
}
