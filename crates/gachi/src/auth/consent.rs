//! Just-in-time consent (DESIGN.md item 6): before friends or messages are used, ask Kakao
//! (`/v2/user/scopes`, with the user's own token) which of the needed scopes are missing, and
//! build the way to Kakao's additional-consent screen for exactly those, coming back to `next`.

use kakao::ErrorKind;

use crate::auth::tokens::{TokenError, access_token};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

pub const FRIENDS: &str = "friends";
pub const TALK_MESSAGE: &str = "talk_message";

pub use crate::web::error::consent_url;

/// The contract's 403 `consent_required` with `scopes` and `consent_url`.
pub fn consent_required(scopes: &[String], next: &str) -> AppError {
    AppError::ConsentRequired {
        scopes: scopes.to_vec(),
        next: next.to_owned(),
    }
}

pub fn kakao_unavailable(err: impl std::fmt::Display) -> AppError {
    AppError::kakao_unavailable(err)
}

/// Which of `needed` the user has not agreed to. A user without usable tokens (never logged in
/// through Gachi, unlinked, or a refused refresh) lacks all of them: logging in again through
/// the consent URL fixes both. Agreements seen are remembered for the diagnosis.
pub async fn missing_scopes(state: &AppState, user_id: &str, needed: &[&str]) -> AppResult<Vec<String>> {
    let all = || needed.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut force = false;
    for _ in 0..2 {
        let token = match access_token(state, user_id, force).await {
            Ok(t) => t,
            Err(TokenError::NeedsLogin) => return Ok(all()),
            Err(e) => return Err(kakao_unavailable(e)),
        };
        match state.kakao.scopes(&token, needed).await {
            Ok(resp) => {
                let now = state.now_ms();
                let mut missing = Vec::new();
                for scope in needed {
                    if resp.agreed(scope) {
                        state.store.record_scope_seen(user_id, scope, now).await?;
                    } else {
                        state.store.forget_scope_seen(user_id, scope).await?;
                        missing.push((*scope).to_owned());
                    }
                }
                return Ok(missing);
            }
            Err(e) if e.kind() == ErrorKind::TokenExpired && !force => force = true,
            Err(e) if matches!(e.kind(), ErrorKind::NeedsLogin | ErrorKind::TokenExpired) => return Ok(all()),
            Err(e) => return Err(kakao_unavailable(e)),
        }
    }
    Ok(all())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_urls_name_exactly_the_scopes_and_keep_the_way_back() {
        let url = consent_url(&["talk_message".into()], "/rooms/r1/share?layout=week&to=a,b");
        assert_eq!(
            url,
            "/auth/kakao/login?scope=talk_message&next=%2Frooms%2Fr1%2Fshare%3Flayout%3Dweek%26to%3Da%2Cb"
        );
    }
}
