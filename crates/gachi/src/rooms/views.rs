//! Page models of the rooms pages (home, invitations) and the room page's feed links: what the
//! askama templates are given.

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

/// The member's current invitation, as the invite screen shows it.
pub struct CurrentInvite {
    pub code: String,
    pub url: String,
    /// "12월 6일 17:30까지 쓸 수 있어요" (empty for a code without an end).
    pub expires: String,
}

/// `/rooms/{id}/invite`: the current link and every way to send it.
#[derive(Template)]
#[template(path = "room_invite.html")]
pub struct InviteScreen {
    pub ctx: PageCtx,
    pub room_id: String,
    pub room_name: String,
    pub is_owner: bool,
    pub invite: Option<CurrentInvite>,
    /// The Kakao JavaScript SDK and its key (empty: no Kakao Talk Share here).
    pub sdk_url: String,
    pub js_key: String,
    /// `Kakao.Share.sendDefault` settings of the invitation card, as JSON.
    pub talk_share: String,
    /// What the phone's share sheet sends along with the link.
    pub share_text: String,
}

pub struct InviteeMember {
    pub nickname: String,
    /// The first letter, for the avatar circle.
    pub initial: String,
    pub is_owner: bool,
}

/// `/i/{code}`: the invitee's page.
#[derive(Template)]
#[template(path = "invite.html")]
pub struct InvitePage {
    pub ctx: PageCtx,
    pub code: String,
    /// "김민지님이 초대했어요".
    pub headline: String,
    pub room_name: String,
    pub description: String,
    pub members: Vec<InviteeMember>,
    /// "멤버 3명".
    pub member_count: String,
    pub expires: String,
    pub logged_in: bool,
    pub og_image: String,
    pub og_url: String,
}

/// An invitation that no longer works (`expired`) or never existed.
#[derive(Template)]
#[template(path = "invite_gone.html")]
pub struct InviteGonePage {
    pub ctx: PageCtx,
    pub expired: bool,
}

/// The feed URL as a `webcal://` link, which calendar apps open as "subscribe".
pub fn webcal_url(feed_url: &str) -> String {
    match feed_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => feed_url.to_owned(),
    }
}

/// Google Calendar's "add by URL" page for the feed (`cid` takes the webcal URL).
pub fn google_calendar_url(feed_url: &str) -> String {
    let cid: String = url::form_urlencoded::byte_serialize(webcal_url(feed_url).as_bytes()).collect();
    format!("https://calendar.google.com/calendar/render?cid={cid}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_links() {
        let feed = "https://gachi.example/feeds/abc.ics";
        assert_eq!(webcal_url(feed), "webcal://gachi.example/feeds/abc.ics");
        assert_eq!(
            google_calendar_url(feed),
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fgachi.example%2Ffeeds%2Fabc.ics"
        );
    }
}
