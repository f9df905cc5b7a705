//! The account page (DESIGN.md item 9, issue 11): Kakao consents read live from
//! `/v2/user/scopes` with the user's own token, each optional or during-use one revocable;
//! "log out everywhere"; an export of everything the user made (JSON and ICS); and deleting the
//! account — unlinked from Kakao first (the user's token, else the admin key), then tokens,
//! sessions and memberships go, owned rooms pass to the longest-standing member (or go when
//! empty), and the user row loses its personal data. The JSON API (`account_api`) shares the
//! logic here.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use icalendar::Calendar;
use kakao::ErrorKind;
use kakao::wire::ScopeInfo;
use serde::Deserialize;
use serde_json::{Value, json};
use storage::{AccountDeletion, User};

use crate::auth::tokens::{TokenError, access_token};
use crate::events::talk_calendar::{PushError, with_token};
use crate::state::AppState;
use crate::web::confirm::{self, Question, confirmed};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::flash;
use crate::web::http::{expired, see_other};
use crate::web::session::{Auth, SESSION_COOKIE};
use crate::web::views::PageCtx;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;

/// Why the consents could not be read or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsentError {
    /// No usable Kakao tokens: log in again to see (and change) consents.
    NeedsLogin,
    /// Kakao refused: a required item (`-3`) or an unknown one (`-2`).
    NotRevocable,
    Unknown,
    Unavailable,
}

impl ConsentError {
    pub fn code(&self) -> &'static str {
        match self {
            ConsentError::NeedsLogin => "kakao_login_required",
            ConsentError::NotRevocable => "scope_not_revocable",
            ConsentError::Unknown => "scope_unknown",
            ConsentError::Unavailable => "kakao_unavailable",
        }
    }

    pub fn app_error(&self) -> AppError {
        match self {
            ConsentError::NeedsLogin => AppError::KakaoLoginRequired {
                next: "/account".to_owned(),
            },
            ConsentError::NotRevocable => AppError::Refused(StatusCode::BAD_REQUEST, "scope_not_revocable"),
            ConsentError::Unknown => AppError::Refused(StatusCode::BAD_REQUEST, "scope_unknown"),
            ConsentError::Unavailable => AppError::KakaoUnavailable,
        }
    }

    fn from_push(e: PushError) -> Self {
        match e {
            PushError::Consent(_) => ConsentError::NeedsLogin,
            // `-3` (a required item) and `-2` (an unknown id), as Kakao answers a revoke.
            PushError::NoPermission => ConsentError::NotRevocable,
            PushError::Invalid => ConsentError::Unknown,
            PushError::NotTalkUser | PushError::Unavailable => ConsentError::Unavailable,
        }
    }
}

/// The user's consent items as Kakao reports them now.
pub async fn consents(state: &AppState, user_id: &str) -> Result<Vec<ScopeInfo>, ConsentError> {
    let kakao = state.kakao.clone();
    with_token(state, user_id, |token| {
        let kakao = kakao.clone();
        async move { kakao.scopes(&token, &[]).await }
    })
    .await
    .map(|r| r.scopes)
    .map_err(ConsentError::from_push)
}

/// Withdraws the user's agreement to `scopes` at Kakao; returns the items after it.
pub async fn revoke(
    state: &AppState,
    user_id: &str,
    scopes: &[String],
) -> Result<Vec<ScopeInfo>, ConsentError> {
    let kakao = state.kakao.clone();
    let refs: Vec<String> = scopes.to_vec();
    let result = with_token(state, user_id, |token| {
        let (kakao, refs) = (kakao.clone(), refs.clone());
        async move {
            let list: Vec<&str> = refs.iter().map(String::as_str).collect();
            kakao.revoke_scopes(&token, &list).await
        }
    })
    .await;
    match result {
        Ok(resp) => {
            for scope in scopes {
                if !resp.agreed(scope)
                    && let Err(e) = state.store.forget_scope_seen(user_id, scope).await
                {
                    tracing::warn!(error = %e, "could not forget a revoked scope");
                }
            }
            Ok(resp.scopes)
        }
        Err(e) => Err(ConsentError::from_push(e)),
    }
}

