//! The share outbox worker (issue 7): a tokio task started by `serve`, woken by
//! `AppState::outbox_wake` after each share and every `POLL` otherwise, reading the shared
//! clock. Each round it turns receivers whose lease ran out into `unknown`, then claims due
//! receivers of one share at a time (at most 5: one Kakao call), uploads the card image once per
//! share, sends, and records each receiver's outcome.
//!
//! Never twice: a receiver is claimed by a compare-and-set (`queued|deferred → sending`); only
//! outcomes where Kakao surely did not deliver (a refused connection, `-401`, a quota, a
//! transient error code) put it back in line; an answer that was lost (`ErrorKind::Unknown`) or
//! a lease that ran out makes it `unknown`, which only the owner's explicit resend can requeue.

use std::time::Duration;

use jiff::Timestamp;
use kakao::{AccessToken, ErrorKind, ImageAuth, KakaoError, Receivers};
use storage::{Claimed, Share};

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::kakao_tokens::{TokenError, access_token};
use crate::shares::{self, ME};
use crate::state::AppState;

/// How often the worker looks for due receivers without being woken.
pub const POLL: Duration = Duration::from_millis(500);
/// A claimed receiver's lease: well above the Kakao client's 10 s timeout.
pub const LEASE_MS: i64 = 60_000;
/// Transient failures are retried this many times in all, then the receiver fails.
pub const MAX_ATTEMPTS: i64 = 8;
/// Rounds of claiming per `run_once`, so one call always ends.
const MAX_BATCHES: usize = 1000;

/// Starts the worker; it runs as long as the runtime does.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = run_once(&state).await {
                tracing::warn!(error = ?e.code, "outbox round failed");
            }
            tokio::select! {
                _ = state.outbox_wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

/// One round: expire lost leases, then send everything due now. Returns how many receivers
/// were handled. Tests call this to drive the outbox deterministically.
pub async fn run_once(state: &AppState) -> AppResult<usize> {
    state.store.expire_outbox_leases(state.now_ms()).await?;
    let mut handled = 0;
    for _ in 0..MAX_BATCHES {
        let now = state.now_ms();
        let Some(share_id) = state.store.next_due_share(now).await? else {
            break;
        };
        let claimed = state
            .store
            .claim_recipients(
                &share_id,
                now,
                now + LEASE_MS,
                &state.instance_id,
                kakao::MAX_RECEIVERS as i64,
            )
            .await?;
        if claimed.is_empty() {
            // Another instance took them between our look and our claim.
            continue;
        }
        handled += claimed.len();
        send_batch(state, &share_id, &claimed).await?;
    }
    Ok(handled)
}

/// What became of one receiver.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Sent,
    Failed(String),
    Unknown(String),
    /// Back in line at this instant (nothing was delivered).
    Retry(i64),
    Deferred(i64),
    NeedsConsent(String),
}

async fn finish(state: &AppState, share_id: &str, uuid: &str, outcome: &Outcome) -> AppResult<()> {
    let now = state.now_ms();
    let (status, reason, next): (&str, Option<&str>, i64) = match outcome {
        Outcome::Sent => ("sent", None, now),
        Outcome::Failed(r) => ("failed", Some(r), now),
        Outcome::Unknown(r) => ("unknown", Some(r), now),
        Outcome::Retry(at) => ("queued", None, *at),
        Outcome::Deferred(at) => ("deferred", Some("quota"), *at),
        Outcome::NeedsConsent(r) => ("needs_consent", Some(r), now),
    };
    let held = state
        .store
        .finish_recipient(share_id, uuid, &state.instance_id, status, reason, next, now)
        .await?;
    if !held {
        tracing::warn!(share_id, "outbox lease lost before the outcome was recorded");
    }
    Ok(())
}

async fn finish_all(
    state: &AppState,
    share_id: &str,
    claimed: &[Claimed],
    outcome: Outcome,
) -> AppResult<()> {
    for c in claimed {
        let o = match &outcome {
            Outcome::Retry(_) if c.attempts >= MAX_ATTEMPTS => Outcome::Failed("gave_up".into()),
            o => o.clone(),
        };
        finish(state, share_id, &c.uuid, &o).await?;
    }
    Ok(())
}

