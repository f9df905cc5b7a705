//! Sharing a schedule (issue 7): who may share what, creating a share together with its outbox
//! rows, the card every channel sends (one text for the Message API, Talk Share and the public
//! page), and the JSON API `POST /rooms/{id}/shares`, `GET /shares/{id}`, resend, cancel and
//! revoking the public link.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use kakao::wire::{Button, Content, FeedTemplate, Link, TemplateObject};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use storage::{NewRecipient, NewShare, Recipient, Role, Room, Share, User};

use crate::consent::{self, FRIENDS, TALK_MESSAGE, consent_required};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::images::{ImageSpec, Layout};
use crate::session::Auth;
use crate::state::AppState;
use crate::{events, friends, rooms};

/// The most receivers one share may have (a day of Kakao's default sender quota).
pub const MAX_RECEIVERS: usize = 100;
/// The receiver id of a "to me" (memo) share.
pub const ME: &str = "me";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Friends,
    Memo,
    TalkShare,
    /// Only the public link (the page's "copy link").
    Link,
}

impl Channel {
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "friends" => Some(Channel::Friends),
            "memo" => Some(Channel::Memo),
            "talk_share" => Some(Channel::TalkShare),
            "link" => Some(Channel::Link),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Friends => "friends",
            Channel::Memo => "memo",
            Channel::TalkShare => "talk_share",
            Channel::Link => "link",
        }
    }
}

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
pub fn share_page_url(room_id: &str, spec: Option<&ImageSpec>, channel: &str, to: &[String]) -> String {
    let mut url = format!("/rooms/{room_id}/share?");
    if let Some(spec) = spec {
        url.push_str(&spec.query());
        url.push('&');
    }
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("channel", channel);
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
    let channel = input.channel.as_deref().and_then(Channel::parse);
    if channel.is_none() {
        fields.insert("channel", "share.channel_invalid");
    }
    let spec = ImageSpec::parse(
        input.layout.as_deref(),
        input.event_id.as_deref(),
        input.date.as_deref(),
    );
    let spec = match spec {
        Ok(s) => Some(s),
        Err(e) => {
            fields.extend(e.fields);
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
        crate::images::card_event(state, &room, id).await?;
    }
    let mut uuids: Vec<String> = Vec::new();
    for u in &input.receiver_uuids {
        if !u.is_empty() && !uuids.contains(u) {
            uuids.push(u.clone());
        }
    }
    let next = share_page_url(&room.id, Some(&spec), channel.as_str(), &uuids);
    let recipients = match channel {
        Channel::Friends => {
            if uuids.is_empty() {
                fields.insert("receiver_uuids", "share.receivers_required");
            } else if uuids.len() > MAX_RECEIVERS {
                fields.insert("receiver_uuids", "share.receivers_too_many");
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
                        fields.insert("receiver_uuids", "share.receiver_not_friend");
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
                layout: spec.layout.as_str().to_owned(),
                event_id: spec.event_id.clone(),
                date: spec.date_text(),
                channel: channel.as_str().to_owned(),
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

/// The picture a stored share names.
pub fn spec_of(share: &Share) -> ImageSpec {
    let layout = Layout::parse(&share.layout).unwrap_or(Layout::Week);
    ImageSpec::parse(
        Some(layout.as_str()),
        share.event_id.as_deref(),
        share.date.as_deref(),
    )
    .unwrap_or(ImageSpec {
        layout: Layout::Week,
        event_id: None,
        date: None,
    })
}

/// The texts of a share's card, shared by the Kakao template, Talk Share and the public page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardText {
    pub title: String,
    /// When (and where) for an event card; the period for a week or month.
    pub when: String,
    pub place: String,
    pub room_name: String,
    pub public_url: String,
    pub join_url: String,
    pub image_url: String,
}

impl CardText {
    pub fn description(&self) -> String {
        if self.place.is_empty() {
            self.when.clone()
        } else {
            format!("{} · {}", self.when, self.place)
        }
    }
}

/// The card of `share` in `room`.
pub async fn card_text(state: &AppState, share: &Share, room: &Room) -> AppResult<CardText> {
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    let spec = spec_of(share);
    let public_url = format!("{}/s/{}", state.public_url, share.public_token);
    let (title, when, place) = match spec.layout {
        Layout::Card => {
            let row = crate::images::card_event(state, room, spec.event_id.as_deref().unwrap_or("")).await?;
            (row.title.clone(), event_when(&row), row.location.clone())
        }
        Layout::Week => {
            let d = spec.date.unwrap_or_else(|| events::today(state, room));
            (
                format!("{} · {}", room.name, lang.t("share.layout.week")),
                d.to_string(),
                String::new(),
            )
        }
        Layout::Month => {
            let d = spec.date.unwrap_or_else(|| events::today(state, room));
            (
                format!("{} · {}", room.name, lang.t("share.layout.month")),
                d.strftime("%Y-%m").to_string(),
                String::new(),
            )
        }
    };
    Ok(CardText {
        title,
        when,
        place,
        room_name: room.name.clone(),
        join_url: format!("{public_url}/join"),
        image_url: format!("{public_url}/image.png"),
        public_url,
    })
}

/// `2026-12-24 19:00–21:00` in the event's zone, or `2026-12-24 – 2026-12-26` for all-day spans.
pub fn event_when(row: &storage::EventRow) -> String {
    let Some(e) = events::to_domain(row) else {
        return String::new();
    };
    match e.when {
        domain::event::EventTime::AllDay { start_date, end_date } if start_date == end_date => {
            start_date.to_string()
        }
        domain::event::EventTime::AllDay { start_date, end_date } => format!("{start_date} – {end_date}"),
        domain::event::EventTime::Timed { starts_at, ends_at } => {
            let tz = domain::event::time_zone(&e.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
            let s = starts_at.to_zoned_datetime(tz.clone());
            let end = ends_at.to_zoned_datetime(tz);
            if s.date() == end.date() {
                format!("{} {}–{}", s.date(), s.strftime("%H:%M"), end.strftime("%H:%M"))
            } else {
                format!(
                    "{} {} – {} {}",
                    s.date(),
                    s.strftime("%H:%M"),
                    end.date(),
                    end.strftime("%H:%M")
                )
            }
        }
    }
}

/// The Message API's feed template: the uploaded image, a link to the public page, two buttons.
pub fn feed_template(card: &CardText, lang: Lang, image: Option<(&str, i64, i64)>) -> TemplateObject {
    let (image_url, w, h) = match image {
        Some((url, w, h)) => (Some(url.to_owned()), u32::try_from(w).ok(), u32::try_from(h).ok()),
        None => (None, None, None),
    };
    TemplateObject::Feed(FeedTemplate {
        content: Content {
            title: Some(card.title.clone()),
            description: Some(card.description()),
            image_url,
            image_width: w,
            image_height: h,
            link: Link::web(card.public_url.clone()),
        },
        buttons: vec![
            Button {
                title: lang.t("share.card.view").to_owned(),
                link: Link::web(card.public_url.clone()),
            },
            Button {
                title: lang.t("share.card.join").to_owned(),
                link: Link::web(card.join_url.clone()),
            },
        ],
        ..FeedTemplate::default()
    })
}

/// The same card as settings for the JavaScript SDK's `Kakao.Share.sendDefault`.
pub fn talk_share_settings(card: &CardText, lang: Lang) -> Value {
    let link = json!({"webUrl": card.public_url, "mobileWebUrl": card.public_url});
    let join = json!({"webUrl": card.join_url, "mobileWebUrl": card.join_url});
    json!({
        "objectType": "feed",
        "content": {
            "title": card.title,
            "description": card.description(),
            "imageUrl": card.image_url,
            "imageWidth": render::Size::PORTRAIT.width,
            "imageHeight": render::Size::PORTRAIT.height,
            "link": link,
        },
        "buttons": [
            {"title": lang.t("share.card.view"), "link": link},
            {"title": lang.t("share.card.join"), "link": join},
        ],
    })
}

/// The status people see: `claimed` (a worker holds the receiver, no Kakao call started yet)
/// is still `queued` to them.
pub fn shown_status(status: &str) -> &str {
    if status == "claimed" { "queued" } else { status }
}

/// Whether the owner may resend to this receiver: only `unknown` and `failed` ones.
pub fn resendable(status: &str) -> bool {
    status == "unknown" || status == "failed"
}

/// A sentence explaining where a receiver stands, in `lang`: why it is deferred and when it goes
/// out by itself, why it is unknown, failed or waiting for consent. None when nothing needs
/// explaining.
pub fn reason_message(
    lang: Lang,
    status: &str,
    reason: Option<&str>,
    next_attempt_at: i64,
) -> Option<String> {
    let reason = reason.unwrap_or("");
    let key = match status {
        "deferred" if reason.starts_with("quota_") => format!("share.reason.{reason}"),
        "deferred" => "share.reason.kakao_quota".to_owned(),
        "unknown" => "share.reason.answer_lost".to_owned(),
        "needs_consent" => "share.reason.needs_consent".to_owned(),
        "failed" if reason == "canceled" || reason == "gave_up" => format!("share.reason.{reason}"),
        "failed" => "share.reason.failed".to_owned(),
        _ => return None,
    };
    let text = lang.t(&key);
    if text.is_empty() {
        return None;
    }
    let at = Timestamp::from_millisecond(next_attempt_at)
        .ok()
        .zip(jiff::tz::TimeZone::get("Asia/Seoul").ok())
        .map(|(t, tz)| t.to_zoned_datetime(tz).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    Some(text.replace("{at}", &at))
}

/// The share's overall state, from its receivers.
pub fn overall_status(channel: &str, recipients: &[Recipient]) -> &'static str {
    let any = |s: &str| recipients.iter().any(|r| r.status == s);
    if recipients.is_empty() {
        return if channel == "talk_share" || channel == "link" {
            "created"
        } else {
            "done"
        };
    }
    if any("queued") || any("claimed") || any("sending") {
        "sending"
    } else if any("deferred") {
        "deferred"
    } else if any("needs_consent") {
        "needs_consent"
    } else if recipients.iter().all(|r| r.status == "sent") {
        "sent"
    } else {
        "done"
    }
}

#[derive(Serialize)]
struct RecipientJson<'a> {
    uuid: &'a str,
    nickname: &'a str,
    status: &'a str,
    reason: Option<&'a str>,
    /// The reason explained in the sharer's language.
    message: Option<String>,
    /// When a deferred receiver goes out by itself (RFC 3339, KST).
    next_attempt_at: Option<String>,
    /// Whether `POST /shares/{id}/resend` accepts this receiver.
    resendable: bool,
}

fn kst_instant(ms: i64) -> Option<String> {
    let tz = jiff::tz::TimeZone::get("Asia/Seoul").ok()?;
    let t = Timestamp::from_millisecond(ms).ok()?.to_zoned_datetime(tz);
    Some(t.timestamp().display_with_offset(t.offset()).to_string())
}

/// The share as the API returns it.
pub async fn share_json(state: &AppState, share: &Share, lang: Lang) -> AppResult<Value> {
    let recipients = state.store.recipients(&share.id).await?;
    let list: Vec<RecipientJson> = recipients
        .iter()
        .map(|r| RecipientJson {
            uuid: &r.uuid,
            nickname: &r.nickname,
            status: shown_status(&r.status),
            reason: r.reason.as_deref(),
            message: reason_message(lang, &r.status, r.reason.as_deref(), r.next_attempt_at),
            next_attempt_at: (r.status == "deferred")
                .then(|| kst_instant(r.next_attempt_at))
                .flatten(),
            resendable: resendable(&r.status),
        })
        .collect();
    let mut body = json!({
        "id": share.id,
        "room_id": share.room_id,
        "status": overall_status(&share.channel, &recipients),
        "channel": share.channel,
        "layout": share.layout,
        "event_id": share.event_id,
        "date": share.date,
        "public_url": format!("{}/s/{}", state.public_url, share.public_token),
        "link_revoked": share.revoked_at.is_some(),
        "recipients": list,
    });
    if recipients.iter().any(|r| r.status == "needs_consent") {
        let scopes: Vec<String> = recipients
            .iter()
            .filter(|r| r.status == "needs_consent")
            .flat_map(|r| r.reason.as_deref().unwrap_or("").split(',').map(str::to_owned))
            .filter(|s| s == FRIENDS || s == TALK_MESSAGE)
            .fold(Vec::new(), |mut acc, s| {
                if !acc.contains(&s) {
                    acc.push(s);
                }
                acc
            });
        let scopes = if scopes.is_empty() {
            vec![TALK_MESSAGE.to_owned()]
        } else {
            scopes
        };
        let next = format!("/rooms/{}/share?share={}", share.room_id, share.id);
        body["consent_url"] = json!(consent::consent_url(&scopes, &next));
    }
    if share.channel == "talk_share"
        && share.revoked_at.is_none()
        && let Some(room) = state.store.room(&share.room_id).await?
    {
        let card = card_text(state, share, &room).await?;
        body["talk_share"] = talk_share_settings(&card, lang);
    }
    Ok(body)
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> AppResult<T> {
    serde_json::from_slice(body).map_err(|_| AppError::bad_json())
}

/// The share if `user` made it (404 otherwise: shares are private to their sharer).
pub async fn own_share(state: &AppState, id: &str, user: &User) -> AppResult<Share> {
    state
        .store
        .share(id)
        .await?
        .filter(|s| s.owner_id == user.id)
        .ok_or_else(AppError::not_found)
}

/// `POST /api/v1/rooms/{id}/shares`.
pub async fn create_api(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(room_id): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let input: ShareInput = parse(&body)?;
    let lang = Lang::from_headers(&headers);
    let share = create(&state, &auth.user, &room_id, &input, lang).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(share_json(&state, &share, lang).await?),
    )
        .into_response())
}

/// `GET /api/v1/shares/{id}`.
pub async fn get_api(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let share = own_share(&state, &id, &auth.user).await?;
    Ok(axum::Json(share_json(&state, &share, Lang::from_headers(&headers)).await?).into_response())
}

#[derive(Deserialize)]
struct ResendInput {
    #[serde(default)]
    uuids: Vec<String>,
}

/// `POST /api/v1/shares/{id}/resend` `{"uuids":[…]}`: only receivers whose message is
/// `unknown` or `failed` are queued again (never one that was `sent`, is waiting, or is in a
/// call). Resending an `unknown` one is the owner's call: its first message may have arrived.
pub async fn resend_api(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let share = own_share(&state, &id, &auth.user).await?;
    let input: ResendInput = parse(&body)?;
    if state
        .store
        .requeue_recipients(&share.id, &input.uuids, state.now_ms())
        .await?
        > 0
    {
        state.outbox_wake.notify_one();
    }
    Ok(axum::Json(share_json(&state, &share, Lang::from_headers(&headers)).await?).into_response())
}

/// `POST /api/v1/shares/{id}/cancel`: what has not gone stays unsent (queued, deferred, waiting
/// for consent, or claimed by a worker whose call has not started); calls already made stand.
pub async fn cancel_api(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let share = own_share(&state, &id, &auth.user).await?;
    state.store.cancel_recipients(&share.id, state.now_ms()).await?;
    Ok(axum::Json(share_json(&state, &share, Lang::from_headers(&headers)).await?).into_response())
}

/// `DELETE /api/v1/shares/{id}/link`: the public page answers 404 from now on.
pub async fn revoke_link_api(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let share = own_share(&state, &id, &auth.user).await?;
    state.store.revoke_share_link(&share.id, state.now_ms()).await?;
    let share = own_share(&state, &id, &auth.user).await?;
    Ok(axum::Json(share_json(&state, &share, Lang::from_headers(&headers)).await?).into_response())
}
