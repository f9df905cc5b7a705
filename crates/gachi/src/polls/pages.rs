//! Poll pages: the room's polls, the new-poll form (values kept and errors shown when
//! something is wrong), the poll page (my answers, the heat-map, the ranking and the owner's
//! confirmation), their no-script form posts, and `/static/polls.js`, served from our origin
//! (the CSP allows no inline script) to paint the grid and refresh the heat-map every 2 s.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::event::time_zone;
use domain::holidays;
use domain::poll::{self, OptionKey, PollInput, PollKind};
use jiff::civil::{Date, DateTime, Weekday};
use serde::Deserialize;

use crate::polls::service::{self as polls, Heat, Loaded};
use crate::state::AppState;
use crate::state::cache::gzip;
use crate::state::fresh::Answer;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Form;
use crate::web::http::{Negotiated, see_other};
use crate::web::session::Auth;
use crate::web::views::{self, PageCtx};
use i18n::Lang;

const SCRIPT: &str = include_str!("../../static/polls.js");

/// `date=…`: a proposed day.
#[derive(Deserialize)]
pub struct ProposeForm {
    date: Option<String>,
}

/// `key=…&duration_minutes=…&title=…&location=…&memo=…`: the owner's confirmation.
#[derive(Deserialize)]
pub struct ConfirmForm {
    key: Option<String>,
    duration_minutes: Option<String>,
    title: Option<String>,
    location: Option<String>,
    memo: Option<String>,
}

/// `12월 24일 (목)` or `Thu 12/24`.
pub fn date_label(lang: Lang, d: Date) -> String {
    lang.tr(
        "poll-date",
        &[
            ("month", &d.month().to_string()),
            ("day", &d.day().to_string()),
            ("weekday", lang.weekday(d.weekday().to_sunday_zero_offset())),
        ],
    )
}

fn tone(d: Date) -> &'static str {
    if holidays::holiday(d).is_some() {
        return "holiday";
    }
    match d.weekday() {
        Weekday::Sunday => "sun",
        Weekday::Saturday => "sat",
        _ => "",
    }
}

fn key_label(lang: Lang, key: &OptionKey) -> String {
    match key.time_label() {
        Some(t) => format!("{} {t}", date_label(lang, key.date)),
        None => date_label(lang, key.date),
    }
}

pub struct PollItem {
    pub id: String,
    pub title: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "poll_list.html")]
pub struct PollListPage {
    pub ctx: PageCtx,
    pub room_id: String,
    pub room_name: String,
    pub open_polls: Vec<PollItem>,
    pub closed_polls: Vec<PollItem>,
}

/// `GET /rooms/{id}/polls`: open polls first, then the closed ones.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let (mut open_polls, mut closed_polls) = (Vec::new(), Vec::new());
    for row in state.store.polls(&room.id).await? {
        let open = poll::is_open(row.deadline_at, row.confirmed_key.is_some(), state.now_ms());
        let note = match (&row.confirmed_key, row.deadline_at) {
            (Some(_), _) => ctx.tr("poll-confirmed").to_owned(),
            (None, _) if !open => ctx.tr("poll-closed").to_owned(),
            (None, Some(d)) => format!(
                "{} {}",
                ctx.tr("poll-deadline_at"),
                deadline_label(d, &row.time_zone)
            ),
            (None, None) => ctx.tr("poll-open").to_owned(),
        };
        let item = PollItem {
            id: row.id,
            title: row.title,
            note,
        };
        if open {
            open_polls.push(item)
        } else {
            closed_polls.push(item)
        }
    }
    views::render(&PollListPage {
        ctx,
        room_id: room.id,
        room_name: room.name,
        open_polls,
        closed_polls,
    })
}

