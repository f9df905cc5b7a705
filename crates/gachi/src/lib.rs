//! Gachi, the web app: Kakao login, rooms, schedules, polls and sharing, served by axum with
//! askama pages and a JSON API. `main.rs` is only the command line; everything else lives here
//! so tests can start real servers on port 0.
//!
//! One folder per feature, each owning its service code, JSON handlers, page handlers and
//! `router()`. The arrows point down: `web` (errors, session, CSRF, views) and `i18n` at the
//! bottom, then `auth`, `rooms`, `events`, `sharing`, `polls`, `account`; `app` only merges the
//! feature routers and adds layers.
#![forbid(unsafe_code)]
// Handlers short-circuit with a ready `Response` or `AppError`; their size does not matter.
#![allow(clippy::result_large_err)]

pub mod account;
pub mod app;
pub mod auth;
pub mod background;
pub mod clock;
pub mod config;
pub mod doctor;
pub mod events;
pub mod polls;
pub mod reminders;
pub mod rooms;
pub mod sharing;
pub mod state;
pub mod web;

pub use app::{app, serve};
pub use config::Config;
pub use state::AppState;
