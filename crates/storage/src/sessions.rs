//! Our own session store: sessions know their user, so "log out everywhere" and account
//! deletion can end them all. The cookie carries a random token; the table keeps only its
//! SHA-256, so a database dump holds no usable session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

use crate::{StorageError, Store, run};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub user_id: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    user_id: String,
    csrf_token: String,
    expires_at: i64,
    id: String,
    kakao_id: i64,
    nickname: String,
    profile_image_url: Option<String>,
    created_at: i64,
    unlinked_at: Option<i64>,
}

/// A session just created: the cookie value goes to the browser once, never to the table.
#[derive(Clone)]
pub struct NewSession {
    pub cookie_value: String,
    pub csrf_token: String,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSession(…)")
    }
}

/// The table key for a cookie value.
fn session_key(cookie_value: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        cookie_value.as_bytes(),
    ))
}

/// 32 random bytes as base64url.
pub fn random_secret() -> Result<String, StorageError> {
    let mut buf = [0u8; 32];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| StorageError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

impl Store {
    pub async fn create_session(
        &self,
        user_id: &str,
        now: i64,
        ttl_ms: i64,
    ) -> Result<NewSession, StorageError> {
        let cookie_value = random_secret()?;
        let csrf_token = random_secret()?;
        let sql = "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
        run!(&self.db, pool => sqlx::query(sql)
            .bind(session_key(&cookie_value)).bind(user_id).bind(&csrf_token).bind(now).bind(now + ttl_ms)
            .execute(pool).await?.rows_affected());
        Ok(NewSession {
            cookie_value,
            csrf_token,
        })
    }

    /// The live session behind a cookie value, if any.
    pub async fn session(&self, cookie_value: &str, now: i64) -> Result<Option<Session>, StorageError> {
        let sql = "SELECT user_id, csrf_token, expires_at FROM sessions WHERE id = $1 AND expires_at > $2";
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Session>(sql)
            .bind(session_key(cookie_value)).bind(now).fetch_optional(pool).await?))
    }

    /// The live session behind a cookie value together with its (still linked) user, in one
    /// query: this runs on every authenticated request.
    pub async fn session_user(
        &self,
        cookie_value: &str,
        now: i64,
    ) -> Result<Option<(Session, crate::User)>, StorageError> {
        let sql = "SELECT s.user_id, s.csrf_token, s.expires_at, u.id, u.kakao_id, u.nickname, u.profile_image_url, u.created_at, u.unlinked_at \
                   FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2 AND u.unlinked_at IS NULL";
        let row = run!(&self.db, pool => sqlx::query_as::<_, SessionUserRow>(sql)
            .bind(session_key(cookie_value)).bind(now).fetch_optional(pool).await?);
        Ok(row.map(|r| {
            (
                Session {
                    user_id: r.user_id,
                    csrf_token: r.csrf_token,
                    expires_at: r.expires_at,
                },
                crate::User {
                    id: r.id,
                    kakao_id: r.kakao_id,
                    nickname: r.nickname,
                    profile_image_url: r.profile_image_url,
                    created_at: r.created_at,
                    unlinked_at: r.unlinked_at,
                },
            )
        }))
    }

    pub async fn delete_session(&self, cookie_value: &str) -> Result<(), StorageError> {
        run!(&self.db, pool => sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(session_key(cookie_value)).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Ends every session of a user ("log out everywhere", unlink, account deletion).
    pub async fn delete_user_sessions(&self, user_id: &str) -> Result<u64, StorageError> {
        Ok(
            run!(&self.db, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id).execute(pool).await?.rows_affected()),
        )
    }
}
