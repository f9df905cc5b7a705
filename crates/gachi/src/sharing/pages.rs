//! The share page of a room (`GET /rooms/{id}/share?layout=…&event=…&date=…`): the image
//! preview, the layout choice, the channels (KakaoTalk friends with the friend picker and "why
//! is my friend missing?", Kakao Talk Share, to me), download and the public link; its no-script
//! form post; and the page's script, served from our origin (the CSP allows no inline script).
//!
//! Consent is asked at the moment it is needed (issue #17): the page opens without it; the
//! friend picker without `friends`, and the send buttons without `talk_message`, first say in
//! one sentence what Kakao will ask and why; sending then goes to Kakao's consent screen for
//! exactly the missing scopes and comes back to this very URL, picks included, where the
//! script finishes the send (`send=1`). Talk Share, download and the link never ask.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::share::{Channel, Layout, RecipientStatus};
use jiff::ToSpan;
use storage::Role;

use crate::auth::consent::{self, FRIENDS, TALK_MESSAGE};
use crate::events::service as events;
use crate::rooms::service as rooms;
use crate::sharing::friends;
use crate::sharing::picture::ImageSpec;
use crate::sharing::service::{self as shares, ShareInput};
use crate::sharing::{card, first_pick, status};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult, Fields};
use crate::web::extract::AcceptLang;
use crate::web::extract::{Form, Query};
use crate::web::http::see_other;
use crate::web::session::Auth;
use crate::web::views::{self, PageCtx};
use i18n::Lang;

const SCRIPT: &str = include_str!("../../static/share.js");
const SANDBOX_SDK: &str = "/_kakao/_sdk/kakao.js";
const KAKAO_SDK: &str = "https://t1.kakaocdn.net/kakao_js_sdk/2.7.2/kakao.min.js";

pub struct FriendItem {
    pub uuid: String,
    pub nickname: String,
    pub thumbnail: String,
    pub favorite: bool,
    pub checked: bool,
}

pub struct MissingItem {
    pub user_id: String,
    pub nickname: String,
    pub reasons: Vec<(String, String)>,
    pub consent_url: String,
}

pub struct EventChoice {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

pub struct StatusItem {
    pub uuid: String,
    pub nickname: String,
    pub status: RecipientStatus,
    pub status_text: String,
    pub reason: String,
    /// The reason explained (deferred until when, unknown, …).
    pub message: String,
    /// Offered for resend (`unknown` and `failed` only).
    pub resendable: bool,
}

pub struct ShareShown {
    pub id: String,
    pub public_url: String,
    pub statuses: Vec<StatusItem>,
    /// The sender may resume receivers parked for a consent they have now given.
    pub resumable: bool,
    pub channel: Channel,
}

#[derive(Template)]
#[template(path = "share.html")]
pub struct SharePage {
    pub ctx: PageCtx,
    pub room_id: String,
    pub room_name: String,
    pub is_owner: bool,
    pub layout: String,
    pub event_id: String,
    pub date: String,
    pub channel: String,
    /// The picture as it arrives in a KakaoTalk bubble (what every channel sends).
    pub preview_url: String,
    /// The full picture (the week timetable, the month grid), for keeping.
    pub download_url: String,
    pub events: Vec<EventChoice>,
    pub friends: Vec<FriendItem>,
    pub friends_error: String,
    pub asks: ConsentAsks,
    /// `friends` or `memo` when the page comes back from Kakao's consent screen to finish a
    /// send the person started (empty otherwise).
    pub resume_send: &'static str,
    /// Which send button the status shows under: `friends` or `memo`.
    pub status_under: &'static str,
    /// The text of the card that asks a missing member for consent ("… in {room} …").
    pub ask_description: String,
    pub missing: Vec<MissingItem>,
    pub sdk_url: String,
    pub js_key: String,
    pub share: Option<ShareShown>,
    pub status_labels: Vec<(String, String)>,
    /// The picker's problems, attached to their field (empty when none): a card without an
    /// event, a date that is no date.
    pub event_error: String,
    pub date_error: String,
}

fn status_key(status: RecipientStatus) -> &'static str {
    match status {
        RecipientStatus::Queued => "share-status-queued",
        RecipientStatus::Sending => "share-status-sending",
        RecipientStatus::Sent => "share-status-sent",
        RecipientStatus::Failed => "share-status-failed",
        RecipientStatus::Unknown => "share-status-unknown",
        RecipientStatus::Deferred => "share-status-deferred",
        RecipientStatus::NeedsConsent => "share-status-needs_consent",
        // Not a status the page shows (it is `queued` to people); an empty label rather than a guess.
        RecipientStatus::Claimed => "",
    }
}

