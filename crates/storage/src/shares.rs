//! Shares of a room's schedule (issue 7): the share row with its public, revocable token, and
//! its receivers written in the same transaction (they are the outbox; see `outbox.rs`). Also
//! when Gachi first saw a user agree to a scope, for the friend-list diagnosis.

use domain::share::{Channel, Layout, RecipientStatus};
use serde::Serialize;

use crate::spelled::Spelled;
use crate::{StorageError, Store, new_id, run};

/// A share as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Share {
    pub id: String,
    pub room_id: String,
    pub owner_id: String,
    #[sqlx(try_from = "Spelled<Layout>")]
    pub layout: Layout,
    pub event_id: Option<String>,
    /// `YYYY-MM-DD` (week) or `YYYY-MM` (month).
    pub date: Option<String>,
    #[sqlx(try_from = "Spelled<Channel>")]
    pub channel: Channel,
    pub public_token: String,
    /// The sharer's language, for the card's texts.
    pub lang: String,
    pub image_url: Option<String>,
    pub image_width: Option<i64>,
    pub image_height: Option<i64>,
    pub invite_code: Option<String>,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
}

/// What a new share supplies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewShare {
    pub room_id: String,
    pub owner_id: String,
    pub layout: Layout,
    pub event_id: Option<String>,
    pub date: Option<String>,
    pub channel: Channel,
    pub lang: String,
}

/// One receiver of a new share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecipient {
    pub uuid: String,
    pub nickname: String,
}

/// A receiver and where its message stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Recipient {
    pub uuid: String,
    pub nickname: String,
    #[sqlx(try_from = "Spelled<RecipientStatus>")]
    pub status: RecipientStatus,
    pub reason: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, room_id, owner_id, layout, event_id, date, channel, public_token, lang, image_url, \
                       image_width, image_height, invite_code, revoked_at, created_at";

impl Store {
    /// Creates the share and queues every receiver, in one transaction: either the share exists
    /// with all its outbox rows, or nothing does.
    pub async fn create_share(
        &self,
        new: &NewShare,
        recipients: &[NewRecipient],
        now: i64,
    ) -> Result<Share, StorageError> {
        let id = new_id();
        let token = crate::sessions::random_secret()?;
        let sql = format!(
            "INSERT INTO shares ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL, NULL, NULL, $10) \
             RETURNING {COLUMNS}"
        );
        let row_sql = "INSERT INTO share_recipients (share_id, uuid, nickname, status, reason, attempts, next_attempt_at, \
                       lease_until, lease_owner, updated_at) VALUES ($1, $2, $3, 'queued', NULL, 0, $4, NULL, NULL, $4) \
                       ON CONFLICT (share_id, uuid) DO NOTHING";
        let share = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let share = sqlx::query_as::<_, Share>(&sql)
                .bind(&id).bind(&new.room_id).bind(&new.owner_id).bind(new.layout.as_str()).bind(&new.event_id)
                .bind(&new.date).bind(new.channel.as_str()).bind(&token).bind(&new.lang).bind(now)
                .fetch_one(&mut *tx).await?;
            for r in recipients {
                sqlx::query(row_sql).bind(&id).bind(&r.uuid).bind(&r.nickname).bind(now)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            share
        });
        Ok(share)
    }

    pub async fn share(&self, id: &str) -> Result<Option<Share>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM shares WHERE id = $1");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Share>(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A share by its public token, unless its link was revoked.
    pub async fn share_by_token(&self, token: &str) -> Result<Option<Share>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM shares WHERE public_token = $1 AND revoked_at IS NULL");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Share>(&sql).bind(token).fetch_optional(pool).await?))
    }

    /// Receivers in the order they were picked (by nickname, then uuid).
    pub async fn recipients(&self, share_id: &str) -> Result<Vec<Recipient>, StorageError> {
        let sql = "SELECT uuid, nickname, status, reason, attempts, next_attempt_at, updated_at FROM share_recipients \
                   WHERE share_id = $1 ORDER BY nickname, uuid";
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Recipient>(sql).bind(share_id).fetch_all(pool).await?))
    }

    /// Revokes the public page, and with it the invitation its "join" button minted, in one
    /// transaction; true when the page was live.
    pub async fn revoke_share_link(&self, id: &str, now: i64) -> Result<bool, StorageError> {
        let sql = "UPDATE shares SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
        let invite = "UPDATE invites SET revoked_at = $2 WHERE revoked_at IS NULL \
                      AND code = (SELECT invite_code FROM shares WHERE id = $1)";
        let n = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql).bind(id).bind(now).execute(&mut *tx).await?.rows_affected();
            sqlx::query(invite).bind(id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            n
        });
        Ok(n == 1)
    }

    /// Remembers the uploaded card image (the first upload wins; later ones are dropped).
    pub async fn set_share_image(
        &self,
        id: &str,
        url: &str,
        width: i64,
        height: i64,
    ) -> Result<(), StorageError> {
        let sql = "UPDATE shares SET image_url = $2, image_width = $3, image_height = $4 WHERE id = $1 AND image_url IS NULL";
        run!(&self.db, pool => sqlx::query(sql).bind(id).bind(url).bind(width).bind(height).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Remembers the invitation the public page's "join" button uses.
    pub async fn set_share_invite(&self, id: &str, code: &str) -> Result<(), StorageError> {
        let sql = "UPDATE shares SET invite_code = $2 WHERE id = $1";
        run!(&self.db, pool => sqlx::query(sql).bind(id).bind(code).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Records that `user_id` was seen agreeing to `scope` at `now`, unless seen before.
    pub async fn record_scope_seen(&self, user_id: &str, scope: &str, now: i64) -> Result<(), StorageError> {
        let sql = "INSERT INTO scope_seen (user_id, scope, seen_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, scope) DO NOTHING";
        run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(scope).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Forgets a scope the user no longer agrees to (a later agreement is a new one).
    pub async fn forget_scope_seen(&self, user_id: &str, scope: &str) -> Result<(), StorageError> {
        let sql = "DELETE FROM scope_seen WHERE user_id = $1 AND scope = $2";
        run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(scope).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn scope_seen(&self, user_id: &str, scope: &str) -> Result<Option<i64>, StorageError> {
        let sql = "SELECT seen_at FROM scope_seen WHERE user_id = $1 AND scope = $2";
        let row: Option<(i64,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(user_id).bind(scope).fetch_optional(pool).await?);
        Ok(row.map(|r| r.0))
    }
}
