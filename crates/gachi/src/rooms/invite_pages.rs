//! Inviting, as pages: the member's invite screen (`/rooms/{id}/invite`: the current link with
//! its expiry, copy, Kakao Talk Share, the phone's share sheet, QR), and the invitee's side
//! (`/i/{code}`: who invites, to which room, who is in it, one button to join).
//!
//! A logged-out invitee sees the invitation before Kakao's login. Pressing "카카오로 로그인하고
//! 참여하기" posts to `/i/{code}/accept`, which remembers that intent in a short-lived cookie
//! and goes through login back to `/i/{code}`; finding the intent there, the page joins and
//! opens the room. The intent is a cookie set by a same-origin POST (never a query parameter),
//! so a link alone cannot make a logged-in visitor join a room.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use serde_json::json;
use storage::{Invite, Role, Room};

use crate::auth::sdk;
use crate::rooms::member::Member;
use crate::rooms::service as rooms;
use crate::rooms::views::{CurrentInvite, InviteGonePage, InvitePage, InviteScreen, InviteeMember};
use crate::state::AppState;
use crate::web::confirm::{self, ConfirmForm, Question, confirmed};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Form;
use crate::web::flash;
use crate::web::http::{cookie, see_other};
use crate::web::session::{Auth, MaybeAuth};
use crate::web::views::{self, PageCtx};
use i18n::Lang;

/// The cookie that carries "join this room once I am logged in" across Kakao's login.
const JOIN_INTENT: &str = "gachi_join";
/// Long enough to pick an account and agree at Kakao; short enough to be forgotten after.
const JOIN_INTENT_SECS: i64 = 15 * 60;
/// The invitation card's picture (the home page's example, drawn by the render crate).
const CARD_IMAGE: (u32, u32) = (
    crate::rooms::example::SIZE.width,
    crate::rooms::example::SIZE.height,
);

/// `POST /rooms/{id}/invites` ("초대하기"): the member's current link, made only when they have
/// none that still works, then the invite screen.
pub async fn new_invite(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, made) = rooms::current_invite(&state, &id, &auth.user).await?;
    // Said only when a link was made: showing the current one again changes nothing.
    let jar = if made {
        flash::add(jar, "invite_created", state.secure_cookies)
    } else {
        jar
    };
    Ok((jar, see_other(&format!("/rooms/{id}/invite"))).into_response())
}

