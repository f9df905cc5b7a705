//! Both backends get the same migrations, version for version and name for name.

use std::path::Path;

fn listing(dir: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
    let mut names: Vec<String> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_match() {
    let sqlite = listing("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite,
        listing("postgres"),
        "every migration exists for both backends"
    );
}
