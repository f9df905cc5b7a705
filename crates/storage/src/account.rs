//! A user's own account (issue 11): what they made (for the export), their Talk Calendar
//! copies of events, and deleting the account — rooms they own go to the longest-standing
//! member or are deleted when nobody is left, and no token, session or personal data stays.

use serde::Serialize;

use crate::{EventRow, StorageError, Store, run};

/// One member's Talk Calendar copy of a Gachi event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TalkCalendarLink {
    pub user_id: String,
    pub event_id: String,
    pub room_id: String,
    /// Kakao's event id; `None` while the add waits on the member's consent.
    pub kakao_event_id: Option<String>,
    /// The event's `sequence` last pushed to Kakao.
    pub synced_sequence: i64,
    /// Why the last push failed, if it did (a catalogue key).
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What deleting an account did to the rooms the user owned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AccountDeletion {
    /// `(room id, new owner's user id)`.
    pub rooms_handed_over: Vec<(String, String)>,
    pub rooms_deleted: Vec<String>,
    /// Whether the user row itself went (`false`: kept without personal data, because
    /// something still refers to it).
    pub user_row_deleted: bool,
}

use crate::events::COLUMNS as EVENT_COLUMNS;
const LINK_COLUMNS: &str =
    "user_id, event_id, room_id, kakao_event_id, synced_sequence, last_error, created_at, updated_at";

