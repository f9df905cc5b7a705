//! Unlinking as the user or Kakao would, the unlink webhook that tells the app (§11.1, §14.9),
//! and the 24-hour auto-unlink of users who never completed sign-up (§3.3).

use jiff::SignedDuration;
use serde::Serialize;

use crate::Sandbox;

/// What happened to one webhook call.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct WebhookOutcome {
    pub user_id: i64,
    pub referrer_type: String,
    /// The app's HTTP status, or `None` when it did not answer (within 3 s) or is not configured.
    pub status: Option<u16>,
    /// `true` when no call was made (no URL configured, or the webhook is paused).
    pub skipped: bool,
}

/// Unlinks `user_id` (tokens, link and consents go) and calls the webhook with `referrer_type`.
pub async fn unlink_as(sb: &Sandbox, user_id: i64, referrer_type: &str) -> Option<WebhookOutcome> {
    let was_linked = sb.lock().unlink(user_id);
    if !was_linked {
        return None;
    }
    Some(call_webhook(sb, user_id, referrer_type).await)
}

/// Unlinks every user whose first login is older than the auto-unlink window and who never
/// called a personal-info API, firing `INCOMPLETE_SIGN_UP` for each.
pub async fn sweep(sb: &Sandbox) -> Vec<WebhookOutcome> {
    let now = sb.clock().now();
    let due: Vec<i64> = {
        let st = sb.lock();
        let window = SignedDuration::from_hours(st.app.settings.auto_unlink_hours);
        st.users
            .values()
            .filter_map(|u| u.link.as_ref().map(|l| (u.id, l)))
            .filter(|(_, l)| !l.signup_complete && now.duration_since(l.linked_at) >= window)
            .map(|(id, _)| id)
            .collect()
    };
    let mut outcomes = Vec::new();
    for user_id in due {
        if let Some(outcome) = unlink_as(sb, user_id, "INCOMPLETE_SIGN_UP").await {
            outcomes.push(outcome);
        }
    }
    outcomes
}

async fn call_webhook(sb: &Sandbox, user_id: i64, referrer_type: &str) -> WebhookOutcome {
    let (url, method, body_kind, admin_key, app_id, paused) = {
        let st = sb.lock();
        (
            st.app.unlink_webhook_url.clone().filter(|u| !u.is_empty()),
            st.app.settings.unlink_webhook_method.to_ascii_uppercase(),
            st.app.settings.unlink_webhook_body.clone(),
            st.app.admin_key.clone(),
            st.app.app_id,
            st.webhook.paused,
        )
    };
    let mut outcome = WebhookOutcome {
        user_id,
        referrer_type: referrer_type.to_owned(),
        status: None,
        skipped: true,
    };
    let Some(url) = url.filter(|_| !paused) else {
        return outcome;
    };
    outcome.skipped = false;
    let params = kakao::wire::UnlinkWebhook {
        app_id: app_id.to_string(),
        user_id: user_id.to_string(),
        referrer_type: referrer_type.to_owned(),
        group_user_token: None,
    };
    if let Some(http) = sb.inner.http() {
        let request = if method == "GET" {
            http.get(&url).query(&params)
        } else if body_kind == "json" {
            http.post(&url).json(&params)
        } else {
            http.post(&url).form(&params)
        };
        let result = request
            .header("Authorization", format!("KakaoAK {admin_key}"))
            .send()
            .await;
        outcome.status = result.ok().map(|r| r.status().as_u16());
    }

    // Kakao pauses a webhook that keeps failing and stops calling it until re-enabled.
    let mut st = sb.lock();
    if outcome.status == Some(200) {
        st.webhook.consecutive_failures = 0;
    } else {
        st.webhook.consecutive_failures += 1;
        let limit = st.app.settings.webhook_pause_after_failures;
        if limit > 0 && st.webhook.consecutive_failures >= limit {
            st.webhook.paused = true;
        }
    }
    outcome
}
