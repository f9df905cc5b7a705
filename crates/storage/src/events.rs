//! A room's events: create, edit (the sequence rises), delete (a tombstone for calendar
//! subscribers), and range reads; plus the room's secret calendar-feed token. An edit or a
//! deletion queues the members' Talk Calendar work in its own transaction (see
//! `talk_calendar_jobs`), so no copy misses it, whatever happens after the commit.

use serde::Serialize;

use crate::talk_calendar_jobs::{CalendarAction, FORGET_WAITING_ADDS, QUEUE_COPIES};
use crate::{StorageError, Store, new_id, run};

/// An event row. Timed events have `starts_at`/`ends_at`; all-day ones `start_date`/`end_date`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub room_id: String,
    pub title: String,
    pub all_day: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub time_zone: String,
    pub location: String,
    pub memo: String,
    pub created_by: String,
    pub sequence: i64,
    pub span_start: i64,
    pub span_end: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    /// The RRULE of a series (canonical text), `None` for a single event.
    pub rrule: Option<String>,
    /// Set only on a row that stands for one occurrence of a series (the views and the API
    /// carry occurrences as rows with their own times): the occurrence's original start as the
    /// API spells it (RFC 3339 in the event's zone, or the date of an all-day one).
    #[sqlx(skip)]
    pub occurrence: Option<String>,
}

/// What a write supplies (the id, room, creator and bookkeeping come from the store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventData {
    pub title: String,
    pub all_day: bool,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub time_zone: String,
    pub location: String,
    pub memo: String,
    pub span_start: i64,
    pub span_end: i64,
    pub rrule: Option<String>,
}

/// Moves the room's `updated_at` strictly forward (`$1` room, `$2` now).
pub(crate) const TOUCH_ROOM: &str =
    "UPDATE rooms SET updated_at = CASE WHEN updated_at >= $2 THEN updated_at + 1 ELSE $2 END WHERE id = $1";

pub(crate) const COLUMNS: &str = "id, room_id, title, all_day, starts_at, ends_at, start_date, end_date, time_zone, location, memo, \
                       created_by, sequence, span_start, span_end, created_at, updated_at, deleted_at, rrule";

impl Store {
    pub async fn create_event(
        &self,
        room_id: &str,
        by: &str,
        e: &EventData,
        now: i64,
    ) -> Result<EventRow, StorageError> {
        let sql = format!(
            "INSERT INTO events ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15, $15, NULL, $16) RETURNING {COLUMNS}"
        );
        let id = new_id();
        let created = run!(&self.db, pool => sqlx::query_as::<_, EventRow>(&sql)
            .bind(&id).bind(room_id).bind(&e.title).bind(i64::from(e.all_day)).bind(e.starts_at).bind(e.ends_at)
            .bind(&e.start_date).bind(&e.end_date).bind(&e.time_zone).bind(&e.location).bind(&e.memo).bind(by)
            .bind(e.span_start).bind(e.span_end).bind(now).bind(&e.rrule)
            .fetch_one(pool).await?);
        self.touch_room(room_id, now).await?;
        Ok(created)
    }

