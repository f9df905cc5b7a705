//! Users, keyed by their Kakao id; unlinking removes their tokens and sessions at once.

use serde::Serialize;

use crate::{StorageError, Store, new_id, run};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: String,
    pub kakao_id: i64,
    pub nickname: String,
    pub profile_image_url: Option<String>,
    pub created_at: i64,
    pub unlinked_at: Option<i64>,
}

const COLUMNS: &str = "id, kakao_id, nickname, profile_image_url, created_at, unlinked_at";

impl Store {
    /// Creates the user on first login or refreshes their profile; returns the user and
    /// whether they were new.
    pub async fn upsert_kakao_user(
        &self,
        kakao_id: i64,
        nickname: &str,
        profile_image_url: Option<&str>,
        now: i64,
    ) -> Result<(User, bool), StorageError> {
        let existing = self.user_by_kakao_id(kakao_id).await?;
        let sql = format!(
            "INSERT INTO users (id, kakao_id, nickname, profile_image_url, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (kakao_id) DO UPDATE SET nickname = $3, profile_image_url = $4, updated_at = $5, unlinked_at = NULL \
             RETURNING {COLUMNS}"
        );
        let id = new_id();
        let user = run!(&self.db, pool => sqlx::query_as::<_, User>(&sql)
            .bind(&id).bind(kakao_id).bind(nickname).bind(profile_image_url).bind(now)
            .fetch_one(pool).await?);
        Ok((user, existing.is_none()))
    }

    pub async fn user(&self, id: &str) -> Result<Option<User>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, User>(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn user_by_kakao_id(&self, kakao_id: i64) -> Result<Option<User>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE kakao_id = $1");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, User>(&sql).bind(kakao_id).fetch_optional(pool).await?))
    }

    /// Remembers the language the user last used (`ko`, `en`), for what is sent to them later.
    pub async fn set_user_lang(&self, id: &str, lang: &str, now: i64) -> Result<(), StorageError> {
        let sql = "UPDATE users SET lang = $2, updated_at = $3 WHERE id = $1";
        run!(&self.db, pool => sqlx::query(sql).bind(id).bind(lang).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The language the user last used, if known.
    pub async fn user_lang(&self, id: &str) -> Result<Option<String>, StorageError> {
        let sql = "SELECT lang FROM users WHERE id = $1";
        let row: Option<(Option<String>,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
        Ok(row.and_then(|(lang,)| lang))
    }

    /// Kakao says the user unlinked (webhook): tokens and sessions go now; their rooms stay.
    pub async fn mark_unlinked(&self, kakao_id: i64, now: i64) -> Result<Option<String>, StorageError> {
        let Some(user) = self.user_by_kakao_id(kakao_id).await? else {
            return Ok(None);
        };
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET unlinked_at = $2, updated_at = $2 WHERE id = $1")
                .bind(&user.id).bind(now).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM kakao_tokens WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(Some(user.id))
    }
}
