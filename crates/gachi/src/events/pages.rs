//! Event pages: the form to add or edit an event (values kept and errors shown when something
//! is wrong), the event's own page, deletion, its `.ics`, and the room's feed rotation.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use domain::event::time_zone;
use domain::event_input::EventInput;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use storage::{EventRow, Role, Room};

use crate::events::recurrence::{self, Target};
use crate::events::service as events;
use crate::state::AppState;
use crate::web::confirm::{self, ConfirmForm, Question, confirmed};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::flash;
use crate::web::http::see_other;
use crate::web::kept::{self, Kept};
use crate::web::session::Auth;
use crate::web::views::PageCtx;
use i18n::Lang;

/// What the form shows (and sends back).
#[derive(Clone, Debug, Default)]
pub struct FormValues {
    pub title: String,
    pub all_day: bool,
    pub date: String,
    /// The last day of an all-day event.
    pub end_date: String,
    /// The day a timed event ends, only when it is not the day it starts (under "더보기").
    pub end_day: String,
    pub start_time: String,
    pub end_time: String,
    pub location: String,
    pub memo: String,
    pub time_zone: String,
    /// The repeat choice: `""` (none), `weekly`, `biweekly`, `monthly_date`, `monthly_last`,
    /// `yearly`, or `custom` (a rule the presets do not make, kept as `rrule`).
    pub repeat: String,
    /// The last day of the series (`YYYY-MM-DD`), empty for no end.
    pub repeat_until: String,
    /// The rule text when `repeat` is `custom`.
    pub rrule: String,
    /// Which occurrences an edit reaches: `this`, `following` or `all` (occurrence pages).
    pub scope: String,
}

/// The event form as the browser posts it (every field may be missing; a checkbox is `on`).
/// It is also what a failed submit keeps (web/kept.rs), hence `Serialize`.
#[derive(Deserialize, Serialize, Clone, Default)]
#[serde(default)]
pub struct EventForm {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    all_day: Option<String>,
    date: String,
    end_date: String,
    end_day: String,
    start_time: String,
    end_time: String,
    location: String,
    memo: String,
    time_zone: String,
    repeat: String,
    repeat_until: String,
    rrule: String,
    scope: String,
}

impl From<EventForm> for FormValues {
    fn from(f: EventForm) -> Self {
        FormValues {
            all_day: f.all_day.is_some_and(|v| v == "on" || v == "true"),
            title: f.title,
            date: f.date,
            end_date: f.end_date,
            end_day: f.end_day,
            start_time: f.start_time,
            end_time: f.end_time,
            location: f.location,
            memo: f.memo,
            time_zone: f.time_zone,
            repeat: f.repeat,
            repeat_until: f.repeat_until,
            rrule: f.rrule,
            scope: f.scope,
        }
    }
}

const WEEKDAY_CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// The rule a repeat choice makes for a series starting on `date` (without its end).
fn preset_rule(repeat: &str, date: Date) -> Option<String> {
    let day = WEEKDAY_CODES[usize::from(date.weekday().to_monday_zero_offset().unsigned_abs())];
    match repeat {
        "weekly" => Some(format!("FREQ=WEEKLY;BYDAY={day}")),
        "biweekly" => Some(format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}")),
        "monthly_date" => Some(format!("FREQ=MONTHLY;BYMONTHDAY={}", date.day())),
        "monthly_last" => Some(format!("FREQ=MONTHLY;BYDAY=-1{day}")),
        "yearly" => Some("FREQ=YEARLY".to_owned()),
        _ => None,
    }
}

/// The repeat choice, end date and custom text that show `rrule` for a series starting on `date`.
fn repeat_of(rrule: Option<&str>, date: Option<Date>) -> (String, String, String) {
    let Some(text) = rrule else {
        return (String::new(), String::new(), String::new());
    };
    let (rest, until) = match text.split_once(";UNTIL=") {
        Some((rest, u)) if u.len() == 8 && u.bytes().all(|b| b.is_ascii_digit()) => (rest, u),
        _ => (text, ""),
    };
    let until = if until.is_empty() {
        String::new()
    } else {
        format!("{}-{}-{}", &until[0..4], &until[4..6], &until[6..8])
    };
    let preset = ["weekly", "biweekly", "monthly_date", "monthly_last", "yearly"]
        .into_iter()
        .find(|p| {
            date.and_then(|d| preset_rule(p, d))
                .and_then(|r| domain::recurrence::RRule::parse(&r).ok())
                == domain::recurrence::RRule::parse(rest).ok()
        });
    match preset {
        Some(p) => (p.to_owned(), until, String::new()),
        None => ("custom".to_owned(), String::new(), text.to_owned()),
    }
}