    /// Moves the room's `updated_at` strictly forward: it versions the room's schedule (ETags
    /// and caches key on it, on every instance alike).
    pub async fn touch_room(&self, room_id: &str, now: i64) -> Result<(), StorageError> {
        run!(&self.db, pool => sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// A live event of the room.
    pub async fn event(&self, room_id: &str, id: &str) -> Result<Option<EventRow>, StorageError> {
        let sql =
            format!("SELECT {COLUMNS} FROM events WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL");
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, EventRow>(&sql).bind(room_id).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The event even if deleted (for the cancellation in its .ics).
    pub async fn event_or_tombstone(
        &self,
        room_id: &str,
        id: &str,
    ) -> Result<Option<EventRow>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM events WHERE room_id = $1 AND id = $2");
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, EventRow>(&sql).bind(room_id).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Replaces an event's data and raises its sequence.
    pub async fn update_event(
        &self,
        room_id: &str,
        id: &str,
        e: &EventData,
        now: i64,
    ) -> Result<Option<EventRow>, StorageError> {
        let sql = format!(
            "UPDATE events SET title = $3, all_day = $4, starts_at = $5, ends_at = $6, start_date = $7, end_date = $8, \
             time_zone = $9, location = $10, memo = $11, span_start = $12, span_end = $13, updated_at = $14, rrule = $15, sequence = sequence + 1 \
             WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING {COLUMNS}"
        );
        let updated = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let row = sqlx::query_as::<_, EventRow>(&sql)
                .bind(room_id).bind(id).bind(&e.title).bind(i64::from(e.all_day)).bind(e.starts_at).bind(e.ends_at)
                .bind(&e.start_date).bind(&e.end_date).bind(&e.time_zone).bind(&e.location).bind(&e.memo)
                .bind(e.span_start).bind(e.span_end).bind(now).bind(&e.rrule)
                .fetch_optional(&mut *tx).await?;
            sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            if let Some(row) = &row {
                sqlx::query(QUEUE_COPIES).bind(&row.id).bind(CalendarAction::Update.as_str()).bind(row.sequence).bind(now)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            row
        });
        Ok(updated)
    }

    /// Deletes (tombstones) an event; the sequence rises so calendars take the cancellation.
    pub async fn delete_event(&self, room_id: &str, id: &str, now: i64) -> Result<bool, StorageError> {
        let sql = "UPDATE events SET deleted_at = $3, updated_at = $3, sequence = sequence + 1 \
                   WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING sequence";
        let deleted = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let sequence: Option<(i64,)> = sqlx::query_as(sql).bind(room_id).bind(id).bind(now)
                .fetch_optional(&mut *tx).await?;
            sqlx::query(TOUCH_ROOM).bind(room_id).bind(now).execute(&mut *tx).await?;
            if let Some((sequence,)) = sequence {
                sqlx::query(QUEUE_COPIES).bind(id).bind(CalendarAction::Delete.as_str()).bind(sequence).bind(now)
                    .execute(&mut *tx).await?;
                sqlx::query(FORGET_WAITING_ADDS).bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            sequence.is_some()
        });
        Ok(deleted)
    }

    /// Live events whose span meets `[from_ms, to_ms)`, and every live series (a series' rows
    /// cannot say where its occurrences, or its moved ones, fall; the caller expands them), in
    /// start order.
    pub async fn events_between(
        &self,
        room_id: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<EventRow>, StorageError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE room_id = $1 AND deleted_at IS NULL \
             AND (rrule IS NOT NULL OR (span_start < $3 AND span_end > $2)) \
             ORDER BY span_start, id"
        );
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, EventRow>(&sql).bind(room_id).bind(from_ms).bind(to_ms).fetch_all(pool).await?),
        )
    }

    /// Every event of the room, tombstones included (the calendar feed).
    pub async fn all_events(&self, room_id: &str) -> Result<Vec<EventRow>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM events WHERE room_id = $1 ORDER BY span_start, id");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, EventRow>(&sql).bind(room_id).fetch_all(pool).await?))
    }

    /// The room's feed token, created on first use.
    pub async fn feed_token(&self, room_id: &str) -> Result<String, StorageError> {
        let sql = "SELECT feed_token FROM rooms WHERE id = $1";
        let current: Option<(Option<String>,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(room_id).fetch_optional(pool).await?);
        if let Some((Some(token),)) = current {
            return Ok(token);
        }
        self.rotate_feed_token(room_id).await
    }

    /// A new feed token; the old feed URL stops working.
    pub async fn rotate_feed_token(&self, room_id: &str) -> Result<String, StorageError> {
        let token = crate::sessions::random_secret()?;
        run!(&self.db, pool => sqlx::query("UPDATE rooms SET feed_token = $2 WHERE id = $1").bind(room_id).bind(&token).execute(pool).await?.rows_affected());
        Ok(token)
    }

    pub async fn room_by_feed_token(&self, token: &str) -> Result<Option<crate::Room>, StorageError> {
        let sql = "SELECT id, name, description, time_zone, created_at, updated_at FROM rooms WHERE feed_token = $1";
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, crate::Room>(sql).bind(token).fetch_optional(pool).await?),
        )
    }
}
