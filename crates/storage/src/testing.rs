//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database on the server
//! named by `TEST_POSTGRES_URL`. Used by this crate's tests and by Gachi's.

use crate::{StorageError, new_id};

/// A SQLite URL for a new file under the system temp directory.
pub fn fresh_sqlite_url() -> String {
    let path = std::env::temp_dir().join(format!("gachi-test-{}.db", new_id()));
    format!("sqlite://{}", path.display())
}

/// The PostgreSQL server for tests, when `TEST_POSTGRES_URL` is set.
pub fn postgres_server() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())
}

/// Creates a new, empty database on `server` and returns its URL.
pub async fn fresh_postgres_url(server: &str) -> Result<String, StorageError> {
    use sqlx::Connection;
    let name = format!("gachi_test_{}", new_id().replace('-', ""));
    let mut conn = sqlx::PgConnection::connect(server).await?;
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
