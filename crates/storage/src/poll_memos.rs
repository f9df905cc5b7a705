//! Who asked to be told by a KakaoTalk memo when a poll is confirmed.

use crate::{StorageError, Store, run};

impl Store {
    /// Turns a member's memo wish for a poll on or off (idempotent).
    pub async fn set_poll_memo(
        &self,
        poll_id: &str,
        user_id: &str,
        on: bool,
        now: i64,
    ) -> Result<(), StorageError> {
        if on {
            let sql = "INSERT INTO poll_memo_optins (poll_id, user_id, created_at) VALUES ($1, $2, $3) \
                       ON CONFLICT (poll_id, user_id) DO NOTHING";
            run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(user_id).bind(now).execute(pool).await?.rows_affected());
        } else {
            let sql = "DELETE FROM poll_memo_optins WHERE poll_id = $1 AND user_id = $2";
            run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(user_id).execute(pool).await?.rows_affected());
        }
        Ok(())
    }

    pub async fn poll_memo(&self, poll_id: &str, user_id: &str) -> Result<bool, StorageError> {
        let sql = "SELECT user_id FROM poll_memo_optins WHERE poll_id = $1 AND user_id = $2";
        let found: Option<(String,)> = run!(&self.db, pool => sqlx::query_as(sql).bind(poll_id).bind(user_id).fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    /// `(user_id, nickname, lang)` of everyone who opted in, in the order they did; `lang` is the
    /// language they last used (None when unknown), so the memo speaks it.
    pub async fn poll_memo_users(
        &self,
        poll_id: &str,
    ) -> Result<Vec<(String, String, Option<String>)>, StorageError> {
        let sql = "SELECT o.user_id, u.nickname, u.lang FROM poll_memo_optins o JOIN users u ON u.id = o.user_id \
                   WHERE o.poll_id = $1 ORDER BY o.created_at, o.user_id";
        Ok(run!(&self.db, pool => sqlx::query_as(sql).bind(poll_id).fetch_all(pool).await?))
    }
}
