//! The Kakao client against the sandbox over real HTTP: login, tokens, errors, user APIs,
//! unlink, friends, messages, quotas and faults. One test binary for the crate (DESIGN.md's
//! build budget).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod clients;
mod common;
mod endpoints;
mod errors;
mod faults;
mod friends;
mod login;
mod messages;
mod quotas;
mod talk_calendar;
mod talk_calendar_recur;
mod talk_share;
mod tokens;
mod unlink;
mod users;
