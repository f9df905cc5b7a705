//! Storage tests: the same story on every backend (SQLite always, PostgreSQL when
//! `TEST_POSTGRES_URL` is set, as in CI), the Talk Calendar outbox, typed domain state in the
//! rows, and every migration run on both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod conformance;
mod migrations;
mod talk_calendar_jobs;
mod typed_state;
