//! A marker that moves whenever anything was committed to the database — by this process, by
//! another Gachi instance, or by anyone else — so the app can keep hot reads in memory and drop
//! them the moment the data under them may have changed.
//!
//! Why a polled marker and not per-write notifications: every write path (request handlers,
//! the outbox and Talk Calendar workers, the Kakao webhook, a person at `psql`) moves it without
//! any of them knowing caches exist, so no forgotten call site can serve stale data.
//! - SQLite: `PRAGMA data_version` on a connection of its own (it changes when any *other*
//!   connection commits, so the watching connection must never write).
//! - PostgreSQL: the current snapshot, `pg_current_snapshot()` (`xmin:xmax:in-progress`). It
//!   moves when a transaction anywhere in the cluster that wrote (only those take a transaction
//!   id) ends, and a commit is in the snapshot exactly when reads that start afterwards see it,
//!   so a moved marker needs no grace period. Reads never move it.
//!   Until session 8 this was the flushed WAL position, which also moves without any commit
//!   (page pruning and hint bits after a read, checkpoints) and moves a moment *before* the
//!   commit is visible; each spurious move emptied every instance's memory at once.

use sqlx::{ConnectOptions, Connection, Row};

use crate::StorageError;
use crate::db::Db;

/// The watching end: a dedicated SQLite connection, or the PostgreSQL pool.
pub struct ChangeWatch {
    conn: Conn,
}

enum Conn {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgPool),
}

impl crate::Store {
    /// Opens a watch on this database's change marker.
    pub async fn change_watch(&self) -> Result<ChangeWatch, StorageError> {
        let conn = match self.db() {
            Db::Sqlite(pool) => Conn::Sqlite(pool.connect_options().connect().await?),
            Db::Postgres(pool) => Conn::Postgres(pool.clone()),
        };
        Ok(ChangeWatch { conn })
    }
}

impl ChangeWatch {
    /// The current marker. Equal markers mean nothing was committed in between.
    pub async fn marker(&mut self) -> Result<String, StorageError> {
        Ok(match &mut self.conn {
            Conn::Sqlite(conn) => {
                let row = sqlx::query("PRAGMA data_version").fetch_one(&mut *conn).await?;
                row.try_get::<i64, _>(0)?.to_string()
            }
            Conn::Postgres(pool) => {
                let row = sqlx::query("SELECT pg_current_snapshot()::text")
                    .fetch_one(&*pool)
                    .await?;
                row.try_get::<String, _>(0)?
            }
        })
    }

    /// Closes the dedicated connection (SQLite); the pool stays with the store.
    pub async fn close(self) {
        if let Conn::Sqlite(conn) = self.conn {
            let _ = conn.close().await;
        }
    }
}
