//! The public share page (DESIGN.md "Public share link"): friends who get a KakaoTalk card,
//! and KakaoTalk's link-preview crawler, have no Gachi session, so each share has a read-only,
//! unguessable, revocable page `/s/{token}` with the image, title, time and place, `og:image`
//! at `/s/{token}/image.png` (the picture made for a chat bubble, which Talk Share sends too; the
//! page itself shows the full week or month at `/s/{token}/full.png`), and a "join this room" button that goes through login to an
//! invitation of the room. The room itself stays 404 to non-members.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use storage::{Room, Share};

use crate::rooms::service as rooms;
use crate::sharing::{card, images, picture};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::AcceptLang;
use crate::web::http::see_other;
use crate::web::session::MaybeAuth;
use crate::web::views::{self, PageCtx};
use i18n::Lang;

#[derive(Template)]
#[template(path = "public_share.html")]
pub struct PublicSharePage {
    pub ctx: PageCtx,
    pub title: String,
    pub when: String,
    pub place: String,
    pub room_name: String,
    pub description: String,
    pub image_path: String,
    pub og_image: String,
    pub og_url: String,
    pub join_path: String,
}

/// The live share behind `token` and its room (404 once revoked or gone).
async fn live(state: &AppState, token: &str) -> AppResult<(Share, Room)> {
    let share = state
        .store
        .share_by_token(token)
        .await?
        .ok_or_else(AppError::not_found)?;
    let room = state
        .store
        .room(&share.room_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((share, room))
}

/// `GET /s/{token}`.
pub async fn page(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    AcceptLang(lang): AcceptLang,
    uri: OriginalUri,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (share, room) = live(&state, &token).await?;
    let card = card::card_text(&state, &share, &room)
        .await
        .map_err(|_| AppError::not_found())?;
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    views::render(&PublicSharePage {
        ctx: PageCtx::new(lang, auth.as_ref(), state.sandbox.is_some(), path),
        description: card.description(),
        title: card.title,
        when: card.when,
        place: card.place,
        room_name: card.room_name,
        image_path: format!("/s/{token}/full.png"),
        og_image: card.image_url,
        og_url: card.public_url,
        join_path: format!("/s/{token}/join"),
    })
}

/// `GET /s/{token}/image.png`: the bubble picture (the `og:image`, and Talk Share's image).
pub async fn image(state: State<AppState>, token: Path<String>) -> AppResult<Response> {
    drawn(state, token, picture::Fit::Bubble).await
}

/// `GET /s/{token}/full.png`: the full picture (the week timetable or month grid) the page shows.
pub async fn full_image(state: State<AppState>, token: Path<String>) -> AppResult<Response> {
    drawn(state, token, picture::Fit::Full(render::Size::PORTRAIT)).await
}

async fn drawn(
    State(state): State<AppState>,
    Path(token): Path<String>,
    fit: picture::Fit,
) -> AppResult<Response> {
    let (share, room) = live(&state, &token).await?;
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    let png = picture::png(&state, &room, &card::spec_of(&share), lang, fit)
        .await
        .map_err(|_| AppError::not_found())?;
    Ok(images::png_response(png))
}

/// `GET /s/{token}/join`: to the room's invitation (made once per share, again when it ran
/// out, in the name of the room's owner: shares are the room's), which asks for login first.
/// Revoking the link revokes that invitation too; it never admits someone who left the room.
pub async fn join(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let (share, room) = live(&state, &token).await?;
    let live_code = match &share.invite_code {
        Some(code) => state
            .store
            .invite(code)
            .await?
            .filter(|i| i.room_id == room.id && i.live_at(state.now_ms()))
            .map(|i| i.code),
        None => None,
    };
    let code = match live_code {
        Some(code) => code,
        None => {
            let owner = state
                .store
                .room_owner(&room.id)
                .await?
                .ok_or_else(AppError::not_found)?;
            let code = rooms::mint_invite(&state, &room.id, &owner).await?.code;
            state.store.set_share_invite(&share.id, &code).await?;
            code
        }
    };
    Ok(see_other(&format!("/i/{code}")))
}
