//! Exceptions of recurring series: one occurrence cancelled or changed on its own ("이 일정만"),
//! and the "this and following" split that ends a series and starts a new one in one
//! transaction. Every write moves the room's version forward, so cached month views and ETags
//! of the schedule never serve an occurrence that changed.

use serde::Serialize;

use crate::events::{COLUMNS, EventData, EventRow};
use crate::talk_calendar_jobs::{CalendarAction, QUEUE_COPIES};
use crate::talk_calendar_series::{COPY_LINKS, QUEUE_CREATES};
use crate::{StorageError, Store, new_id, run};

/// One exception row. `original` is the occurrence's original start: epoch milliseconds as text
/// (timed series) or `YYYY-MM-DD` (all-day series). A changed occurrence has every value set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ExceptionRow {
    pub event_id: String,
    pub original: String,
    pub cancelled: i64,
    pub title: Option<String>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub location: Option<String>,
    pub memo: Option<String>,
    pub updated_at: i64,
}

/// What one occurrence becomes: cancelled, or these values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExceptionData {
    Cancelled,
    Changed(Box<EventData>),
}

const EX_COLUMNS: &str = "x.event_id, x.original, x.cancelled, x.title, x.starts_at, x.ends_at, x.start_date, x.end_date, \
                          x.location, x.memo, x.updated_at";

const TOUCH_ROOM: &str =
    "UPDATE rooms SET updated_at = CASE WHEN updated_at >= $2 THEN updated_at + 1 ELSE $2 END WHERE id = $1";

