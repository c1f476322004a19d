//! The PostgreSQL schema (`migrations/postgres/`) is kept in step with SQLite's
//! (`migrations/`): the same migration files, and once both are applied the same tables
//! with the same columns.
//!
//! The second test needs PostgreSQL's server programs (`initdb`, `pg_ctl`; Debian's
//! `postgresql` package) and `psql`: it starts a throwaway cluster in a temporary
//! directory (as the `postgres` user when run as root, since `initdb` refuses root).
//! Without them it says it was skipped, unless `REHEARSE_REQUIRE_POSTGRES` is set (as
//! `.ci/run` does), when it fails.
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// A PostgreSQL cluster in a temporary directory, stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

/// `initdb`, `pg_ctl` and `psql`: on PATH, or in Debian's versioned folder.
fn program(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path().join("bin").join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path.into_iter().chain(debian).find(|p| p.is_file())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Cluster {
    fn command(&self, program: &Path) -> Command {
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn start() -> Result<Cluster, String> {
        let (initdb, pg_ctl) = match (program("initdb"), program("pg_ctl")) {
            (Some(i), Some(p)) => (i, p),
            _ => return Err("PostgreSQL's initdb and pg_ctl are not installed (Debian package postgresql)".into()),
        };
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let as_postgres = is_root();
        if as_postgres {
            let chown = Command::new("chown").arg("postgres").arg(dir.path()).status();
            if !chown.is_ok_and(|s| s.success()) {
                return Err("running as root and there is no postgres user to run initdb as".into());
            }
        }
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let cluster = Cluster { dir, port, as_postgres };
        let data = cluster.dir.path().join("data");
        let init = cluster
            .command(&initdb)
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(&data)
            .output()
            .map_err(|e| e.to_string())?;
        if !init.status.success() {
            return Err(format!("initdb failed: {}", String::from_utf8_lossy(&init.stderr)));
        }
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", cluster.dir.path().display());
        let started = cluster
            .command(&pg_ctl)
            .arg("-D")
            .arg(&data)
            .args(["-w", "-o", &options, "-l"])
            .arg(cluster.dir.path().join("log"))
            .arg("start")
            .output()
            .map_err(|e| e.to_string())?;
        if !started.status.success() {
            return Err(format!("pg_ctl start failed: {}", String::from_utf8_lossy(&started.stderr)));
        }
        Ok(cluster)
    }

    /// Runs SQL through psql; the output, unaligned and without headers.
    fn psql(&self, args: &[&str]) -> String {
        let psql = program("psql").expect("psql");
        let out = Command::new(psql)
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-At"])
            .args(args)
            .arg("postgres")
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "psql {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(pg_ctl) = program("pg_ctl") {
            let _ = self
                .command(&pg_ctl)
                .arg("-D")
                .arg(self.dir.path().join("data"))
                .args(["-m", "immediate", "stop"])
                .output();
        }
    }
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
    let cluster = match Cluster::start() {
        Ok(c) => c,
        Err(why) if std::env::var_os("REHEARSE_REQUIRE_POSTGRES").is_none() => {
            let _ = writeln!(std::io::stderr(), "skipped: {why}");
            return;
        }
        Err(why) => panic!("PostgreSQL is required (REHEARSE_REQUIRE_POSTGRES is set): {why}"),
    };
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
