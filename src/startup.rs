//! Builds the application: database, question bank, HTTP server on its own listener.
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use rand::RngCore;
use std::net::TcpListener;
use tracing_actix_web::TracingLogger;

use crate::auth::{Accounts, SessionPolicy};
use crate::configuration::{Limits, Registration, Settings};
use crate::metrics::{Metrics, Sample};
use crate::practice::{Practice, QuestionBank};
use crate::routes::client::ProxyPolicy;
use crate::routes::csrf::CsrfKey;
use crate::routes::headers::HeaderPolicy;
use crate::routes::session::CookiePolicy;
use crate::shutdown::Readiness;
use crate::store::{Store, SyncReport};

/// What every request handler is given: the services, never the store itself.
pub struct AppState {
    pub practice: Practice,
    pub accounts: Accounts,
}

impl AppState {
    pub fn new(
        store: Store,
        bank: QuestionBank,
        sessions: SessionPolicy,
        limits: &Limits,
        registration: Registration,
        metrics: Metrics,
    ) -> AppState {
        AppState {
            accounts: Accounts::new(store.clone(), sessions, limits, registration),
            practice: Practice::new(store, bank, limits, metrics),
        }
    }
}

/// A running-to-be server bound to a port.
pub struct Application {
    port: u16,
    server: Server,
    readiness: Readiness,
    store: Store,
    shutdown_drain: std::time::Duration,
    /// The `/metrics` listener of `--metrics-bind`, when it has one of its own.
    metrics_server: Option<(u16, Server)>,
}

/// Fits the FSRS parameters of learners with enough new reviews, shortly after start and
/// then every [`FIT_SWEEP_EVERY`](crate::practice::review::FIT_SWEEP_EVERY), off the
/// request path (the fits themselves run on blocking threads, one at a time).
fn fit_in_background(state: web::Data<AppState>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(crate::practice::review::FIT_SWEEP_EVERY);
        loop {
            every.tick().await;
            match state.practice.fit_due_learners().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(learners = n, "fitted FSRS parameters"),
                Err(e) => tracing::warn!(error = %e, "fitting FSRS parameters failed; will try again"),
            }
        }
    });
}

/// Loads `questions/*.toml`, stores them (retiring removed ones) and returns what changed.
/// A bad file aborts before anything is written.
pub async fn import_bank(store: &Store, settings: &Settings) -> anyhow::Result<SyncReport> {
    let topics = crate::bank::load_dir(&settings.questions_dir).map_err(|e| match e {
        crate::bank::BankError::Folder { .. } => {
            anyhow::anyhow!("{e} (run from the folder that holds questions/, or name the folder with --questions or REHEARSE_QUESTIONS)")
        }
        other => other.into(),
    })?;
    Ok(store.sync_bank(&topics).await?)
}