fn deadline_label(ms: i64, zone: &str) -> String {
    let tz = time_zone(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| tz.to_datetime(t).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// What the new-poll form shows and sends back (every field may be missing from a post).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PollForm {
    pub title: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub dates: String,
    pub start_time: String,
    pub end_time: String,
    pub deadline: String,
    pub location: String,
    pub time_zone: String,
    /// Days ticked on the calendar.
    pub day: Vec<String>,
}

impl PollForm {
    /// The API's input: the from–to range plus the other days; the deadline, typed in the
    /// poll's zone, becomes an instant.
    fn to_input(&self, room_zone: &str) -> PollInput {
        let mut dates: Vec<String> = Vec::new();
        let (from, to) = (self.from.trim(), self.to.trim());
        match (from.parse::<Date>(), to.parse::<Date>()) {
            (Ok(a), Ok(b)) if a <= b => {
                let mut d = a;
                // More than the largest poll is refused by the validation anyway.
                while d <= b && dates.len() <= poll::MAX_DAY_CANDIDATES {
                    dates.push(d.to_string());
                    d = match d.tomorrow() {
                        Ok(next) => next,
                        Err(_) => break,
                    };
                }
            }
            _ => dates.extend(
                [from, to]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| (*s).to_owned()),
            ),
        }
        dates.extend(self.day.iter().map(|d| d.trim().to_owned()));
        dates.extend(
            self.dates
                .split([',', ' ', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        let zone = Some(self.time_zone.trim())
            .filter(|z| !z.is_empty())
            .unwrap_or(room_zone);
        let deadline = self.deadline.trim();
        let deadline = if deadline.is_empty() {
            None
        } else {
            let zoned = deadline
                .parse::<DateTime>()
                .ok()
                .zip(time_zone(zone).ok())
                .and_then(|(dt, tz)| dt.to_zoned_datetime(tz).ok())
                .map(|z| z.timestamp().to_string());
            Some(zoned.unwrap_or_else(|| deadline.to_owned()))
        };
        PollInput {
            title: Some(self.title.clone()),
            kind: Some(self.kind.clone()),
            dates: Some(dates),
            start_time: Some(self.start_time.clone()),
            end_time: Some(self.end_time.clone()),
            time_zone: Some(zone.to_owned()),
            deadline,
            location: Some(self.location.clone()),
        }
    }
}

pub struct PickDay {
    pub date: String,
    pub day: i8,
    pub label: String,
    pub tone: &'static str,
    pub past: bool,
    pub checked: bool,
}

/// A month of the new-poll calendar: `blanks` empty cells before the 1st (weeks start Sunday).
pub struct PickMonth {
    pub title: String,
    pub blanks: usize,
    pub days: Vec<PickDay>,
}

#[derive(Template)]
#[template(path = "poll_new.html")]
pub struct PollNewPage {
    pub ctx: PageCtx,
    pub room_id: String,
    pub room_name: String,
    pub v: PollForm,
    pub errors: Vec<String>,
    pub weekdays: Vec<&'static str>,
    pub months: Vec<PickMonth>,
}

/// This month and the next, to tick candidate days on (farther days: "more").
fn pick_months(lang: Lang, today: Date, picked: &[String]) -> Vec<PickMonth> {
    let first = today.first_of_month();
    let next = first.checked_add(jiff::Span::new().months(1)).unwrap_or(first);
    [first, next]
        .into_iter()
        .map(|start| {
            let mut days = Vec::new();
            let mut d = start;
            while d.month() == start.month() {
                let date = d.to_string();
                days.push(PickDay {
                    checked: picked.contains(&date),
                    date,
                    day: d.day(),
                    label: date_label(lang, d),
                    tone: tone(d),
                    past: d < today,
                });
                d = match d.tomorrow() {
                    Ok(n) => n,
                    Err(_) => break,
                };
            }
            PickMonth {
                title: lang.tr(
                    "poll-month",
                    &[
                        ("year", &start.year().to_string()),
                        ("month", &start.month().to_string()),
                    ],
                ),
                blanks: usize::try_from(start.weekday().to_sunday_zero_offset()).unwrap_or(0),
                days,
            }
        })
        .collect()
}

fn new_page(
    ctx: PageCtx,
    state: &AppState,
    room: &storage::Room,
    v: PollForm,
    errors: Vec<String>,
) -> PollNewPage {
    let lang = ctx.lang;
    let today = crate::events::service::today(state, room);
    PollNewPage {
        weekdays: (0..7).map(|i| lang.weekday(i)).collect(),
        months: pick_months(lang, today, &v.day),
        ctx,
        room_id: room.id.clone(),
        room_name: room.name.clone(),
        v,
        errors,
    }
}

/// `GET /rooms/{id}/polls/new`
pub async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let v = PollForm {
        kind: PollKind::Days.as_str().into(),
        start_time: "09:00".into(),
        end_time: "22:00".into(),
        time_zone: room.time_zone.clone(),
        ..PollForm::default()
    };
    views::render(&new_page(ctx, &state, &room, v, Vec::new()))
}

/// `POST /rooms/{id}/polls` (the form): the poll's page, or the form again with its errors.
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(v): Form<PollForm>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    match polls::create(&state, &room, &auth.user, &v.to_input(&room.time_zone)).await {
        Ok(row) => Ok(see_other(&format!("/rooms/{}/polls/{}", room.id, row.id))),
        Err(err @ AppError::Validation(_)) => {
            let errors = err.fields().values().map(|k| ctx.lang.t(k).to_owned()).collect();
            let page = new_page(ctx, &state, &room, v, errors);
            let html = page.render().map_err(AppError::internal)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(err) => Err(err),
    }
}

pub struct Column {
    pub date: String,
    pub label: String,
    /// The header's two lines, so a narrow column wraps rather than clips: `12월 7일`, `(월)`.
    pub day: String,
    pub weekday: String,
    pub tone: &'static str,
}

pub struct Cell {
    pub key: String,
    pub label: String,
    pub mine: bool,
    pub level: u32,
    pub count: usize,
    pub names: String,
}

pub struct Row {
    pub time: String,
    pub first: bool,
    pub cells: Vec<Cell>,
}

pub struct DayRow {
    pub key: String,
    pub label: String,
    pub tone: &'static str,
    pub mine: String,
    pub level: u32,
    pub count: usize,
    pub names: String,
}

/// One range of the results, in words.
pub struct RangeItem {
    pub key: String,
    /// `12월 9일 (수) 19:00–21:00`, or the day.
    pub when: String,
    /// `5명 중 4명`.
    pub count: String,
    /// `못 오는 사람: 민수` (empty when everyone can).
    pub cannot: String,
    /// `애매: 지영` (empty when nobody is unsure).
    pub maybe: String,
    /// Its length (0 for a day), the confirmation's default.
    pub minutes: i64,
}

#[derive(Template)]
#[template(path = "poll.html")]
pub struct PollPage {
    pub ctx: PageCtx,
    pub room_id: String,
    pub room_name: String,
    pub poll_id: String,
    pub title: String,
    pub location: String,
    pub time_zone: String,
    pub is_grid: bool,
    pub open: bool,
    pub version: i64,
    pub dates_attr: String,
    pub status_label: String,
    pub deadline_label: String,
    pub event_id: Option<String>,
    pub confirmed_label: String,
    pub can_confirm: bool,
    pub can_delete: bool,
    pub respondents: Vec<String>,
    pub waiting: Vec<String>,
    pub nudge: Option<crate::polls::nudge::NudgeButton>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub days: Vec<DayRow>,
    pub ranges: Vec<RangeItem>,
    /// The legend's top: everyone who answered.
    pub legend_max: String,
    /// `{count}`/`{total}`/`{names}` patterns for the script's live ranking.
    pub count_text: String,
    pub cannot_text: String,
    pub maybe_text: String,
    pub default_title: String,
    pub answer_choices: Vec<(&'static str, &'static str)>,
    pub durations: Vec<(i64, String)>,
    /// I asked for a KakaoTalk memo when the poll is confirmed.
    pub memo_on: bool,
}

fn who(heat: &Heat, i: usize) -> (usize, String) {
    let t = &heat.tallies[i];
    let mut names = heat.names(&t.yes);
    names.extend(heat.names(&t.maybe).into_iter().map(|n| format!("{n}?")));
    (t.yes.len() + t.maybe.len(), names.join(", "))
}

/// `1시간 30분` / `1 h 30 min`.
pub fn length_label(lang: Lang, minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => lang.tr("poll-length-m", &[("m", &m.to_string())]),
        (h, 0) => lang.tr("poll-length-h", &[("h", &h.to_string())]),
        (h, m) => lang.tr("poll-length-hm", &[("h", &h.to_string()), ("m", &m.to_string())]),
    }
}

/// `12월 9일 (수) 19:00–21:00`, or the day alone.
pub fn range_when(lang: Lang, date: Date, start: Option<u16>, end: Option<u16>) -> String {
    match (start, end) {
        (Some(a), Some(b)) => format!("{} {}–{}", date_label(lang, date), poll::hhmm(a), poll::hhmm(b)),
        _ => date_label(lang, date),
    }
}

fn range_items(lang: Lang, heat: &Heat) -> Vec<RangeItem> {
    let total = heat.respondents.len().to_string();
    heat.ranges
        .iter()
        .map(|r| {
            let cannot = heat.names(&r.cannot(heat.respondents.len()));
            let maybe = heat.names(&r.maybe);
            RangeItem {
                key: r.start.to_string(),
                when: range_when(lang, r.start.date, r.start.minute, r.end_minute()),
                count: lang.tr(
                    "poll-range-count",
                    &[("count", &r.count().to_string()), ("total", &total)],
                ),
                cannot: if cannot.is_empty() {
                    String::new()
                } else {
                    lang.tr("poll-range-cannot", &[("names", &cannot.join(", "))])
                },
                maybe: if maybe.is_empty() {
                    String::new()
                } else {
                    lang.tr("poll-range-maybe", &[("names", &maybe.join(", "))])
                },
                minutes: r.minutes().unwrap_or(0),
            }
        })
        .collect()
}

fn page(ctx: PageCtx, state: &AppState, p: &Loaded, heat: &Heat, auth: &Auth) -> PollPage {
    let lang = ctx.lang;
    let open = p.open(state.now_ms());
    let is_grid = p.shape.kind == PollKind::Grid;
    let index: HashMap<OptionKey, usize> = heat.tallies.iter().enumerate().map(|(i, t)| (t.key, i)).collect();
    let cell = |key: OptionKey| {
        let i = index.get(&key).copied().unwrap_or(usize::MAX);
        let (count, names) = if i == usize::MAX {
            (0, String::new())
        } else {
            who(heat, i)
        };
        (i, count, names)
    };
    let mut rows = Vec::new();
    let mut days = Vec::new();
    if is_grid {
        for (n, minute) in p.shape.slot_minutes().into_iter().enumerate() {
            let cells = p
                .shape
                .dates
                .iter()
                .map(|&date| {
                    let key = OptionKey {
                        date,
                        minute: Some(minute),
                    };
                    let (i, count, names) = cell(key);
                    Cell {
                        key: key.to_string(),
                        label: key_label(lang, &key),
                        mine: heat.mine.contains_key(&key),
                        level: heat.level(i),
                        count,
                        names,
                    }
                })
                .collect();
            rows.push(Row {
                time: poll::hhmm(minute),
                first: n == 0,
                cells,
            });
        }
    } else {
        for &date in &p.shape.dates {
            let key = OptionKey { date, minute: None };
            let (i, count, names) = cell(key);
            days.push(DayRow {
                key: key.to_string(),
                label: date_label(lang, date),
                tone: tone(date),
                mine: heat.mine.get(&key).map(|a| a.as_str()).unwrap_or("").to_owned(),
                level: heat.level(i),
                count,
                names,
            });
        }
    }
    let status_label = if p.row.confirmed_key.is_some() {
        "poll-confirmed"
    } else if open {
        "poll-open"
    } else {
        "poll-closed"
    };
    // Every length from a slot to the whole day's grid (at least four hours).
    let longest = i64::from(p.shape.end_minute.saturating_sub(p.shape.start_minute)).max(240);
    let durations = (1..=longest / 30)
        .map(|n| n * 30)
        .map(|m| (m, length_label(lang, m)))
        .collect();
    PollPage {
        room_id: p.room.id.clone(),
        room_name: p.room.name.clone(),
        poll_id: p.row.id.clone(),
        title: p.row.title.clone(),
        location: p.row.location.clone(),
        time_zone: p.row.time_zone.clone(),
        is_grid,
        open,
        version: p.row.updated_at,
        dates_attr: p
            .shape
            .dates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        status_label: ctx.tr(status_label).to_owned(),
        deadline_label: p
            .row
            .deadline_at
            .map(|d| deadline_label(d, &p.row.time_zone))
            .unwrap_or_default(),
        event_id: p.row.event_id.clone(),
        confirmed_label: String::new(),
        can_confirm: p.role == storage::Role::Owner && p.row.confirmed_key.is_none(),
        can_delete: p.may_delete(&auth.user),
        respondents: heat.respondents.iter().map(|r| r.1.clone()).collect(),
        waiting: heat.waiting.iter().map(|r| r.1.clone()).collect(),
        nudge: None,
        columns: p
            .shape
            .dates
            .iter()
            .map(|&d| Column {
                date: d.to_string(),
                label: date_label(lang, d),
                day: lang.tr(
                    "poll-col-day",
                    &[("month", &d.month().to_string()), ("day", &d.day().to_string())],
                ),
                weekday: lang.tr(
                    "poll-col-weekday",
                    &[("weekday", lang.weekday(d.weekday().to_sunday_zero_offset()))],
                ),
                tone: tone(d),
            })
            .collect(),
        rows,
        days,
        ranges: range_items(lang, heat),
        legend_max: lang.tr(
            "poll-legend-max",
            &[("count", &heat.respondents.len().to_string())],
        ),
        count_text: lang.tr("poll-range-count", &[("count", "{count}"), ("total", "{total}")]),
        cannot_text: lang.tr("poll-range-cannot", &[("names", "{names}")]),
        maybe_text: lang.tr("poll-range-maybe", &[("names", "{names}")]),
        default_title: p.room.name.clone(),
        answer_choices: vec![
            ("yes", ctx.tr("poll-answer-yes")),
            ("maybe", ctx.tr("poll-answer-maybe")),
            ("no", ctx.tr("poll-answer-no")),
        ],
        durations,
        memo_on: false,
        ctx,
    }
}

/// "확정: 12월 24일 (목) 19:30–21:30", from the event the poll became (its end included).
async fn confirmed_label(state: &AppState, p: &Loaded, lang: Lang) -> AppResult<String> {
    let Some(event_id) = &p.row.event_id else {
        return Ok(String::new());
    };
    let Some(event) = state.store.event(&p.room.id, event_id).await? else {
        return Ok(String::new());
    };
    let tz = time_zone(&event.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let when = match (event.starts_at, event.ends_at, event.start_date.as_deref()) {
        (Some(a), Some(b), _) => {
            let at = |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| tz.to_datetime(t));
            match (at(a), at(b)) {
                (Ok(a), Ok(b)) if a.date() == b.date() => format!(
                    "{} {}–{}",
                    date_label(lang, a.date()),
                    a.strftime("%H:%M"),
                    b.strftime("%H:%M")
                ),
                (Ok(a), Ok(b)) => format!(
                    "{} {} – {} {}",
                    date_label(lang, a.date()),
                    a.strftime("%H:%M"),
                    date_label(lang, b.date()),
                    b.strftime("%H:%M")
                ),
                _ => String::new(),
            }
        }
        (_, _, Some(d)) => d.parse().map(|d| date_label(lang, d)).unwrap_or_default(),
        _ => String::new(),
    };
    Ok(lang.tr(
        "poll-confirmed-line",
        &[("title", event.title.as_str()), ("when", when.as_str())],
    ))
}

/// `GET /rooms/{id}/polls/{pid}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    negotiated: Negotiated,
    Path((id, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    // Every member's page is reloaded and revisited far more often than anyone answers, so
    // between writes it is the same bytes for the same reader, language, address and session
    // (the CSRF token is in its forms): kept like the poll's JSON (`state::fresh`). A page
    // that shows a one-time toast is never kept.
    let key = (ctx.flash.is_none()).then(|| {
        format!(
            "poll-page:{id}:{pid}:{}:{}:{}:{}",
            auth.user.id,
            ctx.lang.code(),
            ctx.csrf,
            ctx.path
        )
    });
    let now = state.now_ms();
    let answer = state
        .fresh
        .answer(key, now, || async {
            let p = polls::load(&state, &id, &pid, &auth.user).await?;
            let heat = polls::heat(&state, &p, &auth.user).await?;
            let lang = ctx.lang;
            let mut shown = page(ctx, &state, &p, &heat, &auth);
            shown.memo_on = state.store.poll_memo(&p.row.id, &auth.user.id).await?;
            shown.confirmed_label = confirmed_label(&state, &p, lang).await?;
            shown.nudge =
                crate::polls::nudge::button(&state, p.role, p.row.deadline_at, heat.nudge.as_ref(), lang)
                    .await?;
            let html = Bytes::from(shown.render().map_err(AppError::internal)?);
            Ok::<_, AppError>(Answer {
                gzip: Some(gzip(&html)),
                body: html,
                etag: None,
                // An open poll with a deadline reads differently once it has passed.
                until: if p.open(now) {
                    p.row.deadline_at.unwrap_or(i64::MAX)
                } else {
                    i64::MAX
                },
            })
        })
        .await?;
    Ok(html_answer(negotiated.gzip, &answer))
}

/// The page's bytes, compressed when the client takes gzip.
fn html_answer(takes_gzip: bool, answer: &Answer) -> Response {
    let gzipped = answer.gzip.as_ref().filter(|g| !g.is_empty() && takes_gzip);
    let mut resp = Html(gzipped.unwrap_or(&answer.body).clone()).into_response();
    let h = resp.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzipped.is_some() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    resp
}

fn back(id: &str, pid: &str) -> Response {
    see_other(&format!("/rooms/{id}/polls/{pid}"))
}

/// `POST /rooms/{id}/polls/{pid}/answers` (the day poll's form without script): `a:{date}`.
pub async fn answers(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    let raw: BTreeMap<String, String> = form
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("a:")?.to_owned(), v)))
        .collect();
    polls::put_answers(&state, &p, &auth.user, &raw).await?;
    Ok(back(&id, &pid))
}

/// `POST /rooms/{id}/polls/{pid}/candidates` (any member proposes a day).
pub async fn propose(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    let date = f.date.unwrap_or_default();
    polls::propose(&state, &p, &auth.user, &date).await?;
    Ok(back(&id, &pid))
}

/// `POST /rooms/{id}/polls/{pid}/confirm` (owner): `key`, `duration_minutes` for a slot.
pub async fn confirm(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    let duration = match f
        .duration_minutes
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            AppError::validation(
                [("duration_minutes", "poll-duration_invalid")]
                    .into_iter()
                    .collect(),
            )
        })?),
    };
    let choice = crate::polls::confirm::Choice {
        key: f.key.unwrap_or_default(),
        duration_minutes: duration,
        title: f.title,
        location: f.location,
        memo: f.memo,
    };
    crate::polls::confirm::confirm(&state, &p, &auth.user, &choice).await?;
    Ok(back(&id, &pid))
}

/// `POST /rooms/{id}/polls/{pid}/delete` (the owner or the poll's creator).
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    let p = polls::load(&state, &id, &pid, &auth.user).await?;
    polls::delete(&state, &p, &auth.user).await?;
    Ok(see_other(&format!("/rooms/{id}/polls")))
}

/// `GET /static/polls.js`
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}