/// The explanation of one reason `friends::diagnose` gives for a missing friend.
fn why_key(reason: &str) -> &'static str {
    match reason {
        "not_linked" => "share-why-not_linked",
        "friends_not_agreed" => "share-why-friends_not_agreed",
        "not_app_member" => "share-why-not_app_member",
        "consent_recent" => "share-why-consent_recent",
        _ => "share-why-hidden_blocked_private_or_not_friends",
    }
}

/// What the page says before a channel sends the person to Kakao's consent screen, so the
/// screen is never a surprise: one sentence saying what will be asked and why.
pub struct ConsentAsks {
    /// The friend picker without `friends`: the sentence, and the way to Kakao for every scope
    /// sending to friends lacks (one consent screen, not two).
    pub friends_text: String,
    pub friends_url: String,
    /// Sending to friends without `talk_message`: said above the send button, which asks.
    pub send_text: String,
    /// "To me" without `talk_message`: likewise.
    pub memo_text: String,
}

impl ConsentAsks {
    fn new(lang: Lang, is_owner: bool, missing: &[String], here: &str) -> Self {
        let lacks = |scope: &str| missing.iter().any(|s| s == scope);
        let mut asks = ConsentAsks {
            friends_text: String::new(),
            friends_url: String::new(),
            send_text: String::new(),
            memo_text: String::new(),
        };
        if is_owner && lacks(FRIENDS) {
            asks.friends_text = lang
                .t(if lacks(TALK_MESSAGE) {
                    "share-consent-friends-both"
                } else {
                    "share-consent-friends"
                })
                .to_owned();
            asks.friends_url = consent::consent_url(missing, here);
        } else if is_owner && lacks(TALK_MESSAGE) {
            asks.send_text = lang.t("share-consent-send").to_owned();
        }
        if lacks(TALK_MESSAGE) {
            asks.memo_text = lang.t("share-consent-memo").to_owned();
        }
        asks
    }
}

/// `?layout=…&event=…&date=…&channel=…&to=a,b&share=…&send=1`: what the page shows, the picks
/// kept across Kakao's consent screen, and (`send=1`) the send to finish on coming back.
#[derive(serde::Deserialize)]
pub struct SharePageQuery {
    layout: Option<String>,
    event: Option<String>,
    date: Option<String>,
    channel: Option<String>,
    to: Option<String>,
    share: Option<String>,
    send: Option<String>,
}

