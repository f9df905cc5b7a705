//! The share outbox: claiming receivers with a lease, and the only transitions a receiver may
//! take (issue 8).
//!
//! ```text
//! queued|deferred --claim--> claimed --start--> sending --finish--> sent|failed|unknown|queued|deferred|needs_consent
//!                            claimed --lease runs out--> queued   (no Kakao call was started)
//!                            sending --lease runs out--> unknown  (a call may have delivered)
//! ```
//!
//! A row is claimed by a compare-and-set update, so two workers never hold the same row. It
//! becomes `sending` only in the transaction that reserves its quota, right before the Kakao
//! call, again by compare-and-set on (status, lease owner): a claim that was cancelled or whose
//! lease ran out meanwhile is simply not sent. Because no call starts for a `claimed` row, a lapsed
//! claim may safely go back to `queued`; a lapsed `sending` row may have been delivered, so it
//! becomes `unknown` and only the owner's explicit resend can queue it again. That is why no
//! (share, receiver) is ever sent twice, also across a crash and with several instances.

use domain::share::RecipientStatus;

use crate::quota_counts::{ENSURE, GIVE_BACK, QuotaKey, QuotaKind, QuotaLimits, TAKE};
use crate::{Backend, StorageError, Store, run};

/// A receiver claimed for one Kakao call.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub uuid: String,
    pub nickname: String,
    /// Attempts including this one.
    pub attempts: i64,
}

/// What lapsed leases became.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Expired {
    /// Claims whose call never started: back in line.
    pub requeued: u64,
    /// Calls whose answer never came: `unknown`.
    pub unknown: u64,
}

/// Whether a claimed receiver may go out now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Now `sending` (and counted against today's quotas): call Kakao.
    Sending,
    /// Over this quota: now `deferred` to the next quota day, Kakao not called.
    Deferred(QuotaKind),
    /// No longer ours (cancelled, or the claim lapsed): do not send.
    Lost,
}

/// The quota side of [`Store::start_sending`].
#[derive(Clone, Debug)]
pub struct QuotaCheck<'a> {
    pub limits: &'a QuotaLimits,
    /// The KST civil date of now.
    pub day: &'a str,
    /// The sender's user id.
    pub sender: &'a str,
    /// When the next quota day begins (epoch ms): where deferred receivers wait.
    pub next_day_at: i64,
}

/// How many outbox items of one queue are in one state (for `/metrics`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxCount {
    /// `shares` (share receivers), `talk_calendar` (Talk Calendar copies) or `reminders`
    /// ("나에게" memo reminders).
    pub queue: &'static str,
    pub state: String,
    pub count: i64,
}

impl Store {
    /// Every state the three outboxes hold items in, with how many (states with none are absent).
    pub async fn outbox_counts(&self) -> Result<Vec<OutboxCount>, StorageError> {
        let queues = [
            (
                "shares",
                "SELECT status, COUNT(*) FROM share_recipients GROUP BY status",
            ),
            (
                "talk_calendar",
                "SELECT status, COUNT(*) FROM talk_calendar_jobs GROUP BY status",
            ),
            (
                "reminders",
                "SELECT status, COUNT(*) FROM reminders GROUP BY status",
            ),
        ];
        let mut out = Vec::new();
        for (queue, sql) in queues {
            let rows: Vec<(String, i64)> = run!(&self.db, pool => sqlx::query_as(sql).fetch_all(pool).await?);
            out.extend(
                rows.into_iter()
                    .map(|(state, count)| OutboxCount { queue, state, count }),
            );
        }
        Ok(out)
    }

    /// Leases that ran out: a `claimed` row (no Kakao call was started for it) goes back to
    /// `queued`; a `sending` row (its call's answer was lost, it may have arrived) becomes
    /// `unknown`. The lapsed holder stays named on the `unknown` row, so if it is alive after all
    /// and learns the answer, it may still record it (see [`Store::finish_recipient`]).
    pub async fn expire_outbox_leases(&self, now: i64) -> Result<Expired, StorageError> {
        let requeue = "UPDATE share_recipients SET status = 'queued', lease_until = NULL, lease_owner = NULL, \
                       updated_at = $1 WHERE status = 'claimed' AND lease_until < $1";
        let unknown = "UPDATE share_recipients SET status = 'unknown', reason = 'lease_expired', lease_until = NULL, \
                       updated_at = $1 WHERE status = 'sending' AND lease_until < $1";
        Ok(run!(&self.db, pool => Expired {
            requeued: sqlx::query(requeue).bind(now).execute(pool).await?.rows_affected(),
            unknown: sqlx::query(unknown).bind(now).execute(pool).await?.rows_affected(),
        }))
    }

