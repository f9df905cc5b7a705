//! Gachi, the web app: Kakao login, rooms and invitations, served by axum with askama pages
//! and a JSON API. `main.rs` is only the command line; everything else lives here so tests can
//! start real servers on port 0.
#![forbid(unsafe_code)]
// Handlers short-circuit with a ready `Response` or `AppError`; their size does not matter.
#![allow(clippy::result_large_err)]

pub mod account;
pub mod account_api;
pub mod api;
pub mod app;
pub mod calendar;
pub mod config;
pub mod consent;
pub mod csrf;
pub mod doctor;
pub mod error;
pub mod event_pages;
pub mod events;
pub mod events_api;
pub mod friends;
pub mod i18n;
pub mod i18n_account;
pub mod i18n_polls;
pub mod i18n_share;
pub mod ics;
pub mod images;
pub mod kakao_tokens;
pub mod login;
pub mod openapi;
pub mod ops;
pub mod outbox;
pub mod pages;
pub mod poll_memos;
pub mod poll_pages;
pub mod polls;
pub mod polls_api;
pub mod public_share;
pub mod rooms;
pub mod security;
pub mod session;
pub mod share_pages;
pub mod shares;
pub mod state;
pub mod talk_calendar;
pub mod test_clock;
pub mod views;
pub mod web;
pub mod webhook;

pub use app::{app, serve};
pub use config::Config;
pub use state::AppState;
