//! Gachi's storage: one API over SQLite (the default) and PostgreSQL (several instances).
//!
//! SQL is written once (`$1` placeholders, `RETURNING`, `ON CONFLICT`, ids as TEXT, instants as
//! epoch milliseconds) and run on whichever pool is live through [`db::Db`]; so is the schema:
//! one migrations folder serves both backends (see [`db`] for how to split it again if a
//! dialect ever differs). Kakao tokens are encrypted at rest.
#![forbid(unsafe_code)]

mod account;
mod changes;
mod cipher;
pub mod db;
mod error;
mod event_exceptions;
mod events;
mod login_attempts;
mod outbox;
mod poll_memos;
mod polls;
mod quota_counts;
mod reminders;
mod rooms;
mod rsvps;
mod sessions;
mod shares;
mod spelled;
mod talk_calendar_jobs;
mod talk_calendar_series;
pub mod testing;
mod tokens;
mod users;

pub use account::{AccountDeletion, PollsExport, TalkCalendarLink};
pub use changes::ChangeWatch;
pub use cipher::{CipherError, TokenCipher};
pub use db::{Backend, Db};
pub use domain::room::Role;
pub use error::StorageError;
pub use event_exceptions::{ExceptionData, ExceptionRow};
pub use events::{EventData, EventRow};
pub use login_attempts::LoginAttempt;
pub use outbox::{Claimed, Expired, OutboxCount, QuotaCheck, Start};
pub use polls::{AnswerRow, NewPoll, PollRow};
pub use quota_counts::{QuotaKey, QuotaKind, QuotaLimits};
pub use reminders::{MemoOptIn, ReminderJob, ReminderKey, ReminderRoomMark, ReminderStart};
pub use rooms::{Admission, Invite, Member, Room};
pub use rsvps::RsvpRow;
pub use sessions::{NewSession, Session};
pub use shares::{NewRecipient, NewShare, Recipient, Share};
pub use talk_calendar_jobs::{CalendarAction, CalendarJob, JobEnd};
pub use tokens::StoredTokens;
pub use users::User;

/// The storage handle: a pool of either backend plus the token cipher. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    cipher: TokenCipher,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating a SQLite file if missing,
    /// and brings the schema up to date.
    pub async fn open(url: &str, cipher: TokenCipher) -> Result<Self, StorageError> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(Self { db, cipher })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// `SELECT 1`, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StorageError> {
        crate::run!(&self.db, pool => { sqlx::query("SELECT 1").execute(pool).await?; });
        Ok(())
    }
}

/// A new time-ordered id (UUIDv7 as text).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
