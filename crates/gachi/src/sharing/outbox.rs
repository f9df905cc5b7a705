//! The share outbox worker (issues 7 and 8): a tokio task started by `serve`, woken by
//! `AppState::outbox_wake` after each share and every `POLL` otherwise, reading the shared
//! clock. Each round it settles lapsed leases, then keeps up to `outbox_concurrency` Kakao calls
//! in flight: it claims due receivers of one share at a time (at most 5: one Kakao call),
//! uploads the share's card image once, reserves the messages against Gachi's own daily quota
//! counters, sends, and records each receiver's outcome.
//!
//! Never twice, never silently lost (see `storage::outbox` for the state machine):
//! - a receiver is `claimed` while the call is being prepared and becomes `sending` only in the
//!   transaction that reserves its quota, immediately before the call. A crash before that point
//!   provably made no call for it, so its lapsed claim goes back to `queued`; a crash after it
//!   leaves `sending`, which lapses to `unknown` and is never sent again on its own;
//! - only outcomes where Kakao surely did not deliver (a refused connection, `-401`, a quota, a
//!   transient code such as `-1`, `-7`, `-9798` or a 5xx) put a receiver back in line, after an
//!   exponential backoff with jitter; an answer that was lost (`ErrorKind::Unknown`, e.g. a
//!   timeout) makes it `unknown`, which only the owner's explicit resend can requeue;
//! - Kakao's quotas cannot be read, so Gachi counts its own messages per KST day in the database
//!   before calling Kakao; a receiver over a quota is `deferred` to the next KST midnight with a
//!   reason naming the quota, and goes out then unless the owner cancels;
//! - a sender who lost a consent (`-402`) or their Kakao login (KOE322, unlinked) parks the
//!   receivers as `needs_consent` for the owner.
//!
//! One background loop (`background.rs`) runs this beside the Talk Calendar outbox and the memo
//! reminders.

pub use crate::sharing::quota_day::{kst_day, next_kst_day};
use std::sync::Arc;
use std::time::Duration;

use domain::share::reason::{GAVE_UP, IMAGE_FAILED};
use domain::share::{Channel, RecipientStatus};
use kakao::{AccessToken, ErrorKind, ImageAuth, KakaoError, Receivers};
use storage::{Claimed, QuotaCheck, QuotaKey, Share, Start};
use tokio::task::JoinSet;

use crate::auth::tokens::{TokenError, access_token};
use crate::sharing::card;
use crate::sharing::service::ME;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use i18n::Lang;

/// How often the worker looks for due receivers without being woken.
pub const POLL: Duration = Duration::from_millis(500);
/// Transient failures are retried this many times in all, then the receiver fails.
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between two attempts.
const MAX_BACKOFF_MS: i64 = 300_000;
/// Batches claimed per `run_once`, so one call always ends.
const MAX_BATCHES: usize = 1000;

/// One round: settle lapsed leases, then send everything due, keeping up to
/// `outbox_concurrency` Kakao calls in flight, until nothing more is due. Returns how many
/// receivers were claimed. Tests call this to drive the outbox deterministically.
pub async fn run_once(state: &AppState) -> AppResult<usize> {
    let result = round(state).await;
    if !matches!(result, Ok(0)) {
        // What this round wrote is read at once by the next request on this instance (other
        // instances see it within the hot reads' bound: `state::fresh`).
        state.fresh.generation.bump();
    }
    result
}

