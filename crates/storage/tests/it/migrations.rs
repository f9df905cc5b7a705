//! One migrations folder serves both backends, so the proof is that every file in it runs on
//! SQLite and on PostgreSQL (when `TEST_POSTGRES_URL` is set, as in CI): each is recorded as
//! applied with the checksum sqlx embedded, and migrating again changes nothing.

use std::path::Path;

use storage::db::{Db, MIGRATOR};
use storage::{run, testing};

/// The versions of the files in `migrations/`, which must all be migrations.
fn versions_on_disk() -> Vec<i64> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut versions: Vec<i64> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            // A subfolder would be a half-done split (sqlx skips subfolders silently).
            assert!(e.file_type().unwrap().is_file(), "{name} is not a migration file");
            let (version, rest) = name.split_once('_').expect("NNNN_name.sql");
            assert!(rest.ends_with(".sql"), "{name} is not a migration file");
            version.parse().unwrap()
        })
        .collect();
    versions.sort_unstable();
    versions
}

async fn applied(db: &Db) -> Vec<(i64, bool, Vec<u8>)> {
    let sql = "SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version";
    run!(db, pool => sqlx::query_as(sql).fetch_all(pool).await.unwrap())
}

#[tokio::test]
async fn every_migration_runs_on_every_backend() {
    let on_disk = versions_on_disk();
    assert!(!on_disk.is_empty());
    let embedded: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    assert_eq!(embedded, on_disk, "sqlx embeds exactly the files in the folder");

    let urls = testing::fresh_urls().await.unwrap();
    if std::env::var("CI").is_ok() {
        assert_eq!(urls.len(), 2, "CI runs the PostgreSQL leg (TEST_POSTGRES_URL)");
    }
    for url in urls {
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let done = applied(&db).await;
        assert_eq!(
            done.iter().map(|r| r.0).collect::<Vec<_>>(),
            on_disk,
            "{:?}: every migration applied",
            db.backend()
        );
        for ((version, success, checksum), m) in done.iter().zip(MIGRATOR.iter()) {
            assert!(success, "{:?}: {version} succeeded", db.backend());
            assert_eq!(checksum[..], m.checksum[..], "{version} ran as embedded");
        }
        db.migrate().await.unwrap();
        assert_eq!(applied(&db).await, done, "migrating again changes nothing");
        db.close().await;
    }
}
