//! The public share page (DESIGN.md "Public share link"): friends who get a KakaoTalk card,
//! and KakaoTalk's link-preview crawler, have no Gachi session, so each share has a read-only,
//! unguessable, revocable page `/s/{token}` with the image, title, time and place, `og:image`
//! at `/s/{token}/image.png` (the picture made for a chat bubble, which Talk Share sends too; the
//! page itself shows the full week or month at `/s/{token}/full.png`), and a "join this room" button that goes through login to an
//! invitation of the room. The room itself stays 404 to non-members.
//!
//! A member of the room who opens the page (or the card's second button, `/join`) is not
//! offered to join a room they are in: they are led to the event, or the room (issue #17).

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
use crate::web::session::{Auth, MaybeAuth};
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
    /// For a member of the room: the event (a card) or the room, instead of joining.
    pub open_path: String,
    pub open_label: String,
    /// The room's name on its own line, unless the title already says it (week, month).
    pub show_room_name: bool,
}

/// Where a logged-in member of the share's room goes instead of the invitation: the card's
/// event, or the room. `None` for everyone else (no session, or not a member).
async fn member_path(
    state: &AppState,
    share: &Share,
    room: &Room,
    auth: Option<&Auth>,
) -> AppResult<Option<String>> {
    let Some(auth) = auth else {
        return Ok(None);
    };
    if state
        .store
        .room_for_member(&room.id, &auth.user.id)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    Ok(Some(match card::spec_of(share).event_id {
        Some(eid) => format!("/rooms/{}/events/{eid}", room.id),
        None => format!("/rooms/{}", room.id),
    }))
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
    let open_path = member_path(&state, &share, &room, auth.as_ref())
        .await?
        .unwrap_or_default();
    let open_label = match card::spec_of(&share).event_id {
        Some(_) => lang.t("share-public-open-event"),
        None => lang.t("share-public-open-room"),
    }
    .to_owned();
    views::render(&PublicSharePage {
        ctx: PageCtx::new(lang, auth.as_ref(), state.sandbox.is_some(), path),
        show_room_name: !card.title.starts_with(&card.room_name),
        open_path,
        open_label,
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

/// `GET /s/{token}/join`: a member of the room to the event or the room; anyone else to the room's invitation (made once per share, again when it ran
/// out, in the name of the room's owner: shares are the room's), which asks for login first.
/// Revoking the link revokes that invitation too; it never admits someone who left the room.
pub async fn join(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (share, room) = live(&state, &token).await?;
    // Someone already in the room has nothing to join: to the event or the room.
    if let Some(path) = member_path(&state, &share, &room, auth.as_ref()).await? {
        return Ok(see_other(&path));
    }
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
