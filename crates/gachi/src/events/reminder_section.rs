//! The reminder settings section of the event page (issue 19): the member's "나에게" memo
//! switch and, for the owner, the room's two reminder times, with the choices the selects
//! offer. The event page is the events', so it draws the section from what it reads itself
//! (the room's times live in `reminder_times`); the form posts to the reminders' routes
//! (`reminders::page`).

use storage::{Role, Room, User};

use crate::events::reminder_times as settings;
use crate::state::AppState;
use crate::web::error::AppResult;
use i18n::Lang;

/// The times the owner picks from (minutes before; all within Kakao's limits) and their labels.
pub const CHOICES: [(i64, &str); 9] = [
    (0, "reminders-at-0"),
    (10, "reminders-at-10"),
    (30, "reminders-at-30"),
    (60, "reminders-at-60"),
    (120, "reminders-at-120"),
    (180, "reminders-at-180"),
    (1440, "reminders-at-1440"),
    (2880, "reminders-at-2880"),
    (10080, "reminders-at-10080"),
];

/// What the section shows.
pub struct ReminderSection {
    /// Where the form posts: `POST /rooms/{id}/reminders` (`reminders::page::post`).
    pub action: String,
    pub memo: bool,
    /// The owner's selects: `Some((first, second))` (`-1` for none) for the owner.
    pub owner_times: Option<(i64, i64)>,
    /// (minutes, label) for the selects.
    pub choices: Vec<(i64, String)>,
    /// Where to come back to.
    pub back: String,
}

pub async fn section(
    state: &AppState,
    lang: Lang,
    room: &Room,
    role: Role,
    user: &User,
    back: &str,
) -> AppResult<ReminderSection> {
    let memo = state.store.reminder_memo(&room.id, &user.id).await?;
    let owner_times = if role == Role::Owner {
        let (before, _) = settings::before_minutes(state, room).await?;
        Some((
            before.first().copied().unwrap_or(-1),
            before.get(1).copied().unwrap_or(-1),
        ))
    } else {
        None
    };
    let mut choices = vec![(-1, lang.t("reminders-at-none").to_owned())];
    choices.extend(CHOICES.iter().map(|(m, key)| (*m, lang.t(key).to_owned())));
    // A time set through the API that the list lacks stays selectable, so saving the form
    // does not drop it.
    if let Some((first, second)) = owner_times {
        for m in [first, second] {
            if m >= 0 && !choices.iter().any(|(c, _)| *c == m) {
                choices.push((m, lang.tr("reminders-at-minutes", &[("n", &m.to_string())])));
            }
        }
    }
    Ok(ReminderSection {
        action: format!("/rooms/{}/reminders", room.id),
        memo,
        owner_times,
        choices,
        back: back.to_owned(),
    })
}
