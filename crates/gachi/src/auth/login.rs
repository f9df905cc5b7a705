//! Kakao Login (DESIGN.md item 1): OIDC code flow with `state`, `nonce` and PKCE; the ID token
//! verified against Kakao's JWKS; `/v2/user/me` right after login (so Kakao's 24-hour
//! auto-unlink never hits a new user); tokens encrypted at rest; the session id rotated.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use kakao::wire::{Jwks, split_scopes};
use kakao::{AccessToken, AuthorizeRequest, Pkce, random_token};
use storage::{LoginAttempt, StoredTokens};

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Query;
use crate::web::http::{cookie, expired, local_path, see_other};
use crate::web::session::Auth;
use crate::web::session::{MaybeAuth, SESSION_COOKIE};
use crate::web::views::PageCtx;
use i18n::Lang;

/// Binds a login attempt to the browser that started it.
const LOGIN_COOKIE: &str = "gachi_login";
/// A login attempt older than this is refused.
const ATTEMPT_TTL_MS: i64 = 10 * 60 * 1000;
/// What every login asks for; more is asked just in time.
const LOGIN_SCOPES: [&str; 3] = ["openid", "profile_nickname", "profile_image"];

/// `?next=PATH&scope=a,b`: where to go afterwards, and extra scopes to ask for.
#[derive(serde::Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    scope: Option<String>,
}

/// `GET /auth/kakao/login?next=PATH[&scope=a,b]`: starts login or additional consent.
pub async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let next = local_path(q.next.as_deref());
    let mut scopes: Vec<String> = match q.scope.as_ref() {
        Some(extra) => split_scopes(extra),
        None => LOGIN_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    };
    if !scopes.iter().any(|s| s == "openid") {
        scopes.insert(0, "openid".into());
    }
    let pkce = Pkce::new();
    let attempt = LoginAttempt {
        state: random_token(24),
        nonce: random_token(24),
        code_verifier: pkce.verifier.clone(),
        next_path: next,
        scopes: scopes.join(" "),
        created_at: state.now_ms(),
    };
    state.store.put_login_attempt(&attempt).await?;
    let url = state
        .kakao
        .authorize_url(&AuthorizeRequest {
            redirect_uri: callback_url(&state),
            scopes,
            state: attempt.state.clone(),
            nonce: Some(attempt.nonce.clone()),
            code_challenge: Some(pkce.challenge),
            ..Default::default()
        })
        .map_err(AppError::internal)?;
    let bound = cookie(
        LOGIN_COOKIE,
        attempt.state.clone(),
        "/auth/kakao",
        600,
        state.secure_cookies,
    );
    Ok((jar.add(bound), see_other(url.as_str())).into_response())
}

pub fn callback_url(state: &AppState) -> String {
    format!("{}/auth/kakao/callback", state.public_url)
}

