//! The room's home page (`GET /rooms/{id}`): its schedule in the month, week or list view,
//! with the members, the invitation just made and the calendar feed beside it. It lives with
//! the events because the calendar is most of it; it reads the room's members from `rooms`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use storage::Role;

use crate::events::calendar::{self, Calendar};
use crate::events::service as events;
use crate::rooms::service as rooms;
use crate::rooms::views::{InviteShown, MemberItem};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Query;
use crate::web::session::Auth;
use crate::web::views::{self, PageCtx};

#[derive(Template)]
#[template(path = "room.html")]
pub struct RoomPage {
    pub ctx: PageCtx,
    pub id: String,
    pub name: String,
    pub description: String,
    pub is_owner: bool,
    pub members: Vec<MemberItem>,
    pub invite: Option<InviteShown>,
    pub calendar: Calendar,
    pub feed_url: String,
    /// The rename form: the room's name and description, or what was sent when it did not
    /// validate (web/kept.rs), with (field, message) errors.
    pub rename_name: String,
    pub rename_description: String,
    pub rename_errors: Vec<(String, String)>,
}

impl RoomPage {
    /// The error attached to `field` of the rename form, empty if none.
    pub fn rename_error(&self, field: &str) -> &str {
        crate::rooms::views::field_error(&self.rename_errors, field)
    }
}

/// `?view=month|week|list&date=…&invite=…`.
#[derive(serde::Deserialize)]
pub struct RoomQuery {
    invite: Option<String>,
    view: Option<String>,
    date: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: axum_extra::extract::CookieJar,
    Path(id): Path<String>,
    Query(q): Query<RoomQuery>,
) -> AppResult<Response> {
    let (room, role) = rooms::member_room(&state, &id, &auth.user).await?;
    let members = state.store.members(&id).await?;
    // Only an invitation of this room is shown (the code comes back in the query string).
    let invite = match q.invite.as_ref() {
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
    let view = calendar::View::parse(q.view.as_deref());
    let today = events::today(&state, &room);
    let anchor = match q.date.as_deref().map(domain::dates::parse_date) {
        Some(Ok(date)) => date,
        Some(Err(true)) => {
            return Err(AppError::validation(
                [("date", "date_out_of_range")].into_iter().collect(),
            ));
        }
        // A date that does not parse shows today, as it always did.
        Some(Err(false)) | None => today,
    };
    let (from, to) = calendar::range(view, anchor);
    // The month grid shows the neighbouring months' days of its first and last weeks too.
    let (grid_from, _) = calendar::range(calendar::View::Week, from);
    let grid_to = calendar::range(calendar::View::Week, to.yesterday().unwrap_or(to)).1;
    let rows = events::events_in(&state, &room, grid_from, grid_to).await?;
    let calendar = calendar::build(
        ctx.lang,
        view,
        anchor,
        today,
        &room.time_zone,
        &rows,
        &format!("/rooms/{}", room.id),
    );
    let mut calendar = calendar;
    crate::events::rsvp_views::fill(&state, ctx.lang, &room.id, &rows, &mut calendar).await?;
    let feed_url = rooms::feed_url(&state, &state.store.feed_token(&room.id).await?);
    let (rename_name, rename_description, rename_errors) =
        crate::rooms::pages::kept_room_form(&jar, &auth, ctx.lang, &ctx.path)
            .unwrap_or_else(|| (room.name.clone(), room.description.clone(), Vec::new()));
    let page = RoomPage {
        rename_name,
        rename_description,
        rename_errors,
        calendar,
        feed_url,
        ctx,
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
