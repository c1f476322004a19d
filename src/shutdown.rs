//! Graceful shutdown: on SIGTERM `/ready` turns 503 at once, the server keeps serving
//! for the drain period (so a load balancer stops sending traffic first), then stops
//! accepting connections, lets requests in flight finish within the grace period, and
//! closes the database. Ctrl+C (SIGINT) skips the drain: someone at a terminal wants the
//! prompt back. A second signal stops at once.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;

/// Whether the server still takes new work; `/ready` reads it. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    /// Marks the server as shutting down; `/ready` answers 503 from now on.
    pub fn stopping(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_stopping(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The signal that started a shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Terminate,
    Interrupt,
}

/// Waits for SIGTERM or SIGINT (only SIGINT where there is no SIGTERM).
pub async fn next_signal() -> std::io::Result<Signal> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = term.recv() => Ok(Signal::Terminate),
            _ = int.recv() => Ok(Signal::Interrupt),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok(Signal::Interrupt)
    }
}

/// Stops `server` when the process is signalled, as described in the module docs.
pub async fn on_signal(server: ServerHandle, readiness: Readiness, drain: Duration) {
    let first = match next_signal().await {
        Ok(signal) => signal,
        Err(e) => {
            // Without signal handlers the server still runs; it just cannot drain.
            tracing::error!(error = %e, "cannot listen for shutdown signals");
            return;
        }
    };
    readiness.stopping();
    let drain = if first == Signal::Terminate { drain } else { Duration::ZERO };
    tracing::info!(signal = ?first, drain_ms = drain.as_millis() as u64, "shutting down: /ready now answers 503");
    let graceful = async {
        tokio::time::sleep(drain).await;
        tracing::info!("no longer accepting connections; finishing requests in flight");
        server.stop(true).await;
    };
    tokio::select! {
        _ = graceful => {}
        _ = next_signal() => {
            tracing::warn!("second signal: stopping without waiting for requests in flight");
            server.stop(false).await;
        }
    }
}