async fn round(state: &AppState) -> AppResult<usize> {
    let now = state.now_ms();
    let gave_up = state.store.give_up_lapsed_claims(now, MAX_ATTEMPTS).await?;
    if gave_up > 0 {
        tracing::warn!(
            count = gave_up,
            "outbox receivers failed before any Kakao call too often: failed"
        );
    }
    let expired = state.store.expire_outbox_leases(now).await?;
    if expired.unknown > 0 {
        tracing::warn!(
            count = expired.unknown,
            "outbox calls lost their answer (lease ran out): unknown"
        );
    }
    state.store.forget_quota_days_before(&kst_day(now)).await?;

    let concurrency = state.config.outbox_concurrency.max(1);
    // One upload at a time per round, so batches of a new share upload its image once.
    let upload_gate = Arc::new(tokio::sync::Mutex::new(()));
    let mut inflight: JoinSet<AppResult<()>> = JoinSet::new();
    let mut handled = 0;
    let mut batches = 0;
    let mut claim_error = None;
    loop {
        while claim_error.is_none() && inflight.len() < concurrency && batches < MAX_BATCHES {
            match claim_batch(state).await {
                Ok(Some((share_id, claimed))) => {
                    handled += claimed.len();
                    batches += 1;
                    let (state, gate) = (state.clone(), upload_gate.clone());
                    inflight.spawn(async move {
                        let sent = send_batch(&state, &gate, &share_id, &claimed).await;
                        if sent.is_err() {
                            // What is still only claimed made no call: it counts as an attempt.
                            let attempts = claimed.iter().map(|c| c.attempts).max().unwrap_or(1);
                            let at = retry_at(&state, attempts);
                            state
                                .store
                                .release_claims(
                                    &share_id,
                                    &state.instance_id,
                                    at,
                                    MAX_ATTEMPTS,
                                    state.now_ms(),
                                )
                                .await?;
                        }
                        sent
                    });
                }
                Ok(None) => break,
                // Calls in flight are still finished and recorded before the error is returned.
                Err(e) => claim_error = Some(e),
            }
        }
        match inflight.join_next().await {
            None => break,
            Some(Ok(Ok(()))) => {}
            Some(Ok(Err(e))) => {
                tracing::warn!(error = %e, "outbox batch failed; its leases will settle it")
            }
            Some(Err(e)) => tracing::warn!(error = %e, "outbox batch task ended abnormally"),
        }
    }
    match claim_error {
        Some(e) => Err(e),
        None => Ok(handled),
    }
}

/// Claims the next due batch (one Kakao call's worth of one share's receivers), if any.
async fn claim_batch(state: &AppState) -> AppResult<Option<(String, Vec<Claimed>)>> {
    // A few tries: another instance may take the rows between our look and our claim.
    for _ in 0..5 {
        let now = state.now_ms();
        let Some(share_id) = state.store.next_due_share(now).await? else {
            return Ok(None);
        };
        let claimed = state
            .store
            .claim_recipients(
                &share_id,
                now,
                now + state.config.outbox_lease_ms,
                &state.instance_id,
                kakao::MAX_RECEIVERS as i64,
            )
            .await?;
        if !claimed.is_empty() {
            return Ok(Some((share_id, claimed)));
        }
    }
    Ok(None)
}

/// What became of one receiver.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Sent,
    Failed(String),
    Unknown(String),
    /// Back in line at this instant (nothing was delivered).
    Retry(i64),
    /// Kakao refused for a quota; back in line when the KST day turns.
    Deferred(String, i64),
    NeedsConsent(String),
}

impl Outcome {
    /// Whether Kakao surely did not deliver, so the quota reservation is given back.
    fn not_delivered(&self) -> bool {
        !matches!(self, Outcome::Sent | Outcome::Unknown(_))
    }
}

/// Where one batch stands: which receivers hold a quota reservation.
struct Batch<'a> {
    share_id: &'a str,
    sender: &'a str,
    /// The KST day of the reservations (None: nothing reserved, e.g. memo).
    day: Option<String>,
}