/// Whether Gachi lets the user revoke this item here (Kakao decides in the end).
pub fn revocable(scope: &ScopeInfo) -> bool {
    scope.agreed && scope.revocable == Some(true) && scope.id != "openid"
}

/// Everything the user made, as one JSON document.
pub async fn export(state: &AppState, user: &User) -> AppResult<Value> {
    let rooms = state.store.rooms_of(&user.id).await?;
    let events = state.store.events_created_by(&user.id).await?;
    let links = state.store.talk_calendar_links_of(&user.id).await?;
    let mut doc = json!({
        "exported_at": state.clock.now().to_string(),
        "profile": {
            "id": user.id,
            "kakao_id": user.kakao_id,
            "nickname": user.nickname,
            "profile_image_url": user.profile_image_url,
            "created_at": crate::events::service::rfc3339_in(user.created_at, "UTC"),
        },
        "rooms": rooms.iter().map(|(r, role)| json!({
            "id": r.id, "name": r.name, "description": r.description,
            "time_zone": r.time_zone, "role": role.as_str(),
        })).collect::<Vec<_>>(),
        "events": events.iter().map(|row| {
            let mut v = serde_json::to_value(crate::events::service::to_json(row)).unwrap_or(Value::Null);
            v["room_id"] = json!(row.room_id);
            v
        }).collect::<Vec<_>>(),
        "talk_calendar": links.iter().filter(|l| l.kakao_event_id.is_some()).map(|l| json!({
            "event_id": l.event_id, "room_id": l.room_id, "talk_calendar_event_id": l.kakao_event_id,
        })).collect::<Vec<_>>(),
    });
    if let Some(polls) = state.store.polls_export(&user.id).await? {
        doc["polls"] = polls
            .polls
            .iter()
            .map(|(id, room_id, title, kind, created_at)| {
                json!({"id": id, "room_id": room_id, "title": title, "kind": kind,
                       "created_at": crate::events::service::rfc3339_in(*created_at, "UTC")})
            })
            .collect();
        doc["poll_answers"] = polls
            .answers
            .iter()
            .map(|(poll_id, answers, _)| {
                json!({"poll_id": poll_id,
                       "answers": serde_json::from_str::<Value>(answers).unwrap_or(Value::Null)})
            })
            .collect();
    }
    Ok(doc)
}

/// The events the user created, as one iCalendar file.
pub async fn export_ics(state: &AppState, user: &User) -> AppResult<String> {
    let events = state.store.events_created_by(&user.id).await?;
    let mut cal = Calendar::new();
    cal.name("Gachi").append_property(("METHOD", "PUBLISH"));
    for row in &events {
        let room_url = format!("{}/rooms/{}", state.public_url, row.room_id);
        // A series goes out whole: its RRULE, cancelled days and changed ones.
        let exceptions = if row.rrule.is_some() {
            state.store.event_exceptions(&row.id).await?
        } else {
            Vec::new()
        };
        for e in crate::events::ics::vevents(row, &exceptions, &room_url) {
            cal.push(e);
        }
    }
    Ok(cal.done().to_string())
}

