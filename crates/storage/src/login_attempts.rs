//! A login in progress: what the callback must check (`state`, `nonce`, the PKCE verifier) and
//! where to send the user afterwards. Kept server-side, keyed by `state`, and spent once.

use crate::{StorageError, Store, run};

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoginAttempt {
    pub state: String,
    pub nonce: String,
    pub code_verifier: String,
    pub next_path: String,
    pub scopes: String,
    pub created_at: i64,
}

impl std::fmt::Debug for LoginAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginAttempt")
            .field("next_path", &self.next_path)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl Store {
    pub async fn put_login_attempt(&self, a: &LoginAttempt) -> Result<(), StorageError> {
        let sql = "INSERT INTO login_attempts (state, nonce, code_verifier, next_path, scopes, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        run!(&self.db, pool => sqlx::query(sql)
            .bind(&a.state).bind(&a.nonce).bind(&a.code_verifier).bind(&a.next_path).bind(&a.scopes).bind(a.created_at)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Removes and returns the attempt for `state` if it is younger than `not_before`.
    pub async fn take_login_attempt(
        &self,
        state: &str,
        not_before: i64,
    ) -> Result<Option<LoginAttempt>, StorageError> {
        let sql = "DELETE FROM login_attempts WHERE state = $1 RETURNING state, nonce, code_verifier, next_path, scopes, created_at";
        let found = run!(&self.db, pool => sqlx::query_as::<_, LoginAttempt>(sql).bind(state).fetch_optional(pool).await?);
        // Old attempts are swept on the way (abandoned logins).
        run!(&self.db, pool => sqlx::query("DELETE FROM login_attempts WHERE created_at < $1").bind(not_before).execute(pool).await?.rows_affected());
        Ok(found.filter(|a| a.created_at >= not_before))
    }
}