async fn finish(
    state: &AppState,
    batch: &Batch<'_>,
    c: &Claimed,
    outcome: Outcome,
    reserved: bool,
) -> AppResult<()> {
    let now = state.now_ms();
    let outcome = match outcome {
        Outcome::Retry(_) if c.attempts >= MAX_ATTEMPTS => Outcome::Failed(GAVE_UP.into()),
        o => o,
    };
    let (status, reason, next): (RecipientStatus, Option<&str>, i64) = match &outcome {
        Outcome::Sent => (RecipientStatus::Sent, None, now),
        Outcome::Failed(r) => (RecipientStatus::Failed, Some(r), now),
        Outcome::Unknown(r) => (RecipientStatus::Unknown, Some(r), now),
        Outcome::Retry(at) => (RecipientStatus::Queued, None, *at),
        Outcome::Deferred(r, at) => (RecipientStatus::Deferred, Some(r), *at),
        Outcome::NeedsConsent(r) => (RecipientStatus::NeedsConsent, Some(r), now),
    };
    let limits = state.config.quota_limits();
    let key = batch.day.as_ref().map(|day| QuotaKey {
        day: day.clone(),
        sender: batch.sender.to_owned(),
        receiver: c.uuid.clone(),
    });
    let give_back = match &key {
        Some(key) if reserved && outcome.not_delivered() => Some((key, &limits)),
        _ => None,
    };
    let held = state
        .store
        .finish_recipient(
            batch.share_id,
            &c.uuid,
            &state.instance_id,
            status,
            reason,
            next,
            now,
            give_back,
        )
        .await?;
    if !held {
        tracing::warn!(
            share_id = batch.share_id,
            "outbox lease lost before the outcome was recorded"
        );
    }
    Ok(())
}

/// Records the same outcome for receivers that are still only claimed (no call made).
async fn finish_claimed(
    state: &AppState,
    batch: &Batch<'_>,
    claimed: &[Claimed],
    outcome: Outcome,
) -> AppResult<()> {
    for c in claimed {
        finish(state, batch, c, outcome.clone(), false).await?;
    }
    Ok(())
}

/// Exponential backoff from now: base, 2×base, 4×base … at most 5 minutes, plus up to half
/// again of random jitter, so receivers that failed together do not retry in lockstep.
fn backoff(now: i64, attempts: i64, base_ms: i64, jitter: f64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let delay = base_ms
        .max(1)
        .saturating_mul(2i64.saturating_pow(exp))
        .min(MAX_BACKOFF_MS);
    let jitter = (delay as f64 * 0.5 * jitter.clamp(0.0, 1.0)) as i64;
    now + delay + jitter
}

/// A uniform draw in [0, 1) for the jitter.
fn jitter() -> f64 {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 4];
    match ring::rand::SystemRandom::new().fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

fn retry_at(state: &AppState, attempts: i64) -> i64 {
    backoff(
        state.now_ms(),
        attempts,
        state.config.outbox_retry_base_ms,
        jitter(),
    )
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
        ErrorKind::Transient => Outcome::Retry(retry_at(state, attempts)),
        // -401: rejected before anything was sent; the token is refreshed before the retry.
        ErrorKind::TokenExpired => Outcome::Retry(now),
        ErrorKind::Quota => Outcome::Deferred(reason_of(e), next_kst_day(now)),
        ErrorKind::NeedsConsent(scopes) => Outcome::NeedsConsent(scopes.join(",")),
        ErrorKind::NeedsLogin => Outcome::NeedsConsent("login".into()),
        ErrorKind::Unknown => Outcome::Unknown("answer_lost".into()),
        ErrorKind::Permanent => Outcome::Failed(reason_of(e)),
    }
}

