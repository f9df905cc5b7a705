//! The share outbox: claiming receivers with a lease, and the only transitions a receiver may
//! take. A row is claimed (`queued`/`deferred` → `sending`) by a compare-and-set update, so two
//! workers never hold the same row; it leaves `sending` only through its lease holder, or, when
//! the lease ran out (a crash mid-call), to `unknown`, never back to `queued`. That is why no
//! (share, receiver) is ever sent twice, also with several instances on PostgreSQL.

use crate::{Backend, StorageError, Store, run};

/// A receiver claimed for one Kakao call.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub uuid: String,
    pub nickname: String,
    /// Attempts including this one.
    pub attempts: i64,
}

impl Store {
    /// Receivers still `sending` after their lease: the call's answer was lost, so the message
    /// may or may not have arrived. They become `unknown` (the owner may resend them).
    pub async fn expire_outbox_leases(&self, now: i64) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'unknown', reason = 'lease_expired', lease_until = NULL, \
                   lease_owner = NULL, updated_at = $1 WHERE status = 'sending' AND lease_until < $1";
        Ok(run!(&self.db, pool => sqlx::query(sql).bind(now).execute(pool).await?.rows_affected()))
    }

    /// The share whose receiver has waited longest, if any is due.
    pub async fn next_due_share(&self, now: i64) -> Result<Option<String>, StorageError> {
        let sql = "SELECT share_id FROM share_recipients WHERE status IN ('queued', 'deferred') AND next_attempt_at <= $1 \
                   ORDER BY next_attempt_at, share_id LIMIT 1";
        let row: Option<(String,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(now).fetch_optional(pool).await?);
        Ok(row.map(|r| r.0))
    }

    /// Claims up to `limit` due receivers of `share_id` for `owner` until `lease_until`.
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
        let sql = format!(
            "UPDATE share_recipients SET status = 'sending', lease_until = $3, lease_owner = $4, attempts = attempts + 1, \
             updated_at = $2 WHERE share_id = $1 AND status IN ('queued', 'deferred') AND next_attempt_at <= $2 \
             AND uuid IN (SELECT uuid FROM share_recipients WHERE share_id = $1 AND status IN ('queued', 'deferred') \
             AND next_attempt_at <= $2 ORDER BY uuid LIMIT $5{lock}) \
             RETURNING uuid, nickname, attempts"
        );
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Claimed>(&sql)
            .bind(share_id).bind(now).bind(lease_until).bind(owner).bind(limit)
            .fetch_all(pool).await?))
    }

    /// Moves a receiver this worker holds out of `sending`; false if the lease was lost.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_recipient(
        &self,
        share_id: &str,
        uuid: &str,
        owner: &str,
        status: &str,
        reason: Option<&str>,
        next_attempt_at: i64,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = "UPDATE share_recipients SET status = $4, reason = $5, next_attempt_at = $6, lease_until = NULL, \
                   lease_owner = NULL, updated_at = $7 WHERE share_id = $1 AND uuid = $2 AND lease_owner = $3 AND status = 'sending'";
        let n = run!(&self.db, pool => sqlx::query(sql)
            .bind(share_id).bind(uuid).bind(owner).bind(status).bind(reason).bind(next_attempt_at).bind(now)
            .execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Queues again the listed receivers that are `unknown`, `failed` or `needs_consent` (the
    /// owner's explicit resend); returns how many.
    pub async fn requeue_recipients(
        &self,
        share_id: &str,
        uuids: &[String],
        now: i64,
    ) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'queued', reason = NULL, next_attempt_at = $3, updated_at = $3 \
                   WHERE share_id = $1 AND uuid = $2 AND status IN ('unknown', 'failed', 'needs_consent')";
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

    /// Cancels what has not gone: waiting receivers become `failed` with reason `canceled`.
    pub async fn cancel_recipients(&self, share_id: &str, now: i64) -> Result<u64, StorageError> {
        let sql = "UPDATE share_recipients SET status = 'failed', reason = 'canceled', updated_at = $2 \
                   WHERE share_id = $1 AND status IN ('queued', 'deferred', 'needs_consent')";
        Ok(
            run!(&self.db, pool => sqlx::query(sql).bind(share_id).bind(now).execute(pool).await?.rows_affected()),
        )
    }
}
