//! Room rules shared by the pages and the JSON API: who may see and change what, validation,
//! and the invitation code alphabet. Non-members get "not found", never "forbidden", so a
//! room's existence never leaks.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::Serialize;
use storage::{Admission, Invite, Member, Role, Room, User};

use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

pub const MAX_NAME: usize = 60;
pub const MAX_DESCRIPTION: usize = 500;
/// No 0/O, 1/I/L: codes are read aloud and typed from phones.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 8;

/// The room as the API returns it.
#[derive(Serialize)]
pub struct RoomJson {
    pub id: String,
    pub name: String,
    pub description: String,
    pub time_zone: String,
    pub role: Role,
    pub members: Vec<Member>,
    /// The room's secret calendar feed; rotate it to revoke.
    pub feed_url: String,
}

pub async fn room_json(state: &AppState, room: Room, role: Role) -> AppResult<RoomJson> {
    let members = state.store.members(&room.id).await?;
    let feed_url = feed_url(state, &state.store.feed_token(&room.id).await?);
    Ok(RoomJson {
        feed_url,
        id: room.id,
        name: room.name,
        description: room.description,
        time_zone: room.time_zone,
        role,
        members,
    })
}

/// A room's name and description as a form or JSON sends them (both optional: a PATCH keeps
/// what it does not name).
#[derive(serde::Deserialize)]
pub struct RoomInput {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// The room if `user` is a member; 404 otherwise (also when it does not exist).
/// Read from memory while the database has not changed (`state::fresh`).
pub async fn member_room(state: &AppState, room_id: &str, user: &User) -> AppResult<(Room, Role)> {
    state
        .fresh
        .member(room_id, &user.id, || async {
            Ok::<_, AppError>(state.store.room_for_member(room_id, &user.id).await?)
        })
        .await?
        .ok_or_else(AppError::not_found)
}

/// Like [`member_room`], but the owner only (members get 403: they know the room exists).
pub async fn owned_room(state: &AppState, room_id: &str, user: &User) -> AppResult<Room> {
    match member_room(state, room_id, user).await? {
        (room, Role::Owner) => Ok(room),
        _ => Err(AppError::forbidden()),
    }
}

/// Creates a room owned by `owner` (the one write path of the page and the API).
pub async fn create(state: &AppState, owner: &User, name: &str, description: &str) -> AppResult<Room> {
    Ok(state
        .store
        .create_room(
            &owner.id,
            name,
            description,
            domain::event::DEFAULT_TIME_ZONE,
            state.now_ms(),
        )
        .await?)
}

/// Trims and checks a room's name and description.
pub fn validate(name: Option<&str>, description: Option<&str>) -> AppResult<(String, String)> {
    let mut fields = BTreeMap::new();
    let name = name.unwrap_or("").trim().to_owned();
    if name.is_empty() {
        fields.insert("name", "name_required");
    } else if name.chars().count() > MAX_NAME {
        fields.insert("name", "name_too_long");
    }
    let description = description.unwrap_or("").trim().to_owned();
    if description.chars().count() > MAX_DESCRIPTION {
        fields.insert("description", "description_too_long");
    }
    if fields.is_empty() {
        Ok((name, description))
    } else {
        Err(AppError::validation(fields))
    }
}

pub fn new_invite_code() -> AppResult<String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; CODE_LEN];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| AppError::internal("no system randomness"))?;
    Ok(bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect())
}

/// Codes are case-insensitive and forgiving of spaces and dashes.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn invite_url(state: &AppState, code: &str) -> String {
    format!("{}/i/{code}", state.public_url)
}

/// Records a new code for the room, made by `by`, that works for the configured number of days.
pub async fn mint_invite(state: &AppState, room_id: &str, by: &str) -> AppResult<Invite> {
    let code = new_invite_code()?;
    let now = state.now_ms();
    let ttl_ms = state.config.invite_ttl_days.max(1).saturating_mul(86_400_000);
    Ok(state
        .store
        .create_invite(room_id, by, &code, now, now.saturating_add(ttl_ms))
        .await?)
}

/// Creates an invitation to a room the user belongs to.
pub async fn create_invite(state: &AppState, room_id: &str, user: &User) -> AppResult<Invite> {
    member_room(state, room_id, user).await?;
    mint_invite(state, room_id, &user.id).await
}

/// The user's current invitation to the room: the newest code they made that still works, or a
/// new one when they have none. Pressing "초대하기" twice shows the same link, so the link already
/// sent to a group chat keeps working and the screen never fills up with codes.
/// True beside the invitation when it was made just now.
pub async fn current_invite(state: &AppState, room_id: &str, user: &User) -> AppResult<(Invite, bool)> {
    member_room(state, room_id, user).await?;
    match state
        .store
        .current_invite(room_id, &user.id, state.now_ms())
        .await?
    {
        Some(invite) => Ok((invite, false)),
        None => Ok((mint_invite(state, room_id, &user.id).await?, true)),
    }
}