async fn send_batch(
    state: &AppState,
    upload_gate: &tokio::sync::Mutex<()>,
    share_id: &str,
    claimed: &[Claimed],
) -> AppResult<()> {
    let attempts = claimed.iter().map(|c| c.attempts).max().unwrap_or(1);
    let Some(share) = state.store.share(share_id).await? else {
        let batch = Batch {
            share_id,
            sender: "",
            day: None,
        };
        return finish_claimed(state, &batch, claimed, Outcome::Failed("share_gone".into())).await;
    };
    let mut batch = Batch {
        share_id,
        sender: &share.owner_id,
        day: None,
    };
    let token = match access_token(state, &share.owner_id, false).await {
        Ok(t) => t,
        Err(TokenError::NeedsLogin) => {
            return finish_claimed(state, &batch, claimed, Outcome::NeedsConsent("login".into())).await;
        }
        Err(_) => {
            let retry = Outcome::Retry(retry_at(state, attempts));
            return finish_claimed(state, &batch, claimed, retry).await;
        }
    };
    let Some(room) = state.store.room(&share.room_id).await? else {
        return finish_claimed(state, &batch, claimed, Outcome::Failed("room_gone".into())).await;
    };
    let card = match card::card_text(state, &share, &room).await {
        Ok(c) => c,
        Err(_) => return finish_claimed(state, &batch, claimed, Outcome::Failed("event_gone".into())).await,
    };
    let image = {
        let _one_upload = upload_gate.lock().await;
        ensure_image(state, &share, &room, &token).await
    };
    let image = match image {
        Ok(i) => i,
        Err(Upload::Kakao(e)) => {
            if e.kind() == ErrorKind::TokenExpired {
                let _ = access_token(state, &share.owner_id, true).await;
            }
            // Nothing was sent yet, so even a lost upload answer only means "try again".
            let outcome = match outcome_of_error(state, &e, attempts) {
                Outcome::Unknown(_) => Outcome::Retry(retry_at(state, attempts)),
                o => o,
            };
            return finish_claimed(state, &batch, claimed, outcome).await;
        }
        // Data the renderer refuses (an event outside the date window) will not draw on a
        // later attempt either; anything else (the database) may, within the attempt cap.
        Err(Upload::App(AppError::Validation(_))) => {
            return finish_claimed(state, &batch, claimed, Outcome::Failed(IMAGE_FAILED.into())).await;
        }
        Err(Upload::App(e)) => {
            tracing::warn!(error = %e, share_id, "the share's image could not be prepared");
            let retry = Outcome::Retry(retry_at(state, attempts));
            return finish_claimed(state, &batch, claimed, retry).await;
        }
    };
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    let template = card::feed_template(&card, lang, Some((&image.0, image.1, image.2)));

    // The last step before the call: reserve quotas and mark `sending`, or defer.
    let now = state.now_ms();
    let friends = share.channel != Channel::Memo;
    let day = kst_day(now);
    let limits = state.config.quota_limits();
    let check = QuotaCheck {
        limits: &limits,
        day: &day,
        sender: &share.owner_id,
        next_day_at: next_kst_day(now),
    };
    let uuids: Vec<String> = claimed.iter().map(|c| c.uuid.clone()).collect();
    let starts = state
        .store
        .start_sending(
            share_id,
            &state.instance_id,
            &uuids,
            friends.then_some(&check),
            now + state.config.outbox_lease_ms,
            now,
        )
        .await?;
    if friends {
        batch.day = Some(day.clone());
    }
    let going: Vec<&Claimed> = claimed
        .iter()
        .zip(&starts)
        .filter(|(_, s)| **s == Start::Sending)
        .map(|(c, _)| c)
        .collect();
    for (c, s) in claimed.iter().zip(&starts) {
        if let Start::Deferred(kind) = s {
            tracing::info!(share_id, reason = kind.reason(), uuid = %c.uuid, "receiver deferred by Gachi's quota count");
        }
    }
    if going.is_empty() {
        return Ok(());
    }

    if share.channel == Channel::Memo {
        let result = state.kakao.send_memo(&token, &template).await;
        for c in going {
            let outcome = match &result {
                Ok(()) if c.uuid == ME => Outcome::Sent,
                Ok(()) => Outcome::Failed("not_memo_receiver".into()),
                Err(e) => outcome_of_error(state, e, c.attempts),
            };
            finish(state, &batch, c, outcome, true).await?;
        }
        if matches!(&result, Err(e) if e.kind() == ErrorKind::TokenExpired) {
            let _ = access_token(state, &share.owner_id, true).await;
        }
        return Ok(());
    }

    let receivers = match Receivers::new(going.iter().map(|c| c.uuid.clone())) {
        Ok(r) => r,
        Err(_) => {
            for c in going {
                finish(state, &batch, c, Outcome::Failed("bad_receivers".into()), true).await?;
            }
            return Ok(());
        }
    };
    match state.kakao.send_to_friends(&token, &receivers, &template).await {
        Ok(result) => {
            let now = state.now_ms();
            for c in going {
                let o = if result.successful.iter().any(|u| u == &c.uuid) {
                    Outcome::Sent
                } else if let Some(f) = result.failure_of(&c.uuid) {
                    match f.kind() {
                        ErrorKind::Quota => Outcome::Deferred(format!("kakao_{}", f.code), next_kst_day(now)),
                        ErrorKind::Transient => Outcome::Retry(retry_at(state, c.attempts)),
                        _ => Outcome::Failed(format!("kakao_{}", f.code)),
                    }
                } else {
                    // Kakao named neither success nor failure for this receiver.
                    Outcome::Unknown("not_reported".into())
                };
                finish(state, &batch, c, o, true).await?;
            }
        }
        Err(e) => {
            if e.kind() == ErrorKind::TokenExpired {
                let _ = access_token(state, &share.owner_id, true).await;
            }
            for c in going {
                finish(state, &batch, c, outcome_of_error(state, &e, c.attempts), true).await?;
            }
        }
    }
    Ok(())
}

