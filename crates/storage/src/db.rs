//! The two backends behind one value, the macro that runs the same SQL on either, and the one
//! migrations folder both backends share.
//!
//! # Migrations
//!
//! `crates/storage/migrations/` holds one file per schema step, run by [`MIGRATOR`] on SQLite and
//! PostgreSQL alike, because the SQL is written once (see the crate docs). The storage tests
//! run every migration on both backends. sqlx records each applied file's checksum, so a file
//! that any database has run is never edited again: a change is a new, higher-numbered file.
//!
//! If a dialect ever truly differs for one step, split the folder again rather than guarding
//! SQL at run time:
//! 1. make `migrations/sqlite/` and `migrations/postgres/` and `git mv` every existing file into
//!    one of them and copy it into the other, byte for byte (the checksums, and so every
//!    database already migrated, stay valid);
//! 2. write the differing step once per folder, under the same version and name;
//! 3. replace [`MIGRATOR`] by one `sqlx::migrate!` static per folder and let [`Db::migrate`]
//!    pick the backend's;
//! 4. add a test that both folders list the same versions and names, next to the one that runs
//!    them on both backends.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::StorageError;

/// Every migration, embedded at compile time (`build.rs` rebuilds when one changes); the same
/// files for both backends.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to whichever pool is live. The body is written once and
/// compiled for both backends, so one SQL text serves both.
#[macro_export]
macro_rules! run {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

impl Db {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(StorageError::UnsupportedUrl)
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> Result<(), StorageError> {
        run!(self, pool => MIGRATOR.run(pool).await?);
        Ok(())
    }

    pub async fn close(&self) {
        run!(self, pool => pool.close().await)
    }
}
