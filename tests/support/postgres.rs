//! A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` in a temporary
//! directory (as the `postgres` user when run as root, since `initdb` refuses root),
//! trust authentication on 127.0.0.1 and a random port, stopped when dropped.
//! Included with `#[path]` by the tests that need it.
#![allow(dead_code)]
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A PostgreSQL cluster in a temporary directory, stopped when dropped.
pub struct Cluster {
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

    pub fn start() -> Result<Cluster, String> {
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
    pub fn psql(&self, args: &[&str]) -> String {
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

impl Cluster {
    /// A started cluster, or `None` after printing why it was skipped (PostgreSQL not
    /// installed); with `REHEARSE_REQUIRE_POSTGRES` set (as `.ci/run` does) it panics instead.
    pub fn start_or_skip() -> Option<Cluster> {
        match Cluster::start() {
            Ok(c) => Some(c),
            Err(why) if std::env::var_os("REHEARSE_REQUIRE_POSTGRES").is_none() => {
                let _ = writeln!(std::io::stderr(), "skipped: {why}");
                None
            }
            Err(why) => panic!("PostgreSQL is required (REHEARSE_REQUIRE_POSTGRES is set): {why}"),
        }
    }

    /// The URL of database `name` on this cluster (`postgres` always exists).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Turns on TLS with a self-signed certificate made by `openssl` (a reload, no
    /// restart). Err when `openssl` is missing.
    pub fn enable_tls(&self) -> Result<(), String> {
        let data = self.dir.path().join("data");
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
            .arg("-keyout")
            .arg(data.join("server.key"))
            .arg("-out")
            .arg(data.join("server.crt"))
            .output()
            .map_err(|e| format!("openssl: {e}"))?;
        if !made.status.success() {
            return Err(format!("openssl failed: {}", String::from_utf8_lossy(&made.stderr)));
        }
        if self.as_postgres {
            let files = [data.join("server.key"), data.join("server.crt")];
            let owned = Command::new("chown").arg("postgres").args(&files).status();
            if !owned.is_ok_and(|s| s.success()) {
                return Err("cannot give the certificate to the postgres user".into());
            }
        }
        let key_mode = Command::new("chmod").arg("600").arg(data.join("server.key")).status();
        if !key_mode.is_ok_and(|s| s.success()) {
            return Err("cannot make the key private".into());
        }
        self.psql(&["-q", "-c", "ALTER SYSTEM SET ssl = on"]);
        self.psql(&["-q", "-c", "SELECT pg_reload_conf()"]);
        Ok(())
    }

    /// Creates an empty database; returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        self.psql(&["-q", "-c", &format!("CREATE DATABASE {name}")]);
        self.url(name)
    }
}
