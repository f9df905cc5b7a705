//! Server-rendered pages: home, a room, invitations, the language toggle. Forms post back here
//! and redirect (303) to the page that shows the result.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use storage::Role;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::rooms;
use crate::session::{Auth, MaybeAuth};
use crate::state::AppState;
use crate::views::{self, IndexPage, InvitePage, InviteShown, MemberItem, PageCtx, RoomItem, RoomPage};
use crate::web::{local_path, see_other, set_cookie, with_cookies};

fn ctx(state: &AppState, headers: &HeaderMap, auth: Option<&Auth>, uri: &OriginalUri) -> PageCtx {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    PageCtx::new(Lang::from_headers(headers), auth, state.sandbox.is_some(), path)
}

fn form(body: &Bytes) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

pub async fn home(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    headers: HeaderMap,
    uri: OriginalUri,
) -> AppResult<Response> {
    let rooms = match &auth {
        Some(a) => state
            .store
            .rooms_of(&a.user.id)
            .await?
            .into_iter()
            .map(|(r, role)| RoomItem {
                id: r.id,
                name: r.name,
                is_owner: role == Role::Owner,
            })
            .collect(),
        None => Vec::new(),
    };
    views::render(&IndexPage {
        ctx: ctx(&state, &headers, auth.as_ref(), &uri),
        rooms,
    })
}

pub async fn create_room(State(state): State<AppState>, auth: Auth, body: Bytes) -> AppResult<Response> {
    let f = form(&body);
    let (name, description) = rooms::validate(
        f.get("name").map(String::as_str),
        f.get("description").map(String::as_str),
    )?;
    let room = rooms::create(&state, &auth.user, &name, &description).await?;
    Ok(see_other(&format!("/rooms/{}", room.id)))
}

pub async fn room(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    uri: OriginalUri,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let (room, role) = rooms::member_room(&state, &id, &auth.user).await?;
    let members = state.store.members(&id).await?;
    // Only an invitation of this room is shown (the code comes back in the query string).
    let invite = match q.get("invite") {
        Some(code) => state
            .store
            .invite(&rooms::normalize_code(code))
            .await?
            .filter(|i| i.room_id == id)
            .map(|i| InviteShown {
                url: rooms::invite_url(&state, &i.code),
                code: i.code,
            }),
        None => None,
    };
    let lang = Lang::from_headers(&headers);
    let view = crate::calendar::View::parse(q.get("view").map(String::as_str));
    let today = crate::events::today(&state, &room);
    let anchor = q
        .get("date")
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .unwrap_or(today);
    let (from, to) = crate::calendar::range(view, anchor);
    // The month grid shows the neighbouring months' days of its first and last weeks too.
    let (grid_from, _) = crate::calendar::range(crate::calendar::View::Week, from);
    let grid_to = crate::calendar::range(crate::calendar::View::Week, to.yesterday().unwrap_or(to)).1;
    let rows = crate::events::events_in(&state, &room, grid_from, grid_to).await?;
    let calendar = crate::calendar::build(
        lang,
        view,
        anchor,
        today,
        &room.time_zone,
        &rows,
        &format!("/rooms/{}", room.id),
    );
    let feed_url = crate::ics::feed_url(&state, &state.store.feed_token(&room.id).await?);
    let page = RoomPage {
        calendar,
        feed_url,
        ctx: ctx(&state, &headers, Some(&auth), &uri),
        id: room.id,
        name: room.name,
        description: room.description,
        is_owner: role == Role::Owner,
        members: members
            .into_iter()
            .map(|m| MemberItem {
                is_me: m.user_id == auth.user.id,
                is_owner: m.role == Role::Owner,
                user_id: m.user_id,
                nickname: m.nickname,
            })
            .collect(),
        invite,
    };
    views::render(&page)
}

pub async fn rename(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    rooms::owned_room(&state, &id, &auth.user).await?;
    let f = form(&body);
    let (name, description) = rooms::validate(
        f.get("name").map(String::as_str),
        f.get("description").map(String::as_str),
    )?;
    state
        .store
        .update_room(&id, &name, &description, state.now_ms())
        .await?;
    Ok(see_other(&format!("/rooms/{id}")))
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    rooms::owned_room(&state, &id, &auth.user).await?;
    state.store.delete_room(&id).await?;
    Ok(see_other("/"))
}

pub async fn new_invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let code = rooms::create_invite(&state, &id, &auth.user).await?;
    Ok(see_other(&format!("/rooms/{id}?invite={code}")))
}

pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> AppResult<Response> {
    rooms::remove_member(&state, &id, &auth.user, &user_id).await?;
    Ok(see_other(&format!("/rooms/{id}")))
}

pub async fn leave(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> AppResult<Response> {
    let me = auth.user.id.clone();
    rooms::remove_member(&state, &id, &auth.user, &me).await?;
    Ok(see_other("/"))
}

pub async fn transfer(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let f = form(&body);
    let to = f.get("user_id").cloned().unwrap_or_default();
    rooms::transfer(&state, &id, &auth.user, &to).await?;
    Ok(see_other(&format!("/rooms/{id}")))
}

/// `GET /i/{code}`: log in first if needed, then the room's invitation (or the room itself
/// for someone already in it).
pub async fn invite(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    headers: HeaderMap,
    uri: OriginalUri,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let code = rooms::normalize_code(&code);
    let invite = state
        .store
        .invite(&code)
        .await?
        .ok_or_else(|| AppError::new(axum::http::StatusCode::NOT_FOUND, "invite_not_found"))?;
    let Some(auth) = auth else {
        return Ok(see_other(&format!("/auth/kakao/login?next=/i/{code}")));
    };
    if state
        .store
        .room_for_member(&invite.room_id, &auth.user.id)
        .await?
        .is_some()
    {
        return Ok(see_other(&format!("/rooms/{}", invite.room_id)));
    }
    let room = state
        .store
        .room(&invite.room_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let member_count = state.store.members(&room.id).await?.len();
    views::render(&InvitePage {
        ctx: ctx(&state, &headers, Some(&auth), &uri),
        code,
        room_name: room.name,
        member_count,
    })
}

pub async fn accept(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let room_id = rooms::accept_invite(&state, &code, &auth.user).await?;
    Ok(see_other(&format!("/rooms/{room_id}")))
}

/// The invitation link as a QR code (SVG), for friends sitting at the same table.
pub async fn invite_qr(State(state): State<AppState>, Path(code): Path<String>) -> AppResult<Response> {
    let code = rooms::normalize_code(&code);
    state
        .store
        .invite(&code)
        .await?
        .ok_or_else(|| AppError::new(axum::http::StatusCode::NOT_FOUND, "invite_not_found"))?;
    let qr = qrcode::QrCode::new(rooms::invite_url(&state, &code).as_bytes()).map_err(AppError::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// `GET /join?code=…`: the short-code form on the home page.
pub async fn join(Query(q): Query<HashMap<String, String>>) -> Response {
    let code = rooms::normalize_code(q.get("code").map(String::as_str).unwrap_or(""));
    if code.is_empty() {
        return see_other("/");
    }
    see_other(&format!("/i/{code}"))
}

/// `GET /lang/{ko|en}?next=…`: the language toggle (a cookie for a year).
pub async fn set_lang(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = Lang::parse(&lang).unwrap_or_default();
    let cookie = set_cookie("lang", lang.code(), "/", 365 * 86_400, state.secure_cookies);
    with_cookies(
        see_other(&local_path(q.get("next").map(String::as_str))),
        &[cookie],
    )
}
