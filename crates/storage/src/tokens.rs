//! A user's Kakao tokens, encrypted, with a version for compare-and-swap and a refresh lease so
//! only one instance refreshes a user's token at a time (a second refresh with the same
//! rotated-out refresh token would fail with KOE322).

use crate::{StorageError, Store, run};

/// Decrypted tokens of one user.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at: i64,
    pub refresh_expires_at: i64,
    /// Agreed scopes, space-separated as Kakao lists them.
    pub scopes: String,
    pub version: i64,
}

impl std::fmt::Debug for StoredTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredTokens")
            .field("access_expires_at", &self.access_expires_at)
            .field("scopes", &self.scopes)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    access_token: String,
    refresh_token: String,
    access_expires_at: i64,
    refresh_expires_at: i64,
    scopes: String,
    version: i64,
}

fn aad(user_id: &str, kind: &str) -> String {
    format!("{user_id}|{kind}")
}

impl Store {
    /// Saves tokens after a login (replacing any), as version 1 or one above the current.
    pub async fn save_tokens(&self, user_id: &str, t: &StoredTokens, now: i64) -> Result<(), StorageError> {
        let access = self.cipher.encrypt(&t.access_token, &aad(user_id, "access"))?;
        let refresh = self.cipher.encrypt(&t.refresh_token, &aad(user_id, "refresh"))?;
        let sql = "INSERT INTO kakao_tokens (user_id, access_token, refresh_token, access_expires_at, refresh_expires_at, scopes, version, refresh_lease_until, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, 1, NULL, $7) \
                   ON CONFLICT (user_id) DO UPDATE SET access_token = $2, refresh_token = $3, access_expires_at = $4, \
                   refresh_expires_at = $5, scopes = $6, version = kakao_tokens.version + 1, refresh_lease_until = NULL, updated_at = $7";
        run!(&self.db, pool => sqlx::query(sql)
            .bind(user_id).bind(access).bind(refresh).bind(t.access_expires_at).bind(t.refresh_expires_at)
            .bind(&t.scopes).bind(now).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn tokens(&self, user_id: &str) -> Result<Option<StoredTokens>, StorageError> {
        let sql = "SELECT access_token, refresh_token, access_expires_at, refresh_expires_at, scopes, version FROM kakao_tokens WHERE user_id = $1";
        let row =
            run!(&self.db, pool => sqlx::query_as::<_, Row>(sql).bind(user_id).fetch_optional(pool).await?);
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredTokens {
            access_token: self.cipher.decrypt(&row.access_token, &aad(user_id, "access"))?,
            refresh_token: self
                .cipher
                .decrypt(&row.refresh_token, &aad(user_id, "refresh"))?,
            access_expires_at: row.access_expires_at,
            refresh_expires_at: row.refresh_expires_at,
            scopes: row.scopes,
            version: row.version,
        }))
    }

    /// Takes the refresh lease for `user_id` until `until` if nobody holds it; true when taken.
    pub async fn claim_refresh(&self, user_id: &str, now: i64, until: i64) -> Result<bool, StorageError> {
        let sql = "UPDATE kakao_tokens SET refresh_lease_until = $3 WHERE user_id = $1 AND (refresh_lease_until IS NULL OR refresh_lease_until < $2)";
        let done = run!(&self.db, pool => sqlx::query(sql).bind(user_id).bind(now).bind(until).execute(pool).await?.rows_affected());
        Ok(done == 1)
    }

    /// Stores refreshed tokens if the row is still at `expected_version`, releasing the lease.
    pub async fn store_refreshed(
        &self,
        user_id: &str,
        expected_version: i64,
        t: &StoredTokens,
        now: i64,
    ) -> Result<bool, StorageError> {
        let access = self.cipher.encrypt(&t.access_token, &aad(user_id, "access"))?;
        let refresh = self.cipher.encrypt(&t.refresh_token, &aad(user_id, "refresh"))?;
        let sql = "UPDATE kakao_tokens SET access_token = $3, refresh_token = $4, access_expires_at = $5, refresh_expires_at = $6, \
                   scopes = $7, version = version + 1, refresh_lease_until = NULL, updated_at = $8 WHERE user_id = $1 AND version = $2";
        let done = run!(&self.db, pool => sqlx::query(sql)
            .bind(user_id).bind(expected_version).bind(access).bind(refresh).bind(t.access_expires_at)
            .bind(t.refresh_expires_at).bind(&t.scopes).bind(now).execute(pool).await?.rows_affected());
        Ok(done == 1)
    }

    pub async fn release_refresh(&self, user_id: &str) -> Result<(), StorageError> {
        run!(&self.db, pool => sqlx::query("UPDATE kakao_tokens SET refresh_lease_until = NULL WHERE user_id = $1")
            .bind(user_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn delete_tokens(&self, user_id: &str) -> Result<(), StorageError> {
        run!(&self.db, pool => sqlx::query("DELETE FROM kakao_tokens WHERE user_id = $1").bind(user_id).execute(pool).await?.rows_affected());
        Ok(())
    }
}
