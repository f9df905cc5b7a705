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