pub fn download(body: String, content_type: &'static str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Unlinks the user from the app at Kakao: with their own token, else with the admin key. A
/// user Kakao no longer knows as linked is fine; Kakao being unreachable stops the deletion
/// before anything is removed here.
async fn unlink(state: &AppState, user: &User) -> AppResult<()> {
    let mut force = false;
    loop {
        let token = match access_token(state, &user.id, force).await {
            Ok(t) => t,
            Err(TokenError::NeedsLogin) => break,
            Err(e) => return Err(crate::auth::consent::kakao_unavailable(e)),
        };
        match state.kakao.unlink(&token).await {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == ErrorKind::TokenExpired && !force => force = true,
            Err(e) if matches!(e.kind(), ErrorKind::NeedsLogin | ErrorKind::TokenExpired) => break,
            Err(e) => return Err(crate::auth::consent::kakao_unavailable(e)),
        }
    }
    if state.kakao.config().admin_key.is_none() {
        tracing::warn!("account deleted without a Kakao unlink: no token and no admin key");
        return Ok(());
    }
    match state.kakao.unlink_admin(user.kakao_id).await {
        Ok(_) => Ok(()),
        // -101: not linked (any more).
        Err(e) if e.api_code() == Some(-101) => Ok(()),
        Err(e) => Err(crate::auth::consent::kakao_unavailable(e)),
    }
}

/// Deletes the account (see the module documentation).
pub async fn delete_account(state: &AppState, user: &User) -> AppResult<AccountDeletion> {
    unlink(state, user).await?;
    let done = state.store.delete_account(&user.id, state.now_ms()).await?;
    state.friends_cache.forget(&user.id);
    tracing::info!(
        handed_over = done.rooms_handed_over.len(),
        deleted = done.rooms_deleted.len(),
        "account deleted"
    );
    Ok(done)
}

/// The cookie that ends this browser's session.
pub fn clear_session_cookie(state: &AppState) -> Cookie<'static> {
    expired(SESSION_COOKIE, "/", state.secure_cookies)
}

pub struct ConsentItem {
    pub id: String,
    pub name: String,
    pub agreed: bool,
    pub revocable: bool,
}

pub struct CopyItem {
    pub title: String,
    pub url: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub nickname: String,
    pub consents: Vec<ConsentItem>,
    /// A catalogue text when the consents could not be read.
    pub consents_error: String,
    pub copies: Vec<CopyItem>,
    pub notice_code: String,
    pub notice: String,
    pub room_count: usize,
    pub owned_count: usize,
}

fn notice_key(code: &str) -> Option<&'static str> {
    Some(match code {
        "revoked" => "account-notice-revoked",
        "scope_not_revocable" => "scope_not_revocable",
        "scope_unknown" => "scope_unknown",
        "kakao_login_required" => "kakao_login_required",
        "kakao_unavailable" => "kakao_unavailable",
        "confirm_required" => "account-confirm_required",
        _ => return None,
    })
}

/// `?notice=…`: what the last action did, said on the page.
#[derive(serde::Deserialize)]
pub struct AccountQuery {
    notice: Option<String>,
}

/// `GET /account`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    Query(q): Query<AccountQuery>,
) -> AppResult<Response> {
    let (consents, consents_error) = match consents(&state, &auth.user.id).await {
        Ok(list) => (
            list.iter()
                .filter(|s| s.using || s.agreed)
                .filter(|s| s.id != "openid")
                .map(|s| ConsentItem {
                    id: s.id.clone(),
                    name: if s.display_name.is_empty() {
                        s.id.clone()
                    } else {
                        s.display_name.clone()
                    },
                    agreed: s.agreed,
                    revocable: revocable(s),
                })
                .collect(),
            String::new(),
        ),
        Err(e) => (Vec::new(), ctx.tr(e.code()).to_owned()),
    };
    let mut copies = Vec::new();
    for link in state.store.talk_calendar_links_of(&auth.user.id).await? {
        if link.kakao_event_id.is_none() {
            continue;
        }
        let Some(row) = state.store.event(&link.room_id, &link.event_id).await? else {
            continue;
        };
        let error = match link.last_error.as_deref() {
            Some("consent") => ctx.tr("talk_calendar-notice-consent").to_owned(),
            Some("not_talk_user") => ctx.tr("talk_calendar-notice-not_talk_user").to_owned(),
            Some("no_permission") => ctx.tr("talk_calendar-notice-no_permission").to_owned(),
            Some(_) => ctx.tr("talk_calendar-notice-unavailable").to_owned(),
            None => String::new(),
        };
        copies.push(CopyItem {
            url: format!("/rooms/{}/events/{}", row.room_id, row.id),
            title: row.title,
            error,
        });
    }
    let rooms = state.store.rooms_of(&auth.user.id).await?;
    let owned_count = rooms
        .iter()
        .filter(|(_, role)| *role == storage::Role::Owner)
        .count();
    let code = q.notice.clone().unwrap_or_default();
    let notice = notice_key(&code)
        .map(|k| ctx.tr(k).to_owned())
        .unwrap_or_default();
    let page = AccountPage {
        nickname: auth.user.nickname.clone(),
        consents,
        consents_error,
        copies,
        notice_code: if notice.is_empty() { String::new() } else { code },
        notice,
        room_count: rooms.len(),
        owned_count,
        ctx,
    };
    crate::web::views::render(&page)
}

