//! "Who hasn't answered?": the owner nudges the room's group chat with one Kakao Talk Share
//! card naming the members who have not answered ("⏰ 마감 D-1 · 아직 3명: 민수·지영·철수"),
//! whose button opens the poll. A text card, not a picture: the bubble shows text at KakaoTalk's
//! own size, so the names stay legible on any phone. The card speaks the language most of the
//! people it names last used Gachi in (Korean on a tie), since they are the ones it is for.

use domain::event::time_zone;
use domain::poll::PollKind;
use i18n::Lang;
use serde::Serialize;
use storage::{PollRow, Role};

use crate::auth::sdk;
use crate::state::AppState;
use crate::web::error::AppResult;

/// Names listed before "외 N명".
const MAX_NAMES: usize = 6;
/// How close the deadline is when the page starts to offer the nudge prominently.
const NEAR_MS: i64 = 48 * 3_600_000;

/// The card's words and where it leads; the page turns it into Talk Share settings.
#[derive(Clone, Debug, Serialize)]
pub struct NudgeCard {
    pub text: String,
    pub button: String,
    pub url: String,
    pub lang: &'static str,
}

/// The language most of `waiting` use (Korean on a tie or when nobody said).
async fn receivers_lang(state: &AppState, waiting: &[(String, String)]) -> AppResult<Lang> {
    let mut en = 0usize;
    for (user_id, _) in waiting {
        let lang = state.store.user_lang(user_id).await?;
        if lang.as_deref().and_then(Lang::parse) == Some(Lang::En) {
            en += 1;
        }
    }
    Ok(if en * 2 > waiting.len() {
        Lang::En
    } else {
        Lang::Ko
    })
}

/// The card for an open poll (`poll`, of `kind`) with someone still to answer (`waiting`:
/// user ids and nicknames); `None` otherwise. It takes the poll's parts rather than the
/// service's `Loaded`, so the service can ask for it without a circle of imports.
pub async fn card(
    state: &AppState,
    poll: &PollRow,
    kind: PollKind,
    open: bool,
    waiting: &[(String, String)],
) -> AppResult<Option<NudgeCard>> {
    if waiting.is_empty() || !open {
        return Ok(None);
    }
    let lang = receivers_lang(state, waiting).await?;
    Ok(Some(card_in(state, poll, kind, waiting, lang)))
}

fn card_in(
    state: &AppState,
    poll: &PollRow,
    kind: PollKind,
    waiting: &[(String, String)],
    lang: Lang,
) -> NudgeCard {
    let names: Vec<&str> = waiting.iter().map(|w| w.1.as_str()).collect();
    let mut shown = names
        .iter()
        .take(MAX_NAMES)
        .copied()
        .collect::<Vec<_>>()
        .join("·");
    if names.len() > MAX_NAMES {
        let more = (names.len() - MAX_NAMES).to_string();
        shown = lang.tr("poll-nudge-more", &[("names", &shown), ("count", &more)]);
    }
    let waiting = lang.tr(
        "poll-nudge-waiting",
        &[("count", &names.len().to_string()), ("names", &shown)],
    );
    let mut head = vec!["⏰".to_owned()];
    if let Some(left) = deadline_words(state, poll, lang) {
        head.push(left);
        head.push("·".to_owned());
    }
    head.push(waiting);
    let text = format!("{}\n{}", head.join(" "), poll.title);
    let button = match kind {
        PollKind::Grid => lang.t("poll-nudge-button-grid"),
        PollKind::Days => lang.t("poll-nudge-button-days"),
    };
    NudgeCard {
        text,
        button: button.to_owned(),
        url: format!("{}/rooms/{}/polls/{}", state.public_url, poll.room_id, poll.id),
        lang: lang.code(),
    }
}

/// `마감 D-1`, `오늘 마감`, counted in the poll's zone's days.
fn deadline_words(state: &AppState, poll: &PollRow, lang: Lang) -> Option<String> {
    let deadline = poll.deadline_at?;
    let tz = time_zone(&poll.time_zone).ok()?;
    let end = tz
        .to_datetime(jiff::Timestamp::from_millisecond(deadline).ok()?)
        .date();
    let today = tz.to_datetime(state.clock.now()).date();
    let days = (end - today).get_days();
    Some(if days <= 0 {
        lang.t("poll-nudge-today").to_owned()
    } else {
        lang.tr("poll-nudge-dday", &[("days", &days.to_string())])
    })
}

/// The owner's "nudge into the group chat" button.
pub struct NudgeButton {
    pub sdk_url: String,
    pub js_key: String,
    /// Kakao Talk Share settings (JSON) for the card.
    pub talk_share: String,
    /// The deadline is near: the box stands out and says so.
    pub near: bool,
    pub note: String,
}

/// The owner's button on the poll page (its note in the owner's `lang`) for the poll's card,
/// when Kakao's SDK is configured.
pub async fn button(
    state: &AppState,
    role: Role,
    deadline_at: Option<i64>,
    card: Option<&NudgeCard>,
    lang: Lang,
) -> AppResult<Option<NudgeButton>> {
    if role != Role::Owner {
        return Ok(None);
    }
    let Some(sdk) = sdk::js_sdk(state) else {
        return Ok(None);
    };
    let Some(card) = card else {
        return Ok(None);
    };
    let near = deadline_at.is_some_and(|d| d - state.now_ms() <= NEAR_MS);
    Ok(Some(NudgeButton {
        sdk_url: sdk.url,
        js_key: sdk.key,
        talk_share: talk_share(card).to_string(),
        near,
        note: lang.t("poll-nudge-near").to_owned(),
    }))
}

/// Kakao Talk Share settings (the JS SDK's camelCase) for the card.
pub fn talk_share(card: &NudgeCard) -> serde_json::Value {
    let link = serde_json::json!({"webUrl": card.url, "mobileWebUrl": card.url});
    serde_json::json!({
        "objectType": "text",
        "text": card.text,
        "link": link,
        "buttons": [{"title": card.button, "link": link}],
    })
}
