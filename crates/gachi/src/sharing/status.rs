//! Where a share stands, as the owner sees it: the sentence that explains each receiver and the
//! share's JSON. The rules behind them (shown status, resendable, which explanation, overall
//! status) are `domain::share`'s; this is their wording and wire shape.

use domain::share::{Channel, Explanation, RecipientStatus, ShareStatus, overall_status};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Value, json};
use storage::Share;

use crate::auth::consent::{self, FRIENDS, TALK_MESSAGE};
use crate::sharing::card::{card_text, talk_share_settings};
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// A sentence explaining where a receiver stands, in `lang`: why it is deferred and when it goes
/// out by itself, why it is unknown, failed or waiting for consent. None when nothing needs
/// explaining (which explanation is `domain`'s rule; this only words it).
pub fn reason_message(
    lang: Lang,
    status: RecipientStatus,
    reason: Option<&str>,
    next_attempt_at: i64,
) -> Option<String> {
    use Explanation as E;
    let key = match status.explanation(reason)? {
        E::QuotaAppDay => "share-reason-quota_app_day",
        E::QuotaSenderDay => "share-reason-quota_sender_day",
        E::QuotaReceiverDay => "share-reason-quota_receiver_day",
        E::QuotaPairDay => "share-reason-quota_pair_day",
        E::KakaoQuota => "share-reason-kakao_quota",
        E::AnswerLost => "share-reason-answer_lost",
        E::NeedsConsent => "share-reason-needs_consent",
        E::Canceled => "share-reason-canceled",
        E::GaveUp => "share-reason-gave_up",
        E::ImageFailed => "share-reason-image_failed",
        E::Failed => "share-reason-failed",
    };
    let at = Timestamp::from_millisecond(next_attempt_at)
        .ok()
        .zip(jiff::tz::TimeZone::get("Asia/Seoul").ok())
        .map(|(t, tz)| t.to_zoned_datetime(tz).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    Some(lang.tr(key, &[("at", &at)]))
}

#[derive(Serialize)]
struct RecipientJson<'a> {
    uuid: &'a str,
    nickname: &'a str,
    status: RecipientStatus,
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
            status: r.status.shown(),
            reason: r.reason.as_deref(),
            message: reason_message(lang, r.status, r.reason.as_deref(), r.next_attempt_at),
            next_attempt_at: (r.status == RecipientStatus::Deferred)
                .then(|| kst_instant(r.next_attempt_at))
                .flatten(),
            resendable: r.status.resendable(),
        })
        .collect();
    let statuses: Vec<RecipientStatus> = recipients.iter().map(|r| r.status).collect();
    let status: ShareStatus = overall_status(share.channel, &statuses);
    let mut body = json!({
        "id": share.id,
        "room_id": share.room_id,
        "status": status,
        "channel": share.channel,
        "layout": share.layout,
        "event_id": share.event_id,
        "date": share.date,
        "public_url": format!("{}/s/{}", state.public_url, share.public_token),
        "link_revoked": share.revoked_at.is_some(),
        "recipients": list,
    });
    if statuses.contains(&RecipientStatus::NeedsConsent) {
        let scopes: Vec<String> = recipients
            .iter()
            .filter(|r| r.status == RecipientStatus::NeedsConsent)
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
    if share.channel == Channel::TalkShare
        && share.revoked_at.is_none()
        && let Some(room) = state.store.room(&share.room_id).await?
    {
        let card = card_text(state, share, &room).await?;
        body["talk_share"] = talk_share_settings(&card, lang);
    }
    Ok(body)
}