/// The owner trades their current link for a new one: the old code stops working at once (for
/// a link that went somewhere it should not have).
pub async fn renew_invite(state: &AppState, room_id: &str, user: &User) -> AppResult<Invite> {
    owned_room(state, room_id, user).await?;
    let now = state.now_ms();
    if let Some(old) = state.store.current_invite(room_id, &user.id, now).await? {
        state.store.revoke_invite(room_id, &old.code, now).await?;
    }
    mint_invite(state, room_id, &user.id).await
}

/// The invitation behind `code` if it still works: 404 `invite_not_found` for a code that
/// never existed (or whose room is gone), 410 `invite_expired` for one that was revoked or
/// ran out.
pub async fn live_invite(state: &AppState, code: &str) -> AppResult<Invite> {
    let code = normalize_code(code);
    match state.store.invite(&code).await? {
        Some(invite) if invite.live_at(state.now_ms()) => Ok(invite),
        Some(_) => Err(invite_expired()),
        None if state.store.invite_ever_existed(&code).await? => Err(invite_expired()),
        None => Err(AppError::Missing("invite_not_found")),
    }
}

fn invite_expired() -> AppError {
    AppError::Refused(StatusCode::GONE, "invite_expired")
}

/// Joins the room behind `code`; returns the room id. Someone who left or was removed comes
/// back only through a later invitation of the owner (see `storage::Store::invite_admits`).
pub async fn accept_invite(state: &AppState, code: &str, user: &User) -> AppResult<String> {
    let invite = live_invite(state, code).await?;
    if state
        .store
        .room_for_member(&invite.room_id, &user.id)
        .await?
        .is_some()
    {
        return Ok(invite.room_id);
    }
    if state.store.invite_admits(&invite.code, &user.id).await? == Admission::Refuse {
        return Err(invite_expired());
    }
    state
        .store
        .add_member(&invite.room_id, &user.id, state.now_ms())
        .await?;
    Ok(invite.room_id)
}

/// An invitation as the owner's list shows it.
#[derive(Serialize)]
pub struct InviteJson {
    pub code: String,
    pub url: String,
    pub qr_url: String,
    pub expires_at: Option<String>,
}

pub fn invite_json(state: &AppState, room: &Room, invite: Invite) -> InviteJson {
    let url = invite_url(state, &invite.code);
    InviteJson {
        qr_url: format!("{url}/qr.svg"),
        url,
        expires_at: invite.expires_at.and_then(|ms| rfc3339(ms, &room.time_zone)),
        code: invite.code,
    }
}

/// An instant on the wire: RFC 3339 with the room's offset (DESIGN.md "Time").
fn rfc3339(ms: i64, zone: &str) -> Option<String> {
    let tz = domain::event::time_zone(zone).ok()?;
    let at = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some(
        at.to_zoned_datetime(tz)
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
    )
}

/// `user` leaves the room, or the owner removes `target`.
pub async fn remove_member(state: &AppState, room_id: &str, user: &User, target: &str) -> AppResult<()> {
    let (_, role) = member_room(state, room_id, user).await?;
    if target == user.id {
        if role == Role::Owner {
            return Err(AppError::conflict("owner_must_transfer"));
        }
    } else if role != Role::Owner {
        return Err(AppError::forbidden());
    }
    if !state.store.remove_member(room_id, target, state.now_ms()).await? {
        return Err(AppError::Missing("not_a_member"));
    }
    Ok(())
}

/// The owner hands the room to another member. Naming someone who is not a member is a
/// mistake in the request (422 on `user_id`), not a missing room: the room is right there.
pub async fn transfer(state: &AppState, room_id: &str, user: &User, to: &str) -> AppResult<()> {
    owned_room(state, room_id, user).await?;
    if !state.store.transfer_owner(room_id, &user.id, to).await? {
        return Err(AppError::validation(
            [("user_id", "not_a_member")].into_iter().collect(),
        ));
    }
    Ok(())
}

/// The room's secret calendar feed URL for `token` (served by the events' ICS module).
pub fn feed_url(state: &AppState, token: &str) -> String {
    format!("{}/feeds/{token}.ics", state.public_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        let code = new_invite_code().unwrap();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalize_code(" abcd-2345 "), "ABCD2345");
    }

    #[test]
    fn names_are_checked() {
        assert!(validate(Some("  "), None).is_err());
        assert!(validate(Some(&"가".repeat(61)), None).is_err());
        assert_eq!(validate(Some(" 연말 모임 "), Some("")).unwrap().0, "연말 모임");
    }
}
