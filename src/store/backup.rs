//! Online backup: `VACUUM INTO` copies the database as of one read transaction, so the
//! copy is consistent while the server keeps writing (WAL lets both run at once).
use anyhow::{bail, Context};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// What a finished backup holds.
#[derive(Debug)]
pub struct BackupReport {
    pub bytes: u64,
    pub users: i64,
    pub attempts: i64,
}

/// Copies the database at `url` into a new file `to`, checks the copy and reports on it.
/// Never overwrites: an existing `to` is refused before anything is read. The database is
/// opened as it is (not created, not migrated), so a backup never changes it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<BackupReport> {
    if super::is_postgres(url) {
        bail!(
            "rehearse backup copies a SQLite database; back up PostgreSQL with its own tools \
             (pg_dump, or your provider's snapshots: see the README's Backup and restore)"
        );
    }
    if to.exists() {
        bail!("{} already exists; a backup never overwrites a file, so choose a new name", to.display());
    }
    let target = to.to_str().with_context(|| format!("{} is not a UTF-8 path", to.display()))?;
    let mut live = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid database URL {url:?}"))?
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await
        .with_context(|| format!("cannot open database {url}"))?;
    // VACUUM INTO itself also refuses a target that appeared meanwhile.
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut live)
        .await
        .with_context(|| format!("cannot write the backup to {}", to.display()))?;
    live.close().await?;

    let mut copy = SqliteConnectOptions::new().filename(to).read_only(true).connect().await?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut copy).await?;
    if check != "ok" {
        bail!("the backup at {} failed its integrity check: {check}", to.display());
    }
    let users = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut copy).await?;
    let attempts = sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&mut copy).await?;
    copy.close().await?;
    let bytes = std::fs::metadata(to)?.len();
    Ok(BackupReport { bytes, users, attempts })
}
