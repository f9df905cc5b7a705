//! Sharing a schedule: who may share what, and creating a share together with its outbox rows
//! in one transaction (the card lives in `card`, the status view in `status`, the JSON
//! handlers in `api`).

use std::collections::BTreeMap;

use domain::share::Channel;
use serde::Deserialize;
use storage::{NewRecipient, NewShare, Role, Share, User};

use crate::auth::consent::{self, FRIENDS, TALK_MESSAGE, consent_required};
use crate::rooms::service as rooms;
use crate::sharing::friends;
use crate::sharing::picture::ImageSpec;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use i18n::Lang;

/// The most receivers one share may have (a day of Kakao's default sender quota).
pub const MAX_RECEIVERS: usize = 100;
/// The receiver id of a "to me" (memo) share.
pub const ME: &str = "me";

/// What a sharer asks for (the API body, or the page's form).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ShareInput {
    pub layout: Option<String>,
    pub event_id: Option<String>,
    pub date: Option<String>,
    pub channel: Option<String>,
    #[serde(default)]
    pub receiver_uuids: Vec<String>,
}

/// The share page that holds these picks: where consent comes back to, nothing lost.
pub fn share_page_url(room_id: &str, spec: Option<&ImageSpec>, channel: Channel, to: &[String]) -> String {
    let mut url = format!("/rooms/{room_id}/share?");
    if let Some(spec) = spec {
        url.push_str(&spec.query());
        url.push('&');
    }
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("channel", channel.as_str());
    if !to.is_empty() {
        q.append_pair("to", &to.join(","));
    }
    url.push_str(&q.finish());
    url
}

/// Checks the rules and creates the share with its outbox rows in one transaction, then wakes
/// the worker. Only the owner shares to friends, through Talk Share or as a public link; any
/// member may share "to me".
pub async fn create(
    state: &AppState,
    user: &User,
    room_id: &str,
    input: &ShareInput,
    lang: Lang,
) -> AppResult<Share> {
    let (room, role) = rooms::member_room(state, room_id, user).await?;
    let mut fields = BTreeMap::new();
    let channel = input.channel.as_deref().and_then(|c| c.parse::<Channel>().ok());
    if channel.is_none() {
        fields.insert("channel", "share-channel_invalid");
    }
    let spec = ImageSpec::parse(
        input.layout.as_deref(),
        input.event_id.as_deref(),
        input.date.as_deref(),
    );
    let spec = match spec {
        Ok(s) => Some(s),
        Err(e) => {
            fields.extend(e.fields());
            None
        }
    };
    let (Some(channel), Some(spec)) = (channel, spec) else {
        return Err(AppError::validation(fields));
    };
    if channel != Channel::Memo && role != Role::Owner {
        return Err(AppError::forbidden());
    }
    if let Some(id) = &spec.event_id {
        // The body names the event: one the room does not have is a mistake in the request
        // (422 on event_id), not a missing room or share.
        crate::sharing::picture::card_event(state, &room, id)
            .await
            .map_err(|e| match e {
                AppError::Missing("event_not_found") => {
                    AppError::validation([("event_id", "event_not_found")].into_iter().collect())
                }
                other => other,
            })?;
    }
    let mut uuids: Vec<String> = Vec::new();
    for u in &input.receiver_uuids {
        if !u.is_empty() && !uuids.contains(u) {
            uuids.push(u.clone());
        }
    }
    // Back from Kakao's consent screen, the page holds these picks and finishes this send.
    let next = format!(
        "{}&send=1",
        share_page_url(&room.id, Some(&spec), channel, &uuids)
    );
    let recipients = match channel {
        Channel::Friends => {
            if uuids.is_empty() {
                fields.insert("receiver_uuids", "share-receivers_required");
            } else if uuids.len() > MAX_RECEIVERS {
                fields.insert("receiver_uuids", "share-receivers_too_many");
            }
            if !fields.is_empty() {
                return Err(AppError::validation(fields));
            }
            let missing = consent::missing_scopes(state, &user.id, &[FRIENDS, TALK_MESSAGE]).await?;
            if !missing.is_empty() {
                return Err(consent_required(&missing, &next));
            }
            let list = friends::friend_list(state, user, &next).await?;
            let mut out = Vec::new();
            for uuid in &uuids {
                match list.iter().find(|f| &f.uuid == uuid) {
                    Some(f) => out.push(NewRecipient {
                        uuid: uuid.clone(),
                        nickname: f.profile_nickname.clone().unwrap_or_default(),
                    }),
                    None => {
                        fields.insert("receiver_uuids", "share-receiver_not_friend");
                    }
                }
            }
            if !fields.is_empty() {
                return Err(AppError::validation(fields));
            }
            out
        }
        Channel::Memo => {
            let missing = consent::missing_scopes(state, &user.id, &[TALK_MESSAGE]).await?;
            if !missing.is_empty() {
                return Err(consent_required(&missing, &next));
            }
            vec![NewRecipient {
                uuid: ME.to_owned(),
                nickname: user.nickname.clone(),
            }]
        }
        Channel::TalkShare | Channel::Link => Vec::new(),
    };
    let share = state
        .store
        .create_share(
            &NewShare {
                room_id: room.id.clone(),
                owner_id: user.id.clone(),
                layout: spec.layout,
                event_id: spec.event_id.clone(),
                date: spec.date_text(),
                channel,
                lang: lang.code().to_owned(),
            },
            &recipients,
            state.now_ms(),
        )
        .await?;
    if !recipients.is_empty() {
        state.outbox_wake.notify_one();
    }
    Ok(share)
}

/// The share if `user` may manage it (404 otherwise). Shares are the room's: only a current
/// member may reach one, the room's owner manages every share of the room, and another member
/// only the ones they made (a "to me" memo). Someone who left the room, even its former owner,
/// reaches none of them.
pub async fn room_share(state: &AppState, id: &str, user: &User) -> AppResult<Share> {
    let share = state.store.share(id).await?.ok_or_else(AppError::not_found)?;
    match crate::rooms::service::member_room(state, &share.room_id, user).await {
        Ok((_, Role::Owner)) => Ok(share),
        Ok((_, Role::Member)) if share.owner_id == user.id => Ok(share),
        Ok(_) => Err(AppError::not_found()),
        Err(e) => Err(e),
    }
}
