//! Event pages: the form to add or edit an event (values kept and errors shown when something
//! is wrong), the event's own page, deletion, its `.ics`, and the room's feed rotation.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::event::time_zone;
use domain::event_input::EventInput;
use jiff::civil::DateTime;
use serde::Deserialize;
use storage::{EventRow, Role, Room};

use crate::events::service as events;
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::http::see_other;
use crate::web::session::Auth;
use crate::web::views::PageCtx;
use i18n::Lang;

/// What the form shows (and sends back).
#[derive(Clone, Debug, Default)]
pub struct FormValues {
    pub title: String,
    pub all_day: bool,
    pub date: String,
    pub end_date: String,
    pub start_time: String,
    pub end_time: String,
    pub location: String,
    pub memo: String,
    pub time_zone: String,
}

/// The event form as the browser posts it (every field may be missing; a checkbox is `on`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventForm {
    title: String,
    all_day: Option<String>,
    date: String,
    end_date: String,
    start_time: String,
    end_time: String,
    location: String,
    memo: String,
    time_zone: String,
}

impl From<EventForm> for FormValues {
    fn from(f: EventForm) -> Self {
        FormValues {
            all_day: f.all_day.is_some_and(|v| v == "on" || v == "true"),
            title: f.title,
            date: f.date,
            end_date: f.end_date,
            start_time: f.start_time,
            end_time: f.end_time,
            location: f.location,
            memo: f.memo,
            time_zone: f.time_zone,
        }
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
                end.map(|d| d.date().to_string()).unwrap_or_default()
            },
            start_time: start.map(|d| d.strftime("%H:%M").to_string()).unwrap_or_default(),
            end_time: end.map(|d| d.strftime("%H:%M").to_string()).unwrap_or_default(),
            location: row.location.clone(),
            memo: row.memo.clone(),
            time_zone: row.time_zone.clone(),
        }
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
        let end_day = if self.end_date.trim().is_empty() {
            self.date.clone()
        } else {
            self.end_date.clone()
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
}

impl EventFormPage {
    pub fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }
}

fn render(page: &EventFormPage, status: StatusCode) -> AppResult<Response> {
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

pub async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
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
    let values = FormValues {
        date,
        start_time: "19:00".into(),
        end_time: "21:00".into(),
        time_zone: room.time_zone.clone(),
        ..Default::default()
    };
    let page = EventFormPage {
        ctx,
        room_id: room.id,
        room_name: room.name,
        event_id: None,
        can_change: true,
        values,
        errors: Vec::new(),
        sequence: 0,
    };
    render(&page, StatusCode::OK)
}

fn form_errors(lang: Lang, err: &AppError) -> Vec<(String, String)> {
    err.fields()
        .iter()
        .map(|(f, k)| ((*f).to_owned(), lang.t(k).to_owned()))
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let (room, _) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let values = FormValues::from(form);
    match events::validate(&values.to_input(&room), &room) {
        Ok(valid) => {
            let row = events::create(&state, &room, &auth.user, &valid).await?;
            Ok(see_other(&format!(
                "/rooms/{}?date={}",
                room.id,
                values_date(&row)
            )))
        }
        Err(err @ AppError::Validation(_)) => {
            let page = EventFormPage {
                errors: form_errors(ctx.lang, &err),
                ctx,
                room_id: room.id,
                room_name: room.name,
                event_id: None,
                can_change: true,
                values,
                sequence: 0,
            };
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
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
    Path((id, eid)): Path<(String, String)>,
) -> AppResult<Response> {
    if let Some(event_id) = eid.strip_suffix(".ics") {
        return crate::events::ics::event_ics(&state, &auth, &id, event_id).await;
    }
    let (room, role) = crate::rooms::service::member_room(&state, &id, &auth.user).await?;
    let row = state
        .store
        .event(&room.id, &eid)
        .await?
        .ok_or_else(AppError::not_found)?;
    let page = EventFormPage {
        ctx,
        can_change: row.created_by == auth.user.id || role == Role::Owner,
        values: FormValues::from_row(&row),
        room_id: room.id,
        room_name: room.name,
        event_id: Some(row.id.clone()),
        errors: Vec::new(),
        sequence: row.sequence,
    };
    render(&page, StatusCode::OK)
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    Path((id, eid)): Path<(String, String)>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let (room, row) = events::changeable(&state, &id, &eid, &auth.user).await?;
    let values = FormValues::from(form);
    match events::validate(&values.to_input(&room), &room) {
        Ok(valid) => {
            events::update(&state, &room, &eid, &valid).await?;
            Ok(see_other(&format!("/rooms/{}/events/{eid}", room.id)))
        }
        Err(err @ AppError::Validation(_)) => {
            let page = EventFormPage {
                errors: form_errors(ctx.lang, &err),
                ctx,
                room_id: room.id,
                room_name: room.name,
                event_id: Some(eid),
                can_change: true,
                values,
                sequence: row.sequence,
            };
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => Err(err),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, eid)): Path<(String, String)>,
) -> AppResult<Response> {
    let (room, _) = events::changeable(&state, &id, &eid, &auth.user).await?;
    events::delete(&state, &room, &eid).await?;
    Ok(see_other(&format!("/rooms/{}", room.id)))
}

pub async fn rotate_feed(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    crate::rooms::service::owned_room(&state, &id, &auth.user).await?;
    state.store.rotate_feed_token(&id).await?;
    Ok(see_other(&format!("/rooms/{id}#feed")))
}
