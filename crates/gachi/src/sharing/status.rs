//! Where a share stands, as the owner sees it: the shown status of each receiver, whether it may
//! be resent, the sentence that explains it, the share's overall status, and its JSON.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Value, json};
use storage::{Recipient, Share};

use crate::auth::consent::{self, FRIENDS, TALK_MESSAGE};
use crate::sharing::card::{card_text, talk_share_settings};
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

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
    let key = match (status, reason.unwrap_or("")) {
        ("deferred", "quota_app_day") => "share-reason-quota_app_day",
        ("deferred", "quota_sender_day") => "share-reason-quota_sender_day",
        ("deferred", "quota_receiver_day") => "share-reason-quota_receiver_day",
        ("deferred", "quota_pair_day") => "share-reason-quota_pair_day",
        // A quota this version does not know by name: nothing sensible to say about it.
        ("deferred", r) if r.starts_with("quota_") => return None,
        ("deferred", _) => "share-reason-kakao_quota",
        ("unknown", _) => "share-reason-answer_lost",
        ("needs_consent", _) => "share-reason-needs_consent",
        ("failed", "canceled") => "share-reason-canceled",
        ("failed", "gave_up") => "share-reason-gave_up",
        ("failed", "image_failed") => "share-reason-image_failed",
        ("failed", _) => "share-reason-failed",
        _ => return None,
    };
    let at = Timestamp::from_millisecond(next_attempt_at)
        .ok()
        .zip(jiff::tz::TimeZone::get("Asia/Seoul").ok())
        .map(|(t, tz)| t.to_zoned_datetime(tz).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    Some(lang.tr(key, &[("at", &at)]))
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