/// `GET /rooms/{id}/share`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    uri: OriginalUri,
    Path(id): Path<String>,
    Query(q): Query<SharePageQuery>,
) -> AppResult<Response> {
    let (room, role) = rooms::member_room(&state, &id, &auth.user).await?;
    let is_owner = role == Role::Owner;
    // A picture that cannot be made (a card without its event, a bad date) is explained on the
    // page next to the picker, the picks kept, rather than a dead-end error page; meanwhile the
    // preview shows the room's current week (or month).
    let nothing_picked = q.layout.is_none() && q.event.is_none() && q.date.is_none();
    let parsed = match nothing_picked {
        true => Ok(first_pick::first_pick(&state, &room).await?),
        false => ImageSpec::parse(q.layout.as_deref(), q.event.as_deref(), q.date.as_deref()),
    };
    let (spec, errors) = match parsed {
        Ok(spec) => (spec, Fields::new()),
        Err(err @ AppError::Validation(_)) => {
            let fallback = if q.layout.as_deref() == Some("month") {
                "month"
            } else {
                "week"
            };
            (ImageSpec::parse(Some(fallback), None, None)?, err.fields())
        }
        Err(err) => return Err(err),
    };
    let channel = q
        .channel
        .as_deref()
        .and_then(|c| c.parse::<Channel>().ok())
        .unwrap_or(if is_owner { Channel::Friends } else { Channel::Memo });
    let to: Vec<String> =
        q.to.as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    let mut here = shares::share_page_url(&room.id, Some(&spec), channel, &to);
    if let Some(share_id) = q.share.as_deref() {
        here.push_str(&format!(
            "&share={}",
            url::form_urlencoded::byte_serialize(share_id.as_bytes()).collect::<String>()
        ));
    }

    // Consent is asked at the moment it is needed, never on opening the page: Talk Share,
    // download and the link need none. What a channel will ask for is said next to it first.
    let needed: &[&str] = if is_owner {
        &[FRIENDS, TALK_MESSAGE]
    } else {
        &[TALK_MESSAGE]
    };
    let missing = consent::missing_scopes(&state, &auth.user.id, needed).await?;
    let lacks = |scope: &str| missing.iter().any(|s| s == scope);
    let scopes_ok = missing.is_empty();
    let mut asks = ConsentAsks::new(lang, is_owner, &missing, &here);

    let mut friend_items = Vec::new();
    let mut missing_items = Vec::new();
    let mut friends_error = String::new();
    if is_owner && !lacks(FRIENDS) {
        match friends::friend_list(&state, &auth.user, &here).await {
            Ok(list) => {
                missing_items = friends::diagnose(&state, &room, &auth.user, &list)
                    .await?
                    .into_iter()
                    .map(|m| MissingItem {
                        user_id: m.user_id,
                        nickname: m.nickname,
                        reasons: m
                            .reasons
                            .iter()
                            .map(|r| ((*r).to_owned(), lang.t(why_key(r)).to_owned()))
                            .collect(),
                        consent_url: format!("{}{}", state.public_url, m.consent_url),
                    })
                    .collect();
                friend_items = list
                    .iter()
                    .map(|f| FriendItem {
                        uuid: f.uuid.clone(),
                        nickname: f.profile_nickname.clone().unwrap_or_default(),
                        thumbnail: f.profile_thumbnail_image.clone().unwrap_or_default(),
                        favorite: f.favorite,
                        checked: to.contains(&f.uuid),
                    })
                    .collect();
            }
            // Kakao disagrees with what it said a moment ago (a consent just revoked, a
            // token it no longer takes): the same sentence and button, for what it names.
            Err(e @ AppError::ConsentRequired { .. }) => {
                asks.friends_text = lang.t("share-consent-friends").to_owned();
                asks.friends_url = e.consent_url().unwrap_or_default();
            }
            Err(e) => friends_error = lang.t(e.code()).to_owned(),
        }
    }
    // Back from Kakao's consent screen for a send the person started: the page finishes it
    // (the script, once, dropping the mark from the address first so a reload sends nothing).
    let resume_send = match (q.send.as_deref(), channel) {
        (Some("1"), Channel::Friends) if is_owner && scopes_ok && !to.is_empty() => "friends",
        (Some("1"), Channel::Memo) if !lacks(TALK_MESSAGE) => "memo",
        _ => "",
    };

    let share = match q.share.as_deref() {
        Some(share_id) => {
            let share = shares::room_share(&state, share_id, &auth.user).await?;
            let recipients = state.store.recipients(&share.id).await?;
            // Back from Kakao's consent screen, the sender resumes the parked messages with a
            // button (a POST): showing the page changes nothing.
            let resumable = scopes_ok
                && share.owner_id == auth.user.id
                && recipients.iter().any(|r| r.status == "needs_consent");
            let statuses = recipients
                .into_iter()
                .map(|r| {
                    let shown = r.status.shown();
                    StatusItem {
                        status_text: lang.t(status_key(shown)).to_owned(),
                        message: status::reason_message(
                            lang,
                            r.status,
                            r.reason.as_deref(),
                            r.next_attempt_at,
                        )
                        .unwrap_or_default(),
                        resendable: r.status.resendable(),
                        uuid: r.uuid,
                        nickname: r.nickname,
                        status: shown,
                        reason: r.reason.unwrap_or_default(),
                    }
                })
                .collect();
            Some(ShareShown {
                id: share.id.clone(),
                public_url: format!("{}/s/{}", state.public_url, share.public_token),
                statuses,
                resumable,
                channel: share.channel,
            })
        }
        None => None,
    };

    let status_under = match &share {
        Some(s) if s.channel == Channel::Memo => "memo",
        _ if !is_owner => "memo",
        _ => "friends",
    };

    let today = events::today(&state, &room);
    let from = today.checked_sub(31.days()).unwrap_or(today);
    let until = today.checked_add(366.days()).unwrap_or(today);
    // A series is one choice (its card shows the next occurrence), listed at its next day.
    let today_text = today.to_string();
    let mut seen = std::collections::HashSet::new();
    let event_choices = events::events_in(&state, &room, from, until)
        .await?
        .iter()
        .filter(|row| {
            row.occurrence
                .as_deref()
                .is_none_or(|o| o.get(..10).unwrap_or("") >= today_text.as_str())
        })
        .filter(|row| seen.insert(row.id.clone()))
        .take(200)
        .map(|row| EventChoice {
            selected: spec.event_id.as_deref() == Some(row.id.as_str()),
            label: format!(
                "{} · {}",
                card::event_when_text(row, lang, &room.time_zone),
                row.title
            ),
            id: row.id.clone(),
        })
        .collect();

    let (sdk_url, js_key) = match &state.sandbox {
        Some(sandbox) => (SANDBOX_SDK.to_owned(), sandbox.app().javascript_key),
        None => match &state.config.kakao_js_key {
            Some(key) if !key.is_empty() => (KAKAO_SDK.to_owned(), key.clone()),
            _ => (String::new(), String::new()),
        },
    };
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let page = SharePage {
        ctx: PageCtx::new(lang, Some(&auth), state.sandbox.is_some(), path),
        room_id: room.id.clone(),
        room_name: room.name.clone(),
        is_owner,
        layout: match q.layout.as_deref().map(str::parse::<Layout>) {
            Some(Ok(layout)) if !errors.is_empty() => layout.as_str().to_owned(),
            _ => spec.layout.as_str().to_owned(),
        },
        event_id: match errors.is_empty() {
            true => spec.event_id.clone().unwrap_or_default(),
            false => q.event.clone().unwrap_or_default(),
        },
        date: match errors.is_empty() {
            true => spec.date_text().unwrap_or_default(),
            false => q.date.clone().unwrap_or_default(),
        },
        channel: channel.as_str().to_owned(),
        preview_url: format!("/api/v1/rooms/{}/image.png?{}&size=bubble", room.id, spec.query()),
        download_url: format!("/api/v1/rooms/{}/image.png?{}", room.id, spec.query()),
        events: event_choices,
        friends: friend_items,
        friends_error,
        asks,
        resume_send,
        status_under,
        ask_description: lang.tr("share-ask-card-description", &[("room", &room.name)]),
        missing: missing_items,
        sdk_url,
        js_key,
        share,
        status_labels: RecipientStatus::SHOWN
            .iter()
            .map(|&s| (s.as_str().to_owned(), lang.t(status_key(s)).to_owned()))
            .collect(),
        event_error: errors
            .get("event_id")
            .map(|k| lang.t(k).to_owned())
            .unwrap_or_default(),
        date_error: errors
            .get("date")
            .map(|k| lang.t(k).to_owned())
            .unwrap_or_default(),
    };
    if errors.is_empty() {
        views::render(&page)
    } else {
        let html = page.render().map_err(AppError::internal)?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    }
}

