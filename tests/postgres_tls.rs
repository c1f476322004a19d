//! The server talks TLS to PostgreSQL when the URL asks for it (`sslmode=require`), as a
//! managed database across a network needs, and refuses to go on without it.
//!
//! Needs PostgreSQL's server programs and `openssl` (a throwaway cluster with a
//! self-signed certificate); without them it says it was skipped, unless
//! `REHEARSE_REQUIRE_POSTGRES` is set (as `.ci/run` does), when it fails.
#[path = "support/postgres.rs"]
mod support;

use rehearse::store::Store;
use support::Cluster;

/// Connections to `database` that use TLS, and all connections to it.
fn tls_connections(cluster: &Cluster, database: &str) -> (usize, usize) {
    let rows = cluster.psql(&[
        "-c",
        &format!(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a \
             JOIN pg_stat_ssl s USING (pid) WHERE a.datname = '{database}'"
        ),
    ]);
    let mut counts = rows.trim().split('|').map(|n| n.parse::<usize>().expect("a count"));
    (counts.next().expect("tls"), counts.next().expect("all"))
}

#[tokio::test]
async fn sslmode_require_connects_over_tls_and_fails_without_it() {
    let Some(cluster) = Cluster::start_or_skip() else { return };

    // Without TLS on the server, `require` is refused with a message, not a plain connection.
    let url = cluster.create_database("plain");
    let refused = Store::connect(&format!("{url}?sslmode=require")).await;
    let message = format!("{:#}", refused.expect_err("sslmode=require against a server without TLS fails"));
    assert!(message.contains("cannot connect to PostgreSQL"), "{message}");

    if let Err(why) = cluster.enable_tls() {
        assert!(std::env::var_os("REHEARSE_REQUIRE_POSTGRES").is_none(), "{why}");
        eprintln!("skipped: {why}");
        return;
    }
    let url = cluster.create_database("secure");
    let store = Store::connect(&format!("{url}?sslmode=require")).await.expect("connects over TLS");
    let (tls, all) = tls_connections(&cluster, "secure");
    assert!(all >= 1 && tls == all, "{tls} of {all} connections use TLS");
    store.close().await;
}