/// `?date=YYYY-MM-DD`: the day a new event starts on.
#[derive(Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

impl FormValues {
    fn from_row(row: &EventRow) -> Self {
        let tz = time_zone(&row.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let local = |ms: Option<i64>| {
            ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                .map(|t| tz.to_datetime(t))
        };
        let (start, end) = (local(row.starts_at), local(row.ends_at));
        let all_day = row.all_day != 0;
        FormValues {
            title: row.title.clone(),
            all_day,
            date: if all_day {
                row.start_date.clone().unwrap_or_default()
            } else {
                start.map(|d| d.date().to_string()).unwrap_or_default()
            },
            end_date: if all_day {
                row.end_date.clone().unwrap_or_default()
            } else {
                String::new()
            },
            // A timed event that ends on its first day needs no end date.
            end_day: match (start, end) {
                (Some(a), Some(b)) if !all_day && b.date() != a.date() => b.date().to_string(),
                _ => String::new(),
            },
            start_time: start.map(|d| d.strftime("%H:%M").to_string()).unwrap_or_default(),
            end_time: end.map(|d| d.strftime("%H:%M").to_string()).unwrap_or_default(),
            location: row.location.clone(),
            memo: row.memo.clone(),
            time_zone: row.time_zone.clone(),
            ..Default::default()
        }
    }

    /// The form of a series row (or of one of its occurrences): its rule as a repeat choice.
    fn with_rule(mut self, rrule: Option<&str>) -> Self {
        let (repeat, until, text) = repeat_of(rrule, self.date.parse().ok());
        self.repeat = repeat;
        self.repeat_until = until;
        self.rrule = text;
        self
    }

    /// The rule the repeat choice makes (`None`: a single event).
    fn rule(&self) -> Option<String> {
        if self.repeat == "custom" {
            return Some(self.rrule.trim().to_owned()).filter(|r| !r.is_empty());
        }
        let date: Date = self.date.trim().parse().ok()?;
        let rule = preset_rule(&self.repeat, date)?;
        Some(match self.repeat_until.trim().parse::<Date>() {
            Ok(until) => format!("{rule};UNTIL={}", until.strftime("%Y%m%d")),
            Err(_) => rule,
        })
    }

    /// The API's input: local date and time in the event's zone become RFC 3339 instants.
    fn to_input(&self, room: &Room) -> EventInput {
        let zone = if self.time_zone.trim().is_empty() {
            room.time_zone.clone()
        } else {
            self.time_zone.trim().to_owned()
        };
        let instant = |date: &str, time: &str| -> Option<String> {
            let dt: DateTime = format!("{}T{}", date.trim(), time.trim()).parse().ok()?;
            let tz = time_zone(&zone).ok()?;
            let zoned = dt.to_zoned_datetime(tz).ok()?;
            Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        };
        let end = if self.all_day {
            &self.end_date
        } else {
            &self.end_day
        };
        let end_day = if end.trim().is_empty() {
            self.date.clone()
        } else {
            end.clone()
        };
        EventInput {
            title: Some(self.title.clone()),
            all_day: Some(self.all_day),
            starts_at: if self.all_day {
                None
            } else {
                instant(&self.date, &self.start_time).or(Some(self.start_time.clone()))
            },
            ends_at: if self.all_day {
                None
            } else {
                instant(&end_day, &self.end_time).or(Some(self.end_time.clone()))
            },
            start_date: self.all_day.then(|| self.date.clone()),
            end_date: self.all_day.then(|| end_day.clone()),
            time_zone: Some(zone),
            location: Some(self.location.clone()),
            memo: Some(self.memo.clone()),
            rrule: Some(self.rule()),
        }
    }
}

#[derive(Template)]
#[template(path = "event_form.html")]
pub struct EventFormPage {
    pub ctx: PageCtx,
    pub room_id: String,
    pub room_name: String,
    /// `None` for a new event.
    pub event_id: Option<String>,
    pub can_change: bool,
    pub values: FormValues,
    pub errors: Vec<(String, String)>,
    pub sequence: i64,
    /// The occurrence this page shows (its original start as the API spells it), when the
    /// event is a series opened from one of its days.
    pub occurrence: Option<String>,
    /// "격주 목요일" for a series, empty for a single event.
    pub repeat_label: String,
    /// When it is, as the rest of the app says it: "12월 19일 (토) 오후 7:00 – 9:30".
    pub when: String,
    /// 참석·불참 on an existing event's page (events/rsvp_page.rs).
    pub rsvp: Option<crate::events::rsvp_page::RsvpSection>,
    /// The reader's reminder settings for the room (reminder_section.rs).
    pub reminders: Option<crate::events::reminder_section::ReminderSection>,
}

/// Time zones offered under "더보기" (any IANA name is accepted).
pub const ZONES: &[&str] = &[
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "UTC",
];

impl EventFormPage {
    /// `?occurrence=…` (URL-encoded: an offset's `+` must survive), or empty.
    pub fn occurrence_query(&self) -> String {
        self.occurrence
            .as_deref()
            .map(occurrence_query)
            .unwrap_or_default()
    }
}

/// `?occurrence=…` for an occurrence's links and form actions.
pub fn occurrence_query(occurrence: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("occurrence", occurrence);
    format!("?{}", q.finish())
}

/// The form fields an error can be attached to; others are said above the form.
const FORM_FIELDS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "end_day",
    "start_time",
    "end_time",
    "location",
    "memo",
    "repeat",
    "time_zone",
];