    /// Lapsed claims that have used up `max_attempts`: `failed` with reason `gave_up` instead
    /// of back in line. A batch that fails before any Kakao call (an image that cannot be
    /// drawn, a crash while preparing) never reaches the worker's own cap, so without this its
    /// receivers would go round `queued -> claimed -> queued` for ever. Run before
    /// [`Store::expire_outbox_leases`].
    pub async fn give_up_lapsed_claims(&self, now: i64, max_attempts: i64) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'failed', reason = 'gave_up', lease_until = NULL, \
                   lease_owner = NULL, updated_at = $1 WHERE status = 'claimed' AND lease_until < $1 AND attempts >= $2";
        Ok(
            run!(&self.db, pool => sqlx::query(sql).bind(now).bind(max_attempts).execute(pool).await?.rows_affected()),
        )
    }

    /// Hands back the receivers of `share_id` that `owner` still holds as `claimed` (no Kakao
    /// call was started for them) after their batch failed: back in line at `next_attempt_at`,
    /// or `failed` with reason `gave_up` once they have used up `max_attempts`. A `sending` row
    /// is never touched (its call may have gone). Returns how many rows changed.
    pub async fn release_claims(
        &self,
        share_id: &str,
        owner: &str,
        next_attempt_at: i64,
        max_attempts: i64,
        now: i64,
    ) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET \
                   status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END, \
                   reason = CASE WHEN attempts >= $4 THEN 'gave_up' ELSE reason END, \
                   next_attempt_at = $3, lease_until = NULL, lease_owner = NULL, updated_at = $5 \
                   WHERE share_id = $1 AND lease_owner = $2 AND status = 'claimed'";
        Ok(
            run!(&self.db, pool => sqlx::query(sql).bind(share_id).bind(owner).bind(next_attempt_at)
            .bind(max_attempts).bind(now).execute(pool).await?.rows_affected()),
        )
    }

    /// The share whose receiver has waited longest, if any is due.
    pub async fn next_due_share(&self, now: i64) -> Result<Option<String>, StorageError> {
        let sql = "SELECT share_id FROM share_recipients WHERE status IN ('queued', 'deferred') AND next_attempt_at <= $1 \
                   ORDER BY next_attempt_at, share_id LIMIT 1";
        let row: Option<(String,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(now).fetch_optional(pool).await?);
        Ok(row.map(|r| r.0))
    }

    /// Claims up to `limit` due receivers of `share_id` for `owner` until `lease_until`
    /// (`queued|deferred → claimed`; no Kakao call may start before [`Store::start_sending`]).
    pub async fn claim_recipients(
        &self,
        share_id: &str,
        now: i64,
        lease_until: i64,
        owner: &str,
        limit: i64,
    ) -> Result<Vec<Claimed>, StorageError> {
        // The one dialect branch: PostgreSQL instances skip rows another instance is claiming.
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        // The pick is a materialized CTE: PostgreSQL may run a plain `IN (SELECT … LIMIT n)`
        // subquery more than once and so claim more than `limit` rows (seen in tests).
        let sql = format!(
            "WITH picked AS MATERIALIZED (SELECT uuid FROM share_recipients WHERE share_id = $1 \
             AND status IN ('queued', 'deferred') AND next_attempt_at <= $2 ORDER BY uuid LIMIT $5{lock}) \
             UPDATE share_recipients SET status = 'claimed', lease_until = $3, lease_owner = $4, attempts = attempts + 1, \
             updated_at = $2 WHERE share_id = $1 AND status IN ('queued', 'deferred') AND next_attempt_at <= $2 \
             AND uuid IN (SELECT uuid FROM picked) \
             RETURNING uuid, nickname, attempts"
        );
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Claimed>(&sql)
            .bind(share_id).bind(now).bind(lease_until).bind(owner).bind(limit)
            .fetch_all(pool).await?))
    }

    /// Right before the Kakao call, in one transaction: for each of `uuids` that `owner` still
    /// holds as `claimed`, reserves one message against today's quotas (when `quota` is given)
    /// and marks it `sending` with a fresh lease; a receiver over a quota becomes `deferred` to
    /// the next quota day instead. Answers in the order of `uuids`.
    pub async fn start_sending(
        &self,
        share_id: &str,
        owner: &str,
        uuids: &[String],
        quota: Option<&QuotaCheck<'_>>,
        lease_until: i64,
        now: i64,
    ) -> Result<Vec<Start>, StorageError> {
        let sending = "UPDATE share_recipients SET status = 'sending', lease_until = $4, updated_at = $5 \
                       WHERE share_id = $1 AND uuid = $2 AND lease_owner = $3 AND status = 'claimed'";
        let deferred = "UPDATE share_recipients SET status = 'deferred', reason = $4, next_attempt_at = $5, \
                        lease_until = NULL, lease_owner = NULL, updated_at = $6 \
                        WHERE share_id = $1 AND uuid = $2 AND lease_owner = $3 AND status = 'claimed'";
        let out = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut out = Vec::with_capacity(uuids.len());
            for uuid in uuids {
                // Reserve every counter, or none: a counter at its limit gives back the others.
                let mut taken: Vec<(String, String)> = Vec::new();
                let mut over = None;
                if let Some(q) = quota {
                    let key = QuotaKey { day: q.day.to_owned(), sender: q.sender.to_owned(), receiver: uuid.clone() };
                    for (kind, counter, limit) in key.counters(q.limits) {
                        sqlx::query(ENSURE).bind(q.day).bind(&counter).execute(&mut *tx).await?;
                        let n = sqlx::query(TAKE).bind(q.day).bind(&counter).bind(limit)
                            .execute(&mut *tx).await?.rows_affected();
                        if n == 0 {
                            over = Some(kind);
                            break;
                        }
                        taken.push((q.day.to_owned(), counter));
                    }
                }
                let held = match (over, quota) {
                    (Some(kind), Some(q)) => {
                        let n = sqlx::query(deferred).bind(share_id).bind(uuid).bind(owner)
                            .bind(kind.reason()).bind(q.next_day_at).bind(now)
                            .execute(&mut *tx).await?.rows_affected();
                        (n == 1).then_some(Start::Deferred(kind))
                    }
                    _ => {
                        let n = sqlx::query(sending).bind(share_id).bind(uuid).bind(owner)
                            .bind(lease_until).bind(now)
                            .execute(&mut *tx).await?.rows_affected();
                        (n == 1).then_some(Start::Sending)
                    }
                };
                let sent = matches!(held, Some(Start::Sending));
                if !sent {
                    for (day, counter) in &taken {
                        sqlx::query(GIVE_BACK).bind(day).bind(counter).execute(&mut *tx).await?;
                    }
                }
                out.push(held.unwrap_or(Start::Lost));
            }
            tx.commit().await?;
            out
        });
        Ok(out)
    }

    /// Records the outcome of a receiver this worker holds (`claimed` or `sending`, or `unknown`
    /// because its lease lapsed while the call was still running); false if it is no longer
    /// ours. `give_back` returns the message's quota reservation when it surely did not go.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_recipient(
        &self,
        share_id: &str,
        uuid: &str,
        owner: &str,
        status: RecipientStatus,
        reason: Option<&str>,
        next_attempt_at: i64,
        now: i64,
        give_back: Option<(&QuotaKey, &QuotaLimits)>,
    ) -> Result<bool, StorageError> {
        let sql = "UPDATE share_recipients SET status = $4, reason = $5, next_attempt_at = $6, lease_until = NULL, \
                   lease_owner = NULL, updated_at = $7 WHERE share_id = $1 AND uuid = $2 AND lease_owner = $3 \
                   AND (status IN ('claimed', 'sending') OR (status = 'unknown' AND reason = 'lease_expired'))";
        let n = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql)
                .bind(share_id).bind(uuid).bind(owner).bind(status.as_str()).bind(reason).bind(next_attempt_at).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 && let Some((key, limits)) = give_back {
                for (_, counter, _) in key.counters(limits) {
                    sqlx::query(GIVE_BACK).bind(&key.day).bind(&counter).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            n
        });
        Ok(n == 1)
    }

    /// Queues again the listed receivers that are `unknown` or `failed` (the owner's explicit
    /// resend: the owner accepts that an `unknown` one might get the card twice); returns how
    /// many. A `sent` receiver, or one still waiting or in a call, is never touched.
    pub async fn requeue_recipients(
        &self,
        share_id: &str,
        uuids: &[String],
        now: i64,
    ) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'queued', reason = NULL, attempts = 0, next_attempt_at = $3, \
                   lease_until = NULL, lease_owner = NULL, updated_at = $3 \
                   WHERE share_id = $1 AND uuid = $2 AND status IN ('unknown', 'failed')";
        let mut total = 0;
        for uuid in uuids {
            total += run!(&self.db, pool => sqlx::query(sql).bind(share_id).bind(uuid).bind(now).execute(pool).await?.rows_affected());
        }
        Ok(total)
    }

    /// Queues again every receiver parked for consent (after the owner gave it).
    pub async fn requeue_needs_consent(&self, share_id: &str, now: i64) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'queued', reason = NULL, next_attempt_at = $2, updated_at = $2 \
                   WHERE share_id = $1 AND status = 'needs_consent'";
        Ok(
            run!(&self.db, pool => sqlx::query(sql).bind(share_id).bind(now).execute(pool).await?.rows_affected()),
        )
    }

    /// Cancels what has not gone: waiting receivers, and claimed ones whose call has not started
    /// (their worker's [`Store::start_sending`] then finds them gone), become `failed` with reason
    /// `canceled`. A receiver already in a call (`sending`) cannot be called back.
    pub async fn cancel_recipients(&self, share_id: &str, now: i64) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'failed', reason = 'canceled', lease_until = NULL, \
                   lease_owner = NULL, updated_at = $2 \
                   WHERE share_id = $1 AND status IN ('queued', 'deferred', 'needs_consent', 'claimed')";
        Ok(
            run!(&self.db, pool => sqlx::query(sql).bind(share_id).bind(now).execute(pool).await?.rows_affected()),
        )
    }
}
