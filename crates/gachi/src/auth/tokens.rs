//! A usable Kakao access token for a user, refreshed before it expires. Refresh is
//! single-flight per user across instances: a lease row decides who refreshes, the others wait
//! for the new version, so a rotated refresh token is never used twice (which Kakao answers
//! with KOE322). Only a refresh that Kakao really refuses sends the user back through login.

use std::time::Duration;

use kakao::{AccessToken, ErrorKind, RefreshToken};
use storage::StoredTokens;

use crate::state::AppState;

/// Refresh when less than this is left.
const MARGIN_MS: i64 = 5 * 60 * 1000;
const LEASE_MS: i64 = 30_000;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// No tokens, or Kakao refused the refresh (KOE322): the user must log in again.
    #[error("the user must log in with Kakao again")]
    NeedsLogin,
    #[error("Kakao could not be reached to refresh the token: {0}")]
    Kakao(#[from] kakao::KakaoError),
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error("another instance is still refreshing this user's token")]
    Busy,
}

/// The user's access token, refreshed first if it is (nearly) expired or `force` is set
/// (after Kakao answered `-401`).
pub async fn access_token(state: &AppState, user_id: &str, force: bool) -> Result<AccessToken, TokenError> {
    let mut current = state.store.tokens(user_id).await?.ok_or(TokenError::NeedsLogin)?;
    for _ in 0..100 {
        let now = state.now_ms();
        if !force && current.access_expires_at - MARGIN_MS > now {
            return Ok(AccessToken::new(current.access_token));
        }
        if state.store.claim_refresh(user_id, now, now + LEASE_MS).await? {
            return refresh(state, user_id, current).await;
        }
        // Someone else is refreshing: wait for their new version.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let latest = state.store.tokens(user_id).await?.ok_or(TokenError::NeedsLogin)?;
        if latest.version != current.version {
            return Ok(AccessToken::new(latest.access_token));
        }
        current = latest;
    }
    Err(TokenError::Busy)
}

async fn refresh(state: &AppState, user_id: &str, current: StoredTokens) -> Result<AccessToken, TokenError> {
    let result = state
        .kakao
        .refresh(&RefreshToken::new(current.refresh_token.clone()))
        .await;
    let now = state.now_ms();
    match result {
        Ok(resp) => {
            let refreshed = StoredTokens {
                access_token: resp.access_token.clone(),
                refresh_token: resp
                    .refresh_token
                    .clone()
                    .unwrap_or(current.refresh_token.clone()),
                access_expires_at: now + resp.expires_in * 1000,
                refresh_expires_at: resp
                    .refresh_token_expires_in
                    .map(|s| now + s * 1000)
                    .unwrap_or(current.refresh_expires_at),
                scopes: resp.scope.clone().unwrap_or(current.scopes.clone()),
                version: current.version,
            };
            if !state
                .store
                .store_refreshed(user_id, current.version, &refreshed, now)
                .await?
            {
                // A new login replaced the row meanwhile; its token is at least as good.
                let latest = state.store.tokens(user_id).await?.ok_or(TokenError::NeedsLogin)?;
                return Ok(AccessToken::new(latest.access_token));
            }
            Ok(AccessToken::new(refreshed.access_token))
        }
        Err(e) if e.kind() == ErrorKind::NeedsLogin => {
            // A login may have replaced the tokens while we asked; only a row still on the
            // refused token is dropped.
            let latest = state.store.tokens(user_id).await?;
            match latest {
                Some(l) if l.version != current.version => Ok(AccessToken::new(l.access_token)),
                _ => {
                    state.store.delete_tokens(user_id).await?;
                    Err(TokenError::NeedsLogin)
                }
            }
        }
        Err(e) => {
            state.store.release_refresh(user_id).await?;
            Err(TokenError::Kakao(e))
        }
    }
}
