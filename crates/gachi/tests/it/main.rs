//! Gachi as users and scripts meet it: real servers on port 0 with the in-process Kakao
//! sandbox, a real SQLite file and, when `TEST_POSTGRES_URL` is set, a real PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account;
mod commands;
mod common;
mod doctor;
mod events;
mod fresh;
mod harden;
mod inputs;
mod invites;
mod limits;
mod login;
mod openapi;
mod ops;
mod polls;
mod quotas;
mod recurrence;
mod recurrence_everywhere;
mod reliability;
mod reminders;
mod rooms;
mod rsvp;
mod security;
mod share_flow;
mod shares;
mod shell;
mod talk_calendar_outbox;
mod tokens;
