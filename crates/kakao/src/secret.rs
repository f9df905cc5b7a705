//! Tokens as values that cannot leak by accident: their `Debug` prints a placeholder.

use jiff::{SignedDuration, Timestamp};
use secrecy::{ExposeSecret, SecretString};

use crate::wire::TokenResponse;

macro_rules! secret_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(SecretString::from(value.into()))
            }

            /// The raw value, for the one place that must send it.
            pub fn expose(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(…)"))
            }
        }
    };
}

secret_newtype!(
    /// A Kakao access token (Bearer).
    AccessToken
);
secret_newtype!(
    /// A Kakao refresh token.
    RefreshToken
);

/// What a caller keeps after a login or a refresh, with expiry as instants.
#[derive(Clone, Debug)]
pub struct TokenSet {
    pub access_token: AccessToken,
    pub access_expires_at: Timestamp,
    pub refresh_token: RefreshToken,
    pub refresh_expires_at: Timestamp,
    /// The ID token of the last response that carried one (kept for logout hints, never logged).
    pub id_token: Option<String>,
    /// Agreed scopes as the token response listed them.
    pub scopes: Vec<String>,
}

impl TokenSet {
    /// Builds a set from the response to a code exchange. `None` if Kakao sent no refresh token,
    /// which it always does for a code exchange.
    pub fn from_code_response(resp: &TokenResponse, now: Timestamp) -> Option<Self> {
        let refresh = resp.refresh_token.as_ref()?;
        Some(Self {
            access_token: AccessToken::new(resp.access_token.clone()),
            access_expires_at: after(now, resp.expires_in),
            refresh_token: RefreshToken::new(refresh.clone()),
            refresh_expires_at: after(now, resp.refresh_token_expires_in.unwrap_or(0)),
            id_token: resp.id_token.clone(),
            scopes: resp.scopes(),
        })
    }

    /// Applies a refresh response. Kakao returns a new refresh token only when the old one has
    /// less than a month left; otherwise the old one stays valid and is kept.
    pub fn apply_refresh(&mut self, resp: &TokenResponse, now: Timestamp) {
        self.access_token = AccessToken::new(resp.access_token.clone());
        self.access_expires_at = after(now, resp.expires_in);
        if let Some(rt) = &resp.refresh_token {
            self.refresh_token = RefreshToken::new(rt.clone());
            if let Some(secs) = resp.refresh_token_expires_in {
                self.refresh_expires_at = after(now, secs);
            }
        }
        if resp.id_token.is_some() {
            self.id_token = resp.id_token.clone();
        }
        if resp.scope.is_some() {
            self.scopes = resp.scopes();
        }
    }

    /// True when the access token expires within `margin` of `now` (refresh before use).
    pub fn access_expires_within(&self, now: Timestamp, margin: SignedDuration) -> bool {
        now.saturating_add(margin)
            .map(|t| t >= self.access_expires_at)
            .unwrap_or(true)
    }
}

fn after(now: Timestamp, seconds: i64) -> Timestamp {
    now.saturating_add(SignedDuration::from_secs(seconds))
        .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(rt: Option<&str>) -> TokenResponse {
        TokenResponse {
            token_type: "bearer".into(),
            access_token: "at".into(),
            id_token: None,
            expires_in: 21599,
            refresh_token: rt.map(str::to_owned),
            refresh_token_expires_in: rt.map(|_| 5_183_999),
            scope: Some("openid profile_nickname".into()),
        }
    }

    #[test]
    fn debug_hides_tokens() {
        let set = TokenSet::from_code_response(&response(Some("secret-rt")), Timestamp::UNIX_EPOCH).unwrap();
        let shown = format!("{set:?}");
        assert!(!shown.contains("secret-rt"), "{shown}");
        assert!(shown.contains("RefreshToken(…)"));
    }

    #[test]
    fn refresh_without_refresh_token_keeps_the_old_one() {
        let t0 = Timestamp::UNIX_EPOCH;
        let mut set = TokenSet::from_code_response(&response(Some("rt-1")), t0).unwrap();
        let rt_expiry = set.refresh_expires_at;
        let mut refreshed = response(None);
        refreshed.access_token = "at-2".into();
        set.apply_refresh(&refreshed, after(t0, 100));
        assert_eq!(set.access_token.expose(), "at-2");
        assert_eq!(set.refresh_token.expose(), "rt-1");
        assert_eq!(set.refresh_expires_at, rt_expiry);
        assert_eq!(set.access_expires_at, after(t0, 100 + 21599));

        set.apply_refresh(&response(Some("rt-2")), after(t0, 200));
        assert_eq!(set.refresh_token.expose(), "rt-2");
    }
}
