//! 참석·불참 (issue 19): every member answers yes, no or maybe to an event, or to one occurrence
//! of a series, and may change or withdraw it. This module owns the rules and the `rsvp` object
//! that every event JSON carries, the counts line the pages and the card image show
//! ("5명 참석 · 1명 미정"), and who has not answered yet (for the owner).
//!
//! Answers are keyed by (event, occurrence), where the occurrence is its original start as the
//! exception table keys it, or `''` for a single event, so a moved occurrence keeps its answers.

use storage::{EventRow, Member, RsvpRow};

use crate::events::occurrences::Original;
use crate::events::rows::EventJson;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

pub use crate::events::rsvp_json::{Answer, AnswerJson, RsvpJson};

/// The answers' key of an event row: `''` for a single event (or a series read whole), the
/// occurrence's original start as the exception table keys it otherwise.
pub fn occurrence_key(row: &EventRow) -> String {
    row.occurrence
        .as_deref()
        .and_then(|wire| Original::parse_param(wire, row.all_day != 0))
        .map(|o| o.key())
        .unwrap_or_default()
}

/// The `rsvp` of `row` among the room's answers `all`, seen by `me`.
pub fn rsvp_of(all: &[RsvpRow], row: &EventRow, me: &str) -> RsvpJson {
    let key = occurrence_key(row);
    let mine: Vec<&RsvpRow> = all
        .iter()
        .filter(|r| r.event_id == row.id && r.occurrence == key)
        .collect();
    RsvpJson::of(&mine, me)
}

/// The event JSON with its `rsvp`, one query for the whole list.
pub async fn with_rsvps(
    state: &AppState,
    room_id: &str,
    rows: &[EventRow],
    me: &str,
) -> AppResult<Vec<EventJson>> {
    let all = if rows.is_empty() {
        Vec::new()
    } else {
        state.store.room_rsvps(room_id).await?
    };
    Ok(rows
        .iter()
        .map(|row| {
            let mut json = crate::events::rows::to_json(row);
            json.rsvp = rsvp_of(&all, row, me);
            json
        })
        .collect())
}

/// One event's JSON with its `rsvp`.
pub async fn with_rsvp(state: &AppState, room_id: &str, row: &EventRow, me: &str) -> AppResult<EventJson> {
    let all = state.store.event_rsvps(room_id, &row.id).await?;
    let mut json = crate::events::rows::to_json(row);
    json.rsvp = rsvp_of(&all, row, me);
    Ok(json)
}

/// Sets or withdraws `user_id`'s answer to `row` (an event or one occurrence already resolved).
pub async fn answer(
    state: &AppState,
    room_id: &str,
    row: &EventRow,
    user_id: &str,
    answer: Option<Answer>,
) -> AppResult<()> {
    let key = occurrence_key(row);
    let now = state.now_ms();
    match answer {
        Some(a) => {
            state
                .store
                .set_rsvp(room_id, &row.id, &key, user_id, a.as_str(), now)
                .await?
        }
        None => {
            state
                .store
                .clear_rsvp(room_id, &row.id, &key, user_id, now)
                .await?
        }
    }
    Ok(())
}

/// The members who have not answered yet (what the owner sees).
pub fn unanswered(members: &[Member], rsvp: &RsvpJson) -> Vec<String> {
    members
        .iter()
        .filter(|m| !rsvp.answers.iter().any(|a| a.user_id == m.user_id))
        .map(|m| m.nickname.clone())
        .collect()
}

/// The body's answer: 422 with a field message for anything but yes, no or maybe.
pub fn parse_answer(text: Option<&str>) -> AppResult<Answer> {
    text.and_then(Answer::parse)
        .ok_or_else(|| AppError::validation([("answer", "rsvp_answer_invalid")].into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Lang;

    fn row(user: &str, answer: &str) -> RsvpRow {
        RsvpRow {
            event_id: "e".into(),
            occurrence: String::new(),
            user_id: user.into(),
            nickname: user.into(),
            answer: answer.into(),
        }
    }

    #[test]
    fn counts_and_the_summary_line() {
        let rows = [row("a", "yes"), row("b", "yes"), row("c", "maybe")];
        let refs: Vec<&RsvpRow> = rows.iter().collect();
        let r = RsvpJson::of(&refs, "c");
        assert_eq!((r.yes, r.no, r.maybe), (2, 0, 1));
        assert_eq!(r.mine.as_deref(), Some("maybe"));
        assert_eq!(r.summary(Lang::Ko), "2명 참석 · 1명 미정");
        assert_eq!(r.summary(Lang::En), "2 going · 1 maybe");
        assert_eq!(r.names(Answer::Yes), ["a", "b"]);
        assert_eq!(RsvpJson::default().summary(Lang::Ko), "");
    }
}