/// `POST /rooms/{id}/invites/renew`: the owner swaps the current link for a new one (asked
/// first: the link already sent stops working).
pub async fn renew(
    State(state): State<AppState>,
    member: Member,
    ctx: PageCtx,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    member.owned()?;
    if !confirmed(&f.confirm) {
        let question = Question {
            title: "confirm-invite-renew-title",
            detail: "confirm-invite-renew-detail",
            ok: "confirm-invite-renew-ok",
        };
        let back = format!("/rooms/{id}/invite");
        return confirm::ask(
            ctx,
            question,
            format!("/rooms/{id}/invites/renew"),
            Vec::new(),
            back,
        );
    }
    rooms::renew_invite(&state, &id, &member.auth.user).await?;
    let jar = flash::add(jar, "invite_created", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{id}/invite"))).into_response())
}

/// `POST /rooms/{id}/invites/{code}/revoke`: the owner turns a link off (asked first).
pub async fn revoke(
    State(state): State<AppState>,
    member: Member,
    ctx: PageCtx,
    jar: CookieJar,
    Path((id, code)): Path<(String, String)>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let room = member.owned()?;
    let code = rooms::normalize_code(&code);
    if !confirmed(&f.confirm) {
        let question = Question {
            title: "confirm-invite-revoke-title",
            detail: "confirm-invite-revoke-detail",
            ok: "confirm-invite-revoke-ok",
        };
        let action = format!("/rooms/{id}/invites/{code}/revoke");
        return confirm::ask(ctx, question, action, Vec::new(), format!("/rooms/{id}/invite"));
    }
    if !state.store.revoke_invite(&room.id, &code, state.now_ms()).await? {
        return Err(AppError::Missing("invite_not_found"));
    }
    let jar = flash::add(jar, "invite_revoked", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{id}/invite"))).into_response())
}

/// `GET /rooms/{id}/invite`: the member's current invitation and every way to send it. Reading
/// never makes a code (a page view must not change anything); without one the screen offers
/// to make it.
pub async fn screen(State(state): State<AppState>, member: Member, ctx: PageCtx) -> AppResult<Response> {
    let room = &member.room;
    let me = &member.auth.user;
    let invite = state
        .store
        .current_invite(&room.id, &me.id, state.now_ms())
        .await?;
    let members = state.store.members(&room.id).await?;
    let sdk = sdk::js_sdk(&state);
    let (current, talk_share, share_text) = match invite {
        Some(invite) => {
            let url = rooms::invite_url(&state, &invite.code);
            let names: Vec<&str> = members.iter().map(|m| m.nickname.as_str()).collect();
            let card = invitation_card(&state, ctx.lang, &me.nickname, room, &names, &url);
            let share_text = ctx.lang.tr(
                "invite-share-text",
                &[("name", me.nickname.as_str()), ("room", room.name.as_str())],
            );
            (
                Some(CurrentInvite {
                    expires: expiry_text(ctx.lang, &invite, &room.time_zone),
                    code: invite.code,
                    url,
                }),
                card.to_string(),
                share_text,
            )
        }
        None => (None, String::new(), String::new()),
    };
    views::render(&InviteScreen {
        room_id: room.id.clone(),
        room_name: room.name.clone(),
        is_owner: member.role == Role::Owner,
        invite: current,
        sdk_url: sdk.as_ref().map(|s| s.url.clone()).unwrap_or_default(),
        js_key: sdk.map(|s| s.key).unwrap_or_default(),
        talk_share,
        share_text,
        ctx,
    })
}

/// Kakao Talk Share settings for the invitation card: who invites, to which room, who is in
/// it, and one button that opens the invitation.
fn invitation_card(
    state: &AppState,
    lang: Lang,
    inviter: &str,
    room: &Room,
    members: &[&str],
    url: &str,
) -> serde_json::Value {
    let link = json!({"webUrl": url, "mobileWebUrl": url});
    let count = members.len().to_string();
    let title = lang.tr(
        "invite-card-title",
        &[("name", inviter), ("room", room.name.as_str())],
    );
    let description = lang.tr(
        "invite-card-description",
        &[("count", count.as_str()), ("names", members.join(", ").as_str())],
    );
    json!({
        "objectType": "feed",
        "content": {
            "title": title,
            "description": description,
            "imageUrl": format!("{}/example.png?lang={}", state.public_url, lang.code()),
            "imageWidth": CARD_IMAGE.0,
            "imageHeight": CARD_IMAGE.1,
            "link": link,
        },
        "buttons": [{"title": lang.t("invite-join"), "link": link}],
    })
}

/// "12월 6일 17:30까지 쓸 수 있어요", in the room's zone.
fn expiry_text(lang: Lang, invite: &Invite, zone: &str) -> String {
    let Some(ms) = invite.expires_at else {
        return String::new();
    };
    let (Ok(tz), Ok(at)) = (
        domain::event::time_zone(zone),
        jiff::Timestamp::from_millisecond(ms),
    ) else {
        return String::new();
    };
    let at = at.to_zoned_datetime(tz);
    let date = match lang {
        Lang::Ko => format!("{}월 {}일", at.month(), at.day()),
        Lang::En => at.strftime("%b %-d").to_string(),
    };
    let time = at.strftime("%H:%M").to_string();
    lang.tr(
        "invite-expires",
        &[("date", date.as_str()), ("time", time.as_str())],
    )
}

/// `GET /i/{code}`: the invitation (for anyone holding the link), the room for someone already
/// in it, or, right after "login and join", the room joined.
pub async fn invite(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    ctx: PageCtx,
    jar: CookieJar,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let invite = match rooms::live_invite(&state, &code).await {
        Ok(invite) => invite,
        Err(e) => return gone(ctx, e),
    };
    if let Some(auth) = &auth {
        if state
            .store
            .room_for_member(&invite.room_id, &auth.user.id)
            .await?
            .is_some()
        {
            return Ok(see_other(&format!("/rooms/{}", invite.room_id)));
        }
        if jar.get(JOIN_INTENT).is_some_and(|c| c.value() == invite.code) {
            let mut spent = Cookie::from(JOIN_INTENT);
            spent.set_path("/i/");
            let jar = jar.remove(spent);
            return match rooms::accept_invite(&state, &invite.code, &auth.user).await {
                Ok(room_id) => {
                    let jar = flash::add(jar, "joined", state.secure_cookies);
                    Ok((jar, see_other(&format!("/rooms/{room_id}"))).into_response())
                }
                Err(e) => Ok((jar, gone(ctx, e)?).into_response()),
            };
        }
    }
    let room = state
        .store
        .room(&invite.room_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let inviter = state
        .store
        .user(&invite.created_by)
        .await?
        .map(|u| u.nickname)
        .unwrap_or_default();
    let members: Vec<InviteeMember> = state
        .store
        .members(&room.id)
        .await?
        .into_iter()
        .map(|m| InviteeMember {
            initial: m.nickname.chars().next().map(String::from).unwrap_or_default(),
            is_owner: m.role == Role::Owner,
            nickname: m.nickname,
        })
        .collect();
    let lang = ctx.lang;
    let count = members.len().to_string();
    views::render(&InvitePage {
        headline: lang.tr("invite-from", &[("name", inviter.as_str())]),
        member_count: lang.tr("invite-member-count", &[("count", count.as_str())]),
        expires: expiry_text(lang, &invite, &room.time_zone),
        og_image: format!("{}/example.png?lang={}", state.public_url, lang.code()),
        og_url: rooms::invite_url(&state, &invite.code),
        logged_in: auth.is_some(),
        code: invite.code,
        room_name: room.name,
        description: room.description,
        members,
        ctx,
    })
}

/// The page for a code that no longer works (410) or never did (404); other errors go on.
fn gone(ctx: PageCtx, e: AppError) -> AppResult<Response> {
    let (status, expired) = match e {
        AppError::Refused(StatusCode::GONE, _) => (StatusCode::GONE, true),
        AppError::Missing("invite_not_found") => (StatusCode::NOT_FOUND, false),
        other => return Err(other),
    };
    let page = views::render(&InviteGonePage { ctx, expired })?;
    Ok((status, page).into_response())
}

/// `POST /i/{code}/accept`: joins (logged in), or remembers the wish and logs in first.
pub async fn accept(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    jar: CookieJar,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let Some(auth) = auth else {
        let code = rooms::live_invite(&state, &code).await?.code;
        let intent = cookie(
            JOIN_INTENT,
            code.clone(),
            "/i/",
            JOIN_INTENT_SECS,
            state.secure_cookies,
        );
        let login = format!("/auth/kakao/login?next=/i/{code}");
        return Ok((jar.add(intent), see_other(&login)).into_response());
    };
    let room_id = rooms::accept_invite(&state, &code, &auth.user).await?;
    let jar = flash::add(jar, "joined", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{room_id}"))).into_response())
}

/// The invitation link as a QR code (SVG), for friends sitting at the same table.
pub async fn invite_qr(State(state): State<AppState>, Path(code): Path<String>) -> AppResult<Response> {
    let code = rooms::live_invite(&state, &code).await?.code;
    let qr = qrcode::QrCode::new(rooms::invite_url(&state, &code).as_bytes()).map_err(AppError::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// `GET /static/invite.js`: copy, share sheet and Kakao Talk Share buttons (the CSP allows no
/// inline script).
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../static/invite.js"),
    )
        .into_response()
}