impl EventFormPage {
    pub fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    pub fn invalid(&self, field: &str) -> bool {
        self.errors.iter().any(|(f, _)| f == field)
    }

    /// Errors that belong to no field of the form (the scope, the occurrence…).
    pub fn general_errors(&self) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|(f, _)| !FORM_FIELDS.contains(&f.as_str()))
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// "더보기" starts open when what it hides is in use or wrong.
    pub fn more_open(&self) -> bool {
        (!self.values.all_day && !self.values.end_day.is_empty())
            || self.invalid("end_day")
            || self.invalid("time_zone")
    }
}

/// The API's field of an error as the form names it.
fn form_field(api: &str, all_day: bool) -> &str {
    match api {
        "starts_at" => "start_time",
        "ends_at" => "end_time",
        "start_date" => "date",
        "end_date" if !all_day => "end_day",
        "rrule" => "repeat",
        other => other,
    }
}

/// "12월 19일 (토) 오후 7:00 – 9:30" for a row, in its own zone.
fn when_of(lang: Lang, row: &EventRow) -> String {
    let tz = time_zone(&row.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    crate::events::rows::to_domain(row)
        .map(|e| render::dates::when_label(lang, &e.when, &tz))
        .unwrap_or_default()
}

fn render(page: &EventFormPage, status: StatusCode) -> AppResult<Response> {
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

/// A kept failed submit's errors, translated and attached to the form's own fields.
fn form_errors(
    lang: Lang,
    errors: &BTreeMap<&'static str, &'static str>,
    all_day: bool,
) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(f, k)| (form_field(f, all_day).to_owned(), lang.t(k).to_owned()))
        .collect()
}

/// The form that failed at `url`, if this user has one kept: its values and errors.
fn kept_form(
    jar: &CookieJar,
    auth: &Auth,
    lang: Lang,
    url: &str,
) -> Option<(FormValues, Vec<(String, String)>)> {
    let kept = kept::find(jar, &auth.user.id, url)?;
    let form: EventForm = serde_html_form::from_str(&kept.body).ok()?;
    let values = FormValues::from(form);
    let errors = form_errors(lang, &kept.errors, values.all_day);
    Some((values, errors))
}

/// A submit that did not validate: kept, and the browser sent back (303) to the form at `url`.
fn keep_and_return(
    state: &AppState,
    jar: CookieJar,
    auth: &Auth,
    url: String,
    form: &EventForm,
    err: &AppError,
) -> Response {
    let kept = Kept {
        user_id: auth.user.id.clone(),
        body: serde_html_form::to_string(form).unwrap_or_default(),
        url: url.clone(),
        errors: err.fields(),
    };
    (kept::keep(jar, kept, state.secure_cookies), see_other(&url)).into_response()
}

