//! Server-rendered pages: home, room settings, invitations, the language toggle. Forms post back here
//! and redirect (303) to the page that shows the result.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use storage::Role;

use crate::rooms::member::Member;
use crate::rooms::service::{self as rooms, RoomInput};
use crate::rooms::views::{IndexPage, InvitePage, RoomItem};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::http::{cookie, local_path, see_other};
use crate::web::session::{Auth, MaybeAuth};
use crate::web::views::{self, PageCtx};
use i18n::Lang;

/// `user_id=…`: whom the ownership goes to.
#[derive(Deserialize)]
pub struct OwnerForm {
    user_id: Option<String>,
}

pub async fn home(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    ctx: PageCtx,
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
    views::render(&IndexPage { ctx, rooms })
}

pub async fn create_room(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<RoomInput>,
) -> AppResult<Response> {
    let (name, description) = rooms::validate(f.name.as_deref(), f.description.as_deref())?;
    let room = rooms::create(&state, &auth.user, &name, &description).await?;
    Ok(see_other(&format!("/rooms/{}", room.id)))
}

pub async fn rename(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(f): Form<RoomInput>,
) -> AppResult<Response> {
    member.owned()?;
    let (name, description) = rooms::validate(f.name.as_deref(), f.description.as_deref())?;
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
    let invite = rooms::create_invite(&state, &id, &auth.user).await?;
    Ok(see_other(&format!("/rooms/{id}?invite={}", invite.code)))
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
    member: Member,
    Path(id): Path<String>,
    Form(f): Form<OwnerForm>,
) -> AppResult<Response> {
    let to = f.user_id.unwrap_or_default();
    rooms::transfer(&state, &id, &member.auth.user, &to).await?;
    Ok(see_other(&format!("/rooms/{id}")))
}

/// `GET /i/{code}`: log in first if needed, then the room's invitation (or the room itself
/// for someone already in it).
pub async fn invite(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let invite = rooms::live_invite(&state, &code).await?;
    let code = invite.code.clone();
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
        ctx,
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
    let code = rooms::live_invite(&state, &code).await?.code;
    let qr = qrcode::QrCode::new(rooms::invite_url(&state, &code).as_bytes()).map_err(AppError::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// `GET /join?code=…`: the short-code form on the home page.
/// `?code=…` of the join form.
#[derive(Deserialize)]
pub struct JoinQuery {
    code: Option<String>,
}

pub async fn join(Query(q): Query<JoinQuery>) -> Response {
    let code = rooms::normalize_code(q.code.as_deref().unwrap_or(""));
    if code.is_empty() {
        return see_other("/");
    }
    see_other(&format!("/i/{code}"))
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /lang/{ko|en}?next=…`: the language toggle (a cookie for a year). A logged-in user's
/// choice is also remembered on their account, so what is sent to them later speaks it.
pub async fn set_lang(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(lang): Path<String>,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let lang = Lang::parse(&lang).unwrap_or_default();
    if let Some(auth) = auth {
        state
            .store
            .set_user_lang(&auth.user.id, lang.code(), state.now_ms())
            .await?;
    }
    let choice = cookie(
        "lang",
        lang.code().to_owned(),
        "/",
        365 * 86_400,
        state.secure_cookies,
    );
    Ok((jar.add(choice), see_other(&local_path(q.next.as_deref()))).into_response())
}