impl Store {
    /// Live events `user_id` created, in any room, oldest first (the export).
    pub async fn events_created_by(&self, user_id: &str) -> Result<Vec<EventRow>, StorageError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE created_by = $1 AND deleted_at IS NULL ORDER BY created_at, id"
        );
        Ok(run!(&self.db, pool => sqlx::query_as::<_, EventRow>(&sql).bind(user_id).fetch_all(pool).await?))
    }

    /// Polls `user_id` created and the answers they gave, as JSON rows `(poll id, room id,
    /// title, created_at)` and `(poll id, answers JSON)`. `None` when this database has no
    /// poll tables.
    pub async fn polls_export(&self, user_id: &str) -> Result<Option<PollsExport>, StorageError> {
        let polls_sql = "SELECT id, room_id, title, kind, created_at FROM polls WHERE created_by = $1 ORDER BY created_at, id";
        let answers_sql =
            "SELECT poll_id, answers, updated_at FROM poll_answers WHERE user_id = $1 ORDER BY poll_id";
        let result: Result<PollsExport, sqlx::Error> = run!(&self.db, pool => async {
            let polls = sqlx::query_as::<_, (String, String, String, String, i64)>(polls_sql)
                .bind(user_id).fetch_all(pool).await?;
            let answers = sqlx::query_as::<_, (String, String, i64)>(answers_sql)
                .bind(user_id).fetch_all(pool).await?;
            Ok(PollsExport { polls, answers })
        }.await);
        match result {
            Ok(export) => Ok(Some(export)),
            // A schema without polls (the tables came with a later migration).
            Err(sqlx::Error::Database(e))
                if e.message().contains("polls") || e.message().contains("poll_answers") =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn talk_calendar_link(
        &self,
        user_id: &str,
        event_id: &str,
    ) -> Result<Option<TalkCalendarLink>, StorageError> {
        let sql =
            format!("SELECT {LINK_COLUMNS} FROM talk_calendar_events WHERE user_id = $1 AND event_id = $2");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, TalkCalendarLink>(&sql)
            .bind(user_id).bind(event_id).fetch_optional(pool).await?))
    }

    /// Every member's copy of one event.
    pub async fn talk_calendar_links_for_event(
        &self,
        event_id: &str,
    ) -> Result<Vec<TalkCalendarLink>, StorageError> {
        let sql =
            format!("SELECT {LINK_COLUMNS} FROM talk_calendar_events WHERE event_id = $1 ORDER BY user_id");
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, TalkCalendarLink>(&sql).bind(event_id).fetch_all(pool).await?),
        )
    }

    /// A user's copies, newest first (the account page).
    pub async fn talk_calendar_links_of(&self, user_id: &str) -> Result<Vec<TalkCalendarLink>, StorageError> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM talk_calendar_events WHERE user_id = $1 ORDER BY created_at DESC, event_id"
        );
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, TalkCalendarLink>(&sql).bind(user_id).fetch_all(pool).await?),
        )
    }

    /// Records an add waiting on consent (keeps an existing copy as it is).
    pub async fn put_talk_calendar_intent(
        &self,
        user_id: &str,
        event_id: &str,
        room_id: &str,
        now: i64,
    ) -> Result<(), StorageError> {
        let sql = "INSERT INTO talk_calendar_events (user_id, event_id, room_id, kakao_event_id, synced_sequence, last_error, created_at, updated_at) \
                   VALUES ($1, $2, $3, NULL, -1, NULL, $4, $4) ON CONFLICT (user_id, event_id) DO NOTHING";
        run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(event_id).bind(room_id).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Kakao created (or updated) the copy: remember its id and the sequence pushed. Waiting
    /// Talk Calendar work that this push already covers goes (a job a worker holds finishes
    /// on its own).
    pub async fn put_talk_calendar_link(
        &self,
        user_id: &str,
        event_id: &str,
        room_id: &str,
        kakao_event_id: &str,
        sequence: i64,
        now: i64,
    ) -> Result<(), StorageError> {
        let sql = "INSERT INTO talk_calendar_events (user_id, event_id, room_id, kakao_event_id, synced_sequence, last_error, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, NULL, $6, $6) \
                   ON CONFLICT (user_id, event_id) DO UPDATE SET kakao_event_id = $4, synced_sequence = $5, last_error = NULL, updated_at = $6";
        let covered = "DELETE FROM talk_calendar_jobs WHERE user_id = $1 AND event_id = $2 AND status <> 'claimed' \
                       AND action IN ('update', 'create') AND sequence <= $3";
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql).bind(user_id).bind(event_id).bind(room_id).bind(kakao_event_id)
                .bind(sequence).bind(now).execute(&mut *tx).await?;
            sqlx::query(covered).bind(user_id).bind(event_id).bind(sequence).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A push to Kakao failed: keep the copy's id and say why.
    pub async fn set_talk_calendar_error(
        &self,
        user_id: &str,
        event_id: &str,
        error: &str,
        now: i64,
    ) -> Result<(), StorageError> {
        let sql = "UPDATE talk_calendar_events SET last_error = $3, updated_at = $4 WHERE user_id = $1 AND event_id = $2";
        run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(event_id).bind(error).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn delete_talk_calendar_link(&self, user_id: &str, event_id: &str) -> Result<(), StorageError> {
        let sql = "DELETE FROM talk_calendar_events WHERE user_id = $1 AND event_id = $2";
        run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(event_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Deletes the account of `user_id` in one transaction: each room they own goes to its
    /// longest-standing other member, or is deleted when they were alone; they leave every
    /// room; their tokens, sessions, invitations, shares, consent records and Talk Calendar
    /// copies go. Then the user row is deleted; if something still refers to it, it stays
    /// without personal data (no nickname, picture or Kakao id). Events they created in rooms
    /// others keep stay, with `created_by` as an opaque id.
    pub async fn delete_account(&self, user_id: &str, now: i64) -> Result<AccountDeletion, StorageError> {
        let mut done = AccountDeletion::default();
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let owned: Vec<(String,)> = sqlx::query_as(
                "SELECT room_id FROM room_members WHERE user_id = $1 AND role = 'owner' ORDER BY room_id")
                .bind(user_id).fetch_all(&mut *tx).await?;
            for (room_id,) in owned {
                let heir: Option<(String,)> = sqlx::query_as(
                    "SELECT user_id FROM room_members WHERE room_id = $1 AND user_id <> $2 \
                     ORDER BY joined_at, user_id LIMIT 1")
                    .bind(&room_id).bind(user_id).fetch_optional(&mut *tx).await?;
                match heir {
                    Some((heir,)) => {
                        sqlx::query("UPDATE room_members SET role = 'owner' WHERE room_id = $1 AND user_id = $2")
                            .bind(&room_id).bind(&heir).execute(&mut *tx).await?;
                        sqlx::query("UPDATE rooms SET updated_at = $2 WHERE id = $1")
                            .bind(&room_id).bind(now).execute(&mut *tx).await?;
                        done.rooms_handed_over.push((room_id, heir));
                    }
                    None => {
                        sqlx::query("DELETE FROM rooms WHERE id = $1").bind(&room_id).execute(&mut *tx).await?;
                        done.rooms_deleted.push(room_id);
                    }
                }
            }
            for sql in [
                "DELETE FROM room_members WHERE user_id = $1",
                "DELETE FROM kakao_tokens WHERE user_id = $1",
                "DELETE FROM sessions WHERE user_id = $1",
                "DELETE FROM invites WHERE created_by = $1",
                "DELETE FROM shares WHERE owner_id = $1",
                "DELETE FROM scope_seen WHERE user_id = $1",
                "DELETE FROM talk_calendar_events WHERE user_id = $1",
            ] {
                sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            }
            // Personal data goes now, whether or not the row can go below.
            sqlx::query("UPDATE users SET nickname = '', profile_image_url = NULL, unlinked_at = $2, updated_at = $2 WHERE id = $1")
                .bind(user_id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        let deleted = run!(&self.db, pool => sqlx::query("DELETE FROM users WHERE id = $1").bind(user_id).execute(pool).await.map(|r| r.rows_affected()));
        match deleted {
            Ok(_) => done.user_row_deleted = true,
            Err(e) => {
                // A table that refers to users without ON DELETE CASCADE: keep an anonymous
                // row. The Kakao id is replaced by a negative number no Kakao id ever takes.
                tracing::warn!(error = %e, "user row kept without personal data");
                let placeholder = -1 - (uuid::Uuid::now_v7().as_u64_pair().1 >> 2) as i64;
                run!(&self.db, pool => sqlx::query("UPDATE users SET kakao_id = $2 WHERE id = $1")
                    .bind(user_id).bind(placeholder).execute(pool).await?.rows_affected());
            }
        }
        Ok(done)
    }
}

/// A user's polls and answers for the export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollsExport {
    /// `(id, room_id, title, kind, created_at)`.
    pub polls: Vec<(String, String, String, String, i64)>,
    /// `(poll_id, answers JSON, updated_at)`.
    pub answers: Vec<(String, String, i64)>,
}
