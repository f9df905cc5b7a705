//! Availability polls in a room (issue 10), shared by the JSON API and the pages: loading a
//! poll for a member (non-members get 404), the heat-map and ranking, answering, proposing a
//! day, and the poll's wire shape (confirming lives in `confirm`).

use std::collections::BTreeMap;

use domain::poll::{self, Answer, OptionKey, PollInput, PollKind, PollShape, Range, Tally};
use serde::Serialize;
use storage::{NewPoll, PollRow, Role, Room, User};

use crate::events::service as events;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};

/// How many options the ranking lists.
pub const RANKING_LEN: usize = 5;

/// A poll as a member sees it, with its room and options.
pub struct Loaded {
    pub room: Room,
    pub role: Role,
    pub row: PollRow,
    pub shape: PollShape,
}

impl Loaded {
    pub fn open(&self, now_ms: i64) -> bool {
        poll::is_open(self.row.deadline_at, self.row.confirmed_key.is_some(), now_ms)
    }

    /// The owner of the room or the poll's creator.
    pub fn may_delete(&self, user: &User) -> bool {
        self.role == Role::Owner || self.row.created_by == user.id
    }
}

/// The poll `poll_id` of room `room_id` if `user` is a member; 404 otherwise.
pub async fn load(state: &AppState, room_id: &str, poll_id: &str, user: &User) -> AppResult<Loaded> {
    let (room, role) = crate::rooms::service::member_room(state, room_id, user).await?;
    let row = state
        .store
        .poll(&room.id, poll_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let dates = state.store.poll_dates(&row.id).await?;
    let shape = shape_of(&row, &dates)?;
    Ok(Loaded {
        room,
        role,
        row,
        shape,
    })
}

fn shape_of(row: &PollRow, dates: &[String]) -> AppResult<PollShape> {
    let minute = |m: i64| u16::try_from(m).map_err(AppError::internal);
    Ok(PollShape {
        kind: row.kind,
        dates: dates.iter().filter_map(|d| d.parse().ok()).collect(),
        start_minute: minute(row.start_minute)?,
        end_minute: minute(row.end_minute)?,
    })
}

/// Who answered what, and the heat of every option.
pub struct Heat {
    /// `(user_id, nickname)` of each member who answered.
    pub respondents: Vec<(String, String)>,
    pub tallies: Vec<Tally>,
    pub ranking: Vec<usize>,
    /// The best ranges (consecutive slots the same people can make), best first.
    pub ranges: Vec<Range>,
    /// `(user_id, nickname)` of the room's members who have not answered yet.
    pub waiting: Vec<(String, String)>,
    pub mine: BTreeMap<OptionKey, Answer>,
    /// The owner's nudge card for the group chat (`None` for others, or nobody to nudge).
    pub nudge: Option<crate::polls::nudge::NudgeCard>,
}

impl Heat {
    /// 0–5: how much of the room that answered can make option `i`.
    pub fn level(&self, i: usize) -> u32 {
        let most = 2 * u32::try_from(self.respondents.len()).unwrap_or(u32::MAX);
        match (self.tallies.get(i), most) {
            (Some(t), most) if most > 0 => (5 * t.score_halves()).div_ceil(most),
            _ => 0,
        }
    }

    pub fn names(&self, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .filter_map(|&i| self.respondents.get(i).map(|r| r.1.clone()))
            .collect()
    }
}

pub async fn heat(state: &AppState, p: &Loaded, me: &User) -> AppResult<Heat> {
    let rows = state.store.poll_answers(&p.row.id, &p.room.id).await?;
    let mut respondents = Vec::with_capacity(rows.len());
    let mut answers = Vec::with_capacity(rows.len());
    let mut mine = BTreeMap::new();
    for r in rows {
        let raw: BTreeMap<String, String> = serde_json::from_str(&r.answers).unwrap_or_default();
        // Options stay (days are never removed), so stored answers always check; anything odd
        // is skipped rather than failing the whole heat-map.
        let parsed: BTreeMap<OptionKey, Answer> = raw
            .iter()
            .filter_map(|(k, v)| Some((OptionKey::parse(k)?, v.parse::<Answer>().ok()?)))
            .collect();
        if r.user_id == me.id {
            mine = parsed.clone();
        }
        respondents.push((r.user_id, r.nickname));
        answers.push(parsed);
    }
    let tallies = poll::tally(&p.shape, &answers);
    let ranking = poll::ranking(&tallies, RANKING_LEN);
    let ranges = poll::rank_ranges(poll::ranges(&tallies), RANKING_LEN);
    let waiting = state
        .store
        .members(&p.room.id)
        .await?
        .into_iter()
        .filter(|m| !respondents.iter().any(|r| r.0 == m.user_id))
        .map(|m| (m.user_id, m.nickname))
        .collect();
    let mut heat = Heat {
        respondents,
        tallies,
        ranking,
        ranges,
        waiting,
        mine,
        nudge: None,
    };
    if p.role == Role::Owner {
        let open = p.open(state.now_ms());
        heat.nudge = crate::polls::nudge::card(state, &p.row, p.shape.kind, open, &heat.waiting).await?;
    }
    Ok(heat)
}

#[derive(Serialize)]
pub struct Respondent {
    pub user_id: String,
    pub nickname: String,
}

#[derive(Serialize)]
pub struct OptionJson {
    pub key: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Indices into `respondents`.
    pub yes: Vec<usize>,
    pub maybe: Vec<usize>,
    pub no: Vec<usize>,
    /// yes = 1, maybe = 0.5.
    pub score: f64,
    /// 0–5, for the heat-map's colour.
    pub level: u32,
}

/// A range of the results: consecutive slots (or one day) the same people can make.
#[derive(Serialize)]
pub struct RangeJson {
    /// The key of its first option (what `confirm` takes as `slot` or `candidate`).
    pub start: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// `HH:MM` it ends (`24:00` at midnight).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// Indices into `respondents`.
    pub yes: Vec<usize>,
    pub maybe: Vec<usize>,
    /// Respondents who cannot come (answered no, or left it blank).
    pub cannot: Vec<usize>,
    pub score: f64,
}

#[derive(Serialize)]
pub struct PollJson {
    pub id: String,
    pub room_id: String,
    pub title: String,
    pub location: String,
    pub kind: PollKind,
    pub time_zone: String,
    pub dates: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    pub slot_minutes: u16,
    pub deadline: Option<String>,
    pub open: bool,
    pub confirmed: Option<String>,
    pub event_id: Option<String>,
    pub created_by: String,
    pub can_confirm: bool,
    pub can_delete: bool,
    pub respondents: Vec<Respondent>,
    pub options: Vec<OptionJson>,
    /// Keys of the best options, best first (ties: the earliest).
    pub ranking: Vec<String>,
    /// The best ranges, best first (score, then length, then the earliest).
    pub ranges: Vec<RangeJson>,
    /// Members who have not answered yet.
    pub waiting: Vec<Respondent>,
    /// For the owner of an open poll someone has yet to answer: the group-chat nudge card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nudge: Option<crate::polls::nudge::NudgeCard>,
    /// My answers: option key → `yes|maybe|no`.
    pub mine: BTreeMap<String, Answer>,
    pub version: i64,
}

pub fn to_json(state: &AppState, p: &Loaded, heat: &Heat, me: &User) -> PollJson {
    let grid = p.shape.kind == PollKind::Grid;
    PollJson {
        id: p.row.id.clone(),
        room_id: p.room.id.clone(),
        title: p.row.title.clone(),
        location: p.row.location.clone(),
        kind: p.shape.kind,
        time_zone: p.row.time_zone.clone(),
        dates: p.shape.dates.iter().map(ToString::to_string).collect(),
        start_time: grid.then(|| poll::hhmm(p.shape.start_minute)),
        end_time: grid.then(|| poll::hhmm(p.shape.end_minute)),
        slot_minutes: poll::SLOT_MINUTES,
        deadline: p.row.deadline_at.map(|d| events::rfc3339_in(d, &p.row.time_zone)),
        open: p.open(state.now_ms()),
        confirmed: p.row.confirmed_key.clone(),
        event_id: p.row.event_id.clone(),
        created_by: p.row.created_by.clone(),
        can_confirm: p.role == Role::Owner && p.row.confirmed_key.is_none(),
        can_delete: p.may_delete(me),
        respondents: heat
            .respondents
            .iter()
            .map(|(id, nick)| Respondent {
                user_id: id.clone(),
                nickname: nick.clone(),
            })
            .collect(),
        options: heat
            .tallies
            .iter()
            .enumerate()
            .map(|(i, t)| OptionJson {
                key: t.key.to_string(),
                date: t.key.date.to_string(),
                time: t.key.time_label(),
                yes: t.yes.clone(),
                maybe: t.maybe.clone(),
                no: t.no.clone(),
                score: f64::from(t.score_halves()) / 2.0,
                level: heat.level(i),
            })
            .collect(),
        ranking: heat
            .ranking
            .iter()
            .map(|&i| heat.tallies[i].key.to_string())
            .collect(),
        ranges: heat
            .ranges
            .iter()
            .map(|r| RangeJson {
                start: r.start.to_string(),
                date: r.start.date.to_string(),
                start_time: r.start.time_label(),
                end_time: r.end_minute().map(poll::hhmm),
                minutes: r.minutes(),
                yes: r.yes.clone(),
                maybe: r.maybe.clone(),
                cannot: r.cannot(heat.respondents.len()),
                score: f64::from(r.score_halves()) / 2.0,
            })
            .collect(),
        waiting: heat
            .waiting
            .iter()
            .map(|(id, nick)| Respondent {
                user_id: id.clone(),
                nickname: nick.clone(),
            })
            .collect(),
        nudge: heat.nudge.clone(),
        mine: heat.mine.iter().map(|(k, a)| (k.to_string(), *a)).collect(),
        version: p.row.updated_at,
    }
}

/// A poll in the room's list.
#[derive(Serialize)]
pub struct PollSummary {
    pub id: String,
    pub title: String,
    pub kind: PollKind,
    pub open: bool,
    pub deadline: Option<String>,
    pub confirmed: Option<String>,
    pub event_id: Option<String>,
    pub created_by: String,
}

pub fn summary(state: &AppState, row: &PollRow) -> PollSummary {
    PollSummary {
        id: row.id.clone(),
        title: row.title.clone(),
        kind: row.kind,
        open: poll::is_open(row.deadline_at, row.confirmed_key.is_some(), state.now_ms()),
        deadline: row.deadline_at.map(|d| events::rfc3339_in(d, &row.time_zone)),
        confirmed: row.confirmed_key.clone(),
        event_id: row.event_id.clone(),
        created_by: row.created_by.clone(),
    }
}

/// Creates a poll in a room the user belongs to (any member may).
pub async fn create(state: &AppState, room: &Room, user: &User, input: &PollInput) -> AppResult<PollRow> {
    let valid = input
        .validate(&room.time_zone, state.now_ms())
        .map_err(AppError::validation)?;
    let new = NewPoll {
        title: valid.title,
        location: valid.location,
        kind: valid.shape.kind,
        time_zone: valid.time_zone,
        dates: valid.shape.dates.iter().map(ToString::to_string).collect(),
        start_minute: i64::from(valid.shape.start_minute),
        end_minute: i64::from(valid.shape.end_minute),
        deadline_at: valid.deadline_ms,
    };
    Ok(state
        .store
        .create_poll(&room.id, &user.id, &new, state.now_ms())
        .await?)
}

fn closed() -> AppError {
    AppError::conflict("poll_closed")
}

/// Replaces my answers. Checked whole before anything is written: a refused answer (outside
/// the grid, after the deadline) leaves what I answered before as it was.
pub async fn put_answers(
    state: &AppState,
    p: &Loaded,
    user: &User,
    raw: &BTreeMap<String, String>,
) -> AppResult<()> {
    if !p.open(state.now_ms()) {
        return Err(closed());
    }
    let checked = p.shape.check_answers(raw).map_err(AppError::validation)?;
    let stored: BTreeMap<String, Answer> = checked.iter().map(|(k, a)| (k.to_string(), *a)).collect();
    let json = serde_json::to_string(&stored).map_err(AppError::internal)?;
    if !state
        .store
        .put_poll_answers(&p.row.id, &user.id, &json, state.now_ms())
        .await?
    {
        return Err(closed());
    }
    Ok(())
}

/// Any member proposes another day (a grid grows by a day).
pub async fn propose(state: &AppState, p: &Loaded, user: &User, date: &str) -> AppResult<()> {
    if !p.open(state.now_ms()) {
        return Err(closed());
    }
    let field = |key| AppError::validation([("date", key)].into_iter().collect());
    let date: jiff::civil::Date = date.trim().parse().map_err(|_| field("poll-date_invalid"))?;
    let mut shape = p.shape.clone();
    match shape.add_date(date) {
        Ok(()) => {}
        Err("poll-candidate_exists") => return Err(AppError::conflict("candidate_exists")),
        Err(key) => return Err(field(key)),
    }
    if state
        .store
        .add_poll_date(&p.row.id, &date.to_string(), &user.id, state.now_ms())
        .await?
    {
        return Ok(());
    }
    let now_open = load(state, &p.room.id, &p.row.id, user)
        .await?
        .open(state.now_ms());
    Err(if now_open {
        AppError::conflict("candidate_exists")
    } else {
        closed()
    })
}

/// The room's owner or the poll's creator deletes it.
pub async fn delete(state: &AppState, p: &Loaded, user: &User) -> AppResult<()> {
    if !p.may_delete(user) {
        return Err(AppError::forbidden());
    }
    state.store.delete_poll(&p.room.id, &p.row.id).await?;
    Ok(())
}