/// Exponential backoff from now: 2 s, 4 s, 8 s … at most 5 minutes.
fn backoff(now: i64, attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    now + (2_000i64 * 2i64.pow(exp)).min(300_000)
}

/// The next KST midnight, when Kakao's daily quotas reset.
pub fn next_kst_day(now_ms: i64) -> i64 {
    let Ok(tz) = jiff::tz::TimeZone::get("Asia/Seoul") else {
        return now_ms + 86_400_000;
    };
    let now = Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    let tomorrow = now.to_zoned_datetime(tz.clone()).date().tomorrow();
    tomorrow
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz).ok())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(now_ms + 86_400_000)
}

fn reason_of(e: &KakaoError) -> String {
    match e.api_code() {
        Some(code) => format!("kakao_{code}"),
        None => match e {
            KakaoError::Auth { .. } => "kakao_auth".into(),
            _ => "kakao_error".into(),
        },
    }
}

/// What a whole-call error means for every receiver of the call.
fn outcome_of_error(state: &AppState, e: &KakaoError, attempts: i64) -> Outcome {
    let now = state.now_ms();
    match e.kind() {
        ErrorKind::Transient => Outcome::Retry(backoff(now, attempts)),
        // -401: rejected before anything was sent; the token is refreshed before the retry.
        ErrorKind::TokenExpired => Outcome::Retry(now),
        ErrorKind::Quota => Outcome::Deferred(next_kst_day(now)),
        ErrorKind::NeedsConsent(scopes) => Outcome::NeedsConsent(scopes.join(",")),
        ErrorKind::NeedsLogin => Outcome::NeedsConsent("login".into()),
        ErrorKind::Unknown => Outcome::Unknown("answer_lost".into()),
        ErrorKind::Permanent => Outcome::Failed(reason_of(e)),
    }
}

async fn send_batch(state: &AppState, share_id: &str, claimed: &[Claimed]) -> AppResult<()> {
    let attempts = claimed.iter().map(|c| c.attempts).max().unwrap_or(1);
    let Some(share) = state.store.share(share_id).await? else {
        return finish_all(state, share_id, claimed, Outcome::Failed("share_gone".into())).await;
    };
    let token = match access_token(state, &share.owner_id, false).await {
        Ok(t) => t,
        Err(TokenError::NeedsLogin) => {
            return finish_all(state, share_id, claimed, Outcome::NeedsConsent("login".into())).await;
        }
        Err(_) => {
            let retry = Outcome::Retry(backoff(state.now_ms(), attempts));
            return finish_all(state, share_id, claimed, retry).await;
        }
    };
    let Some(room) = state.store.room(&share.room_id).await? else {
        return finish_all(state, share_id, claimed, Outcome::Failed("room_gone".into())).await;
    };
    let card = match shares::card_text(state, &share, &room).await {
        Ok(c) => c,
        Err(_) => return finish_all(state, share_id, claimed, Outcome::Failed("event_gone".into())).await,
    };
    let image = match ensure_image(state, &share, &room, &token).await {
        Ok(i) => i,
        Err(Upload::Kakao(e)) => {
            if e.kind() == ErrorKind::TokenExpired {
                let _ = access_token(state, &share.owner_id, true).await;
            }
            // Nothing was sent yet, so even a lost upload answer only means "try again".
            let outcome = match outcome_of_error(state, &e, attempts) {
                Outcome::Unknown(_) => Outcome::Retry(backoff(state.now_ms(), attempts)),
                o => o,
            };
            return finish_all(state, share_id, claimed, outcome).await;
        }
        Err(Upload::App(e)) => return Err(e),
    };
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    let template = shares::feed_template(&card, lang, Some((&image.0, image.1, image.2)));

    if share.channel == "memo" {
        let result = state.kakao.send_memo(&token, &template).await;
        for c in claimed {
            let outcome = match &result {
                Ok(()) if c.uuid == ME => Outcome::Sent,
                Ok(()) => Outcome::Failed("not_memo_receiver".into()),
                Err(e) => outcome_of_error(state, e, c.attempts),
            };
            finish_retrying(state, share_id, c, outcome).await?;
        }
        if matches!(&result, Err(e) if e.kind() == ErrorKind::TokenExpired) {
            let _ = access_token(state, &share.owner_id, true).await;
        }
        return Ok(());
    }

    let receivers = match Receivers::new(claimed.iter().map(|c| c.uuid.clone())) {
        Ok(r) => r,
        Err(_) => return finish_all(state, share_id, claimed, Outcome::Failed("bad_receivers".into())).await,
    };
    match state.kakao.send_to_friends(&token, &receivers, &template).await {
        Ok(outcome) => {
            let now = state.now_ms();
            for c in claimed {
                let o = if outcome.successful.iter().any(|u| u == &c.uuid) {
                    Outcome::Sent
                } else if let Some(f) = outcome.failure_of(&c.uuid) {
                    match f.kind() {
                        ErrorKind::Quota => Outcome::Deferred(next_kst_day(now)),
                        ErrorKind::Transient => Outcome::Retry(backoff(now, c.attempts)),
                        _ => Outcome::Failed(format!("kakao_{}", f.code)),
                    }
                } else {
                    // Kakao named neither success nor failure for this receiver.
                    Outcome::Unknown("not_reported".into())
                };
                finish_retrying(state, share_id, c, o).await?;
            }
        }
        Err(e) => {
            if e.kind() == ErrorKind::TokenExpired {
                let _ = access_token(state, &share.owner_id, true).await;
            }
            for c in claimed {
                finish_retrying(state, share_id, c, outcome_of_error(state, &e, c.attempts)).await?;
            }
        }
    }
    Ok(())
}

