//! The event page's 참석·불참 section: three buttons (the member's own answer pressed), the
//! counts and names, and, for the room's owner, who has not answered yet.

use storage::{EventRow, Role, Room, User};

use crate::events::rsvp::{self, Answer, RsvpJson};
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// What the section shows.
pub struct RsvpSection {
    /// Where the buttons post (with the occurrence's query).
    pub action: String,
    pub rsvp: RsvpJson,
    /// "5명 참석 · 1명 미정", empty when nobody answered.
    pub summary: String,
    /// (answer, its label, the names that gave it) for each answer someone gave.
    pub groups: Vec<(&'static str, &'static str, String)>,
    /// The members who have not answered, for the owner (`None` for other members).
    pub unanswered: Option<String>,
}

impl RsvpSection {
    /// Whether `answer` is the reader's own (the pressed button).
    pub fn pressed(&self, answer: &str) -> bool {
        self.rsvp.mine.as_deref() == Some(answer)
    }
}

/// The section for `row` (an event or an occurrence) as `user` sees it.
pub async fn section(
    state: &AppState,
    lang: Lang,
    room: &Room,
    role: Role,
    row: &EventRow,
    user: &User,
    action: String,
) -> AppResult<RsvpSection> {
    let json = rsvp::with_rsvp(state, &room.id, row, &user.id).await?.rsvp;
    let groups = [Answer::Yes, Answer::Maybe, Answer::No]
        .into_iter()
        .filter_map(|a| {
            let names = json.names(a);
            (!names.is_empty()).then(|| (a.as_str(), label(lang, a), names.join(", ")))
        })
        .collect();
    let unanswered = if role == Role::Owner {
        let members = state.store.members(&room.id).await?;
        Some(rsvp::unanswered(&members, &json).join(", "))
    } else {
        None
    };
    Ok(RsvpSection {
        action,
        summary: json.summary(lang),
        rsvp: json,
        groups,
        unanswered,
    })
}

/// The button label of an answer.
pub fn label(lang: Lang, answer: Answer) -> &'static str {
    match answer {
        Answer::Yes => lang.t("rsvp-yes"),
        Answer::No => lang.t("rsvp-no"),
        Answer::Maybe => lang.t("rsvp-maybe"),
    }
}
