//! `POST /oauth/token` (§14.3): code exchange with PKCE, refresh with Kakao's rotation rule,
//! ID tokens, and the token-issuance rate limit.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use kakao::wire::{IdTokenClaims, TokenResponse};
use kakao::{Pkce, random_token};

use crate::Sandbox;
use crate::http::{json, kauth, params};
use crate::state::{AccessRecord, RefreshRecord, State as SandboxState};

pub async fn token(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let p = params(None, &body);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let now = sb.clock().now();
    let mut st = sb.lock();

    let client_id = get("client_id");
    if client_id != st.app.rest_api_key {
        return kauth(
            401,
            "invalid_client",
            format!("Not exist client_id [{client_id}]"),
            "KOE101",
        );
    }
    if st.app.client_secret_enabled && get("client_secret") != st.app.client_secret {
        return kauth(401, "invalid_client", "Bad client credentials", "KOE010");
    }
    match get("grant_type") {
        "authorization_code" => {
            let code_value = get("code");
            // A code is spent by its first use, whatever happens next (§14.3).
            let Some(code) = st.codes.remove(code_value) else {
                return kauth(
                    400,
                    "invalid_grant",
                    format!("authorization code not found for code={code_value}"),
                    "KOE320",
                );
            };
            let ttl = SignedDuration::from_secs(st.app.settings.code_ttl_seconds);
            let expired = code.issued_at.saturating_add(ttl).is_ok_and(|t| t <= now);
            let linked = st.users.get(&code.user_id).is_some_and(|u| u.link.is_some());
            if code.client_id != client_id || expired || !linked {
                return kauth(
                    400,
                    "invalid_grant",
                    format!("authorization code not found for code={code_value}"),
                    "KOE320",
                );
            }
            if code.redirect_uri != get("redirect_uri") {
                return kauth(400, "invalid_grant", "Redirect URI mismatch.", "KOE303");
            }
            if let Some(challenge) = &code.code_challenge {
                let verifier = get("code_verifier");
                if verifier.is_empty() || Pkce::challenge_for(verifier) != *challenge {
                    return kauth(
                        400,
                        "invalid_grant",
                        "PKCE verification failed: code_verifier does not match.",
                        "KOE320",
                    );
                }
            }
            if let Some(limited) = rate_limited(&mut st, code.user_id, false, now) {
                return limited;
            }
            let claims = code.wants_id_token.then(|| IdClaims {
                nonce: code.nonce.clone(),
                auth_time: code.auth_time,
            });
            issue(&sb, &mut st, code.user_id, client_id, claims, None, now)
        }
        "refresh_token" => {
            let rt = get("refresh_token");
            if rt.is_empty() {
                return kauth(400, "invalid_request", "refresh_token is required.", "KOE319");
            }
            let Some(record) = st.refresh.get(rt).cloned().filter(|r| r.expires_at > now) else {
                return kauth(400, "invalid_grant", "expired_or_invalid_refresh_token", "KOE322");
            };
            if let Some(limited) = rate_limited(&mut st, record.user_id, true, now) {
                return limited;
            }
            let claims = (record.with_id_token && st.app.oidc_enabled).then_some(IdClaims {
                nonce: None,
                auth_time: record.auth_time,
            });
            issue(
                &sb,
                &mut st,
                record.user_id,
                client_id,
                claims,
                Some((rt.to_owned(), record)),
                now,
            )
        }
        other => kauth(
            400,
            "unsupported_grant_type",
            format!("unsupported grant_type: {other}"),
            "KOE001",
        ),
    }
}

struct IdClaims {
    nonce: Option<String>,
    auth_time: Timestamp,
}