/// Reads the bank back from the database with grader inputs prepared.
pub async fn load_bank(store: &Store) -> anyhow::Result<QuestionBank> {
    let bank = QuestionBank::from_rows(store.all_questions().await?);
    // Preparing ran on this thread, which grades nothing afterwards: its word cache,
    // every word of the bank, would be kept for good.
    crate::grading::release_thread_cache();
    bank
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let store = Store::connect(&settings.database_url).await?;
        let report = import_bank(&store, &settings).await?;
        tracing::info!(
            topics = report.topics,
            questions = report.questions,
            retired = report.retired,
            "question bank loaded"
        );
        let bank = load_bank(&store).await?;
        let key = web::Data::new(csrf_key(&store).await?);
        let metrics = Metrics::new();
        let state = AppState::new(
            store.clone(),
            bank,
            settings.session_policy(),
            &settings.limits,
            settings.registration,
            metrics.clone(),
        );
        sample_database(&state, &store, metrics.clone());
        let forgotten = state.accounts.forget_expired_sessions().await?;
        if forgotten > 0 {
            tracing::info!(sessions = forgotten, "deleted sessions past their absolute time-out");
        }
        let converted = store.convert_sm2_schedules().await?;
        if converted > 0 {
            tracing::info!(schedules = converted, "converted SM-2 schedules to FSRS (due dates kept)");
        }
        let filled = crate::practice::backfill_follow_ups(&state.practice).await?;
        if filled > 0 {
            tracing::info!(answers = filled, "recorded the follow-ups of answers stored before they were kept");
        }
        let listener =
            TcpListener::bind(&settings.bind).with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        fit_in_background(state.clone());
        let headers = HeaderPolicy { https: settings.secure_cookies };
        let body_timeout = settings.body_timeout;
        let readiness = Readiness::default();
        let ready_flag = web::Data::new(readiness.clone());
        let proxy = web::Data::new(ProxyPolicy { trust_forwarded_for: settings.trust_forwarded_for });
        let cookies = web::Data::new(CookiePolicy {
            secure: settings.secure_cookies,
            max_age: settings.session_absolute_timeout,
        });
        let metrics_data = web::Data::new(metrics.clone());
        let metrics_server = match &settings.metrics_bind {
            Some(bind) => Some(metrics_server(bind, metrics_data.clone())?),
            None => None,
        };
        let metrics_beside_app = metrics_server.is_none();
        let server = HttpServer::new(move || {
            let scrape = web::get().to(crate::routes::metrics::scrape);
            // Outermost first: log (the request's id and span), count it, hold back 429s,
            // add the security headers (to refusals too), refuse
            // other origins, refuse non-JSON API writes, find the session, check the
            // forms' CSRF tokens (the refusal page shows who is logged in), then answer
            // HEAD as GET.
            let app = App::new()
                .wrap(from_fn(crate::routes::headers::head_as_get))
                .wrap(from_fn(crate::routes::csrf::check_csrf))
                .wrap(from_fn(move |req, next| crate::routes::nul::refuse_nul(body_timeout, req, next)))
                .wrap(from_fn(crate::routes::session::load_session))
                .wrap(from_fn(crate::routes::json_only::require_json))
                .wrap(from_fn(crate::routes::origin::check_origin))
                .wrap(from_fn(move |req, next| crate::routes::headers::security_headers(headers, req, next)))
                .wrap(from_fn(crate::routes::tarpit::pause_refusals))
                .wrap(from_fn({
                    let metrics = metrics.clone();
                    move |req, next| crate::routes::metrics::track(metrics.clone(), req, next)
                }))
                .wrap(from_fn(crate::routes::metrics::request_id))
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .app_data(ready_flag.clone())
                .app_data(proxy.clone())
                .app_data(key.clone())
                .app_data(cookies.clone())
                .app_data(metrics_data.clone())
                .configure(crate::routes::configure);
            if metrics_beside_app {
                app.route("/metrics", scrape)
            } else {
                app
            }
        })
        // Signals are handled by `shutdown::on_signal`, which flips readiness first.
        .disable_signals()
        .shutdown_timeout(settings.shutdown_timeout.as_secs())
        .listen(listener)?
        .run();
        Ok(Application { port, server, readiness, store, shutdown_drain: settings.shutdown_drain, metrics_server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on when `metrics_bind` gave it a listener of its own.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_server.as_ref().map(|(port, _)| *port)
    }

    /// Serves until the process is told to stop (SIGTERM or SIGINT, see `shutdown`),
    /// then closes the database so its write-ahead log is checkpointed.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let signals =
            tokio::spawn(crate::shutdown::on_signal(self.server.handle(), self.readiness, self.shutdown_drain));
        // Metrics stay scrapable through the drain; they stop with the app.
        let metrics = self.metrics_server.map(|(_, server)| {
            let handle = server.handle();
            (handle, tokio::spawn(server))
        });
        let served = self.server.await;
        signals.abort();
        if let Some((handle, task)) = metrics {
            handle.stop(false).await;
            let _ = task.await;
        }
        self.store.close().await;
        tracing::info!("stopped");
        served
    }
}

/// `GET /metrics` alone on a listener of its own (one worker: a scrape is cheap).
fn metrics_server(bind: &str, metrics: web::Data<Metrics>) -> anyhow::Result<(u16, Server)> {
    let listener = TcpListener::bind(bind).with_context(|| format!("cannot listen on {bind} for metrics"))?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new().app_data(metrics.clone()).route("/metrics", web::get().to(crate::routes::metrics::scrape))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run();
    Ok((port, server))
}

/// The key of the forms' CSRF tokens, generated once and kept in the database, so pages
/// loaded before a restart can still be sent. (It is stored under the name of the key
/// that signed the cookie sessions before sessions moved into the database.)
async fn csrf_key(store: &Store) -> anyhow::Result<CsrfKey> {
    let stored = store
        .secret_or_init("session_key", || {
            let mut bytes = [0u8; 64];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            hex::encode(bytes)
        })
        .await?;
    let bytes = hex::decode(stored.trim()).context("stored session key is not hex")?;
    anyhow::ensure!(bytes.len() >= 32, "stored session key is too short");
    Ok(CsrfKey::new(&bytes))
}

/// How often the database gauges of `/metrics` are refreshed.
const SAMPLE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Keeps the database gauges of `/metrics` (connections in use, answers queued for the
/// writer, active sessions) fresh: sampled every few seconds in the background, so a
/// scrape costs no query and a scraper cannot load the database.
fn sample_database(state: &AppState, store: &Store, metrics: Metrics) {
    let (accounts, store) = (state.accounts.clone(), store.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SAMPLE_EVERY);
        loop {
            tick.tick().await;
            let pools = store.pool_use();
            let active_sessions = match accounts.active_sessions().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "could not count active sessions for the metrics");
                    continue;
                }
            };
            metrics.sampled(Sample {
                readers: pools.readers,
                readers_idle: pools.readers_idle,
                writers: pools.writers,
                writers_idle: pools.writers_idle,
                answers_waiting: pools.answers_waiting,
                active_sessions,
            });
        }
    });
}
