//! 참석·불참 on the event's card picture (issue 19): the counts line and who is going, in the
//! card's language, handed to the renderer as text (it knows nothing of answers).

use render::CardRsvp;
use storage::{EventRow, Room};

use crate::events::rsvp::{self, Answer};
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// The card's answers for `row`, `None` when nobody answered.
pub async fn card_rsvp(
    state: &AppState,
    room: &Room,
    row: &EventRow,
    lang: Lang,
) -> AppResult<Option<CardRsvp>> {
    let all = state.store.event_rsvps(&room.id, &row.id).await?;
    let json = rsvp::rsvp_of(&all, row, "");
    let counts = json.summary(lang);
    if counts.is_empty() {
        return Ok(None);
    }
    Ok(Some(CardRsvp {
        counts,
        names: json.names(Answer::Yes).join(", "),
    }))
}
