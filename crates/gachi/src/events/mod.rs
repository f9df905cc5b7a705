//! A room's schedule: events (service, JSON API, pages), the room's calendar page in month,
//! week and list views, ICS files and the secret feed, and copies in members' Talk Calendars.

pub mod api;
pub mod calendar;
pub mod ics;
pub mod ics_timezone;
pub mod month_layout;
pub mod occurrences;
pub mod pages;
pub mod recurrence;
pub mod recurrence_carry;
pub mod room_page;
pub mod rows;
pub mod service;
pub mod talk_calendar;
pub mod talk_calendar_kakao;
pub mod talk_calendar_series;
pub mod talk_calendar_worker;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rooms/{id}/events", get(api::list).post(api::create))
        .route(
            "/api/v1/rooms/{id}/events/{eid}",
            get(api::get).patch(api::update).delete(api::delete),
        )
        .route("/api/v1/rooms/{id}/feed/rotate", post(api::rotate_feed))
        .route(
            "/api/v1/rooms/{id}/events/{eid}/talk-calendar",
            post(talk_calendar::add_api).delete(talk_calendar::remove_api),
        )
        .route("/feeds/{file}", get(ics::feed))
        .route("/rooms/{id}", get(room_page::page))
        .route("/rooms/{id}/events", post(pages::create))
        .route("/rooms/{id}/events/new", get(pages::new_form))
        .route("/rooms/{id}/events/{eid}", get(pages::show).post(pages::update))
        .route("/rooms/{id}/events/{eid}/delete", post(pages::delete))
        .route("/rooms/{id}/feed/rotate", post(pages::rotate_feed))
        .route(
            "/rooms/{id}/events/{eid}/talk-calendar",
            get(talk_calendar::resume_page).post(talk_calendar::add_page),
        )
}