pub async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(q): Query<DateQuery>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let date = match q.date.as_deref().map(domain::dates::parse_date) {
        Some(Ok(date)) => date,
        Some(Err(true)) => {
            return Err(AppError::validation(
                [("date", "date_out_of_range")].into_iter().collect(),
            ));
        }
        Some(Err(false)) | None => events::today(&state, &room),
    }
    .to_string();
    let (values, errors) = kept_form(&jar, &auth, ctx.lang, &format!("/rooms/{}/events/new", room.id))
        .unwrap_or_else(|| {
            let values = FormValues {
                date,
                start_time: "19:00".into(),
                end_time: "21:00".into(),
                time_zone: room.time_zone.clone(),
                ..Default::default()
            };
            (values, Vec::new())
        });
    let page = EventFormPage {
        rsvp: None,
        reminders: None,
        ctx,
        room_id: room.id,
        room_name: room.name,
        event_id: None,
        can_change: true,
        values,
        errors,
        sequence: 0,
        occurrence: None,
        repeat_label: String::new(),
        when: String::new(),
    };
    render(&page, StatusCode::OK)
}

/// `POST /rooms/{id}/events`: saved, the room's calendar on the event's day; not valid, back to
/// the form (post/redirect/get, web/kept.rs).
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let values = FormValues::from(form.clone());
    match events::validate(&values.to_input(&room), &room) {
        Ok(valid) => {
            let row = events::create(&state, &room, &auth.user, &valid).await?;
            let jar = flash::add(
                kept::clear(jar, state.secure_cookies),
                "event_saved",
                state.secure_cookies,
            );
            Ok((
                jar,
                see_other(&format!("/rooms/{}?date={}", room.id, values_date(&row))),
            )
                .into_response())
        }
        Err(err @ AppError::Validation(_)) => {
            let url = format!("/rooms/{}/events/new", room.id);
            Ok(keep_and_return(&state, jar, &auth, url, &form, &err))
        }
        Err(err) => Err(err),
    }
}

fn values_date(row: &EventRow) -> String {
    FormValues::from_row(row).date
}

/// `GET /rooms/{id}/events/{eid}` (the event's page with its form) or `{eid}.ics`.
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path((id, eid)): Path<(String, String)>,
    Query(target): Query<Target>,
) -> AppResult<Response> {
    if let Some(event_id) = eid.strip_suffix(".ics") {
        return crate::events::ics::event_ics(&state, &auth, &id, event_id).await;
    }
    let (room, role) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let series = state
        .store
        .event(&room.id, &eid)
        .await?
        .ok_or_else(AppError::not_found)?;
    let row = recurrence::read(&state, series.clone(), &target).await?;
    let can_change = row.created_by == auth.user.id || role == Role::Owner;
    let kept = if can_change {
        kept_form(&jar, &auth, ctx.lang, &ctx.path)
    } else {
        None
    };
    let (values, errors) = kept.unwrap_or_else(|| {
        let mut values = FormValues::from_row(&row).with_rule(series.rrule.as_deref());
        values.scope = if row.occurrence.is_some() { "this" } else { "all" }.to_owned();
        (values, Vec::new())
    });
    let action = format!(
        "/rooms/{}/events/{}/rsvp{}",
        room.id,
        row.id,
        row.occurrence
            .as_deref()
            .map(occurrence_query)
            .unwrap_or_default()
    );
    let rsvp =
        crate::events::rsvp_page::section(&state, ctx.lang, &room, role, &row, &auth.user, action).await?;
    let reminders =
        crate::events::reminder_section::section(&state, ctx.lang, &room, role, &auth.user, &ctx.path)
            .await?;
    let page = EventFormPage {
        rsvp: Some(rsvp),
        reminders: Some(reminders),
        can_change,
        repeat_label: recurrence::label(ctx.lang, &series).unwrap_or_default(),
        when: when_of(ctx.lang, &row),
        ctx,
        values,
        room_id: room.id,
        room_name: room.name,
        event_id: Some(row.id.clone()),
        errors,
        sequence: row.sequence,
        occurrence: row.occurrence.clone(),
    };
    render(&page, StatusCode::OK)
}