impl Store {
    /// Every exception of the room's live series.
    pub async fn room_exceptions(&self, room_id: &str) -> Result<Vec<ExceptionRow>, StorageError> {
        let sql = format!(
            "SELECT {EX_COLUMNS} FROM event_exceptions x JOIN events e ON e.id = x.event_id \
             WHERE e.room_id = $1 ORDER BY x.event_id, x.original"
        );
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, ExceptionRow>(&sql).bind(room_id).fetch_all(pool).await?),
        )
    }

    /// The exceptions of one series.
    pub async fn event_exceptions(&self, event_id: &str) -> Result<Vec<ExceptionRow>, StorageError> {
        let sql =
            format!("SELECT {EX_COLUMNS} FROM event_exceptions x WHERE x.event_id = $1 ORDER BY x.original");
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, ExceptionRow>(&sql).bind(event_id).fetch_all(pool).await?),
        )
    }

    /// Cancels or changes one occurrence of a live series of the room; the series' sequence
    /// rises (calendars re-read it) and every Talk Calendar copy of it is queued to follow.
    /// `false` when there is no such live series.
    pub async fn put_exception(
        &self,
        room_id: &str,
        event_id: &str,
        original: &str,
        data: &ExceptionData,
        now: i64,
    ) -> Result<bool, StorageError> {
        let bump = "UPDATE events SET sequence = sequence + 1, updated_at = $3 \
                    WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL AND rrule IS NOT NULL RETURNING sequence";
        let upsert = "INSERT INTO event_exceptions (event_id, original, cancelled, title, starts_at, ends_at, start_date, end_date, \
                      location, memo, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                      ON CONFLICT (event_id, original) DO UPDATE SET cancelled = $3, title = $4, starts_at = $5, ends_at = $6, \
                      start_date = $7, end_date = $8, location = $9, memo = $10, updated_at = $11";
        let (cancelled, d) = match data {
            ExceptionData::Cancelled => (1_i64, None),
            ExceptionData::Changed(d) => (0, Some(&**d)),
        };
        let done = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let found: Option<(i64,)> = sqlx::query_as(bump).bind(room_id).bind(event_id).bind(now)
                .fetch_optional(&mut *tx).await?;
            if let Some((sequence,)) = found {
                sqlx::query(QUEUE_COPIES).bind(event_id).bind(CalendarAction::Update.as_str()).bind(sequence).bind(now)
                    .execute(&mut *tx).await?;
                sqlx::query(upsert).bind(event_id).bind(original).bind(cancelled)
                    .bind(d.map(|d| d.title.clone())).bind(d.and_then(|d| d.starts_at)).bind(d.and_then(|d| d.ends_at))
                    .bind(d.and_then(|d| d.start_date.clone())).bind(d.and_then(|d| d.end_date.clone()))
                    .bind(d.map(|d| d.location.clone())).bind(d.map(|d| d.memo.clone())).bind(now)
                    .execute(&mut *tx).await?;
                sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            found.is_some()
        });
        Ok(done)
    }

    /// Forgets exceptions of a series (after an edit of the whole series moved its occurrences,
    /// the old original starts no longer exist). The room's version moves again, so a schedule
    /// cached between the series' edit and this cannot outlive it.
    pub async fn drop_exceptions(
        &self,
        room_id: &str,
        event_id: &str,
        originals: &[String],
        now: i64,
    ) -> Result<(), StorageError> {
        if originals.is_empty() {
            return Ok(());
        }
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            for original in originals {
                sqlx::query("DELETE FROM event_exceptions WHERE event_id = $1 AND original = $2")
                    .bind(event_id).bind(original).execute(&mut *tx).await?;
            }
            sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Puts `kept` in place of every exception of a live series of the room (after an edit of
    /// the whole series moved its originals; see `gachi::events::recurrence_carry`), in one
    /// transaction; the series' sequence rises and its Talk Calendar copies are queued to
    /// follow, as for [`Store::put_exception`]. `false` when there is no such live series.
    pub async fn replace_exceptions(
        &self,
        room_id: &str,
        event_id: &str,
        kept: &[ExceptionRow],
        now: i64,
    ) -> Result<bool, StorageError> {
        let bump = "UPDATE events SET sequence = sequence + 1, updated_at = $3 \
                    WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING sequence";
        let insert = "INSERT INTO event_exceptions (event_id, original, cancelled, title, starts_at, ends_at, start_date, end_date, \
                      location, memo, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        let done = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let found: Option<(i64,)> = sqlx::query_as(bump).bind(room_id).bind(event_id).bind(now)
                .fetch_optional(&mut *tx).await?;
            if let Some((sequence,)) = found {
                sqlx::query("DELETE FROM event_exceptions WHERE event_id = $1").bind(event_id)
                    .execute(&mut *tx).await?;
                for x in kept {
                    sqlx::query(insert).bind(event_id).bind(&x.original).bind(x.cancelled).bind(&x.title)
                        .bind(x.starts_at).bind(x.ends_at).bind(&x.start_date).bind(&x.end_date)
                        .bind(&x.location).bind(&x.memo).bind(now)
                        .execute(&mut *tx).await?;
                }
                sqlx::query(QUEUE_COPIES).bind(event_id).bind(CalendarAction::Update.as_str()).bind(sequence).bind(now)
                    .execute(&mut *tx).await?;
                sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            found.is_some()
        });
        Ok(done)
    }

    /// "This and following": the old series takes `old_rrule` (ending before the split), a new
    /// series `new` starts (a new id, created by `by`), and the exceptions named in `carry`
    /// move to it while those in `forget` go; every member with a Talk Calendar copy of the old
    /// series gets one of the new queued (`create`); all in one transaction. `None` when the
    /// old series is gone.
    #[allow(clippy::too_many_arguments)]
    pub async fn split_series(
        &self,
        room_id: &str,
        old_id: &str,
        old_rrule: &str,
        new: &EventData,
        by: &str,
        carry: &[String],
        forget: &[String],
        now: i64,
    ) -> Result<Option<EventRow>, StorageError> {
        let end_old = "UPDATE events SET rrule = $3, sequence = sequence + 1, updated_at = $4 \
                       WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING sequence";
        let insert = format!(
            "INSERT INTO events ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15, $15, NULL, $16) RETURNING {COLUMNS}"
        );
        let id = new_id();
        let created = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let old: Option<(i64,)> = sqlx::query_as(end_old).bind(room_id).bind(old_id).bind(old_rrule).bind(now)
                .fetch_optional(&mut *tx).await?;
            let Some((sequence,)) = old else {
                tx.rollback().await?;
                return Ok(None);
            };
            sqlx::query(QUEUE_COPIES).bind(old_id).bind(CalendarAction::Update.as_str()).bind(sequence).bind(now)
                .execute(&mut *tx).await?;
            let row = sqlx::query_as::<_, EventRow>(&insert)
                .bind(&id).bind(room_id).bind(&new.title).bind(i64::from(new.all_day)).bind(new.starts_at).bind(new.ends_at)
                .bind(&new.start_date).bind(&new.end_date).bind(&new.time_zone).bind(&new.location).bind(&new.memo).bind(by)
                .bind(new.span_start).bind(new.span_end).bind(now).bind(&new.rrule)
                .fetch_one(&mut *tx).await?;
            for original in carry {
                sqlx::query("UPDATE event_exceptions SET event_id = $3 WHERE event_id = $1 AND original = $2")
                    .bind(old_id).bind(original).bind(&id).execute(&mut *tx).await?;
            }
            for original in forget {
                sqlx::query("DELETE FROM event_exceptions WHERE event_id = $1 AND original = $2")
                    .bind(old_id).bind(original).execute(&mut *tx).await?;
            }
            sqlx::query(COPY_LINKS).bind(old_id).bind(&id).bind(now).execute(&mut *tx).await?;
            sqlx::query(QUEUE_CREATES).bind(&id).bind(now).execute(&mut *tx).await?;
            sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Some(row)
        });
        Ok(created)
    }
}