enum Upload {
    Kakao(KakaoError),
    App(AppError),
}

/// The share's card image on Kakao's servers, uploaded once per share (the caller holds the
/// round's upload gate; a second upload after a race between instances is harmless: only the
/// first URL is kept).
async fn ensure_image(
    state: &AppState,
    share: &Share,
    room: &storage::Room,
    token: &AccessToken,
) -> Result<(String, i64, i64), Upload> {
    // Read again: another batch of this share may have uploaded it while we waited.
    let fresh = state
        .store
        .share(&share.id)
        .await
        .map_err(|e| Upload::App(e.into()))?;
    let share = fresh.as_ref().unwrap_or(share);
    if let (Some(url), Some(w), Some(h)) = (&share.image_url, share.image_width, share.image_height) {
        return Ok((url.clone(), w, h));
    }
    let lang = Lang::parse(&share.lang).unwrap_or_default();
    // The picture made for the chat bubble (the agenda for a week or month), not the full grid.
    let png = crate::sharing::picture::png(
        state,
        room,
        &card::spec_of(share),
        lang,
        crate::sharing::picture::Fit::Bubble,
    )
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
    use jiff::Timestamp;

    #[test]
    fn quota_days_turn_at_kst_midnight() {
        // 2026-12-24T23:30:00+09:00 → 2026-12-25T00:00:00+09:00
        let now: Timestamp = "2026-12-24T14:30:00Z".parse().unwrap();
        let next = next_kst_day(now.as_millisecond());
        let expect: Timestamp = "2026-12-24T15:00:00Z".parse().unwrap();
        assert_eq!(next, expect.as_millisecond());
        assert_eq!(kst_day(now.as_millisecond()), "2026-12-24");
        assert_eq!(kst_day(next), "2026-12-25");
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        assert_eq!(backoff(0, 1, 2_000, 0.0), 2_000);
        assert_eq!(backoff(0, 2, 2_000, 0.0), 4_000);
        assert_eq!(backoff(0, 10, 2_000, 0.0), 300_000);
        assert_eq!(backoff(0, 1, 2_000, 0.999_999), 2_999);
        assert_eq!(backoff(0, 1, 100, 0.0), 100);
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn only_surely_undelivered_outcomes_give_the_quota_back() {
        assert!(!Outcome::Sent.not_delivered());
        assert!(!Outcome::Unknown("answer_lost".into()).not_delivered());
        assert!(Outcome::Retry(0).not_delivered());
        assert!(Outcome::Failed("kakao_-502".into()).not_delivered());
        assert!(Outcome::Deferred("kakao_-536".into(), 0).not_delivered());
    }
}