/// Issues an access token (and a refresh token when new or rotated) for `user_id`.
fn issue(
    sb: &Sandbox,
    st: &mut SandboxState,
    user_id: i64,
    client_id: &str,
    id_claims: Option<IdClaims>,
    refreshing: Option<(String, RefreshRecord)>,
    now: Timestamp,
) -> Response {
    let settings = st.app.settings.clone();
    let access_exp = now
        .saturating_add(SignedDuration::from_secs(settings.access_token_ttl_seconds))
        .unwrap_or(now);
    let rotation = SignedDuration::from_hours(24 * settings.refresh_rotation_days);
    let is_refresh = refreshing.is_some();

    // On refresh, Kakao hands out a new refresh token only inside its last month (§1.3).
    let (refresh_value, new_refresh) = match refreshing {
        Some((old, record)) if record.expires_at.duration_since(now) >= rotation => (old, None),
        other => {
            if let Some((old, _)) = other {
                st.refresh.remove(&old);
            }
            let value = random_token(32);
            let expires_at = now
                .saturating_add(SignedDuration::from_secs(settings.refresh_token_ttl_seconds))
                .unwrap_or(now);
            let auth_time = id_claims.as_ref().map(|c| c.auth_time).unwrap_or(now);
            st.refresh.insert(
                value.clone(),
                RefreshRecord {
                    user_id,
                    expires_at,
                    with_id_token: id_claims.is_some(),
                    auth_time,
                },
            );
            (value.clone(), Some(settings.refresh_token_ttl_seconds))
        }
    };
    let access = random_token(32);
    st.access.insert(
        access.clone(),
        AccessRecord {
            user_id,
            expires_at: access_exp,
            refresh_token: refresh_value.clone(),
        },
    );

    let agreed = st.agreed(user_id);
    let mut scopes: Vec<String> = agreed.iter().cloned().collect();
    if id_claims.is_some() {
        scopes.push("openid".into());
        scopes.sort();
    }
    let id_token = match id_claims {
        Some(c) => {
            let user = st.users.get(&user_id);
            let claims = IdTokenClaims {
                iss: st.base_url.clone(),
                aud: kakao::wire::Audience::One(client_id.to_owned()),
                sub: user_id.to_string(),
                iat: now.as_second(),
                exp: access_exp.as_second(),
                auth_time: Some(c.auth_time.as_second()),
                nonce: c.nonce,
                nickname: user
                    .filter(|_| agreed.contains("profile_nickname"))
                    .map(|u| u.nickname.clone()),
                picture: user
                    .filter(|_| agreed.contains("profile_image"))
                    .map(|u| u.profile_image_url.clone()),
                email: user
                    .filter(|_| agreed.contains("account_email"))
                    .and_then(|u| u.email.clone()),
            };
            match sb.inner.keys.sign(&claims) {
                Ok(t) => Some(t),
                Err(_) => return kauth(500, "server_error", "id_token signing failed", "KOE003"),
            }
        }
        None => None,
    };
    // Kakao's refresh answer has no `scope` (D-login lists token_type, access_token, id_token,
    // expires_in and, when rotated, refresh_token and refresh_token_expires_in).
    let scope = (!is_refresh).then(|| scopes.join(" "));
    json(TokenResponse {
        token_type: "bearer".into(),
        access_token: access,
        id_token,
        expires_in: settings.access_token_ttl_seconds,
        refresh_token: new_refresh.map(|_| refresh_value),
        refresh_token_expires_in: new_refresh,
        scope,
    })
}

/// KOE237: more than 20 access tokens in 10 minutes or 30 refreshes in an hour for one user.
fn rate_limited(st: &mut SandboxState, user_id: i64, refresh: bool, now: Timestamp) -> Option<Response> {
    if !st.app.settings.token_rate_limit {
        return None;
    }
    let log = st.issuance_log.entry(user_id).or_default();
    log.retain(|(t, _)| now.duration_since(*t) < SignedDuration::from_hours(1));
    let (window, limit) = if refresh { (3600, 30) } else { (600, 20) };
    let recent = log
        .iter()
        .filter(|(t, r)| *r == refresh && now.duration_since(*t) < SignedDuration::from_secs(window))
        .count();
    if recent >= limit {
        return Some(kauth(
            400,
            "invalid_request",
            "token request rate limit exceeded",
            "KOE237",
        ));
    }
    log.push((now, refresh));
    None
}