/// What Kakao sends back to the redirect URI.
#[derive(serde::Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// `GET /auth/kakao/callback`: Kakao's redirect back, with a code or an error.
pub async fn callback(
    State(state): State<AppState>,
    MaybeAuth(current): MaybeAuth,
    jar: CookieJar,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let lang = crate::web::extract::lang_from_headers(&headers);
    let returned_state = q.state.clone().unwrap_or_default();
    // The attempt must exist, be fresh, and belong to this browser.
    let bound = jar.get(LOGIN_COOKIE).is_some_and(|c| c.value() == returned_state);
    let attempt = state
        .store
        .take_login_attempt(&returned_state, state.now_ms() - ATTEMPT_TTL_MS)
        .await?;
    let jar = jar.add(expired(LOGIN_COOKIE, "/auth/kakao", state.secure_cookies));
    let Some(attempt) = attempt.filter(|_| bound) else {
        tracing::warn!("login callback with an unknown, expired or foreign state");
        return Err(AppError::Refused(
            axum::http::StatusCode::BAD_REQUEST,
            "login_failed",
        ));
    };
    if let Some(error) = q.error.as_ref() {
        // The person said no (or Kakao could not ask): back to where they were, nothing changed.
        tracing::info!(error = %error, "Kakao login not completed");
        let page = LoginCancelled::new(
            lang,
            current.as_ref(),
            &attempt.next_path,
            state.sandbox.is_some(),
        );
        return Ok((jar, crate::web::views::render(&page)?).into_response());
    }
    let code = q.code.clone().unwrap_or_default();
    let tokens = match state
        .kakao
        .exchange_code(&code, &callback_url(&state), Some(&attempt.code_verifier))
        .await
    {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "code exchange failed");
            return Err(AppError::Refused(
                axum::http::StatusCode::BAD_REQUEST,
                "login_failed",
            ));
        }
    };
    let id_token = tokens
        .id_token
        .clone()
        .ok_or_else(|| AppError::internal("no ID token: is OIDC enabled?"))?;
    let claims = verify_id_token(&state, &id_token, &attempt.nonce).await?;
    let kakao_id: i64 = claims
        .sub
        .parse()
        .map_err(|_| AppError::internal("ID token sub is not a Kakao id"))?;

    // The personal-info call that completes Kakao's sign-up.
    let access = AccessToken::new(tokens.access_token.clone());
    let me = state.kakao.user_me(&access).await.map_err(|e| {
        tracing::warn!(error = %e, "/v2/user/me failed after login");
        AppError::Refused(axum::http::StatusCode::BAD_GATEWAY, "login_failed")
    })?;
    if me.id != kakao_id {
        return Err(AppError::internal("/v2/user/me answered for another user"));
    }
    let nickname = me
        .nickname()
        .or(claims.nickname.as_deref())
        .unwrap_or("카카오 사용자")
        .to_owned();
    let now = state.now_ms();
    let (user, _created) = state
        .store
        .upsert_kakao_user(kakao_id, &nickname, me.profile_image_url(), now)
        .await?;
    // The language this browser uses now is the one to speak to them in later (memos).
    state.store.set_user_lang(&user.id, lang.code(), now).await?;

    // Keep the refresh token we already hold if Kakao did not send a new one.
    let previous = state.store.tokens(&user.id).await?;
    let refresh_token = tokens
        .refresh_token
        .clone()
        .or_else(|| previous.as_ref().map(|p| p.refresh_token.clone()));
    let Some(refresh_token) = refresh_token else {
        return Err(AppError::internal("Kakao sent no refresh token"));
    };
    let refresh_expires_at = match tokens.refresh_token_expires_in {
        Some(secs) => now + secs * 1000,
        None => previous.as_ref().map(|p| p.refresh_expires_at).unwrap_or(now),
    };
    state
        .store
        .save_tokens(
            &user.id,
            &StoredTokens {
                access_token: tokens.access_token.clone(),
                refresh_token,
                access_expires_at: now + tokens.expires_in * 1000,
                refresh_expires_at,
                scopes: tokens.scopes().join(" "),
                version: 0,
            },
            now,
        )
        .await?;

    // A new session id at every login (the old one, if any, ends).
    if let Some(old) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(old.value()).await?;
    }
    let ttl_ms = state.config.session_days * 86_400_000;
    let session = state.store.create_session(&user.id, now, ttl_ms).await?;
    state.metrics.login();
    let session_cookie = cookie(
        SESSION_COOKIE,
        session.cookie_value,
        "/",
        ttl_ms / 1000,
        state.secure_cookies,
    );
    Ok((jar.add(session_cookie), see_other(&attempt.next_path)).into_response())
}

/// Verifies the ID token, refetching the JWKS once when it names a key we do not have
/// (Kakao may rotate keys).
async fn verify_id_token(
    state: &AppState,
    token: &str,
    nonce: &str,
) -> AppResult<kakao::wire::IdTokenClaims> {
    let now = state.clock.unix_seconds();
    if let Some(jwks) = state.jwks.read().await.as_ref() {
        match state.kakao.verify_id_token(token, jwks, Some(nonce), now) {
            Ok(claims) => return Ok(claims),
            Err(kakao::KakaoError::IdToken(kakao::id_token::IdTokenError::UnknownKey)) => {}
            Err(e) => return Err(id_token_error(e)),
        }
    }
    let jwks = fetch_jwks(state).await?;
    let claims = state
        .kakao
        .verify_id_token(token, &jwks, Some(nonce), now)
        .map_err(id_token_error);
    *state.jwks.write().await = Some(jwks);
    claims
}

async fn fetch_jwks(state: &AppState) -> AppResult<Jwks> {
    let discovery = state.kakao.discovery().await.map_err(AppError::internal)?;
    state
        .kakao
        .jwks(&discovery.jwks_uri)
        .await
        .map_err(AppError::internal)
}

fn id_token_error(e: kakao::KakaoError) -> AppError {
    tracing::warn!(error = %e, "ID token rejected");
    AppError::Refused(axum::http::StatusCode::BAD_REQUEST, "login_failed")
}

/// `POST /auth/logout`: ends this session (Kakao's own session is untouched).
pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> AppResult<Response> {
    if let Some(session) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(session.value()).await?;
    }
    let jar = jar.add(expired(SESSION_COOKIE, "/", state.secure_cookies));
    Ok((jar, see_other("/")).into_response())
}

#[derive(Template)]
#[template(path = "login_cancelled.html")]
pub struct LoginCancelled {
    pub ctx: PageCtx,
    pub next: String,
}

impl LoginCancelled {
    pub fn new(lang: Lang, auth: Option<&Auth>, next: &str, sandbox: bool) -> Self {
        Self {
            ctx: PageCtx::new(lang, auth, sandbox, next),
            next: next.to_owned(),
        }
    }
}
