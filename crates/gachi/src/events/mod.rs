//! A room's schedule: events (service, JSON API, pages), the room's calendar page in month,
//! week and list views, ICS files and the secret feed, copies in members' Talk Calendars and
//! the room's reminder times they ring at, and 참석·불참 answers.

pub mod api;
pub mod calendar;
pub mod ics;
pub mod ics_timezone;
pub mod month_layout;
pub mod occurrences;
pub mod pages;
pub mod recurrence;
pub mod recurrence_carry;
pub mod reminder_section;
pub mod reminder_times;
pub mod room_page;
pub mod rows;
pub mod rsvp;
pub mod rsvp_api;
pub mod rsvp_card;
pub mod rsvp_json;
pub mod rsvp_page;
pub mod rsvp_views;
pub mod service;
pub mod talk_calendar;
pub mod talk_calendar_alarms;
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
            "/api/v1/rooms/{id}/events/{eid}/rsvp",
            axum::routing::put(rsvp_api::put).delete(rsvp_api::delete),
        )
        .route("/rooms/{id}/events/{eid}/rsvp", post(rsvp_api::post_page))
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