/// `scope=…` to revoke, `confirm=yes` once asked.
#[derive(Deserialize)]
pub struct RevokeForm {
    scope: Option<String>,
    confirm: Option<String>,
}

/// `confirm=yes` once asked (web/confirm.rs).
#[derive(Deserialize)]
pub struct DeleteForm {
    confirm: Option<String>,
}

/// `POST /account/consents/revoke` (`scope=…`).
pub async fn revoke_page(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let scope = form.scope.unwrap_or_default();
    if scope.trim().is_empty() {
        return Ok(see_other("/account?notice=scope_unknown#consents"));
    }
    if !confirmed(form.confirm.as_deref().unwrap_or("")) {
        let question = Question {
            title: "confirm-revoke-title",
            detail: "confirm-revoke-detail",
            ok: "confirm-revoke-ok",
        };
        let fields = vec![("scope".to_owned(), scope)];
        return confirm::ask(
            ctx,
            question,
            "/account/consents/revoke".to_owned(),
            fields,
            "/account#consents".to_owned(),
        );
    }
    match revoke(&state, &auth.user.id, &[scope]).await {
        Ok(_) => {
            let jar = flash::add(jar, "consent_revoked", state.secure_cookies);
            Ok((jar, see_other("/account#consents")).into_response())
        }
        Err(e) => Ok(see_other(&format!("/account?notice={}#consents", e.code()))),
    }
}

/// `POST /account/logout-everywhere`: every session of the user ends, this one too.
pub async fn logout_everywhere_page(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> AppResult<Response> {
    state.store.delete_user_sessions(&auth.user.id).await?;
    let jar = flash::add(
        jar.add(clear_session_cookie(&state)),
        "logged_out_everywhere",
        state.secure_cookies,
    );
    Ok((jar, see_other("/")).into_response())
}

/// `GET /account/export.json`.
pub async fn export_json_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let doc = export(&state, &auth.user).await?;
    let body = serde_json::to_string_pretty(&doc).map_err(AppError::internal)?;
    Ok(download(
        body,
        "application/json; charset=utf-8",
        "gachi-export.json",
    ))
}

/// `GET /account/export.ics`.
pub async fn export_ics_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let body = export_ics(&state, &auth.user).await?;
    Ok(download(body, "text/calendar; charset=utf-8", "gachi-events.ics"))
}

/// `POST /account/delete` (`confirm=yes` once asked).
pub async fn delete_page(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    if !confirmed(form.confirm.as_deref().unwrap_or("")) {
        let question = Question {
            title: "confirm-account-delete-title",
            detail: "confirm-account-delete-detail",
            ok: "confirm-account-delete-ok",
        };
        return confirm::ask(
            ctx,
            question,
            "/account/delete".to_owned(),
            Vec::new(),
            "/account#delete".to_owned(),
        );
    }
    match delete_account(&state, &auth.user).await {
        Ok(_) => {
            let jar = flash::add(
                jar.add(clear_session_cookie(&state)),
                "account_deleted",
                state.secure_cookies,
            );
            Ok((jar, see_other("/")).into_response())
        }
        Err(AppError::KakaoUnavailable) => Ok(see_other("/account?notice=kakao_unavailable#delete")),
        Err(e) => Err(e),
    }
}