async fn finish_retrying(state: &AppState, share_id: &str, c: &Claimed, outcome: Outcome) -> AppResult<()> {
    let outcome = match outcome {
        Outcome::Retry(_) if c.attempts >= MAX_ATTEMPTS => Outcome::Failed("gave_up".into()),
        o => o,
    };
    finish(state, share_id, &c.uuid, &outcome).await
}

enum Upload {
    Kakao(KakaoError),
    App(AppError),
}

/// The share's card image on Kakao's servers, uploaded once per share (a second upload after
/// a race is harmless: only the first URL is kept).
async fn ensure_image(
    state: &AppState,
    share: &Share,
    room: &storage::Room,
    token: &AccessToken,
) -> Result<(String, i64, i64), Upload> {
    if let (Some(url), Some(w), Some(h)) = (&share.image_url, share.image_width, share.image_height) {
        return Ok((url.clone(), w, h));
    }
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    let png = crate::images::png(state, room, &shares::spec_of(share), lang, render::Size::FEED)
        .await
        .map_err(Upload::App)?;
    let info = state
        .kakao
        .upload_image(ImageAuth::Bearer(token), "gachi.png", "image/png", png.to_vec())
        .await
        .map_err(Upload::Kakao)?;
    let (w, h) = (i64::from(info.width), i64::from(info.height));
    state
        .store
        .set_share_image(&share.id, &info.url, w, h)
        .await
        .map_err(|e| Upload::App(e.into()))?;
    let stored = state
        .store
        .share(&share.id)
        .await
        .map_err(|e| Upload::App(e.into()))?;
    match stored.and_then(|s| Some((s.image_url?, s.image_width?, s.image_height?))) {
        Some(kept) => Ok(kept),
        None => Ok((info.url, w, h)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_days_turn_at_kst_midnight() {
        // 2026-12-24T23:30:00+09:00 → 2026-12-25T00:00:00+09:00
        let now: Timestamp = "2026-12-24T14:30:00Z".parse().unwrap();
        let next = next_kst_day(now.as_millisecond());
        let expect: Timestamp = "2026-12-24T15:00:00Z".parse().unwrap();
        assert_eq!(next, expect.as_millisecond());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0, 1), 2_000);
        assert_eq!(backoff(0, 2), 4_000);
        assert_eq!(backoff(0, 10), 300_000);
    }
}