/// The share page's form: the picked friends arrive as repeated `to` keys.
#[derive(serde::Deserialize)]
pub struct ShareForm {
    layout: Option<String>,
    event: Option<String>,
    event_id: Option<String>,
    date: Option<String>,
    channel: Option<String>,
    #[serde(default)]
    to: Vec<String>,
}

/// `POST /rooms/{id}/share` (the page without script): creates the share and shows its
/// progress on the page, or goes to Kakao's consent screen and back with the picks.
pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    AcceptLang(lang): AcceptLang,
    Path(id): Path<String>,
    Form(form): Form<ShareForm>,
) -> AppResult<Response> {
    let input = ShareInput {
        layout: form.layout,
        event_id: form.event.or(form.event_id).filter(|v| !v.is_empty()),
        date: form.date.filter(|v| !v.is_empty()),
        channel: form.channel,
        receiver_uuids: form.to,
    };
    match shares::create(&state, &auth.user, &id, &input, lang).await {
        Ok(share) => {
            let spec = card::spec_of(&share);
            let url = shares::share_page_url(&id, Some(&spec), share.channel, &[]);
            Ok(see_other(&format!("{url}&share={}", share.id)))
        }
        Err(e @ AppError::ConsentRequired { .. }) => Ok(see_other(&e.consent_url().unwrap_or_default())),
        // Back to the page, which explains the picker's problem next to it, the picks kept
        // (other problems, such as no friend picked, keep their error page).
        Err(e @ AppError::Validation(_)) if e.fields().keys().any(|k| *k == "event_id" || *k == "date") => {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in [
                ("layout", &input.layout),
                ("event", &input.event_id),
                ("date", &input.date),
            ] {
                if let Some(value) = value {
                    q.append_pair(key, value);
                }
            }
            if let Some(channel) = &input.channel {
                q.append_pair("channel", channel);
            }
            if !input.receiver_uuids.is_empty() {
                q.append_pair("to", &input.receiver_uuids.join(","));
            }
            Ok(see_other(&format!("/rooms/{id}/share?{}", q.finish())))
        }
        Err(e) => Err(e),
    }
}

/// The resume button's form.
#[derive(serde::Deserialize)]
pub struct ResumeForm {
    share: String,
}

/// `POST /rooms/{id}/share/resume` `share=…`: the sender, having given Kakao the consent that
/// was missing, queues the receivers parked as `needs_consent` again and goes back to the page.
pub async fn resume(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Form(form): Form<ResumeForm>,
) -> AppResult<Response> {
    let (room, _) = rooms::member_room(&state, &id, &auth.user).await?;
    let share = shares::room_share(&state, &form.share, &auth.user).await?;
    if share.room_id != room.id {
        return Err(AppError::not_found());
    }
    // Only the sender may resume: the messages go out in their name.
    if share.owner_id != auth.user.id {
        return Err(AppError::forbidden());
    }
    if state
        .store
        .requeue_needs_consent(&share.id, state.now_ms())
        .await?
        > 0
    {
        state.outbox_wake.notify_one();
    }
    let spec = card::spec_of(&share);
    let url = shares::share_page_url(&room.id, Some(&spec), share.channel, &[]);
    Ok(see_other(&format!("{url}&share={}", share.id)))
}

/// `GET /static/share.js`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}
