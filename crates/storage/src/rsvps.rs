//! 참석·불참 answers (issue 19): one per member for an event or one occurrence of a series. An
//! answer moves the room's `updated_at`, because the room's schedule JSON (cached and ETagged on
//! that version) carries the counts.

use crate::events::TOUCH_ROOM;
use crate::{StorageError, Store, run};

/// One member's answer, with the nickname the event JSON shows.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RsvpRow {
    pub event_id: String,
    /// `''` for a single event; the occurrence's key (epoch ms or date) for a series.
    pub occurrence: String,
    pub user_id: String,
    pub nickname: String,
    /// `yes`, `no` or `maybe`.
    pub answer: String,
}

impl Store {
    /// Sets (or changes) `user_id`'s answer.
    pub async fn set_rsvp(
        &self,
        room_id: &str,
        event_id: &str,
        occurrence: &str,
        user_id: &str,
        answer: &str,
        now: i64,
    ) -> Result<(), StorageError> {
        let sql = "INSERT INTO rsvps (event_id, occurrence, user_id, answer, updated_at) VALUES ($1, $2, $3, $4, $5) \
                   ON CONFLICT (event_id, occurrence, user_id) DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at";
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql).bind(event_id).bind(occurrence).bind(user_id).bind(answer).bind(now)
                .execute(&mut *tx).await?;
            sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Withdraws `user_id`'s answer (nothing happens when there was none).
    pub async fn clear_rsvp(
        &self,
        room_id: &str,
        event_id: &str,
        occurrence: &str,
        user_id: &str,
        now: i64,
    ) -> Result<(), StorageError> {
        let sql = "DELETE FROM rsvps WHERE event_id = $1 AND occurrence = $2 AND user_id = $3";
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql).bind(event_id).bind(occurrence).bind(user_id).execute(&mut *tx).await?;
            sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every answer to the room's events given by its current members (a member who left no
    /// longer counts), in nickname order.
    pub async fn room_rsvps(&self, room_id: &str) -> Result<Vec<RsvpRow>, StorageError> {
        let sql = "SELECT r.event_id, r.occurrence, r.user_id, u.nickname, r.answer FROM rsvps r \
                   JOIN events e ON e.id = r.event_id \
                   JOIN room_members m ON m.room_id = e.room_id AND m.user_id = r.user_id \
                   JOIN users u ON u.id = r.user_id \
                   WHERE e.room_id = $1 ORDER BY u.nickname, r.user_id";
        Ok(run!(&self.db, pool => sqlx::query_as::<_, RsvpRow>(sql).bind(room_id).fetch_all(pool).await?))
    }

    /// The answers to one event (every occurrence) from the room's current members.
    pub async fn event_rsvps(&self, room_id: &str, event_id: &str) -> Result<Vec<RsvpRow>, StorageError> {
        let sql = "SELECT r.event_id, r.occurrence, r.user_id, u.nickname, r.answer FROM rsvps r \
                   JOIN room_members m ON m.room_id = $1 AND m.user_id = r.user_id \
                   JOIN users u ON u.id = r.user_id \
                   WHERE r.event_id = $2 ORDER BY u.nickname, r.user_id";
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, RsvpRow>(sql).bind(room_id).bind(event_id).fetch_all(pool).await?),
        )
    }

    /// One member's answer, if any.
    pub async fn rsvp_of(
        &self,
        event_id: &str,
        occurrence: &str,
        user_id: &str,
    ) -> Result<Option<String>, StorageError> {
        let sql = "SELECT answer FROM rsvps WHERE event_id = $1 AND occurrence = $2 AND user_id = $3";
        let row: Option<(String,)> = run!(&self.db, pool => sqlx::query_as(sql)
            .bind(event_id).bind(occurrence).bind(user_id).fetch_optional(pool).await?);
        Ok(row.map(|r| r.0))
    }
}
