//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database on the server
//! named by `TEST_POSTGRES_URL`. Used by this crate's tests and by Gachi's.
//!
//! Tests never drop what they made (a test that fails should leave its database to look at),
//! so the first fresh database of each test process sweeps away what earlier runs left more
//! than [`LEFTOVER_AGE`] ago: every CI run on the same machine used to add ~100 PostgreSQL
//! databases and ~250 SQLite files for good. Names carry a UUIDv7, whose first 48 bits are the
//! creation time, so the age is read from the name.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{StorageError, new_id};

/// What earlier runs left and is older than this is dropped; younger ones may belong to a run
/// that is still going.
pub const LEFTOVER_AGE: Duration = Duration::from_secs(3600);

const SQLITE_PREFIX: &str = "gachi-test-";
const POSTGRES_PREFIX: &str = "gachi_test_";

/// Milliseconds since the epoch at which the UUIDv7 at the start of `rest` was made (with or
/// without its dashes).
fn made_at_ms(rest: &str) -> Option<u64> {
    let hex: String = rest.chars().filter(|c| *c != '-').take(12).collect();
    (hex.len() == 12)
        .then(|| u64::from_str_radix(&hex, 16).ok())
        .flatten()
}

fn is_leftover(rest: &str) -> bool {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let age = u64::try_from(LEFTOVER_AGE.as_millis()).unwrap_or(u64::MAX);
    made_at_ms(rest).is_some_and(|made| now.saturating_sub(made) > age)
}

fn sweep_sqlite_files() {
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(SQLITE_PREFIX)) else {
            continue;
        };
        if is_leftover(rest) {
            // Best effort: another process's sweep may have got there first.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

async fn sweep_postgres(conn: &mut sqlx::PgConnection) {
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
            .bind(POSTGRES_PREFIX)
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let Some(rest) = name.strip_prefix(POSTGRES_PREFIX) else {
            continue;
        };
        if is_leftover(rest) && rest.chars().all(|c| c.is_ascii_hexdigit()) {
            // Fails while something is still connected; then it stays for a later sweep.
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *conn)
                .await;
        }
    }
}

/// A SQLite URL for a new file under the system temp directory.
pub fn fresh_sqlite_url() -> String {
    sweep_sqlite_files();
    let path = std::env::temp_dir().join(format!("{SQLITE_PREFIX}{}.db", new_id()));
    format!("sqlite://{}", path.display())
}

/// The PostgreSQL server for tests, when `TEST_POSTGRES_URL` is set.
pub fn postgres_server() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())
}

/// Creates a new, empty database on `server` and returns its URL.
pub async fn fresh_postgres_url(server: &str) -> Result<String, StorageError> {
    use sqlx::Connection;
    let name = format!("{POSTGRES_PREFIX}{}", new_id().replace('-', ""));
    let mut conn = sqlx::PgConnection::connect(server).await?;
    sweep_postgres(&mut conn).await;
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    let (base, _) = server.rsplit_once('/').unwrap_or((server, ""));
    Ok(format!("{base}/{name}"))
}

/// Every backend a test should run on: SQLite always, PostgreSQL when configured.
pub async fn fresh_urls() -> Result<Vec<String>, StorageError> {
    let mut urls = vec![fresh_sqlite_url()];
    if let Some(server) = postgres_server() {
        urls.push(fresh_postgres_url(&server).await?);
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_is_read_from_the_uuid_in_the_name() {
        let fresh = new_id();
        assert!(!is_leftover(&fresh), "made just now");
        assert!(!is_leftover(&format!("{}.db-wal", fresh)));
        // 2020-09-13, long ago: a leftover, with or without the dashes.
        assert!(is_leftover("01748c2a-0000-7000-8000-000000000000.db"));
        assert!(is_leftover("01748c2a00007000800000000000000"));
        assert!(!is_leftover("not-a-uuid"));
    }
}
