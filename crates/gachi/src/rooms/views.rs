//! Page models of the rooms pages (home, invitation): what the askama templates are given.

use askama::Template;

use crate::web::views::PageCtx;

pub struct RoomItem {
    pub id: String,
    pub name: String,
    pub is_owner: bool,
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage {
    pub ctx: PageCtx,
    pub rooms: Vec<RoomItem>,
    /// The room-create form kept after a validation error (web/kept.rs): values and
    /// (field, message) errors; empty otherwise.
    pub create_name: String,
    pub create_description: String,
    pub create_errors: Vec<(String, String)>,
}

impl IndexPage {
    /// The error attached to `field` of the room-create form, empty if none.
    pub fn create_error(&self, field: &str) -> &str {
        field_error(&self.create_errors, field)
    }
}

/// The message of `field` in a form's (field, message) errors, empty if none.
pub fn field_error<'a>(errors: &'a [(String, String)], field: &str) -> &'a str {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map_or("", |(_, m)| m.as_str())
}

pub struct MemberItem {
    pub user_id: String,
    pub nickname: String,
    pub is_owner: bool,
    pub is_me: bool,
}

pub struct InviteShown {
    pub code: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "invite.html")]
pub struct InvitePage {
    pub ctx: PageCtx,
    pub code: String,
    pub room_name: String,
    pub member_count: usize,
}
