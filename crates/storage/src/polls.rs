//! A room's availability polls (issue 10): the poll, its candidate days, each member's answers
//! (one JSON object per member, replaced whole), and the owner's one-time confirmation.
//! The rules (what is a valid option or answer) live in `domain::poll`; this is only storage.

use domain::poll::PollKind;
use serde::Serialize;

use crate::spelled::Spelled;
use crate::{StorageError, Store, new_id, run};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PollRow {
    pub id: String,
    pub room_id: String,
    pub created_by: String,
    pub title: String,
    pub location: String,
    #[sqlx(try_from = "Spelled<PollKind>")]
    pub kind: PollKind,
    pub time_zone: String,
    pub start_minute: i64,
    pub end_minute: i64,
    pub deadline_at: Option<i64>,
    pub confirmed_key: Option<String>,
    pub event_id: Option<String>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What creating a poll supplies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPoll {
    pub title: String,
    pub location: String,
    pub kind: PollKind,
    pub time_zone: String,
    pub dates: Vec<String>,
    pub start_minute: i64,
    pub end_minute: i64,
    pub deadline_at: Option<i64>,
}

/// One member's answers (a JSON object: option key → `yes|maybe|no`) with their nickname.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AnswerRow {
    pub user_id: String,
    pub nickname: String,
    pub answers: String,
}

const COLUMNS: &str = "id, room_id, created_by, title, location, kind, time_zone, start_minute, end_minute, deadline_at, \
                       confirmed_key, event_id, closed_at, created_at, updated_at";

impl Store {
    /// Creates a poll with its candidate days, in one transaction.
    pub async fn create_poll(
        &self,
        room_id: &str,
        by: &str,
        p: &NewPoll,
        now: i64,
    ) -> Result<PollRow, StorageError> {
        let sql = format!(
            "INSERT INTO polls ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, NULL, $11, $11) \
             RETURNING {COLUMNS}"
        );
        let date_sql = "INSERT INTO poll_dates (poll_id, date, added_by, created_at) VALUES ($1, $2, $3, $4) \
                        ON CONFLICT (poll_id, date) DO NOTHING";
        let id = new_id();
        let row = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let row = sqlx::query_as::<_, PollRow>(&sql)
                .bind(&id).bind(room_id).bind(by).bind(&p.title).bind(&p.location).bind(p.kind.as_str()).bind(&p.time_zone)
                .bind(p.start_minute).bind(p.end_minute).bind(p.deadline_at).bind(now)
                .fetch_one(&mut *tx).await?;
            for d in &p.dates {
                sqlx::query(date_sql).bind(&id).bind(d).bind(by).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            row
        });
        Ok(row)
    }

    /// The room's polls, newest first.
    pub async fn polls(&self, room_id: &str) -> Result<Vec<PollRow>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM polls WHERE room_id = $1 ORDER BY created_at DESC, id DESC");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, PollRow>(&sql).bind(room_id).fetch_all(pool).await?))
    }

    pub async fn poll(&self, room_id: &str, id: &str) -> Result<Option<PollRow>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM polls WHERE room_id = $1 AND id = $2");
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, PollRow>(&sql).bind(room_id).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The poll's candidate days, `YYYY-MM-DD` in order.
    pub async fn poll_dates(&self, poll_id: &str) -> Result<Vec<String>, StorageError> {
        let sql = "SELECT date FROM poll_dates WHERE poll_id = $1 ORDER BY date";
        let rows: Vec<(String,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(poll_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|(d,)| d).collect())
    }

    /// Adds a proposed day while the poll is open; false if it was there already or the poll
    /// closed (confirmed, or past its deadline at `now`).
    pub async fn add_poll_date(
        &self,
        poll_id: &str,
        date: &str,
        by: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = "INSERT INTO poll_dates (poll_id, date, added_by, created_at) SELECT $1, $2, $3, $4 \
                   WHERE EXISTS (SELECT 1 FROM polls WHERE id = $1 AND confirmed_key IS NULL AND (deadline_at IS NULL OR deadline_at > $4)) \
                   ON CONFLICT (poll_id, date) DO NOTHING";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(date).bind(by).bind(now).execute(pool).await?.rows_affected());
        if n == 1 {
            self.touch_poll(poll_id, now).await?;
        }
        Ok(n == 1)
    }

    /// Answers of the room's current members, in the order they first answered.
    pub async fn poll_answers(&self, poll_id: &str, room_id: &str) -> Result<Vec<AnswerRow>, StorageError> {
        let sql = "SELECT a.user_id, u.nickname, a.answers FROM poll_answers a JOIN users u ON u.id = a.user_id \
                   JOIN room_members m ON m.room_id = $2 AND m.user_id = a.user_id \
                   WHERE a.poll_id = $1 ORDER BY m.joined_at, a.user_id";
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, AnswerRow>(sql).bind(poll_id).bind(room_id).fetch_all(pool).await?),
        )
    }

    /// Replaces `user_id`'s answers while the poll is open; false (and nothing changed) if it
    /// closed (confirmed, or past its deadline at `now`).
    pub async fn put_poll_answers(
        &self,
        poll_id: &str,
        user_id: &str,
        answers: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = "INSERT INTO poll_answers (poll_id, user_id, answers, updated_at) SELECT $1, $2, $3, $4 \
                   WHERE EXISTS (SELECT 1 FROM polls WHERE id = $1 AND confirmed_key IS NULL AND (deadline_at IS NULL OR deadline_at > $4)) \
                   ON CONFLICT (poll_id, user_id) DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(user_id).bind(answers).bind(now).execute(pool).await?.rows_affected());
        if n == 1 {
            self.touch_poll(poll_id, now).await?;
        }
        Ok(n == 1)
    }

    /// Moves the poll's `updated_at` strictly forward (it versions the heat-map).
    async fn touch_poll(&self, poll_id: &str, now: i64) -> Result<(), StorageError> {
        let sql = "UPDATE polls SET updated_at = CASE WHEN updated_at >= $2 THEN updated_at + 1 ELSE $2 END WHERE id = $1";
        run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Claims the confirmation of `key` (once per poll): answers close at once. False if
    /// someone confirmed first.
    pub async fn claim_poll_confirmation(
        &self,
        poll_id: &str,
        key: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = "UPDATE polls SET confirmed_key = $2, closed_at = $3, updated_at = $3 WHERE id = $1 AND confirmed_key IS NULL";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(key).bind(now).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Undoes a claim whose event could not be made.
    pub async fn release_poll_confirmation(&self, poll_id: &str) -> Result<(), StorageError> {
        let sql =
            "UPDATE polls SET confirmed_key = NULL, closed_at = NULL WHERE id = $1 AND event_id IS NULL";
        run!(&self.db, pool => sqlx::query(sql).bind(poll_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Links the confirmed poll to the event it became.
    pub async fn set_poll_event(&self, poll_id: &str, event_id: &str, now: i64) -> Result<(), StorageError> {
        let sql = "UPDATE polls SET event_id = $2 WHERE id = $1";
        run!(&self.db, pool => sqlx::query(sql).bind(poll_id).bind(event_id).execute(pool).await?.rows_affected());
        self.touch_poll(poll_id, now).await
    }

    pub async fn delete_poll(&self, room_id: &str, id: &str) -> Result<bool, StorageError> {
        let sql = "DELETE FROM polls WHERE room_id = $1 AND id = $2";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(room_id).bind(id).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }
}
