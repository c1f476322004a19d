//! The PostgreSQL schema (`migrations/postgres/`) is kept in step with SQLite's
//! (`migrations/`): the same migration files, and once both are applied the same tables
//! with the same columns.
//!
//! The second test needs PostgreSQL's server programs (`initdb`, `pg_ctl`; Debian's
//! `postgresql` package) and `psql`: it starts a throwaway cluster in a temporary
//! directory (as the `postgres` user when run as root, since `initdb` refuses root).
//! Without them it says it was skipped, unless `REHEARSE_REQUIRE_POSTGRES` is set (as
//! `.ci/run` does), when it fails.
#[path = "support/postgres.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::Path;
use support::Cluster;

const SQLITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
const POSTGRES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");

fn sql_files(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("migrations folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_sqlite_migration_has_a_postgres_twin() {
    assert_eq!(sql_files(SQLITE), sql_files(POSTGRES), "migrations/ and migrations/postgres/ list the same files");
}

/// `table.column` of every table the SQLite migrations make.
async fn sqlite_columns() -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("schema.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("sqlite");
    sqlx::migrate::Migrator::new(Path::new(SQLITE)).await.expect("migrations").run(&pool).await.expect("migrate");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite%'",
    )
    .fetch_all(&pool)
    .await
    .expect("columns");
    rows.into_iter().map(|(t, c)| format!("{t}.{c}")).collect()
}

#[tokio::test]
async fn the_postgres_migrations_make_the_same_tables_and_columns_as_sqlites() {
    let Some(cluster) = Cluster::start_or_skip() else { return };
    for file in sql_files(POSTGRES) {
        cluster.psql(&["-q", "-f", &format!("{POSTGRES}/{file}")]);
    }
    let postgres: BTreeSet<String> = cluster
        .psql(&[
            "-c",
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'",
        ])
        .lines()
        .map(str::to_string)
        .collect();
    let sqlite = sqlite_columns().await;
    assert!(sqlite.len() > 50, "the SQLite schema was read: {sqlite:?}");
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "columns only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_postgres:?}"
    );
}
