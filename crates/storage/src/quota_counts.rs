//! Gachi's own count of Kakao messages per KST day (issue 8). Kakao's quotas (app, sender,
//! receiver, sender–receiver pair per day) cannot be read from Kakao, and a message Kakao
//! refuses for a quota still costs a call, so Gachi reserves each message against its own
//! counters before calling Kakao and gives the reservation back when the message surely did not
//! go. Counts are rows updated with a conditional `UPDATE … WHERE used < limit`, so several
//! instances on PostgreSQL never reserve past a limit.

use domain::share::reason;

/// The daily limits Gachi enforces (Kakao's defaults: app 30,000, sender 100, receiver 100,
/// pair 20; a deployment with raised quotas raises these settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaLimits {
    pub app_day: i64,
    pub sender_day: i64,
    pub receiver_day: i64,
    pub pair_day: i64,
}

impl Default for QuotaLimits {
    fn default() -> Self {
        Self {
            app_day: 30_000,
            sender_day: 100,
            receiver_day: 100,
            pair_day: 20,
        }
    }
}

/// Which daily quota a message would exceed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaKind {
    App,
    Sender,
    Receiver,
    Pair,
}

impl QuotaKind {
    /// The receiver's `reason` when this quota defers it.
    pub fn reason(self) -> &'static str {
        match self {
            QuotaKind::App => reason::QUOTA_APP_DAY,
            QuotaKind::Sender => reason::QUOTA_SENDER_DAY,
            QuotaKind::Receiver => reason::QUOTA_RECEIVER_DAY,
            QuotaKind::Pair => reason::QUOTA_PAIR_DAY,
        }
    }
}

/// One message's place in the day's counters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaKey {
    /// The KST civil date, `YYYY-MM-DD`.
    pub day: String,
    pub sender: String,
    pub receiver: String,
}

impl QuotaKey {
    /// The counters one message uses, always in this order (app first, so concurrent
    /// reservations queue on the same row and never deadlock), with their limits.
    pub(crate) fn counters(&self, limits: &QuotaLimits) -> [(QuotaKind, String, i64); 4] {
        [
            (QuotaKind::App, "app".to_owned(), limits.app_day),
            (
                QuotaKind::Sender,
                format!("sender:{}", self.sender),
                limits.sender_day,
            ),
            (
                QuotaKind::Receiver,
                format!("receiver:{}", self.receiver),
                limits.receiver_day,
            ),
            (
                QuotaKind::Pair,
                format!("pair:{}:{}", self.sender, self.receiver),
                limits.pair_day,
            ),
        ]
    }
}

pub(crate) const ENSURE: &str = "INSERT INTO message_quota_counts (day, counter, used) VALUES ($1, $2, 0) ON CONFLICT (day, counter) DO NOTHING";
pub(crate) const TAKE: &str =
    "UPDATE message_quota_counts SET used = used + 1 WHERE day = $1 AND counter = $2 AND used < $3";
pub(crate) const GIVE_BACK: &str =
    "UPDATE message_quota_counts SET used = used - 1 WHERE day = $1 AND counter = $2 AND used > 0";

impl crate::Store {
    /// How many messages `counter` has used on `day` (for tests and diagnostics).
    pub async fn quota_used(&self, day: &str, counter: &str) -> Result<i64, crate::StorageError> {
        let sql = "SELECT used FROM message_quota_counts WHERE day = $1 AND counter = $2";
        let row: Option<(i64,)> = crate::run!(&self.db, pool => sqlx::query_as(sql)
            .bind(day).bind(counter).fetch_optional(pool).await?);
        Ok(row.map(|r| r.0).unwrap_or(0))
    }

    /// Drops the counters of days before `day` (they can never matter again).
    pub async fn forget_quota_days_before(&self, day: &str) -> Result<u64, crate::StorageError> {
        let sql = "DELETE FROM message_quota_counts WHERE day < $1";
        Ok(crate::run!(&self.db, pool => sqlx::query(sql).bind(day).execute(pool).await?.rows_affected()))
    }
}