/// `POST /rooms/{id}/events/{eid}`: saved, the event's page again; not valid, back to it with
/// the values and errors kept (post/redirect/get).
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
    Path((id, eid)): Path<(String, String)>,
    Query(query): Query<Target>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let (room, row) = events::changeable(&state, &id, &eid, &auth.user).await?;
    let values = FormValues::from(form.clone());
    let target = Target {
        scope: Some(values.scope.clone())
            .filter(|s| !s.is_empty())
            .or(query.scope),
        occurrence: query.occurrence,
    };
    let mut input = values.to_input(&room);
    if input
        .rrule
        .as_ref()
        .is_some_and(|r| r.as_deref() == row.rrule.as_deref())
    {
        // An unchanged rule is not named, so "this and following" keeps what a COUNT has left.
        input.rrule = None;
    }
    match recurrence::update(&state, &room, &auth.user, &row, &target, input).await {
        Ok(saved) => {
            let query = saved
                .occurrence
                .as_deref()
                .map(occurrence_query)
                .unwrap_or_default();
            let jar = flash::add(
                kept::clear(jar, state.secure_cookies),
                "event_updated",
                state.secure_cookies,
            );
            Ok((
                jar,
                see_other(&format!("/rooms/{}/events/{}{query}", room.id, saved.id)),
            )
                .into_response())
        }
        Err(err @ AppError::Validation(_)) => {
            let query = target
                .occurrence
                .as_deref()
                .filter(|o| !o.is_empty())
                .map(occurrence_query)
                .unwrap_or_default();
            let url = format!("/rooms/{}/events/{eid}{query}", room.id);
            Ok(keep_and_return(&state, jar, &auth, url, &form, &err))
        }
        Err(err) => Err(err),
    }
}

/// The delete form's buttons name the scope; the occurrence comes in the action's query.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    scope: String,
    /// `yes` once asked (web/confirm.rs).
    confirm: String,
}

/// `POST /rooms/{id}/events/{eid}/delete`: asks first (web/confirm.rs); then back to the
/// room's calendar on the month the event was in.
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path((id, eid)): Path<(String, String)>,
    Query(query): Query<Target>,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let (room, row) = events::changeable(&state, &id, &eid, &auth.user).await?;
    let target = Target {
        scope: Some(form.scope.clone()).filter(|s| !s.is_empty()).or(query.scope),
        occurrence: query.occurrence,
    };
    let occurrence = target.occurrence.clone().filter(|o| !o.is_empty());
    if !confirmed(&form.confirm) {
        let title = match (occurrence.is_some(), target.scope.as_deref()) {
            (true, Some("this")) => "confirm-event-delete-this-title",
            (true, Some("following")) => "confirm-event-delete-following-title",
            (true, _) => "confirm-event-delete-all-title",
            (false, _) => "confirm-event-delete-title",
        };
        let question = Question {
            title,
            detail: "confirm-event-delete-detail",
            ok: "confirm-event-delete-ok",
        };
        let q = occurrence.as_deref().map(occurrence_query).unwrap_or_default();
        let fields = target
            .scope
            .clone()
            .map(|s| vec![("scope".to_owned(), s)])
            .unwrap_or_default();
        return confirm::ask(
            ctx,
            question,
            format!("/rooms/{}/events/{}/delete{q}", room.id, row.id),
            fields,
            format!("/rooms/{}/events/{}{q}", room.id, row.id),
        );
    }
    // The day it was on: the occurrence's, else the event's first day (in its own zone).
    let date = occurrence
        .as_deref()
        .map(|o| o.chars().take(10).collect::<String>())
        .unwrap_or_else(|| values_date(&row));
    recurrence::delete(&state, &room, &row, &target).await?;
    let jar = flash::add(jar, "event_deleted", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{}?date={date}", room.id))).into_response())
}

/// `POST /rooms/{id}/feed/rotate`: asks first, since subscribed calendars lose the old address.
pub async fn rotate_feed(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    crate::rooms::service::owned_room(&state, &id, &auth.user).await?;
    if !confirmed(&f.confirm) {
        let question = Question {
            title: "confirm-feed-rotate-title",
            detail: "confirm-feed-rotate-detail",
            ok: "confirm-feed-rotate-ok",
        };
        return confirm::ask(
            ctx,
            question,
            format!("/rooms/{id}/feed/rotate"),
            Vec::new(),
            format!("/rooms/{id}#feed"),
        );
    }
    state.store.rotate_feed_token(&id).await?;
    let jar = flash::add(jar, "feed_rotated", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{id}#feed"))).into_response())
}
